"""Shot detail: factor names on a fresh server, the empty-net breakdown, the what-if."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FRESH_SHOT_PAGE = """
import json, os, sys
from streamlit.testing.v1 import AppTest
from streamlit.runtime.pages_manager import PagesManager
orig = PagesManager.__init__
def init(self, *a, **k):
    orig(self, *a, **k)
    PagesManager.uses_pages_directory = False
PagesManager.__init__ = init
at = AppTest.from_file(os.path.join(os.getcwd(), "app.py"), default_timeout=120)
at.query_params["shot"] = sys.argv[1]
at.run()
assert not at.exception, [e.value for e in at.exception]
specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
print(json.dumps([s["data"][0]["hovertext"] for s in specs if s["data"] and s["data"][0]["type"] == "waterfall"]))
"""


def test_first_render_on_a_fresh_server_names_factors_in_words(model_store):
    """A fresh interpreter (a new server) renders the shot page first: its waterfall hover says
    "Goalie's distance to square up", never the machine name `goalie_travel`."""
    import duckdb

    con = duckdb.connect(str(model_store), read_only=True)
    try:
        sid = con.execute(
            "SELECT s.shot_id FROM shots s JOIN shot_factors f USING (shot_id) WHERE NOT s.empty_net "
            "AND f.factor = 'goalie_travel' ORDER BY abs(f.contribution) DESC LIMIT 1"
        ).fetchall()[0][0]
    finally:
        con.close()
    env = {**os.environ, "OA_DB": str(model_store), "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", FRESH_SHOT_PAGE, str(sid)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    hovers = json.loads(out.stdout.strip().splitlines()[-1])
    assert hovers, "the shot page drew its factor waterfall"
    said = " ".join(h for wf in hovers for h in wf)
    assert "Goalie's distance to square up" in said
    assert "<b>goalie_travel</b>" not in said and "<b>distance</b>" not in said


def test_an_empty_net_is_one_line_in_the_breakdown(model_store, monkeypatch):
    """An empty-net shot's goalie factors (and 'opponent's goalie pulled') are one "Empty net" line whose
    points are their sum; the stored explanation keeps every factor."""
    from tests.app.test_pages import app, ok, one, specs

    sid = int(
        one(
            model_store,
            "SELECT s.shot_id FROM shots s JOIN shot_scores USING (shot_id) "
            "WHERE s.empty_net AND s.release_frame IS NOT NULL ORDER BY s.shot_id LIMIT 1",
        )
    )
    stored = stored_factors(model_store, sid)
    goalie = {"empty_net", "goalie_height", "goalie_travel", "goalie_depth", "goalie_speed", "goalie_set"}
    merged = stored[stored["factor"].isin(goalie) | (stored["value_label"] == "opponent's goalie pulled")]
    assert len(merged) >= 4, "the store keeps each factor"
    at = app(monkeypatch, model_store, shot=str(sid), empty_net="include")
    ok(at)
    wf = [s for s in specs(at) if s["data"] and s["data"][0]["type"] == "waterfall"][0]["data"][0]
    lines = [y.replace("<br>", " ") for y in wf["y"][1:-1]]  # long labels wrap, never cut
    # the goalie's own factors (screens, "bodies screening the goalie", are not among them)
    goalie_lines = [y for y in lines if ("goalie" in y.lower() and "screening" not in y) or "empty net" in y.lower()]
    assert len(goalie_lines) == 1, lines
    assert goalie_lines[0].startswith("no goalie in net (empty net)")
    assert f"{merged['contribution_pp'].sum():+.1f} pts" in goalie_lines[0]
    assert not any("goalie height unknown" in y or "no goalie to move" in y for y in lines)
    assert any(h.startswith("<b>Empty net</b>") for h in wf["hovertext"])
    # the same shot's debate side says it once too
    at = app(monkeypatch, model_store, a=str(sid), b=str(sid), empty_net="include")
    at.switch_page("pages/debates.py").run()
    ok(at)
    wfs = [s["data"][0]["y"] for s in specs(at) if s["data"] and s["data"][0]["type"] == "waterfall"]
    assert wfs and all(sum("empty net" in y.lower() or "goalie" in y.lower() for y in ys) == 1 for ys in wfs)


def stored_factors(db, sid: int):
    from oa.store import Store

    with Store(db, read_only=True) as s:
        return s.query(
            "SELECT f.factor, f.value_label, f.contribution, f.contribution_pp FROM shot_factors f "
            "JOIN shot_scores sc USING (shot_id, model_id) WHERE f.shot_id = ?",
            [sid],
        )


# -- what if ------------------------------------------------------------------------------------

SLOT = (80.0, 0.0)  # 9 ft out, dead centre: a point of the what-if rink's grid


def far_wrist_shot(db) -> int:
    from tests.app.test_pages import one

    return int(
        one(
            db,
            "SELECT s.shot_id FROM shots s JOIN shot_features f USING (shot_id) JOIN shot_scores sc "
            "USING (shot_id) JOIN models m USING (model_id) WHERE m.active AND f.feature_set = 'tracking' "
            "AND NOT s.empty_net AND s.goalie_id IS NOT NULL AND s.shot_type = 'WRIST' "
            "AND f.distance BETWEEN 45 AND 60 AND s.outcome <> 'BLOCK' ORDER BY sc.p_goal, s.shot_id LIMIT 1",
        )
    )


def batch_factors_at(db, sid: int, x: float, y: float) -> dict:
    """The batch factor path on the shot's game with the shooter and puck really standing at (x, y):
    every tracked frame of the clip moved, the whole game's tracking indexed, as `game_features` does."""
    from oa.features.clips import FrameIndex, sides, window_frames
    from oa.features.compute import shot_factor_arrays
    from oa.store import Store

    with Store(db, read_only=True) as s:
        shot = s.query("SELECT * FROM shots WHERE shot_id = ?", [sid])
        g = int(shot["game_id"].iloc[0])
        games = s.query("SELECT * FROM games WHERE game_id = ?", [g])
        events = s.query("SELECT * FROM events WHERE game_id = ? ORDER BY event_idx", [g])
        players = s.query("SELECT player_id, shoots, height_in, position FROM players")
        fr = s.query(
            "SELECT frame_idx, entity_id, team, x::DOUBLE AS x, y::DOUBLE AS y FROM frames WHERE game_id = ?", [g]
        )
    r = shot.iloc[0]
    rel = int(r["release_frame"])
    sign = -1.0 if bool(r["flipped"]) else 1.0
    clip = fr["frame_idx"].between(rel - window_frames(float(games["fps"].iloc[0])) + 1, rel)
    who = clip & fr["entity_id"].isin([0, int(r["shooter_id"])])
    fr.loc[who, "x"] += sign * (x - float(r["x"]))
    fr.loc[who, "y"] += sign * (y - float(r["y"]))
    index = FrameIndex(
        fr["frame_idx"].to_numpy(),
        fr["entity_id"].to_numpy(),
        sides(fr["team"].to_numpy(dtype=object), str(games["home_team"].iloc[0])),
        fr["x"].to_numpy(),
        fr["y"].to_numpy(),
    )
    goalies = set(players.loc[players["position"] == "G", "player_id"].astype(int))
    out = shot_factor_arrays(shot.assign(x=x, y=y), events, players, games, index, goalies)
    return {k: v[0] for k, v in out.items() if k not in ("shot_id", "game_id", "feature_set")}


