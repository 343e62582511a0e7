"""A batch that names a game twice, or meets a database error half-way, never costs the store
what it already held: stored shots keep their rows, factors, scores and explanations."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oa.sources.ingest import ingest
from oa.store import Store, StoreError
from tests.ingest_fixtures import checksums, moneypuck_csv, scored_moneypuck_store

ROOT = Path(__file__).resolve().parents[2]
GAMES = 25
TWICE = "game read twice in this batch (the later copy is kept)"


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A scored store of 25 synthetic MoneyPuck games, plus files to ingest again: the first 3 of
    those games (identical copies) and 4 new games."""
    d = tmp_path_factory.mktemp("scored")
    db, _ = scored_moneypuck_store(d, GAMES, seed=1)
    moneypuck_csv(d / "again.csv", 3, seed=1)  # the same generator and seed: the same 3 games
    moneypuck_csv(d / "new.csv", 4, seed=7, first_game=30001)
    return db, d


def _copy(scored: tuple[Path, Path], tmp_path: Path) -> Path:
    db = tmp_path / "s.duckdb"
    shutil.copy(scored[0], db)
    return db


def _games(db: Path) -> list[int]:
    with Store(db, read_only=True) as s:
        return s.game_ids()


def _unfeatured_shots(db: Path) -> int:
    with Store(db, read_only=True) as s:
        return int(
            s.query("SELECT count(*) n FROM shots LEFT JOIN shot_features f USING (shot_id) WHERE f.shot_id IS NULL")[
                "n"
            ].iloc[0]
        )


def test_same_games_twice_in_one_batch(scored, tmp_path):
    db = _copy(scored, tmp_path)
    old = _games(db)
    before = checksums(db, old)
    again, new = scored[1] / "again.csv", scored[1] / "new.csv"
    with Store(db) as s:
        r = ingest(s, "moneypuck", [again, new, again, new])
    assert not r.failed, r.failed
    assert r.rejected[TWICE] == 3 + 4 and "again.csv, game" in r.examples[TWICE]
    assert checksums(db, old) == before, "stored shots keep their rows, factors, scores and explanations"
    assert len(_games(db)) == GAMES + 4 and _unfeatured_shots(db) == 0


def test_same_games_twice_on_the_command_line(scored, tmp_path):
    """The CLI in a real process: exit 0, no traceback, the stored shots unchanged."""
    db = _copy(scored, tmp_path)
    old = _games(db)
    before = checksums(db, old)
    again = scored[1] / "again.csv"
    p = subprocess.run(
        [sys.executable, "-m", "oa", "ingest", "moneypuck", str(again), str(again), "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stdout + p.stderr
    assert "Traceback" not in p.stdout + p.stderr
    assert "read twice" in " ".join(p.stdout.split())
    assert checksums(db, old) == before


def _fail_at(monkeypatch: pytest.MonkeyPatch, game_id: int, table: str = "shots") -> None:
    """Make the database refuse `table`'s rows of one game, inside the transaction that writes them
    (the game's own, or that of the batch of new games it is part of)."""
    real = Store.insert

    def insert(self, t, df, replace=False):
        if t.name == table and len(df) and game_id in set(df["game_id"].astype(int)):
            raise duckdb.IOException("No space left on device (simulated)")
        return real(self, t, df, replace)

    monkeypatch.setattr(Store, "insert", insert)


def test_database_error_half_way_is_named_and_costs_nothing_stored(scored, tmp_path, monkeypatch):
    db = _copy(scored, tmp_path)
    old = _games(db)
    before = checksums(db, old)
    new = scored[1] / "new.csv"
    _fail_at(monkeypatch, 2023030003)  # the third of the four new games
    with Store(db) as s:
        r = ingest(s, "moneypuck", [scored[1] / "again.csv", new])
    monkeypatch.undo()
    assert [w for w, _ in r.failed] == ["new.csv game 2023030003"]
    msg = str(r.failed[0][1])
    assert "storing game 2023030003 failed and was rolled back" in msg and "No space left on device" in msg
    assert "aborted" not in msg
    assert checksums(db, old) == before
    assert sorted(set(_games(db)) - set(old)) == [2023030001, 2023030002, 2023030004]
    assert _unfeatured_shots(db) == 0


def test_database_error_writing_factors_is_named_and_keeps_the_old_ones(scored, tmp_path, monkeypatch):
    """The factors of a batch go in one transaction: refused, the error is the database's, not 'transaction aborted'."""
    db = _copy(scored, tmp_path)
    old = _games(db)
    before = checksums(db, old)
    _fail_at(monkeypatch, 2023020001, table="shot_features")
    with Store(db) as s, pytest.raises(StoreError) as e:
        ingest(s, "moneypuck", [scored[1] / "again.csv"])
    monkeypatch.undo()
    assert "writing the factors of 3 games failed" in str(e.value) and "No space left on device" in str(e.value)
    assert "aborted" not in str(e.value)
    assert checksums(db, old) == before


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(["again", "new", "again", "new"]), fail=st.integers(0, 6))
def test_any_batch_with_any_failing_game_keeps_what_was_stored(scored, tmp_path_factory, order, fail):
    """Hypothesis: files in any order and repeated, the database refusing any one of the 7 games read."""
    db = _copy(scored, tmp_path_factory.mktemp("prop"))
    old = _games(db)
    before = checksums(db, old)
    read = [2023020001, 2023020002, 2023020003, 2023030001, 2023030002, 2023030003, 2023030004]
    mp = pytest.MonkeyPatch()
    _fail_at(mp, read[fail])
    try:
        with Store(db) as s:
            r = ingest(s, "moneypuck", [scored[1] / f"{name}.csv" for name in order])
    finally:
        mp.undo()
    if read[fail] in old:
        assert not r.failed, "an identical copy of a stored game is not written again, so nothing can fail"
    else:
        assert {w.split(" game ")[1] for w, _ in r.failed} == {str(read[fail])}
    assert checksums(db, old) == before
    assert _unfeatured_shots(db) == 0
