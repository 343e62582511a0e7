"""`ingest`: read real data with one adapter (or download it from the NHL API) and store every game."""

from __future__ import annotations

import json
import re
from pathlib import Path

import typer
from rich.markup import escape

from oa.cli import options
from oa.cli.common import StageBars, console, fail, progress_bars, report_table
from oa.settings import REAL_DB, cache_dir
from oa.sources.registry import is_source, source_names
from oa.store import LazyStore, StoreError

SOURCES = source_names()  # the registry's (oa/sources/registry.py)


def ingest(
    source: str = typer.Argument(..., help=f"one of: {', '.join(SOURCES)}, or nhl to download from the NHL API"),
    paths: list[Path] | None = typer.Argument(None, help="files to read (a season CSV, play-by-play JSON files, ...)"),
    db: Path = options.db(REAL_DB, "store to write (real data: data/nhl.duckdb)"),
    season: str | None = typer.Option(None, "--season", help="nhl: download a season, e.g. 2024-25"),
    game: list[int] | None = typer.Option(None, "--game", help="nhl: download one game (repeatable)"),
    playoffs: bool = typer.Option(False, "--playoffs", help="nhl --season: include playoff games"),
    base_url: str = options.nhl_api("nhl: the NHL web API root (a mirror, a proxy; tests use a local server)"),
    cache: Path = typer.Option(cache_dir() / "nhl", "--cache", help="nhl: where responses are kept"),
    rate: float = typer.Option(2.0, "--rate", min=0.1, max=20, help="nhl: requests per second at most"),
    features: bool = typer.Option(True, "--features/--no-features", help="compute the new games' factors"),
    replace: bool = typer.Option(
        False,
        "--replace",
        help="replace stored games even by copies with fewer events, "
        "shots or frames (refused by default: a truncated file must not shrink a game)",
    ),
    as_json: bool = options.as_json("print the report as JSON"),
) -> None:
    """Read real data with one adapter (or download it from the NHL) and store every game.

    Exit status: 0 when every file was read and every game stored (rejected rows are counted
    in the report), 1 when a file or game was not stored (named with its row and field, or a
    stored game was not replaced by a smaller copy), 2 for bad arguments."""
    from oa.sources.common import SourceError
    from oa.sources.ingest import ingest as run_ingest

    paths = list(paths or [])
    if source == "nhl":
        if not season and not game:
            raise typer.BadParameter("give --season (e.g. 2024-25) or --game ID", param_hint="--season/--game")
        if season and not re.fullmatch(r"\d{4}-\d{2}", season):
            raise typer.BadParameter(f"season looks like 2024-25, got {season!r}", param_hint="--season")
        paths = _download(season, game or [], playoffs, base_url, cache, rate)
        source = "nhl_api"
    elif not is_source(source):
        raise typer.BadParameter(
            f"unknown source {source!r}; expected one of {', '.join(SOURCES)} or nhl", param_hint="SOURCE"
        )
    elif not paths:
        raise typer.BadParameter("give the files to read", param_hint="PATHS")
    missing = [p for p in paths if not p.exists() and not p.is_symlink()]  # the adapter names a broken link
    if missing:
        raise typer.BadParameter(f"no such file: {missing[0]}", param_hint="PATHS")
    try:
        with LazyStore(db) as store, progress_bars() as bar:
            report = run_ingest(store, source, paths, progress=StageBars(bar), features=features, replace=replace)
    except (StoreError, SourceError) as e:
        fail(e)
    r = report.as_dict()
    if store.store is None:
        r["failed"].append(
            f"nothing could be stored; no store was created at {db}"
            if not db.exists()
            else f"nothing could be stored; {db} is unchanged"
        )
    # exit 1 whenever a file or game was not stored or a re-ingest was refused, with or without --json
    incomplete = bool(r["failed"] or r["refused"])
    if as_json:
        typer.echo(json.dumps(r, default=str))
        raise typer.Exit(1 if incomplete else 0)
    keys = (
        "files",
        "games",
        "events",
        "shots",
        "goals",
        "players",
        "attempts_without_coordinates",
        "shots_flipped",
        "shootout_attempts_skipped",
    )
    console.print(
        report_table(f"Ingested {source} into {db} in {r['seconds']} s", ((k.replace("_", " "), r[k]) for k in keys), r)
    )
    for reason, ex in r["examples"].items():
        console.print(f"  first '{reason}': {ex}", soft_wrap=True, markup=False)
    for f in r["failed"]:
        console.print(f"[red]not stored:[/red] {escape(f)}", soft_wrap=True)
    for f in r["refused"]:
        console.print(f"[red]not replaced:[/red] {escape(f)}", soft_wrap=True)
    if incomplete:
        raise typer.Exit(1)


def _download(
    season: str | None, games: list[int], playoffs: bool, base_url: str, cache: Path, rate: float
) -> list[Path]:
    """Fetch schedules and play-by-play into the cache (resuming), with a progress bar."""
    from oa.settings import nhl_stats_api
    from oa.sources.download import DownloadError, NhlClient

    client = NhlClient(cache, base_url=base_url, rate=rate, stats_url=nhl_stats_api(base_url))
    try:
        ids = list(games)
        if season:
            with progress_bars() as bar:
                bar.add_task(f"Reading the {season} schedule", total=None)
                ids += client.season_game_ids(season, (2, 3) if playoffs else (2,))
        files = []
        with progress_bars() as bar:
            task = bar.add_task("Downloading play-by-play", total=len(ids))
            for i, g in enumerate(sorted(set(ids))):
                files.append(client.play_by_play(g))
                bar.update(task, completed=i + 1)
    except DownloadError as e:
        fail(e)
    console.print(f"{len(files)} games: {client.requests} requests, {client.cache_hits} from the cache ({cache})")
    return files
