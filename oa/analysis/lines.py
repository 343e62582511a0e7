"""Lines and pairs, and with-or-without-you.

A forward trio is the three forwards (C, LW, RW) of a team on the ice together at an attempt; a
defence pair the two defencemen. An attempt counts for the unit only when exactly that many of the
position are on the ice for the team (three forwards, two defencemen), so a power play's four
forwards or a pulled goalie's extra skater make no unit. Time together is the overlap of the
players' `shifts` (intersected with the five-on-five stretches of the events timeline for 5v5);
without shifts it is NaN and the attempts together are the sample. See docs/analysis.md.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from oa.analysis.common import (
    SMALL_ATTEMPTS,
    SMALL_TOI_MIN,
    AnalysisError,
    connection,
    in_list,
    per60,
    query,
    season_sql,
    share,
    source,
    timeline_cte,
)
from oa.analysis.onice import shots_cte
from oa.vocab import FORWARDS

KINDS: dict[str, tuple[tuple[str, ...], int]] = {"F3": (FORWARDS, 3), "D2": (("D",), 2)}
LINE_COLUMNS = [
    "team",
    "player_ids",
    "names",
    "together_min",
    "attempts_together",
    "cf",
    "ca",
    "xgf",
    "xga",
    "gf",
    "ga",
    "xgf_pct",
    "cf60",
    "xgf60",
    "xga60",
    "small_sample",
]
WOWY_COLUMNS = ["with", "player_id", "toi_min", "cf", "ca", "xgf", "xga", "gf", "ga", "xgf_pct", "small_sample"]


# the seconds of overlaps `iv` (joined to the timeline `seg`) at five-on-five; NULL (unknown) when no stretch they
# touch has skater counts (a source without them, or games without events)
FIVE_ON_FIVE_SECONDS = (
    "CASE WHEN bool_or(coalesce(seg.known, FALSE)) THEN coalesce(sum(least(iv.s1, seg.s1) - greatest(iv.s0, seg.s0)) "
    "FILTER (WHERE seg.even), 0) END"
)


def _overlap_sum(con: Any, situation: str, intervals: str, keys: str, games_sql: str) -> str:
    """SQL summing, per `keys`, the seconds of `intervals` (game_id, period, s0, s1, keys...) in the situation."""
    if situation == "all":
        return f"SELECT {keys}, sum(s1 - s0) AS sec FROM {intervals} WHERE s1 > s0 GROUP BY {keys}"
    return f"""
        WITH {timeline_cte(con, games_sql)}
        SELECT {", ".join("i." + k.strip() for k in keys.split(","))},
               {FIVE_ON_FIVE_SECONDS.replace("iv.", "i.")} AS sec
        FROM {intervals} i LEFT JOIN seg ON seg.game_id = i.game_id AND seg.period = i.period
             AND seg.s0 < i.s1 AND i.s0 < seg.s1
        WHERE i.s1 > i.s0
        GROUP BY {", ".join("i." + k.strip() for k in keys.split(","))}"""


def lines(
    con: Any,
    *,
    season: str | None = None,
    kind: str = "F3",
    team: str | None = None,
    situation: str = "5v5",
    min_together: float = 0.0,
    min_attempts: int = 1,
    model_id: str | None = None,
) -> pd.DataFrame:
    """Forward trios (`kind="F3"`) or defence pairs ("D2") with their figures together; columns `LINE_COLUMNS`.

    Kept: units with at least `min_together` minutes together where shifts give the time, and at least
    `min_attempts` attempts together. Most time (or attempts) together first.
    """
    if kind not in KINDS:
        raise AnalysisError(f"unknown kind {kind!r}; expected F3 (forward trios) or D2 (defence pairs)")
    con = connection(con)
    group, n = KINDS[kind]
    oi, players, shifts = source(con, "shot_on_ice"), source(con, "players"), source(con, "shifts")
    sh = shots_cte(con, season=season, situation=situation, model_id=model_id)
    units = f"""
    WITH {sh},
    oi AS (
        SELECT o.shot_id, o.player_id, o.team, o.shooting, sh.unb, sh.g, sh.xg, sh.game_id
        FROM {oi} o JOIN sh ON sh.shot_id = o.shot_id JOIN {players} p ON p.player_id = o.player_id
        WHERE NOT o.goalie AND p.position IN {in_list(group)} {"AND o.team = $team" if team is not None else ""}
    ),
    grp AS (
        SELECT shot_id, team, any_value(game_id) AS game_id, any_value(shooting) AS shooting, any_value(unb) AS unb,
               any_value(g) AS g, any_value(xg) AS xg, list_sort(list(player_id)) AS ids
        FROM oi GROUP BY shot_id, team HAVING count(*) = {n}
    ),
    u AS (
    SELECT team, ids, array_to_string(ids, ',') || '|' || team AS k, count(*) AS attempts_together,
           count(*) FILTER (WHERE shooting) AS cf, count(*) FILTER (WHERE NOT shooting) AS ca,
           coalesce(sum(xg) FILTER (WHERE shooting), 0) AS xgf, coalesce(sum(xg) FILTER (WHERE NOT shooting), 0) AS xga,
           count(xg) FILTER (WHERE unb) AS scored, count(*) FILTER (WHERE unb) AS unblocked,
           coalesce(sum(g) FILTER (WHERE shooting), 0) AS gf, coalesce(sum(g) FILTER (WHERE NOT shooting), 0) AS ga
    FROM grp GROUP BY team, ids HAVING count(*) >= $min_attempts
    )"""
    starts = ", ".join(["a.start_s"] + [f"s{k}.start_s" for k in range(2, n + 1)])
    ends = ", ".join(["a.end_s"] + [f"s{k}.end_s" for k in range(2, n + 1)])
    joins = " ".join(
        f"JOIN m{k} s{k} ON s{k}.k = a.k AND s{k}.game_id = a.game_id AND s{k}.period = a.period "
        + " ".join(
            f"AND s{k}.start_s < {o}.end_s AND {o}.start_s < s{k}.end_s" for o in ["a"] + [f"s{j}" for j in range(2, k)]
        )
        for k in range(2, n + 1)
    )
    # each member's shifts keyed by the unit, so every join below has the unit as a key
    members = ",\n    ".join(
        f"m{j} AS (SELECT u.k, sp.game_id, sp.period, sp.start_s, sp.end_s FROM u JOIN sp ON sp.player_id = u.ids[{j}])"
        for j in range(1, n + 1)
    )
    if situation == "all":
        together = "SELECT k, sum(s1 - s0) AS sec FROM iv WHERE s1 > s0 GROUP BY k"
        seg = ""
    else:  # the overlaps less their stretches that the events timeline says are not five-on-five
        seg = (
            ","
            + timeline_cte(con, "SELECT DISTINCT game_id FROM iv")
            + """,
    ivx AS (SELECT row_number() OVER () AS rid, * FROM iv WHERE s1 > s0),
    cut AS (
        SELECT ivx.rid, sum(least(ivx.s1, seg.s1) - greatest(ivx.s0, seg.s0)) AS off
        FROM ivx JOIN seg ON seg.game_id = ivx.game_id AND seg.period = ivx.period
             AND seg.s0 < ivx.s1 AND ivx.s0 < seg.s1 AND NOT seg.even
        GROUP BY ivx.rid
    ),
    gkn AS (SELECT game_id, bool_or(known) AS known FROM seg GROUP BY game_id)"""
        )
        together = """SELECT ivx.k,
                   CASE WHEN bool_or(coalesce(gkn.known, FALSE)) THEN sum(ivx.s1 - ivx.s0 - coalesce(cut.off, 0)) END AS sec
            FROM ivx LEFT JOIN cut ON cut.rid = ivx.rid LEFT JOIN gkn ON gkn.game_id = ivx.game_id
            GROUP BY ivx.k"""
    sql = f"""{units},
    m AS (SELECT DISTINCT x.pid FROM u, unnest(u.ids) AS x(pid)),
    sp AS (
        SELECT s.player_id, s.game_id, s.period, s.start_s, s.end_s
        FROM {shifts} s JOIN games gm ON gm.game_id = s.game_id
        WHERE {season_sql(season)} AND s.player_id IN (SELECT pid FROM m)
    ),
    {members},
    iv AS (  -- the unit's shifts overlapping: the first player's joined with each other's, same game and period
        SELECT a.k, a.game_id, a.period, greatest({starts}) AS s0, least({ends}) AS s1
        FROM m1 a {joins}
    ){seg},
    tg AS ({together}),
    nm AS (
        SELECT u.k, string_agg(coalesce(p.name, CAST(x.pid AS VARCHAR)), ' - ' ORDER BY x.i) AS names
        FROM u, unnest(u.ids) WITH ORDINALITY AS x(pid, i)
        LEFT JOIN {players} p ON p.player_id = x.pid GROUP BY u.k
    )
    SELECT u.*, nm.names,
           CASE WHEN tg.k IS NOT NULL THEN tg.sec
                WHEN EXISTS (SELECT 1 FROM {shifts} s JOIN games gm ON gm.game_id = s.game_id
                             WHERE {season_sql(season)}) THEN 0.0 END AS sec
    FROM u LEFT JOIN tg ON tg.k = u.k LEFT JOIN nm ON nm.k = u.k
    """
    params = dict(season=season, team=team, model_id=model_id, min_attempts=int(min_attempts))
    out = _finish_lines(query(con, sql, params))
    keep = out["together_min"].isna() | (out["together_min"] >= float(min_together))
    return out[keep].reset_index(drop=True)


def _finish_lines(df: pd.DataFrame) -> pd.DataFrame:
    df = df.rename(columns={"ids": "player_ids"}).copy()
    df["player_ids"] = df["player_ids"].map(lambda v: [int(x) for x in v])
    df["together_min"] = df["sec"].astype(float) / 60.0
    for c in ("attempts_together", "cf", "ca", "gf", "ga"):
        df[c] = df[c].astype("int64")
    for c in ("xgf", "xga"):
        df[c] = df[c].astype(float)
    if "scored" in df:
        unscored = df["scored"].eq(0) & df["unblocked"].gt(0)
        df.loc[unscored, ["xgf", "xga"]] = np.nan
    df["xgf_pct"] = share(df["xgf"], df["xga"])
    for c in ("cf", "xgf", "xga"):
        df[f"{c}60"] = per60(df[c], df["together_min"])
    m = df["together_min"]
    df["small_sample"] = np.where(m.notna(), m.fillna(0) < SMALL_TOI_MIN, df["attempts_together"] < SMALL_ATTEMPTS)
    df["small_sample"] = df["small_sample"].astype(bool)
    df = df.sort_values(["together_min", "attempts_together"], ascending=False, na_position="last")
    return df[LINE_COLUMNS].reset_index(drop=True)


def wowy(con: Any, a: int, b: int, *, season: str | None = None, situation: str = "5v5", model_id: str | None = None):
    """With or without you: skaters `a` and `b` together, `a` without `b`, `b` without `a`; columns `WOWY_COLUMNS`.

    Attempts are counted from the side of the skater named first in the row (`player_id`): for his team or
    against it. Time is from the shifts (NaN without them): together is their overlap, "without" the rest of
    each one's shifts, in the situation.
    """
    con = connection(con)
    a, b = int(a), int(b)
    oi, shifts = source(con, "shot_on_ice"), source(con, "shifts")
    sh = shots_cte(con, season=season, situation=situation, model_id=model_id)
    params = dict(season=season, a=a, b=b, model_id=model_id)
    counts = query(
        con,
        f"""
        WITH {sh},
        o AS (
            SELECT o.shot_id, bool_or(o.player_id = $a) AS a_on, bool_or(o.player_id = $b) AS b_on,
                   any_value(o.shooting) FILTER (WHERE o.player_id = $a) AS a_for,
                   any_value(o.shooting) FILTER (WHERE o.player_id = $b) AS b_for
            FROM {oi} o WHERE o.player_id IN ($a, $b) AND NOT o.goalie GROUP BY o.shot_id
        ),
        x AS (
            SELECT CASE WHEN a_on AND b_on THEN 'together' WHEN a_on THEN 'A without B' ELSE 'B without A' END AS w,
                   CASE WHEN a_on THEN a_for ELSE b_for END AS f, sh.unb, sh.g, sh.xg
            FROM o JOIN sh ON sh.shot_id = o.shot_id
        )
        SELECT w, count(*) FILTER (WHERE f) AS cf, count(*) FILTER (WHERE NOT f) AS ca,
               coalesce(sum(xg) FILTER (WHERE f), 0) AS xgf, coalesce(sum(xg) FILTER (WHERE NOT f), 0) AS xga,
               count(xg) FILTER (WHERE unb) AS scored, count(*) FILTER (WHERE unb) AS unblocked,
               coalesce(sum(g) FILTER (WHERE f), 0) AS gf, coalesce(sum(g) FILTER (WHERE NOT f), 0) AS ga
        FROM x GROUP BY w""",
        params,
    )
    ssql = season_sql(season)
    intervals = f"""(
        SELECT 'a' AS who, s.game_id, s.period, s.start_s AS s0, s.end_s AS s1
        FROM {shifts} s JOIN games gm ON gm.game_id = s.game_id WHERE s.player_id = $a AND {ssql}
        UNION ALL
        SELECT 'b', s.game_id, s.period, s.start_s, s.end_s
        FROM {shifts} s JOIN games gm ON gm.game_id = s.game_id WHERE s.player_id = $b AND {ssql}
        UNION ALL
        SELECT 'ab', x.game_id, x.period, greatest(x.start_s, y.start_s), least(x.end_s, y.end_s)
        FROM {shifts} x JOIN {shifts} y ON y.player_id = $b AND y.game_id = x.game_id AND y.period = x.period
             AND y.start_s < x.end_s AND x.start_s < y.end_s
        JOIN games gm ON gm.game_id = x.game_id WHERE x.player_id = $a AND {ssql}
    )"""
    games_sql = f"SELECT DISTINCT s.game_id FROM {shifts} s JOIN games gm ON gm.game_id = s.game_id WHERE s.player_id IN ($a, $b) AND {ssql}"
    secs = query(con, _overlap_sum(con, situation, intervals, "who", games_sql), params)
    sec = dict(zip(secs["who"], secs["sec"].astype(float)))
    has_shifts = bool(len(secs))
    tog = sec.get("ab", 0.0)
    toi = {
        "together": tog,
        "A without B": sec.get("a", 0.0) - tog,
        "B without A": sec.get("b", 0.0) - tog,
    }
    zero = dict(cf=0, ca=0, xgf=0.0, xga=0.0, scored=0, unblocked=0, gf=0, ga=0)
    by = {str(r["w"]): r for r in counts.to_dict("records")}
    rows = []
    for w, pid in (("together", a), ("A without B", a), ("B without A", b)):
        r = by.get(w, zero)
        unscored = r["scored"] == 0 and r["unblocked"] > 0
        rows.append(
            {
                "with": w,
                "player_id": pid,
                "toi_min": toi[w] / 60.0 if has_shifts else np.nan,
                "cf": int(r["cf"]),
                "ca": int(r["ca"]),
                "xgf": np.nan if unscored else float(r["xgf"]),
                "xga": np.nan if unscored else float(r["xga"]),
                "gf": int(r["gf"]),
                "ga": int(r["ga"]),
            }
        )
    out = pd.DataFrame(rows)
    out["xgf_pct"] = share(out["xgf"], out["xga"])
    m = out["toi_min"]
    out["small_sample"] = np.where(m.notna(), m.fillna(0) < SMALL_TOI_MIN, (out["cf"] + out["ca"]) < SMALL_ATTEMPTS)
    out["small_sample"] = out["small_sample"].astype(bool)
    return out[WOWY_COLUMNS]
