"""The scoring API (`python -m oa serve`): one shot's context in, its rating and factors out.

`POST /score` takes one shot: its play-by-play fields (the `shots` row a live shot tag
carries), optionally the period's earlier events and the shooter's hand / goalie's
height, and for a tracked shot the game's teams and frame rate, the roster and the
window of tracking records that ends at the release frame. The answer is what the live
scorer publishes: p(goal), tier and the five strongest factors.

There is no second implementation of the factors: a request becomes the live scorer's
messages (`GameStart`, `Frames`, `Event`), fed to a fresh `GameWindow`, and the shot is
rated by `Scorer.rate`, which runs the batch factor code (`shot_factor_arrays`) and
`score_batch`. A tracking request built from a stored shot therefore gets exactly the
stored `shot_scores.p_goal` (tested over HTTP).

Validation: field errors (unknown field, wrong type, coordinates off the rink, unknown
shot type ...) are FastAPI's 422 with the field's location; errors between fields
(frames that do not end at `release_frame`, events after the shot, a team that is not
in the game ...) are 400 in the same shape: `{"detail": [{"loc": [...], "msg": ...}]}`.
Ids are capped at the store's BIGINT (2^63 - 1), indexes, frames and goals at its INTEGER
(2^31 - 1); a string with a lone surrogate ("\\ud800", valid JSON but no text) is a 422 too,
spelled out with a backslash in the answer. No input is a 500 (fuzzed from /openapi.json).
Models are read once at start from the store, which is closed again at once; a damaged
model file stops the API at start (`ModelError` naming the file), it never serves without it.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
import pandas as pd
from fastapi import Body, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from oa.features.registry import FEATURE_SETS, PBP, TRACKING, all_factors
from oa.live.messages import (
    Event,
    Frames,
    GameStart,
    MessageError,
    check_frames,
    check_shot,
)
from oa.live.scorer import Scorer
from oa.live.window import GameWindow
from oa.model.artifact import ModelError
from oa.model.score import active_models
from oa.rink import PERIOD_S, period_start
from oa.schema import PUCK_ID, X, Y
from oa.store import Store
from oa.vocab import EVENT_TYPES, GAME_TYPES, HANDS, POSITIONS, SHOT_TYPES, TIERS, skaters_label, skaters_of

log = logging.getLogger("oa.api")

MAX_RECORDS = 20_000  # tracking records per request (5 s of 13 entities at 240 fps is ~15,700)
MAX_EVENTS = 2_000  # a whole game has ~260
MAX_ROSTER = 200
MAX_BODY = 4_000_000  # bytes; 20,000 records are about 1.4 MB of JSON
BIGINT = 2**63 - 1  # ids are the store's BIGINT columns (game_id, shot_id, player ids) ...
INTEGER = 2**31 - 1  # ... counts and indexes its INTEGER ones (event_idx, frame_idx, goals)
SHOOTER_STANDIN, GOALIE_STANDIN = -1, -2  # player ids for a hand / height given without an id (play-by-play)

Team = Annotated[str, StringConstraints(min_length=1, max_length=16)]
ShotType = Literal[SHOT_TYPES]  # type: ignore[valid-type]
EventType = Literal[EVENT_TYPES]  # type: ignore[valid-type]
Position = Literal[POSITIONS]  # type: ignore[valid-type]
Hand = Literal[HANDS]  # type: ignore[valid-type]
GameType = Literal[GAME_TYPES]  # type: ignore[valid-type]
Tier = Literal[TIERS]  # type: ignore[valid-type]


class _Strict(BaseModel):
    """Unknown fields are rejected, types are not coerced ("5" is not a number), no NaN or infinity."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class GameInfo(_Strict):
    """The game the shot belongs to. Needed for a tracking request (team codes of the frames, frame rate)."""

    home_team: Team = Field("HOME", description="home team code, as in the frames' `team`")
    away_team: Team = Field("AWAY", description="away team code")
    fps: float | None = Field(None, ge=1, le=240, description="tracking frame rate; required with `frames`")
    game_type: GameType = Field("R", description="R regular season, P playoffs (20-minute overtime), O other")


