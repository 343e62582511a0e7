"""The analyst figures on real NHL games: the shared game 2023020204 (play-by-play and shift charts, copied
and re-dated by the test NHL server) synced into a store, then every figure checked against the store's own
rows: the on-ice counts of a team's skaters add up to its attempts times the skaters on the ice, lines come
from real shifts, the talent and team tables fill."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from oa.analysis.lines import lines, wowy
from oa.analysis.onice import on_ice
from oa.analysis.talent import talent
from oa.analysis.teams import team_rates
from oa.sources.download import NhlClient
from oa.sync import sync
from tests.nhl_server import NhlServer


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory, shared: Path):
    tmp = tmp_path_factory.mktemp("nhl")
    with NhlServer(shared) as srv:
        client = NhlClient(tmp / "cache", base_url=srv.url, stats_url=srv.url, rate=200, backoff=0.01)
        sync(tmp / "nhl.duckdb", "2025-26", client)
    c = duckdb.connect(str(tmp / "nhl.duckdb"), read_only=True)
    yield c
    c.close()


def test_on_ice_counts_add_up_to_the_team_attempts(con) -> None:
    for situation in ("all", "5v5"):
        df = on_ice(con, season="2025-26", situation=situation)
        assert len(df) > 30 and not df["position"].eq("G").any()
        # every attempt counted once for each skater of each side on the ice
        want = con.execute(
            f"""SELECT o.team, count(*) FILTER (WHERE o.shooting) AS cf, count(*) FILTER (WHERE NOT o.shooting) AS ca
                FROM shot_on_ice o JOIN shots s ON s.shot_id = o.shot_id
                WHERE NOT o.goalie AND {"s.strength = '5v5' AND NOT coalesce(s.empty_net, FALSE)" if situation == "5v5" else "TRUE"}
                GROUP BY o.team ORDER BY o.team"""
        ).fetchdf()
        got = df.groupby("team")[["cf", "ca"]].sum().reset_index().sort_values("team")
        assert got["cf"].tolist() == want["cf"].tolist() and got["ca"].tolist() == want["ca"].tolist()
    five = on_ice(con, season="2025-26", situation="5v5")
    attempts = con.execute(
        "SELECT count(*) FROM shots WHERE strength = '5v5' AND NOT coalesce(empty_net, FALSE) "
        "AND game_id IN (SELECT game_id FROM shot_on_ice)"
    ).fetchone()[0]
    assert five["cf"].sum() == 5 * attempts  # five skaters a side at 5v5, each credited
    assert (five["cf"] + five["ca"]).max() > 20


def test_lines_wowy_talent_and_teams_on_real_shifts(con) -> None:
    trios = lines(con, season="2025-26", kind="F3", situation="all")
    assert len(trios) > 10 and trios["together_min"].notna().all()
    top = trios.iloc[0]
    assert top["together_min"] > 5 and len(top["player_ids"]) == 3 and top["names"].count(" - ") == 2
    a, b = top["player_ids"][:2]
    w = wowy(con, a, b, season="2025-26", situation="all").set_index("with")
    assert w.loc["together", "toi_min"] >= top["together_min"] - 1e-9  # a pair is together at least as long
    assert w.loc["together", "cf"] + w.loc["together", "ca"] >= top["attempts_together"]
    pairs = lines(con, season="2025-26", kind="D2")
    assert len(pairs) > 4
    shooters = talent(con, season="2025-26")  # no model: nothing scored, so no talent rows
    assert len(shooters) == 0
    teams = team_rates(con, season="2025-26", situation="all")
    assert len(teams) >= 2 and (teams["toi_min"] >= 60 * teams["gp"]).all() and (teams["cf60"] > 0).all()
