"""NHL team rosters (api-web `/v1/roster/{team}/{season}`): the hands and heights play-by-play lacks.

The play-by-play's `rosterSpots`, the landing and the boxscore name each player with his
number and position but not which way he shoots nor how tall he is (checked on the real
files in ../shared); a team's season roster does: `forwards`, `defensemen` and `goalies`,
each player with `id`, `firstName`/`lastName` (`{"default": ...}`), `sweaterNumber`,
`positionCode`, `shootsCatches` and `heightInInches`. A value that cannot be right is left
unknown and counted (bios only fill gaps; see `oa.sources.ingest`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from oa import schema
from oa.sources.common import IngestReport
from oa.sources.reading import ID_MAX

SOURCE = "nhl_api"
GROUPS = ("forwards", "defensemen", "goalies")
POS = {"C": "C", "L": "LW", "R": "RW", "D": "D", "G": "G"}


def _text(v: object) -> str:
    if isinstance(v, dict):
        v = v.get("default")
    return v.strip() if isinstance(v, str) else ""


def roster_players(doc: object, team: str, where: str, report: IngestReport) -> pd.DataFrame:
    """The roster's players as `players` rows (hands, heights, positions, numbers); bad entries counted."""
    cols = schema.PLAYERS.column_names
    if not isinstance(doc, dict):
        report.reject("roster is not a JSON object", 1, where)
        return pd.DataFrame(columns=cols)
    rows = []
    for group in GROUPS:
        people = doc.get(group, [])
        if not isinstance(people, list):
            report.reject(f"bad roster {group}", 1, f"{where}, field {group}: a JSON {type(people).__name__}")
            continue
        for i, p in enumerate(people):
            pid = p.get("id") if isinstance(p, dict) else None
            if isinstance(pid, bool) or not isinstance(pid, int) or not 1 <= pid <= ID_MAX:
                report.reject("roster player without an id", 1, f"{where}, {group} {i}, field id: {repr(pid)[:60]}")
                continue
            h, num, hand, pos = (
                p.get("heightInInches"),
                p.get("sweaterNumber"),
                p.get("shootsCatches"),
                p.get("positionCode"),
            )
            height = float(h) if isinstance(h, (int, float)) and not isinstance(h, bool) and 55 <= h <= 90 else np.nan
            if h is not None and np.isnan(height):
                report.reject(
                    "bad heightInInches (left unknown)", 1, f"{where}, {group} {i}, field heightInInches: {h!r}"
                )
            if hand is not None and hand not in ("L", "R"):
                report.reject(
                    "bad shootsCatches (left unknown)", 1, f"{where}, {group} {i}, field shootsCatches: {hand!r}"
                )
            name = f"{_text(p.get('firstName'))} {_text(p.get('lastName'))}".strip()
            rows.append(
                dict(
                    player_id=pid,
                    source=SOURCE,
                    name=name or None,
                    team=team,
                    position=POS.get(pos) if isinstance(pos, str) else None,
                    shoots=hand if hand in ("L", "R") else None,
                    height_in=height,
                    number=num if isinstance(num, int) and not isinstance(num, bool) and 0 <= num <= 99 else None,
                )
            )
    return pd.DataFrame(rows, columns=cols).drop_duplicates("player_id", keep="last").reset_index(drop=True)
