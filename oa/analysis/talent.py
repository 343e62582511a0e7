"""Talent with honest uncertainty: shooters' finishing and goalies' goals saved above expected, shrunk by
empirical Bayes toward the league.

The sample of a shooter is his unblocked attempts that the model scored (a blocked shot cannot score);
of a goalie, the unblocked attempts he faced (empty nets have no goalie). Per player:

    raw rate   r = (goals - xG) / shots                 shooter: goals above expected per shot
               r = (xG - goals) / shots                 goalie: goals saved above expected per shot
    its noise  v = sum(p (1 - p)) / shots^2              the variance of r if he were league average

The league's spread of true talent tau^2 is estimated from the same season's players by the method of
moments (DerSimonian & Laird 1986, the random-effects estimator of meta-analysis; Efron & Morris 1975
for the shrinkage idea), each player's posterior under the normal-normal model is

    shrunk = mu + B (r - mu),  B = tau^2 / (tau^2 + v),  posterior sd = sqrt(B v)

with mu the league's (precision-weighted) mean, and the 90% interval is shrunk +- 1.645 sd. `raw`,
`shrunk`, `lo90`, `hi90` are totals over his shots (rate x shots, in goals); the `_rate` columns are per
shot. The percentile ranks the shrunk rate among the league's players of the same group (forwards,
defence, goalies) in the season. A sample is small when the shrinkage weight B is under one half: his
own record counts for less than the league's. See docs/analysis.md.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from oa.analysis.common import (
    GROUP_OF_POSITION,
    AnalysisError,
    connection,
    positions,
    query,
    scores_sql,
    source,
)

ROLES = ("shooter", "goalie")
Z90 = 1.6448536269514722  # the standard normal's 95th percentile: a central 90% interval
SMALL_WEIGHT = 0.5  # below this shrinkage weight a sample is small

COLUMNS = [
    "player_id",
    "name",
    "team",
    "position",
    "shots",
    "goals",
    "xg",
    "raw",
    "shrunk",
    "lo90",
    "hi90",
    "percentile",
    "small_sample",
]
EXTRA = ["season", "raw_rate", "shrunk_rate", "lo90_rate", "hi90_rate", "weight", "league_mean", "league_sd"]


def _stats(con: Any, role: str, *, season: str | None, by_season: bool, model_id: str | None) -> pd.DataFrame:
    """Per (season, player): shots, goals, xG and the xG variance sum, in one query."""
    if role not in ROLES:
        raise AnalysisError(f"unknown role {role!r}; expected shooter or goalie")
    who = "s.shooter_id" if role == "shooter" else "s.goalie_id"
    team = "s.team" if role == "shooter" else "s.opponent"
    season_key = "gm.season" if by_season else ("$season" if season is not None else "'all'")
    players = source(con, "players")
    sql = f"""
    WITH x AS (
        SELECT {season_key} AS season, {who} AS player_id, {team} AS team, CAST(s.is_goal AS INTEGER) AS g, sc.p_goal AS p
        FROM shots s JOIN games gm ON gm.game_id = s.game_id
        JOIN {scores_sql(con, model_id)} sc ON sc.shot_id = s.shot_id
        WHERE s.outcome <> 'BLOCK' AND {who} IS NOT NULL {"AND gm.season = $season" if season is not None else ""}
    )
    SELECT x.season, x.player_id, any_value(p.name) AS name, mode(x.team) AS team, any_value(p.position) AS position,
           count(*) AS shots, sum(g) AS goals, sum(p) AS xg, sum(p * (1 - p)) AS var
    FROM x LEFT JOIN {players} p ON p.player_id = x.player_id
    GROUP BY x.season, x.player_id
    """
    return query(con, sql, dict(season=season, model_id=model_id))


def shrink(rate: np.ndarray, var: np.ndarray) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Normal-normal empirical Bayes: (posterior means, posterior sds, league mean mu, talent sd tau).

    tau^2 by the DerSimonian-Laird method of moments, floored at 0; mu the random-effects weighted mean.
    Players with no variance (every shot certain) keep their rate with sd 0.
    """
    rate, var = np.asarray(rate, float), np.asarray(var, float)
    ok = var > 0
    if ok.sum() < 2:
        mu = float(np.average(rate[ok])) if ok.any() else 0.0
        return np.where(ok, mu, rate), np.zeros_like(rate), mu, 0.0
    w = 1.0 / var[ok]
    r = rate[ok]
    mu_fe = float(np.sum(w * r) / np.sum(w))
    q = float(np.sum(w * (r - mu_fe) ** 2))
    denom = float(np.sum(w) - np.sum(w**2) / np.sum(w))
    tau2 = max(0.0, (q - (len(r) - 1)) / denom) if denom > 0 else 0.0
    tau2 = tau2 if tau2 > 1e-12 else 0.0  # rounding, not spread
    ws = 1.0 / (var[ok] + tau2)
    mu = float(np.sum(ws * r) / np.sum(ws))
    b = np.where(ok, tau2 / (tau2 + np.where(ok, var, 1.0)), 1.0)
    post = mu + b * (rate - mu)
    sd = np.sqrt(np.where(ok, b * var, 0.0))
    return post, sd, mu, float(np.sqrt(tau2))