class RosterEntry(_Strict):
    """A player who may appear in the frames or as shooter/goalie (goalies are told apart from skaters by position G)."""

    player_id: int = Field(ge=1, le=BIGINT, description="player id (entity_id in the frames)")
    team: Team | None = Field(None, description="team code")
    position: Position | None = Field(None, description="C, LW, RW, D or G")
    shoots: Hand | None = Field(None, description="shooting hand")
    height_in: float | None = Field(None, ge=48, le=96, description="height in inches")


class EventIn(_Strict):
    """An earlier play-by-play event of the game (only the shot's period is used). Coordinates as recorded."""

    event_idx: int = Field(
        ge=0, le=INTEGER, description="order of the event in the game; must be below the shot's `event_idx`"
    )
    period: int = Field(ge=1, le=9)
    game_seconds: float = Field(ge=0, description="seconds since the start of the game")
    type: EventType = Field(description="event type: " + ", ".join(EVENT_TYPES))
    team: Team | None = Field(None, description="team code of the team that made the event")
    x: float | None = Field(None, ge=X["lo"], le=X["hi"], description="feet, as recorded (see `flipped`)")
    y: float | None = Field(None, ge=Y["lo"], le=Y["hi"])


class FrameRecord(_Strict):
    """One entity's position in one tracking frame."""

    frame_idx: int = Field(ge=0, le=INTEGER, description="frame number: time = frame_idx / fps")
    entity_id: int = Field(ge=0, le=BIGINT, description=f"player id, or {PUCK_ID} for the puck")
    team: Team | None = Field(None, description="the player's team code (home or away); null for the puck")
    x: float = Field(ge=X["lo"], le=X["hi"], description="feet, rink coordinates as recorded")
    y: float = Field(ge=Y["lo"], le=Y["hi"])


class ScoreRequest(_Strict):
    """One shot and what was known when it left the stick. Only `x` and `y` are required.

    Play-by-play request: the shot's fields (plus optionally `events`, `shooter_shoots`,
    `goalie_height_in` or `roster`). Tracking request: add `release_frame`, `game` (with
    `fps`), `roster` and `frames`, the records of the frames up to and including the
    release frame (the factors read the last 5 s).
    """

    shot_id: int = Field(0, ge=0, le=BIGINT, description="echoed back")
    game_id: int = Field(0, ge=0, le=BIGINT)
    event_idx: int | None = Field(
        None, ge=0, le=INTEGER, description="the shot's place in the game's events; default: after the last of `events`"
    )
    period: int = Field(1, ge=1, le=9, description="4 and up are overtime")
    period_seconds: float | None = Field(
        None, ge=0, le=PERIOD_S, description="seconds into the period; default from game_seconds, else 0"
    )
    game_seconds: float | None = Field(
        None, ge=0, description="seconds since the start of the game; default (period - 1) * 1200 + period_seconds"
    )
    team: Team | None = Field(None, description="shooting team; default the game's home or away team per `is_home`")
    opponent: Team | None = Field(None, description="defending team; default the other team")
    is_home: bool = Field(True, description="the shooting team is the home team")
    shooter_id: int | None = Field(None, ge=1, le=BIGINT)
    goalie_id: int | None = Field(
        None, ge=1, le=BIGINT, description="the goalie in net; null with an empty net or when unknown"
    )
    x: float = Field(
        ge=X["lo"], le=X["hi"], description="feet, normalised: the shooting team attacks the net at x = +89"
    )
    y: float = Field(ge=Y["lo"], le=Y["hi"], description="feet across the rink, normalised like x")
    flipped: bool = Field(
        False,
        description="the shooting team attacks -x as recorded: events and frames are rotated 180 degrees to match x, y",
    )
    shot_type: ShotType = Field("WRIST", description="one of " + ", ".join(SHOT_TYPES))
    strength: Annotated[str, StringConstraints(pattern=r"^[0-6]v[0-6]$")] | None = Field(
        None, description="skaters, shooter's side first, e.g. 5v4; default from skaters_for/against, else 5v5"
    )
    skaters_for: int | None = Field(None, ge=0, le=6, description="default from strength, else 5")
    skaters_against: int | None = Field(None, ge=0, le=6, description="default from strength, else 5")
    empty_net: bool = Field(False, description="the defending goalie was off the ice")
    score_for: int = Field(0, ge=0, le=INTEGER, description="shooting team's goals before the shot")
    score_against: int = Field(0, ge=0, le=INTEGER)
    release_frame: int | None = Field(
        None,
        ge=0,
        le=INTEGER,
        description="tracking only: first frame with the puck in flight; the last frame of `frames`",
    )
    shooter_shoots: Hand | None = Field(None, description="shorthand for the shooter's roster entry: hand")
    goalie_height_in: float | None = Field(
        None,
        ge=48,
        le=96,
        description="shorthand for the goalie's roster entry: height. If neither this nor the roster "
        "gives it and the net is not empty, the store's median goalie height is used (GET /health): the models read an "
        "unknown goalie height much like an empty net",
    )
    game: GameInfo | None = Field(None, description="the game; required with frames")
    roster: list[RosterEntry] = Field(
        default_factory=list,
        max_length=MAX_ROSTER,
        description="players (hand, height, goalies); with frames, every goalie on the ice",
    )
    events: list[EventIn] = Field(
        default_factory=list,
        max_length=MAX_EVENTS,
        description="earlier play-by-play events (the previous event and attempt of the period are factors)",
    )
    frames: list[FrameRecord] | None = Field(
        None,
        max_length=MAX_RECORDS,
        description=f"tracking records ending at release_frame, any order, at most {MAX_RECORDS:,}",
    )


