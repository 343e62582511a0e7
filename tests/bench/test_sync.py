"""`bench sync` runs (not timed here): the real `nhl sync` twice against the loopback NHL API, and its
JSON has every figure the benchmark page reports."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from oa.cli import app


def test_bench_sync_runs_and_reports_each_run_and_the_medians(shared, tmp_path):
    page = tmp_path / "sync.md"
    page.write_text("# Sync\n\nprose kept\n\n<!-- results:start -->\nold\n<!-- results:end -->\n")
    r = CliRunner().invoke(app, ["bench", "sync", "--runs", "1", "--rate", "50", "--json", "--markdown", str(page)])
    assert r.exit_code == 0, r.output
    out = json.loads(next(line for line in r.output.splitlines() if line.startswith("{")))
    for k in ("first_median_s", "second_median_s", "second_sync_median_s", "target_second_s", "target_met"):
        assert k in out, k
    assert (out["season"], out["games"], out["runs"], out["rate_per_s"]) == ("2025-26", 6, 1, 50.0)
    (first,), (second,) = out["first"], out["second"]
    for run in (first, second):
        assert {"wall_s", "sync_s", "load_1min", "requests", "requests_by_kind", "failed"} <= set(run)
        assert set(run["requests_by_kind"]) >= {"schedule", "play-by-play", "shiftcharts", "roster"}
        assert run["failed"] == 0 and run["wall_s"] >= run["sync_s"] > 0
    assert first["new"] == 6 and first["requests_by_kind"]["play-by-play"] == 6
    assert second["unchanged"] == 6 and second["requests_by_kind"]["play-by-play"] == 0
    assert out["second_play_by_play_requests"] == 0
    text = page.read_text()
    assert "prose kept" in text and "old" not in text and "`second_median_s`" in text
    assert "python -m oa bench sync --runs 1 --rate 50.0" in text


def test_bench_sync_without_the_shared_files_says_what_is_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("OA_SHARED", str(tmp_path))
    r = CliRunner().invoke(app, ["bench", "sync", "--runs", "1"])
    assert r.exit_code == 1 and "the NHL api-web files are not in" in r.output, r.output
