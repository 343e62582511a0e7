"""NHL shift charts (api.nhle.com `stats/rest/en/shiftcharts`): who was on the ice, and for how long.

The response is `{"data": [row, ...], "total": n}`; a shift row has `playerId`, `teamAbbrev`,
`period`, `startTime` and `endTime` ("MM:SS" into the period) and `typeCode` 517 (rows of
type 505 mark goals and are not shifts). A player is on the ice at an attempt at time t of
a period when one of his shifts there has start < t <= end: a shot at the second of a change
belongs to the players coming off (the NHL's own convention for its on-ice lists).

Shift charts are not an `oa ingest` adapter: `oa nhl sync` fetches them beside each game's
play-by-play and stores their rows with the game (`shifts`, `shot_on_ice`, `player_toi`, and
`toi`: all situations and five-on-five, from the shifts themselves, see `oa.onice`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from oa import schema
from oa.rink import PERIOD_S
from oa.sources.common import IngestReport, SourceError
from oa.sources.nhl_teams import code
from oa.sources.reading import ID_MAX

SHIFT = 517  # typeCode of a shift row (505: a goal, listed among the shifts)
GOAL_ROW = 505


def _seconds(v: object) -> float:
    """ "MM:SS" as seconds (NaN if it is not)."""
    if not isinstance(v, str):
        return np.nan
    try:
        m, s = v.split(":")
        return float(int(m) * 60 + int(s))
    except ValueError:
        return np.nan


def _is_id(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= ID_MAX


def read_shifts(doc: object, game_id: int, where: str | Path, report: IngestReport) -> pd.DataFrame:
    """The game's shifts as the `shifts` table; bad rows counted by reason, a half-written chart refused.

    Raises SourceError when the document is not a shift chart at all or is incomplete (fewer rows
    than its `total`): then none of it is used and whatever was stored stays."""
    if isinstance(doc, dict) and "metadata" in doc and isinstance(doc.get("data"), dict):
        doc = doc["data"]  # the {metadata, data} envelope of saved responses
    rows = doc.get("data") if isinstance(doc, dict) else None
    if not isinstance(doc, dict) or not isinstance(rows, list):
        raise SourceError(where, "is not an NHL shift chart (expected {data: [...], total})", field="data")
    total = doc.get("total")
    if isinstance(total, int) and not isinstance(total, bool) and total > len(rows):
        raise SourceError(where, f"holds {len(rows)} of its {total} rows (served half-written)", field="total")
    out = []
    for i, r in enumerate(rows):
        if not isinstance(r, dict):
            report.reject("bad shift row", 1, f"{where}, row {i}: a JSON {type(r).__name__}")
            continue
        kind = r.get("typeCode")
        if kind == GOAL_ROW:
            continue
        if kind != SHIFT:
            report.reject("shift row of an unknown type (skipped)", 1, f"{where}, row {i}, field typeCode: {kind!r}")
            continue
        if r.get("gameId") not in (None, game_id):
            report.reject("shift of another game", 1, f"{where}, row {i}, field gameId: {r.get('gameId')!r}")
            continue
        pid, period, team = r.get("playerId"), r.get("period"), r.get("teamAbbrev")
        start, end = _seconds(r.get("startTime")), _seconds(r.get("endTime"))
        bad = next(
            (
                name
                for name, ok in (
                    ("playerId", _is_id(pid)),
                    ("period", isinstance(period, int) and not isinstance(period, bool) and 1 <= period <= 9),
                    ("teamAbbrev", isinstance(team, str) and bool(team.strip())),
                    ("startTime", 0 <= start <= PERIOD_S),
                    ("endTime", 0 <= end <= PERIOD_S),
                )
                if not ok
            ),
            None,
        )
        if bad:
            report.reject(f"bad shift {bad}", 1, f"{where}, row {i}, field {bad}: {repr(r.get(bad))[:60]}")
            continue
        if end < start:
            report.reject("shift ends before it starts", 1, f"{where}, row {i}, field endTime: {r.get('endTime')!r}")
            continue
        out.append((game_id, pid, code(str(team).strip()), period, start, end))
    df = pd.DataFrame(out, columns=schema.SHIFTS.column_names)
    twice = df.duplicated(["player_id", "period", "start_s", "end_s"])
    if twice.any():  # the real charts list some shifts twice; counted once (time on ice then matches the boxscore)
        i = int(twice.to_numpy().argmax())
        report.reject("duplicate shift (counted once)", int(twice.sum()), f"{where}, player {df['player_id'].iloc[i]}")
    return df[~twice].reset_index(drop=True)


def on_ice(shots: pd.DataFrame, shifts: pd.DataFrame, goalie_ids: set[int]) -> pd.DataFrame:
    """The `shot_on_ice` rows: every player on the ice at each shot (start < t <= end in its period)."""
    cols = schema.SHOT_ON_ICE.column_names
    if len(shots) == 0 or len(shifts) == 0:
        return pd.DataFrame(columns=cols)
    s = shots[["shot_id", "game_id", "period", "period_seconds", "team"]].rename(columns={"team": "shooter_team"})
    m = s.merge(shifts[["player_id", "team", "period", "start_s", "end_s"]], on="period")
    t = m["period_seconds"].to_numpy(float)
    m = m[(m["start_s"].to_numpy(float) < t) & (t <= m["end_s"].to_numpy(float))]
    m = m.drop_duplicates(["shot_id", "player_id"])
    return pd.DataFrame(
        {
            "shot_id": m["shot_id"].astype("int64"),
            "game_id": m["game_id"].astype("int64"),
            "player_id": m["player_id"].astype("int64"),
            "team": m["team"],
            "goalie": m["player_id"].isin(goalie_ids),
            "shooting": m["team"] == m["shooter_team"],
        },
        columns=cols,
    ).reset_index(drop=True)


def skater_counts(shots: pd.DataFrame, on: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(skaters for, skaters against) of each shot from its on-ice rows (NaN for a shot with none)."""
    sk = on[~on["goalie"]]
    counts = sk.groupby(["shot_id", "shooting"]).size().unstack(fill_value=0)
    have = shots["shot_id"].isin(on["shot_id"])
    get = lambda side: (  # noqa: E731
        shots["shot_id"].map(counts[side]) if side in counts else pd.Series(0, index=shots.index)
    )
    return get(True).fillna(0).where(have), get(False).fillna(0).where(have)
