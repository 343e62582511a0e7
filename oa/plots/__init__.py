"""Figures for the dashboard and reports (Plotly), drawn from the rink data in `oa.rink`."""

from oa.plots.rink import RinkPaint, rink_figure, rink_markings

__all__ = ["RinkPaint", "rink_figure", "rink_markings"]
