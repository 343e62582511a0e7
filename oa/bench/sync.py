"""`python -m oa bench sync`: `oa nhl sync` of a season, then again on the up-to-date store: seconds and requests by kind.

The loopback NHL API (`oa.bench.nhl_feed_server.NhlServer`, real HTTP on 127.0.0.1) serves
the real NHL files in ../shared (2023020204 with its shift charts, 2024021015 without)
re-dated into a 2025-26 schedule of six finished games over four days and one not yet
played (rosters synthetic), the tests' schedule; `--games N` serves N official games instead,
seven a day. Each run is the real command in its own process, timed from
start to exit (Python start-up and imports included, as a user waits for it): a first sync
into an empty store with an empty cache, then a second sync of the same season on the
up-to-date store, `runs` times (fresh folders each time; medians reported, each run's
figures beside them, with the machine's load when each started). Requests are counted by
kind (schedule, play-by-play, shiftcharts, roster) from the sync's own report, and checked
against the requests the server saw. The stores have no model, so the sync stores, builds
factors and does not score. Target (issue 14): a second run on an up-to-date store makes no
play-by-play request and finishes in under 10 s.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from oa.bench.nhl_feed_server import PLAN, SYNC_FILES, NhlServer, season_plan
from oa.settings import ROOT, shared_root

Progress = Callable[[str, int, int], None]
SEASON = "2025-26"  # the loopback server's season
TARGET_SECOND_S = 10.0  # issue 14: a second run on an up-to-date store, at most this, with no play-by-play request
KINDS = ("schedule", "play-by-play", "shiftcharts", "roster")


def shared_files() -> Path:
    """The folder holding the real NHL files the server serves; FileNotFoundError naming what is missing."""
    shared = shared_root() / "data"
    missing = [f for files in SYNC_FILES.values() for f in files.values() if not (shared / f).exists()]
    if missing:
        raise FileNotFoundError(f"the NHL api-web files are not in {shared}: {', '.join(missing)}")
    return shared


def one_sync(server: NhlServer, folder: Path, rate: float) -> dict:
    """`python -m oa nhl sync` of the server's season into `folder`, in its own process: its figures."""
    load = os.getloadavg()[0]
    before = len(server.hits)
    cmd = [sys.executable, "-m", "oa", "nhl", "sync", "--season", SEASON, "--db", str(folder / "nhl.duckdb")]
    cmd += ["--cache", str(folder / "cache"), "--base-url", server.url, "--rate", str(rate), "--json"]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    wall = time.perf_counter() - t0
    lines = done.stdout.strip().splitlines()
    try:
        rep = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        said = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise RuntimeError(f"nhl sync exited {done.returncode} without a report: {' / '.join(said)}") from None
    if done.returncode != 0:
        raise RuntimeError(f"nhl sync exited {done.returncode}: {rep.get('failures') or rep.get('note')}")
    by_kind = {k: int(rep["requests_by_kind"].get(k, 0)) for k in KINDS}
    by_kind.update({k: int(v) for k, v in rep["requests_by_kind"].items() if k not in KINDS})
    seen = len(server.hits) - before
    if seen != rep["requests"]:
        raise RuntimeError(f"the sync counted {rep['requests']} requests, the server saw {seen}")
    return {
        "wall_s": round(wall, 2),
        "sync_s": rep["seconds"],  # the sync itself, without start-up
        "load_1min": round(load, 2),
        "requests": rep["requests"],
        "requests_by_kind": by_kind,
        "cache_hits": rep["cache_hits"],
        "new": rep["new"],
        "changed": rep["changed"],
        "unchanged": rep["unchanged"],
        "failed": rep["failed"],
    }


def run(runs: int = 3, rate: float = 2.0, games: int | None = None, progress: Progress | None = None) -> dict:
    """`runs` times: a first sync into an empty folder, then a second on the up-to-date store.

    `games`: a schedule of that many official games (seven a day) instead of the tests' six."""
    shared = shared_files()
    plan = season_plan(games) if games else PLAN
    first, second = [], []
    with NhlServer(shared, plan) as server, tempfile.TemporaryDirectory(prefix="oa-bench-sync-") as tmp:
        for i in range(runs):
            folder = Path(tmp) / f"run{i + 1}"
            folder.mkdir()
            if progress:
                progress("syncs", 2 * i, 2 * runs)
            first.append(one_sync(server, folder, rate))
            if progress:
                progress("syncs", 2 * i + 1, 2 * runs)
            second.append(one_sync(server, folder, rate))
        if progress:
            progress("syncs", 2 * runs, 2 * runs)
    med = lambda rows, k: round(statistics.median(r[k] for r in rows), 2)  # noqa: E731
    second_pbp = max(r["requests_by_kind"]["play-by-play"] for r in second)
    second_s = med(second, "wall_s")
    return {
        "season": SEASON,
        "games": first[0]["new"],  # the finished games of the schedule (the tests' has one more, not played)
        "rate_per_s": rate,
        "runs": runs,
        "first_median_s": med(first, "wall_s"),
        "first_sync_median_s": med(first, "sync_s"),
        "second_median_s": second_s,
        "second_sync_median_s": med(second, "sync_s"),
        "second_play_by_play_requests": second_pbp,
        "target_second_s": TARGET_SECOND_S,
        "target_met": second_pbp == 0 and second_s < TARGET_SECOND_S,
        "first": first,
        "second": second,
    }
