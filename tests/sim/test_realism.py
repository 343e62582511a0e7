"""The demo league lands near the real NHL profile over a few hundred games."""

import os

import numpy as np
import pytest

from oa.rink import distance_to_net
from oa.sim.profile import load_real_profile, real_flat, real_profile_path, shots_profile


def test_volume_and_goal_rate(league_games):
    s, g = league_games["shots"], league_games["games"]
    per_game = len(s) / len(g)
    assert 78 <= per_game <= 96, per_game
    assert 0.060 <= s["is_goal"].mean() <= 0.080
    goals = (g["home_score"] + g["away_score"] - g["shootout"].astype(int)).mean()
    assert 5.0 <= goals <= 7.2


def test_truth_is_calibrated_and_stored_for_every_shot(league_games):
    s, t = league_games["shots"], league_games["truth"]
    assert len(t) == len(s) and t["shot_id"].is_unique
    m = s.merge(t, on="shot_id")
    # the outcomes are drawn from p_true: observed and expected goals agree within noise
    exp, obs = m["p_true"].sum(), m["is_goal"].sum()
    assert abs(obs - exp) < 4 * np.sqrt((m["p_true"] * (1 - m["p_true"])).sum())
    # and p_true carries real signal
    hi, lo = m[m["p_true"] > 0.2], m[m["p_true"] < 0.03]
    assert hi["is_goal"].mean() > 5 * lo["is_goal"].mean()


def test_profile_near_real(league_games):
    if not real_profile_path().exists() and os.environ.get("CI") != "true":
        pytest.skip(f"real NHL profile not at {real_profile_path()} (never skipped in CI)")
    s, g = league_games["shots"], league_games["games"]
    demo = shots_profile(s, len(g))
    real = real_flat(load_real_profile())
    for q, v in real["distance_ft_quantiles"].items():
        assert abs(demo["distance_ft_quantiles"][q] - v) <= max(3.0, 0.12 * v), q
    for k in ("WRIST", "SNAP", "SLAP", "TIP", "BACK"):
        assert abs(demo["shot_type_share"].get(k, 0) - real["shot_type_share"][k]) < 0.04, k
    assert abs(demo["strength_share_shooter_view"]["5x5"] - 0.794) < 0.05
    assert abs(demo["strength_share_shooter_view"]["5x4"] - 0.127) < 0.04
    assert 0.002 <= demo["empty_net_share"] <= 0.015
    assert 0.05 <= demo["rebound_share"] <= 0.11
    # goal rate falls with distance, as in the real game
    rates = [demo["goal_rate_by_distance_ft"][k] for k in ("0-10", "10-20", "20-30", "30-40", "40-50")]
    assert all(a > b for a, b in zip(rates, rates[1:]))
    # the power play converts more often than even strength
    gr = demo["goal_rate_by_strength_shooter_view"]
    assert gr["5x4"] > gr["5x5"]


def test_shots_are_in_the_offensive_half_mostly(league_games):
    s = league_games["shots"]
    d = distance_to_net(s["x"], s["y"])
    assert (s["x"] > 25).mean() > 0.97
    assert d.min() >= 0
