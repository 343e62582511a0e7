"""One visual language on the pages (AppTest): captions say what the colours show, tier colours
mean tiers, one scale for maps compared side by side, words for codes, English counts, dot sizes."""

from __future__ import annotations

import colorsys
import json
import shutil

import numpy as np
import pandas as pd

from oa.app.components import shot_rows
from oa.live.publish import Publisher
from oa.settings import live_dir
from oa.store import Store
from oa.vocab import TIER_COLORS, UNRATED_COLOR
from tests.app.live_data import rows
from tests.app.test_pages import app, ok

# a colour word -> its hue band in degrees (what a reader means by it)
HUES = {
    "red": (345, 15),
    "orange": (15, 45),
    "yellow": (45, 70),
    "green": (70, 170),
    "blue": (190, 250),
    "purple": (250, 320),
}


def hue(hex_color: str) -> float:
    r, g, b = (int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 360 * colorsys.rgb_to_hls(r, g, b)[0]


def looks(hex_color: str, word: str) -> bool:
    lo, hi = HUES[word]
    h = hue(hex_color)
    return lo <= h < hi if lo < hi else (h >= lo or h < hi)


def chart(at, key: str) -> dict:
    """The Plotly spec of the chart with this key."""
    found = [json.loads(c.proto.spec) for c in at.get("plotly_chart") if c.proto.id.endswith(key)]
    assert found, (key, [c.proto.id for c in at.get("plotly_chart")])
    return found[0]


def caption_after(at, start: str) -> str:
    hits = [c.value for c in at.caption if start in c.value]
    assert hits, [c.value for c in at.caption]
    return hits[0]


def first_colour_word(text: str) -> str:
    """The first colour the text names ('Green: ...' -> 'green')."""
    words = [w.strip(".,:;").lower() for w in text.split()]
    return next(w for w in words if w in HUES)


def test_goalie_heat_map_caption_names_the_colour_it_draws_for_good(model_store, monkeypatch):
    """The map plots expected minus actual goals: its top colour is good for the goalie, and the caption says so."""
    at = app(monkeypatch, model_store)
    at.switch_page("pages/players.py").run()
    at.segmented_control(key="players_role").set_value("goalie").run()
    ok(at)
    spec = chart(at, "goalie_heat")
    top = spec["data"][0]["colorscale"][-1][1]  # the colour of the largest xG − goals
    assert spec["data"][0]["colorbar"]["title"]["text"] == "xG − goals"
    cap = next(c.value for c in at.caption if "fewer goals" in c.value)
    word = first_colour_word(cap)
    assert looks(top, word), (top, cap)
    # ... and that first-named colour is the good one
    assert "fewer goals" in cap.split(";")[0] and "good" in cap.split(";")[0]


def test_explorer_heat_caption_follows_the_selected_map(model_store, monkeypatch):
    at = app(monkeypatch, model_store)
    at.switch_page("pages/explorer.py").run()
    ok(at)
    seen = {}
    for kind in ("density", "xg", "gax"):
        at.segmented_control(key="explorer_heat").set_value(kind).run()
        ok(at)
        spec = chart(at, "explorer_heatmap")
        cap = caption_after(at, "offensive half")
        seen[kind] = cap
        named = [w for w in HUES if w in cap.lower()]
        if kind == "gax":
            top = spec["data"][0]["colorscale"][-1][1]  # most goals above expected
            assert looks(top, first_colour_word(cap)) and "scored more" in cap.split(";")[0], (top, cap)
        else:
            assert not named, (kind, cap)  # a density map has no good/bad colours to explain
    assert len(set(seen.values())) == 3


def test_team_for_and_against_maps_share_one_colour_scale(model_store, monkeypatch):
    at = app(monkeypatch, model_store)
    at.switch_page("pages/games.py").run()
    ok(at)
    a, b = chart(at, "team_for")["data"][0], chart(at, "team_against")["data"][0]
    assert a["zmax"] == b["zmax"] and a["zmin"] == b["zmin"]


def test_league_map_colours_are_tiers_and_shapes_are_outcomes(model_store, monkeypatch):
    at = app(monkeypatch, model_store)
    ok(at)
    spec = chart(at, "league_shot_map")
    drawn = [t for t in spec["data"] if isinstance(t.get("x"), dict) or (t.get("x") and t["x"][0] is not None)]
    colours = {t["marker"]["color"] for t in drawn}
    assert colours and colours <= {*TIER_COLORS.values(), UNRATED_COLOR}, colours
    names = {t["name"] for t in spec["data"]}
    assert {"Goal", "Save"} <= names and {"Low", "High"} & names


def test_model_reliability_dot_area_is_proportional_to_shots(model_store, monkeypatch):
    at = app(monkeypatch, model_store)
    at.switch_page("pages/model.py").run()
    ok(at)
    rel = [json.loads(c.proto.spec) for c in at.get("plotly_chart") if "rel_" in c.proto.id]
    assert rel
    for spec in rel:
        dots = next(t for t in spec["data"] if t.get("name") == "model")
        shots, size = np.asarray(_typed(dots["customdata"]), float), np.asarray(_typed(dots["marker"]["size"]), float)
        assert dots["marker"].get("sizemode") == "area"
        assert np.allclose(size / size.max(), shots / shots.max())


def _typed(v: object) -> list:
    """A data array from a Plotly JSON spec (plain list or Plotly's base64 typed array)."""
    import base64

    if not isinstance(v, dict):
        return list(v)  # type: ignore[call-overload]
    return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"])).tolist()


def test_wraparounds_are_worded_in_the_filter_and_the_tables(model_store, monkeypatch):
    with Store(model_store, read_only=True) as s:
        types = set(s.query("SELECT DISTINCT shot_type FROM shots")["shot_type"])
    assert "WRAP" in types, types
    at = app(monkeypatch, model_store)
    ok(at)
    options = at.selectbox(key="f_type").options
    assert "Wraparound" in options and "WRAP" not in options, options
    df = pd.DataFrame(
        {
            "p_goal": [0.1],
            "tier": ["low"],
            "outcome": ["SAVE"],
            "shooter": ["A"],
            "team": ["X"],
            "goalie": ["G"],
            "opponent": ["Y"],
            "shot_type": ["WRAP"],
            "strength": ["5v5"],
            "date": ["2025-10-10"],
            "period": [1],
            "period_seconds": [10.0],
            "shot_id": [1],
        }
    )
    assert shot_rows(df)["Type"].tolist() == ["Wraparound"]


def test_one_live_shot_is_counted_as_one(tiny_store, tmp_path, monkeypatch):
    db = tmp_path / "tiny.duckdb"
    shutil.copy(tiny_store, db)
    Publisher(live_dir(db)).shot(rows(db, n=1)[0])
    at = app(monkeypatch, db)
    at.switch_page("pages/live.py").run()
    ok(at)
    said = "\n".join(m.value for m in at.markdown)
    assert "1 rated shot**" in said and "1 game**" in said, said
    assert "1 rated shots" not in said and "1** rated shots" not in said
    assert any("1 shot" in str(o) and "1 shots" not in str(o) for o in at.selectbox(key="live_game").options)
