"""An NHL rink for Plotly, drawn as pure functions of the rink dimensions (mplsoccer style).

`rink_markings(rink, paint)` turns a `Rink` (the numbers) and a `RinkPaint` (colours and
the painted details the geometry does not need) into a list of `Marking`s: plain
polylines in feet. `rink_figure()` turns those into Plotly layout shapes under an empty
plot, ready for shot traces to be added on top. Shapes (not traces) keep the rink out of
hover, legends and point selection.

Plotly path shapes do not accept SVG arc commands, so every arc (rounded boards, crease,
circles, dots) is sampled as a polyline. With `half=True` only the offensive half
(x >= 0) is drawn; markings are clipped at centre ice rather than hidden behind the axis
range, so the picture is exact at any zoom.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from oa.rink import RINK, Rink

NO_FILL = "rgba(0,0,0,0)"


@dataclass(frozen=True)
class RinkPaint:
    """Colours and painted details (NHL Official Rules, Rule 1) that only drawing needs."""

    ice: str = "#ffffff"
    boards: str = "#1f2933"
    red: str = "#c8102e"
    blue: str = "#0033a0"
    crease_fill: str = "#bfe3f7"
    net_fill: str = "#e6e6e6"
    boards_px: float = 3.0
    paint_px: float = 1.6  # outline width of thin painted lines, in pixels
    centre_line_width: float = 1.0  # 12 in
    goal_line_width: float = 2 / 12  # 2 in
    dot_r: float = 1.0  # end-zone and neutral-zone spots: 2 ft across
    centre_dot_r: float = 0.5  # centre spot: 12 in across
    hash_len: float = 2.0  # hash marks on the end-zone circles
    hash_gap: float = 67 / 12  # 5 ft 7 in between the hash marks
    trapezoid_goal_half: float = 11.0  # goalie trapezoid: 22 ft wide at the goal line
    trapezoid_end_half: float = 14.0  # ... and 28 ft at the end boards
    referee_crease_r: float = 10.0
    net_corner_r: float = 1.0  # rounded back corners of the net frame
    n_arc: int = 48  # points per sampled circle


PAINT = RinkPaint()


@dataclass(frozen=True)
class Marking:
    """One painted element as a polyline in rink feet."""

    name: str
    x: np.ndarray
    y: np.ndarray
    closed: bool
    line: str
    line_px: float
    fill: str = NO_FILL


# -- geometry helpers (pure) ----------------------------------------------------------


def circle(cx: float, cy: float, r: float, n: int = 48) -> tuple[np.ndarray, np.ndarray]:
    """Closed polyline approximating a circle (first point repeated at the end)."""
    a = np.linspace(0.0, 2 * np.pi, n + 1)
    return cx + r * np.cos(a), cy + r * np.sin(a)


def arc(cx: float, cy: float, r: float, a0: float, a1: float, n: int = 24) -> tuple[np.ndarray, np.ndarray]:
    """Open polyline of a circular arc from angle a0 to a1 (degrees)."""
    a = np.radians(np.linspace(a0, a1, n))
    return cx + r * np.cos(a), cy + r * np.sin(a)


def _extent(half_along: float, half_across: float, r: float, v: float) -> float:
    """How far the ice reaches across at coordinate v along, given the corner radius r."""
    d = abs(v) - (half_along - r)
    if d <= 0:
        return half_across
    return (half_across - r) + float(np.sqrt(max(r * r - d * d, 0.0)))


def boards_half_width_at(rink: Rink, x: float) -> float:
    """Half the ice width at length coordinate x (narrower where the corners round off)."""
    return _extent(rink.half_length, rink.half_width, rink.corner_radius, x)


def boards_x_at(rink: Rink, y: float) -> float:
    """Distance from centre ice to the end boards at width coordinate y."""
    return _extent(rink.half_width, rink.half_length, rink.corner_radius, y)


def _rect(x0: float, x1: float, y0: float, y1: float) -> tuple[np.ndarray, np.ndarray]:
    return np.array([x0, x1, x1, x0, x0]), np.array([y0, y0, y1, y1, y0])


def _band(rink: Rink, x0: float, x1: float) -> tuple[np.ndarray, np.ndarray]:
    """A painted line across the ice between x0 and x1, stopping at the boards on both edges."""
    w = min(boards_half_width_at(rink, x0), boards_half_width_at(rink, x1))
    return _rect(x0, x1, -w, w)


def _net(rink: Rink, side: int, corner_r: float, n: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Net frame seen from above: posts on the goal line, rounded back `net_depth` behind it."""
    gx, py, d = side * rink.goal_line_x, rink.post_y, rink.net_depth
    rc = min(corner_r, d / 2, py)
    back = gx + side * (d - rc)
    a_lo = np.radians(np.linspace(-90.0, 0.0, n))
    a_hi = np.radians(np.linspace(0.0, 90.0, n))
    x = np.concatenate([[gx], back + side * rc * np.cos(a_lo), back + side * rc * np.cos(a_hi), [gx]])
    y = np.concatenate([[-py], -py + rc + rc * np.sin(a_lo), py - rc + rc * np.sin(a_hi), [py]])
    return x, y


