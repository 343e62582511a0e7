"""`python -m oa bench demo`: building the demo league from an empty store.

Wall time, rows per table, size on disk and peak memory of this process and of the
simulation workers (their peak is `RUSAGE_CHILDREN`'s, the largest worker's).
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable
from pathlib import Path

from oa.sim.run import build_demo


def run(
    db: Path, games: int, seed: int, workers: int | None, progress: Callable[[int, int], None] | None = None
) -> dict:
    """Simulate `games` games into a fresh `db` (an old one is deleted first) and measure it."""
    for p in (db, Path(str(db) + ".wal")):
        if p.exists():
            p.unlink()
    t0 = time.perf_counter()
    r = build_demo(db, games, seed, progress=progress, workers=workers)
    wall = time.perf_counter() - t0
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "games": games,
        "seconds": round(wall, 1),
        "rows": r["rows"],
        "store_mb": round(db.stat().st_size / 1e6, 1),
        "peak_rss_mb_parent": round(peak_self),
        "peak_rss_mb_worker": round(peak_child),
        "cores": os.cpu_count(),
    }
