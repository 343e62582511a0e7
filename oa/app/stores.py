"""The stores the dashboard can open and where their data came from (the Data page).

A store's provenance is read from the store itself: `meta` (league, source, seed), the
games' own `source` column, seasons with their games and shots, the `runs` table (the last
completed ingest or sync, and any that did not finish), `nhl_sync` (games a sync could not
fetch or read) and the `models` table (which model rated the shots). Each store is opened with a short-lived read-only connection, closed at
once: holding it would lock out a sync or an ingest that wants to write it.

A file that cannot be read (damaged, not DuckDB, locked by a writer, a DuckDB file that is
not one of our stores) is described by a sentence in `StoreInfo.problem`, never raised:
the page lists it with that sentence. Only readable stores are cached (per path, size and
modification time); a problem is read again on the next run, so a lock that ends is seen.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from oa.app.filters import list_stores
from oa.sources.registry import is_source, source_named

DEMO = "demo"
HEADER_BYTES = 3 * 4096  # a DuckDB file: its file header and two database headers, then the blocks


@dataclass(frozen=True)
class Season:
    season: str
    games: int
    shots: int
    first: object = None  # first and last game date (None when the source has no dates)
    last: object = None


@dataclass(frozen=True)
class Run:
    command: str
    started: datetime
    finished: datetime | None
    status: str
    detail: str | None = None


@dataclass(frozen=True)
class Model:
    model_id: str
    trained_at: datetime | None
    source: str
    feature_set: str
    active: bool
    scored: int  # shots this model has a rating for


@dataclass(frozen=True)
class StoreInfo:
    """What a store file holds and where it came from; `problem` says why it could not be read."""

    path: str
    name: str
    size: int = 0
    modified: datetime | None = None
    problem: str | None = None
    league: str | None = None
    source: str | None = None  # meta's source: what loaded the store
    seed: str | None = None
    sources: tuple[tuple[str, int], ...] = ()  # the games' own source -> games
    seasons: tuple[Season, ...] = ()
    shots: int = 0
    last_done: Run | None = None  # the last ingest or sync that ran to the end
    unfinished: tuple[Run, ...] = ()  # killed or failed, not completed since
    models: tuple[Model, ...] = ()
    sync_failed: tuple[tuple[int, str], ...] = ()  # (game id, why) of games the last sync could not fetch or read
    tables: tuple[str, ...] = field(default=(), repr=False)

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def demo(self) -> bool:
        return self.source == DEMO or (bool(self.sources) and {s for s, _ in self.sources} == {DEMO})

    @property
    def games(self) -> int:
        return sum(s.games for s in self.seasons)

    @property
    def active_models(self) -> tuple[Model, ...]:
        return tuple(m for m in self.models if m.active)


class Unreadable(Exception):
    """A store file that cannot be read; the message is the sentence the page shows."""


def why_unreadable(path: str, e: BaseException) -> str:
    """A DuckDB error opening `path`, as a sentence a user can act on."""
    text = str(e)
    low = text.lower()
    if "lock" in low:
        return (
            "is in use by another program that is writing it (a sync or an ingest still running?). "
            "It can be read when that finishes."
        )
    if "not a valid duckdb database" in low:
        return "is not a DuckDB store: the file is damaged or is another kind of file."
    if "could not read" in low or "corrupt" in low or "checksum" in low:
        return "is damaged (cut short or overwritten): DuckDB cannot read it. Rebuild it, or remove it."
    return f"cannot be read: {text.splitlines()[0] if text else type(e).__name__}"


def _stat(path: str) -> tuple[int, float]:
    st_ = os.stat(path)
    return st_.st_size, st_.st_mtime


def describe(path: str | Path) -> StoreInfo:
    """The store at `path` described; an unreadable file gets a `problem` sentence instead."""
    p = str(path)
    name = Path(p).name
    try:
        size, mtime = _stat(p)
    except OSError:
        return StoreInfo(path=p, name=name, problem="is missing (moved or deleted?).")
    try:
        info = _read(p, size, mtime)
    except Unreadable as e:
        return StoreInfo(path=p, name=name, size=size, modified=datetime.fromtimestamp(mtime), problem=str(e))
    return info


def describe_all() -> list[StoreInfo]:
    """Every store the app can open (the default one first, then data/*.duckdb)."""
    return [describe(p) for p in list_stores()]


@st.cache_data(show_spinner=False, max_entries=64)
def _read(path: str, size: int, mtime: float) -> StoreInfo:
    """Read a store's provenance with a connection closed at once. Raises `Unreadable` (not cached)."""
    try:
        con = duckdb.connect(path, read_only=True)
    except duckdb.Error as e:
        raise Unreadable(why_unreadable(path, e)) from e
    try:
        return _provenance(con, path, size, mtime)
    except duckdb.Error as e:
        raise Unreadable(why_unreadable(path, e)) from e
    finally:
        con.close()


def _provenance(con: duckdb.DuckDBPyConnection, path: str, size: int, mtime: float) -> StoreInfo:
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if not {"games", "shots"} <= tables:
        raise Unreadable("is a DuckDB file, but not an Opportunity Analysis store (it has no games or shots table).")
    # DuckDB reads blocks lazily: a file cut short opens, and fails on the first query that reads past
    # its end. Every block in use lies in the file (free ones at the end may be cut off by DuckDB itself).
    block, used = con.execute("SELECT block_size, used_blocks FROM pragma_database_size()").fetchall()[0]
    need = HEADER_BYTES + int(block) * int(used)
    if size < need:
        raise Unreadable(
            f"is damaged: cut short ({size:,} bytes, but the blocks it uses need {need:,}). Rebuild it, or remove it."
        )
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall()) if "meta" in tables else {}
    sources = tuple(
        (str(s), int(n))
        for s, n in con.execute("SELECT source, count(*) FROM games GROUP BY source ORDER BY 2 DESC, 1").fetchall()
    )
    seasons = tuple(
        Season(str(s), int(g), int(n), first, last)
        for s, g, n, first, last in con.execute(
            """
            SELECT g.season, count(*), coalesce(sum(s.n), 0), min(g.date), max(g.date)
            FROM games g LEFT JOIN (SELECT game_id, count(*) AS n FROM shots GROUP BY game_id) s USING (game_id)
            GROUP BY g.season ORDER BY g.season DESC"""
        ).fetchall()
    )
    last_done: Run | None = None
    unfinished: tuple[Run, ...] = ()
    if "runs" in tables:
        row = con.execute(
            "SELECT command, started, finished, status, detail FROM runs WHERE status = 'done' "
            "ORDER BY finished DESC NULLS LAST LIMIT 1"
        ).fetchall()
        last_done = Run(*row[0]) if row else None
        unfinished = tuple(
            Run(*r)
            for r in con.execute(
                "SELECT command, started, finished, status, detail FROM runs r WHERE status <> 'done' AND NOT EXISTS "
                "(SELECT 1 FROM runs d WHERE d.command = r.command AND d.status = 'done' AND d.started > r.started) "
                "ORDER BY started"
            ).fetchall()
        )
    sync_failed: tuple[tuple[int, str], ...] = ()
    if "nhl_sync" in tables:
        sync_failed = tuple(
            (int(g), str(d or "no reason recorded"))
            for g, d in con.execute(
                "SELECT game_id, detail FROM nhl_sync WHERE status = 'failed' ORDER BY game_id"
            ).fetchall()
        )
    models: tuple[Model, ...] = ()
    if "models" in tables:
        scored = "shot_scores" in tables
        models = tuple(
            Model(str(m), t, str(src), str(fs), bool(a), int(n or 0))
            for m, t, src, fs, a, n in con.execute(
                "SELECT m.model_id, m.trained_at, m.source, m.feature_set, m.active, "
                + ("(SELECT count(*) FROM shot_scores sc WHERE sc.model_id = m.model_id)" if scored else "0")
                + " FROM models m ORDER BY m.active DESC, m.trained_at DESC NULLS LAST"
            ).fetchall()
        )
    return StoreInfo(
        path=path,
        name=Path(path).name,
        size=size,
        modified=datetime.fromtimestamp(mtime),
        league=meta.get("league"),
        source=meta.get("source"),
        seed=meta.get("seed"),
        sources=sources,
        seasons=seasons,
        shots=sum(s.shots for s in seasons),
        last_done=last_done,
        unfinished=unfinished,
        models=models,
        sync_failed=sync_failed,
        tables=tuple(sorted(tables)),
    )


def source_title(name: str) -> str:
    """A games.source code in words: the adapter's title from the source registry, or the demo league."""
    if name == DEMO:
        return "the demo league (simulated, fictional)"
    return source_named(name).title if is_source(name) else name


def only_demo(infos: list[StoreInfo]) -> bool:
    """True when every readable store is the demo league (or there is none): no real data yet."""
    return not any(i.ok and i.games and not i.demo for i in infos)


def season_rows(infos: list[StoreInfo]) -> pd.DataFrame:
    """One row per readable store and season: what the overview chart draws."""
    rows = [
        {
            "store": i.name,
            "season": s.season,
            "games": s.games,
            "shots": s.shots,
            "label": f"{html.escape(i.name)}<br>{html.escape(s.season)}",  # Plotly reads a little HTML
        }
        for i in infos
        if i.ok
        for s in i.seasons
    ]
    return pd.DataFrame(rows, columns=["store", "season", "games", "shots", "label"])
