"""Factors play-by-play can support: the shot's row, the previous event, the game state.

Each function takes the shot context (`oa.features.context`) and returns one value per
shot. They are used by both feature sets; tracking games simply have better versions of
some of them (see `oa.features.tracking`).
"""

from __future__ import annotations

import numpy as np

from oa.features.context import Ctx
from oa.features.registry import PBP, TRACKING, factor, say_bool, say_cat, say_count, say_num, unknown
from oa.rink import PERIOD_S, REGULAR_SEASON_OT_S, RINK, angle_to_net, distance_to_net
from oa.vocab import SHOT_TYPE_PHRASES, SHOT_TYPES, STRENGTH_WORDS, STRENGTHS, strength_codes
from oa.vocab import off_wing as _off_wing

BOTH = (PBP, TRACKING)
REBOUND_S = 3.0  # an attempt this soon after the team's previous attempt is a rebound
RUSH_S = 4.0  # ... this soon after an event outside the zone is a rush

PREV_EVENTS = (
    "FACEOFF",
    "SHOT",
    "MISS",
    "BLOCK",
    "GOAL",
    "HIT",
    "TAKEAWAY",
    "GIVEAWAY",
    "PASS",
    "ZONE_ENTRY",
    "PENALTY",
    "STOPPAGE",
    "OTHER",
    "NONE",
)


@factor("distance", "Distance", "ft", "num", "location", BOTH, say_num("{:.0f} ft from the net"))
def distance(ctx: Ctx) -> np.ndarray:
    """Straight-line distance from the release point to the centre of the goal line."""
    return distance_to_net(ctx["x"], ctx["y"])


@factor("angle", "Angle", "deg", "num", "location", BOTH, say_num("{:.0f}° off the centre line"))
def angle(ctx: Ctx) -> np.ndarray:
    """Angle off the net's centre line (0 straight on, 90 from the goal line)."""
    return angle_to_net(ctx["x"], ctx["y"])


@factor(
    "shot_type",
    "Shot type",
    "",
    "cat",
    "shot",
    BOTH,
    say_cat(SHOT_TYPE_PHRASES),
    categories=SHOT_TYPES,
)
def shot_type(ctx: Ctx) -> np.ndarray:
    """Wrist, snap, slap, backhand, tip, deflection or wraparound; missing when the source does not say.

    An unknown type is missing, not a category: sources differ in which shots lack a type
    (hockeyR 2023-24 leaves most misses blank, hockey_scraper a handful of goals), so
    "unknown" would teach the model a source's habit instead of a shot's quality.
    """
    t = ctx["shot_type"].astype(object)
    return np.where(t == "UNKNOWN", None, t).astype(object)


@factor(
    "off_wing",
    "Off wing",
    "",
    "bool",
    "location",
    BOTH,
    say_bool("shooting from the off wing", "shooting from the strong side", missing="shooter's hand unknown"),
)
def off_wing(ctx: Ctx) -> np.ndarray:
    """A left shot shooting from the right side (or a right shot from the left) opens the net."""
    return _off_wing(ctx["shoots"], ctx["y"])


@factor(
    "prev_event",
    "Previous event",
    "",
    "cat",
    "movement",
    BOTH,
    say_cat(
        {
            "FACEOFF": "right off a faceoff",
            "SHOT": "after a shot on goal",
            "MISS": "after a missed shot",
            "BLOCK": "after a blocked shot",
            "GOAL": "after a goal",
            "HIT": "after a hit",
            "TAKEAWAY": "after a takeaway",
            "GIVEAWAY": "after a giveaway",
            "PASS": "after a pass",
            "ZONE_ENTRY": "after a zone entry",
            "PENALTY": "after a penalty",
            "STOPPAGE": "after a stoppage",
            "OTHER": "after another event",
            "NONE": "first event of the period",
        }
    ),
    categories=PREV_EVENTS,
)
def prev_event(ctx: Ctx) -> np.ndarray:
    """The play event just before the shot (either team)."""
    return _event_category(ctx["prev_type"])


