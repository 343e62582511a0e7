"""The rink, the clock and providers' coordinate systems: a hockey game's fixed numbers, once.

The rink: NHL geometry as data, feet, origin at centre ice, x along the length
(-100..100), y across (-42.5..42.5). The clock: period lengths and game seconds. The
coordinate systems: how each provider writes a position, and the one conversion to the
canonical rink (`to_canonical`). Everything that needs these (sources, simulator,
factors, live API, drawing) reads them from here, so the numbers 89, 42.5, 100 and 1200
appear nowhere else (tests/test_coords.py keeps it so).

A *normalised* point is seen from the team that made the event, which attacks the net at
x = +goal line (89 ft). Shots are stored normalised, events as the rink shows them (each
team attacks one end per period). A provider's system declares what differs: where its
origin is (centre ice or a corner), its units and the rink's extent in them, which way y
grows, and which way is attacked: already normalised, or fixed to the rink with the teams
switching ends every period (the adapter then gives, or
`oa.sources.common.attack_signs` derives, +1 or -1 per team and period).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import TypeVar, overload

import numpy as np


@dataclass(frozen=True)
class Rink:
    """Dimensions of an NHL rink in feet."""

    length: float = 200.0
    width: float = 85.0
    corner_radius: float = 28.0
    goal_line_x: float = 89.0  # 11 ft from the end boards
    blue_line_x: float = 25.0  # centre of the blue line, from centre ice
    blue_line_width: float = 1.0
    post_y: float = 3.0  # goal mouth is 6 ft wide
    net_depth: float = 3.33
    faceoff_circle_r: float = 15.0
    faceoff_x: float = 69.0
    faceoff_y: float = 22.0
    neutral_dot_x: float = 20.0
    crease_half_width: float = 4.0
    crease_side: float = 4.5
    crease_r: float = 6.0

    @property
    def half_length(self) -> float:
        return self.length / 2

    @property
    def half_width(self) -> float:
        return self.width / 2

    @property
    def net(self) -> tuple[float, float]:
        """Centre of the goal line of the attacked net (normalised coordinates)."""
        return (self.goal_line_x, 0.0)

    def boards(self, n_per_corner: int = 24) -> tuple[np.ndarray, np.ndarray]:
        """Closed polyline of the boards (Plotly paths cannot draw arcs)."""
        hl, hw, r = self.half_length, self.half_width, self.corner_radius
        xs, ys = [], []
        for cx, cy, a0 in (
            (hl - r, hw - r, 0.0),
            (-hl + r, hw - r, 90.0),
            (-hl + r, -hw + r, 180.0),
            (hl - r, -hw + r, 270.0),
        ):
            a = np.radians(np.linspace(a0, a0 + 90.0, n_per_corner))
            xs.append(cx + r * np.cos(a))
            ys.append(cy + r * np.sin(a))
        x = np.concatenate(xs + [xs[0][:1]])
        y = np.concatenate(ys + [ys[0][:1]])
        return x, y

    def crease(self, side: int = 1, n: int = 24) -> tuple[np.ndarray, np.ndarray]:
        """Goal crease polyline: straight sides of 4.5 ft then an arc of radius 6."""
        gx = side * self.goal_line_x
        hw = self.crease_half_width
        # arc centred on the goal line centre, from y=-hw to y=hw, clipped at x = side*crease_side
        a_max = np.arcsin(hw / self.crease_r)
        a = np.linspace(-a_max, a_max, n)
        arc_x = gx - side * self.crease_r * np.cos(a)
        arc_y = self.crease_r * np.sin(a)
        x = np.concatenate([[gx, gx - side * self.crease_side], arc_x, [gx - side * self.crease_side, gx]])
        y = np.concatenate([[-hw, -hw], arc_y, [hw, hw]])
        return x, y

    def inside(self, x: np.ndarray, y: np.ndarray, margin: float = 0.0) -> np.ndarray:
        """True where (x, y) lies on the ice surface, at least `margin` ft from the boards."""
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        hl, hw, r = self.half_length - margin, self.half_width - margin, self.corner_radius - margin
        ax, ay = np.abs(x), np.abs(y)
        in_box = (ax <= hl) & (ay <= hw)
        cx, cy = hl - r, hw - r
        in_corner_zone = (ax > cx) & (ay > cy)
        in_arc = (ax - cx) ** 2 + (ay - cy) ** 2 <= r**2
        return in_box & (~in_corner_zone | in_arc)

    def clamp(self, x: np.ndarray, y: np.ndarray, margin: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        """Project points outside the ice (less `margin`) back onto it; keeps shape."""
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        hl, hw, r = self.half_length - margin, self.half_width - margin, self.corner_radius - margin
        sx, sy = np.sign(x), np.sign(y)
        ax = np.minimum(np.abs(x), hl)
        ay = np.minimum(np.abs(y), hw)
        cx, cy = hl - r, hw - r
        dx, dy = ax - cx, ay - cy
        corner = (dx > 0) & (dy > 0)
        dist = np.hypot(dx, dy)
        scale = np.where(corner & (dist > r), r / np.maximum(dist, 1e-9), 1.0)
        ax = np.where(corner, cx + dx * scale, ax)
        ay = np.where(corner, cy + dy * scale, ay)
        return sx * ax, sy * ay


RINK = Rink()


def distance_to_net(x: np.ndarray, y: np.ndarray, rink: Rink = RINK) -> np.ndarray:
    """Distance in feet from the attacked net (normalised coordinates, net at +89)."""
    return np.hypot(rink.goal_line_x - np.asarray(x, dtype=float), np.asarray(y, dtype=float))


def angle_to_net(x: np.ndarray, y: np.ndarray, rink: Rink = RINK) -> np.ndarray:
    """Absolute shot angle in degrees off the net's centre line (0 = straight on, >90 = behind)."""
    dx = rink.goal_line_x - np.asarray(x, dtype=float)
    return np.degrees(np.arctan2(np.abs(np.asarray(y, dtype=float)), dx))


