"""The fast path of an ingest (new games validated and written together, play-by-play factors
computed many games at a time) gives exactly the store the game-by-game path gives: every row of
every table, factor values included, bit for bit."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from oa.features import compute
from oa.sources import ingest as ingest_module
from oa.sources.ingest import ingest
from oa.store import Store, StoreError
from tests.ingest_fixtures import checksums, moneypuck_csv
from tests.sources.corpus import FIXTURES

SOURCES = {
    "moneypuck": None,  # made here: 30 games, so batches and reads are cut several times
    "hockey_scraper": ["hockey_scraper/pbp.csv"],
    "hockeyr": ["hockeyr/pbp.csv"],
    "nhl_api": ["nhl_api/game_1.json", "nhl_api/game_2.json"],
    "bigdatacup": ["bigdatacup/pxp.csv"],  # tracked games: still one at a time
}


def _game_by_game(monkeypatch: pytest.MonkeyPatch) -> None:
    """The path before the fast one: each game in its own transaction, its factors read and computed alone."""

    def refuse(self, bundles):
        raise StoreError("the batch path is switched off")

    def per_game(store, game_ids, players, goalie_ids):
        parts = [compute.game_features(store, g, players, goalie_ids) for g in game_ids]
        return pd.concat(parts, ignore_index=True)

    monkeypatch.setattr(Store, "ingest_new_games", refuse)
    monkeypatch.setattr(compute, "pbp_features", per_game)


def _build(db: Path, source: str, files: list[Path]) -> list[int]:
    with Store(db) as s:
        r = ingest(s, source, files)
        assert not r.failed, r.failed
        return s.game_ids()


@pytest.mark.parametrize("source", list(SOURCES))
def test_fast_ingest_stores_exactly_what_game_by_game_stores(source, tmp_path, monkeypatch):
    if SOURCES[source] is None:
        files = [moneypuck_csv(tmp_path / "season.csv", 30, seed=3)]
    else:
        files = [FIXTURES / f for f in SOURCES[source]]
    monkeypatch.setattr(ingest_module, "BATCH", 7)  # several batches, the last one short
    monkeypatch.setattr(compute, "GAMES_PER_READ", 4)
    games = _build(tmp_path / "fast.duckdb", source, files)
    with monkeypatch.context() as m:
        _game_by_game(m)
        assert _build(tmp_path / "slow.duckdb", source, files) == games
    assert len(games) >= 1
    fast, slow = checksums(tmp_path / "fast.duckdb", games), checksums(tmp_path / "slow.duckdb", games)
    assert fast["shot_features"][0] > 0
    assert fast == slow


def test_fast_ingest_names_a_bad_game_and_stores_the_rest(tmp_path, monkeypatch):
    """One game the database refuses: the batch falls back to game by game, and only that game is lost."""
    files = [moneypuck_csv(tmp_path / "season.csv", 10, seed=3)]
    real = Store.insert

    def insert(self, t, df, replace=False):
        if t.name == "events" and len(df) and 2023020004 in set(df["game_id"].astype(int)):
            raise StoreError("refused (simulated)")
        return real(self, t, df, replace)

    monkeypatch.setattr(Store, "insert", insert)
    with Store(tmp_path / "s.duckdb") as s:
        r = ingest(s, "moneypuck", files)
        assert [w for w, _ in r.failed] == ["season.csv game 2023020004"]
        assert len(s.game_ids()) == 9 and 2023020004 not in s.game_ids()
