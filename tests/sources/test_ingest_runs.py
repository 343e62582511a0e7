"""A killed or failed ingest leaves a mark in the store (`runs`) that the CLI and the dashboard
show until the same command runs to the end; the re-run converges to an uninterrupted ingest."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from oa.sources.ingest import command, ingest
from oa.store import Store, StoreError
from tests.ingest_fixtures import checksums, moneypuck_csv, scored_moneypuck_store

ROOT = Path(__file__).resolve().parents[2]


def oa(*args: str) -> list[str]:
    return [sys.executable, "-m", "oa", *args]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(oa(*args), cwd=ROOT, capture_output=True, text=True, timeout=300)


def _games(db: Path) -> list[int]:
    with Store(db, read_only=True) as s:
        return s.game_ids()


def _unfinished(db: Path) -> list[dict]:
    with Store(db, read_only=True) as s:
        return s.unfinished_runs().to_dict("records")


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A scored store, a batch of 60 new games, and the store that batch gives when nothing stops it."""
    d = tmp_path_factory.mktemp("runs")
    db, _ = scored_moneypuck_store(d, 25, seed=1)
    batch = moneypuck_csv(d / "batch.csv", 60, seed=11, first_game=40001)
    ref = d / "reference.duckdb"
    shutil.copy(db, ref)
    proc = _start(ref, batch)
    t0 = _first_write(ref, proc)
    assert proc.wait(timeout=300) == 0
    writing = time.monotonic() - t0  # from its first write to its exit, on this machine now
    assert _unfinished(ref) == []
    return {"db": db, "batch": batch, "ref": ref, "writing": writing}


def _start(db: Path, batch: Path) -> subprocess.Popen:
    return subprocess.Popen(
        oa("ingest", "moneypuck", str(batch), "--db", str(db)),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _first_write(db: Path, proc: subprocess.Popen) -> float:
    """When the ingest first wrote to the store: its write-ahead log appeared."""
    wal, t0 = Path(str(db) + ".wal"), time.monotonic()
    while not wal.exists() and proc.poll() is None and time.monotonic() - t0 < 300:
        time.sleep(0.002)
    return time.monotonic()


def _kill(db: Path, batch: Path, at: float | None, writing: float) -> int | None:
    """Start the ingest and SIGKILL it at fraction `at` of its writing time (None: at once, 0.2 s after
    starting); returns its exit code if it finished first."""
    proc = _start(db, batch)
    if at is None:
        time.sleep(0.2)
    else:
        time.sleep(max(0.0, _first_write(db, proc) + at * writing - time.monotonic()))
    done = proc.poll()
    proc.send_signal(signal.SIGKILL)  # a no-op if it has already finished
    proc.wait(timeout=60)
    return done


@pytest.mark.parametrize("at", [None, 0.0, 0.3, 0.7], ids=["before-any-write", "at-the-mark", "30%-in", "70%-in"])
def test_killed_ingest_is_marked_until_a_rerun_completes_it(stores, tmp_path, at):
    db = tmp_path / "s.duckdb"
    shutil.copy(stores["db"], db)
    old = _games(db)
    before = checksums(db, old)
    finished = _kill(db, stores["batch"], at, stores["writing"])
    assert checksums(db, old) == before, "what was stored before is untouched, wherever the kill fell"
    marks = _unfinished(db)
    if finished is not None:
        assert finished == 0 and marks == [], "it finished before the kill: complete, no mark"
        return
    if not marks:
        every = _games(stores["ref"])
        if _games(db) == every and checksums(db, every) == checksums(stores["ref"], every):
            return  # the kill fell after the run was recorded done (the process was only exiting): complete
        assert at in (None, 0.0), "killed mid-way, it must have left its mark"
        assert _games(db) == old, "no mark only if the kill fell before the first write: nothing changed"
        return
    assert [(m["command"], m["status"]) for m in marks] == [(command("moneypuck", [stores["batch"]]), "running")]
    # any command on the store says so, on stderr (stdout stays clean for --json)
    p = run("profile", "--db", str(db), "--json")
    said = " ".join(p.stderr.split())
    assert f"warning: {db} is incomplete" in said and "was stopped before it finished" in said
    assert f"python -m oa ingest moneypuck {stores['batch']} --db {db}" in said
    # the same command again completes it: the mark goes, the store is what an uninterrupted ingest gives
    p = run("ingest", "moneypuck", str(stores["batch"]), "--db", str(db))
    assert p.returncode == 0, p.stdout + p.stderr
    assert _unfinished(db) == []
    every = _games(stores["ref"])
    assert _games(db) == every
    assert checksums(db, every) == checksums(stores["ref"], every)
    if at == 0.3:
        assert "incomplete" not in run("profile", "--db", str(db), "--json").stderr


def test_failed_ingest_is_marked_failed_with_why(stores, tmp_path, monkeypatch):
    db = tmp_path / "s.duckdb"
    shutil.copy(stores["db"], db)
    small = moneypuck_csv(tmp_path / "small.csv", 2, seed=5, first_game=50001)
    real = Store.insert

    def refuse_factors(self, t, df, replace=False):
        if t.name == "shot_features":
            raise duckdb.IOException("No space left on device (simulated)")
        return real(self, t, df, replace)

    monkeypatch.setattr(Store, "insert", refuse_factors)
    with Store(db) as s, pytest.raises(StoreError):
        ingest(s, "moneypuck", [small])
    monkeypatch.undo()
    [mark] = _unfinished(db)
    assert mark["status"] == "failed" and "No space left on device" in mark["detail"]
    assert mark["command"] == f"ingest moneypuck {small.resolve()}"
    with Store(db) as s:
        ingest(s, "moneypuck", [small], features=False)  # another command: does not complete it
    assert len(_unfinished(db)) == 1
    with Store(db) as s:
        ingest(s, "moneypuck", [small])
    assert _unfinished(db) == []


def test_nothing_to_store_leaves_no_mark(stores, tmp_path):
    db = tmp_path / "s.duckdb"
    shutil.copy(stores["db"], db)
    with Store(db, read_only=True) as s:
        runs = len(s.query("SELECT * FROM runs"))
    with Store(db) as s:
        r = ingest(s, "moneypuck", [ROOT / "README.md"])
    assert r.failed and _unfinished(db) == []
    with Store(db, read_only=True) as s:
        assert len(s.query("SELECT * FROM runs")) == runs