# -- the clock ---------------------------------------------------------------------------------------------
PERIOD_S = 1200.0  # a regulation period (and a playoff overtime period): 20 minutes
REGULAR_SEASON_OT_S = 300.0  # regular-season overtime: 5 minutes


@overload
def period_start(period: float) -> float: ...
@overload
def period_start(period: np.ndarray) -> np.ndarray: ...
def period_start(period: float | np.ndarray) -> float | np.ndarray:
    """Game seconds at the start of `period` (1-based); works on numbers and arrays alike."""
    return (period - 1) * PERIOD_S


@overload
def game_seconds(period: float, period_seconds: float) -> float: ...
@overload
def game_seconds(period: np.ndarray, period_seconds: np.ndarray) -> np.ndarray: ...
def game_seconds(period: float | np.ndarray, period_seconds: float | np.ndarray) -> float | np.ndarray:
    """Seconds since the start of the game from the period (1-based) and the seconds into it."""
    return period_start(period) + period_seconds


# -- providers' coordinate systems -------------------------------------------------------------------------
A = TypeVar("A", float, np.ndarray)


class Origin(Enum):
    """Where a provider's (0, 0) is."""

    CENTRE = "centre ice"
    CORNER = "a corner (x from 0 to the length, y from 0 to the width)"


class Attack(Enum):
    """Which way a provider's points are seen."""

    NORMALISED = "normalised: every point is seen from its team's side, attacking +x"
    PER_PERIOD = "fixed to the rink: each team attacks one end per period and the teams switch ends"


@dataclass(frozen=True)
class CoordinateSystem:
    """How one provider writes a position on the ice.

    `length` and `width` are the rink's extent in the provider's `units` (its x and y
    spans); they map onto the canonical rink's 200 x 85 ft. `y_flipped`: the provider's y
    grows towards the canonical -y. `attack_from` says in words where the attacking
    direction comes from (the docs and `python -m oa` show it)."""

    origin: Origin
    attack: Attack
    units: str = "ft"
    length: float = RINK.length
    width: float = RINK.width
    y_flipped: bool = False
    attack_from: str = field(default="", compare=False)

    @property
    def x_range(self) -> tuple[float, float]:
        """The provider's x on the ice, low and high."""
        return (0.0, self.length) if self.origin is Origin.CORNER else (-self.length / 2, self.length / 2)

    @property
    def y_range(self) -> tuple[float, float]:
        """The provider's y on the ice, low and high."""
        return (0.0, self.width) if self.origin is Origin.CORNER else (-self.width / 2, self.width / 2)

    def describe(self) -> str:
        """One line for people: origin, units and extent, direction."""
        return (
            f"origin at {self.origin.value}; {self.length:g} x {self.width:g} {self.units}"
            + ("; y grows the other way" if self.y_flipped else "")
            + f"; {self.attack.value}"
            + (f" ({self.attack_from})" if self.attack_from else "")
        )

    def to_rink(self, x: A, y: A) -> tuple[A, A]:
        """Provider point -> canonical feet and origin, still facing the way the provider faces."""
        sx, sy = RINK.length / self.length, RINK.width / self.width
        if self.origin is Origin.CORNER:
            x, y = x - self.length / 2, y - self.width / 2
        return x * sx, (-y if self.y_flipped else y) * sy

    def from_rink(self, x: A, y: A) -> tuple[A, A]:
        """The inverse of `to_rink`."""
        px, py = x * (self.length / RINK.length), y * (self.width / RINK.width)
        py = -py if self.y_flipped else py
        if self.origin is Origin.CORNER:
            px, py = px + self.length / 2, py + self.width / 2
        return px, py


def rotate(x: A, y: A, sign: A | float) -> tuple[A, A]:
    """Turn a point half a turn about centre ice where `sign` is -1 (seen from the other end)."""
    return x * sign, y * sign


def to_canonical(x: A, y: A, system: CoordinateSystem, attack_sign: A | float = 1.0) -> tuple[A, A]:
    """A provider point in the canonical rink, normalised: the event's team attacks x = +89.

    `attack_sign`: +1 where the team attacks the provider's +x end, -1 the other end (one value,
    or one per point). A NORMALISED system's points are already seen that way: their sign is +1."""
    return rotate(*system.to_rink(x, y), attack_sign)


def from_canonical(x: A, y: A, system: CoordinateSystem, attack_sign: A | float = 1.0) -> tuple[A, A]:
    """The inverse of `to_canonical`: a normalised point as the provider would write it."""
    return system.from_rink(*rotate(x, y, attack_sign))


def clip(x: A, y: A) -> tuple[A, A]:
    """Canonical points held inside the rink's rectangle (scorers record a few feet past the boards)."""
    return np.clip(x, -RINK.half_length, RINK.half_length), np.clip(y, -RINK.half_width, RINK.half_width)


# The frame the store keeps events in, and the NHL's own: feet from centre ice, fixed to the rink.
RINK_FEET = CoordinateSystem(Origin.CENTRE, Attack.PER_PERIOD)
