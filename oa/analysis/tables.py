"""The named tables a user can take away: `python -m oa export table NAME` and the app's downloads.

Each entry reads one table for a season (None: every season) from a connection, as the functions of
oa.analysis return it; `exportable` turns it into plain columns (a unit's player ids as text) so a CSV
or Parquet file reads back to the same table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from oa.analysis.common import connection, has_table, query, source
from oa.analysis.lines import lines
from oa.analysis.onice import on_ice
from oa.analysis.talent import talent
from oa.analysis.teams import team_rates

FORMATS = ("csv", "parquet")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def shots_table(con: Any, *, season: str | None = None) -> pd.DataFrame:
    """Every attempt with its game, season, players' names and the active model's rating; then each factor's
    value (`factor_<name>`, from shot_features) and its contribution to the rating in log-odds
    (`contrib_<name>`, from shot_factors) where the store has them."""
    con = connection(con)
    players = source(con, "players")
    active = f"(SELECT model_id FROM {source(con, 'models')} WHERE active)"
    scores = f"(SELECT shot_id, p_goal, tier, model_id FROM {source(con, 'shot_scores')} WHERE model_id IN {active})"
    where = "gm.season = $season" if season is not None else "TRUE"
    cols, joins = [], []
    if has_table(con, "shot_features"):
        names = con.execute("SELECT * FROM shot_features LIMIT 0").fetchdf().columns
        cols += [
            f"f.{_ident(c)} AS {_ident('factor_' + c)}" for c in names if c not in ("shot_id", "game_id", "feature_set")
        ]
        joins.append("LEFT JOIN shot_features f ON f.shot_id = s.shot_id")
    if has_table(con, "shot_factors"):
        factors = [
            str(r[0])
            for r in con.execute(
                f"SELECT DISTINCT factor FROM shot_factors WHERE model_id IN {active} ORDER BY 1"
            ).fetchall()
        ]
        if factors:
            aggs = ", ".join(
                f"sum(x.contribution) FILTER (WHERE x.factor = '{f.replace(chr(39), chr(39) * 2)}') AS {_ident('contrib_' + f)}"
                for f in factors
            )
            cols += [f"fc.{_ident('contrib_' + f)}" for f in factors]
            joins.append(
                f"""LEFT JOIN (SELECT x.shot_id, {aggs} FROM shot_factors x JOIN shots s ON s.shot_id = x.shot_id
                    JOIN games gm ON gm.game_id = s.game_id WHERE x.model_id IN {active} AND {where}
                    GROUP BY x.shot_id) fc ON fc.shot_id = s.shot_id"""
            )
    extra = "".join(", " + c for c in cols)
    sql = f"""
    SELECT s.shot_id, s.game_id, gm.season, gm.date, s.period, s.period_seconds, s.team, s.opponent, s.is_home,
           s.shooter_id, sh.name AS shooter, s.goalie_id, gk.name AS goalie, s.x, s.y, s.shot_type, s.strength,
           s.empty_net, s.score_for, s.score_against, s.outcome, s.is_goal, sc.p_goal, sc.tier, sc.model_id{extra}
    FROM shots s JOIN games gm ON gm.game_id = s.game_id
    LEFT JOIN {scores} sc ON sc.shot_id = s.shot_id
    LEFT JOIN {players} sh ON sh.player_id = s.shooter_id LEFT JOIN {players} gk ON gk.player_id = s.goalie_id
    {" ".join(joins)}
    WHERE {where}
    ORDER BY s.game_id, s.shot_id
    """
    return query(con, sql, dict(season=season))


@dataclass(frozen=True)
class Named:
    """One table: its name, what it holds, and how it is read."""

    name: str
    doc: str
    read: Callable[..., pd.DataFrame]


TABLES: dict[str, Named] = {
    t.name: t
    for t in (
        Named("on-ice", "each skater's on-ice figures at 5v5", lambda con, season: on_ice(con, season=season)),
        Named(
            "on-ice-all",
            "each skater's on-ice figures in all situations",
            lambda con, season: on_ice(con, season=season, situation="all"),
        ),
        Named("lines", "forward trios at 5v5", lambda con, season: lines(con, season=season, kind="F3")),
        Named("pairs", "defence pairs at 5v5", lambda con, season: lines(con, season=season, kind="D2")),
        Named(
            "talent",
            "shooters' finishing (goals above expected), shrunk, with 90% intervals and percentiles",
            lambda con, season: talent(con, season=season, role="shooter"),
        ),
        Named(
            "goalies",
            "goalies' goals saved above expected, shrunk, with 90% intervals and percentiles",
            lambda con, season: talent(con, season=season, role="goalie"),
        ),
        Named(
            "team-rates",
            "teams' 5v5 rates per 60, raw and score-and-venue adjusted",
            lambda con, season: team_rates(con, season=season),
        ),
        Named(
            "shots",
            "every attempt with its rating and factor values",
            lambda con, season: shots_table(con, season=season),
        ),
    )
}


def exportable(df: pd.DataFrame) -> pd.DataFrame:
    """Plain columns for a file: lists (a unit's player ids) as comma-separated text, no index."""
    out = df.reset_index(drop=True).copy()
    for c in out.columns:
        if out[c].dtype == object and out[c].map(lambda v: isinstance(v, list | tuple)).any():
            out[c] = out[c].map(lambda v: ",".join(str(x) for x in v) if isinstance(v, list | tuple) else v)
    return out


def write(df: pd.DataFrame, out: Path, fmt: str) -> None:
    """Write `df` as CSV or Parquet to `out` through a temporary file, so a failed write leaves no file."""
    if fmt not in FORMATS:
        raise ValueError(f"{fmt!r} is not a format; use one of {', '.join(FORMATS)}")
    tmp = out.with_name(f".{out.name}.part")
    try:
        if fmt == "csv":
            exportable(df).to_csv(tmp, index=False)
        else:
            exportable(df).to_parquet(tmp, index=False)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)


def read_back(path: Path, fmt: str) -> pd.DataFrame:
    """A written table, read as a user would (pandas)."""
    return pd.read_csv(path) if fmt == "csv" else pd.read_parquet(path)
