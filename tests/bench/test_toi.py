"""`bench toi` runs (not timed here): the estimate against the real game's shift charts and demo games' shifts,
its JSON has every figure the page shows, and without the shared files it still measures the demo league."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from oa.cli import app


def _run(*args: str):
    r = CliRunner().invoke(app, ["bench", "toi", "--games", "4", "--workers", "1", "--json", *args])
    assert r.exit_code == 0, r.output
    return r, json.loads(next(line for line in r.output.splitlines() if line.startswith("{")))


def test_bench_toi_reports_the_error_per_situation_on_the_real_game_and_demo_games(shared, tmp_path):
    page = tmp_path / "toi.md"
    page.write_text("# Toi\n\nprose kept\n\n<!-- results:start -->\nold\n<!-- results:end -->\n")
    _, out = _run("--markdown", str(page))
    assert out["nhl"]["games"] == 1 and out["nhl"]["events"] == 320 and out["demo"]["games"] == 4
    for part in ("nhl", "demo"):
        for key in ("all skaters", "5v5 skaters", "all goalies", "5v5 goalies"):
            assert {"players", "median abs error (min)", "median abs error (share of toi)"} <= set(out[part][key])
    assert out["nhl"]["all skaters"]["players"] == 36
    text = page.read_text()
    assert "prose kept" in text and "old" not in text and "Real NHL game" in text and "5v5 skaters" in text


def test_bench_toi_without_the_shared_files_measures_the_demo_league(tmp_path, monkeypatch):
    monkeypatch.setenv("OA_SHARED", str(tmp_path))
    _, out = _run()
    assert out["nhl"]["games"] == 0 and "nhl-api-web-bbrewington" in out["nhl"]["note"]
    assert out["demo"]["all skaters"]["players"] == 4 * 2 * 18
