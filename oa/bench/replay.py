"""`python -m oa bench replay`: the replay video drawn and encoded, 1080p and 720p, timed render by render.

On a store (the demo league by default) it takes the `shots` best-rated tracked shots, reads
each as the export command does (`oa.broadcast.data.read_card`, `oa.broadcast.replay.read_clip`;
timed apart) and renders its replay (5 s before the release to 1 s after, 30 fps) to an MP4 in
a temporary folder, `runs` times over the shots at each size: the whole export (every frame
drawn with Pillow and piped to imageio-ffmpeg's ffmpeg, libx264, the file moved into place).
It also times drawing the frames alone (no encoder) at 1080p, to show where the time goes.
Medians and the slowest, with the machine's load before and after. Target (issue 15): a 6 s
clip at 1080p in at most 10 s.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from oa.bench.graphic import _load, _shown
from oa.broadcast.data import read_card
from oa.broadcast.replay import DEFAULT_FPS, VIDEO_SIZES, Painter, read_clip, render_replay
from oa.broadcast.theme import load_theme
from oa.store import Store, StoreError

TARGET_1080P_S = 10.0


def run(db: Path, shots: int = 3, runs: int = 3, progress: Callable[[str, int, int], None] | None = None) -> dict:
    progress = progress or (lambda *_: None)
    with Store(db, read_only=True) as store:
        ids = store.query(
            """SELECT s.shot_id FROM shots s JOIN games g USING (game_id)
               JOIN shot_scores sc ON sc.shot_id = s.shot_id
               WHERE sc.model_id IN (SELECT model_id FROM models WHERE active)
                 AND g.has_tracking AND s.release_frame IS NOT NULL
               ORDER BY sc.p_goal DESC, s.shot_id LIMIT $n""",
            {"n": int(shots)},
        )["shot_id"].tolist()
        if not ids:
            raise StoreError(f"{db} has no rated tracked shot to replay (build the demo league: python -m oa demo)")
        t0 = time.perf_counter()
        clips = []
        for i in ids:
            card = read_card(store, int(i))
            clips.append((card, read_clip(store, card)))
        read_s = (time.perf_counter() - t0) / len(clips)
    theme = load_theme()
    load_before = _load()
    times: dict[str, list[float]] = {size: [] for size in VIDEO_SIZES}
    frames: dict[str, int] = {}
    sizes: dict[str, int] = {}
    draw: list[float] = []
    total, done = (len(times) + 1) * runs * len(clips), 0
    with tempfile.TemporaryDirectory(prefix="oa-bench-replay-") as tmp:
        out = Path(tmp) / "replay.mp4"
        for _ in range(runs):
            for card, clip in clips:
                for size in VIDEO_SIZES:
                    t = time.perf_counter()
                    frames[size] = render_replay(card, clip, out, size, DEFAULT_FPS, theme)
                    times[size].append(time.perf_counter() - t)
                    sizes[size] = out.stat().st_size
                    done += 1
                    progress("render", done, total)
                t = time.perf_counter()
                painter = Painter(card, clip, "1920x1080", theme)
                for s in clip.times(DEFAULT_FPS):
                    painter.frame(float(s)).tobytes()
                draw.append(time.perf_counter() - t)
                done += 1
                progress("render", done, total)
    hd = times["1920x1080"]
    return {
        "store": _shown(db),
        "shots": len(clips),
        "renders per size": runs * len(clips),
        "fps": DEFAULT_FPS,
        "frames per clip": frames,
        "read one shot and its clip (s)": round(read_s, 4),
        "render and encode (s, median)": {k: round(statistics.median(v), 3) for k, v in times.items()},
        "render and encode (s, slowest)": {k: round(max(v), 3) for k, v in times.items()},
        "draw frames only, 1920x1080 (s, median)": round(statistics.median(draw), 3),
        "bytes (last)": sizes,
        "target": f"a 6 s clip at 1920x1080 in at most {TARGET_1080P_S:g} s",
        "met": max(hd) <= TARGET_1080P_S,
        "load before (1, 5, 15 min)": load_before,
        "load after (1, 5, 15 min)": _load(),
    }
