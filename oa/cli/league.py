"""`demo` and `profile`: build the fictional demo league, and compare it with the real NHL."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from oa.cli import options
from oa.cli.common import StageBars, console, fail, progress_bars
from oa.settings import DEFAULT_DB
from oa.store import Store, StoreError


def demo(
    games: int = options.games(200, "games to simulate (1312 = a full season)"),
    seed: int = options.seed(short=True, help="league seed; same seed, same league"),
    db: Path = options.db(DEFAULT_DB, "store to write"),
    workers: int | None = options.workers("simulation processes (default: cores)"),
    model: bool = typer.Option(True, "--model/--no-model", help="also compute factors, train, score and explain"),
) -> None:
    """Simulate the fictional demo league (tracking included), then train, score and explain it."""
    from oa.model.artifact import ModelError
    from oa.pipeline import run_demo

    try:
        with progress_bars() as bar:
            r = run_demo(db, games, seed, workers, model=model, progress=StageBars(bar))
    except (StoreError, ModelError) as e:
        fail(e)
    sim = r.simulate
    console.print(
        f"Stored {sim['games']} demo games in {db}: " + ", ".join(f"{k} {v:,}" for k, v in sim["rows"].items())
    )
    if model and r.model and r.score:
        m, sc = r.model, r.score
        console.print(
            f"Model {m.model_id}: cross-validated AUC {m.cv['auc']:.3f}, log loss {m.cv['log_loss']:.4f}; "
            f"scored {sc.shots:,} shots ({', '.join(f'{k} {v:,}' for k, v in sc.tiers.items())})"
        )
    elif model:
        console.print(f"[yellow]{r.skipped}[/yellow]")
    console.print(f"Done in {r.seconds} s.")


def profile(
    db: Path = options.db(DEFAULT_DB, "store to profile"),
    as_json: bool = options.as_json("print JSON instead of a table"),
) -> None:
    """Print the stored league's shot profile beside the real NHL's."""
    from oa.sim.profile import compare, load_real_profile, store_profile

    try:
        with Store(db, read_only=True) as store:
            demo_p = store_profile(store)
    except StoreError as e:
        console.print(f"[red]error:[/red] {e}")
        raise typer.Exit(1) from None
    try:
        real = load_real_profile()
    except FileNotFoundError as e:
        console.print(f"[red]error:[/red] {e}")
        raise typer.Exit(1) from None
    rows = compare(demo_p, real)
    if as_json:
        typer.echo(
            json.dumps(
                {"demo": demo_p, "rows": [dict(metric=m, key=k, demo=d, real=r) for m, k, d, r in rows]}, default=str
            )
        )
        return
    t = Table(title=f"Demo league vs real NHL ({demo_p['games']} demo games)")
    for c in ("metric", "key", "demo", "real NHL"):
        t.add_column(c, justify="right" if c in ("demo", "real NHL") else "left")
    for m, k, d, r in rows:
        t.add_row(m, k, "-" if d is None else str(d), str(r))
    console.print(t)
