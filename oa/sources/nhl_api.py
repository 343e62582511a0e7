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

import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from oa import schema
from oa.rink import PERIOD_S, Attack, CoordinateSystem, Origin
from oa.schema import GameBundle
from oa.sources.common import IngestReport, SourceError, game_bundle
from oa.sources.contract import Adapter
from oa.sources.nhl_events import STATSAPI_EVENTS
from oa.sources.nhl_teams import code
from oa.sources.reading import ID, ID_MAX, Num, X, Y, load_json, parse_rows
from oa.vocab import ATTEMPTS, UNBLOCKED
from oa.vocab import game_type as vocab_game_type

SOURCE = "nhl_api"
# feet from centre ice as the rink shows it; the teams switch ends every period
COORDS = CoordinateSystem(
    Origin.CENTRE,
    Attack.PER_PERIOD,
    attack_from="homeTeamDefendingSide on api-web; where each team's attempts are on legacy feeds",
)
WEB_TYPES = {
    "faceoff": "FACEOFF",
    "shot-on-goal": "SHOT",
    "missed-shot": "MISS",
    "blocked-shot": "BLOCK",
    "goal": "GOAL",
    "hit": "HIT",
    "giveaway": "GIVEAWAY",
    "takeaway": "TAKEAWAY",
    "penalty": "PENALTY",
    "stoppage": "STOPPAGE",
    "period-start": "PERIOD_START",
    "period-end": "PERIOD_END",
    "game-end": "GAME_END",
    "delayed-penalty": "OTHER",
    "shootout-complete": "OTHER",
    "failed-shot-attempt": "OTHER",
}
LEGACY_TYPES = STATSAPI_EVENTS
LEGACY_SKIP = {
    "GAME_SCHEDULED",
    "PERIOD_READY",
    "PERIOD_OFFICIAL",
    "GAME_OFFICIAL",
    "CHALLENGE",
    "EMERGENCY_GOALTENDER",
}
SHOT_TYPE_CODES = {
    "wrist": "WRIST",
    "snap": "SNAP",
    "slap": "SLAP",
    "backhand": "BACKHAND",
    "tip-in": "TIP",
    "deflected": "DEFLECTION",
    "wrap-around": "WRAP",
    "Wrist Shot": "WRIST",
    "Snap Shot": "SNAP",
    "Slap Shot": "SLAP",
    "Backhand": "BACKHAND",
    "Tip-In": "TIP",
    "Deflected": "DEFLECTION",
    "Wrap-around": "WRAP",
}


def load_doc(path: Path) -> dict:
    """The play-by-play document, unwrapped from the {metadata, data} envelope if it has one."""
    doc = load_json(path)
    if isinstance(doc, dict) and "data" in doc and "metadata" in doc:  # the {metadata, data} envelope
        doc = doc["data"]
    if not isinstance(doc, dict):
        raise SourceError(
            path, f"is not an NHL play-by-play document (top level is a JSON {_kind(doc)}, not an object)"
        )
    return doc


def _kind(v: object) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(type(v), "number")


def read(path: str | Path, report: IngestReport) -> tuple[list[GameBundle], pd.DataFrame]:
    """(the game's bundle, its players) from one play-by-play JSON file."""
    path = Path(path)
    doc = load_doc(path)
    report.files += 1
    if "liveData" in doc:
        return _legacy(path, doc, report)
    if "plays" in doc and "homeTeam" in doc:
        return _web(path, doc, report)
    raise SourceError(
        path, "is neither an api-web play-by-play (plays, homeTeam) nor a statsapi feed (liveData)", field="plays"
    )


def _clock(s: object) -> float:
    try:
        m, sec = str(s).split(":")
        return int(m) * 60 + int(sec)
    except (ValueError, AttributeError):
        return np.nan


def _season(s: object) -> str:
    s = str(s)
    return f"{s[:4]}-{s[-2:]}" if len(s) == 8 else s


