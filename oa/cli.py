"""`python -m oa ...`: build the demo league, compare it with the real NHL, benchmark."""

from __future__ import annotations

import json
import os
import re
import resource
import time
from pathlib import Path

import typer
import typer.core
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from oa.clock import PERIOD_S
from oa.sources.registry import is_source, source_names
from oa.store import DEFAULT_DB, LazyStore, Store, StoreError


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
bench_app = typer.Typer(add_completion=False, no_args_is_help=True, help="Benchmarks that print measured figures.")
app.add_typer(bench_app, name="bench")
console = Console()
bars = Console(stderr=True)  # progress bars go to stderr so --json output stays clean

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
    _warn_unfinished(db)
    return db


def _warn_unfinished(db: Path) -> None:
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


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=bars,
    )


def build(db: Path, games: int, seed: int, workers: int | None) -> dict:
    """Simulate the league into `db` with a progress bar (no model)."""
    from oa.sim.run import build_demo

    with _progress() as bar:
        task = bar.add_task("Simulating demo league", total=games)
        return build_demo(db, games, seed, progress=lambda i, n: bar.update(task, completed=i), workers=workers)


class StageBars:
    """One rich progress bar per pipeline stage, added as each stage starts."""

    def __init__(self, bar: Progress):
        self.bar = bar
        self.tasks: dict[str, object] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(stage.capitalize(), total=max(total, 1))
        self.bar.update(self.tasks[stage], completed=done, total=max(total, 1))


def _fail(e: Exception) -> None:
    console.print(f"[red]error:[/red] {e}")
    raise typer.Exit(1)


@app.command()
def demo(
    games: int = typer.Option(
        200, "--games", "-n", callback=_check_games, help="games to simulate (1312 = a full season)"
    ),
    seed: int = typer.Option(0, "--seed", "-s", min=0, help="league seed; same seed, same league"),
    db: Path = typer.Option(DEFAULT_DB, "--db", callback=_check_db, help="store to write"),
    workers: int | None = typer.Option(None, "--workers", min=1, max=64, help="simulation processes (default: cores)"),
    model: bool = typer.Option(True, "--model/--no-model", help="also compute factors, train, score and explain"),
) -> None:
    """Simulate the fictional demo league (tracking included), then train, score and explain it."""
    from oa.model.artifact import ModelError
    from oa.pipeline import run_demo

    try:
        with _progress() as bar:
            r = run_demo(db, games, seed, workers, model=model, progress=StageBars(bar))
    except (StoreError, ModelError) as e:
        _fail(e)
    sim = r["simulate"]
    console.print(
        f"Stored {sim['games']} demo games in {db}: " + ", ".join(f"{k} {v:,}" for k, v in sim["rows"].items())
    )
    if model and r.get("model"):
        m, sc = r["model"], r["score"]
        console.print(
            f"Model {m['model_id']}: cross-validated AUC {m['cv']['auc']:.3f}, log loss {m['cv']['log_loss']:.4f}; "
            f"scored {sc['shots']:,} shots ({', '.join(f'{k} {v:,}' for k, v in sc['tiers'].items())})"
        )
    elif model:
        console.print(f"[yellow]{r['skipped']}[/yellow]")
    console.print(f"Done in {r['seconds']} s.")


@app.command()
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


@app.command()
def features(db: Path = typer.Option(DEFAULT_DB, "--db", callback=_check_db, help="store to read and update")) -> None:
    """Compute every factor of every stored shot (replaces earlier factors)."""
    from oa.features.compute import build_features

    try:
        with Store(db, create=False) as store, _progress() as bar:
            stages = StageBars(bar)
            r = build_features(store, progress=lambda i, n: stages("computing factors", i, n))
    except StoreError as e:
        _fail(e)
    console.print(
        f"Factors for {r['shots']:,} shots of {r['games']:,} games "
        f"({r['tracking_shots']:,} with tracking) in {r['seconds']} s."
    )


