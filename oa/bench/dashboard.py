"""`python -m oa bench app`: how fast the dashboard renders, and how much memory it holds.

The app is driven in-process with `streamlit.testing.v1.AppTest` (the same script runs
as under `streamlit run`), in a fresh child process per store so the peak resident
memory (`VmHWM`) is the app's alone. For each store it reports:

- `start_s`: the app's very first run in a fresh process (imports, opening the store);
- `first_render_s[page]`: each page's first render with the data cache cleared (the
  shared connection and the model files stay loaded, as in a running server), with
  the default filters (the latest season); `first_render_all_seasons_s` the same with
  every season of a multi-season store at once;
- `filter_change_s`: the explorer re-rendering after a sidebar filter changes to values
  not seen before (team, strength, tier, season);
- `shot_detail_s`: opening a shot never opened before (`?shot=`), with its replay (a
  tracking clip where the store has frames, else the play-by-play path) and what-if;
- `panels`: the Players and Games pages' analyst panels (talent, on ice, lines and
  with-or-without-you, trends, their leaderboards, adjusted team rates) after each filter
  change of a session (season, team, situation, player, goalies, all seasons): the page's
  whole rerun and each panel's own seconds, computed in DuckDB as the app does (target: a
  panel in at most 1 s);
- `peak_rss_mb`: peak resident memory of that process.

`--million` also builds (once) and measures a store of about 1,000,000 shots made from
a season store without simulating 11,000 games: the season's games, events, shots,
scores, factor breakdowns and factor values are copied N times with new ids. Copy k
moves every game id by k * 10**6, which in the demo's `9YYYY02NNNN` ids is k seasons
later (shot ids keep `game_id * 10000 + event_idx`), and its season label and dates
move k years. Frames are not copied: replays are measured on the season store.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from oa import settings
from oa.bench.report import load_1min

ROOT = Path(__file__).resolve().parents[2]  # the repository: app.py and pages/
APP = ROOT / "app.py"
PAGES = [
    "pages/league.py",
    "pages/explorer.py",
    "pages/shot.py",
    "pages/debates.py",
    "pages/players.py",
    "pages/games.py",
    "pages/model.py",
]
COPIED = ("games", "events", "shots", "shot_scores", "shot_factors", "shot_features")
ON_ICE_TABLES = ("shifts", "shot_on_ice", "player_toi", "toi")  # copied too, where the source store has them
COPY_VERSION = 3  # part of the copy's stamp: a copy made before the on-ice tables or shot_oof is rebuilt
TARGETS = {"first_render_s": 2.0, "filter_change_s": 0.5, "shot_detail_s": 1.0, "panel_s": 1.0, "peak_rss_mb": 1500}
# the analyst panels (issue 16), timed one by one inside the Players and Games pages' runs
PANELS = (
    "talent_panel",
    "on_ice_panel",
    "lines_panel",
    "wowy_panel",
    "trend_panel",
    "talent_board",
    "on_ice_board",
    "lines_board",
    "team_rates_panel",
)


# -- the million-shot store ---------------------------------------------------------------


def _one(con: Any, sql: str, params: list | None = None) -> Any:
    """The one value a count/min query returns (a query that returns no row is a broken store)."""
    row = con.execute(sql, params or []).fetchone()
    if row is None:
        raise RuntimeError(f"no row from {sql!r}")
    return row[0]


def build_million(season_db: Path, out: Path, target: int = 1_000_000, progress=print) -> dict:
    """Copy `season_db`'s games..shot_features N times with shifted ids until about `target` shots."""
    import duckdb

    from oa.store import Store

    src = duckdb.connect(str(season_db), read_only=True)
    n_shots = _one(src, "SELECT count(*) FROM shots")
    season = _one(src, "SELECT min(season) FROM games")
    src.close()
    if n_shots == 0:
        raise ValueError(f"{season_db} has no shots")
    copies = max(1, math.ceil(target / n_shots))
    stamp = f"{season_db.resolve()}|{os.path.getmtime(season_db)}|{copies}|{COPY_VERSION}"
    if out.exists():
        try:
            con = duckdb.connect(str(out), read_only=True)
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
            shots = _one(con, "SELECT count(*) FROM shots")
            con.close()
            if meta.get("bench_from") == stamp:
                return {"path": str(out), "copies": copies, "shots": shots, "reused": True}
        except Exception:  # noqa: BLE001 - rebuild anything unreadable
            pass
    for p in (out, out.with_name(out.name + ".wal")):
        p.unlink(missing_ok=True)
    t0 = time.perf_counter()
    Store(out).close()  # the canonical schema, with its keys
    con = duckdb.connect(str(out))
    con.execute(f"ATTACH '{season_db.resolve()}' AS src (READ_ONLY)")
    feat_cols = [
        r[0]
        for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = 'src' AND table_name = 'shot_features' "
            "ORDER BY column_index"
        ).fetchall()
    ]
    have = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = 'shot_features' "
            "AND database_name = current_database()"
        ).fetchall()
    }
    for col in feat_cols:
        if col not in have:
            typ = _one(
                con,
                "SELECT data_type FROM duckdb_columns() WHERE database_name = 'src' AND "
                "table_name = 'shot_features' AND column_name = ?",
                [col],
            )
            con.execute(f'ALTER TABLE shot_features ADD COLUMN "{col}" {typ}')
    for t in ("teams", "players", "models", "meta"):
        con.execute(f"INSERT OR REPLACE INTO {t} SELECT * FROM src.{t}")
    src_tables = {
        r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'src'").fetchall()
    }
    on_ice = [t for t in ON_ICE_TABLES if t in src_tables]  # a store from before them has none to copy
    y0 = int(season[:4])
    for k in range(copies):
        g = k * 10**6
        s = g * 10000
        label = f"{y0 + k}-{(y0 + k + 1) % 100:02d}"
        con.execute("BEGIN")
        con.execute(
            f"INSERT INTO games SELECT * REPLACE (game_id + {g} AS game_id, '{label}' AS season, "
            f"date + INTERVAL {k} YEAR AS date, false AS has_tracking, NULL AS fps) FROM src.games"
        )
        con.execute(f"INSERT INTO events SELECT * REPLACE (game_id + {g} AS game_id) FROM src.events")
        con.execute(
            f"INSERT INTO shots SELECT * REPLACE (shot_id + {s} AS shot_id, game_id + {g} AS game_id) FROM src.shots"
        )
        con.execute(f"INSERT INTO shot_scores SELECT * REPLACE (shot_id + {s} AS shot_id) FROM src.shot_scores")
        con.execute(f"INSERT INTO shot_factors SELECT * REPLACE (shot_id + {s} AS shot_id) FROM src.shot_factors")
        cols = ", ".join(f'"{c}"' for c in feat_cols)
        con.execute(
            f"INSERT INTO shot_features ({cols}) SELECT * REPLACE (shot_id + {s} AS shot_id, "
            f"game_id + {g} AS game_id) FROM src.shot_features"
        )
        if "shot_oof" in src_tables:  # the out-of-fold probabilities talent reads
            con.execute(f"INSERT INTO shot_oof SELECT * REPLACE (shot_id + {s} AS shot_id) FROM src.shot_oof")
        for t in on_ice:  # shifts, players on the ice, time on ice: the same id shifts as their games and shots
            shift_shot = f"shot_id + {s} AS shot_id, " if t == "shot_on_ice" else ""
            con.execute(f"INSERT INTO {t} BY NAME SELECT * REPLACE ({shift_shot}game_id + {g} AS game_id) FROM src.{t}")
        con.execute("COMMIT")
        progress(f"copy {k + 1}/{copies} ({label}) done at {time.perf_counter() - t0:.0f} s")
    con.execute(
        "INSERT OR REPLACE INTO meta VALUES ('bench_from', ?), ('league', ?)",
        [stamp, f"Benchmark: {copies} copies of {season_db.name} (fictional)"],
    )
    con.execute("DETACH src")
    con.execute("CHECKPOINT")
    shots = _one(con, "SELECT count(*) FROM shots")
    con.close()
    return {
        "path": str(out),
        "copies": copies,
        "shots": shots,
        "reused": False,
        "build_s": round(time.perf_counter() - t0, 1),
    }


