"""Store access for the Streamlit app: where the store lives, first-start build, cached opening.

One read-only view of each store file is shared by every session (`st.cache_resource`):
an in-memory DuckDB with the file attached read-only (`ReadStore`), so the app can keep
derived tables in memory. `Store.query` takes a fresh cursor per query because a DuckDB
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

import duckdb
import streamlit as st

from oa.settings import DB_ENV as ENV_VAR  # noqa: F401 - the app's name for it
from oa.settings import db_path
from oa.store import Store, StoreError

DEMO_GAMES = 200
DEMO_SEED = 0
BUILD_TEXT = "Building the demo league (first start only)…"

_build_lock = threading.Lock()


class ReadStore(Store):
    """A store file read through an in-memory DuckDB: the file attached read-only, one view per table.

    Reading is the same as a read-only `Store` (same SQL, same lock rules: the file is never
    written), but the in-memory side can hold tables the app derives for speed, such as the
    shots joined with their scores (`materialize`); a read-only database cannot hold them.
    """

    def __init__(self, path: str | Path):
        self.path, self.read_only = str(path), True
        if not Path(path).exists():
            raise StoreError(f"no store at {path}; build one with `python -m oa demo --db {path}`")
        self.con = duckdb.connect()
        try:
            self.con.execute(f"ATTACH '{str(path).replace(chr(39), chr(39) * 2)}' AS store (READ_ONLY)")
        except duckdb.Error as e:
            self.con.close()
            raise StoreError(f"cannot open store {path}: {e}") from e
        for (name,) in self.con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'store'"
        ).fetchall():
            self.con.execute(f'CREATE VIEW main."{name}" AS SELECT * FROM store.main."{name}"')
        self._lock = threading.Lock()

    def materialize(self, name: str, sql: str) -> str:
        """Create in-memory table `name` from `sql` once (dropping older `<prefix>_*` versions); returns name."""
        prefix = name.rsplit("_", 1)[0]
        with self._lock:
            have = {
                r[0]
                for r in self.con.execute(
                    "SELECT table_name FROM duckdb_tables() WHERE database_name = 'memory'"
                ).fetchall()
            }
            if name not in have:
                for old in have:
                    if old.startswith(prefix + "_"):
                        self.con.execute(f'DROP TABLE "{old}"')
                self.con.execute(f'CREATE TABLE "{name}" AS {sql}')
        return name


@st.cache_resource(show_spinner=False)
def open_store(path: str | Path) -> ReadStore:
    """The shared read-only store at `path` (one in-memory DuckDB per process, the file attached)."""
    return ReadStore(Path(path))


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