@app.command()
def train(
    db: Path = typer.Option(DEFAULT_DB, "--db", callback=_check_db, help="store to train from"),
    source: str | None = typer.Option(None, "--source", help="only games of this source (demo, hockey_scraper ...)"),
    feature_set: str | None = typer.Option(
        None, "--features", help="tracking or pbp (default: tracking if every game has it)"
    ),
    seed: int = typer.Option(0, "--seed", min=0, help="seed for folds and bagging"),
) -> None:
    """Train the calibrated LightGBM model on the store's shots and make it the active model."""
    from oa.model.artifact import ModelError
    from oa.model.train import TrainError
    from oa.model.train import train as train_model

    if feature_set not in (None, "tracking", "pbp"):
        raise typer.BadParameter("must be tracking or pbp", param_hint="--features")
    try:
        with Store(db, create=False) as store, _progress() as bar:
            m, path = train_model(store, source, feature_set, seed=seed, progress=StageBars(bar))
    except (StoreError, TrainError, ModelError) as e:
        _fail(e)
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


@app.command()
def score(
    db: Path = typer.Option(DEFAULT_DB, "--db", callback=_check_db, help="store to score"),
    model_path: Path | None = typer.Option(
        None, "--model", help="a model .txt file (default: the store's active models)"
    ),
) -> None:
    """Give every shot its goal probability, tier and factor breakdown."""
    from oa.model.artifact import ModelError, load_model
    from oa.model.score import score_store

    try:
        models = [load_model(model_path)] if model_path else None
        with Store(db, create=False) as store, _progress() as bar:
            stages = StageBars(bar)
            r = score_store(store, models, progress=lambda i, n: stages("scoring shots", i, n))
    except (StoreError, ModelError) as e:
        _fail(e)
    console.print(
        f"Scored {r['shots']:,} shots with {', '.join(r['models'])} in {r['seconds']} s "
        f"({r['factor_rows']:,} factor rows): " + ", ".join(f"{k} {v:,}" for k, v in r["tiers"].items())
    )


@app.command()
def serve(
    db: Path = typer.Option(
        DEFAULT_DB, "--db", callback=_check_db, help="store whose active models rate the shots (read once at start)"
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on (127.0.0.1: this machine only)"),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port"),
) -> None:
    """Serve the scoring API: POST one shot to /score, get p(goal), tier and factors (docs at /docs)."""
    import uvicorn

    from oa.live.api import create_app
    from oa.model.artifact import ModelError

    try:
        api = create_app(db)
    except (StoreError, ModelError) as e:
        _fail(e)
    console.print(f"Scoring API for {db} on http://{host}:{port} (try /health, /docs); Ctrl+C to stop")
    uvicorn.run(api, host=host, port=port, log_level="info")


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


REAL_DB = DEFAULT_DB.with_name("nhl.duckdb")
SOURCES = source_names()  # the registry's (oa/sources/registry.py)


