"""Scale-out over a real Redis: two scorer processes share the games; one is killed and restarted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from oa.live.feed import feed, pick_games
from oa.live.messages import ShotTag
from oa.live.publish import read_live
from oa.live.redis_broker import clear, connect, drained
from oa.live.run import run_redis_feed
from oa.store import Store

ROOT = Path(__file__).resolve().parents[2]
UNTIL_S = 900.0


def _scorer(url: str, prefix: str, name: str, db: Path, out: Path, *extra: str) -> subprocess.Popen:
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
        name,
        "--db",
        str(db),
        "--out",
        str(out),
        "--quiet",
        *extra,
    ]
    return subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )


def _stop(procs: dict[str, subprocess.Popen]) -> None:
    """SIGTERM every scorer still running (they write their figures on the way out)."""
    for p in procs.values():
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in procs.values():
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            p.kill()


def _wait(cond, timeout: float, what: str) -> None:
    deadline = time.time() + timeout
    while not cond():
        if time.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_kill_and_restart_loses_nothing_and_duplicates_nothing(redis_url, model_store, tmp_path):
    r = connect(redis_url)
    games = pick_games(model_store, 4)
    expected = {int(m.shot["shot_id"]) for _, m in feed(model_store, games, UNTIL_S) if isinstance(m, ShotTag)}
    assert len(expected) > 40
    prefix = f"oa-test-{uuid.uuid4().hex[:8]}"
    out = tmp_path / "live"
    procs = {n: _scorer(redis_url, prefix, n, model_store, out) for n in ("s1", "s2")}
    try:
        _wait(lambda: len(list((out / "ready").glob("*"))) == 2, 60, "both scorers to start")
        fed = {}
        t = threading.Thread(
            target=lambda: fed.update(
                stats=run_redis_feed(model_store, games, redis_url, prefix, rate=25_000, until_s=UNTIL_S)
            )
        )
        t.start()
        # a malformed entry in a game's stream: dead-lettered (once, even across the kill), the game goes on
        _wait(lambda: r.exists(f"{prefix}:game:{games[0]}"), 30, "the first game's stream")
        bad_id = r.xadd(f"{prefix}:game:{games[0]}", {"k": "frames", "g": str(games[0]), "b": "{not json"})

        _wait(lambda: len(read_live(out)) >= 3, 60, "some shots to be published")
        victim = str(read_live(out)["scorer"].iloc[0])  # the scorer that published the latest shot
        assert t.is_alive(), "the feed finished before the kill: slow it down"
        procs[victim].send_signal(signal.SIGKILL)  # mid-stream, no goodbye
        procs[victim].wait(10)
        killed_at = len(read_live(out))
        assert killed_at < len(expected)
        procs[victim] = _scorer(redis_url, prefix, victim, model_store, out)  # same name: takes its games back
        t.join(120)
        _wait(lambda: drained(r, prefix, len(games)), 120, "every game to end")
        dead = r.xrange(f"{prefix}:dead")
    finally:
        _stop(procs)
        clear(r, prefix)

    assert {d[b"id"] for _, d in dead} == {bad_id}, dead  # the poison entry, and only it, dead-lettered
    pub = read_live(out)
    assert set(pub["shot_id"]) == expected  # nothing lost
    rows = sum(pq.read_metadata(f).num_rows for f in (out / "games").glob("*.parquet"))
    leftovers = list((out / "shots").glob("*/*.parquet"))
    assert rows == len(expected) and not leftovers  # nothing duplicated
    with Store(model_store, read_only=True) as st:
        batch = st.query("SELECT shot_id, p_goal FROM shot_scores").set_index("shot_id")["p_goal"]
    assert np.allclose(pub.set_index("shot_id")["p_goal"], batch.loc[pub["shot_id"]].to_numpy(), atol=1e-12)
    stats = {f.stem: json.loads(f.read_text()) for f in (out / "stats").glob("*.json")}
    assert set(stats) == {"s1", "s2"}
    # the restarted scorer rated what its first life had not acknowledged (re-rating is harmless: same file)
    assert sum(s["shots"] for s in stats.values()) + killed_at >= len(expected)


def test_a_dead_scorers_games_are_claimed_and_an_unknown_game_is_let_go(redis_url, model_store, tmp_path):
    r = connect(redis_url)
    games = pick_games(model_store, 3)
    expected = {int(m.shot["shot_id"]) for _, m in feed(model_store, games, 600.0) if isinstance(m, ShotTag)}
    prefix = f"oa-test-{uuid.uuid4().hex[:8]}"
    out = tmp_path / "live"
    quick = ("--claim-after", "2", "--stale-after", "3")
    procs = {n: _scorer(redis_url, prefix, n, model_store, out, *quick) for n in ("s1", "s2")}
    try:
        _wait(lambda: len(list((out / "ready").glob("*"))) == 2, 60, "both scorers to start")
        r.xadd(f"{prefix}:games", {"g": "424242"})  # announced, never started
        t = threading.Thread(
            target=run_redis_feed,
            args=(model_store, games, redis_url, prefix),
            kwargs={"rate": 25_000, "until_s": 600.0},
        )
        t.start()
        _wait(lambda: len(read_live(out)) >= 3, 60, "some shots to be published")
        victim = str(read_live(out)["scorer"].iloc[0])  # the scorer that published the latest shot
        survivor = "s2" if victim == "s1" else "s1"
        assert t.is_alive(), "the feed finished before the kill: slow it down"
        procs[victim].send_signal(signal.SIGKILL)  # and it never comes back
        t.join(120)
        _wait(lambda: drained(r, prefix, len(games) + 1), 120, "the survivor to finish every game")
    finally:
        _stop(procs)
        clear(r, prefix)
    assert set(read_live(out)["shot_id"]) == expected
    st = json.loads((out / "stats" / f"{survivor}.json").read_text())
    assert st["unknown_game"] >= 1 and st["errors"] == 0
    assert not (out / "stats" / f"{victim}.json").exists()
