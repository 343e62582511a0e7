"""The screenshot generator behind README.md and the docs (`python -m tests.browser.readme_screenshot`) still works."""

from __future__ import annotations

from pathlib import Path

from tests.browser.readme_screenshot import WIDTH, png_size, take


def test_the_readme_screenshot_generator_writes_a_dashboard_png(chromium, model_store, tmp_path):
    out = take(Path(model_store), tmp_path / "dashboard.png")
    width, height = png_size(out)
    assert width == WIDTH and 600 <= height <= 2000, (width, height)
    assert out.stat().st_size > 50_000, "a blank page compresses to a few kB; the League page does not"
