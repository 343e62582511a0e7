"""Each adapter against the real files in ../shared/data: counts the source's README gives."""

from pathlib import Path

import pandas as pd
import pytest

from oa.sources.common import IngestReport
from oa.sources.ingest import ingest
from oa.store import Store
from tests.sources.conftest import first_games

HS = "hockey-scraper-pbp-delara38/hockey_scraper_pbp_2017_18_partial.csv.gz"
MP = "moneypuck-shots-bobby-king3/moneypuck_shots_2023.csv.gz"
HR = "hockeyr-pbp-danmorse314/hockeyr_pbp_2023_24_lite_first168games.csv.gz"


def test_nhl_api_current_envelope_and_legacy(shared, tmp_path):
    files = [
        shared / "nhl-api-web-nickcyp/gamecenter_2024021015_play-by-play.json",
        shared / "nhl-api-web-bbrewington/game_2023020204_play_by_play.json",
        *sorted((shared / "nhl-statsapi-legacy-ffawzi").glob("*.json")),
    ]
    with Store(tmp_path / "api.duckdb") as s:
        r = ingest(s, "nhl_api", files)
        assert r.games == 6 and not r.failed, r.as_dict()
        got = s.query(
            "SELECT game_id, sum((outcome <> 'BLOCK')::INT) AS unblocked, sum(is_goal::INT) AS goals, "
            "avg((x > 0)::INT) AS in_attacking_half FROM shots GROUP BY 1"
        ).set_index("game_id")
        games = s.query("SELECT * FROM games").set_index("game_id")
        feats = s.query("SELECT count(*) AS n FROM shot_features")["n"].iloc[0]
        players = s.query("SELECT * FROM players")
    # the READMEs' counts: 76 and 91 unblocked shots join MoneyPuck 1:1; legacy SHOT + MISSED_SHOT + GOAL
    expect = {
        2024021015: (76, 4),
        2023020204: (91, 5),
        2016021221: (75, 5),
        2016030416: (75, 2),
        2017020616: (86, 6),
        2017030415: (85, 7),
    }
    for g, (unblocked, goals) in expect.items():
        assert (got.loc[g, "unblocked"], got.loc[g, "goals"]) == (unblocked, goals), g
        assert got.loc[g, "in_attacking_half"] > 0.9, "normalised shots are at the attacked net"
    assert (games.loc[2024021015, "home_team"], games.loc[2024021015, "away_score"]) == ("MIN", 3)
    assert games.loc[2016030416, "game_type"] == "P" and games.loc[2023020204, "season"] == "2023-24"
    assert feats == int(got["unblocked"].sum()) + int(s_blocked(tmp_path))
    assert players["shoots"].notna().sum() > 50, "the legacy feed carries handedness"


def s_blocked(tmp_path: Path) -> int:
    with Store(tmp_path / "api.duckdb", read_only=True) as s:
        return int(s.query("SELECT count(*) n FROM shots WHERE outcome = 'BLOCK'")["n"].iloc[0])


def test_hockey_scraper_first_games(shared, tmp_path):
    small = first_games(shared / HS, tmp_path / "hs.csv", "Game_Id", 3)
    raw = pd.read_csv(small, dtype=str)
    with Store(tmp_path / "hs.duckdb") as s:
        r = ingest(s, "hockey_scraper", [small])
        shots = s.query("SELECT * FROM shots")
        games = s.query("SELECT * FROM games ORDER BY game_id")
    att = raw[
        raw["Event"].isin(["SHOT", "MISS", "GOAL", "BLOCK"]) & (raw["Period"].astype(int) < 5) & raw["xC"].notna()
    ]
    assert r.games == 3 and len(shots) == len(att)
    assert int(shots["is_goal"].sum()) == int((att["Event"] == "GOAL").sum())
    assert list(games["game_id"]) == [2017020001, 2017020002, 2017020003]
    unblocked = shots[shots["outcome"] != "BLOCK"]
    assert (unblocked["x"] > 0).mean() > 0.9
    # a blocked shot belongs to the shooting team, and its shooter is p2
    b = shots[shots["outcome"] == "BLOCK"].iloc[0]
    row = att[att["Event"] == "BLOCK"].iloc[0]
    assert b["shooter_id"] == int(float(row["p2_ID"])) and b["team"] == row["Ev_Team"].replace("T.B", "TBL")
    assert set(shots["strength"].dropna()) <= {
        "5v5",
        "5v4",
        "4v5",
        "4v4",
        "5v3",
        "3v5",
        "6v5",
        "5v6",
        "6v4",
        "4v6",
        "3v3",
        "4v3",
        "3v4",
        "6v3",
        "3v6",
    }
    assert r.flipped > 0 and r.shootout_skipped >= 0


