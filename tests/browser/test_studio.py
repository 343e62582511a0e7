"""The studio view in Chromium at 1920x1080 while the real live scorer plays a game into the store.

`python -m oa live` publishes ratings and scoreboards; the view must show each newest shot without a
reload, never draw type under 28 px, hide Streamlit's chrome, and update in place (the view's element is
never missing between two paints and never fades). The screenshot goes to artifacts/browser/.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from oa.app.studio import MIN_PX, ROOT_ID
from oa.settings import live_dir
from tests.browser.harness import ROOT, browser, streamlit_server

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"

WATCH_JS = """() => {
  window.__oa = {seen: [], missing: 0, minOpacity: 1};
  const root = () => document.getElementById('ROOT');
  new MutationObserver(() => {
    const el = root();
    if (!el) { window.__oa.missing += 1; return; }
    const id = el.dataset.newest;
    if (id && !window.__oa.seen.includes(id)) window.__oa.seen.push(id);
  }).observe(document.body, {subtree: true, childList: true, attributes: true});
  const look = () => {
    let el = root(), o = 1;
    while (el) { o *= parseFloat(getComputedStyle(el).opacity || '1'); el = el.parentElement; }
    window.__oa.minOpacity = Math.min(window.__oa.minOpacity, o);
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
}""".replace("ROOT", ROOT_ID)

SMALL_TEXT_JS = """(min) => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || r.right <= 0 || r.bottom <= 0 || r.left >= innerWidth || r.top >= innerHeight) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || cs.display === 'none' || parseFloat(cs.opacity) === 0) continue;
    const top = document.elementFromPoint(Math.min(r.left + 1, innerWidth - 1), Math.min(r.top + 1, innerHeight - 1));
    if (!top || !(el.contains(top) || top.contains(el))) continue;  // covered by the studio view: not seen
    if (parseFloat(cs.fontSize) < min) out.push([el.tagName, cs.fontSize, el.textContent.trim().slice(0, 40)]);
  }
  return out;
}"""


def test_the_studio_view_follows_a_live_game_in_large_type_without_flicker(chromium, model_store, tmp_path):
    db = tmp_path / "studio.duckdb"
    shutil.copy(model_store, db)
    folder = live_dir(db)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "oa", "live", "--games", "1", "--speed", "40", "--db", str(db), "--quiet"]
    cmd += ["--models", str(model_store)]  # the copy has no model files beside it
    with streamlit_server(db) as url, browser(1920, 1080) as page:
        page.goto(f"{url}/live?view=studio")
        page.wait_for_selector(f"#{ROOT_ID}", timeout=90_000)
        assert "No live games" in page.inner_text(f"#{ROOT_ID}")
        page.evaluate(WATCH_JS)
        log = (tmp_path / "live.log").open("wb")
        live = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            t0 = time.time()
            while len(page.evaluate("() => window.__oa.seen")) < 4:
                assert live.poll() is None, (tmp_path / "live.log").read_text()[-2000:]
                assert time.time() - t0 < 120, "the studio view did not follow the live game"
                time.sleep(0.3)
            small = page.evaluate(SMALL_TEXT_JS, MIN_PX)
            assert small == [], small
            for chrome in ("[data-testid='stSidebar']", "header[data-testid='stHeader']", "[data-testid='stToolbar']"):
                assert not page.locator(chrome).first.is_visible(), chrome
            page.screenshot(path=str(ARTIFACTS / "studio_1920.png"))
        finally:
            live.terminate()
            live.wait(timeout=30)
            log.close()
        time.sleep(2.5)  # the last scoreboard reaches the screen
        watch = page.evaluate("() => window.__oa")
        assert watch["missing"] == 0, "the view was taken off the page between updates"
        assert watch["minOpacity"] > 0.99, "the view faded while refreshing"
        board = json.loads(next((folder / "state").glob("*.json")).read_text())
        away = page.inner_text(f"#{ROOT_ID} [data-side='away']")
        home = page.inner_text(f"#{ROOT_ID} [data-side='home']")
        assert (away, home) == (str(board["away_score"]), str(board["home_score"]))
        assert board["away_team"] in page.inner_text(f"#{ROOT_ID} .bug")
        size = page.evaluate(
            f"() => {{ const r = document.getElementById('{ROOT_ID}').getBoundingClientRect(); "
            "return [r.width, r.height]; }"
        )
        assert size == [1920, 1080], size
