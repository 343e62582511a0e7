"""A shot's factor breakdown as the dashboard shows it: one line for an empty net.

The stored explanations (`shot_factors`) stay exact, one row per model factor, because
the live scorer, the API and the tests compare them with the model. Only the display
merges: with an empty net, every goalie factor (`empty_net`, `goalie_height` "unknown",
`goalie_travel`, `goalie_depth`, `goalie_speed`, `goalie_set`) and the strength read as
"opponent's goalie pulled" say one thing, that nobody is in net, so a waterfall showed
one fact as four to six bars. They become one line, "Empty net", with their summed
contribution (exact in log-odds; points are approximate, as for any line).
"""

from __future__ import annotations

import pandas as pd

from oa.features.registry import all_factors, factor_named

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
