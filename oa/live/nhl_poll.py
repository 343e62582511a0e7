"""Tonight's NHL games, live: poll each game's play-by-play and turn every change into scorer messages.

One thread per game polls `/v1/gamecenter/{id}/play-by-play` (the games come from
`/v1/schedule/{date}`), at an interval that follows the game: often while the clock
runs, seldom before the start and in intermissions, backing off on 429/5xx, timeouts
and half-written bodies (honouring `Retry-After`). Each document is read by the NHL
adapter (`oa.sources.nhl_api.read_doc`, the same reading as `oa ingest nhl_api`) and
compared with what was sent before (`GameTracker`):

- events are sent by position in time order (the store's `event_idx`), only those that
  changed, so the scorer's window always holds exactly the feed's current plays;
- an unblocked attempt is sent as a `ShotTag` when it is new, or when anything its
  factors read changed (its own fields, the two play events before it, its team's
  earlier attempts): a shot that becomes a goal, corrected coordinates or shooter, plays
  reordered around it. Its shot id is `game_id * 10000 + eventId`, the feed's own id,
  so a revision replaces the published rating (one row per shot id);
- a play the feed deleted is withdrawn (`Withdraw`), and the scoreboard (score, period,
  clock) goes out as a `GameState` whenever it changes;
- the game ends (`GameEnd`) when the feed's gameState says OFF or FINAL.

Messages go to a broker: in-process to one scorer (`run_nhl`), or Redis Streams to the
scorers of a consumer group (`RedisFeed`), exactly as the demo feed does.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from oa.features.context import NOT_PLAY, RECENT_S
from oa.live.messages import (
    EVENT_FIELDS,
    SHOT_FIELDS,
    Clock,
    Event,
    GameEnd,
    GameStart,
    GameState,
    Message,
    ShotTag,
    Withdraw,
)
from oa.sources.common import IngestReport, SourceError
from oa.sources.download import BASE_URL, FINISHED, USER_AGENT
from oa.sources.nhl_api import SOURCE, read_doc
from oa.vocab import ATTEMPTS

log = logging.getLogger("oa.live.nhl")
LIVE = ("LIVE", "CRIT")
ROSTER_FIELDS = ("player_id", "team", "position", "shoots", "height_in")


@dataclass(frozen=True)
class Pacing:
    """How often to poll a game, and how to back off (seconds)."""

    live_s: float = 5.0  # the clock is running
    intermission_s: float = 30.0  # between periods, or the clock stopped for a while
    pregame_s: float = 30.0  # before the start (and a game the feed does not know yet)
    backoff_s: float = 1.0  # first wait after a failed poll; doubles each failure in a row
    max_backoff_s: float = 120.0
    timeout_s: float = 10.0  # a response slower than this is a failed poll

    def scaled(self, k: float) -> Pacing:
        """Every interval times `k` (tests and benchmarks play games faster than real time)."""
        return replace(self, **{f: getattr(self, f) * k for f in self.__dataclass_fields__})

    def interval(self, doc: dict) -> float:
        state = str(doc.get("gameState") or "")
        clock = _obj(doc.get("clock"))
        if state in LIVE:
            return self.intermission_s if clock.get("inIntermission") else self.live_s
        return self.pregame_s if state in ("FUT", "PRE", "") else self.live_s


def _obj(v: object) -> dict:
    """A JSON object of the feed, or {} if it is anything else (a schema change must not stop a game)."""
    return v if isinstance(v, dict) else {}


class Retry(Exception):
    """A poll that failed in a way worth trying again (429, 5xx, timeout, half a body)."""

    def __init__(self, reason: str, wait: float | None = None):
        super().__init__(reason)
        self.reason, self.wait = reason, wait


class FeedError(RuntimeError):
    """A request the feed refused for good (a 4xx other than 429)."""


def fetch_json(url: str, timeout: float) -> dict:
    """The JSON object at `url`, fresh (live documents are never cached); Retry on what may pass."""
    return fetch(url, timeout)[0]


def fetch(url: str, timeout: float) -> tuple[dict, float]:
    """(the JSON object at `url`, when its body had arrived): latency is timed from that moment."""
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            body = r.read()
            received = time.time()
    except urllib.error.HTTPError as e:
        if e.code == 429 or e.code >= 500:
            after = e.headers.get("Retry-After") if e.headers else None
            wait = float(after) if after and after.strip().replace(".", "", 1).isdigit() else None
            raise Retry("throttled" if e.code == 429 else "server error", wait) from None
        raise FeedError(f"{url}: HTTP {e.code} {e.reason}") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as e:
        raise Retry("timeout" if "timed out" in str(e) else "network") from e
    try:
        doc = json.loads(body)
    except ValueError:
        raise Retry("truncated") from None  # half a body: the next poll gets all of it
    if not isinstance(doc, dict):
        raise Retry("truncated")
    return doc, received


def schedule(base_url: str, date: str, timeout: float = 10.0) -> list[dict]:
    """The games of `date` (YYYY-MM-DD): id, state, start and teams, from the week's schedule."""
    doc, _ = fetch(f"{base_url.rstrip('/')}/v1/schedule/{date}", timeout)
    out = []
    for day in doc.get("gameWeek") or []:
        if day.get("date") != date:
            continue
        for g in day.get("games") or []:
            out.append(
                {
                    "id": int(g["id"]),
                    "state": g.get("gameState"),
                    "start_utc": g.get("startTimeUTC"),
                    "away": (g.get("awayTeam") or {}).get("abbrev"),
                    "home": (g.get("homeTeam") or {}).get("abbrev"),
                }
            )
    return out


