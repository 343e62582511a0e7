"""Train a goal-probability model: LightGBM, grouped CV, Platt calibration, tiers.

1. Cross-validation grouped by game (a game's shots are never split between folds)
   picks the hyper-parameters from a small grid by out-of-fold log loss, with early
   stopping inside each fold.
2. Platt scaling is fitted on the out-of-fold raw margins of the chosen settings, so it
   corrects the booster's calibration on shots it did not see.
3. The final booster is trained on all shots with the chosen settings.
4. Tier thresholds come from the out-of-fold calibrated probabilities (see `tiers`).
The fit itself (`fit`) never touches the store, so benchmarks can fit on a subset.

Across seasons (see `oa.bench.seasons`, the rolling evaluation): training may choose its seasons
and weight recent ones more (`season_weights`); the calibration then follows the latest training
season's goal rate (`follow_rate`); distance and angle are monotone (`MONOTONE`); and categories a
scorer records differently from season to season can be read as one (`SAME_AS`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from oa import schema
from oa.features.compute import load_features
from oa.features.registry import PBP, TRACKING, Factor
from oa.features.registry import feature_set as factors_of
from oa.model import metrics
from oa.model.artifact import Model, encode, model_dir, stored_path
from oa.model.interactions import ShapMismatch, explain_interactions
from oa.store import Store, StoreError
from oa.vocab import REPORTED_STRENGTHS, sigmoid

MIN_GOALS = 50
MIN_SHOTS = 500
BASE_PARAMS = dict(
    objective="binary",
    learning_rate=0.05,
    feature_fraction=0.8,
    bagging_fraction=0.8,
    bagging_freq=1,
    lambda_l2=1.0,
    min_data_per_group=50,
    cat_smooth=10.0,
    verbose=-1,
)
GRID = tuple(dict(num_leaves=nl, min_data_in_leaf=md) for nl in (7, 15, 31) for md in (50, 200))
MAX_ROUNDS = 3000
PATIENCE = 60
# Factors some sources leave blank for whole groups of shots (hockeyR 2023-24 has no shot type on
# most misses). If training never saw them missing, the booster's missing branch is arbitrary and a
# blank becomes a signal. Hiding them on a fixed random share of training shots teaches the model
# what a shot of unknown type is worth: about an average one. Goalie height likewise: in the demo
# league it is missing only with an empty net, so without masking a goalie of unknown height (Big
# Data Cup, an API request that does not say) was read as an empty net (+50 points on a 155 ft shot).
MASK_SHARE = {"shot_type": 0.05, "goalie_height": 0.05}

# Where hockey is certain, all else equal: farther from the net is never a better chance. LightGBM's
# monotone constraints keep every tree to it (-1: never increasing), so a what-if that moves a shot
# out never raises it. The "intermediate" method: on MoneyPuck 2024-25 (trained on 2023-24, with the
# late-lead factor) log loss 0.2176 and AUC 0.7788, unconstrained 0.2176 and 0.7790. LightGBM's
# "advanced" method scored 0.2175 / 0.7792 but broke the promise on probes (a shot rated 0.1 points
# higher farther out: tests/model/test_seasons_fit.py), so it is not used. Distance and angle both
# (basic method) cost more, so the angle stays free (docs/benchmarks/seasons.md).
MONOTONE = {"distance": -1}
MONOTONE_METHOD = "intermediate"
# Category values that mean the same chance but that scorers split differently from season to
# season, read as one (the model's meta keeps the map, `Model.matrix` applies it). Empty by
# default: MoneyPuck's snap/wrist split moved between 2023-24 and 2024-25 (docs/benchmarks/
# seasons.md), yet our model kept snaps within 0.4 points without merging; merging is not measured.
SAME_AS: dict[str, dict[str, str]] = {}
# Each season back counts this much of the one after it (1.0: every season the same; 0.5 halves
# per season back). The default is set from the rolling evaluation (docs/benchmarks/seasons.md).
RECENT_WEIGHT = 1.0

# One OpenMP thread below this many training shots. With the waiting threads asleep
# (OMP_WAIT_POLICY=PASSIVE, see oa/__init__.py) every parallel region pays a wake-up, and a
# boosting round over a few thousand rows has dozens of regions: on the 2-core reference
# machine the demo fit (17k shots) takes 27.5 s on two threads and 7.9 s on one, and the
# 2018-19 fit (110k shots) 78.8 s against 62.4 s, with identical models. Spinning threads
# would be faster on an idle machine (5.5 s) but 30-240 s when another process holds a core.
ONE_THREAD_BELOW = 500_000

Progress = Callable[[str, int, int], None]
log = logging.getLogger("oa.model")


class TrainError(ValueError):
    """Training cannot go ahead; the message says why and what to do. Nothing was stored."""


# -- tiers: high / medium / low, thresholds on the calibrated goal probability ---------------------------
#
# The rule, chosen so a tier means the same thing to a fan and an analyst:
# - medium starts at the base rate (the average unblocked attempt goes in `base` of the
#   time): a medium chance is at least an average shot;
# - high starts at 2.5 x the base rate (about 1 in 6 with NHL scoring), a chance a
#   broadcaster would call a grade-A look;
# - each tier must hold at least 5% of shots; if not, its threshold moves to the 5%
#   quantile. Thresholds are fitted on out-of-fold predictions of the training shots
#   and stored with the model.

MEDIUM_X = 1.0
HIGH_X = 2.5
MIN_SHARE = 0.05


def choose_tiers(p: np.ndarray, y: np.ndarray) -> dict:
    """The medium and high thresholds for out-of-fold probabilities `p` of outcomes `y` (the rule above)."""
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


def _dataset(
    X: np.ndarray,
    y: np.ndarray,
    factors: list[Factor],
    ref: lgb.Dataset | None = None,
    weight: np.ndarray | None = None,
) -> lgb.Dataset:
    cats = [j for j, f in enumerate(factors) if f.kind == "cat"]
    return lgb.Dataset(
        X,
        label=y,
        weight=weight,
        feature_name=[f.name for f in factors],
        categorical_feature=cats,
        reference=ref,
        free_raw_data=False,
    )


def season_weights(seasons: pd.Series | np.ndarray, recent_weight: float = RECENT_WEIGHT) -> np.ndarray:
    """Each shot's weight: `recent_weight` to the power of how many seasons before the latest its season is.

    Seasons are named like 2023-24, so their order is the text's order. Weights are scaled to mean 1,
    so the booster's leaf sizes (`min_data_in_leaf`, hessians) mean what they do unweighted.
    """
    if not 0 < recent_weight <= 1:
        raise TrainError(f"the recent-season weight must be in (0, 1]; got {recent_weight}")
    s = pd.Series(np.asarray(seasons, dtype=object)).fillna("")
    order = sorted(s.unique())
    back = {name: len(order) - 1 - i for i, name in enumerate(order)}
    w = recent_weight ** s.map(back).to_numpy(dtype=float)
    return w / w.mean()


def follow_rate(margin: np.ndarray, y: np.ndarray, b: float) -> float:
    """The intercept that makes the mean calibrated probability on these shots equal their goal rate.

    Applied to the latest training season's out-of-fold margins (`margin` = a x raw), so the model
    starts the next season at the league's most recent scoring rate rather than an average of eras.
    A few Newton steps on the one-dimensional equation mean(sigmoid(margin + b)) = mean(y).
    """
    target = float(np.mean(y))
    for _ in range(20):
        p = sigmoid(margin + b)
        gap, slope = float(p.mean()) - target, float((p * (1 - p)).mean())
        if abs(gap) < 1e-9 or slope <= 0:
            break
        b -= gap / slope
    return float(b)


def monotone_of(factors: list[Factor], monotone: dict[str, int]) -> list[int]:
    """LightGBM's `monotone_constraints` for these factors (0 where hockey is not certain)."""
    return [int(monotone.get(f.name, 0)) for f in factors]


