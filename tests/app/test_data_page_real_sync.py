"""The Data page starting the REAL `python -m oa nhl sync` against the loopback NHL API, end to end.

The child process is the real command (not tests/app/fake_sync.py); it finds the loopback server
(`oa.bench.nhl_feed_server.NhlServer`: the real NHL files in ../shared, re-dated into a 2025-26
schedule of six finished games) through $OA_NHL_API, which it inherits from the dashboard. The
page shows its progress, then the new store with its provenance; a sync that fails half-way
(one game answered 503 every time) shows why, and the stores that were there are untouched.
"""

from __future__ import annotations

import hashlib
import sys
import threading
import time
from pathlib import Path

import pytest

from oa.app import sync as sy
from oa.store import Store
from tests.app.stores import real_copy
from tests.app.test_data_page import data_folder, data_page, text
from tests.app.test_pages import ok
from tests.nhl_server import NhlServer, game_ids

SEASON = "2025-26"  # the loopback server's season
GAMES = game_ids()[:6]  # its finished games
REAL = [sys.executable, "-m", "oa", "nhl", "sync", "--rate", "50"]  # the real command (polite rate: loopback)


@pytest.fixture()
def server(shared, monkeypatch):
    with NhlServer(shared) as srv:
        monkeypatch.setenv("OA_NHL_API", srv.url)  # the child inherits it: every NHL request goes to srv
        monkeypatch.delenv("OA_NHL_STATS_API", raising=False)
        yield srv


@pytest.fixture()
def data(tiny_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder holding the demo store, and the Data page's sync being the real command."""
    return data_folder(tiny_store, tmp_path, monkeypatch, REAL)


def digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def wait_for(cond, timeout: float = 120.0) -> None:
    t0 = time.time()
    while not cond():
        assert time.time() - t0 < timeout, "timed out"
        time.sleep(0.05)


def start(at) -> None:
    at.selectbox(key="data_sync_season").set_value(SEASON).run()
    at.button(key="data_sync_start").click().run()
    ok(at)


def downloaded(n: int) -> bool:
    p = sy.current().progress
    return p.final or (p.stage == "download" and p.done >= n)


def test_the_page_runs_a_real_sync_shows_progress_then_the_new_store_with_its_provenance(server, data, monkeypatch):
    demo = digest(data / "oa.duckdb")
    held = f"/v1/gamecenter/{GAMES[2]}/play-by-play"
    server.hold[held] = gate = threading.Event()  # the third game waits: the page looks at the sync mid-way
    try:
        at = data_page(monkeypatch, data / "oa.duckdb")
        start(at)
        wait_for(lambda: downloaded(2))
        at.run()
        ok(at)
        bars = at.get("progress")
        assert bars, text(at)
        assert f"Syncing {SEASON} into nhl-{SEASON}.duckdb: download 2/6" in bars[0].proto.text
        assert at.button(key="data_sync_start").disabled
        assert f"being written by the running sync of {SEASON}" in text(at), "the store being written is named"
    finally:
        gate.set()
    wait_for(lambda: not sy.current().running)
    job = sy.current()
    assert job.progress.ok, (job.progress, sy.log_tail(job, 20))
    at.run()
    ok(at)
    said = text(at)
    assert f"Sync of {SEASON} (started" in said and "finished: 6 new, 0 changed, 0 unchanged, 0 failed" in said
    # the new store, listed with its provenance read from it
    assert f"nhl-{SEASON}.duckdb" in said
    assert "NHL API play-by-play" in said and "(6 games)" in said, said
    assert f"{SEASON}: 6 games" in said and "2025‑10‑07 to 2025‑10‑10" in said
    assert f"`nhl sync --season {SEASON}`, finished" in "\n".join(m.value for m in at.markdown)
    assert "**No model** has rated these shots" in said  # neither store has a model: both say how to get one
    assert not at.button(key="data_sync_start").disabled
    with Store(data / f"nhl-{SEASON}.duckdb", read_only=True) as s:
        assert s.game_ids() == GAMES
        assert s.query("SELECT count(*) n FROM shot_features")["n"].iloc[0] == s.counts()["shots"] > 0
    assert server.count("play-by-play") == 6 and server.count("shiftcharts") == 6, "asked the loopback API only"
    assert (data / "cache" / "nhl").is_dir(), "the responses are cached in this data folder"
    assert digest(data / "oa.duckdb") == demo


def test_a_sync_failing_half_way_shows_why_and_leaves_the_other_stores_alone(server, data, tiny_store, monkeypatch):
    earlier = real_copy(tiny_store, data / "nhl-2024-25.duckdb")  # a store synced before, with its model
    before = {p.name: digest(p) for p in (data / "oa.duckdb", earlier)}
    broken = f"/v1/gamecenter/{GAMES[3]}/play-by-play"
    server.faults[broken] = [(503, {"Retry-After": "0"})] * 100  # the fourth game: 503 for good
    at = data_page(monkeypatch, data / "oa.duckdb")
    start(at)
    wait_for(lambda: not sy.current().running)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert len(errors) == 1, errors
    said = errors[0].replace("\\", "")
    assert f"Sync of {SEASON} (started" in said and "failed: 5 new, 0 changed, 0 unchanged, 1 failed" in said
    assert f"Game {GAMES[3]} not stored" in said and "503" in said and "Run the sync again" in said, said
    assert server.hits.count(broken) == 6, "retried, then given up; the other games went on"
    assert {p.name: digest(p) for p in (data / "oa.duckdb", earlier)} == before, "the stores there are unchanged"
    with Store(data / f"nhl-{SEASON}.duckdb", read_only=True) as s:
        assert s.game_ids() == [g for g in GAMES if g != GAMES[3]]
        assert s.query("SELECT status FROM nhl_sync WHERE game_id = ?", [GAMES[3]])["status"].tolist() == ["failed"]
    said = text(at)
    assert "nhl-2024-25.duckdb" in said and f"nhl-{SEASON}.duckdb" in said
    assert f"1 game not synced, retried by the next sync: game {GAMES[3]}" in said, "the store's card says so too"
    assert f"{SEASON}: 5 games" in said


def test_a_bad_oa_nhl_api_is_named_before_anything_starts(data, monkeypatch):
    monkeypatch.setenv("OA_NHL_API", "ftp://example.invalid/<img src=x onerror=alert(1)>")
    at = data_page(monkeypatch, data / "oa.duckdb")
    start(at)
    said = [w.value.replace("\\", "") for w in at.warning if "OA\\_NHL\\_API" in w.value]
    assert len(said) == 1 and "not an http(s) URL" in said[0] and "<img" not in said[0], [w.value for w in at.warning]
    assert sy.current() is None, "no sync started, no lock left"
    assert not at.button(key="data_sync_start").disabled
