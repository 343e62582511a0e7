"""The hidden ground truth: how likely a shot is to go in, given what tracking shows.

The simulator draws every outcome from this probability and stores it in `sim_truth`
so we can tell how close a model gets to the best possible. It reads the situation
only from the clip (positions up to the release frame) plus the shot's type, speed and
the hidden skills; the model never sees the skills or this function.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from oa.rink import RINK, angle_to_net, distance_to_net
from oa.sim.motion import FPS

TYPE_EFFECT = {
    "WRIST": 0.0,
    "SNAP": 0.15,
    "SLAP": 0.05,
    "BACKHAND": -0.05,
    "TIP": -0.25,
    "DEFLECTION": 0.10,
    "WRAP": -0.55,
}


@dataclass(frozen=True)
class Situation:
    """What the tracking shows at release (normalised coordinates, net at +89)."""

    distance: float
    angle: float
    angle_change: float  # degrees the puck moved around the net in the last second
    goalie_offset: float  # ft the goalie was from square at release (NaN: empty net)
    goalie_speed: float  # ft/s over the last 0.2 s
    screens: int  # bodies in the lane within 15 ft of the net
    lane_defenders: int  # defenders in the triangle puck-post-post further out
    puck_mph: float
    shot_type: str
    one_timer: bool
    off_wing: bool
    empty_net: bool


def situation(
    puck: np.ndarray,
    goalie: np.ndarray | None,
    att: np.ndarray,
    dfn: np.ndarray,
    r: int,
    shooter_col: int,
    puck_mph: float,
    shot_type: str,
    one_timer: bool,
    off_wing: bool,
) -> Situation:
    """Read the situation off the clip at release frame `r` (frames after r are not read).

    puck (n, 2); goalie (n, 2) or None; att (n, A, 2) attackers; dfn (n, D, 2) defenders.
    """
    p = puck[r - 1]  # release point: last frame on the stick
    d = float(distance_to_net(p[0], p[1]))
    a = float(angle_to_net(p[0], p[1]))
    k0 = max(r - 1 - FPS, 0)
    th_now = np.degrees(np.arctan2(p[1], RINK.goal_line_x - p[0]))
    q = puck[k0]
    th_then = np.degrees(np.arctan2(q[1], RINK.goal_line_x - q[0]))
    dth = float(abs((th_now - th_then + 180.0) % 360.0 - 180.0))
    if goalie is None:
        g_off, g_spd = float("nan"), 0.0
    else:
        g = goalie[r - 1]
        depth = max(float(np.hypot(RINK.goal_line_x - g[0], g[1])), 1.0)
        ang = np.arctan2(p[1], max(RINK.goal_line_x - p[0], 1e-3))
        ang = float(np.clip(ang, -np.radians(80), np.radians(80)))
        sq = np.array([RINK.goal_line_x - depth * np.cos(ang), depth * np.sin(ang)])
        g_off = float(np.hypot(*(sq - g)))
        k = max(r - 1 - 6, 0)
        g_spd = float(np.hypot(*(goalie[r - 1] - goalie[k])) * FPS / max(r - 1 - k, 1))
    # bodies near the segment from the puck to the net centre
    others = np.concatenate([np.delete(att[r - 1], shooter_col, axis=0), dfn[r - 1]], axis=0)
    is_def = np.r_[np.zeros(att.shape[1] - 1, bool), np.ones(dfn.shape[1], bool)]
    net = np.array([RINK.goal_line_x, 0.0])
    seg = net - p
    L = float(np.hypot(*seg))
    if L < 1e-6:
        screens = lane = 0
    else:
        u = seg / L
        rel = others - p
        along = rel @ u
        perp = np.abs(rel[:, 0] * u[1] - rel[:, 1] * u[0])
        # lane half-width grows toward the net (the triangle to the posts)
        half = 1.0 + 1.5 * np.clip(along / L, 0, 1)
        in_lane = (along > 2.0) & (along < L - 1.0) & (perp < half)
        screens = int(np.sum(in_lane & (L - along < 15.0)))
        lane = int(np.sum(in_lane & (L - along >= 15.0) & is_def))
    return Situation(d, a, dth, g_off, g_spd, screens, lane, puck_mph, shot_type, one_timer, off_wing, goalie is None)


def true_logit(s: Situation, shooter_skill: float, goalie_skill: float, goalie_height: float) -> float:
    """Log-odds of a goal. Smooth, with interactions, and never shown to any model."""
    d = s.distance
    if s.empty_net:
        return 2.2 - 0.022 * d + 0.5 * shooter_skill  # the real NHL: 63% of empty-net attempts go in
    z = -2.52 - 0.032 * d + 0.35 * np.exp(-d / 7.0)
    z -= 0.016 * max(s.angle - 30.0, 0.0) * (1.0 if d > 8 else 0.4)
    z += 0.013 * min(s.angle_change, 70.0) * (1.1 if d < 25 else 0.8)
    gd = min(s.goalie_offset, 9.0)
    z += 0.30 * gd * (1.1 if d < 20 else 0.9) - 0.015 * gd * gd
    z += 0.035 * min(s.goalie_speed, 16.0)
    z += (0.28 * min(s.screens, 2)) * (1.0 if d > 25 else 0.3)
    z -= 0.22 * min(s.lane_defenders, 3)
    z += 0.011 * (s.puck_mph - 70.0)
    z += TYPE_EFFECT.get(s.shot_type, 0.0)
    if s.one_timer:
        z += 0.12 + (0.15 if s.off_wing else 0.0)
    z += shooter_skill - goalie_skill - 0.03 * (goalie_height - 75.0)
    return float(z)
