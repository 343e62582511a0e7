"""Big Data Cup 2022 (Stathletes): Olympic women's play-by-play plus broadcast player tracking.

Input: the play-by-play CSV (`pxp_womens_oly_2022_v2.csv[.gz]`); if a `tracking/` folder
sits beside it (`pp_info.csv`, per-game folders with power-play clips and rosters), its
frames are stored too and joined to the shots through the game clock.

How the pieces fit:
- Play-by-play coordinates are in feet on a 200 x 85 rink from the eventing team's view
  (it attacks x = 200); centred, they are our normalised coordinates.
- Tracking is players only (no puck), 30 fps, in fixed rink coordinates, for the power
  plays of `pp_info.csv`. A clip's frame 1 is the power play's start: game clock
  `start_game_clock - (frame_id - 1) / 30` (clock stoppages inside a power play are not
  in the files, so times drift there). Our `frame_idx` is elapsed game time x 30.
- Which end a team attacks in a tracked period comes from where its own goalie stands.
- Players have no ids in the files: ids are made from names (stable across runs);
  tracked players are matched to the roster by team and jersey; unread jerseys (100)
  get a per-clip track id.
- The defending goalie is the roster goalie if her jersey was read, else the defending
  track nearest the attacked goal line (within 6 ft) at release.
- A shot inside a tracked power play gets `release_frame` = its game-clock second x 30
  (the play-by-play clock has 1 s resolution; factors that need the puck's path are
  unknown here, since the puck is not tracked).
- Goals are shots with `event_successful == 't'`; game ids are 7YYYYMMDDNN.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from oa import schema
from oa.rink import (
    PERIOD_S,
    RINK,
    RINK_FEET,
    Attack,
    CoordinateSystem,
    Origin,
    clip,
    from_canonical,
    game_seconds,
    period_start,
    to_canonical,
)
from oa.schema import GameBundle
from oa.sources.common import IngestReport, SourceError, game_bundle
from oa.sources.contract import Adapter
from oa.sources.reading import Num, dedupe, on_ice, parse_rows, read_csv, reject
from oa.vocab import ATTEMPTS

SOURCE = "bigdatacup"
FPS = 30.0
# the play-by-play: feet from a corner of a 200 x 85 ft rink, seen from the eventing team (it attacks x = 200)
PBP = CoordinateSystem(
    Origin.CORNER, Attack.NORMALISED, length=200.0, width=85.0, attack_from="the eventing team attacks x = 200"
)
# the tracking clips: the same rink, fixed to it; a team attacks away from its own goalie
TRACKING = CoordinateSystem(
    Origin.CORNER, Attack.PER_PERIOD, length=200.0, width=85.0, attack_from="away from where the team's goalie stands"
)
PBP_X, PBP_Y = on_ice(PBP)
TRACK_X, TRACK_Y = on_ice(TRACKING)
REQUIRED = (
    "game_date",
    "team_name",
    "opp_team_name",
    "venue",
    "period",
    "clock_seconds",
    "situation_type",
    "goals_for",
    "goals_against",
    "player_name",
    "event",
    "event_successful",
    "x_coord",
    "y_coord",
    "event_type",
    "player_name_2",
    "event_detail_1",
)
TEAMS = {
    "Canada": "CAN",
    "United States": "USA",
    "USA": "USA",
    "Finland": "FIN",
    "Switzerland": "SUI",
    "Olympic Athletes from Russia": "ROC",
    "ROC": "ROC",
    "Sweden": "SWE",
    "Japan": "JPN",
    "Czechia": "CZE",
    "Denmark": "DEN",
    "China": "CHN",
}
NAMES = {
    "CAN": "Canada",
    "USA": "United States",
    "FIN": "Finland",
    "SUI": "Switzerland",
    "ROC": "ROC",
    "SWE": "Sweden",
    "JPN": "Japan",
    "CZE": "Czechia",
    "DEN": "Denmark",
    "CHN": "China",
}
EVENTS = {
    "Play": "PASS",
    "Puck Recovery": "OTHER",
    "Dump In/Out": "OTHER",
    "Zone Entry": "ZONE_ENTRY",
    "Faceoff Win": "FACEOFF",
    "Takeaway": "TAKEAWAY",
    "Penalty Taken": "PENALTY",
    "Shot": "SHOT",
}
SHOT_TYPE_CODES = {
    "Snapshot": "SNAP",
    "Wristshot": "WRIST",
    "Slapshot": "SLAP",
    "Deflection": "DEFLECTION",
    "Wrap Around": "WRAP",
    "Fan": "UNKNOWN",
}
# what can be right: positions on the play-by-play's rink (PBP)
PBP_NUMBERS = {
    "period": Num(required=True, integer=True, lo=1, hi=9),
    "clock_seconds": Num(required=True, lo=0, hi=PERIOD_S),
    "x_coord": PBP_X,
    "y_coord": PBP_Y,
}
PP_NUMBERS = {
    "penalty_number": Num(required=True, integer=True, lo=1, hi=999),
    "start_period": Num(required=True, integer=True, lo=1, hi=9),
    "start_game_clock_seconds": Num(required=True, lo=0, hi=PERIOD_S),
}
CLIP_NUMBERS = {
    "frame_id": Num(required=True, integer=True, lo=1, hi=10_000_000),
    "track_id": Num(required=True, integer=True, lo=0, hi=9_999),
    "x_ft": replace(TRACK_X, required=True),
    "y_ft": replace(TRACK_Y, required=True),
}
GAME_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2} .+ at .+$")
UNREADABLE = "tracking file unreadable (its game is stored without it)"
POSITION_CODES = {"Center": "C", "Left Wing": "LW", "Right Wing": "RW", "Defense": "D", "Goalie": "G"}


def team_code(name: object) -> str | None:
    if not isinstance(name, str):
        return None
    short = name.split(" - ", 1)[-1].strip()
    return TEAMS.get(short, short[:3].upper())


def player_id(name: object) -> float:
    """A stable id from a name (7xxxxxx): the files carry names only."""
    if not isinstance(name, str) or not name.strip():
        return np.nan
    return float(7_000_000 + zlib.crc32(name.strip().lower().encode()) % 1_000_000)


def read(path: str | Path, report: IngestReport) -> tuple[Iterator[GameBundle], pd.DataFrame]:
    path = Path(path)
    df = read_csv(path, REQUIRED, "Big Data Cup play-by-play", ("",), report)
    report.files += 1
    df = dedupe(df, None, report, path, "event row")
    dates = pd.to_datetime(df["game_date"], format="%d/%m/%Y", errors="coerce")
    bad = dates.isna().to_numpy()
    df, dates = reject(df, bad, "game_date", report, path, why=" (expected D/M/YYYY)"), dates[~bad]
    df = df.assign(_date=dates, _team=df["team_name"].map(team_code), _opp=df["opp_team_name"].map(team_code))
    for col, code in (("team_name", "_team"), ("opp_team_name", "_opp")):
        df = reject(df, df[code].isna().to_numpy(), col, report, path, why=" (a team must be named)")
    df = reject(
        df, ~df["venue"].isin(("home", "away")).to_numpy(), "venue", report, path, why=" (expected home or away)"
    )
    df, num = parse_rows(df, PBP_NUMBERS, report, path)
    df = df.assign(_period=num["period"], _clock=num["clock_seconds"], _x=num["x_coord"], _y=num["y_coord"])
    df["_home"] = np.where(df["venue"] == "home", df["_team"], df["_opp"])
    df["_away"] = np.where(df["venue"] == "home", df["_opp"], df["_team"])
    tracking = path.parent / "tracking"
    tracking = tracking if tracking.is_dir() else None
    rosters = _rosters(tracking, report) if tracking is not None else {}
    players = _players(df, rosters)
    return _games(path, df, tracking, rosters, report), players


def _game_folder(day: pd.Timestamp, home: str, away: str, folders: list[str]) -> str:
    """The tracking folder of a game: same date and both teams (the files disagree on who was home once)."""
    names = {NAMES.get(t, t).replace("United States", "USA") for t in (home, away)}
    for f in folders:
        if f.startswith(f"{day:%Y-%m-%d} ") and set(f[11:].split(" at ")) == names:
            return f
    return f"{day:%Y-%m-%d} {NAMES.get(away, away)} at {NAMES.get(home, home)}".replace("United States", "USA")


def roster_team(folder: str, side: str) -> str | None:
    """A roster row's team: the folder is named '<date> <away> at <home>'."""
    away_name, home_name = folder[11:].split(" at ")
    return TEAMS.get(home_name if side == "home" else away_name)


