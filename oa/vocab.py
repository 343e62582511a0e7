"""The words and colours the app shows for the store's codes: one vocabulary for every page and chart.

Like socceraction's spadl/config.py: the schema's codes (shot types, outcomes, tiers) mapped
once to what a broadcaster reads, so a wraparound is "Wraparound" everywhere and a tier's
colour means that tier and nothing else. It also holds the one rule for diverging maps and
signed numbers: the colour of "good for the subject" (the shooter, the goalie, the team) is
the same everywhere, and captions are generated from that setting, so a caption cannot say
the opposite of its colours.

Depends on `oa.schema` only, so any layer may use it.
"""

from __future__ import annotations

from dataclasses import dataclass

from oa.schema import SHOT_TYPES

# -- shot types: the schema's codes -> words ---------------------------------------------------
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
assert set(SHOT_TYPE_WORDS) == set(SHOT_TYPES), "every schema shot type has its words"


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
