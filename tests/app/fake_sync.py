"""A stand-in for `python -m oa nhl sync` (tests only): the same options and progress contract.

Appends JSON lines `{"stage", "done", "total"}` to --progress-file, then a final line with
stage "done" (or "failed" when $FAKE_SYNC_FAIL is set) and a "message". $FAKE_SYNC_FROM is a
store copied to --db as the synced one; $FAKE_SYNC_GATE, a file it waits for before finishing,
lets a test look at it while it runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from pathlib import Path


def say(path: Path, **rec: object) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(rec) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--season", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--cache")
    ap.add_argument("--progress-file", required=True)
    a = ap.parse_args()
    prog = Path(a.progress_file)
    say(prog, stage="schedule", done=1, total=1)
    games = 4
    for i in range(games):
        say(prog, stage="games", done=i + 1, total=games)
        if i == 1:  # half-way: wait for the test to look
            gate = os.environ.get("FAKE_SYNC_GATE")
            t0 = time.time()
            while gate and not Path(gate).exists() and time.time() - t0 < 60:
                time.sleep(0.05)
    if os.environ.get("FAKE_SYNC_FAIL"):
        say(prog, stage="failed", done=games, total=games, message="the schedule answered 503 five times")
        raise SystemExit(1)
    src = os.environ.get("FAKE_SYNC_FROM")
    if src:
        shutil.copy2(src, a.db + ".part")
        os.replace(a.db + ".part", a.db)
    say(prog, stage="done", done=games, total=games, message=f"{games} new games, 0 changed, 0 failed")


if __name__ == "__main__":
    main()
