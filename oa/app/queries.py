"""The dashboard's store and every read from it: opened once, built on first start, queried with a cache.

The store: one read-only view of each store file is shared by every session
(`st.cache_resource`): an in-memory DuckDB with the file attached read-only (`ReadStore`),
so the app can keep derived tables in memory. `Store.query` takes a fresh cursor per query
because a DuckDB connection is not thread-safe and Streamlit sessions are threads. On first
start, when there is no store yet, the fictional demo league is simulated, its factors
computed and a model trained and applied (`oa.pipeline.run_demo`, the same as
`python -m oa demo`) behind a progress bar; the build writes to a temporary file renamed
into place only when complete, so an interrupted build never leaves a half-filled store
that looks finished.

The queries take the store path and its version (modification time) first, so a rebuilt
store is never served from a stale cache, then plain hashable arguments (`Filters` is a
frozen dataclass). Aggregation happens in DuckDB; only what a chart draws comes back.

A shot and its breakdown as shown (`one_empty_net_line`, an empty net's goalie factors as one
line) are read by the statements in `oa.broadcast.data`, which the broadcast graphics share.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import numpy as np
import pandas as pd
import streamlit as st

from oa.app.text import day
from oa.broadcast.data import (  # noqa: F401 - the shot's queries and its breakdown as shown, shared with the graphics
    EMPTY_NET,
    EMPTY_NET_WORDS,
    FACTORS_SQL,
    FRAMES_SQL,
    PLAYER_JOINS,
    SCORES,
    empty_net_parts,
    one_empty_net_line,
    shot_row,
    shot_sql,
)
from oa.rink import RINK
from oa.settings import DB_ENV as ENV_VAR  # noqa: F401 - the app's name for it
from oa.settings import db_path
from oa.store import Store, StoreError

if TYPE_CHECKING:
    from oa.app.filters import Filters

# -- the store: one read-only view per file, built on first start ----------------------------------------
DEMO_GAMES = 200
DEMO_SEED = 0
BUILD_TEXT = "Building the demo league (first start only)…"

_build_lock = threading.Lock()


class ReadStore(Store):
    """A store file read through an in-memory DuckDB: the file attached read-only, one view per table.

    Reading is the same as a read-only `Store` (same SQL, same lock rules: the file is never
    written), but the in-memory side can hold tables the app derives for speed, such as the
    shots joined with their scores (`materialize`); a read-only database cannot hold them.
    """

    def __init__(self, path: str | Path):
        self.path, self.read_only = str(path), True
        if not Path(path).exists():
            raise StoreError(f"no store at {path}; build one with `python -m oa demo --db {path}`")
        self.con = duckdb.connect()
        try:
            self.con.execute(f"ATTACH '{str(path).replace(chr(39), chr(39) * 2)}' AS store (READ_ONLY)")
        except duckdb.Error as e:
            self.con.close()
            raise StoreError(f"cannot open store {path}: {e}") from e
        for (name,) in self.con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'store'"
        ).fetchall():
            self.con.execute(f'CREATE VIEW main."{name}" AS SELECT * FROM store.main."{name}"')
        self._lock = threading.Lock()

    def materialize(self, name: str, sql: str) -> str:
        """Create in-memory table `name` from `sql` once (dropping older `<prefix>_*` versions); returns name."""
        prefix = name.rsplit("_", 1)[0]
        with self._lock:
            have = {
                r[0]
                for r in self.con.execute(
                    "SELECT table_name FROM duckdb_tables() WHERE database_name = 'memory'"
                ).fetchall()
            }
            if name not in have:
                for old in have:
                    if old.startswith(prefix + "_"):
                        self.con.execute(f'DROP TABLE "{old}"')
                self.con.execute(f'CREATE TABLE "{name}" AS {sql}')
        return name


@st.cache_resource(show_spinner=False)
def open_store(path: str | Path) -> ReadStore:
    """The shared read-only store at `path` (one in-memory DuckDB per process, the file attached)."""
    return ReadStore(Path(path))


def _discard(p: Path) -> None:
    for f in (p, p.with_name(p.name + ".wal")):
        f.unlink(missing_ok=True)


def ensure_demo_store(path: str | Path | None = None, n_games: int = DEMO_GAMES, seed: int = DEMO_SEED) -> Path:
    """Make sure a store exists at `path`; simulate the demo league into it if not.

    Shows an `st.progress` bar while building. Returns the path. Safe to call on every
    rerun: it costs one `exists()` check once the store is there.
    """
    path = Path(path) if path is not None else db_path()
    if path.exists():
        return path
    with _build_lock:  # two sessions arriving together build once
        if path.exists():
            return path
        from oa.pipeline import run_demo  # lazy: the simulator and trainer are only needed on first start

        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".building")
        _discard(tmp)
        bar = st.progress(0.0, text=BUILD_TEXT)

        def progress(stage: str, done: int, total: int) -> None:
            frac = min(max(done / total, 0.0), 1.0) if total else 0.0
            bar.progress(frac, text=f"{BUILD_TEXT} {stage} {done}/{total}")

        try:
            # run_demo checkpoints and closes its writer, so the file is whole to move; the
            # model files go to <dir>/models/ beside the store, keyed by model id
            run_demo(tmp, n_games=n_games, seed=seed, progress=progress)
            os.replace(tmp, path)
        except BaseException:
            _discard(tmp)
            raise
        finally:
            bar.empty()
    return path


# -- the queries ------------------------------------------------------------------------------------------
# scores of the active model(s); a shot is scored by one model (its feature set's)
UNBLOCKED = "s.outcome <> 'BLOCK'"
CACHE: dict[str, Any] = dict(show_spinner=False, max_entries=128)


@st.cache_data(show_spinner=False, max_entries=16)
def _scores(db: str, v: float) -> str:
    """The active model's scores: the plain table when it holds nothing else (one scan less)."""
    try:
        stale = run(
            db,
            "SELECT EXISTS (SELECT 1 FROM shot_scores WHERE model_id NOT IN "
            "(SELECT model_id FROM models WHERE active)) AS x",
        )["x"].iloc[0]
    except Exception:  # noqa: BLE001 - a store without the model tables
        return SCORES
    return SCORES if bool(stale) else "shot_scores"


