"""A loopback NHL API that plays real games live: their play lists grow play by play, faster than real time.

Serves `/v1/schedule/{date}` and `/v1/gamecenter/{id}/play-by-play` over real HTTP on
127.0.0.1 from the real api-web documents in ../shared (re-dated to `date`). A game's
clock runs at `speed` x real time from `start_at` game seconds, with short intermissions;
the document served at any moment holds the plays the clock has passed, its score, period,
clock and gameState (PRE, LIVE, then OFF after the last play). Scripted per game:

- `revise`: a goal first served as a shot on goal, a shot first served with wrong
  coordinates and another with the wrong shooter, and an extra (phantom) missed shot
  that is later deleted; two plays served in swapped order for a while;
- `faults`: by request number, a 429 with Retry-After, a 503, a stalled response
  (slower than the client's timeout) and a body cut in half.

Used by tests/live/test_nhl_poll.py and `python -m oa bench live-nhl`. The documents are NHL
content, read from the shared data folder and never committed.

`NhlServer` is the same files served for a season sync (`oa nhl sync`; tests/test_sync.py,
the Data page's tests and `python -m oa bench sync`): a small schedule of finished games.
The real responses of two games (2023020204 MIN @ BUF: play-by-play, landing, boxscore and
shift charts; 2024021015 PIT @ MIN: play-by-play only) are served as a schedule of several
days of another season: each scheduled game is a copy of one of them with its id, season
and date changed (and its shift rows' game id). Endpoints, as the NHL serves them:

- `/v1/schedule/{date}`: the week from `date` (`gameWeek`, `nextStartDate`,
  `regularSeasonEndDate`, `playoffEndDate`);
- `/v1/gamecenter/{id}/play-by-play`, `/landing`, `/boxscore`;
- `/stats/rest/en/shiftcharts?cayenneExp=gameId={id}` (an empty chart, as the NHL serves for
  games it has none of, for copies of 2024021015);
- `/v1/roster/{team}/{season}`: SYNTHETIC (no real roster file is in ../shared): the team's
  players from the play-by-play's rosterSpots with a made-up hand and height derived from
  the player id, in the shape of the real endpoint (`forwards`, `defensemen`, `goalies`).

Every response carries an ETag (and Last-Modified) and answers a matching If-None-Match with
304. Callers steer it: `state` (a game's gameState), `edit` (a function changing a game's
play-by-play), `faults` (per path, a queue of `(status, headers)` answers or `"truncate"`),
`hold` (per path, an event its answer waits for), `hits` (every path asked). Usable as a
context manager: `with NhlServer(shared) as srv: srv.url`.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from oa.rink import PERIOD_S

P = int(PERIOD_S)  # a regulation period, in seconds of game clock

GAME_FILES = (
    "nhl-api-web-bbrewington/game_2023020204_play_by_play.json",
    "nhl-api-web-nickcyp/gamecenter_2024021015_play-by-play.json",
)
INTERMISSION_S = 120.0  # game-clock seconds between periods (2 s of wall time at 60x)
SHOWN_FOR_S = 90.0  # how long (game clock) a revised play is served in its first version
PHANTOM_ID = 9001


def load_game(path: Path) -> dict:
    doc = json.loads(path.read_bytes())
    return doc["data"] if "data" in doc and "metadata" in doc else doc


def elapsed(p: dict) -> float:
    """A play's game clock (s from the opening face-off), intermissions not counted."""
    m, s = str(p.get("timeInPeriod") or "00:00").split(":")
    return (int(p["periodDescriptor"]["number"]) - 1) * P + int(m) * 60 + int(s)


@dataclass
class Script:
    """What one game does besides growing: revisions (by eventId) and faults (by request number)."""

    revise: bool = False
    faults: dict[int, str] = field(default_factory=dict)  # request number -> 429 | 503 | stall | truncate
    revised: dict[str, float] = field(default_factory=dict)  # filled in: which eventId was revised how


