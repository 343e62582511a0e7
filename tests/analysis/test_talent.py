"""Talent: the empirical-Bayes shrinkage by hand, and the talent tables on a hand-made season."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from oa.analysis.common import AnalysisError
from oa.analysis.talent import COLUMNS, Z90, shrink, talent, talent_trend
from tests.analysis import handmade as hm


def test_shrink_by_hand() -> None:
    # three players, same noise v = 0.01, the spread fixed at tau^2 = 0.03: mu_hat = 0, B = 0.03 / 0.04 = 0.75,
    # variance B v + (1 - B)^2 V_mu with V_mu = (v + tau^2) / 3
    post, sd, mu, tau, weight = shrink(np.array([0.2, -0.2, 0.0]), np.full(3, 0.01), taus=np.array([math.sqrt(0.03)]))
    assert (
        mu == pytest.approx([0.0] * 3) and tau == pytest.approx(math.sqrt(0.03)) and weight == pytest.approx([0.75] * 3)
    )
    assert post == pytest.approx([0.15, -0.15, 0.0])
    assert sd == pytest.approx([math.sqrt(0.0075 + 0.0625 * 0.04 / 3)] * 3)
    # tau fixed at 0: everyone is the league mean, known to V_mu = v / 3
    post, sd, mu, tau, weight = shrink(np.array([0.1, -0.1, 0.3]), np.full(3, 0.01), taus=np.array([0.0]))
    assert post == pytest.approx([0.1, 0.1, 0.1]) and sd == pytest.approx([math.sqrt(0.01 / 3)] * 3)
    # the grid: a spread no bigger than the noise still leaves doubt about tau, so intervals keep a width
    post, sd, mu, tau, weight = shrink(np.array([0.1, -0.1, 0.0]), np.full(3, 0.01))
    assert 0 < tau < 0.2 and (sd > 0.05).all() and (np.abs(post) < np.array([0.1, 0.1, 1])).all()
    # a covariate: the prior mean follows it (here exactly), so nobody is pulled off the line
    xs = np.array([1.0, 2.0, 3.0, 4.0])
    post, sd, prior, tau, weight = shrink(0.1 * xs, np.full(4, 0.01), taus=np.array([0.05]), covariates=xs)
    assert prior == pytest.approx(0.1 * xs) and post == pytest.approx(0.1 * xs)
    # fewer than two players with noise: nothing to estimate the spread from
    post, sd, mu, tau, weight = shrink(np.array([0.3]), np.array([0.02]))
    assert tau == 0.0 and post == pytest.approx([0.3])


# shooter -> (shots at p, goals, position); 101 also has a blocked shot (never counted)
PLAN = {101: (10, 0.1, 3), 102: (10, 0.1, 0), 105: (10, 0.1, 1), 201: (10, 0.2, 2)}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    shots, scores, idx = [], [], 0
    for game, season, plan in ((hm.GAME, hm.SEASON, PLAN), (hm.OLD_GAME, hm.OLD_SEASON, {101: (5, 0.2, 1)})):
        for shooter, (n, p, goals) in plan.items():
            team = hm.TEAM[shooter]
            for k in range(n + (1 if shooter == 101 and season == hm.SEASON else 0)):
                idx += 1
                out = "BLOCK" if k == n else ("GOAL" if k < goals else "SAVE")
                goalie = 209 if team == "HOM" else 109
                shots.append(hm.shot_row(game, idx, 10.0 * idx, team, out, "5v5", shooter, goalie=goalie))
                scores.append(dict(shot_id=game * 10000 + idx, model_id=hm.MODEL, p_goal=p, tier="low", base_logit=0.0))
    shots = pd.DataFrame(shots)
    tables = {
        "games": pd.DataFrame([hm.game_row(hm.GAME, hm.SEASON), hm.game_row(hm.OLD_GAME, hm.OLD_SEASON)]),
        "players": hm.players(),
        "shots": shots,
        "shot_scores": pd.DataFrame(scores),
    }
    return hm.write(tmp_path_factory.mktemp("talent") / "talent.duckdb", tables)


@pytest.fixture()
def con(db: Path):
    c = duckdb.connect(str(db), read_only=True)
    yield c
    c.close()


def test_shooters_raw_shrunk_interval_and_percentile(con) -> None:
    df = talent(con, season=hm.SEASON, role="shooter")
    assert list(df.columns[: len(COLUMNS)]) == COLUMNS
    by = df.set_index("player_id")
    assert by.loc[101, "shots"] == 10 and by.loc[101, "goals"] == 3  # the blocked shot is not in the sample
    assert by.loc[101, "raw"] == pytest.approx(2.0) and by.loc[102, "raw"] == pytest.approx(-1.0)
    ids = [101, 102, 105, 201]
    rates = np.array([0.2, -0.1, 0.0, 0.0])
    var = np.array([0.009, 0.009, 0.009, 0.016])  # sum p(1-p) / n^2
    shots = np.array([10, 10, 10, 10])  # one volume: the log(shots) slope drops out, one league mean
    post, sd, mu, tau, _weight = shrink(rates, var, covariates=np.log(shots))
    assert tau > 0
    for pid, r, s in zip(ids, post, sd):
        assert by.loc[pid, "shrunk_rate"] == pytest.approx(r)
        assert by.loc[pid, "shrunk"] == pytest.approx(r * by.loc[pid, "shots"])
        assert by.loc[pid, "lo90_rate"] == pytest.approx(r - Z90 * s)
        assert by.loc[pid, "hi90"] == pytest.approx((r + Z90 * s) * by.loc[pid, "shots"])
    assert abs(by.loc[101, "shrunk_rate"] - mu[0]) < abs(0.2 - mu[0])  # pulled toward the league
    # percentiles within forwards (101, 102, 201) and defence (105 alone)
    assert by.loc[101, "percentile"] == pytest.approx(100.0)
    assert by.loc[102, "percentile"] == pytest.approx(100 / 3, abs=0.1)
    assert by.loc[105, "percentile"] == pytest.approx(100.0)
    assert df["player_id"].iloc[0] == 101  # best first
    # a filter chooses rows; the league and the percentiles stay the season's
    hom_f = talent(con, season=hm.SEASON, team="HOM", position="F").set_index("player_id")
    assert set(hom_f.index) == {101, 102} and hom_f.loc[102, "percentile"] == by.loc[102, "percentile"]
    assert hom_f.loc[102, "shrunk"] == pytest.approx(by.loc[102, "shrunk"])


def test_goalies_save_above_expected(con) -> None:
    df = talent(con, season=hm.SEASON, role="goalie").set_index("player_id")
    assert set(df.index) == {109, 209}
    assert df.loc[209, "shots"] == 30 and df.loc[209, "goals"] == 4
    assert df.loc[209, "xg"] == pytest.approx(3.0) and df.loc[209, "raw"] == pytest.approx(-1.0)  # 1 more than expected
    assert df.loc[109, "raw"] == pytest.approx(0.0) and df.loc[209, "team"] == "AWY"
    assert df.loc[109, "position"] == "G"


def test_seasons_pooled_and_trend(con) -> None:
    both = talent(con, role="shooter").set_index("player_id")
    assert both.loc[101, "shots"] == 15 and both.loc[101, "raw"] == pytest.approx(2.0)  # 2 + (1 - 1)
    trend = talent_trend(con, 101, role="shooter")
    assert list(trend["season"]) == [hm.OLD_SEASON, hm.SEASON]
    assert list(trend["shots"]) == [5, 10]
    assert trend["small_sample"].iloc[0]  # alone in his season: no spread to learn, all prior
    assert len(talent_trend(con, 999, role="goalie")) == 0


def test_hostile_and_empty(con, tmp_path: Path) -> None:
    with pytest.raises(AnalysisError, match="role"):
        talent(con, role="coach")
    assert len(talent(con, season="1900-01")) == 0
    bare = hm.league(tmp_path / "bare.duckdb", on_ice=False)
    with duckdb.connect(str(bare)) as c:
        c.execute("DELETE FROM shot_scores")
        assert len(talent(c, role="goalie")) == 0 and list(talent(c).columns[: len(COLUMNS)]) == COLUMNS


def test_a_goalie_who_shoots_is_no_shooter(tmp_path: Path) -> None:
    shots = [hm.shot_row(hm.GAME, 1, 10.0, "HOM", "MISS", "5v5", 109, goalie=209)]
    shots += [hm.shot_row(hm.GAME, 1 + k, 10.0 + k, "HOM", "SAVE", "5v5", 101, goalie=209) for k in range(1, 4)]
    tables = {
        "games": pd.DataFrame([hm.game_row(hm.GAME, hm.SEASON)]),
        "players": hm.players(),
        "shots": pd.DataFrame(shots),
        "shot_scores": pd.DataFrame(
            [dict(shot_id=r["shot_id"], model_id=hm.MODEL, p_goal=0.1, tier="low", base_logit=0.0) for r in shots]
        ),
    }
    db = hm.write(tmp_path / "g.duckdb", tables)
    with duckdb.connect(str(db), read_only=True) as c:
        assert set(talent(c, role="shooter")["player_id"]) == {101}
        assert set(talent(c, role="goalie")["player_id"]) == {209}


def test_out_of_fold_xg_is_what_talent_reads_where_the_store_has_it(db: Path, tmp_path: Path) -> None:
    """A model's out-of-fold probability of a shot it trained on (shot_oof) replaces its in-sample score in
    talent, shot by shot, and `oof_share` says how much of a player's sample is out of fold."""
    import shutil

    copy = tmp_path / "oof.duckdb"
    shutil.copy(db, copy)
    with duckdb.connect(str(copy)) as c:
        c.execute(
            "CREATE TABLE IF NOT EXISTS shot_oof (shot_id BIGINT, model_id VARCHAR, p_goal DOUBLE, "
            "PRIMARY KEY (shot_id, model_id))"
        )
        # 101's ten unblocked shots this season: out of fold the model gave the first five 0.3, not 0.1
        ids = [
            r[0]
            for r in c.execute(
                "SELECT shot_id FROM shots s JOIN games g USING (game_id) WHERE shooter_id = 101 AND g.season = ? "
                "AND outcome <> 'BLOCK' ORDER BY shot_id LIMIT 5",
                [hm.SEASON],
            ).fetchall()
        ]
        c.executemany("INSERT INTO shot_oof VALUES (?, ?, 0.3)", [[i, hm.MODEL] for i in ids])
        c.execute("INSERT INTO shot_oof VALUES (?, 'another-model', 0.9)", [ids[-1] + 1])  # not the scoring model's
        before = talent(duckdb.connect(str(db), read_only=True), season=hm.SEASON).set_index("player_id")
        after = talent(c, season=hm.SEASON).set_index("player_id")
    assert before.loc[101, "xg"] == pytest.approx(1.0) and before.loc[101, "oof_share"] == 0
    assert after.loc[101, "xg"] == pytest.approx(5 * 0.3 + 5 * 0.1) and after.loc[101, "oof_share"] == pytest.approx(
        0.5
    )
    assert after.loc[101, "raw"] == pytest.approx(3 - 2.0)
    for pid in (102, 105, 201):  # the others' shots have no out-of-fold row: unchanged
        assert after.loc[pid, "xg"] == pytest.approx(before.loc[pid, "xg"]) and after.loc[pid, "oof_share"] == 0


@pytest.mark.parametrize("bad", ["5.0", "-1.0", "0.0", "1.0", "'nan'::DOUBLE", "'inf'::DOUBLE"])
def test_an_out_of_fold_row_that_is_no_probability_is_ignored(db: Path, tmp_path: Path, bad: str) -> None:
    """A store edited by hand (or broken) with out-of-fold values outside (0, 1): those shots keep their
    score and do not count as out of fold; nothing raises."""
    import shutil

    copy = tmp_path / "bad_oof.duckdb"
    shutil.copy(db, copy)
    with duckdb.connect(str(copy)) as c:
        c.execute("CREATE TABLE IF NOT EXISTS shot_oof (shot_id BIGINT, model_id VARCHAR, p_goal DOUBLE)")
        c.execute(f"INSERT INTO shot_oof SELECT shot_id, model_id, {bad} FROM shot_scores")
        after = talent(c, season=hm.SEASON).set_index("player_id")
    before = talent(duckdb.connect(str(db), read_only=True), season=hm.SEASON).set_index("player_id")
    assert (after["oof_share"] == 0).all()
    for col in ("xg", "raw", "shrunk", "lo90", "hi90"):
        assert after[col].to_numpy() == pytest.approx(before.loc[after.index, col].to_numpy()), col
