"""The Players page's analyst panels under AppTest: on ice, lines and with-or-without-you, their leaderboards,
small samples said where they are shown, and stores without on-ice data."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from oa.app.panels import BOARD_TAB, GOALIE_BOARD_TAB, PANEL_TAB, ordinal, signed
from oa.store import Store
from tests.app.stores import onice_copy
from tests.app.test_pages import app, ok


@pytest.fixture(scope="module")
def onice_store(model_store, tmp_path_factory) -> tuple:
    """The trained demo store with made-up on-ice lists, shifts and time on ice (one team without it)."""
    return onice_copy(model_store, tmp_path_factory.mktemp("onice"))


def q(db, sql: str, params: list | None = None) -> pd.DataFrame:
    with Store(db, read_only=True) as s:
        return s.query(sql, params)


def open_tabs(at, panel: str | None = None, board: str | None = None, goalie_board: str | None = None):
    """Open the Players page's tabs by label (only the open tab runs: components.lazy_tabs) and rerun."""
    for key, label in ((PANEL_TAB, panel), (BOARD_TAB, board), (GOALIE_BOARD_TAB, goalie_board)):
        if label is not None:
            at.session_state[key] = label
    at.run()
    ok(at)
    return at


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def texts(at) -> str:
    return " ".join(x.value for kind in ("warning", "info", "caption", "markdown") for x in at.get(kind))


def busiest(db, team_clause: str = "TRUE") -> tuple[int, str, str]:
    """The shooter with most shots (of the teams in the clause): (id, team, name)."""
    r = q(
        db,
        f"SELECT s.shooter_id, any_value(s.team) AS team, any_value(p.name) AS name FROM shots s "
        f"JOIN players p ON p.player_id = s.shooter_id WHERE {team_clause} AND NOT s.empty_net "
        "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
    ).iloc[0]
    return int(r["shooter_id"]), str(r["team"]), str(r["name"])


def test_on_ice_panel_shows_the_skaters_counts_shares_and_rates(onice_store, monkeypatch) -> None:
    db, no_toi = onice_store
    pid, team, _ = busiest(db, f"s.team <> '{no_toi}'")
    at = app(monkeypatch, db, shooter=str(pid))
    at.switch_page("pages/players.py").run()
    ok(at)
    assert "On-ice attempts for – against" not in metrics(at), "a closed tab does not run"
    m = metrics(open_tabs(at, panel="On ice", board="On ice"))
    # the same counts straight from the store: 5v5 attempts with him on the ice, for and against
    n = q(
        db,
        "SELECT count(*) FILTER (WHERE o.shooting) AS cf, count(*) FILTER (WHERE NOT o.shooting) AS ca, "
        "count(*) FILTER (WHERE o.shooting AND s.is_goal) AS gf, count(*) FILTER (WHERE NOT o.shooting AND s.is_goal) AS ga "
        "FROM shot_on_ice o JOIN shots s USING (shot_id) JOIN games g ON g.game_id = s.game_id "
        "WHERE o.player_id = ? AND s.strength = '5v5' AND NOT s.empty_net AND g.season = "
        "(SELECT max(season) FROM games)",
        [pid],
    ).iloc[0]
    assert m["On-ice attempts for – against"] == f"{n['cf']} – {n['ca']}"
    assert m["On-ice goals for – against"] == f"{n['gf']} – {n['ga']}"
    assert m["xGF%"].endswith("%")
    secs = q(
        db,
        "SELECT sum(seconds) AS s, bool_or(method = 'estimated') AS est FROM toi WHERE player_id = ? AND situation = '5v5'",
        [pid],
    ).iloc[0]
    toi_label = "Time on ice (estimated)" if secs["est"] else "Time on ice"
    assert m[toi_label] == f"{secs['s'] / 60:,.0f} min"
    label = "CF/60 (estimated TOI)" if secs["est"] else "CF/60"
    assert m[label] == f"{n['cf'] * 3600 / secs['s']:.2f}"
    # the on-ice leaderboard: every skater with an on-ice attempt
    tables = {t.value.columns[0]: t.value for t in at.dataframe}
    board = tables["Player"]
    assert {"TOI from", "xGF% rel", "CF/60", "Small sample"} <= set(board.columns)
    assert set(board["TOI from"]) <= {"shift charts", "estimated", "no time on ice"}
    assert (board.loc[board["Team"] == no_toi, "TOI from"] == "no time on ice").all()
    assert board.loc[board["Team"] == no_toi, "CF/60"].isna().all()
    # his lines with with-or-without-you, and the lines leaderboard
    open_tabs(at, panel="Lines", board="Lines")
    assert {"Situation", "Units", "Skater A", "Skater B"} <= {
        w.label for kind in ("segmented_control", "selectbox") for w in at.get(kind)
    }
    tables = {t.value.columns[0]: t.value for t in at.dataframe}
    assert "Line" in tables and "With" in tables
    wowy = tables["With"]
    assert len(wowy) == 3 and wowy["With"].iloc[0] == "Together"
    assert "{" not in texts(at), "every caption's placeholders filled"


