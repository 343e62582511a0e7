"""hockey_scraper play-by-play CSV (Harry Shomer's format, evolving-hockey style), whole seasons.

One row per event with the 6+6 players on the ice. Notes that shape the mapping:
- `Game_Id` is the short id (20001); the NHL id is season start * 1e6 + it (2018020001).
- For BLOCK rows `Ev_Team` is the shooting team, p1 the blocker and p2 the shooter.
- `Home_Score` / `Away_Score` are the score before the event (also on GOAL rows).
- `Strength` is home skaters x away skaters; `Home_Goalie` empty means the home net is empty.
- Period 5 of a regular-season game is the shoot-out (dropped and counted).
- Coordinates are raw (`xC`, `yC`); the attacking direction is derived per team and period.
- `homePlayer1_id` .. `homePlayer6_id` (and away) list everyone on the ice at the event, the
  goalie among them (`Home_Goalie_Id` says which). They give each attempt its players on the
  ice (`shot_on_ice`) and an *estimated* time on ice (`toi`, method 'estimated', by
  `oa.onice.estimate_toi`). Only the id columns are read, as numbers, as the file is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from oa import schema
from oa.onice import estimate_toi
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
ON_ICE_RE = r"^(home|away)Player(\d+)_id$"  # the on-ice lists: six columns a side (more is hostile)
BAD_ID = -1.0  # an on-ice id that cannot be right, once the columns are numbers (blank is NaN)
EVENT_COLUMNS = frozenset((*REQUIRED, "row_in_game", "Ev_Zone"))  # what `_games` reads, with the on-ice ids
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
    ids = _on_ice_columns(df)  # as numbers, beside the rows (carried along, they would slow every step)
    if "row_in_game" in df.columns:  # without it a duplicate is a whole row alike, so every column is kept
        # a season is 400,000 rows of 57 columns; the games need 26 of them (a third of the memory)
        df = df[[c for c in df.columns if c in EVENT_COLUMNS]]
    return _games(path, df, report, ids), players


def _on_ice_columns(df: pd.DataFrame) -> pd.DataFrame:
    """The on-ice id columns as numbers, named `_home3` etc. (same index as the rows): NaN blank, BAD_ID
    where it cannot be an id."""
    out = {}
    for col in df.columns:
        m = re.match(ON_ICE_RE, str(col))
        if not m:
            continue
        raw = df[col]
        v = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
        blank = raw.isna().to_numpy().copy()
        odd = np.flatnonzero(~blank & np.isnan(v))  # few: whitespace is blank, anything else cannot be an id
        blank[odd] = raw.iloc[odd].astype(str).str.strip().eq("").to_numpy()
        fin = np.isfinite(v)
        whole = np.zeros_like(fin)
        whole[fin] = v[fin] % 1 == 0  # NaN and inf have no remainder (numpy warns on them)
        ok = fin & whole & (v >= 1) & (v <= ID_MAX)
        out[f"_{m[1]}{int(m[2])}"] = np.where(blank, np.nan, np.where(ok, v, BAD_ID))
    return pd.DataFrame(out, index=df.index)


def _on_ice_lists(r: pd.DataFrame, report: IngestReport, path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(home ids, away ids, usable) of each row: ids (n, 6+) with NaN for an empty place; a row's lists are
    unusable (dropped, counted) when an id cannot be right, a player is listed twice, or a side lists more
    than six; a row listing nobody is not counted (the file has no lists there)."""
    sides = []
    for side in ("home", "away"):
        cols = sorted((c for c in r.columns if c.startswith(f"_{side}")), key=lambda c: int(c[len(side) + 1 :]))
        sides.append(r[cols].to_numpy(dtype=float) if cols else np.full((len(r), 0), np.nan))
    h, a = sides
    both = np.concatenate([h, a], axis=1)
    listed = np.isfinite(both).any(axis=1)
    bad_id = (both == BAD_ID).any(axis=1)
    srt = np.sort(np.where(both == BAD_ID, np.nan, both), axis=1)
    twice = (srt[:, 1:] == srt[:, :-1]).any(axis=1) & ~bad_id
    over = ((np.isfinite(h).sum(axis=1) > MAX_SKATERS) | (np.isfinite(a).sum(axis=1) > MAX_SKATERS)) & ~bad_id & ~twice
    names = [f"homePlayer{k + 1}_id" for k in range(h.shape[1])] + [f"awayPlayer{k + 1}_id" for k in range(a.shape[1])]

    def field(i: int, what: str) -> str:  # the column to look at in row i
        row = both[i]
        if what == "bad":
            return names[int(np.flatnonzero(row == BAD_ID)[0])]
        if what == "twice":
            seen: set[float] = set()
            for k, v in enumerate(row):
                if np.isfinite(v) and v in seen:
                    return f"{names[k]}: {int(v)}"
                seen.add(v)
        side = h if np.isfinite(h[i]).sum() > MAX_SKATERS else a
        k = int(np.flatnonzero(np.isfinite(side[i]))[-1])
        return names[k] if side is h else names[h.shape[1] + k]

    for why, what, mask in (
        ("on-ice player id that cannot be right (the event's on-ice lists dropped)", "bad", bad_id),
        ("player listed twice on the ice (the event's on-ice lists dropped)", "twice", twice),
        (f"more than {MAX_SKATERS} players on the ice a side (the event's on-ice lists dropped)", "over", over),
    ):
        if mask.any():
            i = int(np.flatnonzero(mask)[0])
            report.reject(why, int(mask.sum()), f"{path}, row {r.index[i]}, field {field(i, what)}")
    return h, a, listed & ~bad_id & ~twice & ~over


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


