"""The DuckDB store: canonical tables in, scored shots out.

Ingest is one game at a time inside one transaction: validate everything first, then
delete the game's old rows and insert the new ones, so re-ingesting a game replaces it
and a bad game leaves the store exactly as it was. Table and column names come only
from `oa.schema`; every value goes through a parameter or a registered DataFrame.
"""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Iterator, Mapping

import duckdb
import pandas as pd

from oa import schema
from oa.schema import GameBundle, Table

DEFAULT_DB = Path(__file__).resolve().parents[1] / "data" / "oa.duckdb"


class StoreError(RuntimeError):
    """The store could not do what was asked; the message says what to do."""


class Store:
    """A DuckDB file (or `:memory:`) holding the canonical tables."""

    def __init__(self, path: str | Path = DEFAULT_DB, read_only: bool = False):
        self.path = str(path)
        if self.path != ":memory:":
            p = Path(self.path)
            if read_only and not p.exists():
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

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def create_schema(self) -> None:
        for t in schema.ALL_TABLES:
            self.con.execute(t.ddl())

    @contextlib.contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        else:
            self.con.execute("COMMIT")

    # -- writes ----------------------------------------------------------------------
    def _insert(self, table: Table, df: pd.DataFrame, replace: bool = False) -> None:
        """Append `df` (or insert-or-replace by primary key) through a registered view."""
        if len(df) == 0:
            return
        view = f"_in_{table.name}"
        self.con.register(view, schema.ordered(table, df))
        try:
            cols = ", ".join(table.column_names)
            verb = "INSERT OR REPLACE" if replace else "INSERT"
            self.con.execute(f"{verb} INTO {table.name} ({cols}) SELECT {cols} FROM {view}")
        finally:
            self.con.unregister(view)

    def upsert(self, tables: Mapping[str, pd.DataFrame]) -> None:
        """Insert or replace rows of shared (not per-game) tables, atomically."""
        for name, df in tables.items():
            t = schema.BY_NAME[name]
            if t.per_game:
                raise StoreError(f"table {name} is per game; ingest it with ingest_game")
            schema.validate_table(t, schema.ordered(t, df) if set(t.column_names) <= set(df.columns) else df, game="-")
        with self.transaction():
            for name, df in tables.items():
                self._insert(schema.BY_NAME[name], df, replace=True)

    def _delete_game(self, game_id: int) -> None:
        lo, hi = game_id * 10000, game_id * 10000 + 9999
        for t in (schema.SHOT_FACTORS, schema.SHOT_SCORES, schema.SHOT_FEATURES_KEY):
            self.con.execute(f"DELETE FROM {t.name} WHERE shot_id BETWEEN ? AND ?", [lo, hi])
        for t in schema.GAME_TABLES:
            self.con.execute(f"DELETE FROM {t.name} WHERE game_id = ?", [game_id])

    def ingest_game(self, bundle: GameBundle) -> dict[str, int]:
        """Validate and store one game, replacing any earlier copy; all or nothing."""
        schema.validate_bundle(bundle)
        with self.transaction():
            self._delete_game(bundle.game_id)
            for t in schema.GAME_TABLES:
                if t.name in bundle.tables:
                    self._insert(t, bundle.tables[t.name])
        return bundle.rows()

    def delete_games(self, game_ids: list[int]) -> None:
        with self.transaction():
            for g in game_ids:
                self._delete_game(int(g))

    def set_meta(self, **values: object) -> None:
        df = pd.DataFrame({"key": list(values), "value": [str(v) for v in values.values()]})
        self.upsert({"meta": df})

    def checkpoint(self) -> None:
        self.con.execute("CHECKPOINT")

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

    def counts(self) -> dict[str, int]:
        return {t.name: int(self.con.execute(f"SELECT count(*) FROM {t.name}").fetchone()[0])
                for t in schema.ALL_TABLES}

    def game_ids(self) -> list[int]:
        return [int(r[0]) for r in self.con.execute("SELECT game_id FROM games ORDER BY game_id").fetchall()]
