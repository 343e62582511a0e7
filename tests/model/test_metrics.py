import numpy as np

from oa.model import metrics
from oa.model.train import choose_tiers


def test_log_loss_and_brier_known_values():
    y = np.array([1, 0])
    p = np.array([0.5, 0.5])
    assert abs(metrics.log_loss(y, p) - np.log(2)) < 1e-12
    assert abs(metrics.brier(y, p) - 0.25) < 1e-12


def test_ece_is_small_when_calibrated_and_large_when_not():
    rng = np.random.default_rng(0)
    p = rng.beta(1, 12, 200_000)
    y = rng.random(len(p)) < p
    assert metrics.ece(y, p) < 0.002
    assert metrics.ece(y, np.clip(p * 1.5, 0, 1)) > 0.02
    rows = metrics.reliability(y, p)
    assert len(rows) == metrics.ECE_BINS and sum(r["shots"] for r in rows) == len(p)


def test_tier_rule_and_guards():
    rng = np.random.default_rng(1)
    p = rng.beta(1, 12, 50_000)
    y = rng.random(len(p)) < p
    t = choose_tiers(p, y)
    assert abs(t["medium"] - y.mean()) < 1e-3 and abs(t["high"] - 2.5 * y.mean()) < 2e-3
    rows = metrics.tier_table(p, y, t)
    assert [r["tier"] for r in rows] == ["low", "medium", "high"]
    assert all(r["share"] >= 0.05 for r in rows)
    assert rows[0]["goal_rate"] < rows[1]["goal_rate"] < rows[2]["goal_rate"]
    # a model that never strays from the base rate still gets three tiers of at least 5%
    flat = np.full(10_000, 0.07) + rng.normal(0, 1e-4, 10_000)
    rows = metrics.tier_table(flat, rng.random(10_000) < 0.07, choose_tiers(flat, rng.random(10_000) < 0.07))
    assert all(r["share"] >= 0.049 for r in rows)


def test_mask_some_blanks_a_fixed_share_of_the_listed_factors_only():
    from oa.features.registry import feature_set
    from oa.model.train import MASK_SHARE, mask_some

    fs = feature_set("pbp")
    X = np.ones((20_000, len(fs)))
    out = mask_some(X.copy(), fs, seed=0)
    names = [f.name for f in fs]
    masked = [names.index(n) for n in MASK_SHARE]
    for j in masked:
        assert abs(np.isnan(out[:, j]).mean() - MASK_SHARE[names[j]]) < 0.01, names[j]
    assert not np.isnan(np.delete(out, masked, axis=1)).any()
    assert np.array_equal(np.isnan(out), np.isnan(mask_some(X.copy(), fs, seed=0))), "same seed, same mask"
