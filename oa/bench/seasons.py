"""Does the model hold on the next season? A rolling-origin evaluation, beside the public models.

For every season N of a source that has earlier seasons: train on the seasons before N (recent
ones weighted more, see `oa.model.train.season_weights`), test on N. Reported: AUC, log loss,
Brier, ECE, mean predicted against the observed goal rate, and the same by shot type, period and
strength, beside MoneyPuck's `xGoal` and hockeyR's `xg` on the shots they rate (`public_xg`).
Without `--db` it runs on the real seasons in ../shared (MoneyPuck 2023-24 and 2024-25;
hockey_scraper 2017-18 (partial), 2018-19 and 2019-20 (partial)), in stores built under data/.
The results are also kept in models/seasons.json beside the stores (`oa.model.rolling`), where the
Model page reads them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from oa.model import metrics
from oa.model.rolling import read_results, save
from oa.model.train import RECENT_WEIGHT, fit, training_data
from oa.store import Store
from oa.vocab import SHOT_TYPE_WORDS, STRENGTH_WORDS

Progress = Callable[[str, int, int], None]
GROUP_MIN = 1_000  # a group's calibration is judged (targets) only with at least this many shots
SHOWN_MIN = 200  # ... and reported with at least this many
PUBLIC_NAMES = {"moneypuck": "MoneyPuck xGoal", "hockeyr": "hockeyR xg"}
# the targets for MoneyPuck 2024-25 trained on 2023-24 (issue 14)
TARGETS = {"log_loss": 0.2165, "auc": 0.780, "ece": 0.005, "mean_gap_points": 0.2, "group_gap_points": 1.0}


def load(store: Store) -> tuple[pd.DataFrame, str]:
    """A store's unblocked attempts with factors, season and every public model's xG (one column each)."""
    df, feature_set = training_data(store, None, None)
    px = store.query("SELECT shot_id, model, xg FROM public_xg")
    if len(px):
        wide = px.pivot_table(index="shot_id", columns="model", values="xg", aggfunc="first")
        wide.columns = [f"xg_{c}" for c in wide.columns]
        df = df.merge(wide.reset_index(), on="shot_id", how="left")
    return df, feature_set


def _period_name(p: float) -> str:
    return "overtime" if p >= 4 else ("1st", "2nd", "3rd")[int(p) - 1]


def groups(df: pd.DataFrame, y: np.ndarray, preds: dict[str, np.ndarray]) -> dict[str, dict]:
    """By shot type, period and strength: shots, observed rate and each model's mean predicted (points off)."""
    keys = {
        "shot_type": df["shot_type"].map(
            lambda t: SHOT_TYPE_WORDS.get(t, "Unknown") if isinstance(t, str) else "Unknown"
        ),
        "period": df["period"].astype(float).map(_period_name),
        "strength": df["strength"].map(lambda s: STRENGTH_WORDS.get(s, "unknown") if isinstance(s, str) else "unknown"),
    }
    out: dict[str, dict] = {}
    for name, key in keys.items():
        rows = {}
        for value, idx in key.groupby(key.to_numpy()).groups.items():
            m = df.index.isin(idx)
            if m.sum() < SHOWN_MIN:
                continue
            rate = float(y[m].mean())
            row: dict = {"n": int(m.sum()), "goal_rate": round(rate, 4), "se_points": se_points(rate, int(m.sum()))}
            for model, p in preds.items():
                ok = m & ~np.isnan(p)
                if ok.sum() >= SHOWN_MIN:
                    row[model] = {
                        "n": int(ok.sum()),
                        "mean_p": round(float(p[ok].mean()), 4),
                        "off_points": round(100 * float(p[ok].mean() - y[ok].mean()), 2),
                    }
            rows[str(value)] = row
        out[name] = rows
    return out


def se_points(rate: float, n: int) -> float:
    """The standard error of an observed goal rate, in points: how far a group's rate moves by chance.
    A type of 1,096 shots at 14% has 1.05 points of it, so a 1-point miss there is not evidence."""
    return round(100 * float(np.sqrt(rate * (1 - rate) / max(n, 1))), 2)


def worst_group(by: dict[str, dict], model: str = "ours", kinds: tuple[str, ...] = ("shot_type", "period")) -> dict:
    """The group (>= GROUP_MIN shots) whose mean predicted is farthest from its observed rate."""
    worst: dict = {"group": None, "off_points": 0.0}
    for kind in kinds:
        for value, row in by.get(kind, {}).items():
            r = row.get(model)
            if r and r["n"] >= GROUP_MIN and abs(r["off_points"]) > abs(worst["off_points"]):
                worst = {
                    "group": f"{kind} {value}",
                    "n": r["n"],
                    "off_points": r["off_points"],
                    "se_points": row.get("se_points"),
                }
    return worst


