"""Every broken variant of the synthetic fixtures (tests/sources/corpus.py) through the CLI, in
process, against a store first filled from the valid fixtures: the exit status, one message
naming the file (and row and field), no traceback, and every table of the store unchanged
(checksums) unless the variant is one that may partly go in (clamped or left-unknown values)."""

from __future__ import annotations

import re
import shutil
import signal
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from oa.cli import app
from oa.sources.ingest import ingest
from oa.store import Store
from tests.sources.corpus import FIXTURES, Variant, all_variants, good_paths
from tests.sources.fixtures.make_fixtures import all_files

VARIANTS = all_variants()
runner = CliRunner()


def checksums(db: Path) -> dict[str, tuple[int, int]]:
    """(rows, content hash) of every table in the store but `runs`, the log of ingest attempts
    (it records every attempt by design, refused or not)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for (t,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_name <> 'runs' ORDER BY 1"
        ).fetchall():
            df = con.execute(f'SELECT * FROM "{t}"').df()
            h = int(pd.util.hash_pandas_object(df.astype(str), index=False).sum()) if len(df) else 0
            out[t] = (len(df), h)
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> dict[str, tuple[Path, dict]]:
    """Per source: a store filled from the valid fixtures, and its checksums."""
    root = tmp_path_factory.mktemp("base")
    out = {}
    for source in sorted({v.source for v in VARIANTS}):
        db = root / f"{source}.duckdb"
        with Store(db) as s:
            r = ingest(s, source, good_paths(source), features=False)
        assert not r.failed and not r.rejected, r.as_dict()
        out[source] = (db, checksums(db))
    return out


def test_fixtures_are_current():
    """The committed fixtures are what the generator writes (regenerate: python -m tests.sources.fixtures.make_fixtures)."""
    for rel, text in all_files().items():
        assert (FIXTURES / rel).read_text() == text, rel


def test_the_corpus_is_large_and_covers_every_source():
    assert len(VARIANTS) >= 100 and len({v.id for v in VARIANTS}) == len(VARIANTS)
    assert {v.source for v in VARIANTS} == {
        "hockey_scraper",
        "moneypuck",
        "hockeyr",
        "nhl_api",
        "nhl_edge",
        "bigdatacup",
    }


@pytest.fixture(autouse=True)
def no_hang():
    """A FIFO opened for reading blocks until a writer comes: fail instead of hanging the suite."""

    def stop(*_: object) -> None:
        raise TimeoutError("ingest did not return within 60 s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


UNIT = re.compile(r"\b(row|play|item|roster) \d+")


@pytest.mark.parametrize("v", VARIANTS, ids=[v.id for v in VARIANTS])
def test_broken_variant(v: Variant, base, tmp_path):
    db0, before = base[v.source]
    db = tmp_path / "s.duckdb"
    shutil.copy(db0, db)
    src = tmp_path / "in"
    src.mkdir()
    paths = v.make(src)
    r = runner.invoke(app, ["ingest", v.source, *map(str, paths), "--db", str(db), "--no-features"])
    out = " ".join(r.output.split())
    assert "Traceback" not in r.output and (r.exception is None or isinstance(r.exception, SystemExit)), r.output
    assert r.exit_code == (1 if v.expect in ("fail", "refuse") else 0), r.output
    assert v.says in out, out
    if v.says:  # something to report: named where it is
        assert paths[0].name in out or v.expect == "partial", out
        if "field" in v.where:
            assert "field " in out, out
        if any(u in v.where for u in ("row", "play", "item", "roster")):
            assert UNIT.search(out), out
    if v.expect == "refuse":
        assert "would shrink" in out and "--replace" in out, out
    after = checksums(db)
    if v.expect in ("fail", "refuse", "same"):
        assert after == before
    else:  # clamp, partial: the same rows, some values changed
        assert {t: n for t, (n, _) in after.items()} == {t: n for t, (n, _) in before.items()}
        assert v.expect == "partial" or after != before
