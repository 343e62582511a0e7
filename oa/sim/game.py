"""One demo game: the clock, penalties, pulled goalies, score, and the sequences that make shots.

Produces a canonical `GameBundle` (games, events, shots, frames, sim_truth) in rink
coordinates: the home team attacks +x in periods 1 and 3, -x in period 2 and overtime.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from oa import schema
from oa.rink import PERIOD_S, REGULAR_SEASON_OT_S, RINK, period_start
from oa.schema import PUCK_ID, GameBundle
from oa.sim import SOURCE
from oa.sim.league import League
from oa.sim.motion import FPS
from oa.sim.sequence import Goalie, OnIce, SequenceResult, simulate_sequence
from oa.vocab import UNBLOCKED, skaters_label

# attacking sequences per minute for one team, by (own skaters, opponent skaters)
SEQ_RATE = {
    (5, 5): 0.95,
    (5, 4): 2.6,
    (4, 5): 0.45,
    (4, 4): 1.0,
    (5, 3): 3.4,
    (3, 5): 0.3,
    (4, 3): 2.6,
    (3, 4): 0.5,
    (3, 3): 1.3,
    (6, 5): 2.6,
    (5, 6): 1.1,
    (6, 4): 3.0,
    (4, 6): 0.6,
}
PENALTIES_PER_TEAM_GAME = 3.3
LINE_TOI = np.array([0.36, 0.30, 0.22, 0.12])
PAIR_TOI = np.array([0.42, 0.34, 0.24])


@dataclass(frozen=True)
class GameSpec:
    game_id: int
    season: str
    date: str
    home: str
    away: str


def _seq_rate(f: int, a: int) -> float:
    return SEQ_RATE.get((f, a), 0.67 * (f / max(a, 1)) ** 2) / 60.0


class _Bench:
    """Picks who is on the ice for a team, weighted by lines' ice time."""

    def __init__(self, roster: pd.DataFrame, rng: np.random.Generator):
        self.r = roster
        self.rng = rng
        pos = roster["position"].to_numpy()
        self.C, self.LW, self.RW = (np.flatnonzero(pos == p) for p in ("C", "LW", "RW"))
        self.D = np.flatnonzero(pos == "D")
        g = np.flatnonzero(pos == "G")
        self.goalie_row = int(g[0] if rng.random() < 0.75 else g[-1])
        fwd = np.r_[self.C, self.LW, self.RW]
        self.top_f = fwd[np.argsort(-roster["shooting"].to_numpy()[fwd])][:6]
        self.top_d = self.D[np.argsort(-roster["shooting"].to_numpy()[self.D])][:3]
        # plain arrays: on_ice runs for every sequence and pandas indexing is slow there
        self.ids = roster["player_id"].to_numpy()
        self.pos = roster["position"].to_numpy(dtype=object)
        self.shoots = roster["shoots"].to_numpy(dtype=object)
        self.skill = roster["shooting"].to_numpy(dtype=float, na_value=0.0)

    def goalie(self) -> Goalie:
        row = self.r.iloc[self.goalie_row]
        return Goalie(int(row.player_id), float(row.goaltending), float(row.height_in))

    def on_ice(self, n: int, pp: bool) -> OnIce:
        rng = self.rng
        li = rng.choice(4, p=LINE_TOI)
        pi = rng.choice(3, p=PAIR_TOI)
        line = [self.C[li], self.LW[li], self.RW[li]]
        pair = [self.D[2 * pi], self.D[2 * pi + 1]]
        if pp:  # the power-play unit: best finishers, one defenseman (two with six skaters)
            n_d = 2 if n >= 6 else 1
            rows = list(rng.choice(self.top_f, size=n - n_d, replace=False)) + list(
                rng.choice(self.top_d, size=n_d, replace=False)
            )
        elif n == 5:
            rows = line + pair
        elif n == 6:
            rows = line + pair + [self.C[(li + 1) % 4]]
        elif n == 4:
            rows = line[:2] + pair
        else:
            rows = line[:2] + pair[:1]
        at = np.asarray(rows)
        return OnIce(self.ids[at], self.pos[at], self.shoots[at], self.skill[at])


