"""Talent with honest uncertainty: shooters' finishing and goalies' goals saved above expected, shrunk by
empirical Bayes toward the league.

The sample of a shooter is his unblocked attempts that the model scored (a blocked shot cannot score);
of a goalie, the unblocked attempts he faced (empty nets have no goalie). Their xG is **out of fold**
where the store has it (`shot_oof`, written when the model is trained): a model trained on these very
shots has learned part of each player's goals (a goalie's height, a shooter's spots), which would pass for
average talent and make the intervals too narrow (on the demo league they held the truth 77-78% of the
time in sample, 88-89% with xG the model had not fitted; docs/benchmarks/talent.md). Per player:

    raw rate   r = (goals - xG) / shots                 shooter: goals above expected per shot
               r = (xG - goals) / shots                 goalie: goals saved above expected per shot
    its noise  v = sum(p (1 - p)) / shots^2              the variance of r if he were league average

True talent is normal around a prior mean m with spread tau, both estimated from the same season's
players (the normal-normal model; Efron & Morris 1975 for the shrinkage, Gelman et al., Bayesian Data
Analysis, 3rd ed., sections 5.4 and 15.4, for tau integrated over its posterior rather than fixed at a
point). For goalies m is the league's mean; for shooters it is the league's expectation for a shooter of
his volume, a + b log(shots) (better shooters shoot more, so a low-volume shooter is shrunk toward
low-volume shooters; Robinson 2017, Introduction to Empirical Bayes, ch. 7, does the same with at-bats):

    given tau:  shrunk = m + B (r - m),  B = tau^2 / (tau^2 + v),  variance B v (+ the doubt about m)

mixed over tau's posterior; the 90% interval is shrunk +- 1.645 posterior sds. `raw`,
`shrunk`, `lo90`, `hi90` are totals over his shots (rate x shots, in goals); the `_rate` columns are per
shot. The percentile ranks the shrunk rate among the league's players of the same group (forwards,
defence, goalies) in the season. A sample is small under 200 shots (taken or faced), the rule of every
figure here; `weight` (the posterior mean of B) says how much of the estimate is his own record: finishing
is mostly luck, and even a full season of shots leaves it mostly to the league. See docs/analysis.md.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from oa.analysis.common import (
    GROUP_OF_POSITION,
    SMALL_ATTEMPTS,
    AnalysisError,
    connection,
    positions,
    query,
    scores_sql,
    source,
)

ROLES = ("shooter", "goalie")
GRID = 200  # points of the talent spread's posterior grid
Z90 = 1.6448536269514722  # the standard normal's 95th percentile: a central 90% interval

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
# oof_share: the share of his shots whose xG is out of fold (the model had not seen their games); 0 where the
# store has no out-of-fold probabilities (a model trained before them, or elsewhere): then xG is in sample
EXTRA = [
    "season",
    "raw_rate",
    "shrunk_rate",
    "lo90_rate",
    "hi90_rate",
    "weight",
    "prior_mean",
    "league_sd",
    "oof_share",
]


def _stats(
    con: Any, role: str, *, season: str | None, by_season: bool, model_id: str | None, player_id: int | None = None
) -> pd.DataFrame:
    """Per (season, player): shots, goals, xG and the xG variance sum, in one query."""
    if role not in ROLES:
        raise AnalysisError(f"unknown role {role!r}; expected shooter or goalie")
    who = "s.shooter_id" if role == "shooter" else "s.goalie_id"
    team = "s.team" if role == "shooter" else "s.opponent"
    season_key = "gm.season" if by_season else ("$season" if season is not None else "'all'")
    players = source(con, "players")
    sql = f"""
    WITH x AS (
        SELECT {season_key} AS season, {who} AS player_id, {team} AS team, CAST(s.is_goal AS INTEGER) AS g, sc.p_goal AS p,
               sc.oof
        FROM shots s JOIN games gm ON gm.game_id = s.game_id
        JOIN {scores_sql(con, model_id, out_of_fold=True)} sc ON sc.shot_id = s.shot_id
        WHERE s.outcome <> 'BLOCK' AND {who} IS NOT NULL {"AND gm.season = $season" if season is not None else ""}
        {f"AND gm.season IN (SELECT gm.season FROM shots s JOIN games gm ON gm.game_id = s.game_id WHERE {who} = $pid)" if player_id is not None else ""}
    )
    SELECT x.season, x.player_id, any_value(p.name) AS name, mode(x.team) AS team, any_value(p.position) AS position,
           count(*) AS shots, sum(g) AS goals, sum(p) AS xg, sum(p * (1 - p)) AS var, avg(CAST(oof AS DOUBLE)) AS oof_share
    FROM x LEFT JOIN {players} p ON p.player_id = x.player_id
    GROUP BY x.season, x.player_id
    """
    return query(con, sql, dict(season=season, model_id=model_id, pid=player_id))


def shrink(
    rate: np.ndarray, var: np.ndarray, taus: np.ndarray | None = None, covariates: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, np.ndarray]:
    """The normal-normal model: (posterior means, posterior sds, prior means, talent sd tau, weights B).

    r_j ~ N(theta_j, v_j), theta_j ~ N(x_j beta, tau^2), beta flat, tau uniform on a grid (`taus`; by default
    `GRID` points from 0 to twice the spread of the raw rates). x_j is 1 (one league mean) and the columns of
    `covariates`. Each tau is weighted by its marginal likelihood (Gelman et al., Bayesian Data Analysis, 3rd
    ed., sections 5.4 and 15.4); given tau, beta is the weighted least-squares fit with covariance V, and
    theta_j has mean m_j + B_j (r_j - m_j), m_j = x_j beta, B_j = tau^2 / (tau^2 + v_j), and variance
    B_j v_j + (1 - B_j)^2 x_j V x_j'. The result mixes these over tau, so the intervals carry the doubt about
    the spread itself (with a moment or maximum-likelihood tau of 0 they would shrink to a point). Players
    with no variance (every shot certain) keep their rate, sd 0, weight 1. The returned tau is its posterior
    mean, B_j the posterior mean of each player's weight: the share of his own record in his estimate.
    """
    rate, var = np.asarray(rate, float), np.asarray(var, float)
    ok = var > 0
    x_all = np.ones((len(rate), 1))
    if covariates is not None:
        extra = np.asarray(covariates, float).reshape(len(rate), -1)
        extra = extra[:, extra[ok].std(axis=0) > 1e-12] if ok.any() else extra[:, :0]  # a constant says nothing
        x_all = np.column_stack([x_all, extra])
    k = x_all.shape[1]
    if ok.sum() < k + 1:
        mu = float(np.average(rate[ok])) if ok.any() else 0.0
        return np.where(ok, mu, rate), np.zeros_like(rate), np.full_like(rate, mu), 0.0, np.where(ok, 0.0, 1.0)
    r, v, x = rate[ok], var[ok], x_all[ok]
    if taus is None:
        taus = np.linspace(0.0, 2.0 * float(np.std(r)) + 1e-12, GRID)
    t2 = np.asarray(taus, float)[:, None] ** 2  # (grid, 1)
    w = 1.0 / (v[None, :] + t2)  # (grid, players)
    xtwx = np.einsum("gp,pk,pl->gkl", w, x, x)
    cov = np.linalg.inv(xtwx)  # V for each tau
    beta = np.einsum("gkl,gp,pl,p->gk", cov, w, x, r)
    m = beta @ x.T  # (grid, players): each player's prior mean
    loglik = (
        0.5 * np.log(np.linalg.det(cov)) + 0.5 * np.log(w).sum(axis=1) - 0.5 * (w * (r[None, :] - m) ** 2).sum(axis=1)
    )
    post_tau = np.exp(loglik - loglik.max())
    post_tau /= post_tau.sum()
    b = t2 * w  # B_j for each tau
    mean_t = m + b * (r[None, :] - m)
    var_t = b * v[None, :] + (1.0 - b) ** 2 * np.einsum("pk,gkl,pl->gp", x, cov, x)
    mean = post_tau @ mean_t
    second = post_tau @ (var_t + mean_t**2)
    post, sd, weight = rate.copy(), np.zeros_like(rate), np.ones_like(rate)
    post[ok] = mean
    sd[ok] = np.sqrt(np.maximum(second - mean**2, 0.0))
    weight[ok] = post_tau @ b
    prior = (post_tau @ beta) @ x_all.T
    return post, sd, prior, float(post_tau @ np.sqrt(t2[:, 0])), weight


def _estimate(stats: pd.DataFrame, role: str) -> pd.DataFrame:
    """Each season's shrinkage and percentiles on the whole league (before any team or position filter)."""
    df = stats.copy()
    if role == "shooter":
        df = df[df["position"].ne("G")]  # a goalie's rare shot is no finishing record
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
        # shooters: the league's expectation for a shooter of his volume (better shooters shoot more);
        # goalies: one league mean (a season's few dozen goalies cannot pin a slope down)
        cov = np.log(g["shots"].to_numpy(float)) if role == "shooter" else None
        post, sd, prior, tau, weight = shrink(g["raw_rate"].to_numpy(), v.loc[g.index].to_numpy(), covariates=cov)
        g = g.assign(
            shrunk_rate=post,
            lo90_rate=post - Z90 * sd,
            hi90_rate=post + Z90 * sd,
            weight=weight,
            prior_mean=prior,
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
    df["small_sample"] = (df["shots"] < SMALL_ATTEMPTS).astype(bool)
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
    stats = _stats(con, role, season=None, by_season=True, model_id=model_id, player_id=int(player_id))
    df = _estimate(stats, role)
    return df[df["player_id"] == int(player_id)].sort_values("season").reset_index(drop=True)
