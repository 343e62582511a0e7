"""The rolling-origin evaluation on a small simulated store of two seasons with a public model's xG.

The store is written in MoneyPuck's extract format (so `public_xg` is filled by the real adapter):
two seasons of 60 made-up games, goals drawn from a known logistic of distance, which is also the
file's "public" xG. Fast: one grid point per fit.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from oa.bench import seasons as bench
from oa.model.train import TrainError, fit, training_data
from oa.sources.ingest import ingest
from oa.store import Store
from tests.ingest_fixtures import moneypuck_csv

ONE = {"grid": ({"num_leaves": 7, "min_data_in_leaf": 50},)}


@pytest.fixture(scope="module")
def two_seasons(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("seasons")
    files = [
        moneypuck_csv(d / f"mp_{season}.csv", 60, 30, seed, season=season) for season, seed in ((2023, 1), (2024, 2))
    ]
    db = d / "two.duckdb"
    with Store(db) as s:
        ingest(s, "moneypuck", files)
    return db


def test_each_later_season_is_tested_on_a_model_of_the_seasons_before_it(two_seasons):
    with Store(two_seasons, read_only=True) as s:
        df, fs = bench.load(s)
    assert fs == "pbp" and "xg_moneypuck" in df and df["xg_moneypuck"].notna().all()
    rows = bench.evaluate(df, fs, fit_options=ONE)
    assert len(rows) == 1  # 2023-24 has no earlier season
    row = rows[0]
    assert (row["source"], row["test"], row["trained_on"]) == ("moneypuck", "2024-25", ["2023-24"])
    assert row["train_shots"] == (df["season"] == "2023-24").sum()
    te = df[df["season"] == "2024-25"]
    ours = row["ours"]
    assert ours["n"] == len(te) and ours["goals"] == te["is_goal"].sum()
    assert 0.6 < ours["auc"] < 0.9 and abs(ours["mean_p"] - ours["goal_rate"]) < 0.03
    mp = row["public"]["moneypuck"]
    assert mp["theirs"]["n"] == mp["ours_same_shots"]["n"] == len(te)
    assert mp["theirs"]["auc"] > 0.6  # the file's xG is the truth
    by = row["by"]
    assert set(by) == {"shot_type", "period", "strength"}
    assert (
        set(by["shot_type"]) <= {"Wrist", "Snap", "Slap", "Tip-in", "Backhand", "Deflection", "Wraparound"}
        and by["shot_type"]
    )
    assert set(by["strength"]) == {"unknown"}  # MoneyPuck's extract has no strength
    for group in by["period"].values():
        assert group["ours"]["off_points"] == round(100 * (group["ours"]["mean_p"] - group["goal_rate"]), 2) or (
            abs(group["ours"]["off_points"] - 100 * (group["ours"]["mean_p"] - group["goal_rate"])) < 0.02
        )
        assert group["moneypuck"]["n"] == group["n"]
        assert group["se_points"] == bench.se_points(group["goal_rate"], group["n"]) or (
            abs(group["se_points"] - bench.se_points(group["goal_rate"], group["n"])) < 0.02
        )
    assert sum(g["n"] for g in by["period"].values()) == len(te)


def test_targets_and_the_worst_group_are_judged_on_groups_of_1000_shots():
    by = {
        "shot_type": {
            "Tip-in": {"n": 900, "goal_rate": 0.1, "ours": {"n": 900, "mean_p": 0.14, "off_points": 4.0}},
            "Wrist": {"n": 5000, "goal_rate": 0.06, "ours": {"n": 5000, "mean_p": 0.072, "off_points": 1.2}},
        },
        "period": {"1st": {"n": 2000, "goal_rate": 0.06, "ours": {"n": 2000, "mean_p": 0.055, "off_points": -0.5}}},
    }
    worst = bench.worst_group(by)
    # the tips are too few to judge
    assert worst == {"group": "shot_type Wrist", "n": 5000, "off_points": 1.2, "se_points": None}
    assert bench.se_points(0.14, 1096) == 1.05  # the chance wobble of a 1,096-shot group's rate
    row = {
        "ours": {},
        "public": {
            "moneypuck": {
                "ours_same_shots": {
                    "log_loss": 0.2160,
                    "auc": 0.781,
                    "ece": 0.004,
                    "mean_p": 0.0715,
                    "goal_rate": 0.0703,
                }
            }
        },
        "worst_group": worst,
    }
    t = bench.targets(row)
    assert t["log_loss"]["met"] and t["auc"]["met"] and t["ece"]["met"]
    assert t["mean_gap_points"] == {"value": 0.12, "target": "<= 0.2", "met": True}
    assert not t["worst_group_points"]["met"] and t["worst_group_points"]["group"] == "shot_type Wrist"


def test_results_are_kept_per_store_beside_it_for_the_model_page(tmp_path):
    assert bench.read_results(tmp_path) == {}
    bench.save(tmp_path, "a.duckdb", {"seasons": [1]}, "python -m oa bench seasons --db a.duckdb")
    bench.save(tmp_path, "shared", {"seasons": [2]}, "python -m oa bench seasons")
    runs = bench.read_results(tmp_path)
    assert set(runs) == {"a.duckdb", "shared"} and runs["a.duckdb"]["seasons"] == [1]
    assert runs["shared"]["command"] == "python -m oa bench seasons" and runs["shared"]["run_at"].endswith("UTC")
    (tmp_path / "models" / "seasons.json").write_text("{not json", encoding="utf-8")
    assert bench.read_results(tmp_path) == {}  # a damaged file shows nothing rather than failing the page


def test_training_chooses_seasons_and_weighs_recent_ones_more(two_seasons):
    with Store(two_seasons, read_only=True) as s:
        df, _ = training_data(s, None, None, ["2024-25"])
        assert set(df["season"]) == {"2024-25"}
        with pytest.raises(TrainError, match="no games of season 2019-20"):
            training_data(s, None, None, ["2019-20", "2024-25"])
        both, fs = training_data(s, None, None)
    _, report = fit(both, fs, recent_weight=0.5, **ONE)
    w = report["seasons"]
    assert w["2024-25"]["weight"] == pytest.approx(2 * w["2023-24"]["weight"], abs=1e-3)
    assert report["recent_weight"] == 0.5


def test_the_command_runs_on_a_store_and_writes_its_results(two_seasons, monkeypatch):
    from typer.testing import CliRunner

    import oa.bench.seasons
    from oa.cli import app

    real = oa.bench.seasons.evaluate
    monkeypatch.setattr(oa.bench.seasons, "evaluate", lambda *a, **k: real(*a, **k, fit_options=ONE))
    page = two_seasons.parent / "seasons.md"
    page.write_text("# Next season\n\nprose\n<!-- results:start -->\nstale figures\n<!-- results:end -->\nmore prose\n")
    r = CliRunner().invoke(app, ["bench", "seasons", "--db", str(two_seasons), "--json", "--markdown", str(page)])
    assert r.exit_code == 0, r.output
    # the report lays out its own tables: each tested season beside the public model, by group, the targets
    text = page.read_text()
    assert text.startswith("# Next season\n\nprose\n") and text.endswith("more prose\n") and "stale figures" not in text
    assert "| moneypuck | 2024-25 (1,800) | 2023-24 (1,800) | ours |" in text
    assert "| | | | MoneyPuck xGoal |" in text and "**moneypuck 2024-25** by group" in text
    assert "| log loss <= 0.2165 |" in text and "`seasons[0]" not in text
    runs = bench.read_results(two_seasons.parent)
    assert runs[two_seasons.name]["seasons"][0]["test"] == "2024-25"
    d = runs[two_seasons.name]["drift"]["moneypuck"]
    assert set(d) == {"2023-24", "2024-25"} and d["2023-24"]["shots"] == 60 * 30
    assert sum(d["2024-25"]["shot_type_share"].values()) == pytest.approx(1.0, abs=1e-3)
    assert set(runs[two_seasons.name]["seasons"][0]["targets"]) == {
        "log_loss",
        "auc",
        "ece",
        "mean_gap_points",
        "worst_group_points",
    }
    assert "--db" in runs[two_seasons.name]["command"]


def test_the_commands_default_weight_is_the_one_training_documents():
    import inspect

    from oa.cli import bench as bench_cli
    from oa.cli import model as model_cli
    from oa.model.train import RECENT_WEIGHT

    for fn in (model_cli.train, bench_cli.bench_seasons):
        assert inspect.signature(fn).parameters["recent_weight"].default.default == RECENT_WEIGHT
