"""The shot context: each shot's row plus what play-by-play knew just before it.

Play-by-play factors read only this: the shot itself, the shooter's hand, the goalie's
height, the previous play event and the shooting team's previous attempt. Everything
here happened at or before the shot's event, so no factor can see the future.

The context is a dict of equal-length numpy arrays (not a DataFrame) so a single shot
in the live path costs microseconds, not pandas overhead.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

Ctx = dict[str, np.ndarray]

ATTEMPTS = ("SHOT", "MISS", "GOAL", "BLOCK")
# events that are bookkeeping, not play: never "the previous event" of a shot
NOT_PLAY = ("PERIOD_START", "PERIOD_END", "GAME_END", "PENALTY_END", "GOALIE_PULLED", "GOALIE_BACK")
SHOT_COLUMNS = ("shot_id", "game_id", "event_idx", "period", "period_seconds", "game_seconds", "team", "is_home",
                "shooter_id", "goalie_id", "x", "y", "flipped", "shot_type", "skaters_for", "skaters_against",
                "empty_net", "score_for", "score_against", "release_frame")


def shot_context(shots: pd.DataFrame, events: pd.DataFrame, players: pd.DataFrame,
                 games: pd.DataFrame) -> Ctx:
    """Context arrays for `shots`, reading their games' events (only up to each shot)."""
    s = shots[list(SHOT_COLUMNS)].reset_index(drop=True)
    n = len(s)
    hand = players.set_index("player_id")["shoots"] if len(players) else pd.Series(dtype=object)
    height = players.set_index("player_id")["height_in"] if len(players) else pd.Series(dtype=float)
    ctx: Ctx = {c: s[c].to_numpy() for c in SHOT_COLUMNS}
    ctx["x"] = s["x"].to_numpy(dtype=float)
    ctx["y"] = s["y"].to_numpy(dtype=float)
    for c in ("release_frame", "shooter_id", "goalie_id", "skaters_for", "skaters_against",
              "score_for", "score_against"):                      # nullable numbers as float with NaN
        ctx[c] = pd.to_numeric(s[c], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    ctx["empty_net"] = s["empty_net"].map({True: 1.0, False: 0.0}).to_numpy(dtype=float, na_value=np.nan)
    ctx["shoots"] = (s["shooter_id"].map(hand).astype(object).fillna("").to_numpy(dtype=object)
                     if n else np.array([], dtype=object))
    ctx["goalie_height"] = s["goalie_id"].map(height).to_numpy(dtype=float, na_value=np.nan) if n else np.zeros(0)
    gtype = games.set_index("game_id")["game_type"] if len(games) else pd.Series(dtype=object)
    ctx["game_type"] = s["game_id"].map(gtype).to_numpy(dtype=object) if n else np.array([], dtype=object)
    sign = np.where(s["flipped"].to_numpy(dtype=bool), -1.0, 1.0)

    ev = events[["game_id", "event_idx", "period", "game_seconds", "type", "team", "x", "y"]]
    key = pd.MultiIndex.from_arrays([s["game_id"], s["event_idx"]])

    # previous play event (any team) in the same period
    play = ev[~ev["type"].isin(NOT_PLAY)].sort_values(["game_id", "event_idx"]).reset_index(drop=True)
    prev = play.groupby(["game_id", "period"], sort=False).shift(1)
    prev = prev.set_index(pd.MultiIndex.from_arrays([play["game_id"], play["event_idx"]])).reindex(key)
    ctx["prev_type"] = prev["type"].to_numpy(dtype=object)
    ctx["prev_dt"] = s["game_seconds"].to_numpy(dtype=float) - prev["game_seconds"].to_numpy(dtype=float, na_value=np.nan)
    ctx["prev_x"] = sign * prev["x"].to_numpy(dtype=float, na_value=np.nan)
    ctx["prev_y"] = sign * prev["y"].to_numpy(dtype=float, na_value=np.nan)
    ctx["prev_team"] = prev["team"].astype(object).fillna("").to_numpy(dtype=object)

    # the shooting team's previous attempt in the same period
    att = ev[ev["type"].isin(ATTEMPTS)].sort_values(["game_id", "event_idx"]).reset_index(drop=True)
    pa = att.groupby(["game_id", "period", "team"], sort=False).shift(1)
    pa = pa.set_index(pd.MultiIndex.from_arrays([att["game_id"], att["event_idx"]])).reindex(key)
    ctx["prev_att_dt"] = s["game_seconds"].to_numpy(dtype=float) - pa["game_seconds"].to_numpy(dtype=float, na_value=np.nan)
    ctx["prev_att_x"] = sign * pa["x"].to_numpy(dtype=float, na_value=np.nan)
    ctx["prev_att_y"] = sign * pa["y"].to_numpy(dtype=float, na_value=np.nan)
    return ctx


def take(ctx: Ctx, idx: np.ndarray | slice) -> Ctx:
    """The context of a subset of shots."""
    return {k: v[idx] for k, v in ctx.items()}