# the numbers of a play, and what can be right; a play with one that cannot be is rejected
PLAY_NUMBERS = {
    "period": Num(required=True, integer=True, lo=1, hi=9),
    "period_seconds": Num(required=True, lo=0, hi=PERIOD_S),
    "shooter_id": ID,
    "goalie_id": ID,
    "player_id": ID,
    "player2_id": ID,
    "x": X,
    "y": Y,
    "home_skaters": Num(integer=True, lo=0, hi=6),
    "away_skaters": Num(integer=True, lo=0, hi=6),
}
# where each number comes from, named as the source names it
PLAY_FIELDS = {
    "period": "periodDescriptor.number",
    "period_seconds": "timeInPeriod",
    "player_id": "details.playerId",
    "player2_id": "details.goalieInNetId",
    "shooter_id": "details.shootingPlayerId",
    "goalie_id": "details.goalieInNetId",
    "x": "details.xCoord",
    "y": "details.yCoord",
    "home_skaters": "situationCode",
    "away_skaters": "situationCode",
}
DETAIL_IDS = (
    "shootingPlayerId",
    "scoringPlayerId",
    "playerId",
    "winningPlayerId",
    "hittingPlayerId",
    "goalieInNetId",
    "blockingPlayerId",
    "losingPlayerId",
    "eventOwnerTeamId",
)
DETAIL_TEXT = ("zoneCode", "shotType", "descKey")


def _header(path: Path, d: dict) -> tuple[int, str, str, dict]:
    """(game id, home code, away code, team id -> code), each checked: a game without them cannot be stored."""
    gid = d.get("id")
    if isinstance(gid, bool) or not isinstance(gid, (int, float)) or not (1 <= gid <= ID_MAX) or gid % 1:
        raise SourceError(path, f"game id {gid!r} cannot be right (expected a whole number)", field="id")
    teams = {}
    for side in ("homeTeam", "awayTeam"):
        t = d.get(side)
        if not isinstance(t, dict):
            raise SourceError(path, f"{side} is a JSON {_kind(t)}, not an object", field=side)
        ab = t.get("abbrev")
        if not isinstance(ab, str) or not ab.strip():
            raise SourceError(path, f"the team has no abbreviation ({ab!r})", field=f"{side}.abbrev")
        tid = t.get("id")
        if isinstance(tid, (dict, list)):
            raise SourceError(path, f"team id is a JSON {_kind(tid)}", field=f"{side}.id")
        teams[side] = (code(ab.strip()), tid)
    (home, hid), (away, aid) = teams["homeTeam"], teams["awayTeam"]
    return int(gid), home, away, {hid: home, aid: away}


def _date(path: Path, v: object) -> pd.Timestamp:
    day = pd.to_datetime(v, format="ISO8601", errors="coerce") if isinstance(v, str) else pd.NaT
    if pd.isna(day):
        raise SourceError(path, f"game date {v!r} cannot be read (expected YYYY-MM-DD)", field="gameDate")
    return day.tz_localize(None) if day.tzinfo else day


def _score(v: object) -> int | None:
    return int(v) if isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 99 else None


def _bad_field(p: object) -> str | None:
    """The first field of a play that is not the JSON type it must be (None if all are)."""
    if not isinstance(p, dict):
        return "(the play itself)"
    for key, ok in (
        ("typeDescKey", (str, type(None))),
        ("periodDescriptor", (dict, type(None))),
        ("details", (dict, type(None))),
        ("timeInPeriod", (str, type(None))),
        ("situationCode", (str, type(None))),
        ("homeTeamDefendingSide", (str, type(None))),
    ):
        if not isinstance(p.get(key), ok):
            return key
    det = p.get("details") or {}
    for key in DETAIL_TEXT:
        if not isinstance(det.get(key), (str, type(None))):
            return f"details.{key}"
    for key in (*DETAIL_IDS, "xCoord", "yCoord"):
        v = det.get(key)
        if isinstance(v, (dict, list)) or (isinstance(v, float) and not np.isfinite(v)):  # NaN, Infinity
            return f"details.{key}"
    if not isinstance((p.get("periodDescriptor") or {}).get("periodType"), (str, type(None))):
        return "periodDescriptor.periodType"
    sit = p.get("situationCode")
    if sit is not None and not (len(sit) == 4 and sit.isdigit() and sit[0] in "01" and sit[3] in "01"):
        return "situationCode"
    return None


