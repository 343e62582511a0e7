"""Colours, marker shapes and small formatting helpers shared by every page and plot."""

from __future__ import annotations

from oa.plots.style import SEQUENTIAL, clock, pct  # noqa: F401 - below the app, re-exported for the pages
from oa.vocab import GOOD_BAD, TIER_COLORS, TIER_TEXT_COLORS, TIER_WORDS, UNRATED_WORD, tier_color

DIVERGING = GOOD_BAD.colorscale()  # positive (good for the subject) at the top


def tier_badge(tier: object, p: object | None = None) -> str:
    """HTML for a coloured tier badge (rendered with unsafe_allow_html)."""
    t = str(tier) if tier in TIER_COLORS else None
    color = tier_color(t)
    text_color = TIER_TEXT_COLORS.get(str(t), "#ffffff")
    label = f"{TIER_WORDS[t]} danger" if t else UNRATED_WORD
    if p is not None and t:
        label += f" · {pct(p)}"
    return (
        f"<span style='background:{color};color:{text_color};padding:0.2em 0.7em;border-radius:1em;"
        f"font-weight:600;font-size:0.95em;white-space:nowrap;display:inline-block'>{label}</span>"
    )


# Narrow windows (a laptop split screen, a phone): Streamlit's columns keep their share of
# the width however little room there is, so five metrics in a 470 px column read "17,…".
# A row of columns already wraps (flex-wrap); these minimum widths make it wrap *before*
# anything is cut: a metric column is at least 7rem and as wide as its value, a live card as wide as its
# badge, a column with a chart or a table at least 20rem (two side by side from about
# 1000 px of page, stacked below).
NARROW_CSS = """
<style>
[data-testid="stMetricValue"] > div { overflow: visible; text-overflow: clip; }
[data-testid="stMetricLabel"] p, [data-testid="stMetricLabel"] div { white-space: normal; overflow: visible;
  text-overflow: clip; overflow-wrap: normal; word-break: normal; }
[data-testid="stMetricDelta"] > div { white-space: nowrap; overflow: visible; text-overflow: clip; }
[data-testid="stColumn"]:has([data-testid="stMetric"]):not(:has(.js-plotly-plot, [data-testid="stDataFrame"])) {
  flex: 1 1 7rem; min-width: min-content; }
[data-testid="stColumn"]:has([class*="st-key-live_card_"]) { min-width: 12rem; }
[data-testid="stColumn"]:has([data-testid="stLinkButton"]) { min-width: max-content; }
[data-testid="stColumn"]:has(.js-plotly-plot, [data-testid="stDataFrame"]) { min-width: min(100%, 20rem); }
</style>
"""


def narrow_screens() -> None:
    """Let rows of columns wrap instead of cutting their text (call once per page run)."""
    import streamlit as st

    st.html(NARROW_CSS)
