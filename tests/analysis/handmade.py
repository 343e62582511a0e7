"""Hand-made stores for the analysis tests: every shot, on-ice list, score, shift and toi row chosen here,
so each expected figure can be worked out by hand in the test beside it.

`LEAGUE` is one game of season 2025-26 between HOM (home) and AWY, plus one game of 2024-25 (to check
the season filter). Its shots, who was on the ice, and their p_goal:

    shot  t    team  outcome  strength  p_goal  on ice (skaters; the goalies are 109 / 209)
    1     30   HOM   SAVE     5v5       0.10    HOM 101 102 103 105 106 | AWY 201 202 203 205 206
    2     80   HOM   GOAL     5v5       0.30    HOM 104 102 103 105 106 | AWY 201 202 203 205 206
    3     40   AWY   BLOCK    5v5       0.02    HOM 101 102 103 105 106 | AWY 201 202 203 205 206
    4     50   AWY   MISS     5v5       0.05    HOM 101 102 103 105 106 | AWY 201 202 203 205 206
    5     55   HOM   GOAL     5v4       0.40    HOM 101 102 103 105 106 | AWY 201 202 205 206

Shifts (period 1, seconds): 101 0-60, 102 0-100, 103 0-100, 104 60-100, 105 0-90, 106 0-90, both goalies
0-1200; AWY skaters 0-100 (203 off 52-58 for the penalty).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from oa import schema
from oa.store import Store
from tests.tiny_league import canonical

SEASON, OLD_SEASON = "2025-26", "2024-25"
GAME, OLD_GAME = 92025020001, 92024020001
MODEL = "hand-model"

POS = {101: "C", 102: "LW", 103: "RW", 104: "C", 105: "D", 106: "D", 109: "G"}
POS |= {200 + (k - 100): v for k, v in POS.items()}
TEAM = {p: ("HOM" if p < 200 else "AWY") for p in POS}

HOM_ON = [101, 102, 103, 105, 106, 109]
AWY_ON = [201, 202, 203, 205, 206, 209]
SHOTS = [  # (idx, t, team, outcome, strength, p_goal, on ice)
    (1, 30.0, "HOM", "SAVE", "5v5", 0.10, HOM_ON + AWY_ON),
    (2, 80.0, "HOM", "GOAL", "5v5", 0.30, [104, 102, 103, 105, 106, 109] + AWY_ON),
    (3, 40.0, "AWY", "BLOCK", "5v5", 0.02, HOM_ON + AWY_ON),
    (4, 50.0, "AWY", "MISS", "5v5", 0.05, HOM_ON + AWY_ON),
    (5, 55.0, "HOM", "GOAL", "5v4", 0.40, HOM_ON + [201, 202, 205, 206, 209]),
]
SHOOTER = {1: 101, 2: 104, 3: 201, 4: 202, 5: 103}
SHIFTS = [(101, 0, 60), (102, 0, 100), (103, 0, 100), (104, 60, 100), (105, 0, 90), (106, 0, 90)]
SHIFTS += [(109, 0, 1200), (209, 0, 1200)]
SHIFTS += [(p, 0, 100) for p in (201, 202, 205, 206)] + [(203, 0, 52), (203, 58, 100)]
# time on ice (seconds): (player, situation, seconds, method)
TOI = [
    (101, "all", 700.0, "shifts"),
    (101, "5v5", 600.0, "shifts"),
    (102, "all", 7000.0, "estimated"),
    (102, "5v5", 6000.0, "estimated"),
    (201, "all", 900.0, "shifts"),
    (201, "5v5", 800.0, "shifts"),
]


def players() -> pd.DataFrame:
    rows = [
        dict(player_id=p, source="demo", name=f"P{p}", team=TEAM[p], position=POS[p], shoots="L", number=p % 100)
        for p in POS
    ]
    return canonical(schema.PLAYERS, rows)


def game_row(game_id: int, season: str, home: str = "HOM", away: str = "AWY", hs: int = 2, as_: int = 0) -> dict:
    return dict(
        game_id=game_id,
        source="demo",
        season=season,
        game_type="regular",
        date=pd.Timestamp("2025-10-10") if season == SEASON else pd.Timestamp("2024-10-10"),
        home_team=home,
        away_team=away,
        home_score=hs,
        away_score=as_,
        periods=3,
        shootout=False,
        has_tracking=False,
        fps=None,
    )


def shot_row(
    game_id: int,
    idx: int,
    t: float,
    team: str,
    outcome: str,
    strength: str,
    shooter: int | None,
    *,
    home: str = "HOM",
    away: str = "AWY",
    score_for: int = 0,
    score_against: int = 0,
    goalie: int | None = None,
) -> dict:
    sf, sa = (int(c) for c in strength.split("v"))
    period = int(t // 1200) + 1
    return dict(
        shot_id=game_id * 10000 + idx,
        game_id=game_id,
        event_idx=idx,
        period=period,
        period_seconds=t - (period - 1) * 1200,
        game_seconds=t,
        team=team,
        opponent=away if team == home else home,
        is_home=team == home,
        shooter_id=shooter,
        goalie_id=goalie,
        x=70.0,
        y=0.0,
        flipped=False,
        shot_type="WRIST",
        strength=strength,
        skaters_for=sf,
        skaters_against=sa,
        empty_net=False,
        score_for=score_for,
        score_against=score_against,
        outcome=outcome,
        is_goal=outcome == "GOAL",
        release_frame=None,
    )


def event_rows(game_id: int, shots: pd.DataFrame, home: str = "HOM") -> pd.DataFrame:
    """One event per shot plus the period's start and end; the skater counts follow each shot's strength."""
    rows = [
        dict(game_id=game_id, event_idx=0, period=1, period_seconds=0.0, game_seconds=0.0, type="PERIOD_START")
        | dict(home_skaters=5, away_skaters=5)
    ]
    for r in shots.itertuples():
        hs, as_ = (r.skaters_for, r.skaters_against) if r.team == home else (r.skaters_against, r.skaters_for)
        rows.append(
            dict(
                game_id=game_id,
                event_idx=int(r.event_idx),
                period=int(r.period),
                period_seconds=float(r.period_seconds),
                game_seconds=float(r.game_seconds),
                type={"SAVE": "SHOT", "GOAL": "GOAL", "MISS": "MISS", "BLOCK": "BLOCK"}[r.outcome],
                team=r.team,
                player_id=r.shooter_id,
                home_skaters=int(hs),
                away_skaters=int(as_),
            )
        )
    last = int(shots["event_idx"].max()) + 1 if len(shots) else 1
    rows.append(
        dict(game_id=game_id, event_idx=last, period=3, period_seconds=1200.0, game_seconds=3600.0, type="GAME_END")
        | dict(home_skaters=5, away_skaters=5)
    )
    return canonical(schema.EVENTS, rows).sort_values("game_seconds").reset_index(drop=True)


def write(path: Path, tables: dict[str, pd.DataFrame], *, model_id: str = MODEL) -> Path:
    """Write the given tables (canonical frames) to a new store at `path`; a `models` row for `model_id`."""
    with Store(path) as store:
        for name, df in tables.items():
            store.insert(schema.BY_NAME[name], canonical(schema.BY_NAME[name], df))
        if "shot_scores" in tables:
            store.insert(
                schema.MODELS,
                pd.DataFrame(
                    [
                        dict(
                            model_id=model_id,
                            trained_at=pd.Timestamp("2025-10-01"),
                            source="demo",
                            feature_set="pbp",
                            metrics_json="{}",
                            thresholds_json="{}",
                            path="models/x.txt",
                            active=True,
                        )
                    ]
                ),
            )
    return path


def league(path: Path, *, on_ice: bool = True) -> Path:
    """The store described in the module docstring (without the on-ice tables if not `on_ice`)."""
    shots = pd.DataFrame(
        [
            shot_row(GAME, i, t, team, out, st, SHOOTER[i], goalie=209 if team == "HOM" else 109)
            for i, t, team, out, st, _p, _on in SHOTS
        ]
    )
    old = pd.DataFrame([shot_row(OLD_GAME, 1, 100.0, "HOM", "GOAL", "5v5", 101, goalie=209)])
    scores = pd.DataFrame(
        [dict(shot_id=GAME * 10000 + i, model_id=MODEL, p_goal=p, tier="low", base_logit=0.0) for i, *_, p, _ in SHOTS]
        + [dict(shot_id=OLD_GAME * 10000 + 1, model_id=MODEL, p_goal=0.5, tier="high", base_logit=0.0)]
        # a second, inactive model's score of the same shots: never counted
        + [
            dict(shot_id=GAME * 10000 + i, model_id="old-model", p_goal=0.9, tier="high", base_logit=0.0)
            for i, *_ in SHOTS
        ]
    )
    tables = {
        "games": pd.DataFrame([game_row(GAME, SEASON), game_row(OLD_GAME, OLD_SEASON, hs=1)]),
        "players": players(),
        "shots": pd.concat([shots, old], ignore_index=True),
        "events": pd.concat([event_rows(GAME, shots), event_rows(OLD_GAME, old)], ignore_index=True),
        "shot_scores": scores,
    }
    if on_ice:
        tables["shot_on_ice"] = pd.DataFrame(
            [
                dict(
                    shot_id=GAME * 10000 + i,
                    game_id=GAME,
                    player_id=p,
                    team=TEAM[p],
                    goalie=POS[p] == "G",
                    shooting=TEAM[p] == team,
                )
                for i, _t, team, *_rest, on in SHOTS
                for p in on
            ]
            + [
                dict(shot_id=OLD_GAME * 10000 + 1, game_id=OLD_GAME, player_id=p, team=TEAM[p], goalie=False)
                | dict(shooting=TEAM[p] == "HOM")
                for p in (101, 102, 103, 105, 106, 201, 202, 203, 205, 206)
            ]
        )
        tables["shifts"] = pd.DataFrame(
            [dict(game_id=GAME, player_id=p, team=TEAM[p], period=1, start_s=a, end_s=b) for p, a, b in SHIFTS]
        )
        tables["toi"] = pd.DataFrame(
            [dict(game_id=GAME, player_id=p, team=TEAM[p], situation=s, seconds=sec, method=m) for p, s, sec, m in TOI]
        )
    write(path, tables)
    # the inactive model's row
    with Store(path) as store:
        store.con.execute(
            "INSERT INTO models SELECT 'old-model', trained_at, source, feature_set, metrics_json, thresholds_json, "
            "'models/old.txt', FALSE FROM models WHERE model_id = ?",
            [MODEL],
        )
    return path
