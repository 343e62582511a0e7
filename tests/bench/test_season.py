"""`bench season` on a small made-up season: every figure of every run, medians, and the model
trained once and then reused."""

from __future__ import annotations

from oa.bench import season
from tests.ingest_fixtures import moneypuck_csv


def test_runs_are_timed_from_an_empty_store_and_the_model_is_kept(tmp_path, monkeypatch):
    csv = moneypuck_csv(tmp_path / "season.csv", 30, seed=2)
    monkeypatch.setattr(season, "season_file", lambda source: csv)
    out = season.run("moneypuck", tmp_path / "bench", runs=2)
    assert out["runs"] == 2 and len(out["each_run"]) == 2
    assert out["shots"] == 30 * 24 and out["factor_rows"] > out["shots"]
    for r in out["each_run"]:
        assert r["shots"] == out["shots"] and r["games"] == 30
        assert r["season_s"] >= r["ingest_s"] and r["peak_rss_mb"] > 50 and "load_1min" in r
    assert set(out["median"]) == set(season.FIGURES) and set(out["met"]) == set(season.TARGETS)
    model = tmp_path / "bench" / "model.duckdb"
    made = model.stat().st_mtime_ns
    season.run("moneypuck", tmp_path / "bench", runs=1)
    assert model.stat().st_mtime_ns == made, "the model is trained once and reused"


def test_an_unknown_source_is_named_with_the_choices(tmp_path):
    from typer.testing import CliRunner

    from oa.cli import app

    r = CliRunner().invoke(app, ["bench", "season", "--source", "nope", "--dir", str(tmp_path)])
    assert r.exit_code == 1 and "moneypuck, hockey_scraper or all" in r.output and "Traceback" not in r.output
    assert not any(tmp_path.iterdir()), "nothing is measured or written"