class TopFactor(BaseModel):
    factor: str = Field(description="factor name (see GET /factors)")
    label: str = Field(description="the factor in words")
    value: str = Field(description="the shot's value in words")
    pp: float = Field(description="push on the probability, approximate percentage points")
    logit: float = Field(description="push in log-odds (exact: base_logit + all pushes = logit(p_goal))")


class ScoreResponse(BaseModel):
    shot_id: int
    p_goal: float = Field(description="probability that the shot is a goal")
    tier: Tier
    feature_set: Literal[FEATURE_SETS]  # type: ignore[valid-type]
    model_id: str
    base_logit: float = Field(description="the model's average log-odds")
    top_factors: list[TopFactor] = Field(description="the 5 strongest factors, by |logit|")


EXAMPLES = {
    "pbp-minimal": {"summary": "Play-by-play, minimal", "value": {"x": 78.0, "y": -6.5, "shot_type": "WRIST"}},
    "pbp": {
        "summary": "Play-by-play with context",
        "value": {
            "shot_id": 7,
            "period": 2,
            "period_seconds": 754.0,
            "team": "BOS",
            "opponent": "TOR",
            "is_home": False,
            "x": 72.0,
            "y": 9.0,
            "shot_type": "SNAP",
            "strength": "5v4",
            "score_for": 1,
            "score_against": 2,
            "shooter_shoots": "L",
            "goalie_height_in": 75.0,
            "game": {"home_team": "TOR", "away_team": "BOS"},
            "events": [
                {
                    "event_idx": 40,
                    "period": 2,
                    "game_seconds": 1951.0,
                    "type": "PASS",
                    "team": "BOS",
                    "x": -60.0,
                    "y": 20.0,
                }
            ],
        },
    },
    "tracking": {
        "summary": "Tracking (a 3-frame window; send the last 5 s)",
        "value": {
            "shot_id": 9,
            "x": 70.0,
            "y": 4.0,
            "shot_type": "WRIST",
            "shooter_id": 11,
            "goalie_id": 31,
            "release_frame": 1210,
            "game": {"home_team": "HOM", "away_team": "AWY", "fps": 30},
            "roster": [
                {"player_id": 11, "team": "HOM", "position": "C", "shoots": "L"},
                {"player_id": 31, "team": "AWY", "position": "G", "height_in": 75.0},
            ],
            "frames": [
                {"frame_idx": f, "entity_id": e, "team": t, "x": x + 0.5 * k, "y": y}
                for k, f in enumerate((1208, 1209, 1210))
                for e, t, x, y in ((0, None, 69.0, 4.0), (11, "HOM", 68.5, 5.0), (31, "AWY", 86.0, 0.5))
            ],
        },
    },
}


