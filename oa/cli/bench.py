"""`bench ...`: each benchmark's options; the measuring is in oa.bench, and `--markdown` writes its report."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import typer

from oa.cli import options
from oa.cli.common import StageBars, bars, fail, progress_bars
from oa.rink import PERIOD_S
from oa.settings import DEFAULT_DB
from oa.store import StoreError


def _names(ctx: typer.Context) -> list[str]:
    """The command's words below `oa`, e.g. ['bench', 'model']."""
    names: list[str] = []
    c = ctx
    while c is not None and c.parent is not None:
        names.insert(0, c.info_name or "")
        c = c.parent
    return names


def _reproduce(ctx: typer.Context, leave_out: tuple[str, ...] = ("markdown", "as_json")) -> str:
    """The command line that runs this command again with the same values (defaults spelled out)."""
    import shlex

    parts = ["python -m oa", *_names(ctx)]
    for p in ctx.command.params:
        v = ctx.params.get(p.name or "")
        if p.name in leave_out or v is None or p.param_type_name != "option":
            continue
        opt = max(p.opts, key=len)
        if getattr(p, "is_flag", False):
            if v or p.secondary_opts:
                parts.append(opt if v else max(p.secondary_opts, key=len))
        else:
            parts += [opt, shlex.quote(str(v))]
    return " ".join(parts)


def _report(ctx: typer.Context, module: str, out: dict, path: Path | None) -> None:
    """With --markdown, write the figures, the machine and the command to `path` (oa.bench.report)."""
    if path is None:
        return
    import importlib

    from oa.bench import report

    mod = importlib.import_module(module)
    doc = (mod.__doc__ or "").split("\n\n")[0]
    render = getattr(mod, "report_markdown", None)  # a bench with many figures lays out its own tables
    report.write(path, " ".join(_names(ctx)), doc, out, _reproduce(ctx), render(out) if render else None)
    bars.print(f"report written to {path}")


def _measure(
    ctx: typer.Context,
    module: str,
    run: Callable[[StageBars], dict],
    as_json: bool,
    markdown: Path | None,
    errors: tuple[type[Exception], ...] = (StoreError,),
) -> None:
    """Run a benchmark behind progress bars, print its figures as JSON, and write its report if asked."""
    try:
        with progress_bars() as bar:
            out = run(StageBars(bar))
    except errors as e:
        fail(e)
    typer.echo(json.dumps(out, default=str) if as_json else json.dumps(out, indent=1, default=str))
    _report(ctx, module, out, markdown)


def bench_demo(
    ctx: typer.Context,
    games: int = options.games(200),
    seed: int = options.seed(short=True),
    db: Path = options.db(Path("data/bench_demo.duckdb")),
    workers: int | None = options.workers(),
    as_json: bool = options.as_json(),
    markdown: Path | None = options.markdown(),
) -> None:
    """Time `demo` from an empty store: wall time, rows per table, size on disk, peak memory."""
    from oa.bench import demo as bench

    with progress_bars() as bar:
        task = bar.add_task("Simulating demo league", total=games)
        out = bench.run(db, games, seed, workers, progress=lambda i, n: bar.update(task, completed=i))
    typer.echo(json.dumps(out) if as_json else json.dumps(out, indent=1))
    _report(ctx, "oa.bench.demo", out, markdown)


def bench_model(
    ctx: typer.Context,
    games: int = options.games(1000, "demo games (train on the first 70%)"),
    test_share: float = typer.Option(
        0.3, "--test-share", min=0.05, max=0.9, help="share of games held out (the latest)"
    ),
    seed: int = options.seed(short=True),
    db: Path = options.db(
        Path("data/bench_model.duckdb"), "benchmark store (built if missing, reused if it holds the same league)"
    ),
    workers: int | None = options.workers(),
    as_json: bool = options.as_json(),
    markdown: Path | None = options.markdown(),
) -> None:
    """Model vs oracle vs baseline on held-out demo games, tiers, and scoring speed."""
    from oa.bench.model import run

    _measure(ctx, "oa.bench.model", lambda p: run(db, games, test_share, seed, workers, progress=p), as_json, markdown)


def bench_pbp(
    ctx: typer.Context,
    db: Path = options.db(
        Path("data/bench_nhl.duckdb"), "store for the two hockey_scraper seasons (built from ../shared if missing)"
    ),
    seed: int = options.seed(),
    curve: bool = typer.Option(
        False, "--learning-curve", help="also train on 25/50/75% of 2018-19 and with 2017-18 added: what more data buys"
    ),
    seeds: int = typer.Option(
        1, "--seeds", min=1, max=20, help="also refit with this many seeds: the spread that is luck"
    ),
    as_json: bool = options.as_json(),
    markdown: Path | None = options.markdown(),
) -> None:
    """Play-by-play model: train on hockey_scraper 2018-19, test on 2019-20 (overall and by strength)."""
    from oa.bench import sources as bench

    _measure(
        ctx,
        "oa.bench.sources",
        lambda p: bench.pbp(db, seed, curve=curve, seeds=seeds, progress=p),
        as_json,
        markdown,
        (FileNotFoundError, StoreError),
    )


