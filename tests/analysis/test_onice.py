"""On-ice impact against the hand-made game of tests/analysis/handmade.py (expected figures worked by hand)."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pytest

from oa.analysis.common import AnalysisError
from oa.analysis.onice import COLUMNS, on_ice
from tests.analysis import handmade as hm


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hm.league(tmp_path_factory.mktemp("onice") / "hand.duckdb")


@pytest.fixture()
def con(db: Path):
    c = duckdb.connect(str(db), read_only=True)
    yield c
    c.close()


def row(df, pid):
    r = df[df["player_id"] == pid]
    assert len(r) == 1, df
    return r.iloc[0]


def test_five_on_five_counts_shares_and_relative(con) -> None:
    df = on_ice(con, season=hm.SEASON, situation="5v5")
    assert list(df.columns[: len(COLUMNS)]) == COLUMNS
    assert not set(df["player_id"]) & {109, 209}  # goalies never count
    r = row(df, 101)  # on for shots 1 (for), 3 (against, blocked), 4 (against)
    assert (r.cf, r.ca, r.ff, r.fa, r.gf, r.ga) == (1, 2, 1, 1, 0, 0)
    assert r.xgf == pytest.approx(0.10) and r.xga == pytest.approx(0.05)  # a blocked shot adds no xG
    assert r.xgf_pct == pytest.approx(100 * 0.10 / 0.15)
    # HOM at 5v5: xGF 0.40, xGA 0.05; without 101: 0.30 for, 0 against -> 100%
    assert r.xgf_pct_rel == pytest.approx(100 * 0.10 / 0.15 - 100.0)
    assert r.toi_min == pytest.approx(10.0) and r.toi_method == "shifts"
    assert r.cf60 == pytest.approx(6.0) and r.ca60 == pytest.approx(12.0)
    assert r.xgf60 == pytest.approx(0.6) and r.small_sample  # 10 minutes < 100
    r = row(df, 104)  # on for shot 2 only, a goal; no time on ice
    assert (r.cf, r.ca, r.gf) == (1, 0, 1) and r.xgf_pct == pytest.approx(100.0)
    assert r.xgf_pct_rel == pytest.approx(100.0 - 100 * 0.10 / 0.15)
    assert math.isnan(r.toi_min) and r.toi_method is None and math.isnan(r.cf60)
    assert r.small_sample  # 1 attempt < 200
    r = row(df, 102)  # estimated time: 100 minutes, not a small sample
    assert r.toi_method == "estimated" and r.toi_min == pytest.approx(100.0) and not r.small_sample
    assert (r.cf, r.ca) == (2, 2) and r.cf60 == pytest.approx(1.2)
    r = row(df, 201)
    assert (r.cf, r.ca, r.ga) == (2, 2, 1) and r.xga == pytest.approx(0.40)
    assert r.gp == 1 and r.team == "AWY" and r["name"] == "P201" and r.position == "C"


def test_all_situations_add_the_power_play_goal(con) -> None:
    df = on_ice(con, season=hm.SEASON, situation="all")
    r = row(df, 101)
    assert (r.cf, r.gf) == (2, 1) and r.xgf == pytest.approx(0.50)
    assert r.xgf_pct == pytest.approx(100 * 0.5 / 0.55)
    assert r.xgf_pct_rel == pytest.approx(100 * 0.5 / 0.55 - 100.0)
    assert r.toi_min == pytest.approx(700 / 60)
    assert (row(df, 203).ca, row(df, 202).ca) == (2, 3)  # 203 was in the box for shot 5


def test_season_team_position_and_model_filters(con) -> None:
    both = on_ice(con, situation="5v5")
    assert row(both, 101).cf == 2 and row(both, 101).gp == 2  # the 2024-25 game too
    old = on_ice(con, season=hm.OLD_SEASON, situation="5v5")
    assert set(old["player_id"]) == {101, 102, 103, 105, 106, 201, 202, 203, 205, 206}
    assert row(old, 101).xgf == pytest.approx(0.5)
    hom = on_ice(con, season=hm.SEASON, team="HOM")
    assert set(hom["team"]) == {"HOM"}
    d = on_ice(con, season=hm.SEASON, position="D")
    assert set(d["player_id"]) == {105, 106, 205, 206}
    f = on_ice(con, season=hm.SEASON, position="F")
    assert set(f["position"]) == {"C", "LW", "RW"}
    other = on_ice(con, season=hm.SEASON, model_id="old-model")
    assert row(other, 101).xgf == pytest.approx(0.9)
    assert len(on_ice(con, season="1999-00")) == 0


def test_hostile_filters_name_the_problem(con) -> None:
    with pytest.raises(AnalysisError, match="situation"):
        on_ice(con, situation="6v5")
    with pytest.raises(AnalysisError, match="position"):
        on_ice(con, position="Goalie'; DROP TABLE shots")
    assert len(on_ice(con, team="X'; DROP TABLE shots; --")) == 0  # a parameter, never SQL


def test_store_without_on_ice_data_gives_an_empty_table(tmp_path: Path) -> None:
    db = hm.league(tmp_path / "old.duckdb", on_ice=False)
    with duckdb.connect(str(db), read_only=True) as c:
        c.execute("DROP TABLE IF EXISTS nothing")  # read-only is fine: nothing to drop
        df = on_ice(c, season=hm.SEASON)
    assert len(df) == 0 and list(df.columns[: len(COLUMNS)]) == COLUMNS


def test_store_missing_the_tables_altogether(tmp_path: Path) -> None:
    from oa import schema

    c = duckdb.connect(str(tmp_path / "bare.duckdb"))
    for t in (schema.GAMES, schema.SHOTS, schema.PLAYERS):
        c.execute(t.ddl())
    df = on_ice(c, situation="all")
    assert len(df) == 0
    c.close()


def test_unscored_store_gives_nan_xg(tmp_path: Path) -> None:
    db = hm.league(tmp_path / "unscored.duckdb")
    with duckdb.connect(str(db)) as c:
        c.execute("DELETE FROM shot_scores")
        df = on_ice(c, season=hm.SEASON, situation="5v5")
    r = row(df, 101)
    assert r.cf == 1 and math.isnan(r.xgf) and math.isnan(r.xgf_pct) and math.isnan(r.xgf_pct_rel)