def _direction(is_home: bool, period: int) -> float:
    """+1 when this team attacks +x in this period (home: periods 1 and 3)."""
    return 1.0 if (is_home == (period in (1, 3))) else -1.0


def simulate_game(league: League, spec: GameSpec, seed: int) -> GameBundle:
    """Simulate one game deterministically from `seed`."""
    rng = np.random.default_rng(seed)
    teams = {"H": spec.home, "A": spec.away}
    bench = {k: _Bench(league.roster[v], rng) for k, v in teams.items()}
    goalies = {k: bench[k].goalie() for k in teams}
    score = {"H": 0, "A": 0}
    box: dict[str, list[float]] = {"H": [], "A": []}
    pulled = {"H": False, "A": False}
    pull_at = {"H": rng.uniform(55, 150), "A": rng.uniform(55, 150)}
    ev: list[dict] = []
    shots: list[dict] = []
    frames: list[dict[str, np.ndarray]] = []
    other = {"H": "A", "A": "H"}

    def skaters(k: str, period: int) -> int:
        base = 3 if period > 3 else 5
        n = max(3, base - len(box[k])) if period <= 3 else base + (1 if box[other[k]] else 0)
        return n + (1 if pulled[k] else 0)

    def add(
        t: float, period: int, typ: str, team: str | None = None, player=None, player2=None, x=None, y=None, detail=None
    ) -> int:
        ev.append(
            dict(
                t=t,
                period=period,
                type=typ,
                team=teams[team] if team else None,
                player_id=player,
                player2_id=player2,
                x=x,
                y=y,
                detail=detail,
                home_skaters=None,
                away_skaters=None,
                home_score=score["H"],
                away_score=score["A"],
                order=len(ev),
            )
        )
        return len(ev) - 1

    game_over = False
    played = 0
    for period in (1, 2, 3, 4):
        if period == 4 and score["H"] != score["A"]:
            break
        played = period
        start = period_start(period)
        end = start + (PERIOD_S if period <= 3 else REGULAR_SEASON_OT_S)
        box = {"H": [], "A": []} if period > 3 else box
        add(start, period, "PERIOD_START")
        add(start, period, "FACEOFF", x=0.0, y=0.0)
        t = start
        last_end = start
        while t < end:
            for k in ("H", "A"):
                for expiry in [x for x in box[k] if x <= t]:
                    box[k].remove(expiry)
                    add(expiry, period, "PENALTY_END", k)
                if period == 3 and not pulled[k]:
                    deficit = score[other[k]] - score[k]
                    lim = pull_at[k] * (1.4 if deficit == 2 else 1.0)
                    if deficit in (1, 2) and end - t <= lim and not box[k]:
                        pulled[k] = True
                        add(t, period, "GOALIE_PULLED", k, player=goalies[k].id)
            s = {k: skaters(k, period) for k in ("H", "A")}
            rate = {}
            for k in ("H", "A"):
                lead = score[k] - score[other[k]]
                eff = 1.0 - 0.05 * min(max(lead, 0), 2) + 0.07 * min(max(-lead, 0), 2) if period >= 2 else 1.0
                rate[k] = _seq_rate(s[k], s[other[k]]) * eff * (1.03 if k == "H" else 0.97)
            pen = PENALTIES_PER_TEAM_GAME / 3600.0 if period <= 3 else 0.0
            total = rate["H"] + rate["A"] + 2 * pen
            dt = rng.exponential(1.0 / total)
            bounds = [end] + [e for k in ("H", "A") for e in box[k]]
            if period == 3:
                bounds += [end - pull_at[k] * 1.4 for k in ("H", "A") if end - pull_at[k] * 1.4 > t]
                bounds += [end - pull_at[k] for k in ("H", "A") if end - pull_at[k] > t]
            nb = min(b for b in bounds if b > t - 1e-9)
            if t + dt >= nb:
                t = nb + 1e-6
                if t >= end:
                    break
                continue
            t += dt
            u = rng.random() * total
            if u < 2 * pen:
                k = "H" if u < pen else "A"
                if len(box[k]) < 2:
                    box[k].append(t + 120.0)
                    pl = bench[k].on_ice(5, False).ids[rng.integers(5)]
                    add(t, period, "PENALTY", k, player=int(pl), detail="MINOR")
                    if rng.random() < 0.08 and len(box[other[k]]) < 2:
                        box[other[k]].append(t + 120.0)
                        add(
                            t,
                            period,
                            "PENALTY",
                            other[k],
                            player=int(bench[other[k]].on_ice(5, False).ids[0]),
                            detail="MINOR",
                        )
                continue
            k = "H" if u < 2 * pen + rate["H"] else "A"
            o = other[k]
            sf, sa = s[k], s[o]
            pp = sf > sa
            att = bench[k].on_ice(sf, pp)  # skater counts include a pulled goalie's extra man
            dfn = bench[o].on_ice(sa, False)
            goalie = None if pulled[o] else goalies[o]
            t_shot = t + 7.0
            if t_shot + 5.0 > end:
                continue
            seq = simulate_sequence(rng, att, dfn, goalie, t_shot, max(last_end + 1.0, t - 1.0), pp)
            if seq.shots[-1].t + 1.0 > end:
                continue
            last_end = seq.end
            d = _direction(k == "H", period)
            _emit_frames(
                frames, spec, seq, d, teams[k], teams[o], att, dfn, goalie, goalies[k] if not pulled[k] else None
            )
            k0 = int(round(seq.t[0] * FPS))
            scored = False
            for e in seq.events:
                add(e.t, period, e.type, k, player=e.player, player2=e.player2, x=d * e.x, y=d * e.y, detail=e.detail)
                if e.type in UNBLOCKED:
                    sh = next(s_ for s_ in seq.shots if abs(s_.t - e.t) < 1e-6)
                    i = len(ev) - 1
                    shots.append(
                        dict(
                            ev_pos=i,
                            period=period,
                            t=e.t,
                            team=teams[k],
                            opponent=teams[o],
                            is_home=k == "H",
                            shooter_id=e.player,
                            goalie_id=None if goalie is None else goalie.id,
                            x=sh.x,
                            y=sh.y,
                            flipped=d < 0,
                            shot_type=sh.shot_type,
                            strength=skaters_label(sf, sa),
                            skaters_for=sf,
                            skaters_against=sa,
                            empty_net=goalie is None,
                            score_for=score[k],
                            score_against=score[o],
                            outcome=sh.outcome,
                            is_goal=sh.outcome == "GOAL",
                            release_frame=k0 + sh.release_frame,
                            p_true=sh.p_true,
                        )
                    )
                    if sh.outcome == "GOAL":
                        scored = True
                        score[k] += 1
                        ev[-1]["home_score"], ev[-1]["away_score"] = score["H"], score["A"]
                        if pp and box[o] and sa < sf:
                            box[o].remove(min(box[o]))
                            add(e.t, period, "PENALTY_END", o)
                        pulled = {"H": False, "A": False}
                        if period > 3:
                            game_over = True
                            t = e.t
                        break
            if game_over:
                break
            if scored:
                t = seq.end + rng.uniform(25, 40)
                last_end = t
                if t < end:
                    add(t, period, "FACEOFF", x=0.0, y=0.0)
            else:
                t = max(t, seq.end + rng.uniform(2, 10))
        add(t if game_over else end, period, "PERIOD_END")
        if game_over:
            break
    shootout = score["H"] == score["A"]
    if shootout:
        winner = "H" if rng.random() < 0.5 + 0.5 * (goalies["H"].skill - goalies["A"].skill) else "A"
        score[winner] += 1
    add(max(e["t"] for e in ev), played, "GAME_END")
    return _bundle(spec, ev, shots, frames, score, played + (1 if shootout else 0), shootout)


