"""The Live page under AppTest: empty folder, published shots as cards, opening a stored and a live-only shot."""

from __future__ import annotations

import json
import math
import shutil
import time

import pandas as pd
import pytest

from oa.app import live as L
from oa.live.publish import Publisher
from oa.settings import live_dir
from tests.app.live_data import live_only, rows
from tests.app.test_pages import app, ok

LIVE = "pages/live.py"
LIVE_ONLY_ID = 9_990_000_0001


@pytest.fixture
def store(tiny_store, tmp_path):
    """A private copy of the tiny store, so its live folder is this test's alone."""
    db = tmp_path / "tiny.duckdb"
    shutil.copy(tiny_store, db)
    return db


def texts(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_no_live_games_is_a_friendly_message(store, monkeypatch):
    at = app(monkeypatch, store)
    at.switch_page(LIVE).run()
    ok(at)
    assert at.title[0].value == "Live"
    info = [i.value for i in at.info]
    assert any("No live games" in i and "python -m oa live --games 4" in i for i in info), info
    assert not at.get("plotly_chart")


def test_published_shots_show_as_cards_with_map_and_games(store, monkeypatch):
    pub = Publisher(live_dir(store))
    shots = rows(store, n=8)
    for r in shots:
        pub.shot(r)
    pub.shot(live_only(shots[0], LIVE_ONLY_ID, game_id=99))
    at = app(monkeypatch, store)
    at.switch_page(LIVE).run()
    ok(at)
    md = texts(at)
    # the newest ten: every published shot, with the shooter's name from the store and signed points
    assert md.count("danger ·") >= 9, md  # tier badges with the chance
    assert "Player" in md and " pts**" in md
    assert "ft from the net" in md  # a factor in words
    buttons = {b.key: b.label for b in at.button}
    assert buttons[f"live_btn_{LIVE_ONLY_ID}"] == "Factors"
    assert buttons[f"live_btn_{shots[-1]['shot_id']}"] == "Open shot"
    assert len(at.get("plotly_chart")) == 1
    games = at.dataframe[0].value
    assert len(games) == 2 and set(games["Status"]) == {"live"}
    assert list(games.columns) == ["Game", "Shots", "xG", "Last shot", "Updated", "Status"]
    assert sum(int(a) + int(h) for a, h in games["Shots"].str.split(" – ")) == 9
    xg = sum(float(a) + float(h) for a, h in games["xG"].str.split(" – "))
    assert xg == pytest.approx(sum(r["p_goal"] for r in shots) + shots[0]["p_goal"], abs=0.011)


def test_a_live_only_shot_opens_inline_and_a_stored_one_opens_its_page(store, monkeypatch):
    pub = Publisher(live_dir(store))
    shots = rows(store, n=3)
    for r in shots:
        pub.shot(r)
    pub.shot(live_only(shots[0], LIVE_ONLY_ID))
    at = app(monkeypatch, store)
    at.switch_page(LIVE).run()
    at.button(key=f"live_btn_{LIVE_ONLY_ID}").click().run()
    ok(at)
    assert f"Shot {LIVE_ONLY_ID} · live only" in texts(at)
    assert len(at.get("plotly_chart")) == 2  # the map and the inline waterfall
    at.button(key="live_close").click().run()
    ok(at)
    assert "live only" not in texts(at)
    sid = shots[1]["shot_id"]
    at.button(key=f"live_btn_{sid}").click().run()
    ok(at)
    assert at.query_params.get("shot") in (str(sid), [str(sid)])
    assert any(t.value == "Shot detail" for t in at.title)


def test_a_game_pick_narrows_the_cards(store, monkeypatch):
    pub = Publisher(live_dir(store))
    games = sorted({r["game_id"] for r in rows(store, n=40)})[:2]
    for g in games:
        for r in rows(store, n=3, game_id=g):
            pub.shot(r)
    at = app(monkeypatch, store)
    at.switch_page(LIVE).run()
    assert len([b for b in at.button if str(b.key).startswith("live_btn_")]) == 6
    at.selectbox(key="live_game").set_value(games[1]).run()
    ok(at)
    keys = [b.key for b in at.button if str(b.key).startswith("live_btn_")]
    assert len(keys) == 3 and all(k.startswith(f"live_btn_{games[1]}") for k in keys)


def test_factors_in_words_and_the_games_summary():
    top = json.dumps(
        [
            {"factor": "distance", "label": "Distance", "value": 12.2, "pp": 4.26, "logit": 0.5},
            {"factor": "goalie_travel", "label": "x", "value": None, "pp": -1.04, "logit": -0.1},
            {"factor": "shot_type", "label": "x", "value": "SLAP", "pp": 0.5, "logit": 0.05},
            {"factor": "not_a_factor", "label": "Mystery", "value": 3, "pp": 0.1, "logit": 0.01},
        ]
    )
    fs = L.factors(top)
    assert [f["words"] for f in fs][:3] == ["12 ft from the net", "no goalie to move (empty net)", "slap shot"]
    assert fs[3]["words"] == "Mystery: 3"
    assert [L.points(f["pp"]) for f in fs[:2]] == ["+4.3 pts", "-1.0 pts"]
    assert L.factors("not json") == [] and L.factors(None) == []
    # as the scorer publishes them: values already in words are kept
    said = json.dumps(
        [
            {"factor": "distance", "value": "60 ft from the net", "pp": -0.8, "logit": -0.3},
            {"factor": "shot_type", "value": "slap shot", "pp": 0.2, "logit": 0.1},
        ]
    )
    assert [f["words"] for f in L.factors(said)] == ["60 ft from the net", "slap shot"]
    fr = L.factor_frame({"top_factors": top, "p_goal": 0.2, "base_logit": -2.5})
    assert fr["factor"].iloc[-1] == "other"
    assert fr["contribution_pp"].sum() == pytest.approx(20 - 100 / (1 + math.exp(2.5)))
    assert fr["contribution"].sum() == pytest.approx(math.log(0.2 / 0.8) + 2.5)
    now = time.time()
    df = pd.DataFrame(
        {
            "game_id": [7, 7, 7, 8],
            "team": ["A", "B", "A", "C"],
            "opponent": ["B", "A", "B", "D"],
            "is_home": [True, False, True, False],
            "p_goal": [0.1, 0.2, 0.3, 0.05],
            "period": [2, 1, 1, 3],
            "period_seconds": [65.0, 30.0, 10.0, 5.0],
            "published_at": [now - 3, now - 5, now - 8, now - 200],
        }
    )
    s = L.summary(df, {8}, now).set_index("Id")
    assert s.loc[7, "Game"] == "B @ A" and s.loc[7, "Home shots"] == 2 and abs(s.loc[7, "Home xG"] - 0.4) < 1e-9
    assert s.loc[7, "Away xG"] == pytest.approx(0.2) and s.loc[7, "Last shot"] == "P2 1:05"
    assert s.loc[7, "Status"] == "live" and s.loc[8, "Status"] == "final" and s.loc[8, "Game"] == "C @ D"
    assert s.loc[8, "Updated"] == "3 min ago"


def test_a_broken_part_is_a_note_not_an_exception(store, monkeypatch):
    bad = live_dir(store) / "shots" / "1" / "1.parquet"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"not parquet")
    at = app(monkeypatch, store)
    at.switch_page(LIVE).run()
    ok(at)
    assert any("Could not show the live ratings just now" in w.value for w in at.warning)


