"""The live feed: stored games replayed as an arena would send them, many games interleaved.

Each game becomes a time-ordered stream: a start message (the game row and rosters),
then per tracked frame one `Frames` message with every entity's position, the
play-by-play events at their times, and for each shot a `ShotTag` right after its
release frame, followed by the shot's own event (with its outcome). All games start
together and are merged by game clock; `pace` plays them at real time times `speed`.

The demo league tracks only the sequences that lead to shots, so a game can have
nothing to send for minutes of game clock. While paced, the feed then sends the game's
`Clock` every `heartbeat_s` of wall time: a game ends at its end message, and a scorer
closes a game as stalled only when even its clock stops.

After each event the feed also sends the game's scoreboard (`GameState`: score, period, the
clock counting down, intermissions, final), as the NHL's feed does, so a demo game shows the
same score bug on the Live page and its studio view as a real one.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from oa.live.messages import (
    EVENT_FIELDS,
    SHOT_FIELDS,
    Clock,
    Event,
    Frames,
    GameEnd,
    GameStart,
    GameState,
    Message,
    ShotTag,
)
from oa.rink import PERIOD_S, REGULAR_SEASON_OT_S
from oa.store import Store, StoreError

# order of messages that share a frame: other events, the frame's records, then each shot's tag
# followed at once by its own event (two shots in one frame: tag, event, tag, event, by event_idx)
EVENT, FRAME, SHOT = 0, 1, 2
HEARTBEAT_S = 1.0  # wall seconds a paced game may go without any message before the feed sends its clock


def heartbeat_for(stale_after_s: float) -> float:
    """The clock interval for scorers that close a game after `stale_after_s` of silence: well inside it."""
    return max(min(HEARTBEAT_S, stale_after_s / 4), 0.01)


def _records(df: pd.DataFrame) -> list[dict]:
    return [
        {k: (None if (isinstance(v, float) and v != v) or v is pd.NA else v) for k, v in r.items()}
        for r in df.astype(object).to_dict("records")
    ]


SCOREBOARD_FIELDS = ("period_seconds", "home_score", "away_score")  # read with each event for its GameState
PERIOD_OVER = ("PERIOD_END", "GAME_END")


def _int_or_none(v: object) -> int | None:
    try:
        return None if v is None else int(v)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def scoreboard_after(game: dict, event: dict, board: dict) -> dict:
    """The scoreboard right after `event` (its type, period) given its `SCOREBOARD_FIELDS` values in
    `board`: score after the event, the clock counting down ("MM:SS"), intermission after a period's end."""
    period = int(event["period"])
    regular_ot = str(game.get("game_type") or "R") != "P"
    length = PERIOD_S if period <= 3 or not regular_ot else REGULAR_SEASON_OT_S
    left = max(0.0, length - float(board.get("period_seconds") or 0.0))
    typ = str(event.get("type") or "")
    m, s = divmod(int(round(left)), 60)
    return {
        "game_state": "FINAL" if typ == "GAME_END" else "LIVE",
        "home_team": str(game["home_team"]),
        "away_team": str(game["away_team"]),
        "home_score": _int_or_none(board.get("home_score")),
        "away_score": _int_or_none(board.get("away_score")),
        "period": period,
        "period_type": "REG" if period <= 3 else "OT",
        "clock": f"{m:02d}:{s:02d}",
        "in_intermission": typ == "PERIOD_END",
        "running": typ not in PERIOD_OVER,
    }


