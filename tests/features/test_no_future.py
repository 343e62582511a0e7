"""No factor may read anything that happened after the puck left the stick."""

import numpy as np
import pandas as pd
import pytest

from oa.features.clips import FrameIndex, cut_clips, sides
from oa.features.compute import compute_factors
from oa.features.context import shot_context, take
from oa.sim.game import GameSpec, simulate_game
from oa.sim.league import build_league


@pytest.fixture(scope="module")
def game():
    league = build_league(5)
    teams = league.team_codes
    b = simulate_game(
        league, GameSpec(9_2025_02_9001, "2025-26", pd.Timestamp("2025-10-10"), teams[0], teams[1]), seed=77
    )
    players = league.players
    goalies = set(players.loc[players["position"] == "G", "player_id"].astype(int))
    return b.tables, players, goalies


def _factors(tables, players, goalies, frames, events, rows):
    ctx = shot_context(tables["shots"], events, players, tables["games"])
    home = tables["games"]["home_team"].iloc[0]
    idx = FrameIndex(
        frames["frame_idx"].to_numpy(),
        frames["entity_id"].to_numpy(),
        sides(frames["team"].to_numpy(), home),
        frames["x"].to_numpy(),
        frames["y"].to_numpy(),
    )
    sub = take(ctx, rows)
    return compute_factors(sub, cut_clips(idx, sub, goalies, 30.0))


def _same(a: dict, b: dict) -> bool:
    for k in a:
        x, y = a[k], b[k]
        if x.dtype == object:
            if list(x) != list(y):
                return False
        elif not np.array_equal(x, y, equal_nan=True):
            return False
    return True


def test_changing_anything_after_release_changes_no_factor(game):
    tables, players, goalies = game
    frames, events, shots = tables["frames"], tables["events"], tables["shots"]
    rng = np.random.default_rng(0)
    assert len(shots) > 40
    for i in range(len(shots)):
        r = int(shots["release_frame"].iloc[i])
        base = _factors(tables, players, goalies, frames, events, np.array([i]))
        f2 = frames.copy()
        later = f2["frame_idx"].to_numpy() > r
        f2.loc[later, "x"] = rng.uniform(-99, 99, later.sum()).round(1).astype(np.float32)
        f2.loc[later, "y"] = rng.uniform(-42, 42, later.sum()).round(1).astype(np.float32)
        e2 = events.copy()
        after = e2["event_idx"].to_numpy() > shots["event_idx"].iloc[i]
        e2.loc[after, "type"] = "HIT"
        e2.loc[after, "x"] = 0.0
        assert _same(base, _factors(tables, players, goalies, f2, e2, np.array([i]))), f"shot {i} saw the future"
        # and the frames at or before release do matter (the test can fail)
        if i % 10 == 0:
            f3 = frames.copy()
            at = (f3["frame_idx"].to_numpy() == r) & (f3["entity_id"].to_numpy() == 0)
            f3.loc[at, "x"] = f3.loc[at, "x"] - 5.0
            assert not _same(base, _factors(tables, players, goalies, f3, events, np.array([i])))


def test_batch_and_single_shot_agree(game):
    tables, players, goalies = game
    n = len(tables["shots"])
    batch = _factors(tables, players, goalies, tables["frames"], tables["events"], np.arange(n))
    for i in (0, n // 2, n - 1):
        one = _factors(tables, players, goalies, tables["frames"], tables["events"], np.array([i]))
        assert _same({k: v[i : i + 1] for k, v in batch.items()}, one)