def bench_public(
    ctx: typer.Context,
    seed: int = options.seed(),
    as_json: bool = options.as_json(),
    markdown: Path | None = options.markdown(),
) -> None:
    """Our play-by-play model against MoneyPuck's xGoal and hockeyR's xg on the same shots."""
    from oa.bench import sources as bench

    _measure(
        ctx,
        "oa.bench.sources",
        lambda p: bench.public(seed, progress=p),
        as_json,
        markdown,
        (FileNotFoundError, StoreError),
    )


def bench_dashboard(
    ctx: typer.Context,
    db: Path = options.db(DEFAULT_DB, "store to measure (a full season for the figures)"),
    million: bool = typer.Option(False, "--million", help="also build (once) and measure a ~1,000,000-shot copy of it"),
    target: int = typer.Option(1_000_000, "--target", min=1, help="shots in the --million store"),
    runs: int = typer.Option(1, "--runs", min=1, max=9, help="runs per store, each in a fresh process (medians)"),
    as_json: bool = options.as_json(),
    markdown: Path | None = options.markdown(),
) -> None:
    """Dashboard speed and memory: first render per page, filter change, the analyst panels after each filter
    change, shot detail with replay, peak RSS."""
    from oa.bench.dashboard import run

    if not db.exists():
        fail(StoreError(f"no store at {db}; build one with `python -m oa demo --db {db}`"))
    out = run(db, million=million, target=target, runs=runs, progress=lambda s: bars.print(s))
    typer.echo(json.dumps(out) if as_json else json.dumps(out, indent=1))
    _report(ctx, "oa.bench.dashboard", out, markdown)


def bench_live(
    ctx: typer.Context,
    games: int = typer.Option(16, "--games", "-n", min=1, max=64),
    rate: float = typer.Option(60_000, "--rate", min=0.0, help="records/s for the sustained in-process run"),
    redis_rate: float = typer.Option(30_000, "--redis-rate", min=0.0, help="records/s for the sustained Redis run"),
    until_s: float = typer.Option(
        PERIOD_S, "--until", min=1, help=f"game clock played per game (s); {PERIOD_S:g} = a period"
    ),
    broker: str | None = typer.Option(None, "--broker", help="redis://host:port: also measure scale-out"),
    scorers: int = typer.Option(2, "--scorers", min=1, max=16),
    db: Path = options.db(Path("data/bench_live.duckdb"), "built (60 games) if missing"),
    as_json: bool = options.as_json(),
    markdown: Path | None = options.markdown(),
) -> None:
    """Live scoring: records/s and release-to-rating latency (p50/p99), in-process and over Redis."""
    from oa.bench.live import run

    _measure(
        ctx,
        "oa.bench.live",
        lambda p: run(db, games, rate, until_s, broker, redis_rate, scorers, progress=p),
        as_json,
        markdown,
        (StoreError, ConnectionError, RuntimeError),
    )


def bench_live_nhl(
    ctx: typer.Context,
    speed: float = typer.Option(60.0, "--speed", min=1.0, help="game clock x this (the feed server's)"),
    start_at: float = typer.Option(0.0, "--start-at", help="game clock (s) the games are at when polling starts"),
    interval: float = typer.Option(5.0, "--interval", min=0.01, help="real seconds between polls while live"),
    db: Path = options.db(Path("data/bench_live.duckdb"), "store with the models (built, 60 games, if missing)"),
    as_json: bool = options.as_json(),
    markdown: Path | None = options.markdown(),
) -> None:
    """Live NHL: two real games played over loopback HTTP; poll-to-published latency (p50/p99)."""
    from oa.bench.live_nhl import run

    _measure(
        ctx,
        "oa.bench.live_nhl",
        lambda p: run(db, speed, start_at, interval, progress=p),
        as_json,
        markdown,
        (StoreError, ConnectionError, RuntimeError, FileNotFoundError),
    )


