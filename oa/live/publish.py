"""Where live ratings go: Parquet parts beside the store, so the dashboard reads while the scorer writes.

DuckDB lets one process write a database file or many read it, never both; so the
scorer never opens the store for writing. Each rated shot becomes its own file,
`shots/<game>/<shot_id>.parquet`, written to a hidden temporary name and renamed into
place: readers see a whole file or none, and writing the same shot again replaces it
(an idempotent upsert by shot id, which is what makes redelivery after a crash safe).
When a game ends its shot files are merged into `games/<game>.parquet`. Readers glob
both and keep one row per shot, so the moment between merge and cleanup is harmless.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

SCHEMA = pa.schema(
    [
        ("shot_id", pa.int64()),
        ("game_id", pa.int64()),
        ("event_idx", pa.int32()),
        ("period", pa.int32()),
        ("period_seconds", pa.float64()),
        ("game_seconds", pa.float64()),
        ("team", pa.string()),
        ("opponent", pa.string()),
        ("is_home", pa.bool_()),
        ("shooter_id", pa.int64()),
        ("goalie_id", pa.int64()),
        ("x", pa.float64()),
        ("y", pa.float64()),
        ("shot_type", pa.string()),
        ("strength", pa.string()),
        ("feature_set", pa.string()),
        ("model_id", pa.string()),
        ("p_goal", pa.float64()),
        ("tier", pa.string()),
        ("base_logit", pa.float64()),
        ("top_factors", pa.string()),
        ("tagged_at", pa.float64()),
        ("published_at", pa.float64()),
        ("scorer", pa.string()),
    ]
)
COLUMNS = tuple(SCHEMA.names)
SHOT_COLUMNS = COLUMNS[: COLUMNS.index("feature_set")]  # what a rating repeats from the shot tag


def _write(table: pa.Table, path: Path, compression: str = "zstd") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp, compression=compression)
    os.replace(tmp, path)


class Publisher:
    """Writes rated shots as Parquet parts under `directory`."""

    def __init__(self, directory: str | Path):
        self.dir = Path(directory)
        (self.dir / "shots").mkdir(parents=True, exist_ok=True)
        (self.dir / "games").mkdir(parents=True, exist_ok=True)

    def shot(self, row: dict) -> None:
        """Publish one rated shot (replacing an earlier rating of the same shot)."""
        row = {**row, "published_at": time.time()}
        # uncompressed: one row, and it halves the write (0.8 ms instead of 1.5)
        _write(
            pa.Table.from_pylist([row], schema=SCHEMA),
            self.dir / "shots" / str(row["game_id"]) / f"{row['shot_id']}.parquet",
            compression="none",
        )

    def close_game(self, game_id: int) -> None:
        """Merge a finished game's shot files into one part."""
        folder = self.dir / "shots" / str(int(game_id))
        files = sorted(folder.glob("*.parquet")) if folder.exists() else []
        if not files:
            return
        old = self.dir / "games" / f"{int(game_id)}.parquet"
        parts = [pq.read_table(f, schema=SCHEMA) for f in files]
        if old.exists():
            parts.insert(0, pq.read_table(old, schema=SCHEMA))
        table = pa.concat_tables(parts).to_pandas()
        table = table.sort_values("published_at").drop_duplicates("shot_id", keep="last").sort_values("shot_id")
        _write(pa.Table.from_pandas(table, schema=SCHEMA, preserve_index=False), old)
        for f in files:
            f.unlink(missing_ok=True)
        try:
            folder.rmdir()  # no shot folder left: readers can tell the game is over
        except OSError:
            pass  # a late shot of this game arrived meanwhile; it stays


def parts(d: Path) -> list[Path]:
    """The published parts under a live folder: merged games, then single shots."""
    return sorted(d.glob("games/*.parquet")) + sorted(d.glob("shots/*/*.parquet"))


def read_live(directory: str | Path, where: str = "", params: list | None = None) -> pd.DataFrame:
    """Live ratings, one row per shot (the latest), newest first; empty if nothing was published."""
    d = Path(directory)
    sql = (
        f"SELECT * FROM read_parquet(?, union_by_name = true) {('WHERE ' + where) if where else ''} "
        "QUALIFY row_number() OVER (PARTITION BY shot_id ORDER BY published_at DESC) = 1 "
        "ORDER BY published_at DESC"
    )
    con = duckdb.connect()
    for attempt in range(3):
        files = [str(p) for p in parts(d)]
        if not files:
            return pd.DataFrame(columns=list(COLUMNS))
        try:
            return con.execute(sql, [files] + (params or [])).df()
        except duckdb.IOException:
            if attempt == 2:
                raise
            # a game's shot files were merged between listing and reading: list again
    return pd.DataFrame(columns=list(COLUMNS))
