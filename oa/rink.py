"""NHL rink geometry as data (DESIGN section 2).

Feet, origin at centre ice, x along the length (-100..100), y across (-42.5..42.5).
Everything that needs the rink (simulator, factors, drawing) reads it from here so the
numbers live in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

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
