"""Talent with its uncertainty, drawn: each player's shrunk estimate with its 90% interval, his raw record
beside it, the league's average as a line; and the same over seasons.

The tables come from `oa.analysis.talent` (columns `name`, `shrunk`, `lo90`, `hi90`, `raw`, `shots`,
`small_sample`, and `season` for a trend); these functions only draw them.
"""

from __future__ import annotations

from html import escape

import pandas as pd
import plotly.graph_objects as go

from oa.plots.shots import title_layout, title_margin, title_text
from oa.vocab import GOOD_BAD, INK, NEUTRAL_COLOR

GRID = "#eef1f4"
ROW_PX = 30  # height of one player's row
LEGEND_PX = 84  # the bottom margin: tick labels, the axis title and a legend that may wrap to two lines
SELECTED = INK  # the chosen player's interval; the others are grey


def _layout(fig: go.Figure, title: str, height: int, xaxis: str) -> go.Figure:
    t = title_text(title)
    fig.update_layout(
        height=height,
        title=title_layout(t),
        margin=dict(l=8, r=8, t=title_margin(t), b=LEGEND_PX),
        plot_bgcolor="white",
        paper_bgcolor="white",
        font=dict(color=INK),
        xaxis=dict(title=xaxis, gridcolor=GRID, zeroline=True, zerolinecolor=NEUTRAL_COLOR, automargin=True),
        # under the axis title, in the figure's own bottom margin: never over the tick labels
        legend=dict(orientation="h", yref="container", y=0, yanchor="bottom", x=0, xanchor="left"),
        hovermode="closest",
    )
    return fig


def interval_figure(
    df: pd.DataFrame, selected: int | None, title: str, unit: str, height: int | None = None
) -> go.Figure:
    """One row per player (`player_id`, `name`): the 90% interval as a bar, the shrunk estimate as a dot, the raw
    record as a hollow diamond; the `selected` player in ink, the rest grey; 0 (league average) marked."""
    df = df.reset_index(drop=True)
    names = [escape(str(n)) for n in df["name"]]  # stored names are data: shown as text, never as markup
    labels = [f"<b>{n}</b>" if pid == selected else n for n, pid in zip(names, df["player_id"])]
    labels = [lab + (" *" if small else "") for lab, small in zip(labels, df["small_sample"])]
    colors = [SELECTED if pid == selected else NEUTRAL_COLOR for pid in df["player_id"]]
    hover = [
        f"{n}<br>shrunk {s:+.1f} {unit} (90%: {lo:+.1f} to {hi:+.1f})<br>raw {r:+.1f} on {int(k):,} shots"
        + ("<br>small sample" if small else "")
        for n, s, lo, hi, r, k, small in zip(
            names, df["shrunk"], df["lo90"], df["hi90"], df["raw"], df["shots"], df["small_sample"]
        )
    ]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=df["shrunk"].astype(float).tolist(),
            y=labels,
            mode="markers",
            marker=dict(color=colors, size=10),
            error_x=dict(
                type="data",
                symmetric=False,
                array=(df["hi90"] - df["shrunk"]).clip(lower=0).astype(float).tolist(),
                arrayminus=(df["shrunk"] - df["lo90"]).clip(lower=0).astype(float).tolist(),
                color=NEUTRAL_COLOR,
                thickness=2,
                width=0,
            ),
            name="Shrunk estimate, 90% interval",
            hovertext=hover,
            hoverinfo="text",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=df["raw"].astype(float).tolist(),
            y=labels,
            mode="markers",
            marker=dict(symbol="diamond-open", color=GOOD_BAD.bad, size=9, line=dict(width=2)),
            name="Raw record",
            hovertext=hover,
            hoverinfo="text",
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=True, gridcolor=GRID)
    return _layout(fig, title, height or max(220, 110 + ROW_PX * len(df)), unit)


def trend_figure(df: pd.DataFrame, title: str, unit: str, height: int = 320) -> go.Figure:
    """A player's shrunk estimate season by season with its 90% band, and his raw record."""
    df = df.sort_values("season")
    x = df["season"].astype(str).tolist()
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=x + x[::-1],
            y=df["hi90"].tolist() + df["lo90"].tolist()[::-1],
            fill="toself",
            fillcolor="rgba(95,107,122,0.18)",
            line=dict(width=0),
            hoverinfo="skip",
            name="90% interval",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=df["shrunk"],
            mode="lines+markers",
            line=dict(color=INK, width=2),
            name="Shrunk estimate",
            hovertemplate="%{x}: %{y:+.1f} " + unit + "<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=df["raw"],
            mode="markers",
            marker=dict(symbol="diamond-open", color=GOOD_BAD.bad, size=9, line=dict(width=2)),
            name="Raw record",
            hovertemplate="%{x}: raw %{y:+.1f} " + unit + "<extra></extra>",
        )
    )
    fig = _layout(fig, title, height, "season")
    fig.update_xaxes(type="category", zeroline=False)
    fig.update_yaxes(title=unit, gridcolor=GRID, zeroline=True, zerolinecolor=NEUTRAL_COLOR, automargin=True)
    return fig
