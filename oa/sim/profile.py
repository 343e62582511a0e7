"""The demo league's shot profile beside the real NHL's (../shared/realism)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from oa.rink import angle_to_net, distance_to_net
from oa.settings import shared_root
from oa.store import Store

DIST_BINS = [0, 10, 20, 30, 40, 50, 60, 200]
DIST_LABELS = ["0-10", "10-20", "20-30", "30-40", "40-50", "50-60", "60-200"]
ANGLE_BINS = [0, 15, 30, 45, 60, 90, 180]
ANGLE_LABELS = ["0-15", "15-30", "30-45", "45-60", "60-90", "90-180"]
TYPE_MAP = {"BACKHAND": "BACK", "DEFLECTION": "DEFL"}


def real_profile_path() -> Path:
    return shared_root() / "realism" / "real_nhl_profile.json"


def load_real_profile(path: Path | None = None) -> dict:
    p = path or real_profile_path()
    if not p.exists():
        raise FileNotFoundError(f"real NHL profile not found at {p}; set OA_SHARED to the shared folder")
    return json.loads(p.read_text())


def shots_profile(shots: pd.DataFrame, n_games: int) -> dict:
    """The same figures as the real profile, measured on canonical shots."""
    s = shots[shots["outcome"] != "BLOCK"]
    d = distance_to_net(s["x"].to_numpy(), s["y"].to_numpy())
    b = pd.cut(d, DIST_BINS, labels=DIST_LABELS, right=False)
    ab = pd.cut(angle_to_net(s["x"].to_numpy(), s["y"].to_numpy()), ANGLE_BINS, labels=ANGLE_LABELS, right=False)
    prev_t = s.groupby("game_id")["game_seconds"].shift(1)
    prev_team = s.groupby("game_id")["team"].shift(1)
    rebound = ((s["game_seconds"] - prev_t) <= 3.0) & (prev_team == s["team"])
    st = s["shot_type"].map(lambda v: TYPE_MAP.get(v, v))
    return {
        "games": n_games,
        "unblocked_attempts_per_game_both_teams": round(len(s) / max(n_games, 1), 1),
        "goal_rate_unblocked": round(float(s["is_goal"].mean()), 4),
        "share_on_goal_incl_goals": round(float(s["outcome"].isin(["GOAL", "SAVE"]).mean()), 3),
        "goals_per_game_both_teams_excl_shootout": round(float(s["is_goal"].sum()) / max(n_games, 1), 2),
        "shot_type_share": st.value_counts(normalize=True).round(3).to_dict(),
        "goal_rate_by_shot_type": s.groupby(st)["is_goal"].mean().round(3).to_dict(),
        "rebound_share": round(float(rebound.mean()), 3),
        "goal_rate_rebound": round(float(s.loc[rebound, "is_goal"].mean()), 3) if rebound.any() else None,
        "distance_ft_quantiles": {
            str(q): round(float(np.quantile(d, q)), 1) for q in (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)
        },
        "share_by_distance_ft": pd.Series(b).value_counts(normalize=True).reindex(DIST_LABELS).round(3).to_dict(),
        "goal_rate_by_distance_ft": s.groupby(b, observed=False)["is_goal"]
        .mean()
        .reindex(DIST_LABELS)
        .round(3)
        .to_dict(),
        "goal_rate_by_angle_deg": s.groupby(ab, observed=False)["is_goal"]
        .mean()
        .reindex(ANGLE_LABELS)
        .round(3)
        .to_dict(),
        "strength_share_shooter_view": s["strength"]
        .str.replace("v", "x")
        .value_counts(normalize=True)
        .round(3)
        .head(8)
        .to_dict(),
        "goal_rate_by_strength_shooter_view": s.groupby(s["strength"].str.replace("v", "x"))["is_goal"]
        .mean()
        .round(3)
        .to_dict(),
        "empty_net_share": round(float(s["empty_net"].mean()), 4),
        "goal_rate_empty_net": round(float(s.loc[s["empty_net"], "is_goal"].mean()), 3)
        if s["empty_net"].any()
        else None,
        "share_by_period": s["period"].astype(str).value_counts(normalize=True).sort_index().round(3).to_dict(),
    }


def store_profile(store: Store) -> dict:
    shots = store.query(
        "SELECT game_id, game_seconds, period, team, x, y, shot_type, strength, empty_net, "
        "outcome, is_goal FROM shots ORDER BY game_id, game_seconds"
    )
    n_games = int(store.query("SELECT count(*) AS n FROM games")["n"][0])
    return shots_profile(shots, n_games)


def real_flat(real: dict) -> dict:
    """Merge the two real sources into one profile with the demo profile's keys."""
    mp, hs = real["moneypuck_2023_2024_regular_season"], real["hockey_scraper_2018_19"]
    out = dict(mp)
    out.update(
        {
            k: hs[k]
            for k in (
                "strength_share_shooter_view",
                "goal_rate_by_strength_shooter_view",
                "empty_net_share",
                "goal_rate_empty_net",
            )
        }
    )
    return out


def compare(demo: dict, real: dict) -> list[tuple[str, str, object, object]]:
    """Rows (metric, key, demo, real) for every figure both profiles have."""
    rows = []
    r = real_flat(real)
    for k, v in r.items():
        if k in ("games", "rush_share", "goal_rate_rush"):
            continue
        dv = demo.get(k)
        if isinstance(v, dict):
            for kk, vv in v.items():
                rows.append((k, str(kk), (dv or {}).get(kk), vv))
        else:
            rows.append((k, "", dv, v))
    return rows