class LiveGame:
    def __init__(self, doc: dict, date: str, script: Script, start_at: float = 0.0):
        self.doc = copy.deepcopy(doc)
        self.doc["gameDate"] = date
        self.doc["startTimeUTC"] = f"{date}T00:00:00Z"
        self.final_doc = copy.deepcopy(self.doc)  # the game as the feed finally has it
        self.id = int(doc["id"])
        self.script = script
        self.requests = 0
        plays = [p for p in self.doc["plays"] if p.get("periodDescriptor", {}).get("periodType") != "SO"]
        self.plays = sorted(plays, key=lambda p: (elapsed(p), p.get("sortOrder", 0)))
        self.end = max(elapsed(p) for p in self.plays)
        home, away = self.doc["homeTeam"]["id"], self.doc["awayTeam"]["id"]
        self.sides = {home: "homeTeam", away: "awayTeam"}
        if script.revise:
            self._pick(after=self.state_at(start_at)[0] + 30)

    def _pick(self, after: float) -> None:
        """Choose the revised plays among those the clock reaches `after` (play clock) or later, so a run
        that joins the game late still meets them."""
        kind = lambda k: [p for p in self.plays if p["typeDescKey"] == k and after <= elapsed(p) <= 3540]  # noqa: E731
        goals, shots = kind("goal"), kind("shot-on-goal")
        r = self.script.revised
        r["goal"] = goals[0]["eventId"]
        r["coords"] = shots[2]["eventId"]
        r["shooter"] = shots[5]["eventId"]
        src = shots[8]
        phantom = copy.deepcopy(src)
        phantom.update(eventId=PHANTOM_ID, typeDescKey="missed-shot", typeCode=507)
        phantom["details"] = {**src["details"], "reason": "wide-of-net", "yCoord": 30}
        self.phantom = phantom
        r["phantom"] = PHANTOM_ID
        self.swap = (shots[10]["eventId"], shots[11]["eventId"])
        r["phantom_at"] = elapsed(src)

    def state_at(self, g: float) -> tuple[float, int, bool]:
        """(play clock, period, in intermission) at game clock `g` (intermissions included)."""
        period_len = P + INTERMISSION_S
        period = int(g // period_len) + 1
        into = g - (period - 1) * period_len
        if into >= P and period * P < self.end:
            return period * P, period, True
        return min((period - 1) * P + min(into, P), self.end), period, False

    def document(self, g: float) -> dict:
        play_clock, period, pause = self.state_at(g)
        doc = copy.deepcopy({k: v for k, v in self.doc.items() if k != "plays"})
        shown = [p for p in self.plays if elapsed(p) <= play_clock]
        if self.script.revise:
            shown = [copy.deepcopy(p) for p in shown]
        r = self.script.revised
        if self.script.revise:
            for p in shown:
                young = play_clock - elapsed(p) < SHOWN_FOR_S
                if not young:
                    continue
                if p["eventId"] == r["goal"]:
                    p.update(typeDescKey="shot-on-goal", typeCode=506)
                    p["details"] = {
                        k: v
                        for k, v in p["details"].items()
                        if k not in ("scoringPlayerId", "assist1PlayerId", "assist2PlayerId", "homeScore", "awayScore")
                    }
                    p["details"]["shootingPlayerId"] = self.plays_by_id(r["goal"])["details"].get("scoringPlayerId")
                elif p["eventId"] == r["coords"]:
                    p["details"]["xCoord"] = int(p["details"]["xCoord"] * 0.7)
                    p["details"]["yCoord"] = max(-40, min(40, int(p["details"]["yCoord"]) + 9))
                elif p["eventId"] == r["shooter"]:
                    other = [
                        s["playerId"]
                        for s in doc["rosterSpots"]
                        if s["teamId"] == p["details"]["eventOwnerTeamId"]
                        and s["playerId"] != p["details"]["shootingPlayerId"]
                        and s["positionCode"] != "G"
                    ]
                    p["details"]["shootingPlayerId"] = other[0]
            ph = r["phantom_at"]
            if ph <= play_clock < ph + SHOWN_FOR_S:
                shown.append(copy.deepcopy(self.phantom))
            a, b = self.swap
            ids = [p["eventId"] for p in shown]
            if a in ids and b in ids and play_clock - elapsed(self.plays_by_id(b)) < SHOWN_FOR_S:
                i, j = ids.index(a), ids.index(b)
                shown[i], shown[j] = shown[j], shown[i]
        doc["plays"] = shown
        goals = {"homeTeam": 0, "awayTeam": 0}
        for p in shown:
            if p["typeDescKey"] == "goal":
                goals[self.sides[p["details"]["eventOwnerTeamId"]]] += 1
        for side in goals:
            doc[side]["score"] = goals[side]
        over = play_clock >= self.end and not pause
        doc["gameState"] = "OFF" if over else ("LIVE" if g > 0 else "PRE")
        if over:
            doc["homeTeam"]["score"] = self.final_doc["homeTeam"]["score"]
            doc["awayTeam"]["score"] = self.final_doc["awayTeam"]["score"]
        last = shown[-1]["periodDescriptor"] if shown else {"number": 1, "periodType": "REG"}
        doc["periodDescriptor"] = {**last, "number": period if not over else last["number"]}
        left = max(0, int(period * P - play_clock)) if not (pause or over) else 0
        doc["clock"] = {
            "timeRemaining": f"{left // 60:02d}:{left % 60:02d}",
            "secondsRemaining": left,
            "running": not pause and not over and g > 0,
            "inIntermission": pause,
        }
        return doc

    def plays_by_id(self, eid: float) -> dict:
        return next(p for p in self.plays if p["eventId"] == eid)


class FeedServer:
    """The loopback API: `with FeedServer(shared, date) as s:` then poll `s.url`."""

    def __init__(
        self,
        shared: Path,
        date: str = "2026-01-15",
        speed: float = 60.0,
        start_at: float = 0.0,
        scripts: dict[int, Script] | None = None,
        games: tuple[str, ...] = GAME_FILES,
    ):
        self.date, self.speed, self.start_at = date, speed, start_at
        docs = [load_game(shared / f) for f in games]
        scripts = scripts or {}
        self.games = {int(d["id"]): LiveGame(d, date, scripts.get(int(d["id"]), Script()), start_at) for d in docs}
        self.log: list[tuple[float, str, int]] = []  # (time, path, status) of every request
        self.t0 = time.time()
        self.stall_s = 1.0
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a: object) -> None:
                pass

            def do_GET(self) -> None:
                server.handle(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> FeedServer:
        self.t0 = time.time()
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def game_clock(self) -> float:
        return self.start_at + (time.time() - self.t0) * self.speed

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        parts = h.path.strip("/").split("/")
        status, body, headers = 404, b'{"message": "not found"}', {}
        if parts[:2] == ["v1", "schedule"] and len(parts) == 3:
            games = [
                {
                    "id": g.id,
                    "gameState": "LIVE" if self.game_clock() > 0 else "PRE",
                    "startTimeUTC": g.doc["startTimeUTC"],
                    "awayTeam": {"abbrev": g.doc["awayTeam"]["abbrev"]},
                    "homeTeam": {"abbrev": g.doc["homeTeam"]["abbrev"]},
                }
                for g in self.games.values()
            ]
            status, body = 200, json.dumps({"gameWeek": [{"date": self.date, "games": games}]}).encode()
        elif parts[:2] == ["v1", "gamecenter"] and len(parts) == 4 and parts[3] == "play-by-play":
            g = self.games.get(int(parts[2])) if parts[2].isdigit() else None
            if g is not None:
                with self.lock:
                    g.requests += 1
                    n = g.requests
                fault = g.script.faults.get(n)
                if fault == "429":
                    status, body, headers = 429, b'{"message": "slow down"}', {"Retry-After": "1"}
                elif fault == "503":
                    status, body = 503, b'{"message": "unavailable"}'
                else:
                    status, body = 200, json.dumps(g.document(self.game_clock())).encode()
                    if fault == "stall":
                        time.sleep(self.stall_s)
                    elif fault == "truncate":
                        body = body[: len(body) // 2]
        self.log.append((time.time(), h.path, status))
        try:
            h.send_response(status)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(body)))
            for k, v in headers.items():
                h.send_header(k, v)
            h.end_headers()
            h.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on a stalled response