def _plain(v: object) -> object:
    """A value as JSON-ready Python: None for NaN/NA, int/float/bool/str for numpy scalars."""
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, np.generic):
        v = v.item()
        return None if isinstance(v, float) and v != v else v
    return v


def _rows(df: pd.DataFrame, cols: tuple[str, ...]) -> list[dict]:
    """The rows as dicts of plain Python values (None for missing), column by column (fast)."""
    values = [[_plain(v) for v in df[c].to_numpy(dtype=object, na_value=None).tolist()] for c in cols]
    return [dict(zip(cols, r)) for r in zip(*values)]


def _context(events: list[dict], p: int, team: object) -> tuple:
    """What the shot at position `p` reads of earlier events (see `oa.features.context`): the two
    previous play events of its period and its team's previous attempts (the last, and those within
    RECENT_S), as (type, team, game_seconds, x, y). A change here changes the shot's factors."""
    period, now = events[p]["period"], events[p]["game_seconds"]
    plays: list[tuple] = []
    attempts: list[tuple] = []
    chain = True
    for j in range(p - 1, -1, -1):
        e = events[j]
        if e["period"] != period:
            break
        key = (e["type"], e["team"], e["game_seconds"], e["x"], e["y"])
        if len(plays) < 2 and e["type"] not in NOT_PLAY:
            plays.append(key)
        if chain and e["type"] in ATTEMPTS and e["team"] == team:
            if attempts and now - e["game_seconds"] > RECENT_S:
                chain = False
            else:
                attempts.append(key)
        if len(plays) >= 2 and not chain:
            break
    return tuple(plays), tuple(attempts)


def scoreboard(doc: dict, home: str, away: str, polled_at: float) -> dict:
    """The GameState fields of a play-by-play document."""
    clock, pdsc = _obj(doc.get("clock")), _obj(doc.get("periodDescriptor"))

    def score(side: str) -> int | None:
        v = _obj(doc.get(side)).get("score")
        return v if isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 99 else None

    def text(v: object) -> str | None:
        return v[:64] if isinstance(v, str) else None

    period = pdsc.get("number")
    return {
        "game_state": text(doc.get("gameState")) or "?",
        "home_team": home,
        "away_team": away,
        "home_score": score("homeTeam"),
        "away_score": score("awayTeam"),
        "period": period if isinstance(period, int) and not isinstance(period, bool) and 0 <= period <= 9 else None,
        "period_type": text(pdsc.get("periodType")),
        "clock": text(clock.get("timeRemaining")),
        "in_intermission": bool(clock.get("inIntermission")),
        "running": bool(clock.get("running")),
        "start_utc": text(doc.get("startTimeUTC")),
        "polled_at": polled_at,
    }


