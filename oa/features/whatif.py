"""What if the shot had been taken somewhere else? Its factors at another spot, by the batch code.

Moving a shot moves the shooter and the puck: both are translated, over the whole
5-second clip, by the step from the real release point to the new one, in the frozen
tracking (every other player and the goalie stay where they were). The shot row's x/y
move with them. Then every factor is computed by `shot_factor_arrays`, the one factor
path of batch, live and the API, so everything that follows from the location and the
frozen frame is recomputed: distance, angle, off wing, the goalie's distance to square
up, the bodies in the new lane, the nearest defender, and for play-by-play shots the
distances and angles to the previous events.

The play that led to the shot is not moved (`KEPT`): with the puck's path translated and
the passer not, the pass, the zone entry and the rush would be read from a path that
never happened (a slot shot's path translated from the point can start behind the net),
so those factors, and the puck's swing around the net in the last second, keep the
values of the real shot. The shooter's and puck's speeds and the east-west movement do
not change under a translation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from oa.features.clips import FrameIndex, sides
from oa.features.compute import shot_factor_arrays
from oa.schema import PUCK_ID

# the play before the shot: read from the puck's path relative to the passer, the blue line and the net
KEPT = (
    "possession_s",
    "one_timer",
    "since_pass_s",
    "cross_middle",
    "since_entry_s",
    "entry_lane",
    "entry_type",
    "rush",
    "angle_change",
)
# factors that follow the spot (the rest are the game state, the shooter's and goalie's motion, the shot type)
FOLLOW_SPOT = (
    "distance",
    "angle",
    "off_wing",
    "goalie_travel",
    "screens",
    "lane_blockers",
    "lane_mates",
    "pressure_ft",
    "from_prev_ft",
    "prev_speed",
    "prev_east_west",
    "rebound_angle",
    "rebound_angle_speed",
)


def moved_frames(frames: pd.DataFrame, shooter_id: object, dx: float, dy: float, flipped: bool) -> pd.DataFrame:
    """The clip's rows with the puck and the shooter translated by (dx, dy) in the shot's normalised frame.

    `frames` holds rink coordinates (frame_idx, entity_id, team, x, y); a flipped shot
    attacks -x, so the step is turned 180 degrees first.
    """
    sign = -1.0 if flipped else 1.0
    out = frames.copy()
    who = out["entity_id"] == PUCK_ID
    if shooter_id is not None and shooter_id == shooter_id:  # not NaN
        who |= out["entity_id"] == int(shooter_id)
    out.loc[who, "x"] = out.loc[who, "x"].astype(float) + sign * dx
    out.loc[who, "y"] = out.loc[who, "y"].astype(float) + sign * dy
    return out


def _index(frames: pd.DataFrame | None, home_team: str) -> FrameIndex | None:
    if frames is None or frames.empty:
        return None
    return FrameIndex(
        frames["frame_idx"].to_numpy(),
        frames["entity_id"].to_numpy(),
        sides(frames["team"].to_numpy(dtype=object), home_team),
        frames["x"].to_numpy(dtype=float),
        frames["y"].to_numpy(dtype=float),
    )


def shot_factors_at(
    shot: pd.DataFrame,
    events: pd.DataFrame,
    players: pd.DataFrame,
    games: pd.DataFrame,
    frames: pd.DataFrame | None,
    goalie_ids: set[int],
    x: float,
    y: float,
) -> dict[str, object]:
    """Every factor of the one shot in `shot` had it been released at (x, y) (normalised feet).

    `frames` are the shot's tracking rows up to and including its release frame (None:
    play-by-play only). The factors in KEPT keep the real shot's values.
    """
    if len(shot) != 1:
        raise ValueError(f"shot_factors_at takes one shot, got {len(shot)}")
    home = str(games["home_team"].iloc[0])
    real = shot_factor_arrays(shot, events, players, games, _index(frames, home), goalie_ids)
    r = shot.iloc[0]
    dx, dy = float(x) - float(r["x"]), float(y) - float(r["y"])
    moved_shot = shot.assign(x=float(x), y=float(y))
    moved = None if frames is None else moved_frames(frames, r["shooter_id"], dx, dy, bool(r["flipped"]))
    there = shot_factor_arrays(moved_shot, events, players, games, _index(moved, home), goalie_ids)
    out = {k: v[0] for k, v in there.items()}
    for name in KEPT:
        if name in real:
            out[name] = real[name][0]
    return out


def same_value(a: object, b: object) -> bool:
    """Two factor values are the same (NaN equals NaN; numbers within rounding noise)."""
    a_missing = a is None or (isinstance(a, float) and np.isnan(a))
    b_missing = b is None or (isinstance(b, float) and np.isnan(b))
    if a_missing or b_missing:
        return a_missing and b_missing
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return bool(np.isclose(float(a), float(b), rtol=1e-9, atol=1e-9))  # type: ignore[arg-type]
