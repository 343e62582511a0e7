"""The what-if rink in a real browser: a click on the ice moves the shot there and re-rates it.

AppTest cannot click a Plotly chart, so this drives Chromium: open a far shot, click the
grid point 9 ft out in front of the net, and check the panel says where the shot went and
shows the new rating. In CI a missing Chromium is a failure; locally the test skips.
"""

from __future__ import annotations

from pathlib import Path

from oa.plots.place import placement_grid
from tests.app.test_shot_page import SLOT, far_wrist_shot
from tests.browser.harness import browser, streamlit_server, wait_idle
from tests.browser.test_browser import ARTIFACTS


def test_a_click_on_the_what_if_rink_moves_the_shot(chromium, model_store):  # noqa: F811
    sid = far_wrist_shot(model_store)
    gx, gy = placement_grid()
    k = int(((gx == SLOT[0]) & (gy == SLOT[1])).nonzero()[0][0])
    with streamlit_server(Path(model_store)) as url, browser(width=1400, height=2600) as page:
        page.goto(f"{url}/shot?shot={sid}")
        wait_idle(page)
        assert page.get_by_text("New chance of a goal").count() == 0
        chart = page.locator(f".st-key-wi_rink_{sid} .js-plotly-plot")
        chart.scroll_into_view_if_needed()
        spot = chart.locator(".scatterlayer .trace").first.locator(".points path").nth(k).bounding_box()
        page.mouse.click(spot["x"] + spot["width"] / 2, spot["y"] + spot["height"] / 2)
        page.get_by_text("distance 9 ft, angle 0°").last.wait_for(timeout=30000)
        wait_idle(page)
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.get_by_text("New chance of a goal").count() == 1
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.locator(f".st-key-wi_rink_{sid}").screenshot(path=str(ARTIFACTS / "what_if_rink.png"))
