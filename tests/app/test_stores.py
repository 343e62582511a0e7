"""The Data page's store descriptions: provenance of a store, and every file that cannot be read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from oa import settings
from oa.app import stores
from tests.app.stores import REAL_MODEL, REAL_SYNC, damaged, foreign_duckdb, real_copy

HOLD = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('open', flush=True); time.sleep(60)"


@pytest.fixture()
def folder(tiny_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder with the demo store, a synced one, and three files that are not stores."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "oa.duckdb").write_bytes(tiny_store.read_bytes())
    real_copy(tiny_store, data / "nhl-2025-26.duckdb")
    (data / "junk.duckdb").write_bytes(b"not a database at all\n" * 50)
    damaged(tiny_store, data / "cut.duckdb")
    foreign_duckdb(data / "other.duckdb")
    monkeypatch.setattr(settings, "DATA_DIR", data)
    monkeypatch.setenv("OA_DB", str(data / "oa.duckdb"))
    return data


def by_name(infos: list[stores.StoreInfo]) -> dict[str, stores.StoreInfo]:
    return {i.name: i for i in infos}


def test_a_synced_store_says_where_its_data_came_from(folder):
    i = stores.describe(folder / "nhl-2025-26.duckdb")
    assert i.ok and not i.demo
    assert i.source == "nhl_api" and i.league == "NHL"
    assert i.sources == (("nhl_api", i.games),) and i.games == 6
    assert [s.season for s in i.seasons] and i.shots > 0
    assert i.last_done is not None and i.last_done.command == REAL_SYNC
    assert [r.command for r in i.unfinished] == ["ingest hockey_scraper shots_2023.csv"]
    assert [m.model_id for m in i.active_models] == [REAL_MODEL]
    assert i.active_models[0].scored == i.shots


def test_every_store_in_the_data_folder_is_listed_the_default_first(folder):
    infos = stores.describe_all()
    assert infos[0].name == "oa.duckdb" and infos[0].demo
    assert set(by_name(infos)) == {"oa.duckdb", "nhl-2025-26.duckdb", "junk.duckdb", "cut.duckdb", "other.duckdb"}
    assert not stores.only_demo(infos)
    rows = stores.season_rows(infos)
    assert set(rows["store"]) == {"oa.duckdb", "nhl-2025-26.duckdb"}


def test_files_that_are_not_stores_are_described_not_raised(folder):
    got = by_name(stores.describe_all())
    assert "not a DuckDB store" in got["junk.duckdb"].problem
    assert "damaged: cut short" in got["cut.duckdb"].problem  # it opens: DuckDB reads blocks when asked
    assert "not an Opportunity Analysis store" in got["other.duckdb"].problem
    assert stores.describe(folder / "gone.duckdb").problem.startswith("is missing")


def test_a_store_locked_by_a_writer_says_so_and_is_read_once_free(folder):
    path = folder / "nhl-2025-26.duckdb"
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "open"
        i = stores.describe(path)
        assert not i.ok and "in use by another program" in i.problem
    finally:
        proc.kill()
        proc.wait()
    assert stores.describe(path).ok, "a problem is not cached: the store reads once the writer is gone"


def test_only_the_demo_league_means_no_real_data(folder):
    for name in ("nhl-2025-26.duckdb",):
        (folder / name).unlink()
    assert stores.only_demo(stores.describe_all())
