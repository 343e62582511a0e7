"""`python -m oa nhl sync` against a real HTTP server on loopback serving the real NHL files, re-dated.

The server (oa/bench/nhl_feed_server.py NhlServer, via tests/nhl_server.py) makes a schedule of six completed games over four days
(copies of 2023020204 with shift charts, and of 2024021015 without) and one not yet played.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oa.cli import app
from oa.sources.download import NhlClient
from oa.store import Store
from oa.sync import SyncError, season_code, sync
from tests.nhl_server import NhlServer, game_ids

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
GAMES = game_ids()[:6]  # completed; the seventh is not played yet
FINAL_GAME = GAMES[5]  # FINAL, not yet official


@pytest.fixture()
def server(shared):
    with NhlServer(shared) as srv:
        yield srv


def client(srv: NhlServer, cache: Path, **kw) -> NhlClient:
    kw.setdefault("rate", 200)
    kw.setdefault("backoff", 0.01)
    return NhlClient(cache, base_url=srv.url, stats_url=srv.url, **kw)


def run(srv: NhlServer, tmp: Path, **kw) -> object:
    return sync(tmp / "nhl.duckdb", "2025-26", client(srv, tmp / "cache", **kw.pop("client", {})), **kw)


def cli(srv: NhlServer, tmp: Path, *extra: str):
    args = ["nhl", "sync", "--season", "2025-26", "--db", str(tmp / "nhl.duckdb"), "--cache", str(tmp / "cache")]
    return runner.invoke(app, args + ["--base-url", srv.url, "--rate", "50", *extra])


def register_model(db: Path, model_store: Path) -> str:
    """Make the demo league's play-by-play model the sync store's active model (it needs only pbp factors)."""
    from oa.model.artifact import load_model, resolve_path
    from oa.model.train import register

    with Store(model_store, read_only=True) as s:
        row = s.query("SELECT path FROM models WHERE active AND feature_set = 'pbp'")
        path = resolve_path(s, row["path"].iloc[0]).resolve()
    model = load_model(path)
    with Store(db) as s:
        register(s, model, path)
    return model.model_id


def test_first_run_stores_every_completed_game_with_shifts_rosters_and_progress(server, tmp_path):
    progress = tmp_path / "progress.jsonl"
    r = cli(server, tmp_path, "--progress-file", str(progress), "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output.strip().splitlines()[-1])
    assert (out["scheduled"], out["new"], out["failed"]) == (6, 6, 0), "the game not yet played is not fetched"
    assert out["requests_by_kind"]["play-by-play"] == 6 and out["shifts_games"] == 3
    assert "no model" in out["note"], "a store without a model says so"
    with Store(tmp_path / "nhl.duckdb", read_only=True) as s:
        assert s.game_ids() == GAMES
        assert s.query("SELECT DISTINCT status FROM nhl_sync")["status"].tolist() == ["done"]
        assert s.query("SELECT count(*) n FROM shot_features")["n"].iloc[0] == s.counts()["shots"]
        # shift charts give every attempt of the three games that have them its players on the ice ...
        n = s.query(
            "SELECT count(DISTINCT s.shot_id) n, count(DISTINCT o.shot_id) k FROM shots s "
            "LEFT JOIN shot_on_ice o USING (shot_id) WHERE s.game_id IN (SELECT game_id FROM shifts)"
        )
        assert n["n"].iloc[0] == n["k"].iloc[0] > 100
        # ... and their skater counts agree with the feed's situation code on every one of them
        agree = s.query(
            "SELECT avg(CASE WHEN f = skaters_for AND a = skaters_against THEN 1 ELSE 0 END) ok FROM ("
            "SELECT s.shot_id, any_value(s.skaters_for) skaters_for, any_value(s.skaters_against) skaters_against, "
            "sum(CASE WHEN o.shooting AND NOT o.goalie THEN 1 ELSE 0 END) f, "
            "sum(CASE WHEN NOT o.shooting AND NOT o.goalie THEN 1 ELSE 0 END) a "
            "FROM shots s JOIN shot_on_ice o USING (shot_id) GROUP BY s.shot_id)"
        )
        assert agree["ok"].iloc[0] == 1.0
        toi = s.query("SELECT * FROM player_toi WHERE game_id = ?", [GAMES[0]])
        assert len(toi) == 38 and toi["seconds"].max() == 3600.0  # 36 skaters, 2 goalies (backups did not play)
        # time on ice summed from the shifts is the boxscore's, player by player
        box = server.docs["A"]["boxscore"]["playerByGameStats"]
        official = {
            p["playerId"]: int(p["toi"][:2]) * 60 + int(p["toi"][3:])
            for side in box.values()
            for group in side.values()
            for p in group
            if p["toi"] != "00:00"
        }
        assert dict(zip(toi["player_id"], toi["seconds"])) == official
        # and the toi table has it too (all situations), with five-on-five from the same shifts
        by = s.query("SELECT player_id, situation, seconds, method FROM toi WHERE game_id = ?", [GAMES[0]])
        assert set(by["method"]) == {"shifts"} and len(by) == 2 * 38
        alls = by[by["situation"] == "all"]
        assert dict(zip(alls["player_id"], alls["seconds"])) == official
        assert by[by["situation"] == "5v5"]["seconds"].max() == 2614.0  # the goalies: 43:34 at five-on-five
        hands = s.query("SELECT count(*) n, count(shoots) h, count(height_in) t FROM players")
        assert hands["n"].iloc[0] == hands["h"].iloc[0] == hands["t"].iloc[0] > 0, "rosters give hands and heights"
        assert s.query("SELECT status FROM runs")["status"].tolist() == ["done"]
        assert s.meta()["sync_season"] == "2025-26"
    lines = [json.loads(x) for x in progress.read_text().splitlines()]
    assert all({"stage", "done", "total"} <= set(x) for x in lines)
    assert {"schedule", "download", "factors"} <= {x["stage"] for x in lines}
    assert lines[-1]["stage"] == "done" and "6 new" in lines[-1]["message"]


def test_second_run_fetches_no_play_by_play(server, tmp_path):
    run(server, tmp_path)
    before = len(server.hits)
    r = run(server, tmp_path)
    new = server.hits[before:]
    assert not [h for h in new if "gamecenter" in h or "shiftcharts" in h or "roster" in h], new
    # settled past weeks come from the cache: only the week with a game not yet official is asked again
    assert len(new) == r.requests == 1 and "schedule" in new[0]
    assert (len(r.new), len(r.changed), r.unchanged, len(r.failed)) == (0, 0, 6, 0)


def test_changed_game_is_fetched_again_and_only_it_rescored(server, tmp_path, model_store):
    model = register_model(tmp_path / "nhl.duckdb", model_store)
    first = run(server, tmp_path)
    assert sorted(first.scored_games) == GAMES and first.model == model
    with Store(tmp_path / "nhl.duckdb", read_only=True) as s:
        p_before = s.query("SELECT shot_id, p_goal FROM shot_scores ORDER BY shot_id")

    def move_a_shot(doc):
        shot = next(p for p in doc["plays"] if p["typeDescKey"] == "shot-on-goal" and "xCoord" in p["details"])
        shot["details"]["xCoord"] = 80 if shot["details"]["xCoord"] > 0 else -80
        shot["details"]["yCoord"] = 0

    server.state[FINAL_GAME] = "OFF"  # the game became official, with a corrected play
    server.edit[FINAL_GAME] = move_a_shot
    before = len(server.hits)
    r = run(server, tmp_path)
    pbp = [h for h in server.hits[before:] if "play-by-play" in h]
    assert pbp == [f"/v1/gamecenter/{FINAL_GAME}/play-by-play"]
    assert r.changed == [FINAL_GAME] and r.scored_games == [FINAL_GAME] and r.unchanged == 5
    with Store(tmp_path / "nhl.duckdb", read_only=True) as s:
        after = s.query("SELECT shot_id, p_goal FROM shot_scores ORDER BY shot_id")
        assert s.query("SELECT game_state FROM nhl_sync WHERE game_id = ?", [FINAL_GAME])["game_state"].iloc[0] == "OFF"
    moved = after.merge(p_before, on="shot_id", suffixes=("", "_0"))
    differ = moved[moved["p_goal"] != moved["p_goal_0"]]["shot_id"] // 10000
    assert len(differ) >= 1 and set(differ) == {FINAL_GAME}
    assert len(after) == len(p_before)


def test_state_change_without_new_content_is_unchanged(server, tmp_path):
    run(server, tmp_path)
    server.state[FINAL_GAME] = "OFF"
    before = len(server.hits)
    r = run(server, tmp_path)
    assert server.hits[before:].count(f"/v1/gamecenter/{FINAL_GAME}/play-by-play") == 1  # asked; 304 or same body
    assert r.changed == [] and r.unchanged == 6 and r.scored_games == []
    again = run(server, tmp_path)  # now official and recorded as such: not asked again
    assert again.requests_by_kind.get("play-by-play", 0) == 0


def test_interrupted_run_resumes_without_fetching_what_it_stored(server, tmp_path, monkeypatch):
    import oa.sync

    real = oa.sync.build_features
    calls = []

    def killed_after_first_batch(*a, **kw):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # as if the process were stopped here
        return real(*a, **kw)

    monkeypatch.setattr(oa.sync, "build_features", killed_after_first_batch)
    with pytest.raises(KeyboardInterrupt):
        run(server, tmp_path, batch=2)
    monkeypatch.setattr(oa.sync, "build_features", real)
    with Store(tmp_path / "nhl.duckdb", read_only=True) as s:
        status = s.query("SELECT game_id, status FROM nhl_sync ORDER BY game_id")
        assert status["status"].tolist() == ["done", "done", "stored", "stored"]
        assert len(s.unfinished_runs()) == 1
    before = len(server.hits)
    r = run(server, tmp_path, batch=2)
    pbp = sorted(h for h in server.hits[before:] if "play-by-play" in h)
    assert pbp == [f"/v1/gamecenter/{g}/play-by-play" for g in GAMES[4:]], "only the games it had not stored"
    assert r.finished == GAMES[2:4] and sorted(r.new) == GAMES[4:] and r.unchanged == 2
    with Store(tmp_path / "nhl.duckdb", read_only=True) as s:
        assert set(s.query("SELECT status FROM nhl_sync")["status"]) == {"done"}
        assert len(s.unfinished_runs()) == 0
        assert s.query("SELECT count(DISTINCT game_id) n FROM shot_features")["n"].iloc[0] == 6


def test_killed_process_is_resumed_by_the_same_command(server, tmp_path):
    db, progress = tmp_path / "nhl.duckdb", tmp_path / "p.jsonl"
    args = ["--season", "2025-26", "--db", str(db), "--cache", str(tmp_path / "cache"), "--base-url", server.url]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "oa", "nhl", "sync", *args, "--rate", "4", "--progress-file", str(progress)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        lines = progress.read_text().splitlines() if progress.exists() else []
        if any(json.loads(x)["stage"] == "download" and json.loads(x)["done"] >= 2 for x in lines):
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with Store(db, read_only=True) as s:
        assert s.query("SELECT status FROM runs")["status"].tolist() == ["running"], "a kill leaves the mark"
        stored = len(s.query("SELECT * FROM nhl_sync WHERE status <> 'failed'"))
    assert 2 <= stored < 6
    before = len(server.hits)
    r = cli(server, tmp_path, "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output.strip().splitlines()[-1])
    assert out["requests_by_kind"]["play-by-play"] == 6 - stored
    assert server.hits[before:].count(f"/v1/gamecenter/{GAMES[0]}/play-by-play") == 0
    with Store(db, read_only=True) as s:
        assert s.game_ids() == GAMES and len(s.unfinished_runs()) == 0


def test_429_with_retry_after_is_honoured(server, tmp_path):
    path = f"/v1/gamecenter/{GAMES[0]}/play-by-play"
    server.faults[path] = [(429, {"Retry-After": "1"})]
    waits: list[float] = []
    r = run(server, tmp_path, client={"sleep": waits.append})
    assert 1.0 in waits and server.hits.count(path) == 2
    assert GAMES[0] in r.new and not r.failed


def test_503_then_success(server, tmp_path):
    path = f"/stats/rest/en/shiftcharts?cayenneExp=gameId={GAMES[0]}"
    server.faults[path] = [(503, {}), (503, {})]
    r = run(server, tmp_path)
    assert server.hits.count(path) == 3 and r.shifts_games == 3 and not r.failed


def test_truncated_body_is_fetched_again_or_named(server, tmp_path):
    cut = f"/v1/gamecenter/{GAMES[1]}/play-by-play"
    server.faults[cut] = ["truncate"]
    never = f"/v1/gamecenter/{GAMES[2]}/play-by-play"
    server.faults[never] = ["truncate"] * 3
    r = run(server, tmp_path, client={"retries": 2})
    assert server.hits.count(cut) == 2 and GAMES[1] in r.new, "a body cut short is asked for again"
    assert list(r.failed) == [GAMES[2]] and "failed after 3 attempts" in r.failed[GAMES[2]]
    assert sorted(r.new) == [g for g in GAMES if g != GAMES[2]], "the other games go on"
    again = run(server, tmp_path)  # the failed game is tried again next run
    assert again.new == [GAMES[2]] or again.changed == [GAMES[2]]
    assert not again.failed


def test_bad_input_is_counted_named_and_loses_nothing(server, tmp_path):
    def odd_plays(doc):
        plays = doc["plays"]
        plays[3]["typeDescKey"] = "laser-show"  # an unknown event type
        shot = next(p for p in plays if p["typeDescKey"] == "missed-shot")
        del shot["details"]["xCoord"], shot["details"]["yCoord"]  # a play without coordinates
        other = next(p for p in plays if p["typeDescKey"] == "shot-on-goal")
        other["details"]["xCoord"] = {"value": other["details"]["xCoord"]}  # a type change

    def renamed(doc):
        doc["playList"] = doc.pop("plays")  # a renamed key

    server.edit[GAMES[0]] = odd_plays
    server.edit[GAMES[1]] = renamed
    r = run(server, tmp_path)
    assert list(r.failed) == [GAMES[1]] and "plays" in r.failed[GAMES[1]]
    ing = r.ingest.as_dict()
    assert ing["unknown_event_types"] == {"laser-show": 1}
    assert ing["attempts_without_coordinates"] >= 1
    assert any("xCoord" in reason for reason in ing["rejected"]), ing["rejected"]
    assert sorted(r.new) == [g for g in GAMES if g != GAMES[1]]
    with Store(tmp_path / "nhl.duckdb", read_only=True) as s:
        kept = s.game_counts(GAMES[2])

    def half_written(doc):
        doc["plays"] = doc["plays"][: len(doc["plays"]) // 2]

    server.edit[GAMES[2]] = half_written  # served again half-written: the stored copy must not shrink
    r = run(server, tmp_path, since=dt.date(2025, 10, 8))
    assert GAMES[2] in r.failed and "smaller" in r.failed[GAMES[2]]
    with Store(tmp_path / "nhl.duckdb", read_only=True) as s:
        assert s.game_counts(GAMES[2]) == kept


def test_bad_arguments(tmp_path):
    r = runner.invoke(app, ["nhl", "sync", "--season", "2025", "--db", str(tmp_path / "x.duckdb")])
    assert r.exit_code == 2 and "2025-26" in r.output
    r = runner.invoke(
        app, ["nhl", "sync", "--season", "2025-26", "--since", "soon", "--db", str(tmp_path / "x.duckdb")]
    )
    assert r.exit_code == 2 and "2025-11-01" in r.output
    assert not (tmp_path / "x.duckdb").exists()
    with pytest.raises(SyncError):
        season_code("2025-27")
    assert season_code("1999-00") == 19992000


def test_the_api_root_is_oa_nhl_api_for_sync_ingest_and_live(server, tmp_path, monkeypatch):
    """$OA_NHL_API (oa.settings) is every NHL command's default root, the stats host's too (a mirror serves both)."""
    monkeypatch.setenv("OA_NHL_API", server.url)
    monkeypatch.delenv("OA_NHL_STATS_API", raising=False)
    args = ["nhl", "sync", "--season", "2025-26", "--db", str(tmp_path / "nhl.duckdb"), "--cache", str(tmp_path / "c")]
    r = runner.invoke(app, [*args, "--rate", "50", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output.strip().splitlines()[-1])
    assert (out["new"], out["shifts_games"]) == (6, 3)
    assert server.count("play-by-play") == 6 and server.count("shiftcharts") == 6
    one = ["ingest", "nhl", "--game", str(GAMES[0]), "--db", str(tmp_path / "one.duckdb"), "--no-features"]
    r = runner.invoke(app, [*one, "--cache", str(tmp_path / "c1"), "--rate", "20"])
    assert r.exit_code == 0, r.output
    assert server.count(f"/v1/gamecenter/{GAMES[0]}/play-by-play") == 2
    monkeypatch.setenv("OA_NHL_API", "ftp://example.invalid/<b>")
    for cmd in (args, one, ["live", "nhl", "--date", "2025-10-07"]):
        r = runner.invoke(app, cmd)
        assert r.exit_code == 2 and "$OA_NHL_API must be an http(s) URL" in r.output, r.output
        assert "Traceback" not in r.output


def test_progress_file_ends_with_failed_and_the_reason(server, tmp_path):
    server.faults["/v1/schedule/2025-09-15"] = [(404, {})]
    progress = tmp_path / "p.jsonl"
    r = cli(server, tmp_path, "--progress-file", str(progress))
    assert r.exit_code == 1 and "HTTP 404" in r.output
    last = json.loads(progress.read_text().splitlines()[-1])
    assert last["stage"] == "failed" and "HTTP 404" in last["message"]
    with Store(tmp_path / "nhl.duckdb", read_only=True) as s:
        assert s.query("SELECT status FROM runs")["status"].tolist() == ["failed"]


def test_games_without_shift_charts_are_asked_for_them_again_for_a_few_days(server, tmp_path):
    today = dt.date(2025, 10, 10)
    run(server, tmp_path, today=today)
    before = len(server.hits)
    r = run(server, tmp_path, today=today)
    new = server.hits[before:]
    assert not [h for h in new if "play-by-play" in h], "the plays come from the cache"
    asked = sorted(int(h.rsplit("=", 1)[1]) for h in new if "shiftcharts" in h)
    assert asked == [GAMES[1], GAMES[3], GAMES[5]]  # the copies of 2024021015, which has none
    assert r.unchanged == 6 and not r.changed
    later = run(server, tmp_path, today=today + dt.timedelta(days=30))
    assert later.requests_by_kind.get("shiftcharts", 0) == 0
