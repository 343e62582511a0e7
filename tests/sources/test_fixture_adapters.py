"""Each adapter's mapping checked against the synthetic fixtures (no ../shared needed).

The fixtures are written from one plan of two games (`make_fixtures.plan`), so what every
source must store is known exactly: the shots normalised to the attacked net, blocked shots
belonging to the shooting team, the score before each shot, what a provider lacks left
unknown. The shared-data tests (test_adapters.py) check the same things on real files.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from oa.sources.bigdatacup import TEAMS as BDC_CODES
from oa.sources.ingest import ingest
from oa.store import Store
from tests.sources.corpus import FIXTURES
from tests.sources.fixtures.make_fixtures import BDC_TEAMS, GAMES, plan, player

ATTEMPTS = ("SHOT", "MISS", "BLOCK", "GOAL")
FILES = {
    "hockey_scraper": ["hockey_scraper/pbp.csv"],
    "nhl_api": ["nhl_api/game_1.json", "nhl_api/game_2.json"],
    "nhl_api_legacy": ["nhl_api_legacy/game_1.json"],
    "hockeyr": ["hockeyr/pbp.csv"],
    "moneypuck": ["moneypuck/shots.csv"],
    "bigdatacup": ["bigdatacup/pxp.csv"],
}
KINDS = {"moneypuck": ("SHOT", "MISS", "GOAL")}  # the MoneyPuck extract has unblocked attempts only
GAME_COUNT = {"nhl_api_legacy": 1}


def adapter(case: str) -> str:
    return "nhl_api" if case == "nhl_api_legacy" else case


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> dict[str, tuple[dict, dict[str, pd.DataFrame]]]:
    """Per case: the ingest report and the stored tables (factors off: only the adapter is under test)."""
    root = tmp_path_factory.mktemp("fixture_adapters")
    out = {}
    for case, files in FILES.items():
        with Store(root / f"{case}.duckdb") as s:
            r = ingest(s, adapter(case), [FIXTURES / f for f in files], features=False)
            tables = {t: s.query(f"SELECT * FROM {t}") for t in ("games", "events", "shots", "players", "public_xg")}
            tables["frames"] = s.query("SELECT * FROM frames ORDER BY game_id, entity_id, frame_idx")
        out[case] = (r.as_dict(), tables)
    return out


def expected_shots(case: str) -> pd.DataFrame:
    """The plan's attempts as every source must store them (normalised: the shooting team attacks +x)."""
    rows = []
    for g in range(GAME_COUNT.get(case, 2)):
        home, away = GAMES[g]
        for e in plan(g):
            if e.kind not in KINDS.get(case, ATTEMPTS):
                continue
            sign = 1.0 if e.x > 0 else -1.0
            team = home if e.side == "home" else away
            team = {"moneypuck": e.side.upper(), "bigdatacup": BDC_CODES[BDC_TEAMS[team]]}.get(case, team)
            for_, against = (e.home_score, e.away_score) if e.side == "home" else (e.away_score, e.home_score)
            rows.append(
                dict(
                    game=g,
                    period=e.period,
                    period_seconds=float(e.sec),
                    kind=e.kind,
                    team=team,
                    shooter=e.p1,
                    x=abs(e.x),
                    # the MoneyPuck fixture writes y unturned: a normalised source's points are kept as given
                    y=e.y if case == "moneypuck" else e.y * sign,
                    recorded_sign=sign,
                    score_for=for_,
                    score_against=against,
                )
            )
    return pd.DataFrame(rows)


