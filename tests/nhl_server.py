"""The loopback NHL API for the sync tests: `oa.bench.nhl_feed_server.NhlServer` (the bench uses it too).

Kept under this name so tests can keep importing it from here; the server itself is in the package."""

from oa.bench.nhl_feed_server import FIRST_DAY, PLAN, SEASON, SEASON_END, NhlServer, game_ids

__all__ = ["FIRST_DAY", "PLAN", "SEASON", "SEASON_END", "NhlServer", "game_ids"]
