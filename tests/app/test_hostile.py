"""Awkward stores and links under AppTest: games without dates, hostile shot ids, names that are markup."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from tests.app.stores import HTML_IMG, MD_IMG, dateless_copy, hostile_copy
from tests.app.test_pages import PAGES, app, ok, one

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_IDS = [str(2**53 + 1), str(-(2**63)), "1e400", "abc", "<script>", "![x](http://example.invalid/x.png)"]
# element types whose text Streamlit renders as Markdown (HTML too where a page allows it)
MARKDOWN_ELEMENTS = ("markdown", "caption", "title", "header", "subheader", "info", "warning", "success", "error")


@pytest.fixture(scope="module")
def dateless_store(model_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return dateless_copy(model_store, tmp_path_factory.mktemp("dateless"))


@pytest.fixture(scope="module")
def hostile_store(model_store: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return hostile_copy(model_store, tmp_path_factory.mktemp("hostile"))


def rendered_markdown(at) -> list[str]:
    """The source of every element rendered as Markdown, and every metric label (Markdown too)."""
    out = [e.value for kind in MARKDOWN_ELEMENTS for e in at.get(kind)]
    return out + [m.label for m in at.metric]


def unescaped_markup(text: str) -> list[str]:
    """Markup from the payloads that would render: a raw tag, or a Markdown image not backslash-escaped."""
    return re.findall(r"<img[^>]*>|(?<!\\)!(?<!\\)\[[^\]]*\]\([^)]*\)", text)


def test_a_store_whose_games_have_no_dates_browses_normally(dateless_store, monkeypatch):
    assert one(dateless_store, "SELECT count(*) FROM games WHERE date IS NOT NULL") == 0
    at = app(monkeypatch, dateless_store)
    ok(at)
    for page in PAGES:
        at.switch_page(page).run()
        ok(at)
        assert at.title, page
    sid = int(one(dateless_store, "SELECT shot_id FROM shot_scores ORDER BY p_goal DESC LIMIT 1"))
    at = app(monkeypatch, dateless_store, shot=str(sid))
    ok(at)
    assert any("date unknown" in m.value for m in at.markdown), "the shot's header says the date is unknown"
    assert at.selectbox(key="f_game").options, "the sidebar lists the games"
    at = app(monkeypatch, dateless_store, a=str(sid))
    at.switch_page("pages/debates.py").run()
    ok(at)
    assert any("date unknown" in m.value for m in at.markdown)


@pytest.mark.parametrize("raw", HOSTILE_IDS)
def test_hostile_shot_ids_get_a_friendly_message(model_store, monkeypatch, raw):
    at = app(monkeypatch, model_store, shot=raw)
    ok(at)
    assert at.title[0].value == "Shot detail"
    assert any("is not a shot id" in w.value for w in at.warning), [w.value for w in at.warning]
    at = app(monkeypatch, model_store, a=raw, b=raw)
    at.switch_page("pages/debates.py").run()
    ok(at)
    said = [w.value for w in at.warning if "is not a shot id" in w.value]
    assert len(said) == 2, said
    assert all(not unescaped_markup(w) and "<script>" not in w for w in said), said
    assert len(at.number_input) >= 2, "the debate falls back to leaderboard shots"


def test_team_codes_and_player_names_are_never_markup(hostile_store, monkeypatch):
    db, code = hostile_store
    sid = int(
        one(
            db,
            "SELECT s.shot_id FROM shots s JOIN shot_scores sc USING (shot_id) WHERE s.team = ? "
            "ORDER BY sc.p_goal DESC LIMIT 1",
            [code],
        )
    )
    other = int(
        one(
            db,
            "SELECT s.shot_id FROM shots s JOIN shot_scores sc USING (shot_id) WHERE s.team <> ? "
            "ORDER BY sc.p_goal DESC LIMIT 1",
            [code],
        )
    )
    seen: list[str] = []
    at = app(monkeypatch, db, a=str(sid), b=str(other), team=code)
    for page in PAGES:
        at.switch_page(page).run()
        ok(at)
        seen += rendered_markdown(at)
    at = app(monkeypatch, db, shot=str(sid))
    ok(at)
    seen += rendered_markdown(at)
    text = "\n".join(seen)
    assert "&lt;img src=x onerror=alert(1)&gt;" in text, "the hostile names are on the pages, as text"
    assert not [m for s in seen for m in unescaped_markup(s)], [s for s in seen if unescaped_markup(s)]
    assert HTML_IMG not in text and MD_IMG not in text


def test_streamlit_config_binds_loopback_and_hides_tracebacks():
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert cfg["server"]["address"] == "127.0.0.1"
    assert cfg["client"]["showErrorDetails"] == "none"
