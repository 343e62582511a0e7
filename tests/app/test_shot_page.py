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
