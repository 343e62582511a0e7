"""`python -m oa live` end to end in-process: games stream, every shot is rated and published."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from oa.cli import app
from oa.live.feed import feed, pick_games
from oa.live.messages import ShotTag
from oa.live.publish import read_live

runner = CliRunner()


def test_live_in_process_rates_every_shot_and_prints_them(model_store, tmp_path):
    out = tmp_path / "live"
    r = runner.invoke(app, ["live", "--db", str(model_store), "--games", "2", "--speed", "0", "--until", "600",
                            "--out", str(out)])
    assert r.exit_code == 0, r.output
    summary = json.loads(r.output.strip().splitlines()[-1])        # the last line is the JSON summary
    expected = {int(m.shot["shot_id"]) for _, m in feed(model_store, pick_games(model_store, 2), 600.0)
                if isinstance(m, ShotTag)}
    assert summary["shots"] == len(expected) > 5 and summary["games_ended"] == 2 and summary["errors"] == 0
    assert set(read_live(out)["shot_id"]) == expected
    assert "%" in r.output and "pts" in r.output          # one line per shot: chance and top factors


def test_live_roles_need_a_broker(model_store):
    r = runner.invoke(app, ["live", "--db", str(model_store), "--role", "scorer"])
    assert r.exit_code != 0 and "--broker" in r.output


def test_live_without_a_redis_server_is_a_clear_error(model_store, tmp_path):
    r = runner.invoke(app, ["live", "--db", str(model_store), "--role", "feed", "--broker", "redis://127.0.0.1:1",
                            "--games", "1"])
    assert r.exit_code == 1 and "cannot reach Redis" in r.output