def game_stream(store: Store, game_id: int, until_s: float | None = None) -> Iterator[tuple[float, Message]]:
    """(game seconds, message) for one stored game, in the order the arena would send them.

    `until_s` ends the game early (after that much game clock), for short benchmarks.
    """
    q = store.query
    game = q("SELECT * FROM games WHERE game_id = ?", [game_id])
    if game.empty:
        raise StoreError(f"store {store.path} has no game {game_id}")
    g = _records(game)[0]
    fps = float(g["fps"] or 30.0)
    g["fps"] = fps
    roster = q(
        "SELECT player_id, team, position, shoots, height_in FROM players WHERE team IN (?, ?) "
        "OR player_id IN (SELECT shooter_id FROM shots WHERE game_id = ?) "
        "OR player_id IN (SELECT goalie_id FROM shots WHERE game_id = ?)",
        [g["home_team"], g["away_team"], game_id, game_id],
    )
    shots = q(f"SELECT {', '.join(SHOT_FIELDS)} FROM shots WHERE game_id = ? ORDER BY event_idx", [game_id])
    events = q(
        f"SELECT {', '.join(EVENT_FIELDS)}, player_id, {', '.join(SCOREBOARD_FIELDS)} FROM events "
        "WHERE game_id = ? ORDER BY event_idx",
        [game_id],
    )
    items: list[tuple[int, int, int, int, Message]] = []
    shot_events = {}
    for s in _records(shots):
        s["game_id"] = game_id
        r = s["release_frame"]
        frame = int(r) if r is not None else int(round(float(s["game_seconds"]) * fps))
        items.append((frame, SHOT, int(s["event_idx"]), 0, ShotTag(game_id, s)))
        shot_events[int(s["event_idx"])] = frame
    for e in _records(events):
        board = {k: e.pop(k) for k in SCOREBOARD_FIELDS}
        idx = int(e["event_idx"])
        state = GameState(game_id, scoreboard_after(g, e, board))
        if idx in shot_events:
            items.append((shot_events[idx], SHOT, idx, 1, Event(game_id, e)))
            items.append((shot_events[idx], SHOT, idx, 2, state))
        else:
            frame = int(round(float(e["game_seconds"]) * fps))
            items.append((frame, EVENT, idx, 0, Event(game_id, e)))
            items.append((frame, EVENT, idx, 1, state))
    if g["has_tracking"]:
        fr = (
            store.con.cursor()
            .execute(
                "SELECT frame_idx, entity_id, team, x::DOUBLE AS x, y::DOUBLE AS y FROM frames WHERE game_id = ? "
                "ORDER BY frame_idx, entity_id",
                [game_id],
            )
            .fetchnumpy()
        )
        f = np.asarray(fr["frame_idx"])
        if len(f):
            cuts = np.flatnonzero(np.diff(f)) + 1
            starts, ends = np.r_[0, cuts], np.r_[cuts, len(f)]
            ent, team = np.asarray(fr["entity_id"], dtype=np.int64), np.asarray(fr["team"], dtype=object)
            x, y = np.asarray(fr["x"], dtype=float), np.asarray(fr["y"], dtype=float)
            for a, b in zip(starts.tolist(), ends.tolist()):
                items.append((int(f[a]), FRAME, 0, 0, Frames(game_id, int(f[a]), ent[a:b], team[a:b], x[a:b], y[a:b])))
    items.sort(key=lambda t: t[:4])
    yield 0.0, GameStart(game_id, g, _records(roster))
    last = 0.0
    for frame, _, _, _, m in items:
        if until_s is not None and frame / fps > until_s:
            break
        last = frame / fps
        yield last, m
    yield last, GameEnd(game_id)


def feed(
    store_path: str | Path, game_ids: Iterable[int], until_s: float | None = None
) -> Iterator[tuple[float, Message]]:
    """All the games' streams merged by game clock (each game starting at 0)."""
    with Store(store_path, read_only=True) as store:
        streams = [list(game_stream(store, int(g), until_s)) for g in game_ids]
    return heapq.merge(*streams, key=lambda t: t[0])


def pick_games(store_path: str | Path, n: int, tracked: bool = True) -> list[int]:
    """The first `n` games of a store (tracked ones first), for the live demo and benchmark."""
    with Store(store_path, read_only=True) as store:
        ids = store.query("SELECT game_id FROM games ORDER BY has_tracking DESC, game_id LIMIT ?", [n])["game_id"]
    if len(ids) == 0:
        raise StoreError(f"store {store_path} has no games; build one with `python -m oa demo`")
    return [int(g) for g in ids]


class Heartbeats:
    """When each open game last sent something (wall seconds since the feed started), to send its clock."""

    def __init__(self, every_s: float):
        self.every_s = every_s
        self.last: dict[int, float] = {}
        self.next_due = float("inf")

    def sent(self, m: Message, now: float) -> None:
        if isinstance(m, GameEnd):
            self.last.pop(m.game_id, None)
        elif isinstance(m, GameStart) or m.game_id in self.last:
            self.last[m.game_id] = now
            self.next_due = min(self.next_due, now + self.every_s)

    def due(self, now: float, game_clock: float) -> list[Clock]:
        """A clock message for each open game silent for `every_s`, stamped with the feed's game clock."""
        if now < self.next_due:
            return []
        out = [Clock(gid, game_clock) for gid, t in self.last.items() if now - t >= self.every_s]
        for m in out:
            self.last[m.game_id] = now
        self.next_due = min(self.last.values(), default=float("inf")) + self.every_s
        return out


def pace(stream: Iterable[tuple[float, Message]], speed: float, heartbeat_s: float = HEARTBEAT_S) -> Iterator[Message]:
    """Messages at game time / `speed` (speed <= 0 or inf: as fast as they can be taken).

    Paced, a game with nothing to send gets a `Clock` every `heartbeat_s` of wall time, so a
    scorer can tell a gap between tracked sequences from a game that stopped.
    """
    if not speed or speed <= 0 or speed == float("inf"):
        for _, m in stream:
            yield m
        return
    t0 = time.perf_counter()
    beats = Heartbeats(heartbeat_s)
    for t, m in stream:
        while True:
            now = time.perf_counter() - t0
            yield from beats.due(now, min(now * speed, t))
            wait = t / speed - now
            if wait <= 0.0005:
                break
            time.sleep(max(min(wait, beats.next_due - now), 0.0005))
        beats.sent(m, time.perf_counter() - t0)
        yield m
