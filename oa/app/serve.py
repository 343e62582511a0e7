"""Start the dashboard (`streamlit run app.py`) on a free loopback port and know when it is up.

One way to do it for whoever needs a real server: the benchmarks that time the app in a real browser
(`oa bench studio`) and the browser tests. The server's output goes to a temporary file, not a pipe
(a pipe nobody reads fills up and stalls the server); its tail is in the error when it fails to start.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from oa.live.redis_server import free_port  # the one way to pick a free loopback port
from oa.settings import DB_ENV, ROOT, child_env


class ServerError(RuntimeError):
    """The dashboard exited or did not answer its health check in time."""


@contextmanager
def dashboard(db: Path, port: int | None = None, timeout: float = 120.0) -> Iterator[tuple[str, subprocess.Popen]]:
    """`streamlit run app.py` showing store `db` on loopback; yields (base url, process) once it is healthy,
    and stops it on the way out."""
    port = port or free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none"]
    cmd += ["--browser.gatherUsageStats", "false"]
    env = child_env(**{DB_ENV: str(db)}, PYTHONUNBUFFERED="1")
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)

        def tail() -> str:
            log.seek(0)
            return log.read().decode(errors="replace")[-2000:]

        try:
            t0 = time.time()
            while True:
                if proc.poll() is not None:
                    raise ServerError(f"the dashboard exited: {tail()}")
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.time() - t0 > timeout:
                    raise ServerError(f"the dashboard did not answer within {timeout:.0f} s: {tail()}")
                time.sleep(0.3)
            yield url, proc
        finally:
            stop(proc)


def stop(proc: subprocess.Popen, timeout: float = 10.0) -> None:
    """Ask a child server to stop, and kill it if it has not within `timeout` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
