"""What every figure of oa.analysis shares: the connection, the store's tables (present or not), the filters.

Every function takes a DuckDB connection on which the store's tables are visible by their bare
names (a read-only connection to the store file, the app's in-memory connection with the file's
tables as views, or a `Store`). An old store may lack the on-ice tables altogether: `source`
then stands in an empty relation with the canonical columns, so a figure comes out empty (or
NaN) rather than failing.
"""

from __future__ import annotations

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


def scores_sql(con: duckdb.DuckDBPyConnection, model_id: str | None) -> str:
    """Each shot's p_goal: model `model_id` ($model_id), or the active model(s) (a shot has one)."""
    sc = source(con, "shot_scores")
    if model_id is not None:
        return f"(SELECT shot_id, p_goal FROM {sc} WHERE model_id = $model_id)"
    models = source(con, "models")
    return f"(SELECT shot_id, p_goal FROM {sc} WHERE model_id IN (SELECT model_id FROM {models} WHERE active))"


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


def query(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object]) -> pd.DataFrame:
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