def test_a_real_game_shows_its_scoreboard_and_flow(store, monkeypatch):
    """A game with a published scoreboard (`oa live nhl`): score, clock, team colours, shots and xG, game flow;
    a withdrawn shot is not shown."""
    pub = Publisher(live_dir(store))
    g = sorted({r["game_id"] for r in rows(store, n=40)})[0]
    shots = rows(store, n=4, game_id=g)
    for i, r in enumerate(shots):
        pub.shot({**r, "outcome": "GOAL" if i == 0 else "SAVE"})
    pub.withdraw(g, shots[-1]["shot_id"])
    home = shots[0]["team"] if shots[0]["is_home"] else shots[0]["opponent"]
    away = shots[0]["opponent"] if shots[0]["is_home"] else shots[0]["team"]
    pub.state(
        g,
        {"game_state": "LIVE", "home_team": home, "away_team": away, "home_score": 1, "away_score": 0}
        | {"period": 2, "period_type": "REG", "clock": "12:34", "in_intermission": False, "running": True},
    )
    at = app(monkeypatch, store)
    at.switch_page(LIVE).run()
    ok(at)
    md = texts(at)
    assert "**0 – 1**" in md and "P2 12" in md and "xG 0." in md, md
    assert len([b for b in at.button if str(b.key).startswith("live_btn_")]) == 3  # the withdrawn one is gone
    at.selectbox(key="live_game").set_value(g).run()
    ok(at)
    assert len(at.get("plotly_chart")) == 2  # the game flow beside the map
    assert (
        L.when({"game_state": "OFF"}) == "final"
        and L.when({"game_state": "LIVE", "in_intermission": True, "period": 1}) == "P1 intermission"
    )
