"""A shot as a graphic reads it: the Shot detail page's own statements, on a store built end to end."""

from __future__ import annotations

import pytest

from oa.broadcast.data import NoShot, read_card
from oa.store import Store


def test_card_has_the_stored_factors_strongest_first_and_the_goalie_travel(model_store) -> None:
    with Store(model_store, read_only=True) as st:
        sid = int(
            st.query(
                """SELECT s.shot_id FROM shots s JOIN shot_scores sc USING (shot_id) JOIN games g USING (game_id)
                   WHERE g.has_tracking AND NOT s.empty_net AND s.goalie_id IS NOT NULL
                   ORDER BY sc.p_goal DESC LIMIT 1"""
            )["shot_id"].iloc[0]
        )
        card = read_card(st, sid)
        stored = st.query(
            "SELECT factor FROM shot_factors WHERE shot_id = $id AND model_id = $m ORDER BY abs(contribution) DESC",
            {"id": sid, "m": card.shot["model_id"]},
        )
    assert card.shot["shooter"] and card.shot["goalie"] and card.shot["p_goal"] is not None
    assert card.factors["factor"].head(3).tolist() == stored["factor"].head(3).tolist()
    assert card.travel is not None and card.travel.feet >= 0
    gx, _ = card.travel.goalie
    assert 60 < gx < 100  # normalised: the goalie guards the net at +89


def test_unknown_shot_is_named(model_store) -> None:
    with Store(model_store, read_only=True) as st, pytest.raises(NoShot, match="no shot 12345"):
        read_card(st, 12345)