def bench_season(
    ctx: typer.Context,
    source: str = typer.Option(
        "moneypuck",
        "--source",
        help="moneypuck (2024-25), hockey_scraper (2018-19) or all (one after the other), from ../shared/data",
    ),
    runs: int = typer.Option(3, "--runs", min=1, max=9, help="fresh runs; medians reported"),
    folder: Path = typer.Option(
        Path("data/bench_season"), "--dir", help="folder for the run's store and the model (trained once, kept)"
    ),
    as_json: bool = options.as_json(),
    markdown: Path | None = options.markdown(),
) -> None:
    """A real season through ingest, factors, score and explain, and a re-score: seconds and peak memory."""
    from oa.bench import season

    if source not in (*season.SEASONS, "all"):
        fail(ValueError(f"--source must be one of {', '.join(season.SEASONS)} or all, not {source!r}"))
    _measure(
        ctx,
        "oa.bench.season",
        lambda p: (
            {s: season.run(s, folder / s, runs, progress=p) for s in season.SEASONS}
            if source == "all"
            else season.run(source, folder / source, runs, progress=p)
        ),
        as_json,
        markdown,
        (FileNotFoundError, StoreError),
    )


def bench_seasons(
    ctx: typer.Context,
    db: Path | None = typer.Option(
        None,
        "--db",
        help="a store to evaluate (default: the real seasons in ../shared, stores built under data/ and reused)",
    ),
    seed: int = options.seed(),
    recent_weight: float = typer.Option(
        1.0, "--recent-weight", min=0.01, max=1.0, help="each season back counts this much of the next (as `train`)"
    ),
    as_json: bool = options.as_json(),
    markdown: Path | None = options.markdown(),
) -> None:
    """Rolling-origin: each season trained on the seasons before it, beside MoneyPuck's and hockeyR's xG."""
    from oa.bench import seasons as bench

    if db is not None and not db.is_file():
        fail(StoreError(f"no store at {db}"))

    def run(p: StageBars) -> dict:
        out = (
            bench.on_store(db, seed, recent_weight, progress=p)
            if db is not None
            else bench.shared(seed, recent_weight, progress=p)
        )
        folder = db.resolve().parent if db is not None else Path("data").resolve()
        key = db.name if db is not None else "shared"
        out["results_file"] = str(bench.save(folder, key, out, _reproduce(ctx)))
        return out

    _measure(ctx, "oa.bench.seasons", run, as_json, markdown, (FileNotFoundError, StoreError))


def bench_sync(
    ctx: typer.Context,
    runs: int = typer.Option(3, "--runs", min=1, max=9, help="first run then second run, this many times; medians"),
    rate: float = typer.Option(2.0, "--rate", min=0.1, max=50, help="requests per second at most (as `nhl sync`)"),
    games: int | None = typer.Option(
        None, "--games", min=1, max=2000, help="a schedule of this many official games, 7 a day (default: the tests' 6)"
    ),
    as_json: bool = options.as_json(),
    markdown: Path | None = options.markdown(),
) -> None:
    """`nhl sync` against the loopback NHL API: a first run, then a second on the up-to-date store; seconds, requests."""
    from oa.bench.sync import run

    _measure(
        ctx,
        "oa.bench.sync",
        lambda p: run(runs, rate, games, progress=p),
        as_json,
        markdown,
        (FileNotFoundError, RuntimeError),
    )


def bench_graphic(
    ctx: typer.Context,
    db: Path = options.db(DEFAULT_DB, help="the store whose shots are drawn (default: the demo league)"),
    shots: int = typer.Option(5, "--shots", min=1, max=50, help="this many of the best-rated shots"),
    runs: int = typer.Option(3, "--runs", min=1, max=20, help="each shot in every size and format this many times"),
    as_json: bool = options.as_json(),
    markdown: Path | None = options.markdown(),
) -> None:
    """The shot graphic: the first render (Chromium starting), then warm renders per size and format; seconds."""
    from oa.bench.graphic import run
    from oa.broadcast.graphic import RenderError
    from oa.broadcast.theme import ThemeError

    _measure(
        ctx,
        "oa.bench.graphic",
        lambda p: run(db, shots, runs, progress=p),
        as_json,
        markdown,
        (StoreError, RenderError, ThemeError),
    )


