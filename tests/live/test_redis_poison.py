"""Poison entries on a real Redis: a scorer process meets each kind beside one valid game.

Before dead letters, the first of them killed the scorer, and since the entry stayed pending
it killed it again on every restart: the valid game got none of its shots rated.
"""

from __future__ import annotations

import json
import time
import uuid

import numpy as np

from oa.live.feed import feed, pick_games
from oa.live.messages import Event, ShotTag, encode
from oa.live.publish import read_live
from oa.live.redis_broker import GROUP, RedisFeed, clear, connect, drained
from oa.store import Store
from tests.live.test_redis import _scorer, _stop, _wait

UNTIL_S = 600.0


def poison_for_game(gid: int, msgs: list) -> list[dict]:
    """One entry per kind of poison, for the valid game's own stream."""
    g = str(gid)
    start = json.loads(encode(msgs[0])["b"])
    shot = json.loads(encode(next(m for m in msgs if isinstance(m, ShotTag)))["b"])
    event = json.loads(encode(next(m for m in msgs if isinstance(m, Event)))["b"])
    return [
        {"k": "event", "g": g, "b": b'{\xff\xfe"x": 1}'},  # not UTF-8
        {"k": "start", "g": g, "b": json.dumps({**start, "game": {**start["game"], "fps": float("inf")}})},
        {"k": "start", "g": g, "b": json.dumps({**start, "game": {**start["game"], "fps": float("nan")}})},
        {"k": "shot", "g": g, "b": json.dumps({**shot, "shot": {**shot["shot"], "shot_id": 1e30}})},
        {"k": "frames", "g": g, "b": json.dumps({"f": 1, "e": [1e30], "t": [None], "x": [0.0], "y": [0.0]})},
        {"k": "end", "g": "1e30"},
        {"k": "end", "g": str(10**30)},
        {"k": "end", "g": "abc"},
        {"k": "end"},  # no game id
        {"k": "event", "g": g, "b": "[" * 100_000 + "]" * 100_000},  # deep nesting
        {"k": "event", "g": g, "b": "x" * (2 * 1024 * 1024)},  # huge body
        {"k": "event", "g": g, "b": json.dumps({**event, "x": "abc"})},  # wrong types
        {"k": "frames", "g": g, "b": json.dumps({"f": "ten", "e": "abc", "t": 1, "x": {}, "y": None})},
        {"k": "start", "g": g, "b": json.dumps({"game": [], "roster": "none"})},
        {"k": "shot", "g": g, "b": "[1, 2]"},
        {"g": g, "b": "{}"},  # no kind
    ]


POISON_GAMES = [
    {"g": "abc"},
    {"x": "no game id"},
    {"g": b"\xff\xfe"},
    {"g": "1e30"},
    {"g": str(10**30)},
    {"g": ""},
    {"g": "[" * 100_000},
]


def _dead_letters(r, key: str) -> dict[tuple[str, str], dict]:
    return {(f[b"stream"].decode(), f[b"id"].decode()): f for _, f in r.xrange(key)}


def test_poison_is_dead_lettered_acknowledged_counted_and_never_replayed(redis_url, model_store, tmp_path):
    r = connect(redis_url)
    gid = pick_games(model_store, 1)[0]
    msgs = [m for _, m in feed(model_store, [gid], UNTIL_S)]
    expected = {int(m.shot["shot_id"]) for m in msgs if isinstance(m, ShotTag)}
    prefix = f"oa-test-{uuid.uuid4().hex[:8]}"
    games_key, game_key, dead_key = f"{prefix}:games", f"{prefix}:game:{gid}", f"{prefix}:dead"
    out = tmp_path / "live"
    procs = {}
    try:
        poison = {r.xadd(games_key, f).decode(): games_key for f in POISON_GAMES}
        fd = RedisFeed(r, prefix)
        third = len(msgs) // 3
        fd.publish(msgs[:third])
        poison.update({r.xadd(game_key, f).decode(): game_key for f in poison_for_game(gid, msgs)})
        fd.publish(msgs[third:])
        # the crash of the report: s1 had read the poison and the game's first entries, acknowledged nothing
        r.xreadgroup(GROUP, "s1", {games_key: ">"}, count=len(POISON_GAMES) + 1)
        r.xreadgroup(GROUP, "s1", {game_key: ">"}, count=third + 40)
        assert r.xpending(games_key, GROUP)["pending"] == len(POISON_GAMES) + 1

        procs["s1"] = _scorer(redis_url, prefix, "s1", model_store, out)
        n = r.xlen(games_key)

        def done() -> bool:
            assert procs["s1"].poll() is None, procs["s1"].stderr.read().decode()[-3000:]
            return drained(r, prefix, n) and r.xpending(game_key, GROUP)["pending"] == 0

        _wait(done, 180, "the valid game to be drained")
        _stop(procs)
        first = json.loads((out / "stats" / "s1.json").read_text())
        letters = _dead_letters(r, dead_key)

        # restarted: nothing pending, nothing handled again, nothing dead-lettered again
        (out / "ready" / "s1").unlink()
        (out / "stats" / "s1.json").unlink()
        procs["s1"] = _scorer(redis_url, prefix, "s1", model_store, out)
        _wait(lambda: (out / "ready" / "s1").exists() and procs["s1"].poll() is None, 60, "the restart")
        time.sleep(2.0)
        assert procs["s1"].poll() is None, procs["s1"].stderr.read().decode()[-3000:]
        _stop(procs)
        second = json.loads((out / "stats" / "s1.json").read_text())
        assert r.xlen(dead_key) == len(letters)
    finally:
        _stop(procs)
        clear(r, prefix)

    assert set(letters) == {(key, eid) for eid, key in poison.items()}  # each one, with its stream and id
    assert all(f[b"reason"] and f[b"scorer"] == b"s1" for f in letters.values())
    assert first["dead_letters"] == len(poison) and first["errors"] == 0 and first["games_ended"] == 1
    assert second["dead_letters"] == second["messages"] == 0
    pub = read_live(out)
    assert set(pub["shot_id"]) == expected and first["shots"] == len(expected)  # every valid shot rated
    with Store(model_store, read_only=True) as st:
        batch = st.query("SELECT shot_id, p_goal, tier FROM shot_scores").set_index("shot_id")
    pub = pub.set_index("shot_id")
    assert np.allclose(pub["p_goal"], batch.loc[pub.index, "p_goal"], rtol=0, atol=1e-12)
    assert (pub["tier"] == batch.loc[pub.index, "tier"]).all()
