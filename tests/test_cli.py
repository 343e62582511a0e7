import json

from typer.testing import CliRunner

from oa.cli import app
from oa.store import Store

runner = CliRunner()


def test_bad_games_is_a_clear_error(tmp_path):
    r = runner.invoke(app, ["demo", "--games", "0", "--db", str(tmp_path / "x.duckdb")])
    assert r.exit_code == 2
    assert "between 1 and 9999" in r.output
    r = runner.invoke(app, ["demo", "--games", "lots"])
    assert r.exit_code == 2 and "--games" in r.output


def test_bad_db_is_a_clear_error(tmp_path):
    r = runner.invoke(app, ["demo", "--games", "2", "--db", str(tmp_path)])
    assert r.exit_code == 2 and "is a directory" in r.output
    r = runner.invoke(app, ["demo", "--games", "2", "--db", str(tmp_path / "x.csv")])
    assert r.exit_code == 2 and ".duckdb" in r.output


def test_profile_of_missing_store_says_how_to_build_one(tmp_path):
    r = runner.invoke(app, ["profile", "--db", str(tmp_path / "none.duckdb")])
    assert r.exit_code == 1 and "python -m oa demo" in r.output


def test_demo_then_profile(tmp_path):
    db = tmp_path / "d.duckdb"
    r = runner.invoke(app, ["demo", "--games", "3", "--seed", "4", "--db", str(db), "--workers", "1"])
    assert r.exit_code == 0, r.output
    assert "Stored 3 demo games" in r.output
    said = " ".join(r.output.split())
    assert "no model trained" in said and "500 shots and 50 goals" in said
    with Store(db, read_only=True) as st:
        assert st.counts()["games"] == 3
        assert st.meta()["source"] == "demo"
    # re-running with fewer games replaces the league rather than adding to it
    r = runner.invoke(app, ["demo", "--games", "2", "--seed", "4", "--db", str(db), "--workers", "1"])
    assert r.exit_code == 0, r.output
    with Store(db, read_only=True) as st:
        assert st.counts()["games"] == 2
    r = runner.invoke(app, ["profile", "--db", str(db), "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["demo"]["games"] == 2
    assert any(row["metric"] == "goal_rate_unblocked" and row["real"] == 0.0703 for row in out["rows"])
