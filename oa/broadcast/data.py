"""A shot as the graphics and the Shot detail page show it: one query for the shot, one for its factors.

The dashboard's queries (`oa.app.queries.shot`, `shot_factors`) run these same statements
through their cache; the export command and the bench run them on a read-only `Store`.

A shot's breakdown as shown (`one_empty_net_line`): the stored explanations
(`shot_factors`) stay exact, one row per model factor, because the live scorer, the API
and the tests compare them with the model. Only the display merges: with an empty net,
every goalie factor and the strength read as "opponent's goalie pulled" say one thing,
that nobody is in net, so they become one line, "Empty net", with their summed
contribution (exact in log-odds; points are approximate, as for any line).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from oa.features.registry import all_factors, factor_named
from oa.plots.replay import square_point
from oa.store import Store

# scores of the active model(s); a shot is scored by one model (its feature set's)
SCORES = (
    "(SELECT shot_id, p_goal, tier, base_logit, model_id FROM shot_scores "
    "WHERE model_id IN (SELECT model_id FROM models WHERE active))"
)
PLAYER_JOINS = "LEFT JOIN players sh ON sh.player_id = s.shooter_id LEFT JOIN players gk ON gk.player_id = s.goalie_id"


def shot_sql(scores: str = SCORES) -> str:
    """One shot (`$id`) with its game, active score, shooter, goalie and both teams' names and colours."""
    return f"""
        SELECT s.*, sc.p_goal, sc.tier, sc.base_logit, sc.model_id, g.date, g.season, g.home_team, g.away_team,
               g.home_score, g.away_score, g.has_tracking, g.fps, g.source,
               coalesce(sh.name, 'Unknown shooter') AS shooter, sh.shoots, sh.number AS shooter_number,
               sh.position AS shooter_position, coalesce(gk.name, 'empty net') AS goalie,
               coalesce(tf.name, s.team) AS team_name, coalesce(ta.name, s.opponent) AS opponent_name,
               tf.color AS team_color, ta.color AS opponent_color
        FROM shots s JOIN games g ON g.game_id = s.game_id LEFT JOIN {scores} sc ON sc.shot_id = s.shot_id
        {PLAYER_JOINS}
        LEFT JOIN teams tf ON tf.team = s.team LEFT JOIN teams ta ON ta.team = s.opponent
        WHERE s.shot_id = $id"""


FACTORS_SQL = """SELECT factor, value_label, contribution, contribution_pp FROM shot_factors
                 WHERE shot_id = $id AND model_id = $m ORDER BY abs(contribution) DESC"""


# a tracked shot's frames (`$g`, frames `$f0`..`$f1`) with the players' numbers: the Shot detail replay and the video
FRAMES_SQL = """
    SELECT f.frame_idx, f.entity_id, f.team, f.x::DOUBLE AS x, f.y::DOUBLE AS y, p.number, p.position, p.name
    FROM frames f LEFT JOIN players p ON p.player_id = f.entity_id
    WHERE f.game_id = $g AND f.frame_idx BETWEEN $f0 AND $f1
    ORDER BY f.frame_idx, f.entity_id"""


def shot_row(df: pd.DataFrame) -> dict | None:
    """The first row of `shot_sql`'s result as a dict, missing values as None (None if no row)."""
    if df.empty:
        return None
    r = df.iloc[0].to_dict()
    return {k: (None if (not isinstance(val, (list, dict)) and pd.isna(val)) else val) for k, val in r.items()}


# -- a shot's breakdown as shown: one line for an empty net --------------------------------------------
EMPTY_NET = "empty_net"  # the merged line keeps this factor's name (its label is "Empty net")
EMPTY_NET_WORDS = "no goalie in net (empty net)"


def empty_net_parts(factors: pd.DataFrame) -> pd.Series:
    """Which rows of a breakdown only say that the net was empty (for an empty-net shot)."""
    goalie = {f.name for f in all_factors() if f.group == "goalie"}
    pulled = factor_named("strength").say("vsEA")
    return factors["factor"].isin(goalie) | ((factors["factor"] == "strength") & (factors["value_label"] == pulled))


def one_empty_net_line(factors: pd.DataFrame, empty_net: object) -> pd.DataFrame:
    """The breakdown with an empty-net shot's goalie factors summed into one "Empty net" line.

    `factors` has factor, value_label, contribution and contribution_pp (a shot's
    `shot_factors` rows or a what-if's); a shot with a goalie comes back unchanged.
    """
    if not bool(empty_net) or factors.empty:
        return factors
    parts = empty_net_parts(factors)
    if not parts.any():
        return factors
    line = pd.DataFrame(
        [
            {
                "factor": EMPTY_NET,
                "value_label": EMPTY_NET_WORDS,
                "contribution": float(factors.loc[parts, "contribution"].sum()),
                "contribution_pp": float(factors.loc[parts, "contribution_pp"].sum()),
            }
        ]
    )
    out = pd.concat([factors.loc[~parts], line], ignore_index=True)
    return out.sort_values("contribution", key=abs, ascending=False, ignore_index=True)


# -- what a graphic needs ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Travel:
    """Where the goalie was at the release and the spot square to the puck (the goalie_travel factor's geometry)."""

    goalie: tuple[float, float]
    square: tuple[float, float]

    @property
    def feet(self) -> float:
        return float(((self.square[0] - self.goalie[0]) ** 2 + (self.square[1] - self.goalie[1]) ** 2) ** 0.5)


@dataclass(frozen=True)
class ShotCard:
    """One shot as a graphic shows it: the shot's row, its breakdown as shown, the goalie's travel if tracked."""

    shot: dict
    factors: pd.DataFrame  # factor, value_label, contribution, contribution_pp; strongest first
    travel: Travel | None = None


class NoShot(LookupError):
    """The store has no such shot (the message says which and where)."""


def goalie_travel(store: Store, s: dict) -> Travel | None:
    """The goalie's spot at the release and his square-up point, in the shot's (normalised) coordinates."""
    if not s.get("has_tracking") or s.get("release_frame") is None or s.get("goalie_id") is None:
        return None
    df = store.query(
        "SELECT x::DOUBLE AS x, y::DOUBLE AS y FROM frames WHERE game_id = $g AND frame_idx = $f AND entity_id = $e",
        {"g": int(s["game_id"]), "f": int(s["release_frame"]), "e": int(s["goalie_id"])},
    )
    if df.empty:
        return None
    gx, gy = float(df["x"].iloc[0]), float(df["y"].iloc[0])
    if s.get("flipped"):
        gx, gy = -gx, -gy
    return Travel((gx, gy), square_point((gx, gy), (float(s["x"]), float(s["y"]))))


def read_card(store: Store, shot_id: int) -> ShotCard:
    """The shot `shot_id` from `store` (read-only is enough); `NoShot` if there is none."""
    s = shot_row(store.query(shot_sql(), {"id": int(shot_id)}))
    if s is None:
        raise NoShot(f"there is no shot {shot_id} in the store {store.path}")
    factors = store.query(FACTORS_SQL, {"id": int(shot_id), "m": s.get("model_id") or ""})
    return ShotCard(s, one_empty_net_line(factors, s["empty_net"]), goalie_travel(store, s))
