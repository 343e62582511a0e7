"""`python -m oa export table` and `python -m oa players --json` as real processes on the hand-made store."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from oa.analysis.onice import on_ice
from oa.analysis.tables import TABLES, exportable
from oa.analysis.talent import talent
from tests.analysis import handmade as hm
from tests.test_cli import oa


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hm.league(tmp_path_factory.mktemp("cli") / "hand.duckdb")


def one_line(p) -> str:
    out = (p.stdout + p.stderr).strip()
    assert "Traceback" not in out and len(out.splitlines()) == 1, out
    return out


def expected(db: Path, name: str, season: str | None) -> pd.DataFrame:
    with duckdb.connect(str(db), read_only=True) as con:
        return exportable(TABLES[name].read(con, season))


@pytest.mark.parametrize(
    "name, fmt",
    [
        ("on-ice", "csv"),
        ("lines", "parquet"),
        ("talent", "csv"),
        ("shots", "parquet"),
        ("team-rates", "parquet"),
        ("pairs", "csv"),
    ],
)
def test_export_reads_back_to_the_table(db: Path, tmp_path: Path, name: str, fmt: str) -> None:
    out = tmp_path / f"t.{fmt}"
    p = oa("export", "table", name, "--season", hm.SEASON, "--out", str(out), "--db", str(db))
    assert p.returncode == 0, p.stdout + p.stderr
    got = pd.read_csv(out) if fmt == "csv" else pd.read_parquet(out)
    want = expected(db, name, hm.SEASON)
    assert len(got) == len(want) > 0 and list(got.columns) == list(want.columns)
    if fmt == "parquet":
        pd.testing.assert_frame_equal(got, want)
    else:  # CSV has no types: a missing value reads back as NaN, whatever the column held
        blank = lambda df: df.astype(object).where(df.notna(), None)  # noqa: E731
        pd.testing.assert_frame_equal(blank(got), blank(want), check_dtype=False)


def test_export_every_season_and_format_option(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.data"
    p = oa("export", "table", "shots", "--format", "PARQUET", "--out", str(out), "--db", str(db))
    assert p.returncode == 0, p.stdout + p.stderr
    got = pd.read_parquet(out)
    assert set(got["season"]) == {hm.SEASON, hm.OLD_SEASON} and got["p_goal"].notna().all()
    assert "factor_distance" not in got.columns  # the hand-made store has no factors: no factor columns


def test_hostile_arguments_one_line_exit_2_no_file(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    base = ("--db", str(db))
    cases = [
        (["export", "table", "goals", "--out", str(out), *base], "no table 'goals'"),
        (["export", "table", "on-ice", "--season", "2099-00", "--out", str(out), *base], "not in the store"),
        (["export", "table", "on-ice", "--season", "'; DROP TABLE shots; --", "--out", str(out), *base], "not in"),
        (["export", "table", "on-ice", "--format", "xlsx", "--out", str(out), *base], "'xlsx' is not a format"),
        (["export", "table", "on-ice", "--out", str(tmp_path / "nope" / "x.csv"), *base], "does not exist"),
        (["export", "table", "on-ice", "--out", str(tmp_path), *base], "is a folder"),
        (["players", "--season", "1900-01", "--json", *base], "not in the store"),
        (["players", "--model", "nope", "--json", *base], "--model 'nope' is not in the store"),
    ]
    if os.geteuid() != 0:  # root writes anywhere
        ro = tmp_path / "ro"
        ro.mkdir(mode=0o500)
        cases.append((["export", "table", "on-ice", "--out", str(ro / "x.csv"), *base], "permission denied"))
    for args, words in cases:
        p = oa(*args)
        assert p.returncode == 2, (args, p.stdout + p.stderr)
        assert words in one_line(p), (args, p.stdout + p.stderr)
    assert not out.exists() and not list(tmp_path.glob("*.part")) and not list(tmp_path.glob(".*"))
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM shots").fetchone()[0] == 6  # nothing dropped
    # a store we cannot read: exit 1, one line, no file
    bad = tmp_path / "bad.duckdb"
    bad.write_text("not a store")
    foreign = tmp_path / "foreign.duckdb"
    with duckdb.connect(str(foreign)) as c:
        c.execute("CREATE TABLE games (x INTEGER)")
    for store, words in (
        (tmp_path / "none.duckdb", "no store at"),
        (bad, "not a valid DuckDB"),
        (foreign, "as a store"),
    ):
        for args in (["export", "table", "on-ice", "--out", str(out)], ["players", "--json"]):
            p = oa(*args, "--db", str(store))
            assert p.returncode == 1 and words in one_line(p), (store, p.stdout + p.stderr)
            assert not out.exists()


def test_players_json(db: Path) -> None:
    p = oa("players", "--db", str(db), "--season", hm.SEASON, "--json")
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    assert doc["season"] == hm.SEASON
    by = {(e["player_id"], e["team"]): e for e in doc["players"]}
    with duckdb.connect(str(db), read_only=True) as con:
        five = on_ice(con, season=hm.SEASON).set_index("player_id")
        shooters = talent(con, season=hm.SEASON).set_index("player_id")
    e = by[(101, "HOM")]
    assert e["name"] == "P101" and e["position"] == "C"
    oi = e["on_ice"]["5v5"]
    assert (oi["cf"], oi["ca"], oi["toi_method"]) == (1, 2, "shifts")
    assert oi["xgf_pct_rel"] == pytest.approx(five.loc[101, "xgf_pct_rel"])
    assert e["on_ice"]["all"]["gf"] == 1
    t = e["talent"]
    assert t["role"] == "shooter" and t["percentile_among"] == "forwards"
    assert t["lo90"] <= t["shrunk"] <= t["hi90"] and t["shrunk"] == pytest.approx(shooters.loc[101, "shrunk"])
    assert t["percentile"] == pytest.approx(shooters.loc[101, "percentile"])
    assert by[(104, "HOM")]["on_ice"]["5v5"]["toi_min"] is None  # no time on ice: null, never NaN
    g = by[(209, "AWY")]
    assert g["talent"]["role"] == "goalie" and g["on_ice"]["5v5"] is None
    # the default season is the store's latest; the table form prints without a traceback
    assert json.loads(oa("players", "--db", str(db), "--json").stdout)["season"] == hm.SEASON
    p = oa("players", "--db", str(db))
    assert p.returncode == 0 and "P101" in p.stdout


def test_bench_commands_run_and_refuse_what_they_cannot_measure(db: Path, tmp_path: Path) -> None:
    p = oa("bench", "analysis", "--db", str(db), "--runs", "1", "--json")
    assert p.returncode == 0, p.stdout + p.stderr
    out = json.loads(p.stdout.strip().splitlines()[-1])
    assert out["season"] == hm.SEASON and out["rows"]["shot_on_ice"] > 0
    assert set(out["figures"]) >= {"on_ice 5v5", "lines F3 5v5", "talent shooters", "team_rates 5v5", "wowy"}
    assert out["figures"]["players --json (process)"]["bytes"] > 0
    p = oa("bench", "talent", "--db", str(db), "--json")  # a store without the simulator's skills
    assert p.returncode == 1 and "no true skills" in " ".join((p.stdout + p.stderr).split())
    assert "Traceback" not in p.stdout + p.stderr
