"""A demo season schedule: balanced home/away, about eight games a day from early October."""

from __future__ import annotations

import datetime as dt

import numpy as np

from oa.sim.game import GameSpec

SEASON_START = dt.date(2025, 10, 7)


def demo_game_id(season_start_year: int, n: int) -> int:
    """9YYYY02NNNN: never collides with the NHL's 10-digit YYYYTTNNNN ids."""
    return int(f"9{season_start_year}02{n:04d}")


def season_schedule(teams: list[str], n_games: int, seed: int = 0, start: dt.date = SEASON_START) -> list[GameSpec]:
    """`n_games` games in date order; every team plays about equally often, home and away."""
    if n_games < 1:
        raise ValueError(f"n_games must be at least 1, got {n_games}")
    if n_games > 9999:
        raise ValueError(f"n_games must be at most 9999, got {n_games}")
    rng = np.random.default_rng([seed, 7002])
    season = f"{start.year}-{str(start.year + 1)[2:]}"
    specs: list[GameSpec] = []
    played = {t: 0 for t in teams}
    day, per_day = 0, max(len(teams) // 4, 1)
    while len(specs) < n_games:
        # each day, pair the teams that have played least (ties broken at random)
        order = sorted(teams, key=lambda t: (played[t], rng.random()))
        today = order[: 2 * per_day]
        rng.shuffle(today)
        for i in range(0, len(today) - 1, 2):
            if len(specs) == n_games:
                break
            h, a = today[i], today[i + 1]
            played[h] += 1
            played[a] += 1
            specs.append(
                GameSpec(
                    demo_game_id(start.year, len(specs) + 1), season, (start + dt.timedelta(days=day)).isoformat(), h, a
                )
            )
        day += 1
    return specs