def _shot_view(db: str, v: float) -> str:
    """The shots joined once with their season and active scores, in memory (per store version).

    Every filtered query used to join a million shots to their scores again (45 ms each on
    2 cores); reading this table instead costs a scan. Built on first use (~0.8 s for 1 M shots).
    Not cached by name: the table lives in the connection `open_store` holds, so asking that
    connection each time (a catalogue lookup) stays right when the resource is rebuilt.
    """
    name = f"shot_view_{abs(hash((db, v))) % 10**12}"
    return open_store(db).materialize(
        name,
        f"""
        SELECT s.*, g.season, g.date, sc.p_goal, sc.tier, sc.base_logit, sc.model_id
        FROM shots s JOIN games g ON g.game_id = s.game_id LEFT JOIN {_scores(db, v)} sc ON sc.shot_id = s.shot_id
        ORDER BY g.season, s.game_id, s.shot_id""",
    )


def _from(db: str, v: float) -> str:
    """The shot view `s`: shots with their game's `season` and `date` and the active model's
    `p_goal`, `tier`, `base_logit` and `model_id`."""
    return f"{_shot_view(db, v)} s"


def version(db: str) -> float:
    try:
        return os.path.getmtime(db)
    except OSError:
        return 0.0


def run(db: str, sql: str, params: dict | list | None = None) -> pd.DataFrame:
    return open_store(db).query(sql, params)


def where(f: Filters) -> tuple[str, dict]:
    from oa.app.filters import shot_where

    return shot_where(f)


# -- options for the sidebar -------------------------------------------------------------


@st.cache_data(**CACHE)
def filter_options(db: str, v: float) -> dict | None:
    try:
        seasons = run(db, "SELECT DISTINCT season FROM games ORDER BY season DESC")["season"].tolist()
        if not seasons:
            return None
        teams = run(
            db,
            "SELECT t.team, coalesce(n.name, t.team) AS name FROM "
            "(SELECT home_team AS team FROM games UNION SELECT away_team FROM games) t "
            "LEFT JOIN teams n ON n.team = t.team ORDER BY name",
        )
        types = run(db, "SELECT DISTINCT shot_type FROM shots ORDER BY 1")["shot_type"].tolist()
    except Exception:  # noqa: BLE001 - an empty, foreign or damaged file: the page says so
        return None
    return {
        "seasons": seasons,
        "teams": teams["team"].tolist(),
        "team_names": dict(zip(teams["team"], teams["name"])),
        "shot_types": types,
    }


