"""`python -m oa bench toi`: the time-on-ice estimate's error, measured where the truth is known.

hockey_scraper has on-ice lists at events but no shifts, so its time on ice is estimated
(`oa.onice.estimate_toi`). Here the same estimator runs on games whose shifts are known: the
real NHL game in `../shared` (its shift charts; the lists are built from the shifts at the
time of each of its play-by-play events, as a play-by-play scraper would list them) and
`games` demo games (their own shifts, the lists at each of their events). Each player's
estimate is compared with his time on ice from the shifts (`oa.onice.toi_from_shifts`), in
all situations and at five-on-five: median absolute error in minutes and as a share of his
time on ice, the median signed error (bias), and the 90th percentile of the absolute error.
Skaters and goalies apart (a goalie's error is the time before the first and after the last
event of a period).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from oa.onice import estimate_toi, listed_at, toi_from_shifts
from oa.sources.common import IngestReport
from oa.sources.nhl_shifts import read_shifts

NHL_DIR = "nhl-api-web-bbrewington"
NHL_GAME = 2023020204


def errors(events: pd.DataFrame, shifts: pd.DataFrame, goalie_ids: set[int]) -> pd.DataFrame:
    """Per player, game and situation: true seconds (shifts), estimated seconds (lists at the events)."""
    truth = toi_from_shifts(shifts, goalie_ids)
    est = estimate_toi(listed_at(events, shifts, goalie_ids))
    key = ["game_id", "player_id", "team", "situation"]
    m = truth[key + ["seconds"]].merge(est[key + ["seconds"]], on=key, how="left", suffixes=("_true", "_est"))
    m["seconds_est"] = m["seconds_est"].fillna(0.0)
    m["goalie"] = m["player_id"].isin(goalie_ids)
    return m


def summary(m: pd.DataFrame) -> dict:
    """The error figures per situation, skaters (and goalies) apart."""
    out: dict[str, dict] = {}
    for sit in ("all", "5v5"):
        for who, rows in (("skaters", m[~m["goalie"]]), ("goalies", m[m["goalie"]])):
            r = rows[(rows["situation"] == sit) & (rows["seconds_true"] > 0)]
            if len(r) == 0:
                continue
            err = (r["seconds_est"] - r["seconds_true"]).to_numpy(float)
            share = np.abs(err) / r["seconds_true"].to_numpy(float)
            out[f"{sit} {who}"] = {
                "players": int(len(r)),
                "mean toi (min)": round(float(r["seconds_true"].mean()) / 60, 2),
                "median abs error (min)": round(float(np.median(np.abs(err))) / 60, 3),
                "median abs error (share of toi)": round(float(np.median(share)), 4),
                "median error (min, + = too much)": round(float(np.median(err)) / 60, 3),
                "p90 abs error (min)": round(float(np.quantile(np.abs(err), 0.9)) / 60, 3),
            }
    return out


def nhl_game(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, set[int]]:
    """(events, shifts, goalie ids) of the real game: every play's period and second, its shift charts."""
    doc = json.loads((folder / "game_shift_charts.json").read_text())
    shifts = read_shifts(doc, NHL_GAME, folder / "game_shift_charts.json", IngestReport("nhl"))
    pbp = json.loads((folder / f"game_{NHL_GAME}_play_by_play.json").read_text())
    pbp = pbp.get("data", pbp)
    goalies = {int(p["playerId"]) for p in pbp["rosterSpots"] if p.get("positionCode") == "G"}
    rows = []
    for i, p in enumerate(pbp["plays"]):
        d = p.get("periodDescriptor", {})
        if d.get("periodType") == "SO" or not isinstance(p.get("timeInPeriod"), str):
            continue
        m, s = p["timeInPeriod"].split(":")
        rows.append((NHL_GAME, i, int(d["number"]), float(int(m) * 60 + int(s))))
    events = pd.DataFrame(rows, columns=["game_id", "event_idx", "period", "period_seconds"])
    return events, shifts, goalies


def run(
    shared: Path | None,
    games: int = 100,
    seed: int = 0,
    workers: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict:
    from oa.sim.league import build_league
    from oa.sim.run import simulate_league

    t0 = time.perf_counter()
    out: dict = {}
    folder = shared / NHL_DIR if shared is not None else None
    if folder is not None and (folder / "game_shift_charts.json").is_file():
        ev, sh, gl = nhl_game(folder)
        out["nhl"] = {"games": 1, "game": NHL_GAME, "events": int(len(ev)), **summary(errors(ev, sh, gl))}
    else:
        out["nhl"] = {"games": 0, "note": f"no {NHL_DIR} in the shared data folder"}
    goalies = set(build_league(seed).players.query("position == 'G'")["player_id"].astype(int))
    parts, n_events = [], 0
    for i, b in enumerate(simulate_league(games, seed, workers)):
        ev, sh = b.tables["events"], b.tables["shifts"]
        n_events += len(ev)
        parts.append(errors(ev, sh, goalies))
        if progress:
            progress("demo games", i + 1, games)
    out["demo"] = {"games": games, "seed": seed, "events": n_events, **summary(pd.concat(parts, ignore_index=True))}
    out["seconds"] = round(time.perf_counter() - t0, 1)
    return out


def report_markdown(out: dict) -> str:
    """One table per data set: situation and who by the error figures."""
    lines = []
    for name, title in (("nhl", "Real NHL game (shift charts)"), ("demo", "Demo league (the simulator's shifts)")):
        d = out.get(name, {})
        rows = {k: v for k, v in d.items() if isinstance(v, dict)}
        head = ", ".join(f"{k} {v}" for k, v in d.items() if not isinstance(v, dict))
        lines += [f"**{title}** ({head})", ""]
        if not rows:
            continue
        cols = list(next(iter(rows.values())))
        lines += ["| | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
        lines += [f"| {k} | " + " | ".join(str(v[c]) for c in cols) + " |" for k, v in rows.items()]
        lines.append("")
    lines.append(f"Measured in {out.get('seconds')} s.")
    return "\n".join(lines)
