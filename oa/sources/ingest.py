"""`python -m oa ingest SOURCE PATH...`: read files with one adapter and store every game.

Each game is stored in its own transaction (validated first), so a broken game is
reported and skipped while the rest of the batch goes in, and nothing already stored is
lost. A game already stored is not replaced by a smaller copy of itself (fewer events,
shots or tracking frames: a truncated file, or rows rejected this time) unless `replace`
says so; the refusal reports what would shrink. Players and teams are upserted. Factors
of the new games are computed at the end.

The store is opened only once a file gives something to store (so broken files never
create one), and the ingest is marked as running in its `runs` table before its first
write and closed when it completes: a killed ingest leaves the mark until the same
command runs to the end.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from oa import schema
from oa.features.compute import build_features
from oa.sources.common import IngestReport, SourceError
from oa.sources.nhl_teams import teams_table
from oa.sources.registry import source_named
from oa.store import Store, StoreError

Progress = Callable[[str, int, int], None]


class Run:
    """The store, opened on first need, with this ingest marked in its `runs` table from then on."""

    def __init__(self, store: Store | Callable[[], Store], command: str):
        self._open = store if callable(store) else (lambda: store)
        self.command = command
        self.store: Store | None = None
        self.run_id: str | None = None

    def open(self) -> Store:
        if self.store is None:
            self.store = self._open()
            self.run_id = self.store.begin_run(self.command)
        return self.store

    def end(self, error: BaseException | None = None) -> None:
        if self.run_id is None or self.store is None:
            return
        if error is None:
            self.store.end_run(self.run_id, "done")
            return
        try:
            self.store.end_run(self.run_id, "failed", f"{type(error).__name__}: {error}")
        except StoreError:
            pass  # the mark stays "running", which says the same; the error being raised is the one to show


def command(source: str, paths: list[Path], features: bool = True) -> str:
    """How a run is recorded in `runs`: the same files (absolute) and options give the same command."""
    return " ".join(
        ["ingest", source, *(str(Path(p).resolve()) for p in paths)] + ([] if features else ["--no-features"])
    )


def ingest(
    store: Store | Callable[[], Store],
    source: str,
    paths: list[Path],
    progress: Progress | None = None,
    features: bool = True,
    replace: bool = False,
) -> IngestReport:
    """Read `paths` with `source`'s adapter and store every game; `store` may be a function opening it (see Run).

    `replace`: store a game even if it has fewer events, shots or frames than the stored copy."""
    read = source_named(source).read  # an unknown name raises UnknownSource (a SourceError)
    run = Run(store, command(source, paths, features))
    try:
        report = _ingest(run, read, source, paths, progress, features, replace)
    except BaseException as e:
        run.end(e)
        raise
    run.end()
    return report


def _ingest(
    run: Run, read: Callable, source: str, paths: list[Path], progress: Progress | None, features: bool, replace: bool
) -> IngestReport:
    report = IngestReport(source)
    t0 = time.perf_counter()
    stored: list[int] = []
    seen: dict[int, str] = {}  # game -> the file it was first read from in this batch
    for path in paths:
        try:
            bundles, players = read(path, report)
            games = list(bundles)
        except SourceError as e:
            report.failed.append((path, e))
            continue
        except Exception as e:  # noqa: BLE001 - a shape no check foresaw: name the file, never crash the batch
            report.failed.append((path, SourceError(path, f"cannot be read ({type(e).__name__}: {e})")))
            continue
        if not games and len(players) == 0:
            continue
        store = run.open()
        codes = sorted(
            {t for b in games for t in (b.tables["games"]["home_team"].iloc[0], b.tables["games"]["away_team"].iloc[0])}
        )
        players = _new_players(store, players)  # stored values kept where this file has none
        unnamed = players["name"].isna() | (players["name"].astype(str).str.strip() == "")
        if unnamed.any():
            report.reject(
                "player without a name (named by id)",
                int(unnamed.sum()),
                f"{Path(path).name}, player {int(players.loc[unnamed, 'player_id'].iloc[0])}, field name",
            )
            players = players.assign(
                name=players["name"].where(~unnamed, "Player #" + players["player_id"].astype(str))
            )
        shared = {"players": players}
        if codes:
            shared["teams"] = teams_table(codes, source)
        try:
            store.upsert(shared)
        except (schema.ValidationError, StoreError, duckdb.Error) as e:
            report.failed.append((path, e))
            continue
        report.players += len(players)
        known = store.stored_games([b.game_id for b in games])
        pending: list[schema.GameBundle] = []  # new games, stored together (see Store.ingest_new_games)
        for i, b in enumerate(games):
            if len(b.tables["shots"]) == 0:
                report.reject("game has no shots (not stored)", 1, f"{Path(path).name}, game {b.game_id}")
                report.games -= 1
                continue
            if b.game_id in seen:
                report.reject(
                    "game read twice in this batch (the later copy is kept)",
                    1,
                    f"{Path(path).name}, game {b.game_id} (also in {seen[b.game_id]})",
                )
            elif b.game_id not in known:
                seen[b.game_id] = Path(path).name
                pending.append(b)
                if len(pending) >= BATCH:
                    stored += _store_new(store, pending, path, report)
                if progress:
                    progress(f"storing {Path(path).name}", i + 1, len(games))
                continue
            stored += _store_new(store, pending, path, report)  # an earlier copy goes in first
            seen.setdefault(b.game_id, Path(path).name)
            shrink = None if replace else shrinks(store, b)
            if shrink:
                report.refused.append((f"{Path(path).name} game {b.game_id}", shrink))
                report.games -= 1
                continue
            try:
                store.ingest_game(b)
                stored.append(b.game_id)
            except (schema.ValidationError, StoreError, duckdb.Error) as e:
                report.failed.append((f"{Path(path).name} game {b.game_id}", e))
            if progress:
                progress(f"storing {Path(path).name}", i + 1, len(games))
        stored += _store_new(store, pending, path, report)
    if run.store is None:  # nothing was read that could be stored
        report.seconds = round(time.perf_counter() - t0, 1)
        return report
    store = run.store
    stored = list(dict.fromkeys(stored))
    if stored:
        store.set_meta(**{f"source_{source}": "yes", "source": _sources(store), "league": "NHL"})
    if source == "nhl_edge" and features:
        # new hands and heights change off-wing and goalie-height factors of every stored shot
        stored_games = store.game_ids()
        if stored_games:
            build_features(
                store, stored_games, progress=(lambda i, n: progress("computing factors", i, n)) if progress else None
            )
    elif features and stored:
        build_features(store, stored, progress=(lambda i, n: progress("computing factors", i, n)) if progress else None)
    store.checkpoint()
    report.seconds = round(time.perf_counter() - t0, 1)
    return report


SHRINK_TABLES = ("events", "shots", "frames", "shot_on_ice")  # a copy losing on-ice players is refused too
BATCH = 400  # new games validated and written together: one transaction instead of one per game


def _store_new(store: Store, pending: list[schema.GameBundle], path: Path, report: IngestReport) -> list[int]:
    """Store the games in `pending` (none of them stored before) and empty it; the ids stored.

    Together in one transaction when they all pass; if any fails, game by game, so each bad
    game is named and skipped and the rest go in, exactly as without the fast path."""
    games, pending[:] = list(pending), []
    if not games:
        return []
    try:
        store.ingest_new_games(games)
        return [b.game_id for b in games]
    except (schema.ValidationError, StoreError, duckdb.Error):
        pass
    done = []
    for b in games:
        try:
            store.ingest_game(b)
            done.append(b.game_id)
        except (schema.ValidationError, StoreError, duckdb.Error) as e:
            report.failed.append((f"{Path(path).name} game {b.game_id}", e))
    return done


def shrinks(store: Store, bundle: schema.GameBundle) -> str | None:
    """What storing `bundle` would lose from the stored copy of its game ("events 56 -> 40, ..."),
    or None if the game is new or nothing shrinks."""
    old = store.game_counts(bundle.game_id) or {}
    new = {t: len(bundle.tables[t]) if t in bundle.tables else 0 for t in SHRINK_TABLES}
    lost = [f"{t} {old[t]:,} -> {new[t]:,}" for t in SHRINK_TABLES if t in old and new[t] < old[t]]
    return ", ".join(lost) if lost else None


def _sources(store: Store) -> str:
    return "+".join(store.query("SELECT DISTINCT source FROM games ORDER BY 1")["source"].tolist())


def _new_players(store: Store, players: pd.DataFrame) -> pd.DataFrame:
    """Players to upsert: new ones, and known ones only where this source adds a value (never erases)."""
    if len(players) == 0:
        return players
    have = store.query("SELECT * FROM players")
    if len(have) == 0:
        return players
    merged = players.set_index("player_id").combine_first(have.set_index("player_id"))
    known = have.set_index("player_id")
    for c in ("name", "team", "position", "shoots", "height_in", "number"):  # keep stored values where we have nothing
        merged[c] = merged[c].where(merged[c].notna(), known[c].reindex(merged.index))
    return merged.loc[players["player_id"].unique()].reset_index()