def test_what_if_moves_a_far_shot_to_the_slot_and_recomputes_what_follows(model_store, monkeypatch):
    import numpy as np

    from oa.features.registry import factor_named
    from oa.features.whatif import KEPT
    from oa.model.artifact import load_model, resolve_path
    from oa.model.score import score_batch
    from tests.app.test_pages import app, ok, one, specs

    sid = far_wrist_shot(model_store)
    p_real = float(
        one(
            model_store,
            "SELECT p_goal FROM shot_scores sc JOIN models m USING (model_id) WHERE m.active AND sc.shot_id = ?",
            [sid],
        )
    )
    at = app(monkeypatch, model_store, shot=str(sid))
    ok(at)
    # the rink to click: a grid of spots, each carrying its place and saying distance and angle
    grid = [t for s in specs(at) for t in s["data"] if t.get("name") == "Click to move the shot"]
    spots = array(grid[0]["customdata"]).reshape(-1, 2)
    assert len(spots) > 1000 and (spots == SLOT).all(axis=1).sum() == 1
    assert "distance 9 ft, angle 0°" in grid[0]["text"]
    # nothing moved yet: no second rating, no second waterfall
    assert "New chance of a goal" not in {m.label for m in at.metric}
    assert not [k for k in (c.proto.id for c in at.get("plotly_chart")) if "whatif_waterfall" in str(k)]
    n_waterfalls = sum(1 for s in specs(at) if s["data"] and s["data"][0]["type"] == "waterfall")
    assert n_waterfalls == 1

    at.session_state[f"wi_spot_{sid}"] = SLOT  # what a click on that grid point stores
    at.run()
    ok(at)
    assert any("Moved to** distance 9 ft, angle 0°" in m.value for m in at.markdown)
    p_new = float({m.label: m.value for m in at.metric}["New chance of a goal"].rstrip("%")) / 100
    assert p_new > max(3 * p_real, p_real + 0.03), (p_real, p_new)  # the slot is a far better chance
    assert p_new < 0.6
    assert sum(1 for s in specs(at) if s["data"] and s["data"][0]["type"] == "waterfall") == 2
    changes = at.table[-1].value["What if"]

    # the same factors as the batch code computes for a clip really taken from the slot
    batch = batch_factors_at(model_store, sid, *SLOT)
    for name in ("distance", "angle", "goalie_travel", "screens", "lane_blockers", "lane_mates", "pressure_ft"):
        fa = factor_named(name)
        said = str(fa.labels(np.array([batch[name]], dtype=float))[0])
        if fa.label in changes.index:
            assert changes[fa.label] == said, (name, changes[fa.label], said)
    assert changes["Distance"] == "9 ft from the net" and changes["Angle"] == "0° off the centre line"
    # and the same rating: the model on the batch factors, the play before the shot kept
    stored = one_row(model_store, sid)
    model_id = one(
        model_store,
        "SELECT sc.model_id FROM shot_scores sc JOIN models m USING (model_id) WHERE m.active AND sc.shot_id = ?",
        [sid],
    )
    path = one(model_store, "SELECT path FROM models WHERE model_id = ?", [model_id])
    from oa.store import Store

    with Store(model_store, read_only=True) as s:
        model = load_model(resolve_path(s, path))
    row = {n: (stored[n] if n in KEPT else batch[n]) for n in model.meta["features"]}
    data = {n: np.array([row[n]], dtype=object if factor_named(n).kind == "cat" else float) for n in row}
    assert f"{100 * float(score_batch(model, data).p[0]):.1f}%" == f"{100 * p_new:.1f}%"

    # back to the real shot: the second rating goes away
    at.button(key=f"wi_back_{sid}").click().run()
    ok(at)
    assert "New chance of a goal" not in {m.label for m in at.metric}


