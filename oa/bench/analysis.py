"""The analyst figures' speed: every oa.analysis function for one season of a store, and `players --json`.

Each figure is computed `runs` times on a read-only connection to the store (the first run is reported
apart: it reads the file cold); the median of the others is the figure. A filter change is a new call, so
each figure's time is what a panel waits after one. `players --json` runs as the user runs it, a fresh
process, `runs` times. The machine's load before and after is part of the result.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sized
from pathlib import Path
from typing import Any

import duckdb

from oa.analysis.lines import lines, wowy
from oa.analysis.onice import on_ice
from oa.analysis.talent import talent, talent_trend
from oa.analysis.teams import team_rates
from oa.store import StoreError


def _load() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: object = None) -> Any:
    """The first value of the first row (a query that returns no row is a broken store)."""
    row = con.execute(sql, params).fetchone() if params is not None else con.execute(sql).fetchone()
    if row is None:
        raise StoreError(f"no row from {sql!r}")
    return row[0]


def _time(f: Callable[[], object], runs: int) -> dict:
    times, rows = [], 0
    for _ in range(runs + 1):
        t0 = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t0)
        rows = len(out) if isinstance(out, Sized) else 0
    rest = times[1:]
    return {
        "first_s": round(times[0], 3),
        "median_s": round(statistics.median(rest), 3),
        "max_s": round(max(rest), 3),
        "rows": rows,
    }


def _has_rows(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    try:
        return bool(_one(con, f"SELECT count(*) > 0 FROM (SELECT 1 FROM {table} LIMIT 1)"))
    except duckdb.Error:
        return False


def build_proxy(season_db: Path, out: Path, target: int = 1_000_000) -> dict:
    """A ~1M-shot store with on-ice rows made from the demo store `season_db`, copied (ids shifted, two
    copies a season) until `target` shots.

    A demo store with shifts (shot_on_ice, shifts, toi) has them copied. An older one, without, gets each
    shot's on-ice players from the tracked entities on the frame before its release, and shifts and toi made
    up with the row counts of a real season (eight 45 s shifts a period for each player on the ice in a
    game; toi 18 and 15 minutes), so their queries cost what real ones would; their values mean nothing.
    """
    from oa.store import Store

    for p in (out, out.with_name(out.name + ".wal")):
        p.unlink(missing_ok=True)
    Store(out).close()
    con = duckdb.connect(str(out))
    try:
        con.execute(f"ATTACH '{season_db.resolve()}' AS src (READ_ONLY)")
        real = _has_rows(con, "src.shot_on_ice") and _has_rows(con, "src.shifts") and _has_rows(con, "src.toi")
        con.execute(
            "CREATE TEMP TABLE oi AS SELECT * FROM src.shot_on_ice"
            if real
            else """CREATE TEMP TABLE oi AS
               SELECT s.shot_id, s.game_id, f.entity_id AS player_id, f.team, p.position = 'G' AS goalie,
                      f.team = s.team AS shooting
               FROM src.shots s JOIN src.frames f ON f.game_id = s.game_id AND f.frame_idx = s.release_frame - 1
                    AND f.entity_id <> 0
               JOIN src.players p ON p.player_id = f.entity_id"""
        )
        n = _one(con, "SELECT count(*) FROM src.shots")
        if not n:
            raise StoreError(f"{season_db} has no shots")
        copies = -(-target // n)
        for t in ("teams", "players", "models", "meta", "sim_skills"):
            con.execute(f"INSERT OR REPLACE INTO {t} SELECT * FROM src.{t}")
        y0 = int(_one(con, "SELECT min(season) FROM src.games")[:4])
        for k in range(copies):
            g, s = k * 10**8, k * 10**8 * 10000  # a game id moves by 10^8: clear of every season of a demo store
            y = y0 + k // 2
            con.execute("BEGIN")
            con.execute(
                f"INSERT INTO games SELECT * REPLACE (game_id + {g} AS game_id, '{y}-{(y + 1) % 100:02d}' AS season, "
                "false AS has_tracking, NULL AS fps) FROM src.games"
            )
            con.execute(f"INSERT INTO events SELECT * REPLACE (game_id + {g} AS game_id) FROM src.events")
            con.execute(
                f"INSERT INTO shots SELECT * REPLACE (shot_id + {s} AS shot_id, game_id + {g} AS game_id) FROM src.shots"
            )
            con.execute(f"INSERT INTO shot_scores SELECT * REPLACE (shot_id + {s} AS shot_id) FROM src.shot_scores")
            con.execute(
                f"INSERT INTO shot_on_ice SELECT * REPLACE (shot_id + {s} AS shot_id, game_id + {g} AS game_id) FROM oi"
            )
            if real:  # the source's own shifts and time on ice
                for t in ("shifts", "toi", "player_toi"):
                    con.execute(f"INSERT INTO {t} SELECT * REPLACE (game_id + {g} AS game_id) FROM src.{t}")
            else:
                con.execute(
                    f"""INSERT INTO shifts
                    SELECT p.game_id + {g}, p.player_id, p.team, per.period, (i.i * 150 + (p.player_id % 3) * 50) % 1150,
                           (i.i * 150 + (p.player_id % 3) * 50) % 1150 + 45
                    FROM (SELECT DISTINCT game_id, player_id, team FROM oi) p, range(1, 4) per(period), range(0, 8) i(i)"""
                )
                con.execute(
                    f"""INSERT INTO toi
                    SELECT p.game_id + {g}, p.player_id, p.team, sit.situation,
                           CASE sit.situation WHEN 'all' THEN 1080 ELSE 900 END, 'shifts'
                    FROM (SELECT DISTINCT game_id, player_id, team FROM oi) p, (VALUES ('all'), ('5v5')) sit(situation)"""
                )
            con.execute("COMMIT")
        con.execute("CHECKPOINT")
        shots = _one(con, "SELECT count(*) FROM shots")
        return {"path": str(out), "copies": copies, "shots": shots, "on_ice": "copied" if real else "made up"}
    finally:
        con.close()


def run(
    db: Path,
    runs: int = 5,
    progress: Callable[[str, int, int], None] | None = None,
    proxy_from: Path | None = None,
) -> dict:
    built = None
    if proxy_from is not None:
        if not proxy_from.exists():
            raise StoreError(
                f"no store at {proxy_from}; build one with `python -m oa demo --games 600 --db {proxy_from}`"
            )
        built = build_proxy(proxy_from, db)
    if not db.exists():
        raise StoreError(f"no store at {db}; build one with `python -m oa bench app --million` or `python -m oa demo`")
    con = duckdb.connect(str(db), read_only=True)
    con.execute("SET enable_progress_bar = false")  # the app's connection draws no bar either
    try:
        sizes = {}
        for t in ("shots", "shot_on_ice", "toi", "shifts", "events"):
            try:
                sizes[t] = int(_one(con, f"SELECT count(*) FROM {t}"))
            except duckdb.Error:
                sizes[t] = 0
        season = _one(  # the fullest season (the latest of equals)
            con,
            "SELECT g.season FROM shots s JOIN games g ON g.game_id = s.game_id GROUP BY 1 ORDER BY count(*) DESC, 1 DESC",
        )
        team = _one(con, "SELECT min(home_team) FROM games WHERE season = ?", [season])
        pair = (
            con.execute(
                """SELECT a.player_id, b.player_id FROM shot_on_ice a JOIN shot_on_ice b ON b.shot_id = a.shot_id
               AND b.team = a.team AND b.player_id > a.player_id AND NOT a.goalie AND NOT b.goalie
               WHERE a.game_id = (SELECT min(game_id) FROM games WHERE season = $s) LIMIT 1""",
                {"s": season},
            ).fetchone()
            if sizes["shot_on_ice"]
            else None
        )
        shooter = con.execute(
            "SELECT shooter_id FROM shots WHERE shooter_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
        figures: dict[str, Callable[[], object]] = {
            "on_ice 5v5": lambda: on_ice(con, season=season),
            "on_ice all": lambda: on_ice(con, season=season, situation="all"),
            "on_ice 5v5, one team, forwards": lambda: on_ice(con, season=season, team=team, position="F"),
            "lines F3 5v5": lambda: lines(con, season=season, kind="F3"),
            "lines D2 5v5, one team": lambda: lines(con, season=season, kind="D2", team=team),
            "talent shooters": lambda: talent(con, season=season, role="shooter"),
            "talent goalies": lambda: talent(con, season=season, role="goalie"),
            "talent_trend (every season)": lambda: talent_trend(con, shooter[0] if shooter else 0, role="shooter"),
            "team_rates 5v5": lambda: team_rates(con, season=season),
            "team_rates all": lambda: team_rates(con, season=season, situation="all"),
        }
        if pair:
            figures["wowy"] = lambda: wowy(con, pair[0], pair[1], season=season)
        out: dict = {"store": str(db), "season": season, "rows": sizes, "runs": runs, "load_before": _load()}
        if built is not None:
            out["proxy"] = built | {
                "from": str(proxy_from),
            }
        timed = {}
        for i, (name, f) in enumerate(figures.items()):
            if progress:
                progress(name, i, len(figures) + 1)
            timed[name] = _time(f, runs)
    finally:
        con.close()
    cmd = [sys.executable, "-m", "oa", "players", "--db", str(db), "--season", str(season), "--json"]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        times.append(time.perf_counter() - t0)
        if p.returncode != 0:
            raise StoreError(f"players --json failed: {p.stderr.strip()[-400:]}")
    timed["players --json (process)"] = {
        "median_s": round(statistics.median(times), 3),
        "max_s": round(max(times), 3),
        "bytes": len(p.stdout),
    }
    out["figures"] = timed
    out["slowest_panel_median_s"] = max(v["median_s"] for k, v in timed.items() if "players" not in k)
    out["load_after"] = _load()
    return out
