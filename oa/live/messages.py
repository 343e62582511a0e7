"""What travels from an arena to the scorer: game starts, tracking frames, events, shot tags.

A tracking *record* is one entity's position in one frame; records travel in `Frames`
messages, one per game per frame (the way arena systems batch them). A `ShotTag` is the
tracking system's shot detection: the shot's play-by-play fields (never its outcome)
and its release frame, sent right after that frame's records. Events carry the
play-by-play as it happens, outcome included, after the shot tag. A `Clock` is the
feed's game clock for a game with nothing else to send (between tracked sequences): it
tells the scorer the game is alive, so a gap is never taken for a stall.

`encode`/`decode` turn messages into Redis stream fields (JSON); `decode` is also the
validation of untrusted input, so every error names the message kind and the field.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np

from oa.schema import EVENT_TYPES, SHOT_TYPES, SHOTS, X, Y


class MessageError(ValueError):
    """A malformed message; the text names what is wrong."""


@dataclass(slots=True)
class GameStart:
    game_id: int
    game: dict            # the game's row: home_team, away_team, fps, game_type, has_tracking, season ...
    roster: list[dict]    # players who may appear: player_id, team, position, shoots, height_in


@dataclass(slots=True)
class Frames:
    game_id: int
    frame_idx: int
    entity_id: np.ndarray   # int64; 0 is the puck
    team: np.ndarray        # object: team code, None for the puck
    x: np.ndarray           # float feet, rink coordinates as recorded
    y: np.ndarray

    @property
    def records(self) -> int:
        return len(self.entity_id)


@dataclass(slots=True)
class Event:
    game_id: int
    row: dict             # an `events` row


@dataclass(slots=True)
class ShotTag:
    game_id: int
    shot: dict            # a `shots` row without outcome/is_goal
    sent_at: float = 0.0  # wall clock when the feed published it (time.time()), for latency


@dataclass(slots=True)
class GameEnd:
    game_id: int


@dataclass(slots=True)
class Clock:
    game_id: int
    game_seconds: float   # where the feed's clock is for this game


Message = GameStart | Frames | Event | ShotTag | GameEnd | Clock
KINDS = {GameStart: "start", Frames: "frames", Event: "event", ShotTag: "shot", GameEnd: "end", Clock: "clock"}
# a shot tag carries the shot's row without its outcome (the arena system knows the release, not the result)
SHOT_FIELDS = tuple(c for c in SHOTS.column_names if c not in ("outcome", "is_goal"))
EVENT_FIELDS = ("event_idx", "period", "game_seconds", "type", "team", "x", "y")


def records(msg: Message) -> int:
    """Tracking records in a message; other messages count as one record each."""
    return msg.records if isinstance(msg, Frames) else 1


# -- validation ----------------------------------------------------------------------
def _num(v: object, what: str, lo: float | None = None, hi: float | None = None, null: bool = False) -> float | None:
    if v is None and null:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise MessageError(f"{what} must be a finite number, got {v!r}")
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise MessageError(f"{what} = {v} is outside [{lo}, {hi}]")
    return v


def check_frames(m: Frames) -> np.ndarray:
    """Mask of the valid records of a frames message; raises if the message itself is broken."""
    if not isinstance(m.frame_idx, (int, np.integer)) or m.frame_idx < 0:
        raise MessageError(f"frames.frame_idx must be a non-negative integer, got {m.frame_idx!r}")
    n = len(m.entity_id)
    for name in ("team", "x", "y"):
        if len(getattr(m, name)) != n:
            raise MessageError(f"frames.{name} has {len(getattr(m, name))} values for {n} entities")
    x, y = np.asarray(m.x, dtype=float), np.asarray(m.y, dtype=float)
    return np.isfinite(x) & np.isfinite(y) & (np.abs(x) <= X["hi"]) & (np.abs(y) <= Y["hi"]) & (np.asarray(m.entity_id) >= 0)


def _check_row(row: dict, kind: str, fields: tuple[str, ...]) -> None:
    """Every field present; the ones every row kind shares in range."""
    missing = [f for f in fields if f not in row]
    if missing:
        raise MessageError(f"{kind} is missing field(s) {', '.join(missing)}")
    _num(row["event_idx"], f"{kind}.event_idx", 0)
    _num(row["period"], f"{kind}.period", 1, 9)
    _num(row["game_seconds"], f"{kind}.game_seconds", 0)


def check_shot(shot: dict) -> None:
    _check_row(shot, "shot", SHOT_FIELDS)
    _num(shot["shot_id"], "shot.shot_id", 0)
    _num(shot["x"], "shot.x", X["lo"], X["hi"])
    _num(shot["y"], "shot.y", Y["lo"], Y["hi"])
    _num(shot["release_frame"], "shot.release_frame", 0, null=True)
    if shot["shot_type"] not in SHOT_TYPES:
        raise MessageError(f"shot.shot_type {shot['shot_type']!r} is not one of {', '.join(SHOT_TYPES)}")


def check_clock(m: Clock) -> None:
    _num(m.game_seconds, "clock.game_seconds", 0)


def check_event(row: dict) -> None:
    _check_row(row, "event", EVENT_FIELDS)
    if row["type"] not in EVENT_TYPES:
        raise MessageError(f"event.type {row['type']!r} is not a known event type")


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
        body = {"f": int(m.frame_idx), "e": np.asarray(m.entity_id).tolist(), "t": [_plain(t) for t in m.team],
                "x": np.round(np.asarray(m.x, dtype=float), 2).tolist(), "y": np.round(np.asarray(m.y, dtype=float), 2).tolist()}
    elif isinstance(m, GameStart):
        body = {"game": {k: _plain(v) for k, v in m.game.items()},
                "roster": [{k: _plain(v) for k, v in r.items()} for r in m.roster]}
    elif isinstance(m, Event):
        body = {k: _plain(v) for k, v in m.row.items()}
    elif isinstance(m, ShotTag):
        body = {"shot": {k: _plain(v) for k, v in m.shot.items()}, "sent_at": m.sent_at}
    elif isinstance(m, Clock):
        body = {"s": float(m.game_seconds)}
    else:
        body = {}
    return {"k": KINDS[type(m)], "g": str(int(m.game_id)), "b": json.dumps(body, default=str)}


def decode(fields: dict) -> Message:
    """A message from stream fields (bytes or str); MessageError says what is malformed."""
    f = {(k.decode() if isinstance(k, bytes) else k): (v.decode() if isinstance(v, bytes) else v)
         for k, v in fields.items()}
    kind = f.get("k")
    try:
        game_id = int(f["g"])
        body = json.loads(f.get("b", "{}"))
    except (KeyError, ValueError, TypeError) as e:
        raise MessageError(f"message has no valid game id or JSON body ({e})") from e
    try:
        if kind == "frames":
            return Frames(game_id, int(body["f"]), np.asarray(body["e"], dtype=np.int64),
                          np.asarray(body["t"], dtype=object), np.asarray(body["x"], dtype=float),
                          np.asarray(body["y"], dtype=float))
        if kind == "start":
            return GameStart(game_id, dict(body["game"]), list(body["roster"]))
        if kind == "event":
            return Event(game_id, dict(body))
        if kind == "shot":
            return ShotTag(game_id, dict(body["shot"]), float(body.get("sent_at") or 0.0))
        if kind == "end":
            return GameEnd(game_id)
        if kind == "clock":
            return Clock(game_id, float(body["s"]))
    except (KeyError, ValueError, TypeError) as e:
        raise MessageError(f"{kind} message for game {game_id} is malformed ({type(e).__name__}: {e})") from e
    raise MessageError(f"unknown message kind {kind!r}")
