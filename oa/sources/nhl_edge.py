"""NHL EDGE aggregates files: only their player bios are used (handedness, height, position).

These files carry no shots. Ingesting them fills in what play-by-play sources lack:
a shooter's hand (for the off-wing factor) and a goalie's height. Values already stored
are kept; the bios only fill gaps (see `oa.sources.ingest`).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from oa import schema
from oa.sources.common import IngestReport, SourceError

SOURCE = "nhl_edge"
POS = {"C": "C", "L": "LW", "R": "RW", "D": "D", "G": "G"}


def read(path: str | Path, report: IngestReport) -> tuple[list, pd.DataFrame]:
    path = Path(path)
    try:
        doc = json.loads(path.read_bytes())
    except json.JSONDecodeError as e:
        raise SourceError(path, f"is not valid JSON (truncated or damaged?): {e.msg} at line {e.lineno}, column {e.colno}") from e
    except OSError as e:
        raise SourceError(path, f"cannot be read ({e})") from e
    if not isinstance(doc, list):
        raise SourceError(path, "is not an NHL EDGE bios file (expected a JSON array of players)")
    report.files += 1
    rows = []
    for i, p in enumerate(doc):
        if not isinstance(p, dict) or not isinstance(p.get("id"), int):
            report.reject("player without an id", 1, f"{path}, item {i}, field id")
            continue
        h = p.get("heightInInches")
        rows.append(dict(player_id=p["id"], source=SOURCE,
                         name=f"{p.get('firstName', '')} {p.get('lastName', '')}".strip() or None,
                         team=None, position=POS.get(p.get("positionCode")),
                         shoots=p.get("shootsCatches") if p.get("shootsCatches") in ("L", "R") else None,
                         height_in=float(h) if isinstance(h, (int, float)) and 55 <= h <= 90 else np.nan,
                         number=p.get("sweaterNumber") if isinstance(p.get("sweaterNumber"), int) else None))
    df = pd.DataFrame(rows, columns=schema.PLAYERS.column_names).drop_duplicates("player_id", keep="last")
    return [], df