def _same_game(a: str, b: str) -> bool:
    """Two '<date> <team> at <team>' names of one game (pp_info and the folders disagree on home once)."""
    return a[:10] == b[:10] and set(a[11:].split(" at ")) == set(b[11:].split(" at "))


def _rosters(tracking: Path, report: IngestReport) -> dict[str, pd.DataFrame]:
    """Each game folder's roster (player, jersey, position, home/away); an unreadable one is counted and skipped."""
    out = {}
    for f in sorted(tracking.glob("*/* roster.csv*")):
        if not GAME_FOLDER.match(f.parent.name):
            continue
        try:
            r = read_csv(f, ("player", "jn", "position", "team"), "Big Data Cup roster", ("",), report)
        except SourceError as e:
            report.reject(UNREADABLE, 1, str(e))
            continue
        r = reject(r, r["player"].isna().to_numpy(), "player", report, f, why=" (a roster row needs a name)")
        r = reject(r, ~r["team"].isin(("home", "away")).to_numpy(), "team", report, f, why=" (expected home or away)")
        out[f.parent.name] = r
    return out


def _pp_info(tracking: Path, report: IngestReport) -> pd.DataFrame | None:
    """The power plays that have clips (None without a readable pp_info.csv: the games go in untracked)."""
    f = tracking / "pp_info.csv"
    if not f.exists():
        return None
    try:
        pp = read_csv(f, ("game_name", *PP_NUMBERS), "Big Data Cup pp_info", ("",), report)
    except SourceError as e:
        report.reject(UNREADABLE, 1, str(e))
        return None
    pp = reject(
        pp,
        ~pp["game_name"].fillna("").str.match(GAME_FOLDER).to_numpy(),
        "game_name",
        report,
        f,
        why=" (expected '<date> <team> at <team>')",
    )
    pp, num = parse_rows(pp, PP_NUMBERS, report, f)
    return pp.assign(**{c: num[c] for c in PP_NUMBERS})


