"""Big Data Cup games through the live path: real broadcast tracking, same factors as batch."""

from __future__ import annotations

import numpy as np
import pandas as pd

from oa.features.registry import all_factors
from oa.live.feed import feed, pick_games
from oa.live.messages import ShotTag
from oa.live.run import local_scorer
from oa.sources.ingest import ingest
from oa.store import Store


def test_big_data_cup_clips_score_live_with_batch_factors(shared, model_store, tmp_path):
    db = tmp_path / "bdc.duckdb"
    with Store(db) as s:
        ingest(s, "bigdatacup", [shared / "bigdatacup-2022-olympic-tracking/pxp_womens_oly_2022_v2.csv.gz"])
        batch = s.query("SELECT * FROM shot_features").set_index("shot_id")
    games = pick_games(db, 6)
    sc = local_scorer(db, tmp_path / "live", models_from=model_store)  # the demo's models
    live = {}
    for _, m in feed(db, games):
        if isinstance(m, ShotTag):
            row, f = sc.rate(sc.games[m.game_id], m.shot)
            live[int(m.shot["shot_id"])] = (row, f)
        sc.handle(m)
    assert sc.stats.shots == len(batch) == 709 and sc.stats.errors == 0
    assert (
        sum(r["feature_set"] == "tracking" for r, _ in live.values()) == (batch["feature_set"] == "tracking").sum() > 50
    )
    for sid, (_, f) in live.items():
        for fac in all_factors():
            a, b = batch.at[sid, fac.name], f[fac.name]
            same = (pd.isna(a) and pd.isna(b)) or (
                not pd.isna(a) and not pd.isna(b) and (a == b or abs(float(a) - float(b)) < 1e-9)
            )
            assert same, (sid, fac.name, a, b)
    p = np.array([r["p_goal"] for r, _ in live.values()])
    assert 0.03 < p.mean() < 0.2, p.mean()  # sane on real shots: no "unknown goalie = empty net"
