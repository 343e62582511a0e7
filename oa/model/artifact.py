"""A trained model on disk: LightGBM text plus JSON metadata. Never a pickle.

The JSON says which factors (in which order, with which categories) the booster was
trained on, the Platt calibration (`p = sigmoid(a * margin + b)`), the tier thresholds,
the metrics and where the training data came from. Loading checks that the text and the
JSON agree and that this version of the code still knows every factor.

Calibrating the raw margin with a line keeps explanations exact: TreeSHAP (LightGBM's
`pred_contrib`) splits the margin into per-factor parts plus a bias; multiplying every
part by `a` and adding `b` to the bias splits the calibrated logit the same way.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import lightgbm as lgb
import numpy as np
import pandas as pd

from oa.features.registry import Factor, all_factors, factor_named

TIERS = ("low", "medium", "high")


class ModelError(ValueError):
    """A model file is missing, damaged or does not fit the data; the message says what to do."""


def encode(factors: list[Factor], data: Mapping[str, np.ndarray] | pd.DataFrame) -> np.ndarray:
    """The model matrix: one float column per factor; categories become their index (NaN unknown)."""
    n = len(data[factors[0].name])
    X = np.empty((n, len(factors)), dtype=np.float64)
    for j, f in enumerate(factors):
        v = data[f.name]
        v = v.to_numpy() if isinstance(v, pd.Series) else np.asarray(v)
        if f.kind == "cat":
            codes = {c: float(i) for i, c in enumerate(f.categories)}
            X[:, j] = [codes.get(x, np.nan) for x in v.tolist()]
        else:
            X[:, j] = np.asarray(v, dtype=np.float64)
    return X


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


@dataclass
class Model:
    """A calibrated, tiered LightGBM model and what it was trained on."""

    booster: lgb.Booster
    meta: dict

    @property
    def model_id(self) -> str:
        return self.meta["model_id"]

    @property
    def feature_set(self) -> str:
        return self.meta["feature_set"]

    @property
    def factors(self) -> list[Factor]:
        return [factor_named(n) for n in self.meta["features"]]

    @property
    def thresholds(self) -> dict:
        return self.meta["thresholds"]

    def matrix(self, data: Mapping[str, np.ndarray] | pd.DataFrame) -> np.ndarray:
        missing = [n for n in self.meta["features"] if n not in data]
        if missing:
            raise ModelError(f"model {self.model_id} needs factors the data lacks: {', '.join(missing)}; "
                             "recompute them with `python -m oa features` or retrain with `python -m oa train`")
        return encode(self.factors, data)

    def logit(self, X: np.ndarray) -> np.ndarray:
        """Calibrated log-odds of a goal."""
        a, b = self.meta["platt"]["a"], self.meta["platt"]["b"]
        return a * self.booster.predict(X, raw_score=True) + b

    def predict(self, X: np.ndarray) -> np.ndarray:
        return sigmoid(self.logit(X))

    def explain(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(contributions (n, factors) in calibrated log-odds, base logit (n,)); they sum to the logit."""
        a, b = self.meta["platt"]["a"], self.meta["platt"]["b"]
        raw = np.asarray(self.booster.predict(X, pred_contrib=True))
        return a * raw[:, :-1], a * raw[:, -1] + b

    def tier(self, p: np.ndarray) -> np.ndarray:
        t = self.thresholds
        return np.where(p >= t["high"], "high", np.where(p >= t["medium"], "medium", "low")).astype(object)

    # -- files -------------------------------------------------------------------------
    def save(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        text = directory / f"{self.model_id}.txt"
        self.booster.save_model(str(text))
        (directory / f"{self.model_id}.json").write_text(json.dumps(self.meta, indent=1, default=float))
        return text


def load_model(text_path: str | Path) -> Model:
    """Load `<id>.txt` and `<id>.json`, checking they agree with each other and with the code."""
    text = Path(text_path)
    meta_path = text.with_suffix(".json")
    for p in (text, meta_path):
        if not p.exists():
            raise ModelError(f"model file {p} is missing; retrain with `python -m oa train`")
    try:
        meta = json.loads(meta_path.read_text())
    except json.JSONDecodeError as e:
        raise ModelError(f"model metadata {meta_path} is not valid JSON ({e}); retrain with `python -m oa train`") from e
    for key in ("model_id", "feature_set", "features", "platt", "thresholds"):
        if key not in meta:
            raise ModelError(f"model metadata {meta_path} has no {key!r}; retrain with `python -m oa train`")
    try:
        booster = lgb.Booster(model_file=str(text))
    except lgb.basic.LightGBMError as e:
        raise ModelError(f"model file {text} is not a LightGBM text model ({e}); retrain with `python -m oa train`") from e
    names = booster.feature_name()
    if names != meta["features"]:
        raise ModelError(f"model {text.name} and {meta_path.name} disagree on the factors "
                         f"({len(names)} in the model, {len(meta['features'])} in the metadata); retrain")
    known = {f.name for f in all_factors()}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ModelError(f"model {meta['model_id']} uses factors this version does not compute: "
                         f"{', '.join(unknown)}; retrain with `python -m oa train`")
    for f in (factor_named(n) for n in names):
        cats = meta.get("categories", {}).get(f.name)
        if f.kind == "cat" and cats is not None and list(cats) != list(f.categories):
            raise ModelError(f"model {meta['model_id']} encodes {f.name} with categories {cats}, "
                             f"this version with {list(f.categories)}; retrain with `python -m oa train`")
    return Model(booster, meta)
