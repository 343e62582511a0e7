"""The project's vocabulary: every code, its words, and the rules that derive codes, in one module.

Like socceraction's spadl/config.py: the store's codes (event types, shot types, outcomes,
tiers, strengths, hands, game types) are declared once here, with what a broadcaster reads
for each, so a wraparound is "Wraparound" everywhere and a tier's colour means that tier and
nothing else. The small rules that turn raw facts into codes live beside them (a shot's
strength from the skaters on the ice, the off wing from the hand and the side, the logistic
link), so a feature, a page and the simulator cannot disagree. It also holds the one rule
for diverging maps and signed numbers: the colour of "good for the subject" is the same
everywhere, and captions are generated from that setting.

Imports numpy and nothing else of weight, and nothing from `oa`: every layer, the schema
included, may use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import overload

import numpy as np

# -- events ------------------------------------------------------------------------------------
EVENT_TYPES = (
    "PERIOD_START",
    "PERIOD_END",
    "GAME_END",
    "FACEOFF",
    "ZONE_ENTRY",
    "PASS",
    "SHOT",
    "MISS",
    "GOAL",
    "BLOCK",
    "PENALTY",
    "PENALTY_END",
    "GOALIE_PULLED",
    "GOALIE_BACK",
    "HIT",
    "TAKEAWAY",
    "GIVEAWAY",
    "STOPPAGE",
    "OTHER",
)
ATTEMPTS = ("SHOT", "MISS", "GOAL", "BLOCK")  # shot attempts (Corsi): the events that become shots
UNBLOCKED = ("SHOT", "MISS", "GOAL")  # attempts that got past the skaters (Fenwick)

# -- shot types: codes -> words ------------------------------------------------------------------
SHOT_TYPES = ("WRIST", "SNAP", "SLAP", "BACKHAND", "TIP", "DEFLECTION", "WRAP", "UNKNOWN")
SHOT_TYPE_WORDS: dict[str, str] = {
    "WRIST": "Wrist",
    "SNAP": "Snap",
    "SLAP": "Slap",
    "BACKHAND": "Backhand",
    "TIP": "Tip-in",
    "DEFLECTION": "Deflection",
    "WRAP": "Wraparound",
    "UNKNOWN": "Unknown type",
}
# ... and inside a factor's sentence ("a wrist shot from the slot")
SHOT_TYPE_PHRASES: dict[str, str] = {t: f"{t.lower()} shot" for t in SHOT_TYPES} | {
    "TIP": "tip-in",
    "DEFLECTION": "deflection",
    "WRAP": "wraparound",
    "UNKNOWN": "shot type unknown",
}


def shot_type_word(code: object) -> str:
    """A shot type in words; a code outside the schema is shown capitalised, never as a raw code."""
    if code is None or code != code:  # None or NaN
        return SHOT_TYPE_WORDS["UNKNOWN"]
    s = str(code)
    return SHOT_TYPE_WORDS.get(s.upper(), s.replace("_", " ").capitalize())


# -- outcomes -------------------------------------------------------------------------------------
OUTCOMES = ("GOAL", "SAVE", "MISS", "BLOCK")
OUTCOME_WORDS = {"GOAL": "Goal", "SAVE": "Save", "MISS": "Miss", "BLOCK": "Blocked"}
# outcome is a marker shape (colour is the tier)
OUTCOME_SYMBOLS = {"GOAL": "star", "SAVE": "circle", "MISS": "diamond", "BLOCK": "square"}
OUTCOME_SIZES = {"GOAL": 13, "SAVE": 8, "MISS": 7, "BLOCK": 7}
# an attempt's event type -> the shot's outcome (a SHOT event is a shot on goal the goalie stopped)
OUTCOME_OF_EVENT = {"SHOT": "SAVE", "MISS": "MISS", "GOAL": "GOAL", "BLOCK": "BLOCK"}
EVENT_OF_OUTCOME = {o: e for e, o in OUTCOME_OF_EVENT.items()}


def outcome_word(code: object) -> str:
    return OUTCOME_WORDS.get(str(code), str(code).capitalize())


# -- danger tiers: their colours mean tiers and nothing else --------------------------------------
# Paul Tol's high-contrast scheme: colour-blind safe and distinct in greyscale too;
# low -> medium -> high read as cool -> warm.
TIERS = ("low", "medium", "high")
TIER_WORDS = {"low": "Low", "medium": "Medium", "high": "High"}
TIER_COLORS = {"low": "#004488", "medium": "#DDAA33", "high": "#BB5566"}
TIER_TEXT_COLORS = {"low": "#ffffff", "medium": "#1f2933", "high": "#ffffff"}  # readable on the tier colour
UNRATED_COLOR = "#9aa5b1"
UNRATED_WORD = "Not rated"


def tier_word(tier: object) -> str:
    return TIER_WORDS.get(str(tier), UNRATED_WORD)


def tier_color(tier: object) -> str:
    return TIER_COLORS.get(str(tier), UNRATED_COLOR)


# -- strength: who has how many skaters, from the shooter's side ------------------------------------
# The store keeps the raw facts (skaters_for, skaters_against, empty_net: the defending
# goalie off the ice) and a label of the counts ("5v4", `skaters_label`); the strength
# factor reads them as one of these codes (`strength_codes`). A pulled goalie of the
# shooting team shows as a sixth skater.
STRENGTHS = ("5v5", "PP", "SH", "4v4", "3v3", "EA", "vsEA")
STRENGTH_WORDS = {
    "5v5": "5-on-5",
    "PP": "on the power play",
    "SH": "shorthanded",
    "4v4": "4-on-4",
    "3v3": "3-on-3",
    "EA": "extra attacker (own goalie pulled)",
    "vsEA": "opponent's goalie pulled",
}
# the strengths a benchmark or training report breaks its figures down by, and its name for each
REPORTED_STRENGTHS = {"5v5": "5v5", "PP": "PP", "SH": "PK", "vsEA": "empty net"}
# the sidebar's strength choices, as SQL over the shot view s (the shooter's view); they group
# skater counts, whoever's net is empty (empty-net shots have their own filter in the app)
STRENGTH_FILTERS = {
    "5v5": "s.strength = '5v5' AND NOT s.empty_net",
    "Power play": "s.skaters_for > s.skaters_against AND NOT s.empty_net",
    "Shorthanded": "s.skaters_for < s.skaters_against",
    "4v4 / 3v3": "s.skaters_for = s.skaters_against AND s.skaters_for < 5",
}


def strength_codes(skaters_for: object, skaters_against: object, empty_net: object) -> np.ndarray:
    """Each shot's strength code (object array; None where a skater count is unknown).

    The rule, first match wins: a count unknown -> None; the defending net empty -> vsEA;
    six skaters (own goalie pulled) -> EA; even at 4 or 3 -> 4v4, 3v3; more -> PP; fewer -> SH;
    otherwise 5v5.
    """
    sf = np.asarray(skaters_for, dtype=float)
    sa = np.asarray(skaters_against, dtype=float)
    out = np.where(sf > sa, "PP", np.where(sf < sa, "SH", "5v5")).astype(object)
    out[(sf == sa) & (sf == 4)] = "4v4"
    out[(sf == sa) & (sf == 3)] = "3v3"
    out[sf >= 6] = "EA"
    out[np.asarray(empty_net, dtype=float) == 1.0] = "vsEA"
    out[~(np.isfinite(sf) & np.isfinite(sa))] = None
    return out


def strength_code(skaters_for: float | None, skaters_against: float | None, empty_net: bool | None) -> str | None:
    """One shot's strength code (`strength_codes` for a single shot)."""
    nan = float("nan")
    sf, sa = (nan if v is None else v for v in (skaters_for, skaters_against))
    en = nan if empty_net is None else float(empty_net)
    return strength_codes([sf], [sa], [en])[0]


