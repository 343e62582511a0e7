"""The background sync the Data page starts: the command, its lock, its progress file, its end.

The real `oa nhl sync` is replaced by tests/app/fake_sync.py, which writes the same progress
contract (JSON lines {"stage", "done", "total"}, a final "done" or "failed" with a message).
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from oa import settings
from oa.app import sync as sy

FAKE = str(Path(__file__).with_name("fake_sync.py"))


@pytest.fixture()
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data folder, the stand-in sync as the program, and its gate closed."""
    d = tmp_path / "data"
    d.mkdir()
    monkeypatch.setattr(settings, "DATA_DIR", d)
    monkeypatch.setattr(sy, "PROGRAM", [sys.executable, FAKE])
    monkeypatch.setenv("FAKE_SYNC_GATE", str(tmp_path / "gate"))
    return d


def wait_for(cond, timeout: float = 30.0) -> None:
    t0 = time.time()
    while not cond():
        assert time.time() - t0 < timeout, "timed out"
        time.sleep(0.05)


def test_seasons_are_checked_and_offered_newest_first():
    assert sy.season_code(" 2025-26 ") == "2025-26"
    for bad in ("2025-27", "2025", "<script>", "../../etc", "2025-26; rm -rf /", "1900-01"):
        with pytest.raises(sy.SyncError, match="is not a season"):
            sy.season_code(bad)
    assert sy.recent_seasons(date(2026, 11, 29), n=3) == ["2026-27", "2025-26", "2024-25"]
    assert sy.recent_seasons(date(2026, 3, 1), n=1) == ["2025-26"]


def test_the_command_writes_a_store_of_its_own_and_a_progress_file(data):
    cmd = sy.command("2025-26", sy.target("2025-26"), data / "p.jsonl")
    assert cmd[-8:] == [
        "--season",
        "2025-26",
        "--db",
        str(data / "nhl-2025-26.duckdb"),
        "--cache",
        str(data / "cache" / "nhl"),  # this data folder's cache
        "--progress-file",
        str(data / "p.jsonl"),
    ]


def test_progress_lines_read_last_one_wins_and_broken_lines_are_skipped(tmp_path):
    p = tmp_path / "p.jsonl"
    assert sy.read_progress(p) == sy.Progress()  # not there yet
    p.write_text(
        json.dumps({"stage": "games", "done": 3, "total": 10}) + "\n" + "not json\n" + '{"stage": "games", "do'
    )
    got = sy.read_progress(p)
    assert (got.stage, got.done, got.total, got.final) == ("games", 3, 10, False)
    assert got.fraction == pytest.approx(0.3)
    p.write_text(
        p.read_text() + "\n" + json.dumps({"stage": "failed", "done": 3, "total": 10, "message": "503"}) + "\n"
    )
    got = sy.read_progress(p)
    assert got.final and not got.ok and got.message == "503"


def test_a_sync_runs_in_the_background_one_at_a_time(data, tmp_path):
    job = sy.start("2025-26")
    assert job.running and job.pid and job.season == "2025-26"
    wait_for(lambda: sy.current().progress.stage == "games")
    with pytest.raises(sy.SyncBusy, match="already running"):
        sy.start("2024-25")  # a second click, any season: refused while the first runs
    (tmp_path / "gate").touch()
    wait_for(lambda: not sy.current().running)
    done = sy.current()
    assert done.progress.final and done.progress.ok and "4 new games" in done.progress.message
    wait_for(lambda: sy.current().exit_code == 0)  # and the process it started is reaped
    again = sy.start("2024-25")  # the lock of a finished sync is taken over
    assert again.season == "2024-25"
    wait_for(lambda: not sy.current().running)


def test_a_failed_sync_says_why(data, tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_SYNC_FAIL", "1")
    (tmp_path / "gate").touch()
    sy.start("2025-26")
    wait_for(lambda: not sy.current().running)
    p = sy.current().progress
    assert p.final and not p.ok and "503" in p.message


def test_a_lock_whose_process_is_gone_is_stale(data):
    sy.folder().mkdir(parents=True)
    rec = {
        "season": "2025-26",
        "db": "x",
        "progress": str(data / "none"),
        "log": "l",
        "pid": 2**22 + 12345,
        "started": 0,
    }
    sy.lock_path().write_text(json.dumps(rec))
    assert not sy.current().running  # no such process: a killed sync (or a restarted machine)
    sy.lock_path().write_text("{half")
    assert sy.current().running  # a lock being written: live for a moment
    with pytest.raises(sy.SyncBusy, match="starting"):
        sy.start("2025-26")  # ... and not taken over


def test_a_sync_that_dies_without_a_final_line_is_stopped_and_its_last_words_kept(data, monkeypatch):
    monkeypatch.setattr(
        sy, "PROGRAM", [sys.executable, "-c", "import sys; print('Error: No such command nhl.'); sys.exit(2)"]
    )
    sy.start("2025-26")
    wait_for(lambda: not sy.current().running)
    job = sy.current()
    assert not job.progress.final and job.exit_code == 2
    assert sy.log_tail(job, 1) == "Error: No such command nhl."