def baseline_oof(df: pd.DataFrame, folds: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Out-of-fold predictions of the distance + angle logistic regression."""
    Xb = df[["distance", "angle"]].to_numpy(dtype=float)
    y = df["is_goal"].to_numpy(dtype=float)
    out = np.empty(len(df))
    for tr, va in folds:
        out[va] = LogisticRegression(C=1e4, max_iter=1000).fit(Xb[tr], y[tr]).predict_proba(Xb[va])[:, 1]
    return out


def fit_baseline(df: pd.DataFrame) -> LogisticRegression:
    return LogisticRegression(C=1e4, max_iter=1000).fit(
        df[["distance", "angle"]].to_numpy(dtype=float), df["is_goal"].to_numpy(dtype=float)
    )


def check_data(df: pd.DataFrame, what: str) -> None:
    n, goals = len(df), int(df["is_goal"].sum()) if len(df) else 0
    if n == 0:
        raise TrainError(
            f"{what} has no unblocked shots with factors; build or ingest games first "
            "(`python -m oa demo`) and compute factors (`python -m oa features`)"
        )
    if goals < MIN_GOALS or n < MIN_SHOTS:
        raise TrainError(
            f"{what} has {n:,} shots and {goals} goals; training needs at least {MIN_SHOTS} shots "
            f"and {MIN_GOALS} goals. Add games (e.g. `python -m oa demo --games 100`) and try again"
        )
    if goals == n:
        raise TrainError(f"{what}: every shot is a goal; the outcomes look wrong")


def mask_some(X: np.ndarray, factors: list[Factor], seed: int) -> np.ndarray:
    """Blank MASK_SHARE of each listed factor's values (fixed seed) so the model learns 'unknown'."""
    rng = np.random.default_rng([seed, 4242])
    for j, f in enumerate(factors):
        share = MASK_SHARE.get(f.name)
        if share:
            X[rng.random(len(X)) < share, j] = np.nan
    return X


@dataclass(frozen=True)
class Trial:
    """One grid point's cross-validation: its out-of-fold margins, rounds per fold and log loss."""

    params: dict
    oof: np.ndarray
    iters: list[int]
    log_loss: float


def fit(df: pd.DataFrame, feature_set: str, **options: Any) -> tuple[Model, dict]:
    """Fit the calibrated model on `df` (rows of `load_features`); returns it and its CV report.

    `fit_oof` without the out-of-fold probabilities; `options` are its own (seed, n_folds, grid, progress,
    recent_weight, monotone, same_as).
    """
    model, report, _ = fit_oof(df, feature_set, **options)
    return model, report


def fit_oof(
    df: pd.DataFrame,
    feature_set: str,
    seed: int = 0,
    n_folds: int = 5,
    grid: tuple[dict, ...] = GRID,
    progress: Progress | None = None,
    recent_weight: float = RECENT_WEIGHT,
    monotone: dict[str, int] | None = None,
    same_as: dict[str, dict[str, str]] | None = None,
) -> tuple[Model, dict, np.ndarray]:
    """Fit the calibrated model on `df` (rows of `load_features`): the model, its CV report, and each training
    shot's calibrated out-of-fold probability (row order of `df`), from the fold model of the chosen settings
    that did not see its game, calibrated like the final model. The probabilities are free (the
    cross-validation makes them); talent estimates read them, so a model's fit to a player's own goals does
    not pass for his finishing.

    With several seasons in `df`, shots of earlier seasons weigh `recent_weight` per season back and
    the calibration follows the latest season's goal rate. `monotone` and `same_as` default to
    MONOTONE and SAME_AS (pass {} for none).
    """
    check_data(df, "the training data")
    t0 = time.perf_counter()
    monotone = MONOTONE if monotone is None else monotone
    same_as = SAME_AS if same_as is None else same_as
    factors = factors_of(feature_set)
    X = mask_some(encode(factors, df, same_as), factors, seed)
    y = df["is_goal"].to_numpy(dtype=float)
    season = df["season"].to_numpy(dtype=object) if "season" in df else np.full(len(df), "", dtype=object)
    w = season_weights(season, recent_weight)
    groups = df["game_id"].to_numpy()
    n_folds = min(n_folds, len(np.unique(groups)))
    if n_folds < 2:
        raise TrainError("training needs shots from at least 2 games (cross-validation is grouped by game)")
    folds = list(GroupKFold(n_splits=n_folds, shuffle=True, random_state=seed).split(X, y, groups))
    full = _dataset(X, y, factors, weight=w)
    threads: dict[str, object] = {"num_threads": 1 if len(y) < ONE_THREAD_BELOW else 0}
    constraints = monotone_of(factors, monotone)
    if any(constraints):
        threads["monotone_constraints"] = constraints
        threads["monotone_constraints_method"] = MONOTONE_METHOD
    results: list[Trial] = []
    step, total = 0, len(grid) * n_folds
    for params in grid:
        p = BASE_PARAMS | params | threads | {"seed": seed}
        oof = np.empty(len(y))
        iters: list[int] = []
        for tr, va in folds:
            dtr = full.subset(tr)
            dva = full.subset(va)
            fold_model = lgb.train(
                p,
                dtr,
                num_boost_round=MAX_ROUNDS,
                valid_sets=[dva],
                callbacks=[lgb.early_stopping(PATIENCE, verbose=False)],
            )
            oof[va] = np.asarray(
                fold_model.predict(X[va], raw_score=True, num_iteration=fold_model.best_iteration), dtype=float
            )
            iters.append(fold_model.best_iteration)
            step += 1
            if progress:
                progress("cross-validating", step, total)
        results.append(Trial(params, oof, iters, metrics.log_loss(y, sigmoid(oof), w)))
    best = min(results, key=lambda r: r.log_loss)
    # Platt scaling on the out-of-fold raw margin (recent seasons weigh more), then the intercept
    # that matches the latest season's goal rate
    platt = LogisticRegression(C=1e6, max_iter=1000).fit(best.oof[:, None], y, sample_weight=w)
    a, b = float(platt.coef_[0, 0]), float(platt.intercept_[0])
    latest = season == max(season.tolist())
    b = follow_rate(a * best.oof[latest], y[latest], b)
    p_oof = sigmoid(a * best.oof + b)
    rounds = max(int(np.mean(best.iters) * n_folds / (n_folds - 1)), 10)  # all data: a few more rounds
    params = BASE_PARAMS | best.params | threads | {"seed": seed}
    if progress:
        progress("training final model", 0, 1)
    booster = lgb.train(params, full, num_boost_round=rounds)
    if progress:
        progress("training final model", 1, 1)
    thresholds = choose_tiers(p_oof, y)
    base_oof = baseline_oof(df, folds)
    report = {
        "cv": metrics.summary(y, p_oof),
        "cv_baseline": metrics.summary(y, base_oof),
        "cv_by_strength": {
            s: metrics.summary(y[m], p_oof[m])
            for s in REPORTED_STRENGTHS
            if (m := (df["strength"].to_numpy() == s)).sum() >= 200 and y[m].sum() > 0
        },
        "reliability": metrics.reliability(y, p_oof),
        "tiers": metrics.tier_table(p_oof, y, thresholds),
        "grid": [dict(params=r.params, log_loss=round(r.log_loss, 5), rounds=int(np.mean(r.iters))) for r in results],
        "params": params,
        "rounds": rounds,
        "folds": n_folds,
        "importance": importance(booster, X, factors, a),
        "fit_seconds": round(time.perf_counter() - t0, 1),
        "seasons": {
            str(s): {"shots": int((season == s).sum()), "weight": round(float(w[season == s][0]), 4)}
            for s in sorted(set(season.tolist()))
        },
        "recent_weight": recent_weight,
    }
    meta = {
        "features": [f.name for f in factors],
        "feature_set": feature_set,
        "categories": {f.name: list(f.categories) for f in factors if f.kind == "cat"},
        "platt": {"a": a, "b": b},
        "thresholds": thresholds,
    }
    if same_as:
        meta["same_as"] = same_as
    return Model(booster, meta), report, p_oof


def importance(booster: lgb.Booster, X: np.ndarray, factors: list[Factor], a: float, sample: int = 5000) -> dict:
    """Mean |contribution| per factor (calibrated log-odds) on up to `sample` training shots."""
    idx = np.random.default_rng(0).choice(len(X), size=min(sample, len(X)), replace=False)
    contrib = np.asarray(booster.predict(X[idx], pred_contrib=True), dtype=float)
    c = np.abs(a * contrib[:, :-1]).mean(axis=0)
    order = np.argsort(-c)
    return {factors[j].name: round(float(c[j]), 4) for j in order}


def training_data(
    store: Store, source: str | None, feature_set: str | None, seasons: list[str] | None = None
) -> tuple[pd.DataFrame, str]:
    """Unblocked attempts of `source` (default: every source in the store) with their factors.

    `seasons` (e.g. ["2023-24", "2024-25"]) keeps only those seasons; one the store lacks is an error.
    """
    sources = store.query("SELECT DISTINCT source FROM games ORDER BY 1")["source"].tolist()
    if not sources:
        raise TrainError(f"store {store.path} has no games; build one with `python -m oa demo` first")
    if source is not None and source not in sources:
        raise TrainError(f"store {store.path} has no games from source {source!r}; it has: {', '.join(sources)}")
    if seasons:
        q = "SELECT DISTINCT season FROM games" + (" WHERE source = ?" if source else "") + " ORDER BY 1"
        have = store.query(q, [source] if source else [])["season"].dropna().tolist()
        lacking = [x for x in seasons if x not in have]
        if lacking:
            raise TrainError(
                f"store {store.path} has no games of season {', '.join(lacking)}"
                + (f" from source {source}" if source else "")
                + f"; it has: {', '.join(have) or 'none'}"
            )
    if feature_set is None:
        q = "SELECT bool_and(has_tracking) FROM games" + (" WHERE source = ?" if source else "")
        all_tracked = store.query(q, [source] if source else [])
        feature_set = TRACKING if bool(all_tracked.iloc[0, 0]) else PBP
    where, params = "AND s.outcome <> 'BLOCK'", []
    if source:
        where += " AND g.source = ?"
        params.append(source)
    if seasons:
        where += f" AND g.season IN ({', '.join('?' * len(seasons))})"
        params += list(seasons)
    try:
        df = load_features(store, feature_set, where, params)
    except StoreError as e:
        raise TrainError(str(e)) from e
    return df, feature_set


def train(
    store: Store,
    source: str | None = None,
    feature_set: str | None = None,
    seed: int = 0,
    grid: tuple[dict, ...] = GRID,
    progress: Progress | None = None,
    seasons: list[str] | None = None,
    recent_weight: float = RECENT_WEIGHT,
) -> tuple[Model, Path]:
    """Train on the store's shots (of `seasons`, default all), save the model files and register it as active."""
    df, feature_set = training_data(store, source, feature_set, seasons)
    check_data(df, f"store {store.path}" + (f" (source {source})" if source else ""))
    model, report, p_oof = fit_oof(
        df, feature_set, seed=seed, grid=grid, progress=progress, recent_weight=recent_weight
    )
    report["interactions"] = interactions(model, df, seed, progress)
    trained_at = datetime.now(UTC).replace(microsecond=0)
    digest = hashlib.sha1(model.booster.model_to_string().encode()).hexdigest()[:8]
    src = source or "+".join(sorted(df["source"].unique()))
    model_id = f"{src}-{feature_set}-{trained_at:%Y%m%dT%H%M%S}-{digest}"
    meta = store.meta()
    model.meta.update(
        {
            "model_id": model_id,
            "trained_at": trained_at.isoformat(),
            "metrics": report,
            "provenance": {
                "store": str(Path(store.path).name),
                "source": src,
                "seasons": sorted(df["season"].unique().tolist()),
                "games": int(df["game_id"].nunique()),
                "shots": int(len(df)),
                "goals": int(df["is_goal"].sum()),
                "league": meta.get("league"),
                "seed": meta.get("seed"),
                "train_seed": seed,
            },
        }
    )
    path = model.save(model_dir(store))
    register(store, model, path, pd.DataFrame({"shot_id": df["shot_id"].to_numpy(), "p_goal": p_oof}))
    return model, path


def interactions(model: Model, df: pd.DataFrame, seed: int, progress: Progress | None = None) -> dict:
    """Which factors change each other's effect (for the model page), from a sample of the training shots.

    Done here rather than in `fit`, so benchmarks that fit many models do not pay for it. A
    shap that cannot read the booster leaves a reason instead; the model itself is unaffected.
    """
    if progress:
        progress("explaining factor interactions", 0, 1)
    a, b = model.meta["platt"]["a"], model.meta["platt"]["b"]
    try:
        out = explain_interactions(model.booster, model.factors, df, model.matrix(df), a, b, seed=seed)
    except (ShapMismatch, ImportError) as e:
        log.warning("no factor interactions for this model: %s", e)
        out = {"unavailable": str(e)}
    if progress:
        progress("explaining factor interactions", 1, 1)
    return out


def register(store: Store, model: Model, path: Path, oof: pd.DataFrame | None = None) -> None:
    """Record the model in the store and make it the active one for its feature set; with `oof` (shot_id,
    p_goal: its out-of-fold probabilities of the shots it trained on), store those too. Out-of-fold rows of
    models no longer active go: they describe a model nothing scores with."""
    row = pd.DataFrame(
        [
            {
                "model_id": model.model_id,
                "trained_at": pd.Timestamp(model.meta["trained_at"]).tz_localize(None),
                "source": model.meta["provenance"]["source"],
                "feature_set": model.feature_set,
                "metrics_json": json.dumps(model.meta["metrics"], default=float),
                "thresholds_json": json.dumps(model.thresholds),
                "path": stored_path(store, path),
                "active": True,
            }
        ]
    )
    with store.transaction() as con:
        con.execute("UPDATE models SET active = false WHERE feature_set = ?", [model.feature_set])
        store.insert(schema.MODELS, row, replace=True)
        con.execute("DELETE FROM shot_oof WHERE model_id NOT IN (SELECT model_id FROM models WHERE active)")
        if oof is not None and len(oof):
            store.insert(schema.SHOT_OOF, oof.assign(model_id=model.model_id)[schema.SHOT_OOF.column_names])
