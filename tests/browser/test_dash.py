"""The dashboard's behaviour in Chromium that only a browser shows: URL loops, stray requests, injected markup.

- Debates: a leaderboard row acts once, on the click (the URL settles) and a shot is never
  debated against itself.
- Offline: no request leaves 127.0.0.1 and none gets a 4xx, on deep links too.
- Team codes and player names holding `<img>` tags or Markdown images render as text.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

from tests.app.stores import hostile_copy
from tests.app.test_pages import one
from tests.browser.harness import browser, streamlit_server, wait_idle
from tests.browser.test_browser import ARTIFACTS

ROW_PX = 35  # Streamlit's dataframe row (and header) height


def href(page) -> str:
    return page.evaluate("location.href")


def params(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(href(page)).query).items()}


def url_changes(page, seconds: float) -> int:
    """How often the address bar's URL changes in `seconds` (polled every 50 ms)."""
    last, n, t0 = href(page), 0, time.time()
    while time.time() - t0 < seconds:
        now = href(page)
        if now != last:
            n, last = n + 1, now
        time.sleep(0.05)
    return n


def select_row(page, tab: str, row: int) -> None:
    """Tick row `row` of the leaderboard under `tab` and wait for the app to settle."""
    page.get_by_role("tab", name=tab).click()
    wait_idle(page)
    grid = page.locator("[data-testid='stDataFrame']:visible").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 15, box["y"] + ROW_PX * (row + 1) + ROW_PX / 2)
    wait_idle(page)


def verdicts(page) -> list[str]:
    return [t for t in page.locator("[data-testid='stAlert']").all_inner_texts() if "chance" in t or "sides" in t]


def test_debate_rows_act_once_and_a_shot_is_never_debated_against_itself(chromium, model_store):
    with streamlit_server(model_store) as url, browser() as page:
        page.goto(f"{url}/debates")
        wait_idle(page)
        select_row(page, "Biggest chances missed", 0)
        first = params(page).get("a")
        assert first, "the missed chance went to the left"
        select_row(page, "Best saves", 1)
        second = params(page).get("a")
        assert second and second != first, "the save replaced it on the left"
        changes = url_changes(page, 5)
        assert changes == 0, f"the URL changed {changes} times in 5 s after the clicks"
        assert params(page).get("a") == second

        # choosing the other side sends nothing by itself
        page.get_by_text("Right shot", exact=True).click()
        wait_idle(page)
        assert url_changes(page, 3) == 0
        assert params(page).get("a") == second and params(page).get("b") != second

        # sending the left shot to the right swaps the two: never a shot against itself
        select_row(page, "Best saves", 1)
        p = params(page)
        assert p.get("b") == second and p.get("a") and p["a"] != second, p
        assert url_changes(page, 3) == 0
        said = verdicts(page)
        assert said and not any("by 0.0 percentage points" in t for t in said), said
        page.screenshot(path=str(ARTIFACTS / "debates_after_clicks.png"), full_page=True)


def test_pages_request_nothing_off_the_machine_and_get_no_4xx(chromium, model_store):
    sid = int(one(model_store, "SELECT shot_id FROM shot_scores ORDER BY p_goal DESC LIMIT 1"))
    deep = [f"shot?shot={sid}", "explorer", "debates", "players", "games", "model", "live", "", f"?shot={sid}"]
    with streamlit_server(model_store) as url, browser() as page:
        requests, failed = [], []
        page.on("request", lambda r: requests.append(r.url))
        page.on("response", lambda r: failed.append((r.status, r.url)) if r.status >= 400 else None)
        for path in deep:
            page.goto(f"{url}/{path}")
            if path == "live":  # refreshes itself twice a second: never idle
                page.wait_for_selector("text=No live games", timeout=60000)
            else:
                wait_idle(page)
            assert page.locator("[data-testid='stException']").count() == 0, path
        offsite = sorted({r for r in requests if urlparse(r).hostname != "127.0.0.1" and not r.startswith("data:")})
        assert not offsite, offsite
        assert not failed, failed
        assert len(requests) > 20, "the pages did load"


def test_markup_in_team_codes_and_player_names_renders_as_text(chromium, model_store, tmp_path):
    db, code = hostile_copy(model_store, tmp_path / "hostile")
    sid = int(
        one(
            db,
            "SELECT s.shot_id FROM shots s JOIN shot_scores sc USING (shot_id) WHERE s.team = ? "
            "ORDER BY sc.p_goal DESC LIMIT 1",
            [code],
        )
    )
    other = int(
        one(
            db,
            "SELECT s.shot_id FROM shots s JOIN shot_scores sc USING (shot_id) WHERE s.team <> ? "
            "ORDER BY sc.p_goal DESC LIMIT 1",
            [code],
        )
    )
    with streamlit_server(db) as url, browser() as page:
        dialogs, requests = [], []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: requests.append(r.url))
        injected = 0
        for path in (f"debates?a={sid}&b={other}", f"shot?shot={sid}", "games", "players"):
            page.goto(f"{url}/{path}")
            wait_idle(page)
            assert page.locator("[data-testid='stException']").count() == 0, path
            injected += page.evaluate(
                'document.querySelectorAll(\'img[src="x"], img[src*="example.invalid"], '
                '[data-testid=stMarkdown] img, a[href*="example.invalid"]\').length'
            )
            if path.startswith("debates"):
                assert page.get_by_text("<img src=x onerror=alert(1)>", exact=False).count() >= 1, (
                    "the hostile name shows, as text"
                )
                page.screenshot(path=str(ARTIFACTS / "debates_hostile_names.png"), full_page=True)
        assert injected == 0, f"{injected} injected <img> (or <a>) elements rendered"
        assert not dialogs, dialogs
        assert not [r for r in requests if "example.invalid" in r]
