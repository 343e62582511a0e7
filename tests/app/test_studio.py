"""The Live page's studio view: one game full screen, built from the live folder, large type, hostile-safe."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

from oa.app import studio as S
from oa.broadcast.theme import load_theme
from oa.live.publish import COLUMNS, Publisher
from oa.settings import DEFAULT_THEME, live_dir
from tests.app.live_data import live_only, rows
from tests.app.test_pages import app, ok

LIVE = "pages/live.py"
THEME = load_theme(DEFAULT_THEME)


@pytest.fixture
def store(tiny_store, tmp_path):
    db = tmp_path / "tiny.duckdb"
    shutil.copy(tiny_store, db)
    return db


def _live(store, n: int = 8) -> list[dict]:
    out = rows(store, n=n)
    pub = Publisher(live_dir(store))
    for r in out:
        pub.shot(r)
    return out


def _frame(rs: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rs).reindex(columns=list(COLUMNS))
    df["published_at"] = range(len(df), 0, -1)  # newest first, as the live reader returns them
    return df


def _html(at) -> str:
    bodies = [e.proto.body for e in at.get("html")]
    return next((b for b in bodies if S.ROOT_ID in b), "")


def test_the_studio_link_opens_one_game_full_screen(store, monkeypatch):
    shots = _live(store, n=6)
    gid = shots[0]["game_id"]
    pub = Publisher(live_dir(store))
    pub.state(
        gid,
        {
            "game_state": "LIVE",
            "home_team": "HOM",
            "away_team": "AWY",
            "home_score": 3,
            "away_score": 1,
            "period": 2,
            "period_type": "REG",
            "clock": "07:45",
            "in_intermission": False,
            "running": True,
        },
    )
    at = app(monkeypatch, store, view="studio")
    at.switch_page(LIVE).run()
    ok(at)
    html = _html(at)
    assert html, "the studio view is drawn"
    assert not at.title, "no page title: the view covers the screen"
    assert f"data-game='{gid}'" in html
    assert "P2 07:45" in html and "● LIVE" in html
    assert "data-side='home'>3<" in html and "data-side='away'>1<" in html
    newest = max(shots, key=lambda r: r["event_idx"])  # published last
    assert f"data-newest='{newest['shot_id']}'" in html
    assert " pts<" in html and "CHANCE OF A GOAL" in html
    css = " ".join(e.proto.body for e in at.get("html"))
    assert "stSidebar" in css and "display: none" in css  # Streamlit's chrome hidden


def test_without_live_games_the_studio_says_how_to_start_one(store, monkeypatch):
    at = app(monkeypatch, store, view="studio")
    at.switch_page(LIVE).run()
    ok(at)
    html = _html(at)
    assert "No live games" in html and "python -m oa live --games 4" in html


def test_a_held_game_stays_and_a_bad_one_follows_the_newest(store):
    from oa.store import Store

    with Store(store, read_only=True) as st:
        g1, g2 = (int(g) for g in st.query("SELECT game_id FROM games ORDER BY game_id LIMIT 2")["game_id"])
    rs = rows(store, n=4, game_id=g1) + rows(store, n=4, game_id=g2)
    df = _frame(list(reversed(rs)))  # the second game's shots are the newest
    newest_game, other = int(df["game_id"].iloc[0]), int(df["game_id"].iloc[-1])
    assert S.pick_game(df, None) == newest_game
    assert S.pick_game(df, other) == other
    for bad in (12345, -1, None):
        assert S.pick_game(df, bad) == newest_game
    b = S.build(df, {}, other, {}, {})
    assert b is not None and b.game_id == other
    assert len(b.others) == 1  # the other live game, on the bottom line
    g = df[df["game_id"] == other]
    assert pytest.approx(b.away.xg + b.home.xg) == g["p_goal"].sum()
    assert b.away.shots + b.home.shots == len(g)


def test_score_comes_from_the_scoreboard_else_the_published_goals_else_a_dash(store):
    rs = rows(store, n=5)
    df = _frame(rs)
    team = str(df["team"].iloc[0])
    b = S.build(df, {}, None, {}, {})
    assert b.away.score is None and b.home.score is None  # nothing says the score
    assert "data-side='home'>–<" in S.render(b, THEME)
    df["outcome"] = "SAVE"
    df.loc[df.index[0], "outcome"] = "GOAL"
    b = S.build(df, {}, None, {}, {})
    scored = b.away if b.away.code == team else b.home
    assert scored.score == 1
    board = {
        "home_score": 4,
        "away_score": 2,
        "game_state": "FINAL",
        "home_team": b.home.code,
        "away_team": b.away.code,
    }
    b = S.build(df, {int(df["game_id"].iloc[0]): board}, None, {}, {})
    assert (b.home.score, b.away.score, b.status, b.live) == (4, 2, "Final", False)


def test_every_type_size_is_at_least_the_minimum():
    css = S._css(THEME)
    sizes = [int(x) for x in re.findall(r"font-size:\s*(\d+)px", css)]
    assert sizes and min(sizes) >= S.MIN_PX, sorted(sizes)
    assert "em;" not in css.replace("line-height", "")  # no relative sizes that could shrink below it


@settings(max_examples=60, deadline=None)
@given(name=hs.text(min_size=0, max_size=80), colour=hs.text(max_size=30))
def test_hostile_names_and_colours_never_reach_the_page_unescaped(name, colour):
    own = {"AAA": (name, colour)}
    n, c = S.team_style("AAA", own, THEME)
    assert S.HEX.match(c), c  # never a store's text in a style attribute
    df = _frame(
        [
            {
                "shot_id": 1,
                "game_id": 7,
                "event_idx": 1,
                "period": 1,
                "period_seconds": 30.0,
                "team": "AAA",
                "opponent": "BBB",
                "is_home": True,
                "shooter_id": 5,
                "goalie_id": 6,
                "shot_type": "WRIST",
                "strength": name[:10],
                "p_goal": 0.2,
                "tier": "medium",
                "top_factors": '[{"factor": "distance", "value": "'
                + name.replace('"', "").replace("\\", "")
                + '", "pp": 1.5}]',
            }
        ]
    )
    b = S.build(df, {}, None, {5: name, 6: name}, {"AAA": (n, c)})
    out = S.render(b, THEME)
    body = out.split("</style>", 1)[1]
    assert "<script" not in body.lower()
    for tag in re.findall(r"<\s*([a-zA-Z][\w-]*)", body):
        assert tag in ("div", "span"), tag


def test_a_live_only_game_and_garbage_rows_do_not_break_the_view(store, monkeypatch):
    shots = _live(store, n=3)
    pub = Publisher(live_dir(store))
    pub.shot(live_only(shots[0], 9_990_000_0009, game_id=4242))
    (live_dir(store) / "state").mkdir(exist_ok=True)
    (live_dir(store) / "state" / "4242.json").write_text("{not json")
    at = app(monkeypatch, store, view="studio", live_game="not-a-number")
    at.switch_page(LIVE).run()
    ok(at)
    assert "data-game='4242'" in _html(at)  # the newest shot's game, the bad link value ignored


def test_the_clock_counts_down_like_the_score_bug():
    assert S.countdown(92025020001, 1, 212) == "P1 16:28"
    assert S.countdown(2023020204, 4, 60) == "OT 4:00"  # regular-season overtime: five minutes
    assert S.countdown(2023030415, 4, 60) == "OT 19:00"  # playoffs: twenty
    assert S.countdown(2023030415, 5, 1300) == "2OT 0:00"
    assert S.countdown(None, "x", 3) == ""


def test_two_teams_in_the_same_colour_are_told_apart():
    same = S.distinct("#1f4e79", "#1f4e79", "QUE")
    assert same != "#1f4e79" and S.HEX.match(same)
    assert S.distinct("#c2185b", "#1f4e79", "HAC") == "#c2185b"  # far enough: kept

    @given(a=hs.from_regex(S.HEX, fullmatch=True), code=hs.text(min_size=1, max_size=4))
    @settings(max_examples=80, deadline=None)
    def never_too_close(a, code):
        import math

        out = S.distinct(a, a, code)
        assert S.HEX.match(out)
        rgb = lambda c: (int(c[1:3], 16), int(c[3:5], 16), int(c[5:7], 16))  # noqa: E731
        assert math.dist(rgb(out), rgb(a)) > 30, (a, out)

    never_too_close()
