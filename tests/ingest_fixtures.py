"""Synthetic source files for driver tests: made here, never copied from real data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

SHOT_TYPES = ("WRIST", "SNAP", "SLAP", "BACK", "TIP", "DEFL", "WRAP")


def moneypuck_csv(
    path: Path, games: int, shots_per_game: int = 24, seed: int = 0, first_game: int = 20001, season: int = 2023
) -> Path:
    """A MoneyPuck-style shot CSV (the 16-column extract) of `games` made-up games; goal odds fall with distance."""
    rng = np.random.default_rng(seed)
    rows, shot_id = [], 0
    for g in range(games):
        t = np.sort(rng.uniform(0, 3599, shots_per_game))
        for k in range(shots_per_game):
            x, y = float(rng.uniform(25, 88)), float(rng.uniform(-38, 38))
            dist = float(np.hypot(89 - x, y))
            p = 1 / (1 + np.exp(-(0.6 - 0.08 * dist)))
            event = "GOAL" if rng.random() < p else str(rng.choice(["SHOT", "MISS"]))
            side = str(rng.choice(["HOME", "AWAY"]))
            shooter = 8_470_000 + (0 if side == "HOME" else 50) + int(rng.integers(0, 12))
            rows.append(
                dict(
                    shotID=shot_id,
                    game_id=first_game + g,
                    season=season,
                    isPlayoffGame=0,
                    period=int(t[k] // 1200) + 1,
                    time=round(float(t[k]), 1),
                    team=side,
                    shooterPlayerId=shooter,
                    shooterName=f"Synthetic Skater {shooter % 1000}",
                    xCordAdjusted=round(x, 1),
                    yCordAdjusted=round(y, 1),
                    shotType=str(rng.choice(SHOT_TYPES)),
                    event=event,
                    xGoal=round(p, 4),
                )
            )
            shot_id += 1
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def scored_moneypuck_store(directory: Path, games: int = 30, seed: int = 1) -> tuple[Path, Path]:
    """(store, csv): `games` synthetic MoneyPuck games ingested, a play-by-play model trained, every shot scored."""
    from oa.model.score import score_store
    from oa.model.train import train
    from oa.sources.ingest import ingest
    from oa.store import Store

    csv = moneypuck_csv(directory / "season.csv", games, seed=seed)
    db = directory / "scored.duckdb"
    with Store(db) as store:
        report = ingest(store, "moneypuck", [csv])
        assert not report.failed, report.failed
        train(store, feature_set="pbp", seed=0)
        score_store(store)
    return db, csv


PER_SHOT = ("shot_features", "shot_scores", "shot_factors", "shot_oof")


def checksums(db: Path, games: list[int]) -> dict[str, tuple[int, str]]:
    """Rows and an order-free hash of every table: per-game tables (and per-shot ones, shot_id = game_id * 10000 + n)
    only for `games`, shared tables whole; `runs` left out (it records every write, by design)."""
    from oa import schema
    from oa.store import Store

    out = {}
    with Store(db, read_only=True) as store:
        have = set(store.query("SELECT table_name FROM duckdb_tables()")["table_name"])
        for t in schema.ALL_TABLES:
            if t.name == "runs" or t.name not in have:
                continue
            if t.per_game:
                where = "WHERE game_id IN (SELECT unnest(?::BIGINT[]))"
            elif t.name in PER_SHOT:
                where = "WHERE shot_id // 10000 IN (SELECT unnest(?::BIGINT[]))"
            else:
                where = ""
            params = [[int(g) for g in games]] if where else []
            row = store.query(
                f"SELECT count(*) AS n, coalesce(bit_xor(hash(_row)), 0)::VARCHAR AS h FROM "
                f"(SELECT * FROM {t.name} {where}) _row",
                params,
            )
            out[t.name] = (int(row["n"].iloc[0]), row["h"].iloc[0])
    return out
