"""`python -m oa ingest nhl` against a real HTTP server on loopback serving the shared JSON files."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from oa.cli import app
from oa.sources.download import DownloadError, NhlClient
from oa.store import Store

runner = CliRunner()
GAMES = {
    2024021015: "nhl-api-web-nickcyp/gamecenter_2024021015_play-by-play.json",
    2023020204: "nhl-api-web-bbrewington/game_2023020204_play_by_play.json",
}


class FakeNhl(ThreadingHTTPServer):
    """Serves /v1/schedule/{date} (two weeks) and /v1/gamecenter/{id}/play-by-play from shared files."""

    def __init__(self, shared):
        super().__init__(("127.0.0.1", 0), Handler)
        self.shared = shared
        self.hits: list[str] = []
        self.fail_first: set[str] = set()  # paths answering 503 once (retry test)
        self.down = False  # every game request fails (interruption test)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def _json(self, doc, code=200):
        body = json.dumps(doc).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 - http.server's name
        srv: FakeNhl = self.server
        srv.hits.append(self.path)
        if self.path in srv.fail_first:
            srv.fail_first.discard(self.path)
            return self._json({"error": "busy"}, 503)
        if self.path.startswith("/v1/schedule/"):
            date = self.path.rsplit("/", 1)[1]
            game = lambda gid, st="OFF": {"id": gid, "season": 20242025, "gameType": 2, "gameState": st}  # noqa: E731
            if date < "2025-03-01":
                return self._json(
                    {
                        "regularSeasonEndDate": "2025-04-17",
                        "playoffEndDate": "2025-06-20",
                        "nextStartDate": "2025-03-03",
                        "gameWeek": [{"date": date, "games": [game(2024020001, "FUT")]}],
                    }
                )
            return self._json(
                {
                    "regularSeasonEndDate": "2025-04-17",
                    "nextStartDate": "2025-04-20",
                    "gameWeek": [{"date": "2025-03-09", "games": [game(2024021015)]}],
                }
            )
        if self.path.startswith("/v1/gamecenter/"):
            if srv.down:
                return self._json({"error": "down"}, 502)
            gid = int(self.path.split("/")[3])
            if gid not in GAMES:
                return self._json({"error": "not found"}, 404)
            doc = json.loads((srv.shared / GAMES[gid]).read_text())
            return self._json(doc.get("data", doc))
        self._json({"error": "unknown"}, 404)


@pytest.fixture()
def server(shared):
    srv = FakeNhl(shared)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def test_season_download_retries_caches_and_stores(server, tmp_path):
    db, cache = tmp_path / "nhl.duckdb", tmp_path / "cache"
    server.fail_first.add("/v1/gamecenter/2024021015/play-by-play")
    args = [
        "ingest",
        "nhl",
        "--season",
        "2024-25",
        "--db",
        str(db),
        "--cache",
        str(cache),
        "--base-url",
        server.url,
        "--rate",
        "20",
    ]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    with Store(db, read_only=True) as s:
        assert s.game_ids() == [2024021015]  # the unfinished game is not fetched
        assert s.query("SELECT count(*) n FROM shots WHERE outcome <> 'BLOCK'")["n"].iloc[0] == 76
    assert server.hits.count("/v1/gamecenter/2024021015/play-by-play") == 2, "one 503, then one retry"
    # a second run is served from the cache: schedules and games
    n = len(server.hits)
    r = runner.invoke(app, args)
    assert r.exit_code == 0 and len(server.hits) == n
    assert "0 requests" in " ".join(r.output.split())


def test_resume_after_interruption_fetches_only_what_is_missing(server, tmp_path, shared):
    cache = tmp_path / "cache"
    client = NhlClient(cache, base_url=server.url, rate=50, retries=1, backoff=0.01)
    client.play_by_play(2024021015)
    server.down = True  # the connection dies
    with pytest.raises(DownloadError, match="2023020204"):
        client.play_by_play(2023020204)
    server.down = False
    hits = list(server.hits)
    again = NhlClient(cache, base_url=server.url, rate=50)
    files = [again.play_by_play(g) for g in (2024021015, 2023020204)]
    new = server.hits[len(hits) :]
    assert new == ["/v1/gamecenter/2023020204/play-by-play"], "only the missing game is fetched again"
    assert all(f.exists() for f in files) and not list(cache.glob("*.part"))


def test_not_found_is_not_retried_and_is_named(server, tmp_path):
    client = NhlClient(tmp_path / "c", base_url=server.url, rate=50, retries=3, backoff=0.01)
    with pytest.raises(DownloadError, match="HTTP 404"):
        client.play_by_play(2099020001)
    assert server.hits.count("/v1/gamecenter/2099020001/play-by-play") == 1


def test_rate_limit_spaces_requests(server, tmp_path):
    waits = []
    client = NhlClient(tmp_path / "c", base_url=server.url, rate=4, sleep=lambda s: waits.append(s))
    client.season_game_ids("2024-25")
    client.play_by_play(2024021015)
    assert len(waits) >= 2 and all(0 < w <= 0.25 + 1e-6 for w in waits)


def test_bad_arguments(tmp_path):
    r = runner.invoke(app, ["ingest", "nhl", "--db", str(tmp_path / "x.duckdb")])
    assert r.exit_code == 2 and "--season" in r.output
    r = runner.invoke(app, ["ingest", "nhl", "--season", "2024", "--db", str(tmp_path / "x.duckdb")])
    assert r.exit_code == 2 and "2024-25" in r.output
