"""Lines, pairs and with-or-without-you on the hand-made game (tests/analysis/handmade.py)."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pytest

from oa.analysis.common import AnalysisError
from oa.analysis.lines import LINE_COLUMNS, WOWY_COLUMNS, lines, wowy
from tests.analysis import handmade as hm


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory):
    c = duckdb.connect(str(hm.league(tmp_path_factory.mktemp("lines") / "hand.duckdb")), read_only=True)
    yield c
    c.close()


def unit(df, ids):
    r = df[df["player_ids"].map(lambda v: list(v) == list(ids))]
    assert len(r) == 1, df
    return r.iloc[0]


def test_forward_trios_at_five_on_five(con) -> None:
    df = lines(con, season=hm.SEASON, kind="F3")
    assert list(df.columns) == LINE_COLUMNS
    r = unit(df, (101, 102, 103))  # shots 1, 3, 4; together 0-60 s, 5v5 until the penalty at 55 s
    assert (r.attempts_together, r.cf, r.ca, r.gf, r.ga) == (3, 1, 2, 0, 0)
    assert r.xgf == pytest.approx(0.10) and r.xga == pytest.approx(0.05)
    assert r.xgf_pct == pytest.approx(100 * 0.10 / 0.15)
    assert r.together_min == pytest.approx(55 / 60) and r.names == "P101 - P102 - P103" and r.team == "HOM"
    assert r.cf60 == pytest.approx(1 * 60 / (55 / 60)) and r.small_sample
    r = unit(df, (102, 103, 104))  # shot 2; together 60-100 s, of which 80-100 at 5v5
    assert (r.attempts_together, r.gf) == (1, 1) and r.together_min == pytest.approx(20 / 60)
    r = unit(df, (201, 202, 203))  # 203 off 52-58: 5v5 together 0-52 and 80-100
    assert (r.cf, r.ca, r.ga) == (2, 2, 1) and r.together_min == pytest.approx(72 / 60)
    assert df["together_min"].iloc[0] == df["together_min"].max()


def test_all_situations_pairs_and_filters(con) -> None:
    df = lines(con, season=hm.SEASON, kind="F3", situation="all")
    r = unit(df, (101, 102, 103))
    assert (r.attempts_together, r.gf) == (4, 1) and r.together_min == pytest.approx(1.0)
    assert unit(df, (201, 202, 203)).attempts_together == 4  # shot 5: two AWY forwards, no trio
    assert unit(df, (201, 202, 203)).together_min == pytest.approx(94 / 60)
    d = lines(con, season=hm.SEASON, kind="D2")
    r = unit(d, (105, 106))
    assert (r.cf, r.ca) == (2, 2) and r.together_min == pytest.approx(65 / 60)
    assert set(lines(con, season=hm.SEASON, kind="D2", team="AWY")["team"]) == {"AWY"}
    kept = lines(con, season=hm.SEASON, kind="F3", min_together=1.0)
    assert [list(v) for v in kept["player_ids"]] == [[201, 202, 203]]
    assert len(lines(con, season=hm.SEASON, kind="F3", min_attempts=3)) == 2
    with pytest.raises(AnalysisError, match="kind"):
        lines(con, kind="F4")


def test_lines_without_shifts_have_no_time(tmp_path: Path) -> None:
    db = hm.league(tmp_path / "noshift.duckdb")
    with duckdb.connect(str(db)) as c:
        c.execute("DELETE FROM shifts")
        df = lines(c, season=hm.SEASON, kind="F3")
        assert df["together_min"].isna().all() and len(df) == 3
        assert unit(df, (101, 102, 103)).small_sample  # 3 attempts < 200
        w = wowy(c, 101, 102, season=hm.SEASON)
        assert w["toi_min"].isna().all()
    bare = hm.league(tmp_path / "bare.duckdb", on_ice=False)
    with duckdb.connect(str(bare), read_only=True) as c:
        assert len(lines(c, kind="D2")) == 0
        w = wowy(c, 101, 102)
        assert list(w.columns) == WOWY_COLUMNS and (w["cf"] + w["ca"]).sum() == 0


def test_wowy_teammates_and_opponents(con) -> None:
    w = wowy(con, 101, 102, season=hm.SEASON).set_index("with")
    assert list(w.index) == ["together", "A without B", "B without A"]
    assert (w.loc["together", "cf"], w.loc["together", "ca"]) == (1, 2)
    assert w.loc["together", "toi_min"] == pytest.approx(55 / 60)
    assert w.loc["A without B", "cf"] + w.loc["A without B", "ca"] == 0
    assert w.loc["A without B", "toi_min"] == pytest.approx(0.0)
    b = w.loc["B without A"]
    assert (b.cf, b.gf, b.player_id) == (1, 1, 102) and b.xgf == pytest.approx(0.30)
    assert b.toi_min == pytest.approx(20 / 60)
    w = wowy(con, 101, 201, season=hm.SEASON, situation="all").set_index("with")
    t = w.loc["together"]  # from 101's side: shot 1 and 5 for, 3 and 4 against
    assert (t.cf, t.ca, t.gf) == (2, 2, 1) and t.xgf_pct == pytest.approx(100 * 0.5 / 0.55)
    b = w.loc["B without A"]  # shot 2 from 201's side: against, a goal
    assert (b.cf, b.ca, b.ga) == (0, 1, 1)
    assert math.isclose(w.loc["together", "toi_min"], 1.0)


def test_five_on_five_time_unknown_without_skater_counts(tmp_path: Path) -> None:
    """Events without skater counts (some sources): 5v5 time together is unknown (NaN), never 0; all is known."""
    db = hm.league(tmp_path / "nocounts.duckdb")
    with duckdb.connect(str(db)) as c:
        c.execute("UPDATE events SET home_skaters = NULL, away_skaters = NULL")
        five = lines(c, season=hm.SEASON, kind="F3")
        assert five["together_min"].isna().all() and len(five) == 3
        assert unit(lines(c, season=hm.SEASON, kind="F3", situation="all"), (101, 102, 103)).together_min == 1.0
        assert wowy(c, 101, 102, season=hm.SEASON)["toi_min"].isna().all()
        assert wowy(c, 101, 102, season=hm.SEASON, situation="all")["toi_min"].iloc[0] == pytest.approx(1.0)
