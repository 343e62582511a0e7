"""hockeyR play-by-play CSV (NHL API events reshaped by the hockeyR R package), with its `xg`.

hockeyR's `xg` is kept in `public_xg` (model "hockeyr") for comparison, never a factor.
Notes that shape the mapping:
- `home_score` / `away_score` already count a goal on its own row;
- BLOCKED_SHOT rows belong to the shooting team (player 1 is the shooter);
- the defending goalie's id is only on shots on goal and goals; whether the net was
  empty: see `_empty_net` (the on-ice goalie columns alone have gaps);
- shoot-out rows (`period_type == SHOOTOUT`) are dropped and counted.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from oa import schema
from oa.rink import PERIOD_S, Attack, CoordinateSystem, Origin
from oa.schema import GameBundle
from oa.sources.common import IngestReport, game_bundle
from oa.sources.contract import Adapter
from oa.sources.nhl_events import STATSAPI_EVENTS
from oa.sources.nhl_teams import code
from oa.sources.reading import ID, ID_MAX, Num, X, Y, dedupe, game_teams, parse_rows, read_csv, reject
from oa.vocab import ATTEMPTS, game_type

SOURCE = "hockeyr"
# feet from centre ice as the rink shows it; the teams switch ends every period
COORDS = CoordinateSystem(
    Origin.CENTRE, Attack.PER_PERIOD, attack_from="per team and period from where its attempts are"
)
# hockeyR also keeps challenges and failed attempts (the statsapi feed's own reader skips challenges)
EVENT_MAP = STATSAPI_EVENTS | {"CHALLENGE": "OTHER", "FAILED_SHOT_ATTEMPT": "OTHER"}
SKIP = {"GAME_SCHEDULED", "PERIOD_READY", "PERIOD_OFFICIAL", "GAME_OFFICIAL", "SHOOTOUT_COMPLETE", "CHANGE"}
SHOT_TYPE_CODES = {
    "Wrist Shot": "WRIST",
    "Snap Shot": "SNAP",
    "Slap Shot": "SLAP",
    "Backhand": "BACKHAND",
    "Tip-In": "TIP",
    "Deflected": "DEFLECTION",
    "Wrap-around": "WRAP",
}
REQUIRED = (
    "game_id",
    "game_date",
    "season_type",
    "event_type",
    "event_team_abbr",
    "period",
    "period_type",
    "period_seconds",
    "x",
    "y",
    "secondary_type",
    "home_score",
    "away_score",
    "home_skaters",
    "away_skaters",
    "home_goalie",
    "away_goalie",
    "event_player_1_id",
    "event_player_2_id",
    "event_goalie_id",
    "home_abbreviation",
    "away_abbreviation",
    "xg",
)
# on-ice lists glitch (7 skaters in 90 rows of 2023-24): the count is left unknown, the event kept
SKATERS = Num(integer=True, lo=0, hi=6, keep_row=True)
SCORE = Num(integer=True, lo=0, hi=99, keep_row=True)
NUMBERS = {
    "game_id": Num(required=True, integer=True, lo=1_000_000_000, hi=9_999_999_999),
    "period": Num(required=True, integer=True, lo=1, hi=9),
    "period_seconds": Num(required=True, lo=0, hi=PERIOD_S),
    "home_score": SCORE,
    "away_score": SCORE,
    "event_player_1_id": ID,
    "event_player_2_id": ID,
    "event_goalie_id": ID,
    "home_skaters": SKATERS,
    "away_skaters": SKATERS,
    "x": X,
    "y": Y,
    "xg": Num(lo=0, hi=1),
}


def read(path: str | Path, report: IngestReport) -> tuple[Iterator[GameBundle], pd.DataFrame]:
    path = Path(path)
    df = read_csv(path, REQUIRED, "hockeyR play-by-play", ("", "NA"), report)
    report.files += 1
    return _games(path, df, report), _players(df)


def _players(df: pd.DataFrame) -> pd.DataFrame:
    parts = []
    for k in (1, 2, 3):
        if f"event_player_{k}_id" in df.columns and f"event_player_{k}_name" in df.columns:
            parts.append(df[[f"event_player_{k}_id", f"event_player_{k}_name"]].set_axis(["player_id", "name"], axis=1))
    if "event_goalie_id" in df.columns and "event_goalie_name" in df.columns:
        parts.append(
            df[["event_goalie_id", "event_goalie_name"]].set_axis(["player_id", "name"], axis=1).assign(position="G")
        )
    p = pd.concat(parts, ignore_index=True)
    p["player_id"] = pd.to_numeric(p["player_id"], errors="coerce")
    p = p[p["player_id"].between(1, ID_MAX) & (p["player_id"] % 1 == 0)].dropna(subset=["name"])
    p["player_id"] = p["player_id"].astype("int64")
    p["name"] = p["name"].str.replace(".", " ", regex=False)
    if "position" not in p.columns:
        p["position"] = None
    p = p.sort_values("position", na_position="last").drop_duplicates("player_id")
    return schema.ordered(schema.PLAYERS, p.reindex(columns=schema.PLAYERS.column_names).assign(source=SOURCE))


def _games(path: Path, df: pd.DataFrame, report: IngestReport) -> Iterator[GameBundle]:
    key = [c for c in ("game_id", "event_idx") if c in df.columns] if "event_idx" in df.columns else None
    df = dedupe(df, key, report, path, "event row")
    df = df[~df["event_type"].isin(SKIP)]
    df, num = parse_rows(df, NUMBERS, report, path)
    bad = pd.to_datetime(df["game_date"], format="ISO8601", errors="coerce").isna().to_numpy()
    df, num = reject(df, bad, "game_date", report, path, why=" (expected YYYY-MM-DD)"), num[~bad]
    for gid, rows in df.groupby(num["game_id"].to_numpy(), sort=False):
        try:
            yield _game(path, int(gid), rows, num.loc[rows.index], report)
        except Exception as e:  # noqa: BLE001 - one broken game must not stop the file
            report.failed.append((f"{path.name} game {int(gid)}", e))


def _game(path: Path, gid: int, r: pd.DataFrame, num: pd.DataFrame, report: IngestReport) -> GameBundle:
    r, home, away = game_teams(r, "home_abbreviation", "away_abbreviation", report, path)
    home, away = code(home), code(away)
    team = r["event_team_abbr"].map(code)
    stray = (r["event_type"].map(EVENT_MAP).isin(ATTEMPTS) & ~team.isin((home, away))).to_numpy()
    r = reject(r, stray, "event_team_abbr", report, path, why=f" (a shot attempt must be by {home} or {away})")
    team, num = team[~stray], num.loc[r.index]
    period, secs = num["period"], num["period_seconds"]
    typ = r["event_type"].map(EVENT_MAP)
    for t, n in r["event_type"][typ.isna()].value_counts().items():
        report.unknown_types[t] += int(n)
    typ = typ.fillna("OTHER")
    is_att = typ.isin(ATTEMPTS)
    is_goal = (typ == "GOAL").to_numpy()
    f = num.astype(float)
    hs = f["home_score"].to_numpy() - (is_goal & (team == home).to_numpy())
    as_ = f["away_score"].to_numpy() - (is_goal & (team == away).to_numpy())
    shooter, goalie = f["event_player_1_id"], f["event_goalie_id"]
    hsk, ask = f["home_skaters"].to_numpy(), f["away_skaters"].to_numpy()
    empty = _empty_net(r, typ, (team == home).to_numpy(), is_att.to_numpy(), hsk, ask)
    xg = f["xg"]
    ev = pd.DataFrame(
        {
            "period": period.astype(int).to_numpy(),
            "period_seconds": secs.to_numpy(),
            "type": typ.to_numpy(),
            "team": team.where(team.notna(), None).to_numpy(),
            "player_id": shooter.round().astype("Int64").to_numpy(),
            "player2_id": np.where(is_att & (typ != "BLOCK"), goalie, f["event_player_2_id"]),
            "x": f["x"].to_numpy(),
            "y": f["y"].to_numpy(),
            "detail": np.where(is_att, r["secondary_type"].map(SHOT_TYPE_CODES).fillna("UNKNOWN"), None),
            "home_skaters": hsk,
            "away_skaters": ask,
            "home_score": hs,
            "away_score": as_,
            "shooter_id": shooter.to_numpy(),
            "goalie_id": goalie.to_numpy(),
            "empty_net": empty,
            "shootout": (r["period_type"] == "SHOOTOUT").to_numpy(),
            "xg_public": np.where(is_att & (typ != "BLOCK"), xg, np.nan),
            "xg_model": "hockeyr",
        }
    )
    for c in ("player2_id", "home_skaters", "away_skaters", "home_score", "away_score"):
        ev[c] = pd.array(pd.to_numeric(ev[c], errors="coerce"), dtype="Float64").round().astype("Int64")
    st = r["season_type"].iloc[0]
    hf, af = _final(path, r, "home_final", report), _final(path, r, "away_final", report)
    season = str(gid)[:4]
    game = dict(
        game_id=gid,
        source=SOURCE,
        season=f"{season}-{str(int(season) + 1)[-2:]}",
        game_type=game_type(st),
        date=pd.to_datetime(r["game_date"].iloc[0], format="ISO8601"),
        home_team=home,
        away_team=away,
        home_score=None if hf != hf else int(hf),
        away_score=None if af != af else int(af),
        periods=int(period.max()),
        shootout=bool((r["period_type"] == "SHOOTOUT").any()),
        has_tracking=False,
        fps=None,
    )
    return game_bundle(SOURCE, game, ev, report)


def _final(path: Path, r: pd.DataFrame, col: str, report: IngestReport) -> float:
    """The game's final score from its first row (NaN if the file lacks it; counted if it cannot be right)."""
    if col not in r.columns:
        return np.nan
    _, v = parse_rows(r.iloc[:1], {col: Num(integer=True, lo=0, hi=99)}, report, path)
    return float(v[col].iloc[0]) if len(v) and pd.notna(v[col].iloc[0]) else np.nan