class GameTracker:
    """What has been sent for one game; `update` turns a newer document into the messages that bring a
    scorer from the last one to this one (nothing when nothing changed)."""

    def __init__(self, game_id: int):
        self.game_id = int(game_id)
        self.started = False
        self.final = False
        self.events: list[tuple] = []  # the event rows sent, by position
        self.shots: dict[int, tuple] = {}  # shot id -> fingerprint of what its rating read
        self.state: dict = {}
        self.game_seconds = 0.0
        self.report = IngestReport(SOURCE)  # what the adapter rejected or could not use in the last document
        self.plays: object = None  # the plays of the last document read
        self.home = self.away = ""

    def update(self, doc: dict, polled_at: float) -> list[Message]:
        """Messages for this document; raises SourceError if the feed served something unreadable.

        The plays of the first document of a game joined late are a backlog, not news: their
        shot tags carry no send time, so they do not count in the poll-to-published latency."""
        if self.started and doc.get("plays") == self.plays:  # most polls: the clock moved, no play did
            return self._state(doc, polled_at)
        out = self._plays(doc, polled_at if self.started else 0.0)
        self.plays = doc.get("plays")
        return out + self._state(doc, polled_at)

    def _state(self, doc: dict, polled_at: float) -> list[Message]:
        out: list[Message] = []
        state = scoreboard(doc, self.home, self.away, polled_at)
        if {k: v for k, v in state.items() if k != "polled_at"} != {
            k: v for k, v in self.state.items() if k != "polled_at"
        }:
            out.append(GameState(self.game_id, state))
            self.state = state
        if state["game_state"] in FINISHED:
            out.append(GameEnd(self.game_id))
            self.final = True
        return out

    def _plays(self, doc: dict, polled_at: float) -> list[Message]:
        report = IngestReport(SOURCE)
        bundle, players, source_ids = read_doc(doc, report)
        self.report = report
        gid = int(bundle.game_id)
        if gid != self.game_id:
            raise SourceError(f"live:{self.game_id}", f"the feed served game {gid}", field="id")
        game = bundle.tables["games"].iloc[0]
        home, away = self.home, self.away = str(game["home_team"]), str(game["away_team"])
        out: list[Message] = []
        if not self.started:
            roster = players.dropna(subset=["player_id"])
            roster = roster[roster["team"].notna()]
            out.append(
                GameStart(
                    gid,
                    {
                        "home_team": home,
                        "away_team": away,
                        "has_tracking": False,
                        "game_type": str(game["game_type"]),
                        "season": str(game["season"]),
                    },
                    _rows(roster, ROSTER_FIELDS),
                )
            )
            self.started = True
        events = _rows(bundle.tables["events"], EVENT_FIELDS)
        keys = [tuple(e[k] for k in EVENT_FIELDS) for e in events]
        for i, (e, k) in enumerate(zip(events, keys)):
            if i >= len(self.events) or self.events[i] != k:
                out.append(Event(gid, e))
        gone_events = list(range(len(keys), len(self.events)))
        self.events = keys
        if events:
            self.game_seconds = float(events[-1]["game_seconds"])

        shots = bundle.tables["shots"]
        shots = shots[shots["outcome"] != "BLOCK"]
        current: dict[int, tuple] = {}
        tags = []
        for s in _rows(shots, (*SHOT_FIELDS, "outcome")):
            p = int(s["event_idx"])
            eid = source_ids[p]
            if not np.isfinite(eid):
                continue  # a play without an eventId cannot be followed through revisions
            s["shot_id"] = gid * 10000 + int(eid)
            fp = (tuple(v for k, v in s.items() if k != "event_idx"), _context(events, p, s["team"]))
            current[s["shot_id"]] = fp
            if self.shots.get(s["shot_id"]) != fp:
                tags.append(ShotTag(gid, s, polled_at))
        gone_shots = [sid for sid in self.shots if sid not in current]
        self.shots = current
        if gone_events or gone_shots:
            out.append(Withdraw(gid, gone_events, gone_shots))
        out.extend(tags)  # after the events: a shot is rated from the window its events brought up to date
        return out


@dataclass
class PollStats:
    """What the pollers did, over all games; every kind of failed poll has its own counter."""

    games: int = 0
    polls: int = 0
    unchanged: int = 0  # polls that brought nothing new
    throttled: int = 0  # 429s
    server_errors: int = 0  # 5xx
    timeouts: int = 0  # responses slower than the timeout (a stalled response)
    network: int = 0
    truncated: int = 0  # half-written bodies
    refused: int = 0  # other 4xx
    unreadable: int = 0  # documents the adapter rejected (the game goes on polling)
    shots_sent: int = 0  # shot tags: new and revised attempts
    revised: int = 0  # of which revisions of a shot already sent
    withdrawn: int = 0  # shots the feed deleted
    finals: int = 0
    rejected_plays: int = 0  # plays of the games' last documents the adapter rejected (counted by reason in the log)
    waited_s: float = 0.0  # backing off after failed polls
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, **k: float) -> None:
        with self.lock:
            for name, v in k.items():
                setattr(self, name, getattr(self, name) + v)

    def summary(self) -> dict:
        return {k: (round(v, 2) if isinstance(v, float) else v) for k, v in self.__dict__.items() if k != "lock"}


REASONS = {
    "throttled": "throttled",
    "server error": "server_errors",
    "timeout": "timeouts",
    "network": "network",
    "truncated": "truncated",
}


