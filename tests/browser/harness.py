"""Start `streamlit run app.py` on loopback and drive Debian's Chromium with Playwright.

Used by the browser test and by hand (`python -m tests.browser.harness STORE OUTDIR`) to
take screenshots of every page.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from oa.app.serve import dashboard

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
PAGES = ["", "explorer", "shot", "debates", "players", "games", "model"]


def chromium_path() -> str | None:
    for p in (CHROMIUM, shutil.which("chromium"), shutil.which("chromium-browser")):
        if p and Path(p).exists():
            return p
    return None


@contextmanager
def streamlit_server(db: Path, port: int | None = None, timeout: float = 90.0) -> Iterator[str]:
    """A headless Streamlit server showing store `db` (oa.app.serve); yields its base URL."""
    with dashboard(db, port=port, timeout=timeout) as (url, _):
        yield url


def wait_idle(page, timeout: float = 60.0, quiet: float = 0.8) -> None:
    """Wait until the app has rendered and no script run is in progress for `quiet` seconds."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout * 1000)
    t0 = time.time()
    calm_since = None
    while time.time() - t0 < timeout:
        running = (
            page.locator("[data-testid='stStatusWidget']").count() > 0
            or page.locator("[data-testid='stSkeleton']").count() > 0
            # a fresh server shows its file-name navigation and an empty page for seconds before the
            # first script run even starts (no status widget yet): nothing drawn is not idle
            or page.locator("[data-testid='stMainBlockContainer'] [data-testid='stElementContainer']").count() == 0
        )
        if running:
            calm_since = None
        elif calm_since is None:
            calm_since = time.time()
        elif time.time() - calm_since >= quiet:
            return
        time.sleep(0.1)
    state = {
        "status": page.locator("[data-testid='stStatusWidget']").count(),
        "skeleton": page.locator("[data-testid='stSkeleton']").count(),
        "elements": page.locator("[data-testid='stMainBlockContainer'] [data-testid='stElementContainer']").count(),
        "url": page.url,
    }
    raise TimeoutError(f"the app did not become idle: {state}")


def charts_drawn(page, timeout: float = 30.0, steady: float = 1.0) -> int:
    """Wait for the page's Plotly charts: plotly.js loads after the script run ends (seconds on a
    busy machine), so an idle app may not show its charts yet. Returns how many are drawn."""
    t0 = time.time()
    n, since = -1, time.time()
    while time.time() - t0 < timeout:
        now = page.locator(".js-plotly-plot").count()
        if now != n:
            n, since = now, time.time()
        elif n > 0 and time.time() - since >= steady:
            return n
        time.sleep(0.2)
    return max(n, 0)


@contextmanager
def browser(width: int = 1500, height: int = 2400) -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"], headless=True)
        try:
            ctx = b.new_context(viewport={"width": width, "height": height})
            yield ctx.new_page()
        finally:
            b.close()


def click_first_marker(page, chart_index: int = 0) -> None:
    """Click a shot marker (a scatter point) of the chart_index-th Plotly chart."""
    chart = page.locator(".js-plotly-plot").nth(chart_index)
    chart.scroll_into_view_if_needed()
    pts = chart.locator(".scatterlayer .trace .points path")
    n = pts.count()
    if n == 0:
        raise AssertionError("no shot markers on the chart")
    for i in range(n):
        box = pts.nth(i).bounding_box()
        if box and box["width"] > 0:
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            return
    raise AssertionError("no visible shot marker")


def first_visit(db: Path, path: str, out: Path) -> dict:
    """A fresh server whose very first request is a deep link: what the sidebar shows."""
    out.mkdir(parents=True, exist_ok=True)
    with streamlit_server(db) as url, browser() as page:
        page.goto(f"{url}/{path}")
        wait_idle(page)
        # a fresh server's first run can start seconds after the page is idle on a busy machine:
        # give the shared sidebar time to appear (if app.py never runs it never does, and the test fails)
        try:
            page.get_by_text("Data source").first.wait_for(timeout=90_000)
        except Exception:  # noqa: BLE001 - the caller asserts on what is (not) there
            pass
        wait_idle(page)
        page.screenshot(path=str(out / "first_visit_deep_link.png"))
        return {
            "nav": page.locator("[data-testid='stSidebarNav'] a").all_inner_texts(),
            "data_source": page.get_by_text("Data source").count(),
            "exceptions": page.locator("[data-testid='stException']").count(),
        }


def screenshots(db: Path, out: Path) -> dict:
    """Visit every page, screenshot it, click a marker, screenshot the shot. Returns what was seen."""
    out.mkdir(parents=True, exist_ok=True)
    seen: dict = {}
    with streamlit_server(db) as url, browser() as page:
        for name in PAGES:
            page.goto(f"{url}/{name}")
            wait_idle(page)
            charts_drawn(page)
            seen[name or "league"] = {
                "exceptions": page.locator("[data-testid='stException']").count(),
                "charts": page.locator(".js-plotly-plot").count(),
            }
            page.screenshot(path=str(out / f"page_{name or 'league'}.png"), full_page=True)
        page.goto(f"{url}/explorer")
        wait_idle(page)
        click_first_marker(page)
        page.wait_for_url("**/shot?shot=*", timeout=30000)
        wait_idle(page)
        seen["clicked"] = {
            "url": page.url,
            "exceptions": page.locator("[data-testid='stException']").count(),
            "play": page.locator(".updatemenu-button").count(),
            "slider": page.locator(".slider-container").count(),
        }
        page.screenshot(path=str(out / "shot_clicked.png"), full_page=True)
    return seen


if __name__ == "__main__":
    import json

    print(json.dumps(screenshots(Path(sys.argv[1]).resolve(), Path(sys.argv[2])), indent=1))