def bench_studio(
    ctx: typer.Context,
    db: Path = options.db(
        Path("data/bench_live.duckdb"), "store with the games and models (built, 60 games, if missing)"
    ),
    pages: str = typer.Option(
        "1,4", "--pages", help="studio views open at once, e.g. 1,4 (each count is one set of runs)"
    ),
    runs: int = typer.Option(3, "--runs", min=1, max=20, help="runs per page count"),
    seconds: float = typer.Option(30.0, "--seconds", min=5, max=600, help="wall seconds measured per run"),
    speed: float = typer.Option(20.0, "--speed", min=1, max=200, help="the live game's clock x this"),
    as_json: bool = options.as_json(),
    markdown: Path | None = options.markdown(),
) -> None:
    """The studio view: seconds from a published rating to the screen, and CPU per open view (server, Chromium)."""
    from oa.bench.studio import run

    try:
        counts = tuple(int(x) for x in pages.split(",") if x.strip())
    except ValueError:
        counts = ()
    if not counts or any(not 1 <= n <= 16 for n in counts):
        fail(ValueError(f"--pages must be page counts from 1 to 16 separated by commas, got {pages!r}"))
    _measure(
        ctx,
        "oa.bench.studio",
        lambda p: run(db, counts, runs, seconds, speed, progress=p),
        as_json,
        markdown,
        (StoreError, RuntimeError),
    )


def bench_recap(
    ctx: typer.Context,
    db: Path = options.db(DEFAULT_DB, help="the store whose games are recapped (default: the demo league)"),
    games: int = typer.Option(5, "--games", min=1, max=50, help="this many games with the most rated shots"),
    runs: int = typer.Option(3, "--runs", min=1, max=20, help="each game's recap this many times"),
    as_json: bool = options.as_json(),
    markdown: Path | None = options.markdown(),
) -> None:
    """The game recap (HTML page and PNG): the first (Chromium starting), then warm; seconds per step."""
    from oa.bench.recap import run
    from oa.broadcast.graphic import RenderError
    from oa.broadcast.theme import ThemeError

    _measure(
        ctx,
        "oa.bench.recap",
        lambda p: run(db, games, runs, progress=p),
        as_json,
        markdown,
        (StoreError, RenderError, ThemeError),
    )


def bench_replay(
    ctx: typer.Context,
    db: Path = options.db(DEFAULT_DB, help="the store whose tracked shots are replayed (default: the demo league)"),
    shots: int = typer.Option(3, "--shots", min=1, max=20, help="this many of the best-rated tracked shots"),
    runs: int = typer.Option(3, "--runs", min=1, max=20, help="each shot at both sizes this many times"),
    as_json: bool = options.as_json(),
    markdown: Path | None = options.markdown(),
) -> None:
    """The replay video: 6 s at 30 fps drawn and encoded to H.264, 1920x1080 and 1280x720; seconds per clip."""
    from oa.bench.replay import run
    from oa.broadcast.replay import EncoderError, NoTracking
    from oa.broadcast.theme import ThemeError

    _measure(
        ctx,
        "oa.bench.replay",
        lambda p: run(db, shots, runs, progress=p),
        as_json,
        markdown,
        (StoreError, EncoderError, NoTracking, ThemeError),
    )


def bench_talent(
    ctx: typer.Context,
    db: Path = options.db(DEFAULT_DB, help="a scored store of the demo league (only it knows the true skills)"),
    model: str | None = typer.Option(None, "--model", help="the model id whose xG to use (default: the active model)"),
    as_json: bool = options.as_json(),
    markdown: Path | None = options.markdown(),
) -> None:
    """Talent shrinkage against the demo league's true skills: correlation raw vs shrunk, 90% interval coverage."""
    from oa.bench.talent import run

    _measure(ctx, "oa.bench.talent", lambda p: run(db, model), as_json, markdown)


def bench_analysis(
    ctx: typer.Context,
    db: Path = options.db(DEFAULT_DB, help="the store to measure (the 1M-shot store for the figures)"),
    runs: int = typer.Option(5, "--runs", min=1, max=50, help="each figure this many times (median reported)"),
    proxy_from: Path | None = typer.Option(
        None,
        "--proxy-from",
        help="first (re)build --db as a ~1M-shot stand-in from this tracked demo store (on-ice rows from its "
        "frames; shifts and toi made up)",
    ),
    as_json: bool = options.as_json(),
    markdown: Path | None = options.markdown(),
) -> None:
    """The analyst figures' speed: each oa.analysis function for one season, and `players --json`, median seconds."""
    from oa.bench.analysis import run

    _measure(ctx, "oa.bench.analysis", lambda p: run(db, runs, progress=p, proxy_from=proxy_from), as_json, markdown)


def bench_toi(
    ctx: typer.Context,
    games: int = options.games(100, "demo games whose shifts are the truth"),
    seed: int = options.seed(),
    workers: int | None = options.workers(),
    as_json: bool = options.as_json(),
    markdown: Path | None = options.markdown(),
) -> None:
    """The time-on-ice estimate's error against shifts: the real NHL game in the shared data, and demo games."""
    from oa.bench.toi import run
    from oa.settings import shared_root

    _measure(
        ctx, "oa.bench.toi", lambda p: run(shared_root() / "data", games, seed, workers, progress=p), as_json, markdown
    )
