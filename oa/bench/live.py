"""`python -m oa bench live`: records per second and release-to-rating latency, 16 games at once.

In-process: the feed thread paced at `rate` records/s (the sustained figure), then once
more as fast as the scorer takes it (the capacity). With `--broker redis://...`: this
process feeds Redis Streams and `scorers` scorer processes share the games.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from oa.live.feed import pick_games
from oa.live.run import local_scorer, run_local, run_redis_feed
from oa.live.scorer import latency_summary
from oa.rink import PERIOD_S


def ensure_store(db: Path, games: int = 60, progress=None) -> Path:
    """The benchmark store: a simulated league with trained models (built once)."""
    from oa.store import Store

    if db.exists():
        with Store(db, read_only=True) as st:
            if len(st.query("SELECT 1 FROM models WHERE active")):
                return db
    from oa.pipeline import run_demo

    run_demo(db, n_games=games, seed=0, progress=progress)
    return db


def local(db: Path, games: int, rate: float, until_s: float | None) -> dict:
    ids = pick_games(db, games)
    out = {}
    for label, r in (("sustained", rate), ("capacity", 0.0)):
        with tempfile.TemporaryDirectory() as d:
            res = run_local(db, ids, local_scorer(db, d), rate=r, until_s=until_s)
        out[label] = {
            k: res[k]
            for k in (
                "games",
                "rate",
                "seconds",
                "records",
                "records_per_s",
                "shots",
                "malformed",
                "out_of_order",
                "unknown_game",
                "errors",
                "latency_ms_p50",
                "latency_ms_p99",
                "latency_ms_max",
            )
        }
    return out


def redis(
    db: Path, games: int, url: str, rate: float, until_s: float | None, scorers: int = 2, timeout_s: float = 600
) -> dict:
    """Feed Redis from this process while `scorers` scorer processes share the games."""
    from oa.live.redis_broker import clear, connect, drained

    r = connect(url)
    ids = pick_games(db, games)
    prefix = f"oa-bench-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as d:
        procs = []
        for i in range(scorers):
            cmd = [
                sys.executable,
                "-m",
                "oa",
                "live",
                "--role",
                "scorer",
                "--broker",
                url,
                "--prefix",
                prefix,
                "--name",
                f"s{i + 1}",
                "--db",
                str(db),
                "--out",
                d,
                "--quiet",
            ]
            procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        try:
            deadline = time.time() + 120
            while len(list((Path(d) / "ready").glob("*"))) < scorers:
                if time.time() > deadline or any(p.poll() is not None for p in procs):
                    raise RuntimeError(
                        "the scorer processes did not start; try `python -m oa live --role scorer` by hand"
                    )
                time.sleep(0.1)
            fs = run_redis_feed(db, ids, url, prefix, rate=rate, until_s=until_s)
            while not drained(r, prefix, len(ids)):
                if time.time() > fs.finished + timeout_s:
                    raise RuntimeError(f"scorers did not finish within {timeout_s:.0f} s of the feed")
                time.sleep(0.01)
            t_end = time.time()
        finally:
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            for p in procs:
                try:
                    p.wait(30)
                except subprocess.TimeoutExpired:
                    p.kill()
            clear(r, prefix)
        stats = [json.loads(f.read_text()) for f in sorted((Path(d) / "stats").glob("*.json"))]
    lat = [v for s in stats for v in s["latency_ms"]]
    took = max(t_end - fs.started, 1e-9)
    return {
        "games": len(ids),
        "scorers": scorers,
        "rate": rate or None,
        "seconds": round(took, 2),
        "records": fs.records,
        "records_per_s": round(fs.records / took),
        "shots": fs.shots,
        "shots_rated": sum(s["shots"] for s in stats),
        "per_scorer_shots": {s["name"]: s["shots"] for s in stats},
        **latency_summary(lat),
    }


def run(
    db: Path,
    games: int = 16,
    rate: float = 60_000,
    until_s: float | None = PERIOD_S,
    broker: str | None = None,
    redis_rate: float = 30_000,
    scorers: int = 2,
    progress=None,
) -> dict:
    ensure_store(db, progress=progress)
    out = {
        "store": str(db),
        "cores": os.cpu_count(),
        "game_seconds": until_s,
        "in_process": local(db, games, rate, until_s),
    }
    if broker:
        out["redis"] = {
            "sustained": redis(db, games, broker, redis_rate, until_s, scorers),
            "capacity": redis(db, games, broker, 0.0, until_s, scorers),
        }
    return out
