"""The events -> shots derivation every play-by-play adapter shares (oa/sources/common.py), on
hand-made events: attacking direction, normalisation, wrong-end attempts, shoot-outs, missing positions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from oa.sources.common import IngestReport, attack_signs, game_bundle

GAME = dict(
    game_id=2023020001,
    source="test",
    season="2023-24",
    game_type="R",
    date=pd.Timestamp("2023-10-10"),
    home_team="TOR",
    away_team="MTL",
    home_score=0,
    away_score=0,
    periods=3,
    shootout=False,
    has_tracking=False,
    fps=None,
)


def events(rows: list[tuple]) -> pd.DataFrame:
    """(period, seconds, type, team, x, y, extra columns...) -> canonical events with helper columns."""
    out = []
    for period, sec, typ, team, x, y, *extra in rows:
        out.append(
            dict(
                period=period,
                period_seconds=float(sec),
                type=typ,
                team=team,
                player_id=8_000_001 if team == "TOR" else 8_000_002,
                player2_id=pd.NA,
                x=x,
                y=y,
                detail="WRIST",
                home_skaters=5,
                away_skaters=5,
                home_score=0,
                away_score=0,
                shooter_id=8_000_001.0 if team == "TOR" else 8_000_002.0,
                goalie_id=8_000_106.0,
                **(extra[0] if extra else {}),
            )
        )
    ev = pd.DataFrame(out)
    for c in ("player_id", "player2_id", "home_skaters", "away_skaters", "home_score", "away_score"):
        ev[c] = ev[c].astype("Int64")
    return ev


def test_direction_is_where_a_teams_attempts_are_and_fills_in_from_the_other_team_and_period():
    ev = events(
        [
            (1, 10, "SHOT", "TOR", 70.0, 5.0),
            (1, 20, "MISS", "TOR", 60.0, -5.0),
            (1, 30, "BLOCK", "TOR", -20.0, 0.0),  # blocks sit near the blocker: not used when others say
            (2, 40, "SHOT", "MTL", 75.0, 0.0),  # TOR has no attempt in period 2
            (3, 50, "HIT", "TOR", 0.0, 0.0),  # nobody shoots in period 3
        ]
    )
    signs = attack_signs(ev, "TOR", "MTL")
    assert signs[(1, "TOR")] == 1.0 and signs[(1, "MTL")] == -1.0, "the other team attacks the other way"
    assert signs[(2, "MTL")] == 1.0 and signs[(2, "TOR")] == -1.0
    assert signs[(3, "TOR")] == 1.0 and signs[(3, "MTL")] == -1.0, "teams switch ends every period"


def test_shots_are_normalised_flipped_where_recorded_at_the_other_end_and_counted():
    ev = events(
        [
            (1, 10, "SHOT", "TOR", 70.0, 5.0),
            (1, 20, "SHOT", "MTL", -80.0, 10.0),
            (1, 25, "GOAL", "MTL", -82.0, -3.0),
        ]
    )
    r = IngestReport("test")
    shots = game_bundle("test", GAME, ev, r).tables["shots"]
    np.testing.assert_allclose(shots["x"], [70.0, 80.0, 82.0])
    np.testing.assert_allclose(shots["y"], [5.0, -10.0, 3.0])
    assert shots["flipped"].tolist() == [False, True, True] and r.flipped == 2
    assert shots["score_for"].tolist() == [0, 0, 0] and shots["is_goal"].tolist() == [False, False, True]
    assert shots["strength"].tolist() == ["5v5"] * 3


def test_a_given_direction_wins_and_positions_past_the_boards_are_held_on_the_rink():
    ev = events(
        [
            (1, 10, "SHOT", "TOR", -70.0, 5.0, {"attack_sign": -1.0}),
            (1, 20, "SHOT", "TOR", -103.0, 44.0, {"attack_sign": -1.0}),
        ]
    )
    shots = game_bundle("test", GAME, ev, IngestReport("test")).tables["shots"]
    np.testing.assert_allclose(shots["x"], [70.0, 100.0])
    np.testing.assert_allclose(shots["y"], [-5.0, -42.5])


def test_an_attempt_at_the_wrong_end_for_its_zone_is_turned_to_its_zone_and_counted():
    ev = events(
        [
            (1, 10, "SHOT", "TOR", 70.0, 5.0, {"zone": "O"}),
            (1, 20, "SHOT", "TOR", 65.0, 0.0, {"zone": "O"}),
            (1, 30, "SHOT", "TOR", -60.0, 8.0, {"zone": "O"}),  # recorded at the wrong end
        ]
    )
    r = IngestReport("test")
    shots = game_bundle("test", GAME, ev, r).tables["shots"]
    np.testing.assert_allclose(shots["x"], [70.0, 65.0, 60.0])
    assert r.rejected["attempt recorded at the wrong end (flipped to its zone)"] == 1


def test_shootout_attempts_and_attempts_without_a_position_are_not_shots_and_are_counted():
    ev = events(
        [
            (1, 10, "SHOT", "TOR", 70.0, 5.0, {"shootout": False}),
            (1, 20, "MISS", "TOR", np.nan, np.nan, {"shootout": False}),
            (5, 0, "GOAL", "MTL", -80.0, 0.0, {"shootout": True}),
        ]
    )
    r = IngestReport("test")
    b = game_bundle("test", GAME, ev, r)
    assert len(b.tables["shots"]) == 1 and len(b.tables["events"]) == 2, "the miss stays an event"
    assert r.shootout_skipped == 1 and r.missing_coords == 1


def test_an_attempt_with_no_known_direction_is_rejected_not_guessed():
    ev = events([(1, 10, "SHOT", None, 70.0, 5.0)])  # no team: no direction to read
    r = IngestReport("test")
    shots = game_bundle("test", GAME, ev, r).tables["shots"]
    assert len(shots) == 0 and r.rejected["attempt with no known attacking direction"] == 1


@pytest.mark.parametrize("period,seconds,expected", [(1, 0.0, 0.0), (2, 30.0, 1230.0), (4, 100.0, 3700.0)])
def test_game_seconds_run_on_from_period_to_period(period, seconds, expected):
    ev = events([(period, seconds, "SHOT", "TOR", 70.0, 5.0)])
    b = game_bundle("test", GAME, ev, IngestReport("test"))
    assert b.tables["events"]["game_seconds"].iloc[0] == expected
