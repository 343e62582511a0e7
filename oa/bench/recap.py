"""`python -m oa bench recap`: a game's recap (HTML page and 1920x1080 PNG), the first with Chromium starting, then warm.

On a store (the demo league by default) it takes the `games` games with the most rated shots
and makes each recap as `python -m oa export game` does: read the game (its shots, power
plays, best chances as shot cards, and "deserved to win": 10,000 replays), write the page
(plotly.js inlined) and render the PNG through the process's one renderer. The first recap
starts Chromium and is reported on its own; then every game `runs` times, each step timed.
Medians and the slowest, with the machine's load before and after. Target (issue 15): a
recap in at most 5 s.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from oa.bench.graphic import _load, _shown
from oa.broadcast.graphic import renderer
from oa.broadcast.recap import read_recap, recap_html, render_png
from oa.broadcast.theme import load_theme
from oa.store import Store, StoreError

TARGET_S = 5.0


def _one(store: Store, game_id: int, theme) -> tuple[dict[str, float], int, int]:
    t = {}
    t0 = time.perf_counter()
    r = read_recap(store, game_id)
    t["read (s)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    page = recap_html(r, theme)
    t["page (s)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    png = render_png(r, theme)
    t["png (s)"] = time.perf_counter() - t0
    t["recap (s)"] = sum(t.values())
    return t, len(page.encode()), len(png)


def run(db: Path, games: int = 5, runs: int = 3, progress: Callable[[str, int, int], None] | None = None) -> dict:
    progress = progress or (lambda *_: None)
    theme = load_theme()
    with Store(db, read_only=True) as store:
        ids = store.query(
            """SELECT s.game_id, count(*) AS n FROM shots s JOIN shot_scores sc ON sc.shot_id = s.shot_id
               WHERE sc.model_id IN (SELECT model_id FROM models WHERE active)
               GROUP BY s.game_id ORDER BY n DESC, s.game_id LIMIT $n""",
            {"n": int(games)},
        )
        if ids.empty:
            raise StoreError(f"{db} has no rated shot (build the demo league: python -m oa demo)")
        load_before = _load()
        first, page_bytes, png_bytes = _one(store, int(ids["game_id"].iloc[0]), theme)
        times: dict[str, list[float]] = {k: [] for k in first}
        total, done = runs * len(ids), 0
        for _ in range(runs):
            for gid in ids["game_id"]:
                t, page_bytes, png_bytes = _one(store, int(gid), theme)
                for k, v in t.items():
                    times[k].append(v)
                done += 1
                progress("recap", done, total)
    renderer().close()
    return {
        "store": _shown(db),
        "games": len(ids),
        "shots per game (most, fewest)": f"{int(ids['n'].max())}, {int(ids['n'].min())}",
        "recaps timed": runs * len(ids),
        "first recap, Chromium starting (s)": {k: round(v, 3) for k, v in first.items()},
        "warm (s, median)": {k: round(statistics.median(v), 3) for k, v in times.items()},
        "warm (s, slowest)": {k: round(max(v), 3) for k, v in times.items()},
        "page bytes (last)": page_bytes,
        "png bytes (last)": png_bytes,
        "target": f"a recap at most {TARGET_S:g} s",
        "met": max(max(times["recap (s)"]), first["recap (s)"]) <= TARGET_S,
        "load before (1, 5, 15 min)": load_before,
        "load after (1, 5, 15 min)": _load(),
    }
