"""oa.app.server's middleware on a real Starlette app: pages get the backend line, nothing else changes."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import HTMLResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from oa.app.server import BackendAtRoot, backend_script, inject

PAGE = (
    "<!DOCTYPE html><html><head><title>t</title><script src='./static/js/index.js'></script></head>"
    + "<body>"
    + "x" * 2000
    + "</body></html>"
)


async def _page(request):
    return HTMLResponse(PAGE, headers={"etag": '"v1"'})


async def _streamed(request):
    async def parts():
        yield PAGE[:50].encode()
        yield PAGE[50:].encode()

    return StreamingResponse(parts(), media_type="text/html")


async def _health(request):
    return PlainTextResponse("ok")


async def _js(request):
    return Response("console.log('<head>')", media_type="text/javascript")


@pytest.fixture
def client() -> TestClient:
    app = Starlette(
        routes=[
            Route("/", _page),
            Route("/explorer", _page),
            Route("/streamed", _streamed),
            Route("/_stcore/health", _health),
            Route("/static/js/index.js", _js),
        ],
        middleware=[Middleware(BackendAtRoot), Middleware(GZipMiddleware, minimum_size=100)],
    )
    return TestClient(app)


def test_pages_say_the_server_is_at_the_root(client):
    for path in ("/", "/explorer", "/explorer?shot=1", "/streamed"):
        r = client.get(path, headers={"accept-encoding": "gzip", "if-none-match": '"v1"'})
        assert r.status_code == 200, path
        assert r.text.startswith("<!DOCTYPE html><html><head><script>window.__streamlit="), path
        assert 'BACKEND_BASE_URL:window.location.origin+"/"' in r.text
        assert r.text.index("__streamlit") < r.text.index("index.js"), "set before Streamlit's script reads it"
        assert int(r.headers["content-length"]) == len(r.content)


def test_everything_else_passes_through(client):
    r = client.get("/static/js/index.js")
    assert r.text == "console.log('<head>')"
    assert client.get("/_stcore/health").text == "ok"
    raw = client.get("/", headers={"accept-encoding": "gzip"})
    assert "__streamlit" in raw.text
    head = client.head("/explorer")
    assert head.status_code in (200, 405)


def test_inject_and_script():
    assert inject(b"<html><head></head>", b"<s>") == b"<html><head><s></head>"
    assert inject(b"no head", b"<s>") == b"no head"
    assert b'"/oa/"' in backend_script("/oa/")
    assert b"</script><" not in backend_script("/</script><img src=x>/").replace(b"</script>", b"", 1)
