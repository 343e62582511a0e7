"""The game recap downloaded from the Games page in a real browser: a zip of the page and the 1920x1080 PNG.

AppTest cannot click a download button (its data is drawn on the click), so this drives Chromium.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from PIL import Image

from tests.app.test_pages import one
from tests.browser.harness import browser, streamlit_server, wait_idle


def test_download_the_recap_from_the_games_page(chromium, model_store):
    gid = int(one(model_store, "SELECT min(game_id) FROM games"))
    with streamlit_server(Path(model_store)) as url, browser(width=1400, height=2600) as page:
        page.goto(f"{url}/games?game={gid}")
        wait_idle(page)
        with page.expect_download(timeout=90000) as got:
            page.get_by_role("button", name="Download recap (HTML + PNG)").click()
        assert got.value.suggested_filename.endswith("-recap.zip")
        z = zipfile.ZipFile(io.BytesIO(Path(got.value.path()).read_bytes()))
        names = sorted(z.namelist())
        assert len(names) == 2 and names[0].endswith(".html") and names[1].endswith(".png"), names
        assert Image.open(io.BytesIO(z.read(names[1]))).size == (1920, 1080)
        assert b'id="score"' in z.read(names[0])
        assert page.locator("[data-testid='stException']").count() == 0
