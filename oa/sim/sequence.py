"""One attacking sequence: zone entry, passes, the shot (and maybe a rebound), tracked at 30 Hz.

Works in normalised coordinates (the attacking team shoots at the net at x = +89); the
game module rotates to rink coordinates. The order of construction follows causality:
skaters first, then the puck they move, then the goalie and defenders who react to it
with causal lags, then the truth is read at the release frame, and only then is the
outcome (and what the puck does after release) drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from oa.rink import RINK
from oa.sim import motion, truth
from oa.sim.motion import DT, FPS
from oa.vocab import EVENT_OF_OUTCOME, sigmoid
from oa.vocab import off_wing as hand_off_wing

GOALIE_VMAX = 20.0  # ft/s, a hard lateral push
VMAX = 29.0  # ft/s, hard cap for skaters (elite top speed is about 35)
NET = np.array([RINK.goal_line_x, 0.0])

# distance buckets (ft) and their share of unblocked attempts, before rebounds are added
DIST_EDGES = np.array([3.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 72.0])
DIST_SHARE = np.array([0.085, 0.17, 0.165, 0.19, 0.145, 0.125, 0.12])

MPH = 1.46667  # ft/s per mph


@dataclass
class OnIce:
    """Players of one team on the ice for a sequence."""

    ids: np.ndarray  # (k,) player ids
    pos: np.ndarray  # (k,) 'C','LW','RW','D'
    shoots: np.ndarray  # (k,) 'L','R'
    skill: np.ndarray  # (k,) hidden shooting log-odds

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class Goalie:
    id: int
    skill: float
    height: float


@dataclass
class ShotOut:
    """A shot as the sequence produced it (normalised coordinates)."""

    t: float
    release_frame: int  # index into the sequence's frames
    shooter: int
    x: float
    y: float
    shot_type: str
    p_true: float
    outcome: str
    situation: truth.Situation


@dataclass
class SeqEvent:
    t: float
    type: str
    player: int | None
    player2: int | None
    x: float
    y: float
    detail: str | None


@dataclass
class SequenceResult:
    t: np.ndarray  # (n,) game seconds on the 30 Hz grid
    att: np.ndarray  # (n, A, 2)
    dfn: np.ndarray  # (n, D, 2)
    goalie: np.ndarray | None  # (n, 2)
    puck: np.ndarray  # (n, 2)
    shots: list[ShotOut] = field(default_factory=list)
    events: list[SeqEvent] = field(default_factory=list)

    @property
    def end(self) -> float:
        return float(self.t[-1])


def _sample_distance(rng: np.random.Generator) -> float:
    b = rng.choice(len(DIST_SHARE), p=DIST_SHARE / DIST_SHARE.sum())
    return float(rng.uniform(DIST_EDGES[b], DIST_EDGES[b + 1]))


def _sample_angle(rng: np.random.Generator, d: float) -> float:
    if d < 10:
        return float(min(abs(rng.normal(0, 35)), 80))
    if d < 30:
        return float(min(abs(rng.normal(0, 30)), 72))
    if d < 50:
        return float(min(abs(rng.normal(0, 27)), 60))
    return float(min(abs(rng.normal(0, 20)), 40))


def _location(rng: np.random.Generator, d: float, side: float) -> np.ndarray:
    """A spot `d` ft from the net; zone shots stay inside the blue line (redraw the angle)."""
    for _ in range(20):
        a = np.radians(_sample_angle(rng, d))
        x = RINK.goal_line_x - d * np.cos(a)
        y = side * d * np.sin(a)
        if d >= 100 or (x > RINK.blue_line_x + 2 and abs(y) < RINK.half_width - 3):
            break
    else:
        x, y = RINK.blue_line_x + rng.uniform(2, 8), side * rng.uniform(20, 38)
    x, y = RINK.clamp(np.array([x]), np.array([y]), margin=3.0)
    return np.array([float(x[0]), float(y[0])])


def _shot_type(rng: np.random.Generator, d: float, angle: float, from_point_pass: bool) -> str:
    if d < 14:
        if angle > 60 and rng.random() < 0.5:
            return "WRAP"
        if from_point_pass:
            return "TIP" if rng.random() < 0.8 else "DEFLECTION"
        return str(rng.choice(["WRIST", "BACKHAND", "SNAP", "TIP", "DEFLECTION"], p=[0.42, 0.27, 0.11, 0.16, 0.04]))
    if d < 30:
        return str(
            rng.choice(
                ["WRIST", "SNAP", "BACKHAND", "SLAP", "TIP", "DEFLECTION"], p=[0.55, 0.20, 0.08, 0.04, 0.10, 0.03]
            )
        )
    if d < 50:
        return str(rng.choice(["WRIST", "SNAP", "SLAP", "BACKHAND"], p=[0.55, 0.24, 0.18, 0.03]))
    return str(rng.choice(["WRIST", "SLAP", "SNAP"], p=[0.55, 0.30, 0.15]))


SPEED_MPH = {
    "SLAP": (88, 7),
    "SNAP": (76, 7),
    "WRIST": (68, 8),
    "BACKHAND": (50, 6),
    "TIP": (58, 8),
    "DEFLECTION": (56, 8),
    "WRAP": (42, 4),
}


def _puck_speed(rng: np.random.Generator, shot_type: str, one_timer: bool) -> float:
    m, s = SPEED_MPH[shot_type]
    v = rng.normal(m + (6 if one_timer else 0), s)
    return float(np.clip(v, 38, 106))


def _home_spots(rng: np.random.Generator, pos: np.ndarray, pp: bool) -> np.ndarray:
    """Where each attacker hangs out in the zone (normalised)."""
    spots = []
    fwd_slots = [
        np.array([84.0, rng.uniform(-4, 4)]),  # net front
        np.array([rng.uniform(62, 72), rng.choice([-1, 1]) * rng.uniform(26, 34)]),  # half wall
        np.array([rng.uniform(70, 80), rng.uniform(-12, 12)]),  # slot
        np.array([rng.uniform(58, 66), rng.uniform(-8, 8)]),
    ]  # high slot
    d_slots = [
        np.array([rng.uniform(29, 35), rng.uniform(14, 24)]),
        np.array([rng.uniform(29, 35), -rng.uniform(14, 24)]),
    ]
    fi = di = 0
    order = rng.permutation(len(fwd_slots))
    for p in pos:
        if p == "D" and di < 2:
            spots.append(d_slots[di])
            di += 1
        else:
            spots.append(fwd_slots[order[fi % len(order)]].copy())
            fi += 1
    return np.array(spots)


def _feasible(times: list[float], pts: list[np.ndarray], vmax: float) -> tuple[np.ndarray, np.ndarray]:
    """Sort waypoints and pull earlier, free ones toward later ones so speed stays <= vmax."""
    order = np.argsort(times, kind="stable")
    t = np.array(times, dtype=float)[order]
    p = np.array(pts, dtype=float)[order]
    for i in range(len(t) - 2, -1, -1):
        dt = max(t[i + 1] - t[i], 1e-3)
        seg = p[i] - p[i + 1]
        dist = float(np.hypot(*seg))
        if dist > vmax * dt:
            p[i] = p[i + 1] + seg * (vmax * dt / dist)
    return t, p


def simulate_sequence(
    rng: np.random.Generator,
    att: OnIce,
    dfn: OnIce,
    goalie: Goalie | None,
    t_shot: float,
    t_min: float,
    pp: bool,
    rebound_ok: bool = True,
) -> SequenceResult:
    """Simulate one sequence that ends in a shot at about `t_shot` (never starting before `t_min`)."""
    A, D = len(att), len(dfn)
    # -- the shot --------------------------------------------------------------------
    d = (
        _sample_distance(rng)
        if goalie is not None
        else (rng.uniform(8, 60) if rng.random() < 0.55 else rng.uniform(60, 165))
    )
    side = float(rng.choice([-1.0, 1.0]))
    shot_xy = _location(rng, d, side)
    from_d = att.pos == "D"
    far = shot_xy[0] < 50
    weights = np.where(from_d, 3.0 if far else 0.15, 0.6 if far else 1.0) * np.exp(att.skill)
    shooter = int(rng.choice(A, p=weights / weights.sum()))
    rush = rng.random() < (0.10 if pp else 0.17) and shot_xy[0] > 45 and goalie is not None
    tip_play = (d < 14) and rng.random() < 0.45 and A >= 4 and not rush and goalie is not None
    angle = float(np.degrees(np.arctan2(abs(shot_xy[1]), RINK.goal_line_x - shot_xy[0])))
    shot_type = _shot_type(rng, d, angle, tip_play)

    # -- passes before the shot ------------------------------------------------------
    n_pass_p = [0.32, 0.45, 0.17, 0.06] if not pp else [0.15, 0.40, 0.30, 0.15]
    n_pass = 1 if tip_play else int(rng.choice(4, p=n_pass_p))
    if rush:
        n_pass = min(n_pass, 1)
    if shot_type == "WRAP" or shot_xy[0] < RINK.blue_line_x + 5:
        n_pass = 0
    chain = [shooter]
    spots = _home_spots(rng, att.pos, pp)
    one_timer = False
    hold_last = rng.uniform(0.5, 2.2)
    if n_pass:
        if tip_play:
            passer = (
                int(np.flatnonzero(from_d)[0])
                if from_d.any() and np.flatnonzero(from_d)[0] != shooter
                else (shooter + 1) % A
            )
            hold_last = rng.uniform(0.0, 0.05)
        else:
            cands = [i for i in range(A) if i != shooter]
            passer = int(rng.choice(cands))
        chain.insert(0, passer)
        if not tip_play:
            cross = rng.random() < (0.55 if pp else 0.24)
            if cross and d < 45:
                spots[passer] = np.array(
                    [shot_xy[0] + rng.uniform(-8, 6), -np.sign(shot_xy[1] or 1.0) * rng.uniform(10, 28)]
                )
            elif rng.random() < 0.3 and d < 35:
                spots[passer] = np.array([rng.uniform(91, 96), rng.uniform(-14, 14)])  # from below the goal line
            one_timer = shot_type in ("SLAP", "SNAP", "WRIST") and rng.random() < (0.42 if cross else 0.2)
            hold_last = rng.uniform(0.08, 0.28) if one_timer else hold_last
        for _ in range(n_pass - 1):
            cands = [i for i in range(A) if i != chain[0]]
            chain.insert(0, int(rng.choice(cands)))
    if shot_type == "WRAP":
        shot_xy = np.array([RINK.goal_line_x + rng.uniform(-1.0, 2.0), side * rng.uniform(3.5, 5.5)])
    off = np.array([0.9, 0.9 if att.shoots[shooter] == "L" else -0.9])
    off_wing = bool(hand_off_wing(att.shoots[shooter], shot_xy[1]) == 1.0)

    # -- timeline (offsets relative to the release, then anchored) ------------------
    rel_recv = [-hold_last]
    for k in range(len(chain) - 1, 0, -1):  # walk backwards through the passes
        a, b = chain[k - 1], chain[k]
        p_to = shot_xy - off if k == len(chain) - 1 else spots[b]
        v_pass = 95.0 if tip_play else rng.uniform(45, 70)
        flight = float(np.hypot(*(p_to - spots[a]))) / v_pass
        rel_recv.insert(0, rel_recv[0] - flight - rng.uniform(0.6, 2.0))
    if rush:
        entry_lead = float(np.hypot(*(shot_xy - np.array([RINK.blue_line_x, 0.0])))) / 24.0 + rng.uniform(0.2, 1.2)
        entry_type = "CARRIED" if rng.random() < 0.78 else "PASSED"
    else:
        entry_lead = float(np.clip(rng.lognormal(np.log(12.0), 0.6), 4.5, 60.0))
        u = rng.random()
        entry_type = "CARRIED" if u < 0.45 else ("PASSED" if u < 0.6 else "DUMPED")
    entry_lead = max(entry_lead, -rel_recv[0] + 0.3)
    lead = float(np.clip(entry_lead + 1.0, 5.0, 8.0)) + rng.uniform(0.0, 0.4)
    k0 = max(int(round((t_shot - lead) * FPS)), int(np.ceil(t_min * FPS - 1e-9)))
    t0 = k0 / FPS
    k_rel = int(np.ceil(lead * FPS))  # frame of release (puck still on the stick)
    t_shot = t0 + k_rel * DT
    times_recv = [t_shot + r for r in rel_recv]
    t_entry = min(max(t_shot - entry_lead, t_min + 0.2), times_recv[0] - 0.3)
    zone_play = shot_xy[0] > RINK.blue_line_x + 5
    n_after = int(1.0 * FPS) + 1 + (int(3.2 * FPS) if rebound_ok else 0)
    n = k_rel + n_after
    t = t0 + np.arange(n) * DT

    # -- attackers' paths ------------------------------------------------------------
    entry_y = float(np.clip(rng.normal(0, 18), -36, 36))
    entry_in_clip = zone_play and t_entry > t0 - 0.5
    carrier = chain[0]
    att_paths = np.empty((n, A, 2))
    forced: dict[int, list[tuple[float, np.ndarray]]] = {i: [] for i in range(A)}
    for j, who in enumerate(chain):
        if j == len(chain) - 1:
            forced[who].append((times_recv[j], shot_xy - off + rng.normal(0, 2.0, 2) * (hold_last > 0.4)))
            forced[who].append((t_shot, shot_xy - off))
        else:
            forced[who].append((times_recv[j], spots[who] + rng.normal(0, 1.5, 2)))
            nxt = times_recv[j + 1] - 0.05
            forced[who].append((max(nxt - 0.2, times_recv[j] + 0.05), spots[who] + rng.normal(0, 1.0, 2)))
    if entry_in_clip:
        forced[carrier].insert(0, (t_entry, np.array([RINK.blue_line_x + 0.5, entry_y])))
        forced[carrier].insert(0, (t_entry - 2.0, np.array([RINK.blue_line_x - 40.0, entry_y * 0.6])))
    for i in range(A):
        ts, ps = [], []
        free_ts = np.arange(t0 - 1.0, t[-1] + 1.5, rng.uniform(1.2, 1.8)) + rng.uniform(0, 0.5)
        for ft in free_ts:
            if entry_in_clip and ft < t_entry + 0.8:
                trail = rng.uniform(4, 18) if i != carrier else 0.0
                x_e = RINK.blue_line_x - trail + (ft - t_entry) * 24.0
                ps.append(np.array([x_e, spots[i][1] * 0.7 + rng.normal(0, 3)]))
            else:
                ps.append(spots[i] + rng.normal(0, 3.0, 2))
            ts.append(float(ft))
        for ft, _ in forced[i]:
            keep = [k for k, tt in enumerate(ts) if abs(tt - ft) > 0.7]
            ts = [ts[k] for k in keep]
            ps = [ps[k] for k in keep]
        for ft, fp in forced[i]:
            ts.append(ft)
            ps.append(fp)
        wt, wp = _feasible(ts, ps, VMAX * 0.85)
        att_paths[:, i] = motion.waypoint_path(t, wt, wp)
    att_paths = motion.smooth(att_paths, width=7, passes=2)
    # the smoothing must not move forced points much: re-pin the shooter at release
    att_paths[:, shooter] += (shot_xy - off) - att_paths[k_rel, shooter]
    ax, ay = RINK.clamp(att_paths[..., 0], att_paths[..., 1], margin=2.0)
    att_paths = np.stack([ax, ay], axis=-1)

    # -- the puck until release ------------------------------------------------------
    puck = np.empty((n, 2))
    holder_at = np.full(n, -1)
    recv_idx = [int(np.clip(round((tr - t0) * FPS), 0, n - 1)) for tr in times_recv]
    events: list[SeqEvent] = []
    if entry_in_clip:
        ke = int(np.clip(round((t_entry - t0) * FPS), 0, n - 1))
        events.append(
            SeqEvent(
                t_entry,
                "ZONE_ENTRY",
                int(att.ids[carrier]),
                None,
                RINK.blue_line_x,
                float(att_paths[ke, carrier, 1]),
                entry_type,
            )
        )
    elif zone_play:
        events.append(
            SeqEvent(t_entry, "ZONE_ENTRY", int(att.ids[carrier]), None, RINK.blue_line_x, entry_y, entry_type)
        )
    holder_at[: recv_idx[0] + 1] = carrier
    puck_off = np.where(att.shoots == "L", 0.9, -0.9)
    for j in range(len(chain)):
        who = chain[j]
        k_start = recv_idx[j]
        k_end = recv_idx[j + 1] if j + 1 < len(chain) else k_rel
        if j + 1 < len(chain):
            nxt = chain[j + 1]
            flight_frames = max(
                int(
                    np.ceil(
                        np.hypot(*(att_paths[recv_idx[j + 1], nxt] - att_paths[k_start, who]))
                        / (95.0 if tip_play else 55.0)
                        * FPS
                    )
                ),
                1,
            )
            k_pass = max(k_end - flight_frames, k_start + 1)
            holder_at[k_start:k_pass] = who
            a_xy = att_paths[k_pass, who] + np.array([0.9, puck_off[who]])
            b_xy = att_paths[k_end, nxt] + np.array([0.9, puck_off[nxt]])
            for k in range(k_pass, k_end):
                f = (k - k_pass) / max(k_end - k_pass, 1)
                puck[k] = a_xy + f * (b_xy - a_xy)
            events.append(
                SeqEvent(
                    float(t[k_pass]), "PASS", int(att.ids[who]), int(att.ids[nxt]), float(a_xy[0]), float(a_xy[1]), None
                )
            )
        else:
            holder_at[k_start : k_rel + 1] = who
    for i in range(A):
        m = holder_at == i
        puck[m] = att_paths[m, i] + np.array([0.9, puck_off[i]])
    puck[k_rel] = shot_xy
    v = _puck_speed(rng, shot_type, one_timer)
    aim = np.array([RINK.goal_line_x, rng.normal(0, 1.6)])
    u_aim = (aim - shot_xy) / max(np.hypot(*(aim - shot_xy)), 1e-6)

    # -- defenders and goalie react (causally) ---------------------------------------
    order = np.argsort(-spots[:, 0])  # deepest attackers get marked first
    marks = order[np.arange(D) % A]
    gaps = rng.uniform(3.0, 7.0, D)
    dfn_target = np.stack([motion.goal_side_target(att_paths[:, m], g) for m, g in zip(marks, gaps)], axis=1)
    if rush:
        caught = rng.random(D) < 0.45
        dfn_target[:, caught] -= np.array([8.0, 0.0])  # caught up ice, chasing from behind
    if rng.random() < 0.3:  # one defender steps into the lane
        j = int(rng.integers(D))
        lane_pt = shot_xy + (NET - shot_xy) * rng.uniform(0.15, 0.5)
        kk = np.arange(n) >= max(k_rel - int(1.5 * FPS), 0)
        dfn_target[kk, j] = lane_pt
    dfn_paths = motion.lag(dfn_target, tau=rng.uniform(0.35, 0.55), delay_frames=5)
    dfn_paths = motion.limit_speed(dfn_paths, VMAX)
    dx, dy = RINK.clamp(dfn_paths[..., 0], dfn_paths[..., 1], margin=2.0)
    dfn_paths = np.stack([dx, dy], axis=-1)

    shots: list[ShotOut] = []
    depth = rng.uniform(3.0, 5.5)
    g_tau = 0.25 - (goalie.skill if goalie else 0.0) * 0.15

    def goalie_path(pk: np.ndarray) -> np.ndarray | None:
        return None if goalie is None else _goalie_path(pk, depth, g_tau)

    # puck in flight from release: first frame heads for the pre-outcome aim point
    r = k_rel + 1
    puck[r:] = shot_xy + u_aim * v * MPH * DT * np.arange(1, n - k_rel)[:, None]
    g_path = goalie_path(puck)
    sit = truth.situation(puck, g_path, att_paths, dfn_paths, r, shooter, v, shot_type, one_timer, off_wing)
    z = truth.true_logit(
        sit, float(att.skill[shooter]), goalie.skill if goalie else 0.0, goalie.height if goalie else 75.0
    )
    p = sigmoid(z)
    outcome = _outcome(rng, p, sit)
    shots.append(ShotOut(float(t_shot), r, shooter, float(shot_xy[0]), float(shot_xy[1]), shot_type, p, outcome, sit))
    events.append(
        SeqEvent(
            float(t_shot),
            EVENT_OF_OUTCOME[outcome],
            int(att.ids[shooter]),
            int(goalie.id) if goalie else None,
            float(shot_xy[0]),
            float(shot_xy[1]),
            shot_type,
        )
    )
    end_k = _after_release(rng, puck, g_path, r, shot_xy, v, outcome, n)

    # -- a rebound? -------------------------------------------------------------------
    if (
        rebound_ok
        and outcome == "SAVE"
        and goalie is not None
        and rng.random() < float(np.clip(0.30 - 0.0045 * sit.distance, 0.04, 0.28))
    ):
        res = _rebound(rng, att, dfn, goalie, t, att_paths, dfn_paths, puck, r, shooter, depth, g_tau, events, shots)
        end_k = res
    last = min(max(end_k, shots[-1].release_frame + FPS), n - 1)
    sl = slice(0, last + 1)
    g_final = goalie_path(puck)
    return SequenceResult(
        t[sl], att_paths[sl], dfn_paths[sl], None if g_final is None else g_final[sl], puck[sl], shots, events
    )


def _goalie_path(puck: np.ndarray, depth: float, tau: float) -> np.ndarray:
    """A goalie squares up to the puck 0.2 s late, with a lag, never faster than 20 ft/s."""
    return motion.limit_speed(motion.lag(motion.goalie_target(puck, depth), tau=tau, delay_frames=6), GOALIE_VMAX)


def _outcome(rng: np.random.Generator, p: float, sit: truth.Situation) -> str:
    if rng.random() < p:
        return "GOAL"
    miss = 0.20 + 0.0035 * sit.distance + (0.08 if sit.one_timer else 0.0) + (0.06 if sit.shot_type == "SLAP" else 0.0)
    if sit.empty_net:
        miss = 0.75
    return "MISS" if rng.random() < min(miss, 0.8) else "SAVE"


def _after_release(rng, puck, g_path, r, shot_xy, v, outcome, n) -> int:
    """Move the puck after release to where the outcome sends it; returns the last useful frame."""
    step = v * MPH * DT
    if outcome == "GOAL":
        dest = np.array([RINK.goal_line_x + 1.5, rng.uniform(-2.6, 2.6)])
    elif outcome == "MISS":
        dest = np.array([RINK.goal_line_x, rng.choice([-1, 1]) * rng.uniform(3.6, 9.0)])
    else:
        k_hit = min(r + int(np.hypot(*(NET - shot_xy)) / step), n - 1)
        dest = g_path[k_hit] if g_path is not None else NET
    start = puck[r]
    dist = float(np.hypot(*(dest - start)))
    k_arr = r + max(int(np.ceil(dist / step)), 1)
    for k in range(r, min(k_arr, n)):
        f = (k - r) / max(k_arr - r, 1)
        puck[k] = start + f * (dest - start)
    k_arr = min(k_arr, n - 1)
    if outcome == "MISS":
        # carry on past the net to the end boards
        direc = (dest - start) / max(dist, 1e-6)
        rest = np.arange(1, n - k_arr)[:, None] * step * 0.6
        tail = dest + direc * rest
        tx, ty = RINK.clamp(tail[:, 0], tail[:, 1], margin=0.5)
        puck[k_arr:] = np.concatenate([dest[None], np.stack([tx, ty], 1)])[: n - k_arr]
    else:
        puck[k_arr:] = dest if outcome == "GOAL" else dest + np.array([0.3, 0.0])
    return k_arr


def _rebound(rng, att, dfn, goalie, t, att_paths, dfn_paths, puck, r0, shooter0, depth, g_tau, events, shots) -> int:
    """A save kicks the puck out and an attacker near the net shoots again within ~3 s."""
    n = len(t)
    k_off = min(r0 + 4, n - 1)
    while k_off < n - 1 and np.hypot(*(puck[k_off] - puck[k_off - 1])) > 0.5:
        k_off += 1
    src = puck[k_off].copy()
    ang = rng.uniform(-1.2, 1.2)
    rb = np.array([RINK.goal_line_x - rng.uniform(5, 16) * np.cos(ang), rng.uniform(5, 16) * np.sin(ang)])
    dt_fly = max(np.hypot(*(rb - src)) / rng.uniform(15, 35), 0.15)
    k_land = min(k_off + int(dt_fly * FPS), n - 1)
    k_shot = min(k_land + int(rng.uniform(0.1, 0.9) * FPS), n - int(1.0 * FPS) - 2)
    if k_shot <= k_land + 1:
        return min(r0 + FPS, n - 1)
    cand = [i for i in range(len(att)) if att.pos[i] != "D" or len(att) < 4]
    dist_to = [np.hypot(*(att_paths[k_off, i] - rb)) + (6 if i == shooter0 else 0) for i in cand]
    who = cand[int(np.argmin(dist_to))]
    off = np.array([0.9, 0.9 if att.shoots[who] == "L" else -0.9])
    # splice the rebound shooter's path after the first release, blending in over 0.3 s
    new = att_paths[:, who].copy()
    path_to = motion.waypoint_path(
        t,
        np.array([t[r0], t[k_shot], t[-1]]),
        np.array([att_paths[r0, who], rb - off, rb - off + np.array([3.0, 0.0])]),
    )
    w = np.clip((np.arange(n) - r0) / 9.0, 0, 1)[:, None]
    new = (1 - w) * new + w * path_to
    new[: r0 + 1] = att_paths[: r0 + 1, who]
    att_paths[:, who] = motion.limit_speed(new, VMAX)
    land = att_paths[k_land, who] + off
    for k in range(k_off, k_land):
        f = (k - k_off) / max(k_land - k_off, 1)
        puck[k] = src + f * (land - src)
    puck[k_land : k_shot + 1] = att_paths[k_land : k_shot + 1, who] + off
    rel_xy = puck[k_shot].copy()
    r = k_shot + 1
    rel_xy = np.clip(rel_xy, [-99, -41], [99, 41])
    d = float(np.hypot(*(NET - rel_xy)))
    angle = float(np.degrees(np.arctan2(abs(rel_xy[1]), RINK.goal_line_x - rel_xy[0])))
    st = str(rng.choice(["WRIST", "BACKHAND", "SNAP", "TIP"], p=[0.5, 0.35, 0.1, 0.05])) if d < 20 else "WRIST"
    if angle > 75:
        st = "WRAP" if rng.random() < 0.3 else st
    v = _puck_speed(rng, st, False)
    aim = np.array([RINK.goal_line_x, rng.normal(0, 1.6)])
    u_aim = (aim - rel_xy) / max(np.hypot(*(aim - rel_xy)), 1e-6)
    puck[r:] = rel_xy + u_aim * v * MPH * DT * np.arange(1, n - k_shot)[:, None]
    g_path = _goalie_path(puck, depth, g_tau)
    off_wing = bool(hand_off_wing(att.shoots[who], rel_xy[1]) == 1.0)
    sit = truth.situation(puck, g_path, att_paths, dfn_paths, r, who, v, st, False, off_wing)
    z = truth.true_logit(sit, float(att.skill[who]), goalie.skill, goalie.height)
    p = sigmoid(z)
    outcome = _outcome(rng, p, sit)
    shots.append(ShotOut(float(t[k_shot]), r, who, float(rel_xy[0]), float(rel_xy[1]), st, p, outcome, sit))
    events.append(
        SeqEvent(
            float(t[k_shot]),
            EVENT_OF_OUTCOME[outcome],
            int(att.ids[who]),
            int(goalie.id),
            float(rel_xy[0]),
            float(rel_xy[1]),
            st,
        )
    )
    return _after_release(rng, puck, g_path, r, rel_xy, v, outcome, n)
