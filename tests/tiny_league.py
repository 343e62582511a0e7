"""The tiny test league: a small canonical store on disk for the app and store tests.

It is built by `build_test_store`, the one switch point: by default a hand-made league
(`build_tiny_store`, a few games of a few shots each, fast and independent of the
simulator); with OA_TEST_BUILDER=sim it is simulated by `oa.sim.run.build_demo`.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from oa import schema
from oa.schema import GameBundle
from oa.store import Store

TINY_TEAMS = (
    ("TST", "Testville Testers", "Testville", "#1f4e79"),
    ("MOC", "Mockton Mockingbirds", "Mockton", "#b22222"),
    ("FXT", "Fixture Falls Foxes", "Fixture Falls", "#2e7d32"),
    ("STB", "Stubport Stubs", "Stubport", "#6a1b9a"),
)
TINY_SEASON = "2025-26"
TINY_LEAGUE = "Tiny Test League (fictional)"
SKATERS_PER_TEAM = 3
SHOT_TYPES = ("WRIST", "SNAP", "SLAP", "BACKHAND", "TIP")


def canonical(table: schema.Table, rows: list[dict] | pd.DataFrame) -> pd.DataFrame:
    """Rows as the table's canonical frame; nullable columns not given are NULL.

    Keeps the hand-made store valid when the schema grows optional columns.
    """
    df = pd.DataFrame(rows)
    for col in table.columns:
        if col.name not in df.columns and col.nullable:
            df[col.name] = None
    return schema.ordered(table, df)


def _players() -> pd.DataFrame:
    rows = []
    for i, (code, *_rest) in enumerate(TINY_TEAMS):
        for k in range(SKATERS_PER_TEAM + 1):
            pos = "G" if k == SKATERS_PER_TEAM else ("C", "LW", "D")[k % 3]
            rows.append(
                dict(
                    player_id=8_000_000 + i * 100 + k + 1,
                    source="demo",
                    name=f"{code.title()} Player{k + 1}",
                    team=code,
                    position=pos,
                    shoots="L" if k % 2 else "R",
                    height_in=72.0,
                    number=k + 10,
                )
            )
    return canonical(schema.PLAYERS, rows)


def _game(
    game_id: int, day: int, home: str, away: str, players: pd.DataFrame, rng: np.random.Generator, extra: str | None
) -> GameBundle:
    """One game: a handful of shots per team; `extra` is None, 'OT' or 'SO'."""
    events, shots = [], []
    score = {home: 0, away: 0}
    periods = 4 if extra else 3
    n_each = int(rng.integers(4, 8))
    plan = [
        (team, int(p), float(rng.uniform(0, 1190))) for team in (home, away) for p in rng.integers(1, 4, size=n_each)
    ]
    if extra == "OT":
        plan.append((home, 4, float(rng.uniform(0, 300))))  # home wins in overtime
    plan.sort(key=lambda tps: (tps[1], tps[2]))
    idx = 0
    for team, period, sec in plan:
        opp = away if team == home else home
        roster = players[players["team"] == team]
        shooter = int(roster[roster["position"] != "G"]["player_id"].iloc[int(rng.integers(0, SKATERS_PER_TEAM))])
        goalie = int(players[(players["team"] == opp) & (players["position"] == "G")]["player_id"].iloc[0])
        x, y = float(rng.uniform(35, 88)), float(rng.uniform(-30, 30))
        if extra == "OT" and period == 4:
            outcome = "GOAL"
        elif extra and period <= 3:
            outcome = str(rng.choice(["SAVE", "MISS"]))  # keep regulation tied
        else:
            outcome = str(rng.choice(["GOAL", "SAVE", "SAVE", "MISS", "SAVE"]))
        is_home = team == home
        flipped = is_home == (period == 2)  # home attacks +x in periods 1 and 3
        game_sec = (period - 1) * 1200 + sec
        sf, sa = score[team], score[opp]
        events.append(
            dict(
                game_id=game_id,
                event_idx=idx,
                period=period,
                period_seconds=sec,
                game_seconds=game_sec,
                type={"GOAL": "GOAL", "SAVE": "SHOT", "MISS": "MISS"}[outcome],
                team=team,
                player_id=shooter,
                player2_id=goalie,
                x=-x if flipped else x,
                y=-y if flipped else y,
                detail=str(rng.choice(SHOT_TYPES)),
                home_skaters=5,
                away_skaters=5,
                home_score=score[home],
                away_score=score[away],
            )
        )
        shots.append(
            dict(
                shot_id=game_id * 10000 + idx,
                game_id=game_id,
                event_idx=idx,
                period=period,
                period_seconds=sec,
                game_seconds=game_sec,
                team=team,
                opponent=opp,
                is_home=is_home,
                shooter_id=shooter,
                goalie_id=goalie,
                x=x,
                y=y,
                flipped=flipped,
                shot_type=events[-1]["detail"],
                strength="5v5",
                skaters_for=5,
                skaters_against=5,
                empty_net=False,
                score_for=sf,
                score_against=sa,
                outcome=outcome,
                is_goal=outcome == "GOAL",
                release_frame=None,
            )
        )
        if outcome == "GOAL":
            score[team] += 1
        idx += 1
    if extra == "SO":
        score[away] += 1  # the shootout winner is credited one goal, as in NHL finals
    elif extra is None:
        # a late empty-net goal from behind centre ice by the leader (home when level):
        # every regulation game ends decided, and the store holds shots with x < 0
        team = away if score[away] > score[home] else home
        opp = home if team == away else away
        shooter = int(players[(players["team"] == team) & (players["position"] != "G")]["player_id"].iloc[0])
        is_home = team == home
        x, y = -30.0, 10.0
        flipped = not is_home  # period 3: the home team attacks +x
        events.append(
            dict(
                game_id=game_id,
                event_idx=idx,
                period=3,
                period_seconds=1199.0,
                game_seconds=3599.0,
                type="GOAL",
                team=team,
                player_id=shooter,
                player2_id=None,
                x=-x if flipped else x,
                y=-y if flipped else y,
                detail="WRIST",
                home_skaters=5 if is_home else 6,
                away_skaters=6 if is_home else 5,
                home_score=score[home],
                away_score=score[away],
            )
        )
        shots.append(
            dict(
                shot_id=game_id * 10000 + idx,
                game_id=game_id,
                event_idx=idx,
                period=3,
                period_seconds=1199.0,
                game_seconds=3599.0,
                team=team,
                opponent=opp,
                is_home=is_home,
                shooter_id=shooter,
                goalie_id=None,
                x=x,
                y=y,
                flipped=flipped,
                shot_type="WRIST",
                strength="5v6",
                skaters_for=5,
                skaters_against=6,
                empty_net=True,
                score_for=score[team],
                score_against=score[opp],
                outcome="GOAL",
                is_goal=True,
                release_frame=None,
            )
        )
        score[team] += 1
    games = canonical(
        schema.GAMES,
        [
            dict(
                game_id=game_id,
                source="demo",
                season=TINY_SEASON,
                game_type="R",
                date=pd.Timestamp("2025-10-01") + pd.Timedelta(days=day),
                home_team=home,
                away_team=away,
                home_score=score[home],
                away_score=score[away],
                periods=periods,
                shootout=extra == "SO",
                has_tracking=False,
            )
        ],
    )
    return GameBundle(
        game_id,
        {
            "games": games,
            "events": canonical(schema.EVENTS, events),
            "shots": canonical(schema.SHOTS, shots),
        },
    )


def build_tiny_store(path: str | Path, n_games: int = 6, seed: int = 0) -> Path:
    """Hand-made canonical store: 4 teams, `n_games` games (one OT, one shootout)."""
    path = Path(path)
    rng = np.random.default_rng(seed)
    teams = canonical(
        schema.TEAMS, [dict(team=c, source="demo", name=n, city=city, color=col) for c, n, city, col in TINY_TEAMS]
    )
    players = _players()
    codes = [t[0] for t in TINY_TEAMS]
    with Store(path) as store:
        store.upsert({"teams": teams, "players": players})
        for g in range(n_games):
            home = codes[g % len(codes)]
            away = codes[(g + 1 + (g // len(codes)) % (len(codes) - 1)) % len(codes)]
            extra = {1: "OT", 2: "SO"}.get(g)
            store.ingest_game(_game(2025_02_0001 + g, g, home, away, players, rng, extra))
        store.set_meta(source="demo", league=TINY_LEAGUE, seed=seed, games=n_games)
        store.checkpoint()
    return path


def build_test_store(path: str | Path, n_games: int = 6, seed: int = 0) -> Path:
    """The store the app tests read. OA_TEST_BUILDER=sim simulates it instead."""
    if os.environ.get("OA_TEST_BUILDER", "").lower() == "sim":
        from oa.sim.run import build_demo

        build_demo(path, n_games=n_games, seed=seed)
        return Path(path)
    return build_tiny_store(path, n_games=n_games, seed=seed)
