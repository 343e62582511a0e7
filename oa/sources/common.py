"""What every play-by-play adapter shares: the ingest report, errors, and events -> bundle.

Each adapter (one module per provider) turns its files into per-game DataFrames of
*canonical events* plus a few per-event helper columns, and `game_bundle` derives the
canonical shots from them the same way for every source:

- attacking direction per team and period: given by the source where it says so
  (`attack_sign`), else the side where the team's attempts of that period mostly are;
- shot coordinates normalised so the shooting team attacks the net at x = +89;
- strength, score and empty net from the shooter's side;
- shoot-out attempts dropped (they are not shots at a defended net in play);
- attempts without coordinates kept as events but not as shots, and counted.

Everything surprising is counted in the `IngestReport`, never silently fixed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from oa import schema
from oa.rink import RINK, RINK_FEET, clip, game_seconds, to_canonical
from oa.schema import GameBundle
from oa.vocab import ATTEMPTS, OUTCOME_OF_EVENT, skaters_label


class SourceError(ValueError):
    """A source file cannot be read at all; names the file (and row and field when known)."""

    def __init__(self, file: object, problem: str, row: object = None, field: str | None = None):
        self.file, self.problem, self.row, self.field = file, problem, row, field
        where = str(file) + (f", row {row}" if row is not None else "") + (f", field {field}" if field else "")
        super().__init__(f"{where}: {problem}")


@dataclass
class IngestReport:
    """What an ingest did: counts, and every rejection with its reason."""

    source: str
    files: int = 0
    games: int = 0
    events: int = 0
    shots: int = 0
    goals: int = 0
    rejected: Counter = field(default_factory=Counter)  # reason -> rows
    examples: dict = field(default_factory=dict)  # reason -> first "file, row, field: value"
    unknown_types: Counter = field(default_factory=Counter)  # source event type -> rows (kept as OTHER)
    missing_coords: int = 0  # attempts without x/y (kept as events, not shots)
    flipped: int = 0  # shots rotated 180 degrees to the attacked net
    shootout_skipped: int = 0
    failed: list = field(default_factory=list)  # (file or game, error) that stopped a file or game
    refused: list = field(default_factory=list)  # (game, what would shrink): stored copy kept
    players: int = 0  # player rows read (roster, bios)
    seconds: float = 0.0

    def reject(self, reason: str, n: int = 1, example: str | None = None) -> None:
        if n:
            self.rejected[reason] += n
            if example and reason not in self.examples:
                self.examples[reason] = example

    def as_dict(self) -> dict:
        return {
            "source": self.source,
            "files": self.files,
            "games": self.games,
            "events": self.events,
            "shots": self.shots,
            "goals": self.goals,
            "rejected": dict(self.rejected),
            "examples": self.examples,
            "unknown_event_types": dict(self.unknown_types),
            "attempts_without_coordinates": self.missing_coords,
            "shots_flipped": self.flipped,
            "shootout_attempts_skipped": self.shootout_skipped,
            "players": self.players,
            "failed": [f"{w}: {e}" for w, e in self.failed],
            "refused": [
                f"{w} would shrink ({what}); the stored copy is kept (--replace to replace it)"
                for w, what in self.refused
            ],
            "seconds": self.seconds,
        }


def attack_signs(ev: pd.DataFrame, home: str, away: str) -> dict[tuple[int, str], float]:
    """+1 if the team attacks the +x net in that period, from where its attempts are."""
    x = ev["x"].to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        att = ev["type"].isin(ATTEMPTS).to_numpy() & (np.abs(x) > 1)
    att &= ev["period"].notna().to_numpy() & ev["team"].notna().to_numpy()
    # one game's few dozen groups in plain Python: a pandas groupby per game was a sixth of a season's ingest
    rows: dict[tuple[int, str], list[int]] = {}
    for i, p, t in zip(np.flatnonzero(att).tolist(), ev["period"][att].tolist(), ev["team"][att].tolist()):
        rows.setdefault((int(p), str(t)), []).append(i)
    block = (ev["type"] == "BLOCK").to_numpy()
    # blocked shots sit near the blocker; use them only if nothing else says
    out: dict[tuple[int, str], float] = {}
    for key in sorted(rows):
        g = np.asarray(rows[key])
        main = g[~block[g]]
        xs = x[main if len(main) else g]
        out[key] = 1.0 if np.median(xs) > 0 else -1.0
    for period in sorted({int(p) for p in ev["period"].dropna()}):
        for team, other in ((home, away), (away, home)):
            if (period, team) in out:
                continue
            if (period, other) in out:  # opposite of the other team
                out[(period, team)] = -out[(period, other)]
            elif (period - 1, team) in out:  # teams switch ends every period
                out[(period, team)] = -out[(period - 1, team)]
    return out


def _empty_net(a: pd.DataFrame, goalie: np.ndarray) -> pd.Series:
    """The source's own empty-net flag (NA: unknown) if it gives one, else: no goalie id means an empty net."""
    if "empty_net" in a.columns:
        return a["empty_net"].astype("boolean").to_numpy()
    return pd.array(~np.isfinite(goalie), dtype="boolean")