class RequestError(ValueError):
    """A request whose fields are each valid but do not fit together; `loc` names the field."""

    def __init__(self, loc: tuple, msg: str):
        super().__init__(msg)
        self.loc, self.msg = ("body", *loc), msg


def _text(v: object) -> object:
    """A string that UTF-8 can carry: a lone surrogate ("\\ud800", valid in JSON, not in UTF-8) is spelled out."""
    return v.encode("utf-8", "backslashreplace").decode("utf-8") if isinstance(v, str) else v


def _error(e: dict) -> dict:
    """One validation error for the answer: type, field, message, and the input only if it is a short scalar
    (never a whole echoed body; NaN is not JSON). Integers of any size are echoed (JSON has no limit);
    strings, field names included, are made encodable first."""
    out = {
        "type": e.get("type", "value_error"),
        "loc": [_text(x) for x in e.get("loc", ())],
        "msg": _text(e.get("msg", "")),
    }
    if out["loc"] == ["body"] and out["type"] == "missing":
        out["msg"] = "the body is empty: send a JSON object with at least x and y"
    v = e.get("input")
    if (
        v is None
        or isinstance(v, (bool, int))
        or (isinstance(v, float) and math.isfinite(v))
        or (isinstance(v, str) and len(v) <= 100)
    ):
        out["input"] = _text(v)
    return out


# -- request -> live messages --------------------------------------------------------
def _teams(r: ScoreRequest) -> tuple[dict, str, str]:
    """(game dict, shooting team, defending team), filling placeholders and checking they agree."""
    g = r.game
    if g is not None:
        home, away = g.home_team, g.away_team
        if home == away:
            raise RequestError(("game", "away_team"), f"home_team and away_team are both {home!r}")
        want, other = (home, away) if r.is_home else (away, home)
        side = "home" if r.is_home else "away"
        if r.team is not None and r.team != want:
            raise RequestError(
                ("team",),
                f"team {r.team!r} is not the game's {side} team {want!r} (is_home is {str(r.is_home).lower()})",
            )
        if r.opponent is not None and r.opponent != other:
            raise RequestError(
                ("opponent",),
                f"opponent {r.opponent!r} is not the game's {'away' if r.is_home else 'home'} team {other!r}",
            )
        team, opp = want, other
    else:
        team = r.team or ("HOME" if r.is_home else "AWAY")
        opp = r.opponent or ("AWAY" if r.is_home else "HOME")
        if team == opp:
            raise RequestError(("opponent",), f"team and opponent are both {team!r}")
        home, away = (team, opp) if r.is_home else (opp, team)
    game = {
        "game_id": r.game_id,
        "home_team": home,
        "away_team": away,
        "has_tracking": r.frames is not None,
        "fps": (g.fps if g is not None and g.fps is not None else 30.0),
        "game_type": g.game_type if g else "R",
    }
    return game, team, opp


def _clock(r: ScoreRequest) -> tuple[float, float]:
    start = period_start(r.period)
    if r.game_seconds is None:
        ps = r.period_seconds or 0.0
        return ps, start + ps
    if r.period_seconds is not None:
        return r.period_seconds, r.game_seconds
    ps = r.game_seconds - start
    if not 0 <= ps <= PERIOD_S:
        raise RequestError(
            ("period_seconds",),
            f"game_seconds {r.game_seconds:g} is not in period {r.period} "
            f"({start:g}-{start + PERIOD_S:g}); give period_seconds",
        )
    return ps, r.game_seconds


