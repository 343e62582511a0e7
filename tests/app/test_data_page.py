"""The Data page under AppTest: the stores and their provenance, files that are not stores, a hostile
link, a sync started in the background with its progress and its lock; the League page's line."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from oa import settings
from oa.app import sync as sy
from tests.app.stores import REAL_MODEL, REAL_SYNC, damaged, foreign_duckdb, real_copy
from tests.app.test_hostile import unescaped_markup
from tests.app.test_pages import app, ok

DATA = "pages/data.py"
FAKE = str(Path(__file__).with_name("fake_sync.py"))


def data_folder(tiny_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, program: list[str]) -> Path:
    """A data folder holding the demo store (the default) and nothing else yet; the Data page's sync
    runs `program`."""
    d = tmp_path / "data"
    d.mkdir()
    (d / "oa.duckdb").write_bytes(tiny_store.read_bytes())
    monkeypatch.setattr(settings, "DATA_DIR", d)
    monkeypatch.setattr(sy, "PROGRAM", program)
    return d


@pytest.fixture()
def data(tiny_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The data folder, the sync being a stand-in that waits for a gate file."""
    monkeypatch.setenv("FAKE_SYNC_GATE", str(tmp_path / "gate"))
    return data_folder(tiny_store, tmp_path, monkeypatch, [sys.executable, FAKE])


def data_page(monkeypatch, db: Path, **params: str):
    at = app(monkeypatch, db, **params)
    at.switch_page(DATA).run()
    return at


def text(at) -> str:
    kinds = ("markdown", "caption", "warning", "info", "success", "error", "code")
    return "\n".join(str(e.value) for k in kinds for e in at.get(k)).replace("\\", "")


def page_links(at) -> list[str]:
    return [e.proto.label for e in at.get("page_link")]


def test_the_page_lists_every_store_with_its_provenance(data, tiny_store, monkeypatch):
    real_copy(tiny_store, data / "nhl-2025-26.duckdb")
    (data / "junk.duckdb").write_bytes(b"<img src=x onerror=alert(1)>" * 40)
    damaged(tiny_store, data / "cut.duckdb")
    foreign_duckdb(data / "other.duckdb")
    at = data_page(monkeypatch, data / "oa.duckdb")
    ok(at)
    assert at.title[0].value == "Data"
    said = text(at)
    for name in ("oa.duckdb", "nhl-2025-26.duckdb", "junk.duckdb", "cut.duckdb", "other.duckdb"):
        assert name in said, name
    assert "simulated: not real NHL data" in said and "**No model** has rated these shots" in said  # the demo store
    assert "NHL API play-by-play" in said and REAL_SYNC in said and REAL_MODEL in said  # the synced one
    assert "stopped before it finished" in said
    raw = "\n".join(m.value for m in at.markdown)
    assert "`ingest hockey_scraper shots_2023.csv`" in raw, "a command is code, shown as typed (no escapes)"
    assert "not a DuckDB store" in said and "not an Opportunity Analysis store" in said
    assert len(at.get("plotly_chart")) == 1  # games per store and season
    assert "**6 games** · **71 shots** · **1 season**" in [m.value for m in at.markdown]
    assert "<img" not in said.replace("&lt;img", "")


def test_show_this_store_opens_it_in_the_dashboard(data, tiny_store, monkeypatch):
    real = real_copy(tiny_store, data / "nhl-2025-26.duckdb")
    at = data_page(monkeypatch, data / "oa.duckdb", store="nhl-2025-26.duckdb")
    ok(at)
    first = [b for b in at.button if str(b.key).startswith("show_")][0]
    first.click().run()  # the link's store is listed first
    ok(at)
    assert at.title[0].value == "League"
    assert at.selectbox(key="f_src").value == str(real)


