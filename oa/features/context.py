"""The shot context: each shot's row plus what play-by-play knew just before it.

Play-by-play factors read only this: the shot itself, the shooter's hand, the goalie's
height, the two previous play events and the shooting team's previous attempts. Everything
here happened at or before the shot's event, so no factor can see the future.

The context is a dict of equal-length numpy arrays (not a DataFrame) so a single shot
in the live path costs microseconds, not pandas overhead.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from oa.vocab import ATTEMPTS

Ctx = dict[str, np.ndarray]

RECENT_S = 10.0  # the shooting team's attempts this recent count as sustained pressure
# events that are bookkeeping, not play: never "the previous event" of a shot
NOT_PLAY = ("PERIOD_START", "PERIOD_END", "GAME_END", "PENALTY_END", "GOALIE_PULLED", "GOALIE_BACK")
SHOT_COLUMNS = (
    "shot_id",
    "game_id",
    "event_idx",
    "period",
    "period_seconds",
    "game_seconds",
    "team",
    "is_home",
    "shooter_id",
    "goalie_id",
    "x",
    "y",
    "flipped",
    "shot_type",
    "skaters_for",
    "skaters_against",
    "empty_net",
    "score_for",
    "score_against",
    "release_frame",
)


def shot_context(shots: pd.DataFrame, events: pd.DataFrame, players: pd.DataFrame, games: pd.DataFrame) -> Ctx:
    """Context arrays for `shots`, reading their games' events (only up to each shot).

    Plain numpy after the column reads, so one shot (the live path) costs about a millisecond.
    """
    s = shots
    ctx: Ctx = {c: s[c].to_numpy() for c in SHOT_COLUMNS}
    ctx["x"] = s["x"].to_numpy(dtype=float)
    ctx["y"] = s["y"].to_numpy(dtype=float)
    for c in (
        "release_frame",
        "shooter_id",
        "goalie_id",
        "skaters_for",
        "skaters_against",
        "score_for",
        "score_against",
        "empty_net",
    ):  # nullable numbers as float with NaN
        ctx[c] = _floats(s[c])
    pid = players["player_id"].to_numpy(dtype=np.int64) if len(players) else np.zeros(0, np.int64)
    hand = _lookup(ctx["shooter_id"], pid, players["shoots"].to_numpy(dtype=object) if len(players) else None, None)
    ctx["shoots"] = _text(hand)
    height = players["height_in"].to_numpy(dtype=float, na_value=np.nan) if len(players) else None
    ctx["goalie_height"] = _lookup(ctx["goalie_id"], pid, height, np.nan).astype(float)
    gid = games["game_id"].to_numpy(dtype=np.int64) if len(games) else np.zeros(0, np.int64)
    gtype = games["game_type"].to_numpy(dtype=object) if len(games) else None
    ctx["game_type"] = _lookup(s["game_id"].to_numpy(dtype=float), gid, gtype, np.nan)
    sign = np.where(s["flipped"].to_numpy(dtype=bool), -1.0, 1.0)

    gs = np.asarray(ctx["game_seconds"], dtype=float)
    sk = _key(s["game_id"].to_numpy(dtype=np.int64), s["event_idx"].to_numpy(dtype=np.int64))
    e_type = events["type"].to_numpy(dtype=object)
    e_game, e_idx = events["game_id"].to_numpy(dtype=np.int64), events["event_idx"].to_numpy(dtype=np.int64)
    e_period = events["period"].to_numpy(dtype=np.int64)
    e_team = events["team"].to_numpy(dtype=object)
    e_gs = events["game_seconds"].to_numpy(dtype=float, na_value=np.nan)
    e_x = events["x"].to_numpy(dtype=float, na_value=np.nan)
    e_y = events["y"].to_numpy(dtype=float, na_value=np.nan)

    # previous play event (any team) in the same period, and the one before it
    play = np.flatnonzero(~_isin(e_type, NOT_PLAY))
    r, back = _previous(sk, e_game[play], e_idx[play], (e_period[play],))
    r2 = _step(back, r)
    r, r2 = _pick(play, r, -1), _pick(play, r2, -1)  # rows among play events -> rows among all
    ctx["prev_type"] = _pick(e_type, r, np.nan)
    ctx["prev_dt"] = gs - _pick(e_gs, r, np.nan)
    ctx["prev_x"] = sign * _pick(e_x, r, np.nan)
    ctx["prev_y"] = sign * _pick(e_y, r, np.nan)
    ctx["prev_team"] = _text(_pick(e_team, r, ""))
    ctx["prev2_type"] = _pick(e_type, r2, np.nan)
    ctx["prev2_dt"] = gs - _pick(e_gs, r2, np.nan)

    # the shooting team's previous attempts in the same period
    att = np.flatnonzero(_isin(e_type, ATTEMPTS))
    team_code = pd.factorize(pd.Series(e_team[att], dtype=object), use_na_sentinel=True)[0]
    r, back = _previous(sk, e_game[att], e_idx[att], (e_period[att], team_code), valid=team_code >= 0)
    ctx["team_att_10s"] = _count_within(back, r, gs, e_gs[att] if len(att) else e_gs, RECENT_S)
    r = _pick(att, r, -1)
    ctx["prev_att_dt"] = gs - _pick(e_gs, r, np.nan)
    ctx["prev_att_x"] = sign * _pick(e_x, r, np.nan)
    ctx["prev_att_y"] = sign * _pick(e_y, r, np.nan)
    return ctx


def _step(back: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """One more step back along `back` (the previous row of every row), -1 stays -1."""
    return np.where(rows >= 0, back[np.maximum(rows, 0)] if len(back) else -1, -1)


def _count_within(back: np.ndarray, rows: np.ndarray, now: np.ndarray, when: np.ndarray, window: float) -> np.ndarray:
    """How many rows of the chain that starts at `rows` (following `back`) are at most `window` s before `now`.

    The chain only ever goes back in time, so this reads nothing after the shot.
    """
    count = np.zeros(len(rows))
    r = rows.copy()
    while True:
        live = r >= 0
        if live.any():
            live[live] = now[live] - when[r[live]] <= window
        if not live.any():
            return count
        count += live
        r = np.where(live, _step(back, r), -1)


def _floats(col: pd.Series) -> np.ndarray:
    """A nullable numeric or boolean column as floats with NaN for missing."""
    try:
        return col.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        return pd.to_numeric(col, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _lookup(keys: np.ndarray, ids: np.ndarray, values: np.ndarray | None, missing: object) -> np.ndarray:
    """values[ids == key] for each key (NaN keys and unknown ids give `missing`); ids are unique."""
    out = np.full(len(keys), missing, dtype=object if values is None or values.dtype == object else float)
    if values is None or len(ids) == 0 or len(keys) == 0:
        return out
    order = np.argsort(ids, kind="stable")
    sid = ids[order]
    ok = np.isfinite(keys)
    k = keys[ok].astype(np.int64)
    pos = np.clip(np.searchsorted(sid, k), 0, len(sid) - 1)
    hit = sid[pos] == k
    vals = out[ok]
    vals[hit] = values[order[pos[hit]]]
    out[ok] = vals
    return out


def _isin(values: np.ndarray, options: tuple[str, ...]) -> np.ndarray:
    allowed = frozenset(options)
    return np.fromiter((v in allowed for v in values.tolist()), dtype=bool, count=len(values))


def _key(game: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """One sortable integer per (game, event_idx): game ids fit 37 bits, event indices 21."""
    return game.astype(np.int64) * (1 << 21) + idx.astype(np.int64)


def _previous(
    shot_keys: np.ndarray,
    game: np.ndarray,
    idx: np.ndarray,
    groups: tuple[np.ndarray, ...],
    valid: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """For each shot, the row (of these events) of the event before its own within the same game and
    group, ordered by event_idx; -1 if none or if the shot's own event is not among them. Also returns
    that map for every event row (`back[row]`), so callers can walk further back.

    The numpy form of `groupby([game, *groups]).shift(1)` looked up at the shot's event,
    cheap enough to run per shot in the live scorer.
    """
    n = len(game)
    out = np.full(len(shot_keys), -1, dtype=np.int64)
    if n == 0 or len(shot_keys) == 0:
        return out, np.full(n, -1, dtype=np.int64)
    valid = np.ones(n, dtype=bool) if valid is None else valid
    order = np.lexsort((idx,) + tuple(reversed(groups)) + (game,))
    same = np.ones(n - 1, dtype=bool)
    for col in (game,) + groups:
        c = col[order]
        same &= c[1:] == c[:-1]
    ok = same & valid[order][1:] & valid[order][:-1]
    prev_sorted = np.full(n, -1, dtype=np.int64)
    prev_sorted[1:] = np.where(ok, order[:-1], -1)
    prev = np.empty(n, dtype=np.int64)
    prev[order] = prev_sorted  # prev[row] = row of the previous event in its group
    keys = _key(game, idx)
    by_key = np.argsort(keys, kind="stable")
    pos = np.clip(np.searchsorted(keys[by_key], shot_keys), 0, n - 1)
    row = by_key[pos]
    found = keys[row] == shot_keys
    out[found] = prev[row[found]]
    return out, prev


def _text(values: np.ndarray) -> np.ndarray:
    """Codes as text, "" where missing (None or NaN)."""
    return np.array(["" if v is None or v != v else v for v in values.tolist()], dtype=object)  # noqa: PLR0124


def _pick(values: np.ndarray, rows: np.ndarray, missing: object) -> np.ndarray:
    """values[rows], with `missing` where rows is -1."""
    if values.dtype == object:
        out = np.empty(len(rows), dtype=object)
        out[:] = [values[r] if r >= 0 else missing for r in rows.tolist()]
        return out
    return np.where(rows >= 0, values[np.maximum(rows, 0)] if len(values) else missing, missing)


def take(ctx: Ctx, idx: np.ndarray | slice) -> Ctx:
    """The context of a subset of shots."""
    return {k: v[idx] for k, v in ctx.items()}