def test_all_situations_toggle_changes_the_counts(onice_store, monkeypatch) -> None:
    db, no_toi = onice_store
    pid, _, _ = busiest(db, f"s.team <> '{no_toi}'")
    at = app(monkeypatch, db, shooter=str(pid))
    at.switch_page("pages/players.py").run()
    five = metrics(open_tabs(at, panel="On ice"))["On-ice attempts for – against"]
    at.segmented_control(key="players_situation").set_value("all").run()
    ok(at)
    n = q(
        db,
        "SELECT count(*) FILTER (WHERE o.shooting) AS cf, count(*) FILTER (WHERE NOT o.shooting) AS ca "
        "FROM shot_on_ice o JOIN shots s USING (shot_id) JOIN games g ON g.game_id = s.game_id "
        "WHERE o.player_id = ? AND g.season = (SELECT max(season) FROM games)",
        [pid],
    ).iloc[0]
    assert metrics(at)["On-ice attempts for – against"] == f"{n['cf']} – {n['ca']}" != five


def test_a_skater_without_time_on_ice_says_so(onice_store, monkeypatch) -> None:
    db, no_toi = onice_store
    pid, _, _ = busiest(db, f"s.team = '{no_toi}'")
    at = app(monkeypatch, db, shooter=str(pid))
    at.switch_page("pages/players.py").run()
    m = metrics(open_tabs(at, panel="On ice"))
    assert m["Time on ice"] == "no time on ice"
    assert m["CF/60"] == m["xGA/60"] == "no time on ice"


def test_small_samples_say_so_where_they_are_shown(onice_store, monkeypatch) -> None:
    db, _ = onice_store
    # every demo shooter in 40 games has fewer than 200 attempts: his heat map says so
    pid, _, _ = busiest(db)
    at = app(monkeypatch, db, shooter=str(pid))
    at.switch_page("pages/players.py").run()
    ok(at)
    assert "this map rests on" in texts(at) and "fewer than 200" in texts(at)
    # one game: his rates rest on fewer than 100 minutes
    gid = int(q(db, "SELECT min(game_id) FROM shot_on_ice WHERE player_id = ?", [pid]).iloc[0, 0])
    at = app(monkeypatch, db, shooter=str(pid), game=str(gid))
    at.switch_page("pages/players.py").run()
    assert "Small sample" in texts(open_tabs(at, panel="On ice"))
    at.segmented_control(key="players_role").set_value("goalie").run()
    ok(at)
    assert "faced by this goalie" in texts(at)