def _players(df: pd.DataFrame, rosters: dict[str, pd.DataFrame]) -> pd.DataFrame:
    rows = {}
    # the second player can be an opponent (a faceoff's loser, a shot's goalie): no team from that column
    for name, team in list(zip(df["player_name"], df["_team"])) + list(zip(df["player_name_2"], [None] * len(df))):
        if isinstance(name, str) and name.strip():
            d = rows.setdefault(name.strip(), dict(name=name.strip(), team=team, position=None, number=None))
            d["team"] = d["team"] or team
    for folder, r in rosters.items():
        for _, p in r.iterrows():
            code = roster_team(folder, p["team"])
            d = rows.setdefault(p["player"].strip(), dict(name=p["player"].strip(), team=code))
            d.update(team=code, position=POSITION_CODES.get(p["position"]), number=_jersey(p["jn"]))
    out = pd.DataFrame(list(rows.values()))
    out["player_id"] = out["name"].map(player_id).astype("int64")
    if out["player_id"].duplicated().any():
        raise SourceError("players", f"two names share an id: {out[out['player_id'].duplicated()]['name'].tolist()}")
    return schema.ordered(schema.PLAYERS, out.assign(source=SOURCE, shoots=None, height_in=None))


def _jersey(v: object) -> float:
    n = pd.to_numeric(v, errors="coerce")
    return float(n) if n == n and 0 <= n <= 99 and n % 1 == 0 else np.nan