def _event_category(t: np.ndarray) -> np.ndarray:
    """An event type as one of PREV_EVENTS; anything else, including no event at all, is OTHER.

    The context gives NaN (not None) for "no event", so NONE never comes out: that is how the
    stored models were trained (an API request without events must keep its rating), so it stays.
    """
    known = np.isin(t, PREV_EVENTS)
    return np.where(known, t, np.where(t == None, "NONE", "OTHER")).astype(object)  # noqa: E711


@factor(
    "since_prev_s",
    "Time since previous event",
    "s",
    "num",
    "movement",
    BOTH,
    say_num("{:.0f} s after the previous event", missing="no earlier event this period"),
    step=1.0,
)
def since_prev_s(ctx: Ctx) -> np.ndarray:
    """Seconds since the previous play event in the period."""
    return np.clip(ctx["prev_dt"], 0, None)


@factor(
    "from_prev_ft",
    "Distance from previous event",
    "ft",
    "num",
    "movement",
    (PBP,),
    say_num("{:.0f} ft from the previous event", missing="previous event not located"),
)
def from_prev_ft(ctx: Ctx) -> np.ndarray:
    """How far the puck travelled since the previous event (straight line)."""
    return np.hypot(ctx["x"] - ctx["prev_x"], ctx["y"] - ctx["prev_y"])


@factor(
    "prev_speed",
    "Speed from previous event",
    "ft/s",
    "num",
    "movement",
    (PBP,),
    say_num("puck moved {:.0f} ft/s since the previous event", missing="unknown"),
)
def prev_speed(ctx: Ctx) -> np.ndarray:
    """Distance from the previous event over the time since it (a proxy for quick puck movement)."""
    return from_prev_ft(ctx) / np.maximum(ctx["prev_dt"], 1.0)


@factor(
    "prev_by_team",
    "Previous event by",
    "",
    "cat",
    "movement",
    (PBP,),
    say_cat(
        {
            "SAME": "previous event by the shooting team",
            "OPP": "previous event by the opponent",
            "NONE": "no team on the previous event",
        }
    ),
    categories=("SAME", "OPP", "NONE"),
)
def prev_by_team(ctx: Ctx) -> np.ndarray:
    """Whose event came just before: a shot right after the opponent's giveaway is a different chance."""
    pt = ctx["prev_team"]
    return np.where(pt == "", "NONE", np.where(pt == ctx["team"], "SAME", "OPP")).astype(object)


@factor(
    "prev_x",
    "Where the previous event was",
    "ft",
    "num",
    "movement",
    (PBP,),
    say_num("previous event {:.0f} ft from centre ice toward the net", missing="previous event not located"),
)
def prev_x(ctx: Ctx) -> np.ndarray:
    """Previous event's position along the rink, toward the attacked net (negative: the shooting team's own half)."""
    return ctx["prev_x"]


@factor(
    "prev_east_west",
    "East-west since previous event",
    "ft",
    "num",
    "movement",
    (PBP,),
    say_num("puck moved {:.0f} ft across the ice since the previous event", missing="previous event not located"),
)
def prev_east_west(ctx: Ctx) -> np.ndarray:
    """Lateral distance between the previous event and the shot (a cross-ice play moves the goalie)."""
    return np.abs(ctx["y"] - ctx["prev_y"])


@factor(
    "prev2_event",
    "Event before that",
    "",
    "cat",
    "movement",
    (PBP,),
    say_cat(
        {
            "FACEOFF": "a faceoff before that",
            "SHOT": "a shot on goal before that",
            "MISS": "a missed shot before that",
            "BLOCK": "a blocked shot before that",
            "GOAL": "a goal before that",
            "HIT": "a hit before that",
            "TAKEAWAY": "a takeaway before that",
            "GIVEAWAY": "a giveaway before that",
            "PASS": "a pass before that",
            "ZONE_ENTRY": "a zone entry before that",
            "PENALTY": "a penalty before that",
            "STOPPAGE": "a stoppage before that",
            "OTHER": "another event before that",
            "NONE": "nothing earlier this period",
        }
    ),
    categories=PREV_EVENTS,
)
def prev2_event(ctx: Ctx) -> np.ndarray:
    """The play event before the previous one: one event of context says "after a hit", two say
    "a hit, then a takeaway" (a turnover sequence) or "a faceoff, then a shot" (a set play)."""
    return _event_category(ctx["prev2_type"])


