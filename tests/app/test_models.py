"""The dashboard with a damaged model file: a real `streamlit run` server and Chromium.

Before model files were checked, opening a shot made the server load its model, and a
truncated file aborted the whole server process for every visitor. Now the shot page
says which file is damaged and the server keeps serving.
"""

from __future__ import annotations

import os
import shutil
import urllib.request
from pathlib import Path

import pytest

from oa.store import Store
from tests.browser.harness import browser, chromium_path, streamlit_server, wait_idle

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"


@pytest.mark.browser
def test_a_damaged_model_file_is_a_warning_on_the_shot_page_not_a_dead_server(model_store, tmp_path):
    if chromium_path() is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Chromium is missing (CI must install Debian's chromium)")
        pytest.skip("Chromium is not installed")
    db = tmp_path / model_store.name
    shutil.copy(model_store, db)
    shutil.copytree(model_store.parent / "models", tmp_path / "models")
    with Store(db, read_only=True) as s:
        rel = s.query("SELECT path FROM models WHERE active AND feature_set = 'tracking'")["path"].iloc[0]
        sid = int(
            s.query(
                "SELECT shot_id FROM shot_scores WHERE model_id = (SELECT model_id FROM models WHERE "
                "active AND feature_set = 'tracking') ORDER BY shot_id LIMIT 1"
            ).iloc[0, 0]
        )
    txt = tmp_path / rel
    txt.write_bytes(txt.read_bytes()[: txt.stat().st_size // 2])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with streamlit_server(db) as url, browser() as page:
        page.goto(f"{url}/shot?shot={sid}")
        wait_idle(page)
        page.get_by_text("cannot be loaded").first.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "shot_damaged_model.png"))
        warning = " ".join(page.locator("[data-testid='stAlertContentWarning']").all_inner_texts())
        assert txt.name in warning and "damaged" in warning, warning
        assert page.locator("[data-testid='stException']").count() == 0
        # the server is still up for everyone: health, and another page renders
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as r:
            assert r.status == 200
        page.goto(f"{url}/explorer")
        wait_idle(page)
        assert page.locator(".js-plotly-plot").count() >= 1
