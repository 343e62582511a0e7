"""A loopback NHL API (real HTTP on 127.0.0.1) serving the real game files in ../shared, re-dated and re-numbered.

The real responses of two games (2023020204 MIN @ BUF: play-by-play, landing, boxscore and
shift charts; 2024021015 PIT @ MIN: play-by-play only) are served as a small schedule of
several days of another season: each scheduled game is a copy of one of them with its id,
season and date changed (and its shift rows' game id). Endpoints, as the NHL serves them:

- `/v1/schedule/{date}`: the week from `date` (`gameWeek`, `nextStartDate`,
  `regularSeasonEndDate`, `playoffEndDate`);
- `/v1/gamecenter/{id}/play-by-play`, `/landing`, `/boxscore`;
- `/stats/rest/en/shiftcharts?cayenneExp=gameId={id}` (an empty chart, as the NHL serves for
  games it has none of, for copies of 2024021015);
- `/v1/roster/{team}/{season}`: SYNTHETIC (no real roster file is in ../shared): the team's
  players from the play-by-play's rosterSpots with a made-up hand and height derived from
  the player id, in the shape of the real endpoint (`forwards`, `defensemen`, `goalies`).

Every response carries an ETag (and Last-Modified) and answers a matching If-None-Match with
304. Tests steer it: `state` (a game's gameState), `edit` (a function changing a game's
play-by-play), `faults` (per path, a queue of `(status, headers)` answers or `"truncate"`),
`hits` (every path asked). Usable as a context manager: `with NhlServer(shared) as srv: srv.url`.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

BUF = "nhl-api-web-bbrewington"
FILES = {
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


def _unwrap(doc: object) -> object:
    return doc["data"] if isinstance(doc, dict) and "metadata" in doc and "data" in doc else doc


def game_ids(plan: tuple = PLAN) -> list[int]:
    """The scheduled games' ids, in plan order (2025020001 ...)."""
    return [int(f"{str(SEASON)[:4]}02{i + 1:04d}") for i in range(len(plan))]


class NhlServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, shared: Path, plan: tuple = PLAN):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.hits: list[str] = []
        self.faults: dict[str, list] = {}  # path -> answers to give first: (status, headers) or "truncate"
        self.edit: dict[int, Callable[[dict], None]] = {}  # game id -> changes its play-by-play in place
        self.state: dict[int, str] = {}
        self.plan: dict[int, tuple[dt.date, str]] = {}
        docs: dict[str, dict[str, object]] = {
            t: {k: _unwrap(json.loads((shared / f).read_text())) for k, f in files.items()}
            for t, files in FILES.items()
        }
        self.docs = docs
        for gid, (day, tmpl, state) in zip(game_ids(plan), plan):
            self.plan[gid] = (FIRST_DAY + dt.timedelta(days=day), tmpl)
            self.state[gid] = state
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
            "regularSeasonEndDate": SEASON_END.isoformat(),
            "playoffEndDate": (SEASON_END + dt.timedelta(days=30)).isoformat(),
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


class _Handler(BaseHTTPRequestHandler):
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