@st.cache_data(**CACHE)
def game_options(db: str, v: float, season: str | None, team: str | None, limit: int = 3000) -> dict[int, str]:
    """{game_id: '2025-10-04 · AWY 2 @ HOM 3'}, newest first (none for all seasons of a big store)."""
    df = run(
        db,
        """
        SELECT game_id, date, home_team, away_team, home_score, away_score FROM games
        WHERE ($season IS NULL OR season = $season) AND ($team IS NULL OR home_team = $team OR away_team = $team)
        ORDER BY date DESC, game_id DESC LIMIT $n""",
        {"season": season, "team": team, "n": limit + 1},
    )
    if len(df) > limit:
        return {}
    out = {}
    for r in df.itertuples():
        score = f" {r.away_score:.0f}-{r.home_score:.0f}" if pd.notna(r.home_score) else ""
        out[int(r.game_id)] = f"{day(r.date)} · {r.away_team} @ {r.home_team}{score}"
    return out


@st.cache_data(**CACHE)
def player_options(db: str, v: float, role: str, season: str | None, team: str | None) -> dict[int, str]:
    """Shooters (or goalies) with at least one shot (faced) in the season, by name."""
    col, team_col = ("shooter_id", "team") if role == "shooter" else ("goalie_id", "opponent")
    df = run(
        db,
        f"""
        WITH ids AS (SELECT DISTINCT s.{col} AS pid FROM {_from(db, v)}
                     WHERE s.{col} IS NOT NULL AND ($season IS NULL OR s.season = $season)
                       AND ($team IS NULL OR s.{team_col} = $team))
        SELECT ids.pid, coalesce(p.name, 'Player ' || ids.pid::VARCHAR) AS name, p.team
        FROM ids LEFT JOIN players p ON p.player_id = ids.pid ORDER BY name""",
        {"season": season, "team": team},
    )
    return {int(r.pid): f"{r.name} ({r.team})" if isinstance(r.team, str) else r.name for r in df.itertuples()}


# -- the store as a whole -----------------------------------------------------------------


@st.cache_data(**CACHE)
def meta(db: str, v: float) -> dict[str, str]:
    return open_store(db).meta()


@st.cache_data(**CACHE)
def n_games(db: str, v: float) -> int:
    try:
        return int(run(db, "SELECT count(*) AS n FROM games")["n"].iloc[0])
    except Exception:  # noqa: BLE001
        return 0


@st.cache_data(**CACHE)
def has_scores(db: str, v: float) -> bool:
    return bool(run(db, f"SELECT EXISTS (SELECT 1 FROM {SCORES}) AS x")["x"].iloc[0])


@st.cache_data(**CACHE)
def models(db: str, v: float) -> pd.DataFrame:
    return run(
        db,
        "SELECT model_id, trained_at, source, feature_set, metrics_json, thresholds_json, path, active "
        "FROM models ORDER BY active DESC, trained_at DESC",
    )


@st.cache_data(**CACHE)
def teams(db: str, v: float) -> pd.DataFrame:
    return run(db, "SELECT team, name, city, color FROM teams ORDER BY name")


# -- filtered shots ------------------------------------------------------------------------


@st.cache_data(**CACHE)
def summary(db: str, v: float, f: Filters) -> dict:
    w, p = where(f)
    r = run(
        db,
        f"""
        SELECT count(*) AS shots, count(*) FILTER (WHERE s.is_goal) AS goals,
               count(*) FILTER (WHERE s.x >= 0) AS front,
               count(DISTINCT s.game_id) AS games,
               sum(s.p_goal) FILTER (WHERE {UNBLOCKED}) AS xg,
               count(s.p_goal) FILTER (WHERE {UNBLOCKED}) AS rated,
               count(*) FILTER (WHERE s.tier = 'high') AS high,
               count(*) FILTER (WHERE s.tier = 'high' AND s.is_goal) AS high_goals,
               sum(s.is_goal::INT) FILTER (WHERE {UNBLOCKED} AND s.p_goal IS NOT NULL) AS rated_goals
        FROM {_from(db, v)} WHERE {w}""",
        p,
    ).iloc[0]
    out = {k: (None if pd.isna(r[k]) else float(r[k])) for k in r.index}
    for k in ("shots", "goals", "front", "games", "rated", "high", "high_goals"):
        out[k] = int(out[k] or 0)
    return out


SHOT_COLUMNS = """s.shot_id, s.game_id, s.x, s.y, s.outcome, s.shot_type, s.strength, s.team, s.opponent,
       s.period, s.period_seconds, s.game_seconds, s.is_goal, s.is_home, s.p_goal, s.tier,
       coalesce(sh.name, 'Unknown shooter') AS shooter, coalesce(gk.name, 'empty net') AS goalie, s.date,
       s.empty_net"""


PICK_COLUMNS = """s.shot_id, s.game_id, s.x, s.y, s.outcome, s.shot_type, s.strength, s.team, s.opponent,
       s.period, s.period_seconds, s.game_seconds, s.is_goal, s.is_home, s.p_goal, s.tier, s.date,
       s.shooter_id, s.goalie_id"""


