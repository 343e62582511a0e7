import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from oa.cli import app
from oa.features.compute import build_features, load_features
from oa.model.artifact import ModelError, load_model
from oa.model.score import score_batch, score_store
from oa.model.train import TrainError, train
from oa.store import Store, StoreError

runner = CliRunner()


def said(r) -> str:
    """CLI output with rich's line wrapping undone."""
    return " ".join(r.output.split())


def _copy(src: Path, dst_dir: Path) -> Path:
    dst = dst_dir / src.name
    shutil.copy(src, dst)
    shutil.copytree(src.parent / "models", dst_dir / "models")
    return dst


def _snapshot(store: Store) -> dict:
    return {
        t: store.query(f"SELECT * FROM {t} ORDER BY ALL").to_json(date_format="iso")
        for t in ("models", "shot_scores", "shot_factors")
    }


def test_model_files_are_text_and_json_and_registered(model_store):
    with Store(model_store, read_only=True) as s:
        models = s.query("SELECT * FROM models ORDER BY feature_set DESC")
    # the demo trains a tracking model and a play-by-play one (for shots without tracking)
    assert models["feature_set"].tolist() == ["tracking", "pbp"] and models["active"].all()
    assert models["path"].iloc[0] == f"models/{models['model_id'].iloc[0]}.txt", (
        "relative: store and models/ move together"
    )
    path = model_store.parent / models["path"].iloc[0]
    assert path.read_text().startswith("tree\n")  # LightGBM text format
    meta = json.loads(path.with_suffix(".json").read_text())
    assert meta["feature_set"] == "tracking" and len(meta["features"]) >= 24
    assert set(meta["thresholds"]) >= {"medium", "high", "rule"}
    assert meta["metrics"]["cv"]["n"] > 2000 and meta["provenance"]["games"] == 40
    assert meta["metrics"]["cv"]["auc"] > meta["metrics"]["cv_baseline"]["auc"]
    m = load_model(path)
    assert m.model_id == models["model_id"].iloc[0]


def test_every_shot_is_scored_and_explanations_add_up(model_store):
    with Store(model_store, read_only=True) as s:
        n_shots = s.query("SELECT count(*) n FROM shots")["n"].iloc[0]
        sc = s.query("SELECT * FROM shot_scores ORDER BY shot_id")
        agg = s.query(
            "SELECT shot_id, sum(contribution) c, sum(contribution_pp) pp, count(*) k, "
            "count(value_label) labels FROM shot_factors GROUP BY shot_id ORDER BY shot_id"
        )
    assert len(sc) == n_shots and set(sc["tier"]) == {"low", "medium", "high"}
    assert (agg["shot_id"].to_numpy() == sc["shot_id"].to_numpy()).all()
    logit = np.log(sc["p_goal"] / (1 - sc["p_goal"]))
    assert np.max(np.abs(sc["base_logit"] + agg["c"] - logit)) < 1e-9
    p0 = 1 / (1 + np.exp(-sc["base_logit"]))
    assert np.max(np.abs(agg["pp"] - 100 * (sc["p_goal"] - p0))) < 1e-9
    assert (agg["k"] == agg["labels"]).all() and agg["k"].nunique() == 1


def test_tiers_order_goal_rates_and_calibration_is_sane(model_store):
    with Store(model_store, read_only=True) as s:
        meta = json.loads(s.query("SELECT metrics_json FROM models")["metrics_json"].iloc[0])
        d = s.query(
            "SELECT tier, avg(p_goal) p, avg(is_goal::INT) g, count(*) n FROM shot_scores "
            "JOIN shots USING (shot_id) GROUP BY tier"
        )
    rates = {r["tier"]: r["goal_rate"] for r in meta["tiers"]}
    assert rates["low"] < rates["medium"] < rates["high"]
    assert all(r["share"] >= 0.05 for r in meta["tiers"])
    assert abs(meta["cv"]["mean_p"] - meta["cv"]["goal_rate"]) < 0.01
    stored = d.set_index("tier")
    assert stored.loc["low", "p"] < stored.loc["medium", "p"] < stored.loc["high", "p"]
    assert stored.loc["low", "g"] < stored.loc["high", "g"]


def test_single_shot_matches_the_stored_batch_score(model_store):
    with Store(model_store, read_only=True) as s:
        m = load_model(model_store.parent / s.query("SELECT path FROM models")["path"].iloc[0])
        feats = load_features(s, "tracking")
        stored = s.query("SELECT shot_id, p_goal FROM shot_scores ORDER BY shot_id")
    for i in (0, 17, len(feats) - 1):
        one = score_batch(m, feats.iloc[i : i + 1])
        assert abs(one.p[0] - stored["p_goal"].iloc[i]) < 1e-12
        top = one.top(0, 3)
        assert len(top) == 3 and abs(top[0]["logit"]) >= abs(top[-1]["logit"]) and isinstance(top[0]["value"], str)


