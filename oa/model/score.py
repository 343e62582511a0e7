"""Score and explain shots: p(goal), tier, and each factor's push in words and points.

Explanations are TreeSHAP values from LightGBM's `pred_contrib`, scaled by the Platt
slope, so for every shot `base_logit + sum(contribution) == logit(p_goal)` exactly.
Each factor is one model column (categories are native LightGBM categoricals), so the
per-factor grouping is the identity. For people, contributions are also given in
approximate percentage points: each log-odds push times the secant slope of the
sigmoid between the base and the shot's logit, so the points add up exactly to
`p_goal - sigmoid(base_logit)`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import duckdb
import numpy as np
import pandas as pd

from oa import schema
from oa.features.compute import factor_columns
from oa.features.registry import PBP, TRACKING, factor_named
from oa.model.artifact import Model, ModelError, load_model, resolve_path
from oa.store import Store, StoreError
from oa.vocab import sigmoid

CHUNK = 100_000  # shots explained together: the more, the fewer distinct ways through each tree (oa.model.contrib)
Progress = Callable[[int, int], None]


@dataclass
class Scored:
    """Scores and explanations of n shots under one model."""

    model_id: str
    factors: list[str]
    p: np.ndarray  # (n,)
    tier: np.ndarray  # (n,)
    base: np.ndarray  # (n,) calibrated base logit
    contrib: np.ndarray  # (n, F) calibrated log-odds
    pp: np.ndarray  # (n, F) approximate percentage points
    values: dict = field(repr=False)  # factor name -> the values scored, for putting them into words

    @cached_property
    def labels(self) -> np.ndarray:
        """(n, F) the factor values in words (worked out when asked: the live path needs only the top few)."""
        out = np.empty(self.contrib.shape, dtype=object)
        for j, name in enumerate(self.factors):
            out[:, j] = factor_named(name).labels(self.values[name])
        return out

    def label_categories(self) -> pd.Categorical:
        """The (n * F) factor values in words, row by row, as categories: the same words as `labels`
        without an object array of millions of references (a season has a few thousand distinct words)."""
        words: list[np.ndarray] = []
        codes = np.empty(self.contrib.shape, dtype=np.int64)
        offset = 0
        for j, name in enumerate(self.factors):
            code, said = pd.factorize(factor_named(name).labels(self.values[name]), use_na_sentinel=True)
            codes[:, j] = np.where(code >= 0, code + offset, -1)
            words.append(np.asarray(said, dtype=object))
            offset += len(said)
        # the same word under two factors is one category
        where, unique = pd.factorize(np.concatenate(words) if words else np.empty(0, dtype=object))
        flat = codes.ravel()
        return pd.Categorical.from_codes(np.where(flat >= 0, where[np.maximum(flat, 0)], -1), categories=unique)

    def top(self, i: int, k: int = 5) -> list[dict]:
        """Shot i's k strongest factors, biggest push first."""
        order = np.argsort(-np.abs(self.contrib[i]))[:k]
        return [
            {
                "factor": self.factors[j],
                "value": factor_named(self.factors[j]).labels(self.values[self.factors[j]][i : i + 1])[0],
                "logit": float(self.contrib[i, j]),
                "pp": float(self.pp[i, j]),
            }
            for j in order
        ]


