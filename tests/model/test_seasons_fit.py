"""Training across seasons: recency weights, the calibration that follows the latest goal rate,
monotone distance and angle, and category values read as one (kept in the model file)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from oa.features.registry import feature_set
from oa.model.artifact import ModelError, encode, load_model
from oa.model.train import TrainError, fit, follow_rate, season_weights, training_data
from oa.sources.ingest import ingest
from oa.store import Store
from oa.vocab import sigmoid
from tests.ingest_fixtures import moneypuck_csv

ONE = ({"num_leaves": 7, "min_data_in_leaf": 50},)


@pytest.fixture(scope="module")
def frame(tmp_path_factory) -> tuple[pd.DataFrame, str]:
    d = tmp_path_factory.mktemp("fit")
    files = [moneypuck_csv(d / f"{s}.csv", 40, 30, s, season=s) for s in (2022, 2023)]
    with Store(d / "s.duckdb") as s:
        ingest(s, "moneypuck", files)
        return training_data(s, None, None)


def test_season_weights_halve_per_season_back_and_average_one():
    w = season_weights(np.array(["2024-25", "2022-23", "2023-24", "2024-25"]), 0.5)
    assert w[0] == w[3] == pytest.approx(2 * w[2]) and w[2] == pytest.approx(2 * w[1])
    assert w.mean() == pytest.approx(1.0)
    assert np.allclose(season_weights(np.array(["2023-24", "2024-25"]), 1.0), 1.0)
    with pytest.raises(TrainError, match="recent-season weight"):
        season_weights(np.array(["2023-24"]), 0.0)


def test_follow_rate_moves_the_intercept_to_the_goal_rate():
    rng = np.random.default_rng(0)
    margin = rng.normal(-2.5, 1.0, 5000)
    y = (rng.random(5000) < 0.09).astype(float)
    b = follow_rate(margin, y, 0.0)
    assert sigmoid(margin + b).mean() == pytest.approx(y.mean(), abs=1e-6)


def test_distance_never_raises_the_chance_and_the_angle_can_be_held_too(frame):
    df, fs = frame
    model, _ = fit(df, fs, grid=ONE, monotone={"distance": -1, "angle": -1})
    probe = pd.concat([df.iloc[[0]]] * 60, ignore_index=True)
    probe["distance"] = np.linspace(3, 90, 60)
    p = model.predict(model.matrix(probe))
    assert np.all(np.diff(p) <= 1e-12)
    probe = pd.concat([df.iloc[[1]]] * 60, ignore_index=True)
    probe["angle"] = np.linspace(0, 89, 60)
    assert np.all(np.diff(model.predict(model.matrix(probe))) <= 1e-12)
    free, _ = fit(df, fs, grid=ONE, monotone={})
    assert "monotone_constraints" not in free.booster.params
    default, _ = fit(df, fs, grid=ONE)
    probe = pd.concat([df.iloc[[2]]] * 60, ignore_index=True)
    probe["distance"] = np.linspace(3, 90, 60)
    assert np.all(np.diff(default.predict(default.matrix(probe))) <= 1e-12)


def test_the_latest_training_season_sets_the_rate(frame):
    df, fs = frame
    df = df.copy()
    old = df["season"] == "2022-23"
    # an earlier era that scored twice as often: its goals must not lift the next season's level
    extra = df[old & (df["is_goal"] == 1)].assign(game_id=lambda g: g["game_id"] + 10_000_000)
    both = pd.concat([df, extra, extra], ignore_index=True)
    model, report = fit(both, fs, grid=ONE, recent_weight=0.5)
    new = both["season"] == "2023-24"
    p = model.predict(model.matrix(both[new]))
    latest_rate = both.loc[new, "is_goal"].mean()
    assert abs(p.mean() - latest_rate) < 0.01
    assert report["seasons"]["2023-24"]["weight"] == pytest.approx(2 * report["seasons"]["2022-23"]["weight"])


def test_values_read_as_one_are_encoded_alike_and_kept_in_the_model_file(frame, tmp_path):
    df, fs = frame
    factors = feature_set(fs)
    j = [f.name for f in factors].index("shot_type")
    X = encode(factors, df, {"shot_type": {"SNAP": "WRIST"}})
    snap, wrist = (df["shot_type"] == "SNAP").to_numpy(), (df["shot_type"] == "WRIST").to_numpy()
    assert set(X[snap, j]) == set(X[wrist, j]) == {0.0}
    model, _ = fit(df, fs, grid=ONE, same_as={"shot_type": {"SNAP": "WRIST"}})
    model.meta.update(model_id="same-as-test", trained_at="2026-01-01T00:00:00+00:00")
    path = model.save(tmp_path)
    back = load_model(path)
    assert back.meta["same_as"] == {"shot_type": {"SNAP": "WRIST"}}
    assert np.allclose(back.predict(back.matrix(df)), model.predict(model.matrix(df)))
    swapped = df.assign(shot_type=df["shot_type"].replace({"SNAP": "WRIST"}))
    assert np.allclose(back.predict(back.matrix(swapped)), back.predict(back.matrix(df)))
    model.meta.update(model_id="same-as-bad", same_as={"shot_type": {"SNAP": "KNUCKLEPUCK"}})
    with pytest.raises(ModelError, match="reads categories as others"):
        load_model(model.save(tmp_path))
