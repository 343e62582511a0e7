"""The DuckDB store: canonical tables in, scored shots out.

Ingest is one game at a time inside one transaction: validate everything first, then
delete the game's old rows and insert the new ones, so re-ingesting a game replaces it
and a bad game leaves the store exactly as it was. A game already stored exactly as
given is left alone (with its factors and scores), so re-running an ingest changes
nothing it had stored. A database error inside a transaction is rolled back and raised
as `StoreError` with DuckDB's own message. Writes that span many transactions (ingest)
are recorded in `runs`, so a killed one leaves a mark. Table and column names come only
from `oa.schema`; every value goes through a parameter or a registered DataFrame.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from oa import schema
from oa.schema import GameBundle, Table
from oa.settings import DEFAULT_DB  # noqa: F401 - the default store, re-exported for the commands


class StoreError(RuntimeError):
    """The store could not do what was asked; the message says what to do."""


class Store:
    """A DuckDB file (or `:memory:`) holding the canonical tables."""

    def __init__(self, path: str | Path = DEFAULT_DB, read_only: bool = False, create: bool = True):
        """Open (or, unless `read_only` or not `create`, create) the store at `path`."""
        self.path = str(path)
        self._dangling: set[str] = set()  # views to drop after a ROLLBACK (see `registered`)
        if self.path != ":memory:":
            p = Path(self.path)
            if (read_only or not create) and not p.exists():
                raise StoreError(f"no store at {p}; build one with `python -m oa demo --db {p}`")
            p.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as e:
            hint = " (is the dashboard or another command using it? stop it first)" if "lock" in str(e).lower() else ""
            raise StoreError(f"cannot open store {self.path}{hint}: {e}") from e
        self.read_only = read_only
        if not read_only:
            self.create_schema()

    # -- lifecycle -------------------------------------------------------------------
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def create_schema(self) -> None:
        for t in schema.ALL_TABLES:
            self.con.execute(t.ddl())

    @contextlib.contextmanager
    def transaction(self, what: str = "the write") -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing. A database error is rolled back and raised as StoreError naming `what`."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
            self.con.execute("COMMIT")
        except BaseException as e:
            self._rollback()
            if isinstance(e, duckdb.Error):
                raise StoreError(
                    f"{what} failed and was rolled back (nothing of it is stored): {type(e).__name__}: {e}"
                ) from e
            raise

    def _rollback(self) -> None:
        # a connection the error broke cannot roll back; the error that broke it is the one to report
        with contextlib.suppress(duckdb.Error):
            self.con.execute("ROLLBACK")
        for name in self._dangling:
            with contextlib.suppress(duckdb.Error):
                self.con.unregister(name)
        self._dangling.clear()

    @contextlib.contextmanager
    def registered(self, name: str, df: pd.DataFrame) -> Iterator[str]:
        """`df` as the view `name` for the block.

        After a failed statement DuckDB aborts the transaction and refuses even to unregister,
        which would replace the real error with "transaction is aborted": then the view is
        dropped after the ROLLBACK instead.
        """
        self.con.register(name, df)
        try:
            yield name
        except BaseException:
            try:
                self.con.unregister(name)
            except duckdb.Error:
                self._dangling.add(name)
            raise
        self.con.unregister(name)

    # -- writes ----------------------------------------------------------------------
    def insert(self, table: Table, df: pd.DataFrame, replace: bool = False) -> None:
        """Append `df` (or insert-or-replace by primary key) through a registered view."""
        if len(df) == 0:
            return
        with self.registered(f"_in_{table.name}", schema.ordered(table, df)) as view:
            cols = ", ".join(table.column_names)
            verb = "INSERT OR REPLACE" if replace else "INSERT"
            self.con.execute(f"{verb} INTO {table.name} ({cols}) SELECT {cols} FROM {view}")

    def upsert(self, tables: Mapping[str, pd.DataFrame]) -> None:
        """Insert or replace rows of shared (not per-game) tables, atomically."""
        for name, df in tables.items():
            t = schema.BY_NAME[name]
            if t.per_game:
                raise StoreError(f"table {name} is per game; ingest it with ingest_game")
            schema.validate_table(t, schema.ordered(t, df) if set(t.column_names) <= set(df.columns) else df, game="-")
        with self.transaction(f"storing {', '.join(tables)}"):
            for name, df in tables.items():
                self.insert(schema.BY_NAME[name], df, replace=True)

    def _delete_game(self, game_id: int) -> None:
        lo, hi = game_id * 10000, game_id * 10000 + 9999
        for t in schema.PER_SHOT_TABLES:
            self.con.execute(f"DELETE FROM {t.name} WHERE shot_id BETWEEN ? AND ?", [lo, hi])
        for t in schema.GAME_TABLES:
            self.con.execute(f"DELETE FROM {t.name} WHERE game_id = ?", [game_id])

    def ingest_game(self, bundle: GameBundle) -> dict[str, int]:
        """Validate and store one game, replacing any earlier copy; all or nothing.

        A copy identical to the stored one is not written: replacing it would only throw
        away the game's factors and scores, so re-running an ingest leaves them in place.
        """
        schema.validate_bundle(bundle)
        if self.holds(bundle):
            return bundle.rows()
        with self.transaction(f"storing game {bundle.game_id}"):
            self._delete_game(bundle.game_id)
            for t in schema.GAME_TABLES:
                if t.name in bundle.tables:
                    self.insert(t, bundle.tables[t.name])
        return bundle.rows()

    def stored_games(self, game_ids: list[int]) -> set[int]:
        """Which of `game_ids` the store already holds (one query for a whole file's games)."""
        if not game_ids:
            return set()
        ids = pd.DataFrame({"game_id": pd.array(game_ids, dtype="int64")})
        with self.registered("_ask_games", ids) as view:
            rows = self.con.execute(f"SELECT game_id FROM games WHERE game_id IN (SELECT game_id FROM {view})")
            return {int(r[0]) for r in rows.fetchall()}

    def ingest_new_games(self, bundles: list[GameBundle]) -> None:
        """Store many games the store does not hold yet, validated together and written in one transaction.

        The fast path of an ingest (a season's ~1,400 games in seconds, not minutes): the same
        checks as `ingest_game` run once on all the games' rows. All or nothing: on any error the
        store is unchanged and the caller stores the games one by one, so a bad game is still
        named and skipped on its own.
        """
        if not bundles:
            return
        tables = _validated_together(bundles)
        ids = pd.DataFrame({"game_id": pd.array([b.game_id for b in bundles], dtype="int64")})
        with (
            self.transaction(f"storing {len(bundles):,} games") as con,
            self.registered("_new_games", ids) as view,
        ):
            for t in schema.PER_SHOT_TABLES:
                con.execute(f"DELETE FROM {t.name} WHERE shot_id // 10000 IN (SELECT game_id FROM {view})")
            for t in schema.GAME_TABLES:
                con.execute(f"DELETE FROM {t.name} WHERE game_id IN (SELECT game_id FROM {view})")
            for t in schema.GAME_TABLES:
                if t.name in tables:
                    self.insert(t, tables[t.name])

    def holds(self, bundle: GameBundle) -> bool:
        """True if the store has exactly this copy of the game: every game table, row for row.

        Two queries at most: the game's row counts, then (if they all match) the stored rows
        EXCEPT ALL the new ones cast to the column types, as they would be stored.
        """
        g = int(bundle.game_id)
        sizes = {t.name: len(bundle.tables[t.name]) if t.name in bundle.tables else 0 for t in schema.GAME_TABLES}
        if self.game_counts(g) != sizes:
            return False
        tables = [t for t in schema.GAME_TABLES if sizes[t.name]]
        with contextlib.ExitStack() as views:
            parts = []
            for t in tables:
                view = views.enter_context(self.registered(f"_cmp_{t.name}", schema.ordered(t, bundle.tables[t.name])))
                cast = ", ".join(f"CAST({c.name} AS {c.sql})" for c in t.columns)
                parts.append(
                    f"(SELECT count(*) FROM (SELECT {', '.join(t.column_names)} FROM {t.name} WHERE game_id = $g "
                    f"EXCEPT ALL SELECT {cast} FROM {view}))"
                )
            try:
                differ = self.con.execute(f"SELECT {' + '.join(parts)}", {"g": g}).fetchall()[0][0]
            except duckdb.ConversionException:
                return False  # a value a column cannot hold: not the stored copy (storing it will say why)
        return differ == 0

    def game_counts(self, game_id: int) -> dict[str, int] | None:
        """Rows per game table of a stored game (None if the game is not stored): what a new copy
        is compared with, both to skip an identical one and to refuse one that would shrink."""
        g = int(game_id)
        if not self._count("SELECT count(*) FROM games WHERE game_id = ?", g):
            return None
        rows = self.con.execute(
            " UNION ALL ".join(
                f"SELECT '{t.name}' AS t, count(*) AS n FROM {t.name} WHERE game_id = $g" for t in schema.GAME_TABLES
            ),
            {"g": g},
        ).fetchall()
        return {t: int(n) for t, n in rows}

    def _count(self, sql: str, game_id: int) -> int:
        # fetchall: a result left unfinished blocks the connection's next register()
        return int(self.con.execute(sql, [game_id]).fetchall()[0][0])

    def delete_games(self, game_ids: list[int]) -> None:
        with self.transaction(f"deleting {len(game_ids)} games"):
            for g in game_ids:
                self._delete_game(int(g))

    def set_meta(self, **values: object) -> None:
        df = pd.DataFrame({"key": list(values), "value": [str(v) for v in values.values()]})
        self.upsert({"meta": df})

    def checkpoint(self) -> None:
        self.con.execute("CHECKPOINT")

    # -- runs ------------------------------------------------------------------------
    def begin_run(self, command: str) -> str:
        """Record `command` as running, committed on its own before the run writes anything."""
        run_id = uuid.uuid4().hex
        with self.transaction("recording the run"):
            self.con.execute(
                "INSERT INTO runs (run_id, command, started, status) VALUES (?, ?, ?, 'running')",
                [run_id, command, datetime.now()],
            )
        return run_id

    def end_run(self, run_id: str, status: str = "done", detail: str | None = None) -> None:
        """Close the run's mark: done (the store is complete again) or failed (with why)."""
        if status not in schema.RUN_STATUSES[1:]:
            raise ValueError(f"a run ends done or failed, not {status!r}")
        with self.transaction("recording the end of the run"):
            self.con.execute(
                "UPDATE runs SET finished = ?, status = ?, detail = ? WHERE run_id = ?",
                [datetime.now(), status, detail, run_id],
            )

    def unfinished_runs(self) -> pd.DataFrame:
        """Runs that were killed or failed and that no later run of the same command completed."""
        try:
            return self.query(
                "SELECT * FROM runs r WHERE status <> 'done' AND NOT EXISTS (SELECT 1 FROM runs d "
                "WHERE d.command = r.command AND d.status = 'done' AND d.started > r.started) "
                "ORDER BY started"
            )
        except duckdb.CatalogException:  # a store made before runs were recorded
            return pd.DataFrame(columns=schema.RUNS.column_names)

    # -- reads -----------------------------------------------------------------------
    def query(self, sql: str, params: list | dict | None = None) -> pd.DataFrame:
        """Run a parameterised query on a fresh cursor (connections are not thread-safe)."""
        cur = self.con.cursor()
        try:
            return cur.execute(sql, params or []).df()
        finally:
            cur.close()

    def meta(self) -> dict[str, str]:
        return dict(self.con.execute("SELECT key, value FROM meta").fetchall())

    def scalar(self, sql: str, params: list | None = None) -> Any:
        """The first column of the first row; a query that returns no row is an error, not a `None[0]` crash."""
        row = self.con.execute(sql, params or []).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: no row from {sql.split()[0]} query")
        return row[0]

    def counts(self) -> dict[str, int]:
        return {t.name: int(self.scalar(f"SELECT count(*) FROM {t.name}")) for t in schema.ALL_TABLES}

    def game_ids(self) -> list[int]:
        return [int(r[0]) for r in self.con.execute("SELECT game_id FROM games ORDER BY game_id").fetchall()]


class LazyStore:
    """A store opened (and created) on first call, closed with the block.

    For commands that may find nothing to write (`ingest` of files that are all broken):
    they never call it, so no store file appears.
    """

    def __init__(self, path: str | Path):
        self.path = path
        self.store: Store | None = None

    def __call__(self) -> Store:
        if self.store is None:
            self.store = Store(self.path)
        return self.store

    def __enter__(self) -> LazyStore:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.store is not None:
            self.store.close()


def _validated_together(bundles: list[GameBundle]) -> dict[str, pd.DataFrame]:
    """Every table of `bundles` as one frame per table, checked as `schema.validate_bundle` checks each
    game (columns, values, keys, each row in its own game, shot ids, shots among their events).

    Raises ValidationError (naming the batch, not the game: the caller then stores game by game)."""
    what = f"batch of {len(bundles)} games"
    for b in bundles:
        for name in ("games", "shots"):
            if name not in b.tables:
                raise schema.ValidationError(b.game_id, name, None, "table is missing")
        if len(b.tables["games"]) != 1:
            raise schema.ValidationError(b.game_id, "games", None, "expected exactly one row")
        unknown = set(b.tables) - set(schema.BY_NAME)
        if unknown:
            raise schema.ValidationError(b.game_id, sorted(unknown)[0], None, "unknown table")
    names = list(dict.fromkeys(n for b in bundles for n in b.tables))
    tables: dict[str, pd.DataFrame] = {}
    for name in names:
        parts = [b.tables[name] for b in bundles if name in b.tables]
        owner = np.concatenate([np.full(len(b.tables[name]), b.game_id, np.int64) for b in bundles if name in b.tables])
        df = pd.concat([p for p in parts if len(p)] or parts[:1], ignore_index=True)
        table = schema.BY_NAME[name]
        schema.validate_table(table, df, what)
        if table.per_game and "game_id" in df.columns and len(df):
            wrong = pd.to_numeric(df["game_id"], errors="coerce").to_numpy(dtype=float) != owner
            if wrong.any():
                raise schema.ValidationError(what, name, "game_id", "a row belongs to another game")
        tables[name] = df
    shots = tables["shots"]
    gid, idx = shots["game_id"].to_numpy(), shots["event_idx"].to_numpy()
    if (shots["shot_id"].to_numpy() != gid * 10000 + idx).any():
        raise schema.ValidationError(what, "shots", "shot_id", "shot_id must be game_id * 10000 + event_idx")
    if "events" in tables and len(shots):
        ev = tables["events"]
        # only games that have events are checked, as validate_bundle does
        with_events = np.isin(gid, [b.game_id for b in bundles if "events" in b.tables])
        known = pd.MultiIndex.from_arrays([ev["game_id"].to_numpy(), ev["event_idx"].to_numpy()])
        here = pd.MultiIndex.from_arrays([gid, idx]).isin(known)
        if (with_events & ~here).any():
            raise schema.ValidationError(what, "shots", "event_idx", "a shot's event is not in events")
    return tables
