"""LightGBM's TreeSHAP contributions for many shots at once, tree by tree, each tree explaining only
the distinct ways the shots pass through it.

A tree's (path-dependent) TreeSHAP values for a row depend only on which way the row goes at each of
that tree's splits. A season's 100,000+ shots pass through a 15-leaf tree in a few thousand
distinct ways, so LightGBM's own `pred_contrib` is asked, tree by tree, for one row of each
distinct way and the answer is copied to the others: the same numbers (summed over trees, equal to
the one-call answer within 1e-13), several times faster than explaining every row in every tree.
Small batches (the live path: one shot) take the one call.
"""

from __future__ import annotations

from functools import reduce

import lightgbm as lgb
import numpy as np
import pandas as pd

MIN_ROWS = 5_000  # below this the one call is as fast


def contributions(booster: lgb.Booster, X: np.ndarray) -> np.ndarray:
    """(n, features + 1): each feature's TreeSHAP contribution to the raw score, then the bias column,
    as `booster.predict(X, pred_contrib=True)` gives them."""
    if len(X) < MIN_ROWS:
        return np.asarray(booster.predict(X, pred_contrib=True))
    trees = _tree_splits(booster)
    sides = _sides(X, trees)
    out = np.zeros((X.shape[1] + 1, len(X)))  # one contiguous row per feature: cheap to add into
    for t, splits in enumerate(trees):
        first, inverse = _distinct_ways(sides, splits)
        part = np.asarray(booster.predict(X[first], start_iteration=t, num_iteration=1, pred_contrib=True))
        for f in (*splits, -1):  # a tree gives nothing to features it does not split on
            out[f] += part[:, f][inverse]
    return out.T


def _tree_splits(booster: lgb.Booster) -> list[dict[int, np.ndarray | None]]:
    """Per tree: feature -> its numeric thresholds in that tree (sorted), or None if any of its splits
    there is categorical (then the value itself is what counts)."""
    trees = []
    for info in booster.dump_model()["tree_info"]:
        splits: dict[int, list[float] | None] = {}
        stack = [info["tree_structure"]]
        while stack:
            node = stack.pop()
            if "split_index" not in node:
                continue
            f = int(node["split_feature"])
            if node["decision_type"] != "<=":
                splits[f] = None
            elif splits.get(f, []) is not None:
                splits.setdefault(f, []).append(float(node["threshold"]))  # type: ignore[union-attr]
            stack += [node["left_child"], node["right_child"]]
        trees.append({f: None if v is None else np.unique(v) for f, v in splits.items()})
    return trees


class _Sides:
    """Every row's place among all the model's thresholds of a feature, worked out once: a tree's
    thresholds are a subset, so its sides are a lookup in these (or the value's own code, categorical)."""

    def __init__(self, x: np.ndarray, thresholds: np.ndarray | None):
        self.thresholds = thresholds
        if thresholds is None:
            self.code = pd.factorize(x, use_na_sentinel=False)[0].astype(np.int64)
            self.width = int(self.code.max()) + 1 if len(x) else 1
        else:
            flag = np.where(np.isnan(x), 1, np.where(x == 0, 2, 0))  # LightGBM may send missing or zero either way
            self.code = np.searchsorted(thresholds, x, side="left") * 3 + flag
            self.width = (len(thresholds) + 1) * 3

    def in_tree(self, thresholds: np.ndarray | None) -> tuple[np.ndarray, int]:
        """(each row's code for a tree with these thresholds of the feature, how many codes there are)."""
        if thresholds is None or self.thresholds is None:
            return self.code, self.width
        # global place k (k of all thresholds below x) -> how many of this tree's thresholds are below x
        place = np.concatenate([[0], np.searchsorted(thresholds, self.thresholds, side="right")])
        lut = (place[:, None] * 3 + np.arange(3)[None, :]).reshape(-1)
        return lut[self.code], (len(thresholds) + 1) * 3


def _sides(X: np.ndarray, trees: list[dict[int, np.ndarray | None]]) -> dict[int, _Sides]:
    features = sorted({f for t in trees for f in t})
    out = {}
    for f in features:
        cat = any(t[f] is None for t in trees if f in t)
        thr = None if cat else np.unique(np.concatenate([t[f] for t in trees if f in t]))
        out[f] = _Sides(np.ascontiguousarray(X[:, f]), thr)
    return out


def _distinct_ways(sides: dict[int, _Sides], splits: dict[int, np.ndarray | None]) -> tuple[np.ndarray, np.ndarray]:
    """(one row of each distinct way through the tree, each row's way): rows that agree on every
    split's side (and on missing and zero, which LightGBM may send either way) share their values."""
    codes, widths = zip(*(sides[f].in_tree(thr) for f, thr in sorted(splits.items()))) if splits else ((), ())
    n = len(next(iter(sides.values())).code) if sides else 0
    if not codes:
        return np.zeros(1, dtype=np.int64), np.zeros(n, dtype=np.int64)
    if reduce(lambda a, b: a * b, widths, 1) < 2**62:
        key = reduce(lambda k, cw: k * cw[1] + cw[0], zip(codes, widths), np.zeros(n, dtype=np.int64))
    else:  # too many combinations for one integer: number the combinations instead
        key = pd.MultiIndex.from_arrays(list(codes)).factorize()[0]
    inverse = pd.factorize(key)[0]
    first = np.empty(int(inverse.max()) + 1, dtype=np.int64)
    first[inverse[::-1]] = np.arange(n - 1, -1, -1)  # the last write is each way's first row
    return first, inverse
