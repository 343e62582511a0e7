"""Start a throwaway redis-server (Debian's `redis-server`) for tests and benchmarks.

`python -m oa.live.redis_server --port 6390` runs one in the foreground; `RedisServer` is
the same as a context manager: a free loopback port, no persistence, killed on exit.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import tempfile
import time


def free_port() -> int:
    """A loopback port nothing listens on (the OS picks it): for a throwaway server."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RedisServer:
    """A redis-server child process on 127.0.0.1; `url` is its address."""

    def __init__(self, port: int | None = None, binary: str | None = None):
        found = binary or shutil.which("redis-server")
        if not found:
            raise FileNotFoundError("redis-server is not installed (Debian: apt-get install redis-server)")
        self.binary: str = found
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None
        self._dir = tempfile.TemporaryDirectory(prefix="oa-redis-")

    def start(self) -> RedisServer:
        self.proc = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self._dir.name,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"redis-server exited with status {self.proc.returncode}") from None
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server did not listen on port {self.port} within 10 s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self._dir.cleanup()

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--port", type=int, default=6379)
    args = ap.parse_args()
    with RedisServer(args.port) as server:
        print(f"redis-server at {server.url}; Ctrl-C to stop", flush=True)
        try:
            if server.proc is not None:
                server.proc.wait()
        except KeyboardInterrupt:
            pass
