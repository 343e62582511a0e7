"""Team rates and the score-and-venue adjustment, worked by hand on two hand-made games."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from oa.analysis.teams import COLUMNS, score_weights, team_rates
from tests.analysis import handmade as hm

G1, G2 = hm.GAME, hm.GAME + 1
# (game, home, team, home lead, p_goal, n): G1 HOM at home, G2 AWY at home; every attempt 5v5
PLAN = [
    (G1, "HOM", "HOM", 0, 0.1, 2),
    (G1, "HOM", "AWY", 0, 0.2, 1),
    (G1, "HOM", "HOM", 1, 0.1, 1),
    (G1, "HOM", "AWY", 1, 0.1, 3),
    (G2, "AWY", "AWY", 0, 0.3, 1),
    (G2, "AWY", "HOM", 0, 0.1, 1),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    shots, scores, events = [], [], []
    for game in (G1, G2):
        home = "HOM" if game == G1 else "AWY"
        away = "AWY" if game == G1 else "HOM"
        rows = []
        for g, h, team, lead, p, n in PLAN:
            if g != game:
                continue
            for _ in range(n):
                idx = len(rows) + 1
                sf, sa = (lead, 0) if team == h else (0, lead)  # the home team leads by `lead`
                r = hm.shot_row(game, idx, 10.0 * idx, team, "SAVE", "5v5", None, home=home, away=away)
                rows.append(r | dict(score_for=sf, score_against=sa))
                scores.append(dict(shot_id=r["shot_id"], model_id=hm.MODEL, p_goal=p, tier="low", base_logit=0.0))
        df = pd.DataFrame(rows)
        shots.append(df)
        events.append(hm.event_rows(game, df, home=home))
    tables = {
        "games": pd.DataFrame([hm.game_row(G1, hm.SEASON), hm.game_row(G2, hm.SEASON, home="AWY", away="HOM")]),
        "players": hm.players(),
        "shots": pd.concat(shots, ignore_index=True),
        "events": pd.concat(events, ignore_index=True),
        "shot_scores": pd.DataFrame(scores),
    }
    return hm.write(tmp_path_factory.mktemp("teams") / "teams.duckdb", tables)


@pytest.fixture()
def con(db: Path):
    c = duckdb.connect(str(db), read_only=True)
    yield c
    c.close()


def test_league_weights_by_score_state_and_venue(con) -> None:
    w = score_weights(con, season=hm.SEASON).set_index("lead")
    # tied: 3 home and 2 away attempts; home leading by one: 1 home, 3 away
    assert w.loc[0, "w_cf_home"] == pytest.approx(5 / 6) and w.loc[0, "w_cf_away"] == pytest.approx(5 / 4)
    assert w.loc[1, "w_cf_home"] == pytest.approx(2.0) and w.loc[1, "w_cf_away"] == pytest.approx(2 / 3)
    # xG: tied 0.5 home, 0.3 away; leading 0.1 home, 0.3 away
    assert w.loc[0, "w_xg_home"] == pytest.approx(0.8) and w.loc[0, "w_xg_away"] == pytest.approx(4 / 3)
    assert w.loc[1, "w_xg_home"] == pytest.approx(2.0) and w.loc[1, "w_xg_away"] == pytest.approx(2 / 3)


def test_team_rates_raw_and_adjusted(con) -> None:
    df = team_rates(con, season=hm.SEASON)
    assert list(df.columns[: len(COLUMNS)]) == COLUMNS
    hom = df.set_index("team").loc["HOM"]
    assert (hom.gp, hom.cf, hom.ca) == (2, 4, 5)
    assert hom.toi_min == pytest.approx(40.0)  # each game's first period is the timeline (events end there)
    assert hom.cf60 == pytest.approx(6.0) and hom.ca60 == pytest.approx(7.5)
    assert hom.xgf == pytest.approx(0.4) and hom.xga == pytest.approx(0.8)
    assert hom.adj_cf60 == pytest.approx((2 * 5 / 6 + 2 + 5 / 4) * 60 / 40)
    assert hom.adj_ca60 == pytest.approx((5 / 4 + 3 * 2 / 3 + 5 / 6) * 60 / 40)
    adj_xgf, adj_xga = 0.2 * 0.8 + 0.1 * 2 + 0.1 * 4 / 3, 0.2 * 4 / 3 + 0.3 * 2 / 3 + 0.3 * 0.8
    assert hom.adj_xgf60 == pytest.approx(adj_xgf * 60 / 40) and hom.adj_xga60 == pytest.approx(adj_xga * 60 / 40)
    assert hom.adj_xgf_pct == pytest.approx(100 * adj_xgf / (adj_xgf + adj_xga))
    assert df["adj_cf"].sum() == pytest.approx(df["cf"].sum())  # the weights move attempts, they add none
    assert len(team_rates(con, season="1999-00")) == 0
    assert team_rates(con, situation="all").set_index("team").loc["HOM", "cf"] == 4


def test_without_events_or_scores(db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(db.read_bytes())
    with duckdb.connect(str(copy)) as c:
        c.execute("DELETE FROM events")
        df = team_rates(c, season=hm.SEASON)
        assert df["toi_min"].isna().all() and df["cf60"].isna().all() and (df["cf"] > 0).all()
        c.execute("DELETE FROM shot_scores")
        df = team_rates(c, season=hm.SEASON)
        assert df["xgf"].isna().all() and math.isnan(df["adj_xgf_pct"].iloc[0])


def test_five_on_five_time_unknown_without_skater_counts(db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "nocounts.duckdb"
    copy.write_bytes(db.read_bytes())
    with duckdb.connect(str(copy)) as c:
        c.execute("UPDATE events SET home_skaters = NULL, away_skaters = NULL")
        five = team_rates(c, season=hm.SEASON)
        assert five["toi_min"].isna().all() and five["adj_cf60"].isna().all() and (five["cf"] > 0).all()
        assert team_rates(c, season=hm.SEASON, situation="all")["toi_min"].tolist() == [40.0, 40.0]


def test_five_on_five_time_from_time_on_ice_where_the_store_has_it(db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "toi.duckdb"
    copy.write_bytes(db.read_bytes())
    with duckdb.connect(str(copy)) as c:
        # HOM's five skaters 600 s each at 5v5 in G1 (the goalie's row never counts); G2 keeps the timeline
        rows = [(G1, p, "HOM", "5v5", 600.0, "shifts") for p in (101, 102, 103, 105, 106)]
        rows.append((G1, 109, "HOM", "5v5", 1200.0, "shifts"))
        c.executemany("INSERT INTO toi VALUES (?, ?, ?, ?, ?, ?)", rows)
        df = team_rates(c, season=hm.SEASON).set_index("team")
        assert df.loc["HOM", "toi_min"] == pytest.approx((600 + 1200) / 60)
        assert df.loc["AWY", "toi_min"] == pytest.approx(40.0)  # no toi rows for AWY: the timeline
        assert team_rates(c, season=hm.SEASON, situation="all").set_index("team").loc["HOM", "toi_min"] == 40.0