@overload
def skaters_label(skaters_for: int, skaters_against: int) -> str: ...
@overload
def skaters_label(skaters_for: float | None, skaters_against: float | None) -> str | None: ...
def skaters_label(skaters_for: float | None, skaters_against: float | None) -> str | None:
    """The stored strength column: '5v4' from the shooter's side; None when a count is unknown."""
    if (
        skaters_for is None
        or skaters_against is None
        or skaters_for != skaters_for
        or skaters_against != skaters_against
    ):
        return None
    return f"{int(skaters_for)}v{int(skaters_against)}"


def skaters_of(label: str) -> tuple[int, int]:
    """The two skater counts of a strength label ('5v4' -> (5, 4)); `skaters_label` read back."""
    a, b = label.split("v")
    return int(a), int(b)


# -- hands and the off wing ---------------------------------------------------------------------------
HANDS = ("L", "R")
HAND_WORDS = {"L": "Left", "R": "Right"}


def off_wing(shoots: object, y: object) -> np.ndarray:
    """1.0 where the shooter is on his off wing, 0.0 on his strong side, NaN when the hand is unknown.

    In the shooter's frame (attacking the net at +x), a left shot shooting from y < 0 (the
    right side) or a right shot from y > 0 has the whole net on his forehand: the off wing.
    """
    hand = np.asarray(shoots, dtype=object)
    yy = np.asarray(y, dtype=float)
    out = np.where(((hand == "L") & (yy < 0)) | ((hand == "R") & (yy > 0)), 1.0, 0.0)
    return np.where((hand == "L") | (hand == "R"), out, np.nan)


