"""Team rates: attempts and expected goals for and against per 60 minutes, raw and score-and-venue adjusted.

Score and venue adjustment follows Micah Blake McCurdy, "Adjusting for score and venue" (hockeyviz.com,
2014), the method Natural Stat Trick and Evolving-Hockey use: trailing teams shoot more and home teams
are credited with more attempts, so each attempt is weighted by how common such attempts are in its
score state and venue across the league. With H_d and A_d the league's home and away attempts when the
home team leads by d (clipped to -3..+3), a home attempt in state d weighs (H_d + A_d) / (2 H_d) and an
away attempt (H_d + A_d) / (2 A_d); expected goals get their own weights from the league's xG the same
way. The weights come from the store's own games of the season and situation asked for.

Time in all situations is the events timeline (an event's state holds until the next event of the
period). At 5v5 it is the team's skaters' 5v5 time on ice over five where the store has time on ice
(`toi`: exact from shifts), else the timeline's stretches with five skaters a side (a pulled goalie
shows as a sixth; the timeline runs about 1-2% short, as a penalty's end waits for the next event). See docs/analysis.md.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from oa.analysis.common import connection, per60, query, season_sql, share, source, timeline_cte
from oa.analysis.onice import shots_cte

SCORE_CLIP = 3  # score states: the home lead, -3 or fewer ... +3 or more
COLUMNS = [
    "team",
    "gp",
    "toi_min",
    "cf",
    "ca",
    "xgf",
    "xga",
    "cf60",
    "ca60",
    "xgf60",
    "xga60",
    "xgf_pct",
    "adj_cf60",
    "adj_ca60",
    "adj_xgf60",
    "adj_xga60",
    "adj_xgf_pct",
]


def score_weights(con: Any, *, season: str | None = None, situation: str = "5v5", model_id: str | None = None):
    """The league's adjustment weights: one row per home lead (-3..+3) with the home and away attempt and xG
    weights (`w_cf_home`, `w_cf_away`, `w_xg_home`, `w_xg_away`) and the counts they come from."""
    con = connection(con)
    sql = f"""
    WITH {shots_cte(con, season=season, situation=situation, model_id=model_id)},
    st AS (
        SELECT is_home, xg,
               least(greatest(CASE WHEN is_home THEN score_for - score_against ELSE score_against - score_for END,
                              -{SCORE_CLIP}), {SCORE_CLIP}) AS lead
        FROM sh
    )
    SELECT lead,
           count(*) FILTER (WHERE is_home) AS home_cf, count(*) FILTER (WHERE NOT is_home) AS away_cf,
           coalesce(sum(xg) FILTER (WHERE is_home), 0) AS home_xg, coalesce(sum(xg) FILTER (WHERE NOT is_home), 0)
               AS away_xg
    FROM st GROUP BY lead ORDER BY lead
    """
    w = query(con, sql, dict(season=season, model_id=model_id))
    for m, h, a in (("cf", "home_cf", "away_cf"), ("xg", "home_xg", "away_xg")):
        tot = w[h].astype(float) + w[a].astype(float)
        w[f"w_{m}_home"] = (tot / (2 * w[h].astype(float))).where(w[h] > 0, 1.0)
        w[f"w_{m}_away"] = (tot / (2 * w[a].astype(float))).where(w[a] > 0, 1.0)
    return w


def team_rates(
    con: Any, *, season: str | None = None, situation: str = "5v5", model_id: str | None = None
) -> pd.DataFrame:
    """Each team's rates, raw and adjusted, for the season (None: every season) and situation; `COLUMNS`."""
    con = connection(con)
    weights = score_weights(con, season=season, situation=situation, model_id=model_id)
    cases = {
        k: "CASE "
        + " ".join(f"WHEN lead = {int(r.lead)} THEN {float(getattr(r, k))!r}" for r in weights.itertuples())
        + " ELSE 1.0 END"
        if len(weights)
        else "1.0"
        for k in ("w_cf_home", "w_cf_away", "w_xg_home", "w_xg_away")
    }
    # a game's time in the situation; at 5v5 unknown (NULL) when its events give no skater counts
    game_time = (
        "CASE WHEN bool_or(known) THEN coalesce(sum(s1 - s0) FILTER (WHERE even), 0) END"
        if situation == "5v5"
        else "sum(s1 - s0)"
    )
    games = f"SELECT gm.game_id FROM games gm WHERE {season_sql(season)}"
    sql = f"""
    WITH {shots_cte(con, season=season, situation=situation, model_id=model_id)},
    st AS (
        SELECT *, least(greatest(CASE WHEN is_home THEN score_for - score_against ELSE score_against - score_for END,
                                 -{SCORE_CLIP}), {SCORE_CLIP}) AS lead
        FROM sh
    ),
    wt AS (
        SELECT game_id, team, opponent, xg,
               CASE WHEN is_home THEN {cases["w_cf_home"]} ELSE {cases["w_cf_away"]} END AS w_cf,
               CASE WHEN is_home THEN {cases["w_xg_home"]} ELSE {cases["w_xg_away"]} END AS w_xg
        FROM st
    ),
    side AS (
        SELECT team, 1 AS cf, 0 AS ca, xg AS xgf, 0.0 AS xga, w_cf AS adj_cf, 0.0 AS adj_ca,
               xg * w_xg AS adj_xgf, 0.0 AS adj_xga FROM wt
        UNION ALL
        SELECT opponent, 0, 1, 0.0, xg, 0.0, w_cf, 0.0, xg * w_xg FROM wt
    ),
    counts AS (
        SELECT team, sum(cf) AS cf, sum(ca) AS ca, sum(xgf) AS xgf, sum(xga) AS xga, sum(adj_cf) AS adj_cf,
               sum(adj_ca) AS adj_ca, sum(adj_xgf) AS adj_xgf, sum(adj_xga) AS adj_xga
        FROM side GROUP BY team
    ),
    {timeline_cte(con, games)},
    gt AS (SELECT game_id, {game_time} AS sec FROM seg GROUP BY game_id),
    tg AS (
        SELECT gm.home_team AS team, gm.game_id FROM games gm WHERE {season_sql(season)}
        UNION ALL SELECT gm.away_team, gm.game_id FROM games gm WHERE {season_sql(season)}
    ),
    t5 AS (  -- where the store has time on ice: a team's 5v5 time is its skaters' 5v5 time over five
        SELECT t.game_id, t.team, sum(t.seconds) / 5.0 AS sec
        FROM {source(con, "toi")} t JOIN games gm ON gm.game_id = t.game_id
        LEFT JOIN {source(con, "players")} p ON p.player_id = t.player_id
        WHERE t.situation = '5v5' AND coalesce(p.position, '') <> 'G' AND {season_sql(season)}
        GROUP BY t.game_id, t.team
    ),
    tt AS (
        SELECT tg.team, count(*) AS gp, sum({"coalesce(t5.sec, gt.sec)" if situation == "5v5" else "gt.sec"}) AS sec,
               count({"coalesce(t5.sec, gt.sec)" if situation == "5v5" else "gt.sec"}) AS timed
        FROM tg LEFT JOIN gt ON gt.game_id = tg.game_id
        LEFT JOIN t5 ON t5.game_id = tg.game_id AND t5.team = tg.team
        GROUP BY tg.team
    )
    SELECT tt.team, tt.gp, CASE WHEN tt.timed > 0 THEN tt.sec / 60.0 END AS toi_min,
           coalesce(c.cf, 0) AS cf, coalesce(c.ca, 0) AS ca, c.xgf, c.xga, c.adj_cf, c.adj_ca, c.adj_xgf, c.adj_xga
    FROM tt LEFT JOIN counts c ON c.team = tt.team
    ORDER BY tt.team
    """
    df = query(con, sql, dict(season=season, model_id=model_id))
    for c in ("gp", "cf", "ca"):
        df[c] = df[c].astype("int64")
    for c in ("toi_min", "xgf", "xga", "adj_cf", "adj_ca", "adj_xgf", "adj_xga"):
        df[c] = df[c].astype(float)
    m = df["toi_min"]
    for c in ("cf", "ca", "xgf", "xga", "adj_cf", "adj_ca", "adj_xgf", "adj_xga"):
        df[f"{c}60"] = per60(df[c], m)
    if float(weights["home_xg"].sum() + weights["away_xg"].sum()) == 0 if len(weights) else True:
        df[[c for c in df.columns if "xg" in c]] = float("nan")  # no model's scores: no expected goals
    df["xgf_pct"] = share(df["xgf"], df["xga"])
    df["adj_xgf_pct"] = share(df["adj_xgf"], df["adj_xga"])
    return df[COLUMNS + ["adj_cf", "adj_ca", "adj_xgf", "adj_xga"]].reset_index(drop=True)
