"""The Model page's "next season" section: the rolling-origin results as tables, and where they come from.

The figures are the ones `python -m oa bench seasons` saved beside the store (`oa.model.rolling`);
the page never trains. Pure functions, no Streamlit, so they are tested on plain dicts.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from oa.app.text import esc
from oa.model.rolling import read_results, results_path

FIGURES = ("auc", "log_loss", "brier", "ece", "mean_p", "goal_rate")
PUBLIC = {"moneypuck": "MoneyPuck xGoal", "hockeyr": "hockeyR xg"}


def runs_for(db: str | Path) -> tuple[dict, Path]:
    """The saved runs beside the store `db`, and the file they come from."""
    folder = Path(db).resolve().parent
    return read_results(folder), results_path(folder)


def season_rows(run: dict) -> pd.DataFrame:
    """One row per tested season and model: ours on all its shots, and ours beside each public model on its shots."""
    rows = []
    for r in run.get("seasons", []):
        if not isinstance(r, dict) or "ours" not in r:
            continue
        head = {
            "Source": r.get("source"),
            "Tested on": r.get("test"),
            "Trained on": ", ".join(r.get("trained_on", [])),
        }
        rows.append(head | {"Model": "Our model", "Shots": r["ours"].get("n")} | _figures(r["ours"]))
        for name, pub in (r.get("public") or {}).items():
            label = PUBLIC.get(name, name)
            rows.append(
                head
                | {"Model": f"Our model, on the shots {label} rates", "Shots": pub["ours_same_shots"].get("n")}
                | _figures(pub["ours_same_shots"])
            )
            rows.append(head | {"Model": label, "Shots": pub["theirs"].get("n")} | _figures(pub["theirs"]))
    return pd.DataFrame(rows)


def _figures(m: dict) -> dict:
    names = {
        "auc": "AUC",
        "log_loss": "Log loss",
        "brier": "Brier",
        "ece": "ECE",
        "mean_p": "Mean predicted",
        "goal_rate": "Goal rate",
    }
    return {names[k]: m.get(k) for k in FIGURES}


def group_rows(season: dict) -> pd.DataFrame:
    """A tested season by shot type, period and strength: observed rate, and each model's points off it."""
    rows = []
    for kind, groups in (season.get("by") or {}).items():
        for value, g in groups.items():
            row = {
                "By": kind.replace("_", " "),
                "Group": value,
                "Shots": g.get("n"),
                "Goal rate": g.get("goal_rate"),
                "Chance wobble (points)": g.get("se_points"),
            }
            for model, m in g.items():
                if isinstance(m, dict):
                    label = "ours" if model == "ours" else PUBLIC.get(model, model)
                    row[f"Points off ({label})"] = m.get("off_points")
            rows.append(row)
    return pd.DataFrame(rows)


def where_from(key: str, run: dict, path: Path) -> str:
    """The caption that says where the figures come from (escaped: the file is read as data)."""
    stores = ", ".join(run.get("stores", [])) or key
    return esc(
        f"From {run.get('command', 'python -m oa bench seasons')}, run {run.get('run_at', '(time unknown)')} "
        f"on {stores}; saved in {path}. Each season is rated by a model trained only on the seasons before it."
    )
