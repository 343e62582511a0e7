"""Settings are read in one place (oa.settings), when asked for, so a changed variable is seen at once."""

from __future__ import annotations

import re
from pathlib import Path

from oa import settings

ROOT = Path(__file__).resolve().parents[1]


def test_settings_follow_the_environment_at_call_time(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("OA_DB", raising=False)
    assert settings.db_path() == settings.DEFAULT_DB
    monkeypatch.setenv("OA_DB", str(tmp_path / "x.duckdb"))
    assert settings.db_path() == tmp_path / "x.duckdb"
    monkeypatch.setenv("OA_SHARED", str(tmp_path))
    assert settings.shared_root() == tmp_path
    monkeypatch.delenv("OA_REDIS_URL", raising=False)
    assert settings.redis_url() is None
    monkeypatch.setenv("OA_REDIS_URL", "redis://127.0.0.1:1/0")
    assert settings.redis_url() == "redis://127.0.0.1:1/0"


def test_the_nhl_api_roots_follow_the_environment(monkeypatch) -> None:
    monkeypatch.delenv("OA_NHL_API", raising=False)
    monkeypatch.delenv("OA_NHL_STATS_API", raising=False)
    assert settings.nhl_api() == "https://api-web.nhle.com"
    assert settings.nhl_stats_api() == "https://api.nhle.com"  # the NHL's stats host beside the NHL's root
    monkeypatch.setenv("OA_NHL_API", "http://127.0.0.1:8080/ ")
    assert settings.nhl_api() == "http://127.0.0.1:8080"
    assert settings.nhl_stats_api() == "http://127.0.0.1:8080", "a mirror serves both"
    assert settings.nhl_stats_api("https://api-web.nhle.com") == "https://api.nhle.com"
    monkeypatch.setenv("OA_NHL_STATS_API", "http://127.0.0.1:9090")
    assert settings.nhl_stats_api() == "http://127.0.0.1:9090"
    monkeypatch.setenv("OA_NHL_API", "  ")
    assert settings.nhl_api() == "https://api-web.nhle.com", "blank is unset"
    assert settings.is_http_url("http://127.0.0.1:8080") and settings.is_http_url("https://api-web.nhle.com")
    for bad in ("ftp://x", "api-web.nhle.com", "http://", "https:///", "javascript:alert(1)"):
        assert not settings.is_http_url(bad), bad


def test_live_ratings_sit_beside_their_store() -> None:
    assert settings.live_dir("data/x.duckdb") == Path("data/live/x")


def test_no_other_module_reads_the_environment() -> None:
    reads = re.compile(r"os\.environ\.get|os\.getenv|os\.environ\[[^\]]+\](?!\s*=)")
    files = [*(ROOT / "oa").rglob("*.py"), ROOT / "app.py", *(ROOT / "pages").glob("*.py")]
    offenders = [
        str(f.relative_to(ROOT))
        for f in files
        if f.name != "settings.py" and reads.search(f.read_text(encoding="utf-8"))
    ]
    assert offenders == []