def _skaters(r: ScoreRequest) -> tuple[str, int, int]:
    sf, sa = r.skaters_for, r.skaters_against
    if r.strength is not None:
        a, b = skaters_of(r.strength)
        if (sf is not None and sf != a) or (sa is not None and sa != b):
            raise RequestError(
                ("strength",), f"strength {r.strength} disagrees with skaters_for/skaters_against {sf}/{sa}"
            )
        return r.strength, a, b
    sf = 5 if sf is None else sf
    sa = 5 if sa is None else sa
    return skaters_label(sf, sa), sf, sa


def _roster(
    r: ScoreRequest, team: str, opp: str, goalie_height: float | None
) -> tuple[list[dict], int | None, int | None]:
    """Roster rows (with the hand/height shorthands added) and the shooter and goalie ids to use.

    `goalie_height` is the default height of a goalie the request says nothing about.
    """
    roster = [p.model_dump() for p in r.roster]
    ids = [p["player_id"] for p in roster]
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise RequestError(("roster",), f"player_id {dup} appears more than once")
    shooter, goalie = r.shooter_id, r.goalie_id
    if r.empty_net and goalie is not None:
        raise RequestError(("goalie_id",), "empty_net is true but a goalie_id is given")
    if r.shooter_shoots is not None:
        if shooter in ids:
            raise RequestError(("shooter_shoots",), f"shooter {shooter} is in the roster; give the hand there (shoots)")
        shooter = SHOOTER_STANDIN if shooter is None else shooter
        roster.append(
            {"player_id": shooter, "team": team, "position": None, "shoots": r.shooter_shoots, "height_in": None}
        )
    height = r.goalie_height_in
    if height is not None:
        if r.empty_net:
            raise RequestError(("goalie_height_in",), "empty_net is true but a goalie height is given")
        if goalie in ids:
            raise RequestError(
                ("goalie_height_in",), f"goalie {goalie} is in the roster; give the height there (height_in)"
            )
    elif not r.empty_net and goalie not in ids:
        height = goalie_height
    if height is not None:
        goalie = GOALIE_STANDIN if goalie is None else goalie
        roster.append({"player_id": goalie, "team": opp, "position": "G", "shoots": None, "height_in": height})
    return roster, shooter, goalie


def _events(r: ScoreRequest, event_idx: int) -> list[dict]:
    evs = sorted((e.model_dump() for e in r.events), key=lambda e: e["event_idx"])
    period = 0
    for k, e in enumerate(evs):
        if k and e["event_idx"] == evs[k - 1]["event_idx"]:
            raise RequestError(("events",), f"event_idx {e['event_idx']} appears more than once")
        if e["event_idx"] >= event_idx:
            raise RequestError(
                ("events",),
                f"event {e['event_idx']} is not before the shot (event_idx {event_idx}): send only earlier events",
            )
        if e["period"] < period:
            raise RequestError(
                ("events",), f"event {e['event_idx']} is in period {e['period']} after an event of period {period}"
            )
        if e["period"] > r.period:
            raise RequestError(
                ("events",), f"event {e['event_idx']} is in period {e['period']}, after the shot's period {r.period}"
            )
        period = e["period"]
    return evs


