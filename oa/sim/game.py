"""One demo game: the clock, penalties, pulled goalies, score, and the sequences that make shots.

Produces a canonical `GameBundle` (games, events, shots, frames, sim_truth) in rink
coordinates: the home team attacks +x in periods 1 and 3, -x in period 2 and overtime.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from oa import schema
from oa.onice import player_toi, skaters_at, toi_from_shifts
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


# shift lengths (seconds, uniform between the bounds): forward lines, defence pairs, special-teams units
LINE_SHIFT = (38.0, 52.0)
PAIR_SHIFT = (42.0, 56.0)
UNIT_SHIFT = (40.0, 60.0)
PP_UNIT_TOI = np.array([0.62, 0.38])
PK_UNIT_TOI = np.array([0.55, 0.45])
CHANGE_GAP = 0.5  # a change on the fly comes at least this long after a sequence ends


class _Group:
    """One rotation (forward lines, defence pairs, a special-teams unit): who is out and until when.

    The next unit out is the one furthest behind its share of the rotation's time (`weights`),
    so shares stay close to the weights while shift lengths vary."""

    def __init__(self, weights: np.ndarray, length: tuple[float, float]):
        self.w = weights
        self.length = length
        self.toi = np.zeros(len(weights))
        self.cur = -1
        self.since = 0.0
        self.due = 0.0

    def close(self, t: float) -> None:
        if self.cur >= 0:
            self.toi[self.cur] += max(t - self.since, 0.0)
        self.cur = -1

    def change(self, t: float, rng: np.random.Generator) -> None:
        prev = self.cur
        self.close(t)
        behind = self.w * (self.toi.sum() + 45.0) - self.toi + rng.normal(0.0, 4.0, len(self.w))
        if prev >= 0 and len(self.w) > 1:
            behind[prev] = -np.inf  # never the same unit twice in a row
        self.cur = int(np.argmax(behind))
        self.since = t
        self.due = t + rng.uniform(*self.length)


class _Bench:
    """A team's bench: shift rotations of lines, pairs and special-teams units, and the shifts they make.

    `line_up` brings the ice up to date at a moment (changes that came due, a new situation);
    `on_ice` returns the skaters out there now; `shifts` the finished shifts (roster row, start,
    end, game seconds)."""

    def __init__(self, roster: pd.DataFrame, rng: np.random.Generator):
        self.r = roster
        self.rng = rng
        pos = roster["position"].to_numpy()
        self.C, self.LW, self.RW = (np.flatnonzero(pos == p) for p in ("C", "LW", "RW"))
        self.D = np.flatnonzero(pos == "D")
        g = np.flatnonzero(pos == "G")
        self.goalie_row = int(g[0] if rng.random() < 0.75 else g[-1])
        fwd = np.r_[self.C, self.LW, self.RW]
        self.fwd, self.defence = set(fwd.tolist()), set(self.D.tolist())
        self.top_f = fwd[np.argsort(-roster["shooting"].to_numpy()[fwd])][:8]
        self.top_d = self.D[np.argsort(-roster["shooting"].to_numpy()[self.D])][:3]
        # plain arrays: on_ice runs for every sequence and pandas indexing is slow there
        self.ids = roster["player_id"].to_numpy()
        self.pos = roster["position"].to_numpy(dtype=object)
        self.shoots = roster["shoots"].to_numpy(dtype=object)
        self.skill = roster["shooting"].to_numpy(dtype=float, na_value=0.0)
        self.lines = _Group(LINE_TOI, LINE_SHIFT)
        self.pairs = _Group(PAIR_TOI, PAIR_SHIFT)
        self.pp = _Group(PP_UNIT_TOI, UNIT_SHIFT)
        self.pk = _Group(PK_UNIT_TOI, UNIT_SHIFT)
        self.mode: tuple[int, str] | None = None
        self.on: dict[int, float] = {}  # roster row -> start of its shift (game seconds)
        self.rows: list[int] = []  # the skaters out, in unit order
        self.goalie_since: float | None = None
        self.shifts: list[tuple[int, float, float]] = []  # this period's: (roster row, start, end)
        self.done: list[tuple[int, float, float, int]] = []  # finished periods': (roster row, start, end, period)
        self.last = 0.0  # the time of the last change

    def goalie(self) -> Goalie:
        row = self.r.iloc[self.goalie_row]
        return Goalie(int(row.player_id), float(row.goaltending), float(row.height_in))

    def _groups(self, kind: str) -> tuple[_Group, ...]:
        return (self.lines, self.pairs) if kind == "ev" else ((self.pp,) if kind == "pp" else (self.pk,))

    def _skaters(self, n: int, kind: str) -> list[int]:
        if kind == "pp":  # the power-play unit (and the extra attacker): best finishers, one or two D
            u, n_d = self.pp.cur, 2 if n >= 6 else 1
            rows = list(self.top_f[4 * u : 4 * u + n - n_d]) + list(self.top_d[u : u + n_d])
        elif kind == "pk":  # penalty killers: two forwards of the middle lines, a pair (one D three short)
            u = self.pk.cur
            rows = [self.C[1 + u], (self.LW, self.RW)[u][1 + u], self.D[2 * u], self.D[2 * u + 1]][:n]
        else:
            li, pi = self.lines.cur, self.pairs.cur
            line = [self.C[li], self.LW[li], self.RW[li]]
            pair = [self.D[2 * pi], self.D[2 * pi + 1]]
            rows = {5: line + pair, 4: line[:2] + pair, 3: line[:2] + pair[:1]}.get(
                n, line + pair + [self.C[(li + 1) % 4]]
            )
        return [int(r) for r in rows]

    def _replace_boxed(self, rows: list[int], boxed: set[int]) -> list[int]:
        """A player serving a penalty is not on the ice: the next free one of his kind takes his place."""
        out = list(rows)
        for i, r in enumerate(out):
            if r in boxed:
                kind = self.defence if r in self.defence else self.fwd
                free = [x for x in sorted(kind) if x not in boxed and x not in out]
                if free:
                    out[i] = free[0]
        return out

    def _apply(self, rows: list[int], t: float) -> None:
        for r in [r for r in self.on if r not in rows]:
            if t > self.on[r]:
                self.shifts.append((r, self.on[r], t))
            del self.on[r]
        for r in rows:
            self.on.setdefault(r, t)
        self.rows = rows

    def line_up(
        self, t: float, n: int, n_opp: int, goalie_in: bool, boxed: set[int], floor: float, ceil: float = np.inf
    ) -> None:
        """Bring the ice up to moment `t`: changes that came due, then the situation (n skaters against n_opp).

        A change happens no earlier than `floor` (the end of the last sequence plus a moment) and no
        later than `ceil` (where the next sequence may begin), so no shift starts or ends inside a
        sequence."""
        kind = "pp" if n > n_opp else ("pk" if n < n_opp and n <= 4 else "ev")

        def at(x: float) -> float:
            self.last = min(max(x, floor, self.last), max(ceil, self.last))
            return self.last

        if self.mode == (n, kind):
            while True:  # due changes, one at a time, in time order
                g = min(self._groups(kind), key=lambda g_: g_.due)
                if g.due > t:
                    break
                c = at(g.due)
                g.change(c, self.rng)
                self._apply(self._replace_boxed(self._skaters(n, kind), boxed), c)
        else:
            c = at(t)
            for g in (self.lines, self.pairs, self.pp, self.pk):
                g.close(c)
            for g in self._groups(kind):
                g.change(c, self.rng)
            self.mode = (n, kind)
            self._apply(self._replace_boxed(self._skaters(n, kind), boxed), c)
        if goalie_in and self.goalie_since is None:
            self.goalie_since = at(t)
        elif not goalie_in and self.goalie_since is not None:
            c = at(t)
            if c > self.goalie_since:
                self.shifts.append((self.goalie_row, self.goalie_since, c))
            self.goalie_since = None

    def end_period(self, t: float, period: int) -> None:
        """Everyone off at the end of a period; the next one starts with fresh units."""
        self._apply([], t)
        if self.goalie_since is not None and t > self.goalie_since:
            self.shifts.append((self.goalie_row, self.goalie_since, t))
        self.goalie_since = None
        for g in (self.lines, self.pairs, self.pp, self.pk):
            g.close(t)
        self.mode = None
        self.done += [(r, s0, s1, period) for r, s0, s1 in self.shifts]
        self.shifts = []
        self.last = t

    def on_ice(self) -> OnIce:
        """The skaters on the ice now."""
        at = np.asarray(self.rows)
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
    boxed: dict[str, dict[float, int]] = {"H": {}, "A": {}}  # penalty expiry -> roster row of who serves it
    pulled = {"H": False, "A": False}
    pull_at = {"H": rng.uniform(55, 150), "A": rng.uniform(55, 150)}
    ev: list[dict] = []
    shots: list[dict] = []
    frames: list[dict[str, np.ndarray]] = []
    shot_on: list[list[tuple[int, str, bool, bool]]] = []  # each shot's players on the ice
    other = {"H": "A", "A": "H"}
    period, quiet = 1, 0.0  # quiet: no change of players before it (the last sequence's end)

    def skaters(k: str, period: int) -> int:
        base = 3 if period > 3 else 5
        n = max(3, base - len(box[k])) if period <= 3 else base + (1 if box[other[k]] else 0)
        return n + (1 if pulled[k] else 0)

    def line_up(now: float, ceil: float = np.inf) -> None:
        """Both benches up to `now`: changes due, the situation's units, goalies pulled or back."""
        for k in ("H", "A"):
            n, n_o = skaters(k, period), skaters(other[k], period)
            bench[k].line_up(now, n, n_o, not pulled[k], set(boxed[k].values()), quiet, ceil)

    def serve(k: str, row: int, until: float) -> None:
        box[k].append(until)
        boxed[k][until] = row

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
        if period > 3:
            box, boxed = {"H": [], "A": []}, {"H": {}, "A": {}}
        add(start, period, "PERIOD_START")
        add(start, period, "FACEOFF", x=0.0, y=0.0)
        t = start
        last_end = quiet = start
        line_up(start)
        while t < end:
            for expiry, k in sorted((x, side) for side in ("H", "A") for x in box[side] if x <= t):
                box[k].remove(expiry)
                boxed[k].pop(expiry, None)
                add(expiry, period, "PENALTY_END", k)
                line_up(expiry)
            for k in ("H", "A"):
                if period == 3 and not pulled[k]:
                    deficit = score[other[k]] - score[k]
                    lim = pull_at[k] * (1.4 if deficit == 2 else 1.0)
                    if deficit in (1, 2) and end - t <= lim and not box[k]:
                        pulled[k] = True
                        add(t, period, "GOALIE_PULLED", k, player=goalies[k].id)
            line_up(t)
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
                    line_up(t)  # the offender is one of the skaters on the ice now
                    out = bench[k].rows
                    row = out[int(rng.integers(len(out)))]
                    serve(k, row, t + 120.0)
                    add(t, period, "PENALTY", k, player=int(bench[k].ids[row]), detail="MINOR")
                    if rng.random() < 0.08 and len(box[other[k]]) < 2:
                        row2 = bench[other[k]].rows[0]
                        serve(other[k], row2, t + 120.0)
                        add(t, period, "PENALTY", other[k], player=int(bench[other[k]].ids[row2]), detail="MINOR")
                    line_up(t)  # the penalty kill and the power play come out
                continue
            k = "H" if u < 2 * pen + rate["H"] else "A"
            o = other[k]
            sf, sa = s[k], s[o]
            pp = sf > sa
            t_min = max(last_end + 1.0, t - 1.0, bench["H"].last, bench["A"].last)
            line_up(t, t_min)  # no change of players after the sequence begins
            att = bench[k].on_ice()  # skater counts include a pulled goalie's extra man
            dfn = bench[o].on_ice()
            assert (len(att), len(dfn)) == (sf, sa), "the benches put the situation's skaters out"
            goalie = None if pulled[o] else goalies[o]
            t_shot = t + 7.0
            if t_shot + 5.0 > end:
                continue
            seq = simulate_sequence(rng, att, dfn, goalie, t_shot, t_min, pp)
            if seq.shots[-1].t + 1.0 > end:
                continue
            last_end = seq.end
            quiet = seq.end + CHANGE_GAP
            on_now = [(int(p), teams[k], False, True) for p in att.ids]
            on_now += [] if pulled[k] else [(goalies[k].id, teams[k], True, True)]
            on_now += [(int(p), teams[o], False, False) for p in dfn.ids]
            on_now += [] if goalie is None else [(goalie.id, teams[o], True, False)]
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
                    shot_on.append(on_now)
                    if sh.outcome == "GOAL":
                        scored = True
                        score[k] += 1
                        ev[-1]["home_score"], ev[-1]["away_score"] = score["H"], score["A"]
                        if pp and box[o] and sa < sf:
                            boxed[o].pop(min(box[o]), None)
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
        for k in ("H", "A"):
            bench[k].end_period(t if game_over else end, period)
        if game_over:
            break
    shootout = score["H"] == score["A"]
    if shootout:
        winner = "H" if rng.random() < 0.5 + 0.5 * (goalies["H"].skill - goalies["A"].skill) else "A"
        score[winner] += 1
    add(max(e["t"] for e in ev), played, "GAME_END")
    shifts = _shifts(spec.game_id, bench, teams)
    goalie_ids = {int(b.ids[r]) for b in bench.values() for r in np.flatnonzero(b.pos == "G")}
    return _bundle(
        spec, ev, shots, frames, score, played + (1 if shootout else 0), shootout, shifts, shot_on, goalie_ids
    )