def poll_game(
    base_url: str,
    game_id: int,
    publish: Callable[[list[Message]], None],
    pacing: Pacing,
    stop: threading.Event,
    stats: PollStats,
) -> None:
    """Poll one game until the feed says it is final (or `stop`), publishing what changed."""
    url = f"{base_url.rstrip('/')}/v1/gamecenter/{int(game_id)}/play-by-play"
    tracker = GameTracker(game_id)
    fails = 0
    seen: set[int] = set()
    while not stop.is_set():
        try:
            doc, polled = fetch(url, pacing.timeout_s)
        except Retry as e:
            fails += 1
            wait = e.wait if e.wait is not None else pacing.backoff_s * 2 ** (fails - 1)
            wait = min(wait, pacing.max_backoff_s)
            stats.add(**{REASONS[e.reason]: 1, "waited_s": wait})
            log.warning("game %s: %s; polling again in %.2f s", game_id, e.reason, wait)
            stop.wait(wait)
            continue
        except FeedError as e:
            stats.add(refused=1)
            log.warning("game %s: %s", game_id, e)
            stop.wait(pacing.pregame_s)
            continue
        fails = 0
        stats.add(polls=1)
        try:
            msgs = tracker.update(doc, polled)
        except SourceError as e:
            stats.add(unreadable=1)
            log.warning("game %s: the feed served a document that cannot be read (%s); polling on", game_id, e)
            stop.wait(pacing.live_s)
            continue
        tags = [m for m in msgs if isinstance(m, ShotTag)]
        out = [m for m in msgs if isinstance(m, Withdraw)]
        stats.add(
            shots_sent=len(tags),
            revised=sum(int(m.shot["shot_id"]) in seen for m in tags),
            withdrawn=sum(len(m.shot_ids) for m in out),
            unchanged=int(not msgs),
        )
        seen.update(int(m.shot["shot_id"]) for m in tags)
        # nothing new: the game's clock tells the scorer it is alive (an intermission is not a stall)
        publish(msgs or [Clock(tracker.game_id, tracker.game_seconds)])
        if tracker.final:
            rep = tracker.report
            stats.add(finals=1, rejected_plays=sum(rep.rejected.values()))
            if rep.rejected or rep.unknown_types or rep.missing_coords:
                log.warning("game %s: the feed's final document: %s", game_id, rep.as_dict())
            return
        stop.wait(pacing.interval(doc))


def start_pollers(
    base_url: str,
    game_ids: list[int],
    publish: Callable[[list[Message]], None],
    pacing: Pacing,
    stop: threading.Event,
    stats: PollStats,
) -> list[threading.Thread]:
    """One polling thread per game; `publish` is called from all of them (one at a time)."""
    lock = threading.Lock()

    def locked(batch: list[Message]) -> None:
        with lock:
            publish(batch)

    threads = [
        threading.Thread(
            target=poll_game, args=(base_url, g, locked, pacing, stop, stats), name=f"oa-nhl-{g}", daemon=True
        )
        for g in game_ids
    ]
    stats.games += len(game_ids)
    for t in threads:
        t.start()
    return threads


def run_nhl(
    game_ids: list[int],
    scorer: object,
    base_url: str = BASE_URL,
    pacing: Pacing | None = None,
    on_shot: Callable[[dict], None] | None = None,
    stop: threading.Event | None = None,
) -> dict:
    """Poll `game_ids` until every one is final, rating in this process (`scorer`: an `oa.live.scorer.Scorer`);
    returns the pollers' and the scorer's figures (latency: from the poll that returned a play to its
    published rating)."""
    from oa.live.broker import LocalBroker
    from oa.live.run import consume
    from oa.live.scorer import Scorer

    assert isinstance(scorer, Scorer)
    pacing = pacing or Pacing()
    stop = stop or threading.Event()
    stats = PollStats()
    broker = LocalBroker()
    t0 = time.time()
    threads = start_pollers(base_url, game_ids, broker.publish, pacing, stop, stats)

    def closer() -> None:
        for t in threads:
            t.join()
        broker.close()

    threading.Thread(target=closer, name="oa-nhl-close", daemon=True).start()
    try:
        consume(broker, scorer, on_shot)
    except BaseException:
        stop.set()
        broker.close()
        raise
    scorer.close_all()
    return {"seconds": round(time.time() - t0, 2), **stats.summary(), "scorer": scorer.stats.summary()}


def run_nhl_redis(
    game_ids: list[int],
    url: str,
    prefix: str,
    base_url: str = BASE_URL,
    pacing: Pacing | None = None,
    stop: threading.Event | None = None,
) -> dict:
    """Poll `game_ids` into Redis Streams under `prefix` for the scorers of the consumer group
    (`oa live --broker URL --role scorer`) until every game is final; returns the pollers' figures."""
    from oa.live.redis_broker import RedisFeed, connect

    stop = stop or threading.Event()
    stats = PollStats()
    feed = RedisFeed(connect(url), prefix)
    t0 = time.time()
    threads = start_pollers(base_url, game_ids, feed.publish, pacing or Pacing(), stop, stats)
    try:
        for t in threads:
            while t.is_alive():
                t.join(0.5)
    except BaseException:
        stop.set()
        raise
    return {"seconds": round(time.time() - t0, 2), **stats.summary()}
