"""Every page at 1500, 800 and 390 px wide in Debian's Chromium: nothing cut off.

Screenshots go to artifacts/browser/widths/<page>_<width>.png (git-ignored) for a person
to look at; the audit (tests/browser/widths.py) checks what a person would call broken:
text cut with an ellipsis (metric values), words broken letter by letter, badges over the
next card, the page wider than the window, tables hiding columns without scrolling, chart
text outside its figure or an axis title on its tick labels.
"""

from __future__ import annotations

from pathlib import Path

from tests.browser.test_browser import ARTIFACTS
from tests.browser.widths import PAGES, WIDTHS, problems, widths

OUT = ARTIFACTS / "widths"


def test_nothing_is_cut_off_at_desktop_narrow_and_phone_widths(chromium, model_store):  # noqa: F811
    seen = widths(Path(model_store), OUT)
    found = {f"{name} @ {w}": problems(a) for (w, name), a in seen.items() if problems(a)}
    assert not found, found
    for (w, name), a in seen.items():
        assert a["exceptions"] == 0, (name, w)
        assert a["plots"], (name, w, "every page shows a chart")
        # tables: all columns in view, or a scroll bar inside the table's own frame
        for t in a["tables"]:
            assert t["content"] <= t["frame"] + 1 or t["overflow_x"] in ("auto", "scroll"), (name, w, t)
    shots = {p.name for p in OUT.glob("*.png")}
    assert shots >= {f"{n}_{w}.png" for n in PAGES for w in WIDTHS}
