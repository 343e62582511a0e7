"""A real redis-server for the scale-out tests: CI's (OA_REDIS_URL, started by .ci/run) or our own."""

from __future__ import annotations

import os
import shutil

import pytest

from oa import settings


@pytest.fixture(scope="session")
def redis_url():
    url = settings.redis_url()
    if url:
        yield url
        return
    if not shutil.which("redis-server"):
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing in CI; .ci/run installs it (apt-get install redis-server)")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    from oa.live.redis_server import RedisServer

    with RedisServer() as server:
        yield server.url


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: runs for over a minute of wall time (real-time live feed)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that use a real redis-server carry the `redis` marker (`-m "not redis"` leaves them out)."""
    for item in items:
        if "redis_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.redis)
