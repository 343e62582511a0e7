"""Hand-made shot cards for the graphic tests: one tracked goal, one untracked unrated shot, one hostile."""

from __future__ import annotations

import pandas as pd

from oa.broadcast.data import ShotCard, Travel

FACTOR_WORDS = ("goalie had to move 6 ft to square up", "12 ft from the net", "puck moved 76° around the net")


def card(**shot: object) -> ShotCard:
    s = dict(
        shot_id=920250200010040,
        x=77.0,
        y=-4.0,
        outcome="GOAL",
        shot_type="DEFLECTED",
        period=2,
        period_seconds=634,
        team="WES",
        opponent="RIV",
        team_name="Westfield Wardens",
        opponent_name="Riverton Otters",
        shooter="Cole Jensen",
        shooter_number=83,
        goalie="Kasper Stromberg",
        p_goal=0.243,
        tier="high",
        home_team="WES",
        away_team="RIV",
        date="2025-10-07",
        empty_net=False,
    )
    s.update(shot)
    factors = pd.DataFrame(
        {
            "factor": ["goalie_travel", "distance", "angle_change", "period"],
            "value_label": [*FACTOR_WORDS, "2nd period"],
            "contribution": [0.9, 0.4, -0.3, 0.01],
            "contribution_pp": [11.2, 4.1, -3.0, 0.1],
        }
    )
    return ShotCard(s, factors, Travel((83.7, 0.4), (86.2, -4.5)))


def untracked(**shot: object) -> ShotCard:
    c = card(**shot)
    return ShotCard({**c.shot, "p_goal": None, "tier": None, "shooter_number": None}, c.factors.iloc[:0], None)
