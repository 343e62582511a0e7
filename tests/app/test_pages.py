"""Every dashboard page under AppTest: renders, filters, deep links, empty results, what-if."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from oa.store import Store

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 120
PAGES = {  # page -> minimum number of Plotly charts with a scored, tracked store
    "pages/league.py": 1,
    "pages/explorer.py": 2,
    "pages/shot.py": 3,
    "pages/debates.py": 4,
    "pages/players.py": 4,
    "pages/games.py": 4,
    "pages/model.py": 2,
    "pages/data.py": 1,
}


def app(monkeypatch: pytest.MonkeyPatch, db: Path, **params: str) -> AppTest:
    monkeypatch.setenv("OA_DB", str(db))
    v2_navigation(monkeypatch)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def v2_navigation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run app.py (st.navigation) on every AppTest run, as a real server does.

    A server sets `PagesManager.uses_pages_directory` once, and `st.navigation` clears it
    for good; AppTest resets it before every run, so with a `pages/` folder present a
    rerun after `switch_page` would execute the page file alone, without app.py's
    sidebar. Keep it cleared.
    """
    from streamlit.runtime.pages_manager import PagesManager

    orig = PagesManager.__init__

    def init(self, *a, **k):
        orig(self, *a, **k)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def one(db: Path, sql: str, params: list | None = None):
    with Store(db, read_only=True) as s:
        return s.query(sql, params).iloc[0, 0]


def test_every_page_renders_with_a_model(model_store, monkeypatch):
    at = app(monkeypatch, model_store)
    for page, n_charts in PAGES.items():
        at.switch_page(page).run()
        ok(at)
        assert len(at.get("plotly_chart")) >= n_charts, page
        assert at.title, f"{page} has a title"
        # the shared filters on every page
        labels = {w.label for w in at.selectbox if str(w.key).startswith("f_")}
        assert {"Data source", "Season", "Game", "Team", "Shooter", "Goalie", "Strength", "Shot type"} <= labels
        assert {w.label for w in at.multiselect if str(w.key).startswith("f_")} == {"Tier", "Outcome"}


def test_every_page_renders_without_model_or_tracking(tiny_store, monkeypatch):
    at = app(monkeypatch, tiny_store)
    for page in PAGES:
        at.switch_page(page).run()
        ok(at)


def test_empty_filter_result_is_friendly_on_every_page(model_store, monkeypatch):
    assert one(model_store, "SELECT count(*) FROM shots WHERE outcome = 'BLOCK'") == 0
    at = app(monkeypatch, model_store, outcome="BLOCK")
    for page in PAGES:
        at.switch_page(page).run()
        ok(at)
        if page in ("pages/explorer.py", "pages/debates.py", "pages/players.py"):
            assert any("Widen the filters" in i.value for i in at.info), (page, [i.value for i in at.info])


def test_explorer_filter_change_updates_counts_and_url(model_store, monkeypatch):
    at = app(monkeypatch, model_store)
    at.switch_page("pages/explorer.py").run()
    ok(at)
    total = {m.label: m.value for m in at.metric}["Shots"]
    assert total == f"{one(model_store, 'SELECT count(*) FROM shots WHERE NOT empty_net'):,}", "empty nets left out"
    team = at.selectbox(key="f_team").options[1]
    code = one(model_store, "SELECT team FROM teams WHERE name = ?", [team]) if team not in ("All",) else None
    at.selectbox(key="f_team").select_index(1).run()
    ok(at)
    n = one(model_store, "SELECT count(*) FROM shots WHERE team = ? AND NOT empty_net", [code])
    assert {m.label: m.value for m in at.metric}["Shots"] == f"{n:,}"
    assert at.query_params.get("team") == code
    # every marker on the map belongs to that team
    hover = [row for t in specs(at)[0]["data"] if t.get("customdata") for row in t["customdata"]]
    assert hover and all(row[2] == code for row in hover)
    # tier filter: only high-danger shots
    at.multiselect(key="f_tier").set_value(["high"]).run()
    ok(at)
    n_high = one(
        model_store,
        "SELECT count(*) FROM shots s JOIN shot_scores sc USING (shot_id) "
        "WHERE s.team = ? AND sc.tier = 'high' AND NOT s.empty_net",
        [code],
    )
    assert {m.label: m.value for m in at.metric}["Shots"] == f"{n_high:,}"
    assert at.query_params.get("tier") == "high"


def test_filters_come_from_the_url(model_store, monkeypatch):
    team = one(model_store, "SELECT min(team) FROM shots")
    at = app(monkeypatch, model_store, team=team, strength="5v5", tier="high,medium")
    at.switch_page("pages/explorer.py").run()
    ok(at)
    assert at.selectbox(key="f_team").value == team
    assert at.selectbox(key="f_strength").value == "5v5"
    assert at.multiselect(key="f_tier").value == ["medium", "high"]
    n = one(
        model_store,
        "SELECT count(*) FROM shots s JOIN shot_scores sc USING (shot_id) WHERE s.team = ? AND "
        "s.strength = '5v5' AND NOT s.empty_net AND sc.tier IN ('high', 'medium')",
        [team],
    )
    assert {m.label: m.value for m in at.metric}["Shots"] == f"{n:,}"


