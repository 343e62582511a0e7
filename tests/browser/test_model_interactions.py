"""The model page's factor interactions in Chromium at 1500, 800 and 390 px: shown whole, nothing cut off.

Screenshots go to artifacts/browser/shap/model_<width>.png (git-ignored) for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

from tests.browser.harness import browser, streamlit_server
from tests.browser.test_browser import ARTIFACTS
from tests.browser.widths import HEIGHT, WIDTHS, audit, fit_height, problems, visit

OUT = ARTIFACTS / "shap"


def test_factor_interactions_show_whole_at_every_width(chromium, model_store):
    OUT.mkdir(parents=True, exist_ok=True)
    with streamlit_server(Path(model_store)) as url:
        for w in WIDTHS:
            with browser(width=w, height=HEIGHT) as page:
                visit(page, f"{url}/model", "model")
                fit_height(page)
                page.screenshot(path=str(OUT / f"model_{w}.png"))
                assert page.locator("[data-testid='stException']").count() == 0
                assert page.get_by_text("Which factors change each other's effect").count() == 2, w
                assert page.get_by_text("Strongest pair:").count() == 2, w
                titles = " ".join(page.locator(".js-plotly-plot .gtitle").all_text_contents())
                assert titles.count("Pairs of factors") == 2, (w, titles)
                found = problems(audit(page))
                assert not found, (w, found)
                page.set_viewport_size({"width": w, "height": HEIGHT})
