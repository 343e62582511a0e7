"""The simulator's process pool (oa.sim.run): its workers end when the pool ends, whatever handlers the
process that started them had set."""

from __future__ import annotations

import signal

from oa.sim import run


def test_a_worker_dies_on_sigterm_whatever_handler_its_parent_had() -> None:
    """A process that once ran a live scorer kept its SIGTERM handler (a graceful stop). Forked pool workers
    inherited it, so Pool.terminate's SIGTERM ran the handler instead of ending a worker stuck waiting for
    the task queue's lock, and the simulation never returned (it hung CI once). Each worker now starts by
    putting SIGTERM back to its default: it ends."""
    before = signal.getsignal(signal.SIGTERM)
    try:
        signal.signal(signal.SIGTERM, lambda *_: None)  # what the parent had
        run._init_worker(2)  # what a forked worker runs first
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
        assert run._LEAGUE is not None
    finally:
        signal.signal(signal.SIGTERM, before)


def test_the_pool_still_simulates_in_order() -> None:
    one = [b.game_id for b in run.simulate_league(6, seed=2, workers=1)]
    two = [b.game_id for b in run.simulate_league(6, seed=2, workers=2)]
    assert one == two and len(one) == 6
