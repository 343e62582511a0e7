"""NHL API play-by-play JSON: the current api-web gamecenter format and the legacy statsapi feed.

Accepted shapes, detected from the content:
- api-web `gamecenter/{id}/play-by-play`, plain, or wrapped as `{"metadata": ..., "data": ...}`;
- legacy statsapi `game/{id}/feed/live` (`liveData.plays.allPlays`, retired in 2023).
Notes that shape the mapping:
- api-web: `situationCode` is away goalie, away skaters, home skaters, home goalie
  ("1551"); `homeTeamDefendingSide` gives the attacking direction; a blocked shot's
  `eventOwnerTeamId` is the blocking team, so the shooting team is the shooter's team.
- legacy: `about.goals` already counts a goal on its own row; a blocked shot's `team`
  is the blocking team; skater counts are not in the feed (left unknown).
- Missing coordinates (a known gap on some events) keep the event and drop the shot.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from oa import schema
from oa.schema import GameBundle
from oa.sources.common import IngestReport, SourceError, game_bundle
from oa.sources.nhl_teams import code

SOURCE = "nhl_api"
WEB_TYPES = {"faceoff": "FACEOFF", "shot-on-goal": "SHOT", "missed-shot": "MISS", "blocked-shot": "BLOCK",
             "goal": "GOAL", "hit": "HIT", "giveaway": "GIVEAWAY", "takeaway": "TAKEAWAY", "penalty": "PENALTY",
             "stoppage": "STOPPAGE", "period-start": "PERIOD_START", "period-end": "PERIOD_END",
             "game-end": "GAME_END", "delayed-penalty": "OTHER", "shootout-complete": "OTHER", "failed-shot-attempt": "OTHER"}
LEGACY_TYPES = {"FACEOFF": "FACEOFF", "SHOT": "SHOT", "MISSED_SHOT": "MISS", "BLOCKED_SHOT": "BLOCK", "GOAL": "GOAL",
                "HIT": "HIT", "GIVEAWAY": "GIVEAWAY", "TAKEAWAY": "TAKEAWAY", "PENALTY": "PENALTY", "STOP": "STOPPAGE",
                "PERIOD_START": "PERIOD_START", "PERIOD_END": "PERIOD_END", "GAME_END": "GAME_END"}
LEGACY_SKIP = {"GAME_SCHEDULED", "PERIOD_READY", "PERIOD_OFFICIAL", "GAME_OFFICIAL", "CHALLENGE", "EMERGENCY_GOALTENDER"}
SHOT_TYPES = {"wrist": "WRIST", "snap": "SNAP", "slap": "SLAP", "backhand": "BACKHAND", "tip-in": "TIP",
              "deflected": "DEFLECTION", "wrap-around": "WRAP", "Wrist Shot": "WRIST", "Snap Shot": "SNAP",
              "Slap Shot": "SLAP", "Backhand": "BACKHAND", "Tip-In": "TIP", "Deflected": "DEFLECTION",
              "Wrap-around": "WRAP"}


def load_json(path: Path) -> dict:
    try:
        with open(path, "rb") as f:
            raw = f.read()
        doc = json.loads(raw)
    except json.JSONDecodeError as e:
        raise SourceError(path, f"is not valid JSON (truncated or damaged?): {e.msg} at line {e.lineno}, column {e.colno}") from e
    except (OSError, UnicodeDecodeError) as e:
        raise SourceError(path, f"cannot be read ({e})") from e
    if isinstance(doc, dict) and "data" in doc and "metadata" in doc:       # the {metadata, data} envelope
        doc = doc["data"]
    if not isinstance(doc, dict):
        raise SourceError(path, "is not an NHL play-by-play document (top level is not an object)")
    return doc


def read(path: str | Path, report: IngestReport) -> tuple[list[GameBundle], pd.DataFrame]:
    """(the game's bundle, its players) from one play-by-play JSON file."""
    path = Path(path)
    doc = load_json(path)
    report.files += 1
    if "liveData" in doc:
        return _legacy(path, doc, report)
    if "plays" in doc and "homeTeam" in doc:
        return _web(path, doc, report)
    raise SourceError(path, "is neither an api-web play-by-play (plays, homeTeam) nor a statsapi feed (liveData)",
                      field="plays")


def _clock(s: object) -> float:
    try:
        m, sec = str(s).split(":")
        return int(m) * 60 + int(sec)
    except (ValueError, AttributeError):
        return np.nan


def _season(s: object) -> str:
    s = str(s)
    return f"{s[:4]}-{s[-2:]}" if len(s) == 8 else s


def _web(path: Path, d: dict, report: IngestReport) -> tuple[list[GameBundle], pd.DataFrame]:
    try:
        gid = int(d["id"])
        home, away = code(d["homeTeam"]["abbrev"]), code(d["awayTeam"]["abbrev"])
        team_of_id = {d["homeTeam"]["id"]: home, d["awayTeam"]["id"]: away}
    except (KeyError, TypeError, ValueError) as e:
        raise SourceError(path, f"game header is incomplete ({e!r})", field="id/homeTeam/awayTeam") from e
    roster = d.get("rosterSpots", [])
    team_of_player = {r.get("playerId"): team_of_id.get(r.get("teamId")) for r in roster}
    rows = []
    score = {home: 0, away: 0}
    game_type = {2: "R", 3: "P"}.get(d.get("gameType"), "O")
    for i, p in enumerate(d.get("plays", [])):
        key = p.get("typeDescKey")
        typ = WEB_TYPES.get(key)
        if typ is None:
            report.unknown_types[str(key)] += 1
            typ = "OTHER"
        det = p.get("details") or {}
        pdsc = p.get("periodDescriptor") or {}
        period = pdsc.get("number")
        secs = _clock(p.get("timeInPeriod"))
        if period is None or not np.isfinite(secs):
            report.reject("event without a period or time", 1, f"{path}, play {i}, field periodDescriptor/timeInPeriod")
            continue
        sit = str(p.get("situationCode") or "")
        ag, a_sk, h_sk, hg = (int(c) for c in sit) if len(sit) == 4 and sit.isdigit() else (None,) * 4
        shooter = det.get("shootingPlayerId", det.get("scoringPlayerId"))
        owner = team_of_id.get(det.get("eventOwnerTeamId"))
        if typ == "BLOCK":          # the owner is the blocking team; the shot belongs to the shooter's team
            team = team_of_player.get(shooter) or {home: away, away: home}.get(owner)
        else:
            team = owner
        side = p.get("homeTeamDefendingSide")
        home_sign = {"right": -1.0, "left": 1.0}.get(side, np.nan)
        sign = home_sign if team == home else (-home_sign if team == away else np.nan)
        goalie = det.get("goalieInNetId")
        defending_goalie_in = (ag if team == home else hg) if ag is not None else None
        if typ in ("SHOT", "MISS", "GOAL") and goalie is None and defending_goalie_in == 1:
            report.reject("goalie id missing although the situation code says a goalie was in net (kept, goalie unknown)",
                          1, f"{path}, play {i}, field goalieInNetId")
        rows.append(dict(
            period=int(period), period_seconds=float(secs), type=typ, team=team,
            player_id=shooter if shooter is not None else det.get("playerId", det.get("winningPlayerId",
                                                                                       det.get("hittingPlayerId"))),
            player2_id=goalie if typ in ("SHOT", "MISS", "GOAL") else det.get("blockingPlayerId", det.get("losingPlayerId")),
            x=det.get("xCoord"), y=det.get("yCoord"),
            detail=SHOT_TYPES.get(det.get("shotType"), "UNKNOWN") if typ in ("SHOT", "MISS", "GOAL", "BLOCK") else det.get("descKey"),
            home_skaters=h_sk, away_skaters=a_sk, home_score=score[home], away_score=score[away],
            shooter_id=shooter, goalie_id=goalie, attack_sign=sign,
            empty_net=(goalie is None) if defending_goalie_in is None else defending_goalie_in == 0,
            # zoneCode is the event owner's view; a blocked shot's owner is the blocking team
            zone={"O": "D", "D": "O", "N": "N"}.get(det.get("zoneCode")) if typ == "BLOCK" else det.get("zoneCode"),
            shootout=pdsc.get("periodType") == "SO"))
        if typ == "GOAL" and team in score and pdsc.get("periodType") != "SO":
            score[team] += 1
    ev = _frame(rows)
    game = dict(game_id=gid, source=SOURCE, season=_season(d.get("season")), game_type=game_type,
                date=pd.Timestamp(d.get("gameDate")), home_team=home, away_team=away,
                home_score=d["homeTeam"].get("score"), away_score=d["awayTeam"].get("score"),
                periods=int(ev["period"].max()) if len(ev) else None,
                shootout=bool(ev["shootout"].any()) if len(ev) else False, has_tracking=False, fps=None)
    players = pd.DataFrame([dict(player_id=r.get("playerId"), source=SOURCE,
                                 name=f"{(r.get('firstName') or {}).get('default', '')} {(r.get('lastName') or {}).get('default', '')}".strip(),
                                 team=team_of_id.get(r.get("teamId")), position=_pos(r.get("positionCode")),
                                 shoots=None, height_in=None, number=r.get("sweaterNumber")) for r in roster],
                           columns=schema.PLAYERS.column_names)
    return [game_bundle(SOURCE, game, ev, report)], players.dropna(subset=["player_id"])


def _pos(p: object) -> object:
    return {"L": "LW", "R": "RW", "C": "C", "D": "D", "G": "G", "LW": "LW", "RW": "RW"}.get(p) if p else None


def _height(h: object) -> float:
    try:
        ft, inch = str(h).replace('"', "").split("'")
        return float(int(ft) * 12 + int(inch.strip()))
    except (ValueError, AttributeError):
        return np.nan


def _legacy(path: Path, d: dict, report: IngestReport) -> tuple[list[GameBundle], pd.DataFrame]:
    try:
        gd = d["gameData"]
        gid = int(gd["game"]["pk"])
        home, away = code(gd["teams"]["home"]["triCode"]), code(gd["teams"]["away"]["triCode"])
        plays = d["liveData"]["plays"]["allPlays"]
    except (KeyError, TypeError, ValueError) as e:
        raise SourceError(path, f"statsapi feed is incomplete ({e!r})", field="gameData/liveData") from e
    game_type = {"R": "R", "P": "P"}.get(gd["game"].get("type"), "O")
    rows = []
    for i, p in enumerate(plays):
        res, about = p.get("result") or {}, p.get("about") or {}
        et = res.get("eventTypeId")
        if et in LEGACY_SKIP:
            continue
        typ = LEGACY_TYPES.get(et)
        if typ is None:
            report.unknown_types[str(et)] += 1
            typ = "OTHER"
        period, secs = about.get("period"), _clock(about.get("periodTime"))
        if period is None or not np.isfinite(secs):
            report.reject("event without a period or time", 1, f"{path}, play {i}, field about.period/periodTime")
            continue
        people = {pl.get("playerType"): (pl.get("player") or {}).get("id") for pl in p.get("players", [])}
        shooter = people.get("Shooter", people.get("Scorer"))
        tm = code((p.get("team") or {}).get("triCode"))
        team = (away if tm == home else home) if typ == "BLOCK" and tm else tm     # the blocker's team is listed
        goals = about.get("goals") or {}
        hs, as_ = goals.get("home", 0), goals.get("away", 0)
        if typ == "GOAL":                                   # the row already counts this goal
            hs, as_ = hs - (team == home), as_ - (team == away)
        coords = p.get("coordinates") or {}
        goalie = people.get("Goalie")
        rows.append(dict(
            period=int(period), period_seconds=float(secs), type=typ, team=team,
            player_id=shooter if shooter is not None else next(iter(people.values()), None),
            player2_id=goalie if typ != "BLOCK" else people.get("Blocker"),
            x=coords.get("x"), y=coords.get("y"),
            detail=SHOT_TYPES.get(res.get("secondaryType"), "UNKNOWN") if typ in ("SHOT", "MISS", "GOAL", "BLOCK") else res.get("secondaryType"),
            home_skaters=None, away_skaters=None, home_score=hs, away_score=as_,
            shooter_id=shooter, goalie_id=goalie if not (typ == "GOAL" and res.get("emptyNet")) else None,
            # the feed flags empty nets on goals only (misses and blocks list no goalie): assume a goalie otherwise
            empty_net=bool(res.get("emptyNet")) if typ == "GOAL" else False,
            shootout=about.get("periodType") == "SHOOTOUT"))
    ev = _frame(rows)
    ls = d["liveData"].get("linescore", {})
    game = dict(game_id=gid, source=SOURCE, season=_season(gd["game"].get("season")), game_type=game_type,
                date=pd.Timestamp(gd["datetime"]["dateTime"]).tz_convert(None).normalize(), home_team=home, away_team=away,
                home_score=(ls.get("teams", {}).get("home", {}) or {}).get("goals"),
                away_score=(ls.get("teams", {}).get("away", {}) or {}).get("goals"),
                periods=int(ev["period"].max()) if len(ev) else None,
                shootout=bool(ev["shootout"].any()) if len(ev) else False, has_tracking=False, fps=None)
    players = pd.DataFrame([dict(player_id=v.get("id"), source=SOURCE, name=v.get("fullName"),
                                 team=code((v.get("currentTeam") or {}).get("triCode")),
                                 position=_pos((v.get("primaryPosition") or {}).get("code")),
                                 shoots=v.get("shootsCatches") if v.get("shootsCatches") in ("L", "R") else None,
                                 height_in=_height(v.get("height")), number=pd.to_numeric(v.get("primaryNumber"), errors="coerce"))
                            for v in gd.get("players", {}).values()], columns=schema.PLAYERS.column_names)
    players["height_in"] = players["height_in"].where(players["height_in"].between(55, 90))
    return [game_bundle(SOURCE, game, ev, report)], players.dropna(subset=["player_id"])


def _frame(rows: list[dict]) -> pd.DataFrame:
    ev = pd.DataFrame(rows, columns=["period", "period_seconds", "type", "team", "player_id", "player2_id", "x", "y",
                                     "detail", "home_skaters", "away_skaters", "home_score", "away_score", "shooter_id",
                                     "goalie_id", "attack_sign", "empty_net", "zone", "shootout"])
    for c in ("player_id", "player2_id", "home_skaters", "away_skaters", "home_score", "away_score"):
        ev[c] = pd.to_numeric(ev[c], errors="coerce").astype("Int64")
    for c in ("x", "y", "shooter_id", "goalie_id", "attack_sign"):
        ev[c] = pd.to_numeric(ev[c], errors="coerce").astype(float)
    ev["empty_net"] = ev["empty_net"].astype("boolean")
    ev["shootout"] = ev["shootout"].fillna(False).astype(bool)
    return ev.sort_values(["period", "period_seconds"], kind="stable").reset_index(drop=True)
