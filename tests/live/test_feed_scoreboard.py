"""The demo feed sends a scoreboard after every event, as the NHL's feed does: score, period, clock."""

from __future__ import annotations

from oa.live.feed import game_stream, scoreboard_after
from oa.live.messages import Event, GameEnd, GameState, check_state
from oa.store import Store


def _states(db, game_id: int) -> tuple[list[GameState], list]:
    with Store(db, read_only=True) as s:
        msgs = [m for _, m in game_stream(s, game_id)]
    return [m for m in msgs if isinstance(m, GameState)], msgs


def test_every_event_is_followed_by_its_scoreboard_and_the_last_one_is_the_final_score(model_store):
    with Store(model_store, read_only=True) as s:
        games = s.query(
            "SELECT game_id, home_team, away_team, home_score, away_score FROM games ORDER BY game_id LIMIT 8"
        )
        n_events = s.query("SELECT game_id, count(*) AS n FROM events GROUP BY 1").set_index("game_id")["n"]
    for g in games.itertuples():
        states, msgs = _states(model_store, int(g.game_id))
        assert len(states) == int(n_events[g.game_id])
        for m in states:
            check_state(m)  # the same validation a Redis message gets
        # each state comes straight after an event of the same game
        for i, m in enumerate(msgs):
            if isinstance(m, GameState):
                assert isinstance(msgs[i - 1], Event)
        home = [m.state["home_score"] for m in states]
        away = [m.state["away_score"] for m in states]
        assert home == sorted(home) and away == sorted(away), "scores never go down"
        last = states[-1].state
        assert (last["game_state"], last["home_score"], last["away_score"]) == (
            "FINAL",
            int(g.home_score),
            int(g.away_score),
        )
        assert isinstance(msgs[-1], GameEnd)
        assert {m.state["home_team"] for m in states} == {g.home_team}
        for m in states:
            mm, ss = m.state["clock"].split(":")
            assert 0 <= int(mm) <= 20 and 0 <= int(ss) < 60


def test_the_clock_counts_down_and_a_period_end_is_an_intermission():
    game = {"home_team": "AAA", "away_team": "BBB", "game_type": "R"}
    at = scoreboard_after(game, {"period": 2, "type": "SHOT"}, {"period_seconds": 61.4, "home_score": 1})
    assert (at["clock"], at["period"], at["period_type"], at["running"]) == ("18:59", 2, "REG", True)
    assert at["away_score"] is None and at["home_score"] == 1
    end = scoreboard_after(game, {"period": 1, "type": "PERIOD_END"}, {"period_seconds": 1200})
    assert (end["clock"], end["in_intermission"], end["running"]) == ("00:00", True, False)
    ot = scoreboard_after(game, {"period": 4, "type": "SHOT"}, {"period_seconds": 60})
    assert (ot["clock"], ot["period_type"]) == ("04:00", "OT")  # regular-season overtime is five minutes
    playoff = scoreboard_after({**game, "game_type": "P"}, {"period": 4, "type": "SHOT"}, {"period_seconds": 60})
    assert playoff["clock"] == "19:00"
    final = scoreboard_after(game, {"period": 3, "type": "GAME_END"}, {"period_seconds": 1200})
    assert final["game_state"] == "FINAL"
    for m in (at, end, ot, playoff, final):
        check_state(GameState(1, m))
