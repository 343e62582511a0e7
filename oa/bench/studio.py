"""`python -m oa bench studio`: how soon a published rating reaches the studio view's screen, and its cost.

Real parts end to end: the project's dashboard (`streamlit run app.py`) on loopback, Debian's Chromium
(Playwright) holding `pages` studio views open at 1920x1080, and the live scorer (`python -m oa live`)
playing one game at `speed` times real time into the store's live folder. Each page records, in the
browser, the moment each shot becomes the one on screen (a MutationObserver on the view); the latency
of a shot is that moment minus the time the scorer published it (same machine, same clock). The
server's CPU is read from /proc while the pages are open, minus the same server's idle CPU with no page
open, and divided by the pages: the cost of one open studio view. Chromium's own CPU is reported
beside it (the screen's side, not the server's).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from oa.app.serve import dashboard, stop
from oa.bench.live import ensure_store
from oa.settings import ROOT, chromium_path, live_dir

CLK = os.sysconf("SC_CLK_TCK")

SEEN_JS = """() => {
  window.__oa_seen = {};
  const note = () => {
    const el = document.getElementById('oa-studio');
    const id = el && el.dataset.newest;
    if (id && !(id in window.__oa_seen)) window.__oa_seen[id] = Date.now() / 1000;
  };
  new MutationObserver(note).observe(document.body, {subtree: true, childList: true, attributes: true});
  note();
}"""


def _cpu_s(pids: list[int]) -> float:
    """User + system CPU seconds of these processes (threads included) so far; 0 for one that is gone."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / CLK  # utime, stime (fields 14, 15 of stat)
    return total


