"""Providers' coordinate systems as objects, and the one conversion to the canonical rink.

The canonical rink is `oa.rink.RINK`: feet, origin at centre ice, x along the length,
y across; a *normalised* point is seen from the team that made the event, which attacks
the net at x = +goal line (89 ft). Shots are stored normalised, events as the rink shows
them (each team attacks one end per period).

A provider's system declares what differs: where its origin is (centre ice or a corner),
its units and the rink's extent in them, which way y grows, and which way is attacked —
already normalised (every point from its team's side), or fixed to the rink with the teams
switching ends every period (the adapter then gives, or `oa.sources.common.attack_signs`
derives, +1 or -1 per team and period). `to_canonical` is the one conversion; the
adapters, the ingest's shot normalisation and the tests all go through it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import TypeVar

import numpy as np

from oa.rink import RINK

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