def _empty_net(
    r: pd.DataFrame,
    typ: pd.Series,
    home_shoots: np.ndarray,
    is_att: np.ndarray,
    home_skaters: np.ndarray,
    away_skaters: np.ndarray,
) -> pd.arrays.BooleanArray:
    """Whether the defending net was empty, per attempt (NA for other events).

    The on-ice goalie columns alone over-count: the NHL's on-ice lists have gaps, and in the
    first 168 games of 2023-24 two in three attempts with no defending goalie listed were
    not empty-net shots (2.0% of attempts flagged against 0.6% in hockey_scraper seasons;
    most of them saves by a named goalie, in the first two periods). So: a save had a
    goalie; a goal says itself (`empty_net`, when the file has it); a miss or a block with
    no goalie listed counts only when the defenders had an extra skater on (6, or more
    than the shooters: a pulled goalie).
    """
    t = typ.to_numpy()
    blank = pd.isna(np.where(home_shoots, r["away_goalie"], r["home_goalie"]))
    defenders = np.where(home_shoots, away_skaters, home_skaters)
    shooters = np.where(home_shoots, home_skaters, away_skaters)
    said = (
        r["empty_net"].str.upper().map({"TRUE": 1.0, "FALSE": 0.0}).to_numpy(dtype=float)
        if "empty_net" in r.columns
        else np.full(len(r), np.nan)
    )
    out = blank & ((defenders >= 6) | (defenders > shooters))  # misses and blocks
    out = np.where(t == "SHOT", False, out)  # a save needs a goalie
    goal = t == "GOAL"
    out = np.where(goal, np.where(np.isfinite(said), said == 1.0, blank), out)
    return pd.array([bool(v) if a else pd.NA for v, a in zip(out, is_att)], dtype="boolean")


ADAPTER = Adapter(
    name=SOURCE,
    title="hockeyR play-by-play with hockeyR's xg",
    reads="hockeyR play-by-play CSV (NHL API events reshaped by the hockeyR R package), plain or gzip",
    patterns=("*.csv", "*.csv.gz"),
    terms="the NHL's public play-by-play via hockeyR (MIT code); use for analysis only, do not republish",
    coords=COORDS,
    read=read,
)
