"""Download NHL play-by-play from the NHL's public web API (api-web.nhle.com), politely.

- On-disk cache: every response is kept as a JSON file under the cache folder (written
  to a temporary name, then renamed), so a second run, or a run resumed after an
  interruption, fetches only what is missing.
- Retries with exponential backoff on network errors, 429 and 5xx (honouring
  Retry-After); other 4xx are not retried.
- A rate limit (requests per second) shared by every request of the client.
- Schedules: `/v1/schedule/{date}` week by week through the season (`nextStartDate`),
  keeping finished games of the wanted types; games: `/v1/gamecenter/{id}/play-by-play`;
  team rosters (hands, heights): `/v1/roster/{team}/{season}`; shift charts, on the stats
  host: `/stats/rest/en/shiftcharts?cayenneExp=gameId={id}`.
- Revalidation (`fetch(path, revalidate=True)`): the cached copy is offered back with
  If-None-Match / If-Modified-Since when the server gave an ETag or Last-Modified, so an
  unchanged document costs a 304 and no body. A body cut short (fewer bytes than its
  Content-Length, or JSON that ends too soon) is retried like a 5xx.
Only the standard library is used (urllib), so nothing extra to install.
"""

from __future__ import annotations

import email.utils
import hashlib
import http.client
import json
import os
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from oa.settings import NHL_API, NHL_STATS_API

BASE_URL = NHL_API  # the NHL's own roots; the commands' default is $OA_NHL_API (oa.settings.nhl_api)
STATS_URL = NHL_STATS_API  # the stats host: shift charts
MAX_RETRY_AFTER = 300.0  # seconds: a longer Retry-After is capped (the run would look hung)
USER_AGENT = "opportunity-analysis/0.1 (open-source shot-quality research)"
FINISHED = ("OFF", "FINAL")


class DownloadError(RuntimeError):
    """A request failed for good (after retries); the message names the URL."""


@dataclass
class Fetched:
    """One document and how it was had: from the cache alone, confirmed unchanged (304), or downloaded."""

    doc: object
    file: Path
    how: str  # "cache", "not-modified" or "downloaded"
    digest: str  # sha256 of the body as stored
    etag: str | None = None
    last_modified: str | None = None


class _Retry(Exception):
    """A response worth asking for again (a body cut short)."""


def _kind(path: str) -> str:
    """What a request is for, for counting: schedule, play-by-play, shiftcharts, roster, ..."""
    parts = [p for p in path.split("?")[0].split("/") if p]
    if "gamecenter" in parts:
        return parts[-1]
    if "shiftcharts" in parts:
        return "shiftcharts"
    return parts[1] if len(parts) > 1 else (parts[0] if parts else "?")


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return min(max(when.timestamp() - time.time(), 0.0), MAX_RETRY_AFTER)