def test_a_store_without_on_ice_data_says_so_and_does_not_fail(tiny_store, monkeypatch) -> None:
    at = app(monkeypatch, tiny_store)
    at.switch_page("pages/players.py").run()
    assert "no on-ice data" in texts(open_tabs(at, panel="On ice", board="On ice"))
    assert "No forward trios" in texts(open_tabs(at, panel="Lines", board="Lines")) or "No defence pairs" in texts(at)


def test_the_panels_tables_download_as_shown(onice_store, monkeypatch, files) -> None:
    import io

    from tests.app.test_tables import same, table_downloads

    db, no_toi = onice_store
    pid, _, _ = busiest(db, f"s.team <> '{no_toi}'")
    at = app(monkeypatch, db, shooter=str(pid))
    at.switch_page("pages/players.py").run()
    open_tabs(at, panel="Lines", board="On ice")
    names = []
    for table, csv, parquet in table_downloads(at):
        same(pd.read_csv(io.BytesIO(files.read(csv))), table, csv.proto.id)
        same(pd.read_parquet(io.BytesIO(files.read(parquet))), table, parquet.proto.id)
        names.append(csv.proto.help)
    season = str(q(db, "SELECT max(season) FROM games").iloc[0, 0])
    assert any(f"on-ice-{season}-5v5.csv" in n for n in names), names
    assert any(f"lines-{pid}-{season}-F3-5v5.csv" in n or f"lines-{pid}-{season}-D2-5v5.csv" in n for n in names)


def test_talent_panel_shows_the_shrunk_estimate_its_interval_raw_sample_and_percentile(
    onice_store, monkeypatch
) -> None:
    import json

    from oa.analysis.talent import talent

    db, _ = onice_store
    pid, _, name = busiest(db)
    at = app(monkeypatch, db, shooter=str(pid))
    at.switch_page("pages/players.py").run()
    ok(at)
    with Store(db, read_only=True) as s:
        season = s.query("SELECT max(season) AS s FROM games")["s"].iloc[0]
        r = talent(s, season=season, role="shooter").set_index("player_id").loc[pid]
    m = metrics(at)
    assert m["Finishing above expected (shrunk)"] == signed(r["shrunk"])
    assert m["90% interval"] == f"{signed(r['lo90'])} to {signed(r['hi90'])}"
    assert m["Raw record"] == signed(r["raw"])
    assert m["Sample"] == f"{int(r['shots']):,} shots"
    assert m["Percentile"] == ordinal(r["percentile"])
    # the interval plot: his row in bold, a dot with its 90% bar and the raw diamond
    spec = next(
        json.loads(c.proto.spec)
        for c in at.get("plotly_chart")
        if "90% intervals" in json.dumps(json.loads(c.proto.spec)["layout"].get("title", {}))
    )
    dots, raw = spec["data"]
    i = dots["y"].index(f"<b>{name}</b>" + (" *" if r["small_sample"] else ""))
    assert dots["x"][i] == pytest.approx(r["shrunk"])
    assert dots["x"][i] + dots["error_x"]["array"][i] == pytest.approx(r["hi90"])
    assert dots["x"][i] - dots["error_x"]["arrayminus"][i] == pytest.approx(r["lo90"])
    assert raw["x"][i] == pytest.approx(r["raw"])
    # one season in this store: the trend says it needs several
    assert "a trend needs several" in texts(open_tabs(at, panel="Trends", board="Talent"))
    # the talent leaderboard, and the goalies' own
    tables = [t.value for t in at.dataframe]
    board = next(t for t in tables if "Shrunk" in t.columns and "Player" in t.columns)
    assert {"Raw", "90% low", "90% high", "Percentile", "Small sample"} <= set(board.columns)
    assert (board["90% low"] <= board["Shrunk"]).all() and (board["Shrunk"] <= board["90% high"]).all()
    at.segmented_control(key="players_role").set_value("goalie").run()
    ok(at)
    assert "Goals saved above expected (shrunk)" in metrics(at)
    with Store(db, read_only=True) as s:
        goalies = talent(s, season=season, role="goalie")
    spec = next(
        json.loads(c.proto.spec)
        for c in at.get("plotly_chart")
        if "league" in (t := json.dumps(json.loads(c.proto.spec)["layout"].get("title", {}))) and "goalies" in t
    )
    assert len(spec["data"][0]["y"]) == min(25, len(goalies)) > 1  # his peers: the league's goalies
    open_tabs(at, goalie_board="Talent")
    assert any("Goalie" in t.value.columns and "Shrunk" in t.value.columns for t in at.dataframe)


