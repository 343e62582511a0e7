"""MoneyPuck shot CSV (the 16-column extract): unblocked attempts with MoneyPuck's own `xGoal`.

MoneyPuck's `xGoal` is kept in `public_xg` (model "moneypuck") for comparison and is
never a factor. What the extract lacks is left unknown, not guessed:
- teams are only HOME / AWAY, so the game's teams are stored as those two codes;
- no strength, no empty net, no goalie, no other events (so "previous event" is the
  previous shot in the file); the score before each shot comes from the file's goals;
- coordinates are already adjusted so every shot attacks x = +89.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from oa import schema
from oa.rink import PERIOD_S, Attack, CoordinateSystem, Origin, period_start
from oa.schema import GameBundle
from oa.sources.common import IngestReport, game_bundle
from oa.sources.contract import Adapter
from oa.sources.reading import ID, ID_MAX, Num, X, Y, dedupe, parse_rows, read_csv, reject

SOURCE = "moneypuck"
# feet from centre ice, already turned so that every shot attacks +x
COORDS = CoordinateSystem(Origin.CENTRE, Attack.NORMALISED, attack_from="xCordAdjusted, yCordAdjusted")
REQUIRED = (
    "game_id",
    "shotID",
    "shooterPlayerId",
    "shooterName",
    "period",
    "time",
    "xCordAdjusted",
    "yCordAdjusted",
    "shotType",
    "event",
    "xGoal",
    "isPlayoffGame",
    "season",
    "team",
)
SHOT_TYPE_CODES = {
    "WRIST": "WRIST",
    "SNAP": "SNAP",
    "SLAP": "SLAP",
    "TIP": "TIP",
    "BACK": "BACKHAND",
    "DEFL": "DEFLECTION",
    "WRAP": "WRAP",
}
EVENTS = {"SHOT": "SHOT", "MISS": "MISS", "GOAL": "GOAL"}
NUMBERS = {
    "season": Num(required=True, integer=True, lo=1917, hi=2100),
    "game_id": Num(required=True, integer=True, lo=1, hi=99_999),
    "shotID": Num(required=True, integer=True, lo=0, hi=ID_MAX),
    "shooterPlayerId": ID,
    "period": Num(required=True, integer=True, lo=1, hi=9),
    "time": Num(required=True, lo=0, hi=9 * PERIOD_S),
    "xCordAdjusted": X,
    "yCordAdjusted": Y,
    "xGoal": Num(lo=0, hi=1),
}


def read(path: str | Path, report: IngestReport) -> tuple[Iterator[GameBundle], pd.DataFrame]:
    path = Path(path)
    df = read_csv(path, REQUIRED, "MoneyPuck shot", ("",), report)
    report.files += 1
    players = df[["shooterPlayerId", "shooterName"]].drop_duplicates("shooterPlayerId")
    players = pd.DataFrame(
        {
            "player_id": pd.to_numeric(players["shooterPlayerId"], errors="coerce"),
            "source": SOURCE,
            "name": players["shooterName"],
        }
    )
    players = players[players["player_id"].between(1, ID_MAX) & (players["player_id"] % 1 == 0)]
    players["player_id"] = players["player_id"].astype("int64")
    return _games(path, df, report), schema.ordered(
        schema.PLAYERS, players.reindex(columns=schema.PLAYERS.column_names).assign(source=SOURCE)
    )


def _games(path: Path, df: pd.DataFrame, report: IngestReport) -> Iterator[GameBundle]:
    df = dedupe(df, ["season", "game_id", "shotID"], report, path, "shot row")
    df = dedupe(df, [c for c in df.columns if c != "shotID"], report, path, "shot row")
    df, num = parse_rows(df, NUMBERS, report, path)
    # a shot's time is game seconds: it must fall inside its period
    ps = num["time"] - period_start(num["period"].astype(float))
    bad = ((ps < 0) | (ps > PERIOD_S)).to_numpy()
    df = reject(df, bad, "time", report, path, why=" (not inside its period: time is game seconds)")
    num = num[~bad]
    df = reject(
        df, df["event"].map(EVENTS).isna().to_numpy(), "event", report, path, why=" (expected SHOT, MISS or GOAL)"
    )
    num = num.loc[df.index]
    bad = ~df["team"].str.upper().isin(("HOME", "AWAY")).to_numpy()
    df, num = reject(df, bad, "team", report, path, why=" (expected HOME or AWAY)"), num[~bad]
    for (sid, gid), rows in df.groupby([num["season"].to_numpy(), num["game_id"].to_numpy()], sort=False):
        nhl_id = int(sid) * 1_000_000 + int(gid)
        try:
            yield _game(nhl_id, int(sid), rows, num.loc[rows.index], report)
        except Exception as e:  # noqa: BLE001 - one broken game must not stop the file
            report.failed.append((f"{path.name} game {nhl_id}", e))


def _game(gid: int, season: int, r: pd.DataFrame, num: pd.DataFrame, report: IngestReport) -> GameBundle:
    order = np.lexsort((num["shotID"].to_numpy(dtype=float), num["time"].to_numpy()))
    r, num = r.iloc[order], num.iloc[order]
    period, t, typ, side = num["period"], num["time"], r["event"].map(EVENTS), r["team"].str.upper()
    goals = (typ == "GOAL").to_numpy()
    home = (side == "HOME").to_numpy()
    # score before each shot, from the file's own goals (shoot-outs are not in the file)
    hs = np.cumsum(goals & home) - (goals & home)
    as_ = np.cumsum(goals & ~home) - (goals & ~home)
    ps = t.to_numpy(dtype=float) - period_start(period.to_numpy(dtype=float))
    playoff = r["isPlayoffGame"].astype(str).str.strip().isin(("1", "1.0", "True", "true"))
    shooter = num["shooterPlayerId"]
    ev = pd.DataFrame(
        {
            "period": period.astype(int).to_numpy(),
            "period_seconds": ps,
            "type": typ.to_numpy(),
            "team": side.to_numpy(),
            "player_id": shooter.to_numpy(),
            "player2_id": pd.array([None] * len(r), dtype="Int64"),
            "x": num["xCordAdjusted"].to_numpy(),
            "y": num["yCordAdjusted"].to_numpy(),
            "detail": r["shotType"].map(SHOT_TYPE_CODES).fillna("UNKNOWN").to_numpy(),
            "home_skaters": pd.array([None] * len(r), dtype="Int64"),
            "away_skaters": pd.array([None] * len(r), dtype="Int64"),
            "home_score": hs,
            "away_score": as_,
            "shooter_id": shooter.astype(float).to_numpy(dtype=float, na_value=np.nan),
            "goalie_id": np.nan,
            "attack_sign": 1.0,  # COORDS is normalised
            "empty_net": pd.array([pd.NA] * len(r), dtype="boolean"),
            "xg_public": num["xGoal"].to_numpy(),
            "xg_model": "moneypuck",
        }
    )
    game = dict(
        game_id=gid,
        source=SOURCE,
        season=f"{season}-{str(season + 1)[-2:]}",
        game_type="P" if playoff.any() else "R",
        date=None,
        home_team="HOME",
        away_team="AWAY",
        home_score=int(hs[-1] + (goals & home)[-1]) if len(r) else 0,
        away_score=int(as_[-1] + (goals & ~home)[-1]) if len(r) else 0,
        periods=int(period.max()) if len(r) else None,
        shootout=None,
        has_tracking=False,
        fps=None,
    )
    return game_bundle(SOURCE, game, ev, report)


ADAPTER = Adapter(
    name=SOURCE,
    title="MoneyPuck shots with MoneyPuck's xGoal",
    reads="MoneyPuck shot CSV (the 16-column extract: unblocked attempts), plain or gzip",
    patterns=("*.csv", "*.csv.gz"),
    terms="MoneyPuck's public shot files; credit MoneyPuck, use for analysis only, do not republish",
    coords=COORDS,
    read=read,
)
