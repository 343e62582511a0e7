"""Time on ice from shifts, and its estimate from the players listed on the ice at events.

Pure functions on DataFrames, shared by the simulator (its own shifts), the NHL sync (shift
charts), the hockey_scraper adapter (on-ice lists at events) and the benchmark that measures the
estimate's error: one rule each, so what is stored and what is measured are computed alike.

Conventions (the NHL's): a player is on the ice at second t of a period when one of his shifts
there has start < t <= end. Five-on-five is any moment when both teams have five skaters on the
ice and their goalie in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from oa import schema

FIVE = 5  # skaters a side at five-on-five


def _per_player(shifts: Mapping[str, Any], values: dict[str, np.ndarray]) -> pd.DataFrame:
    """Sums of `values` per (game, player) of the shifts, with the player's team (his first shift's)
    and number of shifts; sorted by game and player. Plain numpy: it runs for every simulated game."""
    pid = np.asarray(shifts["player_id"], dtype=np.int64)
    gid = np.broadcast_to(np.asarray(shifts["game_id"], dtype=np.int64), pid.shape)
    order = np.lexsort((pid, gid))
    g_s, p_s = gid[order], pid[order]
    new = np.r_[True, (g_s[1:] != g_s[:-1]) | (p_s[1:] != p_s[:-1])]
    codes = np.empty(len(gid), dtype=np.int64)
    codes[order] = np.cumsum(new) - 1
    first = order[new]
    n = len(first)
    out = pd.DataFrame(
        {
            "game_id": gid[first],
            "player_id": pid[first],
            "team": np.broadcast_to(np.asarray(shifts["team"], dtype=object), pid.shape)[first],
            "shifts": np.bincount(codes, minlength=n),
        }
    )
    for name, v in values.items():
        out[name] = np.bincount(codes, weights=v, minlength=n)
    return out


def player_toi(shifts: pd.DataFrame) -> pd.DataFrame:
    """The `player_toi` rows: seconds on the ice and number of shifts, per player of the game."""
    if len(shifts) == 0:
        return pd.DataFrame(columns=schema.PLAYER_TOI.column_names)
    sec = shifts["end_s"].to_numpy(float) - shifts["start_s"].to_numpy(float)
    return _per_player(shifts, {"seconds": sec})[schema.PLAYER_TOI.column_names]


def _toi_rows(all_s: pd.DataFrame, five: pd.Series | np.ndarray, method: str) -> pd.DataFrame:
    """`toi` rows ('all' and '5v5') from per-player totals (game_id, player_id, team, seconds)."""
    n = len(all_s)
    return pd.DataFrame(
        {
            "game_id": np.tile(all_s["game_id"].to_numpy(np.int64), 2),
            "player_id": np.tile(all_s["player_id"].to_numpy(np.int64), 2),
            "team": np.tile(all_s["team"].to_numpy(object), 2),
            "situation": np.repeat(np.array(["all", "5v5"], dtype=object), n),
            "seconds": np.round(np.r_[all_s["seconds"].to_numpy(float), np.asarray(five, float)], 3),
            "method": method,
        },
        columns=schema.TOI.column_names,
    )


def toi_from_shifts(shifts: pd.DataFrame, goalie_ids: Iterable[int]) -> pd.DataFrame:
    """The `toi` rows (method 'shifts') of one or more games: all situations, and five-on-five.

    Five-on-five is found by a sweep over each period: the shifts' starts and ends cut it into
    intervals, skaters and goalies of each team are counted in every interval, and a player's
    five-on-five time is the length of the five-on-five intervals his shifts cover."""
    cols = schema.TOI.column_names
    if len(shifts) == 0:
        return pd.DataFrame(columns=cols)
    goalies = np.fromiter((int(g) for g in goalie_ids), dtype=np.int64)
    s = shifts.reset_index(drop=True)
    start = s["start_s"].to_numpy(float)
    end = s["end_s"].to_numpy(float)
    is_g = np.isin(s["player_id"].to_numpy(np.int64), goalies).astype(int)
    team = s["team"].to_numpy(object)
    five = np.zeros(len(s))
    gp = s["game_id"].to_numpy(np.int64) * 16 + s["period"].to_numpy(np.int64)
    order = np.argsort(gp, kind="stable")
    cuts = np.flatnonzero(np.diff(gp[order])) + 1
    for idx in np.split(order, cuts):
        teams, t_idx = np.unique(team[idx], return_inverse=True)
        if len(teams) != 2:
            continue  # five-on-five needs two teams on the ice
        b = np.unique(np.r_[start[idx], end[idx]])
        j0 = np.searchsorted(b, start[idx])
        j1 = np.searchsorted(b, end[idx])
        n = len(b)
        # counts[team, goalie?, interval] by +1 at the first interval a shift covers, -1 after its last
        diff = np.zeros((2, 2, n + 1))
        np.add.at(diff, (t_idx, is_g[idx], j0), 1)
        np.add.at(diff, (t_idx, is_g[idx], j1), -1)
        counts = np.cumsum(diff, axis=2)[:, :, : n - 1]
        ok = (counts[:, 0, :] == FIVE).all(axis=0) & (counts[:, 1, :] == 1).all(axis=0)
        cum = np.r_[0.0, np.cumsum(np.diff(b) * ok)]
        five[idx] = cum[j1] - cum[j0]
    g = _per_player(s, {"seconds": end - start, "five": five})
    return _toi_rows(g, g["five"], "shifts")


def skaters_at(events: pd.DataFrame, shifts: pd.DataFrame, goalie_ids: Iterable[int], team: str) -> np.ndarray:
    """Skaters of `team` on the ice at each event (period, period_seconds) of one game, from its shifts.

    start < t <= end, except at a period's first second, where the players who start it count."""
    goalies = np.fromiter((int(g) for g in goalie_ids), dtype=np.int64)
    sk = shifts[(shifts["team"] == team).to_numpy() & ~np.isin(shifts["player_id"].to_numpy(np.int64), goalies)]
    out = np.zeros(len(events), dtype=np.int64)
    per_e = events["period"].to_numpy()
    t = np.maximum(events["period_seconds"].to_numpy(float), 1e-3)
    per_s = sk["period"].to_numpy()
    for p in np.unique(per_e):
        e = per_e == p
        starts = np.sort(sk["start_s"].to_numpy(float)[per_s == p])
        ends = np.sort(sk["end_s"].to_numpy(float)[per_s == p])
        out[e] = np.searchsorted(starts, t[e], side="left") - np.searchsorted(ends, t[e], side="left")
    return out


