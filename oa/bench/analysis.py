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
from collections.abc import Callable
from pathlib import Path

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


def _time(f: Callable[[], object], runs: int) -> dict:
    times, rows = [], 0
    for _ in range(runs + 1):
        t0 = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t0)
        rows = len(out) if hasattr(out, "__len__") else 0  # type: ignore[arg-type]
    rest = times[1:]
    return {
        "first_s": round(times[0], 3),
        "median_s": round(statistics.median(rest), 3),
        "max_s": round(max(rest), 3),
        "rows": rows,
    }


def run(db: Path, runs: int = 5, progress: Callable[[str, int, int], None] | None = None) -> dict:
    if not db.exists():
        raise StoreError(f"no store at {db}; build one with `python -m oa bench app --million` or `python -m oa demo`")
    con = duckdb.connect(str(db), read_only=True)
    try:
        count = lambda t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: E731
        sizes = {}
        for t in ("shots", "shot_on_ice", "toi", "shifts", "events"):
            try:
                sizes[t] = int(count(t))
            except duckdb.Error:
                sizes[t] = 0
        season = con.execute("SELECT max(season) FROM games").fetchone()[0]
        team = con.execute("SELECT min(home_team) FROM games WHERE season = ?", [season]).fetchone()[0]
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
