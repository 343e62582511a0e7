"""A season sync started from the Data page: a separate process, one at a time, its progress read from a file.

The dashboard never writes a store. The Data page starts `python -m oa nhl sync --season S
--db data/nhl-S.duckdb --cache data/cache/nhl --progress-file F` as a child process (its own
session, so stopping the dashboard does not kill it half-way; a sync resumes anyway; it asks the
API root in $OA_NHL_API, oa.settings, the NHL's own when unset) and reads F, JSON lines
`{"stage", "done", "total"}` appended as it goes and a final line whose stage is "done" or
"failed" with a "message".

One sync at a time, across every session and every dashboard process: starting takes a lock
file (created exclusively) naming the season, the store, the progress file and the pid. A
second click, in any session, finds the lock and is told a sync is running. The lock is
stale, and is taken over, once its process has ended (by its final progress line, by its
exit code when this process started it, or because its pid is gone).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from oa import settings

# the command before its options; tests point it at a stand-in that writes the same progress
PROGRAM: list[str] = [sys.executable, "-m", "oa", "nhl", "sync"]
FINAL = ("done", "failed")
STARTING_S = 30.0  # a lock without a pid yet (the process is being started) is live this long
_SEASON = re.compile(r"^(\d{4})-(\d{2})$")
_start_lock = threading.Lock()  # two sessions of this process clicking together
_children: dict[int, subprocess.Popen] = {}  # started here: polled, so a finished one is reaped


class SyncError(RuntimeError):
    """A sync could not be started; the message says why, in words for the page."""


class SyncBusy(SyncError):
    """Another sync is running."""


def season_code(text: str) -> str:
    """'2025-26' checked: two consecutive years. Raises SyncError naming the text otherwise."""
    t = str(text).strip()
    m = _SEASON.match(t)
    if not m or (int(m.group(1)) + 1) % 100 != int(m.group(2)) or not 1917 <= int(m.group(1)) <= 2100:
        raise SyncError(f"{t[:40]!r} is not a season: write it as 2025-26 (two consecutive years).")
    return t


def recent_seasons(today: date | None = None, n: int = 5) -> list[str]:
    """The current NHL season (it starts in October) and the ones before it, newest first."""
    d = today or date.today()
    start = d.year if d.month >= 9 else d.year - 1
    return [f"{y}-{(y + 1) % 100:02d}" for y in range(start, start - n, -1)]


def folder() -> Path:
    """data/sync/: the lock, each season's progress file and the process's log."""
    return settings.DATA_DIR / "sync"


def lock_path() -> Path:
    return folder() / "sync.lock"


def target(season: str) -> Path:
    """The store a season's sync writes: data/nhl-<season>.duckdb (a store of its own)."""
    return settings.DATA_DIR / f"nhl-{season_code(season)}.duckdb"


@dataclass(frozen=True)
class Progress:
    stage: str = "starting"
    done: int = 0
    total: int = 0
    final: bool = False
    ok: bool = False
    message: str = ""

    @property
    def fraction(self) -> float:
        return min(max(self.done / self.total, 0.0), 1.0) if self.total > 0 else 0.0


def read_progress(path: str | Path) -> Progress:
    """The last progress line of `path` (a line being written, or one not JSON, is skipped)."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return Progress()
    for line in reversed(text.splitlines()):
        try:
            rec = json.loads(line)
            stage = str(rec.get("stage", ""))
            done, total = int(rec.get("done", 0) or 0), int(rec.get("total", 0) or 0)
        except (ValueError, TypeError, AttributeError):
            continue
        final = stage in FINAL
        return Progress(stage, done, total, final, stage == "done", str(rec.get("message", "") or ""))
    return Progress()


@dataclass(frozen=True)
class Job:
    """A sync the lock names, and what its process is doing."""

    season: str
    db: str
    progress_file: str
    log: str
    pid: int | None
    started: float
    progress: Progress
    running: bool
    exit_code: int | None = None


def _alive(pid: int | None, started: float) -> tuple[bool, int | None]:
    """(running, exit code if known) of the lock's process."""
    if pid is None:
        return time.time() - started < STARTING_S, None
    child = _children.get(pid)
    if child is not None:
        code = child.poll()
        return code is None, code
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False, None
    except PermissionError:
        return True, None
    return True, None