def drift(df: pd.DataFrame) -> dict:
    """What changes between a source's seasons besides the hockey: goal rate, distance, the shot-type mix.

    A type whose share moves while the game does not (MoneyPuck: snap shots 14% of 2023-24 and 21%
    of 2024-25, wrist shots down as much) is a scorer recording differently, and a model trained on
    one season's meaning of "snap" misreads the next.
    """
    out: dict = {}
    for (source, season), g in df.groupby(["source", "season"], sort=True):
        y = g["is_goal"].to_numpy(dtype=float)
        types = g["shot_type"].fillna("UNKNOWN")
        out.setdefault(str(source), {})[str(season)] = {
            "shots": len(g),
            "goal_rate": round(float(y.mean()), 4),
            "mean_distance_ft": round(float(g["distance"].mean()), 2),
            "shot_type_share": {str(t): round(float(n / len(g)), 4) for t, n in types.value_counts().items()},
            "shot_type_goal_rate": {
                str(t): round(float(g.loc[types == t, "is_goal"].mean()), 4) for t in sorted(types.unique())
            },
        }
    return out


def evaluate(
    df: pd.DataFrame,
    feature_set: str,
    seed: int = 0,
    recent_weight: float = RECENT_WEIGHT,
    progress: Progress | None = None,
    fit_options: dict | None = None,
) -> list[dict]:
    """Every season of every source that has earlier seasons: train on those, test on it."""
    out = []
    for source, sdf in df.groupby("source", sort=True):
        seasons = sorted(sdf["season"].dropna().unique())
        for i, season in enumerate(seasons[1:], start=1):
            tr = sdf[sdf["season"].isin(seasons[:i])].reset_index(drop=True)
            te = sdf[sdf["season"] == season].reset_index(drop=True)
            if te["is_goal"].sum() == 0 or te["is_goal"].sum() == len(te):
                continue
            model, report = fit(
                tr, feature_set, seed=seed, recent_weight=recent_weight, progress=progress, **(fit_options or {})
            )
            y = te["is_goal"].to_numpy(dtype=float)
            p = model.predict(model.matrix(te))
            preds = {"ours": p}
            row: dict = {
                "source": str(source),
                "test": str(season),
                "trained_on": [str(s) for s in seasons[:i]],
                "train_shots": len(tr),
                "recent_weight": recent_weight,
                "ours": metrics.summary(y, p),
            }
            public = {}
            for col in [c for c in te.columns if c.startswith("xg_")]:
                xg = te[col].to_numpy(dtype=float)
                m = ~np.isnan(xg)
                if m.sum() >= SHOWN_MIN and 0 < y[m].sum() < m.sum():
                    name = col[3:]
                    public[name] = {
                        "theirs": metrics.summary(y[m], xg[m]),
                        "ours_same_shots": metrics.summary(y[m], p[m]),
                    }
                    preds[name] = np.where(m, xg, np.nan)
            row["public"] = public
            row["by"] = groups(te, y, preds)
            row["worst_group"] = worst_group(row["by"])
            row["importance_top5"] = dict(list(report["importance"].items())[:5])
            out.append(row)
    return out


def targets(row: dict) -> dict:
    """The issue's targets for MoneyPuck 2024-25, met or not, on the shots MoneyPuck rates."""
    mp = row.get("public", {}).get("moneypuck")
    ours = mp["ours_same_shots"] if mp else row["ours"]
    gap = 100 * abs(ours["mean_p"] - ours["goal_rate"])
    worst = abs(row["worst_group"]["off_points"])
    return {
        "log_loss": {
            "value": ours["log_loss"],
            "target": f"<= {TARGETS['log_loss']}",
            "met": ours["log_loss"] <= TARGETS["log_loss"],
        },
        "auc": {"value": ours["auc"], "target": f">= {TARGETS['auc']}", "met": ours["auc"] >= TARGETS["auc"]},
        "ece": {"value": ours["ece"], "target": f"<= {TARGETS['ece']}", "met": ours["ece"] <= TARGETS["ece"]},
        "mean_gap_points": {
            "value": round(gap, 2),
            "target": f"<= {TARGETS['mean_gap_points']}",
            "met": gap <= TARGETS["mean_gap_points"],
        },
        "worst_group_points": {
            "value": worst,
            "group": row["worst_group"]["group"],
            "se_points": row["worst_group"].get("se_points"),
            "target": f"<= {TARGETS['group_gap_points']} (shot type, period; >= {GROUP_MIN:,} shots)",
            "met": worst <= TARGETS["group_gap_points"],
        },
    }


def with_targets(rows: list[dict]) -> list[dict]:
    """The issue's targets beside the row they are set for: MoneyPuck 2024-25 trained on 2023-24 only."""
    for row in rows:
        if row["source"] == "moneypuck" and row["test"] == "2024-25" and row["trained_on"] == ["2023-24"]:
            row["targets"] = targets(row)
    return rows


def on_store(db: Path, seed: int = 0, recent_weight: float = RECENT_WEIGHT, progress: Progress | None = None) -> dict:
    """The rolling evaluation of one store's seasons."""
    with Store(db, read_only=True) as s:
        df, feature_set = load(s)
    rows = with_targets(evaluate(df, feature_set, seed, recent_weight, progress))
    return {"stores": [db.name], "feature_set": feature_set, "seasons": rows, "drift": drift(df)}