@pytest.mark.parametrize("raw", ["<script>alert(1)</script>", "../../etc/passwd", "![x](http://example.invalid/x.png)"])
def test_a_hostile_store_link_gets_a_clear_message(data, monkeypatch, raw):
    at = data_page(monkeypatch, data / "oa.duckdb", store=raw)
    ok(at)
    said = [w.value for w in at.warning if "is not a store here" in w.value]
    assert len(said) == 1 and not unescaped_markup(said[0]) and "<script>" not in said[0], said


def test_a_sync_starts_in_the_background_shows_progress_and_holds_the_lock(data, tiny_store, tmp_path, monkeypatch):
    synced = real_copy(tiny_store, tmp_path / "synced.duckdb")
    monkeypatch.setenv("FAKE_SYNC_FROM", str(synced))
    at = data_page(monkeypatch, data / "oa.duckdb")
    season = at.selectbox(key="data_sync_season").value
    assert f"python -m oa nhl sync --season {season}" in text(at)
    at.button(key="data_sync_start").click().run()
    ok(at)
    t0 = time.time()
    while sy.read_progress(sy.current().progress_file).stage != "games":
        assert time.time() - t0 < 30
        time.sleep(0.05)
    at.run()
    ok(at)
    bars = at.get("progress")
    assert bars and f"Syncing {season}" in bars[0].proto.text and "games 2/4" in bars[0].proto.text
    assert at.button(key="data_sync_start").disabled, "one sync at a time: the button waits"
    other = data_page(monkeypatch, data / "oa.duckdb")  # another visitor's session
    assert other.button(key="data_sync_start").disabled
    with pytest.raises(sy.SyncBusy):
        sy.start(season)  # and the lock holds outside the page too
    (tmp_path / "gate").touch()
    while sy.current().running:
        assert time.time() - t0 < 60
        time.sleep(0.05)
    at.run()
    ok(at)
    said = text(at)
    assert f"Sync of {season} (started" in said and "finished" in said and "4 new games" in said
    assert f"nhl-{season}.duckdb" in said and REAL_SYNC in said, "the new store is listed with its provenance"
    assert not at.button(key="data_sync_start").disabled


def test_a_failed_sync_says_why(data, tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_SYNC_FAIL", "1")
    (tmp_path / "gate").touch()
    at = data_page(monkeypatch, data / "oa.duckdb")
    at.button(key="data_sync_start").click().run()
    t0 = time.time()
    while sy.current().running:
        assert time.time() - t0 < 30
        time.sleep(0.05)
    at.run()
    assert not at.exception
    assert any("failed: the schedule answered 503" in e.value for e in at.error), [e.value for e in at.error]


@pytest.mark.parametrize("kind", ["junk", "cut", "foreign"])
def test_a_link_to_a_store_that_cannot_be_read_gets_a_clear_message_on_every_page(data, tiny_store, monkeypatch, kind):
    bad = data / f"{kind}.duckdb"
    {
        "junk": lambda: bad.write_bytes(b"junk" * 100),
        "cut": lambda: damaged(tiny_store, bad),
        "foreign": lambda: foreign_duckdb(bad),
    }[kind]()
    at = app(monkeypatch, data / "oa.duckdb", src=bad.name)
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="f_src").value == str(bad)
    said = [e.value for e in at.error]
    assert len(said) == 1 and bad.name in said[0] and "Pick another data source" in said[0], said
    for page in ("pages/explorer.py", "pages/model.py"):
        at.switch_page(page).run()
        assert not at.exception and len(at.error) == 1, page
    at.switch_page(DATA).run()  # the Data page lists it with the others
    ok(at)
    assert bad.name in text(at)


def test_the_league_page_says_how_to_get_a_real_season_only_when_there_is_none(data, tiny_store, monkeypatch):
    at = app(monkeypatch, data / "oa.duckdb")
    ok(at)
    links = [t for t in page_links(at) if "nhl sync --season" in t]
    assert len(links) == 1, page_links(at)
    real_copy(tiny_store, data / "nhl-2025-26.duckdb")
    at = app(monkeypatch, data / "oa.duckdb")
    ok(at)
    assert not [t for t in page_links(at) if "nhl sync" in t]
