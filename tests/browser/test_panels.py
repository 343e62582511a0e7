"""The analyst panels at 1500, 800 and 390 px in Debian's Chromium: every tab opened, nothing cut off.

Screenshots go to artifacts/browser/panels/<view>_<width>.png (git-ignored) for a person to look at;
the audit is tests/browser/widths.py's (ellipses, broken words, text out of its column, the page wider
than the window, tables hiding columns without scrolling, chart text outside its figure).
"""

from __future__ import annotations

from tests.app.stores import onice_copy
from tests.browser.panels import panels
from tests.browser.test_browser import ARTIFACTS
from tests.browser.widths import WIDTHS, problems

OUT = ARTIFACTS / "panels"


def test_the_panels_fit_desktop_narrow_and_phone_widths(chromium, model_store, tmp_path):
    db, _ = onice_copy(model_store, tmp_path / "onice")
    seen = panels(db, OUT)
    found = {f"{name} @ {w}": problems(a) for (w, name), a in seen.items() if problems(a)}
    assert not found, found
    for (w, name), a in seen.items():
        assert a["exceptions"] == 0, (name, w)
        assert a["plots"], (name, w, "every view shows a chart")
    views = {name for _, name in seen}
    assert {"players-talent-talent", "players-on-ice-on-ice", "players-lines-lines", "games-teams"} <= views
    assert {p.name for p in OUT.glob("*.png")} >= {f"{v}_{w}.png" for v in views for w in WIDTHS}
