"""Build the demo league into a store: simulate games in worker processes, ingest in one.

DuckDB allows one writer, so workers only simulate and the parent writes each game in
its own transaction as results arrive (in schedule order, so the store is the same for
a given seed whatever the number of workers).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from oa.schema import GameBundle
from oa.sim import LEAGUE_NAME, SOURCE
from oa.sim.game import GameSpec, simulate_game
from oa.sim.league import League, build_league
from oa.sim.schedule import season_schedule
from oa.store import Store

Progress = Callable[[int, int], None]

_LEAGUE: League | None = None


def _init_worker(seed: int) -> None:
    global _LEAGUE
    # a forked worker inherits the parent's Python signal handlers; one that does not exit on SIGTERM (a
    # live scorer's graceful stop, say) would leave Pool.terminate waiting for ever on a worker that ignored it
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _LEAGUE = build_league(seed)


def game_seed(seed: int, n: int) -> int:
    """Each game's own seed: depends only on the league seed and the game's number."""
    return int(np.random.SeedSequence([seed, 9000, n]).generate_state(1)[0])


def _simulate(job: tuple[int, GameSpec, int]) -> GameBundle:
    n, spec, seed = job
    assert _LEAGUE is not None
    return simulate_game(_LEAGUE, spec, game_seed(seed, n))


def simulate_league(n_games: int, seed: int = 0, workers: int | None = None) -> Iterator[GameBundle]:
    """Yield the league's first `n_games` games in schedule order."""
    league = build_league(seed)
    yield from simulate_games(season_schedule(league.team_codes, n_games, seed), seed, workers)


def simulate_games(specs: list[GameSpec], seed: int, workers: int | None = None) -> Iterator[GameBundle]:
    """Simulate scheduled games of the league `seed` in `workers` processes, in schedule order."""
    jobs = [(i, s, seed) for i, s in enumerate(specs)]
    workers = workers if workers is not None else min(os.cpu_count() or 1, 4)
    if workers <= 1 or len(specs) < 4:
        _init_worker(seed)
        yield from map(_simulate, jobs)
        return
    ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(seed,)) as pool:
        yield from pool.imap(_simulate, jobs, chunksize=1)


def build_demo(
    db: str | Path, n_games: int = 200, seed: int = 0, progress: Progress | None = None, workers: int | None = None
) -> dict:
    """Simulate the demo league into `db` (replacing any earlier demo league there)."""
    t0 = time.perf_counter()
    league = build_league(seed)
    specs = season_schedule(league.team_codes, n_games, seed)
    with Store(db) as store:
        keep = {s.game_id for s in specs}
        stale = [
            g
            for g in store.query("SELECT game_id FROM games WHERE source = ?", [SOURCE])["game_id"]
            if int(g) not in keep
        ]
        if stale:
            store.delete_games([int(g) for g in stale])
        store.upsert({"teams": league.teams, "players": league.players, "sim_skills": league.skills})
        rows: dict[str, int] = {}
        for i, bundle in enumerate(simulate_games(specs, seed, workers)):
            for k, v in store.ingest_game(bundle).items():
                rows[k] = rows.get(k, 0) + v
            if progress:
                progress(i + 1, n_games)
        store.set_meta(
            source=SOURCE, league=LEAGUE_NAME, seed=seed, games=n_games, built_at=time.strftime("%Y-%m-%dT%H:%M:%S")
        )
        store.checkpoint()
    return {"games": n_games, "seconds": round(time.perf_counter() - t0, 2), "rows": rows}
