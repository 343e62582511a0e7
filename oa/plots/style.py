"""The colour scale and the two formatters plots share with the pages.

They live below the app (plots must not import `oa.app`); `oa.app.style` re-exports them for the pages.
"""

from __future__ import annotations

import math

SEQUENTIAL = "Viridis"  # one-sided quantities (a chance, a count): dark low, bright high


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