# -- measuring (in a child process) ----------------------------------------------------------


def _hwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(at: Any) -> float:
    """Seconds of one run of the app (an AppTest) as the user waits for it; an exception is a broken bench."""
    t = time.perf_counter()
    at.run(timeout=300)
    dt = time.perf_counter() - t
    if at.exception:
        raise RuntimeError(f"app raised: {at.exception[0].value}")
    return round(dt, 3)


def measure(db: Path, n_shots: int = 5) -> dict:
    """Drive the app on `db` and time it (run in a fresh process: see `run`)."""
    os.environ[settings.DB_ENV] = str(db)  # the app reads its store from there (oa.settings.db_path)
    sys.path.insert(0, str(ROOT))
    import duckdb
    import streamlit as st
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    # a server keeps st.navigation's pages once set; AppTest resets that flag every run
    orig = PagesManager.__init__

    def init(self, *a, **k):
        orig(self, *a, **k)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init  # type: ignore[method-assign]

    out: dict = {"db": str(db)}
    con = duckdb.connect(str(db), read_only=True)
    out["shots"] = _one(con, "SELECT count(*) FROM shots")
    out["games"] = _one(con, "SELECT count(*) FROM games")
    teams = [r[0] for r in con.execute("SELECT DISTINCT team FROM shots ORDER BY 1 LIMIT 3").fetchall()]
    seasons = [r[0] for r in con.execute("SELECT DISTINCT season FROM games ORDER BY 1 DESC").fetchall()]
    tracked = _one(con, "SELECT count(*) FROM shots s JOIN games g USING (game_id) WHERE g.has_tracking")
    shooters = [
        int(r[0]) for r in con.execute("SELECT DISTINCT shooter_id FROM shots WHERE shooter_id IS NOT NULL").fetchall()
    ]
    picks = [
        r[0]
        for r in con.execute(
            f"SELECT s.shot_id FROM shots s JOIN games g USING (game_id) "
            f"WHERE {'g.has_tracking AND s.release_frame IS NOT NULL' if tracked else 'TRUE'} "
            f"ORDER BY hash(s.shot_id) LIMIT {n_shots}"
        ).fetchall()
    ]
    con.close()

    at = AppTest.from_file(str(APP), default_timeout=300)
    out["start_s"] = timed(at)
    out["first_render_s"] = {}
    for page in PAGES:
        st.cache_data.clear()
        at.switch_page(page)
        out["first_render_s"][Path(page).stem] = timed(at)

    if len(seasons) > 1:  # the whole store at once, not just the latest season
        at.selectbox(key="f_season").set_value("All")
        out["first_render_all_seasons_s"] = {}
        for page in PAGES:
            st.cache_data.clear()
            at.switch_page(page)
            out["first_render_all_seasons_s"][Path(page).stem] = timed(at)
        at.selectbox(key="f_season").set_value(seasons[0])

    at.switch_page("pages/explorer.py")
    timed(at)
    changes = {}
    at.selectbox(key="f_team").set_value(teams[0])
    changes["team"] = timed(at)
    at.selectbox(key="f_strength").set_value("Power play")
    changes["strength"] = timed(at)
    at.multiselect(key="f_tier").set_value(["high"])
    changes["tier"] = timed(at)
    at.selectbox(key="f_team").set_value("All")
    at.selectbox(key="f_strength").set_value("All")
    at.multiselect(key="f_tier").set_value([])
    changes["clear"] = timed(at)
    if len(seasons) > 1:
        at.selectbox(key="f_season").set_value("All")
        changes["all_seasons"] = timed(at)
        at.selectbox(key="f_season").set_value(seasons[-1])
        changes["other_season"] = timed(at)
    out["filter_change_s"] = changes

    # a shot never opened before, in a running session (the sidebar's options are cached, the shot is not)
    cold = []
    for sid in picks:
        at.query_params["shot"] = str(sid)
        at.switch_page("pages/shot.py")
        cold.append(timed(at))
    out["shot_detail_s"] = {
        "cold_median": statistics.median(cold),
        "cold_max": max(cold),
        "replay": "tracking clip" if tracked else "play-by-play path",
    }
    out["panels"] = measure_panels(at, seasons, teams, shooters)
    out["peak_rss_mb"] = round(_hwm_mb())
    return out


