"""Download NHL play-by-play from the NHL's public web API (api-web.nhle.com), politely.

- On-disk cache: every response is kept as a JSON file under the cache folder (written
  to a temporary name, then renamed), so a second run, or a run resumed after an
  interruption, fetches only what is missing.
- Retries with exponential backoff on network errors, 429 and 5xx (honouring
  Retry-After); other 4xx are not retried.
- A rate limit (requests per second) shared by every request of the client.
- Schedules: `/v1/schedule/{date}` week by week through the season (`nextStartDate`),
  keeping finished games of the wanted types; games: `/v1/gamecenter/{id}/play-by-play`.
Only the standard library is used (urllib), so nothing extra to install.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BASE_URL = "https://api-web.nhle.com"
USER_AGENT = "opportunity-analysis/0.1 (open-source shot-quality research)"
FINISHED = ("OFF", "FINAL")


class DownloadError(RuntimeError):
    """A request failed for good (after retries); the message names the URL."""


@dataclass
class NhlClient:
    cache_dir: Path
    base_url: str = BASE_URL
    rate: float = 2.0  # requests per second at most
    retries: int = 5
    backoff: float = 0.5  # first wait; doubles each retry
    timeout: float = 20.0
    sleep: Callable[[float], None] = time.sleep
    requests: int = 0  # network requests made (cache hits do not count)
    cache_hits: int = 0
    _last: float = field(default=0.0, repr=False)

    def _path(self, path: str) -> Path:
        return self.cache_dir / (path.strip("/").replace("/", "__") + ".json")

    def _wait_turn(self) -> None:
        gap = 1.0 / self.rate if self.rate > 0 else 0.0
        now = time.monotonic()
        if now - self._last < gap:
            self.sleep(gap - (now - self._last))
        self._last = time.monotonic()

    def get_json(self, path: str) -> tuple[dict, Path]:
        """The JSON at `path` (from the cache if there), and the cache file holding it."""
        file = self._path(path)
        if file.exists():
            try:
                self.cache_hits += 1
                return json.loads(file.read_bytes()), file
            except json.JSONDecodeError:
                file.unlink()  # a damaged cache file is fetched again
                self.cache_hits -= 1
        url = self.base_url.rstrip("/") + "/" + path.lstrip("/")
        body = self._fetch(url)
        try:
            doc = json.loads(body)
        except json.JSONDecodeError as e:
            raise DownloadError(f"{url} did not return JSON ({e.msg})") from e
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_suffix(".part")
        tmp.write_bytes(body)
        os.replace(tmp, file)
        return doc, file

    def _fetch(self, url: str) -> bytes:
        last: Exception | None = None
        for attempt in range(self.retries + 1):
            self._wait_turn()
            self.requests += 1
            try:
                req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"})
                with urllib.request.urlopen(req, timeout=self.timeout) as r:
                    return r.read()
            except urllib.error.HTTPError as e:
                last = e
                if e.code != 429 and e.code < 500:
                    raise DownloadError(f"{url}: HTTP {e.code} {e.reason}") from e
                retry_after = e.headers.get("Retry-After") if e.headers else None
                wait = float(retry_after) if retry_after and retry_after.isdigit() else self.backoff * 2**attempt
            except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
                last = e
                wait = self.backoff * 2**attempt
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