@factor(
    "since_prev2_s",
    "Time since the event before that",
    "s",
    "num",
    "movement",
    (PBP,),
    say_num("{:.0f} s after the event before the previous one", missing="no such event this period"),
    step=1.0,
)
def since_prev2_s(ctx: Ctx) -> np.ndarray:
    """Seconds since the play event before the previous one: how fast the last two plays came."""
    return np.clip(ctx["prev2_dt"], 0, None)


@factor(
    "team_attempts_10s",
    "Attempts in the last 10 s",
    "attempts",
    "num",
    "movement",
    (PBP,),
    say_count(
        "no attempt by the team in the last 10 s",
        "1 earlier attempt by the team in the last 10 s",
        "{} earlier attempts by the team in the last 10 s",
    ),
)
def team_attempts_10s(ctx: Ctx) -> np.ndarray:
    """The shooting team's attempts (blocked ones too) in the 10 s before this one, this period:
    sustained pressure leaves a scrambling defence, which a single 'rebound' flag does not count."""
    return ctx["team_att_10s"].astype(float)


@factor("rebound", "Rebound", "", "bool", "movement", BOTH, say_bool("a rebound", "not a rebound"))
def rebound(ctx: Ctx) -> np.ndarray:
    """The shooting team had an attempt within the last 3 s."""
    return (ctx["prev_att_dt"] <= REBOUND_S).astype(float)


@factor(
    "rebound_angle",
    "Rebound angle change",
    "deg",
    "num",
    "movement",
    BOTH,
    say_num("goalie had to swing {:.0f}° from the first shot", missing="not a rebound"),
)
def rebound_angle(ctx: Ctx) -> np.ndarray:
    """For rebounds: how far the angle to the net moved between the first shot and this one."""
    a0 = np.degrees(np.arctan2(ctx["prev_att_y"], RINK.goal_line_x - ctx["prev_att_x"]))
    a1 = np.degrees(np.arctan2(ctx["y"], RINK.goal_line_x - ctx["x"]))
    d = np.abs((a1 - a0 + 180.0) % 360.0 - 180.0)
    return np.where(ctx["prev_att_dt"] <= REBOUND_S, d, np.nan)


@factor(
    "rebound_angle_speed",
    "Rebound angle speed",
    "deg/s",
    "num",
    "movement",
    (PBP,),
    say_num("angle changed {:.0f}° per second since the first shot", missing="not a rebound"),
)
def rebound_angle_speed(ctx: Ctx) -> np.ndarray:
    """Rebound angle change over the time since the first shot: how fast the goalie had to move."""
    return rebound_angle(ctx) / np.maximum(ctx["prev_att_dt"], 0.5)


@factor(
    "rush_pbp", "Rush (play-by-play)", "", "bool", "movement", (PBP,), say_bool("off the rush", "set play in the zone")
)
def rush_pbp(ctx: Ctx) -> np.ndarray:
    """The previous event was outside the attacking zone within the last 4 s."""
    return ((ctx["prev_dt"] <= RUSH_S) & (ctx["prev_x"] < RINK.blue_line_x)).astype(float)


@factor("strength", "Strength", "", "cat", "state", BOTH, say_cat(STRENGTH_WORDS), categories=STRENGTHS)
def strength(ctx: Ctx) -> np.ndarray:
    """Skaters on the ice from the shooter's side: 5-on-5, power play, shorthanded, 4-on-4, 3-on-3, pulled goalies."""
    return strength_codes(ctx["skaters_for"], ctx["skaters_against"], ctx["empty_net"])