def _estimate(stats: pd.DataFrame, role: str) -> pd.DataFrame:
    """Each season's shrinkage and percentiles on the whole league (before any team or position filter)."""
    df = stats.copy()
    if len(df) == 0:
        return _empty()
    df["shots"] = df["shots"].astype("int64")
    df["goals"] = df["goals"].astype("int64")
    df["xg"] = df["xg"].astype(float)
    n = df["shots"].astype(float)
    sign = 1.0 if role == "shooter" else -1.0
    df["raw"] = sign * (df["goals"] - df["xg"])
    df["raw_rate"] = df["raw"] / n
    v = df["var"].astype(float) / n**2
    parts = []
    for _season, g in df.groupby("season", sort=True):
        post, sd, mu, tau = shrink(g["raw_rate"].to_numpy(), v.loc[g.index].to_numpy())
        g = g.assign(
            shrunk_rate=post,
            lo90_rate=post - Z90 * sd,
            hi90_rate=post + Z90 * sd,
            weight=tau**2 / (tau**2 + v.loc[g.index].to_numpy()) if tau > 0 else 0.0,
            league_mean=mu,
            league_sd=tau,
        )
        grp = g["position"].map(GROUP_OF_POSITION) if role == "shooter" else pd.Series("G", index=g.index)
        g["percentile"] = (
            g.assign(_grp=grp).groupby("_grp")["shrunk_rate"].rank(pct=True, method="average").mul(100).round(1)
        )
        g.loc[grp.isna(), "percentile"] = np.nan
        parts.append(g)
    df = pd.concat(parts)
    for c in ("shrunk", "lo90", "hi90"):
        df[c] = df[f"{c}_rate"] * df["shots"]
    df["small_sample"] = (df["weight"] < SMALL_WEIGHT).astype(bool)
    return df[COLUMNS + EXTRA].reset_index(drop=True)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS + EXTRA})


def talent(
    con: Any,
    *,
    season: str | None = None,
    role: str = "shooter",
    team: str | None = None,
    position: str | None = None,
    model_id: str | None = None,
) -> pd.DataFrame:
    """Shooters' finishing or goalies' goals saved above expected (`role`), shrunk; columns `COLUMNS` + `EXTRA`.

    `season` None pools every season of the store as one. The league (and the percentiles) are always the
    season's whole league; `team` and `position` only choose the rows shown. Best shrunk rate first.
    """
    con = connection(con)
    pos = positions(position)
    df = _estimate(_stats(con, role, season=season, by_season=False, model_id=model_id), role)
    if team is not None:
        df = df[df["team"] == team]
    if pos is not None:
        df = df[df["position"].isin(pos)]
    return df.sort_values(["shrunk_rate", "shots"], ascending=False).reset_index(drop=True)


def talent_trend(con: Any, player_id: int, *, role: str = "shooter", model_id: str | None = None) -> pd.DataFrame:
    """One row per season of the store for `player_id`: the talent columns, each season's league its own."""
    con = connection(con)
    df = _estimate(_stats(con, role, season=None, by_season=True, model_id=model_id), role)
    return df[df["player_id"] == int(player_id)].sort_values("season").reset_index(drop=True)
