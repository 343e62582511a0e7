"""`nhl`: real NHL seasons from the NHL's public web API (`nhl sync`)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer
from rich.markup import escape

from oa.cli import options
from oa.cli.common import StageBars, console, progress_bars, report_table
from oa.settings import DATA_DIR, cache_dir, nhl_stats_api

nhl_app = typer.Typer(add_completion=False, no_args_is_help=True, help="Real NHL seasons from the NHL's web API.")


def _since(value: str | None) -> str | None:
    if value is not None:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise typer.BadParameter(f"a date looks like 2025-11-01, got {value!r}") from None
    return value


def sync(
    season: str = typer.Option(..., "--season", help="the season, e.g. 2025-26"),
    db: Path | None = typer.Option(None, "--db", help="store to write (default: data/nhl-<season>.duckdb)"),
    since: str | None = typer.Option(
        None, "--since", callback=_since, help="only games on or after this date (YYYY-MM-DD), looked at again"
    ),
    playoffs: bool = typer.Option(False, "--playoffs", help="include playoff games"),
    base_url: str = options.nhl_api("the NHL web API root (a mirror, a proxy; tests use a local server)"),
    cache: Path = typer.Option(cache_dir() / "nhl", "--cache", help="where responses are kept"),
    rate: float = typer.Option(2.0, "--rate", min=0.1, max=50, help="requests per second at most"),
    progress_file: Path | None = typer.Option(
        None, "--progress-file", help='append progress as JSON lines {"stage", "done", "total"} (the Data page)'
    ),
    as_json: bool = options.as_json("print the report as JSON"),
) -> None:
    """Download a season's completed games (play-by-play, shift charts, rosters), store, factor and score them.

    Re-running fetches only games that are new or changed since the last run and re-scores only
    those; a killed run is resumed by running the same command. Exit status: 0 when every game
    is stored, 1 when a game failed (named in the report) or the sync could not run, 2 for bad
    arguments."""
    from oa.cli.common import check_db
    from oa.sources.download import DownloadError, NhlClient
    from oa.store import StoreError
    from oa.sync import ProgressFile, SyncError, season_code
    from oa.sync import sync as run_sync

    try:
        season_code(season)
    except SyncError as e:
        raise typer.BadParameter(str(e), param_hint="--season") from None
    db = check_db(db or DATA_DIR / f"nhl-{season}.duckdb")
    pf = ProgressFile(progress_file)
    # the stats host (shift charts): $OA_NHL_STATS_API, else the NHL's beside the NHL's root, else the root itself
    client = NhlClient(cache, base_url=base_url, rate=rate, stats_url=nhl_stats_api(base_url))
    try:
        with progress_bars() as bar:
            bars = StageBars(bar)

            def progress(stage: str, done: int, total: int) -> None:
                bars(stage, done, total)
                pf(stage, done, total)

            report = run_sync(
                db,
                season,
                client,
                since=dt.date.fromisoformat(since) if since else None,
                playoffs=playoffs,
                progress=progress,
            )
    except (SyncError, DownloadError, StoreError) as e:
        pf.finish(False, str(e))
        console.print(f"[red]error:[/red] {escape(str(e))}")
        raise typer.Exit(1) from None
    except BaseException as e:
        pf.finish(False, f"{type(e).__name__}: {e}")
        raise
    r = report.as_dict()
    games = r["new"] + r["changed"] + r["unchanged"] + r["finished"]
    message = (
        f"{r['new']} new, {r['changed']} changed, {r['unchanged']} unchanged, {r['failed']} failed; "
        f"{r['requests']} requests in {r['seconds']} s"
    )
    if r["failures"]:  # the first failed game and why, so the Data page can say it
        gid, why = next(iter(r["failures"].items()))
        more = f" (and {r['failed'] - 1} more, named in the log)" if r["failed"] > 1 else ""
        message += f". Game {gid} not stored: {why}{more}. Run the sync again to retry it"
    pf.finish(not r["failed"], message, games, r["scheduled"])
    if as_json:
        typer.echo(json.dumps(r, default=str))
        raise typer.Exit(1 if r["failed"] else 0)
    first = ("scheduled", "new", "changed", "unchanged", "finished", "failed", "requests", "cache_hits")
    then = ("shifts_games", "players_filled", "scored_games", "scored_shots", "attempts_without_coordinates")
    counts = [
        *((k.replace("_", " "), r[k]) for k in first),
        *((f"  requests: {kind}", n) for kind, n in sorted(r["requests_by_kind"].items())),
        *((k.replace("_", " "), r[k]) for k in then),
    ]
    console.print(report_table(f"Synced {season} into {db} in {r['seconds']} s", counts, r))
    if r["model"]:
        console.print(f"scored with {r['model']}")
    if r["note"]:
        console.print(f"[yellow]{escape(r['note'])}[/yellow]", soft_wrap=True)
    for gid, why in r["failures"].items():
        console.print(f"[red]game {gid} not stored:[/red] {escape(why)}", soft_wrap=True)
    if r["failed"]:
        raise typer.Exit(1)
