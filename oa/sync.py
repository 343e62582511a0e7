"""`python -m oa nhl sync`: a season of real NHL games downloaded, stored, factored and scored, kept current.

One run:
1. reads the season's schedule week by week; a week whose games were all official (`OFF`,
   or postponed/cancelled) and whose days have passed is read from the cache without asking
   the server (a past week does not change), the others are revalidated (ETag/Last-Modified);
2. decides per completed game from the `nhl_sync` table: new (never fetched), changed (the
   schedule's gameState moved on, e.g. FINAL -> OFF, or the last fetch failed, or `--since`
   asks to look again), half done (stored but not yet factored and scored: a killed run),
   without shift charts and at most 3 days old (only its shift charts are asked again: the
   NHL publishes some late), or up to date (nothing is requested);
3. fetches each new or changed game's play-by-play and shift charts (revalidated against the
   cached copy); a game whose plays, roster and shifts are as stored (same sha256) is unchanged;
4. stores each game in its own transaction with its shifts, the players on the ice at each
   attempt and time on ice; fills hands and heights from the teams' season rosters;
5. every `batch` games: factors of the stored games, then scores with the store's active
   model (if it has one), then marks them `done` in `nhl_sync`.

The run is recorded in `runs` (begin/end), so a killed run leaves a mark until the same
command completes, and a re-run fetches only what the killed run had not stored and finishes
what it had stored. Bad input (a game served half-written, a renamed key, a type change, a play
without coordinates, an unknown event type) is a counted, named rejection or a failed game; the
other games go on and nothing stored is lost (a smaller copy never replaces a stored game).

Progress (`progress_file`): JSON lines `{"stage": str, "done": int, "total": int}` appended as
the run goes, stages `schedule`, `download`, `factors`, `score`; the last line has
`"stage": "done"` or `"failed"` and a `"message"`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from oa import schema
from oa.features.compute import build_features
from oa.model.artifact import ModelError
from oa.model.score import active_models, score_store
from oa.onice import player_toi, toi_from_shifts
from oa.schema import GameBundle
from oa.sources import nhl_api
from oa.sources.common import IngestReport, SourceError
from oa.sources.download import DownloadError, Fetched, NhlClient
from oa.sources.ingest import _new_players, shrinks
from oa.sources.nhl_roster import roster_players
from oa.sources.nhl_shifts import on_ice, read_shifts, skater_counts
from oa.sources.nhl_teams import teams_table
from oa.store import Store, StoreError
from oa.vocab import skaters_label

Progress = Callable[[str, int, int], None]
OFFICIAL = ("OFF",)  # the game is official: its feed is settled
COMPLETED = ("OFF", "FINAL")  # the game is over (FINAL may still be revised)
NOT_PLAYED = ("PPD", "CNCL")  # gameScheduleState of a postponed or cancelled game
SHIFTS_LATE_DAYS = 3  # a game stored without shift charts is asked for them again this many days after it
STAGES = ("schedule", "download", "factors", "score")  # then a last line: "done" or "failed"


class SyncError(RuntimeError):
    """The sync could not run at all (bad season, schedule unreadable); the message says why."""


def season_code(season: str) -> int:
    """ "2025-26" -> 20252026 (the API's season code); anything else is a SyncError."""
    m = re.fullmatch(r"(\d{4})-(\d{2})", season or "")
    if not m or f"{int(m[1]) + 1}"[-2:] != m[2]:
        raise SyncError(f"season looks like 2025-26, got {season!r}")
    return int(f"{m[1]}{int(m[1]) + 1}")


def sync_command(season: str, since: dt.date | None = None, playoffs: bool = False) -> str:
    """How the run is recorded in `runs` (the same options give the same command)."""
    return " ".join(
        ["nhl", "sync", "--season", season]
        + (["--since", since.isoformat()] if since else [])
        + (["--playoffs"] if playoffs else [])
    )


class ProgressFile:
    """JSON lines `{"stage", "done", "total"}` appended to a file (the Data page polls it)."""

    def __init__(self, path: Path | None):
        self.path = path
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("")

    def __call__(self, stage: str, done: int, total: int) -> None:
        self._write({"stage": stage, "done": int(done), "total": int(total)})

    def finish(self, ok: bool, message: str, done: int = 0, total: int = 0) -> None:
        self._write({"stage": "done" if ok else "failed", "done": done, "total": total, "message": message})

    def _write(self, line: dict) -> None:
        if self.path is not None:
            with self.path.open("a") as f:
                f.write(json.dumps(line) + "\n")


@dataclass
class SyncReport:
    """What a sync did: games new/changed/unchanged/failed, requests made, what was scored, and the time."""

    season: str
    db: str
    scheduled: int = 0  # completed games in the schedule (of the wanted types, since the date)
    new: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    unchanged: int = 0
    finished: list = field(default_factory=list)  # stored by a killed run, factored and scored now
    failed: dict = field(default_factory=dict)  # game id -> why
    requests: int = 0
    requests_by_kind: dict = field(default_factory=dict)
    cache_hits: int = 0
    shifts_games: int = 0  # games stored with shift charts
    players_filled: int = 0  # players given a hand or height from rosters
    rosters_read: set = field(default_factory=set)  # teams whose roster this run read
    scored_games: list = field(default_factory=list)
    scored_shots: int = 0
    model: str | None = None
    note: str = ""  # e.g. why nothing was scored
    ingest: IngestReport = field(default_factory=lambda: IngestReport("nhl_api"))
    seconds: float = 0.0

    def as_dict(self) -> dict:
        ing = self.ingest.as_dict()
        return {
            "season": self.season,
            "db": self.db,
            "scheduled": self.scheduled,
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": self.unchanged,
            "finished": len(self.finished),
            "failed": len(self.failed),
            "failures": {str(k): v for k, v in self.failed.items()},
            "requests": self.requests,
            "requests_by_kind": self.requests_by_kind,
            "cache_hits": self.cache_hits,
            "shifts_games": self.shifts_games,
            "players_filled": self.players_filled,
            "scored_games": len(self.scored_games),
            "scored_shots": self.scored_shots,
            "model": self.model,
            "note": self.note,
            "rejected": ing["rejected"],
            "examples": ing["examples"],
            "unknown_event_types": ing["unknown_event_types"],
            "attempts_without_coordinates": ing["attempts_without_coordinates"],
            "seconds": self.seconds,
        }


@dataclass
class Scheduled:
    game_id: int
    date: dt.date | None
    state: str


def _settled(doc: object, today: dt.date) -> bool:
    """A cached week that cannot change: its days are past and each game is official or was not played."""
    if not isinstance(doc, dict) or not isinstance(doc.get("gameWeek"), list):
        return False
    for day in doc["gameWeek"]:
        if not isinstance(day, dict) or str(day.get("date", "9999")) >= today.isoformat():
            return False
        for g in day.get("games") or []:
            if not isinstance(g, dict):
                return False
            if g.get("gameState") not in OFFICIAL and g.get("gameScheduleState") not in NOT_PLAYED:
                return False
    return True


def schedule(
    client: NhlClient,
    season: str,
    game_types: tuple[int, ...],
    since: dt.date | None,
    today: dt.date,
    progress: Progress | None = None,
) -> list[Scheduled]:
    """The season's completed games of `game_types` (on or after `since`), week by week."""
    code = season_code(season)
    date = since.isoformat() if since else f"{str(code)[:4]}-09-15"
    out: dict[int, Scheduled] = {}
    end = None
    for week in range(60):  # a season with its playoffs is about 40 weeks
        got = client.schedule_week(date, revalidate=False)
        if got.how == "cache" and not _settled(got.doc, today):
            got = client.schedule_week(date, revalidate=True)
        doc = got.doc
        if not isinstance(doc, dict) or not isinstance(doc.get("gameWeek"), list):
            raise SyncError(f"the schedule of {date} is not a schedule (no gameWeek); nothing was synced")
        if end is None:
            end = doc.get("playoffEndDate") if 3 in game_types else doc.get("regularSeasonEndDate")
        for day in doc["gameWeek"]:
            for g in (day.get("games") or []) if isinstance(day, dict) else []:
                if not isinstance(g, dict):
                    continue
                gid, state = g.get("id"), g.get("gameState")
                if not isinstance(gid, int) or g.get("season") != code or g.get("gameType") not in game_types:
                    continue
                day_date = _day(day.get("date"))
                if state in COMPLETED and (since is None or day_date is None or day_date >= since):
                    out[gid] = Scheduled(gid, day_date, str(state))
        if progress:
            progress("schedule", week + 1, week + 1)
        nxt = doc.get("nextStartDate")
        if not isinstance(nxt, str) or not nxt or (end and nxt > end) or nxt <= date:
            break
        date = nxt
    return sorted(out.values(), key=lambda s: s.game_id)


def _day(v: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(v))
    except ValueError:
        return None


def sync(
    db: Path | str,
    season: str,
    client: NhlClient,
    since: dt.date | None = None,
    playoffs: bool = False,
    progress: Progress | None = None,
    today: dt.date | None = None,
    batch: int = 25,
) -> SyncReport:
    """Bring store `db` up to date with `season`'s completed games (see the module doc)."""
    season_code(season)  # a bad season fails before a store is made
    t0 = time.perf_counter()
    report = SyncReport(season, str(db))
    today = today or dt.date.today()
    with Store(db) as store:
        run_id = store.begin_run(sync_command(season, since, playoffs))
        try:
            _sync(store, season, client, since, (2, 3) if playoffs else (2,), today, batch, report, progress)
        except BaseException as e:
            try:
                store.end_run(run_id, "failed", f"{type(e).__name__}: {e}")
            except StoreError:
                pass  # the mark stays "running", which says the same
            raise
        store.end_run(run_id, "done")
    report.requests, report.cache_hits = client.requests, client.cache_hits
    report.requests_by_kind = dict(client.by_kind)
    report.seconds = round(time.perf_counter() - t0, 2)
    return report


def _sync(
    store: Store,
    season: str,
    client: NhlClient,
    since: dt.date | None,
    game_types: tuple[int, ...],
    today: dt.date,
    batch: int,
    report: SyncReport,
    progress: Progress | None,
) -> None:
    games = schedule(client, season, game_types, since, today, progress)
    report.scheduled = len(games)
    known = store.query("SELECT game_id, game_state, content_hash, status FROM nhl_sync").set_index("game_id")
    with_shifts = set(store.query("SELECT DISTINCT game_id FROM shifts")["game_id"].astype(int))
    fetch, finish = [], []
    for g in games:
        row = known.loc[g.game_id] if g.game_id in known.index else None
        if row is None or row["status"] == "failed" or row["game_state"] != g.state:
            fetch.append((g, row, False))
        elif since is not None and g.date is not None and g.date >= since:
            fetch.append((g, row, False))
        elif row["status"] == "stored":
            finish.append(g.game_id)
        elif g.game_id not in with_shifts and g.date is not None and (today - g.date).days <= SHIFTS_LATE_DAYS:
            fetch.append((g, row, True))  # shift charts may come after the game: asked again, not the plays
        else:
            report.unchanged += 1
    report.finished = list(finish)
    pending: list[int] = list(finish)
    for i, (g, row, shifts_only) in enumerate(fetch):
        stored = _fetch_and_store(store, client, season, g, row, report, shifts_only)
        if stored:
            pending.append(g.game_id)
        if progress:
            progress("download", i + 1, len(fetch))
        if len(pending) >= batch:
            _complete(store, client, season, pending, report, progress)
            pending = []
    if pending:
        _complete(store, client, season, pending, report, progress)
    if report.new or report.changed:
        sources = "+".join(store.query("SELECT DISTINCT source FROM games ORDER BY 1")["source"].tolist())
        store.set_meta(source_nhl_api="yes", source=sources, league="NHL")
    store.set_meta(last_sync=dt.datetime.now().isoformat(timespec="seconds"), sync_season=season)
    if not report.note and not report.scored_games and (report.new or report.changed or report.finished):
        report.note = "nothing scored"
    store.checkpoint()


def content_digest(pbp: object, shifts: object) -> str:
    """sha256 of what a game's documents say that is stored: the play-by-play's plays, roster, teams and
    header, and the shift rows. The feed's own bookkeeping (gameState, clock) is left out, so a game
    turning from FINAL to OFF with the same plays is unchanged."""
    keep = ("id", "season", "gameType", "gameDate", "homeTeam", "awayTeam", "plays", "rosterSpots")
    doc = {k: pbp.get(k) for k in keep} if isinstance(pbp, dict) else pbp
    rows = shifts.get("data") if isinstance(shifts, dict) else None
    text = json.dumps([doc, rows], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _fetch_and_store(
    store: Store,
    client: NhlClient,
    season: str,
    g: Scheduled,
    row: pd.Series | None,
    report: SyncReport,
    shifts_only: bool = False,
) -> bool:
    """Fetch one game and store it; True if stored (factors and scores to do), False if unchanged or failed.

    `shifts_only`: the play-by-play is taken from the cache (no request); only the shift charts are asked."""
    gid, again = g.game_id, row is not None
    try:
        pbp = client.game_play_by_play(gid, revalidate=again and not shifts_only)
    except DownloadError as e:
        return _failed(store, g, report, f"play-by-play: {e}")
    ing = report.ingest
    try:
        charts: Fetched | None = client.shift_charts(gid, revalidate=again)
    except DownloadError as e:
        ing.reject("shift charts not usable (stored ones kept)", 1, str(e))
        charts = None
    digest = content_digest(pbp.doc, charts.doc if charts else None)
    if row is not None and row["status"] == "done" and digest == row["content_hash"]:
        report.unchanged += 1
        _mark(store, g, pbp, "done", digest=digest)
        return False
    try:
        bundles, players = nhl_api.read(pbp.file, ing)
        bundle = bundles[0]
        if bundle.game_id != gid:
            raise SourceError(pbp.file, f"holds game {bundle.game_id}, not {gid}", field="id")
    except SourceError as e:
        return _failed(store, g, report, str(e))
    except Exception as e:  # noqa: BLE001 - a shape no check foresaw: name the game, never stop the season
        return _failed(store, g, report, f"cannot be read ({type(e).__name__}: {e})")
    if len(bundle.tables["shots"]) == 0:
        return _failed(store, g, report, "the play-by-play has no shot attempts (half-written?)")
    shifts = _shifts(store, gid, charts, ing)
    if shifts is not None:
        _add_on_ice(bundle, shifts, players)
        report.shifts_games += 1
    shrink = shrinks(store, bundle)
    if shrink:
        return _failed(store, g, report, f"not replaced: the new copy is smaller ({shrink})")
    try:
        people = _new_players(store, players)
        shared = {"players": people}
        gm = bundle.tables["games"].iloc[0]
        shared["teams"] = teams_table(sorted({gm["home_team"], gm["away_team"]}), nhl_api.SOURCE)
        store.upsert(shared)
        store.ingest_game(bundle)
    except (schema.ValidationError, StoreError) as e:
        return _failed(store, g, report, str(e))
    ing.games += 1
    (report.changed if row is not None else report.new).append(gid)
    _mark(store, g, pbp, "stored", digest=digest)
    return True


def _shifts(store: Store, gid: int, charts: Fetched | None, ing: IngestReport) -> pd.DataFrame | None:
    """The game's shifts (None without usable shift charts: then the stored ones, if any, are kept)."""
    shifts = None
    if charts is not None:
        try:
            shifts = read_shifts(charts.doc, gid, f"shift charts of game {gid}", ing)
        except SourceError as e:
            ing.reject("shift charts not usable (stored ones kept)", 1, str(e))
    if shifts is None or len(shifts) == 0:
        old = store.query("SELECT * FROM shifts WHERE game_id = ?", [gid])
        if len(old):
            return old
        if shifts is not None:
            ing.reject("game without shift charts (no on-ice players)", 1, f"game {gid}")
        return None
    return shifts


def _add_on_ice(bundle: GameBundle, shifts: pd.DataFrame, players: pd.DataFrame) -> None:
    """Shifts, on-ice players and time on ice into the bundle; skater counts the feed lacks, from the shifts."""
    shots = bundle.tables["shots"]
    goalies = set(players.loc[players["position"] == "G", "player_id"].astype("int64"))
    on = on_ice(shots, shifts, goalies)
    bundle.tables["shifts"] = shifts.reset_index(drop=True)
    bundle.tables["shot_on_ice"] = on
    bundle.tables["player_toi"] = player_toi(shifts)
    bundle.tables["toi"] = toi_from_shifts(shifts, goalies)
    missing = shots["skaters_for"].isna() | shots["skaters_against"].isna()
    if missing.any() and len(on):
        sf, sa = skater_counts(shots, on)
        shots = shots.copy()
        shots.loc[missing, "skaters_for"] = sf[missing]
        shots.loc[missing, "skaters_against"] = sa[missing]
        shots["strength"] = [
            skaters_label(a, b) if m else s
            for a, b, m, s in zip(shots["skaters_for"], shots["skaters_against"], missing, shots["strength"])
        ]
        bundle.tables["shots"] = shots


def _mark(
    store: Store, g: Scheduled, got: Fetched | None, status: str, detail: str | None = None, digest: str | None = None
) -> None:
    row = {
        "game_id": g.game_id,
        "season": None,
        "game_date": g.date,
        "game_state": g.state,
        "etag": got.etag if got else None,
        "last_modified": got.last_modified if got else None,
        "content_hash": digest,
        "fetched_at": dt.datetime.now(),
        "status": status,
        "detail": detail,
    }
    df = pd.DataFrame([row], columns=schema.NHL_SYNC.column_names)
    start = int(str(g.game_id)[:4])  # NHL game ids begin with the season's first year
    df["season"] = f"{start}-{str(start + 1)[-2:]}"
    if got is None:  # a failed fetch keeps what the last good one recorded
        old = store.query("SELECT etag, last_modified, content_hash FROM nhl_sync WHERE game_id = ?", [g.game_id])
        if len(old):
            for c in ("etag", "last_modified", "content_hash"):
                df[c] = old[c].iloc[0]
    df["game_date"] = pd.to_datetime(df["game_date"])
    store.upsert({"nhl_sync": df})


def _failed(store: Store, g: Scheduled, report: SyncReport, why: str) -> bool:
    report.failed[g.game_id] = why
    _mark(store, g, None, "failed", why)  # a stored copy stays as it was; the game is retried next run
    return False


def _complete(
    store: Store, client: NhlClient, season: str, game_ids: list[int], report: SyncReport, progress: Progress | None
) -> None:
    """Hands and heights from rosters, then factors and scores of `game_ids`; then they are `done`."""
    _fill_players(store, client, season, game_ids, report)
    have_shots = [
        int(g)
        for g in store.query(
            "SELECT DISTINCT game_id FROM shots WHERE game_id IN (SELECT unnest(?::BIGINT[]))", [game_ids]
        )["game_id"]
    ]
    if have_shots:
        build_features(store, have_shots, progress=(lambda i, n: progress("factors", i, n)) if progress else None)
        _score(store, have_shots, report, progress)
    with store.transaction("recording the scored games") as con:
        con.execute(
            "UPDATE nhl_sync SET status = 'done' WHERE status = 'stored' AND game_id IN (SELECT unnest(?::BIGINT[]))",
            [game_ids],
        )


def _score(store: Store, game_ids: list[int], report: SyncReport, progress: Progress | None) -> None:
    try:
        models = active_models(store)
    except StoreError:
        report.note = (
            f"no model in this store: shots are stored with their factors but not scored; "
            f"train one with `python -m oa train --db {store.path}`"
        )
        return
    except ModelError as e:
        report.note = f"the store's model cannot be used ({e}); shots not scored"
        return
    try:
        s = score_store(
            store, models, progress=(lambda i, n: progress("score", i, n)) if progress else None, game_ids=game_ids
        )
    except (ModelError, StoreError) as e:
        report.note = f"not scored: {e}"
        return
    report.model = ", ".join(s.models)
    report.scored_games += game_ids
    report.scored_shots += s.shots


def _fill_players(store: Store, client: NhlClient, season: str, game_ids: list[int], report: SyncReport) -> None:
    """Hands and heights of the games' players that lack them, from their teams' season rosters."""
    lacking = store.query(
        "WITH ids AS (SELECT player_id FROM shot_on_ice WHERE game_id IN (SELECT unnest($g::BIGINT[])) "
        "UNION SELECT shooter_id FROM shots WHERE game_id IN (SELECT unnest($g::BIGINT[])) "
        "UNION SELECT goalie_id FROM shots WHERE game_id IN (SELECT unnest($g::BIGINT[]))) "
        "SELECT DISTINCT p.player_id, p.team FROM players p JOIN ids USING (player_id) "
        "WHERE p.shoots IS NULL OR p.height_in IS NULL",
        {"g": game_ids},
    )
    teams = sorted(t for t in lacking["team"].dropna().unique() if t not in report.rosters_read)
    if not teams:
        return
    code = season_code(season)
    rows = []
    for t in teams:
        report.rosters_read.add(t)
        try:
            got = client.roster(t, code, revalidate=True)
        except DownloadError as e:
            report.ingest.reject("roster not available (hands and heights left unknown)", 1, str(e))
            continue
        rows.append(roster_players(got.doc, t, f"roster {t} {code}", report.ingest))
    if not rows:
        return
    new = pd.concat(rows, ignore_index=True).drop_duplicates("player_id", keep="last")  # traded: twice
    new = new[new["player_id"].isin(store.query("SELECT player_id FROM players")["player_id"])]
    if len(new) == 0:
        return
    merged = _new_players(store, new)
    before = store.query("SELECT player_id, shoots, height_in FROM players").set_index("player_id")
    store.upsert({"players": merged})
    b = before.reindex(merged["player_id"])
    filled = (b["shoots"].isna().to_numpy() & merged["shoots"].notna().to_numpy()) | (
        b["height_in"].isna().to_numpy() & merged["height_in"].notna().to_numpy()
    )
    report.players_filled += int(filled.sum())