@dataclass
class NhlClient:
    cache_dir: Path
    base_url: str = BASE_URL
    rate: float = 2.0  # requests per second at most
    retries: int = 5
    backoff: float = 0.5  # first wait; doubles each retry
    timeout: float = 20.0
    sleep: Callable[[float], None] = time.sleep
    stats_url: str = STATS_URL
    requests: int = 0  # network requests made (cache hits do not count)
    cache_hits: int = 0
    by_kind: Counter = field(default_factory=Counter)  # requests made, by what they were for
    _last: float = field(default=0.0, repr=False)

    def _path(self, path: str) -> Path:
        name = path.strip("/").replace("/", "__").replace("?", "__").replace("=", "-")
        return self.cache_dir / (name + ".json")

    def _wait_turn(self) -> None:
        gap = 1.0 / self.rate if self.rate > 0 else 0.0
        now = time.monotonic()
        if now - self._last < gap:
            self.sleep(gap - (now - self._last))
        self._last = time.monotonic()

    def get_json(self, path: str) -> tuple[dict, Path]:
        """The JSON at `path` (from the cache if there), and the cache file holding it."""
        got = self.fetch(path)
        return got.doc, got.file  # type: ignore[return-value]

    def fetch(self, path: str, revalidate: bool = False, base: str | None = None) -> Fetched:
        """The JSON at `path`: from the cache if there (asking the server first when `revalidate`)."""
        file = self._path(path)
        side = file.with_suffix(".http")
        validators: dict = {}
        cached: bytes | None = None
        if file.exists():
            cached = file.read_bytes()
            try:
                doc = json.loads(cached)
            except json.JSONDecodeError:
                file.unlink()  # a damaged cache file is fetched again
                cached = None
            else:
                if side.exists():
                    try:
                        validators = json.loads(side.read_text())
                    except (json.JSONDecodeError, OSError):
                        validators = {}
                if not revalidate:
                    self.cache_hits += 1
                    return Fetched(doc, file, "cache", _digest(cached), validators.get("etag"), validators.get("lm"))
        url = (base or self.base_url).rstrip("/") + "/" + path.lstrip("/")
        headers = {}
        if cached is not None:
            if validators.get("etag"):
                headers["If-None-Match"] = validators["etag"]
            if validators.get("lm"):
                headers["If-Modified-Since"] = validators["lm"]
        status, body, doc, etag, lm = self._fetch(url, headers, _kind(path))
        if status == 304 and cached is not None:
            return Fetched(
                json.loads(cached), file, "not-modified", _digest(cached), etag or validators.get("etag"), lm
            )
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_suffix(".part")
        tmp.write_bytes(body)
        os.replace(tmp, file)
        if etag or lm:
            side.write_text(json.dumps({"etag": etag, "lm": lm}))
        elif side.exists():
            side.unlink()
        return Fetched(doc, file, "downloaded", _digest(body), etag, lm)

    def _fetch(self, url: str, headers: dict, kind: str = "?") -> tuple[int, bytes, object, str | None, str | None]:
        """(status, body, parsed JSON, ETag, Last-Modified), retrying network errors, 429, 5xx and cut bodies."""
        last: Exception | None = None
        for attempt in range(self.retries + 1):
            self._wait_turn()
            self.requests += 1
            self.by_kind[kind] += 1
            wait = self.backoff * 2**attempt
            try:
                req = urllib.request.Request(
                    url, headers={"User-Agent": USER_AGENT, "Accept": "application/json", **headers}
                )
                with urllib.request.urlopen(req, timeout=self.timeout) as r:
                    body = r.read()
                    etag, lm = r.headers.get("ETag"), r.headers.get("Last-Modified")
                try:
                    doc = json.loads(body)
                except json.JSONDecodeError as e:
                    if e.pos >= len(body.rstrip()):  # ran out of text: the body was cut short
                        raise _Retry(f"the body ends too soon ({len(body):,} bytes)") from e
                    raise DownloadError(f"{url} did not return JSON ({e.msg})") from e
                return 200, body, doc, etag, lm
            except urllib.error.HTTPError as e:
                last = e
                if e.code == 304:
                    return 304, b"", None, e.headers.get("ETag"), e.headers.get("Last-Modified")
                if e.code != 429 and e.code < 500:
                    raise DownloadError(f"{url}: HTTP {e.code} {e.reason}") from e
                told = retry_after(e.headers.get("Retry-After") if e.headers else None)
                wait = told if told is not None else wait
            except (urllib.error.URLError, TimeoutError, ConnectionError, http.client.HTTPException, _Retry) as e:
                last = e  # IncompleteRead (fewer bytes than Content-Length) is an HTTPException
            if attempt < self.retries:
                self.sleep(wait)
        raise DownloadError(f"{url}: failed after {self.retries + 1} attempts ({last})")

    # -- NHL endpoints ------------------------------------------------------------------
    def season_game_ids(self, season: str, game_types: tuple[int, ...] = (2,)) -> list[int]:
        """Finished games of `season` ("2024-25") of the given types (2 regular season, 3 playoffs)."""
        start = int(season[:4])
        code = int(f"{start}{start + 1}")
        date = f"{start}-09-15"
        ids: list[int] = []
        end = None
        for _ in range(60):  # a season is about 40 weeks
            doc, _ = self.get_json(f"/v1/schedule/{date}")
            if end is None:
                end = doc.get("playoffEndDate") if 3 in game_types else doc.get("regularSeasonEndDate")
            for day in doc.get("gameWeek", []):
                for g in day.get("games", []):
                    if g.get("season") == code and g.get("gameType") in game_types and g.get("gameState") in FINISHED:
                        ids.append(int(g["id"]))
            nxt = doc.get("nextStartDate")
            if not nxt or (end and nxt > end) or nxt <= date:
                break
            date = nxt
        return sorted(set(ids))

    def play_by_play(self, game_id: int) -> Path:
        _, file = self.get_json(f"/v1/gamecenter/{int(game_id)}/play-by-play")
        return file

    def schedule_week(self, date: str, revalidate: bool = True) -> Fetched:
        """The schedule of the week starting at `date` (YYYY-MM-DD)."""
        return self.fetch(f"/v1/schedule/{date}", revalidate=revalidate)

    def game_play_by_play(self, game_id: int, revalidate: bool = False) -> Fetched:
        return self.fetch(f"/v1/gamecenter/{int(game_id)}/play-by-play", revalidate=revalidate)

    def shift_charts(self, game_id: int, revalidate: bool = False) -> Fetched:
        """The game's shift charts, from the stats host (`stats_url`)."""
        path = f"/stats/rest/en/shiftcharts?cayenneExp=gameId={int(game_id)}"
        return self.fetch(path, revalidate=revalidate, base=self.stats_url)

    def roster(self, team: str, season_code: int, revalidate: bool = False) -> Fetched:
        """A team's roster of a season (`20252026`): hands and heights."""
        return self.fetch(f"/v1/roster/{team}/{int(season_code)}", revalidate=revalidate)


def _digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()
