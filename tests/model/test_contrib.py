"""Tree-by-tree TreeSHAP on distinct ways (oa.model.contrib) gives LightGBM's own `pred_contrib`,
and a store scored with it holds the same scores, explanations and words as one scored the old way."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from oa.features.compute import load_features
from oa.model import contrib
from oa.model.score import active_models, score_store
from oa.store import Store

TOL = 1e-12


@pytest.fixture(scope="module")
def model_and_matrix(model_store):
    with Store(model_store, read_only=True) as s:
        m = active_models(s)[0]
        X = m.matrix(load_features(s, m.feature_set))
    return m, X


def test_contributions_are_pred_contrib(model_and_matrix, monkeypatch):
    m, X = model_and_matrix
    monkeypatch.setattr(contrib, "MIN_ROWS", 0)
    np.testing.assert_allclose(contrib.contributions(m.booster, X), m.booster.predict(X, pred_contrib=True), 0, TOL)


def test_missing_and_zero_values_go_where_lightgbm_sends_them(model_and_matrix, monkeypatch):
    """Unknown values (NaN) and zeros, which LightGBM may send either way at a split, in every column."""
    m, X = model_and_matrix
    rng = np.random.default_rng(0)
    X = X.copy()
    X[rng.random(X.shape) < 0.15] = np.nan
    X[rng.random(X.shape) < 0.1] = 0.0
    monkeypatch.setattr(contrib, "MIN_ROWS", 0)
    np.testing.assert_allclose(contrib.contributions(m.booster, X), m.booster.predict(X, pred_contrib=True), 0, TOL)


def _scored(db) -> dict:
    with Store(db, read_only=True) as s:
        return {
            "scores": s.query("SELECT * FROM shot_scores ORDER BY shot_id, model_id"),
            "factors": s.query("SELECT * FROM shot_factors ORDER BY shot_id, model_id, factor"),
        }


def test_a_store_scores_the_same_both_ways(model_store, tmp_path, monkeypatch):
    one, many = tmp_path / "one_call" / "s.duckdb", tmp_path / "by_tree" / "s.duckdb"
    for db, rows in ((one, 10**12), (many, 0)):
        shutil.copytree(model_store.parent, db.parent)  # the store and its models beside it
        shutil.move(db.parent / model_store.name, db)
        monkeypatch.setattr(contrib, "MIN_ROWS", rows)
        with Store(db) as s:
            score_store(s)
    a, b = _scored(one), _scored(many)
    assert len(a["factors"]) > 10_000
    for t, numbers in (("scores", ["p_goal", "base_logit"]), ("factors", ["contribution", "contribution_pp"])):
        words = [c for c in a[t].columns if c not in numbers]
        assert a[t][words].equals(b[t][words])
        np.testing.assert_allclose(a[t][numbers].to_numpy(), b[t][numbers].to_numpy(), 0, TOL)
