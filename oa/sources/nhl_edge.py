"""NHL EDGE aggregates files: only their player bios are used (handedness, height, position).

These files carry no shots. Ingesting them fills in what play-by-play sources lack:
a shooter's hand (for the off-wing factor) and a goalie's height. Values already stored
are kept; the bios only fill gaps (see `oa.sources.ingest`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from oa import schema
from oa.sources.common import IngestReport, SourceError
from oa.sources.contract import Adapter
from oa.sources.reading import ID_MAX, load_json

SOURCE = "nhl_edge"
POS = {"C": "C", "L": "LW", "R": "RW", "D": "D", "G": "G"}


def read(path: str | Path, report: IngestReport) -> tuple[list, pd.DataFrame]:
    path = Path(path)
    doc = load_json(path)
    if not isinstance(doc, list):
        raise SourceError(path, "is not an NHL EDGE bios file (expected a JSON array of players)")
    if doc and not any(isinstance(p, dict) and "id" in p for p in doc):
        raise SourceError(path, "is not an NHL EDGE bios file: no player has an id", row="item 0", field="id")
    report.files += 1
    rows, seen = [], set()
    for i, p in enumerate(doc):
        pid = p.get("id") if isinstance(p, dict) else None
        if isinstance(pid, bool) or not isinstance(pid, int) or not 1 <= pid <= ID_MAX:
            report.reject("player without an id that can be right", 1, f"{path}, item {i}, field id: {repr(pid)[:60]}")
            continue
        if pid in seen:
            report.reject("duplicate player (same id; last kept)", 1, f"{path}, item {i}, field id: {pid}")
        seen.add(pid)
        rows.append(_bio(p))
        for key in _unusable(p):
            report.reject(f"bad {key} (left unknown)", 1, f"{path}, item {i}, field {key}: {repr(p[key])[:60]}")
    df = pd.DataFrame(rows, columns=schema.PLAYERS.column_names).drop_duplicates("player_id", keep="last")
    return [], df


def _text(v: object) -> str:
    return v.strip() if isinstance(v, str) else ""


def _unusable(p: dict) -> list[str]:
    """Bio fields present but of a type or value that cannot be right."""
    b = _bio(p)
    checks = (
        ("heightInInches", "height_in"),
        ("sweaterNumber", "number"),
        ("positionCode", "position"),
        ("shootsCatches", "shoots"),
    )
    bad = [k for k, c in checks if p.get(k) is not None and (b[c] is None or b[c] != b[c])]
    return bad + [k for k in ("firstName", "lastName") if p.get(k) is not None and not isinstance(p[k], str)]


def _bio(p: dict) -> dict:
    """One player's bio; a value of the wrong type or out of range is unknown (bios only fill gaps)."""
    h, num = p.get("heightInInches"), p.get("sweaterNumber")
    pos, hand = p.get("positionCode"), p.get("shootsCatches")
    parts = (p.get("firstName"), p.get("lastName"))
    name = (
        None
        if any(v is not None and not isinstance(v, str) for v in parts)
        else f"{_text(parts[0])} {_text(parts[1])}".strip() or None
    )  # half a name would overwrite a whole one
    return dict(
        player_id=p["id"],
        source=SOURCE,
        name=name,
        team=None,
        position=POS.get(pos) if isinstance(pos, str) else None,
        shoots=hand if hand in ("L", "R") else None,
        height_in=float(h) if isinstance(h, (int, float)) and not isinstance(h, bool) and 55 <= h <= 90 else np.nan,
        number=num if isinstance(num, int) and not isinstance(num, bool) and 0 <= num <= 99 else None,
    )


ADAPTER = Adapter(
    name=SOURCE,
    title="NHL EDGE aggregates (player bios)",
    reads="NHL EDGE bios JSON (an array of players): handedness, height, position, number",
    patterns=("*.json", "*.json.gz"),
    terms="NHL content from nhl.com; use for analysis only, do not republish",
    coords=None,  # bios have no positions on the ice
    read=read,
)
