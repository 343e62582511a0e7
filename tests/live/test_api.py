"""The scoring API over real HTTP: `python -m oa serve` in a subprocess, requests with httpx.

A tracking request built from a stored shot (the messages `game_stream` sends before its
shot tag) must get the stored `shot_scores.p_goal`: the API runs the same factor path as
batch and the live scorer, not a second one.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from oa.features.clips import window_frames
from oa.features.registry import PBP
from oa.live.feed import game_stream
from oa.live.messages import (
    EVENT_FIELDS,
    SHOT_FIELDS,
    Event,
    Frames,
    GameStart,
    ShotTag,
)
from oa.live.redis_server import free_port
from oa.model.train import GRID, train
from oa.store import Store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def api(model_store, tmp_path_factory):
    """A copy of the test store with a play-by-play model beside its tracking model, served over HTTP."""
    d = tmp_path_factory.mktemp("api")
    db = d / model_store.name
    shutil.copy(model_store, db)
    shutil.copytree(model_store.parent / "models", d / "models")
    with Store(db) as st:
        pbp_model, _ = train(st, feature_set=PBP, grid=GRID[:1])
        st.checkpoint()
    port = free_port()
    with open(d / "serve.log", "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "oa", "serve", "--db", str(db), "--port", str(port)],
                                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
    try:
        deadline = time.time() + 60
        while True:
            assert proc.poll() is None, (d / "serve.log").read_text()
            try:
                if client.get("/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.time() < deadline, "the API did not answer /health within 60 s"
            time.sleep(0.2)
        yield {"client": client, "db": db, "pbp_model": pbp_model.model_id}
    finally:
        client.close()
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

def tracking_requests(db: Path, n: int) -> list[tuple[dict, dict]]:
    """(request, stored score) for n shots of the first game, built from the messages sent before each shot tag."""
    with Store(db, read_only=True) as st:
        game_id = int(st.query("SELECT min(game_id) FROM games WHERE has_tracking").iloc[0, 0])
        msgs = [m for _, m in game_stream(st, game_id)]
        stored = st.query("SELECT shot_id, p_goal, tier, model_id FROM shot_scores JOIN shots USING (shot_id) "
                         "WHERE shots.game_id = ?", [game_id])
    stored = stored.set_index("shot_id").to_dict("index")
    start = msgs[0]
    assert isinstance(start, GameStart)
    fps = float(start.game["fps"])
    span = window_frames(fps) + int(fps)          # what the live window keeps
    game = {k: start.game[k] for k in ("home_team", "away_team", "fps", "game_type")}
    roster = [dict(r) for r in start.roster]
    frames: list[Frames] = []
    events: list[dict] = []
    tags = [m for m in msgs if isinstance(m, ShotTag)]
    # shots spread over the game (later periods, the other team), tracked ones
    wanted = {int(t.shot["shot_id"]) for t in tags[:: max(len(tags) // n, 1)][:n]}
    out = []
    for m in msgs[1:]:
        if isinstance(m, Frames):
            frames.append(m)
        elif isinstance(m, Event):
            events.append({k: m.row[k] for k in EVENT_FIELDS})
        elif isinstance(m, ShotTag) and int(m.shot["shot_id"]) in wanted:
            shot = {k: m.shot[k] for k in SHOT_FIELDS}
            r = int(shot["release_frame"])
            recs = [{"frame_idx": f.frame_idx, "entity_id": e, "team": t, "x": x, "y": y}
                    for f in frames if r - span < f.frame_idx <= r
                    for e, t, x, y in zip(f.entity_id.tolist(), f.team.tolist(), f.x.tolist(), f.y.tolist())]
            req = {**shot, "game": game, "roster": roster, "frames": recs,
                   "events": [e for e in events if e["event_idx"] < shot["event_idx"]]}
            out.append((req, stored[int(shot["shot_id"])]))
    assert len(out) == n
    return out


@pytest.fixture(scope="module")
def tracked(api):
    return tracking_requests(api["db"], 4)


def test_health_factors_and_openapi(api):
    c = api["client"]
    h = c.get("/health").json()
    assert h["status"] == "ok" and h["store"] == str(api["db"])
    assert h["feature_sets"] == ["pbp", "tracking"]
    assert h["scores"]["play-by-play requests"] == api["pbp_model"]
    assert 60 < h["default_goalie_height_in"] < 90
    f = {r["name"]: r for r in c.get("/factors").json()}
    assert f["distance"]["unit"] == "ft" and "pbp" in f["distance"]["feature_sets"]
    assert {"name", "label", "unit", "kind", "feature_sets"} <= set(f["distance"])
    spec = c.get("/openapi.json").json()
    assert "post" in spec["paths"]["/score"]
    req = spec["components"]["schemas"]["ScoreRequest"]
    assert req["additionalProperties"] is False and req["required"] == ["x", "y"]
    assert c.get("/docs").status_code == 200


def test_play_by_play_request(api):
    c = api["client"]
    r = c.post("/score", json={"x": 78.0, "y": -6.5, "shot_type": "WRIST"})
    assert r.status_code == 200, r.text
    out = r.json()
    assert 0 < out["p_goal"] < 1 and out["tier"] in ("low", "medium", "high")
    assert out["feature_set"] == "pbp" and out["model_id"] == api["pbp_model"]
    assert len(out["top_factors"]) == 5
    assert set(out["top_factors"][0]) == {"factor", "label", "value", "pp", "logit"}
    logits = [abs(t["logit"]) for t in out["top_factors"]]
    assert logits == sorted(logits, reverse=True)
    # context changes the rating: a rebound right after a save from the same spot
    near = {"x": 84.0, "y": 2.0, "shot_type": "WRIST", "game_seconds": 100.0,
            "events": [{"event_idx": 5, "period": 1, "game_seconds": 99.2, "type": "SHOT", "team": "HOME", "x": 60.0, "y": -20.0}]}
    reb = c.post("/score", json=near).json()
    assert reb["p_goal"] != c.post("/score", json={k: v for k, v in near.items() if k != "events"}).json()["p_goal"]
    # an empty net is a better chance than the same shot at a goalie (the 40-game store has only
    # 18 empty-net shots, too few for the size of the effect to be learned: only its direction)
    en = c.post("/score", json={"x": 40.0, "y": 0.0, "empty_net": True}).json()
    assert en["p_goal"] > c.post("/score", json={"x": 40.0, "y": 0.0}).json()["p_goal"]


def test_tracking_request_gives_the_stored_score(api, tracked):
    c = api["client"]
    for req, stored in tracked:
        t0 = time.perf_counter()
        r = c.post("/score", json=req)
        ms = (time.perf_counter() - t0) * 1000
        assert r.status_code == 200, r.text
        out = r.json()
        assert out["shot_id"] == req["shot_id"] and out["feature_set"] == "tracking"
        assert out["model_id"] == stored["model_id"]
        assert abs(out["p_goal"] - stored["p_goal"]) < 1e-9, (req["shot_id"], out["p_goal"], stored["p_goal"])
        assert out["tier"] == stored["tier"]
        assert ms < 2000


def _error(r: httpx.Response, status: int) -> dict:
    assert r.status_code == status, (r.status_code, r.text)
    return r.json()["detail"][0]


def test_bad_requests_name_the_field(api):
    c = api["client"]
    ok = {"x": 70.0, "y": 0.0}
    e = _error(c.post("/score", json={**ok, "speed": 90}), 422)
    assert e["loc"] == ["body", "speed"] and "Extra inputs" in e["msg"]
    e = _error(c.post("/score", json={**ok, "x": 130.0}), 422)
    assert e["loc"] == ["body", "x"] and "100" in e["msg"]
    e = _error(c.post("/score", json={**ok, "y": -43}), 422)
    assert e["loc"] == ["body", "y"]
    e = _error(c.post("/score", json={**ok, "shot_type": "LASER"}), 422)
    assert e["loc"] == ["body", "shot_type"] and "WRIST" in e["msg"]
    e = _error(c.post("/score", content=b"", headers={"content-type": "application/json"}), 422)
    assert e["loc"] == ["body"] and "empty" in e["msg"]
    e = _error(c.post("/score", json={"y": 0.0}), 422)
    assert e["loc"] == ["body", "x"] and e["type"] == "missing"
    for field, value in (("x", "far"), ("period", "2"), ("is_home", 1), ("events", {"a": 1})):
        e = _error(c.post("/score", json={**ok, field: value}), 422)
        assert e["loc"][:2] == ["body", field], e
    e = _error(c.post("/score", content=b'{"x": NaN, "y": 0}', headers={"content-type": "application/json"}), 422)
    assert e["loc"] == ["body", "x"] and "finite" in e["msg"]
    e = _error(c.post("/score", content=b'{"x": 70', headers={"content-type": "application/json"}), 422)
    assert e["type"] == "json_invalid"
    # fields that do not fit together: 400 in the same shape
    e = _error(c.post("/score", json={**ok, "event_idx": 3, "events": [
        {"event_idx": 4, "period": 1, "game_seconds": 1.0, "type": "PASS"}]}), 400)
    assert e["loc"] == ["body", "events"] and "before the shot" in e["msg"]
    e = _error(c.post("/score", json={**ok, "team": "BOS", "game": {"home_team": "TOR", "away_team": "BOS"}}), 400)
    assert e["loc"] == ["body", "team"] and "is_home" in e["msg"]
    e = _error(c.post("/score", json={**ok, "strength": "5v4", "skaters_against": 5}), 400)
    assert e["loc"] == ["body", "strength"]
    e = _error(c.post("/score", json={**ok, "empty_net": True, "goalie_id": 31}), 400)
    assert e["loc"] == ["body", "goalie_id"]


def test_bad_tracking_requests(api, tracked):
    c = api["client"]
    req, _ = tracked[0]
    r = req["release_frame"]
    late = {**req, "release_frame": r + 10}
    e = _error(c.post("/score", json=late), 400)
    assert e["loc"] == ["body", "frames"] and e["msg"].startswith(f"frames end at frame {r} but release_frame is {r + 10}")
    after = {**req, "frames": req["frames"] + [{**req["frames"][0], "frame_idx": r + 1}]}
    assert "frames end at frame" in _error(c.post("/score", json=after), 400)["msg"]
    e = _error(c.post("/score", json={**req, "frames": None}), 400)
    assert e["loc"] == ["body", "frames"]
    e = _error(c.post("/score", json={**req, "game": {**req["game"], "fps": 0}}), 422)
    assert e["loc"] == ["body", "game", "fps"]
    e = _error(c.post("/score", json={**req, "game": {k: v for k, v in req["game"].items() if k != "fps"}}), 400)
    assert e["loc"] == ["body", "game", "fps"]
    bad = [dict(f) for f in req["frames"]]
    bad[7]["x"] = 101.0
    e = _error(c.post("/score", json={**req, "frames": bad}), 422)
    assert e["loc"] == ["body", "frames", 7, "x"]
    k = next(i for i, f in enumerate(req["frames"]) if f["entity_id"] != 0)
    bad = [dict(f) for f in req["frames"]]
    bad[k]["team"] = "XXX"
    e = _error(c.post("/score", json={**req, "frames": bad}), 400)
    assert e["loc"] == ["body", "frames", k, "team"] and "XXX" in e["msg"]
    dup = {**req, "frames": req["frames"] + [req["frames"][-1]]}
    assert "appears twice" in _error(c.post("/score", json=dup), 400)["msg"]
    big = {**req, "frames": [req["frames"][-1]] * 20_001}
    e = _error(c.post("/score", json=big), 422)
    assert e["loc"] == ["body", "frames"] and "20000" in e["msg"]


def test_play_by_play_request_without_a_play_by_play_model_is_409(model_store, tmp_path):
    """A tracking model never rates a shot without tracking (it would read it as an empty net)."""
    from fastapi.testclient import TestClient

    from oa.live.api import create_app

    db = tmp_path / model_store.name
    shutil.copy(model_store, db)
    shutil.copytree(model_store.parent / "models", tmp_path / "models")
    with Store(db) as st:
        st.con.execute("UPDATE models SET active = false WHERE feature_set = 'pbp'")
    with TestClient(create_app(db)) as c:
        assert c.get("/health").json()["scores"]["play-by-play requests"] is None
        r = c.post("/score", json={"x": 78.0, "y": -6.5})
        assert r.status_code == 409 and "train one" in r.json()["detail"][0]["msg"]