@factor("empty_net", "Empty net", "", "bool", "goalie", BOTH, say_bool("empty net", "goalie in net"))
def empty_net(ctx: Ctx) -> np.ndarray:
    """The defending goalie was off the ice."""
    return ctx["empty_net"]


def _say_score(v: object) -> str:
    if unknown(v):
        return "score unknown"
    d = int(round(float(v)))  # type: ignore[arg-type]
    more = "+" if abs(d) == 3 else ""
    return "tied" if d == 0 else (f"leading by {abs(d)}{more}" if d > 0 else f"trailing by {abs(d)}{more}")


def _say_period(v: object) -> str:
    if unknown(v):
        return "period unknown"
    k = int(float(v))  # type: ignore[arg-type]
    return "overtime" if k >= 4 else ("1st", "2nd", "3rd")[max(k, 1) - 1] + " period"


def _say_clock(v: object) -> str:
    if unknown(v):
        return "time unknown"
    sec = int(round(float(v)))  # type: ignore[arg-type]
    return f"{sec // 60}:{sec % 60:02d} left in the period"


@factor("score_diff", "Score", "goals", "num", "state", BOTH, _say_score)
def score_diff(ctx: Ctx) -> np.ndarray:
    """The shooting team's lead before the shot (trailing teams press, leading teams sit back)."""
    return np.clip(ctx["score_for"].astype(float) - ctx["score_against"].astype(float), -3, 3)


@factor("period", "Period", "", "num", "state", BOTH, _say_period)
def period(ctx: Ctx) -> np.ndarray:
    """Period number; 4 and up are overtime."""
    return np.minimum(ctx["period"].astype(float), 4.0)


@factor("time_left_s", "Time left in period", "s", "num", "state", BOTH, _say_clock, step=10.0)
def time_left_s(ctx: Ctx) -> np.ndarray:
    """Seconds left in the period (regular-season overtime is 5 minutes)."""
    per = ctx["period"].astype(float)
    length = np.where((per > 3) & (ctx["game_type"] != "P"), REGULAR_SEASON_OT_S, PERIOD_S)
    return np.clip(length - ctx["period_seconds"].astype(float), 0, None)


LEAD_LATE_MAX = 3  # a lead of more than three goals: nobody pulls the goalie


def _say_lead_late(v: object) -> str:
    if unknown(v):
        return "not defending a late lead"
    sec = int(round(float(v)))  # type: ignore[arg-type]
    return f"leading late, {sec // 60}:{sec % 60:02d} left: the trailing team may have pulled its goalie"


@factor("lead_late_s", "Leading late", "s", "num", "state", (PBP,), _say_lead_late, step=10.0)
def lead_late_s(ctx: Ctx) -> np.ndarray:
    """Seconds left in the third period when the shooting team leads by one to three goals, else
    blank. A trailing team pulls its goalie in the last minutes, so these shots find empty nets far
    more often (MoneyPuck 2024-25: 43% of the attempts of a team leading by one or two in the last
    three minutes went in, against 7% of all): where the feed does not say whether the net was empty
    (MoneyPuck's extract), this is how the model knows to expect it."""
    lead = ctx["score_for"].astype(float) - ctx["score_against"].astype(float)
    per = ctx["period"].astype(float)
    late = (per == 3) & (lead >= 1) & (lead <= LEAD_LATE_MAX)
    return np.where(late, np.clip(PERIOD_S - ctx["period_seconds"].astype(float), 0, None), np.nan)


@factor("is_home", "Home team", "", "bool", "state", BOTH, say_bool("home team shooting", "away team shooting"))
def is_home(ctx: Ctx) -> np.ndarray:
    """Home teams shoot a little better (and home scorers record a little differently)."""
    return ctx["is_home"].astype(float)


@factor(
    "goalie_height",
    "Goalie height",
    "in",
    "num",
    "goalie",
    BOTH,
    say_num("goalie is {:.0f} in tall", missing="goalie height unknown"),
)
def goalie_height(ctx: Ctx) -> np.ndarray:
    """Height of the goalie in net, from the roster."""
    return ctx["goalie_height"].astype(float)
