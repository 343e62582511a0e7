"""Factors only tracking can tell: puck and player movement, the goalie, traffic.

Each function takes the shot context and the shots' clips (`oa.features.clips`), which
hold nothing after the release frame. Coordinates are normalised (net at x = +89).
"""

from __future__ import annotations

import numpy as np

from oa.features.clips import Clips
from oa.features.context import Ctx
from oa.features.registry import TRACKING, factor, say_bool, say_cat, say_count, say_num, say_small
from oa.rink import RINK

T_ = (TRACKING,)
MPH = 1.46667  # ft/s per mph
HOLD_FT = 3.0  # the puck is on a player's stick within this distance
ONE_TIMER_S = 0.3  # received and released within this: a one-timer
SCREEN_FT = 15.0  # bodies in the lane this close to the net are screens
NET = np.array([RINK.goal_line_x, 0.0])
ENTRY_TYPES = ("CARRIED", "PASSED", "DUMPED", "NONE")


def clip_factor(name: str, label: str, unit: str, kind: str, group: str, say, **kw):
    """Register a tracking factor (reads clips)."""
    return factor(name, label, unit, kind, group, T_, say, needs_clip=True, **kw)


def _at(a: np.ndarray, i: int) -> np.ndarray:
    """Positions at frame i, clamped into the window."""
    return a[:, max(i, 0)]


def _holder(c: Clips) -> np.ndarray:
    """(n, T): who has the puck: 0 the shooter, 1.. a teammate, -1 nobody (in flight or loose)."""
    if "holder" not in c.cache:
        att = np.concatenate([c.shooter[:, :, None], c.mates], axis=2)  # (n, T, A, 2)
        d = np.hypot(*(att - c.puck[:, :, None]).transpose(3, 0, 1, 2))  # (n, T, A)
        d = np.where(np.isnan(d), np.inf, d)
        h = np.argmin(d, axis=2)
        c.cache["holder"] = np.where(np.min(d, axis=2) < HOLD_FT, h, -1)
    return c.cache["holder"]


def _possession(c: Clips) -> np.ndarray:
    """(n,): frames the shooter had the puck without a break up to the release point."""
    if "poss" not in c.cache:
        own = _holder(c)[:, : c.i0 + 1] == 0
        rev = ~own[:, ::-1]
        run = np.where(rev.any(axis=1), np.argmax(rev, axis=1), own.shape[1])
        c.cache["poss"] = run
    return c.cache["poss"]


def _last_pass(c: Clips) -> tuple[np.ndarray, np.ndarray]:
    """(passed_at, received_at) frame indices of the pass that reached the shooter (-1: none)."""
    if "pass" not in c.cache:
        h = _holder(c)
        recv = c.i0 - _possession(c) + 1  # first frame of the shooter's run
        t = np.arange(c.T)[None, :]
        before = (h != -1) & (t < recv[:, None])
        any_b = before.any(axis=1)
        k = np.where(any_b, c.T - 1 - np.argmax(before[:, ::-1], axis=1), -1)
        prev_holder = np.where(any_b, h[np.arange(c.n), np.maximum(k, 0)], -1)
        is_pass = any_b & (prev_holder >= 1) & (recv <= c.i0)
        c.cache["pass"] = (np.where(is_pass, k, -1), np.where(is_pass, recv, -1))
    return c.cache["pass"]


def _entry(c: Clips) -> np.ndarray:
    """(n,): frame where the puck last crossed the attacking blue line inward (-1: not in the window)."""
    if "entry" not in c.cache:
        x = c.puck[:, : c.i0 + 1, 0]
        cross = (x[:, :-1] < RINK.blue_line_x) & (x[:, 1:] >= RINK.blue_line_x)
        any_c = cross.any(axis=1)
        c.cache["entry"] = np.where(any_c, cross.shape[1] - np.argmax(cross[:, ::-1], axis=1), -1)
    return c.cache["entry"]


@clip_factor("puck_speed", "Puck speed", "mph", "num", "shot", say_num("{:.0f} mph off the stick"))
def puck_speed(ctx: Ctx, c: Clips) -> np.ndarray:
    """Puck speed over the first frame of flight."""
    return np.hypot(*(c.puck[:, c.i1] - c.puck[:, c.i0]).T) * c.fps / MPH


