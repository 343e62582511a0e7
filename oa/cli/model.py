"""`factors`, `features`, `train` and `score`: the factor list, then each step from stored shots to explained ratings."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from oa.cli import options
from oa.cli.common import StageBars, console, fail, progress_bars
from oa.settings import DEFAULT_DB
from oa.store import Store, StoreError


def factors(markdown: bool = typer.Option(False, "--markdown", help="print the README's factor table")) -> None:
    """List every factor: machine name, human name, unit, feature sets and what it measures."""
    from oa.features.registry import all_factors

    rows = [
        (
            f.name,
            f.label,
            f.unit or "-",
            "tracking" if f.sets == ("tracking",) else ("play-by-play" if f.sets == ("pbp",) else "both"),
            f.doc,
        )
        for f in all_factors()
    ]
    if markdown:
        typer.echo("| factor | name | unit | sets | what it measures |\n|---|---|---|---|---|")
        for r in rows:
            typer.echo(f"| `{r[0]}` | {r[1]} | {r[2]} | {r[3]} | {r[4]} |")
        return
    t = Table(title=f"{len(rows)} factors")
    for c in ("factor", "name", "unit", "sets", "what it measures"):
        t.add_column(c)
    for r in rows:
        t.add_row(*r)
    console.print(t)


def features(db: Path = options.db(DEFAULT_DB, "store to read and update")) -> None:
    """Compute every factor of every stored shot (replaces earlier factors)."""
    from oa.features.compute import build_features

    try:
        with Store(db, create=False) as store, progress_bars() as bar:
            stages = StageBars(bar)
            r = build_features(store, progress=lambda i, n: stages("computing factors", i, n))
    except StoreError as e:
        fail(e)
    console.print(
        f"Factors for {r.shots:,} shots of {r.games:,} games ({r.tracking_shots:,} with tracking) in {r.seconds} s."
    )


def _factors_first(store: Store, progress: StageBars) -> None:
    """A store factored by an older version lacks the factors added since: compute them before training
    (the existing factors are recomputed by the same code, so their values do not change)."""
    from oa.features.compute import build_features, factor_columns, factors_current
    from oa.features.registry import all_factors

    have = factor_columns(store)
    if factors_current(store) or not store.scalar("SELECT count(*) FROM shot_features"):
        return
    new = sorted(f.name for f in all_factors() if f.name not in have)
    console.print(f"This store's factors predate {', '.join(new)}: computing them first.")
    build_features(store, progress=lambda i, n: progress("computing factors", i, n))


def train(
    db: Path = options.db(DEFAULT_DB, "store to train from"),
    source: str | None = typer.Option(None, "--source", help="only games of this source (demo, hockey_scraper ...)"),
    feature_set: str | None = typer.Option(
        None, "--features", help="tracking or pbp (default: tracking if every game has it)"
    ),
    seed: int = options.seed(help="seed for folds and bagging"),
    seasons: str | None = typer.Option(
        None, "--seasons", help="only these seasons, comma-separated, e.g. 2023-24,2024-25 (default: all)"
    ),
    recent_weight: float = typer.Option(
        1.0,
        "--recent-weight",
        min=0.01,
        max=1.0,
        help="each season back counts this much of the next (0.5 halves per season; default 1.0: all equal)",
    ),
) -> None:
    """Train the calibrated LightGBM model on the store's shots and make it the active model."""
    from oa.model.artifact import ModelError
    from oa.model.train import TrainError
    from oa.model.train import train as train_model

    if feature_set not in (None, "tracking", "pbp"):
        raise typer.BadParameter("must be tracking or pbp", param_hint="--features")
    chosen = [x.strip() for x in seasons.split(",") if x.strip()] if seasons else None
    if seasons is not None and not chosen:
        raise typer.BadParameter("name at least one season, e.g. 2023-24", param_hint="--seasons")
    try:
        with Store(db, create=False) as store, progress_bars() as bar:
            _factors_first(store, StageBars(bar))
            m, path = train_model(
                store,
                source,
                feature_set,
                seed=seed,
                progress=StageBars(bar),
                seasons=chosen,
                recent_weight=recent_weight,
            )
    except (StoreError, TrainError, ModelError) as e:
        fail(e)
    rep = m.meta["metrics"]
    cv, base = rep["cv"], rep["cv_baseline"]
    t = Table(title=f"Model {m.model_id} ({rep['folds']}-fold CV grouped by game)")
    for c in ("", "AUC", "log loss", "Brier", "ECE"):
        t.add_column(c, justify="right")
    for name, r in (("model", cv), ("distance+angle baseline", base)):
        t.add_row(name, f"{r['auc']:.4f}", f"{r['log_loss']:.4f}", f"{r['brier']:.5f}", f"{r['ece']:.4f}")
    console.print(t)
    console.print(
        "Tiers: "
        + "; ".join(
            f"{r['tier']} {r['range']} ({r['share']:.0%} of shots, goal rate {r['goal_rate']:.1%})"
            for r in rep["tiers"]
        )
    )
    console.print(
        f"Saved {path} (+ .json) and made it the active {m.feature_set} model. "
        f"Score shots with `python -m oa score --db {db}`."
    )


def score(
    db: Path = options.db(DEFAULT_DB, "store to score"),
    model_path: Path | None = typer.Option(
        None, "--model", help="a model .txt file (default: the store's active models)"
    ),
) -> None:
    """Give every shot its goal probability, tier and factor breakdown."""
    from oa.model.artifact import ModelError, load_model
    from oa.model.score import score_store

    try:
        models = [load_model(model_path)] if model_path else None
        with Store(db, create=False) as store, progress_bars() as bar:
            stages = StageBars(bar)
            r = score_store(store, models, progress=lambda i, n: stages("scoring shots", i, n))
    except (StoreError, ModelError) as e:
        fail(e)
    console.print(
        f"Scored {r.shots:,} shots with {', '.join(r.models)} in {r.seconds} s "
        f"({r.factor_rows:,} factor rows): " + ", ".join(f"{k} {v:,}" for k, v in r.tiers.items())
    )
