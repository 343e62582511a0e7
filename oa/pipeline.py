"""The demo end to end: simulate the league, compute factors, train, score and explain.

Used by `python -m oa demo` and by the dashboard's first start, so both build the same
store. Each stage reports progress as (stage, done, total).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from oa.features.compute import FeaturesSummary, build_features
from oa.features.registry import PBP
from oa.model.score import ScoreSummary, score_store
from oa.model.train import TrainError, train
from oa.sim.run import build_demo
from oa.store import Store

StageProgress = Callable[[str, int, int], None]


@dataclass
class TrainedModel:
    """A model the demo trained: its id, cross-validated figures, and (the main model) file and tiers."""

    model_id: str
    cv: dict
    path: str | None = None
    thresholds: dict | None = None


@dataclass
class DemoRun:
    """What `run_demo` did; a stage that did not run is None, and `skipped` says why a model is missing."""

    simulate: dict  # oa.sim.run.build_demo's figures: games, rows per table
    seconds: float = 0.0
    features: FeaturesSummary | None = None
    model: TrainedModel | None = None
    skipped: str | None = None
    pbp_model: TrainedModel | None = None
    pbp_skipped: str | None = None
    score: ScoreSummary | None = None


def run_demo(
    db: str | Path,
    n_games: int,
    seed: int = 0,
    workers: int | None = None,
    model: bool = True,
    progress: StageProgress | None = None,
) -> DemoRun:
    """Simulate `n_games` into `db`, then (if there are enough goals) train and score."""

    def stage(name: str) -> Callable[[int, int], None] | None:
        return (lambda i, n: progress(name, i, n)) if progress else None

    t0 = time.perf_counter()
    out = DemoRun(simulate=build_demo(db, n_games, seed, progress=stage("simulating games"), workers=workers))
    if not model:
        out.seconds = round(time.perf_counter() - t0, 2)
        return out
    with Store(db) as store:
        out.features = build_features(store, progress=stage("computing factors"))
        try:
            m, path = train(store, seed=seed, progress=progress)
        except TrainError as e:
            out.skipped = f"no model trained: {e}"
        else:
            out.model = TrainedModel(m.model_id, m.meta["metrics"]["cv"], str(path), m.thresholds)
            # a play-by-play model too: shots without tracking (API requests, live shots with no clip)
            # are rated by it, never by the tracking model, which reads missing tracking as an empty net
            try:
                label = (lambda name, i, n: progress(f"{name} (play-by-play model)", i, n)) if progress else None
                pm, _ = train(store, feature_set=PBP, seed=seed, progress=label)
                out.pbp_model = TrainedModel(pm.model_id, pm.meta["metrics"]["cv"])
            except TrainError as e:
                out.pbp_skipped = f"no play-by-play model trained: {e}"
            out.score = score_store(store, progress=stage("scoring shots"))
        store.checkpoint()
    out.seconds = round(time.perf_counter() - t0, 2)
    return out
