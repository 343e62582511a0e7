"""Store access for the Streamlit app: where the store lives, first-start build, cached opening.

One read-only DuckDB connection per store file is shared by every session
(`st.cache_resource`); `Store.query` takes a fresh cursor per query because a DuckDB
connection is not thread-safe and Streamlit sessions are threads.

On first start, when there is no store yet, the fictional demo league is simulated,
its factors computed and a model trained and applied (`oa.pipeline.run_demo`, the same
as `python -m oa demo`) behind a progress bar. The build writes to a temporary file
which is renamed into place only when complete, so an interrupted build never leaves a
half-filled store that looks finished.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import streamlit as st

from oa.store import DEFAULT_DB, Store

ENV_VAR = "OA_DB"
DEMO_GAMES = 200
DEMO_SEED = 0
BUILD_TEXT = "Building the demo league (first start only)…"

_build_lock = threading.Lock()


def db_path() -> Path:
    """The store the app shows: $OA_DB if set, else data/oa.duckdb in the repository."""
    env = os.environ.get(ENV_VAR, "").strip()
    return Path(env).expanduser().resolve() if env else DEFAULT_DB


@st.cache_resource(show_spinner=False)
def open_store(path: str | Path) -> Store:
    """The shared read-only store at `path` (one connection per process)."""
    return Store(Path(path), read_only=True)


def _discard(p: Path) -> None:
    for f in (p, p.with_name(p.name + ".wal")):
        f.unlink(missing_ok=True)


def ensure_demo_store(path: str | Path | None = None, n_games: int = DEMO_GAMES, seed: int = DEMO_SEED) -> Path:
    """Make sure a store exists at `path`; simulate the demo league into it if not.

    Shows an `st.progress` bar while building. Returns the path. Safe to call on every
    rerun: it costs one `exists()` check once the store is there.
    """
    path = Path(path) if path is not None else db_path()
    if path.exists():
        return path
    with _build_lock:  # two sessions arriving together build once
        if path.exists():
            return path
        from oa.pipeline import run_demo  # lazy: the simulator and trainer are only needed on first start

        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".building")
        _discard(tmp)
        bar = st.progress(0.0, text=BUILD_TEXT)

        def progress(stage: str, done: int, total: int) -> None:
            frac = min(max(done / total, 0.0), 1.0) if total else 0.0
            bar.progress(frac, text=f"{BUILD_TEXT} {stage} {done}/{total}")

        try:
            # run_demo checkpoints and closes its writer, so the file is whole to move; the
            # model files go to <dir>/models/ beside the store, keyed by model id
            run_demo(tmp, n_games=n_games, seed=seed, progress=progress)
            os.replace(tmp, path)
        except BaseException:
            _discard(tmp)
            raise
        finally:
            bar.empty()
    return path
