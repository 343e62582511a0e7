"""The game recap: what it reads, the export command's two files, the page offline in Chromium, the Games page button.

The page is opened by Playwright in Debian's Chromium with the context offline and every
request that is not the file itself aborted (and recorded): plotly.js must be inlined and
nothing fetched. "Deserved to win" on the page is checked against the exact Poisson-binomial
shares of the stored chances, within three standard errors of the simulation.
"""

from __future__ import annotations

import io
import os
import re

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from oa.broadcast.deserved import exact
from oa.broadcast.recap import NoGame, power_plays, read_recap
from oa.settings import chromium_path
from oa.store import Store
from tests.broadcast.test_export import clean
from tests.test_cli import oa


@pytest.fixture(scope="module")
def game_id(model_store) -> int:
    """The game with the most rated shots (a goal, a save and every team's three chances are in it)."""
    with Store(model_store, read_only=True) as st:
        return int(
            st.query(
                """SELECT s.game_id FROM shots s JOIN shot_scores sc USING (shot_id)
                   GROUP BY s.game_id ORDER BY count(*) DESC, s.game_id LIMIT 1"""
            )["game_id"].iloc[0]
        )


def stored(db, game_id: int) -> tuple[dict, dict[str, np.ndarray]]:
    """The game's row and each team's stored chances (unblocked shots, the active model), read directly."""
    with Store(db, read_only=True) as st:
        g = st.query("SELECT * FROM games WHERE game_id = $g", {"g": game_id}).iloc[0].to_dict()
        p = st.query(
            """SELECT s.team, sc.p_goal FROM shots s JOIN shot_scores sc USING (shot_id)
               WHERE s.game_id = $g AND s.outcome <> 'BLOCK'
                 AND sc.model_id IN (SELECT model_id FROM models WHERE active)""",
            {"g": game_id},
        )
    return g, {t: p.loc[p["team"] == t, "p_goal"].to_numpy(float) for t in (g["home_team"], g["away_team"])}


def test_power_plays_run_from_the_penalty_to_its_end_or_the_goal() -> None:
    ev = pd.DataFrame(
        [
            (100.0, "PENALTY", "AAA", "MINOR"),
            (220.0, "PENALTY_END", "AAA", None),  # its end, as the demo league writes it
            (500.0, "PENALTY", "BBB", "Tripping(2 min)"),  # no end event: two minutes ...
            (560.0, "GOAL", "AAA", "WRIST"),  # ... cut short by the power-play goal
            (900.0, "PENALTY", "BBB", "Fighting (maj)"),  # five minutes
            (1500.0, "PENALTY", "AAA", "Misconduct(10 min)"),  # no power play
            (3590.0, "PENALTY", "AAA", "Hooking(2 min)"),  # cut by the end of the game
        ],
        columns=["game_seconds", "type", "team", "detail"],
    )
    got = [(p.start, p.end, p.team) for p in power_plays(ev, home="AAA", away="BBB", end=3600.0)]
    assert got == [(100.0, 220.0, "BBB"), (500.0, 560.0, "AAA"), (900.0, 1200.0, "AAA"), (3590.0, 3600.0, "BBB")]


def test_recap_reads_the_game_its_best_chances_and_deserved_to_win(model_store, game_id) -> None:
    with Store(model_store, read_only=True) as st:
        r = read_recap(st, game_id)
        with pytest.raises(NoGame, match="there is no game 12345"):
            read_recap(st, 12345)
    g, p = stored(model_store, game_id)
    assert (r.home, r.away) == (g["home_team"], g["away_team"])
    for team, cards in r.best.items():
        chances = [c.shot["p_goal"] for c in cards]
        assert len(cards) == min(3, len(p[team])) and chances == sorted(chances, reverse=True)
        assert chances[0] == pytest.approx(p[team].max())
        assert all(c.shot["team"] == team and not c.factors.empty for c in cards)
    assert r.best_save is None or r.best_save.shot["outcome"] == "SAVE"
    assert r.least_likely_goal is None or r.least_likely_goal.shot["outcome"] == "GOAL"
    assert r.xg(r.home) == pytest.approx(p[r.home].sum())
    home, away = exact(p[r.home], p[r.away])
    assert r.deserved is not None
    assert abs(r.deserved.home - home) <= 3 * r.deserved.std_error, (r.deserved, home)
    assert r.deserved.home + r.deserved.away == pytest.approx(1.0)


@pytest.fixture(scope="module")
def exported(model_store, game_id, tmp_path_factory):
    out = tmp_path_factory.mktemp("recap") / "new-folder"  # made by the command
    p = oa("export", "game", str(game_id), "--out", str(out), "--db", str(model_store))
    assert p.returncode == 0, clean(p)
    assert "wrote" in clean(p)
    return out / f"game-{game_id}.html", out / f"game-{game_id}.png"