def listed_at(events: pd.DataFrame, shifts: pd.DataFrame, goalie_ids: Iterable[int]) -> pd.DataFrame:
    """Who the shifts put on the ice at each event: the on-ice lists a play-by-play would carry.

    `events` has game_id, event_idx, period, period_seconds; the result one row per listed player
    (game_id, event_idx, period, period_seconds, player_id, team, goalie). An event at a period's
    first second lists the players who start it (start <= t there, start < t elsewhere)."""
    goalies = set(int(g) for g in goalie_ids)
    e = events[["game_id", "event_idx", "period", "period_seconds"]]
    m = e.merge(shifts[["game_id", "player_id", "team", "period", "start_s", "end_s"]], on=["game_id", "period"])
    t = np.maximum(m["period_seconds"].to_numpy(float), 1e-3)
    m = m[(m["start_s"].to_numpy(float) < t) & (t <= m["end_s"].to_numpy(float))]
    m = m.drop_duplicates(["game_id", "event_idx", "player_id"])
    out = m[["game_id", "event_idx", "period", "period_seconds", "player_id", "team"]].reset_index(drop=True)
    out["goalie"] = out["player_id"].astype("int64").isin(goalies).to_numpy()
    return out


def estimate_toi(listed: Mapping[str, Any]) -> pd.DataFrame:
    """The `toi` rows (method 'estimated') from the players listed on the ice at each event.

    `listed`: one row per player listed at an event (game_id, event_idx, period, period_seconds,
    player_id, team, goalie), events without a list absent: a DataFrame, or a dict of those
    columns as arrays (a scalar game_id for one game). The rule (midpoint): within a period,
    the time between two consecutive listed events is split at its middle; each half goes to the
    players listed at the event it touches. A player listed at both ends gets the whole gap, one
    listed at one end (he came on or went off somewhere between) half of it, which is right on
    average when a change falls anywhere in the gap. A half counts as five-on-five when its
    event lists five skaters and a goalie for each of two teams. Time before a period's first
    listed event and after its last is not credited (play-by-play lists start and end periods).
    Plain numpy: it runs for every game of a season."""
    cols = schema.TOI.column_names
    col = {k: np.asarray(listed[k]) for k in ("event_idx", "period", "period_seconds", "player_id", "team", "goalie")}
    if len(col["player_id"]) == 0:
        return pd.DataFrame(columns=cols)
    gid = np.broadcast_to(np.asarray(listed["game_id"], dtype=np.int64), col["player_id"].shape)
    ekey = gid * 10_000 + col["event_idx"].astype(np.int64)
    uniq, first, code = np.unique(ekey, return_index=True, return_inverse=True)
    per = col["period"].astype(np.int64)[first]
    t = col["period_seconds"].astype(float)[first]
    g_ev = gid[first]
    order = np.lexsort((uniq, t, per, g_ev))  # events in time order within each game and period
    same = (g_ev[order][1:] == g_ev[order][:-1]) & (per[order][1:] == per[order][:-1])
    ts = t[order]
    gap = np.where(same, np.diff(ts), 0.0)
    credit = np.empty(len(uniq))
    credit[order] = (np.r_[0.0, gap] + np.r_[gap, 0.0]) / 2.0
    # five-on-five lists: five skaters and one goalie on each of exactly two teams
    team_code, teams = pd.factorize(col["team"].astype(object))
    nt = max(len(teams), 1)
    gl = col["goalie"].astype(bool)
    cell = code * nt + team_code
    sk_n = np.bincount(cell, weights=~gl, minlength=len(uniq) * nt).reshape(-1, nt)
    gl_n = np.bincount(cell, weights=gl, minlength=len(uniq) * nt).reshape(-1, nt)
    present = (sk_n + gl_n) > 0
    good = (sk_n == FIVE) & (gl_n == 1)
    is5 = (present.sum(axis=1) == 2) & (good.sum(axis=1) == 2)
    row_credit = credit[code]
    sub = {"game_id": gid, "player_id": col["player_id"], "team": col["team"]}
    g = _per_player(sub, {"seconds": row_credit, "five": row_credit * is5[code]})
    return _toi_rows(g, g["five"], "estimated")