def serve(q: object, shared: str, speed: float, start_at: float, scripts: dict[int, Script]) -> None:
    """Run a server until the process is ended, putting its URL on `q` (a multiprocessing queue)."""
    with FeedServer(Path(shared), speed=speed, start_at=start_at, scripts=scripts) as s:
        q.put(s.url)  # type: ignore[attr-defined]
        while True:
            time.sleep(3600)


# -- a season's schedule of finished games, for the sync ----------------------------------------------------
BUF = "nhl-api-web-bbrewington"
SYNC_FILES = {
    "A": {
        "play-by-play": f"{BUF}/game_2023020204_play_by_play.json",
        "landing": f"{BUF}/game_2023020204_landing.json",
        "boxscore": f"{BUF}/game_boxscore.json",
        "shifts": f"{BUF}/game_shift_charts.json",
    },
    "B": {"play-by-play": "nhl-api-web-nickcyp/gamecenter_2024021015_play-by-play.json"},
}
SEASON = 20252026
FIRST_DAY = dt.date(2025, 10, 7)
# (day offset, template, gameState): six completed games over four days, and one not yet played
PLAN = (
    (0, "A", "OFF"),
    (0, "B", "OFF"),
    (1, "A", "OFF"),
    (2, "B", "OFF"),
    (2, "A", "OFF"),
    (3, "B", "FINAL"),
    (3, "A", "FUT"),
)
SEASON_END = dt.date(2025, 10, 20)