def _games(
    path: Path, df: pd.DataFrame, tracking: Path | None, rosters: dict, report: IngestReport
) -> Iterator[GameBundle]:
    pp = _pp_info(tracking, report) if tracking is not None else None
    keys = df[["_date", "_home", "_away"]].drop_duplicates().sort_values(["_date", "_home"]).reset_index(drop=True)
    folders = (
        sorted(p.name for p in tracking.iterdir() if p.is_dir() and GAME_FOLDER.match(p.name))
        if tracking is not None
        else []
    )
    per_day: dict = {}
    for _, k in keys.iterrows():
        n = per_day[k["_date"]] = per_day.get(k["_date"], 0) + 1
        gid = int(f"7{k['_date']:%Y%m%d}{n:02d}")
        rows = df[(df["_date"] == k["_date"]) & (df["_home"] == k["_home"]) & (df["_away"] == k["_away"])]
        folder = _game_folder(k["_date"], k["_home"], k["_away"], folders)
        try:
            same = pp["game_name"].map(lambda n, f=folder: _same_game(n, f)) if pp is not None else None
            yield _game(
                path,
                gid,
                k,
                rows,
                tracking / folder if tracking is not None else None,
                pp[same] if pp is not None else None,
                rosters.get(folder),
                report,
            )
        except Exception as e:  # noqa: BLE001 - one broken game must not stop the file
            report.failed.append((f"{path.name} game {gid}", e))


