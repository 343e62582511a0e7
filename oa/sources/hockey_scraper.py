"""hockey_scraper play-by-play CSV (Harry Shomer's format, evolving-hockey style), whole seasons.

One row per event with the 6+6 players on the ice. Notes that shape the mapping:
- `Game_Id` is the short id (20001); the NHL id is season start * 1e6 + it (2018020001).
- For BLOCK rows `Ev_Team` is the shooting team, p1 the blocker and p2 the shooter.
- `Home_Score` / `Away_Score` are the score before the event (also on GOAL rows).
- `Strength` is home skaters x away skaters; `Home_Goalie` empty means the home net is empty.
- Period 5 of a regular-season game is the shoot-out (dropped and counted).
- Coordinates are raw (`xC`, `yC`); the attacking direction is derived per team and period.
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
from oa.sources.nhl_teams import code
from oa.sources.reading import ID, ID_MAX, Num, X, Y, dedupe, game_teams, parse_rows, read_csv, reject
from oa.vocab import ATTEMPTS

SOURCE = "hockey_scraper"
# feet from centre ice as the rink shows it; the teams switch ends every period
COORDS = CoordinateSystem(
    Origin.CENTRE, Attack.PER_PERIOD, attack_from="per team and period from where its attempts are; Ev_Zone overrules"
)
EVENT_MAP = {
    "FAC": "FACEOFF",
    "SHOT": "SHOT",
    "MISS": "MISS",
    "GOAL": "GOAL",
    "BLOCK": "BLOCK",
    "HIT": "HIT",
    "GIVE": "GIVEAWAY",
    "TAKE": "TAKEAWAY",
    "STOP": "STOPPAGE",
    "PENL": "PENALTY",
    "PSTR": "PERIOD_START",
    "PEND": "PERIOD_END",
    "GEND": "GAME_END",
    "CHL": "OTHER",
    "SOC": "OTHER",
    "DELPEN": "OTHER",
}
SHOT_TYPE_CODES = {
    "WRIST SHOT": "WRIST",
    "SNAP SHOT": "SNAP",
    "SLAP SHOT": "SLAP",
    "BACKHAND": "BACKHAND",
    "TIP-IN": "TIP",
    "DEFLECTED": "DEFLECTION",
    "WRAP-AROUND": "WRAP",
}
REQUIRED = (
    "Game_Id",
    "Date",
    "Period",
    "Event",
    "Seconds_Elapsed",
    "Strength",
    "Type",
    "Ev_Team",
    "Home_Team",
    "Away_Team",
    "p1_name",
    "p1_ID",
    "p2_name",
    "p2_ID",
    "Home_Players",
    "Away_Players",
    "Home_Score",
    "Away_Score",
    "Home_Goalie",
    "Home_Goalie_Id",
    "Away_Goalie",
    "Away_Goalie_Id",
    "xC",
    "yC",
)
EVENT_COLUMNS = frozenset((*REQUIRED, "row_in_game", "Ev_Zone"))  # what `_games` reads
ON_ICE = Num(integer=True, lo=0, hi=7, keep_row=True)  # skaters and goalie; a bad count is left unknown
SCORE = Num(integer=True, lo=0, hi=99, keep_row=True)
# every number a row carries, and what can be right (ids beyond 2**53, strength 9x9, 21 minutes... cannot)
NUMBERS = {
    "Game_Id": Num(required=True, integer=True, lo=1, hi=99_999),
    "Period": Num(required=True, integer=True, lo=1, hi=9),
    "Seconds_Elapsed": Num(required=True, lo=0, hi=PERIOD_S),
    "p1_ID": ID,
    "p2_ID": ID,
    "Home_Goalie_Id": ID,
    "Away_Goalie_Id": ID,
    "Home_Players": ON_ICE,
    "Away_Players": ON_ICE,
    "Home_Score": SCORE,
    "Away_Score": SCORE,
    "xC": X,
    "yC": Y,
}
MAX_SKATERS = 6


def season_of(date: pd.Timestamp) -> tuple[int, str]:
    start = date.year if date.month >= 8 else date.year - 1
    return start, f"{start}-{str(start + 1)[-2:]}"


def read(path: str | Path, report: IngestReport) -> tuple[Iterator[GameBundle], pd.DataFrame]:
    """(bundles of every game in the file, players seen) from one season CSV."""
    path = Path(path)
    df = read_csv(path, REQUIRED, "hockey_scraper play-by-play", ("", "NA"), report)
    report.files += 1
    players = _players(df)
    if "row_in_game" in df.columns:  # without it a duplicate is a whole row alike, so every column is kept
        # a season is 400,000 rows of 57 columns; the games need 26 of them (a third of the memory)
        df = df[[c for c in df.columns if c in EVENT_COLUMNS]]
    return _games(path, df, report), players


def _players(df: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for side in ("home", "away"):
        for k in range(1, 7):
            if f"{side}Player{k}_id" not in df.columns or f"{side}Player{k}" not in df.columns:
                continue
            rows.append(
                df[[f"{side}Player{k}", f"{side}Player{k}_id", "Home_Team" if side == "home" else "Away_Team"]]
                .set_axis(["name", "player_id", "team"], axis=1)
                .drop_duplicates()
            )
    for side in ("Home", "Away"):
        g = df[[f"{side}_Goalie", f"{side}_Goalie_Id", f"{side}_Team"]].set_axis(["name", "player_id", "team"], axis=1)
        rows.append(g.drop_duplicates().assign(position="G"))
    p = pd.concat(rows, ignore_index=True)
    p["player_id"] = pd.to_numeric(p["player_id"], errors="coerce")
    p = p[p["player_id"].between(1, ID_MAX) & (p["player_id"] % 1 == 0)].dropna(subset=["name"])
    p["player_id"] = p["player_id"].astype("int64")
    if "position" not in p.columns:
        p["position"] = None
    p = p.sort_values("position", na_position="last").drop_duplicates("player_id", keep="first")
    p["name"] = p["name"].str.title()
    p["team"] = p["team"].map(code)
    return schema.ordered(
        schema.PLAYERS,
        p.assign(source=SOURCE, shoots=None, height_in=None, number=None).reindex(columns=schema.PLAYERS.column_names),
    )


def _games(path: Path, df: pd.DataFrame, report: IngestReport) -> Iterator[GameBundle]:
    key = ["Game_Id", "Date", "row_in_game"] if "row_in_game" in df.columns else None
    df = dedupe(df, key, report, path, "event row")
    df, num = parse_rows(df, NUMBERS, report, path)
    dates = pd.to_datetime(df["Date"], format="ISO8601", errors="coerce")
    bad = dates.isna().to_numpy()
    df, num, dates = reject(df, bad, "Date", report, path, why=" (expected YYYY-MM-DD)"), num[~bad], dates[~bad]
    for (g, day), rows in df.groupby([num["Game_Id"].to_numpy(), dates.dt.normalize().to_numpy()], sort=False):
        start, season = season_of(pd.Timestamp(day))
        try:
            yield _game(path, start * 1_000_000 + int(g), season, pd.Timestamp(day), rows, num.loc[rows.index], report)
        except Exception as e:  # noqa: BLE001 - one broken game must not stop the season
            report.failed.append((f"{path.name} game {start * 1_000_000 + int(g)}", e))


def _strength(r: pd.DataFrame, report: IngestReport, path: Path) -> tuple[pd.DataFrame, np.ndarray]:
    """(home and away skaters from `Strength`, where it cannot be right): blank or 0 is unknown (derived
    from the on-ice lists); more than 6 skaters (9x9) or an unreadable value is left unknown and counted."""
    st = r["Strength"].str.extract(r"^\s*(\d+)x(\d+)\s*$").astype(float)
    said = r["Strength"].notna().to_numpy() & (r["Strength"].astype(str).str.strip() != "").to_numpy()
    bad = said & (st.isna().any(axis=1) | (st > MAX_SKATERS).any(axis=1)).to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        report.reject(
            "bad Strength (left unknown)",
            int(bad.sum()),
            f"{path}, row {r.index[i]}, field Strength: {r['Strength'].iloc[i]!r} "
            f"(expected HOMExAWAY skaters, at most {MAX_SKATERS} each)",
        )
    return st, bad


def _game(
    path: Path, gid: int, season: str, day: pd.Timestamp, r: pd.DataFrame, num: pd.DataFrame, report: IngestReport
) -> GameBundle:
    r, home, away = game_teams(r, "Home_Team", "Away_Team", report, path)
    home, away = str(code(home)), str(code(away))
    team = r["Ev_Team"].map(code).where(r["Ev_Team"].notna(), None)
    stray = (r["Event"].isin(ATTEMPTS) & ~team.isin((home, away))).to_numpy()
    r = reject(r, stray, "Ev_Team", report, path, why=f" (a shot attempt must be by {home} or {away})")
    team, num = team[~stray], num.loc[r.index]
    st, bad_strength = _strength(r, report, path)
    period, secs = num["Period"], num["Seconds_Elapsed"]
    raw_type = r["Event"].fillna("")
    typ = raw_type.map(EVENT_MAP)
    for t, n in raw_type[typ.isna()].value_counts().items():
        report.unknown_types[t] += int(n)
    typ = typ.fillna("OTHER")
    game_type = "P" if gid % 1_000_000 >= 30000 else "R"
    is_att = typ.isin(ATTEMPTS)
    shootout = (period == 5) & (game_type == "R")
    is_block = typ == "BLOCK"
    p1 = num["p1_ID"].astype(float)
    p2 = num["p2_ID"].astype(float)
    shooter = np.where(is_block, p2, p1)
    hg = num["Home_Goalie_Id"].astype(float)
    ag = num["Away_Goalie_Id"].astype(float)
    goalie = np.where(team == home, ag, hg)  # the defending goalie
    hp, ap = num["Home_Players"].astype(float), num["Away_Players"].astype(float)
    home_sk = st[0].where(st[0].notna() & (st[0] > 0), hp - hg.notna()).where(~bad_strength)
    away_sk = st[1].where(st[1].notna() & (st[1] > 0), ap - ag.notna()).where(~bad_strength)
    x, y = num["xC"], num["yC"]
    zone = r["Ev_Zone"] if "Ev_Zone" in r.columns else pd.Series(None, index=r.index, dtype=object)
    detail = np.where(is_att, r["Type"].map(SHOT_TYPE_CODES).fillna("UNKNOWN"), r["Type"].where(typ == "PENALTY", None))
    ev = pd.DataFrame(
        {
            "period": period.astype(int).to_numpy(),
            "period_seconds": secs.to_numpy(),
            "type": typ.to_numpy(),
            "team": team.to_numpy(),
            "player_id": pd.array(shooter, dtype="Float64"),
            "player2_id": pd.array(np.where(is_att & ~is_block, goalie, np.where(is_block, p1, p2)), dtype="Float64"),
            "x": x.to_numpy(),
            "y": y.to_numpy(),
            "detail": detail,
            "home_skaters": home_sk.clip(0, 6).to_numpy(),
            "away_skaters": away_sk.clip(0, 6).to_numpy(),
            "home_score": num["Home_Score"].astype(float).to_numpy(),
            "away_score": num["Away_Score"].astype(float).to_numpy(),
            "shooter_id": shooter,
            "goalie_id": np.where(is_att, goalie, np.nan),
            "shootout": shootout.to_numpy(),
            # Ev_Zone is the event team's view, except on BLOCK rows where it is the blocker's
            "zone": np.where(
                is_block, zone.map({"Off": "D", "Def": "O", "Neu": "N"}), zone.map({"Off": "O", "Def": "D", "Neu": "N"})
            ),
        }
    )
    for c in ("player_id", "player2_id"):
        ev[c] = ev[c].round().astype("Int64")
    for c in ("home_skaters", "away_skaters", "home_score", "away_score"):
        ev[c] = pd.array(ev[c].to_numpy(dtype=float), dtype="Float64").round().astype("Int64")
    last = num[["Home_Score", "Away_Score"]].astype(float).max()
    goals = ev[ev["type"] == "GOAL"]
    hs = int(max(last["Home_Score"] if last["Home_Score"] == last["Home_Score"] else 0, (goals["team"] == home).sum()))
    as_ = int(max(last["Away_Score"] if last["Away_Score"] == last["Away_Score"] else 0, (goals["team"] == away).sum()))
    game = dict(
        game_id=gid,
        source=SOURCE,
        season=season,
        game_type=game_type,
        date=day,
        home_team=home,
        away_team=away,
        home_score=hs,
        away_score=as_,
        periods=int(period.max()),
        shootout=bool(shootout.any()),
        has_tracking=False,
        fps=None,
    )
    return game_bundle(SOURCE, game, ev, report)


ADAPTER = Adapter(
    name=SOURCE,
    title="hockey_scraper play-by-play (Harry Shomer's package, evolving-hockey style)",
    reads="season CSV of play-by-play (one row per event, 6+6 players on the ice), plain or gzip",
    patterns=("*.csv", "*.csv.gz"),
    terms="the NHL's play-by-play reshaped by hockey_scraper (GPL-3.0 code); no terms with the data: "
    "use for analysis only, do not republish",
    coords=COORDS,
    read=read,
)
