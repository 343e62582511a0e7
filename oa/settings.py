"""Every setting the package reads from the environment, with its default, in one place.

Settings are read when asked for (functions, not constants), so a test or a page that sets
an environment variable sees it at once. Nothing else in `oa` reads `os.environ`.

| variable       | what                                          | default                      |
|----------------|-----------------------------------------------|------------------------------|
| `OA_DB`        | the store the dashboard shows                 | `data/oa.duckdb`             |
| `OA_SHARED`    | the shared folder (third-party data, realism) | `../shared` beside the repo  |
| `OA_REDIS_URL` | a Redis server for the scale-out tests        | none (tests start their own) |
| `OA_NHL_API`   | the NHL web API root (`nhl sync`, `live nhl`, `ingest nhl`, the Data page's sync) | `https://api-web.nhle.com` |
| `OA_NHL_STATS_API` | the NHL stats API root (shift charts)     | `https://api.nhle.com`, or `$OA_NHL_API` when that is set (a mirror serves both) |
| `OA_THEME`     | the broadcast graphics' theme file (TOML)     | `oa/broadcast/theme.toml`    |
| `OA_CHROMIUM`  | the Chromium that renders the graphics        | `/usr/bin/chromium` (Debian's) |

(`oa/__init__.py` sets `OMP_WAIT_POLICY` for LightGBM's threads; it writes that variable, it reads none.)
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the repository (app.py, pages/, data/)
DB_ENV = "OA_DB"
SHARED_ENV = "OA_SHARED"
REDIS_ENV = "OA_REDIS_URL"
NHL_API_ENV = "OA_NHL_API"
NHL_STATS_API_ENV = "OA_NHL_STATS_API"
THEME_ENV = "OA_THEME"
CHROMIUM_ENV = "OA_CHROMIUM"
DEFAULT_THEME = ROOT / "oa" / "broadcast" / "theme.toml"  # the broadcast kit's own theme
CHROMIUM = "/usr/bin/chromium"  # Debian's Chromium: renders the graphics (kaleido), offline
NHL_API = "https://api-web.nhle.com"  # the NHL's own web API (schedules, play-by-play, rosters)
NHL_STATS_API = "https://api.nhle.com"  # the NHL's own stats API (shift charts)

DATA_DIR = ROOT / "data"
DEFAULT_DB = DATA_DIR / "oa.duckdb"  # the demo league: every command's default store
REAL_DB = DATA_DIR / "nhl.duckdb"  # real data: `oa ingest`'s default store


def db_path() -> Path:
    """The store the dashboard shows: $OA_DB if set, else data/oa.duckdb in the repository."""
    env = os.environ.get(DB_ENV, "").strip()
    return Path(env).expanduser().resolve() if env else DEFAULT_DB


def child_env(**values: str) -> dict[str, str]:
    """This process's environment with `values` set: for a child process (a benchmark's dashboard server)."""
    return {**os.environ, **values}


def shared_root() -> Path:
    """The shared folder (third-party data, real profile): $OA_SHARED, else ../shared beside the project."""
    return Path(os.environ.get(SHARED_ENV, ROOT.parent / "shared"))


def cache_dir() -> Path:
    """Downloaded responses (the NHL API's), kept so a download resumes: data/cache/."""
    return DATA_DIR / "cache"


def live_dir(store: str | Path) -> Path:
    """Where live ratings for `store` are published: the parts of `data/x.duckdb` live in `data/live/x/`."""
    p = Path(store)
    return p.parent / "live" / p.stem


def redis_url() -> str | None:
    """$OA_REDIS_URL: a running Redis server to use (CI starts one), or None."""
    return os.environ.get(REDIS_ENV) or None


def nhl_api() -> str:
    """The NHL web API root: $OA_NHL_API (a mirror, a proxy, a test server), else the NHL's own."""
    return os.environ.get(NHL_API_ENV, "").strip().rstrip("/") or NHL_API


def is_http_url(url: str) -> bool:
    """An API root we can ask: http:// or https:// and a host (the check the commands and the Data page share)."""
    return url.startswith(("http://", "https://")) and len(url.split("://", 1)[1].strip("/")) > 0


def nhl_stats_api(api: str | None = None) -> str:
    """The NHL stats API root (shift charts): $OA_NHL_STATS_API; else the NHL's own stats host when the web
    API root (`api`, default `nhl_api()`) is the NHL's own; else that root (a mirror serves both)."""
    env = os.environ.get(NHL_STATS_API_ENV, "").strip().rstrip("/")
    if env:
        return env
    api = (api or nhl_api()).rstrip("/")
    return NHL_STATS_API if api == NHL_API else api


def theme_path() -> Path:
    """The broadcast graphics' theme file: $OA_THEME (a broadcaster's own), else the committed default."""
    env = os.environ.get(THEME_ENV, "").strip()
    return Path(env).expanduser() if env else DEFAULT_THEME


def chromium_path() -> str:
    """The Chromium that renders the graphics: $OA_CHROMIUM, else Debian's /usr/bin/chromium."""
    return os.environ.get(CHROMIUM_ENV, "").strip() or CHROMIUM
