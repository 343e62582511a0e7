"""The what-if rink: click a spot in the attacking zone to move the shot there.

A click in Plotly (through Streamlit's `on_select`) selects a drawn point, not a place on
the ice, so the zone is covered by a faint grid of clickable points, every 2 ft, each
carrying its spot and saying its distance and angle in its hover.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from oa.plots.rink import rink_figure
from oa.rink import RINK, angle_to_net, distance_to_net

GRID_FT = 2.0
GRID_TRACE = 0  # the grid is the figure's first trace (a click's curve_number)
GRID_COLOR = "rgba(31, 41, 51, 0.16)"


def spot_words(x: float, y: float) -> str:
    """'distance 12 ft, angle 20° (left)': rounded, in the shooter's view (+y is his left)."""
    d, a = float(distance_to_net(x, y)), float(angle_to_net(x, y))
    side = "" if round(a) == 0 else (" (left)" if y > 0 else " (right)")
    return f"distance {d:.0f} ft, angle {a:.0f}°{side}"


def placement_grid(step: float = GRID_FT) -> tuple[np.ndarray, np.ndarray]:
    """Clickable spots: the attacking zone (blue line to the end boards), on the ice, not in the net."""
    xs = np.arange(RINK.blue_line_x + step / 2, RINK.half_length, step)
    reach = np.floor(RINK.half_width / step) * step
    ys = np.arange(-reach, reach + step / 2, step)  # symmetric, through the centre line
    x, y = (a.ravel() for a in np.meshgrid(xs, ys))
    in_net = (x >= RINK.goal_line_x) & (x <= RINK.goal_line_x + RINK.net_depth) & (np.abs(y) <= RINK.post_y)
    keep = RINK.inside(x, y, margin=1.0) & ~in_net
    return np.round(x[keep], 1), np.round(y[keep], 1)


def placement_figure(real: tuple[float, float], moved: tuple[float, float] | None, height: int = 420) -> go.Figure:
    """The offensive half with the clickable grid, the real release point and (if moved) the new one."""
    fig = rink_figure(half=True, height=height)
    gx, gy = placement_grid()
    words = [spot_words(a, b) for a, b in zip(gx, gy)]
    fig.add_trace(
        go.Scatter(
            x=gx,
            y=gy,
            mode="markers",
            name="Click to move the shot",
            showlegend=False,
            marker=dict(size=7, color=GRID_COLOR, line=dict(width=0)),
            customdata=np.stack([gx, gy], axis=1),
            text=words,
            hovertemplate="%{text}<extra>click to move the shot here</extra>",
        )
    )
    rx, ry = float(real[0]), float(real[1])
    fig.add_trace(
        go.Scatter(
            x=[rx],
            y=[ry],
            mode="markers",
            name="Where it was taken",
            marker=dict(size=15, symbol="circle-open", color="#1f2933", line=dict(width=3)),
            hovertemplate=f"Where it was taken: {spot_words(rx, ry)}<extra></extra>",
        )
    )
    if moved is not None:
        mx, my = float(moved[0]), float(moved[1])
        fig.add_annotation(
            x=mx,
            y=my,
            ax=rx,
            ay=ry,
            xref="x",
            yref="y",
            axref="x",
            ayref="y",
            showarrow=True,
            arrowhead=3,
            arrowwidth=2,
            arrowcolor="#BB5566",
            text="",
        )
        fig.add_trace(
            go.Scatter(
                x=[mx],
                y=[my],
                mode="markers",
                name="Moved here",
                marker=dict(size=17, symbol="star", color="#BB5566", line=dict(width=1, color="#1f2933")),
                hovertemplate=f"Moved here: {spot_words(mx, my)}<extra></extra>",
            )
        )
    fig.update_layout(clickmode="event+select", dragmode=False, margin=dict(l=4, r=4, t=36, b=4))
    return fig