def test_the_png_is_1920x1080_and_not_blank(exported) -> None:
    im = Image.open(io.BytesIO(exported[1].read_bytes())).convert("RGB")
    assert im.size == (1920, 1080)
    px = np.asarray(im, dtype=float)
    assert px.std() > 25  # not one colour
    assert len(np.unique(px.reshape(-1, 3)[::97], axis=0)) > 200  # words, charts, a rink: many colours
    assert px[600:1000, 660:1260].std() > 30  # the middle (the flow and the map) is drawn


def test_the_page_is_self_contained(exported) -> None:
    html = exported[0].read_text()
    assert "<script src=" not in html and "<link" not in html and "@import" not in html and "@font-face" not in html
    assert "cdn.plot.ly" not in html.split("<body>")[1].split("<script")[0]  # nothing fetched from the markup


def test_the_page_opens_offline_in_chromium_shows_the_score_and_deserved_to_win(exported, model_store, game_id) -> None:
    from playwright.sync_api import sync_playwright

    g, p = stored(model_store, game_id)
    errors: list[str] = []
    fetched: list[str] = []

    def only_the_file(route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            fetched.append(route.request.url)
            route.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"], headless=True)
        try:
            ctx = browser.new_context(viewport={"width": 1600, "height": 1000}, offline=True)
            ctx.route("**/*", only_the_file)
            page = ctx.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(exported[0].as_uri())
            page.wait_for_selector("#flow .main-svg", timeout=30000)  # plotly.js ran: the charts are drawn
            page.wait_for_selector("#map .main-svg", timeout=30000)
            score = " ".join(page.inner_text("#score").split())
            shares = {k: float(page.get_attribute(f"#dtw-{k}", "data-share")) for k in ("home", "away")}
            shown = {k: page.inner_text(f"#dtw-{k}") for k in ("home", "away")}
        finally:
            browser.close()
    assert not errors and not fetched, (errors, fetched)
    assert score.startswith(f"{g['away_score']} – {g['home_score']}")
    home, away = exact(p[g["home_team"]], p[g["away_team"]])
    se = np.sqrt(home * (1 - home) / 10_000) + 1e-9
    assert abs(shares["home"] - home) <= 3 * max(se, 0.002) and abs(shares["away"] - away) <= 3 * max(se, 0.002)
    assert all(re.fullmatch(r"\d+(\.\d)?%", v) for v in shown.values()), shown


def test_hostile_input_is_a_message_and_an_exit_code(model_store, game_id, tmp_path) -> None:
    db = ("--db", str(model_store))
    out = ("--out", str(tmp_path / "out"))
    a_file = tmp_path / "a.txt"
    a_file.write_text("x")
    cases = [
        (["export", "game", "12345", *out, *db], 1, "there is no game 12345"),
        (["export", "game", "abc", *out, *db], 2, "Invalid value for 'game_id'"),
        (["export", "game", "-5", *out, *db], 2, ""),
        (["export", "game", str(game_id), "--out", str(tmp_path / "no" / "such" / "dir"), *db], 1, "does not exist"),
        (["export", "game", str(game_id), "--out", str(a_file), *db], 1, "is a file"),
        (["export", "game", str(game_id), *out, "--db", str(tmp_path / "none.duckdb")], 1, "no store at"),
        (["export", "game", str(game_id), *out, *db, "--theme", str(tmp_path / "none.toml")], 2, "no theme file"),
    ]
    if os.geteuid() != 0:  # root writes anywhere
        ro = tmp_path / "ro"
        ro.mkdir(mode=0o500)
        cases.append((["export", "game", str(game_id), "--out", str(ro / "x"), *db], 1, "cannot be written"))
    for args, code, says in cases:
        p = oa(*args)
        text = clean(p)
        assert p.returncode == code, (args, text)
        assert says in text, (args, text)
    assert not (tmp_path / "out").exists()  # nothing made when the recap was not


def test_games_page_offers_the_recap_download(model_store, monkeypatch) -> None:
    from tests.app.test_pages import app, ok

    at = app(monkeypatch, model_store)
    at.switch_page("pages/games.py").run()
    ok(at)
    buttons = [b for b in at.get("download_button") if b.proto.label == "Download recap (HTML + PNG)"]
    assert len(buttons) == 1
    assert "python -m oa export game" in buttons[0].proto.help


def test_the_zip_the_games_page_downloads_holds_the_page_and_the_png(model_store, game_id) -> None:
    import zipfile

    from oa.broadcast.graphic import renderer
    from oa.broadcast.recap import recap_zip
    from oa.broadcast.theme import load_theme

    with Store(model_store, read_only=True) as st:
        r = read_recap(st, game_id)
    try:
        data = recap_zip(r, load_theme())
    finally:
        renderer().close()
    z = zipfile.ZipFile(io.BytesIO(data))
    assert sorted(z.namelist()) == [f"game-{game_id}.html", f"game-{game_id}.png"]
    assert Image.open(io.BytesIO(z.read(f"game-{game_id}.png"))).size == (1920, 1080)
    assert b'id="dtw-home"' in z.read(f"game-{game_id}.html")
