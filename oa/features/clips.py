"""Tracking clips cut at the release: the only way tracking factors see frames.

For each shot we copy the 5 seconds of tracking that end at its `release_frame` (the
first frame with the puck in flight) into fixed arrays, normalised so the shooting team
attacks the net at x = +89. Nothing after the release frame is ever copied, so no
factor can read the future however it is written (tests perturb later frames to prove
it). Index `i0 = T - 2` is the last frame on the stick (the release point) and
`i1 = T - 1` the release frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from oa.features.context import Ctx
from oa.schema import PUCK_ID

WINDOW_S = 5.0
MAX_MATES = 6  # shooter's teammates (6 skaters with the goalie pulled, less the shooter, plus slack)
MAX_OPPS = 6  # defending skaters (6 with their goalie pulled)


@dataclass
class Clips:
    """Per-shot tracking windows (n shots, T frames), NaN where nothing was tracked."""

    fps: float
    puck: np.ndarray  # (n, T, 2)
    shooter: np.ndarray  # (n, T, 2)
    goalie: np.ndarray  # (n, T, 2): the defending goalie; NaN with an empty net
    mates: np.ndarray  # (n, T, MAX_MATES, 2): the shooter's teammates on the ice (skaters)
    opps: np.ndarray  # (n, T, MAX_OPPS, 2): defending skaters on the ice
    cache: dict = field(default_factory=dict, repr=False)  # derived arrays shared by factors

    @property
    def n(self) -> int:
        return self.puck.shape[0]

    @property
    def T(self) -> int:  # noqa: N802 - the usual name for a time axis length
        return self.puck.shape[1]

    @property
    def i0(self) -> int:
        return self.T - 2

    @property
    def i1(self) -> int:
        return self.T - 1

    def frames(self, seconds: float) -> int:
        return max(int(round(seconds * self.fps)), 1)


def window_frames(fps: float) -> int:
    return int(round(WINDOW_S * fps)) + 1


def empty_clips(n: int, fps: float) -> Clips:
    T = window_frames(fps)
    nan = np.full
    return Clips(
        fps,
        nan((n, T, 2), np.nan),
        nan((n, T, 2), np.nan),
        nan((n, T, 2), np.nan),
        nan((n, T, MAX_MATES, 2), np.nan),
        nan((n, T, MAX_OPPS, 2), np.nan),
    )


class FrameIndex:
    """One game's tracking rows as runs (an entity over consecutive frames) for fast window cuts.

    Stores write a clip entity by entity, so a game is a few hundred runs and a cut is a
    slice copy. Rows in any other order (frame by frame, say) are sorted first.
    `side` is 1 for the home team, 0 for the away team and -1 for the puck.
    """

    def __init__(self, frame_idx: np.ndarray, entity_id: np.ndarray, side: np.ndarray, x: np.ndarray, y: np.ndarray):
        fr = np.asarray(frame_idx, dtype=np.int64)
        ent = np.asarray(entity_id, dtype=np.int64)
        side = np.asarray(side, dtype=np.int8)
        xy = np.stack([np.asarray(x, dtype=float), np.asarray(y, dtype=float)], axis=1)
        brk = self._breaks(fr, ent)
        if len(brk) > len(fr) // 8:  # not entity-major: sort once
            order = np.lexsort((fr, ent))
            fr, ent, side, xy = fr[order], ent[order], side[order], xy[order]
            brk = self._breaks(fr, ent)
        starts = np.r_[0, brk].astype(np.int64) if len(fr) else np.zeros(0, np.int64)
        ends = np.r_[brk, len(fr)].astype(np.int64) if len(fr) else np.zeros(0, np.int64)
        self.xy = xy
        self.run_ent, self.run_side = ent[starts], side[starts]
        self.run_first, self.run_last, self.run_start = fr[starts], fr[ends - 1], starts
        order = np.lexsort((self.run_first, self.run_ent))  # runs by entity, then time
        self._order = order
        ids, first = np.unique(self.run_ent[order], return_index=True)
        self._ids, self._lo, self._hi = ids, first, np.r_[first[1:], len(order)]

    @staticmethod
    def _breaks(fr: np.ndarray, ent: np.ndarray) -> np.ndarray:
        return np.flatnonzero((ent[1:] != ent[:-1]) | (fr[1:] != fr[:-1] + 1)) + 1

    def on_ice(self, frame: int) -> tuple[np.ndarray, np.ndarray]:
        """Entities (and their sides) tracked at `frame`."""
        m = (self.run_first <= frame) & (self.run_last >= frame)
        return self.run_ent[m], self.run_side[m]

    def cut(self, entity: int, first: int, last: int, out: np.ndarray, sign: float) -> None:
        """Copy `entity`'s positions for frames first..last (inclusive) into out[frame - first]."""
        k = np.searchsorted(self._ids, entity)
        if k >= len(self._ids) or self._ids[k] != entity:
            return
        runs = self._order[self._lo[k] : self._hi[k]]
        lo = np.searchsorted(self.run_last[runs], first)
        hi = np.searchsorted(self.run_first[runs], last, side="right")
        for r in runs[lo:hi].tolist():
            a, b = max(first, self.run_first[r]), min(last, self.run_last[r])
            if a <= b:
                off = self.run_start[r] + (a - self.run_first[r])
                out[a - first : b - first + 1] = sign * self.xy[off : off + b - a + 1]


def sides(team: np.ndarray, home_team: str) -> np.ndarray:
    """Frames' team codes as sides: 1 home, 0 away, -1 no team (the puck)."""
    t = np.asarray(team, dtype=object)
    none = np.array([v is None or v != v for v in t.tolist()], dtype=bool)
    return np.where(none, -1, np.where(t == home_team, 1, 0)).astype(np.int8)


def cut_clips(index: FrameIndex, ctx: Ctx, goalie_ids: set[int], fps: float) -> Clips:
    """Clips of the shots in `ctx` (all from the game `index` holds), ending at release."""
    n = len(ctx["shot_id"])
    c = empty_clips(n, fps)
    T = c.T
    for i in range(n):
        r = ctx["release_frame"][i]
        if not np.isfinite(r):
            continue
        R = int(r)
        first = R - T + 1
        sign = -1.0 if ctx["flipped"][i] else 1.0
        shooter = ctx["shooter_id"][i]
        goalie = ctx["goalie_id"][i]
        side = 1 if ctx["is_home"][i] else 0
        index.cut(PUCK_ID, first, R, c.puck[i], sign)
        if np.isnan(c.puck[i, T - 2, 0]):
            # puck not tracked (broadcast tracking is players only): at release it was where the
            # play-by-play put the shot; earlier and later puck positions stay unknown
            c.puck[i, T - 2] = (ctx["x"][i], ctx["y"][i])
        if shooter == shooter:  # not NaN
            index.cut(int(shooter), first, R, c.shooter[i], sign)
        if goalie == goalie:
            index.cut(int(goalie), first, R, c.goalie[i], sign)
        m = o = 0
        ents, ent_sides = index.on_ice(R - 1)
        for e, sd in zip(ents.tolist(), ent_sides.tolist()):
            if e == PUCK_ID or e == shooter or e == goalie or e in goalie_ids or sd < 0:
                continue
            if sd == side and m < MAX_MATES:
                index.cut(e, first, R, c.mates[i, :, m], sign)
                m += 1
            elif sd != side and o < MAX_OPPS:
                index.cut(e, first, R, c.opps[i, :, o], sign)
                o += 1
    return c
