"""The Live page's data: the live scorer's Parquet parts beside the store, read and put into words.

The scorer (`oa.live`) writes one file per rated shot under `live_dir(store)` and merges
a game's files when it ends; `oa.live.publish.read_live` reads them back. The page polls
twice a second, so reading is cached on the folder's *signature* (how many parts, the
newest modification): while nothing is published, a poll costs one directory listing.
Names come from the store's players table (read-only, cached like every other query).
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from oa.app import queries as q
from oa.live.publish import COLUMNS, parts, read_live, read_states
from oa.settings import live_dir

RECENT_HOURS = 12.0  # a live game is one with a shot published in the last 12 hours


def folder(db: str) -> Path:
    return live_dir(db)


def signature(d: Path) -> tuple[int, int]:
    """(number of parts, newest modification in ns): changes whenever a shot is published or a game merged."""
    n, newest = 0, 0
    for p in parts(d):
        try:
            newest = max(newest, p.stat().st_mtime_ns)
        except OSError:  # merged away between listing and stat
            continue
        n += 1
    return n, newest


@st.cache_data(show_spinner=False, max_entries=16, ttl=3600)
def _read(directory: str, sig: tuple[int, int], since: float) -> pd.DataFrame:
    return read_live(directory, where="published_at >= ?", params=[since])


def shots(db: str, now: float | None = None) -> tuple[pd.DataFrame, int]:
    """The live shots of the last RECENT_HOURS, newest first, and how many parts the folder holds."""
    d = folder(db)
    sig = signature(d)
    if sig[0] == 0:
        return pd.DataFrame(columns=list(COLUMNS)), 0
    now = time.time() if now is None else now
    since = math.floor((now - RECENT_HOURS * 3600) / 600) * 600  # ten-minute steps: one cache entry per signature
    return _read(str(d), sig, float(since)), sig[0]


def finished(db: str, game_ids: list[int]) -> set[int]:
    """Games the scorer has closed: merged into games/<id>.parquet with no shot files left."""
    d = folder(db)
    return {
        g for g in game_ids if (d / "games" / f"{int(g)}.parquet").exists() and not (d / "shots" / str(int(g))).exists()
    }


def scoreboards(db: str) -> dict[int, dict]:
    """The scoreboard of every game whose feed has one (real NHL games), by game id: a few small files,
    read on every refresh (they change with the clock)."""
    df = read_states(folder(db))
    if df.empty or "game_id" not in df.columns:
        return {}
    return {int(r["game_id"]): r for r in df.to_dict("records")}


def team(code: object) -> tuple[str, str]:
    """(name, colour) of an NHL team code; the code and a neutral grey for anything else."""
    from oa.sources.nhl_teams import TEAMS

    name, _, colour = TEAMS.get(str(code), (str(code), None, None))
    return str(name), str(colour or "#7b8794")


def when(s: dict) -> str:
    """Where a game is, from its scoreboard: 'P3 12:34', 'P2 intermission', 'final', 'not started'."""
    state, period = s.get("game_state"), s.get("period")
    p = "OT" if s.get("period_type") == "OT" else (f"P{period}" if period else "")
    if state in ("OFF", "FINAL"):
        return "final"
    if state in ("FUT", "PRE"):
        return "not started"
    if s.get("in_intermission"):
        return f"{p} intermission"
    return f"{p} {s.get('clock') or ''}".strip()


def goals(v: object) -> str:
    """A scoreboard's score ('–' when the feed has none)."""
    try:
        return str(int(v)) if isinstance(v, (int, float, str)) else "–"
    except (TypeError, ValueError):
        return "–"


def scoreline(s: dict) -> str:
    """'MIN 2 – 3 BUF · P3 12:34' from a scoreboard."""
    return f"{s['away_team']} {goals(s.get('away_score'))} – {goals(s.get('home_score'))} {s['home_team']} · {when(s)}"


def flow_shots(g: pd.DataFrame, names: dict[int, str]) -> pd.DataFrame:
    """A live game's shots in the form the Games page's game flow reads (goals from the feed's outcome)."""
    out = g.copy()
    outcome = out["outcome"] if "outcome" in out.columns else pd.Series(None, index=out.index, dtype=object)
    out["outcome"] = outcome
    out["is_goal"] = (outcome == "GOAL").fillna(False).to_numpy(dtype=bool)
    out["shooter"] = [name(names, i) for i in out["shooter_id"]]
    return out


# -- the store's side -----------------------------------------------------------------------


@st.cache_data(**q.CACHE)
def player_names(db: str, v: float) -> dict[int, str]:
    try:
        df = q.run(db, "SELECT player_id, name FROM players WHERE name IS NOT NULL")
    except Exception:  # noqa: BLE001 - a store without players: ids stand in
        return {}
    return dict(zip(df["player_id"].astype("int64"), df["name"]))


@st.cache_data(**q.CACHE)
def in_store(db: str, v: float, shot_ids: tuple[int, ...]) -> frozenset[int]:
    """Which of these live shots the store holds too (their detail page exists)."""
    if not shot_ids:
        return frozenset()
    try:
        df = q.run(
            db, "SELECT shot_id FROM shots WHERE list_contains($ids, shot_id)", {"ids": [int(i) for i in shot_ids]}
        )
    except Exception:  # noqa: BLE001
        return frozenset()
    return frozenset(int(i) for i in df["shot_id"])


