"""Shot charts and the replay, without Streamlit."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.io as pio

from oa.model.artifact import sigmoid
from oa.plots.replay import event_path_figure, replay_figure, square_point
from oa.plots.rink import rink_figure
from oa.plots.shots import add_shot_markers, game_flow, heat_figure, live_map, shot_map, waterfall
from oa.rink import RINK
from oa.schema import PUCK_ID
from oa.vocab import TIER_COLORS


def values(v) -> list:
    """A data array from a Plotly JSON spec (plain list or Plotly's base64 typed array)."""
    import base64

    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"])).tolist()
    return list(v)


def shots_frame(n: int = 6) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "shot_id": np.arange(n) + 920250200010000,
            "game_id": 92025020001,
            "x": rng.uniform(30, 85, n),
            "y": rng.uniform(-20, 20, n),
            "outcome": ["GOAL", "SAVE", "MISS", "BLOCK", "SAVE", "GOAL"][:n],
            "shot_type": "WRIST",
            "strength": "5v5",
            "team": ["A", "B"] * (n // 2),
            "opponent": ["B", "A"] * (n // 2),
            "period": 1,
            "period_seconds": rng.uniform(0, 1200, n),
            "game_seconds": np.sort(rng.uniform(0, 3600, n)),
            "is_goal": [True, False, False, False, False, True][:n],
            "is_home": [True, False] * (n // 2),
            "p_goal": [0.3, 0.05, 0.1, 0.02, None, 0.2][:n],
            "tier": ["high", "low", "medium", "low", None, "high"][:n],
            "shooter": "S",
            "goalie": "G",
            "date": pd.Timestamp("2025-10-10"),
        }
    )


def test_markers_shape_by_outcome_colour_by_tier_with_shot_id_first():
    df = shots_frame()
    fig = shot_map(df)
    real = [t for t in fig.data if t.x is not None and len(t.x) and t.x[0] is not None]
    symbols = {t.name: t.marker.symbol for t in real}
    assert symbols == {"Goal": "star", "Save": "circle", "Miss": "diamond", "Blocked": "square"}
    goals = [t for t in real if t.name == "Goal"]  # one trace per outcome and tier: one colour each
    assert [g.marker.color for g in goals] == [TIER_COLORS["high"]] and len(goals[0].x) == 2
    tiers_of = {(t.name, t.marker.color) for t in real}
    assert len(tiers_of) == len(real), "each outcome-tier pair is drawn once"
    ids = {int(row[0]) for t in real for row in t.customdata}
    assert ids == set(df["shot_id"])
    legend = {t.name for t in fig.data if t.x is not None and len(t.x) and t.x[0] is None}
    assert {"Low", "Medium", "High", "Not rated", "Goal"} <= legend
    assert all("%" in t.hovertemplate for t in real)


def test_live_map_colours_by_tier_rings_the_newest_and_keeps_shot_id_first():
    df = shots_frame().drop(columns=["outcome", "is_goal", "goalie", "date"]).assign(game="B @ A")
    newest = int(df["shot_id"].iloc[2])
    fig = live_map(df, newest=newest)
    tiers = {t.name: t for t in fig.data if t.name in ("Low", "Medium", "High", "Not rated")}
    assert set(tiers) == {"Low", "Medium", "High", "Not rated"}
    assert tiers["High"].marker.color == TIER_COLORS["high"] and tiers["High"].marker.symbol == "circle"
    ids = {int(row[0]) for t in tiers.values() for row in t.customdata}
    assert ids == set(df["shot_id"])
    ring = next(t for t in fig.data if t.name == "Newest")
    assert int(ring.customdata[0][0]) == newest and ring.marker.size > tiers["Low"].marker.size
    assert fig.layout.clickmode == "event+select"
    assert len(live_map(df.iloc[:0]).data) == 0


def test_heat_map_is_masked_outside_the_boards_with_lines_on_top():
    z = np.ones((17, 20))
    fig = heat_figure(z, 5.0, "t", "shots", smooth=0)
    hm = fig.data[0]
    assert np.isfinite(np.array(hm.z, dtype=float)).all()
    assert all(s.layer == "above" for s in fig.layout.shapes)
    mask = fig.layout.shapes[0]
    assert mask.name == "outside" and mask.fillrule == "evenodd"
    # the hole is the whole offensive half: it reaches centre ice and both boards
    inner = mask.path.split("Z")[1]
    pts = np.array([[float(v) for v in p.strip(" ML").split(",")] for p in inner.split("L") if p.strip(" M")])
    assert pts[:, 0].min() == 0.0 and pts[:, 1].max() == RINK.half_width and pts[:, 1].min() == -RINK.half_width
    assert abs(pts[:, 0].max() - RINK.half_length) < 1e-6
    div = heat_figure(np.array([[-2.0, 1.0]]), 50.0, "t", "x", diverging=True, smooth=0)
    assert div.data[0].zmin == -div.data[0].zmax


def test_waterfall_adds_up_to_the_probability_and_words_carry_points():
    base = -2.5
    pp = np.array([4.1, -1.2, 0.5, 0.2, -0.1])
    p = float(sigmoid(base)) + pp.sum() / 100
    f = pd.DataFrame(
        {
            "factor": list("abcde"),
            "value_label": ["goalie had to move 9 ft to square up", "x", "y", "z", "w"],
            "contribution": pp / 10,
            "contribution_pp": pp,
        }
    )
    fig = waterfall(f, p, base, k=3)
    w = fig.data[0]
    assert w.measure[0] == "absolute" and w.measure[-1] == "total"
    assert abs(sum(w.x[:-1]) - 100 * p) < 1e-9
    words = [y.replace("<br>", " ") for y in w.y]
    assert "goalie had to move 9 ft to square up <b>+4.1 pts</b>" in words
    assert "2 other factors <b>+0.1 pts</b>" in words


def test_game_flow_separates_close_team_colours_and_marks_goals():
    df = shots_frame()
    fig = game_flow(df, "A", "B", "#123456", "#123457", "Home", "Away")
    lines = [t for t in fig.data if t.mode == "lines"]
    assert len(lines) == 2 and lines[0].line.color != lines[1].line.color
    assert sum(len(t.x) for t in fig.data if t.mode == "markers") == int(df["is_goal"].sum())


def test_mirror_draws_the_away_team_on_the_other_end():
    df = shots_frame()
    fig = add_shot_markers(rink_figure(), df, mirror=df["team"] == "B")
    xs = [x for t in fig.data if t.x is not None for x in t.x if x is not None]
    assert min(xs) < 0 < max(xs)


def clip(flipped: bool = False) -> tuple[pd.DataFrame, dict]:
    rel, fps = 200, 30.0
    rows = []
    for fi in range(rel - 150, rel + 31):
        t = (fi - rel) / fps
        s = -1 if flipped else 1
        rows.append((fi, PUCK_ID, None, s * (60 + 10 * t), s * 5.0, None, None, None))
        rows.append((fi, 11, "A", s * 60.0, s * 5.0, 9, "C", "Shooter"))
        rows.append((fi, 12, "B", s * 70.0, s * 0.0, 4, "D", "Defender"))
        rows.append((fi, 13, "B", s * 86.0, s * -2.0, 30, "G", "Goalie"))
        rows.append((fi, 14, "A", s * -86.0, s * 0.0, 31, "G", "Own goalie"))
    df = pd.DataFrame(rows, columns=["frame_idx", "entity_id", "team", "x", "y", "number", "position", "name"])
    shot = dict(
        release_frame=rel,
        flipped=flipped,
        team="A",
        opponent="B",
        team_color="#0000ff",
        opponent_color="#ff0000",
        goalie_id=13,
        shooter_id=11,
    )
    return df, shot


def test_replay_animates_from_5s_before_to_1s_after_and_opens_on_the_release():
    df, shot = clip()
    fig = replay_figure(df, shot, fps=30.0, step=3)
    spec = json.loads(pio.to_json(fig.to_dict(), validate=False))
    frames = spec["frames"]
    assert frames[0]["name"] == "-5.0 s" and frames[-1]["name"] == "+1.0 s"
    assert any(f["name"] == "release" for f in frames)
    assert 55 <= len(frames) <= 65
    slider = spec["layout"]["sliders"][0]
    assert slider["steps"][slider["active"]]["label"] == "release"
    assert [b["label"] for b in spec["layout"]["updatemenus"][0]["buttons"]] == ["▶ Play", "❚❚ Pause"]
    names = [t["name"] for t in spec["data"]]
    assert names[:5] == ["A (shooting)", "B (defending)", "Goalies", "Puck trail", "Puck"]
    assert "Shooting lane at release" in names
    lane = next(t for t in spec["data"] if t["name"] == "Shooting lane at release")
    assert values(lane["y"])[1:3] == [RINK.post_y, -RINK.post_y]
    # both goalies in the goalie trace, not among the skaters
    assert len(values(spec["data"][2]["x"])) == 2 and len(values(spec["data"][1]["x"])) == 1


def test_replay_is_normalised_when_the_shot_was_flipped():
    df, shot = clip(flipped=True)
    spec = json.loads(pio.to_json(replay_figure(df, shot, fps=30.0).to_dict(), validate=False))
    puck = next(t for t in spec["data"] if t["name"] == "Puck")
    assert values(puck["x"])[0] > 0, "the shooting team attacks the net on the right"


def test_square_point_is_on_the_goalie_arc_facing_the_puck():
    sx, sy = square_point((86.0, 0.0), (60.0, 26.0))
    assert abs(np.hypot(RINK.goal_line_x - sx, sy) - 3.0) < 1e-9
    assert sy > 0 and abs(np.degrees(np.arctan2(sy, RINK.goal_line_x - sx)) - np.degrees(np.arctan2(26, 29))) < 1e-6


def test_event_path_without_tracking():
    ev = pd.DataFrame(
        {
            "event_idx": [1, 2, 3],
            "type": ["FACEOFF", "PASS", "SHOT"],
            "team": ["A", "A", "A"],
            "x": [-69.0, -40.0, -60.0],
            "y": [22.0, 10.0, 0.0],
            "period_seconds": [10.0, 14.0, 16.0],
            "detail": None,
            "player": ["a", "b", "c"],
        }
    )
    fig = event_path_figure(ev, dict(flipped=True, team="A", opponent="B"))
    pts = next(t for t in fig.data if t.name == "A events")
    assert list(pts.text) == ["1", "2", "3"] and min(pts.x) > 0
    assert len(fig.layout.annotations) == 2
