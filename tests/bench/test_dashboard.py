"""The app benchmark's million-shot store, built from a small store."""

from __future__ import annotations

import duckdb

from oa.bench.dashboard import ON_ICE_TABLES, build_million


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
