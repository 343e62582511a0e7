"""The Model page's "next season" section: the rolling results saved beside the store, and where they come from."""

from __future__ import annotations

import shutil

from oa.app import rolling
from oa.model.rolling import save
from tests.app.test_pages import app, ok

SUMMARY = {"n": 1000, "goals": 70, "auc": 0.78, "log_loss": 0.2170, "brier": 0.059, "ece": 0.004}
RUN = {
    "stores": ["bench_moneypuck.duckdb"],
    "seasons": [
        {
            "source": "moneypuck",
            "test": "2024-25",
            "trained_on": ["2023-24"],
            "ours": SUMMARY | {"mean_p": 0.071, "goal_rate": 0.0703},
            "public": {
                "moneypuck": {
                    "theirs": SUMMARY | {"auc": 0.7785, "log_loss": 0.2183, "mean_p": 0.0719, "goal_rate": 0.0703},
                    "ours_same_shots": SUMMARY | {"mean_p": 0.071, "goal_rate": 0.0703},
                }
            },
            "by": {
                "period": {
                    "overtime": {
                        "n": 1664,
                        "goal_rate": 0.1256,
                        "ours": {"n": 1664, "mean_p": 0.12, "off_points": -0.56},
                        "moneypuck": {"n": 1664, "mean_p": 0.0817, "off_points": -4.39},
                    }
                }
            },
        }
    ],
}


def test_rows_put_ours_beside_the_public_model_on_its_shots():
    t = rolling.season_rows(RUN)
    assert t["Model"].tolist() == ["Our model", "Our model, on the shots MoneyPuck xGoal rates", "MoneyPuck xGoal"]
    assert t["Log loss"].tolist() == [0.2170, 0.2170, 0.2183] and set(t["Tested on"]) == {"2024-25"}
    g = rolling.group_rows(RUN["seasons"][0])
    assert g.iloc[0][["By", "Group", "Points off (ours)", "Points off (MoneyPuck xGoal)"]].tolist() == [
        "period",
        "overtime",
        -0.56,
        -4.39,
    ]
    assert rolling.season_rows({"seasons": [{"bad": 1}]}).empty


def test_model_page_shows_the_saved_results_and_says_where_they_come_from(model_store, tmp_path, monkeypatch):
    db = tmp_path / model_store.name
    shutil.copy(model_store, db)
    shutil.copytree(model_store.parent / "models", tmp_path / "models")
    at = app(monkeypatch, db)
    at.switch_page("pages/model.py").run()
    ok(at)
    assert any("No rolling evaluation beside this store yet" in i.value for i in at.info)
    save(tmp_path, "shared", RUN, "python -m oa bench seasons")
    at = app(monkeypatch, db)
    at.switch_page("pages/model.py").run()
    ok(at)
    assert "Does it hold on the next season?" in [h.value for h in at.subheader]
    captions = " ".join(c.value for c in at.caption).replace("\\", "")  # the caption is escaped Markdown
    assert "bench seasons" in captions and "bench_moneypuck.duckdb" in captions and "seasons.json" in captions
    frames = [d.value for d in at.dataframe]
    assert any("Tested on" in f.columns and "MoneyPuck xGoal" in set(f["Model"]) for f in frames)
