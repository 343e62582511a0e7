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
        sid = con.execute("SELECT s.shot_id FROM shots s JOIN shot_factors f USING (shot_id) WHERE NOT s.empty_net "
                          "AND f.factor = 'goalie_travel' ORDER BY abs(f.contribution) DESC LIMIT 1").fetchall()[0][0]
    finally:
        con.close()
    env = {**os.environ, "OA_DB": str(model_store), "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", FRESH_SHOT_PAGE, str(sid)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
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

    sid = int(one(model_store, "SELECT s.shot_id FROM shots s JOIN shot_scores USING (shot_id) "
                               "WHERE s.empty_net AND s.release_frame IS NOT NULL ORDER BY s.shot_id LIMIT 1"))
    stored = stored_factors(model_store, sid)
    goalie = {"empty_net", "goalie_height", "goalie_travel", "goalie_depth", "goalie_speed", "goalie_set"}
    merged = stored[stored["factor"].isin(goalie) | (stored["value_label"] == "opponent's goalie pulled")]
    assert len(merged) >= 4, "the store keeps each factor"
    at = app(monkeypatch, model_store, shot=str(sid), empty_net="include")
    ok(at)
    wf = [s for s in specs(at) if s["data"] and s["data"][0]["type"] == "waterfall"][0]["data"][0]
    lines = wf["y"][1:-1]
    goalie_lines = [y for y in lines if "goalie" in y.lower() or "empty net" in y.lower()]
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
        return s.query("SELECT f.factor, f.value_label, f.contribution, f.contribution_pp FROM shot_factors f "
                       "JOIN shot_scores sc USING (shot_id, model_id) WHERE f.shot_id = ?", [sid])
