"""High / medium / low: thresholds on the calibrated goal probability.

The rule, chosen so a tier means the same thing to a fan and an analyst:
- medium starts at the base rate (the average unblocked attempt goes in `base` of the
  time): a medium chance is at least an average shot;
- high starts at 2.5 x the base rate (about 1 in 6 with NHL scoring), a chance a
  broadcaster would call a grade-A look;
- each tier must hold at least 5% of shots; if not, its threshold moves to the 5%
  quantile. Thresholds are fitted on out-of-fold predictions of the training shots
  and stored with the model.
"""

from __future__ import annotations

import numpy as np

MEDIUM_X = 1.0
HIGH_X = 2.5
MIN_SHARE = 0.05


def choose(p: np.ndarray, y: np.ndarray) -> dict:
    p = np.asarray(p, dtype=float)
    base = float(np.mean(y))
    medium, high = MEDIUM_X * base, HIGH_X * base
    if np.mean(p >= high) < MIN_SHARE:
        high = float(np.quantile(p, 1 - MIN_SHARE))
    if np.mean(p < medium) < MIN_SHARE:
        medium = float(np.quantile(p, MIN_SHARE))
    if np.mean((p >= medium) & (p < high)) < MIN_SHARE:
        medium = float(np.quantile(p, 1 - np.mean(p >= high) - MIN_SHARE))
    return {
        "medium": float(medium),
        "high": float(high),
        "base_rate": round(base, 4),
        "rule": f"medium >= {MEDIUM_X:g} x base rate, high >= {HIGH_X:g} x base rate, each tier >= {MIN_SHARE:.0%} of shots",
    }


def table(p: np.ndarray, y: np.ndarray, thresholds: dict) -> list[dict]:
    """Per tier: probability range, share of shots, observed goal rate, mean predicted."""
    p = np.asarray(p, dtype=float)
    y = np.asarray(y, dtype=float)
    lo, hi = thresholds["medium"], thresholds["high"]
    rows = []
    for name, m, rng in (
        ("low", p < lo, f"< {lo:.3f}"),
        ("medium", (p >= lo) & (p < hi), f"{lo:.3f} - {hi:.3f}"),
        ("high", p >= hi, f">= {hi:.3f}"),
    ):
        rows.append(
            {
                "tier": name,
                "range": rng,
                "shots": int(m.sum()),
                "share": round(float(m.mean()), 4),
                "goal_rate": round(float(y[m].mean()), 4) if m.any() else None,
                "mean_p": round(float(p[m].mean()), 4) if m.any() else None,
            }
        )
    return rows
