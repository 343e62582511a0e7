"""The two-event and recent-pressure factors read the right earlier events, and only those."""

import numpy as np
import pandas as pd

from oa.features.context import shot_context
from oa.features.pbp import prev2_event, prev_event, since_prev2_s, team_attempts_10s
from oa.features.registry import factor_named, feature_set

# one period: faceoff, then team A shoots at 2 s, misses at 5 s, is blocked at 8 s, shoots at 12 s;
# B's hit at 10 s is between; A's last attempt at 30 s comes after a quiet spell; a new period follows
EVENTS = [  # type, team, period, seconds
    ("PERIOD_START", None, 1, 0.0),
    ("FACEOFF", "A", 1, 0.0),
    ("SHOT", "A", 1, 2.0),
    ("MISS", "A", 1, 5.0),
    ("BLOCK", "A", 1, 8.0),
    ("HIT", "B", 1, 10.0),
    ("SHOT", "A", 1, 12.0),
    ("SHOT", "A", 1, 30.0),
    ("PERIOD_START", None, 2, 1200.0),
    ("FACEOFF", "B", 2, 1200.0),
    ("SHOT", "A", 2, 1205.0),
]


def _tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    gid = 2018020001
    ev = pd.DataFrame(EVENTS, columns=["type", "team", "period", "game_seconds"]).assign(
        game_id=gid, event_idx=np.arange(len(EVENTS)), x=60.0, y=0.0
    )
    ev["period_seconds"] = ev["game_seconds"] - 1200.0 * (ev["period"] - 1)
    s = ev[ev["type"].isin(["SHOT", "MISS", "BLOCK"])].copy()
    shots = pd.DataFrame(
        {
            "shot_id": gid * 10000 + s["event_idx"],
            "game_id": gid,
            "event_idx": s["event_idx"],
            "period": s["period"],
            "period_seconds": s["period_seconds"],
            "game_seconds": s["game_seconds"],
            "team": "A",
            "is_home": True,
            "shooter_id": 1.0,
            "goalie_id": 2.0,
            "x": 60.0,
            "y": 5.0,
            "flipped": False,
            "shot_type": "WRIST",
            "skaters_for": 5.0,
            "skaters_against": 5.0,
            "empty_net": 0.0,
            "score_for": 0.0,
            "score_against": 0.0,
            "release_frame": np.nan,
        }
    ).reset_index(drop=True)
    players = pd.DataFrame({"player_id": [1, 2], "shoots": ["L", None], "height_in": [np.nan, 74.0]})
    games = pd.DataFrame({"game_id": [gid], "game_type": ["R"]})
    return shots, ev, players, games


def test_second_previous_event_and_recent_attempts():
    shots, ev, players, games = _tables()
    ctx = shot_context(shots, ev, players, games)
    # shots in order: SHOT 2 s, MISS 5 s, BLOCK 8 s, SHOT 12 s, SHOT 30 s, SHOT 1205 s (period 2)
    assert prev_event(ctx).tolist() == ["FACEOFF", "SHOT", "MISS", "HIT", "SHOT", "FACEOFF"]
    assert prev2_event(ctx).tolist() == [
        "OTHER",
        "FACEOFF",
        "SHOT",
        "BLOCK",
        "HIT",
        "OTHER",
    ]  # none: OTHER, as prev_event
    np.testing.assert_allclose(since_prev2_s(ctx), [np.nan, 5.0, 6.0, 4.0, 20.0, np.nan])
    # 12 s: the attempts at 2, 5 and 8 s (12 - 2 = 10 counts; the hit does not); 30 s: none within 10 s
    assert team_attempts_10s(ctx).tolist() == [0.0, 1.0, 2.0, 3.0, 0.0, 0.0]


def test_later_events_change_nothing():
    shots, ev, players, games = _tables()
    base = shot_context(shots, ev, players, games)
    later = ev.copy()
    after = later["event_idx"] > 6  # everything after the 12 s shot
    later.loc[after, "type"] = "SHOT"
    later.loc[after, "game_seconds"] = 11.0
    ctx = shot_context(shots, later, players, games)
    for f in (prev2_event, since_prev2_s, team_attempts_10s):
        np.testing.assert_array_equal(f(base)[:4], f(ctx)[:4])


def test_factors_are_play_by_play_only_and_said():
    names = [f.name for f in feature_set("pbp")]
    assert {"prev2_event", "since_prev2_s", "team_attempts_10s"} <= set(names)
    assert "team_attempts_10s" not in [f.name for f in feature_set("tracking")]
    say = factor_named("team_attempts_10s").say
    assert (
        say(0.0) == "no attempt by the team in the last 10 s"
        and say(3.0) == "3 earlier attempts by the team in the last 10 s"
    )
    assert factor_named("prev2_event").say("HIT") == "a hit before that"
