"""Which factors change each other's effect: SHAP interaction values, worked out once at training.

TreeSHAP splits a shot's margin into one part per factor (LightGBM's `pred_contrib`, what
scoring stores). SHAP interaction values split each part further: the factor's effect on its
own (the diagonal) and what it owes to each other factor (off the diagonal, shared half and
half between the two). The mean size of a pair's share says how much two factors change each
other's effect, e.g. how much distance matters depending on the shot type. The model page
shows the strongest pairs; `summarize` keeps them small enough for the model's JSON.

shap takes 1-3 s to import, so it is imported only inside these functions and only training
(and the tests) call them: a scoring process never loads it.

shap 0.51 misreads LightGBM categorical splits that hold category code 0: its parser packs
code c as bit c-1 of a number and its C++ tests bit c-1, so code 0 becomes half a bit and
cannot match (shap issue #1644; pull request #5079 is open). Our categories are coded 0..k-1
(`artifact.encode`), so `explainer` moves every code up by one: it doubles each categorical
split's packed set (bit c-1 becomes bit c) and adds 1 to the categorical columns it hands to
shap. The packed set is a 32-bit float inside shap, exact up to bit 23, hence MAX_CATEGORIES.
Either way the result is checked: shap's own trees must give LightGBM's margin on the very
shots explained, and each shot's interaction values must add up to LightGBM's `pred_contrib`,
or `ShapMismatch` is raised. A shap that fixes the bug upstream is noticed (its trees agree
without the shift) and used as it is.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from oa.features.registry import Factor
from oa.vocab import sigmoid

if TYPE_CHECKING:
    import lightgbm as lgb

# Training shots explained. On the 200-game demo's models (~170 trees of 7 leaves, 25-35 factors) a
# model takes ~0.35 s of CPU at 500 shots, ~0.7 s at 1,000 and ~1.4 s at 2,000, plus ~1.3 s for the
# first `import shap`: ~2.7 s for the demo's two models, ~5% of `python -m oa demo`. The top three pairs
# (by log-odds) at 1,000 shots are those at 2,000; at 500 the third place already changes.
SAMPLE = 1000
TOP_PAIRS = 8
MAX_CATEGORIES = 23  # codes 1..23 after the shift stay exact bits of shap's float32 packed set
AGREE = 1e-6  # shap's trees and LightGBM's on the same shot: equal up to rounding


class ShapMismatch(RuntimeError):
    """shap's reading of the booster does not predict what LightGBM predicts; its values would be wrong."""


def explainer(booster: lgb.Booster, factors: list[Factor], X: np.ndarray) -> tuple[Any, np.ndarray]:
    """(a shap.TreeExplainer whose own trees reproduce `booster` on X, X as that explainer reads it).

    Path-dependent TreeSHAP (no background data), the algorithm LightGBM's `pred_contrib` runs
    too. For `shap_values` on a LightGBM booster shap just calls `pred_contrib`; interaction
    values and `own_shap_values` use shap's own trees, which this checks (see the module doc).
    """
    import shap

    too_many = [f.name for f in factors if f.kind == "cat" and len(f.categories) > MAX_CATEGORIES]
    if too_many:
        raise ShapMismatch(f"shap cannot hold more than {MAX_CATEGORIES} categories: {', '.join(too_many)}")
    e = shap.TreeExplainer(booster, feature_perturbation="tree_path_dependent")
    want = np.asarray(booster.predict(X, raw_score=True), dtype=float)
    if _gap(e, X, want) <= AGREE:  # a shap that reads category 0 right
        return e, X
    cats = [j for j, f in enumerate(factors) if f.kind == "cat"]
    e.model.thresholds[e.model.threshold_types == 1] *= 2
    Xs = X.copy()
    Xs[:, cats] += 1
    gap = _gap(e, Xs, want)
    if gap > AGREE:
        raise ShapMismatch(
            f"shap {shap.__version__} reads this LightGBM model differently (margins differ by up to {gap:.3g})"
        )
    return e, Xs


def _gap(e: Any, X: np.ndarray, want: np.ndarray) -> float:
    return float(np.max(np.abs(np.ravel(e.model.predict(X)) - want))) if len(X) else 0.0


def interaction_values(booster: lgb.Booster, factors: list[Factor], X: np.ndarray) -> np.ndarray:
    """(n, F, F) SHAP interaction values on the raw margin; row i sums to factor i's TreeSHAP value.

    Checked on every shot: the rows must add up to LightGBM's own `pred_contrib`. Agreeing
    predictions alone would not prove it, since TreeSHAP also reads the splits off a shot's path.
    """
    iv = _interactions(*explainer(booster, factors, X), len(factors))
    lgb_shap = np.asarray(booster.predict(X, pred_contrib=True), dtype=float)[:, :-1]
    gap = float(np.max(np.abs(iv.sum(axis=2) - lgb_shap))) if len(X) else 0.0
    if gap > AGREE:
        raise ShapMismatch(f"shap's interaction values do not add up to LightGBM's SHAP values (off by {gap:.3g})")
    return iv


