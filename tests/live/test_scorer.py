"""The live scorer: same factors and ratings as batch, bad input counted, never fatal."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from oa.features.registry import all_factors
from oa.live.feed import feed, pick_games
from oa.live.messages import Event, Frames, GameEnd, ShotTag
from oa.live.publish import Publisher, read_live
from oa.live.scorer import Scorer
from oa.model.score import active_models
from oa.store import Store


@pytest.fixture(scope="module")
def live(model_store):
    games = pick_games(model_store, 3)
    with Store(model_store, read_only=True) as st:
        models = active_models(st)
        batch = st.query(
            "SELECT f.*, s.p_goal, s.tier FROM shot_features f JOIN shot_scores s USING (shot_id) "
            f"WHERE f.game_id IN ({', '.join(map(str, games))})"
        ).set_index("shot_id")
    msgs = [m for _, m in feed(model_store, games)]
    return dict(games=games, models=models, batch=batch, msgs=msgs)


def _same(a: object, b: object) -> bool:
    if pd.isna(a) and pd.isna(b):
        return True
    if isinstance(a, (float, np.floating)) or isinstance(b, (float, np.floating)):
        return not pd.isna(a) and not pd.isna(b) and abs(float(a) - float(b)) < 1e-9
    return a == b


def test_live_scores_equal_batch(live, tmp_path):
    sc = Scorer(live["models"], Publisher(tmp_path))
    factors = {}
    for m in live["msgs"]:
        if isinstance(m, ShotTag):
            _, f = sc.rate(sc.games[m.game_id], m.shot)
            factors[int(m.shot["shot_id"])] = f
        sc.handle(m)
    b = live["batch"]
    assert sc.stats.shots == len(b) > 100
    assert sc.stats.games_started == sc.stats.games_ended == 3
    assert sc.stats.malformed == sc.stats.out_of_order == sc.stats.unknown_game == sc.stats.errors == 0
    assert (b["feature_set"] == "tracking").mean() > 0.9
    for sid, f in factors.items():
        for fac in all_factors():
            assert _same(b.at[sid, fac.name], f[fac.name]), (sid, fac.name, b.at[sid, fac.name], f[fac.name])
    pub = read_live(tmp_path).set_index("shot_id").loc[b.index]
    assert np.allclose(pub["p_goal"], b["p_goal"], rtol=0, atol=1e-12)
    assert (pub["tier"] == b["tier"]).all()
    # games were merged into one part each when they ended
    assert sorted(p.stem for p in (tmp_path / "games").glob("*.parquet")) == sorted(map(str, live["games"]))
    assert not list((tmp_path / "shots").glob("*")), "a finished game leaves no shot folder"


def test_bad_input_is_counted_and_other_games_go_on(live, tmp_path):
    sc = Scorer(live["models"], Publisher(tmp_path))
    victim = live["games"][0]
    seen = stopped = 0
    other, broken_tag = live["games"][1], False
    for m in live["msgs"]:
        if isinstance(m, ShotTag) and m.game_id == other and not broken_tag:
            sc.handle(ShotTag(other, {"shot_id": 1}))  # a shot tag with missing fields
            broken_tag = True
        if m.game_id == victim:
            if isinstance(m, Frames):
                seen += 1
                if seen == 50:  # a malformed frame: NaN position and a length mismatch
                    bad = Frames(m.game_id, m.frame_idx, m.entity_id, m.team, m.x.copy(), m.y)
                    bad.x[0] = np.nan
                    sc.handle(bad)
                    sc.handle(Frames(m.game_id, m.frame_idx + 1, m.entity_id, m.team[:-1], m.x, m.y))
                    continue
                if seen == 60:  # out of order: an old frame again
                    sc.handle(Frames(m.game_id, m.frame_idx - 30, m.entity_id, m.team, m.x, m.y))
            if isinstance(m, ShotTag) and stopped == 0 and sc.games[victim].shots >= 5:
                stopped = 1  # the game stops mid-stream: nothing more from it
            if stopped:
                continue
        sc.handle(m)
    sc.handle(
        Event(99, {"event_idx": 1, "period": 1, "game_seconds": 3.0, "type": "SHOT", "team": "X", "x": 0, "y": 0})
    )
    sc.handle(GameEnd(12345))
    s = sc.stats
    assert s.malformed >= 3 and s.out_of_order >= 1 and s.unknown_game == 2
    assert sc.check_stalled(now=1e18) == [victim] and s.games_stalled == 1
    b = live["batch"]
    others = b[b["game_id"] != victim]
    pub = read_live(tmp_path)
    assert set(others.index) <= set(pub["shot_id"])  # every other game's shot was rated
    assert len(pub[pub["game_id"] == victim]) == 5
    assert s.errors == 0