@clip_factor(
    "angle_change",
    "Shooter's change of angle",
    "deg",
    "num",
    "movement",
    say_small(
        1.0,
        "puck barely moved around the net in the last second",
        "puck moved {:.0f}° around the net in the last second",
    ),
)
def angle_change(ctx: Ctx, c: Clips) -> np.ndarray:
    """How far the puck moved around the net in the last second: the goalie must follow it."""
    now, then = c.puck[:, c.i0], _at(c.puck, c.i0 - c.frames(1.0))
    a1 = np.degrees(np.arctan2(now[:, 1], RINK.goal_line_x - now[:, 0]))
    a0 = np.degrees(np.arctan2(then[:, 1], RINK.goal_line_x - then[:, 0]))
    return np.abs((a1 - a0 + 180.0) % 360.0 - 180.0)


@clip_factor(
    "east_west",
    "East-west puck movement",
    "ft",
    "num",
    "movement",
    say_small(
        1.0, "no east-west movement in the last second", "puck moved {:.0f} ft across the ice in the last second"
    ),
)
def east_west(ctx: Ctx, c: Clips) -> np.ndarray:
    """Lateral puck movement in the last second before release."""
    return np.abs(c.puck[:, c.i0, 1] - _at(c.puck, c.i0 - c.frames(1.0))[:, 1])


@clip_factor(
    "shooter_speed",
    "Shooter speed",
    "ft/s",
    "num",
    "movement",
    say_small(1.0, "shooter standing still", "shooter skating {:.0f} ft/s"),
)
def shooter_speed(ctx: Ctx, c: Clips) -> np.ndarray:
    """Shooter's skating speed over the last 0.1 s."""
    k = c.frames(0.1)
    return np.hypot(*(c.shooter[:, c.i0] - _at(c.shooter, c.i0 - k)).T) * c.fps / k


@clip_factor(
    "possession_s", "Time on the stick", "s", "num", "movement", say_num("shooter had the puck {:.1f} s"), step=0.1
)
def possession_s(ctx: Ctx, c: Clips) -> np.ndarray:
    """How long the shooter had the puck before letting go (a quick release beats the goalie)."""
    return _possession(c) / c.fps


@clip_factor("one_timer", "One-timer", "", "bool", "shot", say_bool("a one-timer", "not a one-timer"))
def one_timer(ctx: Ctx, c: Clips) -> np.ndarray:
    """Shot straight off a teammate's pass, within 0.3 s of receiving it (tips excluded)."""
    _, recv = _last_pass(c)
    quick = (recv >= 0) & (_possession(c) <= c.frames(ONE_TIMER_S))
    return (quick & ~np.isin(ctx["shot_type"], ("TIP", "DEFLECTION"))).astype(float)


@clip_factor(
    "since_pass_s",
    "Pass before the shot",
    "s",
    "num",
    "movement",
    say_num("pass {:.1f} s before the shot", missing="no pass in the last 5 s"),
    step=0.1,
)
def since_pass_s(ctx: Ctx, c: Clips) -> np.ndarray:
    """Seconds from the teammate's pass leaving his stick to the release (none: no pass seen)."""
    sent, _ = _last_pass(c)
    return np.where(sent >= 0, (c.i0 - sent) / c.fps, np.nan)


@clip_factor(
    "cross_middle",
    "Pass across the middle",
    "",
    "bool",
    "movement",
    say_bool("pass crossed the middle (royal road)", "no pass across the middle"),
)
def cross_middle(ctx: Ctx, c: Clips) -> np.ndarray:
    """The pass to the shooter crossed the centre line of the zone (y = 0): the goalie must go post to post."""
    sent, recv = _last_pass(c)
    rows = np.arange(c.n)
    y0 = c.puck[rows, np.maximum(sent, 0), 1]
    y1 = c.puck[rows, np.maximum(recv, 0), 1]
    return ((sent >= 0) & (np.sign(y0) * np.sign(y1) < 0) & (np.abs(y0) >= 2) & (np.abs(y1) >= 2)).astype(float)


@clip_factor(
    "since_entry_s",
    "Time since zone entry",
    "s",
    "num",
    "movement",
    say_num("{:.1f} s after the zone entry", missing="in the zone for more than 5 s"),
    step=0.1,
)
def since_entry_s(ctx: Ctx, c: Clips) -> np.ndarray:
    """Seconds since the puck crossed the blue line into the zone."""
    k = _entry(c)
    return np.where(k >= 0, (c.i0 - k) / c.fps, np.nan)