def test_games_page_shows_adjusted_team_rates(onice_store, monkeypatch) -> None:
    from oa.analysis.teams import team_rates

    db, no_toi = onice_store
    at = app(monkeypatch, db)
    at.switch_page("pages/games.py").run()
    ok(at)
    with Store(db, read_only=True) as s:
        season = s.query("SELECT max(season) AS s FROM games")["s"].iloc[0]
        want = {sit: team_rates(s, season=season, situation=sit).set_index("team") for sit in ("5v5", "all")}
    for sit in ("5v5", "all"):
        if sit == "all":
            at.segmented_control(key="teams_situation").set_value("all").run()
            ok(at)
        table = next(t.value for t in at.dataframe if "Adj xGF/60" in t.value.columns).set_index("Team")
        w = want[sit]
        assert set(table.index) == set(w.index)
        for t in w.index:
            for shown, col in (("Adj xGF/60", "adj_xgf60"), ("CF/60", "cf60"), ("TOI (min)", "toi_min")):
                assert table.loc[t, shown] == pytest.approx(w.loc[t, col], nan_ok=True), (sit, t, shown)
        spec = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if "Expected goals per 60" in c.proto.spec)
        assert len(spec["data"][0]["x"]) == int(w["toi_min"].gt(0).sum())  # teams without time are not drawn
    # this team has no skaters' toi: its 5v5 time comes from the events' skater counts (the demo's events carry them)
    assert want["5v5"].loc[no_toi, "toi_min"] > 0
    assert any("score and venue" in c.value.lower() for c in at.caption)


def test_team_rates_without_5v5_time_show_the_shares_and_say_why(tiny_store, monkeypatch, tmp_path) -> None:
    from oa.analysis.teams import team_rates
    from tests.app.stores import no_skater_counts_copy

    store = no_skater_counts_copy(tiny_store, tmp_path / "no_skaters")
    with Store(store, read_only=True) as s:
        five = team_rates(s, situation="5v5")
    assert five["toi_min"].isna().all()  # no toi, no skater counts: 5v5 time is unknown
    at = app(monkeypatch, store)
    at.switch_page("pages/games.py").run()
    ok(at)
    assert any("No team time for 5 on 5" in i.value for i in at.info)
    table = next(t.value for t in at.dataframe if "Adj xGF%" in t.value.columns)
    assert not any(c.endswith("/60") for c in table.columns)
    assert not any("Expected goals per 60" in c.proto.spec for c in at.get("plotly_chart"))


def test_words_for_signed_figures_and_percentiles() -> None:
    assert [signed(x) for x in (1.26, -0.44, -0.04, 0.0, float("nan"), None)] == [
        "+1.3",
        "-0.4",
        "0.0",
        "0.0",
        "–",
        "–",
    ]
    assert [ordinal(p) for p in (0.3, 1, 2, 3, 11, 12, 13, 21, 22, 73.4, 100)] == [
        "1st",
        "1st",
        "2nd",
        "3rd",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "73rd",
        "100th",
    ]


