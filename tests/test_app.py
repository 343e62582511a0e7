"""The Streamlit app, run headless with AppTest against small stores."""

from __future__ import annotations

import base64
import json
import sys
import types
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from oa.store import Store
from tests.tiny_league import build_tiny_store

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TIMEOUT = 120


def run_app(monkeypatch: pytest.MonkeyPatch, db: Path) -> AppTest:
    monkeypatch.setenv("OA_DB", str(db))
    return AppTest.from_file(APP, default_timeout=TIMEOUT).run()


def values(v) -> list:
    """A data array from a Plotly JSON spec (plain list or Plotly's base64 typed array)."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"])).tolist()
    return list(v)


def chart_spec(at: AppTest) -> dict:
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.spec)


def test_league_page_renders(tiny_store, monkeypatch):
    at = run_app(monkeypatch, tiny_store)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error

    metrics = {m.label: m.value for m in at.metric}
    assert list(metrics) == ["Games", "Shots", "Goals", "Goal rate", "Shots per game"]
    with Store(tiny_store, read_only=True) as s:
        n_games = int(s.query("SELECT count(*) AS n FROM games")["n"].iloc[0])
        n_shots = int(s.query("SELECT count(*) AS n FROM shots")["n"].iloc[0])
        n_front = int(s.query("SELECT count(*) AS n FROM shots WHERE x >= 0")["n"].iloc[0])
        n_goals = int(s.query("SELECT count(*) AS n FROM shots WHERE is_goal")["n"].iloc[0])
        league = s.meta()["league"]
        n_teams = int(
            s.query(
                "SELECT count(DISTINCT home_team) + 0 AS n FROM "
                "(SELECT home_team FROM games UNION SELECT away_team FROM games)"
            )["n"].iloc[0]
        )
    assert metrics["Games"] == f"{n_games:,}"
    assert metrics["Shots"] == f"{n_shots:,}"
    assert metrics["Goals"] == f"{n_goals:,}"

    # demo banner
    assert any("fictional" in w.value for w in at.warning)
    assert any(league in w.value for w in at.warning)

    # standings: one row per team, every game counted twice, points = 2W + OTL
    standings = at.dataframe[0].value
    assert {"Team", "GP", "W", "L", "OTL", "GF", "GA", "PTS"} <= set(standings.columns)
    assert len(standings) == n_teams
    assert standings["GP"].sum() == 2 * n_games
    assert standings["W"].sum() == n_games
    assert (standings["W"] + standings["L"] + standings["OTL"] == standings["GP"]).all()
    assert standings["OTL"].sum() >= 1, "the tiny league has an overtime and a shootout game"
    assert (standings["PTS"] == 2 * standings["W"] + standings["OTL"]).all()
    assert standings["GF"].sum() == standings["GA"].sum()
    assert list(standings["PTS"]) == sorted(standings["PTS"], reverse=True)
    with Store(tiny_store, read_only=True) as s:
        names = set(s.query("SELECT name FROM teams")["name"])
    assert set(standings["Team"]) <= names

    # shot map on a half rink, one trace per outcome, shot ids in customdata
    # (marker traces per outcome, coloured by tier; legend-only traces carry no points)
    spec = chart_spec(at)
    drawn = [t for t in spec["data"] if t.get("customdata") is not None]
    names = {t["name"] for t in drawn}
    assert {"Goal", "Save"} <= names <= {"Goal", "Save", "Miss", "Blocked"}
    legend = {t["name"] for t in spec["data"] if t.get("customdata") is None}
    assert names <= legend and "Not rated" in legend, legend  # the tiny store is not scored
    assert sum(len(values(t["x"])) for t in drawn) == min(n_front, 3000)
    assert spec["layout"]["yaxis"]["scaleanchor"] == "x"
    assert len(spec["layout"]["shapes"]) > 10
    assert all(min(values(t["x"])) >= 0 for t in drawn)

    # recent games
    recent = at.dataframe[1].value
    assert len(recent) == min(n_games, 15)
    assert {"Date", "Away", "Home", "Result"} <= set(recent.columns)
    assert set(recent["Result"]) <= {"Final", "Final/OT", "Final/SO", "Not final"}


def test_shot_map_team_filter(tiny_store, monkeypatch):
    at = run_app(monkeypatch, tiny_store)
    box = at.selectbox(key="shot_map_team")
    team = box.options[1]
    box.select(team).run()
    assert not at.exception
    spec = chart_spec(at)
    hover = [row for t in spec["data"] for row in t.get("customdata") or []]
    assert hover and all(row[2] == team for row in hover)


def test_full_rink_toggle_shows_shots_from_behind_centre(tiny_store, monkeypatch):
    at = run_app(monkeypatch, tiny_store)
    at.toggle(key="shot_map_full").set_value(True).run()
    assert not at.exception
    spec = chart_spec(at)
    with Store(tiny_store, read_only=True) as s:
        n_shots = int(s.query("SELECT count(*) AS n FROM shots")["n"].iloc[0])
    assert sum(len(values(t["x"])) for t in spec["data"] if t.get("customdata") is not None) == min(n_shots, 3000)
    assert spec["layout"]["xaxis"]["range"][0] < -100


def test_empty_store_gets_a_friendly_message(tmp_path, monkeypatch):
    db = tmp_path / "empty.duckdb"
    Store(db).close()
    at = run_app(monkeypatch, db)
    assert not at.exception
    assert any("no games" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_first_start_builds_the_demo_league(tmp_path, monkeypatch):
    calls = []

    def run_demo(db, n_games, seed, progress=None):
        calls.append((Path(db), n_games, seed))
        for i in range(3):
            if progress:
                progress("simulating games", i + 1, 3)
        build_tiny_store(db, n_games=4, seed=seed)
        return {"games": 4}

    fake = types.ModuleType("oa.pipeline")
    fake.run_demo = run_demo
    monkeypatch.setitem(sys.modules, "oa.pipeline", fake)
    db = tmp_path / "fresh" / "oa.duckdb"
    at = run_app(monkeypatch, db)
    assert not at.exception, [e.value for e in at.exception]
    assert len(calls) == 1 and calls[0][1:] == (200, 0)
    assert calls[0][0] != db, "the build goes to a temporary file, moved into place when complete"
    assert db.exists() and sorted(p.name for p in db.parent.iterdir()) == ["oa.duckdb"]
    assert {m.label: m.value for m in at.metric}["Games"] == "4"
    # the store is served read-only and a second start does not rebuild
    from oa.app.queries import open_store

    assert open_store(str(db)).read_only
    at2 = run_app(monkeypatch, db)
    assert not at2.exception and len(calls) == 1


def test_failed_build_leaves_no_store(tmp_path, monkeypatch):
    def run_demo(db, n_games, seed, progress=None):
        Store(db).close()
        raise RuntimeError("simulator exploded")

    fake = types.ModuleType("oa.pipeline")
    fake.run_demo = run_demo
    monkeypatch.setitem(sys.modules, "oa.pipeline", fake)
    db = tmp_path / "broken" / "oa.duckdb"
    at = run_app(monkeypatch, db)
    assert any("simulator exploded" in e.value for e in at.error)
    assert not db.exists() and not list(db.parent.iterdir())
