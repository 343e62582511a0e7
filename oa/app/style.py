"""Colours, marker shapes and small formatting helpers shared by every page and plot."""
from __future__ import annotations

import math

# Paul Tol's high-contrast scheme: colour-blind safe and distinct in greyscale too;
# low -> medium -> high read as cool -> warm.
TIER_COLORS = {"low": "#004488", "medium": "#DDAA33", "high": "#BB5566"}
UNRATED_COLOR = "#9aa5b1"
TIERS = ("low", "medium", "high")
TIER_LABELS = {"low": "Low", "medium": "Medium", "high": "High"}

# outcome by marker shape (colour is the tier)
OUTCOMES = ("GOAL", "SAVE", "MISS", "BLOCK")
OUTCOME_LABELS = {"GOAL": "Goal", "SAVE": "Save", "MISS": "Miss", "BLOCK": "Blocked"}
OUTCOME_SYMBOLS = {"GOAL": "star", "SAVE": "circle", "MISS": "diamond", "BLOCK": "square"}
OUTCOME_SIZES = {"GOAL": 13, "SAVE": 8, "MISS": 7, "BLOCK": 7}

SHOT_TYPE_LABELS = {"WRIST": "Wrist", "SNAP": "Snap", "SLAP": "Slap", "BACKHAND": "Backhand", "TIP": "Tip-in",
                    "DEFLECTION": "Deflection", "WRAPAROUND": "Wraparound"}

# strength groups, as SQL over shots s (the shooter's view)
STRENGTHS = {
    "5v5": "s.strength = '5v5' AND NOT s.empty_net",
    "Power play": "s.skaters_for > s.skaters_against AND NOT s.empty_net",
    "Shorthanded": "s.skaters_for < s.skaters_against",
    "4v4 / 3v3": "s.skaters_for = s.skaters_against AND s.skaters_for < 5",
}   # empty-net shots have their own filter (oa.app.filters.EMPTY_NET)

DIVERGING = [[0.0, "#2166ac"], [0.5, "#f7f7f7"], [1.0, "#b2182b"]]   # ColorBrewer RdBu (colour-blind safe)
SEQUENTIAL = "Viridis"


def tier_color(tier: object) -> str:
    return TIER_COLORS.get(str(tier), UNRATED_COLOR)


def pct(p: object, digits: int = 1) -> str:
    """A probability as a percentage, or an en dash when unknown."""
    try:
        v = float(p)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "–"
    return "–" if math.isnan(v) else f"{100 * v:.{digits}f}%"


def clock(period: object, seconds: object) -> str:
    """'P2 13:05' (elapsed time in the period); 'OT' from period 4."""
    try:
        p, s = int(period), int(float(seconds))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    label = f"P{p}" if p <= 3 else ("OT" if p == 4 else f"{p - 3}OT")
    return f"{label} {s // 60:d}:{s % 60:02d}"


def tier_badge(tier: object, p: object | None = None) -> str:
    """HTML for a coloured tier badge (rendered with unsafe_allow_html)."""
    t = str(tier) if tier in TIER_COLORS else None
    color = tier_color(t)
    text_color = "#1f2933" if t == "medium" else "#ffffff"
    label = f"{TIER_LABELS[t]} danger" if t else "Not rated"
    if p is not None and t:
        label += f" · {pct(p)}"
    return (f"<span style='background:{color};color:{text_color};padding:0.2em 0.7em;border-radius:1em;"
            f"font-weight:600;font-size:0.95em;white-space:nowrap'>{label}</span>")
