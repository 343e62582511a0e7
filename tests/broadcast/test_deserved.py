""" "Deserved to win": the simulation against the exact Poisson-binomial answer, seeds, ties and edge cases."""

from __future__ import annotations

import numpy as np
import pytest

from oa.broadcast.deserved import deserved, exact, goal_counts


def test_goal_counts_is_the_poisson_binomial_distribution() -> None:
    assert np.allclose(goal_counts([0.5, 0.5]), [0.25, 0.5, 0.25])
    assert np.allclose(goal_counts([]), [1.0])
    d = goal_counts([0.1, 0.3, 0.9])
    assert d.sum() == pytest.approx(1.0)
    assert d @ np.arange(4) == pytest.approx(1.3)  # the mean is the sum of the chances


def game(k: int) -> tuple[np.ndarray, np.ndarray]:
    """A made-up game's chances: 3 to 40 shots a team."""
    rng = np.random.default_rng(100 + k)
    return rng.uniform(0, 0.35, rng.integers(3, 40)), rng.uniform(0, 0.35, rng.integers(3, 40))


@pytest.mark.parametrize("k", range(6))
def test_the_simulation_matches_the_exact_shares_within_three_standard_errors(k: int) -> None:
    """With the seed the recap uses (the module's default)."""
    home, away = game(k)
    d = deserved(home, away)
    h, a = exact(home, away)
    assert d.replays == 10_000
    assert abs(d.home - h) <= 3 * d.std_error, (d, h)
    assert d.home + d.away == pytest.approx(1.0) and h + a == pytest.approx(1.0)
    assert d.home == pytest.approx(d.home_wins + d.ties / 2)
    assert 0 < d.std_error < 0.006  # about half a point at 10,000 replays


def test_the_simulation_is_unbiased_and_its_standard_error_honest() -> None:
    """Over 200 seeds the errors in standard errors have mean about 0 and spread about 1."""
    home, away = game(1)
    h, _ = exact(home, away)
    z = np.array([(d.home - h) / d.std_error for d in (deserved(home, away, seed=s) for s in range(200))])
    assert abs(z.mean()) < 0.3 and 0.8 < z.std() < 1.25, (z.mean(), z.std())


def test_same_seed_same_numbers_and_ties_split_evenly() -> None:
    p = [0.2, 0.1, 0.4]
    assert deserved(p, p[::-1], seed=7) == deserved(p, p[::-1], seed=7)
    assert exact(p, p[::-1]) == pytest.approx((0.5, 0.5))  # the same chances: even, ties split
    none = deserved([], [])
    assert (none.home, none.away, none.ties) == (0.5, 0.5, 1.0)
    sure = deserved([1.0, 1.0], [1.0])
    assert sure.home == 1.0 and sure.std_error == 0.0
    assert deserved([0.3, np.nan], [0.1]).home == deserved([0.3], [0.1]).home  # an unrated shot is left out


def test_a_chance_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        deserved([1.2], [0.1])
    with pytest.raises(ValueError, match="at least 1"):
        deserved([0.1], [0.1], replays=0)