@contextmanager
def timing_panels(clock: dict[str, float]) -> Iterator[None]:
    """While open, each analyst panel of `oa.app.panels` adds its seconds in a run to `clock` (the pages call
    them through the module, so the wrapper is what they call); closed, the panels are the module's own again."""
    from oa.app import panels

    originals = {name: getattr(panels, name) for name in PANELS}

    def wrap(name: str, f: Callable[..., Any]) -> Callable[..., Any]:
        def timed_panel(*a: Any, **k: Any) -> Any:
            t = time.perf_counter()
            try:
                return f(*a, **k)
            finally:
                clock[name] = clock.get(name, 0.0) + time.perf_counter() - t

        return timed_panel

    try:
        for name, f in originals.items():
            setattr(panels, name, wrap(name, f))
        yield
    finally:
        for name, f in originals.items():
            setattr(panels, name, f)


# the Players page's tabs, opened in turn after each change (panel tab, leaderboard tab): only the open ones run
SHOOTER_TABS = (("Talent", "Shooters"), ("On ice", "On ice"), ("Lines", "Lines"), ("Trends", "Talent"))
GOALIE_TABS = (("Talent", "Goalies"), ("Trends", "Talent"))


def measure_panels(at: Any, seasons: list[str], teams: list[str], shooters: list[int]) -> dict:
    """The Players and Games pages' analyst panels after each filter change, in a running session.

    Each change is to values not seen before in the session (so nothing of it is cached), except where
    it comes back. The Players page runs only its open tabs (`components.lazy_tabs`): the change reruns it
    with the first tabs open (`page_s`), then each other pair of tabs is opened in turn (`tabs_s`), as a
    user looking at every panel would. `panels_s`: each panel's own seconds, the first time it ran after
    the change (a panel that calls another, the lines panel its with-or-without-you, includes it).
    """
    from oa.app.panels import BOARD_TAB, GOALIE_BOARD_TAB, GOALIE_PANEL_TAB, PANEL_TAB

    clock: dict[str, float] = {}

    shooter_keys, goalie_keys = (PANEL_TAB, BOARD_TAB), (GOALIE_PANEL_TAB, GOALIE_BOARD_TAB)

    def step(
        change: Any, tabs: tuple[tuple[str, str], ...] = SHOOTER_TABS, keys: tuple[str, ...] = shooter_keys
    ) -> dict:
        runs: dict[str, float] = {}
        clock.clear()
        for i, pair in enumerate(tabs):
            for key, label in zip(keys, pair):
                at.session_state[key] = label
            if i == 0:
                change()
            with timing_panels(clock):
                runs[" / ".join(pair)] = timed(at)
        return {
            "page_s": next(iter(runs.values())),
            "tabs_s": runs,
            "panels_s": {k: round(v, 3) for k, v in clock.items()},
        }

    out: dict[str, dict] = {}
    latest = seasons[0]
    at.selectbox(key="f_season").set_value(latest)
    at.selectbox(key="f_team").set_value("All")
    at.switch_page("pages/players.py")
    out["players: first view (latest season)"] = step(lambda: None)
    if len(seasons) > 1:
        out["players: another season"] = step(lambda: at.selectbox(key="f_season").set_value(seasons[1]))
    out["players: a team"] = step(lambda: at.selectbox(key="f_team").set_value(teams[1 % len(teams)]))
    out["players: all situations"] = step(lambda: at.segmented_control(key="players_situation").set_value("all"))

    def other_shooter() -> None:  # AppTest shows the options formatted: find an id whose name is the 4th
        box = next(b for b in at.selectbox if b.label == "Shooter")
        want = box.options[min(3, len(box.options) - 1)]
        box.set_value(next(i for i in shooters if box.format_func(i) == want))

    out["players: another shooter"] = step(other_shooter)
    out["players: goalies"] = step(
        lambda: at.segmented_control(key="players_role").set_value("goalie"), GOALIE_TABS, goalie_keys
    )
    at.segmented_control(key="players_role").set_value("shooter")
    timed(at)  # back to the shooters (their panels cached): not a figure
    at.segmented_control(key="players_situation").set_value("5v5")
    out["players: every team"] = step(lambda: at.selectbox(key="f_team").set_value("All"))
    if len(seasons) > 1:
        out["players: all seasons"] = step(lambda: at.selectbox(key="f_season").set_value("All"))
        out["players: all seasons, all situations"] = step(
            lambda: at.segmented_control(key="players_situation").set_value("all")
        )
    at.selectbox(key="f_season").set_value(latest)
    at.switch_page("pages/games.py")
    one: tuple = (("Game", "Teams"),), ()  # the Games page's tabs all run: one rerun per change, no tab to open
    out["games: first view (latest season)"] = step(lambda: None, *one)
    out["games: all situations"] = step(lambda: at.segmented_control(key="teams_situation").set_value("all"), *one)
    if len(seasons) > 1:
        out["games: another season"] = step(lambda: at.selectbox(key="f_season").set_value(seasons[-1]), *one)
        out["games: all seasons"] = step(lambda: at.selectbox(key="f_season").set_value("All"), *one)
    at.selectbox(key="f_season").set_value(latest)
    return out


