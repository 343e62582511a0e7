"""What travels from an arena to the scorer: game starts, tracking frames, events, shot tags.

A tracking *record* is one entity's position in one frame; records travel in `Frames`
messages, one per game per frame (the way arena systems batch them). A `ShotTag` is the
tracking system's shot detection: the shot's play-by-play fields (never its outcome)
and its release frame, sent right after that frame's records. Events carry the
play-by-play as it happens, outcome included, after the shot tag. A `Clock` is the
feed's game clock for a game with nothing else to send (between tracked sequences): it
tells the scorer the game is alive, so a gap is never taken for a stall.

A real feed (the NHL's play-by-play, `oa.live.nhl_poll`) also revises what it sent: an
`Event` with an event_idx already seen replaces that event, a `Withdraw` drops events the
feed no longer has and retracts shots it deleted, and a `GameState` carries the
scoreboard (score, period, clock) for the Live page.

`encode`/`decode` turn messages into Redis stream fields (JSON); `decode` checks the
shape of untrusted input (UTF-8, size, nesting, types, ids that fit int64) and the
`check_*` functions its content against the store's schema, so every error names the
message kind and the field, and nothing malformed reaches a game's window.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from oa.schema import EVENTS, GAMES, PLAYERS, SHOTS, Column, Table, X, Y


class MessageError(ValueError):
    """A malformed message; the text names what is wrong."""


@dataclass(slots=True)
class GameStart:
    game_id: int
    game: dict  # the game's row: home_team, away_team, fps, game_type, has_tracking, season ...
    roster: list[dict]  # players who may appear: player_id, team, position, shoots, height_in


@dataclass(slots=True)
class Frames:
    game_id: int
    frame_idx: int
    entity_id: np.ndarray  # int64; 0 is the puck
    team: np.ndarray  # object: team code, None for the puck
    x: np.ndarray  # float feet, rink coordinates as recorded
    y: np.ndarray

    @property
    def records(self) -> int:
        return len(self.entity_id)


@dataclass(slots=True)
class Event:
    game_id: int
    row: dict  # an `events` row


@dataclass(slots=True)
class ShotTag:
    game_id: int
    shot: dict  # a `shots` row without outcome/is_goal
    sent_at: float = 0.0  # wall clock when the feed published it (time.time()), for latency


@dataclass(slots=True)
class GameEnd:
    game_id: int


@dataclass(slots=True)
class Clock:
    game_id: int
    game_seconds: float  # where the feed's clock is for this game


@dataclass(slots=True)
class Withdraw:
    game_id: int
    event_idx: list[int]  # events the feed no longer has (dropped from the game's window)
    shot_ids: list[int]  # published shots the feed deleted (retracted from the Live page)


@dataclass(slots=True)
class GameState:
    game_id: int
    state: dict  # the scoreboard: see STATE_FIELDS


Message = GameStart | Frames | Event | ShotTag | GameEnd | Clock | Withdraw | GameState
KINDS = {
    GameStart: "start",
    Frames: "frames",
    Event: "event",
    ShotTag: "shot",
    GameEnd: "end",
    Clock: "clock",
    Withdraw: "withdraw",
    GameState: "state",
}
MAX_ID = 2**63 - 1  # ids are BIGINT in the store and int64 in the published files
MAX_INT = 2**31 - 1  # INTEGER columns (frame_idx, event_idx, release_frame)
MAX_BODY = 1 << 20  # bytes of JSON in one stream entry (a frame is ~1 KB, a start with rosters ~10 KB)
MAX_RECORDS = 10_000  # entities in one frame
WHOLE = re.compile(r"-?[0-9]{1,19}")
# a shot tag carries the shot's row without its outcome (the arena system knows the release, not the result;
# a real play-by-play feed, which records plays after the fact, may add it)
SHOT_FIELDS = tuple(c for c in SHOTS.column_names if c not in ("outcome", "is_goal"))
EVENT_FIELDS = ("event_idx", "period", "game_seconds", "type", "team", "x", "y")


def records(msg: Message) -> int:
    """Tracking records in a message; other messages count as one record each."""
    return msg.records if isinstance(msg, Frames) and np.ndim(msg.entity_id) == 1 else 1


# -- validation ----------------------------------------------------------------------
def _show(v: object) -> str:
    """A value for an error message, short even when the value is huge."""
    r = repr(v)
    return r if len(r) <= 60 else r[:57] + "..."


def _finite(v: float | np.integer | np.floating) -> bool:
    try:
        return math.isfinite(v)
    except OverflowError:  # an int too large for a float
        return False


def _num(v: object, what: str, lo: float | None = None, hi: float | None = None) -> float:
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)) or not _finite(v):
        raise MessageError(f"{what} must be a finite number, got {_show(v)}")
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise MessageError(f"{what} = {_show(v)} is outside [{lo}, {hi}]")
    return float(v)


def _int(v: object, what: str, lo: int = -MAX_ID - 1, hi: int = MAX_ID) -> int:
    """An integer (an integral float too: nullable id columns come out of pandas as floats) in [lo, hi]."""
    if (
        isinstance(v, (bool, np.bool_))
        or not isinstance(v, (int, float, np.integer, np.floating))
        or (isinstance(v, (float, np.floating)) and not (math.isfinite(v) and float(v).is_integer()))
    ):
        raise MessageError(f"{what} must be an integer, got {_show(v)}")
    if not lo <= v <= hi:
        raise MessageError(f"{what} = {_show(v)} is outside [{lo}, {hi}]")
    return int(v)


def game_id_of(v: object) -> int:
    """A game id from a stream field or a message: a whole number that fits int64."""
    if isinstance(v, bytes):
        try:
            v = v.decode("ascii")
        except UnicodeDecodeError as e:
            raise MessageError(f"game id is not ASCII digits (byte {e.start})") from None
    if isinstance(v, str):
        if not WHOLE.fullmatch(v):
            raise MessageError(f"game id must be a whole number, got {_show(v)}")
        v = int(v)
    return _int(v, "game id")


def _check_value(c: Column, v: object, what: str) -> None:
    """One field against its store column: type, range, choices, nullability."""
    if v is None:
        if not c.nullable:
            raise MessageError(f"{what} must not be null")
        return
    if c.sql in ("BIGINT", "INTEGER"):
        top = MAX_ID if c.sql == "BIGINT" else MAX_INT
        _int(v, what, int(c.lo) if c.lo is not None else -top - 1, int(c.hi) if c.hi is not None else top)
    elif c.sql in ("REAL", "DOUBLE"):
        _num(v, what, c.lo, c.hi)
    elif c.sql == "BOOLEAN":
        if not isinstance(v, (bool, np.bool_)):
            raise MessageError(f"{what} must be true or false, got {_show(v)}")
    elif c.sql == "VARCHAR":
        if not isinstance(v, str):
            raise MessageError(f"{what} must be text, got {_show(v)}")
        if c.choices is not None and v not in c.choices:
            raise MessageError(f"{what} {_show(v)} is not one of {', '.join(c.choices)}")


def _check_row(row: object, kind: str, table: Table, fields: tuple[str, ...]) -> None:
    """Every field present and valid for its column in the store's schema."""
    if not isinstance(row, dict):
        raise MessageError(f"{kind} must be an object, got {type(row).__name__}")
    missing = [f for f in fields if f not in row]
    if missing:
        raise MessageError(f"{kind} is missing field(s) {', '.join(missing)}")
    cols = {c.name: c for c in table.columns}
    for f in fields:
        _check_value(cols[f], row[f], f"{kind}.{f}")


