"""Every table in the app can be taken away: CSV and Parquet downloads that read back to the table shown."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from oa.app.filters import Filters
from oa.app.tables import csv_bytes, file_stem, parquet_bytes, shown
from tests.app.stores import HTML_IMG
from tests.app.test_pages import PAGES, app, ok, one


def table_downloads(at: AppTest) -> list[tuple[pd.DataFrame, object, object]]:
    """(table shown, its CSV button, its Parquet button) for every table on the page, in order."""
    buttons = [b for b in at.get("download_button") if "-csv_" in b.proto.id or "-parquet_" in b.proto.id]
    csv = [b for b in buttons if "-csv_" in b.proto.id]
    parquet = [b for b in buttons if "-parquet_" in b.proto.id]
    tables = list(at.dataframe)
    assert len(csv) == len(parquet) == len(tables), (len(tables), len(csv), len(parquet))
    return [(t.value, c, p) for t, c, p in zip(tables, csv, parquet)]


def same(read: pd.DataFrame, table: pd.DataFrame, how: str) -> None:
    """`read` (a downloaded file read back) holds the rows and columns of `table` (the frame shown)."""
    assert list(read.columns) == [str(c) for c in table.columns], how
    assert len(read) == len(table), how
    for col in table.columns:
        want, got = table[col], read[str(col)]
        if pd.api.types.is_datetime64_any_dtype(want):
            np.testing.assert_array_equal(pd.to_datetime(got).to_numpy("datetime64[s]"), want.to_numpy("datetime64[s]"))
        elif pd.api.types.is_bool_dtype(want):
            assert got.astype(bool).tolist() == want.tolist(), (how, col)
        elif pd.api.types.is_numeric_dtype(want):
            np.testing.assert_allclose(got.astype(float), want.astype(float), rtol=1e-12, equal_nan=True, err_msg=col)
        else:
            w = want.astype(object).where(want.notna(), None).tolist()
            g = got.astype(object).where(got.notna(), None).tolist()
            assert [None if x is None else str(x) for x in g] == [None if x is None else str(x) for x in w], (how, col)


def test_every_table_on_every_page_downloads_as_shown(model_store, monkeypatch, files) -> None:
    at = app(monkeypatch, model_store)
    seen = 0
    for page in PAGES:
        at.switch_page(page).run()
        ok(at)
        for table, csv, parquet in table_downloads(at):
            assert csv.proto.label == "CSV" and parquet.proto.label == "Parquet"
            same(pd.read_csv(io.BytesIO(files.read(csv))), table, f"{page} {csv.proto.id} csv")
            same(pd.read_parquet(io.BytesIO(files.read(parquet))), table, f"{page} {parquet.proto.id} parquet")
            assert "index" not in " ".join(map(str, table.columns)).lower()
            seen += 1
    assert seen >= 10, seen  # standings, recent games, shooters, teams, leaderboards, model tables ...


def test_the_goalie_table_and_a_filtered_one_too(model_store, monkeypatch, files) -> None:
    team = str(one(model_store, "SELECT min(team) FROM shots"))
    at = app(monkeypatch, model_store, team=team, strength="5v5")
    at.switch_page("pages/players.py").run()
    ok(at)
    at.segmented_control(key="players_role").set_value("goalie").run()
    ok(at)
    got = {c.proto.id.rsplit("-csv_", 1)[1]: (t, c, p) for t, c, p in table_downloads(at)}
    table, csv, parquet = got["goalie_table"]
    assert list(table.columns) == ["Goalie", "Team", "Shots on goal", "Goals against", "xGA", "GSAx", "Save rate"]
    same(pd.read_parquet(io.BytesIO(files.read(parquet))), table, "goalies parquet")
    assert "goalies-" in csv.proto.help and f"-{team}-5v5" in csv.proto.help


def test_file_names_say_the_table_and_the_filters_in_safe_characters() -> None:
    f = Filters(db="x", season="2025-26", team="TOR")
    assert file_stem("shooters", f) == "shooters-2025-26-TOR"
    assert file_stem("on-ice", Filters(db="x", season="2025-26", strength="power play"), "5v5") == (
        "on-ice-2025-26-power-play-5v5"
    )
    f = Filters(db="x", team=f"TOR{HTML_IMG}", tiers=("high",), empty_net="only", game=2025020001)
    stem = file_stem("shots", f)
    assert stem == "shots-TOR-img-src-x-onerror-alert-1-game-2025020001-high-empty-net-only"
    assert file_stem("../../etc/passwd") == "etc-passwd"
    assert file_stem("") == "table"
    assert len(file_stem("x" * 500)) <= 120


def test_the_files_hold_what_is_shown_and_read_back() -> None:
    df = pd.DataFrame(
        {
            "Team": ["A,B", 'say "hi"', None],
            "xG": [1.23456789, np.nan, -0.5],
            "Date": pd.to_datetime(["2025-01-01", None, "2025-03-01"]),
            "Mixed": [1, "two", None],  # Arrow cannot type this column: written as text
            "Hidden": [1, 2, 3],
        },
        index=[7, 8, 9],
    )
    out = shown(df, {"Hidden": None})
    assert list(out.columns) == ["Team", "xG", "Date", "Mixed"] and list(out.index) == [0, 1, 2]
    same(pd.read_csv(io.BytesIO(csv_bytes(out))), out, "csv")
    back = pd.read_parquet(io.BytesIO(parquet_bytes(out)))
    same(back, out, "parquet")
    assert back["Mixed"].tolist()[:2] == ["1", "two"]
    assert pd.read_parquet(io.BytesIO(parquet_bytes(out.iloc[:0]))).empty


def test_the_team_table_counts_goals_in_whole_numbers(model_store, monkeypatch) -> None:
    at = app(monkeypatch, model_store)
    at.switch_page("pages/games.py").run()
    ok(at)
    teams = next(t.value for t in at.dataframe if "xG diff" in t.value.columns)
    for col in ("GP", "GF", "GA"):
        assert pd.api.types.is_integer_dtype(teams[col]), (col, teams[col].dtype)
