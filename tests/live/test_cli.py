"""`python -m oa live` end to end in-process: games stream, every shot is rated and published."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from oa.cli import app
from oa.live.feed import feed, pick_games
from oa.live.messages import ShotTag
from oa.live.publish import read_live

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]


def test_live_in_process_rates_every_shot_and_prints_them(model_store, tmp_path):
    out = tmp_path / "live"
    r = runner.invoke(
        app, ["live", "--db", str(model_store), "--games", "2", "--speed", "0", "--until", "600", "--out", str(out)]
    )
    assert r.exit_code == 0, r.output
    summary = json.loads(r.output.strip().splitlines()[-1])  # the last line is the JSON summary
    expected = {
        int(m.shot["shot_id"])
        for _, m in feed(model_store, pick_games(model_store, 2), 600.0)
        if isinstance(m, ShotTag)
    }
    assert summary["shots"] == len(expected) > 5 and summary["games_ended"] == 2 and summary["errors"] == 0
    assert set(read_live(out)["shot_id"]) == expected
    assert "%" in r.output and "pts" in r.output  # one line per shot: chance and top factors


def test_live_roles_need_a_broker(model_store):
    r = runner.invoke(app, ["live", "--db", str(model_store), "--role", "scorer"])
    assert r.exit_code != 0 and "--broker" in r.output


def test_live_without_a_redis_server_is_a_clear_error(model_store, tmp_path):
    r = runner.invoke(
        app, ["live", "--db", str(model_store), "--role", "feed", "--broker", "redis://127.0.0.1:1", "--games", "1"]
    )
    assert r.exit_code == 1 and "cannot reach Redis" in r.output


SHOT_LINE = re.compile(r"^P\d \d\d:\d\d  \S+ .*\d+\.\d% (low|medium|high)\s+.+ \([+-]\d+\.\d pts\)$")


def test_live_redirected_to_a_file_prints_one_unwrapped_line_per_shot(model_store, tmp_path):
    """Not a terminal: rich must not wrap the per-shot lines at its default 80 columns."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    log = tmp_path / "live.log"
    with open(log, "w") as f:
        p = subprocess.run(
            [
                sys.executable,
                "-m",
                "oa",
                "live",
                "--db",
                str(model_store),
                "--games",
                "2",
                "--speed",
                "0",
                "--until",
                "600",
                "--out",
                str(tmp_path / "live"),
            ],
            cwd=ROOT,
            stdout=f,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=300,
        )
    assert p.returncode == 0, p.stderr
    lines = log.read_text().splitlines()
    summary = json.loads(lines[-1])
    header, shots = lines[0], lines[1:-1]
    assert header.startswith("2 games live")
    assert len(shots) == summary["shots"] > 5
    bad = [s for s in shots if not SHOT_LINE.match(s)]
    assert not bad, bad[:3]
    assert max(map(len, shots)) > 80  # the lines are long enough that wrapping would have shown