def _web(path: Path, d: dict, report: IngestReport) -> tuple[list[GameBundle], pd.DataFrame]:
    game, ev, players = web_events(path, d, report)
    return [game_bundle(SOURCE, game, ev, report)], players


def read_doc(doc: dict, report: IngestReport, name: str = "live") -> tuple[GameBundle, pd.DataFrame, np.ndarray]:
    """(bundle, players, the feed's eventId of each bundle event) from an api-web play-by-play document
    already in memory (the live poller's). The eventId is what stays the same when the feed revises
    or reorders plays; the bundle's event_idx is the position in time order, as batch ingest stores it."""
    path = Path(f"{name}:{doc.get('id')}")
    if "plays" not in doc or "homeTeam" not in doc:
        raise SourceError(path, "is not an api-web play-by-play (plays, homeTeam)", field="plays")
    game, ev, players = web_events(path, doc, report)
    ids = ev.loc[~ev["shootout"].to_numpy(dtype=bool), "source_event"].to_numpy(dtype=float)
    return game_bundle(SOURCE, game, ev, report), players, ids


def web_events(path: Path, d: dict, report: IngestReport) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """(games row, events with helper columns and `source_event` (the eventId), players) of an api-web document."""
    gid, home, away, team_of_id = _header(path, d)
    plays = d.get("plays")
    if not isinstance(plays, list):
        raise SourceError(path, f"plays is a JSON {_kind(plays)}, not an array of plays", field="plays")
    day = _date(path, d.get("gameDate"))
    season = d.get("season")
    if season is not None and not (isinstance(season, (int, str)) and re.fullmatch(r"\d{8}", str(season))):
        raise SourceError(path, f"season {season!r} cannot be right (expected e.g. 20232024)", field="season")
    roster = _roster(path, d.get("rosterSpots"), report)
    team_of_player = {
        r.get("playerId"): team_of_id.get(r.get("teamId"))
        for r in roster
        if not isinstance(r.get("playerId"), (dict, list)) and not isinstance(r.get("teamId"), (dict, list))
    }
    rows, index = [], []
    score = {home: 0, away: 0}
    game_type = {2: "R", 3: "P"}.get(d.get("gameType") if isinstance(d.get("gameType"), int) else None, "O")
    seen: set = set()
    for i, p in enumerate(plays):
        bad = _bad_field(p)
        if bad is not None:
            report.reject(f"bad {bad}", 1, f"{path}, play {i}, field {bad}: {_short(p, bad)}")
            continue
        eid = p.get("eventId")
        if eid is not None and not isinstance(eid, (dict, list)):
            if eid in seen:
                report.reject(
                    "duplicate play (same eventId; first kept)", 1, f"{path}, play {i}, field eventId: {eid!r}"
                )
                continue
            seen.add(eid)
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
        if typ == "BLOCK":  # the owner is the blocking team; the shot belongs to the shooter's team
            team = team_of_player.get(shooter) or {home: away, away: home}.get(owner)
        else:
            team = owner
        if typ in ATTEMPTS and team is None:
            report.reject(
                "bad details.eventOwnerTeamId",
                1,
                f"{path}, play {i}, field details.eventOwnerTeamId: "
                f"{det.get('eventOwnerTeamId')!r} (a shot attempt must be by {home} or {away})",
            )
            continue
        side = p.get("homeTeamDefendingSide")
        home_sign = {"right": -1.0, "left": 1.0}.get(side, np.nan)
        sign = home_sign if team == home else (-home_sign if team == away else np.nan)
        goalie = det.get("goalieInNetId")
        defending_goalie_in = (ag if team == home else hg) if ag is not None else None
        if typ in UNBLOCKED and goalie is None and defending_goalie_in == 1:
            report.reject(
                "goalie id missing although the situation code says a goalie was in net (kept, goalie unknown)",
                1,
                f"{path}, play {i}, field goalieInNetId",
            )
        rows.append(
            dict(
                period=period,
                period_seconds=float(secs),
                type=typ,
                team=team,
                player_id=shooter
                if shooter is not None
                else det.get("playerId", det.get("winningPlayerId", det.get("hittingPlayerId"))),
                player2_id=goalie if typ in UNBLOCKED else det.get("blockingPlayerId", det.get("losingPlayerId")),
                x=det.get("xCoord"),
                y=det.get("yCoord"),
                detail=SHOT_TYPE_CODES.get(det.get("shotType"), "UNKNOWN") if typ in ATTEMPTS else det.get("descKey"),
                home_skaters=h_sk,
                away_skaters=a_sk,
                home_score=score[home],
                away_score=score[away],
                shooter_id=shooter,
                goalie_id=goalie,
                attack_sign=sign,
                empty_net=(goalie is None) if defending_goalie_in is None else defending_goalie_in == 0,
                # zoneCode is the event owner's view; a blocked shot's owner is the blocking team
                zone={"O": "D", "D": "O", "N": "N"}.get(det.get("zoneCode")) if typ == "BLOCK" else det.get("zoneCode"),
                shootout=pdsc.get("periodType") == "SO",
                source_event=eid if isinstance(eid, int) and not isinstance(eid, bool) else None,
            )
        )
        index.append(i)
        if typ == "GOAL" and team in score and pdsc.get("periodType") != "SO":
            score[team] += 1
    ev = _frame(path, rows, index, report)
    game = dict(
        game_id=gid,
        source=SOURCE,
        season=_season(d.get("season")),
        game_type=game_type,
        date=day,
        home_team=home,
        away_team=away,
        home_score=_score(d["homeTeam"].get("score")),
        away_score=_score(d["awayTeam"].get("score")),
        periods=int(ev["period"].max()) if len(ev) else None,
        shootout=bool(ev["shootout"].any()) if len(ev) else False,
        has_tracking=False,
        fps=None,
    )
    players = pd.DataFrame(
        [
            dict(
                player_id=r.get("playerId"),
                source=SOURCE,
                name=_name(r),
                team=team_of_id.get(r.get("teamId")),
                position=_pos(r.get("positionCode")),
                shoots=None,
                height_in=None,
                number=_number(r.get("sweaterNumber")),
            )
            for r in roster
        ],
        columns=schema.PLAYERS.column_names,
    )
    return game, ev, players