def to_points(contrib: np.ndarray, base: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(p, points): probability and each contribution in percentage points (sums to p - p_base)."""
    z = base + contrib.sum(axis=1)
    p = sigmoid(z)
    p0 = sigmoid(base)
    dz = z - base
    slope = np.where(np.abs(dz) > 1e-9, (p - p0) / np.where(np.abs(dz) > 1e-9, dz, 1.0), p * (1 - p))
    return p, 100.0 * contrib * slope[:, None]


def score_batch(model: Model, data: Mapping[str, np.ndarray] | pd.DataFrame) -> Scored:
    """Score and explain the shots in `data` (factor name -> values)."""
    X = model.matrix(data)
    contrib, base = model.explain(X)
    p, pp = to_points(contrib, base)
    values = {
        f.name: (v.to_numpy() if isinstance(v := data[f.name], pd.Series) else np.asarray(v)) for f in model.factors
    }
    return Scored(model.model_id, [f.name for f in model.factors], p, model.tier(p), base, contrib, pp, values)


def active_models(store: Store) -> list[Model]:
    """The store's active models, each checked to be the model the store registered under that path."""
    rows = store.query("SELECT model_id, path FROM models WHERE active ORDER BY feature_set DESC")
    if len(rows) == 0:
        raise StoreError(f"store {store.path} has no trained model; run `python -m oa train --db {store.path}`")
    models = []
    for model_id, p in zip(rows["model_id"], rows["path"]):
        path = resolve_path(store, p)
        m = load_model(path)
        if m.model_id != model_id:
            raise ModelError(
                f"model file {path} holds model {m.model_id}, but store {store.path} registered "
                f"{model_id} there; restore the file or retrain with `python -m oa train`"
            )
        models.append(m)
    return models


@dataclass
class ScoreSummary:
    """What `score_store` wrote: shots and factor rows, the models used, shots per tier, and the time."""

    shots: int
    factor_rows: int
    models: list[str]
    tiers: dict[str, int]  # low, medium, high
    score_seconds: float  # scoring and explaining alone (the rest is reading and writing the store)
    seconds: float


def score_store(
    store: Store,
    models: list[Model] | None = None,
    progress: Progress | None = None,
    game_ids: list[int] | None = None,
) -> ScoreSummary:
    """Score every shot that has factors (of `game_ids` only, if given: a sync re-scores only the games
    it changed) with the active model of its feature set; one transaction."""
    t0 = time.perf_counter()
    models = active_models(store) if models is None else models
    only, games = "", []
    if game_ids is not None:
        only, games = " AND game_id IN (SELECT unnest(?::BIGINT[]))", [[int(g) for g in game_ids]]
    by_set = {m.feature_set: m for m in models}
    have = factor_columns(store)
    plan = []
    for fs, m in by_set.items():
        missing = [n for n in m.meta["features"] if n not in have]
        if missing:
            raise ModelError(
                f"model {m.model_id} needs factors the store does not have: {', '.join(missing)}; "
                f"run `python -m oa features --db {store.path}` or retrain with `python -m oa train`"
            )
        sets = [fs] if fs == TRACKING or TRACKING in by_set else [PBP, TRACKING]
        n = int(
            store.query(
                f"SELECT count(*) FROM shot_features WHERE feature_set IN ({', '.join('?' * len(sets))}){only}",
                sets + games,
            ).iloc[0, 0]
        )
        plan.append((m, sets, n))
    total = sum(n for _, _, n in plan)
    if total == 0:
        raise StoreError(f"store {store.path} has no shots with factors; run `python -m oa features --db {store.path}`")
    scores, factors = [], []
    done = 0
    for m, sets, _ in plan:
        cols = ", ".join(["shot_id"] + m.meta["features"])
        ph = ", ".join("?" * len(sets))
        # one query, streamed in batches (paging with OFFSET would sort the table again per page)
        cur = store.con.cursor()
        batches = cur.sql(
            f"SELECT {cols} FROM shot_features WHERE feature_set IN ({ph}){only} ORDER BY shot_id",
            params=sets + games,
        ).to_arrow_reader(CHUNK)
        for batch in batches:
            df = batch.to_pandas()
            if m.feature_set == TRACKING:
                _require_tracking(m, df)
            s = score_batch(m, df)
            ids = df["shot_id"].to_numpy()
            scores.append(
                pd.DataFrame(
                    {"shot_id": ids, "model_id": m.model_id, "p_goal": s.p, "tier": s.tier, "base_logit": s.base}
                )
            )
            F = len(s.factors)
            factors.append(
                pd.DataFrame(
                    {
                        "shot_id": np.repeat(ids, F),
                        # as categories: a season's 3 M rows hold a few thousand distinct words
                        "model_id": pd.Categorical.from_codes(np.zeros(F * len(ids), np.int8), [m.model_id]),
                        "factor": pd.Categorical.from_codes(np.tile(np.arange(F), len(ids)), categories=s.factors),
                        "value_label": s.label_categories(),
                        "contribution": s.contrib.ravel(),
                        "contribution_pp": s.pp.ravel(),
                    }
                )
            )
            done += len(df)
            if progress:
                progress(done, total)
        cur.close()
    sc = pd.concat(scores, ignore_index=True)
    fa = pd.concat(factors, ignore_index=True)
    del scores, factors  # the parts: only the whole is written
    scored_s = time.perf_counter() - t0
    # row order within a table means nothing (every read orders); not keeping it saves memory, and so
    # does a cap on DuckDB's cache while millions of rows go in (a file store spills to disk instead)
    store.con.execute("SET preserve_insertion_order = false")
    if store.path != ":memory:":
        store.con.execute(f"SET memory_limit = '{write_memory_mb(len(fa))}MB'")
    try:
        with (
            store.transaction(f"writing the scores of {len(sc):,} shots"),
            store.registered("_scored_ids", sc[["shot_id"]]) as ids,
        ):
            _replace_rows(store, schema.SHOT_SCORES, sc, ids)
            _replace_rows(store, schema.SHOT_FACTORS, fa, ids)
    finally:
        with contextlib.suppress(duckdb.Error):  # a connection an error broke: that error is the one to show
            store.con.execute("RESET preserve_insertion_order")
            store.con.execute("RESET memory_limit")
    return ScoreSummary(
        shots=len(sc),
        factor_rows=len(fa),
        models=[m.model_id for m, _, _ in plan],
        tiers=sc["tier"].value_counts().reindex(["low", "medium", "high"], fill_value=0).to_dict(),
        score_seconds=round(scored_s, 2),
        seconds=round(time.perf_counter() - t0, 2),
    )


WRITE_MEMORY_MB = 500  # DuckDB's cache while the scores are written (a season: peak 1.14 -> 1.0 GB, as fast)
# ... at least this much per factor row: the primary key's index stays in memory, and 500 MB held
# MoneyPuck 2024-25's 3.0 M rows but not hockey_scraper 2018-19's 3.66 M ("failed to pin block"
# at commit); 168 bytes a row is 500 MB at 3.1 M rows and 616 MB for 3.66 M
WRITE_BYTES_PER_ROW = 168


def write_memory_mb(factor_rows: int) -> int:
    """DuckDB's memory limit while `factor_rows` rows of explanations are written."""
    return max(WRITE_MEMORY_MB, -(-factor_rows * WRITE_BYTES_PER_ROW // 10**6))  # DuckDB: 1 MB = 10**6 bytes


REBUILD_ABOVE = 100_000  # replacing more stored rows than this: a new table is faster than deleting them


def _replace_rows(store: Store, table: schema.Table, rows: pd.DataFrame, ids: str) -> None:
    """In the open transaction: `table`'s rows of the shots in the view `ids` replaced by `rows`.

    Deleting millions of rows from a table with a primary key, then inserting the same keys,
    costs DuckDB minutes (a season's re-score: 2 min for 3 M factor rows). When most of the
    table is replaced, a new table is built from the rows kept plus the new ones and takes the
    old one's place (the same columns and key; all in the transaction, so all or nothing).
    """
    name = table.name
    hit = int(
        store.con.execute(f"SELECT count(*) FROM {name} WHERE shot_id IN (SELECT shot_id FROM {ids})").fetchall()[0][0]
    )
    stored = [
        r[0]
        for r in store.con.execute(
            f"SELECT column_name FROM duckdb_columns() WHERE table_name = '{name}' ORDER BY column_index"
        ).fetchall()
    ]
    if hit <= REBUILD_ABOVE or stored != table.column_names:  # few rows, or a table of an older layout: delete
        store.con.execute(f"DELETE FROM {name} WHERE shot_id IN (SELECT shot_id FROM {ids})")
        store.insert(table, rows)
        return
    new = dataclasses.replace(table, name=f"{name}_rebuilt")
    cols = ", ".join(table.column_names)
    store.con.execute(f"DROP TABLE IF EXISTS {new.name}")
    store.con.execute(new.ddl())
    store.con.execute(
        f"INSERT INTO {new.name} SELECT {cols} FROM {name} WHERE shot_id NOT IN (SELECT shot_id FROM {ids})"
    )
    store.insert(new, rows)
    store.con.execute(f"DROP TABLE {name}")
    store.con.execute(f"ALTER TABLE {new.name} RENAME TO {name}")


def _require_tracking(m: Model, df: pd.DataFrame) -> None:
    tracked = [f.name for f in m.factors if f.needs_clip]
    if tracked and df[tracked].isna().all(axis=1).any():
        i = int(np.flatnonzero(df[tracked].isna().all(axis=1).to_numpy())[0])
        raise ModelError(
            f"model {m.model_id} needs tracking factors but shot {int(df['shot_id'].iloc[i])} has none; "
            "recompute factors with `python -m oa features`"
        )
