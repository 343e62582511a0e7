"""The model page's section on factor interactions: the stored pairs, or a note to retrain."""

from __future__ import annotations

import json
import shutil

from oa.app.interactions import RETRAIN, pair_label
from oa.features.registry import factor_labels
from oa.store import Store
from tests.app.test_pages import app, ok, specs

SECTION = "**Which factors change each other's effect**"


def _top_pairs(db) -> dict[str, str]:
    with Store(db, read_only=True) as s:
        rows = s.query("SELECT model_id, metrics_json FROM models WHERE active")
    return {
        mid: pair_label(json.loads(mj)["interactions"]["pairs"][0]["factors"], factor_labels())
        for mid, mj in zip(rows["model_id"], rows["metrics_json"])
    }


def test_model_page_shows_the_strongest_pairs_of_each_model(model_store, monkeypatch):
    at = app(monkeypatch, model_store)
    at.switch_page("pages/model.py").run()
    ok(at)
    said = [m.value for m in at.markdown]
    assert said.count(SECTION) == 2, "one section per active model"
    charts = {json.loads(c.proto.spec)["layout"]["title"]["text"]: c for c in at.get("plotly_chart")}
    assert any(t.startswith("Pairs of factors") for t in charts)
    bars = [s["data"][0]["y"] for s in specs(at) if s["layout"]["title"]["text"].startswith("Pairs of factors")]
    for top in _top_pairs(model_store).values():
        assert any(f"**Strongest pair: {top}.**" in m for m in said), top
        assert any(ys[0].replace("<br>", " ") == top for ys in bars), (top, bars)
    captions = " ".join(c.value for c in at.caption)
    assert "beyond what each does on its own" in captions and "SHAP interaction values" in captions
    assert not any(RETRAIN in i.value for i in at.info)


def test_a_model_trained_before_interactions_says_retrain(model_store, tmp_path, monkeypatch):
    db = tmp_path / model_store.name
    shutil.copy(model_store, db)
    shutil.copytree(model_store.parent / "models", tmp_path / "models")
    with Store(db) as s:
        rows = s.query("SELECT model_id, metrics_json FROM models")
        for mid, mj in zip(rows["model_id"], rows["metrics_json"]):
            old = {k: v for k, v in json.loads(mj).items() if k != "interactions"}
            s.con.execute("UPDATE models SET metrics_json = ? WHERE model_id = ?", [json.dumps(old), mid])
    at = app(monkeypatch, db)
    at.switch_page("pages/model.py").run()
    ok(at)
    notes = [i.value for i in at.info if RETRAIN in i.value]
    assert len(notes) == 2 and f"python -m oa train --db {db}" in notes[0]
    assert not any(m.value.startswith("**Strongest pair") for m in at.markdown)
    assert {"AUC", "Log loss"} <= {m.label for m in at.metric}, "the rest of the page is unchanged"