def test_too_few_goals_is_a_clear_error_and_changes_nothing(tiny_store, tmp_path):
    db = tmp_path / "tiny.duckdb"
    shutil.copy(tiny_store, db)
    with Store(db) as s:
        build_features(s)
        before = _snapshot(s)
        with pytest.raises(TrainError, match="14 goals; training needs at least 500 shots and 50 goals"):
            train(s)
        assert _snapshot(s) == before
    assert not (tmp_path / "models").exists()
    r = runner.invoke(app, ["train", "--db", str(db)])
    assert r.exit_code == 1 and "goals" in said(r) and "python -m oa demo" in said(r)


def test_store_without_shots_or_factors_says_what_to_do(tmp_path):
    db = tmp_path / "empty.duckdb"
    Store(db).close()
    r = runner.invoke(app, ["train", "--db", str(db)])
    assert r.exit_code == 1 and "no games" in said(r)
    r = runner.invoke(app, ["score", "--db", str(db)])
    assert r.exit_code == 1 and "python -m oa train" in said(r)
    r = runner.invoke(app, ["features", "--db", str(db)])
    assert r.exit_code == 1 and "no games" in said(r)
    r = runner.invoke(app, ["train", "--db", str(db), "--features", "video"])
    assert r.exit_code == 2 and "tracking or pbp" in said(r)


def test_model_that_does_not_match_the_data_is_refused(model_store, tmp_path):
    db = _copy(model_store, tmp_path)
    with Store(db) as s:
        path = Path(s.query("SELECT path FROM models")["path"].iloc[0])
    local = tmp_path / "models" / path.name
    # 1. metadata whose feature list disagrees with the booster
    bad = tmp_path / "bad"
    bad.mkdir()
    shutil.copy(local, bad / local.name)
    meta = json.loads(local.with_suffix(".json").read_text())
    meta["features"] = meta["features"][::-1]
    (bad / local.with_suffix(".json").name).write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="disagree on the factors"):
        load_model(bad / local.name)
    # 2. a model expecting a factor this store has never computed
    text = local.read_text().replace("distance", "distance_v2")
    meta = json.loads(local.with_suffix(".json").read_text())
    meta["features"] = ["distance_v2" if f == "distance" else f for f in meta["features"]]
    (bad / local.name).write_text(text)
    (bad / local.with_suffix(".json").name).write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="distance_v2"):
        load_model(bad / local.name)
    # 3. through the CLI: clear message, store untouched
    with Store(db) as s:
        before = _snapshot(s)
    r = runner.invoke(app, ["score", "--db", str(db), "--model", str(bad / local.name)])
    assert r.exit_code == 1 and "distance_v2" in said(r) and "retrain" in said(r)
    with Store(db) as s:
        assert _snapshot(s) == before
    # 4. a store whose factor columns lack what the model needs
    with Store(db) as s:
        s.con.execute("ALTER TABLE shot_features DROP COLUMN goalie_travel")
        with pytest.raises(ModelError, match="goalie_travel"):
            score_store(s)
        assert _snapshot(s) == before


def test_missing_model_file_is_a_clear_error(model_store, tmp_path):
    db = _copy(model_store, tmp_path)
    for f in (tmp_path / "models").glob("*.txt"):
        f.unlink()
    with Store(db) as s:
        with pytest.raises(ModelError, match="missing"):
            score_store(s)


def test_rescoring_is_idempotent(model_store, tmp_path):
    db = _copy(model_store, tmp_path)
    with Store(db) as s:  # a copied store finds the copied models/ beside it
        before = _snapshot(s)
        score_store(s)
        assert _snapshot(s) == before


def test_score_without_features_is_refused(tiny_store, tmp_path):
    db = tmp_path / "t.duckdb"
    shutil.copy(tiny_store, db)
    with Store(db) as s, pytest.raises(StoreError, match="no trained model"):
        score_store(s)