def _frames(r: ScoreRequest, game: dict) -> list[Frames]:
    """The tracking records as one `Frames` message per frame, oldest first."""
    recs = r.frames or []
    if r.game is None or r.game.fps is None:
        raise RequestError(("game", "fps"), "a tracking request needs game with fps (and home_team, away_team)")
    if r.release_frame is None:
        raise RequestError(("release_frame",), "frames are given but release_frame is null")
    if not recs:
        raise RequestError(("frames",), "release_frame is given but frames is empty")
    n = len(recs)
    f = np.fromiter((p.frame_idx for p in recs), dtype=np.int64, count=n)
    ent = np.fromiter((p.entity_id for p in recs), dtype=np.int64, count=n)
    team = np.array([p.team for p in recs], dtype=object)
    x = np.fromiter((p.x for p in recs), dtype=float, count=n)
    y = np.fromiter((p.y for p in recs), dtype=float, count=n)
    last = int(f.max())
    if last != r.release_frame:
        raise RequestError(
            ("frames",),
            f"frames end at frame {last} but release_frame is {r.release_frame}: "
            "send the frames up to and including the release frame, none after",
        )
    puck = ent == PUCK_ID
    no_team = np.array([t is None for t in team.tolist()], dtype=bool)
    bad = np.flatnonzero(puck & ~no_team)
    if len(bad):
        raise RequestError(("frames", int(bad[0]), "team"), "the puck (entity_id 0) has no team; team must be null")
    sides = (game["home_team"], game["away_team"])
    bad = np.flatnonzero(~puck & ~np.isin(team, sides))
    if len(bad):
        raise RequestError(
            ("frames", int(bad[0]), "team"),
            f"team {team[bad[0]]!r} of entity {ent[bad[0]]} is neither {sides[0]!r} nor {sides[1]!r} (game.home_team/away_team)",
        )
    order = np.lexsort((ent, f))
    f, ent, team, x, y = f[order], ent[order], team[order], x[order], y[order]
    dup = np.flatnonzero((f[1:] == f[:-1]) & (ent[1:] == ent[:-1]))
    if len(dup):
        k = dup[0]
        raise RequestError(("frames", int(order[k + 1])), f"entity {ent[k]} appears twice in frame {f[k]}")
    cuts = np.flatnonzero(np.diff(f)) + 1
    return [
        Frames(r.game_id, int(f[a]), ent[a:b], team[a:b], x[a:b], y[a:b])
        for a, b in zip(np.r_[0, cuts].tolist(), np.r_[cuts, n].tolist())
    ]


def to_messages(
    r: ScoreRequest, goalie_height: float | None = None
) -> tuple[GameStart, list[Frames], list[Event], dict]:
    """The live messages a request stands for: game start, frames, earlier events, and the shot row.

    `goalie_height`: the height of a goalie the request says nothing about (None: unknown).
    """
    if r.release_frame is not None and r.frames is None:
        raise RequestError(
            ("frames",),
            "release_frame is given but there are no frames: a tracking request needs "
            "game, roster and frames ending at release_frame (or leave release_frame null)",
        )
    game, team, opp = _teams(r)
    period_s, game_s = _clock(r)
    strength, sf, sa = _skaters(r)
    roster, shooter, goalie = _roster(r, team, opp, goalie_height)
    event_idx = r.event_idx if r.event_idx is not None else max((e.event_idx for e in r.events), default=-1) + 1
    events = _events(r, event_idx)
    frames = _frames(r, game) if r.frames is not None else []
    shot = {
        "shot_id": r.shot_id,
        "game_id": r.game_id,
        "event_idx": event_idx,
        "period": r.period,
        "period_seconds": period_s,
        "game_seconds": game_s,
        "team": team,
        "opponent": opp,
        "is_home": r.is_home,
        "shooter_id": shooter,
        "goalie_id": goalie,
        "x": r.x,
        "y": r.y,
        "flipped": r.flipped,
        "shot_type": r.shot_type,
        "strength": strength,
        "skaters_for": sf,
        "skaters_against": sa,
        "empty_net": r.empty_net,
        "score_for": r.score_for,
        "score_against": r.score_against,
        "release_frame": r.release_frame,
    }
    try:
        check_shot(shot)  # the live scorer's own check of a shot tag
    except MessageError as e:
        raise RequestError((), str(e)) from e
    return (
        GameStart(r.game_id, game, roster),
        frames,
        [Event(r.game_id, {**e, "game_id": r.game_id}) for e in events],
        shot,
    )


def window_for(start: GameStart, frames: list[Frames], events: list[Event]) -> GameWindow:
    """A live game window that has seen these messages."""
    g = GameWindow(start)
    for m in frames:
        if not g.add_frames(m, check_frames(m)):
            raise RequestError(("frames",), f"frame {m.frame_idx} is out of order")
    for e in events:
        g.add_event(e.row)
    return g