def _interactions(e: Any, Xs: np.ndarray, n_factors: int) -> np.ndarray:
    return np.asarray(e.shap_interaction_values(Xs), dtype=float).reshape(len(Xs), n_factors, n_factors)


def own_shap_values(booster: lgb.Booster, factors: list[Factor], X: np.ndarray) -> tuple[np.ndarray, float]:
    """((n, F) TreeSHAP values on the raw margin, their base) computed by shap's trees, not LightGBM's.

    Each factor's value is its row of interaction values summed (shap's C++ walks the trees
    for them); `shap_values` would hand back LightGBM's own `pred_contrib` instead.
    """
    e, Xs = explainer(booster, factors, X)
    return _interactions(e, Xs, len(factors)).sum(axis=2), float(np.ravel(e.expected_value)[0])


def _points(z: np.ndarray, part: np.ndarray) -> np.ndarray:
    """A push of `part` log-odds on a shot at logit z, in percentage points of goal chance."""
    return 100.0 * (sigmoid(z) - sigmoid(z - part))


def summarize(
    iv: np.ndarray, factors: list[Factor], df: pd.DataFrame, a: float, b: float, seconds: float, top: int = TOP_PAIRS
) -> dict:
    """What the model page shows: the `top` pairs by mean |interaction|, each factor's own effect, one example.

    Strengths are on the calibrated scale (times the Platt slope `a`): `logit` in log-odds,
    `pp` in percentage points of goal chance on each shot, both mean absolute values. A
    pair's interaction is both halves (i, j) and (j, i). Pairs are ranked by `pp`, the scale
    the page shows (a push in log-odds is worth more points on a likelier shot, so the two
    rankings can differ). The example is the sample's shot where the strongest pair moved the
    chance most, with the two factors' values in words.
    """
    names = [f.name for f in factors]
    z = a * iv.sum(axis=(1, 2)) + b
    main = a * np.diagonal(iv, axis1=1, axis2=2)  # (n, F)
    iu, ju = np.triu_indices(len(names), 1)
    pair = a * (iv[:, iu, ju] + iv[:, ju, iu])  # (n, pairs) log-odds
    pair_pp = _points(z[:, None], pair)  # (n, pairs) percentage points
    strength_pp = np.abs(pair_pp).mean(axis=0)
    order = np.argsort(-strength_pp, kind="stable")[:top]
    pairs = [
        {
            "factors": [names[iu[k]], names[ju[k]]],
            "logit": round(float(np.abs(pair[:, k]).mean()), 4),
            "pp": round(float(strength_pp[k]), 3),
        }
        for k in order
    ]
    out: dict = {
        "shots": len(iv),
        "seconds": round(seconds, 2),
        "scale": "calibrated log-odds (logit) and percentage points (pp), mean absolute value",
        "pairs": pairs,
        "main": {
            names[j]: {"logit": round(float(np.abs(main[:, j]).mean()), 4), "pp": round(float(pp), 3)}
            for j, pp in sorted(enumerate(np.abs(_points(z[:, None], main)).mean(axis=0)), key=lambda t: -t[1])
        },
    }
    if pairs:
        k = int(order[0])
        s = int(np.argmax(np.abs(pair_pp[:, k])))
        out["example"] = {
            "values": {names[f]: str(factors[f].labels(df[names[f]].to_numpy()[s : s + 1])[0]) for f in (iu[k], ju[k])},
            "logit": round(float(pair[s, k]), 4),
            "pp": round(float(pair_pp[s, k]), 2),
            "p_goal": round(float(sigmoid(z[s])), 4),
        }
    return out


def explain_interactions(
    booster: lgb.Booster,
    factors: list[Factor],
    df: pd.DataFrame,
    X: np.ndarray,
    a: float,
    b: float,
    sample: int = SAMPLE,
    seed: int = 0,
) -> dict:
    """`summarize` on a fixed-seed sample of up to `sample` of the training shots (rows of df and X)."""
    t0 = time.perf_counter()
    idx = np.sort(np.random.default_rng([seed, 1313]).choice(len(X), size=min(sample, len(X)), replace=False))
    iv = interaction_values(booster, factors, X[idx])
    return summarize(iv, factors, df.iloc[idx].reset_index(drop=True), a, b, time.perf_counter() - t0)
