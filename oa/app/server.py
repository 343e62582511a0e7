"""How `streamlit run app.py` serves the dashboard: Streamlit's server plus one small middleware.

Streamlit's frontend does not know where its server lives. Opened on a deep link such as
`/shot?shot=...` or `/explorer`, it first probes `/explorer/_stcore/health` and
`/explorer/_stcore/host-config` (404s, logged by every browser and proxy) before falling back
to `/`. The frontend reads the server's address from `window.__streamlit.BACKEND_BASE_URL`
when a page sets it, so `BackendAtRoot` writes that line into every HTML page the server
sends: the frontend then talks to the server's root (or its `server.baseUrlPath`) at once.

app.py builds an `st.App` with this middleware when `streamlit run` imports it; the same file
is the app's script when Streamlit runs it (see app.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Streamlit's own endpoints and assets: never HTML pages, passed through untouched
_NOT_PAGES = ("/_stcore/", "/static/", "/media/", "/component/", "/app/static/")
# request headers dropped for pages: compression, 304s and ranges would leave no whole page to edit
_UNWANTED = {b"accept-encoding", b"if-none-match", b"if-modified-since", b"range", b"if-range"}


def base_url_path() -> str:
    """Streamlit's `server.baseUrlPath`, as '/' or '/prefix/'."""
    from streamlit import config

    base = str(config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/" if base else "/"


def backend_script(base: str) -> bytes:
    """The line that tells Streamlit's frontend its server is at `base` on this page's origin."""
    return (
        b"<script>window.__streamlit=Object.assign({},window.__streamlit,"
        b"{BACKEND_BASE_URL:window.location.origin+" + _js_string(base) + b"})</script>"
    )


def _js_string(s: str) -> bytes:
    return ('"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\u003c") + '"').encode()


def inject(html: bytes, script: bytes) -> bytes:
    """`html` with `script` first in its <head> (before Streamlit's own scripts read it)."""
    i = html.find(b"<head>")
    if i < 0:
        return html
    i += len(b"<head>")
    return html[:i] + script + html[i:]


class BackendAtRoot:
    """ASGI middleware: HTML pages get `backend_script`; everything else passes through unchanged."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET" or _asset(scope):
            await self.app(scope, receive, send)
            return
        # ask for the whole page, uncompressed, so it can be edited (it is a few kB)
        scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k.lower() not in _UNWANTED]}
        start: Message | None = None
        body: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                if not _is_html(message):
                    start = None
                    await send(message)
                else:
                    body.clear()
                return
            if start is None:  # not HTML: stream through
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            page = inject(b"".join(body), backend_script(base_url_path()))
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(page)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": page})

        await self.app(scope, receive, capture)


def _asset(scope: Scope) -> bool:
    path = str(scope.get("path", ""))
    base = base_url_path().rstrip("/")
    rel = path[len(base) :] if base and path.startswith(base) else path
    return rel.startswith(_NOT_PAGES) or rel.endswith((".js", ".css", ".png", ".svg", ".woff2", ".json", ".ico"))


def _is_html(start: Message) -> bool:
    for k, v in start.get("headers", []):
        if k.lower() == b"content-type":
            return v.lower().startswith(b"text/html")
    return False


def middleware() -> list:
    """The middleware list for `st.App(..., middleware=...)`."""
    from starlette.middleware import Middleware

    return [Middleware(BackendAtRoot)]