def test_moneypuck_keeps_xgoal_for_comparison_only(shared, tmp_path):
    small = first_games(shared / MP, tmp_path / "mp.csv", "game_id", 3)
    raw = pd.read_csv(small)
    with Store(tmp_path / "mp.duckdb") as s:
        r = ingest(s, "moneypuck", [small])
        px = s.query("SELECT * FROM public_xg")
        shots = s.query("SELECT * FROM shots")
        cols = set(
            s.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'shot_features'")[
                "column_name"
            ]
        )
    assert r.games == 3 and len(shots) == len(raw) == len(px)
    assert set(px["model"]) == {"moneypuck"}
    assert abs(px["xg"].sum() - raw["xGoal"].sum()) < 1e-6
    assert not any("xg" in c.lower() for c in cols), "a public model's xG is never a factor"
    assert shots["strength"].isna().all() and shots["empty_net"].isna().all(), "unknown stays unknown"
    # score before each shot comes from the file's goals
    last = shots.sort_values("game_seconds").groupby("game_id").tail(1)
    assert (last["score_for"] + last["score_against"] <= shots.groupby("game_id")["is_goal"].sum().max()).all()


def test_hockeyr_keeps_xg_and_empty_net_from_on_ice_goalies(shared, tmp_path):
    small = first_games(shared / HR, tmp_path / "hr.csv", "game_id", 3)
    raw = pd.read_csv(small)
    with Store(tmp_path / "hr.duckdb") as s:
        r = ingest(s, "hockeyr", [small])
        shots = s.query("SELECT * FROM shots")
        px = s.query("SELECT * FROM public_xg")
    un = raw[raw["event_type"].isin(["SHOT", "MISSED_SHOT", "GOAL"]) & (raw["period_type"] != "SHOOTOUT")]
    assert r.games == 3
    assert int((shots["outcome"] != "BLOCK").sum()) == len(un[un["x"].notna()])
    assert len(px) == un["xg"].notna().sum() and set(px["model"]) == {"hockeyr"}
    assert shots["empty_net"].notna().all()
    goals = shots[shots["is_goal"]]
    assert (goals["score_for"] + goals["score_against"]).min() == 0, "score before the first goal is 0-0"


def test_hockeyr_empty_net_is_not_read_from_gaps_in_the_on_ice_lists(shared, tmp_path):
    """Gaps in the on-ice goalie columns once made 2% of 2023-24 attempts "empty net", most of them saves."""
    small = first_games(shared / HR, tmp_path / "hr.csv", "game_id", 120)
    raw = pd.read_csv(small, low_memory=False)
    with Store(tmp_path / "hr.duckdb") as s:
        ingest(s, "hockeyr", [small])
        shots = s.query("SELECT s.*, g.season FROM shots s JOIN games g USING (game_id) WHERE outcome <> 'BLOCK'")
    assert not shots.loc[shots["outcome"] == "SAVE", "empty_net"].any(), "a save needs a goalie"
    said = raw[(raw["event_type"] == "GOAL") & (raw["period_type"] != "SHOOTOUT") & raw["x"].notna()]
    goals = shots[shots["is_goal"]]
    assert int(goals["empty_net"].sum()) == int((said["empty_net"] == True).sum()) > 0  # noqa: E712
    en = shots[shots["empty_net"]]
    assert len(en) / len(shots) < 0.012  # 0.6% in hockey_scraper seasons; 2.0% with the gaps
    assert en["is_goal"].mean() > 0.4  # empty-net attempts mostly go in (23% with the gaps)


@pytest.mark.parametrize("source", ["hockey_scraper", "moneypuck", "hockeyr", "nhl_api"])
def test_report_names_the_source(source):
    assert IngestReport(source).as_dict()["source"] == source


def test_bigdatacup_play_by_play_with_tracking_clips(shared, tmp_path):
    pxp = shared / "bigdatacup-2022-olympic-tracking/pxp_womens_oly_2022_v2.csv.gz"
    with Store(tmp_path / "bdc.duckdb") as s:
        r = ingest(s, "bigdatacup", [pxp])
        games = s.query("SELECT * FROM games ORDER BY game_id")
        shots = s.query("SELECT * FROM shots")
        tracked = s.query(
            "SELECT s.shot_id, s.release_frame, (SELECT count(*) FROM frames f WHERE f.game_id = s.game_id "
            "AND f.frame_idx = s.release_frame - 1) AS on_ice FROM shots s WHERE release_frame IS NOT NULL"
        )
        feats = s.query("SELECT feature_set, count(*) AS n, count(screens) AS screens FROM shot_features GROUP BY 1")
    assert r.games == 6 and not r.failed and len(shots) == 709 and int(shots["is_goal"].sum()) == 38
    assert games["has_tracking"].all(), "pp_info.csv has power plays for all six games"
    # scores from the goals: Finland 5 ROC 0, Canada 3 USA 2 on 8 February
    g = games.set_index(["home_team", "away_team"])
    assert tuple(g.loc[("FIN", "ROC"), ["home_score", "away_score"]]) == (5, 0)
    assert tuple(g.loc[("USA", "CAN"), ["home_score", "away_score"]]) == (2, 3)
    # shots inside tracked power plays get a release frame with players on the ice
    assert len(tracked) > 50 and (tracked["on_ice"] >= 3).mean() > 0.9
    f = feats.set_index("feature_set")
    assert f.loc["tracking", "n"] == len(tracked) and f.loc["tracking", "screens"] == len(tracked)
    assert f.loc["pbp", "screens"] == 0, "shots outside the tracked windows have no tracking factors"