def array(v):
    """A Plotly JSON data array (a plain list or Plotly's base64 typed array) as numpy."""
    import base64

    import numpy as np

    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"]))
    return np.asarray(v, dtype=float)


def one_row(db, sid: int) -> dict:
    from oa.store import Store

    with Store(db, read_only=True) as s:
        return s.query("SELECT * FROM shot_features WHERE shot_id = ?", [sid]).iloc[0].to_dict()


def test_shot_page_offers_the_graphic_in_three_sizes_png_and_svg(model_store, monkeypatch):
    """The "Graphic for air" section: a size for each of the three, a PNG and an SVG button (rendered on click)."""
    import importlib.util

    from tests.app.test_pages import app, ok, one

    if importlib.util.find_spec("kaleido") is None:
        import pytest

        pytest.skip("kaleido is not installed")
    sid = int(one(model_store, "SELECT max(shot_id) FROM shot_scores"))
    at = app(monkeypatch, model_store, shot=str(sid))
    ok(at)
    radio = [r for r in at.radio if r.label == "Size"][0]
    assert list(radio.options) == [
        "1920x1080 · full screen",
        "1920x300 · lower third (transparent)",
        "1080x1080 · social",
    ]
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download PNG" in labels and "Download SVG" in labels
    radio.set_value("1080x1080").run()
    ok(at)
    assert any("--size 1080x1080" in c.value for c in at.caption)
