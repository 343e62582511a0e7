"""Games with long gaps between tracked sequences stay open until their end message.

The demo league streams only the tracked sequences (about 12 minutes of each game), so
a game can send nothing for minutes of game clock. The feed sends each quiet game's
clock meanwhile; a game is closed as stalled only when even that stops.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oa.cli import app
from oa.live.feed import feed, pick_games
from oa.live.messages import ShotTag
from oa.live.publish import read_live

ROOT = Path(__file__).resolve().parents[2]
SHOT_LINE = re.compile(r"^P\d \d\d:\d\d  \S+ .*\d+\.\d% (low|medium|high)\s+.+ \([+-]\d+\.\d pts\)$")


def longest_silence(store: Path, games: list[int], until_s: float) -> float:
    """The longest stretch of game clock in which one of the games sends nothing at all."""
    last: dict[int, float] = {}
    longest = 0.0
    for t, m in feed(store, games, until_s):
        if m.game_id in last:
            longest = max(longest, t - last[m.game_id])
        last[m.game_id] = t
    return longest


def expected_shots(store: Path, games: list[int], until_s: float) -> set[int]:
    return {int(m.shot["shot_id"]) for _, m in feed(store, games, until_s) if isinstance(m, ShotTag)}


def test_gaps_longer_than_stale_after_close_no_game(model_store, tmp_path):
    """At 60x a gap of 30 s of game clock is 0.5 s of wall time: longer than --stale-after here."""
    speed, stale, until = 60.0, 0.4, 300.0
    games = pick_games(model_store, 4)
    assert longest_silence(model_store, games, until) / speed > 2 * stale  # the gaps this test is about
    out = tmp_path / "live"
    r = CliRunner().invoke(
        app,
        [
            "live",
            "--db",
            str(model_store),
            "--games",
            "4",
            "--speed",
            str(speed),
            "--until",
            str(until),
            "--stale-after",
            str(stale),
            "--out",
            str(out),
            "--quiet",
        ],
    )
    assert r.exit_code == 0, r.output
    summary = json.loads(r.output.strip().splitlines()[-1])
    assert summary["games_stalled"] == 0 and summary["games_ended"] == 4, summary
    assert summary["unknown_game"] == 0 and summary["errors"] == 0, summary
    expected = expected_shots(model_store, games, until)
    assert set(read_live(out)["shot_id"]) == expected and summary["shots"] == len(expected)


@pytest.mark.slow
def test_readme_command_at_real_speed_keeps_every_game_open(model_store, tmp_path):
    """`python -m oa live --games 4` at real time for two minutes of game clock, output to a file.

    The default --stale-after is 60 s, and in these games one is silent for over 60 s of
    game clock within the first two minutes: before the feed sent clocks it was closed then.
    """
    until = 120.0
    games = pick_games(model_store, 4)
    assert longest_silence(model_store, games, until) > 60.0
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    log, err = tmp_path / "live.log", tmp_path / "live.err"
    with open(log, "w") as fo, open(err, "w") as fe:
        p = subprocess.run(
            [
                sys.executable,
                "-m",
                "oa",
                "live",
                "--games",
                "4",
                "--db",
                str(model_store),
                "--until",
                str(until),
                "--out",
                str(tmp_path / "live"),
            ],
            cwd=ROOT,
            stdout=fo,
            stderr=fe,
            env=env,
            timeout=until + 120,
        )
    assert p.returncode == 0, err.read_text()[-2000:]
    assert "sent nothing" not in err.read_text(), err.read_text()[-2000:]
    lines = log.read_text().splitlines()
    summary = json.loads(lines[-1])
    assert summary["games_stalled"] == 0 and summary["games_ended"] == 4 and summary["unknown_game"] == 0, summary
    assert summary["seconds"] >= until * 0.95  # it really ran at real time
    expected = expected_shots(model_store, games, until)
    assert summary["shots"] == len(expected) and set(read_live(tmp_path / "live")["shot_id"]) == expected
    shots = lines[1:-1]
    assert len(shots) == len(expected) and all(SHOT_LINE.match(s) for s in shots), shots[:3]