def test_names_and_team_codes_that_are_markup_show_as_text_in_the_panels(onice_store, monkeypatch, tmp_path) -> None:
    from tests.app.stores import hostile_copy
    from tests.app.test_hostile import rendered_markdown, unescaped_markup

    db, _ = onice_store
    hostile, code = hostile_copy(db, tmp_path / "hostile")
    pid = int(
        q(
            hostile, "SELECT shooter_id FROM shots WHERE team = ? GROUP BY 1 ORDER BY count(*) DESC LIMIT 1", [code]
        ).iloc[0, 0]
    )
    at = app(monkeypatch, hostile, shooter=str(pid))
    for page in ("pages/players.py", "pages/games.py"):
        at.switch_page(page).run()
        if page == "pages/games.py":  # this store times all situations only: the rates chart needs time
            at.segmented_control(key="teams_situation").set_value("all").run()
        ok(at)
        for text in rendered_markdown(at):
            assert not unescaped_markup(text), (page, text)
        ours = [
            json.loads(c.proto.spec)
            for c in at.get("plotly_chart")
            if any(w in c.proto.spec for w in ("90% intervals", "Expected goals per 60"))
        ]
        assert ours, page
        labels = [
            str(x) for spec in ours for tr in spec["data"] for x in [*(tr.get("y") or []), *(tr.get("text") or [])]
        ]
        assert not [x for x in labels if "<img" in x], page  # names and codes in our charts are escaped text
        assert any("&lt;img" in x for x in labels), page


def test_the_lines_board_lists_one_team_at_a_time_over_many_attempts(onice_store, monkeypatch) -> None:
    """Above LEAGUE_UNITS_MAX_ATTEMPTS the league's every unit would take seconds: the board asks for a team,
    says why, and shows exactly that team's units (the analysis' own figures); below it, the whole league."""
    from oa.analysis.lines import lines
    from oa.app import panels

    db, _ = onice_store
    at = app(monkeypatch, db)
    at.switch_page("pages/players.py").run()
    open_tabs(at, board="Lines")
    league = next(t.value for t in at.dataframe if "Line" in t.value.columns and "Minutes together" in t.value.columns)
    assert not [b for b in at.selectbox if b.key == "board_lines_team"]
    assert league["Team"].nunique() > 1
    monkeypatch.setattr(panels, "LEAGUE_UNITS_MAX_ATTEMPTS", 10)
    at.run()
    ok(at)
    pick = next(b for b in at.selectbox if b.key == "board_lines_team")
    assert "units are listed one team at a time" in texts(at)
    team = sorted(league["Team"].unique())[-1]
    pick.set_value(team).run()
    ok(at)
    shown = next(t.value for t in at.dataframe if "Line" in t.value.columns and "Minutes together" in t.value.columns)
    with Store(db, read_only=True) as s:
        season = s.query("SELECT max(season) AS s FROM games")["s"].iloc[0]
        want = lines(s, season=season, kind="F3", team=team, situation="5v5")
    assert set(shown["Team"]) == {team}
    assert sorted(shown["Line"]) == sorted(want["names"])


def test_talent_says_whether_its_expected_goals_are_out_of_fold(onice_store, monkeypatch, tmp_path) -> None:
    """Trained here, the model kept each training shot's out-of-fold probability: the interval's help says
    so. A store without them (a model trained before, or elsewhere) says its intervals run narrow, in words
    on the page, not only in a tooltip."""
    import shutil

    import duckdb

    db, _ = onice_store
    pid, _, _ = busiest(db)
    at = app(monkeypatch, db, shooter=str(pid))
    at.switch_page("pages/players.py").run()
    ok(at)
    interval = next(m for m in at.metric if m.label == "90% interval")
    assert "out of fold" in interval.proto.help and "in sample" not in texts(at)
    bare = tmp_path / "no_oof.duckdb"
    shutil.copy(db, bare)
    with duckdb.connect(str(bare)) as c:
        assert c.execute("DELETE FROM shot_oof").fetchall()[0][0] > 0
    at = app(monkeypatch, bare, shooter=str(pid))
    at.switch_page("pages/players.py").run()
    ok(at)
    interval = next(m for m in at.metric if m.label == "90% interval")
    assert "only 77-78%" in interval.proto.help
    assert "Expected goals here are in sample" in texts(at)
