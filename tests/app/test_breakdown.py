"""The display breakdown: an empty net is one line with the summed contribution; nothing else changes."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from oa.app.queries import EMPTY_NET, one_empty_net_line
from oa.features.registry import all_factors, factor_named

NAMES = [f.name for f in all_factors()]
GOALIE = {f.name for f in all_factors() if f.group == "goalie"}


@st.composite
def breakdowns(draw) -> pd.DataFrame:
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=len(NAMES), unique=True))
    pulled = draw(st.booleans())
    labels = [
        factor_named("strength").say("vsEA" if pulled else "5v5") if n == "strength" else f"{n} words" for n in names
    ]
    vals = draw(st.lists(st.floats(-3, 3, allow_nan=False), min_size=len(names), max_size=len(names)))
    return pd.DataFrame(
        {"factor": names, "value_label": labels, "contribution": vals, "contribution_pp": [7.5 * v for v in vals]}
    )


@settings(max_examples=300, deadline=None)
@given(breakdowns())
def test_empty_net_line_sums_the_goalie_factors_and_keeps_the_rest(df):
    out = one_empty_net_line(df, True)
    parts = df["factor"].isin(GOALIE) | (df["value_label"] == "opponent's goalie pulled")
    assert np.isclose(out["contribution"].sum(), df["contribution"].sum())
    assert np.isclose(out["contribution_pp"].sum(), df["contribution_pp"].sum())
    if parts.any():
        line = out[out["factor"] == EMPTY_NET]
        assert len(line) == 1 and np.isclose(line["contribution"].iloc[0], df.loc[parts, "contribution"].sum())
        assert not (set(out["factor"]) & (GOALIE - {EMPTY_NET}))
    rest = out[out["factor"] != EMPTY_NET].set_index("factor")
    assert rest.equals(df[~parts].set_index("factor").loc[rest.index])
    assert out["contribution"].abs().is_monotonic_decreasing or not parts.any()


@settings(max_examples=100, deadline=None)
@given(breakdowns())
def test_a_shot_with_a_goalie_is_untouched(df):
    assert one_empty_net_line(df, False) is df
