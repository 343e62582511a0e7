"""Talent shrinkage against the demo league's truth: do the shrunk estimates find the players' hidden skills?

The simulator keeps each player's true shooting and goaltending skill in `sim_skills` (log-odds added to
every shot he takes, or removed from every shot he faces). Put on the estimate's scale, a shooter's truth
is the goals per shot his skill adds at his own shots,

    truth = mean over his shots of  sigmoid(logit(xG) + (s - s_bar)) - xG

with s_bar the league's shot-weighted mean skill (the model, blind to who shoots, learns the league's
average shooter), and a goalie's the goals per shot his skill saves at the shots he faced,
mean of xG - sigmoid(logit(xG) - (g - g_bar)). We report, per role and season: the correlation of the raw
and of the shrunk per-shot estimates with the truth (players weighted equally), their root-mean-square
errors, and the share of the 90% intervals that hold the truth.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from oa.analysis.common import scores_sql
from oa.analysis.talent import ROLES, talent
from oa.store import StoreError
from oa.vocab import sigmoid


def _truth(con: duckdb.DuckDBPyConnection, role: str, season: str, model_id: str | None) -> pd.DataFrame:
    """Each player's true per-shot effect on the estimate's scale (see the module's docstring)."""
    who, skill, sign = (
        ("s.shooter_id", "k.shooting", 1.0) if role == "shooter" else ("s.goalie_id", "k.goaltending", -1.0)
    )
    shots = con.execute(
        f"""
        SELECT {who} AS player_id, sc.p_goal AS p, {skill} AS skill
        FROM shots s JOIN games gm ON gm.game_id = s.game_id
        JOIN {scores_sql(con, model_id)} sc ON sc.shot_id = s.shot_id
        JOIN sim_skills k ON k.player_id = {who}
        WHERE s.outcome <> 'BLOCK' AND {skill} IS NOT NULL AND gm.season = $season""",
        {"season": season} | ({"model_id": model_id} if model_id is not None else {}),
    ).fetchdf()
    if len(shots) == 0:
        return pd.DataFrame(columns=["player_id", "truth"])
    p = shots["p"].to_numpy(float).clip(1e-9, 1 - 1e-9)
    rel = shots["skill"].to_numpy(float) - shots["skill"].mean()
    logit = np.log(p / (1 - p))
    effect = sigmoid(logit + rel) - p if role == "shooter" else p - sigmoid(logit + sign * rel)
    shots["effect"] = effect
    return shots.groupby("player_id", as_index=False)["effect"].mean().rename(columns={"effect": "truth"})


def compare(con: duckdb.DuckDBPyConnection, role: str, season: str, model_id: str | None = None) -> dict:
    """One role and season: correlations, errors and interval coverage against the truth."""
    est = talent(con, season=season, role=role, model_id=model_id)
    df = est.merge(_truth(con, role, season, model_id), on="player_id")
    if len(df) < 3:
        return {"players": int(len(df))}
    t = df["truth"].to_numpy(float)
    raw, shrunk = df["raw_rate"].to_numpy(float), df["shrunk_rate"].to_numpy(float)
    inside = (df["lo90_rate"].to_numpy(float) <= t) & (t <= df["hi90_rate"].to_numpy(float))
    big = df["shots"].to_numpy() >= np.median(df["shots"].to_numpy())
    return {
        "players": int(len(df)),
        "median_shots": float(np.median(df["shots"])),
        "truth_sd_per_100_shots": round(100 * float(np.std(t)), 3),
        "league_sd_per_100_shots": round(100 * float(df["league_sd"].iloc[0]), 3),
        "corr_raw": round(float(np.corrcoef(raw, t)[0, 1]), 3),
        "corr_shrunk": round(float(np.corrcoef(shrunk, t)[0, 1]), 3),
        "rmse_raw_per_100_shots": round(100 * float(np.sqrt(np.mean((raw - t) ** 2))), 3),
        "rmse_shrunk_per_100_shots": round(100 * float(np.sqrt(np.mean((shrunk - t) ** 2))), 3),
        "coverage90": round(float(inside.mean()), 3),
        "coverage90_upper_half_by_shots": round(float(inside[big].mean()), 3),
        "small_samples": int(df["small_sample"].sum()),
    }


def run(db: Path, model_id: str | None = None) -> dict:
    """Every season of the demo store `db`, both roles; xG from `model_id` (default: the active model)."""
    if not db.exists():
        raise StoreError(f"no store at {db}; build one with `python -m oa demo --db {db}`")
    con = duckdb.connect(str(db), read_only=True)
    try:
        try:
            n_skills = con.execute("SELECT count(*) FROM sim_skills").fetchone()
            n_scores = con.execute("SELECT count(*) FROM shot_scores").fetchone()
        except duckdb.Error as e:
            raise StoreError(f"{db} is not a store of the demo league: {e}") from e
        if not n_skills or not n_skills[0]:
            raise StoreError(f"{db} has no true skills (sim_skills): only the demo league knows them")
        if not n_scores or not n_scores[0]:
            raise StoreError(f"{db} has no scored shots; run `python -m oa score --db {db}` first")
        seasons = [r[0] for r in con.execute("SELECT DISTINCT season FROM games ORDER BY 1").fetchall()]
        out: dict = {"store": str(db), "model": model_id or "active"}
        for season in seasons:
            out[season] = {role: compare(con, role, season, model_id) for role in ROLES}
        return out
    finally:
        con.close()
