"""The play-by-play benchmark's learning curve and seed spread, on the first games of real seasons."""

from __future__ import annotations

import pytest

from oa.bench import sources as bench
from oa.features.compute import load_features
from oa.features.registry import PBP
from oa.model.train import fit
from oa.sources.ingest import ingest
from oa.store import Store
from tests.sources.conftest import first_games

HS = "hockey-scraper-pbp-delara38"
ONE = ({"num_leaves": 7, "min_data_in_leaf": 50},)


@pytest.fixture(scope="module")
def seasons(shared, tmp_path_factory):
    """About 120 games of 2018-19 to train on and 40 of 2019-20 to test on, plus 20 of 2017-18."""
    d = tmp_path_factory.mktemp("bench")
    files = [
        first_games(shared / HS / "hockey_scraper_pbp_2018_19.csv.gz", d / "a.csv", "Game_Id", 120),
        first_games(shared / HS / "hockey_scraper_pbp_2019_20_partial.csv.gz", d / "b.csv", "Game_Id", 40),
    ]
    with Store(d / "hs.duckdb") as s:
        ingest(s, "hockey_scraper", files)
        df = load_features(s, PBP, "AND s.outcome <> 'BLOCK'")
    tr = df[df["season"] == "2018-19"].reset_index(drop=True)
    te = df[df["season"] == "2019-20"].reset_index(drop=True)
    earlier = first_games(shared / HS / "hockey_scraper_pbp_2017_18_partial.csv.gz", d / "c.csv", "Game_Id", 20)
    return d / "hs.duckdb", tr, te, earlier


def test_learning_curve_trains_on_growing_shares_and_adds_the_earlier_season(seasons):
    db, tr, te, earlier = seasons
    y = te["is_goal"].to_numpy(dtype=float)
    full, _ = fit(tr, PBP, grid=ONE)
    p_all = full.predict(full.matrix(te))
    out = bench.learning_curve(db, tr, te, y, p_all, 0, ONE, None, earlier=earlier)
    pts = out["points"]
    assert [p["train"] for p in pts] == ["25% of 2018-19", "50% of 2018-19", "75% of 2018-19", "all of 2018-19"]
    games = tr["game_id"].nunique()
    assert [p["games"] for p in pts] == [round(games * k) for k in (0.25, 0.5, 0.75)] + [games]
    assert pts[0]["shots"] < pts[1]["shots"] < pts[2]["shots"] < pts[3]["shots"] == len(tr)
    assert pts[-1]["auc"] == bench._four(y, p_all)["auc"]  # the full point is the model benchmarked
    assert out["last_doubling"]["auc"] == round(pts[-1]["auc"] - pts[1]["auc"], 4)
    assert all(0.6 < p["auc"] < 0.95 and 0.1 < p["log_loss"] < 0.4 for p in pts)
    w = out["with_2017_18"]
    assert w["games"] == games + 20 and w["shots"] > len(tr) and w["train"].startswith("2017-18 (20 games)")
    assert (db.parent / "hs_2017_18.duckdb").exists()  # its own store; the bench store is untouched
    with Store(db, read_only=True) as s:
        assert s.query("SELECT count(*) n FROM games WHERE season = '2017-18'")["n"].iloc[0] == 0


def test_seed_spread_refits_with_other_seeds_and_averages(seasons):
    _, tr, te, _ = seasons
    y = te["is_goal"].to_numpy(dtype=float)
    m, _ = fit(tr, PBP, grid=ONE)
    p0 = m.predict(m.matrix(te))
    out = bench.seed_spread(tr, te, y, p0, 0, 3, ONE, None)
    aucs = [e["auc"] for e in out["per_seed"]]
    assert len(aucs) == 3 and out["per_seed"][0] == bench._four(y, p0)
    assert len(set(aucs)) > 1  # the seeds really differ
    assert out["auc_range"] == [min(aucs), max(aucs)]
    assert out["averaged"] != out["per_seed"][0]
