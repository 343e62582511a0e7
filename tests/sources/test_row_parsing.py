"""Property-based tests (Hypothesis) of adapter row parsing: any text in any cell is either
read as a value that can be right, or the row is rejected and counted with file, row and field;
nothing raises, nothing wraps, nothing is clipped silently."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oa.sources import hockey_scraper, moneypuck
from oa.sources.common import IngestReport
from oa.sources.reading import ID, ID_MAX, Num, X, Y, parse_rows, read_csv
from tests.sources.corpus import FIXTURES

FAST = settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
NUMBER_TEXT = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(
        [
            "",
            " ",
            "NaN",
            "nan",
            "inf",
            "-inf",
            "1e30",
            "43.0",
            "-43",
            "500",
            "8475883.0",
            "2.5",
            "0x1A",
            "True",
            '{"a": 1}',
            "[1, 2]",
            "1,5",
            " 7 ",
            "٣",
        ]
    ),
    st.text(max_size=8),
)
# a line break inside a cell makes other rows (the CSV-level tests cover that): one cell stays one cell
CELL = NUMBER_TEXT.filter(lambda t: "\r" not in t and "\n" not in t)
SPECS = st.sampled_from(
    [
        ID,
        X,
        Y,
        Num(required=True, integer=True, lo=1, hi=9),
        Num(lo=0, hi=1200),
        Num(integer=True, lo=0, hi=6, keep_row=True),
    ]
)


@FAST
@given(cells=st.lists(NUMBER_TEXT, min_size=1, max_size=30), spec=SPECS)
def test_every_cell_is_a_value_that_can_be_right_or_a_counted_rejection(cells, spec):
    df = pd.DataFrame({"v": pd.Series(cells, dtype="str", index=np.arange(2, len(cells) + 2))})
    report = IngestReport("test")
    kept, num = parse_rows(df, {"v": spec}, report, "f.csv")
    v = num["v"].astype(float).dropna().to_numpy()
    assert len(kept) == len(num) and set(kept.index) <= set(df.index)
    assert np.isfinite(v).all()
    assert (v >= spec.lo).all() and (v <= spec.hi).all(), "kept values are inside the range (clamped at most)"
    if spec.integer:
        assert (v == np.round(v)).all()
    counted = sum(n for reason, n in report.rejected.items() if reason.startswith("bad "))
    if spec.keep_row:
        assert len(kept) == len(df)
    else:
        assert counted == len(df) - len(kept), "every rejected row is counted"
    for example in report.examples.values():
        assert example.startswith("f.csv, row ") and ", field v: " in example, example
    for i, raw in zip(df.index, cells):  # a plain in-range number is never rejected
        try:
            x = float(raw) if raw.isascii() else math.nan  # (Python reads other scripts' digits too)
        except ValueError:
            continue
        inside = math.isfinite(x) and spec.lo <= x <= spec.hi and (not spec.integer or x == round(x))
        if inside:
            assert i in kept.index, raw


@FAST
@given(x=st.floats(min_value=-200, max_value=200), y=st.floats(min_value=-100, max_value=100))
def test_positions_a_little_outside_are_clamped_far_ones_rejected(x, y):
    df = pd.DataFrame({"x": [repr(x)], "y": [repr(y)]}, dtype="str", index=[2])
    report = IngestReport("test")
    kept, num = parse_rows(df, {"x": X, "y": Y}, report, "f.csv")
    far = abs(x) > 105 or abs(y) > 47.5
    assert len(kept) == (0 if far else 1)
    if not far:
        assert num["x"].iloc[0] == max(-100, min(100, x)) and num["y"].iloc[0] == max(-42.5, min(42.5, y))
        assert sum(n for r, n in report.rejected.items() if "clamped" in r) == (abs(x) > 100) + (abs(y) > 42.5)


HS_COLUMNS = (
    "Game_Id",
    "Period",
    "Seconds_Elapsed",
    "Strength",
    "xC",
    "yC",
    "p1_ID",
    "Home_Team",
    "Ev_Team",
    "Home_Score",
    "Date",
    "row_in_game",
)


def read_with_one_cell(tmp_path_factory, col: str, row: int, value: str):
    """The hockey_scraper fixture with one cell replaced, written and read: (frame, file, report, games, players)."""
    df = pd.read_csv(FIXTURES / "hockey_scraper/pbp.csv", dtype=str, keep_default_na=False)
    df.loc[row, col] = value
    f = tmp_path_factory.mktemp("hs") / "pbp.csv"
    df.to_csv(f, index=False)
    report = IngestReport("hockey_scraper")
    bundles, players = hockey_scraper.read(f, report)
    return df, f, report, list(bundles), players


@FAST
@given(col=st.sampled_from(HS_COLUMNS), row=st.integers(0, 55), value=CELL)
def test_hockey_scraper_one_hostile_cell_never_raises_and_is_accounted_for(tmp_path_factory, col, row, value):
    """One cell of the fixture replaced by anything: the adapter never raises; every event is stored,
    or counted as rejected (with file, row and field), or its game is reported as not stored."""
    df, f, report, games, players = read_with_one_cell(tmp_path_factory, col, row, value)
    events = sum(len(b.tables["events"]) for b in games)
    rows_rejected = sum(
        n
        for r, n in report.rejected.items()
        if r.startswith(("bad ", "duplicate", "row ")) and "(left unknown)" not in r
    )
    shootout = int((pd.to_numeric(df["Period"], errors="coerce") == 5).sum())  # dropped, as in every source
    assert events + rows_rejected + shootout == len(df) or report.failed, (col, row, value, dict(report.rejected))
    for reason, example in report.examples.items():  # (derived flags name the game and event)
        if reason.startswith(("bad ", "duplicate", "row ")):
            assert str(f) in example and "field " in example, example
    assert players["player_id"].between(1, ID_MAX).all()
    for b in games:
        ev = b.tables["events"]
        assert ev["period"].between(1, 9).all() and ev["period_seconds"].between(0, 1200).all()
        assert ev["x"].dropna().abs().le(100).all() and ev["y"].dropna().abs().le(42.5).all()
        assert ev["home_skaters"].dropna().between(0, 6).all() and b.tables["games"]["home_team"].iloc[0] not in (
            "nan",
            "",
        )


MP_COLUMNS = (
    "game_id",
    "shotID",
    "shooterPlayerId",
    "period",
    "time",
    "xCordAdjusted",
    "yCordAdjusted",
    "xGoal",
    "season",
    "team",
    "event",
)


@FAST
@given(col=st.sampled_from(MP_COLUMNS), row=st.integers(0, 25), value=CELL)
def test_moneypuck_one_hostile_cell_never_raises_and_times_stay_in_their_period(tmp_path_factory, col, row, value):
    df = pd.read_csv(FIXTURES / "moneypuck/shots.csv", dtype=str, keep_default_na=False)
    df.loc[row, col] = value
    f = tmp_path_factory.mktemp("mp") / "shots.csv"
    df.to_csv(f, index=False)
    report = IngestReport("moneypuck")
    bundles, _ = moneypuck.read(f, report)
    games = list(bundles)
    events = sum(len(b.tables["events"]) for b in games)  # a shot without a position stays an event
    rejected = sum(n for r, n in report.rejected.items() if "clamped" not in r)
    assert events + rejected == len(df) and not report.failed, (col, row, value, report.as_dict())
    for b in games:
        assert b.tables["shots"]["period_seconds"].between(0, 1200).all()
        assert b.game_id > 0 and b.tables["shots"]["shooter_id"].dropna().between(1, ID_MAX).all()


@FAST
@given(text=st.text(alphabet=st.sampled_from(list('ab,"\n\r;x1 ')), max_size=80))
def test_any_small_csv_text_reads_or_fails_with_a_named_error(tmp_path_factory, text):
    from oa.sources.common import SourceError

    f = tmp_path_factory.mktemp("csv") / "any.csv"
    f.write_text(text)
    report = IngestReport("test")
    try:
        df = read_csv(f, ("a",), "test", report=report)
    except SourceError as e:
        assert str(f) in str(e)
        return
    assert "a" in df.columns and len(df) >= 1 and df.index.is_unique


HS_ON_ICE = tuple(f"{side}Player{k}_id" for side in ("home", "away") for k in range(1, 7))


@FAST
@given(col=st.sampled_from(HS_ON_ICE), row=st.integers(0, 55), value=st.one_of(CELL, st.sampled_from(["8001001"])))
def test_hockey_scraper_one_hostile_on_ice_id_never_raises_and_its_lists_are_kept_whole_or_dropped(
    tmp_path_factory, col, row, value
):
    """One on-ice id replaced by anything (a word, a fraction, a player already listed): every event is still
    stored; an event's lists are used whole or dropped and counted, never half; time on ice stays sane."""
    df, f, report, games, _ = read_with_one_cell(tmp_path_factory, col, row, value)
    assert sum(len(b.tables["events"]) for b in games) == len(df)
    dropped = sum(n for r, n in report.rejected.items() if "on-ice lists dropped" in r)
    assert dropped <= 1
    for reason, example in report.examples.items():
        if "on-ice lists dropped" in reason:
            # the file, its line (row + 2: the header is line 1) and the field (for a repeat, the second listing)
            assert str(f) in example and f"row {row + 2}, field " in example, example
            assert col in example or "twice" in reason, example
    for b in games:
        on = b.tables["shot_on_ice"]
        assert not on.duplicated(["shot_id", "player_id"]).any()
        per = on.groupby(["shot_id", "team"]).size()
        assert per.le(6).all()
        whole = per.groupby(level="shot_id").sum()
        assert whole.isin([11, 12]).all() or (dropped == 0 and whole.eq(12).all()), whole.value_counts()
        toi = b.tables["toi"].pivot_table(index="player_id", columns="situation", values="seconds")
        assert (toi["5v5"] <= toi["all"] + 1e-9).all() and toi["all"].between(0, 3 * 1200).all()
