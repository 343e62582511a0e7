"""Shift charts to shifts, players on the ice at each attempt and time on ice; team rosters to hands and heights."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from oa.onice import player_toi, skaters_at, toi_from_shifts
from oa.sources.common import IngestReport, SourceError
from oa.sources.download import retry_after
from oa.sources.nhl_roster import roster_players
from oa.sources.nhl_shifts import on_ice, read_shifts, skater_counts

GAME = 2025020001


def shift(pid: int, team: str, period: int, start: str, end: str, **kw) -> dict:
    return dict(
        gameId=GAME, playerId=pid, teamAbbrev=team, period=period, startTime=start, endTime=end, typeCode=517, **kw
    )


def chart(rows: list, total: int | None = None) -> dict:
    return {"data": rows, "total": len(rows) if total is None else total}


def test_shift_rows_become_the_shifts_table_and_bad_rows_are_counted():
    rep = IngestReport("nhl_api")
    rows = [
        shift(1, "BUF", 1, "00:00", "00:45"),
        shift(1, "BUF", 1, "00:00", "00:45"),  # the same shift twice: once
        shift(2, "MIN", 1, "00:10", "01:00"),
        {**shift(3, "MIN", 1, "00:00", "00:30"), "typeCode": 505},  # a goal row: not a shift
        shift("x", "MIN", 1, "00:00", "00:30"),
        shift(4, "MIN", 1, "00:50", "00:30"),
        shift(5, "MIN", 1, "0:3x", "00:30"),
        {**shift(6, "MIN", 1, "00:00", "00:30"), "typeCode": 999},
        shift(7, "MIN", 12, "00:00", "00:30"),
    ]
    df = read_shifts(chart(rows), GAME, "chart", rep)
    assert df[["player_id", "team", "period", "start_s", "end_s"]].values.tolist() == [
        [1, "BUF", 1, 0.0, 45.0],
        [2, "MIN", 1, 10.0, 60.0],
    ]
    assert rep.rejected == {
        "duplicate shift (counted once)": 1,
        "bad shift playerId": 1,
        "shift ends before it starts": 1,
        "bad shift startTime": 1,
        "shift row of an unknown type (skipped)": 1,
        "bad shift period": 1,
    }
    assert "row 4" in rep.examples["bad shift playerId"]


def test_half_written_or_foreign_chart_is_refused_whole():
    with pytest.raises(SourceError, match="1 of its 5 rows"):
        read_shifts(chart([shift(1, "BUF", 1, "00:00", "00:45")], total=5), GAME, "chart", IngestReport("x"))
    with pytest.raises(SourceError, match="not an NHL shift chart"):
        read_shifts({"rows": []}, GAME, "chart", IngestReport("x"))
    with pytest.raises(SourceError, match="not an NHL shift chart"):
        read_shifts([1, 2], GAME, "chart", IngestReport("x"))


def test_players_on_the_ice_at_a_shot_from_its_start_exclusive_to_its_end():
    shifts = pd.DataFrame(
        [
            (GAME, 10, "BUF", 1, 0.0, 45.0),  # off at 45: on the ice for a shot at 45
            (GAME, 11, "BUF", 1, 45.0, 90.0),  # on at 45: not yet
            (GAME, 20, "MIN", 1, 0.0, 1200.0),  # the goalie
            (GAME, 21, "MIN", 1, 30.0, 60.0),
            (GAME, 22, "MIN", 2, 0.0, 60.0),  # another period
        ],
        columns=["game_id", "player_id", "team", "period", "start_s", "end_s"],
    )
    shots = pd.DataFrame(
        {
            "shot_id": [GAME * 10000 + 1, GAME * 10000 + 2],
            "game_id": GAME,
            "period": [1, 1],
            "period_seconds": [45.0, 75.0],
            "team": ["BUF", "MIN"],
        }
    )
    on = on_ice(shots, shifts, goalie_ids={20})
    first = on[on["shot_id"] == GAME * 10000 + 1].set_index("player_id")
    assert sorted(first.index) == [10, 20, 21]
    assert first.loc[10, "shooting"] and not first.loc[20, "shooting"] and first.loc[20, "goalie"]
    sf, sa = skater_counts(shots, on)
    assert sf.tolist() == [1, 0] and sa.tolist() == [1, 1]
    toi = player_toi(shifts).set_index("player_id")
    assert toi.loc[20, "seconds"] == 1200.0 and toi.loc[10, "shifts"] == 1


def test_real_shift_chart_reads_whole(shared):
    doc = json.loads((shared / "nhl-api-web-bbrewington/game_shift_charts.json").read_text())
    rep = IngestReport("nhl_api")
    df = read_shifts(doc, 2023020204, "chart", rep)  # the saved response keeps its {metadata, data} envelope
    assert len(df) == 685  # 694 rows: 5 goals, 4 shifts listed twice
    assert rep.rejected == {"duplicate shift (counted once)": 4}
    assert set(df["team"]) == {"BUF", "MIN"}


def test_roster_gives_hands_and_heights_and_counts_what_cannot_be_right():
    rep = IngestReport("nhl_api")
    doc = {
        "forwards": [
            {"id": 8478864, "firstName": {"default": "Kirill"}, "lastName": {"default": "Kaprizov"},
             "sweaterNumber": 97, "positionCode": "L", "shootsCatches": "L", "heightInInches": 70},
            {"id": 8470001, "firstName": {"default": "A"}, "lastName": {"default": "B"},
             "positionCode": "C", "shootsCatches": "X", "heightInInches": 300},
            {"id": "nope"},
        ],
        "defensemen": "not a list",
        "goalies": [{"id": 8470594, "firstName": {"default": "M"}, "lastName": {"default": "F"},
                     "positionCode": "G", "shootsCatches": "L", "heightInInches": 74}],
    }  # fmt: skip
    df = roster_players(doc, "MIN", "roster MIN", rep).set_index("player_id")
    assert df.loc[8478864, ["name", "shoots", "height_in", "position", "number"]].tolist() == [
        "Kirill Kaprizov", "L", 70.0, "LW", 97,
    ]  # fmt: skip
    assert pd.isna(df.loc[8470001, "shoots"]) and pd.isna(df.loc[8470001, "height_in"])
    assert df.loc[8470594, "position"] == "G" and len(df) == 3
    assert rep.rejected == {
        "bad shootsCatches (left unknown)": 1,
        "bad heightInInches (left unknown)": 1,
        "roster player without an id": 1,
        "bad roster defensemen": 1,
    }
    assert roster_players([], "MIN", "r", rep).empty


def test_retry_after_in_seconds_or_as_a_date():
    assert retry_after("3") == 3.0 and retry_after(None) is None and retry_after("soon") is None
    assert retry_after("999999") == 300.0  # capped
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # a date already past: go now


def test_real_game_time_on_ice_all_and_five_on_five_from_its_shifts(shared):
    """2023020204 (MIN at BUF): toi from the shift chart agrees with player_toi, and five-on-five adds up."""
    base = shared / "nhl-api-web-bbrewington"
    shifts = read_shifts(json.loads((base / "game_shift_charts.json").read_text()), 2023020204, "c", IngestReport("x"))
    pbp = json.loads((base / "game_2023020204_play_by_play.json").read_text())["data"]
    goalies = {int(p["playerId"]) for p in pbp["rosterSpots"] if p["positionCode"] == "G"}
    toi = toi_from_shifts(shifts, goalies)
    assert set(toi["method"]) == {"shifts"} and set(toi["situation"]) == {"all", "5v5"}
    wide = toi.pivot_table(index=["player_id", "team"], columns="situation", values="seconds")
    pt = player_toi(shifts).set_index(["player_id", "team"])
    assert len(wide) == len(pt) == 38
    assert np.allclose(wide["all"].reindex(pt.index), pt["seconds"])
    assert (wide["5v5"] <= wide["all"]).all()
    five = wide["5v5"].reset_index()
    five["goalie"] = five["player_id"].isin(goalies)
    sk = five[~five["goalie"]].groupby("team")["5v5"].sum()
    gl = five[five["goalie"]].groupby("team")["5v5"].sum()  # a team's goalies' 5v5 time is the game's
    assert gl["BUF"] == gl["MIN"]
    assert np.allclose(sk, 5 * gl), (sk, gl)
    assert 40 * 60 <= gl["BUF"] <= 58 * 60  # most of a 60-minute game, less its power plays
    # the shifts' skater counts are the feed's own situationCode at every attempt (135 of 135)
    kinds = ("shot-on-goal", "missed-shot", "blocked-shot", "goal")
    plays = [p for p in pbp["plays"] if p.get("typeDescKey") in kinds]
    ev = pd.DataFrame(
        {
            "period": [p["periodDescriptor"]["number"] for p in plays],
            "period_seconds": [sum(int(x) * f for x, f in zip(p["timeInPeriod"].split(":"), (60, 1))) for p in plays],
        }
    )
    code = pd.Series([p["situationCode"] for p in plays])
    assert len(ev) == 135
    assert (skaters_at(ev, shifts, goalies, "BUF") == code.str[2].astype(int)).all()
    assert (skaters_at(ev, shifts, goalies, "MIN") == code.str[1].astype(int)).all()
