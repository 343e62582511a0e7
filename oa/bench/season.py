"""`python -m oa bench season`: one real NHL season through the real path, timed: ingest, factors, score and explain, re-score, peak memory.

The season (MoneyPuck 2024-25 or hockey_scraper 2018-19, from ../shared/data) goes into a
fresh store as `oa ingest` then `oa score` would put it there, three times (medians reported,
each run's figures beside them, with the machine's load when each run started). Each run is
its own process, so its peak resident memory (`ru_maxrss`) is the whole path's and nothing
else's. The model scored with is trained once on the same season (not timed) and kept beside
the stores; re-scoring replaces every score and explanation of the season, as scoring with a
new model does. Targets (issue 14): a season in at most 60 s, a re-score in at most 15 s,
peak memory under 1.5 GB, on a 2-core machine.
"""

from __future__ import annotations

import os
import resource
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from oa.bench.sources import HS, MP, shared_data
from oa.features.compute import build_features
from oa.features.registry import PBP
from oa.model.artifact import load_model, resolve_path
from oa.model.score import active_models, score_store
from oa.model.train import train
from oa.sources.ingest import ingest
from oa.store import Store

Progress = Callable[[str, int, int], None]
SEASONS = {
    "moneypuck": (MP, "moneypuck_shots_2024.csv.gz"),
    "hockey_scraper": (HS, "hockey_scraper_pbp_2018_19.csv.gz"),
}
TARGETS = {"season_s": 60.0, "rescore_s": 15.0, "peak_rss_mb": 1500.0}
FIGURES = ("ingest_s", "factors_s", "score_explain_s", "season_s", "rescore_s", "peak_rss_mb")


def season_file(source: str) -> Path:
    folder, name = SEASONS[source]
    path = shared_data() / folder / name
    if not path.exists():
        raise FileNotFoundError(f"no {source} season at {path}; see {path.parent / 'README.md'}")
    return path


def run(source: str, folder: Path, runs: int = 3, progress: Progress | None = None) -> dict:
    """Measure `runs` fresh runs of `source`'s season in `folder` (stores and the model kept there)."""
    path = season_file(source)
    folder.mkdir(parents=True, exist_ok=True)
    spawn = get_context("spawn")  # a fresh interpreter per run: its peak memory is its own
    with ProcessPoolExecutor(1, mp_context=spawn) as pool:
        if progress:
            progress("training the model scored with (once, not timed)", 0, 1)
        model = pool.submit(_model, source, path, folder / "model.duckdb").result()
    if progress:
        progress("training the model scored with (once, not timed)", 1, 1)
    each = []
    for i in range(runs):
        if progress:
            progress(f"timing {source} season runs", i, runs)
        load = os.getloadavg()[0]
        with ProcessPoolExecutor(1, mp_context=spawn) as pool:
            each.append(pool.submit(_one, source, path, folder / "season.duckdb", model).result() | {"load_1min": load})
    if progress:
        progress(f"timing {source} season runs", runs, runs)
    median = {k: round(statistics.median(r[k] for r in each), 1) for k in FIGURES}
    return {
        "source": source,
        "file": path.name,
        "shots": each[0]["shots"],
        "factor_rows": each[0]["factor_rows"],
        "runs": runs,
        "median": median,
        "targets": TARGETS,
        "met": {k: median[k] <= v for k, v in TARGETS.items()},
        "each_run": each,
        "cores": os.cpu_count(),
    }


def _model(source: str, path: Path, db: Path) -> str:
    """The model's file: trained on the season once, then reused while the store holds it."""
    if db.exists():
        try:
            with Store(db, read_only=True) as s:
                m = active_models(s)
                rows = s.query("SELECT path FROM models WHERE active")["path"]
                if m and m[0].feature_set == PBP:
                    return str(resolve_path(s, rows.iloc[0]))
        except Exception:  # noqa: BLE001 - anything wrong with the kept store: build it again
            pass
        db.unlink()
    with Store(db) as s:
        ingest(s, source, [path])
        _, file = train(s, feature_set=PBP, seed=0)
    return str(file)


def _one(source: str, path: Path, db: Path, model_file: str) -> dict:
    """One timed run from an empty store: ingest, factors, score and explain, then re-score."""
    for p in (db, Path(f"{db}.wal")):
        p.unlink(missing_ok=True)
    model = load_model(model_file)
    t0 = time.perf_counter()
    with Store(db) as s:
        s.con.execute("SET enable_progress_bar = false")  # DuckDB's own bars would go into the JSON on stdout
        report = ingest(s, source, [path], features=False)
        t1 = time.perf_counter()
        build_features(s)
        t2 = time.perf_counter()
        scored = score_store(s, [model])
        t3 = time.perf_counter()
        score_store(s, [model])
        t4 = time.perf_counter()
    return {
        "games": report.games,
        "shots": scored.shots,
        "factor_rows": scored.factor_rows,
        "ingest_s": round(t1 - t0, 1),
        "factors_s": round(t2 - t1, 1),
        "score_explain_s": round(t3 - t2, 1),
        "season_s": round(t3 - t0, 1),
        "rescore_s": round(t4 - t3, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