@app.command()
def ingest(
    source: str = typer.Argument(..., help=f"one of: {', '.join(SOURCES)}, or nhl to download from the NHL API"),
    paths: list[Path] | None = typer.Argument(None, help="files to read (a season CSV, play-by-play JSON files, ...)"),
    db: Path = typer.Option(REAL_DB, "--db", callback=_check_db, help="store to write (real data: data/nhl.duckdb)"),
    season: str | None = typer.Option(None, "--season", help="nhl: download a season, e.g. 2024-25"),
    game: list[int] | None = typer.Option(None, "--game", help="nhl: download one game (repeatable)"),
    playoffs: bool = typer.Option(False, "--playoffs", help="nhl --season: include playoff games"),
    base_url: str = typer.Option(
        "https://api-web.nhle.com", "--base-url", help="nhl: API root (tests use a local server)"
    ),
    cache: Path = typer.Option(DEFAULT_DB.parent / "cache" / "nhl", "--cache", help="nhl: where responses are kept"),
    rate: float = typer.Option(2.0, "--rate", min=0.1, max=20, help="nhl: requests per second at most"),
    features: bool = typer.Option(True, "--features/--no-features", help="compute the new games' factors"),
    replace: bool = typer.Option(
        False,
        "--replace",
        help="replace stored games even by copies with fewer events, "
        "shots or frames (refused by default: a truncated file must not shrink a game)",
    ),
    as_json: bool = typer.Option(False, "--json", help="print the report as JSON"),
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
        with LazyStore(db) as store, _progress() as bar:
            report = run_ingest(store, source, paths, progress=StageBars(bar), features=features, replace=replace)
    except (StoreError, SourceError) as e:
        _fail(e)
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
    t = Table(title=f"Ingested {source} into {db} in {r['seconds']} s")
    t.add_column("what")
    t.add_column("count", justify="right")
    for k in (
        "files",
        "games",
        "events",
        "shots",
        "goals",
        "players",
        "attempts_without_coordinates",
        "shots_flipped",
        "shootout_attempts_skipped",
    ):
        t.add_row(k.replace("_", " "), f"{r[k]:,}")
    for reason, n in r["rejected"].items():
        t.add_row(f"rejected: {reason}", f"{n:,}")
    for typ, n in r["unknown_event_types"].items():
        t.add_row(f"unknown event type {typ} (kept as OTHER)", f"{n:,}")
    console.print(t)
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
    from oa.sources.download import DownloadError, NhlClient

    client = NhlClient(cache, base_url=base_url, rate=rate)
    try:
        ids = list(games)
        if season:
            with _progress() as bar:
                bar.add_task(f"Reading the {season} schedule", total=None)
                ids += client.season_game_ids(season, (2, 3) if playoffs else (2,))
        files = []
        with _progress() as bar:
            task = bar.add_task("Downloading play-by-play", total=len(ids))
            for i, g in enumerate(sorted(set(ids))):
                files.append(client.play_by_play(g))
                bar.update(task, completed=i + 1)
    except DownloadError as e:
        _fail(e)
    console.print(f"{len(files)} games: {client.requests} requests, {client.cache_hits} from the cache ({cache})")
    return files


@bench_app.command("demo")
def bench_demo(
    games: int = typer.Option(200, "--games", "-n", callback=_check_games),
    seed: int = typer.Option(0, "--seed", "-s", min=0),
    db: Path = typer.Option(Path("data/bench_demo.duckdb"), "--db", callback=_check_db),
    workers: int | None = typer.Option(None, "--workers", min=1, max=64),
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
    out = {
        "games": games,
        "seconds": round(wall, 1),
        "rows": r["rows"],
        "store_mb": round(db.stat().st_size / 1e6, 1),
        "peak_rss_mb_parent": round(peak_self),
        "peak_rss_mb_worker": round(peak_child),
        "cores": os.cpu_count(),
    }
    typer.echo(json.dumps(out) if as_json else json.dumps(out, indent=1))


@bench_app.command("model")
def bench_model(
    games: int = typer.Option(1000, "--games", "-n", callback=_check_games, help="demo games (train on the first 70%)"),
    test_share: float = typer.Option(
        0.3, "--test-share", min=0.05, max=0.9, help="share of games held out (the latest)"
    ),
    seed: int = typer.Option(0, "--seed", "-s", min=0),
    db: Path = typer.Option(
        Path("data/bench_model.duckdb"),
        "--db",
        callback=_check_db,
        help="benchmark store (built if missing, reused if it holds the same league)",
    ),
    workers: int | None = typer.Option(None, "--workers", min=1, max=64),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Model vs oracle vs baseline on held-out demo games, tiers, and scoring speed."""
    from oa.model.bench import run

    try:
        with _progress() as bar:
            out = run(db, games, test_share, seed, workers, progress=StageBars(bar))
    except StoreError as e:
        _fail(e)
    typer.echo(json.dumps(out) if as_json else json.dumps(out, indent=1))


@bench_app.command("pbp")
def bench_pbp(
    db: Path = typer.Option(
        Path("data/bench_nhl.duckdb"),
        "--db",
        callback=_check_db,
        help="store for the two hockey_scraper seasons (built from ../shared if missing)",
    ),
    seed: int = typer.Option(0, "--seed", min=0),
    curve: bool = typer.Option(
        False, "--learning-curve", help="also train on 25/50/75% of 2018-19 and with 2017-18 added: what more data buys"
    ),
    seeds: int = typer.Option(
        1, "--seeds", min=1, max=20, help="also refit with this many seeds: the spread that is luck"
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Play-by-play model: train on hockey_scraper 2018-19, test on 2019-20 (overall and by strength)."""
    from oa.sources import bench

    try:
        with _progress() as bar:
            out = bench.pbp(db, seed, curve=curve, seeds=seeds, progress=StageBars(bar))
    except (FileNotFoundError, StoreError) as e:
        _fail(e)
    typer.echo(json.dumps(out, default=str) if as_json else json.dumps(out, indent=1, default=str))


@bench_app.command("public")
def bench_public(seed: int = typer.Option(0, "--seed", min=0), as_json: bool = typer.Option(False, "--json")) -> None:
    """Our play-by-play model against MoneyPuck's xGoal and hockeyR's xg on the same shots."""
    from oa.sources import bench

    try:
        with _progress() as bar:
            out = bench.public(seed, progress=StageBars(bar))
    except (FileNotFoundError, StoreError) as e:
        _fail(e)
    typer.echo(json.dumps(out, default=str) if as_json else json.dumps(out, indent=1, default=str))


@bench_app.command("app")
def bench_dashboard(
    db: Path = typer.Option(
        DEFAULT_DB, "--db", callback=_check_db, help="store to measure (a full season for the figures)"
    ),
    million: bool = typer.Option(False, "--million", help="also build (once) and measure a ~1,000,000-shot copy of it"),
    target: int = typer.Option(1_000_000, "--target", min=1, help="shots in the --million store"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Dashboard speed and memory: first render per page, filter change, shot detail with replay, peak RSS."""
    from oa.app_bench import run

    if not db.exists():
        _fail(StoreError(f"no store at {db}; build one with `python -m oa demo --db {db}`"))
    out = run(db, million=million, target=target, progress=lambda s: bars.print(s))
    typer.echo(json.dumps(out) if as_json else json.dumps(out, indent=1))


@app.command()
def live(
    games: int = typer.Option(4, "--games", "-n", min=1, max=64, help="games played at once"),
    speed: float = typer.Option(1.0, "--speed", min=0.0, help="game clock x this (0: as fast as it goes)"),
    rate: float = typer.Option(0.0, "--rate", min=0.0, help="or pace by tracking records per second"),
    db: Path = typer.Option(DEFAULT_DB, "--db", callback=_check_db, help="store with the games and the trained model"),
    models: Path | None = typer.Option(
        None,
        "--models",
        callback=lambda p: p and _check_db(p),
        help="take the models from this store instead (e.g. the demo's, for Big Data Cup games)",
    ),
    out: Path | None = typer.Option(None, "--out", help="where ratings are published (default: data/live/<store>/)"),
    broker: str | None = typer.Option(None, "--broker", help="redis://host:port to scale out (default: in-process)"),
    role: str = typer.Option("all", "--role", help="all, feed or scorer (feed/scorer need --broker)"),
    name: str = typer.Option("s1", "--name", help="scorer name in the consumer group (restart with the same name)"),
    prefix: str = typer.Option("oa-live", "--prefix", help="Redis key prefix"),
    until_s: float | None = typer.Option(None, "--until", min=1, help="stop each game after this much game clock (s)"),
    stale_after: float = typer.Option(
        60.0,
        "--stale-after",
        min=0.1,
        help="close a game that sent nothing, not even its clock, this long (s); "
        "the feed sends each quiet game's clock every min(1, this/4) s",
    ),
    claim_after: float = typer.Option(
        30.0, "--claim-after", min=0.1, help="take over a silent scorer's games after this long (s)"
    ),
    quiet: bool = typer.Option(False, "--quiet", help="no line per shot"),
) -> None:
    """Stream demo games (tracking and events) and rate each shot at release, live."""
    from rich.markup import escape

    from oa.live.feed import heartbeat_for, pick_games
    from oa.live.publish import live_dir
    from oa.live.run import local_scorer, run_local, run_redis_feed, run_redis_scorer

    if role not in ("all", "feed", "scorer"):
        raise typer.BadParameter("--role must be all, feed or scorer")
    if role != "all" and not broker:
        raise typer.BadParameter(f"--role {role} needs --broker redis://...")
    target = out or live_dir(db)
    names = {}

    def show(row: dict) -> None:
        if quiet:
            return
        top = json.loads(row["top_factors"])[:2]
        who = names.get(row.get("shooter_id"), "") if names else ""
        clock = f"P{row['period']} {int(row['period_seconds'] // 60):02d}:{int(row['period_seconds'] % 60):02d}"
        # one line per shot even when redirected (rich would wrap at 80 columns); names are not markup
        console.print(
            f"{clock}  {escape(str(row['team']))} {escape(who):<22} [bold]{100 * row['p_goal']:5.1f}%[/bold] "
            f"{row['tier']:<6} " + escape("; ".join(f"{t['value']} ({t['pp']:+.1f} pts)" for t in top)),
            soft_wrap=True,
        )

    try:
        if not quiet and role != "feed":
            with Store(db, read_only=True) as st:
                names.update(st.query("SELECT player_id, name FROM players").set_index("player_id")["name"].to_dict())
        ids = [] if role == "scorer" else pick_games(db, games)
        if role == "feed":
            fs = run_redis_feed(
                db, ids, broker, prefix, speed=speed, rate=rate, until_s=until_s, heartbeat_s=heartbeat_for(stale_after)
            )
            console.print(
                f"fed {len(ids)} games: {fs.records:,} records, {fs.shots} shots in {fs.finished - fs.started:.1f} s"
            )
            return
        if broker:
            until = None
            if role == "all":  # feed from a thread here; stop once it is done and every game drained
                import threading

                from oa.live.redis_broker import connect, drained

                r0 = connect(broker)
                t = threading.Thread(
                    target=run_redis_feed,
                    args=(db, ids, broker, prefix),
                    daemon=True,
                    kwargs=dict(speed=speed, rate=rate, until_s=until_s, heartbeat_s=heartbeat_for(stale_after)),
                )
                t.start()
                until = lambda: not t.is_alive() and drained(r0, prefix, len(ids))  # noqa: E731
            res = run_redis_scorer(
                db,
                broker,
                prefix,
                name,
                target,
                int(claim_after * 1000),
                on_shot=show,
                until=until,
                stale_after_s=stale_after,
                models_from=models,
            )
            res.pop("latency_ms", None)
        else:
            console.print(
                f"[bold]{len(ids)} games live[/bold] at {'max speed' if not (speed or rate) else (f'{rate:,.0f} records/s' if rate else f'{speed:g}x')}; "
                f"ratings published to {escape(str(target))} (open the dashboard's Live page)",
                soft_wrap=True,
            )
            res = run_local(
                db,
                ids,
                local_scorer(db, target, stale_after_s=stale_after, models_from=models),
                speed=0.0 if rate else speed,
                rate=rate,
                on_shot=show,
                until_s=until_s,
            )
    except (StoreError, ConnectionError, ValueError) as e:
        _fail(e)
    typer.echo(json.dumps(res))


@bench_app.command("live")
def bench_live(
    games: int = typer.Option(16, "--games", "-n", min=1, max=64),
    rate: float = typer.Option(60_000, "--rate", min=0.0, help="records/s for the sustained in-process run"),
    redis_rate: float = typer.Option(30_000, "--redis-rate", min=0.0, help="records/s for the sustained Redis run"),
    until_s: float = typer.Option(
        PERIOD_S, "--until", min=1, help=f"game clock played per game (s); {PERIOD_S:g} = a period"
    ),
    broker: str | None = typer.Option(None, "--broker", help="redis://host:port: also measure scale-out"),
    scorers: int = typer.Option(2, "--scorers", min=1, max=16),
    db: Path = typer.Option(
        Path("data/bench_live.duckdb"), "--db", callback=_check_db, help="built (60 games) if missing"
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Live scoring: records/s and release-to-rating latency (p50/p99), in-process and over Redis."""
    from oa.live.bench import run

    try:
        with _progress() as bar:
            out = run(db, games, rate, until_s, broker, redis_rate, scorers, progress=StageBars(bar))
    except (StoreError, ConnectionError, RuntimeError) as e:
        _fail(e)
    typer.echo(json.dumps(out) if as_json else json.dumps(out, indent=1))


def main() -> None:
    app()
