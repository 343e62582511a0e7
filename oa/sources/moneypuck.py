"""MoneyPuck shot CSV (the 16-column extract): unblocked attempts with MoneyPuck's own `xGoal`.

MoneyPuck's `xGoal` is kept in `public_xg` (model "moneypuck") for comparison and is
never a factor. What the extract lacks is left unknown, not guessed:
- teams are only HOME / AWAY, so the game's teams are stored as those two codes;
- no strength, no empty net, no goalie, no other events (so "previous event" is the
  previous shot in the file); the score before each shot comes from the file's goals;
- coordinates are already adjusted so every shot attacks x = +89.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from oa import schema
from oa.schema import GameBundle
from oa.sources.common import IngestReport, game_bundle, read_csv, to_num

SOURCE = "moneypuck"
REQUIRED = ("game_id", "shotID", "shooterPlayerId", "shooterName", "period", "time", "xCordAdjusted",
            "yCordAdjusted", "shotType", "event", "xGoal", "isPlayoffGame", "season", "team")
SHOT_TYPES = {"WRIST": "WRIST", "SNAP": "SNAP", "SLAP": "SLAP", "TIP": "TIP", "BACK": "BACKHAND",
              "DEFL": "DEFLECTION", "WRAP": "WRAP"}
EVENTS = {"SHOT": "SHOT", "MISS": "MISS", "GOAL": "GOAL"}


def read(path: str | Path, report: IngestReport) -> tuple[Iterator[GameBundle], pd.DataFrame]:
    path = Path(path)
    df = read_csv(path, REQUIRED, "MoneyPuck shot", ("",))
    report.files += 1
    players = df[["shooterPlayerId", "shooterName"]].drop_duplicates("shooterPlayerId")
    players = pd.DataFrame({"player_id": pd.to_numeric(players["shooterPlayerId"], errors="coerce"), "source": SOURCE,
                            "name": players["shooterName"]}).dropna(subset=["player_id"])
    players["player_id"] = players["player_id"].astype("int64")
    return _games(path, df, report), schema.ordered(schema.PLAYERS, players.reindex(columns=schema.PLAYERS.column_names)
                                                     .assign(source=SOURCE))


def _games(path: Path, df: pd.DataFrame, report: IngestReport) -> Iterator[GameBundle]:
    dup = df.drop(columns=["shotID"]).duplicated()
    if dup.any():
        report.reject("duplicate shot row", int(dup.sum()), f"{path}, row {df.index[np.flatnonzero(dup.to_numpy())[0]]}")
        df = df[~dup]
    g = to_num(df, "game_id", report, path, integer=True, required=True)
    season = to_num(df, "season", report, path, integer=True, required=True)
    ok = g.notna() & season.notna()
    df, g, season = df[ok], g[ok], season[ok]
    for (sid, gid), rows in df.groupby([season.to_numpy(), g.to_numpy()], sort=False):
        nhl_id = int(sid) * 1_000_000 + int(gid)
        try:
            yield _game(path, nhl_id, int(sid), rows, report)
        except Exception as e:  # noqa: BLE001 - one broken game must not stop the file
            report.failed.append((f"{path.name} game {nhl_id}", e))


def _game(path: Path, gid: int, season: int, r: pd.DataFrame, report: IngestReport) -> GameBundle:
    period = to_num(r, "period", report, path, integer=True, required=True)
    t = to_num(r, "time", report, path, required=True)
    typ = r["event"].map(EVENTS)
    bad_type = typ.isna()
    if bad_type.any():
        report.reject("unknown event (expected SHOT, MISS or GOAL)", int(bad_type.sum()),
                      f"{path}, row {r.index[np.flatnonzero(bad_type.to_numpy())[0]]}, field event: {r['event'][bad_type].iloc[0]!r}")
    side = r["team"].str.upper()
    bad_side = ~side.isin(("HOME", "AWAY"))
    if bad_side.any():
        report.reject("unknown team side (expected HOME or AWAY)", int(bad_side.sum()),
                      f"{path}, row {r.index[np.flatnonzero(bad_side.to_numpy())[0]]}, field team")
    xg = to_num(r, "xGoal", report, path)
    ok = period.notna() & t.notna() & ~bad_type & ~bad_side & (t >= 0)
    r, period, t, typ, side, xg = r[ok], period[ok], t[ok], typ[ok], side[ok], xg[ok]
    order = np.lexsort((r["shotID"].astype(int).to_numpy(), t.to_numpy()))
    r, period, t, typ, side, xg = (v.iloc[order] for v in (r, period, t, typ, side, xg))
    goals = (typ == "GOAL").to_numpy()
    home = (side == "HOME").to_numpy()
    # score before each shot, from the file's own goals (shoot-outs are not in the file)
    hs = np.cumsum(goals & home) - (goals & home)
    as_ = np.cumsum(goals & ~home) - (goals & ~home)
    ps = t.to_numpy(dtype=float) - (period.to_numpy(dtype=float) - 1) * 1200.0
    playoff = r["isPlayoffGame"].astype(str).str.strip().isin(("1", "1.0", "True", "true"))
    ev = pd.DataFrame({
        "period": period.astype(int).to_numpy(), "period_seconds": np.clip(ps, 0, 1200), "type": typ.to_numpy(),
        "team": side.to_numpy(), "player_id": pd.to_numeric(r["shooterPlayerId"], errors="coerce").astype("Int64").to_numpy(),
        "player2_id": pd.array([None] * len(r), dtype="Int64"),
        "x": to_num(r, "xCordAdjusted", report, path).to_numpy(), "y": to_num(r, "yCordAdjusted", report, path).to_numpy(),
        "detail": r["shotType"].map(SHOT_TYPES).fillna("UNKNOWN").to_numpy(),
        "home_skaters": pd.array([None] * len(r), dtype="Int64"), "away_skaters": pd.array([None] * len(r), dtype="Int64"),
        "home_score": hs, "away_score": as_,
        "shooter_id": pd.to_numeric(r["shooterPlayerId"], errors="coerce").to_numpy(dtype=float),
        "goalie_id": np.nan, "attack_sign": 1.0, "empty_net": pd.array([pd.NA] * len(r), dtype="boolean"),
        "xg_public": xg.to_numpy(), "xg_model": "moneypuck",
    })
    game = dict(game_id=gid, source=SOURCE, season=f"{season}-{str(season + 1)[-2:]}",
                game_type="P" if playoff.any() else "R", date=None, home_team="HOME", away_team="AWAY",
                home_score=int(hs[-1] + (goals & home)[-1]) if len(r) else 0,
                away_score=int(as_[-1] + (goals & ~home)[-1]) if len(r) else 0,
                periods=int(period.max()) if len(r) else None, shootout=None, has_tracking=False, fps=None)
    return game_bundle(SOURCE, game, ev, report)
