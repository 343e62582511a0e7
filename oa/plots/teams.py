"""Teams' rates per 60, drawn: expected goals for against expected goals against, score-and-venue adjusted.

The table comes from `oa.analysis.team_rates` (columns `team`, `adj_xgf60`, `adj_xga60`, ...); this only draws it.
"""

from __future__ import annotations

from html import escape

import pandas as pd
import plotly.graph_objects as go

from oa.plots.shots import title_layout, title_margin, title_text
from oa.vocab import GOOD_BAD, INK, NEUTRAL_COLOR

GRID = "#eef1f4"


def rates_figure(df: pd.DataFrame, selected: str | None, title: str, height: int = 420) -> go.Figure:
    """One dot per team: adjusted xGF/60 across, adjusted xGA/60 down (reversed: up is fewer against, so the
    good corner is top right); league averages as dashed lines; the `selected` team in ink and labelled."""
    x, y = df["adj_xgf60"].astype(float), df["adj_xga60"].astype(float)
    names = [escape(str(t)) for t in df["team"]]  # team codes are data: text, never markup
    sel = [t == selected for t in df["team"]]
    fig = go.Figure(
        go.Scatter(
            x=x.tolist(),
            y=y.tolist(),
            mode="markers+text",
            text=names,
            textposition="top center",
            textfont=dict(size=[13 if s else 10 for s in sel], color=[INK if s else NEUTRAL_COLOR for s in sel]),
            marker=dict(size=[14 if s else 9 for s in sel], color=[INK if s else NEUTRAL_COLOR for s in sel]),
            hovertemplate="%{text}: %{x:.2f} xGF/60, %{y:.2f} xGA/60 (adjusted)<extra></extra>",
        )
    )
    line = dict(color=NEUTRAL_COLOR, width=1, dash="dash")
    if pd.notna(x.mean()):
        fig.add_vline(x=x.mean(), line=line)
    if pd.notna(y.mean()):
        fig.add_hline(y=y.mean(), line=line)
    t = title_text(title)
    fig.update_layout(
        height=height,
        title=title_layout(t),
        margin=dict(l=8, r=8, t=title_margin(t), b=8),
        plot_bgcolor="white",
        paper_bgcolor="white",
        font=dict(color=INK),
        showlegend=False,
        xaxis=dict(title="expected goals for per 60 (adjusted)", gridcolor=GRID, automargin=True),
        yaxis=dict(
            title="expected goals against per 60 (adjusted)", gridcolor=GRID, autorange="reversed", automargin=True
        ),
    )
    fig.add_annotation(
        text="better ↗",
        xref="paper",
        yref="paper",
        x=1,
        y=1,
        xanchor="right",
        yanchor="top",
        showarrow=False,
        font=dict(color=GOOD_BAD.good),
    )
    return fig