@clip_factor(
    "entry_lane",
    "Where the puck entered",
    "ft",
    "num",
    "movement",
    say_num("entered the zone {:.0f} ft from the middle", missing="no entry in the last 5 s"),
)
def entry_lane(ctx: Ctx, c: Clips) -> np.ndarray:
    """Distance from the middle of the ice where the puck crossed the blue line."""
    k = _entry(c)
    return np.where(k >= 0, np.abs(c.puck[np.arange(c.n), np.maximum(k, 0), 1]), np.nan)


@clip_factor(
    "entry_type",
    "How the puck entered",
    "",
    "cat",
    "movement",
    say_cat(
        {
            "CARRIED": "carried into the zone",
            "PASSED": "passed into the zone",
            "DUMPED": "dumped in",
            "NONE": "no entry in the last 5 s",
        }
    ),
    categories=ENTRY_TYPES,
)
def entry_type(ctx: Ctx, c: Clips) -> np.ndarray:
    """Carried (on a stick at the line), passed (picked up by a teammate within 1.5 s) or dumped."""
    k = _entry(c)
    h = _holder(c)
    rows = np.arange(c.n)
    carried = h[rows, np.maximum(k, 0)] != -1
    t = np.arange(c.T)[None, :]
    soon = (t > k[:, None]) & (t <= (k + c.frames(1.5))[:, None]) & (h != -1)
    out = np.where(carried, "CARRIED", np.where(soon.any(axis=1), "PASSED", "DUMPED")).astype(object)
    out[k < 0] = "NONE"
    return out


@clip_factor("rush", "Rush", "", "bool", "movement", say_bool("off the rush", "set play in the zone"))
def rush(ctx: Ctx, c: Clips) -> np.ndarray:
    """The puck was outside the attacking zone (neutral zone or beyond) within the last 4 s."""
    x = c.puck[:, max(c.i0 - c.frames(4.0), 0) : c.i0 + 1, 0]
    return (x < RINK.blue_line_x).any(axis=1).astype(float)


def _square(c: Clips) -> tuple[np.ndarray, np.ndarray]:
    """Goalie position at release and the point on his arc that squares him to the puck."""
    g = c.goalie[:, c.i0]
    p = c.puck[:, c.i0]
    depth = np.maximum(np.hypot(RINK.goal_line_x - g[:, 0], g[:, 1]), 1.0)
    ang = np.arctan2(p[:, 1], np.maximum(RINK.goal_line_x - p[:, 0], 1e-3))
    ang = np.clip(ang, -np.radians(80), np.radians(80))
    sq = np.stack([RINK.goal_line_x - depth * np.cos(ang), depth * np.sin(ang)], axis=1)
    return g, sq


@clip_factor(
    "goalie_travel",
    "Goalie's distance to square up",
    "ft",
    "num",
    "goalie",
    say_small(
        0.5,
        "goalie already square to the puck",
        "goalie had to move {:g} ft to square up",
        missing="no goalie to move (empty net)",
    ),
    step=0.5,
)
def goalie_travel(ctx: Ctx, c: Clips) -> np.ndarray:
    """How far the goalie was, at release, from the spot on his arc square to the puck."""
    g, sq = _square(c)
    return np.hypot(*(sq - g).T)


@clip_factor(
    "goalie_depth",
    "Goalie depth",
    "ft",
    "num",
    "goalie",
    say_num("goalie {:.0f} ft out from the goal line", missing="no goalie depth (empty net)"),
    step=0.5,
)
def goalie_depth(ctx: Ctx, c: Clips) -> np.ndarray:
    """Goalie's distance from the centre of the goal line at release."""
    g = c.goalie[:, c.i0]
    return np.hypot(RINK.goal_line_x - g[:, 0], g[:, 1])


@clip_factor(
    "goalie_speed",
    "Goalie movement",
    "ft/s",
    "num",
    "goalie",
    say_small(1.0, "goalie still", "goalie moving {:.0f} ft/s", missing="no goalie movement (empty net)"),
)
def goalie_speed(ctx: Ctx, c: Clips) -> np.ndarray:
    """Goalie's speed over the last 0.2 s: a goalie still sliding cannot set his angle."""
    k = c.frames(0.2)
    return np.hypot(*(c.goalie[:, c.i0] - _at(c.goalie, c.i0 - k)).T) * c.fps / k