def _read_lock() -> dict | None:
    try:
        rec = json.loads(lock_path().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}  # half-written or damaged: treated as stale unless fresh
    return rec if isinstance(rec, dict) else {}


def current() -> Job | None:
    """The sync the lock names (running, or finished and not yet replaced by another), or None."""
    rec = _read_lock()
    if rec is None:
        return None
    try:
        started = float(rec.get("started", 0))
        pid = int(rec["pid"]) if rec.get("pid") is not None else None
        season, db, prog, log = (str(rec[k]) for k in ("season", "db", "progress", "log"))
    except (KeyError, TypeError, ValueError):
        try:
            started = lock_path().stat().st_mtime
        except OSError:
            return None
        live = time.time() - started < STARTING_S
        return Job("?", "", "", "", None, started, Progress(), live)
    progress = read_progress(prog)
    running, code = _alive(pid, started)
    return Job(season, db, prog, log, pid, started, progress, running and not progress.final, code)


def _write_lock(rec: dict) -> None:
    tmp = lock_path().with_suffix(".tmp")
    tmp.write_text(json.dumps(rec), encoding="utf-8")
    os.replace(tmp, lock_path())


def _take_lock(rec: dict) -> None:
    """Create the lock exclusively; a stale one (its process ended) is removed first. Raises SyncBusy."""
    folder().mkdir(parents=True, exist_ok=True)
    for _ in range(2):
        try:
            fd = os.open(lock_path(), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            job = current()
            if job is not None and job.running and job.pid is None:
                raise SyncBusy("Another sync is starting at this moment. Wait a few seconds and look again.") from None
            if job is not None and job.running:
                raise SyncBusy(
                    f"A sync of {job.season} is already running (started {time.strftime('%H:%M', time.localtime(job.started))}"
                    f"{f', pid {job.pid}' if job.pid else ''}). Wait for it to finish."
                ) from None
            with contextlib.suppress(FileNotFoundError):
                lock_path().unlink()
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(rec, fh)
        return
    raise SyncBusy("Another sync is starting at this moment. Wait a few seconds and look again.")


def command(season: str, db: str | Path, progress_file: str | Path) -> list[str]:
    """The command line a sync of `season` runs: its store, its progress file, and the cache of this data
    folder (`data/cache/nhl`). The API root is the child's $OA_NHL_API (it inherits the environment)."""
    return [
        *PROGRAM,
        "--season",
        season_code(season),
        "--db",
        str(db),
        "--cache",
        str(settings.cache_dir() / "nhl"),
        "--progress-file",
        str(progress_file),
    ]


def start(season: str) -> Job:
    """Start a sync of `season` into its own store, in the background. Raises SyncBusy or SyncError."""
    season = season_code(season)
    api = settings.nhl_api()
    if not settings.is_http_url(api):
        raise SyncError(
            f"{settings.NHL_API_ENV} is set to {api[:80]!r}, which is not an http(s) URL. Set it to the NHL API's "
            f"root (or a mirror's), e.g. {settings.NHL_API}, or unset it, and restart the dashboard."
        )
    db = target(season)
    prog = folder() / f"nhl-{season}.progress.jsonl"
    log = folder() / f"nhl-{season}.log"
    rec = {"season": season, "db": str(db), "progress": str(prog), "log": str(log), "pid": None, "started": time.time()}
    with _start_lock:
        _take_lock(rec)
        try:
            prog.write_text("", encoding="utf-8")  # a new run's progress, not the last one's
            with open(log, "wb") as out:
                proc = subprocess.Popen(
                    command(season, db, prog),
                    cwd=settings.ROOT,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    env={**os.environ, "PYTHONUNBUFFERED": "1"},
                    start_new_session=True,  # stopping the dashboard does not stop the sync
                )
        except OSError as e:
            with contextlib.suppress(FileNotFoundError):
                lock_path().unlink()
            raise SyncError(f"Could not start the sync: {e}") from e
        _children[proc.pid] = proc
        rec["pid"] = proc.pid
        _write_lock(rec)
    job = current()
    assert job is not None
    return job


def log_tail(job: Job, lines: int = 5) -> str:
    """The last lines of the sync's log (what it printed when it stopped)."""
    try:
        text = Path(job.log).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.strip().splitlines()[-lines:])