def _emit_frames(
    out: list,
    spec: GameSpec,
    seq: SequenceResult,
    d: float,
    team: str,
    opp: str,
    att: OnIce,
    dfn: OnIce,
    goalie: Goalie | None,
    own_goalie: Goalie | None,
) -> None:
    n = len(seq.t)
    cols = [seq.att, seq.dfn]
    ids = [att.ids, dfn.ids]
    tms = [np.full(len(att), team, object), np.full(len(dfn), opp, object)]
    if goalie is not None:
        assert seq.goalie is not None, "a sequence against a goalie tracks the goalie"
        cols.append(seq.goalie[:, None])
        ids.append(np.array([goalie.id]))
        tms.append(np.array([opp], object))
    if own_goalie is not None:
        og = np.stack([np.full(n, -RINK.goal_line_x + 3.5), np.clip(seq.puck[:, 1] * 0.06, -2, 2)], axis=1)
        cols.append(og[:, None])
        ids.append(np.array([own_goalie.id]))
        tms.append(np.array([team], object))
    cols.append(seq.puck[:, None])
    ids.append(np.array([PUCK_ID]))
    tms.append(np.array([None], object))
    pos = np.concatenate(cols, axis=1).transpose(1, 0, 2) * d  # (entity, frame, 2), rink coordinates
    ent = np.concatenate(ids)
    tm = np.concatenate(tms)
    E = len(ent)
    fidx = np.round(seq.t * FPS).astype(np.int32)
    out.append(
        dict(
            frame_idx=np.tile(fidx, E),
            entity_id=np.repeat(ent, n),
            team=np.repeat(tm, n),
            x=np.round(pos[..., 0].reshape(-1), 1).astype(np.float32),
            y=np.round(pos[..., 1].reshape(-1), 1).astype(np.float32),
        )
    )