@clip_factor(
    "goalie_set",
    "Goalie set",
    "",
    "bool",
    "goalie",
    say_bool("goalie set", "goalie still moving", missing="no goalie to set (empty net)"),
)
def goalie_set(ctx: Ctx, c: Clips) -> np.ndarray:
    """The goalie moved less than a foot in the last half second."""
    moved = np.hypot(*(c.goalie[:, c.i0] - _at(c.goalie, c.i0 - c.frames(0.5))).T)
    return np.where(np.isnan(moved), np.nan, (moved < 1.0).astype(float))


def _lane(ctx: Ctx, c: Clips) -> dict[str, np.ndarray]:
    """Bodies in the shooting lane (the triangle from the puck to the posts) at release."""
    if "lane" not in c.cache:
        p = c.puck[:, c.i0]  # (n, 2)
        others = np.concatenate([c.mates[:, c.i0], c.opps[:, c.i0]], axis=1)  # (n, M+K, 2)
        is_def = np.r_[np.zeros(c.mates.shape[2], bool), np.ones(c.opps.shape[2], bool)][None, :]
        seg = NET[None, :] - p
        L = np.hypot(seg[:, 0], seg[:, 1])
        u = seg / np.maximum(L, 1e-6)[:, None]
        rel = others - p[:, None, :]
        along = rel[..., 0] * u[:, None, 0] + rel[..., 1] * u[:, None, 1]
        perp = np.abs(rel[..., 0] * u[:, None, 1] - rel[..., 1] * u[:, None, 0])
        half = 1.0 + 1.5 * np.clip(along / np.maximum(L, 1e-6)[:, None], 0, 1)
        in_lane = (along > 2.0) & (along < L[:, None] - 1.0) & (perp < half)  # NaN compares False
        near = (L[:, None] - along) < SCREEN_FT
        c.cache["lane"] = dict(
            screens=(in_lane & near).sum(axis=1).astype(float),
            blockers=(in_lane & ~near & is_def).sum(axis=1).astype(float),
            mates=(in_lane & ~near & ~is_def).sum(axis=1).astype(float),
            ok=np.isfinite(L),
        )
    return c.cache["lane"]


@clip_factor(
    "screens",
    "Screens",
    "bodies",
    "num",
    "traffic",
    say_count("no screen", "1 body screening the goalie", "{} bodies screening the goalie", missing="traffic unknown"),
)
def screens(ctx: Ctx, c: Clips) -> np.ndarray:
    """Players of either team in the shooting lane within 15 ft of the net."""
    lane = _lane(ctx, c)
    return np.where(lane["ok"], lane["screens"], np.nan)


@clip_factor(
    "lane_blockers",
    "Defenders in the lane",
    "bodies",
    "num",
    "traffic",
    say_count(
        "clear shooting lane",
        "1 defender in the shooting lane",
        "{} defenders in the shooting lane",
        missing="traffic unknown",
    ),
)
def lane_blockers(ctx: Ctx, c: Clips) -> np.ndarray:
    """Defenders in the shooting lane further than 15 ft from the net (they block or deflect)."""
    lane = _lane(ctx, c)
    return np.where(lane["ok"], lane["blockers"], np.nan)


@clip_factor(
    "lane_mates",
    "Teammates in the lane",
    "bodies",
    "num",
    "traffic",
    say_count(
        "no teammate in the lane",
        "1 teammate in the shooting lane",
        "{} teammates in the shooting lane",
        missing="traffic unknown",
    ),
)
def lane_mates(ctx: Ctx, c: Clips) -> np.ndarray:
    """Shooter's teammates in the lane further than 15 ft from the net."""
    lane = _lane(ctx, c)
    return np.where(lane["ok"], lane["mates"], np.nan)


@clip_factor(
    "pressure_ft",
    "Nearest defender",
    "ft",
    "num",
    "traffic",
    say_num("nearest defender {:.0f} ft away", missing="no defender tracked"),
)
def pressure_ft(ctx: Ctx, c: Clips) -> np.ndarray:
    """Distance from the shooter to the closest defending skater at release."""
    d = np.hypot(*(c.opps[:, c.i0] - c.shooter[:, c.i0][:, None, :]).transpose(2, 0, 1))
    d = np.where(np.isnan(d), np.inf, d).min(axis=1)
    return np.where(np.isinf(d), np.nan, d)
