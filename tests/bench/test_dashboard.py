"""The app benchmark's million-shot store, built from a small store."""

from __future__ import annotations

import duckdb

from oa.bench.dashboard import build_million


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
