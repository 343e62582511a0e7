"""The shot graphic downloaded from Shot detail in a real browser: the file is the chosen size and format.

AppTest cannot click a download button (its data is drawn on the click), so this drives Chromium.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from tests.app.test_pages import one
from tests.browser.harness import browser, streamlit_server, wait_idle


def test_download_png_and_svg_from_shot_detail(chromium, model_store):
    sid = int(one(model_store, "SELECT max(shot_id) FROM shot_scores"))
    with streamlit_server(Path(model_store)) as url, browser(width=1400, height=2600) as page:
        page.goto(f"{url}/shot?shot={sid}")
        wait_idle(page)
        page.get_by_text("1080x1080 · social").click()
        wait_idle(page)
        with page.expect_download(timeout=60000) as got:
            page.get_by_role("button", name="Download PNG").click()
        data = Path(got.value.path()).read_bytes()
        assert got.value.suggested_filename == f"shot-{sid}-1080x1080.png"
        assert Image.open(io.BytesIO(data)).size == (1080, 1080)
        with page.expect_download(timeout=60000) as got:
            page.get_by_role("button", name="Download SVG").click()
        svg = Path(got.value.path()).read_text()
        assert 'viewBox="0 0 1080 1080"' in svg
        assert page.locator("[data-testid='stException']").count() == 0
