"""The app benchmark's million-shot store, built from a small store."""

from __future__ import annotations

import duckdb

from oa.bench.dashboard import ON_ICE_TABLES, PANELS, build_million


def test_copies_make_new_games_and_shots_with_consistent_ids(tiny_store, tmp_path):
    con = duckdb.connect(str(tiny_store), read_only=True)
    n = con.execute("SELECT count(*) FROM shots").fetchone()[0]
    games = con.execute("SELECT count(*) FROM games").fetchone()[0]
    con.close()
    out = tmp_path / "bench_app_million.duckdb"
    info = build_million(tiny_store, out, target=3 * n - 1, progress=lambda s: None)
    assert info["copies"] == 3 and info["shots"] == 3 * n and not info["reused"]
    con = duckdb.connect(str(out), read_only=True)
    assert con.execute("SELECT count(*) FROM games").fetchone()[0] == 3 * games
    assert con.execute("SELECT count(DISTINCT season) FROM games").fetchone()[0] == 3
    assert con.execute("SELECT count(*) FROM shots WHERE shot_id <> game_id * 10000 + event_idx").fetchone()[0] == 0
    assert (
        con.execute(
            "SELECT count(*) FROM shots s LEFT JOIN games g USING (game_id) WHERE g.game_id IS NULL"
        ).fetchone()[0]
        == 0
    )
    assert con.execute("SELECT count(*) FROM events").fetchone()[0] > 0
    assert con.execute("SELECT count(*) FROM frames").fetchone()[0] == 0
    con.close()
    again = build_million(tiny_store, out, target=3 * n - 1, progress=lambda s: None)
    assert again["reused"]


def test_copies_carry_the_on_ice_tables_with_the_same_id_shifts(tmp_path):
    from oa.sim.run import build_demo

    src = tmp_path / "demo.duckdb"
    build_demo(src, n_games=3, seed=1, workers=1)
    con = duckdb.connect(str(src), read_only=True)
    n = con.execute("SELECT count(*) FROM shots").fetchone()[0]
    before = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ON_ICE_TABLES}
    con.close()
    assert all(before.values()), before
    out = tmp_path / "million.duckdb"
    build_million(src, out, target=2 * n, progress=lambda s: None)
    con = duckdb.connect(str(out), read_only=True)
    for t in ON_ICE_TABLES:
        assert con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] == 2 * before[t], t
        orphans = f"SELECT count(*) FROM {t} x LEFT JOIN games g USING (game_id) WHERE g.game_id IS NULL"
        assert con.execute(orphans).fetchone()[0] == 0, t
    # every copied on-ice row points at its own copy's shot, of its own game
    q = "SELECT count(*) FROM shot_on_ice o LEFT JOIN shots s USING (shot_id) WHERE s.game_id IS DISTINCT FROM o.game_id"
    assert con.execute(q).fetchone()[0] == 0
    con.close()


# every panel but the Games page's team rates is on the shooter's view of the Players page
SHOOTER_PANELS = set(PANELS) - {"team_rates_panel"}


def test_panels_are_timed_one_by_one_inside_the_pages_after_each_filter_change(model_store, tmp_path, monkeypatch):
    """`bench app`'s panel figures come from the real pages: each change reruns the page, each tab is
    opened in turn, every panel is timed inside the run that showed it, and afterwards the panels are the
    module's own again."""
    from oa.app import panels
    from oa.bench.dashboard import measure_panels
    from tests.app.test_pages import app

    con = duckdb.connect(str(model_store), read_only=True)
    n = con.execute("SELECT count(*) FROM shots").fetchone()[0]
    con.close()
    two = tmp_path / "two_seasons.duckdb"
    build_million(model_store, two, target=2 * n, progress=lambda s: None)  # two seasons, with shifts
    con = duckdb.connect(str(model_store), read_only=True)
    oof = con.execute("SELECT count(*) FROM shot_oof").fetchone()[0]
    con.close()
    con = duckdb.connect(str(two), read_only=True)
    assert oof > 0 and con.execute("SELECT count(*) FROM shot_oof").fetchone()[0] == 2 * oof  # talent's xG copied
    seasons = [r[0] for r in con.execute("SELECT DISTINCT season FROM games ORDER BY 1 DESC").fetchall()]
    teams = [r[0] for r in con.execute("SELECT DISTINCT team FROM shots ORDER BY 1 LIMIT 3").fetchall()]
    shooters = [
        r[0] for r in con.execute("SELECT DISTINCT shooter_id FROM shots WHERE shooter_id IS NOT NULL").fetchall()
    ]
    con.close()
    originals = {name: getattr(panels, name) for name in PANELS}

    out = measure_panels(app(monkeypatch, two), seasons, teams, shooters)

    assert {name: getattr(panels, name) for name in PANELS} == originals
    assert len(seasons) == 2 and "players: all seasons" in out and "games: all seasons" in out
    for step, r in out.items():
        want = (
            {"team_rates_panel"}
            if step.startswith("games")
            else {"talent_panel", "trend_panel", "talent_board"}
            if step == "players: goalies"
            else SHOOTER_PANELS
        )
        assert set(r["panels_s"]) == want, step
        # each panel ran inside one of the step's reruns (the open tabs'), so within the slowest of them
        assert all(0 < t <= max(r["tabs_s"].values()) for t in r["panels_s"].values()), (step, r)
        assert r["page_s"] == next(iter(r["tabs_s"].values()))
        # the lines panel includes its with-or-without-you: never less
        if "lines_panel" in want:
            assert r["panels_s"]["wowy_panel"] <= r["panels_s"]["lines_panel"]


def test_runs_merge_into_medians_figure_by_figure() -> None:
    from oa.bench.dashboard import median_of

    runs = [
        {"db": "a", "start_s": 1.0, "pages": {"league": 0.3, "shot": 2.0}, "peak_rss_mb": 400, "ok": True},
        {"db": "a", "start_s": 3.0, "pages": {"league": 0.1, "shot": 1.0}, "peak_rss_mb": 500, "ok": False},
        {"db": "a", "start_s": 2.0, "pages": {"league": 0.2}, "peak_rss_mb": 450, "ok": True},
    ]
    m = median_of(runs)
    assert m == {"db": "a", "start_s": 2.0, "pages": {"league": 0.2, "shot": 1.5}, "peak_rss_mb": 450, "ok": True}
    assert median_of([runs[0]]) == runs[0]