# -- games and players ---------------------------------------------------------------------------------
GAME_TYPES = ("R", "P", "O")
GAME_TYPE_WORDS = {"R": "regular season", "P": "playoffs", "O": "other"}
POSITIONS = ("C", "LW", "RW", "D", "G")
FORWARDS = ("C", "LW", "RW")

# Time on ice is kept for all situations and for five-on-five (where on-ice shares mean the most).
SITUATIONS = ("all", "5v5")
SITUATION_WORDS = {"all": "All situations", "5v5": "5 on 5"}
# How a player's time on ice was known: from shifts (NHL shift charts, the simulator's own shifts),
# or estimated from the players listed on the ice at each play-by-play event (labelled as such).
TOI_METHODS = ("shifts", "estimated")


def game_type(code: object) -> str:
    """A provider's game type as ours: regular season ('R') and playoffs ('P') kept, anything else 'O'."""
    return str(code) if code in ("R", "P") else "O"


# -- the logistic link: log-odds -> probability ------------------------------------------------------------
@overload
def sigmoid(z: float) -> float: ...
@overload
def sigmoid(z: np.ndarray) -> np.ndarray: ...
def sigmoid(z: float | np.ndarray) -> float | np.ndarray:
    """1 / (1 + e^-z): a float for a number, an array for an array (the model's and the simulator's link)."""
    p = 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))
    return float(p) if p.ndim == 0 else p


# Colours for things that are neither a tier nor good/bad (a model's bars, a calibration curve)
NEUTRAL_COLOR = "#5f6b7a"
INK = "#1f2933"


# -- counting in words -------------------------------------------------------------------------------


def plural(n: float, word: str, many: str | None = None, digits: int = 0) -> str:
    """'1 shot', '2 shots', '1,204 shots', '0 goals'; `many` for irregular plurals ('1 body', '2 bodies')."""
    value = f"{n:,.{digits}f}"
    one = value == f"{1:.{digits}f}"
    return f"{value} {word if one else (many or word + 's')}"


# -- the one rule for diverging colours ----------------------------------------------------------------


@dataclass(frozen=True)
class GoodBad:
    """Which colour means "good for the subject" and which "bad", on every map and table.

    Diverging maps plot values where positive is good for the subject (goals above
    expected for a shooter, goals saved above expected for a goalie); `colorscale()` puts
    `good` at the top, and `caption()` names the colours from the same setting.
    ColorBrewer PRGn: colour-blind safe, and neither hue is a tier colour.
    """

    good: str = "#1b7837"
    good_name: str = "green"
    bad: str = "#762a83"
    bad_name: str = "purple"
    middle: str = "#f7f7f7"

    def colorscale(self) -> list[list]:
        """Plotly colour scale from bad (lowest) through neutral (0) to good (highest)."""
        return [[0.0, self.bad], [0.5, self.middle], [1.0, self.good]]

    def color(self, value: float) -> str | None:
        """The colour of a signed number (positive: good for the subject); None for zero or unknown."""
        if value is None or value != value or value == 0:
            return None
        return self.good if value > 0 else self.bad

    def caption(self, good: str, bad: str) -> str:
        """'Green: <good>; purple: <bad>.' in the colours this setting draws."""
        return f"{self.good_name.capitalize()}: {good}; {self.bad_name}: {bad}."


GOOD_BAD = GoodBad()