def slowest_panel(result: dict) -> float:
    """The slowest analyst panel over every filter change measured on a store."""
    return max((t for step in result.get("panels", {}).values() for t in step["panels_s"].values()), default=0.0)


def median_of(runs: list[Any]) -> Any:
    """One result from several runs of the same measurement: each number the median of its runs (a figure
    missing from a run is left out of its median); anything else as the first run has it."""
    first = runs[0]
    if isinstance(first, dict):
        return {k: median_of([r[k] for r in runs if isinstance(r, dict) and k in r]) for k in first}
    if isinstance(first, int | float) and not isinstance(first, bool):
        nums = [r for r in runs if isinstance(r, int | float) and not isinstance(r, bool)]
        m = statistics.median(nums)
        return round(m, 3) if isinstance(m, float) else m
    return first


def run(
    db: Path,
    million: bool = False,
    season_db: Path | None = None,
    target: int = 1_000_000,
    runs: int = 1,
    progress=lambda s: print(s, file=sys.stderr),
) -> dict:
    """Measure `db` (and with `million`, a ~1M-shot store built from it) `runs` times, each in a fresh
    process; each store's figures are the medians of its runs, beside each run's load and slowest panel."""
    results: dict[str, Any] = {"targets": TARGETS, "runs": runs, "stores": []}
    stores = [db]
    if million:
        big = (season_db or db).with_name("bench_app_million.duckdb")
        info = build_million(season_db or db, big, target, progress)
        results["million"] = info
        stores.append(big)
    for s in stores:
        each = []
        for i in range(runs):
            progress(f"measuring {s} (run {i + 1}/{runs})")
            load = load_1min()
            proc = subprocess.run(
                [sys.executable, "-m", "oa.bench.dashboard", "--measure", str(s)],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            if proc.returncode != 0:
                raise RuntimeError(f"measuring {s} failed: {proc.stderr[-3000:]}")
            each.append(json.loads(proc.stdout.strip().splitlines()[-1]) | {"load_1min": load})
        r = median_of(each)
        r["load_1min_each"] = [e["load_1min"] for e in each]
        r["slowest_panel_s_each"] = [slowest_panel(e) for e in each]
        results["stores"].append(r)
    for r in results["stores"]:
        worst_page = max([*r["first_render_s"].values(), *r.get("first_render_all_seasons_s", {}).values()])
        worst_filter = max(r["filter_change_s"].values())
        r["meets"] = {
            "first_render": worst_page <= TARGETS["first_render_s"],
            "filter_change": worst_filter <= TARGETS["filter_change_s"],
            "shot_detail": r["shot_detail_s"]["cold_max"] <= TARGETS["shot_detail_s"],
            "panels": slowest_panel(r) <= TARGETS["panel_s"],
            "memory": r["peak_rss_mb"] <= TARGETS["peak_rss_mb"],
        }
    return results


def _store_label(r: dict) -> str:
    return f"{Path(r['db']).name} ({r['games']:,} games, {r['shots']:,} shots)"


def report_markdown(out: dict) -> str:
    """The report's tables: one column per store for the pages, one table per store for the panels."""
    stores = out["stores"]
    t = TARGETS
    head = "| | " + " | ".join(_store_label(r) for r in stores) + " |"
    rule = "|---|" + "---|" * len(stores)

    def row(label: str, cell: Callable[[dict], str]) -> str:
        return f"| {label} | " + " | ".join(cell(r) for r in stores) + " |"

    def pages(d: dict | None) -> str:
        return ", ".join(f"{k} {v:.2f}" for k, v in (d or {}).items()) or "-"

    lines = [
        f"Medians of {out.get('runs', 1)} run(s) per store, each in a fresh process; seconds; targets in brackets.",
        "",
        head,
        rule,
        row("1-minute load when each run started", lambda r: ", ".join(str(x) for x in r.get("load_1min_each", []))),
        row("app start (fresh process, first page)", lambda r: f"{r['start_s']:.2f}"),
        row(f"first render per page, latest season [{t['first_render_s']:g}]", lambda r: pages(r["first_render_s"])),
        row(
            f"first render per page, all seasons at once [{t['first_render_s']:g}]",
            lambda r: pages(r.get("first_render_all_seasons_s")),
        ),
        row(f"filter change in the explorer [{t['filter_change_s']:g}]", lambda r: pages(r["filter_change_s"])),
        row(
            f"a new shot's detail, median / max [{t['shot_detail_s']:g}]",
            lambda r: f"{r['shot_detail_s']['cold_median']:.2f} / {r['shot_detail_s']['cold_max']:.2f} "
            f"({r['shot_detail_s']['replay']})",
        ),
        row(
            f"slowest analyst panel after a filter change [{t['panel_s']:g}]",
            lambda r: f"{slowest_panel(r):.2f} (runs: {', '.join(f'{x:.2f}' for x in r.get('slowest_panel_s_each', []))})",
        ),
        row(f"peak resident memory, MB [{t['peak_rss_mb']:,}]", lambda r: f"{r['peak_rss_mb']:,}"),
        row(
            "every target met",
            lambda r: "yes"
            if all(r["meets"].values())
            else "no: " + ", ".join(k for k, v in r["meets"].items() if not v),
        ),
    ]
    for r in stores:
        steps = r.get("panels", {})
        if not steps:
            continue
        lines += [
            "",
            f"**Analyst panels on {_store_label(r)}**: after each filter change, the rerun with the first tabs open, "
            "then each other pair of tabs opened in turn (seconds of each rerun), and each panel's own seconds "
            "the first time it ran after the change (the slowest named).",
            "",
            "| change | reruns: tabs opened (s) | panels (s) | slowest panel |",
            "|---|---|---|---|",
        ]
        for name, st in steps.items():
            tabs = ", ".join(f"{k} {v:.2f}" for k, v in st["tabs_s"].items())
            panels = ", ".join(f"{k.replace('_', ' ')} {v:.2f}" for k, v in st["panels_s"].items())
            worst = max(st["panels_s"], key=st["panels_s"].get) if st["panels_s"] else "-"
            lines.append(
                f"| {name} | {tabs} | {panels} | {worst.replace('_', ' ')} {st['panels_s'].get(worst, 0):.2f} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        import logging

        logging.disable(logging.WARNING)
        print(json.dumps(measure(Path(sys.argv[2]))))
