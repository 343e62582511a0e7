import pandas as pd
import pytest

from oa.sim.run import simulate_league


@pytest.fixture(scope="session")
def league_games():
    """A few hundred simulated games (tracking dropped after the per-game checks to save memory)."""
    shots, games, truth, checks = [], [], [], []
    for b in simulate_league(300, seed=11, workers=2):
        t = b.tables
        f = t["frames"]
        checks.append(dict(game_id=b.game_id, frames=len(f)))
        shots.append(t["shots"])
        games.append(t["games"])
        truth.append(t["sim_truth"])
    return dict(
        shots=pd.concat(shots, ignore_index=True),
        games=pd.concat(games, ignore_index=True),
        truth=pd.concat(truth, ignore_index=True),
        checks=pd.DataFrame(checks),
    )