def game_bundle(source: str, game: dict, ev: pd.DataFrame, report: IngestReport) -> GameBundle:
    """Canonical bundle of one game from its canonical events (+ helper columns).

    `game`: the games row (game_id, season, game_type, date, home_team, away_team, ...).
    `ev`: events in order, with canonical columns plus `shooter_id`, `goalie_id` (the
    defending goalie, NaN when the net was empty), and optionally `attack_sign` (+1 if the
    team attacks +x), `empty_net` (the source's flag, NA unknown), `zone` (O/D/N from the
    shooting team's view), `xg_public` (a public model's xG, `xg_model` naming it) and
    `shootout` (True rows are dropped).
    """
    gid = int(game["game_id"])
    ev = ev.copy()
    if "shootout" in ev.columns:
        so = ev["shootout"].fillna(False).astype(bool).to_numpy()
        report.shootout_skipped += int((so & ev["type"].isin(ATTEMPTS).to_numpy()).sum())
        ev = ev[~so]
    ev = ev.reset_index(drop=True)
    ev["game_id"] = gid
    ev["event_idx"] = np.arange(len(ev), dtype=np.int64)
    ev["game_seconds"] = game_seconds(ev["period"].astype(float), ev["period_seconds"].astype(float))
    home, away = str(game["home_team"]), str(game["away_team"])

    if "attack_sign" in ev.columns:
        given = ev["attack_sign"].to_numpy(dtype=float)
    else:
        given = np.full(len(ev), np.nan)
    is_att = ev["type"].isin(ATTEMPTS).to_numpy()
    sign = given
    if (is_att & ~np.isfinite(given)).any():  # only attempts read the sign; derive it only when one lacks it
        signs = attack_signs(ev, home, away)
        derived = np.array(
            [
                signs.get((int(p), str(t)), np.nan) if t is not None and p == p else np.nan
                for p, t in zip(ev["period"].tolist(), ev["team"].tolist())
            ],
            dtype=float,
        )
        sign = np.where(np.isfinite(given), given, derived)

    has_xy = ev["x"].notna().to_numpy() & ev["y"].notna().to_numpy()
    report.missing_coords += int((is_att & ~has_xy).sum())
    no_dir = is_att & has_xy & ~np.isfinite(sign)
    report.reject(
        "attempt with no known attacking direction",
        int(no_dir.sum()),
        f"game {gid}, event {int(np.flatnonzero(no_dir)[0])}" if no_dir.any() else None,
    )
    keep = is_att & has_xy & np.isfinite(sign)
    a = ev[keep]
    s = sign[keep]
    is_home = (a["team"] == home).to_numpy()
    hs, as_ = a["home_skaters"].to_numpy(dtype=float), a["away_skaters"].to_numpy(dtype=float)
    sf = np.where(is_home, hs, as_)
    sa = np.where(is_home, as_, hs)
    hsc, asc = a["home_score"].to_numpy(dtype=float), a["away_score"].to_numpy(dtype=float)
    goalie = a["goalie_id"].to_numpy(dtype=float) if "goalie_id" in a.columns else np.full(len(a), np.nan)
    if "zone" in a.columns:
        # the scorer's zone for the shot (shooter's view) overrules the period's direction when they
        # plainly disagree: an attempt recorded at the wrong end is a known play-by-play error
        zone = a["zone"].to_numpy(dtype=object)
        xn = a["x"].to_numpy(dtype=float) * s
        wrong = ((zone == "O") & (xn < -RINK.blue_line_x)) | ((zone == "D") & (xn > RINK.blue_line_x))
        s = np.where(wrong, -s, s)
        report.reject(
            "attempt recorded at the wrong end (flipped to its zone)",
            int(wrong.sum()),
            f"game {gid}, event {int(a['event_idx'].to_numpy()[wrong][0])}" if wrong.any() else None,
        )
    # events are kept as the rink shows them (RINK_FEET); a shot is seen from its team's side
    x, y = clip(*to_canonical(a["x"].to_numpy(dtype=float), a["y"].to_numpy(dtype=float), RINK_FEET, s))
    report.flipped += int((s < 0).sum())
    strength = [skaters_label(f, g) for f, g in zip(sf, sa)]
    shots = pd.DataFrame(
        {
            "shot_id": gid * 10000 + a["event_idx"].to_numpy(),
            "game_id": gid,
            "event_idx": a["event_idx"].to_numpy(),
            "period": a["period"].to_numpy(),
            "period_seconds": a["period_seconds"].to_numpy(dtype=float),
            "game_seconds": a["game_seconds"].to_numpy(dtype=float),
            "team": a["team"].to_numpy(),
            "opponent": np.where(is_home, away, home),
            "is_home": is_home,
            "shooter_id": a["shooter_id"].to_numpy(dtype=float),
            "goalie_id": goalie,
            "x": x,
            "y": y,
            "flipped": s < 0,
            "shot_type": a["detail"].fillna("UNKNOWN").to_numpy(),
            "strength": strength,
            "skaters_for": sf,
            "skaters_against": sa,
            "empty_net": _empty_net(a, goalie),
            "score_for": np.where(is_home, hsc, asc),
            "score_against": np.where(is_home, asc, hsc),
            "outcome": a["type"].map(OUTCOME_OF_EVENT).to_numpy(),
            "is_goal": (a["type"] == "GOAL").to_numpy(),
            "release_frame": a["release_frame"].to_numpy(dtype=float) if "release_frame" in a.columns else None,
        }
    )
    for c in ("skaters_for", "skaters_against", "score_for", "score_against"):
        shots[c] = (
            pd.array(np.where(np.isfinite(shots[c].to_numpy(dtype=float)), shots[c], np.nan), dtype="Float64")
            .round()
            .astype("Int64")
        )
    for c in ("shooter_id", "goalie_id", "release_frame"):
        shots[c] = (
            pd.array(pd.to_numeric(shots[c], errors="coerce").to_numpy(dtype=float), dtype="Float64")
            .round()
            .astype("Int64")
        )
    tables = {
        "games": pd.DataFrame([{c: game.get(c) for c in schema.GAMES.column_names}]),
        "events": schema.ordered(schema.EVENTS, ev),
        "shots": schema.ordered(schema.SHOTS, shots),
    }
    if "xg_public" in ev.columns:
        px = a[["xg_public", "xg_model"]].assign(shot_id=shots["shot_id"].to_numpy(), game_id=gid)
        px = px[px["xg_public"].notna()].rename(columns={"xg_public": "xg", "xg_model": "model"})
        tables["public_xg"] = schema.ordered(schema.PUBLIC_XG, px)
    report.games += 1
    report.events += len(ev)
    report.shots += len(shots)
    report.goals += int(shots["is_goal"].sum())
    return GameBundle(gid, tables)
