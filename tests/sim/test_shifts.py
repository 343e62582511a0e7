"""The demo league's shifts: lines and pairs rotate on their own clocks, special teams take over,
and every on-ice table (shot_on_ice, player_toi, toi, the events' skater counts) follows the shifts."""

import numpy as np
import pandas as pd
import pytest

from oa.onice import player_toi
from oa.sim.game import LINE_TOI, PAIR_TOI, simulate_game
from oa.sim.league import build_league
from oa.sim.run import game_seed
from oa.sim.schedule import season_schedule
from oa.sources.nhl_shifts import on_ice


@pytest.fixture(scope="module")
def sim():
    lg = build_league(3)
    specs = season_schedule(lg.team_codes, 16, seed=3)
    bundles = [simulate_game(lg, s, game_seed(3, i)) for i, s in enumerate(specs)]
    cat = {k: pd.concat([b.tables[k] for b in bundles], ignore_index=True) for k in bundles[0].tables if k != "frames"}
    return lg, cat


def goalie_ids(lg) -> set[int]:
    return set(lg.players.loc[lg.players["position"] == "G", "player_id"].astype(int))


def test_players_on_the_ice_at_each_shot_are_those_the_shifts_put_there(sim):
    lg, t = sim
    sh = t["shifts"].groupby("game_id")
    from_shifts = pd.concat(
        [on_ice(s, sh.get_group(g), goalie_ids(lg)) for g, s in t["shots"].groupby("game_id")], ignore_index=True
    )
    key = ["shot_id", "player_id"]
    a = t["shot_on_ice"].sort_values(key).reset_index(drop=True)
    b = from_shifts.sort_values(key).reset_index(drop=True)
    cols = ["shot_id", "game_id", "player_id", "team", "goalie", "shooting"]
    pd.testing.assert_frame_equal(a[cols], b[cols], check_dtype=False)
    assert set(a["shot_id"]) == set(t["shots"]["shot_id"])  # every attempt has its players


def test_recorded_strength_agrees_with_the_players_on_the_ice(sim):
    _, t = sim
    on = t["shot_on_ice"]
    sk = on[~on["goalie"]].groupby(["shot_id", "shooting"]).size().unstack()
    shots = t["shots"].set_index("shot_id")
    assert (shots["skaters_for"] == sk[True].reindex(shots.index)).all()
    assert (shots["skaters_against"] == sk[False].reindex(shots.index)).all()
    goalie_in = on[on["goalie"] & ~on["shooting"]].groupby("shot_id").size().reindex(shots.index).fillna(0)
    assert (shots["empty_net"] == (goalie_in == 0)).all()
    # the events carry the skaters a side too: an attempt's event says what its shot says
    ev = t["events"].merge(t["games"][["game_id", "home_team"]], on="game_id")
    m = t["shots"].merge(ev, on=["game_id", "event_idx"], suffixes=("", "_ev"))
    home = m["team"] == m["home_team"]
    assert (np.where(home, m["home_skaters"], m["away_skaters"]) == m["skaters_for"]).all()
    assert (np.where(home, m["away_skaters"], m["home_skaters"]) == m["skaters_against"]).all()
    assert set(t["events"]["home_skaters"]) <= {3, 4, 5, 6}


def test_shifts_are_real_shifts(sim):
    lg, t = sim
    s = t["shifts"].merge(lg.players[["player_id", "position"]], on="player_id")
    length = s["end_s"] - s["start_s"]
    skaters = s["position"] != "G"
    assert (length > 0).all()
    assert 35 <= length[skaters].median() <= 55, length[skaters].median()
    # nobody is on the ice twice at once
    s = s.sort_values(["game_id", "player_id", "period", "start_s"])
    nxt = s.groupby(["game_id", "player_id", "period"])["start_s"].shift(-1)
    assert (nxt.isna() | (nxt >= s["end_s"] - 1e-9)).all()
    # a goalie plays whole periods unless pulled: his shifts cover at least 95% of the game
    gs = s[s["position"] == "G"]
    g = gs.groupby("game_id")["end_s"].sum() - gs.groupby("game_id")["start_s"].sum()
    assert (g >= 0.95 * 2 * 3 * 1200).all()


def test_lines_and_pairs_share_five_on_five_time_as_their_weights(sim):
    lg, t = sim
    toi = t["toi"][t["toi"]["situation"] == "5v5"].merge(lg.players[["player_id", "position"]], on="player_id")
    k = toi["player_id"] % 100 - 1  # roster order: four C, four LW, four RW, six D (line by line)
    c = toi[toi["position"] == "C"]
    share = c.groupby(k[c.index] % 4)["seconds"].sum() / c["seconds"].sum()
    assert np.allclose(share.to_numpy(), LINE_TOI, atol=0.03), share
    d = toi[toi["position"] == "D"]
    share = d.groupby((k[d.index] - 12) // 2)["seconds"].sum() / d["seconds"].sum()
    assert np.allclose(share.to_numpy(), PAIR_TOI, atol=0.03), share


def test_power_play_and_penalty_kill_units_take_over_and_the_offender_sits(sim):
    lg, t = sim
    on, shots = t["shot_on_ice"], t["shots"]
    pos = lg.players.set_index("player_id")["position"]
    pp = shots[(shots["skaters_for"] == 5) & (shots["skaters_against"] == 4)]["shot_id"]
    assert len(pp) > 20
    killers = on[on["shot_id"].isin(pp) & ~on["shooting"] & ~on["goalie"]]
    # two forwards and two defencemen kill a penalty
    per = killers.assign(d=killers["player_id"].map(pos).eq("D")).groupby("shot_id")["d"].sum()
    assert (per == 2).all()
    # the player who took a penalty is not on the ice at an attempt while his team is short
    ev = t["events"]
    pens = ev[ev["type"] == "PENALTY"][["game_id", "period", "period_seconds", "player_id", "team"]]
    m = pens.merge(
        shots[["game_id", "period", "period_seconds", "shot_id", "team", "skaters_for", "skaters_against"]],
        on=["game_id", "period"],
    )
    short = np.where(
        m["team_x"] == m["team_y"], m["skaters_for"] < m["skaters_against"], m["skaters_for"] > m["skaters_against"]
    )
    during = m[
        short
        & (m["period_seconds_y"] > m["period_seconds_x"] + 1)
        & (m["period_seconds_y"] < m["period_seconds_x"] + 100)
    ]
    hit = during.merge(on, on=["shot_id", "player_id"])
    assert len(during) > 20 and hit.empty


def test_time_on_ice_from_the_shifts(sim):
    lg, t = sim
    toi = t["toi"].pivot_table(index=["game_id", "player_id", "team"], columns="situation", values="seconds")
    assert set(t["toi"]["method"]) == {"shifts"}
    pt = player_toi(t["shifts"]).set_index(["game_id", "player_id", "team"])
    assert np.allclose(toi["all"].reindex(pt.index), pt["seconds"], atol=0.01)
    assert (toi["5v5"] <= toi["all"] + 1e-6).all()
    # at five-on-five a team's skaters add up to five times its goalie's five-on-five time
    goalies = goalie_ids(lg)
    r = toi.reset_index()
    r["g"] = r["player_id"].isin(goalies)
    sk = r[~r["g"]].groupby(["game_id", "team"])["5v5"].sum()
    gl = r[r["g"]].groupby(["game_id", "team"])["5v5"].sum()
    assert np.allclose(sk, 5 * gl.reindex(sk.index), atol=0.05)
    # and most of a game is five-on-five
    assert (gl / 3600).between(0.6, 0.95).all()
