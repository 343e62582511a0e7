"""`bench analysis --proxy-from`: the million-attempt stand-in copies a store with its on-ice rows, ids shifted."""

from __future__ import annotations

from pathlib import Path

import duckdb

from oa.analysis.onice import on_ice
from oa.bench.analysis import build_proxy
from tests.analysis import handmade as hm


def test_proxy_copies_games_shots_and_on_ice_rows_with_shifted_ids(tmp_path: Path) -> None:
    src = hm.league(tmp_path / "hand.duckdb")  # 6 shots, with shot_on_ice, shifts and toi
    out = tmp_path / "proxy.duckdb"
    info = build_proxy(src, out, target=20)
    assert info["copies"] == 4 and info["shots"] == 24 and info["on_ice"] == "copied"
    with duckdb.connect(str(src), read_only=True) as s, duckdb.connect(str(out), read_only=True) as p:
        for t in ("shots", "shot_on_ice", "shifts", "toi", "events", "shot_scores"):
            assert (
                p.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                == 4 * s.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            ), t
        # every on-ice row still points at a shot of its own game
        orphans = p.execute(
            "SELECT count(*) FROM shot_on_ice o LEFT JOIN shots x ON x.shot_id = o.shot_id AND x.game_id = o.game_id "
            "WHERE x.shot_id IS NULL"
        ).fetchone()[0]
        assert orphans == 0
        seasons = [r[0] for r in p.execute("SELECT DISTINCT season FROM games ORDER BY 1").fetchall()]
        assert seasons == ["2024-25", "2025-26"]  # two copies a season, from the source's first season on
        # a season of the stand-in is two copies of the whole source: its figures doubled
        one = on_ice(s, situation="all").set_index("player_id")
        two = on_ice(p, season=seasons[0], situation="all").set_index("player_id")
        assert two.loc[101, "cf"] == 2 * one.loc[101, "cf"]
