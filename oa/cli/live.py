"""`live`, `live nhl` and `serve`: rate shots as games stream in (demo games, or tonight's NHL games), and
the scoring API. The wiring is in oa.live.run and oa.live.nhl_poll."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import typer

from oa.cli import options
from oa.cli.common import check_db, console, fail
from oa.settings import DEFAULT_DB
from oa.store import Store, StoreError


def live(
    ctx: typer.Context,
    games: int = typer.Option(4, "--games", "-n", min=1, max=64, help="games played at once"),
    speed: float = typer.Option(1.0, "--speed", min=0.0, help="game clock x this (0: as fast as it goes)"),
    rate: float = typer.Option(0.0, "--rate", min=0.0, help="or pace by tracking records per second"),
    db: Path = options.db(DEFAULT_DB, "store with the games and the trained model"),
    models: Path | None = typer.Option(
        None,
        "--models",
        callback=lambda p: p and check_db(p),
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
    """Stream demo games (tracking and events) and rate each shot at release, live; `live nhl`: real games."""
    if ctx.invoked_subcommand is not None:
        return  # `oa live nhl ...`: these options are the demo feed's
    from rich.markup import escape

    from oa.live.feed import heartbeat_for, pick_games
    from oa.live.run import local_scorer, run_local, run_redis, run_redis_feed
    from oa.settings import live_dir

    if role not in ("all", "feed", "scorer"):
        raise typer.BadParameter("--role must be all, feed or scorer")
    if role != "all" and not broker:
        raise typer.BadParameter(f"--role {role} needs --broker redis://...")
    target = out or live_dir(db)
    names: dict = {}
    line = _shot_line(names)

    def show(row: dict) -> None:
        if not quiet:
            line(row)

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
        if broker:  # a scorer of the consumer group (with role all, fed from a thread of this process)
            res = run_redis(
                db,
                ids,
                broker,
                prefix,
                name,
                target,
                feed_here=role == "all",
                speed=speed,
                rate=rate,
                until_s=until_s,
                stale_after_s=stale_after,
                claim_idle_ms=int(claim_after * 1000),
                on_shot=show,
                models_from=models,
            )
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
        fail(e)
    typer.echo(json.dumps(res))


def _shot_line(names: dict) -> Callable[[dict], None]:
    """One line per rated shot, even when redirected (rich would wrap at 80 columns); names are not markup."""
    from rich.markup import escape

    def show(row: dict) -> None:
        top = json.loads(row["top_factors"])[:2]
        who = names.get(row.get("shooter_id"), "") if names else ""
        clock = f"P{row['period']} {int(row['period_seconds'] // 60):02d}:{int(row['period_seconds'] % 60):02d}"
        console.print(
            f"{clock}  {escape(str(row['team']))} {escape(who):<22} [bold]{100 * row['p_goal']:5.1f}%[/bold] "
            f"{row['tier']:<6} " + escape("; ".join(f"{t['value']} ({t['pp']:+.1f} pts)" for t in top)),
            soft_wrap=True,
        )

    return show


def live_nhl(
    date: str | None = typer.Option(None, "--date", help="the day's games, YYYY-MM-DD (default: today)"),
    game: list[int] = typer.Option([], "--game", help="these game ids instead of the day's schedule (repeatable)"),
    db: Path = options.db(Path("data/nhl.duckdb"), "store whose active play-by-play model rates the shots"),
    out: Path | None = typer.Option(None, "--out", help="where ratings are published (default: data/live/<store>/)"),
    broker: str | None = typer.Option(
        None, "--broker", help="redis://host:port: publish to Redis Streams for the scorers of `oa live --role scorer`"
    ),
    role: str = typer.Option("all", "--role", help="all (poll and rate here) or feed (poll only; needs --broker)"),
    prefix: str = typer.Option("oa-live", "--prefix", help="Redis key prefix"),
    base_url: str = options.nhl_api("the NHL web API root (or a mirror)"),
    interval: float = typer.Option(5.0, "--interval", min=0.01, help="seconds between polls while the clock runs"),
    quiet: bool = typer.Option(False, "--quiet", help="no line per shot"),
) -> None:
    """Tonight's NHL games live: poll the play-by-play, rate every unblocked attempt, until final.

    A revised play replaces its rating, a deleted one is withdrawn; the Live page shows them and the scores."""
    import datetime as dt

    from oa.live.nhl_poll import FeedError, Pacing, Retry, run_nhl, run_nhl_redis, schedule
    from oa.live.run import local_scorer, run_redis_scorer
    from oa.settings import live_dir

    if role not in ("all", "feed"):
        raise typer.BadParameter("--role must be all or feed")
    if role == "feed" and not broker:
        raise typer.BadParameter("--role feed needs --broker redis://...")
    day = date or dt.date.today().isoformat()
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        raise typer.BadParameter(f"--date {day!r} is not YYYY-MM-DD") from None
    pacing = Pacing(live_s=interval, intermission_s=max(interval, 30.0), pregame_s=max(interval, 30.0))
    target = out or live_dir(db)
    try:
        ids = list(game)
        if not ids:
            games = schedule(base_url, day)
            ids = [g["id"] for g in games]
            for g in games:
                console.print(f"{g['id']}  {g['away']} @ {g['home']}  {g['state']}  {g['start_utc']}")
        if not ids:
            console.print(f"no NHL games on {day}")
            return
        names: dict = {}
        if role == "all" and not quiet:
            with Store(db, read_only=True) as st:
                names.update(st.query("SELECT player_id, name FROM players").set_index("player_id")["name"].to_dict())
        show = None if quiet else _shot_line(names)
        console.print(f"[bold]{len(ids)} games live[/bold]; ratings published to {target} (the dashboard's Live page)")
        if broker and role == "feed":
            res = run_nhl_redis(ids, broker, prefix, base_url, pacing)
        elif broker:
            import threading

            from oa.live.redis_broker import connect, drained

            fed: dict = {}
            t = threading.Thread(
                target=lambda: fed.update(run_nhl_redis(ids, broker, prefix, base_url, pacing)), daemon=True
            )
            t.start()
            r = connect(broker)
            res = run_redis_scorer(
                db,
                broker,
                prefix,
                "s1",
                target,
                until=lambda: not t.is_alive() and drained(r, prefix, len(ids)),
                on_shot=show,
                stale_after_s=600,
            )
            res = {**fed, "scorer": {k: v for k, v in res.items() if k != "latency_ms"}}
        else:
            from oa.features.registry import PBP

            scorer = local_scorer(db, target, stale_after_s=600)
            if PBP not in scorer.models:
                raise ValueError(
                    f"{db} has no play-by-play model to rate NHL shots; "
                    "train one with `python -m oa train --features pbp --db ...`"
                )
            res = run_nhl(ids, scorer, base_url, pacing, on_shot=show)
    except (StoreError, ConnectionError, ValueError, FeedError, Retry) as e:
        fail(e)
    typer.echo(json.dumps(res))


def serve(
    db: Path = options.db(DEFAULT_DB, "store whose active models rate the shots (read once at start)"),
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
        fail(e)
    console.print(f"Scoring API for {db} on http://{host}:{port} (try /health, /docs); Ctrl+C to stop")
    uvicorn.run(api, host=host, port=port, log_level="info")