def _picked(db: str, v: float, where_sql: str, params: dict, order: str) -> pd.DataFrame:
    """The first n filtered shots in `order`, with their players' names.

    The ordering pass keeps only shot ids (a top-n carrying every column over a million shots
    cost 70 ms); the columns and names are read for the n kept.
    """
    return run(
        db,
        f"""
        WITH ids AS (SELECT s.shot_id FROM {_from(db, v)} WHERE {where_sql} ORDER BY {order} LIMIT $n),
             pick AS (SELECT {PICK_COLUMNS} FROM {_from(db, v)} SEMI JOIN ids ON ids.shot_id = s.shot_id)
        SELECT pick.* EXCLUDE (shooter_id, goalie_id), coalesce(sh.name, 'Unknown shooter') AS shooter,
               coalesce(gk.name, 'empty net') AS goalie
        FROM pick LEFT JOIN players sh ON sh.player_id = pick.shooter_id
        LEFT JOIN players gk ON gk.player_id = pick.goalie_id
        ORDER BY {order.replace("s.", "pick.")}""",
        params,
    )


@st.cache_data(**CACHE)
def shot_sample(db: str, v: float, f: Filters, n: int = 4000, xmin: float = -RINK.half_length) -> pd.DataFrame:
    """About n shots with x >= xmin: a fixed pseudo-random sample (every shot if fewer).

    Sampling is a filter on the shot id's hash (keep one in k), not a sort of every
    matching shot, so it costs one scan however many shots match.
    """
    w, p = where(f)
    s = summary(db, v, f)
    total = s["front"] if xmin >= 0 else s["shots"]
    k = int(max(1, -(-total // n)))  # an int we computed, inlined: as a parameter it stops the pushdown
    return _picked(
        db, v, f"{w} AND s.x >= $xmin AND hash(s.shot_id) % {k} = 0", {**p, "xmin": xmin, "n": n}, "s.shot_id"
    )


@st.cache_data(**CACHE)
def shot_table(db: str, v: float, f: Filters, order: str = "p_desc", n: int = 500) -> pd.DataFrame:
    w, p = where(f)
    by = {
        "p_desc": "s.p_goal DESC NULLS LAST, s.shot_id",
        "p_asc": "s.p_goal ASC NULLS LAST, s.shot_id",
        "recent": "s.date DESC, s.game_seconds DESC, s.shot_id",
    }[order]
    return _picked(db, v, w, {**p, "n": n}, by)


@st.cache_data(**CACHE)
def heat(db: str, v: float, f: Filters, cell: float = 5.0, against_league: bool = False) -> dict:
    """Per-cell totals on the offensive half: shots, expected goals (unblocked), goals.

    Returns grids (ny, nx) and the number of games, for per-game rates. With
    `against_league`, also the league's grids under the same filters without the
    shooter / goalie / team / game.
    """

    def grids(ff: Filters) -> dict:
        w, p = where(ff)
        df = run(
            db,
            f"""
            SELECT least(floor(s.x / $c), $nx - 1)::INT AS bx,
                   least(floor((s.y + $hw) / $c), $ny - 1)::INT AS by,
                   count(*) AS shots, coalesce(sum(s.p_goal) FILTER (WHERE {UNBLOCKED}), 0) AS xg,
                   count(*) FILTER (WHERE s.is_goal) AS goals,
                   coalesce(sum(s.is_goal::INT - s.p_goal) FILTER (WHERE {UNBLOCKED}), 0) AS gax
            FROM {_from(db, v)} WHERE {w} AND s.x >= 0
            GROUP BY ALL""",
            {**p, "c": cell, "nx": nx, "ny": ny, "hw": RINK.half_width},
        )
        out = {}
        for k in ("shots", "xg", "goals", "gax"):
            g = np.zeros((ny, nx))
            if len(df):
                g[df["by"].to_numpy().clip(0, ny - 1), df["bx"].to_numpy().clip(0, nx - 1)] = df[k].to_numpy(float)
            out[k] = g
        s = summary(db, v, ff)
        out["games"], out["n"] = max(s["games"], 1), s["shots"]
        return out

    nx = int(np.ceil(RINK.half_length / cell))
    ny = int(np.ceil(RINK.width / cell))
    res = {"cell": cell, "me": grids(f)}
    if against_league:
        res["league"] = grids(f.without("shooter", "goalie", "team", "game", "opponent"))
    return res


# -- one shot ----------------------------------------------------------------------------------


@st.cache_data(**CACHE)
def shot(db: str, v: float, shot_id: int) -> dict | None:
    return shot_row(run(db, shot_sql(_scores(db, v)), {"id": int(shot_id)}))


@st.cache_data(**CACHE)
def shot_factors(db: str, v: float, shot_id: int, model_id: str | None) -> pd.DataFrame:
    return run(db, FACTORS_SQL, {"id": int(shot_id), "m": model_id or ""})


@st.cache_data(**CACHE)
def public_xg(db: str, v: float, shot_id: int) -> dict[str, float]:
    df = run(db, "SELECT model, xg FROM public_xg WHERE shot_id = $id", {"id": int(shot_id)})
    return dict(zip(df["model"], df["xg"].astype(float)))


@st.cache_data(**CACHE)
def shot_features(db: str, v: float, shot_id: int) -> dict | None:
    df = run(db, "SELECT * FROM shot_features WHERE shot_id = $id", {"id": int(shot_id)})
    return None if df.empty else df.iloc[0].to_dict()


@st.cache_data(**CACHE)
def oracle(db: str, v: float, shot_id: int) -> float | None:
    try:
        df = run(db, "SELECT p_true FROM sim_truth WHERE shot_id = $id", {"id": int(shot_id)})
    except Exception:  # noqa: BLE001
        return None
    return None if df.empty else float(df["p_true"].iloc[0])


@st.cache_data(**CACHE)
def frames(db: str, v: float, game_id: int, f0: int, f1: int, step: int) -> pd.DataFrame:
    """Tracking rows of one game between two frames (every `step`-th frame, plus f1)."""
    return run(db, FRAMES_SQL, {"g": int(game_id), "f0": int(f0), "f1": int(f1)})


@st.cache_data(**CACHE)
def events_before(db: str, v: float, game_id: int, event_idx: int, n: int = 6) -> pd.DataFrame:
    """The shot's event and up to n events before it in the same period (rink coordinates)."""
    return run(
        db,
        """
        WITH me AS (SELECT period FROM events WHERE game_id = $g AND event_idx = $e)
        SELECT e.event_idx, e.type, e.team, e.x, e.y, e.period_seconds, e.detail, p.name AS player
        FROM events e LEFT JOIN players p ON p.player_id = e.player_id
        WHERE e.game_id = $g AND e.event_idx <= $e AND e.event_idx >= $e - $n
          AND e.period = (SELECT period FROM me)
        ORDER BY e.event_idx""",
        {"g": int(game_id), "e": int(event_idx), "n": int(n)},
    )


@st.cache_data(**CACHE)
def whatif_inputs(db: str, v: float, shot_id: int) -> dict | None:
    """What the factor code needs to recompute one shot elsewhere (`oa.features.whatif`).

    The shot's row, its game, the game's events up to the shot, the shooter's and goalie's
    roster rows, the goalies' ids and, for a tracked shot, its clip's frames up to and
    including the release frame (never later: factors must not see the future).
    """
    from oa.features.clips import window_frames

    shots = run(db, "SELECT * FROM shots WHERE shot_id = $id", {"id": int(shot_id)})
    if shots.empty:
        return None
    r = shots.iloc[0]
    games = run(db, "SELECT * FROM games WHERE game_id = $g", {"g": int(r["game_id"])})
    events = run(
        db,
        "SELECT * FROM events WHERE game_id = $g AND event_idx <= $e ORDER BY event_idx",
        {"g": int(r["game_id"]), "e": int(r["event_idx"])},
    )
    players = run(
        db,
        "SELECT player_id, shoots, height_in, position FROM players WHERE player_id IN ($a, $b) OR position = 'G'",
        {
            "a": None if pd.isna(r["shooter_id"]) else int(r["shooter_id"]),
            "b": None if pd.isna(r["goalie_id"]) else int(r["goalie_id"]),
        },
    )
    frames = None
    if bool(games["has_tracking"].iloc[0]) and pd.notna(r["release_frame"]):
        last = int(r["release_frame"])
        first = last - window_frames(float(games["fps"].iloc[0])) + 1
        frames = run(
            db,
            """SELECT frame_idx, entity_id, team, x::DOUBLE AS x, y::DOUBLE AS y FROM frames
                            WHERE game_id = $g AND frame_idx BETWEEN $f0 AND $f1 ORDER BY entity_id, frame_idx""",
            {"g": int(r["game_id"]), "f0": first, "f1": last},
        )
    goalie_ids = set(players.loc[players["position"] == "G", "player_id"].astype(int))
    return {
        "shot": shots,
        "games": games,
        "events": events,
        "players": players,
        "frames": frames,
        "goalie_ids": goalie_ids,
    }


@st.cache_data(**CACHE)
def factor_range(db: str, v: float, factor: str) -> tuple[float, float]:
    """1st and 99th percentile of a numeric factor over the stored shots (slider ranges)."""
    from oa.features.registry import is_factor

    if not is_factor(factor):  # only registry names reach SQL
        return 0.0, 1.0
    df = run(
        db,
        f'SELECT quantile_cont("{factor}", 0.01) AS lo, quantile_cont("{factor}", 0.99) AS hi '
        f'FROM (SELECT "{factor}" FROM shot_features USING SAMPLE 50000 ROWS)',
    )
    lo, hi = df["lo"].iloc[0], df["hi"].iloc[0]
    return (0.0 if pd.isna(lo) else float(lo)), (1.0 if pd.isna(hi) else float(hi))


# -- leaderboards and profiles ---------------------------------------------------------------


@st.cache_data(**CACHE)
def leaderboard(db: str, v: float, f: Filters, kind: str, n: int = 25) -> pd.DataFrame:
    """best_goals: lowest probability scored; best_saves: highest probability saved;
    missed: highest probability that missed the net or was blocked. Empty-net shots only if
    the filters include them (`Filters.empty_net`)."""
    w, p = where(f)
    cond, order = {
        "best_goals": ("s.is_goal", "s.p_goal ASC"),
        "best_saves": ("s.outcome = 'SAVE'", "s.p_goal DESC"),
        "missed": ("s.outcome IN ('MISS', 'BLOCK')", "s.p_goal DESC"),
    }[kind]
    return run(
        db,
        f"""SELECT {SHOT_COLUMNS} FROM {_from(db, v)} {PLAYER_JOINS}
                       WHERE {w} AND {cond} AND s.p_goal IS NOT NULL
                       ORDER BY {order}, s.shot_id LIMIT $n""",
        {**p, "n": n},
    )


@st.cache_data(**CACHE)
def shooter_table(db: str, v: float, f: Filters, min_shots: int = 1) -> pd.DataFrame:
    w, p = where(f)
    return run(
        db,
        f"""
        SELECT s.shooter_id AS player_id, any_value(coalesce(sh.name, 'Unknown')) AS name,
               any_value(s.team) AS team, count(*) AS shots, count(*) FILTER (WHERE s.is_goal) AS goals,
               sum(s.p_goal) FILTER (WHERE {UNBLOCKED}) AS xg,
               count(*) FILTER (WHERE s.tier = 'high') AS high
        FROM {_from(db, v)} LEFT JOIN players sh ON sh.player_id = s.shooter_id
        WHERE {w} AND s.shooter_id IS NOT NULL
        GROUP BY s.shooter_id HAVING count(*) >= $m
        ORDER BY goals - coalesce(xg, 0) DESC""",
        {**p, "m": min_shots},
    )


@st.cache_data(**CACHE)
def goalie_table(db: str, v: float, f: Filters, min_shots: int = 1) -> pd.DataFrame:
    w, p = where(f)
    return run(
        db,
        f"""
        SELECT s.goalie_id AS player_id, any_value(coalesce(gk.name, 'Unknown')) AS name,
               any_value(s.opponent) AS team,
               count(*) FILTER (WHERE s.outcome IN ('GOAL', 'SAVE')) AS on_goal,
               count(*) FILTER (WHERE s.is_goal) AS goals_against,
               sum(s.p_goal) FILTER (WHERE {UNBLOCKED}) AS xga
        FROM {_from(db, v)} LEFT JOIN players gk ON gk.player_id = s.goalie_id
        WHERE {w} AND s.goalie_id IS NOT NULL
        GROUP BY s.goalie_id HAVING count(*) >= $m
        ORDER BY coalesce(xga, 0) - goals_against DESC""",
        {**p, "m": min_shots},
    )


@st.cache_data(**CACHE)
def mix(db: str, v: float, f: Filters, by: str) -> pd.DataFrame:
    """Shots, goals and xG grouped by shot type, tier or outcome."""
    col = {"shot_type": "s.shot_type", "tier": "coalesce(s.tier, 'unrated')", "outcome": "s.outcome"}[by]
    w, p = where(f)
    return run(
        db,
        f"""SELECT {col} AS key, count(*) AS shots, count(*) FILTER (WHERE s.is_goal) AS goals,
                              sum(s.p_goal) FILTER (WHERE {UNBLOCKED}) AS xg,
                              count(*) FILTER (WHERE s.outcome IN ('GOAL', 'SAVE')) AS on_goal
                       FROM {_from(db, v)} WHERE {w} GROUP BY 1 ORDER BY shots DESC""",
        p,
    )


# where a high-danger chance came from, first match wins: (factor column, test, label)
HIGH_DANGER_SOURCES = (
    ("rebound", "= 1", "Rebound"),
    ("one_timer", "= 1", "One-timer"),
    ("cross_middle", "= 1", "Pass across the middle"),
    ("rush", "= 1", "Rush"),
    ("rush_pbp", "= 1", "Rush"),
    ("since_pass_s", "<= 2", "Off a pass"),
)


@st.cache_data(**CACHE)
def high_danger_sources(db: str, v: float, f: Filters) -> pd.DataFrame:
    """Where a player's high-tier chances come from: the play before them, from the factors."""
    w, p = where(f)
    cols = set(
        run(db, "SELECT column_name FROM information_schema.columns WHERE table_name = 'shot_features'")["column_name"]
    )
    cases = [f"WHEN fe.{col} {test} THEN '{label}'" for col, test, label in HIGH_DANGER_SOURCES if col in cols]
    if not cases or "shot_id" not in cols:
        return pd.DataFrame(columns=["source", "shots", "goals"])
    return run(
        db,
        f"""
        SELECT CASE {" ".join(cases)} ELSE 'Own play / other' END AS source,
               count(*) AS shots, count(*) FILTER (WHERE s.is_goal) AS goals
        FROM {_from(db, v)} JOIN shot_features fe ON fe.shot_id = s.shot_id
        WHERE {w} AND s.tier = 'high' GROUP BY 1 ORDER BY shots DESC""",
        p,
    )


# -- games and teams ----------------------------------------------------------------------------


@st.cache_data(**CACHE)
def game(db: str, v: float, game_id: int) -> dict | None:
    df = run(
        db,
        """SELECT g.*, coalesce(h.name, g.home_team) AS home_name, coalesce(a.name, g.away_team) AS away_name,
                           h.color AS home_color, a.color AS away_color
                    FROM games g LEFT JOIN teams h ON h.team = g.home_team LEFT JOIN teams a ON a.team = g.away_team
                    WHERE g.game_id = $g""",
        {"g": int(game_id)},
    )
    return None if df.empty else df.iloc[0].to_dict()


@st.cache_data(**CACHE)
def game_shots(db: str, v: float, game_id: int) -> pd.DataFrame:
    return run(
        db,
        f"SELECT {SHOT_COLUMNS} FROM {_from(db, v)} {PLAYER_JOINS} WHERE s.game_id = $g ORDER BY s.game_seconds, "
        "s.event_idx",
        {"g": int(game_id)},
    )


@st.cache_data(**CACHE)
def team_table(db: str, v: float, f: Filters) -> pd.DataFrame:
    """Per team: games, goals and expected goals for and against (unblocked shots)."""
    w, p = where(f.without("team", "shooter", "goalie", "game", "opponent"))
    return run(
        db,
        f"""
        WITH t AS (
            SELECT s.team AS team, s.game_id, s.is_goal::INT AS gf, 0 AS ga,
                   CASE WHEN {UNBLOCKED} THEN s.p_goal END AS xgf, NULL::DOUBLE AS xga
            FROM {_from(db, v)} WHERE {w}
            UNION ALL
            SELECT s.opponent, s.game_id, 0, s.is_goal::INT, NULL, CASE WHEN {UNBLOCKED} THEN s.p_goal END
            FROM {_from(db, v)} WHERE {w})
        SELECT t.team, coalesce(any_value(n.name), t.team) AS name, count(DISTINCT t.game_id) AS games,
               sum(gf) AS gf, sum(ga) AS ga, sum(xgf) AS xgf, sum(xga) AS xga
        FROM t LEFT JOIN teams n ON n.team = t.team GROUP BY t.team
        ORDER BY sum(xgf) - sum(xga) DESC NULLS LAST""",
        p,
    )


# -- the model page -------------------------------------------------------------------------------


@st.cache_data(**CACHE)
def model_on_store(db: str, v: float, f: Filters) -> dict:
    """Our model (and the oracle / public models where present) on the filtered unblocked shots."""
    w, p = where(f)

    def agg(expr: str, extra_join: str = "", extra_where: str = "TRUE") -> dict:
        r = run(
            db,
            f"""
            SELECT count(*) AS n, sum(s.is_goal::INT) AS goals, avg({expr}) AS mean_p,
                   avg(-(s.is_goal::INT * ln(greatest({expr}, 1e-9)) +
                         (1 - s.is_goal::INT) * ln(greatest(1 - {expr}, 1e-9)))) AS log_loss,
                   avg(power({expr} - s.is_goal::INT, 2)) AS brier
            FROM {_from(db, v)} {extra_join} WHERE {w} AND {UNBLOCKED} AND {expr} IS NOT NULL AND {extra_where}""",
            p,
        ).iloc[0]
        return {k: (None if pd.isna(r[k]) else float(r[k])) for k in r.index}

    out = {"model": agg("s.p_goal")}
    try:
        out["oracle"] = agg("st.p_true", "JOIN sim_truth st ON st.shot_id = s.shot_id")
    except Exception:  # noqa: BLE001
        pass
    pub = run(db, "SELECT DISTINCT model FROM public_xg")["model"].tolist()
    for m in pub:
        out[m] = agg(
            "px.xg",
            "JOIN public_xg px ON px.shot_id = s.shot_id AND px.model = '"
            + ("moneypuck" if m == "moneypuck" else "hockeyr")
            + "'",
        )
        out[f"model_on_{m}"] = agg(
            "s.p_goal",
            "JOIN public_xg px ON px.shot_id = s.shot_id AND px.model = '"
            + ("moneypuck" if m == "moneypuck" else "hockeyr")
            + "'",
        )
    return out


@st.cache_data(**CACHE)
def reliability(db: str, v: float, f: Filters, bins: int = 12) -> pd.DataFrame:
    """Observed goal rate by predicted-probability bin (quantile bins) on the filtered shots."""
    w, p = where(f)
    return run(
        db,
        f"""
        WITH b AS (SELECT ntile($k) OVER (ORDER BY s.p_goal) AS bin, s.p_goal AS p, s.is_goal::INT AS y
                   FROM {_from(db, v)} WHERE {w} AND {UNBLOCKED} AND s.p_goal IS NOT NULL)
        SELECT bin, avg(p) AS p_mean, avg(y) AS goal_rate, count(*) AS shots FROM b GROUP BY bin ORDER BY bin""",
        {**p, "k": bins},
    )


def parse_json(s: object) -> dict:
    try:
        return json.loads(str(s))
    except (TypeError, ValueError):
        return {}


# -- analyst figures (oa.analysis) ----------------------------------------------------------------------


def _analysis(db: str, fn: Any, *args: Any, **kw: Any) -> pd.DataFrame:
    """An oa.analysis figure on the app's store: its in-memory connection (the file's tables are views
    there), through a cursor of its own (a DuckDB connection is not thread-safe; sessions are threads)."""
    cur = open_store(db).con.cursor()
    try:
        return fn(cur, *args, **kw)
    finally:
        cur.close()


@st.cache_data(**CACHE)
def on_ice(db: str, v: float, season: str | None, situation: str, team: str | None = None) -> pd.DataFrame:
    """Every skater's on-ice figures (`oa.analysis.on_ice`): one row per player and team."""
    from oa.analysis.onice import on_ice as figure

    return _analysis(db, figure, season=season, situation=situation, team=team)


@st.cache_data(**CACHE)
def lines(db: str, v: float, season: str | None, kind: str, team: str | None, situation: str) -> pd.DataFrame:
    """Forward trios (F3) or defence pairs (D2) with their figures together (`oa.analysis.lines`)."""
    from oa.analysis.lines import lines as figure

    return _analysis(db, figure, season=season, kind=kind, team=team, situation=situation)


@st.cache_data(**CACHE)
def wowy(db: str, v: float, a: int, b: int, season: str | None, situation: str) -> pd.DataFrame:
    """With or without you for skaters a and b (`oa.analysis.wowy`)."""
    from oa.analysis.lines import wowy as figure

    return _analysis(db, figure, int(a), int(b), season=season, situation=situation)


@st.cache_data(**CACHE)
def talent(db: str, v: float, season: str | None, role: str) -> pd.DataFrame:
    """Finishing (shooters) or goals saved above expected (goalies), shrunk, the whole league (`oa.analysis.talent`)."""
    from oa.analysis.talent import talent as figure

    return _analysis(db, figure, season=season, role=role)


@st.cache_data(**CACHE)
def talent_trend(db: str, v: float, player_id: int, role: str) -> pd.DataFrame:
    """One player's talent season by season (`oa.analysis.talent_trend`)."""
    from oa.analysis.talent import talent_trend as figure

    return _analysis(db, figure, int(player_id), role=role)


@st.cache_data(**CACHE)
def team_rates(db: str, v: float, season: str | None, situation: str) -> pd.DataFrame:
    """Each team's rates per 60, raw and score-and-venue adjusted (`oa.analysis.team_rates`)."""
    from oa.analysis.teams import team_rates as figure

    return _analysis(db, figure, season=season, situation=situation)