# -- the app -------------------------------------------------------------------------
def create_app(db: str | Path) -> FastAPI:
    """The API over the active models of store `db` (read once, then the store is closed)."""
    t0 = time.perf_counter()
    with Store(db, read_only=True) as st:
        models = active_models(st)
        store_path = st.path
        h = st.query("SELECT median(height_in) FROM players WHERE position = 'G'").iloc[0, 0]
    goalie_height = None if pd.isna(h) else round(float(h), 1)
    scorer = Scorer(models, name="api")
    lock = threading.Lock()  # one model, many request threads: score one shot at a time
    loaded = round(time.perf_counter() - t0, 2)
    if PBP not in scorer.models:
        log.warning(
            "store %s has no play-by-play model: play-by-play requests get 409; train one with "
            "`python -m oa train --db %s --features pbp`",
            store_path,
            store_path,
        )
    app = FastAPI(
        title="Opportunity Analysis scoring API",
        version="1",
        max_body_size=MAX_BODY,
        description="Rate one shot: p(goal), tier (low / medium / high) and the factors behind it, "
        "from play-by-play or from tracking up to the release. Same factors and model as "
        "the batch pipeline and the live scorer.",
    )

    def _model_id(feature_set: str) -> str | None:
        try:
            return scorer.model_for(feature_set).model_id
        except ModelError:
            return None

    @app.exception_handler(ModelError)
    def _no_model(request: Request, e: ModelError) -> JSONResponse:
        return JSONResponse(status_code=409, content={"detail": [{"type": "no_model", "loc": ["body"], "msg": str(e)}]})

    @app.exception_handler(RequestError)
    def _bad_request(request: Request, e: RequestError) -> JSONResponse:
        return JSONResponse(
            status_code=400, content={"detail": [{"type": "value_error", "loc": list(e.loc), "msg": e.msg}]}
        )

    @app.exception_handler(RequestValidationError)
    def _invalid(request: Request, e: RequestValidationError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": [_error(x) for x in e.errors()[:20]]})

    @app.get("/health", summary="Models and store")
    def health() -> dict:
        return {
            "status": "ok",
            "store": str(store_path),
            "loaded_in_s": loaded,
            "models": [
                {"model_id": m.model_id, "feature_set": m.feature_set, "factors": len(m.factors)}
                for m in scorer.models.values()
            ],
            "feature_sets": sorted(scorer.models),
            "default_goalie_height_in": goalie_height,
            "scores": {"tracking requests": _model_id(TRACKING), "play-by-play requests": _model_id(PBP)},
        }

    @app.get("/factors", summary="The factor registry")
    def factors() -> list[dict]:
        return [
            {
                "name": f.name,
                "label": f.label,
                "unit": f.unit,
                "kind": f.kind,
                "group": f.group,
                "feature_sets": list(f.sets),
                "categories": list(f.categories),
                "doc": f.doc,
            }
            for f in all_factors()
        ]

    @app.post(
        "/score",
        response_model=ScoreResponse,
        summary="Rate one shot",
        responses={
            400: {"description": "fields that do not fit together; `detail[0].loc` names the field"},
            422: {"description": "a field is missing, unknown, of the wrong type or out of range"},
        },
    )
    def score(req: Annotated[ScoreRequest, Body(openapi_examples=EXAMPLES)]) -> dict:
        """Rate one shot. Tracking requests (with `frames`) use the tracking model, play-by-play requests the
        play-by-play model where the store has one."""
        start, frames, events, shot = to_messages(req, goalie_height)
        g = window_for(start, frames, events)
        with lock:
            row, _ = scorer.rate(g, shot)
        return {
            "shot_id": req.shot_id,
            "p_goal": row["p_goal"],
            "tier": row["tier"],
            "feature_set": row["feature_set"],
            "model_id": row["model_id"],
            "base_logit": row["base_logit"],
            "top_factors": json.loads(row["top_factors"]),
        }

    return app
