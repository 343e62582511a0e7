"""`python -m oa bench graphic`: the shot graphic rendered cold (Chromium starting) and warm, per size and format.

On a store (the demo league by default) it takes the `shots` best-rated shots (tracking games
first, so the goalie's travel is drawn), reads each as the export command does
(`oa.broadcast.data.read_card`) and renders it through the process's one renderer
(`oa.broadcast.graphic`): the first render starts Chromium and is reported on its own
("first"); then every size in PNG and SVG, `runs` times over the shots, timed one render at a
time (figure built and rendered; reading the store is timed apart). Medians and the slowest,
with the machine's load before and after. Target (issue 15): a PNG at most 1 s after the first.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from oa.broadcast.data import read_card
from oa.broadcast.graphic import FORMATS, SIZES, renderer, shot_figure
from oa.broadcast.theme import load_theme
from oa.settings import ROOT
from oa.store import Store, StoreError

TARGET_WARM_PNG_S = 1.0


def _load() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def _shown(db: Path) -> str:
    """The store as the report names it: relative to the repository when it is inside it."""
    try:
        return str(Path(db).absolute().relative_to(ROOT))
    except ValueError:
        return str(db)


def run(db: Path, shots: int = 5, runs: int = 3, progress: Callable[[str, int, int], None] | None = None) -> dict:
    progress = progress or (lambda *_: None)
    with Store(db, read_only=True) as store:
        ids = store.query(
            """SELECT s.shot_id FROM shots s JOIN games g USING (game_id)
               JOIN shot_scores sc ON sc.shot_id = s.shot_id
               WHERE sc.model_id IN (SELECT model_id FROM models WHERE active)
               ORDER BY g.has_tracking DESC, sc.p_goal DESC, s.shot_id LIMIT $n""",
            {"n": int(shots)},
        )["shot_id"].tolist()
        if not ids:
            raise StoreError(f"{db} has no rated shot to draw (build the demo league: python -m oa demo)")
        t0 = time.perf_counter()
        cards = [read_card(store, int(i)) for i in ids]
        read_s = (time.perf_counter() - t0) / len(cards)
    theme = load_theme()
    r = renderer()
    load_before = _load()
    t0 = time.perf_counter()
    first = r.render(shot_figure(cards[0], "1920x1080", theme), "png")
    first_s = time.perf_counter() - t0
    times: dict[str, list[float]] = {f"{size} {fmt}": [] for size in SIZES for fmt in FORMATS}
    sizes: dict[str, int] = {}
    total, done = len(times) * runs * len(cards), 0
    for _ in range(runs):
        for card in cards:
            for size in SIZES:
                for fmt in FORMATS:
                    t = time.perf_counter()
                    out = r.render(shot_figure(card, size, theme), fmt)
                    times[f"{size} {fmt}"].append(time.perf_counter() - t)
                    sizes[f"{size} {fmt}"] = len(out)
                    done += 1
                    progress("render", done, total)
    r.close()
    warm_png = [v for k, vs in times.items() if k.endswith("png") for v in vs]
    return {
        "store": _shown(db),
        "shots": len(cards),
        "renders per size and format": runs * len(cards),
        "read one shot (s)": round(read_s, 4),
        "first render, Chromium starting (s)": round(first_s, 3),
        "first render bytes": len(first),
        "warm (s, median)": {k: round(statistics.median(v), 3) for k, v in times.items()},
        "warm (s, slowest)": {k: round(max(v), 3) for k, v in times.items()},
        "bytes (last)": sizes,
        "warm PNG median (s)": round(statistics.median(warm_png), 3),
        "warm PNG slowest (s)": round(max(warm_png), 3),
        "target": f"warm PNG at most {TARGET_WARM_PNG_S:g} s",
        "met": max(warm_png) <= TARGET_WARM_PNG_S,
        "load before (1, 5, 15 min)": load_before,
        "load after (1, 5, 15 min)": _load(),
    }