def _children(pid: int) -> list[int]:
    """`pid` and every process below it (Chromium's renderers)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            kids = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            continue
        todo += [int(k) for k in kids]
    return out


def _pct(share: float) -> float:
    """A share (of a core, of the shots) as a percentage with one decimal."""
    return round(100 * share, 1)


def _chromium() -> list[int]:
    """This process's Chromium processes (Playwright's browser and its renderers)."""
    out = []
    for p in _children(os.getpid())[1:]:
        try:
            if "chrom" in Path(f"/proc/{p}/comm").read_text():
                out.append(p)
        except OSError:
            continue
    return out


def _published(folder: Path) -> dict[str, float]:
    from oa.live.publish import read_live

    df = read_live(folder)
    return {str(int(s)): float(t) for s, t in zip(df["shot_id"], df["published_at"])}


def measure(
    db: Path, pages: int, seconds: float, speed: float, idle_s: float = 10.0, progress: Callable | None = None
) -> dict:
    """One run: `pages` studio views open while one game plays for `seconds` of wall time."""
    from playwright.sync_api import sync_playwright

    say = progress or (lambda *a, **k: None)
    folder = live_dir(db)
    shutil.rmtree(folder, ignore_errors=True)
    with dashboard(db) as (url, server), sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"], headless=True)
        try:
            ctx = b.new_context(viewport={"width": 1920, "height": 1080})
            views = []
            for _ in range(pages):
                pg = ctx.new_page()
                pg.goto(f"{url}/live?view=studio", timeout=180_000)
                pg.wait_for_selector("#oa-studio", timeout=180_000)  # "No live games" until the scorer starts
                views.append(pg)
            for pg in views:
                pg.evaluate(SEEN_JS)
            live = subprocess.Popen(
                [sys.executable, "-m", "oa", "live", "--games", "1", "--speed", str(speed), "--db", str(db)],
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                t_wait = time.time()
                while not (folder.exists() and _published(folder)):
                    if live.poll() is not None or time.time() - t_wait > 180:
                        raise RuntimeError("the live scorer published nothing; try `python -m oa live --games 1`")
                    time.sleep(0.2)
                browser_pids = _chromium()
                c0, w0, g0 = _cpu_s([server.pid]), time.time(), _cpu_s(browser_pids)
                t_end = w0 + seconds
                while time.time() < t_end:
                    say("pages open", time.time() - w0, seconds)
                    time.sleep(0.5)
                c1, w1, g1 = _cpu_s([server.pid]), time.time(), _cpu_s(browser_pids)
                seen = [pg.evaluate("() => window.__oa_seen") for pg in views]
            finally:
                stop(live, timeout=15)
            published = _published(folder)
            for pg in views:
                pg.close()
            time.sleep(2.0)  # the sessions end
            say("idle server", 0, idle_s)
            i0, iw0 = _cpu_s([server.pid]), time.time()
            time.sleep(idle_s)
            i1, iw1 = _cpu_s([server.pid]), time.time()
        finally:
            b.close()
    in_window = [s for s, t in published.items() if w0 <= t <= w1]
    lat = [t - published[s] for page in seen for s, t in page.items() if s in in_window]
    idle = (i1 - i0) / (iw1 - iw0)
    busy = (c1 - c0) / (w1 - w0)
    return {
        "pages": pages,
        "seconds": round(w1 - w0, 1),
        "shots_published": len(in_window),
        "shots_on_screen": len(lat),  # over all pages; a shot replaced within one refresh is never the newest
        "latency_s_median": round(statistics.median(lat), 3) if lat else None,
        "latency_s_max": round(max(lat), 3) if lat else None,
        "within_1s_pct": _pct(sum(x <= 1.0 for x in lat) / len(lat)) if lat else None,
        "server_core_pct_open": _pct(busy),
        "server_core_pct_idle": _pct(idle),
        "server_core_pct_per_page": _pct((busy - idle) / pages),
        "chromium_core_pct_per_page": _pct((g1 - g0) / (w1 - w0) / pages) if browser_pids else None,
    }


def run(
    db: Path,
    pages: tuple[int, ...] = (1, 4),
    runs: int = 3,
    seconds: float = 30.0,
    speed: float = 20.0,
    progress: Callable | None = None,
) -> dict:
    """Every page count `runs` times; medians across runs per figure, and every run."""
    ensure_store(db, progress=progress)
    out: dict = {"store": str(db), "speed": speed, "seconds_per_run": seconds, "load_before": os.getloadavg()[0]}
    for n in pages:
        each = [measure(db, n, seconds, speed, progress=progress) for _ in range(runs)]
        out[f"{n}_pages"] = {
            k: statistics.median([e[k] for e in each if e[k] is not None])
            if any(e[k] is not None for e in each)
            else None
            for k in each[0]
            if k != "pages"
        } | {"runs": each}
    out["load_after"] = os.getloadavg()[0]
    return out


def report_markdown(out: dict) -> str:
    """The results as one table per page count: the medians, then each run."""
    lines = []
    for key, r in out.items():
        if not key.endswith("_pages") or not isinstance(r, dict):
            continue
        n = key.split("_")[0]
        lines += [
            f"**{n} studio view{'s' if n != '1' else ''} open** (medians of {len(r['runs'])} runs of "
            f"{out['seconds_per_run']:g} s; the game at {out['speed']:g}x real time)",
            "",
            "| run | shots published | on screen (all views) | rating to screen, median (s) | slowest (s) "
            "| within 1 s (%) | server, % of a core per view | server idle (%) | Chromium, % of a core per view |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        rows = [("median", r), *((str(i + 1), e) for i, e in enumerate(r["runs"]))]
        for name, e in rows:
            lines.append(
                f"| {name} | {e['shots_published']:g} | {e['shots_on_screen']:g} | {e['latency_s_median']} "
                f"| {e['latency_s_max']} | {e.get('within_1s_pct')} | {e['server_core_pct_per_page']} "
                f"| {e['server_core_pct_idle']} "
                f"| {e['chromium_core_pct_per_page']} |"
            )
        lines.append("")
    lines.append(f"Load average (1 min) before: {out['load_before']:.1f}, after: {out['load_after']:.1f}.")
    return "\n".join(lines)
