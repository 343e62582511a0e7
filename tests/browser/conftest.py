"""The browser tests' shared fixture and marker: Debian's Chromium, required in CI."""

from __future__ import annotations

import os

import pytest

from tests.browser.harness import chromium_path


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder drives a real browser (`-m "not browser"` leaves them out)."""
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def chromium() -> str:
    """Chromium's path; a missing browser fails in CI (CI=true) and skips elsewhere."""
    path = chromium_path()
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Chromium is missing (CI must install Debian's chromium)")
        pytest.skip("Chromium is not installed")
    return path
