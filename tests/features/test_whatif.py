"""A shot moved elsewhere: what follows the spot is recomputed by the batch code, the play before it is kept."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oa.features.clips import window_frames
from oa.features.compute import shot_factor_arrays
from oa.features.registry import all_factors
from oa.features.whatif import FOLLOW_SPOT, KEPT, same_value, shot_factors_at
from oa.rink import RINK, angle_to_net, distance_to_net
from oa.store import Store

# not changed by moving the shooter and the puck together: their speeds, the goalie, the game state
INVARIANT = (
    "puck_speed",
    "shooter_speed",
    "east_west",
    "goalie_depth",
    "goalie_speed",
    "goalie_set",
    "goalie_height",
    "shot_type",
    "score_diff",
    "period",
    "time_left_s",
    "lead_late_s",
    "strength",
    "empty_net",
    "is_home",
    "prev_event",
    "since_prev_s",
    "rebound",
)


def inputs(db, sql: str) -> dict:
    """One shot's what-if inputs, read as the dashboard reads them (`queries.whatif_inputs`)."""
    with Store(db, read_only=True) as s:
        sid = int(s.query(sql).iloc[0, 0])
        shot = s.query("SELECT * FROM shots WHERE shot_id = ?", [sid])
        r = shot.iloc[0]
        games = s.query("SELECT * FROM games WHERE game_id = ?", [int(r["game_id"])])
        events = s.query(
            "SELECT * FROM events WHERE game_id = ? AND event_idx <= ? ORDER BY event_idx",
            [int(r["game_id"]), int(r["event_idx"])],
        )
        players = s.query("SELECT player_id, shoots, height_in, position FROM players")
        frames = None
        if pd.notna(r["release_frame"]):
            rel = int(r["release_frame"])
            frames = s.query(
                "SELECT frame_idx, entity_id, team, x::DOUBLE AS x, y::DOUBLE AS y FROM frames "
                "WHERE game_id = ? AND frame_idx BETWEEN ? AND ?",
                [int(r["game_id"]), rel - window_frames(float(games["fps"].iloc[0])) + 1, rel],
            )
        stored = s.query("SELECT * FROM shot_features WHERE shot_id = ?", [sid])
    if stored.empty:  # a store without factors (the hand-made one): the batch code at the real spot
        real = shot_factor_arrays(shot, events, players, games, None, set())
        stored = pd.DataFrame({k: v for k, v in real.items()})
    stored = stored.iloc[0].to_dict()
    return dict(
        shot=shot,
        events=events,
        players=players,
        games=games,
        frames=frames,
        goalie_ids=set(players.loc[players["position"] == "G", "player_id"].astype(int)),
        stored=stored,
    )


@pytest.fixture(scope="module")
def tracked(model_store) -> dict:
    return inputs(
        model_store,
        "SELECT s.shot_id FROM shots s JOIN shot_features f USING (shot_id) WHERE "
        "f.feature_set = 'tracking' AND NOT s.empty_net AND f.distance > 40 "
        "AND s.flipped ORDER BY s.shot_id LIMIT 1",
    )


@pytest.fixture(scope="module")
def pbp_only(tiny_store) -> dict:
    return inputs(tiny_store, "SELECT shot_id FROM shots WHERE NOT empty_net ORDER BY shot_id LIMIT 1 OFFSET 5")


def at(d: dict, x: float, y: float) -> dict:
    return shot_factors_at(d["shot"], d["events"], d["players"], d["games"], d["frames"], d["goalie_ids"], x, y)


NAMES = [f.name for f in all_factors()]


def test_at_its_own_spot_a_shot_keeps_its_stored_factors(tracked, pbp_only):
    for d in (tracked, pbp_only):
        r = d["shot"].iloc[0]
        same = at(d, float(r["x"]), float(r["y"]))
        bad = [n for n in NAMES if not same_value(same[n], d["stored"][n])]
        assert not bad, [(n, same[n], d["stored"][n]) for n in bad]


spots = st.tuples(st.floats(RINK.blue_line_x + 1, RINK.goal_line_x - 1), st.floats(-38, 38))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spots)
def test_a_moved_tracked_shot_recomputes_what_follows_the_spot(tracked, spot):
    x, y = spot
    moved = at(tracked, x, y)
    stored = tracked["stored"]
    assert np.isclose(moved["distance"], distance_to_net(x, y)) and np.isclose(moved["angle"], angle_to_net(x, y))
    for n in KEPT + INVARIANT:
        assert same_value(moved[n], stored[n]) or np.isclose(float(moved[n]), float(stored[n]), atol=1e-6), n
    # the goalie did not move: his distance to square up is his distance to the spot square to the new puck
    assert np.isfinite(moved["goalie_travel"]) and moved["goalie_travel"] >= 0
    assert set(NAMES) - set(KEPT) - set(INVARIANT) <= set(FOLLOW_SPOT) | {
        "goalie_travel",
        "rush_pbp",
        "prev_x",
        "prev_by_team",
        "prev2_event",
        "since_prev2_s",
        "team_attempts_10s",
        "off_wing",
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spots)
def test_a_moved_play_by_play_shot_recomputes_its_location_factors(pbp_only, spot):
    x, y = spot
    moved = at(pbp_only, x, y)
    d = pbp_only
    there = shot_factor_arrays(d["shot"].assign(x=x, y=y), d["events"], d["players"], d["games"], None, set())
    for n in NAMES:
        assert same_value(moved[n], there[n][0]), n
    prev = d["stored"]
    assert np.isclose(moved["distance"], distance_to_net(x, y))
    if np.isfinite(prev["prev_x"]):  # the previous event stays where it was; the path to the shot changes
        assert np.isclose(moved["from_prev_ft"] ** 2 - moved["prev_east_west"] ** 2, (x - prev["prev_x"]) ** 2)
    for n in INVARIANT:
        if n in prev:
            assert same_value(moved[n], prev[n]), n


def test_one_shot_only(tracked):
    d = tracked
    two = pd.concat([d["shot"], d["shot"]])
    with pytest.raises(ValueError, match="one shot"):
        shot_factors_at(two, d["events"], d["players"], d["games"], d["frames"], d["goalie_ids"], 80.0, 0.0)
