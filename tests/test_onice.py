"""oa.onice: time on ice from shifts (all and five-on-five) and its estimate from on-ice lists at events."""

from __future__ import annotations

import numpy as np
import pandas as pd

from oa.bench.toi import errors, nhl_game, summary
from oa.onice import estimate_toi, listed_at, player_toi, skaters_at, toi_from_shifts

G = 1


def shifts(rows):
    return pd.DataFrame(rows, columns=["game_id", "player_id", "team", "period", "start_s", "end_s"])


def full_strength(until: float = 1200.0):
    """Five skaters and a goalie a side for the whole of period 1 (ids 1-6 home A, 11-16 away B)."""
    rows = [(G, p, "A", 1, 0.0, until) for p in range(1, 7)] + [(G, p, "B", 1, 0.0, until) for p in range(11, 17)]
    return rows


def test_five_on_five_is_where_both_teams_have_five_skaters_and_a_goalie():
    rows = full_strength()
    rows[0] = (G, 1, "A", 1, 0.0, 100.0)  # skater 1 off at 100 (a penalty) ...
    rows.append((G, 7, "A", 1, 220.0, 1200.0))  # ... his replacement on at 220: A plays four skaters 100-220
    rows[5] = (G, 6, "A", 1, 0.0, 1140.0)  # goalie 6 pulled for the last minute: A has six skaters, no goalie
    rows.append((G, 8, "A", 1, 1140.0, 1200.0))
    toi = toi_from_shifts(shifts(rows), goalie_ids={6, 16}).set_index(["player_id", "situation"])["seconds"]
    assert toi[(2, "all")] == 1200 and toi[(2, "5v5")] == 1200 - 120 - 60
    assert toi[(1, "5v5")] == 100 and toi[(7, "5v5")] == 1140 - 220 and toi[(8, "5v5")] == 0
    assert toi[(16, "5v5")] == toi[(2, "5v5")]  # the other goalie: the game's five-on-five time
    assert set(toi_from_shifts(shifts(rows), {6, 16}).method) == {"shifts"}
    pt = player_toi(shifts(rows)).set_index("player_id")
    assert pt.loc[1, "seconds"] == 100 and pt.loc[2, "shifts"] == 1


def test_skaters_at_events_start_exclusive_end_inclusive_and_the_period_start():
    sh = shifts([(G, 1, "A", 1, 0.0, 45.0), (G, 2, "A", 1, 45.0, 90.0), (G, 9, "A", 1, 0.0, 1200.0)])
    ev = pd.DataFrame({"period": [1, 1, 1, 1], "period_seconds": [0.0, 45.0, 45.5, 95.0]})
    assert skaters_at(ev, sh, {9}, "A").tolist() == [1, 1, 1, 0]


def test_estimate_splits_each_gap_at_its_middle():
    # events at 0, 10, 30 of period 1; player 1 listed at all three, player 2 at the first two, 3 at the last
    listed = pd.DataFrame(
        [(G, 0, 1, 0.0, 1, "A", False), (G, 0, 1, 0.0, 2, "A", False), (G, 1, 1, 10.0, 1, "A", False),
         (G, 1, 1, 10.0, 2, "A", False), (G, 2, 1, 30.0, 1, "A", False), (G, 2, 1, 30.0, 3, "A", False)],
        columns=["game_id", "event_idx", "period", "period_seconds", "player_id", "team", "goalie"],
    )  # fmt: skip
    est = estimate_toi(listed).set_index(["player_id", "situation"])["seconds"]
    assert est[(1, "all")] == 30 and est[(2, "all")] == 10 + 10 and est[(3, "all")] == 10  # whole gap, then half
    assert est[(1, "5v5")] == 0  # one skater a side is not five-on-five
    assert set(estimate_toi(listed)["method"]) == {"estimated"}
    # a dict of arrays (one game) gives the same
    as_dict = {c: listed[c].to_numpy() for c in listed.columns} | {"game_id": G}
    pd.testing.assert_frame_equal(estimate_toi(as_dict), estimate_toi(listed))


def test_estimate_from_lists_built_off_exact_shifts_is_exact_when_every_change_is_an_event():
    rows = full_strength()
    rows[0] = (G, 1, "A", 1, 0.0, 600.0)
    rows.append((G, 7, "A", 1, 600.0, 1200.0))
    sh = shifts(rows)
    t = np.r_[np.arange(0, 600, 7.0), 600.0, 600.001, np.arange(601, 1200, 9.0), 1200.0]
    ev = pd.DataFrame({"game_id": G, "event_idx": np.arange(len(t)), "period": 1, "period_seconds": t})
    m = errors(ev, sh, {6, 16})
    assert (m["seconds_est"] - m["seconds_true"]).abs().max() < 0.01


def test_the_estimate_on_the_real_game_is_within_a_minute_or_so(shared):
    """2023020204: lists built from its shift charts at each of its 320 play-by-play events."""
    ev, sh, goalies = nhl_game(shared / "nhl-api-web-bbrewington")
    s = summary(errors(ev, sh, goalies))
    assert s["all skaters"]["players"] == 36
    assert (
        s["all skaters"]["median abs error (min)"] < 1.2 and s["all skaters"]["median abs error (share of toi)"] < 0.1
    )
    assert (
        s["5v5 skaters"]["median abs error (min)"] < 1.2 and s["5v5 skaters"]["median abs error (share of toi)"] < 0.12
    )
    assert abs(s["all skaters"]["median error (min, + = too much)"]) < 0.5  # no large bias


def test_the_estimate_on_demo_games():
    from oa.sim.game import simulate_game
    from oa.sim.league import build_league
    from oa.sim.run import game_seed
    from oa.sim.schedule import season_schedule

    lg = build_league(2)
    goalies = set(lg.players.query("position == 'G'")["player_id"].astype(int))
    parts = []
    for i, spec in enumerate(season_schedule(lg.team_codes, 6, seed=2)):
        b = simulate_game(lg, spec, game_seed(2, i))
        parts.append(errors(b.tables["events"], b.tables["shifts"], goalies))
    s = summary(pd.concat(parts))
    assert (
        s["all skaters"]["median abs error (min)"] < 2.5 and s["all skaters"]["median abs error (share of toi)"] < 0.15
    )
    assert abs(s["5v5 skaters"]["median error (min, + = too much)"]) < 0.5
    assert listed_at(b.tables["events"], b.tables["shifts"], goalies).groupby("event_idx").size().max() <= 12
