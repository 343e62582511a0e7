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
MAX_MATES = 6      # shooter's teammates (6 skaters with the goalie pulled, less the shooter, plus slack)
MAX_OPPS = 6       # defending skaters (6 with their goalie pulled)


@dataclass
class Clips:
    """Per-shot tracking windows (n shots, T frames), NaN where nothing was tracked."""

    fps: float
    puck: np.ndarray       # (n, T, 2)
    shooter: np.ndarray    # (n, T, 2)
    goalie: np.ndarray     # (n, T, 2): the defending goalie; NaN with an empty net
    mates: np.ndarray      # (n, T, MAX_MATES, 2): the shooter's teammates on the ice (skaters)
    opps: np.ndarray       # (n, T, MAX_OPPS, 2): defending skaters on the ice
    cache: dict = field(default_factory=dict, repr=False)   # derived arrays shared by factors

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
    return Clips(fps, nan((n, T, 2), np.nan), nan((n, T, 2), np.nan), nan((n, T, 2), np.nan),
                 nan((n, T, MAX_MATES, 2), np.nan), nan((n, T, MAX_OPPS, 2), np.nan))


class FrameIndex:
    """One game's tracking rows, indexed by entity and by frame for fast window cuts."""

    def __init__(self, frame_idx: np.ndarray, entity_id: np.ndarray, team: np.ndarray, x: np.ndarray, y: np.ndarray):
        order = np.lexsort((frame_idx, entity_id))
        self.ent = np.asarray(entity_id)[order]
        self.fr = np.asarray(frame_idx, dtype=np.int64)[order]
        self.xy = np.stack([np.asarray(x, dtype=float)[order], np.asarray(y, dtype=float)[order]], axis=1)
        self.team = np.asarray(team, dtype=object)[order]
        self.ids, self.starts = np.unique(self.ent, return_index=True)
        self.ends = np.r_[self.starts[1:], len(self.ent)]
        self.by_frame = np.argsort(self.fr, kind="stable")
        self.fr_sorted = self.fr[self.by_frame]

    def on_ice(self, frame: int) -> tuple[np.ndarray, np.ndarray]:
        """Entities (and their teams) tracked at `frame`."""
        lo, hi = np.searchsorted(self.fr_sorted, [frame, frame + 1])
        rows = self.by_frame[lo:hi]
        return self.ent[rows], self.team[rows]

    def cut(self, entity: int, first: int, last: int, out: np.ndarray, sign: float) -> None:
        """Copy `entity`'s positions for frames first..last (inclusive) into out[frame - first]."""
        k = np.searchsorted(self.ids, entity)
        if k >= len(self.ids) or self.ids[k] != entity:
            return
        s, e = self.starts[k], self.ends[k]
        seg = self.fr[s:e]
        a, b = np.searchsorted(seg, [first, last + 1])
        if b > a:
            out[seg[a:b] - first] = sign * self.xy[s + a:s + b]


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
        team = ctx["team"][i]
        index.cut(PUCK_ID, first, R, c.puck[i], sign)
        if shooter is not None and shooter == shooter:
            index.cut(int(shooter), first, R, c.shooter[i], sign)
        if goalie is not None and goalie == goalie:
            index.cut(int(goalie), first, R, c.goalie[i], sign)
        m = o = 0
        ents, teams = index.on_ice(R - 1)
        for e, tm in zip(ents.tolist(), teams.tolist()):
            if e == PUCK_ID or e == shooter or e == goalie or e in goalie_ids:
                continue
            if tm == team and m < MAX_MATES:
                index.cut(e, first, R, c.mates[i, :, m], sign)
                m += 1
            elif tm != team and o < MAX_OPPS:
                index.cut(e, first, R, c.opps[i, :, o], sign)
                o += 1
    return c


def concat_clips(parts: list[Clips]) -> Clips:
    if len({p.fps for p in parts}) != 1:
        raise ValueError("clips with different frame rates cannot be stacked")
    return Clips(parts[0].fps, *(np.concatenate([getattr(p, a) for p in parts])
                                 for a in ("puck", "shooter", "goalie", "mates", "opps")))
