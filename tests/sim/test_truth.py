import numpy as np

from oa.sim import truth


def _clip(n=200, seed=0):
    rng = np.random.default_rng(seed)
    puck = np.cumsum(rng.normal(0, 0.5, (n, 2)), axis=0) + np.array([60.0, 0.0])
    goalie = np.tile([86.0, 0.0], (n, 1)) + rng.normal(0, 0.3, (n, 2))
    att = np.tile([[60.0, 0.0], [80.0, 2.0], [70.0, 20.0]], (n, 1, 1)) + rng.normal(0, 0.5, (n, 3, 2))
    dfn = np.tile([[75.0, 1.0], [78.0, -10.0]], (n, 1, 1)) + rng.normal(0, 0.5, (n, 2, 2))
    return puck, goalie, att, dfn


def test_situation_reads_nothing_after_release():
    puck, goalie, att, dfn = _clip()
    r = 150
    a = truth.situation(puck, goalie, att, dfn, r, 0, 80.0, "WRIST", False, False)
    for arr in (puck, goalie, att, dfn):
        arr[r:] = 1e3 * np.random.default_rng(1).random(arr[r:].shape)
    b = truth.situation(puck, goalie, att, dfn, r, 0, 80.0, "WRIST", False, False)
    assert a == b


def test_truth_moves_the_right_way():
    base = truth.Situation(30, 10, 5, 0.5, 1.0, 0, 0, 75, "WRIST", False, False, False)
    z = truth.true_logit(base, 0, 0, 75)
    from dataclasses import replace

    assert truth.true_logit(replace(base, distance=15), 0, 0, 75) > z
    assert truth.true_logit(replace(base, goalie_offset=5), 0, 0, 75) > z
    assert truth.true_logit(replace(base, angle_change=40), 0, 0, 75) > z
    assert truth.true_logit(replace(base, empty_net=True), 0, 0, 75) > z
    assert truth.true_logit(base, 0.2, 0, 75) > z > truth.true_logit(base, 0, 0.2, 75)
