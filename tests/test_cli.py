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


# -- real processes: exit codes, files left behind, what a person sees ------------------
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def oa(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """`python -m oa ARGS` in a real process, from the repository root."""
    return subprocess.run(
        [sys.executable, "-m", "oa", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


@pytest.mark.parametrize("command", ["score", "train", "features"])
def test_commands_that_read_a_store_never_create_one(tmp_path, command):
    db = tmp_path / "nowhere" / "x.duckdb"
    p = oa(command, "--db", str(db))
    assert p.returncode == 1, p.stdout + p.stderr
    assert "no store at" in " ".join(p.stdout.split()) and "Traceback" not in p.stdout + p.stderr
    assert not db.parent.exists(), "neither the store nor its folder is created"


@pytest.mark.parametrize("as_json", [False, True])
def test_ingest_of_a_file_that_is_not_the_source_creates_no_store(tmp_path, as_json):
    db = tmp_path / "nowhere" / "x.duckdb"
    p = oa("ingest", "moneypuck", str(ROOT / "README.md"), "--db", str(db), *(["--json"] if as_json else []))
    assert p.returncode == 1, "nothing stored is a failure, with or without --json"
    assert "README.md" in p.stdout and "no store was created" in " ".join(p.stdout.split())
    if as_json:
        out = json.loads(p.stdout)
        assert out["games"] == 0 and len(out["failed"]) == 2
    assert not db.parent.exists()


def test_ingest_exit_status_does_not_depend_on_json(tmp_path):
    """Into an existing store: nothing valid read -> 1 both ways, the store unchanged; something stored -> 0 both ways."""
    from tests.ingest_fixtures import moneypuck_csv

    db = tmp_path / "s.duckdb"
    good = moneypuck_csv(tmp_path / "good.csv", 2)
    assert oa("ingest", "moneypuck", str(good), "--db", str(db)).returncode == 0
    size = db.stat().st_size
    for extra in ([], ["--json"]):
        p = oa("ingest", "moneypuck", str(ROOT / "README.md"), "--db", str(db), *extra)
        assert p.returncode == 1, (extra, p.stdout)
        assert f"{db} is unchanged" in " ".join(p.stdout.split())
        assert oa("ingest", "moneypuck", str(good), "--db", str(db), *extra).returncode == 0
    assert db.stat().st_size >= size


def test_no_empty_progress_bar_before_an_error(tmp_path):
    """A command that fails before any work shows the error only (it used to show a `0/?` or `0/1` bar)."""
    from tests.ingest_fixtures import moneypuck_csv

    db = tmp_path / "s.duckdb"
    assert oa("ingest", "moneypuck", str(moneypuck_csv(tmp_path / "g.csv", 2)), "--db", str(db)).returncode == 0
    p = oa("score", "--db", str(db))  # no model trained yet
    assert p.returncode == 1 and "no trained model" in " ".join(p.stdout.split())
    assert "0/?" not in p.stderr and "Scoring" not in p.stderr, p.stderr
    empty = tmp_path / "empty.duckdb"
    Store(empty).close()
    p = oa("features", "--db", str(empty))
    assert p.returncode == 1 and "has no games" in " ".join(p.stdout.split())
    assert "0/1" not in p.stderr and "Computing" not in p.stderr, p.stderr


def _commands() -> list[list[str]]:
    import typer.main

    from oa.cli import app

    group = typer.main.get_command(app)
    out = []
    for name, cmd in group.commands.items():
        subs = getattr(cmd, "commands", None)
        out += [[name, sub] for sub in subs] if subs else [[name]]
    return out


def test_help_shows_no_type_for_flags():
    """Flags take no value: `--json`, `--help`, `--markdown`... must not show `<bool>` as if they did.
    Every command's help in-process, and two in real processes."""
    commands = [[]] + _commands()
    assert len(commands) > 15
    for c in commands:
        r = runner.invoke(app, [*c, "--help"], terminal_width=100)
        assert r.exit_code == 0, (c, r.output)
        assert "--help" in r.output and "<bool>" not in r.output, (c, r.output)
    for c in (["ingest"], ["bench", "app"]):
        out = oa(*c, "--help").stdout
        assert "--json" in out and "<bool>" not in out, out
    assert "<int range>" in runner.invoke(app, ["demo", "--help"]).output, "options that take a value still show it"