def check_frames(m: Frames) -> np.ndarray:
    """Mask of the valid records of a frames message; raises if the message itself is broken."""
    _int(m.frame_idx, "frames.frame_idx", 0, MAX_INT)
    n = len(m.entity_id)
    for name in ("team", "x", "y"):
        if len(getattr(m, name)) != n:
            raise MessageError(f"frames.{name} has {len(getattr(m, name))} values for {n} entities")
    x, y = np.asarray(m.x, dtype=float), np.asarray(m.y, dtype=float)
    return (
        np.isfinite(x)
        & np.isfinite(y)
        & (np.abs(x) <= X["hi"])
        & (np.abs(y) <= Y["hi"])
        & (np.asarray(m.entity_id) >= 0)
    )


def check_shot(shot: dict) -> None:
    """The shot's fields; an outcome only if the feed knows it already (a real feed's recorded play)."""
    _check_row(shot, "shot", SHOTS, SHOT_FIELDS)
    if shot.get("outcome") is not None:
        _check_value(next(c for c in SHOTS.columns if c.name == "outcome"), shot["outcome"], "shot.outcome")
    if shot["release_frame"] is not None:
        _int(shot["release_frame"], "shot.release_frame", 0, MAX_INT)


def check_event(row: dict) -> None:
    _check_row(row, "event", EVENTS, EVENT_FIELDS)


def check_clock(m: Clock) -> None:
    _num(m.game_seconds, "clock.game_seconds", 0)


START_FIELDS = ("home_team", "away_team", "has_tracking")  # game fields the scorer reads (fps, game_type if present)
ROSTER_FIELDS = ("player_id", "team", "position", "shoots", "height_in")


