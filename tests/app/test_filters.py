"""The shared sidebar filters: links read case-insensitively, unknown values named, empty-net shots apart."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st_

from oa.app.filters import EMPTY_NET, _match
from oa.vocab import OUTCOME_WORDS, OUTCOMES, TIER_WORDS, TIERS
from tests.app.test_pages import app, ok, one


def shots_metric(at) -> str:
    return {m.label: m.value for m in at.metric}["Shots"]


def test_link_values_are_read_whatever_their_case(model_store, monkeypatch):
    team = one(model_store, "SELECT min(team) FROM shots")
    at = app(
        monkeypatch,
        model_store,
        outcome="goal,Save",
        tier="HIGH,medium",
        strength="power PLAY",
        type="wrist",
        team=team.lower(),
        empty_net="INCLUDE",
    )
    at.switch_page("pages/explorer.py").run()
    ok(at)
    assert not at.warning, [w.value for w in at.warning]
    assert at.multiselect(key="f_outcome").value == ["GOAL", "SAVE"]
    assert at.multiselect(key="f_tier").value == ["medium", "high"]
    assert at.selectbox(key="f_strength").value == "Power play"
    assert at.selectbox(key="f_type").value == "WRIST"
    assert at.selectbox(key="f_team").value == team
    assert at.radio(key="f_empty_net").value == "include"
    # the link is written back in the app's own spelling
    assert at.query_params.get("outcome") == "GOAL,SAVE" and at.query_params.get("team") == team
    # and the shots counted are the ones asked for
    at = app(monkeypatch, model_store, outcome="goal,Save", tier="HIGH,medium", team=team.lower())
    at.switch_page("pages/explorer.py").run()
    ok(at)
    n = one(
        model_store,
        "SELECT count(*) FROM shots s JOIN shot_scores sc USING (shot_id) JOIN models m "
        "USING (model_id) WHERE m.active AND s.team = ? AND s.outcome IN ('GOAL', 'SAVE') AND "
        "sc.tier IN ('high', 'medium') AND NOT s.empty_net",
        [team],
    )
    assert n > 0 and shots_metric(at) == f"{n:,}"


def test_a_label_works_like_a_code(model_store, monkeypatch):
    at = app(monkeypatch, model_store, outcome="blocked,Goal", type="Tip-in")
    ok(at)
    assert not at.warning or all("fictional" in w.value for w in at.warning)
    assert at.multiselect(key="f_outcome").value == ["GOAL", "BLOCK"]
    assert at.selectbox(key="f_type").value == "TIP"


def test_unknown_link_values_are_named_on_the_page(model_store, monkeypatch):
    at = app(
        monkeypatch,
        model_store,
        outcome="gaol",
        tier="high,extreme",
        team="XYZ",
        strength="7v7",
        empty_net="sometimes",
        game="123",
        type="knuckle",
    )
    at.switch_page("pages/explorer.py").run()
    ok(at)
    said = " ".join(w.value for w in at.warning)
    for bad in (
        "`outcome=gaol`",
        "`tier=extreme`",
        "`team=XYZ`",
        "`strength=7v7`",
        "`empty_net=sometimes`",
        "`game=123`",
        "`type=knuckle`",
    ):
        assert bad in said, (bad, said)
    assert (
        "`outcome=gaol` is not an outcome here: ignored, showing all outcomes. Known: Goal, Save, Miss, Blocked."
        in said
    )
    # what could be read still applies; the rest fell back to the default, not to something else
    assert at.multiselect(key="f_tier").value == ["high"]
    assert at.multiselect(key="f_outcome").value == []
    assert at.selectbox(key="f_team").value == "All"
    assert at.radio(key="f_empty_net").value == "exclude"
    # the note stays while the view is the link's, and goes once the user changes a filter
    at.switch_page("pages/players.py").run()
    assert "`outcome=gaol`" in " ".join(w.value for w in at.warning)
    at.multiselect(key="f_tier").set_value([]).run()
    ok(at)
    assert "`outcome=gaol`" not in " ".join(w.value for w in at.warning)


@settings(max_examples=200, deadline=None)
@given(st_.sampled_from(list(OUTCOMES) + list(TIERS) + list(EMPTY_NET)), st_.data())
def test_matching_ignores_case_and_surrounding_spaces(option, data):
    labels = {**OUTCOME_WORDS, **TIER_WORDS, **EMPTY_NET}
    options = list(OUTCOMES) + list(TIERS) + list(EMPTY_NET)
    word = data.draw(st_.sampled_from([option, labels[option]]))
    cased = "".join(c.upper() if data.draw(st_.booleans()) else c.lower() for c in word)
    pad = data.draw(st_.sampled_from(["", " ", "  "]))
    assert _match(pad + cased + pad, options, labels.get) == (True, option)


@settings(max_examples=200, deadline=None)
@given(st_.text(alphabet=string.ascii_letters + string.digits + " -_", max_size=12))
def test_text_that_is_no_option_matches_nothing(text):
    labels = {**OUTCOME_WORDS, **TIER_WORDS}
    options = list(OUTCOMES) + list(TIERS)
    known = {o.casefold() for o in options} | {v.casefold() for v in labels.values()}
    found, o = _match(text, options, labels.get)
    assert found == (text.strip().casefold() in known)
    assert o is None or o in options


# -- empty-net shots -----------------------------------------------------------------------------


def test_empty_net_shots_are_left_out_by_default_and_one_click_brings_them_in(model_store, monkeypatch):
    n_en = one(model_store, "SELECT count(*) FROM shots WHERE empty_net")
    assert n_en > 0, "the fixture league has empty-net shots"
    n_all = one(model_store, "SELECT count(*) FROM shots")
    at = app(monkeypatch, model_store)
    at.switch_page("pages/explorer.py").run()
    ok(at)
    assert shots_metric(at) == f"{n_all - n_en:,}"
    en_ids = {int(x) for x in one_col(model_store, "SELECT shot_id FROM shots WHERE empty_net")}
    best = at.dataframe[0].value  # the shot table, best chances first
    assert not set(best["Shot"].astype(int)) & en_ids
    # one click: the radio's "Include"
    at.radio(key="f_empty_net").set_value("include").run()
    ok(at)
    assert shots_metric(at) == f"{n_all:,}"
    assert at.query_params.get("empty_net") == "include"
    best = at.dataframe[0].value
    top = {int(x) for x in best["Shot"].iloc[:10]}
    assert top & en_ids, "with them in, empty nets are among the best chances (a 3 ft tap-in may still top them)"
    at.radio(key="f_empty_net").set_value("only").run()
    assert shots_metric(at) == f"{n_en:,}"


def test_leaderboards_and_5v5_leave_empty_nets_out_unless_included(model_store, monkeypatch):
    en_ids = {int(x) for x in one_col(model_store, "SELECT shot_id FROM shots WHERE empty_net")}
    at = app(monkeypatch, model_store, strength="5v5")
    at.switch_page("pages/debates.py").run()
    ok(at)
    boards = [set(d.value["Shot"].astype(int)) for d in at.dataframe]
    assert len(boards) == 3 and all(b and not b & en_ids for b in boards)
    # 5v5 is five skaters a side with both goalies in, even with empty-net shots included
    at.radio(key="f_empty_net").set_value("include").run()
    at.switch_page("pages/explorer.py").run()
    n = one(model_store, "SELECT count(*) FROM shots WHERE strength = '5v5' AND NOT empty_net")
    assert shots_metric(at) == f"{n:,}"
    # without the strength filter, an included empty-net goal can top a leaderboard
    at = app(monkeypatch, model_store, empty_net="include")
    at.switch_page("pages/debates.py").run()
    ok(at)
    saves_missed = set(at.dataframe[1].value["Shot"].astype(int)) | set(at.dataframe[2].value["Shot"].astype(int))
    has_en_saves_or_misses = one(model_store, "SELECT count(*) FROM shots WHERE empty_net AND outcome <> 'GOAL'")
    assert bool(saves_missed & en_ids) == bool(has_en_saves_or_misses)


def test_shot_detail_never_opens_on_an_empty_net_by_itself(model_store, monkeypatch):
    at = app(monkeypatch, model_store, empty_net="include")
    at.switch_page("pages/shot.py").run()
    ok(at)
    sid = int(at.query_params.get("shot"))
    assert not one(model_store, "SELECT empty_net FROM shots WHERE shot_id = ?", [sid])
    best_non_en = one(
        model_store,
        "SELECT s.shot_id FROM shots s JOIN shot_scores sc USING (shot_id) JOIN models m "
        "USING (model_id) WHERE m.active AND NOT s.empty_net AND s.game_id IN "
        "(SELECT game_id FROM games WHERE season = (SELECT max(season) FROM games)) "
        "ORDER BY sc.p_goal DESC, s.shot_id LIMIT 1",
    )
    assert sid == best_non_en


def one_col(db, sql: str) -> list:
    from oa.store import Store

    with Store(db, read_only=True) as s:
        return s.query(sql).iloc[:, 0].tolist()
