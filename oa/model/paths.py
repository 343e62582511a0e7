"""Where a store's models live on disk, and how their paths are recorded in the store.

Kept apart from `oa.model.train` so scoring and the app find a model file without importing
training (and scikit-learn with it).
"""

from __future__ import annotations

from pathlib import Path

from oa.store import Store


def model_dir(store: Store) -> Path:
    """Models live next to the store they were trained from: <store dir>/models/."""
    base = Path(store.path).resolve().parent if store.path != ":memory:" else Path.cwd() / "data"
    return base / "models"


def stored_path(store: Store, path: Path) -> str:
    """Model paths are kept relative to the store's folder, so a store and its models/ can move together."""
    try:
        return str(Path(path).resolve().relative_to(model_dir(store).parent))
    except ValueError:
        return str(Path(path).resolve())


def resolve_path(store: Store, stored: str) -> Path:
    """The file a stored model path points at (relative paths are under the store's folder)."""
    p = Path(stored)
    return p if p.is_absolute() else model_dir(store).parent / p