def _short(p: object, field: str) -> str:
    v = p
    for k in field.split("."):
        v = v.get(k) if isinstance(v, dict) else v
    return repr(v)[:60]


def _name(r: dict) -> str:
    parts = [
        (r.get(k) or {}).get("default", "") if isinstance(r.get(k), dict) else "" for k in ("firstName", "lastName")
    ]
    return " ".join(str(x) for x in parts if isinstance(x, str)).strip()


def _number(v: object) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 99 else None


def _roster(path: Path, spots: object, report: IngestReport) -> list[dict]:
    """Roster entries with a player id that can be right; others counted (the plays do not need them)."""
    if spots is None:
        return []
    if not isinstance(spots, list):
        report.reject("bad rosterSpots", 1, f"{path}, field rosterSpots: a JSON {_kind(spots)}, not an array")
        return []
    out = []
    for i, r in enumerate(spots):
        pid = r.get("playerId") if isinstance(r, dict) else None
        if (
            isinstance(pid, bool)
            or not isinstance(pid, int)
            or not 1 <= pid <= ID_MAX
            or isinstance(r.get("teamId"), (dict, list))
        ):
            report.reject("bad rosterSpots.playerId", 1, f"{path}, roster {i}, field playerId: {repr(pid)[:60]}")
            continue
        out.append(r)
    return out