def check_start(m: GameStart) -> None:
    """The game row's fields the window uses, and every roster row."""
    _check_row(m.game, "start.game", GAMES, START_FIELDS)
    cols = {c.name: c for c in GAMES.columns}
    for f in ("fps", "game_type"):
        if m.game.get(f) is not None:
            _check_value(cols[f], m.game[f], f"start.game.{f}")
    if not isinstance(m.roster, list):
        raise MessageError(f"start.roster must be a list, got {type(m.roster).__name__}")
    for i, r in enumerate(m.roster):
        _check_row(r, f"start.roster[{i}]", PLAYERS, ROSTER_FIELDS)


MAX_WITHDRAW = 10_000  # events or shots retracted in one message


def check_withdraw(m: Withdraw) -> None:
    for name, top in (("event_idx", MAX_INT), ("shot_ids", MAX_ID)):
        v = getattr(m, name)
        if not isinstance(v, list):
            raise MessageError(f"withdraw.{name} must be a list, got {type(v).__name__}")
        if len(v) > MAX_WITHDRAW:
            raise MessageError(f"withdraw.{name} has {len(v):,} values, more than {MAX_WITHDRAW:,}")
        for i, x in enumerate(v):
            _int(x, f"withdraw.{name}[{i}]", 0, top)


# the scoreboard's fields: (types allowed, required); teams are codes, the clock is the feed's "MM:SS"
STATE_FIELDS: dict[str, tuple[tuple[type, ...], bool]] = {
    "game_state": ((str,), True),
    "home_team": ((str,), True),
    "away_team": ((str,), True),
    "home_score": ((int,), False),
    "away_score": ((int,), False),
    "period": ((int,), False),
    "period_type": ((str,), False),
    "clock": ((str,), False),
    "in_intermission": ((bool,), False),
    "running": ((bool,), False),
    "start_utc": ((str,), False),
    "polled_at": ((int, float), False),
}
MAX_TEXT = 64


def check_state(m: GameState) -> None:
    """Known fields only, each of its type; text short, numbers in range."""
    s = m.state
    if not isinstance(s, dict):
        raise MessageError(f"state must be an object, got {type(s).__name__}")
    unknown = [k for k in s if k not in STATE_FIELDS]
    if unknown:
        raise MessageError(f"state has unknown field(s) {', '.join(map(_show, unknown[:5]))}")
    for k, (types, required) in STATE_FIELDS.items():
        v = s.get(k)
        if v is None:
            if required:
                raise MessageError(f"state.{k} must not be null")
            continue
        if isinstance(v, bool) and bool not in types:
            raise MessageError(f"state.{k} must be {types[0].__name__}, got {_show(v)}")
        if not isinstance(v, types):
            raise MessageError(f"state.{k} must be {types[0].__name__}, got {_show(v)}")
        if isinstance(v, str) and len(v) > MAX_TEXT:
            raise MessageError(f"state.{k} is {len(v)} characters, more than {MAX_TEXT}")
        if k in ("home_score", "away_score"):
            _int(v, f"state.{k}", 0, 99)
        elif k == "period":
            _int(v, f"state.{k}", 0, 9)
        elif k == "polled_at":
            _num(v, f"state.{k}", 0)


# -- wire format (Redis stream fields) -------------------------------------------------
def _plain(v: object) -> object:
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def encode(m: Message) -> dict[str, str]:
    """Stream fields for a message: its kind, game and a JSON body."""
    if isinstance(m, Frames):
        body = {
            "f": int(m.frame_idx),
            "e": np.asarray(m.entity_id).tolist(),
            "t": [_plain(t) for t in m.team],
            "x": np.round(np.asarray(m.x, dtype=float), 2).tolist(),
            "y": np.round(np.asarray(m.y, dtype=float), 2).tolist(),
        }
    elif isinstance(m, GameStart):
        body = {
            "game": {k: _plain(v) for k, v in m.game.items()},
            "roster": [{k: _plain(v) for k, v in r.items()} for r in m.roster],
        }
    elif isinstance(m, Event):
        body = {k: _plain(v) for k, v in m.row.items()}
    elif isinstance(m, ShotTag):
        body = {"shot": {k: _plain(v) for k, v in m.shot.items()}, "sent_at": m.sent_at}
    elif isinstance(m, Clock):
        body = {"s": float(m.game_seconds)}
    elif isinstance(m, Withdraw):
        body = {"e": [int(i) for i in m.event_idx], "s": [int(i) for i in m.shot_ids]}
    elif isinstance(m, GameState):
        body = {"state": {k: _plain(v) for k, v in m.state.items()}}
    else:
        body = {}
    return {"k": KINDS[type(m)], "g": str(int(m.game_id)), "b": json.dumps(body, default=str)}