def name(names: dict[int, str], pid: object, unknown: str = "Unknown shooter") -> str:
    try:
        i = int(pid)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return unknown
    return names.get(i, f"Player {i}")


# -- factors in words ------------------------------------------------------------------------


def factors(top_json: object) -> list[dict]:
    """The published top factors: [{factor, label, words, pp, logit}], strongest first; [] if unreadable.

    The scorer publishes each value in words already ("12 ft from the net"); a raw value
    (a number, a category code, None for unknown) is said with the factor registry.
    """
    from oa.features.registry import factor_named, is_factor

    try:
        items = json.loads(top_json) if isinstance(top_json, str) else list(top_json or [])
    except (TypeError, ValueError):
        return []
    out = []
    for t in items:
        if not isinstance(t, dict) or "factor" not in t:
            continue
        fa = factor_named(str(t["factor"])) if is_factor(t["factor"]) else None
        val = t.get("value")
        if isinstance(val, str) and not (fa is not None and fa.kind == "cat" and val in fa.categories):
            words = val  # the scorer publishes the value already in words
        elif fa is None:
            words = f"{t.get('label') or t['factor']}: {val}"
        else:
            try:
                arr = (
                    np.array([val], dtype=object)
                    if fa.kind == "cat"
                    else np.array([np.nan if val is None else float(val)])
                )
                words = str(fa.labels(arr)[0])
            except (TypeError, ValueError):
                words = f"{fa.label}: {val}"
        try:
            pp = float(t.get("pp"))
        except (TypeError, ValueError):
            pp = float("nan")
        try:
            logit = float(t.get("logit"))
        except (TypeError, ValueError):
            logit = float("nan")
        out.append(
            {
                "factor": str(t["factor"]),
                "label": fa.label if fa else str(t.get("label") or t["factor"]),
                "words": words,
                "pp": pp,
                "logit": logit,
            }
        )
    return out


def points(pp: float) -> str:
    return "–" if pp != pp else f"{pp:+.1f} pts"


def factor_frame(row: dict) -> pd.DataFrame:
    """A live shot's published factors as the waterfall's rows, plus what the rest add up to."""
    from oa.vocab import sigmoid

    fs = factors(row.get("top_factors"))
    df = pd.DataFrame(
        {
            "factor": [f["factor"] for f in fs],
            "value_label": [f["words"] for f in fs],
            "contribution": [f["logit"] for f in fs],
            "contribution_pp": [f["pp"] for f in fs],
        }
    )
    try:
        p, base = float(row["p_goal"]), float(row["base_logit"])
    except (KeyError, TypeError, ValueError):
        return df
    if not (0 < p < 1) or base != base:
        return df
    rest_pp = 100 * p - 100 * float(sigmoid(base)) - float(np.nansum(df["contribution_pp"]))
    rest_logit = math.log(p / (1 - p)) - base - float(np.nansum(df["contribution"]))
    if abs(rest_pp) >= 0.05:
        df = pd.concat(
            [
                df,
                pd.DataFrame(
                    {
                        "factor": ["other"],
                        "value_label": ["all other factors together"],
                        "contribution": [rest_logit],
                        "contribution_pp": [rest_pp],
                    }
                ),
            ],
            ignore_index=True,
        )
    return df


# -- per game --------------------------------------------------------------------------------


def game_label(g: pd.DataFrame) -> str:
    """'AWY @ HOM' from a game's live shots (is_home tells which side is which)."""
    home = g["is_home"].astype("boolean").fillna(False).to_numpy(bool)
    if home.any():
        return f"{g['opponent'][home].iloc[0]} @ {g['team'][home].iloc[0]}"
    return f"{g['team'].iloc[0]} @ {g['opponent'].iloc[0]}"


def summary(df: pd.DataFrame, done: set[int], now: float) -> pd.DataFrame:
    """One row per game: teams, shots and expected goals per team, the last shot's clock and age."""
    from oa.app.style import clock

    rows = []
    for gid, g in df.groupby("game_id", sort=False):  # df is newest first: games by latest shot
        label = game_label(g)
        away, home = label.split(" @ ")
        by = g.groupby("team")["p_goal"].agg(["count", "sum"])
        last = g.iloc[0]
        rows.append(
            {
                "Game": label,
                "Away": away,
                "Away shots": int(by["count"].get(away, 0)),
                "Away xG": float(by["sum"].get(away, 0.0)),
                "Home": home,
                "Home shots": int(by["count"].get(home, 0)),
                "Home xG": float(by["sum"].get(home, 0.0)),
                "Last shot": clock(last["period"], last["period_seconds"]),
                "Updated": ago(now - float(last["published_at"])),
                "Status": "final" if int(gid) in done else "live",
                "Id": int(gid),
            }
        )
    return pd.DataFrame(rows)


def ago(seconds: float) -> str:
    s = max(0, int(seconds))
    if s < 60:
        return f"{s} s ago"
    if s < 3600:
        return f"{s // 60} min ago"
    return f"{s // 3600} h {s % 3600 // 60} min ago"


__all__ = [
    "folder",
    "shots",
    "signature",
    "finished",
    "player_names",
    "in_store",
    "name",
    "factors",
    "points",
    "factor_frame",
    "summary",
    "game_label",
    "ago",
    "scoreboards",
    "team",
    "scoreline",
    "when",
    "goals",
    "flow_shots",
    "RECENT_HOURS",
]
