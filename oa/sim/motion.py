"""Motion primitives for simulated tracking: smooth skating paths, lagging followers.

All functions are vectorised over frames (axis 0) and entities, and causal where the
physics is a reaction (goalies and defenders can only react to what already happened),
so nothing in a clip before the release can depend on what happens after it.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import lfilter

from oa.rink import RINK

FPS = 30
DT = 1.0 / FPS


def waypoint_path(t: np.ndarray, wp_t: np.ndarray, wp_xy: np.ndarray) -> np.ndarray:
    """Piecewise-linear path through waypoints (times must increase), shape (len(t), 2)."""
    return np.stack([np.interp(t, wp_t, wp_xy[:, 0]), np.interp(t, wp_t, wp_xy[:, 1])], axis=1)


def smooth(path: np.ndarray, width: int = 9, passes: int = 2) -> np.ndarray:
    """Centred moving average (twice = triangular kernel) with edge padding; axis 0 is time."""
    if width <= 1 or len(path) < 3:
        return path
    half = width // 2
    out = path
    for _ in range(passes):
        pad = np.concatenate([np.repeat(out[:1], half, axis=0), out, np.repeat(out[-1:], half, axis=0)], axis=0)
        c = np.cumsum(pad, axis=0, dtype=float)
        c = np.concatenate([np.zeros_like(c[:1]), c], axis=0)
        out = (c[width:] - c[:-width]) / width
    return out


def lag(target: np.ndarray, tau: float, delay_frames: int = 0) -> np.ndarray:
    """Causal first-order follower: reacts `delay_frames` late with time constant `tau` s."""
    if delay_frames > 0:
        target = np.concatenate([np.repeat(target[:1], delay_frames, axis=0), target[:-delay_frames]], axis=0)
    a = np.exp(-DT / max(tau, 1e-6))
    zi = (a * target[0])[None, ...]
    out, _ = lfilter([1 - a], [1, -a], target, axis=0, zi=zi)
    return out


def goalie_target(puck: np.ndarray, depth: float, net_x: float = RINK.goal_line_x) -> np.ndarray:
    """Where a goalie squared to the puck stands: on the puck-to-net line, `depth` ft out.

    Behind the goal line the goalie hugs the near post instead of turning around.
    """
    dx = net_x - puck[:, 0]
    dy = puck[:, 1]
    ang = np.arctan2(dy, np.maximum(dx, 1e-3))
    ang = np.clip(ang, -np.radians(80), np.radians(80))
    ang = np.where(dx < 0.5, np.sign(dy) * np.radians(80), ang)
    d = np.where(dx < 0.5, 1.0, depth)
    return np.stack([net_x - d * np.cos(ang), d * np.sin(ang)], axis=1)


def goal_side_target(attacker: np.ndarray, gap: float, net_x: float = RINK.goal_line_x) -> np.ndarray:
    """A defender's spot `gap` ft from his man, on the line towards the defended net."""
    v = np.stack([net_x - attacker[:, 0], -attacker[:, 1]], axis=1)
    n = np.linalg.norm(v, axis=1, keepdims=True)
    return attacker + v / np.maximum(n, 1e-6) * np.minimum(gap, n * 0.8)


def limit_speed(path: np.ndarray, vmax: float) -> np.ndarray:
    """Slow a path down where it would exceed `vmax` ft/s (keeps direction; (n, 2) or (n, E, 2))."""
    flat = path.reshape(len(path), -1, 2)
    out = flat.copy()
    step = vmax * DT
    n = np.linalg.norm(np.diff(flat, axis=0), axis=-1)
    for e in np.flatnonzero((n > step).any(axis=0)):
        first = int(np.argmax(n[:, e] > step))
        px, py = float(out[first, e, 0]), float(out[first, e, 1])
        xs, ys = flat[:, e, 0].tolist(), flat[:, e, 1].tolist()
        for i in range(first + 1, len(xs)):
            dx, dy = xs[i] - px, ys[i] - py
            m = (dx * dx + dy * dy) ** 0.5
            if m > step:
                dx, dy = dx * step / m, dy * step / m
            px, py = px + dx, py + dy
            out[i, e, 0], out[i, e, 1] = px, py
    return out.reshape(path.shape)
