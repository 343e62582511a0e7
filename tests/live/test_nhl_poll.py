"""Tonight's NHL games live: real games from ../shared played over loopback HTTP, polled, rated, published.

The feed server (`oa.bench.nhl_feed_server`) grows the play lists of two real games at 60x,
revises plays (a shot that becomes a goal, corrected coordinates, a corrected shooter,
plays swapped, a phantom play later deleted) and fails on purpose (429 with Retry-After,
503, a stalled response, half a body). What the Live page reads at the end must be
exactly what rating the final feed from scratch gives: every unblocked attempt once, in
its final form, the deleted one nowhere.
"""

from __future__ import annotations

import copy
import json
import signal
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from oa.bench.nhl_feed_server import GAME_FILES, PHANTOM_ID, FeedServer, Script, elapsed, load_game
from oa.live import messages as M
from oa.live.nhl_poll import GameTracker, Pacing, Retry, fetch_json, run_nhl, schedule
from oa.live.publish import Publisher, read_live, read_states
from oa.live.run import local_scorer

GAME1, GAME2 = 2023020204, 2024021015
START_AT = 2640.0  # game clock (intermissions included): early in the third period
PACING = Pacing(live_s=0.05, intermission_s=0.2, pregame_s=0.1, backoff_s=0.1, max_backoff_s=2.0, timeout_s=1.0)
FAULTS = {3: "429", 5: "stall", 7: "503", 9: "truncate"}


class Spy(Publisher):
    """A publisher that also remembers every row it wrote, in order."""

    def __init__(self, directory: Path):
        super().__init__(directory)
        self.rows: list[dict] = []
        self.lock = threading.Lock()

    def shot(self, row: dict) -> None:
        with self.lock:
            self.rows.append(dict(row))
        super().shot(row)


def reference(models_from: Path, doc: dict) -> dict[int, dict]:
    """Each shot of the final document rated from scratch (one poll of the finished game), by shot id."""
    sc = local_scorer(models_from, None)
    out = {}
    for m in GameTracker(int(doc["id"])).update(doc, time.time()):
        row = sc.handle(m)
        if row is not None:
            out[int(row["shot_id"])] = row
    return out


