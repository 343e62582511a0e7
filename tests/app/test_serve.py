"""The dashboard server the benchmarks and browser tests start (oa.app.serve): up on loopback, down after."""

from __future__ import annotations

import socket
import urllib.request

import pytest

from oa.app.serve import ServerError, dashboard


def test_the_dashboard_answers_on_loopback_and_stops_on_the_way_out(tiny_store) -> None:
    with dashboard(tiny_store) as (url, proc):
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as r:
            assert r.status == 200
        with urllib.request.urlopen(url, timeout=5) as r:
            assert r.status == 200 and b"<html" in r.read().lower()
    assert proc.poll() is not None, "the server is stopped"


def test_a_server_that_cannot_start_says_why(tiny_store) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ServerError, match=str(port)), dashboard(tiny_store, port=port, timeout=60):
            pass