def _frames(
    folder: Path, pp: pd.DataFrame, roster: pd.DataFrame | None, home: str, away: str, report: IngestReport
) -> pd.DataFrame:
    """All power-play clips of a game as canonical frames (rink coordinates, our frame_idx)."""
    jersey = {}
    if roster is not None:
        for _, p in roster.iterrows():
            jersey[(roster_team(folder.name, p["team"]), str(p["jn"]).strip())] = player_id(p["player"])
    parts = []
    for _, info in pp.iterrows():
        files = [
            f for f in folder.glob(f"* PP{int(info['penalty_number'])}.csv*") if not f.name.startswith("videoShotsInfo")
        ]
        if not files:
            continue
        try:
            f = read_csv(
                files[0], ("team_name", "jersey_number", *CLIP_NUMBERS), "Big Data Cup tracking clip", ("",), report
            )
        except SourceError as e:
            report.reject(UNREADABLE, 1, str(e))
            continue
        f, num = parse_rows(f, CLIP_NUMBERS, report, files[0].name)
        per = int(info["start_period"])
        base = int(round((period_start(per) + PERIOD_S - float(info["start_game_clock_seconds"])) * FPS))
        team = f["team_name"].map(lambda t: TEAMS.get(t, t))
        jn = f["jersey_number"].astype(str).str.replace(r"\.0$", "", regex=True)
        ent = np.array([jersey.get((t, j), np.nan) for t, j in zip(team, jn)], dtype=float)
        ent = np.where(
            np.isnan(ent), 7_900_000 + int(info["penalty_number"]) * 10_000 + num["track_id"].to_numpy(dtype=float), ent
        )
        x, y = TRACKING.to_rink(num["x_ft"].to_numpy(dtype=float), num["y_ft"].to_numpy(dtype=float))
        parts.append(
            pd.DataFrame(
                {
                    "frame_idx": base + num["frame_id"].to_numpy(dtype=np.int64) - 1,
                    "entity_id": ent.astype(np.int64),
                    "team": team.to_numpy(),
                    "x": x.round(1),
                    "y": y.round(1),
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=["frame_idx", "entity_id", "team", "x", "y"])
    fr = pd.concat(parts, ignore_index=True)
    dup = fr.duplicated(["frame_idx", "entity_id"])
    report.reject("two tracks of one player in a frame (first kept)", int(dup.sum()))
    fr = fr[~dup]
    # entity by entity, frames in order (how clips are stored)
    return fr.sort_values(["entity_id", "frame_idx"], kind="stable").reset_index(drop=True)


def _directions(fr: pd.DataFrame, goalies: dict[str, set], periods: dict) -> dict:
    """(period, team) -> +1 if the team attacks +x in rink coordinates: away from its own goalie."""
    out = {}
    for team, ids in goalies.items():
        g = fr[fr["entity_id"].isin(list(ids))]
        if len(g) == 0:
            continue
        per = (g["frame_idx"] // int(PERIOD_S * FPS)) + 1
        for p, gx in g.groupby(per)["x"]:
            out[(int(p), team)] = -1.0 if gx.median() > 0 else 1.0
    return out


CREASE_FT = 6.0


def _goalie(frames: pd.DataFrame, release: float, defending: str, roster_goalies: set, attack_sign: float) -> float:
    """The defending goalie's entity at release: the roster goalie if tracked, else the defending
    track nearest the attacked goal line within 6 ft of it (goalie jerseys are often unread)."""
    if not np.isfinite(release):
        return np.nan
    on = frames[(frames["frame_idx"] == int(release) - 1) & (frames["team"] == defending)]
    known = on[on["entity_id"].isin(list(roster_goalies))]
    if len(known):
        return float(known["entity_id"].iloc[0])
    d = np.hypot(on["x"].to_numpy(dtype=float) - attack_sign * RINK.goal_line_x, on["y"].to_numpy(dtype=float))
    if len(d) and d.min() <= CREASE_FT:
        return float(on["entity_id"].iloc[int(np.argmin(d))])
    return np.nan


def _game(
    path: Path,
    gid: int,
    k: pd.Series,
    r: pd.DataFrame,
    folder: Path | None,
    pp: pd.DataFrame | None,
    roster: pd.DataFrame | None,
    report: IngestReport,
) -> GameBundle:
    home, away = k["_home"], k["_away"]
    period, clock = r["_period"], r["_clock"]
    raw = r["event"]
    typ = raw.map(EVENTS)
    for t, n in raw[typ.isna()].value_counts().items():
        report.unknown_types[t] += int(n)
    typ = typ.fillna("OTHER")
    shot = typ == "SHOT"
    dest = r["event_detail_1"].str.lower()
    typ = np.where(
        shot & (r["event_successful"] == "t"),
        "GOAL",
        np.where(shot & (dest == "missed"), "MISS", np.where(shot & (dest == "blocked"), "BLOCK", typ)),
    )
    sit = r["situation_type"].str.extract(r"(\d) on (\d)").astype(float)
    is_home = (r["_team"] == home).to_numpy()
    frames = pd.DataFrame(columns=["frame_idx", "entity_id", "team", "x", "y"])
    if folder is not None and folder.exists() and pp is not None and len(pp):
        frames = _frames(folder, pp, roster, home, away, report)
    goalie_ids: dict[str, set] = {t: set() for t in (home, away)}
    if roster is not None and folder is not None:
        for _, p in roster[roster["position"] == "Goalie"].iterrows():
            goalie_ids.setdefault(roster_team(folder.name, p["team"]), set()).add(int(player_id(p["player"])))
    dirs = _directions(frames, goalie_ids, {}) if len(frames) else {}
    team = r["_team"].to_numpy()
    sign = np.array([dirs.get((int(p), t), 1.0) for p, t in zip(period, team)])
    # a tracked period where only one goalie was seen: the other team attacks the other way
    secs = PERIOD_S - clock.to_numpy(dtype=float)
    gsec = game_seconds(period.to_numpy(dtype=float), secs)
    tracked = set(frames["frame_idx"].to_numpy().tolist()) if len(frames) else set()
    release = np.array(
        [
            float(round(t * FPS)) + 1 if (round(t * FPS) in tracked and s_) else np.nan
            for t, s_ in zip(gsec, np.isin(typ, ATTEMPTS))
        ]
    )
    defending = np.where(is_home, away, home)
    goalie = [_goalie(frames, t_rel, d, goalie_ids.get(d, set()), sg) for t_rel, d, sg in zip(release, defending, sign)]
    sk_for, sk_against = sit[0].to_numpy(), sit[1].to_numpy()
    # events are kept as the rink shows them: the eventing team's view turned to the end it attacked
    # in tracking (untracked periods stay as recorded)
    x, y = clip(
        *from_canonical(
            *to_canonical(r["_x"].to_numpy(dtype=float), r["_y"].to_numpy(dtype=float), PBP), RINK_FEET, sign
        )
    )
    ev = pd.DataFrame(
        {
            "period": period.astype(int).to_numpy(),
            "period_seconds": secs,
            "type": typ,
            "team": team,
            "player_id": pd.array(r["player_name"].map(player_id), dtype="Float64").round().astype("Int64"),
            "player2_id": pd.array(r["player_name_2"].map(player_id), dtype="Float64").round().astype("Int64"),
            "x": x,
            "y": y,
            "detail": np.where(
                shot,
                r["event_type"].map(SHOT_TYPE_CODES).fillna("UNKNOWN"),
                np.where(typ == "ZONE_ENTRY", r["event_type"].str.upper(), None),
            ),
            "home_skaters": np.where(is_home, sk_for, sk_against),
            "away_skaters": np.where(is_home, sk_against, sk_for),
            "home_score": 0,
            "away_score": 0,
            "shooter_id": r["player_name"].map(player_id).to_numpy(dtype=float),
            "goalie_id": goalie,
            "attack_sign": sign,
            "empty_net": pd.array(sk_against >= 6, dtype="boolean"),
            "release_frame": release,
        }
    )
    for c in ("home_skaters", "away_skaters", "home_score", "away_score"):
        ev[c] = pd.array(pd.to_numeric(ev[c], errors="coerce"), dtype="Float64").round().astype("Int64")
    order = np.lexsort((np.arange(len(ev)), ev["period_seconds"].to_numpy(), ev["period"].to_numpy()))
    ev = ev.iloc[order].reset_index(drop=True)
    # the score before each event from the goals themselves: the file's goals_for/against
    # are from the other team's view on zone entries
    g_home = ((ev["type"] == "GOAL") & (ev["team"] == home)).to_numpy()
    g_away = ((ev["type"] == "GOAL") & (ev["team"] == away)).to_numpy()
    ev["home_score"] = pd.array(np.cumsum(g_home) - g_home, dtype="Int64")
    ev["away_score"] = pd.array(np.cumsum(g_away) - g_away, dtype="Int64")
    game = dict(
        game_id=gid,
        source=SOURCE,
        season="2021-22",
        game_type="O",
        date=k["_date"],
        home_team=home,
        away_team=away,
        home_score=int(g_home.sum()),
        away_score=int(g_away.sum()),
        periods=int(ev["period"].max()),
        shootout=False,
        has_tracking=len(frames) > 0,
        fps=FPS if len(frames) else None,
    )
    b = game_bundle(SOURCE, game, ev, report)
    if len(frames):
        fr = frames.copy()
        fr.insert(0, "game_id", gid)
        b.tables["frames"] = schema.ordered(schema.FRAMES, fr)
    return b


ADAPTER = Adapter(
    name=SOURCE,
    title="Stathletes Big Data Cup 2022: Olympic women's play-by-play and broadcast player tracking",
    reads="the play-by-play CSV (pxp_womens_oly_2022_v2.csv, plain or gzip), with a tracking/ folder beside it "
    "(pp_info.csv, per-game power-play clips and rosters) read too",
    patterns=("pxp*.csv", "pxp*.csv.gz"),
    terms="free for non-commercial research (Stathletes' terms); research from it may be shared, "
    "not used for profit; do not republish the data",
    coords=PBP,
    read=read,
)