def rink_markings(rink: Rink = RINK, paint: RinkPaint = PAINT) -> list[Marking]:
    """Every painted element of the rink, bottom layer first."""
    hw = rink.half_width
    n = paint.n_arc
    m: list[Marking] = []

    bx, by = rink.boards(n_per_corner=n // 2)
    m.append(Marking("boards", bx, by, True, paint.boards, paint.boards_px, paint.ice))

    # goalie trapezoids behind each net (drawn under the nets)
    for side in (1, -1):
        gx = side * rink.goal_line_x
        for s in (1, -1):
            y0, y1 = s * paint.trapezoid_goal_half, s * paint.trapezoid_end_half
            m.append(
                Marking(
                    "trapezoid",
                    np.array([gx, side * boards_x_at(rink, y1)]),
                    np.array([y0, y1]),
                    False,
                    paint.red,
                    paint.paint_px,
                )
            )

    # centre red line (12 in) and the blue lines (1 ft, centred 25 ft from centre ice)
    half_c = paint.centre_line_width / 2
    x, y = _band(rink, -half_c, half_c)
    m.append(Marking("centre_line", x, y, True, paint.red, 0.0, paint.red))
    half_b = rink.blue_line_width / 2
    for side in (1, -1):
        bxc = side * rink.blue_line_x
        x, y = _band(rink, bxc - half_b, bxc + half_b)
        m.append(Marking("blue_line", x, y, True, paint.blue, 0.0, paint.blue))

    # goal lines (2 in), ending where they meet the rounded corners
    half_g = paint.goal_line_width / 2
    for side in (1, -1):
        gx = side * rink.goal_line_x
        x, y = _band(rink, gx - half_g, gx + half_g)
        m.append(Marking("goal_line", x, y, True, paint.red, 1.0, paint.red))

    # faceoff circles: centre (blue) and four end-zone circles (red) with hash marks
    x, y = circle(0.0, 0.0, rink.faceoff_circle_r, n)
    m.append(Marking("centre_circle", x, y, True, paint.blue, paint.paint_px))
    r = rink.faceoff_circle_r
    hg = paint.hash_gap / 2
    y_hash = float(np.sqrt(r * r - hg * hg))
    for sx in (1, -1):
        for sy in (1, -1):
            cx, cy = sx * rink.faceoff_x, sy * rink.faceoff_y
            x, y = circle(cx, cy, r, n)
            m.append(Marking("faceoff_circle", x, y, True, paint.red, paint.paint_px))
            for hx in (-hg, hg):
                for hs in (1, -1):
                    m.append(
                        Marking(
                            "hash_mark",
                            np.array([cx + hx, cx + hx]),
                            np.array([cy + hs * y_hash, cy + hs * (y_hash + paint.hash_len)]),
                            False,
                            paint.red,
                            paint.paint_px,
                        )
                    )

    # creases (light blue, red outline) and nets
    for side in (1, -1):
        x, y = rink.crease(side=side, n=n // 2)
        x, y = np.append(x, x[0]), np.append(y, y[0])
        m.append(Marking("crease", x, y, True, paint.red, paint.paint_px, paint.crease_fill))
        x, y = _net(rink, side, paint.net_corner_r)
        m.append(Marking("net", x, y, False, paint.red, paint.boards_px * 0.8, paint.net_fill))

    # referee's crease at the bench-side boards
    x, y = arc(0.0, -hw, paint.referee_crease_r, 0.0, 180.0, n // 2)
    m.append(Marking("referee_crease", x, y, False, paint.red, paint.paint_px))

    # faceoff spots: end zones, neutral zone, centre
    for sx in (1, -1):
        for sy in (1, -1):
            x, y = circle(sx * rink.faceoff_x, sy * rink.faceoff_y, paint.dot_r, 24)
            m.append(Marking("faceoff_dot", x, y, True, paint.red, 0.0, paint.red))
            x, y = circle(sx * rink.neutral_dot_x, sy * rink.faceoff_y, paint.dot_r, 24)
            m.append(Marking("neutral_dot", x, y, True, paint.red, 0.0, paint.red))
    x, y = circle(0.0, 0.0, paint.centre_dot_r, 24)
    m.append(Marking("centre_dot", x, y, True, paint.blue, 0.0, paint.blue))
    return m


# -- clipping to the offensive half ---------------------------------------------------


def _cross(p: tuple[float, float], q: tuple[float, float], xmin: float) -> tuple[float, float]:
    t = (xmin - p[0]) / (q[0] - p[0])
    return xmin, p[1] + t * (q[1] - p[1])


def clip_polygon(x: np.ndarray, y: np.ndarray, xmin: float) -> tuple[np.ndarray, np.ndarray]:
    """Sutherland-Hodgman clip of a closed polygon to the half-plane x >= xmin (closed result)."""
    pts = list(zip(map(float, x), map(float, y)))
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts = pts[:-1]
    out: list[tuple[float, float]] = []
    for i, q in enumerate(pts):
        p = pts[i - 1]
        p_in, q_in = p[0] >= xmin, q[0] >= xmin
        if q_in:
            if not p_in:
                out.append(_cross(p, q, xmin))
            out.append(q)
        elif p_in:
            out.append(_cross(p, q, xmin))
    if not out:
        return np.array([]), np.array([])
    out.append(out[0])
    xs, ys = zip(*out)
    return np.array(xs), np.array(ys)


def clip_polyline(
    x: np.ndarray, y: np.ndarray, xmin: float, skip_on_edge: bool = False
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Pieces of an open polyline with x >= xmin; optionally drop segments lying on x == xmin."""
    pts = list(zip(map(float, x), map(float, y)))
    runs: list[list[tuple[float, float]]] = []
    cur: list[tuple[float, float]] = []
    eps = 1e-9
    for p, q in zip(pts[:-1], pts[1:]):
        p_in, q_in = p[0] >= xmin, q[0] >= xmin
        if skip_on_edge and abs(p[0] - xmin) < eps and abs(q[0] - xmin) < eps:
            p_in = q_in = False
        if p_in and q_in:
            seg = [p, q]
        elif p_in:
            seg = [p, _cross(p, q, xmin)]
        elif q_in:
            seg = [_cross(p, q, xmin), q]
        else:
            if cur:
                runs.append(cur)
                cur = []
            continue
        if cur and cur[-1] == seg[0]:
            cur.append(seg[1])
        else:
            if cur:
                runs.append(cur)
            cur = list(seg)
        if not (p_in and q_in):
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    return [(np.array([a for a, _ in r]), np.array([b for _, b in r])) for r in runs if len(r) > 1]


def _path(pieces: list[tuple[np.ndarray, np.ndarray]], closed: bool) -> str:
    parts = []
    for x, y in pieces:
        pts = [f"{a:.3f},{b:.3f}" for a, b in zip(x, y)]
        if closed and len(pts) > 1 and pts[0] == pts[-1]:
            pts = pts[:-1]
        parts.append("M" + " L".join(pts) + (" Z" if closed else ""))
    return " ".join(parts)


def _shape(name: str, path: str, line: str, line_px: float, fill: str) -> dict:
    return dict(
        type="path",
        name=name,
        path=path,
        layer="below",
        xref="x",
        yref="y",
        fillcolor=fill,
        line=dict(color=line, width=line_px),
    )


def marking_shapes(m: Marking, xmin: float | None = None) -> list[dict]:
    """Plotly shape dicts for one marking, clipped to x >= xmin when given."""
    filled = m.fill != NO_FILL
    if xmin is None or float(np.min(m.x)) >= xmin:
        if m.closed or filled:
            return [_shape(m.name, _path([(m.x, m.y)], closed=True), m.line, m.line_px, m.fill)]
        return [_shape(m.name, _path([(m.x, m.y)], closed=False), m.line, m.line_px, NO_FILL)]
    if float(np.max(m.x)) < xmin:
        return []
    shapes = []
    if m.closed or filled:
        cx, cy = clip_polygon(m.x, m.y, xmin)
        if len(cx) < 3:
            return []
        if filled:
            shapes.append(_shape(m.name, _path([(cx, cy)], closed=True), m.fill, 0.0, m.fill))
        if m.line_px > 0:
            # the outline must not run along the cut at centre ice
            pieces = clip_polyline(cx, cy, xmin, skip_on_edge=True)
            if pieces:
                shapes.append(_shape(m.name, _path(pieces, closed=False), m.line, m.line_px, NO_FILL))
        return shapes
    pieces = clip_polyline(m.x, m.y, xmin)
    return [_shape(m.name, _path(pieces, closed=False), m.line, m.line_px, NO_FILL)] if pieces else []


# -- the figure -----------------------------------------------------------------------


def rink_figure(
    half: bool = False, rink: Rink = RINK, paint: RinkPaint = PAINT, height: int | None = None
) -> go.Figure:
    """An empty Plotly figure with an NHL rink drawn underneath; add shot traces on top.

    `half=True` shows only the offensive half (0 <= x <= 100): shots are normalised to
    attack the net at x = +89.
    """
    xmin = 0.0 if half else None
    shapes: list[dict] = []
    for m in rink_markings(rink, paint):
        shapes.extend(marking_shapes(m, xmin))
    pad = 1.5
    hl, hw = rink.half_length, rink.half_width
    x_range = [(0.0 - 0.5) if half else -hl - pad, hl + pad]
    y_range = [-hw - pad, hw + pad]
    fig = go.Figure()
    fig.update_layout(
        shapes=shapes,
        xaxis=dict(range=x_range, visible=False, showgrid=False, zeroline=False, constrain="domain"),
        yaxis=dict(
            range=y_range,
            visible=False,
            showgrid=False,
            zeroline=False,
            scaleanchor="x",
            scaleratio=1,
            constrain="domain",
            constraintoward="top",
        ),  # a narrow column: the rink under its legend, spare room below
        plot_bgcolor=paint.ice,
        paper_bgcolor=paint.ice,
        margin=dict(l=8, r=8, t=32, b=8),
        height=height or (560 if half else 440),
        showlegend=True,
        legend=dict(
            orientation="h",
            yanchor="bottom",
            y=1.0,
            xanchor="left",
            x=0.0,
            bgcolor=paint.ice,
            font=dict(color=paint.boards),
        ),
        hoverlabel=dict(bgcolor="white", align="left", font=dict(color=paint.boards)),
        font=dict(color=paint.boards),
    )
    return fig