@pytest.fixture(scope="module")
def played(shared: Path, model_store: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Both games played live once (about 20 s), in this process."""
    out = tmp_path_factory.mktemp("live-nhl")
    scripts = {GAME1: Script(revise=True), GAME2: Script(faults=dict(FAULTS))}
    with FeedServer(shared, speed=60, start_at=START_AT, scripts=scripts) as server:
        server.stall_s = 2.5  # well beyond the client's timeout, so the stall is the one timeout even on a busy machine
        games = [g["id"] for g in schedule(server.url, server.date)]
        scorer = local_scorer(model_store, None, stale_after_s=300)
        spy = Spy(out)
        scorer.publisher = spy
        res = run_nhl(games, scorer, server.url, PACING)
        final = {gid: g.document(1e9) for gid, g in server.games.items()}
        log = list(server.log)
    return {
        "games": games,
        "res": res,
        "spy": spy,
        "out": out,
        "final": final,
        "revised": scripts[GAME1].revised,
        "log": log,
        "latency": list(scorer.stats.latency_ms),
        "ref": {gid: reference(model_store, doc) for gid, doc in final.items()},
    }


def test_schedule_lists_the_day(played: dict) -> None:
    assert sorted(played["games"]) == [GAME1, GAME2]


def test_every_attempt_rated_once_in_final_form(played: dict) -> None:
    """What the Live page reads is exactly the final feed rated from scratch: same shots, same numbers."""
    live = read_live(played["out"])
    ref = {sid: r for g in played["ref"].values() for sid, r in g.items()}
    assert live["shot_id"].is_unique
    assert set(live["shot_id"]) == set(ref)
    for r in live.to_dict("records"):
        want = ref[int(r["shot_id"])]
        for k in ("p_goal", "x", "y", "period_seconds"):
            assert r[k] == pytest.approx(want[k], abs=1e-9), (r["shot_id"], k)
        for k in ("shot_type", "team", "shooter_id", "outcome", "tier", "top_factors"):
            assert r[k] == want[k], (r["shot_id"], k)
    # the game with no revisions: every shot published exactly once, whatever the network did
    rows = [r for r in played["spy"].rows if r["game_id"] == GAME2]
    ids = [r["shot_id"] for r in rows]
    assert len(ids) == len(set(ids)) == len(played["ref"][GAME2])


def test_revised_attempts_replaced(played: dict) -> None:
    rev = played["revised"]
    rows = [r for r in played["spy"].rows if r["game_id"] == GAME1 and not r.get("withdrawn")]
    versions: dict[int, list[dict]] = {}
    for r in rows:
        versions.setdefault(int(r["shot_id"]), []).append(r)
    ref = played["ref"][GAME1]
    sid = {k: GAME1 * 10000 + rev[k] for k in ("goal", "coords", "shooter")}
    # the shot that became a goal: first a save, then replaced by the goal
    goal = versions[sid["goal"]]
    assert goal[0]["outcome"] == "SAVE" and goal[-1]["outcome"] == "GOAL"
    # corrected coordinates: re-rated at the right spot
    coords = versions[sid["coords"]]
    assert len(coords) >= 2 and coords[0]["x"] != coords[-1]["x"]
    assert coords[-1]["x"] == pytest.approx(ref[sid["coords"]]["x"])
    assert coords[-1]["p_goal"] == pytest.approx(ref[sid["coords"]]["p_goal"])
    shooter = versions[sid["shooter"]]
    assert shooter[0]["shooter_id"] != shooter[-1]["shooter_id"] == ref[sid["shooter"]]["shooter_id"]
    # no shot published twice in the same form: every re-publication changed something
    for vs in versions.values():
        for a, b in zip(vs, vs[1:]):
            same = {k: v for k, v in a.items() if k not in ("tagged_at", "published_at", "event_idx")}
            assert same != {k: v for k, v in b.items() if k not in ("tagged_at", "published_at", "event_idx")}


def test_deleted_play_withdrawn(played: dict) -> None:
    phantom = GAME1 * 10000 + PHANTOM_ID
    rows = [r for r in played["spy"].rows if r["shot_id"] == phantom]
    assert rows and rows[0].get("withdrawn") is None and rows[-1]["withdrawn"] is True
    assert phantom not in set(read_live(played["out"])["shot_id"])
    assert played["res"]["withdrawn"] == 1 and played["res"]["scorer"]["withdrawn"] == 1


def test_faults_backed_off_and_game_final(played: dict) -> None:
    res = played["res"]
    assert res["finals"] == 2
    for k in ("throttled", "server_errors", "truncated"):
        assert res[k] == 1, k
    assert res["timeouts"] >= 1  # the stalled response (a very busy machine may add one)
    sc = res["scorer"]
    assert sc["games_ended"] == 2 and sc["games_stalled"] == 0
    assert sc["errors"] == sc["malformed"] == sc["unknown_game"] == 0
    # Retry-After: 1 honoured: the next request for that game came at least a second later
    path = f"/v1/gamecenter/{GAME2}/play-by-play"
    log = [(t, s) for t, p, s in played["log"] if p == path]
    i = next(i for i, (_, s) in enumerate(log) if s == 429)
    assert log[i + 1][0] - log[i][0] >= 0.99
    states = read_states(played["out"]).set_index("game_id")
    assert set(states["game_state"]) == {"OFF"}
    assert states.loc[GAME1, ["away_score", "home_score"]].tolist() == [2, 3]
    assert (played["out"] / "games" / f"{GAME1}.parquet").exists()  # merged when final


def test_poll_to_published_latency(played: dict) -> None:
    """Measured from the poll that first returned a play to its published row (the bench reports it)."""
    lat = np.asarray(played["latency"])
    backlog = [r for r in played["spy"].rows if not r.get("withdrawn") and not r["tagged_at"]]
    # every rating is timed but the backlog of the first poll (the games were joined in the third period)
    assert len(lat) == len(played["spy"].rows) - 1 - len(backlog) > 30
    p50, p99 = np.percentile(lat, [50, 99])
    print(f"\npoll-to-published latency: p50 {p50:.1f} ms, p99 {p99:.1f} ms over {len(lat)} ratings")
    assert p50 < 250  # loose on a shared machine; target p99 <= 100 ms is measured by `oa bench live-nhl`


# -- units: no server ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def doc(shared: Path) -> dict:
    return load_game(shared / GAME_FILES[0])


def _kinds(msgs: list) -> list[str]:
    return [M.KINDS[type(m)] for m in msgs]


def test_tracker_sends_only_what_changed(doc: dict) -> None:
    t = GameTracker(GAME1)
    first = t.update(doc, 1.0)
    assert _kinds(first)[0] == "start" and _kinds(first)[-1] == "end"
    assert sum(k == "shot" for k in _kinds(first)) == 91  # the unblocked attempts (MoneyPuck has 91)
    for m in first:  # every message survives the wire and its checks
        back = M.decode(M.encode(m))
        {M.GameStart: M.check_start, M.GameState: M.check_state, M.Withdraw: M.check_withdraw}.get(
            type(back), lambda _: None
        )(back)
    again = GameTracker(GAME1)
    again.update(doc, 1.0)
    assert _kinds(again.update(doc, 2.0)) == ["end"]  # nothing new but the final state

    t = GameTracker(GAME1)
    t.update({**doc, "gameState": "LIVE"}, 1.0)
    d2 = copy.deepcopy({**doc, "gameState": "LIVE"})
    shots = sorted((p for p in d2["plays"] if p["typeDescKey"] in ("shot-on-goal", "missed-shot")), key=elapsed)
    shots[-1]["details"]["xCoord"] = 40  # the game's last shot corrected: only it is re-rated
    msgs = t.update(d2, 2.0)
    tags = [m for m in msgs if isinstance(m, M.ShotTag)]
    assert [m.shot["shot_id"] for m in tags] == [GAME1 * 10000 + shots[-1]["eventId"]]
    d3 = copy.deepcopy(d2)
    d3["plays"] = [p for p in d3["plays"] if p["eventId"] != shots[-1]["eventId"]]
    w = [m for m in t.update(d3, 3.0) if isinstance(m, M.Withdraw)]
    assert len(w) == 1 and w[0].shot_ids == [GAME1 * 10000 + shots[-1]["eventId"]] and len(w[0].event_idx) == 1


def test_state_and_withdraw_messages_checked() -> None:
    good = {"game_state": "LIVE", "home_team": "BUF", "away_team": "MIN", "home_score": 1, "period": 2}
    M.check_state(M.GameState(1, good))
    for bad in ({**good, "home_score": "1"}, {**good, "colour": "red"}, {**good, "game_state": None}):
        with pytest.raises(M.MessageError):
            M.check_state(M.GameState(1, bad))
    with pytest.raises(M.MessageError):
        M.check_withdraw(M.Withdraw(1, [-1], []))
    with pytest.raises(M.MessageError):
        M.decode({"k": "withdraw", "g": "1", "b": json.dumps({"e": "x", "s": []})})


def test_withdrawn_shot_hidden_after_merge(tmp_path: Path) -> None:
    pub = Publisher(tmp_path)
    for sid in (11, 12):
        pub.shot({"shot_id": sid, "game_id": 1, "p_goal": 0.1, "team": "BUF"})
    pub.withdraw(1, 12)
    assert read_live(tmp_path)["shot_id"].tolist() == [11]
    pub.close_game(1)
    assert read_live(tmp_path)["shot_id"].tolist() == [11]


def test_pacing_follows_the_game() -> None:
    p = Pacing(live_s=5, intermission_s=30, pregame_s=60)
    assert p.interval({"gameState": "LIVE", "clock": {"inIntermission": False}}) == 5
    assert p.interval({"gameState": "LIVE", "clock": {"inIntermission": True}}) == 30
    assert p.interval({"gameState": "PRE"}) == 60
    assert p.scaled(0.1).live_s == pytest.approx(0.5)


def test_fetch_retry_after(shared: Path) -> None:
    with FeedServer(shared, start_at=-600, scripts={GAME1: Script(faults={1: "429", 2: "truncate"})}) as s:
        url = f"{s.url}/v1/gamecenter/{GAME1}/play-by-play"
        with pytest.raises(Retry) as e:
            fetch_json(url, 2.0)
        assert e.value.reason == "throttled" and e.value.wait == 1.0
        with pytest.raises(Retry) as e:
            fetch_json(url, 2.0)
        assert e.value.reason == "truncated"
        assert fetch_json(url, 2.0)["gameState"] == "PRE"


# -- Redis: pollers publish to streams, a scorer of the consumer group rates ------------------------


def test_redis_pollers_and_scorer(shared: Path, model_store: Path, redis_url: str, tmp_path: Path) -> None:
    from oa.live.nhl_poll import run_nhl_redis
    from oa.live.redis_broker import connect, drained
    from oa.live.run import run_redis_scorer

    prefix = f"oa-nhl-test-{time.time_ns()}"
    with FeedServer(shared, speed=120, start_at=3300.0, games=GAME_FILES[1:]) as server:
        done: dict = {}
        t = threading.Thread(
            target=lambda: done.update(run_nhl_redis([GAME2], redis_url, prefix, server.url, PACING)), daemon=True
        )
        t.start()
        r = connect(redis_url)
        handlers = [signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)]
        res = run_redis_scorer(
            model_store,
            redis_url,
            prefix,
            "s1",
            tmp_path,
            until=lambda: not t.is_alive() and drained(r, prefix, 1),
            stale_after_s=300,
        )
        final = server.games[GAME2].document(1e9)
    # the scorer's graceful stop was this process's only while it ran (a handler left behind once hung a later
    # test's process pool: its forked workers inherited it)
    assert [signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)] == handlers
    assert done["finals"] == 1 and res["games_ended"] == 1 and res["errors"] == 0
    live = read_live(tmp_path)
    ref = reference(model_store, final)
    assert live["shot_id"].is_unique and set(live["shot_id"]) == set(ref)
    got = dict(zip(live["shot_id"], live["p_goal"]))
    assert all(got[s] == pytest.approx(r["p_goal"], abs=1e-9) for s, r in ref.items())


def test_cli_live_nhl(shared: Path, model_store: Path, tmp_path: Path) -> None:
    """`oa live nhl` end to end: the day's schedule, one game to its end, ratings where --out says."""
    from typer.testing import CliRunner

    from oa.cli import app

    with FeedServer(shared, speed=600, start_at=3700.0, games=GAME_FILES[1:]) as s:
        args = ["live", "nhl", "--date", s.date, "--db", str(model_store), "--out", str(tmp_path)]
        r = CliRunner().invoke(app, [*args, "--base-url", s.url, "--interval", "0.05", "--quiet"])
    assert r.exit_code == 0, r.output
    assert f"{GAME2}  PIT @ MIN" in r.output
    res = json.loads(r.output.strip().splitlines()[-1])
    assert res["finals"] == 1 and res["scorer"]["games_ended"] == 1
    assert len(read_live(tmp_path)) == res["scorer"]["shots"] > 0


def test_bad_plays_are_counted_and_the_game_goes_on(doc: dict) -> None:
    """A play without coordinates, an unknown event type, a field of the wrong type: named and counted by the
    adapter, the other plays rated; a document that is not a play-by-play at all is an error the poller counts."""
    d = copy.deepcopy({**doc, "gameState": "LIVE"})
    shots = [p for p in d["plays"] if p["typeDescKey"] == "shot-on-goal"]
    del shots[0]["details"]["xCoord"]
    shots[1]["typeDescKey"] = "laser-beam"
    shots[2]["timeInPeriod"] = 7
    t = GameTracker(GAME1)
    tags = [m for m in t.update(d, 1.0) if isinstance(m, M.ShotTag)]
    assert len(tags) == 91 - 3
    assert t.report.rejected and t.report.unknown_types["laser-beam"] == 1 and t.report.missing_coords == 1
    with pytest.raises(Exception, match="play-by-play"):
        t.update({"id": GAME1, "gameState": "LIVE"}, 2.0)
