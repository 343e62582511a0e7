"""The banner on every page while the store shown is incomplete (an ingest killed or failed),
gone once the same command has run to the end."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest

from oa.store import Store
from tests.app.test_pages import PAGES, app, ok

COMMAND = "ingest moneypuck /data/moneypuck/shots_2023.csv"
INCOMPLETE = "This store is incomplete"


def _write(db: Path) -> Store:
    """The store for writing: the app (in this process) lets go of its read-only view first."""
    from oa.app.queries import open_store

    open_store.clear()
    gc.collect()
    return Store(db)


def _banners(at) -> list[str]:
    return [w.value for w in at.warning if INCOMPLETE in w.value]


@pytest.fixture()
def store(tiny_store: Path, tmp_path: Path) -> Path:
    db = tmp_path / "copy.duckdb"
    shutil.copy(tiny_store, db)
    return db


def test_no_banner_on_a_complete_store(store, monkeypatch):
    at = app(monkeypatch, store)
    ok(at)
    assert _banners(at) == []


def test_banner_on_every_page_until_the_same_command_completes(store, monkeypatch):
    with Store(store) as s:
        s.begin_run(COMMAND)  # and then the process was killed
    at = app(monkeypatch, store)
    ok(at)
    [text] = _banners(at)
    assert "was stopped before it finished" in text and f"python -m oa {COMMAND} --db {store}" in text
    for page in PAGES:
        at.switch_page(page).run()
        ok(at)
        assert len(_banners(at)) == 1, page
    with _write(store) as s:
        s.end_run(s.begin_run("ingest moneypuck /data/moneypuck/other.csv"))  # another command: still incomplete
    assert len(_banners(app(monkeypatch, store))) == 1
    with _write(store) as s:
        s.end_run(s.begin_run(COMMAND))  # the re-run completes
    at = app(monkeypatch, store)
    ok(at)
    assert _banners(at) == []


def test_banner_says_a_failed_run_failed(store, monkeypatch):
    with Store(store) as s:
        s.end_run(s.begin_run(COMMAND), "failed", "StoreError: writing the factors of 3 games failed")
    [text] = _banners(app(monkeypatch, store))
    assert "failed" in text and "was stopped" not in text
