"""Compute every factor for every shot in a store and keep them in `shot_features`.

Games are read one at a time (shots, events, and for tracked games the frames), the
factors computed in batch, and all rows written in one transaction at the end, so an
interrupted run leaves the old features in place. `shot_features` is wide: its key
columns are declared in `oa.schema`, and one column per registered factor is added here
(so a new factor simply adds a column).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from oa import schema
from oa.features.clips import Clips, FrameIndex, cut_clips
from oa.features.context import Ctx, shot_context
from oa.features.registry import PBP, TRACKING, Factor, all_factors
from oa.features.registry import feature_set as _feature_set
from oa.schema import Column, Table
from oa.store import Store, StoreError

Progress = Callable[[int, int], None]


def features_table() -> Table:
    """`shot_features` with its key columns and one column per registered factor."""
    cols = schema.SHOT_FEATURES_KEY.columns + tuple(
        Column(f.name, f.sql_type, nullable=True, doc=f.label) for f in all_factors()
    )
    return Table("shot_features", cols, primary_key=("shot_id",), per_game=False)


def compute_factors(ctx: Ctx, clips: Clips | None, factors: Iterable[Factor] | None = None) -> dict[str, np.ndarray]:
    """All (or the given) factors for the shots in `ctx`; tracking factors are NaN without clips."""
    n = len(ctx["shot_id"])
    out: dict[str, np.ndarray] = {}
    for f in factors if factors is not None else all_factors():
        if f.needs_clip and clips is None:
            out[f.name] = np.full(n, None if f.kind == "cat" else np.nan, dtype=object if f.kind == "cat" else float)
        else:
            v = f.fn(ctx, clips) if f.needs_clip else f.fn(ctx)
            out[f.name] = np.asarray(v, dtype=object if f.kind == "cat" else float)
    return out


def game_features(store: Store, game_id: int, players: pd.DataFrame, goalie_ids: set[int]) -> pd.DataFrame:
    """The feature rows of one stored game."""
    q = store.query
    games = q("SELECT * FROM games WHERE game_id = ?", [game_id])
    shots = q("SELECT * FROM shots WHERE game_id = ? ORDER BY event_idx", [game_id])
    events = q("SELECT * FROM events WHERE game_id = ? ORDER BY event_idx", [game_id])
    if len(shots) == 0:
        return pd.DataFrame(columns=features_table().column_names)
    index = None
    if bool(games["has_tracking"].iloc[0]) and shots["release_frame"].notna().any():
        fr = (
            store.con.cursor()
            .execute(
                "SELECT frame_idx, entity_id, CASE WHEN team IS NULL THEN -1 WHEN team = ? THEN 1 ELSE 0 END::TINYINT AS side, "
                "x::DOUBLE AS x, y::DOUBLE AS y FROM frames WHERE game_id = ?",
                [str(games["home_team"].iloc[0]), game_id],
            )
            .fetchnumpy()
        )
        if len(fr["x"]):
            index = FrameIndex(fr["frame_idx"], fr["entity_id"], fr["side"], fr["x"], fr["y"])
    return pd.DataFrame(shot_factor_arrays(shots, events, players, games, index, goalie_ids))


GAMES_PER_READ = 300  # play-by-play games whose factors are computed together (a few MB each read)


def _runs(games: list[int], tracked: set[int]) -> list[list[int]]:
    """`games` in order, cut into runs: each tracked game alone, untracked ones up to GAMES_PER_READ together."""
    runs: list[list[int]] = []
    for g in games:
        if g in tracked or not runs or runs[-1][0] in tracked or len(runs[-1]) >= GAMES_PER_READ:
            runs.append([g])
        else:
            runs[-1].append(g)
    return runs


def pbp_features(store: Store, game_ids: list[int], players: pd.DataFrame, goalie_ids: set[int]) -> pd.DataFrame:
    """The feature rows of stored games without tracking, read and computed together: the same rows
    as `game_features` game by game (every factor reads only its shot's own game), in the same
    order, with three queries instead of three per game."""
    order = pd.DataFrame({"game_id": np.asarray(game_ids, dtype=np.int64), "pos": np.arange(len(game_ids))})
    with store.registered("_feature_order", order) as view:
        q = lambda sql: store.con.execute(sql).df()  # noqa: E731 - the view lives on this connection only
        games = q(f"SELECT g.* FROM games g JOIN {view} o USING (game_id) ORDER BY o.pos")
        shots = q(f"SELECT s.* FROM shots s JOIN {view} o USING (game_id) ORDER BY o.pos, s.event_idx")
        events = q(f"SELECT e.* FROM events e JOIN {view} o USING (game_id) ORDER BY o.pos, e.event_idx")
    if len(shots) == 0:
        return pd.DataFrame(columns=features_table().column_names)
    return pd.DataFrame(shot_factor_arrays(shots, events, players, games, None, goalie_ids))


def shot_factor_arrays(
    shots: pd.DataFrame,
    events: pd.DataFrame,
    players: pd.DataFrame,
    games: pd.DataFrame,
    index: FrameIndex | None,
    goalie_ids: set[int],
) -> dict[str, np.ndarray]:
    """Feature columns of `shots` (all from one game): the one factor path, shared by batch, live and the API.

    `events` must hold the game's events up to (and including) each shot's own event;
    `index` the game's tracking (None for play-by-play only). Shots without a release frame
    get only the play-by-play factors.
    """
    ctx = shot_context(shots, events, players, games)
    clips = cut_clips(index, ctx, goalie_ids, float(games["fps"].iloc[0])) if index is not None else None
    factors = compute_factors(ctx, clips)
    if clips is not None:
        # shots without a clip in a tracked game (outside the tracked windows) are play-by-play only
        has_clip = np.isfinite(ctx["release_frame"])
        if not has_clip.all():
            for f in all_factors():
                if f.needs_clip:
                    factors[f.name][~has_clip] = None if f.kind == "cat" else np.nan
        feature_set = np.where(has_clip, TRACKING, PBP).astype(object)
    else:
        feature_set = np.full(len(ctx["shot_id"]), PBP, dtype=object)
    return {
        "shot_id": shots["shot_id"].to_numpy(),
        "game_id": shots["game_id"].to_numpy(),
        "feature_set": feature_set,
        **factors,
    }


@dataclass
class FeaturesSummary:
    """What `build_features` computed: games and shots, how many of them with tracking, and the time."""

    games: int
    shots: int
    tracking_shots: int
    seconds: float


def build_features(
    store: Store, game_ids: list[int] | None = None, progress: Progress | None = None
) -> FeaturesSummary:
    """Compute and store the factors of every shot of `game_ids` (default: all games)."""
    t0 = time.perf_counter()
    # once each: a game named twice (the same game twice in one ingest batch) would give its shots twice
    games = store.game_ids() if game_ids is None else list(dict.fromkeys(int(g) for g in game_ids))
    if not games:
        raise StoreError(f"store {store.path} has no games; build one with `python -m oa demo` first")
    players = store.query("SELECT player_id, shoots, height_in, position FROM players")
    goalie_ids = set(players.loc[players["position"] == "G", "player_id"].astype(int))
    tracked = set(store.query("SELECT game_id FROM games WHERE has_tracking")["game_id"].astype(int))
    parts = []
    done = 0
    for run in _runs(games, tracked):
        if run[0] in tracked:
            parts.append(game_features(store, run[0], players, goalie_ids))
        else:
            parts.append(pbp_features(store, run, players, goalie_ids))
        done += len(run)
        if progress:
            progress(done, len(games))
    df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=features_table().column_names)
    write_features(store, df, games)
    n = len(df)
    return FeaturesSummary(
        games=len(games),
        shots=n,
        tracking_shots=int((df["feature_set"] == TRACKING).sum()),
        seconds=round(time.perf_counter() - t0, 2),
    )


def write_features(store: Store, df: pd.DataFrame, game_ids: list[int]) -> None:
    """Replace the feature rows of `game_ids` with `df`, in one transaction."""
    table = features_table()
    with store.transaction(f"writing the factors of {len(game_ids):,} games") as con:
        have = factor_columns(store)
        for col in table.columns:
            if col.name not in have:
                con.execute(f"ALTER TABLE shot_features ADD COLUMN {col.name} {col.sql}")
        con.execute("CREATE TEMP TABLE IF NOT EXISTS _feature_games (game_id BIGINT)")
        con.execute("DELETE FROM _feature_games")
        con.executemany("INSERT INTO _feature_games VALUES (?)", [[g] for g in game_ids])
        con.execute("DELETE FROM shot_features WHERE game_id IN (SELECT game_id FROM _feature_games)")
        store.insert(table, df)


def factor_columns(store: Store) -> set[str]:
    """The columns `shot_features` has in this store (factors are added as the registry grows)."""
    return set(
        store.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'shot_features'")[
            "column_name"
        ]
    )


def factors_current(store: Store) -> bool:
    """True if the store has a column for every registered factor."""
    return {f.name for f in all_factors()} <= factor_columns(store)


def load_features(store: Store, feature_set: str, where: str = "", params: list | None = None) -> pd.DataFrame:
    """Stored features of the shots that have `feature_set`'s factors, with their outcome."""
    if len(factor_columns(store)) <= len(schema.SHOT_FEATURES_KEY.columns):
        raise StoreError(f"store {store.path} has no factors yet; run `python -m oa features --db {store.path}`")
    lacking = [f.name for f in _feature_set(feature_set) if f.name not in factor_columns(store)]
    if lacking:
        raise StoreError(
            f"store {store.path} was factored before {', '.join(lacking)} existed; "
            f"recompute its factors with `python -m oa features --db {store.path}`"
        )
    sets = (TRACKING,) if feature_set == TRACKING else (PBP, TRACKING)
    sql = (
        "SELECT f.*, s.outcome, s.is_goal, g.source, g.season FROM shot_features f "
        "JOIN shots s USING (shot_id) JOIN games g ON g.game_id = f.game_id "
        f"WHERE f.feature_set IN ({', '.join('?' * len(sets))}) {where} ORDER BY f.shot_id"
    )
    return store.query(sql, list(sets) + (params or []))
