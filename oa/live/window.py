"""One game's short memory in the live scorer: the last seconds of tracking and the game's events.

A shot is turned into factors by `oa.features.compute.shot_factor_arrays`, the same
function batch runs over a stored game, fed with what the window holds at the shot tag. Since
every factor only reads frames up to the release and events before the shot, the
window gives the same numbers batch does (tested shot by shot). Events are kept for the
whole game (a few hundred rows), not just the current period: a real feed revises plays
of earlier periods, and a revised shot is rated again from its own period's events.
"""

from __future__ import annotations

from collections import deque

import numpy as np
import pandas as pd

from oa.features.clips import FrameIndex, sides, window_frames
from oa.features.compute import shot_factor_arrays
from oa.live.messages import EVENT_FIELDS, Frames, GameStart

KEEP_S = 1.0  # frames kept beyond the factor window, for slack


class GameWindow:
    """The state kept for one live game."""

    def __init__(self, start: GameStart):
        g = start.game
        self.game_id = int(start.game_id)
        self.home = str(g["home_team"])
        self.fps = float(g.get("fps") or 30.0)
        self.tracked = bool(g.get("has_tracking"))
        self.games = pd.DataFrame([{"game_id": self.game_id, "game_type": g.get("game_type", "R"), "fps": self.fps}])
        roster = pd.DataFrame(start.roster, columns=["player_id", "team", "position", "shoots", "height_in"])
        roster["player_id"] = pd.to_numeric(roster["player_id"]).astype("int64")
        roster["height_in"] = pd.to_numeric(roster["height_in"], errors="coerce")
        self.players = roster
        self.goalie_ids = set(roster.loc[roster["position"] == "G", "player_id"].astype(int))
        self.keep = window_frames(self.fps) + int(round(KEEP_S * self.fps))
        self.frames: deque[tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = deque()
        self.last_frame = -1
        self.period = 0
        self.events: dict[int, dict] = {}  # the game's events by event_idx
        self.last_seen = 0.0  # wall clock of the last message, to notice a stalled game
        self.clock = 0.0  # the feed's game clock at its last clock message (s)
        self.shots = 0  # shots rated in this game
        self.published: dict[int, tuple] = {}  # shot id -> its last published rating, to publish only a change

    def add_frames(self, m: Frames, ok: np.ndarray) -> bool:
        """Keep a frame's valid records; False (and nothing kept) if it is not newer than the last frame."""
        if m.frame_idx <= self.last_frame:
            return False
        self.last_frame = int(m.frame_idx)
        side = sides(m.team[ok] if not ok.all() else m.team, self.home)
        ent = np.asarray(m.entity_id, dtype=np.int64)
        x, y = np.asarray(m.x, dtype=float), np.asarray(m.y, dtype=float)
        if not ok.all():
            ent, x, y = ent[ok], x[ok], y[ok]
        self.frames.append((self.last_frame, ent, side, x, y))
        while self.frames and self.frames[0][0] <= self.last_frame - self.keep:
            self.frames.popleft()
        return True

    def add_event(self, row: dict) -> None:
        """Remember an event (replacing a shot tag's stand-in, or the feed's earlier version of it)."""
        self.period = max(self.period, int(row["period"]))
        self.events[int(row["event_idx"])] = {k: row.get(k) for k in EVENT_FIELDS}

    def drop(self, event_idx: list[int]) -> None:
        """Forget events the feed no longer has."""
        for i in event_idx:
            self.events.pop(int(i), None)

    def index(self) -> FrameIndex:
        if not self.frames:
            e = np.zeros(0)
            return FrameIndex(e, e, e, e, e)
        _, ent, side, x, y = zip(*self.frames)
        n = [len(e) for e in ent]
        fr = np.repeat(np.fromiter((f[0] for f in self.frames), dtype=np.int64, count=len(n)), n)
        return FrameIndex(fr, np.concatenate(ent), np.concatenate(side), np.concatenate(x), np.concatenate(y))

    def tag(self, shot: dict) -> None:
        """A tagged shot stands in for its own event until that arrives (with the outcome)."""
        if int(shot["event_idx"]) not in self.events:
            self.add_event({**shot, "type": "SHOT"})

    def features(self, shot: dict) -> dict[str, np.ndarray]:
        """The shot's factor columns (length 1), computed from what the window holds now."""
        return self.features_of([shot])

    def features_of(self, shots: list[dict]) -> dict[str, np.ndarray]:
        """Factor columns of several shots of this game at once (a real feed's poll brings a few)."""
        for shot in shots:
            self.tag(shot)
        periods = {int(s["period"]) for s in shots}  # factors only look back within the period
        rows = [e for k in sorted(self.events) if int((e := self.events[k])["period"]) in periods]
        cols = {"game_id": np.full(len(rows), self.game_id, dtype=np.int64)}
        for c in EVENT_FIELDS:
            cols[c] = np.array([r[c] for r in rows], dtype=object if c in ("type", "team") else float)
        events = pd.DataFrame(cols)
        frame = pd.DataFrame({k: [s.get(k) for s in shots] for k in shots[0]})
        tracked = self.tracked and any(s.get("release_frame") is not None for s in shots)
        return shot_factor_arrays(
            frame, events, self.players, self.games, self.index() if tracked else None, self.goalie_ids
        )