def shots_in_plan_order(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    s = tables["shots"].copy()
    s["game"] = s["game_id"].rank(method="dense").astype(int) - 1
    return s.sort_values(["game", "period", "period_seconds"]).reset_index(drop=True)


@pytest.mark.parametrize("case", list(FILES))
def test_every_shot_is_stored_normalised_to_the_attacked_net(stored, case):
    report, tables = stored[case]
    assert not report["failed"] and not report["rejected"], report
    want, got = expected_shots(case), shots_in_plan_order(tables)
    assert len(got) == len(want) and report["shots"] == len(want)
    assert report["games"] == GAME_COUNT.get(case, 2)
    np.testing.assert_array_equal(got["period"], want["period"])
    np.testing.assert_allclose(got["period_seconds"], want["period_seconds"])
    np.testing.assert_allclose(got["x"], want["x"])
    np.testing.assert_allclose(got["y"], want["y"])
    assert (got["x"] > 0).all(), "every planned attempt is in the attacking half"
    outcome = {"SHOT": "SAVE", "MISS": "MISS", "BLOCK": "BLOCK", "GOAL": "GOAL"}
    assert got["outcome"].tolist() == want["kind"].map(outcome).tolist()


@pytest.mark.parametrize("case", ["hockey_scraper", "nhl_api", "nhl_api_legacy", "hockeyr"])
def test_fixed_rink_sources_flip_the_shots_recorded_at_the_other_end(stored, case):
    """These providers record where on the rink a shot was: half the attempts face -x and are turned."""
    report, tables = stored[case]
    want, got = expected_shots(case), shots_in_plan_order(tables)
    assert got["flipped"].tolist() == (want["recorded_sign"] < 0).tolist()
    assert report["shots_flipped"] == int((want["recorded_sign"] < 0).sum()) > 0
    # events keep the rink as recorded: the plan's own coordinates, not normalised
    ev = tables["events"]
    att = ev[ev["type"].isin(ATTEMPTS)].sort_values(["game_id", "period", "period_seconds"])
    np.testing.assert_allclose(att["x"].to_numpy(dtype=float), want["x"] * want["recorded_sign"])


def test_normalised_source_is_never_flipped(stored):
    """MoneyPuck's coordinates are already adjusted (its coordinate system says NORMALISED)."""
    report, tables = stored["moneypuck"]
    assert not tables["shots"]["flipped"].any() and report["shots_flipped"] == 0


@pytest.mark.parametrize("case", list(FILES))
def test_shots_carry_the_shooting_team_and_the_score_before_them(stored, case):
    _, tables = stored[case]
    want, got = expected_shots(case), shots_in_plan_order(tables)
    assert got["team"].tolist() == want["team"].tolist(), "a blocked shot belongs to the shooting team"
    assert got["score_for"].tolist() == want["score_for"].tolist()
    assert got["score_against"].tolist() == want["score_against"].tolist()
    assert int(got["is_goal"].sum()) == int((want["kind"] == "GOAL").sum())


@pytest.mark.parametrize("case", ["hockey_scraper", "nhl_api", "nhl_api_legacy", "hockeyr", "moneypuck"])
def test_the_shooter_is_the_shooter_on_blocked_shots_too(stored, case):
    _, tables = stored[case]
    want, got = expected_shots(case), shots_in_plan_order(tables)
    assert got["shooter_id"].astype(float).tolist() == want["shooter"].astype(float).tolist()


@pytest.mark.parametrize("case", ["hockey_scraper", "nhl_api", "hockeyr"])
def test_strength_and_empty_net_from_the_skaters_on_the_ice(stored, case):
    _, tables = stored[case]
    s = tables["shots"]
    assert set(s["strength"]) == {"5v5"} and not s["empty_net"].astype(bool).any()
    saves = s[s["outcome"] == "SAVE"]
    game_of = {gid: g for g, gid in enumerate(sorted(tables["games"]["game_id"]))}
    # the defending goalie of every save is the other team's (k = 6)
    for gid, team, goalie in zip(saves["game_id"], saves["team"], saves["goalie_id"]):
        home, away = GAMES[game_of[gid]]
        assert goalie == player(away if team == home else home, 6)


def test_what_moneypuck_lacks_stays_unknown_and_its_xgoal_is_kept_for_comparison(stored):
    _, t = stored["moneypuck"]
    raw = pd.read_csv(FIXTURES / "moneypuck/shots.csv")
    assert t["shots"]["strength"].isna().all() and t["shots"]["empty_net"].isna().all()
    assert t["shots"]["goalie_id"].isna().all()
    assert set(t["games"]["home_team"]) == {"HOME"} and set(t["games"]["away_team"]) == {"AWAY"}
    px = t["public_xg"]
    assert set(px["model"]) == {"moneypuck"} and len(px) == len(raw)
    assert px["xg"].sum() == pytest.approx(raw["xGoal"].sum())


def test_hockeyr_keeps_its_xg_on_unblocked_attempts_and_says_empty_net_for_every_attempt(stored):
    _, t = stored["hockeyr"]
    raw = pd.read_csv(FIXTURES / "hockeyr/pbp.csv")
    unblocked = raw[raw["event_type"].isin(["SHOT", "MISSED_SHOT", "GOAL"])]
    px = t["public_xg"]
    assert set(px["model"]) == {"hockeyr"} and len(px) == len(unblocked)
    assert px["xg"].sum() == pytest.approx(unblocked["xg"].sum())
    assert t["shots"]["empty_net"].notna().all()
    assert t["players"]["name"].str.contains(".", regex=False).sum() == 0, "hockeyR's dotted names are spelled out"


def test_legacy_feed_direction_is_derived_and_players_carry_hands_and_heights(stored):
    _, t = stored["nhl_api_legacy"]
    assert t["shots"]["strength"].isna().all(), "the legacy feed has no skater counts"
    p = t["players"].set_index("player_id")
    assert p["shoots"].notna().all() and p["height_in"].between(73, 78).all()
    g = t["games"].iloc[0]
    assert (g["game_id"], g["season"], g["home_team"], g["away_team"]) == (2023020001, "2023-24", "TOR", "MTL")


def test_bigdatacup_tracking_clips_are_stored_and_set_the_attacking_ends(stored):
    """Period 1 is tracked: its events are turned to the end each team attacked (away from its own
    goalie, as the rink shows it); untracked periods stay as the play-by-play records them."""
    _, t = stored["bigdatacup"]
    assert t["games"]["has_tracking"].all() and set(t["games"]["fps"]) == {30.0}
    assert len(t["frames"]) == 2 * 30 * 4  # two clips of 30 frames, 4 tracked players each
    want = expected_shots("bigdatacup")
    ev = t["events"]
    att = ev[ev["type"].isin(ATTEMPTS)].sort_values(["game_id", "period", "period_seconds"]).reset_index(drop=True)
    p1 = (att["period"] == 1).to_numpy()
    np.testing.assert_allclose(att["x"][p1], (want["x"] * want["recorded_sign"])[p1])
    np.testing.assert_allclose(att["x"][~p1], want["x"][~p1])
    # frames are in rink feet from centre ice: the home goalie stood at x = 12 of 200
    home_goalie = t["frames"][t["frames"]["x"] < 0]
    assert home_goalie["x"].min() == pytest.approx(-88.0)


def test_edge_bios_fill_hands_and_heights_without_erasing_names(tmp_path: Path):
    with Store(tmp_path / "edge.duckdb") as s:
        ingest(s, "hockey_scraper", [FIXTURES / "hockey_scraper/pbp.csv"], features=False)
        before = s.query("SELECT player_id, name FROM players").set_index("player_id")["name"]
        r = ingest(s, "nhl_edge", [FIXTURES / "nhl_edge/bios.json"], features=False)
        after = s.query("SELECT * FROM players").set_index("player_id")
    assert not r.failed and r.players == 18
    known = after.loc[before.index]
    assert known["shoots"].notna().all() and known["height_in"].notna().all()
    assert (known["name"] == before).all(), "bios fill gaps; stored names stay"