def _games(path: Path, df: pd.DataFrame, report: IngestReport, ids: pd.DataFrame) -> Iterator[GameBundle]:
    key = ["Game_Id", "Date", "row_in_game"] if "row_in_game" in df.columns else None
    df = dedupe(df, key, report, path, "event row")
    df, num = parse_rows(df, NUMBERS, report, path)
    dates = pd.to_datetime(df["Date"], format="ISO8601", errors="coerce")
    bad = dates.isna().to_numpy()
    df, num, dates = reject(df, bad, "Date", report, path, why=" (expected YYYY-MM-DD)"), num[~bad], dates[~bad]
    for (g, day), rows in df.groupby([num["Game_Id"].to_numpy(), dates.dt.normalize().to_numpy()], sort=False):
        start, season = season_of(pd.Timestamp(day))
        try:
            gid = start * 1_000_000 + int(g)
            yield _game(path, gid, season, pd.Timestamp(day), rows, num.loc[rows.index], report, ids)
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
    path: Path,
    gid: int,
    season: str,
    day: pd.Timestamp,
    r: pd.DataFrame,
    num: pd.DataFrame,
    report: IngestReport,
    ids: pd.DataFrame,
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
    bundle = game_bundle(SOURCE, game, ev, report)
    if ids.shape[1]:  # a file with on-ice lists
        _add_on_ice(bundle, ids.loc[r.index], ev, home, away, hg.to_numpy(float), ag.to_numpy(float), report, path)
    return bundle


def _add_on_ice(
    bundle: GameBundle,
    r: pd.DataFrame,
    ev: pd.DataFrame,
    home: str,
    away: str,
    hg: np.ndarray,
    ag: np.ndarray,
    report: IngestReport,
    path: Path,
) -> None:
    """The players on the ice at each attempt, and time on ice estimated from the lists at every event
    (`r`: the game's rows of on-ice ids, in the order of its events)."""
    h, a, ok = _on_ice_lists(r, report, path)
    keep = ~ev["shootout"].to_numpy(dtype=bool)
    rows_kept = np.flatnonzero(keep)  # game_bundle drops shoot-out rows and numbers the rest: event_idx
    h, a, ok = h[keep], a[keep], ok[keep]
    g = bundle.game_id
    period = ev["period"].to_numpy(dtype=np.int64)[rows_kept]
    secs = ev["period_seconds"].to_numpy(dtype=float)[rows_kept]
    hg, ag = hg[rows_kept], ag[rows_kept]

    def long(at: np.ndarray) -> dict[str, np.ndarray]:
        """Every listed player of the events `at` (usable lists only), home side first."""
        parts = []
        for ids, team, goalie in ((h, home, hg), (a, away, ag)):
            row, col = np.nonzero(np.isfinite(ids[at]) & ok[at][:, None])
            pid = ids[at][row, col]
            parts.append((at[row], pid.astype(np.int64), np.full(len(row), team, dtype=object), pid == goalie[at][row]))
        return {k: np.concatenate([p[i] for p in parts]) for i, k in enumerate(("ev", "pid", "team", "goalie"))}

    every = long(np.arange(len(rows_kept)))
    listed = {
        "game_id": g,
        "event_idx": every["ev"],
        "period": period[every["ev"]],
        "period_seconds": secs[every["ev"]],
        "player_id": every["pid"],
        "team": every["team"],
        "goalie": every["goalie"],
    }
    shots = bundle.tables["shots"]
    sh = long(shots["event_idx"].to_numpy(dtype=np.int64))
    shot_ev = shots["event_idx"].to_numpy(dtype=np.int64)
    by_ev = np.argsort(shot_ev, kind="stable")
    pos = by_ev[np.searchsorted(shot_ev[by_ev], sh["ev"])]  # each listed row's shot
    bundle.tables["shot_on_ice"] = pd.DataFrame(
        {
            "shot_id": shots["shot_id"].to_numpy(dtype=np.int64)[pos],
            "game_id": g,
            "player_id": sh["pid"],
            "team": sh["team"],
            "goalie": sh["goalie"],
            "shooting": sh["team"] == shots["team"].to_numpy(dtype=object)[pos],
        },
        columns=schema.SHOT_ON_ICE.column_names,
    )
    bundle.tables["toi"] = estimate_toi(listed)


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
