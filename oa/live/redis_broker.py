"""Scale-out over Redis Streams: one stream per game, games shared out by a consumer group.

Layout under a key prefix P:
- `P:games`: one entry per game start; the consumer group `scorers` hands each game to
  exactly one scorer, which owns it until the game ends (then acknowledges the entry).
- `P:game:<id>`: the game's messages in order (start, frames, events, shot tags, end),
  read by its owner through the same group.

A scorer acknowledges entries only after it has handled them, and a shot is published
(idempotently, one file per shot id) while it is handled: acknowledge after the write.
A scorer restarted under the same name, or another scorer claiming the games of one that
has been silent too long, rebuilds each game's window by replaying the game's acknowledged
entries without scoring, then handles the pending ones for real. So a crash loses no shot,
and a shot scored twice is written to the same file: no duplicate.

An entry that cannot be a message (not UTF-8, not JSON, nested too deeply, too big,
a game id that is not an int64, a field of the wrong type or out of range) is a poison
message: the scorer copies it to `P:dead` with the reason, the stream and the original
entry id, acknowledges it and counts it (`Stats.dead_letters`). Acknowledged, it is never
handled again, so it cannot kill a scorer in a loop on restart.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import redis

from oa.live.messages import GameEnd, GameStart, Message, MessageError, ShotTag, decode, encode, game_id_of
from oa.live.scorer import Scorer

log = logging.getLogger("oa.live.redis")
# redis-py's stubs type every reply as a union over sync/async and bytes/str clients; this module
# uses one synchronous client with bytes replies, so its calls are checked by the tests, not by mypy
Client = Any
GROUP = "scorers"
PIPELINE = 64
DEAD_MAX = 100_000  # dead letters kept (oldest trimmed first)
DEAD_KEEP = 64 * 1024  # bytes of each original field copied into a dead letter
DEAD_FIELDS = 32  # original fields copied into a dead letter


def connect(url: str) -> Client:
    """A client for `url` (redis://host:port/db); fails fast with a clear message."""
    try:
        r = redis.Redis.from_url(url, socket_connect_timeout=3)
        r.ping()
    except (redis.RedisError, ValueError) as e:
        raise ConnectionError(f"cannot reach Redis at {url}: {e} (start one with `redis-server --port 6379`)") from e
    return r


def _ensure_group(r: Client, stream: str) -> None:
    try:
        r.xgroup_create(stream, GROUP, id="0", mkstream=True)
    except redis.ResponseError as e:
        if "BUSYGROUP" not in str(e):
            raise


class RedisFeed:
    """Publishes games into Redis: `publish` is the `play` callback of the feed."""

    def __init__(self, r: Client, prefix: str):
        self.r, self.prefix = r, prefix
        self.games_key = f"{prefix}:games"
        _ensure_group(r, self.games_key)
        self.pipe = r.pipeline(transaction=False)
        self.pending = 0

    def publish(self, batch: list[Message]) -> None:
        for m in batch:
            key = f"{self.prefix}:game:{m.game_id}"
            if isinstance(m, GameStart):
                self._flush()
                _ensure_group(self.r, key)
                self.pipe.xadd(key, encode(m))
                self.pipe.xadd(self.games_key, {"g": str(m.game_id)})
            else:
                self.pipe.xadd(key, encode(m))
            self.pending += 1
            if isinstance(m, ShotTag) or self.pending >= PIPELINE:
                self._flush()
        self._flush()

    def _flush(self) -> None:
        if self.pending:
            self.pipe.execute()
            self.pending = 0


@dataclass
class Owned:
    key: str  # the game's stream
    games_entry: str  # its entry in P:games, acknowledged when the game ends
    since: float = 0.0  # when this scorer took it


class RedisScorer:
    """Runs a `Scorer` as one consumer of the group; `run` until `stop()` says so."""

    def __init__(
        self,
        r: Client,
        prefix: str,
        scorer: Scorer,
        name: str,
        claim_idle_ms: int = 30_000,
        on_shot: Callable[[dict], None] | None = None,
    ):
        self.r, self.prefix, self.scorer, self.name = r, prefix, scorer, name
        self.games_key = f"{prefix}:games"
        self.dead_key = f"{prefix}:dead"
        self.claim_idle_ms = claim_idle_ms
        self.on_shot = on_shot
        self.owned: dict[int, Owned] = {}
        self.stopping = False
        _ensure_group(r, self.games_key)

    # -- ownership -----------------------------------------------------------------------
    def _take(self, entries: list) -> None:
        for entry_id, fields in entries:
            if not fields:  # deleted meanwhile
                self.r.xack(self.games_key, GROUP, entry_id)
                continue
            try:
                gid = game_id_of(fields.get(b"g", fields.get("g")))
            except MessageError as e:
                self._dead(self.games_key, entry_id, fields, f"game announcement: {e}")
                continue
            if gid in self.owned:  # announced twice: the first entry stands for the game
                self.r.xack(self.games_key, GROUP, entry_id)
                continue
            eid = entry_id.decode() if isinstance(entry_id, bytes) else entry_id
            self.owned[gid] = Owned(f"{self.prefix}:game:{gid}", eid, time.time())
            try:
                _ensure_group(self.r, self.owned[gid].key)  # a game announced without a stream: empty one
                self._recover(gid)
            except redis.ResponseError as e:  # e.g. the key holds something else than a stream
                self.owned.pop(gid, None)
                self._dead(self.games_key, entry_id, fields, f"game {gid}: its stream cannot be read ({e})")

    def _dead(self, stream: str, entry_id: bytes | str, fields: dict, reason: str) -> None:
        """Copy a poison entry to the dead-letter stream with why and where it was, then acknowledge it."""
        eid = entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)
        letter: dict = {
            "stream": stream,
            "id": eid,
            "reason": reason[:1000],
            "scorer": self.name,
            "at": f"{time.time():.3f}",
        }
        for k, v in list(fields.items())[:DEAD_FIELDS]:
            key = k if isinstance(k, bytes) else str(k).encode()
            letter[b"f:" + key[:256]] = (v if isinstance(v, bytes) else str(v).encode())[:DEAD_KEEP]
        self.r.xadd(self.dead_key, letter, maxlen=DEAD_MAX, approximate=True)
        self.r.xack(stream, GROUP, entry_id)
        self.scorer.stats.dead_letters += 1
        log.warning("%s: entry %s of %s moved to %s: %s", self.name, eid, stream, self.dead_key, reason[:300])

    def _recover(self, gid: int) -> None:
        """Rebuild the game's window from its acknowledged entries, then handle its pending ones."""
        key = self.owned[gid].key
        pend = self.r.xpending(key, GROUP)
        groups = {g["name"].decode(): g for g in self.r.xinfo_groups(key)}
        last = groups[GROUP]["last-delivered-id"].decode() if GROUP in groups else "0-0"
        first_pending = pend["min"].decode() if pend and pend.get("pending") else None
        if last == "0-0":
            return  # nothing delivered yet: the normal read starts at the beginning
        n_replayed = self._replay(key, "-", ("(" + first_pending) if first_pending else last, replay=True)
        n_redone = self._replay(key, first_pending, last, replay=False) if first_pending else 0
        log.info("%s: recovered game %s (%d entries replayed, %d handled again)", self.name, gid, n_replayed, n_redone)

    def _replay(self, key: str, start: str, end: str, replay: bool) -> int:
        """Handle the entries start..end of a game stream (state only if `replay`; else for real, then ack)."""
        n = 0
        while True:
            rows = self.r.xrange(key, start, end, count=2000)
            for entry_id, fields in rows:
                self._handle(key, entry_id, fields, replay=replay)
            if rows and not replay:
                self.r.xack(key, GROUP, *[i for i, _ in rows])
            n += len(rows)
            if len(rows) < 2000:
                return n
            start = "(" + rows[-1][0].decode()

    def _heartbeat(self) -> None:
        """Reset the idle time of this scorer's game entries, so nobody claims a game that is alive."""
        ids = [o.games_entry for o in self.owned.values()]
        if ids:
            self.r.xclaim(self.games_key, GROUP, self.name, 0, ids, justid=True)

    def _claim(self) -> None:
        """Take over games whose scorer has gone silent (their entries idle past the limit)."""
        try:
            res = self.r.xautoclaim(self.games_key, GROUP, self.name, self.claim_idle_ms, "0-0", count=16)
        except redis.ResponseError:
            return
        claimed = res[1] if len(res) > 1 else []
        if claimed:
            log.warning("%s: claimed %d game(s) from a silent scorer", self.name, len(claimed))
            self._take(claimed)

    # -- messages --------------------------------------------------------------------------
    def _handle(self, key: str, entry_id: bytes, fields: dict, replay: bool = False) -> None:
        """Decode and apply one entry of a game stream; a poison entry goes to the dead letters.

        On `replay` (rebuilding a window from acknowledged entries) a poison entry was dead-lettered
        in an earlier life: it is skipped, not counted again.
        """
        try:
            m = decode(fields)
            row = self.scorer.apply(m, replay=replay)
        except MessageError as e:
            if not replay:
                self.scorer.stats.malformed += 1
                self._dead(key, entry_id, fields, str(e))
            return
        except Exception as e:  # noqa: BLE001 - an entry that trips a fault must not stop the scorer
            if not replay:
                self.scorer.stats.errors += 1
                log.exception("%s: entry %s of %s could not be handled", self.name, entry_id, key)
                self._dead(key, entry_id, fields, f"fault: {type(e).__name__}: {e}")
            return
        if row is not None and self.on_shot is not None:
            self.on_shot(row)
        if isinstance(m, GameEnd):
            own = self.owned.pop(int(m.game_id), None)
            if own is not None:
                self.r.xack(self.games_key, GROUP, own.games_entry)

    def step(self, block_ms: int = 100, count: int = 500) -> int:
        """Take new games, read and handle a batch from the owned games; returns entries handled."""
        new = self.r.xreadgroup(GROUP, self.name, {self.games_key: ">"}, count=1)  # one at a time: spread games
        for _, entries in new or []:
            self._take(entries)
        if not self.owned:
            time.sleep(block_ms / 1000)
            return 0
        streams = {o.key: ">" for o in self.owned.values()}
        got = self.r.xreadgroup(GROUP, self.name, streams, count=count, block=block_ms)
        n = 0
        for key, entries in got or []:
            ids = []
            for entry_id, fields in entries:
                self._handle(key.decode() if isinstance(key, bytes) else key, entry_id, fields)
                ids.append(entry_id)
            if ids:
                self.r.xack(key, GROUP, *ids)  # after the handling (and any shot's write)
            n += len(ids)
        return n

    def run(self, until: Callable[[], bool] | None = None, claim_every_s: float = 5.0) -> None:
        """Recover this consumer's games, then consume until `until()` is true or `stop()`."""
        mine = self.r.xreadgroup(GROUP, self.name, {self.games_key: "0"}, count=10_000)
        for _, entries in mine or []:
            self._take(entries)
        claim_every_s = min(claim_every_s, self.claim_idle_ms / 3000)  # heartbeats well inside the claim limit
        last_claim = last_stale = time.time()
        while not self.stopping and not (until and until()):
            self.step()
            now = time.time()
            if now - last_claim > claim_every_s:
                self._heartbeat()
                self._claim()
                last_claim = now
            if now - last_stale > 1.0:
                self._release_stale(now)
                last_stale = now

    def _release_stale(self, now: float) -> None:
        """Let go of games that went quiet, and of announced games that never started."""
        gone = self.scorer.check_stalled(now)
        never = [
            gid
            for gid, o in self.owned.items()
            if gid not in self.scorer.games and now - o.since > self.scorer.stale_after_s
        ]
        for gid in never:
            self.scorer.stats.unknown_game += 1
            log.warning("%s: game %s was announced but never started; released", self.name, gid)
        for gid in gone + never:
            own = self.owned.pop(gid, None)
            if own is not None:
                self.r.xack(self.games_key, GROUP, own.games_entry)

    def stop(self) -> None:
        self.stopping = True


def drained(r: redis.Redis, prefix: str, n_games: int) -> bool:
    """True when `n_games` games were handed out and every one has ended (its entry acknowledged)."""
    try:
        info = {g["name"].decode(): g for g in r.xinfo_groups(f"{prefix}:games")}
    except redis.ResponseError:
        return False
    g = info.get(GROUP)
    if g is None:
        return False
    delivered = r.xlen(f"{prefix}:games")
    return delivered >= n_games and g["pending"] == 0 and g.get("entries-read", delivered) >= n_games


def clear(r: redis.Redis, prefix: str) -> int:
    """Delete every stream under `prefix`; returns how many keys went."""
    keys = list(r.scan_iter(f"{prefix}:*", count=1000))
    return r.delete(*keys) if keys else 0
