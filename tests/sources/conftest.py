"""Real data for adapter tests lives in ../shared/data (never in the repository).

Tests read it from there; they skip when it is absent, except in CI (CI=true) where a
missing shared folder is a failure.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]


def first_games(src: Path, dst: Path, game_col: str, n: int) -> Path:
    """A small CSV with the first `n` games of a big gzip CSV (made in a temp dir, never committed)."""
    with gzip.open(src, "rt") as f:
        df = pd.read_csv(f, dtype=str, keep_default_na=False, nrows=40_000)
    keep = df[game_col].drop_duplicates().head(n)
    df[df[game_col].isin(keep)].to_csv(dst, index=False)
    return dst


def csv_text(path: Path) -> str:
    with gzip.open(path, "rt") if path.suffix == ".gz" else open(path) as f:
        return f.read()


def read_frame(path: Path) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(csv_text(path)), dtype=str, keep_default_na=False)
