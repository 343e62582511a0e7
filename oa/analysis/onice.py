"""On-ice impact: the attempts, expected goals and goals for and against while a skater is on the ice.

One DuckDB query per call. A shot counts for a skater when `shot_on_ice` lists him (goalies
never count): for his team's attempts (`shooting`) or against. Corsi is every attempt, Fenwick the
unblocked ones, xG the model's p_goal summed over unblocked attempts (a blocked shot cannot score),
goals the attempts that scored. Rates per 60 minutes use `toi` of the same situation; the share
relative to the team is his on-ice xGF% minus his team's xGF% in the same games and situation
while he was off the ice. See docs/analysis.md.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from oa.analysis.common import (
    SMALL_ATTEMPTS,
    SMALL_TOI_MIN,
    connection,
    in_list,
    per60,
    positions,
    query,
    scores_sql,
    share,
    situation_sql,
    source,
)

COLUMNS = [
    "player_id",
    "name",
    "team",
    "position",
    "gp",
    "toi_min",
    "toi_method",
    "cf",
    "ca",
    "ff",
    "fa",
    "xgf",
    "xga",
    "gf",
    "ga",
    "xgf_pct",
    "xgf_pct_rel",
    "cf60",
    "ca60",
    "xgf60",
    "xga60",
    "gf60",
    "ga60",
    "small_sample",
]


def shots_cte(con: Any, *, season: str | None, situation: str, model_id: str | None) -> str:
    """`sh`: the shots of the season and situation, with `unb` (unblocked), `g` (0/1) and `xg` (0 if blocked)."""
    season_sql = "gm.season = $season" if season is not None else "TRUE"
    return f"""
    sh AS (
        SELECT s.shot_id, s.game_id, s.team, s.opponent, s.is_home, s.score_for, s.score_against,
               s.outcome <> 'BLOCK' AS unb, CAST(s.is_goal AS INTEGER) AS g,
               CASE WHEN s.outcome = 'BLOCK' THEN 0.0 ELSE sc.p_goal END AS xg
        FROM shots s JOIN games gm ON gm.game_id = s.game_id
        LEFT JOIN {scores_sql(con, model_id)} sc ON sc.shot_id = s.shot_id
        WHERE {season_sql} AND {situation_sql(situation)}
    )"""


def on_ice(
    con: Any,
    *,
    season: str | None = None,
    situation: str = "5v5",
    team: str | None = None,
    position: str | None = None,
    model_id: str | None = None,
) -> pd.DataFrame:
    """Every skater's on-ice figures (one row per player and team), filtered; columns `COLUMNS`."""
    con = connection(con)
    pos = positions(position)
    oi, toi, players = source(con, "shot_on_ice"), source(con, "toi"), source(con, "players")
    season_sql = "gm.season = $season" if season is not None else "TRUE"
    sql = f"""
    WITH {shots_cte(con, season=season, situation=situation, model_id=model_id)},
    oi AS (
        SELECT o.player_id, o.team, o.game_id, o.shooting, sh.unb, sh.g, sh.xg
        FROM {oi} o JOIN sh ON sh.shot_id = o.shot_id
        WHERE NOT o.goalie
    ),
    onp AS (
        SELECT player_id, team,
               count(*) FILTER (WHERE shooting) AS cf, count(*) FILTER (WHERE NOT shooting) AS ca,
               count(*) FILTER (WHERE shooting AND unb) AS ff, count(*) FILTER (WHERE NOT shooting AND unb) AS fa,
               coalesce(sum(xg) FILTER (WHERE shooting), 0) AS xgf,
               coalesce(sum(xg) FILTER (WHERE NOT shooting), 0) AS xga,
               count(xg) FILTER (WHERE unb) AS scored,
               coalesce(sum(g) FILTER (WHERE shooting), 0) AS gf, coalesce(sum(g) FILTER (WHERE NOT shooting), 0) AS ga
        FROM oi GROUP BY player_id, team
    ),
    t AS (
        SELECT t.player_id, t.team, t.game_id, t.seconds, t.method
        FROM {toi} t JOIN games gm ON gm.game_id = t.game_id
        LEFT JOIN {players} p ON p.player_id = t.player_id
        WHERE t.situation = $situation AND {season_sql} AND coalesce(p.position, '') <> 'G'
    ),
    tp AS (
        SELECT player_id, team, sum(seconds) AS sec, bool_or(method = 'estimated') AS est
        FROM t GROUP BY player_id, team
    ),
    pg AS (
        SELECT DISTINCT player_id, team, game_id FROM oi
        UNION SELECT player_id, team, game_id FROM t
    ),
    tm AS (
        SELECT game_id, team, sum(xgf) AS xgf, sum(xga) AS xga FROM (
            SELECT game_id, team, xg AS xgf, 0.0 AS xga FROM sh
            UNION ALL SELECT game_id, opponent AS team, 0.0 AS xgf, xg AS xga FROM sh
        ) GROUP BY game_id, team
    ),
    base AS (
        SELECT pg.player_id, pg.team, count(DISTINCT pg.game_id) AS gp,
               coalesce(sum(tm.xgf), 0) AS team_xgf, coalesce(sum(tm.xga), 0) AS team_xga
        FROM pg LEFT JOIN tm ON tm.game_id = pg.game_id AND tm.team = pg.team
        GROUP BY pg.player_id, pg.team
    )
    SELECT b.player_id, p.name, b.team, p.position, b.gp,
           tp.sec / 60.0 AS toi_min,
           CASE WHEN tp.sec IS NULL THEN NULL WHEN tp.est THEN 'estimated' ELSE 'shifts' END AS toi_method,
           coalesce(onp.cf, 0) AS cf, coalesce(onp.ca, 0) AS ca, coalesce(onp.ff, 0) AS ff,
           coalesce(onp.fa, 0) AS fa,
           coalesce(onp.xgf, 0) AS xgf, coalesce(onp.xga, 0) AS xga, coalesce(onp.scored, 0) AS scored,
           coalesce(onp.gf, 0) AS gf, coalesce(onp.ga, 0) AS ga,
           b.team_xgf, b.team_xga
    FROM base b
    LEFT JOIN onp ON onp.player_id = b.player_id AND onp.team = b.team
    LEFT JOIN tp ON tp.player_id = b.player_id AND tp.team = b.team
    LEFT JOIN {players} p ON p.player_id = b.player_id
    WHERE coalesce(p.position, '') <> 'G'
      {"AND b.team = $team" if team is not None else ""}
      {f"AND p.position IN {in_list(pos)}" if pos is not None else ""}
    ORDER BY toi_min DESC NULLS LAST, cf + ca DESC, b.player_id
    """
    df = query(con, sql, dict(season=season, situation=situation, team=team, model_id=model_id))
    return _finish(df)


