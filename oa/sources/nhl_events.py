"""The NHL stats API's event type codes (the legacy statsapi, 2010-2023), in our vocabulary.

Two adapters read them: the legacy statsapi feed itself (`oa.sources.nhl_api`) and hockeyR,
which keeps the statsapi's codes in its `event_type` column. One table, so the two never
disagree about what a "MISSED_SHOT" or a "STOP" is.
"""

from __future__ import annotations

STATSAPI_EVENTS = {
    "FACEOFF": "FACEOFF",
    "SHOT": "SHOT",
    "MISSED_SHOT": "MISS",
    "BLOCKED_SHOT": "BLOCK",
    "GOAL": "GOAL",
    "HIT": "HIT",
    "GIVEAWAY": "GIVEAWAY",
    "TAKEAWAY": "TAKEAWAY",
    "PENALTY": "PENALTY",
    "STOP": "STOPPAGE",
    "PERIOD_START": "PERIOD_START",
    "PERIOD_END": "PERIOD_END",
    "GAME_END": "GAME_END",
}