def shared(seed: int = 0, recent_weight: float = RECENT_WEIGHT, progress: Progress | None = None) -> dict:
    """The real seasons in ../shared: MoneyPuck, then hockey_scraper (stores built under data/ and reused)."""
    from oa.bench.sources import HS, MP, _ensure, shared_data

    d = shared_data()
    mp_db, hs_db, early_db = (
        Path("data/bench_moneypuck.duckdb"),
        Path("data/bench_nhl.duckdb"),
        Path("data/bench_nhl_2017_18.duckdb"),
    )
    _ensure(
        mp_db, "moneypuck", [d / MP / "moneypuck_shots_2023.csv.gz", d / MP / "moneypuck_shots_2024.csv.gz"], progress
    )
    _ensure(
        hs_db,
        "hockey_scraper",
        [d / HS / "hockey_scraper_pbp_2018_19.csv.gz", d / HS / "hockey_scraper_pbp_2019_20_partial.csv.gz"],
        progress,
    )
    _ensure(early_db, "hockey_scraper", [d / HS / "hockey_scraper_pbp_2017_18_partial.csv.gz"], progress)
    frames = []
    for db in (mp_db, early_db, hs_db):
        with Store(db, read_only=True) as s:
            df, feature_set = load(s)
        frames.append(df[df["source"].isin(("moneypuck", "hockey_scraper"))])
    df = pd.concat(frames, ignore_index=True)
    rows = with_targets(evaluate(df, feature_set, seed, recent_weight, progress))
    return {
        "stores": [mp_db.name, early_db.name, hs_db.name],
        "feature_set": feature_set,
        "seasons": rows,
        "drift": drift(df),
    }


def _pct(v: float | None) -> str:
    return "" if v is None else f"{100 * v:.2f}%"


def _pts(v: float | None) -> str:
    return "" if v is None else f"{v:+.2f}"


def _wobble(v: float | None) -> str:
    return "" if v is None else f"{v:.2f}"


def report_markdown(out: dict) -> str:
    """The report's tables: each tested season beside the public model, then by group, then the targets."""
    lines = [
        "| source | tested on (shots) | trained on (shots) | model | AUC | log loss | Brier | ECE | mean predicted | observed |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in out.get("seasons", []):
        o = r["ours"]
        lines.append(
            f"| {r['source']} | {r['test']} ({o['n']:,}) | {' + '.join(r['trained_on'])} ({r['train_shots']:,}) | ours "
            f"| {o['auc']:.4f} | {o['log_loss']:.4f} | {o['brier']:.5f} | {o['ece']:.4f} | {_pct(o['mean_p'])} "
            f"| {_pct(o['goal_rate'])} |"
        )
        for name, pub in r.get("public", {}).items():
            t = pub["theirs"]
            lines.append(
                f"| | | | {PUBLIC_NAMES.get(name, name)} | {t['auc']:.4f} | {t['log_loss']:.4f} | {t['brier']:.5f} "
                f"| {t['ece']:.4f} | {_pct(t['mean_p'])} | {_pct(t['goal_rate'])} |"
            )
    for r in out.get("seasons", []):
        models = ["ours", *r.get("public", {})]
        head = " | ".join("ours" if m == "ours" else PUBLIC_NAMES.get(m, m) for m in models)
        lines += [
            "",
            f"**{r['source']} {r['test']}** by group: mean predicted minus observed, points (the wobble is the "
            "standard error of the observed rate; groups under "
            f"{SHOWN_MIN} shots are left out, targets judge groups of {GROUP_MIN:,} or more):",
            "",
            f"| group | shots | observed | wobble | {head} |",
            "|---|---|---|---|" + "---|" * len(models),
        ]
        for kind, rows in r.get("by", {}).items():
            for value, g in rows.items():
                cells = " | ".join(_pts((g.get(m) or {}).get("off_points")) for m in models)
                lines.append(
                    f"| {kind.replace('_', ' ')} {value} | {g['n']:,} | {_pct(g['goal_rate'])} "
                    f"| {_wobble(g.get('se_points'))} | {cells} |"
                )
    for r in out.get("seasons", []):
        if "targets" not in r:
            continue
        lines += ["", f"Targets ({r['source']} {r['test']} trained on {' + '.join(r['trained_on'])}):", ""]
        lines += ["| target | measured | met |", "|---|---|---|"]
        for name, t in r["targets"].items():
            extra = f" ({t['group']}, wobble {t.get('se_points')})" if t.get("group") else ""
            lines.append(
                f"| {name.replace('_', ' ')} {t['target']} | {t['value']}{extra} | {'yes' if t['met'] else 'no'} |"
            )
    return "\n".join(lines)


__all__ = [
    "evaluate",
    "load",
    "on_store",
    "read_results",
    "report_markdown",
    "save",
    "shared",
    "targets",
    "worst_group",
]
