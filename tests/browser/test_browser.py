"""The dashboard in a real browser: `streamlit run app.py` on loopback, Debian's Chromium via Playwright.

Visits every page, checks there is no Streamlit exception, clicks a shot marker on the
explorer's rink and checks the shot detail opens with the replay's play button and
frame slider. Screenshots go to artifacts/browser/ (git-ignored). In CI (CI=true) a
missing Chromium is a failure; locally the test is skipped without it.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.harness import PAGES, chromium_path, first_visit, screenshots

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"


@pytest.fixture(scope="module")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Chromium is missing (CI must install Debian's chromium)")
        pytest.skip("Chromium is not installed")
    return path


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
