"""`python -m oa ingest SOURCE PATH...`: read files with one adapter and store every game.

Each game is stored in its own transaction (validated first), so a broken game is
reported and skipped while the rest of the batch goes in, and nothing already stored is
lost. A game already stored is not replaced by a smaller copy of itself (fewer events,
shots or tracking frames: a truncated file, or rows rejected this time) unless `replace`
says so; the refusal reports what would shrink. Players and teams are upserted. Factors
of the new games are computed at the end.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd

from oa import schema
from oa.features.compute import build_features
from oa.sources.common import IngestReport, SourceError
from oa.sources.nhl_teams import teams_table
from oa.store import Store

Progress = Callable[[str, int, int], None]


def adapters() -> dict[str, Callable]:
    from oa.sources import bigdatacup, hockey_scraper, hockeyr, moneypuck, nhl_api, nhl_edge
    return {"hockey_scraper": hockey_scraper.read, "nhl_api": nhl_api.read, "moneypuck": moneypuck.read,
            "hockeyr": hockeyr.read, "nhl_edge": nhl_edge.read, "bigdatacup": bigdatacup.read}


def ingest(store: Store, source: str, paths: list[Path], progress: Progress | None = None,
           features: bool = True, replace: bool = False) -> IngestReport:
    """Read every path with the source's adapter and store its games (see the module docstring).

    `replace`: store a game even if it has fewer events, shots or frames than the stored copy."""
    read = adapters().get(source)
    if read is None:
        raise SourceError(source, f"unknown source; expected one of {', '.join(adapters())}")
    report = IngestReport(source)
    t0 = time.perf_counter()
    stored: list[int] = []
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
        codes = sorted({t for b in games for t in (b.tables["games"]["home_team"].iloc[0], b.tables["games"]["away_team"].iloc[0])})
        players = _new_players(store, players)          # stored values kept where this file has none
        unnamed = players["name"].isna() | (players["name"].astype(str).str.strip() == "")
        if unnamed.any():
            report.reject("player without a name (named by id)", int(unnamed.sum()),
                          f"{Path(path).name}, player {int(players.loc[unnamed, 'player_id'].iloc[0])}, field name")
            players = players.assign(name=players["name"].where(~unnamed, "Player #" + players["player_id"].astype(str)))
        shared = {"players": players}
        if codes:
            shared["teams"] = teams_table(codes, source)
        try:
            store.upsert(shared)
        except (schema.ValidationError, duckdb.Error) as e:
            report.failed.append((path, e))
            continue
        report.players += len(players)
        for i, b in enumerate(games):
            if len(b.tables["shots"]) == 0:
                report.reject("game has no shots (not stored)", 1, f"{Path(path).name}, game {b.game_id}")
                report.games -= 1
                continue
            shrink = None if replace else shrinks(store, b)
            if shrink:
                report.refused.append((f"{Path(path).name} game {b.game_id}", shrink))
                report.games -= 1
                continue
            try:
                store.ingest_game(b)
                stored.append(b.game_id)
            except (schema.ValidationError, duckdb.Error) as e:
                report.failed.append((f"{Path(path).name} game {b.game_id}", e))
            if progress:
                progress(f"storing {Path(path).name}", i + 1, len(games))
    if stored:
        store.set_meta(**{f"source_{source}": "yes", "source": _sources(store), "league": "NHL"})
    if source == "nhl_edge" and features:
        # new hands and heights change off-wing and goalie-height factors of every stored shot
        stored_games = store.game_ids()
        if stored_games:
            build_features(store, stored_games, progress=(lambda i, n: progress("computing factors", i, n)) if progress else None)
    elif features and stored:
        build_features(store, stored, progress=(lambda i, n: progress("computing factors", i, n)) if progress else None)
    store.checkpoint()
    report.seconds = round(time.perf_counter() - t0, 1)
    return report


SHRINK_TABLES = ("events", "shots", "frames")


def shrinks(store: Store, bundle: GameBundle) -> str | None:
    """What storing `bundle` would lose from the stored copy of its game ("events 56 -> 40, ..."),
    or None if the game is new or nothing shrinks."""
    sql = " UNION ALL ".join(f"SELECT '{t}' AS t, count(*) AS n FROM {t} WHERE game_id = $g" for t in SHRINK_TABLES)
    have = store.query(f"SELECT t, n FROM ({sql}) WHERE EXISTS (SELECT 1 FROM games WHERE game_id = $g)",
                       {"g": int(bundle.game_id)})
    old = dict(zip(have["t"], have["n"].astype(int)))
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
    for c in ("name", "team", "position", "shoots", "height_in", "number"):   # keep stored values where we have nothing
        merged[c] = merged[c].where(merged[c].notna(), known[c].reindex(merged.index))
    return merged.loc[players["player_id"].unique()].reset_index()
