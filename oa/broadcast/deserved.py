""" "Deserved to win": how often each team wins when the game's chances are played again.

Method. Every rated, unblocked shot of the game is one Bernoulli trial that goes in with its
rated chance (`p_goal`), independently of every other shot. One replay draws all of them once
(a uniform number per shot below its chance is a goal) and counts each team's goals; `n`
replays (10,000 by default) are drawn at once as an `n x shots` matrix with a seeded
generator, so the same game and seed give the same numbers. Blocked attempts carry no chance
of a goal and are left out, as in expected goals; empty-net shots stay in (they are chances).

Ties. The league breaks a tie after regulation: in the regular season by overtime and then a
shootout, in the playoffs by playing on until a goal. Neither depends on the chances the game
created, and overtime shots are already in the replay (a regulation-and-overtime tie is what
is left), so a replay that ends level is given to each team with probability one half: each
team's share is its wins plus half the ties. The two shares add up to 100%.

The Monte Carlo error of a share `s` is about sqrt(s (1 - s) / n): under half a percentage
point at 10,000 replays. `exact` gives the same shares without sampling (the Poisson-binomial
distribution of each team's goals by dynamic programming), for checking.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

REPLAYS = 10_000
SEED = 15


@dataclass(frozen=True)
class Deserved:
    """Each team's share of the replays won (ties split), with the parts and the sampling error."""

    home: float  # share of replays the home team wins, ties counted half
    away: float
    home_wins: float  # share won outright
    away_wins: float
    ties: float
    replays: int
    std_error: float  # of `home` (and of `away`: they add up to 1)


def _chances(p: object) -> np.ndarray:
    a = np.asarray(p, dtype=float).ravel()
    a = a[~np.isnan(a)]
    if ((a < 0) | (a > 1)).any():
        raise ValueError("a chance of a goal must be between 0 and 1")
    return a


def deserved(home: object, away: object, replays: int = REPLAYS, seed: int | None = SEED) -> Deserved:
    """The shares of `replays` replays each team wins; `home` and `away` are the teams' shots' chances."""
    if replays < 1:
        raise ValueError("replays must be at least 1")
    h, a = _chances(home), _chances(away)
    rng = np.random.default_rng(seed)
    hg = (rng.random((replays, h.size)) < h).sum(axis=1)
    ag = (rng.random((replays, a.size)) < a).sum(axis=1)
    hw, aw = float(np.mean(hg > ag)), float(np.mean(ag > hg))
    ties = 1.0 - hw - aw
    share = hw + ties / 2
    # the share is a mean of per-replay scores 1, 1/2 or 0: its standard error from their variance
    var = hw + ties / 4 - share**2
    return Deserved(
        home=share,
        away=1.0 - share,
        home_wins=hw,
        away_wins=aw,
        ties=ties,
        replays=replays,
        std_error=float(np.sqrt(max(var, 0.0) / replays)),
    )


def goal_counts(p: object) -> np.ndarray:
    """P(goals = k) for k = 0..len(p): the Poisson-binomial distribution, by dynamic programming."""
    dist = np.ones(1)
    for q in _chances(p):
        dist = np.concatenate([dist * (1 - q), [0.0]]) + np.concatenate([[0.0], dist * q])
    return dist


def exact(home: object, away: object) -> tuple[float, float]:
    """The home and away shares without sampling (ties split), for checking `deserved`."""
    h, a = goal_counts(home), goal_counts(away)
    joint = np.outer(h, a)  # [home goals, away goals]
    hw = float(np.tril(joint, -1).sum())
    aw = float(np.triu(joint, 1).sum())
    share = hw + (1.0 - hw - aw) / 2
    return share, 1.0 - share
