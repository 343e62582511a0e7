"""The named tables: every one reads on the hand-made store, and the shots table carries the factors."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from oa.analysis.tables import TABLES, exportable, read_back, shots_table, write
from tests.analysis import handmade as hm


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = hm.league(tmp_path_factory.mktemp("tables") / "hand.duckdb")
    with duckdb.connect(str(path)) as c:
        rows = [
            (hm.GAME * 10000 + i, hm.MODEL, f, None, v, v * 10)
            for i, f, v in ((1, "distance", -0.5), (1, "angle", 0.25), (2, "distance", 0.75))
        ] + [(hm.GAME * 10000 + 1, "old-model", "distance", None, 9.0, 90.0)]  # an inactive model's: not shown
        c.executemany("INSERT INTO shot_factors VALUES (?, ?, ?, ?, ?, ?)", rows)
    return path


def test_every_table_reads_and_round_trips(db: Path, tmp_path: Path) -> None:
    with duckdb.connect(str(db), read_only=True) as con:
        for name, t in TABLES.items():
            df = t.read(con, hm.SEASON)
            assert len(df) > 0, name
            out = tmp_path / f"{name}.parquet"
            write(df, out, "parquet")
            blank = lambda d: d.astype(object).where(d.notna(), None)  # noqa: E731 - text columns come back typed
            pd.testing.assert_frame_equal(blank(read_back(out, "parquet")), blank(exportable(df)), check_dtype=False)
    assert set(TABLES) >= {"on-ice", "lines", "talent", "team-rates", "shots"}


def test_shots_carry_rating_and_factor_contributions(db: Path) -> None:
    with duckdb.connect(str(db), read_only=True) as con:
        df = shots_table(con, season=hm.SEASON).set_index("shot_id")
    assert len(df) == 5 and df["p_goal"].notna().all() and (df["model_id"] == hm.MODEL).all()
    s1, s2 = hm.GAME * 10000 + 1, hm.GAME * 10000 + 2
    assert df.loc[s1, "contrib_distance"] == -0.5 and df.loc[s1, "contrib_angle"] == 0.25
    assert df.loc[s2, "contrib_distance"] == 0.75 and pd.isna(df.loc[s2, "contrib_angle"])
    assert df.loc[s1, "shooter"] == "P101" and df.loc[s1, "goalie"] == "P209"
    with pytest.raises(ValueError, match="not a format"):
        write(df, Path("x.xlsx"), "xlsx")