def season_plan(games: int, per_day: int = 7) -> tuple:
    """A bigger schedule for the bench: `games` official games, `per_day` a day (an NHL season has about
    seven), the two templates in turn."""
    return tuple((i // per_day, "AB"[i % 2], "OFF") for i in range(games))


def game_ids(plan: tuple = PLAN) -> list[int]:
    """The scheduled games' ids, in plan order (2025020001 ...)."""
    return [int(f"{str(SEASON)[:4]}02{i + 1:04d}") for i in range(len(plan))]


class NhlServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, shared: Path, plan: tuple = PLAN):
        super().__init__(("127.0.0.1", 0), _SyncHandler)
        self.lock = threading.Lock()
        self.hits: list[str] = []
        self.faults: dict[str, list] = {}  # path -> answers to give first: (status, headers) or "truncate"
        self.edit: dict[int, Callable[[dict], None]] = {}  # game id -> changes its play-by-play in place
        self.state: dict[int, str] = {}
        self.hold: dict[str, threading.Event] = {}  # path -> its answer waits until the event is set (30 s at most)
        self.plan: dict[int, tuple[dt.date, str]] = {}
        docs: dict[str, dict[str, Any]] = {
            t: {k: load_game(shared / f) for k, f in files.items()} for t, files in SYNC_FILES.items()
        }
        self.docs = docs
        for gid, (day, tmpl, state) in zip(game_ids(plan), plan):
            self.plan[gid] = (FIRST_DAY + dt.timedelta(days=day), tmpl)
            self.state[gid] = state
        self.season_end = max([SEASON_END, *(d for d, _ in self.plan.values())])
        self._thread: threading.Thread | None = None

    # -- what is served -------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def count(self, kind: str) -> int:
        """Requests so far whose path contains `kind` (e.g. "play-by-play", "schedule", "shiftcharts")."""
        with self.lock:
            return sum(kind in h for h in self.hits)

    def game_doc(self, gid: int, kind: str) -> object:
        day, tmpl = self.plan[gid]
        doc = copy.deepcopy(self.docs[tmpl].get(kind))
        if kind == "shifts":
            rows = doc["data"] if isinstance(doc, dict) else []
            for r in rows:
                r["gameId"] = gid
            return doc if doc is not None else {"data": [], "total": 0}
        if not isinstance(doc, dict):
            return None
        doc.update(id=gid, season=SEASON, gameDate=day.isoformat(), gameState=self.state[gid])
        if kind == "play-by-play" and gid in self.edit:
            self.edit[gid](doc)
        return doc

    def schedule(self, date: dt.date) -> dict:
        days = [date + dt.timedelta(days=i) for i in range(7)]
        week = []
        for d in days:
            games = []
            for gid, (day, tmpl) in self.plan.items():
                if day == d:
                    pbp = self.docs[tmpl]["play-by-play"]
                    games.append(
                        {
                            "id": gid,
                            "season": SEASON,
                            "gameType": 2,
                            "gameState": self.state[gid],
                            "gameScheduleState": "OK",
                            "awayTeam": {"abbrev": pbp["awayTeam"]["abbrev"]},
                            "homeTeam": {"abbrev": pbp["homeTeam"]["abbrev"]},
                        }
                    )
            week.append({"date": d.isoformat(), "numberOfGames": len(games), "games": games})
        return {
            "nextStartDate": (date + dt.timedelta(days=7)).isoformat(),
            "previousStartDate": (date - dt.timedelta(days=7)).isoformat(),
            "gameWeek": week,
            "regularSeasonStartDate": FIRST_DAY.isoformat(),
            "regularSeasonEndDate": self.season_end.isoformat(),
            "playoffEndDate": (self.season_end + dt.timedelta(days=30)).isoformat(),
        }

    def roster(self, team: str) -> dict:
        """SYNTHETIC hands and heights for the team's players in the templates' rosterSpots."""
        out: dict[str, list] = {"forwards": [], "defensemen": [], "goalies": []}
        seen = set()
        for docs in self.docs.values():
            pbp = docs["play-by-play"]
            ids = {pbp[s]["id"]: pbp[s]["abbrev"] for s in ("homeTeam", "awayTeam")}
            for r in pbp.get("rosterSpots", []):
                if ids.get(r["teamId"]) != team or r["playerId"] in seen:
                    continue
                seen.add(r["playerId"])
                group = {"G": "goalies", "D": "defensemen"}.get(r["positionCode"], "forwards")
                out[group].append(
                    {
                        "id": r["playerId"],
                        "firstName": r["firstName"],
                        "lastName": r["lastName"],
                        "sweaterNumber": r.get("sweaterNumber"),
                        "positionCode": r["positionCode"],
                        "shootsCatches": "L" if r["playerId"] % 2 == 0 else "R",
                        "heightInInches": 69 + r["playerId"] % 8,
                    }
                )
        return out

    def answer(self, path: str) -> object:
        """The document for `path`, or None (404)."""
        u = urlparse(path)
        parts = [p for p in u.path.split("/") if p]
        if parts[:2] == ["v1", "schedule"] and len(parts) == 3:
            try:
                return self.schedule(dt.date.fromisoformat(parts[2]))
            except ValueError:
                return None
        if parts[:2] == ["v1", "gamecenter"] and len(parts) == 4 and parts[2].isdigit():
            gid = int(parts[2])
            return self.game_doc(gid, parts[3]) if gid in self.plan else None
        if parts[:2] == ["v1", "roster"] and len(parts) == 4:
            return self.roster(parts[2])
        if u.path.endswith("/stats/rest/en/shiftcharts"):
            exp = parse_qs(u.query).get("cayenneExp", [""])[0]
            gid = int(exp.split("=")[-1]) if exp.split("=")[-1].isdigit() else 0
            return self.game_doc(gid, "shifts") if gid in self.plan else None
        return None

    # -- running ------------------------------------------------------------------------
    def __enter__(self) -> NhlServer:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()


class _SyncHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a: object) -> None:
        pass

    def _send(self, code: int, body: bytes, headers: dict | None = None, length: int | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body) if length is None else length))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if length is not None:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        srv: NhlServer = self.server  # type: ignore[assignment]
        with srv.lock:
            srv.hits.append(self.path)
            queue = srv.faults.get(self.path) or []
            fault = queue.pop(0) if queue else None
            gate = srv.hold.get(self.path)
        if gate is not None:
            gate.wait(30)
        doc = srv.answer(self.path)
        if fault is not None and fault != "truncate":
            code, headers = fault
            return self._send(code, b'{"error": "try later"}', headers)
        if doc is None:
            return self._send(404, b'{"error": "not found"}')
        body = json.dumps(doc).encode()
        if fault == "truncate":  # says it sends it all, sends half, hangs up
            return self._send(200, body[: len(body) // 2], length=len(body))
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            return self._send(304, b"", {"ETag": etag})
        self._send(200, body, {"ETag": etag, "Last-Modified": "Tue, 07 Oct 2025 23:00:00 GMT"})