def _shifts(game_id: int, bench: dict[str, _Bench], teams: dict[str, str]) -> pd.DataFrame:
    """Every finished shift of both benches as the `shifts` table (seconds into the period)."""
    parts = []
    for k, b in bench.items():
        d = np.array(b.done, dtype=float).reshape(-1, 4)
        p = d[:, 3].astype(np.int64)
        off = period_start(p)
        parts.append(
            pd.DataFrame(
                {
                    "game_id": game_id,
                    "player_id": b.ids[d[:, 0].astype(np.int64)].astype(np.int64),
                    "team": teams[k],
                    "period": p,
                    "start_s": np.round(d[:, 1] - off, 3),
                    "end_s": np.round(d[:, 2] - off, 3),
                }
            )
        )
    df = pd.concat(parts, ignore_index=True)
    df = df[(df["end_s"] > df["start_s"]).to_numpy()]
    return df.sort_values(["period", "start_s", "team", "player_id"], kind="stable").reset_index(drop=True)


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
    spec: GameSpec,
    ev: list[dict],
    shots: list[dict],
    frames: list[dict],
    score: dict,
    periods: int,
    shootout: bool,
    shifts: pd.DataFrame,
    shot_on: list[list[tuple[int, str, bool, bool]]],
    goalie_ids: set[int],
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
    # every event's skaters a side, counted from the shifts (as a play-by-play's on-ice lists would give)
    for side, team in (("home_skaters", spec.home), ("away_skaters", spec.away)):
        e[side] = skaters_at(e, shifts, goalie_ids, team)
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
    soi = pd.DataFrame(
        [(sid, g, *r) for sid, rows in zip(s["shot_id"].tolist(), shot_on) for r in rows],
        columns=["shot_id", "game_id", "player_id", "team", "goalie", "shooting"],
    )
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
            "shifts": shifts,
            "shot_on_ice": schema.ordered(schema.SHOT_ON_ICE, soi),
            "player_toi": player_toi(shifts),
            "toi": toi_from_shifts(shifts, goalie_ids),
        },
    )
