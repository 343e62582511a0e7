"""Game-state factors: a late lead means the other team may have pulled its goalie."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from oa.features.pbp import LEAD_LATE_MAX, lead_late_s
from oa.features.registry import PBP, TRACKING, factor_named, feature_set
from oa.rink import PERIOD_S

shot = st.tuples(
    st.integers(1, 5),  # period
    st.floats(0, PERIOD_S),  # seconds into it
    st.integers(0, 9),  # goals for
    st.integers(0, 9),  # goals against
)


@given(st.lists(shot, min_size=1, max_size=50))
def test_lead_late_is_the_time_left_in_the_third_with_a_lead_of_one_to_three(rows):
    per, sec, gf, ga = (np.array(c, dtype=float) for c in zip(*rows))
    got = lead_late_s({"period": per, "period_seconds": sec, "score_for": gf, "score_against": ga})
    lead = gf - ga
    late = (per == 3) & (lead >= 1) & (lead <= LEAD_LATE_MAX)
    assert np.array_equal(np.isnan(got), ~late)
    assert np.allclose(got[late], PERIOD_S - sec[late])
    assert (got[late] >= 0).all()


def test_lead_late_words_and_sets():
    say = factor_named("lead_late_s").say
    assert say(float("nan")) == "not defending a late lead"
    assert say(75.0).startswith("leading late, 1:15 left")
    assert "lead_late_s" in {f.name for f in feature_set(PBP)}
    # the tracking set knows the empty net from the goalie's position; it keeps its 35 factors
    assert "lead_late_s" not in {f.name for f in feature_set(TRACKING)}
