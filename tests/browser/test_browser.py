"""The dashboard in a real browser: `streamlit run app.py` on loopback, Debian's Chromium via Playwright.

Visits every page, checks there is no Streamlit exception, clicks a shot marker on the
explorer's rink and checks the shot detail opens with the replay's play button and
frame slider; clicks a League map marker; publishes live shots while the Live page is
open and checks they appear without a reload. Screenshots go to artifacts/browser/
(git-ignored). In CI (CI=true) a missing Chromium is a failure; locally the test is
skipped without it.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from oa.live.publish import Publisher
from oa.settings import live_dir
from tests.app.live_data import live_only, rows
from tests.browser.harness import (
    PAGES,
    browser,
    click_first_marker,
    first_visit,
    screenshots,
    streamlit_server,
    wait_idle,
)

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"


def test_every_page_and_a_shot_click_in_chromium(chromium, model_store):
    seen = screenshots(model_store, ARTIFACTS)
    for name in PAGES:
        page = seen[name or "league"]
        assert page["exceptions"] == 0, (name, page)
        assert page["charts"] >= 1, (name, page)
    clicked = seen["clicked"]
    assert "/shot?shot=" in clicked["url"]
    assert clicked["exceptions"] == 0
    assert clicked["play"] >= 2, "play and pause buttons"
    assert clicked["slider"] >= 1, "frame slider"
    shots = sorted(p.name for p in ARTIFACTS.glob("*.png"))
    assert "shot_clicked.png" in shots and len(shots) >= len(PAGES) + 1


def test_a_deep_link_as_the_first_request_gets_the_whole_app(chromium, model_store):
    """Streamlit serves a fresh server's first deep link straight from pages/; the guard runs app.py."""
    seen = first_visit(model_store, "explorer?tier=high", ARTIFACTS)
    assert seen["exceptions"] == 0
    assert any("Shot explorer" in t for t in seen["nav"]), seen["nav"]
    assert not any(t.strip() == "explorer" for t in seen["nav"]), "raw file names mean app.py did not run"
    assert seen["data_source"] >= 1, "the shared sidebar filters are there"


def test_league_markers_open_shots_and_live_shots_appear_without_a_reload(chromium, model_store):
    """One server: a League map click opens the shot; shots published while /live is open show up within ~2 s."""
    folder = live_dir(model_store)
    shutil.rmtree(folder, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    game = rows(model_store, n=1)[0]["game_id"]
    first, second = rows(model_store, n=3, game_id=game), rows(model_store, n=4, game_id=game, offset=3)
    lone = live_only(second[-1], 9_990_000_0001, game_id=999)
    try:
        with streamlit_server(model_store) as url, browser() as page:
            # League: its shot map's markers open the shot, as the explorer's do
            page.goto(url)
            wait_idle(page)
            click_first_marker(page, 0)
            page.wait_for_url("**/shot?shot=*", timeout=30000)
            wait_idle(page)
            assert page.locator("[data-testid='stException']").count() == 0

            page.goto(f"{url}/live")
            page.wait_for_selector("text=No live games", timeout=60000)
            assert page.get_by_text("python -m oa live --games 4").count() >= 1
            page.evaluate("window.__no_reload = 1")  # gone if the page reloads
            pub = Publisher(folder)
            waits = []
            for batch in (first, [*second, lone]):
                t0 = time.time()
                for r in batch:
                    pub.shot(r)
                for r in batch:
                    page.wait_for_selector(f".st-key-live_card_{r['shot_id']}", timeout=2500)
                waits.append(time.time() - t0)
            assert page.evaluate("window.__no_reload") == 1
            print("live publish-to-screen seconds:", [round(w, 2) for w in waits])
            # the first batch also loads plotly.js for the page's first chart; after that a shot
            # shows within one refresh (0.5 s) plus a render (measured 0.46-0.52 s here)
            assert waits[0] < 2.5 and waits[1] < 1.5, waits
            assert page.locator("[data-testid='stException']").count() == 0
            assert page.get_by_text("live only").count() == 0
            page.locator(".js-plotly-plot").first.wait_for(timeout=15000)
            time.sleep(1.2)  # one more refresh, then the picture
            page.screenshot(path=str(ARTIFACTS / "live_cards.png"), full_page=True)

            # a live-only shot opens inline; a stored one opens its page
            page.locator(f".st-key-live_btn_{lone['shot_id']} button").first.click()
            page.wait_for_selector(f"text=Shot {lone['shot_id']} · live only", timeout=15000)
            page.screenshot(path=str(ARTIFACTS / "live_inline.png"), full_page=True)
            page.locator(".st-key-live_close button").first.click()
            page.wait_for_selector(f"text=Shot {lone['shot_id']} · live only", state="detached", timeout=15000)
            stored = first[0]["shot_id"]
            page.locator(f".st-key-live_btn_{stored} button").first.click()
            page.wait_for_url(f"**/shot?shot={stored}*", timeout=15000)
            wait_idle(page)
            assert page.locator("[data-testid='stException']").count() == 0

            # the live map's markers open a shot too: its page, or inline for the live-only one
            page.goto(f"{url}/live")
            page.wait_for_selector(f".st-key-live_card_{lone['shot_id']}", timeout=60000)
            click_first_marker(page, 0)
            t0 = time.time()
            while "/shot?shot=" not in page.url and page.get_by_text("live only (not in the store").count() == 0:
                assert time.time() - t0 < 15, "a live map click opened nothing"
                time.sleep(0.2)
            assert page.locator("[data-testid='stException']").count() == 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)
