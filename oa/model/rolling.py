"""The rolling-origin results beside a store's models: written by `oa bench seasons`, read by the Model page.

One file per folder of stores, `<folder>/models/seasons.json`, holding each run under its key (the
store's file name, or "shared" for the real seasons in ../shared), with when and how it was run, so
the page can say where its figures come from.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

RESULTS = "seasons.json"


def results_path(folder: Path) -> Path:
    return Path(folder) / "models" / RESULTS


def save(folder: Path, key: str, result: dict, command: str) -> Path:
    """Keep `result` under `key` (other keys stay), stamped with the time and the command; written atomically."""
    path = results_path(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    runs = read_results(folder)
    runs[key] = result | {"run_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "command": command}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"runs": runs}, indent=1, default=float), encoding="utf-8")
    tmp.replace(path)
    return path


def read_results(folder: Path) -> dict:
    """Every saved run in `folder` by key ({} if none, or if the file is unreadable: a page must not fail on it)."""
    try:
        out = json.loads(results_path(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return out.get("runs", {}) if isinstance(out, dict) and isinstance(out.get("runs"), dict) else {}
