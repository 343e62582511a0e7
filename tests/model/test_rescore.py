"""Re-scoring a store whose scores are mostly replaced builds the score tables anew (deleting
millions of keyed rows is slow in DuckDB): the same rows as deleting them, the same key, the
rows of shots not re-scored kept, and nothing changed when the write fails."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from oa.model import score
from oa.store import Store, StoreError

TABLES = ("shot_scores", "shot_factors")


def _copy(model_store, tmp_path, name):
    d = tmp_path / name
    shutil.copytree(model_store.parent, d)
    return d / model_store.name


def _rows(db) -> dict:
    with Store(db, read_only=True) as s:
        return {t: s.query(f"SELECT * FROM {t} ORDER BY ALL") for t in TABLES}


def test_rebuilt_tables_hold_what_deleting_gives(model_store, tmp_path, monkeypatch):
    deleted, rebuilt = _copy(model_store, tmp_path, "deleted"), _copy(model_store, tmp_path, "rebuilt")
    for db, above in ((deleted, 10**12), (rebuilt, 0)):
        monkeypatch.setattr(score, "REBUILD_ABOVE", above)
        with Store(db) as s:
            # a shot that is not re-scored (its factors gone) keeps its stored rows
            s.con.execute("DELETE FROM shot_features WHERE shot_id = (SELECT min(shot_id) FROM shot_features)")
            score.score_store(s)
    a, b = _rows(deleted), _rows(rebuilt)
    for t in TABLES:
        assert len(a[t]) > 0 and a[t].equals(b[t])
    with Store(rebuilt) as s, pytest.raises(duckdb.ConstraintException):  # the key is still there
        s.con.execute("INSERT INTO shot_scores SELECT * FROM shot_scores LIMIT 1")


def test_a_failed_rebuild_changes_nothing(model_store, tmp_path, monkeypatch):
    db = _copy(model_store, tmp_path, "failed")
    before = _rows(db)
    monkeypatch.setattr(score, "REBUILD_ABOVE", 0)
    real = Store.insert

    def insert(self, t, df, replace=False):
        if t.name == "shot_factors_rebuilt":
            raise duckdb.IOException("No space left on device (simulated)")
        return real(self, t, df, replace)

    monkeypatch.setattr(Store, "insert", insert)
    with Store(db) as s, pytest.raises(StoreError, match="No space left"):
        score.score_store(s)
    after = _rows(db)
    for t in TABLES:
        assert before[t].equals(after[t])


def test_the_write_cap_grows_with_the_rows_it_must_hold():
    """DuckDB's cache while scores are written: 500 MB up to about a MoneyPuck season (3.0 M factor
    rows), more for a larger one (hockey_scraper 2018-19: 3.66 M rows failed to commit under 500 MB)."""
    from oa.model.score import WRITE_MEMORY_MB, write_memory_mb

    assert write_memory_mb(100) == write_memory_mb(2_900_000) == WRITE_MEMORY_MB
    assert write_memory_mb(2_996_425) <= 510 and write_memory_mb(3_661_850) >= 600