def _pos(p: object) -> object:
    return (
        {"L": "LW", "R": "RW", "C": "C", "D": "D", "G": "G", "LW": "LW", "RW": "RW"}.get(p)
        if isinstance(p, str)
        else None
    )


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
    if not isinstance(plays, list):
        raise SourceError(
            path, f"allPlays is a JSON {_kind(plays)}, not an array of plays", field="liveData.plays.allPlays"
        )
    if not (isinstance(gid, int) and 1 <= gid <= ID_MAX) or not all(
        isinstance(t, str) and t.strip() for t in (home, away)
    ):
        raise SourceError(path, f"game id or teams cannot be right ({gid!r}, {home!r}, {away!r})", field="gameData")
    game_type = vocab_game_type(gd["game"].get("type"))
    rows, index, seen = [], [], set()
    for i, p in enumerate(plays):
        try:
            row = _legacy_play(p, home, away, seen, report.unknown_types)
        except (AttributeError, TypeError, ValueError) as e:
            report.reject("bad play", 1, f"{path}, play {i}, field (a value of the wrong JSON type): {e}")
            continue
        if row == "duplicate":
            report.reject(
                "duplicate play (same about.eventIdx; first kept)", 1, f"{path}, play {i}, field about.eventIdx"
            )
        elif row == "no time":
            report.reject("event without a period or time", 1, f"{path}, play {i}, field about.period/periodTime")
        elif row is not None:
            rows.append(row)
            index.append(i)
    ev = _frame(path, rows, index, report)
    ls = d["liveData"].get("linescore", {})
    try:
        day = pd.Timestamp(gd["datetime"]["dateTime"]).tz_convert(None).normalize()
    except (KeyError, TypeError, ValueError) as e:
        raise SourceError(path, f"game date cannot be read ({e})", field="gameData.datetime.dateTime") from None
    game = dict(
        game_id=gid,
        source=SOURCE,
        season=_season(gd["game"].get("season")),
        game_type=game_type,
        date=day,
        home_team=home,
        away_team=away,
        home_score=_score((ls.get("teams", {}).get("home", {}) or {}).get("goals")),
        away_score=_score((ls.get("teams", {}).get("away", {}) or {}).get("goals")),
        periods=int(ev["period"].max()) if len(ev) else None,
        shootout=bool(ev["shootout"].any()) if len(ev) else False,
        has_tracking=False,
        fps=None,
    )
    people = gd.get("players", {})
    people = [
        v
        for v in (people.values() if isinstance(people, dict) else [])
        if isinstance(v, dict) and isinstance(v.get("id"), int) and 1 <= v["id"] <= ID_MAX
    ]
    players = pd.DataFrame(
        [
            dict(
                player_id=v.get("id"),
                source=SOURCE,
                name=v.get("fullName"),
                team=code((v.get("currentTeam") or {}).get("triCode")),
                position=_pos((v.get("primaryPosition") or {}).get("code")),
                shoots=v.get("shootsCatches") if v.get("shootsCatches") in ("L", "R") else None,
                height_in=_height(v.get("height")),
                number=_number(pd.to_numeric(v.get("primaryNumber"), errors="coerce")),
            )
            for v in people
        ],
        columns=schema.PLAYERS.column_names,
    )
    players["height_in"] = players["height_in"].where(players["height_in"].between(55, 90))
    return [game_bundle(SOURCE, game, ev, report)], players.dropna(subset=["player_id"])