def test_deep_link_opens_the_shot_with_replay_and_breakdown(model_store, monkeypatch):
    sid = int(
        one(
            model_store,
            "SELECT s.shot_id FROM shots s JOIN shot_scores USING (shot_id) "
            "WHERE s.is_goal AND s.release_frame IS NOT NULL ORDER BY s.shot_id LIMIT 1",
        )
    )
    at = app(monkeypatch, model_store, shot=str(sid))
    ok(at)
    assert at.title[0].value == "Shot detail"
    assert at.query_params.get("shot") == str(sid)
    p = one(model_store, "SELECT p_goal FROM shot_scores WHERE shot_id = ?", [sid])
    assert {m.label: m.value for m in at.metric}["Chance of a goal"] == f"{100 * p:.1f}%"
    assert any("Goal:" in m.value for m in at.markdown)
    charts = {c.key if hasattr(c, "key") else None: json.loads(c.proto.spec) for c in at.get("plotly_chart")}
    all_specs = list(charts.values())
    wf = [s for s in all_specs if s["data"] and s["data"][0]["type"] == "waterfall"]
    assert wf, "factor waterfall"
    ys = wf[0]["data"][0]["y"]
    assert any("pts" in y for y in ys)
    replay = [s for s in all_specs if s.get("frames")]
    assert replay, "tracking replay with animation frames"
    lay = replay[0]["layout"]
    assert lay["sliders"][0]["steps"] and lay["updatemenus"][0]["buttons"][0]["label"].endswith("Play")
    assert len(replay[0]["frames"]) >= 50
    names = {t.get("name", "") for t in replay[0]["data"]}
    assert {"Puck", "Puck trail", "Goalies", "Shooting lane at release"} <= names
    assert any(n.startswith("Square-up point") for n in names)
    # share link
    assert any(f"?shot={sid}" in c.value for c in at.code)


def test_pbp_shot_falls_back_to_event_path(tiny_store, monkeypatch):
    sid = int(one(tiny_store, "SELECT shot_id FROM shots ORDER BY shot_id LIMIT 1 OFFSET 3"))
    at = app(monkeypatch, tiny_store, shot=str(sid))
    ok(at)
    assert any("How the play developed" in m.value for m in at.markdown)
    assert not any(json.loads(c.proto.spec).get("frames") for c in at.get("plotly_chart"))


def test_unknown_shot_is_a_warning_not_an_error(model_store, monkeypatch):
    at = app(monkeypatch, model_store, shot="12345")
    ok(at)
    assert any("no shot 12345" in w.value for w in at.warning)
    at = app(monkeypatch, model_store, shot="abc")
    ok(at)


def test_debate_from_query_params(model_store, monkeypatch):
    a, b = (
        int(x)
        for x in [
            one(model_store, "SELECT min(shot_id) FROM shot_scores"),
            one(model_store, "SELECT max(shot_id) FROM shot_scores"),
        ]
    )
    at = app(monkeypatch, model_store, a=str(a), b=str(b))
    at.switch_page("pages/debates.py").run()
    ok(at)
    assert [n.value for n in at.number_input][:2] == [a, b]
    assert any("percentage points" in s.value for s in at.success)
    assert len(at.dataframe) == 3, "three leaderboards"
    goals = at.dataframe[0].value
    assert (goals["Outcome"] == "Goal").all() and goals["Chance"].is_monotonic_increasing


def test_players_goalie_profile(model_store, monkeypatch):
    at = app(monkeypatch, model_store)
    at.switch_page("pages/players.py").run()
    at.segmented_control(key="players_role").set_value("goalie").run()
    ok(at)
    labels = {m.label for m in at.metric}
    assert {"Goals saved above expected", "Save rate", "Expected goals against"} <= labels


def test_model_page_shows_metrics_and_provenance(model_store, monkeypatch):
    at = app(monkeypatch, model_store)
    at.switch_page("pages/model.py").run()
    ok(at)
    assert {"AUC", "Log loss", "Brier"} <= {m.label for m in at.metric}
    assert any("fictional" in w.value for w in at.warning)
    tables = [d.value for d in at.dataframe]
    assert any("Oracle" in str(t.get("Model", "").tolist()) for t in tables if "Model" in t)


def test_data_source_lists_stores(model_store, monkeypatch):
    at = app(monkeypatch, model_store)
    box = at.selectbox(key="f_src")
    assert box.value == str(model_store)
    assert all(".building" not in o and not Path(o).name.startswith("bench_") for o in box.options)


def test_model_page_leads_with_the_model_that_rates_the_tracked_shots(model_store, monkeypatch):
    """The demo trains a play-by-play model after the tracking one; the page must not lead with it."""
    at = app(monkeypatch, model_store)
    at.switch_page("pages/model.py").run()
    ok(at)
    heads = [h.value for h in at.subheader if h.value.startswith("Model `")]
    assert len(heads) == 2 and "-tracking-" in heads[0] and "-pbp-" in heads[1]
    said = [m.value for m in at.markdown]
    assert said.index("Rates every shot with a tracking clip.") < next(
        i for i, v in enumerate(said) if v.startswith("Rates shots without a tracking clip")
    )
