"""What every command shares: the typer apps, the consoles, progress bars, failing with a message."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import typer
import typer.core
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from oa.store import Store, StoreError


def _flags_show_no_type() -> None:
    """typer 0.29's rich help prints `<bool>` beside flags (`--json`, `--help`), as if they took a value:
    show nothing there, as plain click does."""
    shown = typer.core.TyperOption.display_type_rich

    def display_type_rich(self: typer.core.TyperOption, ctx: object) -> str | None:
        return None if self.is_flag else shown(self, ctx)

    typer.core.TyperOption.display_type_rich = display_type_rich


_flags_show_no_type()

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="Opportunity Analysis: shot-quality analytics for ice hockey."
)
live_app = typer.Typer(add_completion=False)  # `oa live` (demo games; its callback) and `oa live nhl`
app.add_typer(live_app, name="live")
bench_app = typer.Typer(add_completion=False, no_args_is_help=True, help="Benchmarks that print measured figures.")
app.add_typer(bench_app, name="bench")
console = Console()
bars = Console(stderr=True)  # progress bars go to stderr so --json output stays clean

MAX_GAMES = 9999


def check_games(games: int) -> int:
    if games < 1 or games > MAX_GAMES:
        raise typer.BadParameter(f"must be between 1 and {MAX_GAMES} (a full season is 1312), got {games}")
    return games


def check_db(db: Path) -> Path:
    if db.exists() and db.is_dir():
        raise typer.BadParameter(f"{db} is a directory; give a file path such as data/oa.duckdb")
    if db.suffix not in (".duckdb", ".db"):
        raise typer.BadParameter(f"{db} should end in .duckdb")
    warn_unfinished(db)
    return db


def warn_unfinished(db: Path) -> None:
    """One line on stderr per run that was killed or failed, until the same command completes."""
    if not db.is_file():
        return
    try:
        with Store(db, read_only=True) as store:
            runs = store.unfinished_runs()
    except StoreError:
        return  # held open by another process: the command itself will say so
    for r in runs.itertuples():
        how = "was stopped before it finished" if r.status == "running" else f"failed ({r.detail})"
        bars.print(
            f"[yellow]warning:[/yellow] {db} is incomplete: `{r.command}` started {r.started:%Y-%m-%d %H:%M} "
            f"{how}; run `python -m oa {r.command} --db {db}` again to complete it",
            soft_wrap=True,
        )


def progress_bars() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=bars,
    )


class StageBars:
    """One rich progress bar per pipeline stage, added as each stage starts."""

    def __init__(self, bar: Progress):
        self.bar = bar
        self.tasks: dict[str, object] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(stage.capitalize(), total=max(total, 1))
        self.bar.update(self.tasks[stage], completed=done, total=max(total, 1))


def fail(e: Exception) -> None:
    console.print(f"[red]error:[/red] {e}")
    raise typer.Exit(1)


def report_table(title: str, counts: Iterable[tuple[str, int]], report: Mapping) -> Table:
    """An ingest-style report as a table: the given counts, then every rejection and unknown event type.

    `report` is the JSON-shaped result of an ingest or a sync (its `rejected` and
    `unknown_event_types` maps), so both commands word what they dropped the same way.
    """
    t = Table(title=title)
    t.add_column("what")
    t.add_column("count", justify="right")
    for what, n in counts:
        t.add_row(what, f"{n:,}")
    for reason, n in report["rejected"].items():
        t.add_row(f"rejected: {reason}", f"{n:,}")
    for typ, n in report["unknown_event_types"].items():
        t.add_row(f"unknown event type {typ} (kept as OTHER)", f"{n:,}")
    return t
