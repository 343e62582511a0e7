"""Time on ice from shifts, and its estimate from the players listed on the ice at events.

Pure functions on DataFrames, shared by the simulator (its own shifts), the NHL sync (shift
charts), the hockey_scraper adapter (on-ice lists at events) and the benchmark that measures the
estimate's error: one rule each, so what is stored and what is measured are computed alike.

Conventions (the NHL's): a player is on the ice at second t of a period when one of his shifts
there has start < t <= end. Five-on-five is any moment when both teams have five skaters on the
ice and their goalie in.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from oa import schema

FIVE = 5  # skaters a side at five-on-five


def _per_player(shifts: pd.DataFrame, values: dict[str, np.ndarray]) -> pd.DataFrame:
    """Sums of `values` per (game, player) of the shifts, with the player's team (his first shift's)
    and number of shifts; sorted by game and player. Plain numpy: it runs for every simulated game."""
    gid = shifts["game_id"].to_numpy(np.int64)
    pid = shifts["player_id"].to_numpy(np.int64)
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
            "team": shifts["team"].to_numpy(object)[first],
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


def estimate_toi(listed: pd.DataFrame) -> pd.DataFrame:
    """The `toi` rows (method 'estimated') from the players listed on the ice at each event.

    `listed`: one row per player listed at an event (game_id, event_idx, period, period_seconds,
    player_id, team, goalie), events without a list absent. The rule (midpoint): within a period,
    the time between two consecutive listed events is split at its middle; each half goes to the
    players listed at the event it touches. A player listed at both ends gets the whole gap, one
    listed at one end (he came on or went off somewhere between) half of it, which is right on
    average when a change falls anywhere in the gap. A half counts as five-on-five when its
    event lists five skaters and a goalie for each of two teams. Time before a period's first
    listed event and after its last is not credited (play-by-play lists start and end periods)."""
    cols = schema.TOI.column_names
    if len(listed) == 0:
        return pd.DataFrame(columns=cols)
    lst = listed[["game_id", "event_idx", "period", "period_seconds", "player_id", "team", "goalie"]]
    ev = lst.drop_duplicates(["game_id", "event_idx"])[["game_id", "event_idx", "period", "period_seconds"]]
    ev = ev.sort_values(["game_id", "period", "period_seconds", "event_idx"], kind="stable").reset_index(drop=True)
    t = ev["period_seconds"].to_numpy(float)
    key = ev["game_id"].to_numpy(np.int64) * 100 + ev["period"].to_numpy(np.int64)
    same_prev = np.r_[False, key[1:] == key[:-1]]
    same_next = np.r_[key[1:] == key[:-1], False]
    gap_prev = np.where(same_prev, t - np.r_[t[0], t[:-1]], 0.0)
    gap_next = np.where(same_next, np.r_[t[1:], t[-1]] - t, 0.0)
    ev["credit"] = (gap_prev + gap_next) / 2.0
    # five-on-five lists: five skaters and one goalie on each of exactly two teams
    gl = lst["goalie"].astype(bool)
    per = lst.assign(sk=~gl, gl=gl).groupby(["game_id", "event_idx", "team"])[["sk", "gl"]].sum()
    good = (per["sk"] == FIVE) & (per["gl"] == 1)
    by_ev = good.groupby(level=["game_id", "event_idx"]).agg(["all", "size"])
    five_ev = (by_ev["all"] & (by_ev["size"] == 2)).rename("is5").reset_index()
    ev = ev.merge(five_ev, on=["game_id", "event_idx"], how="left")
    ev["is5"] = ev["is5"].fillna(False).astype(bool)
    m = lst[["game_id", "event_idx", "player_id", "team"]].merge(
        ev[["game_id", "event_idx", "credit", "is5"]], on=["game_id", "event_idx"]
    )
    m["five"] = m["credit"] * m["is5"]
    g = m.groupby(["game_id", "player_id", "team"], as_index=False).agg(seconds=("credit", "sum"), five=("five", "sum"))
    return _toi_rows(g[["game_id", "player_id", "team", "seconds"]], g["five"], "estimated")
