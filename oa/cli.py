"""`python -m oa ...`: build the demo league, compare it with the real NHL, benchmark."""
from __future__ import annotations

import json
import os
import resource
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from oa.store import DEFAULT_DB, Store, StoreError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Opportunity Analysis: shot-quality analytics for ice hockey.")
bench_app = typer.Typer(add_completion=False, no_args_is_help=True, help="Benchmarks that print measured figures.")
app.add_typer(bench_app, name="bench")
console = Console()

MAX_GAMES = 9999


def _check_games(games: int) -> int:
    if games < 1 or games > MAX_GAMES:
        raise typer.BadParameter(f"must be between 1 and {MAX_GAMES} (a full season is 1312), got {games}")
    return games


def _check_db(db: Path) -> Path:
    if db.exists() and db.is_dir():
        raise typer.BadParameter(f"{db} is a directory; give a file path such as data/oa.duckdb")
    if db.suffix not in (".duckdb", ".db"):
        raise typer.BadParameter(f"{db} should end in .duckdb")
    return db


def _progress() -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), TimeRemainingColumn(), console=console)


def build(db: Path, games: int, seed: int, workers: Optional[int]) -> dict:
    """Simulate the league into `db` with a progress bar."""
    from oa.sim.run import build_demo

    with _progress() as bar:
        task = bar.add_task("Simulating demo league", total=games)
        return build_demo(db, games, seed, progress=lambda i, n: bar.update(task, completed=i), workers=workers)


@app.command()
def demo(
    games: int = typer.Option(200, "--games", "-n", callback=_check_games, help="games to simulate (1312 = a full season)"),
    seed: int = typer.Option(0, "--seed", "-s", min=0, help="league seed; same seed, same league"),
    db: Path = typer.Option(DEFAULT_DB, "--db", callback=_check_db, help="store to write"),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, max=64, help="simulation processes (default: cores)"),
) -> None:
    """Simulate the fictional demo league (tracking included) and store it."""
    try:
        r = build(db, games, seed, workers)
    except StoreError as e:
        console.print(f"[red]error:[/red] {e}")
        raise typer.Exit(1)
    console.print(f"Stored {r['games']} demo games in {db} in {r['seconds']} s: "
                  + ", ".join(f"{k} {v:,}" for k, v in r["rows"].items()))


@app.command()
def profile(
    db: Path = typer.Option(DEFAULT_DB, "--db", callback=_check_db, help="store to profile"),
    as_json: bool = typer.Option(False, "--json", help="print JSON instead of a table"),
) -> None:
    """Print the stored league's shot profile beside the real NHL's."""
    from oa.sim.profile import compare, load_real_profile, store_profile

    try:
        with Store(db, read_only=True) as store:
            demo_p = store_profile(store)
    except StoreError as e:
        console.print(f"[red]error:[/red] {e}")
        raise typer.Exit(1)
    try:
        real = load_real_profile()
    except FileNotFoundError as e:
        console.print(f"[red]error:[/red] {e}")
        raise typer.Exit(1)
    rows = compare(demo_p, real)
    if as_json:
        typer.echo(json.dumps({"demo": demo_p, "rows": [dict(metric=m, key=k, demo=d, real=r) for m, k, d, r in rows]},
                              default=str))
        return
    t = Table(title=f"Demo league vs real NHL ({demo_p['games']} demo games)")
    for c in ("metric", "key", "demo", "real NHL"):
        t.add_column(c, justify="right" if c in ("demo", "real NHL") else "left")
    for m, k, d, r in rows:
        t.add_row(m, k, "-" if d is None else str(d), str(r))
    console.print(t)


@bench_app.command("demo")
def bench_demo(
    games: int = typer.Option(200, "--games", "-n", callback=_check_games),
    seed: int = typer.Option(0, "--seed", "-s", min=0),
    db: Path = typer.Option(Path("data/bench_demo.duckdb"), "--db", callback=_check_db),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, max=64),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Time `demo` from an empty store: wall time, rows per table, size on disk, peak memory."""
    for p in (db, Path(str(db) + ".wal")):
        if p.exists():
            p.unlink()
    t0 = time.perf_counter()
    r = build(db, games, seed, workers)
    wall = time.perf_counter() - t0
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out = {"games": games, "seconds": round(wall, 1), "rows": r["rows"],
           "store_mb": round(db.stat().st_size / 1e6, 1),
           "peak_rss_mb_parent": round(peak_self), "peak_rss_mb_worker": round(peak_child),
           "cores": os.cpu_count()}
    typer.echo(json.dumps(out) if as_json else json.dumps(out, indent=1))


def main() -> None:
    app()