def _text(v: object, name: str) -> str:
    """A stream field as text: UTF-8, at most MAX_BODY bytes."""
    if isinstance(v, str):
        v = v.encode("utf-8", "surrogatepass")
    if not isinstance(v, bytes):
        raise MessageError(f"field {name} must be text, got {type(v).__name__}")
    if len(v) > MAX_BODY:
        raise MessageError(f"field {name} is {len(v):,} bytes, more than {MAX_BODY:,}")
    try:
        return v.decode("utf-8")
    except UnicodeDecodeError as e:
        raise MessageError(f"field {name} is not UTF-8 (byte {e.start}: {e.reason})") from None


def _json(text: str) -> object:
    try:
        return json.loads(text)
    except RecursionError:
        raise MessageError("body is nested too deeply to be a message") from None
    except ValueError as e:
        raise MessageError(f"body is not JSON ({e})") from None


def _list(body: dict, key: str, what: str) -> list:
    v = body[key]
    if not isinstance(v, list):
        raise MessageError(f"{what} must be a list, got {type(v).__name__}")
    if len(v) > MAX_RECORDS:
        raise MessageError(f"{what} has {len(v):,} values, more than {MAX_RECORDS:,}")
    return v


def _frames(game_id: int, body: dict) -> Frames:
    e, t = _list(body, "e", "frames.entity_id"), _list(body, "t", "frames.team")
    x, y = _list(body, "x", "frames.x"), _list(body, "y", "frames.y")
    ids = np.asarray(e)
    if len(ids) and (ids.dtype.kind not in "iu" or ids.max() > MAX_ID):
        raise MessageError("frames.entity_id must be whole numbers that fit int64")
    if any(v is not None and not isinstance(v, str) for v in t):
        raise MessageError("frames.team must be text or null")
    return Frames(
        game_id,
        _int(body["f"], "frames.frame_idx", 0, MAX_INT),
        ids.astype(np.int64),
        np.asarray(t, dtype=object),
        np.asarray(x, dtype=float),
        np.asarray(y, dtype=float),
    )


def _dict(v: object, what: str) -> dict:
    if not isinstance(v, dict):
        raise MessageError(f"{what} must be an object, got {type(v).__name__}")
    return v


DECODERS: dict[str, Callable[[int, dict], Message]] = {
    "frames": _frames,
    "start": lambda g, b: GameStart(g, _dict(b["game"], "start.game"), b["roster"]),
    "event": lambda g, b: Event(g, b),
    "shot": lambda g, b: ShotTag(g, _dict(b["shot"], "shot"), _num(b.get("sent_at") or 0.0, "shot.sent_at")),
    "end": lambda g, b: GameEnd(g),
    "clock": lambda g, b: Clock(g, _num(b["s"], "clock.game_seconds", 0)),
    "withdraw": lambda g, b: Withdraw(g, _list(b, "e", "withdraw.event_idx"), _list(b, "s", "withdraw.shot_ids")),
    "state": lambda g, b: GameState(g, _dict(b["state"], "state")),
}


def decode(fields: dict) -> Message:
    """A message from stream fields (bytes or str); MessageError says what is malformed.

    Never raises anything else, whatever the fields hold: this is where untrusted input
    enters (the Redis scorer dead-letters an entry on MessageError).
    """
    if not isinstance(fields, dict):
        raise MessageError(f"an entry must be a mapping of fields, got {type(fields).__name__}")
    f = {(k.decode("utf-8", "replace") if isinstance(k, bytes) else str(k)): v for k, v in fields.items()}
    if "k" not in f:
        raise MessageError("entry has no message kind (field k)")
    kind = _text(f["k"], "k")
    if kind not in DECODERS:
        raise MessageError(f"unknown message kind {_show(kind)}")
    if "g" not in f:
        raise MessageError(f"{kind} entry has no game id (field g)")
    game_id = game_id_of(f["g"])
    body = _json(_text(f.get("b", b"{}"), "b"))
    if not isinstance(body, dict):
        raise MessageError(f"{kind} message for game {game_id}: body must be a JSON object, got {type(body).__name__}")
    try:
        return DECODERS[kind](game_id, body)
    except MessageError as e:
        raise MessageError(f"{kind} message for game {game_id}: {e}") from None
    except (KeyError, ValueError, TypeError, OverflowError, IndexError) as e:
        raise MessageError(
            f"{kind} message for game {game_id} is malformed ({type(e).__name__}: {_show(str(e))})"
        ) from None
