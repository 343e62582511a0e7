"""The model page's chart of factor pairs that change each other's effect."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from oa.plots.shots import title_layout, title_margin, title_text, wrap
from oa.vocab import INK, NEUTRAL_COLOR


def interaction_figure(
    pairs: pd.DataFrame, title: str = "Pairs of factors (extra push together, on average)"
) -> go.Figure:
    """Ranked horizontal bars, strongest pair on top: columns `label` (the pair), `pp` and `logit`."""
    title = title_text(title)
    fig = go.Figure(
        go.Bar(
            x=pairs["pp"],
            y=[wrap(s, 24) for s in pairs["label"]],
            orientation="h",
            marker=dict(color=NEUTRAL_COLOR),
            text=[f"{v:.1f}" for v in pairs["pp"]],
            textposition="outside",
            cliponaxis=False,
            customdata=pairs[["logit"]].to_numpy(),
            hovertemplate="%{y}: %{x:.2f} points (%{customdata[0]:.3f} log-odds) on average<extra></extra>",
        )
    )
    fig.update_layout(
        height=90 + 44 * len(pairs),
        title=title_layout(title, 17),
        yaxis=dict(autorange="reversed", automargin=True, tickfont=dict(size=11)),
        margin=dict(l=8, r=24, t=title_margin(title), b=8),
        xaxis=dict(title="points of goal chance", gridcolor="#eef1f4", automargin=True, nticks=5, rangemode="tozero"),
        plot_bgcolor="white",
        paper_bgcolor="white",
        font=dict(color=INK),
        showlegend=False,
    )
    return fig