def test_bench_model_prints_the_figures_the_issue_asks_for(tmp_path):
    db = tmp_path / "bench.duckdb"
    r = runner.invoke(app, ["bench", "model", "--games", "30", "--db", str(db), "--json", "--workers", "2"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout.strip().splitlines()[-1])
    for k in ("n_train", "n_test", "score_explain_shots_per_s", "single_shot_ms_p99", "tiers", "thresholds"):
        assert k in out
    for who in ("model", "baseline", "oracle"):
        assert set(out[who]) >= {"auc", "log_loss", "brier", "ece"}
    assert out["n_train"] > 1500 and out["n_test"] > 500
    assert [t["tier"] for t in out["tiers"]] == ["low", "medium", "high"]
    # a second run reuses the built league
    r = runner.invoke(app, ["bench", "model", "--games", "30", "--db", str(db), "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout.strip().splitlines()[-1])["build"]["reused_store"] is True


def test_unknown_goalie_height_is_not_read_as_an_empty_net(model_store):
    """Height is blanked on a share of training shots, so 'unknown' means 'about average', not 'no goalie'."""
    from oa.features.compute import load_features
    from oa.model.score import active_models

    with Store(model_store, read_only=True) as s:
        m = next(m for m in active_models(s) if m.feature_set == "tracking")
        df = load_features(s, "tracking")
    with_goalie = df[df["goalie_height"].notna()].head(500).reset_index(drop=True)
    blank = with_goalie.copy()
    blank["goalie_height"] = np.nan
    shift = m.logit(m.matrix(blank)) - m.logit(m.matrix(with_goalie))
    assert np.abs(shift).mean() < 0.15, np.abs(shift).mean()


def test_thread_count_changes_speed_not_the_model(model_store, monkeypatch):
    """Training picks one thread for small sets (oa.model.train.ONE_THREAD_BELOW); the model must not depend on it."""
    import oa.model.train as T

    with Store(model_store, read_only=True) as s:
        df = load_features(s, "tracking", "AND s.outcome <> 'BLOCK'")
    grid = ({"num_leaves": 7, "min_data_in_leaf": 50},)
    one, rep_one = T.fit(df, "tracking", grid=grid)
    monkeypatch.setattr(T, "ONE_THREAD_BELOW", 0)
    two, rep_two = T.fit(df, "tracking", grid=grid)
    assert rep_one["params"]["num_threads"] == 1 and rep_two["params"]["num_threads"] == 0
    X = one.matrix(df)
    assert np.array_equal(one.predict(X), two.predict(X))
    assert rep_one["cv"] == rep_two["cv"]


def test_a_store_factored_before_a_new_factor_says_so_and_train_computes_it_first(tmp_path):
    """A store built by an older version lacks the newest factor (here lead_late_s): reading its
    features names the factor and the command; `oa train` computes it first, values unchanged."""
    from oa.sources.ingest import ingest
    from tests.ingest_fixtures import moneypuck_csv

    db = tmp_path / "old.duckdb"
    with Store(db) as s:
        ingest(s, "moneypuck", [moneypuck_csv(tmp_path / "mp.csv", 40, 30, 3)])
        before = s.query("SELECT shot_id, distance, score_diff FROM shot_features ORDER BY shot_id")
        s.con.execute("ALTER TABLE shot_features DROP COLUMN lead_late_s")
        with pytest.raises(StoreError, match=r"before lead_late_s existed.*python -m oa features --db"):
            load_features(s, "pbp")
    r = runner.invoke(app, ["train", "--db", str(db)])
    assert r.exit_code == 0, said(r)
    assert "predate lead_late_s: computing them first" in said(r)
    with Store(db, read_only=True) as s:
        after = s.query("SELECT shot_id, distance, score_diff FROM shot_features ORDER BY shot_id")
        assert after.equals(before)
        assert s.scalar("SELECT count(*) FROM shot_features WHERE lead_late_s IS NOT NULL") > 0


def test_training_stores_each_training_shots_out_of_fold_probability(model_store):
    """One out-of-fold row per shot an active model trained on, from that model, a probability that follows
    the model's own score without being it (the fold model never saw the shot's game)."""
    with Store(model_store, read_only=True) as s:
        rows = s.query(
            "SELECT o.model_id, o.p_goal AS oof, sc.p_goal AS score, sc.model_id AS scored_by, s.is_goal "
            "FROM shot_oof o JOIN shots s USING (shot_id) "
            "LEFT JOIN shot_scores sc ON sc.shot_id = o.shot_id AND sc.model_id = o.model_id"
        )
        active = set(s.query("SELECT model_id FROM models WHERE active")["model_id"])
        unblocked = int(s.scalar("SELECT count(*) FROM shots WHERE outcome <> 'BLOCK'"))
        dupes = int(s.scalar("SELECT count(*) - count(DISTINCT (shot_id, model_id)) FROM shot_oof"))
    assert len(rows) and set(rows["model_id"]) <= active and dupes == 0
    per_model = rows.groupby("model_id").size()
    assert (per_model <= unblocked).all() and per_model.max() > 0.9 * unblocked  # the training shots: unblocked
    assert rows["oof"].between(0, 1, inclusive="neither").all()
    both = rows.dropna(subset=["score"])
    assert np.corrcoef(both["oof"], both["score"])[0, 1] > 0.8
    assert (both["oof"] - both["score"]).abs().mean() > 1e-4  # not the final model's score
    # in sample the final model leans toward the shots it learned: its log loss is lower than out of fold
    y = both["is_goal"].astype(float)
    ll = lambda p: float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).mean())  # noqa: E731
    assert ll(both["score"]) < ll(both["oof"])
