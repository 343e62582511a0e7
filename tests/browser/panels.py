"""The analyst panels (Players: talent, on ice, lines, trends and their leaderboards; Games & teams: the
adjusted team rates) at 1500, 800 and 390 px, each tab opened in turn, screenshotted and audited for
what is cut off (tests/browser/widths.py's audit).

Used by tests/browser/test_panels.py and by hand:
`python -m tests.browser.panels STORE OUTDIR [WIDTH ...]` (a store with on-ice data: the demo league, or
a copy made by tests.app.stores.onice_copy) writes `<view>_<width>.png` for a person to look at.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from oa.store import Store
from tests.browser.harness import browser, streamlit_server
from tests.browser.widths import HEIGHT, WIDTHS, audit, fit_height, problems, settled, visit

# view -> (page path, the tabs to open in order: (label, which of the tabs so named))
PLAYER_TABS = (("Talent", 0), ("On ice", 0), ("Lines", 0), ("Trends", 0))
BOARD_TABS = (("Talent", 1), ("On ice", 1), ("Lines", 1))


def busiest_shooter(db: Path) -> int:
    """The shooter with most on-ice attempts (his panels have the most to show)."""
    with Store(db, read_only=True) as s:
        df = s.query(
            "SELECT o.player_id FROM shot_on_ice o JOIN shots s ON s.shot_id = o.shot_id AND s.shooter_id = o.player_id "
            "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
        )
        if df.empty:
            df = s.query("SELECT shooter_id AS player_id FROM shots GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
    return int(df["player_id"].iloc[0])


def open_tab(page, label: str, nth: int) -> None:
    tab = page.get_by_role("tab", name=label, exact=True).nth(nth)
    tab.scroll_into_view_if_needed()
    tab.click()
    settled(page)  # the Players page's tabs rerun it with the chosen one open (components.lazy_tabs)
    time.sleep(0.8)  # let charts in the newly shown tab lay out


def shoot(page, out: Path, name: str, seen: dict, w: int) -> None:
    fit_height(page)
    seen[(w, name)] = a = audit(page)
    a["exceptions"] = page.locator("[data-testid='stException']").count()
    page.screenshot(path=str(out / f"{name}_{w}.png"))
    page.set_viewport_size({"width": w, "height": HEIGHT})


def panels(db: Path, out: Path, sizes: tuple[int, ...] = WIDTHS) -> dict:
    """Each panel tab at each width: screenshots under `out` and the audit of each view."""
    out.mkdir(parents=True, exist_ok=True)
    pid = busiest_shooter(db)
    seen: dict = {}
    with streamlit_server(db) as url:
        for w in sizes:
            with browser(width=w, height=HEIGHT) as page:
                visit(page, f"{url}/players?shooter={pid}", "players")
                for (label, nth), (board, bnth) in zip(PLAYER_TABS, BOARD_TABS + (("Shooters", 0),)):
                    open_tab(page, label, nth)
                    open_tab(page, board, bnth)
                    shoot(
                        page,
                        out,
                        f"players-{label.lower().replace(' ', '-')}-{board.lower().replace(' ', '-')}",
                        seen,
                        w,
                    )
                page.get_by_text("Goalies", exact=True).first.click()
                settled(page)
                open_tab(page, "Trends", 0)  # the goalie's own tabs: open his trend, then back to his talent
                open_tab(page, "Talent", 0)
                open_tab(page, "Talent", 1)
                shoot(page, out, "players-goalie", seen, w)
                visit(page, f"{url}/games", "games")
                open_tab(page, "Teams", 0)
                shoot(page, out, "games-teams", seen, w)
    return seen


if __name__ == "__main__":
    sizes = tuple(int(a) for a in sys.argv[3:]) or WIDTHS
    res = panels(Path(sys.argv[1]).resolve(), Path(sys.argv[2]), sizes)
    for (w, name), a in res.items():
        found = problems(a)
        print(f"== {name} @ {w}: {len(found)} problem(s), {a['exceptions']} exception(s)")
        for p in found:
            print("   ", p)
