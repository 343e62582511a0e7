"""Rows for the Live page's tests: a store's shots rated the way the live scorer publishes them.

With a scored store the ratings and factors are the stored ones (the scorer's are equal,
tests/live/test_scorer.py), values in words as the scorer publishes them; without one
they are made up from the distance, with raw values (which the page says itself). `live_only`
makes a shot the store does not hold.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from oa.rink import distance_to_net
from oa.store import Store

SHOT = (
    "shot_id",
    "game_id",
    "event_idx",
    "period",
    "period_seconds",
    "game_seconds",
    "team",
    "opponent",
    "is_home",
    "shooter_id",
    "goalie_id",
    "x",
    "y",
    "shot_type",
    "strength",
)


def _plain(v: object) -> object:
    if hasattr(v, "item"):
        v = v.item()
    return None if isinstance(v, float) and math.isnan(v) else v


def rows(db: str | Path, n: int = 6, game_id: int | None = None, offset: int = 0) -> list[dict]:
    """n shots of the store (of one game, or the first games), in game order, as live rows."""
    with Store(db, read_only=True) as s:
        shots = s.query(
            f"SELECT {', '.join(SHOT)} FROM shots WHERE ($g IS NULL OR game_id = $g) "
            "ORDER BY game_id, event_idx LIMIT $n OFFSET $o",
            {"g": game_id, "n": n, "o": offset},
        )
        ids = [int(i) for i in shots["shot_id"]]
        try:
            sc = s.query(
                "SELECT sc.shot_id, sc.p_goal, sc.tier, sc.base_logit, sc.model_id, m.feature_set "
                "FROM shot_scores sc JOIN models m USING (model_id) "
                "WHERE m.active AND list_contains($ids, sc.shot_id)",
                {"ids": ids},
            ).set_index("shot_id")
            fac = s.query(
                "SELECT shot_id, factor, value_label, contribution, contribution_pp FROM shot_factors "
                "WHERE list_contains($ids, shot_id) AND model_id IN (SELECT model_id FROM models WHERE active) "
                "ORDER BY shot_id, abs(contribution) DESC",
                {"ids": ids},
            )
        except Exception:  # noqa: BLE001 - an unscored store
            sc = fac = None
    out = []
    for r in shots.to_dict("records"):
        row = {k: _plain(r[k]) for k in SHOT}
        sid = row["shot_id"]
        if sc is not None and sid in sc.index:
            x = sc.loc[sid]
            # as the scorer publishes them: the value in words
            top = [
                {
                    "factor": f.factor,
                    "label": f.factor,
                    "value": f.value_label,
                    "pp": round(float(f.contribution_pp), 2),
                    "logit": round(float(f.contribution), 4),
                }
                for f in fac[fac["shot_id"] == sid].head(5).itertuples()
            ]
            row.update(
                feature_set=x["feature_set"],
                model_id=x["model_id"],
                p_goal=float(x["p_goal"]),
                tier=x["tier"],
                base_logit=float(x["base_logit"]),
                top_factors=json.dumps(top),
            )
        else:
            row.update(made_up(row))
        row.update(tagged_at=None, scorer="test")
        out.append(row)
    return out


def made_up(row: dict) -> dict:
    """A plausible rating from the distance alone (for stores without a model)."""
    d = float(distance_to_net(float(row["x"]), float(row["y"])))
    base = -2.4
    logit = base + 1.2 - d / 20.0
    p = 1 / (1 + math.exp(-logit))
    tier = "high" if p >= 0.15 else ("medium" if p >= 0.06 else "low")
    pp_d = 100 * (p - 1 / (1 + math.exp(-base)))
    top = [
        {
            "factor": "distance",
            "label": "Distance",
            "value": d,
            "pp": round(pp_d * 0.8, 2),
            "logit": round((logit - base) * 0.8, 4),
        },
        {
            "factor": "shot_type",
            "label": "Shot type",
            "value": row["shot_type"],
            "pp": round(pp_d * 0.15, 2),
            "logit": round((logit - base) * 0.15, 4),
        },
        {
            "factor": "goalie_travel",
            "label": "Goalie travel",
            "value": None,
            "pp": round(pp_d * 0.05, 2),
            "logit": round((logit - base) * 0.05, 4),
        },
    ]
    return dict(
        feature_set="pbp", model_id="made-up", p_goal=p, tier=tier, base_logit=base, top_factors=json.dumps(top)
    )


def live_only(row: dict, shot_id: int, game_id: int | None = None, **changes: object) -> dict:
    """A copy of `row` as a shot the store does not hold (a new id, optionally a new game)."""
    out = {**row, "shot_id": int(shot_id), **changes}
    if game_id is not None:
        out["game_id"] = int(game_id)
    return out
