"""Factor interactions: worked out once at training, stored small in the model's JSON, reproducible."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from oa.features.registry import factor_named
from oa.model.artifact import load_model
from oa.model.interactions import TOP_PAIRS, explain_interactions, summarize
from oa.model.score import active_models
from oa.model.train import training_data
from oa.store import Store


def _metrics(model_store) -> dict[str, dict]:
    with Store(model_store, read_only=True) as s:
        rows = s.query("SELECT feature_set, metrics_json FROM models WHERE active")
    return {fs: json.loads(mj) for fs, mj in zip(rows["feature_set"], rows["metrics_json"])}


def test_every_trained_model_stores_its_strongest_pairs(model_store):
    with Store(model_store, read_only=True) as s:
        models = active_models(s)  # load_model: the checksums cover the new key
    stored = _metrics(model_store)
    for m in models:
        inter = m.meta["metrics"]["interactions"]
        assert inter == stored[m.feature_set]["interactions"], "the store's copy is the JSON's"
        pairs = inter["pairs"]
        assert len(pairs) == TOP_PAIRS and inter["shots"] == 1000
        strengths = [p["pp"] for p in pairs]
        assert strengths == sorted(strengths, reverse=True) and strengths[-1] > 0
        assert all(len(set(p["factors"])) == 2 and set(p["factors"]) <= set(m.meta["features"]) for p in pairs)
        assert list(inter["main"]) and set(inter["main"]) == set(m.meta["features"])
        ex = inter["example"]
        assert list(ex["values"]) == pairs[0]["factors"] and all(isinstance(v, str) for v in ex["values"].values())
        assert abs(ex["pp"]) >= pairs[0]["pp"], "the example is the pair's clearest case"
        assert len(json.dumps(inter)) < 4000, "small: it travels with every model"


def test_interactions_are_reproduced_from_the_training_shots(model_store):
    """Fixed seed: the same shots explained again give the stored figures."""
    with Store(model_store, read_only=True) as s:
        m = next(m for m in active_models(s) if m.feature_set == "pbp")
        df, _ = training_data(s, None, "pbp")
    a, b = m.meta["platt"]["a"], m.meta["platt"]["b"]
    again = explain_interactions(m.booster, m.factors, df, m.matrix(df), a, b, seed=m.meta["provenance"]["train_seed"])
    stored = m.meta["metrics"]["interactions"]
    assert {k: v for k, v in again.items() if k != "seconds"} == {k: v for k, v in stored.items() if k != "seconds"}


def test_summary_of_known_interaction_values():
    """Two shots, three factors: a pair's strength is both halves, times the Platt slope, averaged;
    ranked in points of goal chance."""
    factors = [factor_named(n) for n in ("distance", "shot_type", "angle")]
    iv = np.zeros((2, 3, 3))
    iv[:, 0, 0] = [0.5, -0.3]  # distance on its own
    iv[0, 0, 1] = iv[0, 1, 0] = 0.1  # distance x shot type: 0.2 on shot 0 ...
    iv[1, 0, 1] = iv[1, 1, 0] = -0.2  # ... -0.4 on shot 1
    iv[:, 0, 2] = iv[:, 2, 0] = 0.05  # distance x angle: 0.1 on both
    kinds = list(factors[1].categories[:2])
    df = pd.DataFrame({"distance": [10.0, 50.0], "shot_type": kinds, "angle": [0.0, 30.0]})
    out = summarize(iv, factors, df, a=2.0, b=-2.0, seconds=0.1)
    assert [p["factors"] for p in out["pairs"]] == [
        ["distance", "shot_type"],
        ["distance", "angle"],
        ["shot_type", "angle"],
    ]
    assert [p["logit"] for p in out["pairs"]] == pytest.approx([2.0 * 0.3, 2.0 * 0.1, 0.0])
    assert out["main"]["distance"]["logit"] == pytest.approx(2.0 * 0.4) and list(out["main"])[0] == "distance"
    # the example: shot 0, where the pair's +0.4 log-odds is 9 points (shot 1's -0.8 is only 4, on a long shot)
    ex = out["example"]
    assert ex["values"] == {"distance": factors[0].say(10.0), "shot_type": factors[1].say(kinds[0])}
    assert ex["logit"] == pytest.approx(0.4)
    z = 2.0 * iv[0].sum() - 2.0  # the shot's calibrated logit
    assert ex["pp"] == pytest.approx(100 * (1 / (1 + np.exp(-z)) - 1 / (1 + np.exp(-(z - 0.4)))), abs=0.01)
    assert ex["pp"] > 9 and out["pairs"][0]["pp"] == pytest.approx((ex["pp"] + 4.38) / 2, abs=0.02)


def test_a_model_saved_without_interactions_still_loads(model_store, tmp_path):
    with Store(model_store, read_only=True) as s:
        m = active_models(s)[0]
    del m.meta["metrics"]["interactions"]
    path = m.save(tmp_path)
    assert "interactions" not in load_model(path).meta["metrics"]
