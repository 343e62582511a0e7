"""What every figure of oa.analysis shares: the connection, the store's tables (present or not), the filters.

Every function takes a DuckDB connection on which the store's tables are visible by their bare
names (a read-only connection to the store file, the app's in-memory connection with the file's
tables as views, or a `Store`). An old store may lack the on-ice tables altogether: `source`
then stands in an empty relation with the canonical columns, so a figure comes out empty (or
NaN) rather than failing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from oa import schema
from oa.vocab import FORWARDS, POSITIONS, SITUATIONS

# position filters: a position code, or a group (F = the forwards C/LW/RW, D = defence, G = goalies)
POSITION_GROUPS: dict[str, tuple[str, ...]] = {"F": FORWARDS, "D": ("D",), "G": ("G",)} | {p: (p,) for p in POSITIONS}
# the league groups a percentile is taken within
GROUP_OF_POSITION: dict[str, str] = {p: "F" for p in FORWARDS} | {"D": "D", "G": "G"}
GROUP_WORDS = {"F": "forwards", "D": "defence", "G": "goalies"}

# a shot's situation, as SQL over the shot `s`: 5v5 is five skaters a side with both goalies in
# (the shooter's strength label '5v5', net not empty); all is every shot
SITUATION_SQL = {"all": "TRUE", "5v5": "s.strength = '5v5' AND NOT coalesce(s.empty_net, FALSE)"}

# small samples: a rate from fewer than this many minutes, or (without time on ice) fewer on-ice attempts
SMALL_TOI_MIN = 100.0
SMALL_ATTEMPTS = 200


class AnalysisError(ValueError):
    """A filter the figures cannot take (unknown situation, position, role); the message names it."""


def connection(con: Any) -> duckdb.DuckDBPyConnection:
    """The DuckDB connection of `con` (a connection, or anything holding one as `.con`, such as a `Store`)."""
    return getattr(con, "con", con)


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    try:
        con.execute(f"SELECT * FROM {name} LIMIT 0")
    except duckdb.Error:
        return False
    return True


def source(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """`name` if the store has the table, else an empty relation with its canonical columns."""
    if has_table(con, name):
        return name
    t = schema.BY_NAME[name]
    cols = ", ".join(f"CAST(NULL AS {c.sql}) AS {c.name}" for c in t.columns)
    return f"(SELECT {cols} WHERE FALSE)"


def scores_sql(con: duckdb.DuckDBPyConnection, model_id: str | None, out_of_fold: bool = False) -> str:
    """Each shot's p_goal: model `model_id` ($model_id), or the active model(s) (a shot has one); `oof` says
    whether it is out of fold. With `out_of_fold`, a shot the model trained on gets its out-of-fold
    probability (`shot_oof`: from the fold model that did not see its game) where the store has it: what
    the model would have said without having learned from that very goal or save."""
    sc = source(con, "shot_scores")
    if model_id is not None:
        which = "sc.model_id = $model_id"
    else:
        which = f"sc.model_id IN (SELECT model_id FROM {source(con, 'models')} WHERE active)"
    if not out_of_fold:
        return f"(SELECT sc.shot_id, sc.p_goal, FALSE AS oof FROM {sc} sc WHERE {which})"
    # a probability outside (0, 1) (NaN too) is no probability: the shot keeps its score, not out of fold
    oof = f"(SELECT * FROM {source(con, 'shot_oof')} WHERE p_goal > 0 AND p_goal < 1)"
    return (
        f"(SELECT sc.shot_id, coalesce(o.p_goal, sc.p_goal) AS p_goal, o.p_goal IS NOT NULL AS oof FROM {sc} sc "
        f"LEFT JOIN {oof} o ON o.shot_id = sc.shot_id AND o.model_id = sc.model_id WHERE {which})"
    )


def situation_sql(situation: str) -> str:
    if situation not in SITUATIONS:
        raise AnalysisError(f"unknown situation {situation!r}; expected one of {', '.join(SITUATIONS)}")
    return SITUATION_SQL[situation]


def positions(position: str | None) -> tuple[str, ...] | None:
    if position is None:
        return None
    if position not in POSITION_GROUPS:
        raise AnalysisError(
            f"unknown position {position!r}; expected one of {', '.join(POSITION_GROUPS)} (F = forwards)"
        )
    return POSITION_GROUPS[position]


def in_list(values: tuple[str, ...]) -> str:
    """A SQL list of vocabulary codes (never user text: the codes come from oa.vocab)."""
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


def query(con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, object]) -> pd.DataFrame:
    used = {k: v for k, v in params.items() if f"${k}" in sql}
    return con.execute(sql, used).fetchdf()


def per60(count: pd.Series, minutes: pd.Series) -> pd.Series:
    """count per 60 minutes; NaN where the minutes are unknown or zero."""
    m = pd.to_numeric(minutes, errors="coerce").astype(float)
    return pd.Series(np.where(m > 0, count.astype(float) * 60.0 / m.where(m > 0, 1.0), np.nan), index=count.index)


def share(f: pd.Series, a: pd.Series) -> pd.Series:
    """100 f / (f + a); NaN where both are zero or unknown."""
    f, a = f.astype(float), a.astype(float)
    tot = f + a
    return pd.Series(np.where(tot > 0, 100.0 * f / tot.where(tot > 0, 1.0), np.nan), index=f.index)


def season_sql(season: str | None, alias: str = "gm") -> str:
    """SQL keeping the games of `season` ($season) over the games alias; TRUE for every season."""
    return f"{alias}.season = $season" if season is not None else "TRUE"


def timeline_cte(con: duckdb.DuckDBPyConnection, games_sql: str) -> str:
    """`seg`: the events timeline cut into stretches with one state: (game_id, period, s0, s1, even, known,
    home_skaters, away_skaters, home_score, away_score) for the games `games_sql` selects (a SELECT of game_id).

    An event's skater counts and score hold from it to the next event of the period (or the period's end, 20
    minutes, when it is the last); `even` marks five skaters a side (a pulled goalie shows as a sixth skater),
    `known` a stretch whose skater counts the source gave (without them no time is five-on-five for sure).
    """
    from oa.rink import PERIOD_S

    ev = source(con, "events")
    return f"""
    seg AS (
        SELECT game_id, period, s0, s1,
               coalesce(home_skaters = 5 AND away_skaters = 5, FALSE) AS even,
               home_skaters IS NOT NULL AND away_skaters IS NOT NULL AS known,
               home_skaters, away_skaters, home_score, away_score
        FROM (
            SELECT e.game_id, e.period, e.period_seconds AS s0,
                   coalesce(lead(e.period_seconds) OVER (PARTITION BY e.game_id, e.period
                                                         ORDER BY e.period_seconds, e.event_idx),
                            greatest({PERIOD_S}, e.period_seconds)) AS s1,
                   e.home_skaters, e.away_skaters, e.home_score, e.away_score
            FROM {ev} e WHERE e.game_id IN ({games_sql})
        ) WHERE s1 > s0
    )"""