def _legacy_play(p: dict, home: str, away: str, seen: set, unknown: Counter) -> dict | str | None:
    """One statsapi play as an event row; None for plays that are not events, or why it is left out."""
    res, about = p.get("result") or {}, p.get("about") or {}
    eid = about.get("eventIdx")
    if eid is not None:
        if eid in seen:
            return "duplicate"
        seen.add(eid)
    et = res.get("eventTypeId")
    if et in LEGACY_SKIP:
        return None
    typ = LEGACY_TYPES.get(et)
    if typ is None:
        unknown[str(et)] += 1
        typ = "OTHER"
    period, secs = about.get("period"), _clock(about.get("periodTime"))
    if period is None or not np.isfinite(secs):
        return "no time"
    people = {pl.get("playerType"): (pl.get("player") or {}).get("id") for pl in p.get("players", [])}
    shooter = people.get("Shooter", people.get("Scorer"))
    tm = code((p.get("team") or {}).get("triCode"))
    team = (away if tm == home else home) if typ == "BLOCK" and tm else tm  # the blocker's team is listed
    goals = about.get("goals") or {}
    hs, as_ = goals.get("home", 0), goals.get("away", 0)
    if typ == "GOAL":  # the row already counts this goal
        hs, as_ = hs - (team == home), as_ - (team == away)
    coords = p.get("coordinates") or {}
    goalie = people.get("Goalie")
    return dict(
        period=period,
        period_seconds=float(secs),
        type=typ,
        team=team,
        player_id=shooter if shooter is not None else next(iter(people.values()), None),
        player2_id=goalie if typ != "BLOCK" else people.get("Blocker"),
        x=coords.get("x"),
        y=coords.get("y"),
        detail=SHOT_TYPE_CODES.get(res.get("secondaryType"), "UNKNOWN")
        if typ in ATTEMPTS
        else res.get("secondaryType"),
        home_skaters=None,
        away_skaters=None,
        home_score=hs,
        away_score=as_,
        shooter_id=shooter,
        goalie_id=goalie if not (typ == "GOAL" and res.get("emptyNet")) else None,
        # the feed flags empty nets on goals only (misses and blocks list no goalie): assume a goalie otherwise
        empty_net=bool(res.get("emptyNet")) if typ == "GOAL" else False,
        shootout=about.get("periodType") == "SHOOTOUT",
    )


def _frame(path: Path, rows: list[dict], index: list[int], report: IngestReport) -> pd.DataFrame:
    """The plays as canonical events; a play with a number that cannot be right is rejected (counted by play)."""
    ev = pd.DataFrame(
        rows,
        columns=[
            "period",
            "period_seconds",
            "type",
            "team",
            "player_id",
            "player2_id",
            "x",
            "y",
            "detail",
            "home_skaters",
            "away_skaters",
            "home_score",
            "away_score",
            "shooter_id",
            "goalie_id",
            "attack_sign",
            "empty_net",
            "zone",
            "shootout",
            "source_event",
        ],
        index=index,
    )
    ev, num = parse_rows(ev, PLAY_NUMBERS, report, path, unit="play", fields=PLAY_FIELDS)
    ev = ev.assign(**{c: num[c] for c in PLAY_NUMBERS})
    for c in ("home_score", "away_score"):
        ev[c] = pd.to_numeric(ev[c], errors="coerce").astype("Int64")
    for c in ("shooter_id", "goalie_id", "attack_sign", "source_event"):
        ev[c] = pd.to_numeric(ev[c], errors="coerce").astype(float)
    ev["empty_net"] = ev["empty_net"].astype("boolean")
    ev["shootout"] = ev["shootout"].fillna(False).astype(bool)
    return ev.sort_values(["period", "period_seconds"], kind="stable").reset_index(drop=True)


ADAPTER = Adapter(
    name=SOURCE,
    title="NHL API play-by-play (api-web gamecenter; legacy statsapi feed)",
    reads="one game's play-by-play JSON: api-web gamecenter/{id}/play-by-play, plain or in a "
    "{metadata, data} envelope, or a legacy statsapi game/{id}/feed/live",
    patterns=("*.json", "*.json.gz"),
    terms="NHL content from the NHL's public web API (marks belong to the NHL); use for analysis only, "
    "do not republish",
    coords=COORDS,
    read=read,
)