def _bundle(
    spec: GameSpec, ev: list[dict], shots: list[dict], frames: list[dict], score: dict, periods: int, shootout: bool
) -> GameBundle:
    g = spec.game_id
    order = sorted(range(len(ev)), key=lambda i: (ev[i]["t"], ev[i]["order"]))
    new_idx = np.empty(len(ev), dtype=np.int64)
    new_idx[order] = np.arange(len(ev))
    e = pd.DataFrame([ev[i] for i in order])
    e["game_id"] = g
    e["event_idx"] = np.arange(len(e))
    e["game_seconds"] = e["t"].round(3)
    e["period_seconds"] = (e["t"] - period_start(e["period"])).clip(0, PERIOD_S).round(3)
    events = schema.ordered(schema.EVENTS, e)
    s = pd.DataFrame(shots)
    if len(s):
        s["event_idx"] = new_idx[s["ev_pos"].to_numpy()]
        s["game_id"] = g
        s["shot_id"] = g * 10000 + s["event_idx"]
        s["game_seconds"] = s["t"].round(3)
        s["period_seconds"] = (s["t"] - period_start(s["period"])).round(3)
    else:
        s = pd.DataFrame(columns=schema.SHOTS.column_names + ["p_true"])
    shots_df = schema.ordered(schema.SHOTS, s)
    truth_df = pd.DataFrame({"shot_id": s["shot_id"], "game_id": g, "p_true": s["p_true"]})
    if frames:
        f = {k: np.concatenate([fr[k] for fr in frames]) for k in frames[0]}
        f["team"] = pd.Categorical(f["team"])
        fdf = pd.DataFrame(f)
        fdf.insert(0, "game_id", g)
    else:
        fdf = schema.empty_frame(schema.FRAMES)
    games = pd.DataFrame(
        [
            dict(
                game_id=g,
                source=SOURCE,
                season=spec.season,
                game_type="R",
                date=spec.date,
                home_team=spec.home,
                away_team=spec.away,
                home_score=score["H"],
                away_score=score["A"],
                periods=periods,
                shootout=shootout,
                has_tracking=True,
                fps=float(FPS),
            )
        ]
    )
    return GameBundle(
        g,
        {
            "games": games,
            "events": events,
            "shots": shots_df,
            "frames": schema.ordered(schema.FRAMES, fdf),
            "sim_truth": truth_df,
        },
    )