def _finish(df: pd.DataFrame) -> pd.DataFrame:
    """Shares, rates, relative share and the small-sample flag from the counts."""
    df = df.copy()
    for c in ("cf", "ca", "ff", "fa", "gf", "ga", "gp"):
        df[c] = df[c].astype("int64")
    for c in ("xgf", "xga", "team_xgf", "team_xga", "toi_min"):
        df[c] = df[c].astype(float)
    unscored = df["scored"].astype(int).eq(0) & (df["ff"] + df["fa"]).gt(0)  # no model's p_goal on his shots
    df.loc[unscored, ["xgf", "xga"]] = np.nan
    df["xgf_pct"] = share(df["xgf"], df["xga"])
    off = share(df["team_xgf"] - df["xgf"], df["team_xga"] - df["xga"])
    df["xgf_pct_rel"] = df["xgf_pct"] - off
    m = df["toi_min"]
    for c in ("cf", "ca", "xgf", "xga", "gf", "ga"):
        df[f"{c}60"] = per60(df[c], m)
    df["small_sample"] = np.where(m.notna(), m.fillna(0) < SMALL_TOI_MIN, (df["cf"] + df["ca"]) < SMALL_ATTEMPTS)
    df["small_sample"] = df["small_sample"].astype(bool)
    df["toi_method"] = df["toi_method"].astype(object).where(df["toi_method"].notna(), None)
    return df[COLUMNS + ["team_xgf", "team_xga"]].reset_index(drop=True)
