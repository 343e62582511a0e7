"""How good a set of probabilities is: discrimination, loss, calibration, and how each tier did.

ECE here is the shot-weighted mean |mean predicted - observed goal rate| over 20 bins
of equal shot count (goal probabilities are heavily skewed, so equal-width bins would
leave most bins empty). The same definition is used for every model and the oracle.
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import roc_auc_score

EPS = 1e-6
ECE_BINS = 20


def log_loss(y: np.ndarray, p: np.ndarray, weight: np.ndarray | None = None) -> float:
    """Mean negative log-likelihood (weighted by `weight` if given, e.g. recent seasons more)."""
    p = np.clip(np.asarray(p, dtype=float), EPS, 1 - EPS)
    y = np.asarray(y, dtype=float)
    return float(-np.average(y * np.log(p) + (1 - y) * np.log(1 - p), weights=weight))


def brier(y: np.ndarray, p: np.ndarray) -> float:
    return float(np.mean((np.asarray(p, dtype=float) - np.asarray(y, dtype=float)) ** 2))


def reliability(y: np.ndarray, p: np.ndarray, bins: int = ECE_BINS) -> list[dict]:
    """Equal-count bins: mean predicted, observed rate and shots per bin."""
    p = np.asarray(p, dtype=float)
    y = np.asarray(y, dtype=float)
    order = np.argsort(p, kind="stable")
    out = []
    for idx in np.array_split(order, min(bins, max(len(p), 1))):
        if len(idx):
            out.append({"p_mean": float(p[idx].mean()), "goal_rate": float(y[idx].mean()), "shots": int(len(idx))})
    return out


def ece(y: np.ndarray, p: np.ndarray, bins: int = ECE_BINS) -> float:
    rows = reliability(y, p, bins)
    n = sum(r["shots"] for r in rows)
    return float(sum(r["shots"] * abs(r["p_mean"] - r["goal_rate"]) for r in rows) / max(n, 1))


def summary(y: np.ndarray, p: np.ndarray) -> dict:
    """AUC, log loss, Brier, ECE, shots, goals, mean p: the figures every report prints."""
    y = np.asarray(y, dtype=float)
    auc = float(roc_auc_score(y, p)) if 0 < y.sum() < len(y) else float("nan")
    return {
        "n": int(len(y)),
        "goals": int(y.sum()),
        "auc": round(auc, 4),
        "log_loss": round(log_loss(y, p), 4),
        "brier": round(brier(y, p), 5),
        "ece": round(ece(y, p), 4),
        "mean_p": round(float(np.mean(p)), 4),
        "goal_rate": round(float(y.mean()), 4),
    }


# -- tiers: how each tier did (the thresholds are chosen in training: oa.model.train.choose_tiers) ----------
def tier_table(p: np.ndarray, y: np.ndarray, thresholds: dict) -> list[dict]:
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
