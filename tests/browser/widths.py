"""Every page at a desktop, a narrow-window and a phone width: is anything cut off?

Used by tests/browser/test_widths.py and by hand
(`python -m tests.browser.widths STORE OUTDIR [WIDTH ...]`) to take the screenshots a
person looks at. `audit(page)` measures what a broadcaster or a coach would call broken:

- text cut with an ellipsis (`text-overflow: ellipsis` and more text than room: the
  metric values "17,…" and "0.0…");
- the page wider than the window (a horizontal scroll bar on the whole page);
- tables: our rule is that a table shows all its columns inside its width, or scrolls
  sideways inside its own frame with its first column pinned; never is its frame
  wider than the page;
- Plotly text (titles, axis titles, tick, legend, annotation and bar labels) inside the
  figure, and an axis title not on top of its tick labels.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

from oa.live.publish import Publisher
from oa.settings import live_dir
from oa.store import Store
from tests.app.live_data import live_only, rows
from tests.browser.harness import browser, charts_drawn, streamlit_server, wait_idle

WIDTHS = (1500, 800, 390)
HEIGHT = 1000

# every page of the app (url path -> file-name stem); the shot page gets a shot id
PAGES = {
    "league": "",
    "live": "live",
    "explorer": "explorer",
    "shot": "shot",
    "debates": "debates",
    "players": "players",
    "games": "games",
    "model": "model",
    "data": "data",
}

AUDIT_JS = r"""
() => {
  const vw = document.documentElement.clientWidth;
  const visible = el => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    const cs = getComputedStyle(el);
    return cs.visibility !== 'hidden' && cs.display !== 'none';
  };
  const where = el => {
    const t = el.closest('[data-testid]');
    return (t ? t.getAttribute('data-testid') : '?');
  };
  const out = {width: vw, page_width: document.documentElement.scrollWidth, ellipsis: [], broken: [], escapes: [], wide: [],
               tables: [], plots: []};
  // 1. text cut with an ellipsis
  for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
    if (!visible(el)) continue;
    const cs = getComputedStyle(el);
    if (cs.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1 && el.innerText.trim())
      out.ellipsis.push({text: el.innerText.trim().slice(0, 80), in: where(el),
                         need: el.scrollWidth, room: el.clientWidth});
  }
  // 1b. words broken letter by letter, and text or badges escaping their column (over the next card)
  const walker = document.createTreeWalker(document.querySelector('[data-testid="stMain"]'), NodeFilter.SHOW_TEXT);
  const seenBroken = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || !visible(el) || el.closest('.js-plotly-plot') || el.closest('[data-testid="stDataFrame"]')) continue;
    const re = /[^\s\-–/·]{2,}/g;
    let m;
    while ((m = re.exec(n.textContent)) !== null) {
      const r = document.createRange();
      r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
      const tops = new Set(Array.from(r.getClientRects()).filter(x => x.width > 0).map(x => Math.round(x.top)));
      if (tops.size > 1 && !seenBroken.has(el)) {
        seenBroken.add(el);
        out.broken.push({word: m[0].slice(0, 40), in: where(el)});
      }
    }
    const col = el.closest('[data-testid="stColumn"]');
    if (col) {
      const c = col.getBoundingClientRect(), r = el.getBoundingClientRect();
      if (r.width > 0 && (r.right > c.right + 2 || r.left < c.left - 2))
        out.escapes.push({text: el.innerText.trim().slice(0, 60), in: where(el),
                          by: Math.round(Math.max(r.right - c.right, c.left - r.left))});
    }
  }
  // 2. blocks of the main column sticking out of the window (cut off by the app's frame)
  for (const el of document.querySelectorAll('[data-testid="stMain"] [data-testid="stElementContainer"]')) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.right > vw + 1 || r.left < -1)
      out.wide.push({in: el.firstElementChild ? (el.firstElementChild.getAttribute('data-testid') || el.firstElementChild.className) : '?',
                     left: Math.round(r.left), right: Math.round(r.right),
                     text: el.innerText.trim().slice(0, 60)});
  }
  // 3. tables: the glide grid's scroller is the table's own frame
  for (const t of document.querySelectorAll('[data-testid="stDataFrame"]')) {
    if (!visible(t)) continue;
    const s = t.querySelector('.dvn-scroller');
    if (!s) continue;
    const r = t.getBoundingClientRect();
    const key = (t.closest('[class*="st-key-"]') || {className: ''}).className.match(/st-key-(\S+)/);
    out.tables.push({key: key ? key[1] : '?', content: s.scrollWidth, frame: s.clientWidth,
                     overflow_x: getComputedStyle(s).overflowX, right: Math.round(r.right)});
  }
  // 4. Plotly: every text inside its figure; axis titles clear of their tick labels
  const boxes = (root, sel) => Array.from(root.querySelectorAll(sel)).filter(e => e.textContent.trim())
      .map(e => ({e, r: e.getBoundingClientRect()})).filter(b => b.r.width > 0);
  const meets = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  document.querySelectorAll('.js-plotly-plot').forEach((p, i) => {
    if (!visible(p)) return;
    const fr = p.querySelector('.main-svg').getBoundingClientRect();
    const res = {index: i, title: (p.querySelector('.gtitle') || {textContent: ''}).textContent,
                 outside: [], overlaps: []};
    const texts = boxes(p, '.main-svg text');
    for (const b of texts) {
      // hover labels come and go; scatter point labels are clipped to the plot area (a player off the half rink)
      if (b.e.closest('.hoverlayer') || b.e.closest('.modebar') || b.e.closest('.scatterlayer')) continue;
      if (b.r.left < fr.left - 1 || b.r.right > fr.right + 1 || b.r.top < fr.top - 1 || b.r.bottom > fr.bottom + 1)
        res.outside.push({text: b.e.textContent.slice(0, 60), cls: b.e.getAttribute('class'),
                          left: Math.round(b.r.left - fr.left), right: Math.round(b.r.right - fr.left),
                          top: Math.round(b.r.top - fr.top), bottom: Math.round(b.r.bottom - fr.top),
                          width: Math.round(fr.width), height: Math.round(fr.height)});
    }
    for (const ax of ['x', 'y']) {
      for (const t of boxes(p, `.g-${ax}title text, .${ax}title`)) {
        for (const k of boxes(p, `.${ax}tick text, .${ax}2tick text`)) {
          if (meets(t.r, k.r)) { res.overlaps.push({title: t.e.textContent, tick: k.e.textContent}); break; }
        }
      }
    }
    const title = boxes(p, '.gtitle');
    for (const t of title) for (const l of boxes(p, '.legendtext'))
      if (meets(t.r, l.r)) res.overlaps.push({title: t.e.textContent, legend: l.e.textContent});
    out.plots.push(res);
  });
  return out;
}
"""


def audit(page) -> dict:
    return page.evaluate(AUDIT_JS)


def problems(seen: dict) -> list[str]:
    """What the audit found cut off, in words (empty: nothing)."""
    out = []
    w = seen["width"]
    if seen["page_width"] > w + 1:
        out.append(f"page {seen['page_width']} px wide in a {w} px window")
    out += [f"ellipsis: {e['text']!r} in {e['in']} needs {e['need']} px, has {e['room']}" for e in seen["ellipsis"]]
    out += [f"word broken across lines: {e['word']!r} in {e['in']}" for e in seen["broken"]]
    out += [f"out of its column by {e['by']} px: {e['text']!r} in {e['in']}" for e in seen["escapes"]]
    out += [f"sticks out of the window: {e['in']} {e['left']}..{e['right']} {e['text']!r}" for e in seen["wide"]]
    for t in seen["tables"]:
        if t["right"] > w + 1:
            out.append(f"table {t['key']} frame ends at {t['right']} px")
        if t["content"] > t["frame"] + 1 and t["overflow_x"] not in ("auto", "scroll"):
            out.append(f"table {t['key']} hides columns without a scroll bar")
    for p in seen["plots"]:
        out += [f"chart {p['index']} ({p['title']!r}): text outside the figure: {o}" for o in p["outside"]]
        out += [f"chart {p['index']} ({p['title']!r}): overlap {o}" for o in p["overlaps"]]
    return out


def shot_with_tracking(db: Path) -> int:
    """The best-rated shot with a tracking clip (its page shows the replay), or any shot."""
    with Store(db, read_only=True) as s:
        df = s.query(
            "SELECT s.shot_id FROM shots s JOIN games g USING (game_id) "
            "LEFT JOIN shot_scores sc ON sc.shot_id = s.shot_id "
            "ORDER BY g.has_tracking DESC, sc.p_goal DESC NULLS LAST LIMIT 1"
        )
    return int(df["shot_id"].iloc[0])


def publish_live(db: Path) -> Path:
    """A few live shots of one game, plus a live-only one, as the scorer publishes them."""
    folder = live_dir(db)
    shutil.rmtree(folder, ignore_errors=True)
    pub = Publisher(folder)
    batch = rows(db, n=9)
    for r in batch:
        pub.shot(r)
    pub.shot(live_only(batch[-1], 9_990_000_0001, game_id=999))
    return folder


def settled(page, timeout: float = 60.0) -> None:
    """wait_idle, and no Stop button in the toolbar (a script run still going) for a moment."""
    t0 = time.time()
    while True:
        wait_idle(page, timeout=timeout)
        if page.get_by_role("button", name="Stop").count() == 0:
            time.sleep(0.3)
            if page.get_by_role("button", name="Stop").count() == 0:
                return
        if time.time() - t0 > timeout:
            raise TimeoutError("the page kept running")
        time.sleep(0.3)


def visit(page, url: str, name: str) -> None:
    page.goto(url)
    settled(page)
    charts_drawn(page)  # every page has a chart; measure once they are drawn
    if name == "live":
        page.wait_for_selector("[class*='st-key-live_card_']", timeout=30000)
        page.locator(".js-plotly-plot").first.wait_for(timeout=15000)
        time.sleep(1.0)  # one more refresh, then the picture
    if name == "shot":
        page.locator(".js-plotly-plot").first.wait_for(timeout=30000)


def fit_height(page, most: int = 9000) -> None:
    """Make the window as tall as the page, so the screenshot shows all of it (the app scrolls
    inside its main column, which a full-page screenshot does not see)."""
    h = page.evaluate("(document.querySelector('[data-testid=\"stMain\"]') || document.body).scrollHeight")
    w = page.viewport_size["width"]
    page.set_viewport_size({"width": w, "height": int(min(max(h, HEIGHT), most))})
    time.sleep(0.6)


def widths(db: Path, out: Path, sizes: tuple[int, ...] = WIDTHS, pages: dict | None = None) -> dict:
    """Every page at every width: full-page screenshots under `out`, and the audit of each."""
    out.mkdir(parents=True, exist_ok=True)
    folder = publish_live(db)
    shot = shot_with_tracking(db)
    seen: dict = {}
    try:
        with streamlit_server(db) as url:
            for w in sizes:
                with browser(width=w, height=HEIGHT) as page:
                    for name, path in (pages or PAGES).items():
                        q = f"?shot={shot}" if name == "shot" else ""
                        visit(page, f"{url}/{path}{q}", name)
                        fit_height(page)
                        seen[(w, name)] = a = audit(page)
                        a["exceptions"] = page.locator("[data-testid='stException']").count()
                        page.screenshot(path=str(out / f"{name}_{w}.png"))
                        page.set_viewport_size({"width": w, "height": HEIGHT})
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return seen


if __name__ == "__main__":
    sizes = tuple(int(a) for a in sys.argv[3:]) or WIDTHS
    res = widths(Path(sys.argv[1]).resolve(), Path(sys.argv[2]), sizes)
    for (w, name), a in res.items():
        found = problems(a)
        print(f"== {name} @ {w}: {len(found)} problem(s), {a['exceptions']} exception(s)")
        for p in found:
            print("   ", p)
        if "--json" in sys.argv:
            print(json.dumps(a, indent=1))
