"""A corpus of broken files, made here from the good shared ones: every case gets a clear
error or a counted rejection naming file, row and field; the rest of the batch goes in;
nothing already stored is lost."""

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from oa.cli import app
from oa.sources.ingest import ingest
from oa.store import Store
from tests.sources.conftest import first_games

HS = "hockey-scraper-pbp-delara38/hockey_scraper_pbp_2017_18_partial.csv.gz"
API = "nhl-api-web-nickcyp/gamecenter_2024021015_play-by-play.json"
ENVELOPE = "nhl-api-web-bbrewington/game_2023020204_play_by_play.json"
runner = CliRunner()


@pytest.fixture()
def good_csv(shared, tmp_path):
    return first_games(shared / HS, tmp_path / "good.csv", "Game_Id", 2)


def _snapshot(db) -> dict:
    with Store(db, read_only=True) as s:
        return {
            t: s.query(f"SELECT * FROM {t} ORDER BY ALL").to_json(date_format="iso")
            for t in ("games", "events", "shots", "shot_features")
        }


def test_truncated_json_is_named_and_the_rest_of_the_batch_goes_in(shared, tmp_path):
    text = (shared / API).read_text()
    broken = tmp_path / "truncated.json"
    broken.write_text(text[: len(text) // 2])
    with Store(tmp_path / "s.duckdb") as s:
        r = ingest(s, "nhl_api", [broken, shared / ENVELOPE])
        assert s.game_ids() == [2023020204]
    assert r.games == 1 and len(r.failed) == 1
    where, err = r.failed[0]
    assert "truncated.json" in str(err) and "not valid JSON" in str(err) and "line" in str(err)


def test_json_that_is_not_play_by_play(tmp_path):
    f = tmp_path / "other.json"
    f.write_text(json.dumps({"hello": "world"}))
    with Store(tmp_path / "s.duckdb") as s:
        r = ingest(s, "nhl_api", [f])
    assert r.games == 0 and "neither an api-web play-by-play" in str(r.failed[0][1])


@pytest.mark.parametrize("change", ["drop", "rename"])
def test_csv_with_a_missing_or_renamed_column(good_csv, tmp_path, change):
    df = pd.read_csv(good_csv, dtype=str, keep_default_na=False)
    df = df.drop(columns=["xC"]) if change == "drop" else df.rename(columns={"xC": "x_coord"})
    bad = tmp_path / f"{change}.csv"
    df.to_csv(bad, index=False)
    with Store(tmp_path / "s.duckdb") as s:
        r = ingest(s, "hockey_scraper", [bad, good_csv])
        assert len(s.game_ids()) == 2, "the good file of the batch still goes in"
    assert (
        len(r.failed) == 1 and f"{change}.csv" in str(r.failed[0][1]) and "column xC is missing" in str(r.failed[0][1])
    )


def test_wrong_types_are_counted_with_row_and_field(good_csv, tmp_path):
    df = pd.read_csv(good_csv, dtype=str, keep_default_na=False)
    df.loc[5, "Period"] = "second"
    df.loc[9, "xC"] = "far"
    bad = tmp_path / "types.csv"
    df.to_csv(bad, index=False)
    with Store(tmp_path / "s.duckdb") as s:
        r = ingest(s, "hockey_scraper", [bad])
        assert len(s.game_ids()) == 2
    assert r.rejected["bad Period"] == 1 and r.rejected["bad xC"] == 1
    assert "row 7, field Period: 'second'" in r.examples["bad Period"]  # data row 5 is line 7 of the file
    assert "types.csv" in r.examples["bad xC"] and "field xC" in r.examples["bad xC"]


def test_duplicate_events_are_dropped_and_counted(good_csv, tmp_path):
    df = pd.read_csv(good_csv, dtype=str, keep_default_na=False)
    dup = tmp_path / "dup.csv"
    pd.concat([df, df.iloc[10:15]]).to_csv(dup, index=False)
    with Store(tmp_path / "a.duckdb") as s:
        r = ingest(s, "hockey_scraper", [dup])
        n_dup = s.query("SELECT count(*) n FROM events")["n"].iloc[0]
    with Store(tmp_path / "b.duckdb") as s:
        ingest(s, "hockey_scraper", [good_csv])
        n_good = s.query("SELECT count(*) n FROM events")["n"].iloc[0]
    assert r.rejected["duplicate event row"] == 5 and n_dup == n_good


def test_a_game_with_no_shots_is_rejected_and_counted(good_csv, tmp_path):
    df = pd.read_csv(good_csv, dtype=str, keep_default_na=False)
    first = df["Game_Id"].iloc[0]
    df = df[~((df["Game_Id"] == first) & df["Event"].isin(["SHOT", "MISS", "GOAL", "BLOCK"]))]
    bad = tmp_path / "noshots.csv"
    df.to_csv(bad, index=False)
    with Store(tmp_path / "s.duckdb") as s:
        r = ingest(s, "hockey_scraper", [bad])
        assert len(s.game_ids()) == 1
    assert r.rejected["game has no shots (not stored)"] == 1 and r.games == 1


def test_nothing_already_stored_is_lost(good_csv, tmp_path):
    db = tmp_path / "s.duckdb"
    with Store(db) as s:
        ingest(s, "hockey_scraper", [good_csv])
    before = _snapshot(db)
    # the same games again, but one shot of each is in period 12: that row is rejected, so each game would
    # shrink; the re-ingest is refused and the stored copies stay
    df = pd.read_csv(good_csv, dtype=str, keep_default_na=False)
    for g in df["Game_Id"].unique():
        i = df.index[(df["Game_Id"] == g) & (df["Event"] == "SHOT")][0]
        df.loc[i, "Period"] = "12"
    bad = tmp_path / "bad_period.csv"
    df.to_csv(bad, index=False)
    with Store(db) as s:
        r = ingest(s, "hockey_scraper", [bad])
    assert r.rejected["bad Period"] == 2 and "bad_period.csv, row" in r.examples["bad Period"]
    assert len(r.refused) == 2 and all("events" in what and "shots" in what for _, what in r.refused), r.refused
    assert _snapshot(db) == before


def test_cli_ingest_reports_and_rejects_bad_arguments(shared, good_csv, tmp_path):
    db = tmp_path / "cli.duckdb"
    r = runner.invoke(app, ["ingest", "hockey_scraper", str(good_csv), "--db", str(db), "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["games"] == 2 and out["shots"] > 100
    r = runner.invoke(app, ["ingest", "espn", str(good_csv), "--db", str(db)])
    assert r.exit_code == 2 and "unknown source" in r.output
    r = runner.invoke(app, ["ingest", "hockey_scraper", str(tmp_path / "nope.csv"), "--db", str(db)])
    assert r.exit_code == 2 and "no such file" in r.output


def test_player_without_a_name_is_named_by_id_and_counted(shared, tmp_path):
    small = first_games(
        shared / "moneypuck-shots-bobby-king3/moneypuck_shots_2023.csv.gz", tmp_path / "mp.csv", "game_id", 1
    )
    df = pd.read_csv(small, dtype=str, keep_default_na=False)
    pid = df.loc[0, "shooterPlayerId"]
    df.loc[df["shooterPlayerId"] == pid, "shooterName"] = ""
    bad = tmp_path / "noname.csv"
    df.to_csv(bad, index=False)
    with Store(tmp_path / "s.duckdb") as s:
        r = ingest(s, "moneypuck", [bad])
        name = s.query("SELECT name FROM players WHERE player_id = ?", [int(pid)])["name"].iloc[0]
    assert r.games == 1 and r.rejected["player without a name (named by id)"] == 1
    assert name == f"Player #{pid}"


# -- variants of the real files: the cases, checked against a filled store --------------
MP = "moneypuck-shots-bobby-king3/moneypuck_shots_2023.csv.gz"


def _cli(source: str, paths: list, db, *extra: str):
    r = runner.invoke(app, ["ingest", source, *map(str, paths), "--db", str(db), "--no-features", *extra])
    assert "Traceback" not in r.output and (r.exception is None or isinstance(r.exception, SystemExit)), r.output
    return r, " ".join(r.output.split())


def test_the_same_api_play_listed_twice_is_counted_not_doubled(shared, tmp_path):
    doc = json.loads((shared / API).read_text())
    n_plays = len(doc["plays"])
    doc["plays"] = doc["plays"] + doc["plays"]
    twice = tmp_path / "twice.json"
    twice.write_text(json.dumps(doc))
    with Store(tmp_path / "a.duckdb") as s:
        ingest(s, "nhl_api", [shared / API], features=False)
        once = s.query("SELECT count(*) n FROM shots")["n"].iloc[0]
    with Store(tmp_path / "b.duckdb") as s:
        r = ingest(s, "nhl_api", [twice], features=False)
        doubled = s.query("SELECT count(*) n FROM shots")["n"].iloc[0]
    assert once == 122 and doubled == once, (once, doubled)
    assert r.rejected["duplicate play (same eventId; first kept)"] == n_plays


def test_moneypuck_shots_just_past_the_boards_are_clamped_and_their_games_kept(shared, tmp_path):
    """y = 43 ft cost four real games of 2023-24; two of them here."""
    df = pd.read_csv(shared / MP, dtype=str, keep_default_na=False)
    small = tmp_path / "mp.csv"
    df[df["game_id"].isin(["20205", "20638"])].to_csv(small, index=False)
    db = tmp_path / "s.duckdb"
    r, out = _cli("moneypuck", [small], db)
    assert r.exit_code == 0, out
    assert "yCordAdjusted a little outside [-42.5, 42.5] (clamped)" in out and "mp.csv, row" in out
    with Store(db, read_only=True) as s:
        assert s.game_ids() == [2023020205, 2023020638]
        assert s.query("SELECT count(*) n FROM events WHERE abs(y) = 42.5")["n"].iloc[0] >= 2


@pytest.mark.parametrize(
    "change, expect, says",
    [
        ("truncate", 1, "would shrink"),
        ("home-team-blank", 1, "bad Home_Team"),
        ("player-id-1e30", 1, "bad p1_ID"),
        ("strength-9x9", 0, "bad Strength (left unknown)"),
        ("duplicate-rows", 0, "duplicate event row"),
    ],
)
def test_real_hockey_scraper_variants_leave_the_stored_games_alone(good_csv, tmp_path, change, expect, says):
    from tests.sources.test_corpus import checksums

    db = tmp_path / "s.duckdb"
    with Store(db) as s:
        ingest(s, "hockey_scraper", [good_csv], features=False)
    before = checksums(db)
    text = good_csv.read_text()
    df = pd.read_csv(good_csv, dtype=str, keep_default_na=False)
    shot = df.index[df["Event"] == "SHOT"][3]
    bad = tmp_path / "variant.csv"
    if change == "truncate":
        bad.write_text(text[: int(len(text) * 0.7)])
    else:
        if change == "home-team-blank":
            df.loc[shot, "Home_Team"] = ""
        elif change == "player-id-1e30":
            df.loc[shot, "p1_ID"] = "1e30"
        elif change == "strength-9x9":
            df.loc[shot, "Strength"] = "9x9"
        else:
            df = pd.concat([df, df.iloc[100:140]])
        df.to_csv(bad, index=False)
    r, out = _cli("hockey_scraper", [bad], db)
    assert r.exit_code == expect and says in out and "variant.csv" in out, out
    after = checksums(db)
    if change == "strength-9x9":  # the shot is kept, its strength unknown
        assert {t: n for t, (n, _) in after.items()} == {t: n for t, (n, _) in before.items()}
        with Store(db, read_only=True) as s:
            assert s.query("SELECT count(*) n FROM shots WHERE strength = '6v6'")["n"].iloc[0] == 0
    else:
        assert after == before


def test_replace_lets_a_smaller_copy_in(good_csv, tmp_path):
    db = tmp_path / "s.duckdb"
    with Store(db) as s:
        ingest(s, "hockey_scraper", [good_csv], features=False)
        n = s.query("SELECT count(*) n FROM events")["n"].iloc[0]
    text = good_csv.read_text()
    cut = tmp_path / "cut.csv"
    cut.write_text(text[: int(len(text) * 0.7)])
    r, out = _cli("hockey_scraper", [cut], db)
    assert r.exit_code == 1 and "would shrink (events" in out and "the stored copy is kept" in out, out
    r, out = _cli("hockey_scraper", [cut], db, "--replace")
    assert r.exit_code == 0, out
    with Store(db, read_only=True) as s:
        assert 0 < s.query("SELECT count(*) n FROM events")["n"].iloc[0] < n


def test_real_api_file_shapes(shared, tmp_path):
    """plays as an object, a nested value where a number is expected, an unparsable date: one line each."""
    from tests.sources.test_corpus import checksums

    db = tmp_path / "s.duckdb"
    with Store(db) as s:
        ingest(s, "nhl_api", [shared / API], features=False)
    before = checksums(db)
    base = json.loads((shared / API).read_text())
    shot = next(i for i, p in enumerate(base["plays"]) if p["typeDescKey"] == "shot-on-goal")
    cases = {
        "plays-object": (lambda d: d.update(plays={"0": d["plays"][0]}), "field plays"),
        "x-nested": (
            lambda d: d["plays"][shot]["details"].update(xCoord={"ft": 3}),
            f"play {shot}, field details.xCoord",
        ),
        "date": (lambda d: d.update(gameDate="someday"), "field gameDate"),
    }
    for name, (change, says) in cases.items():
        d = json.loads(json.dumps(base))
        change(d)
        f = tmp_path / f"{name}.json"
        f.write_text(json.dumps(d))
        r, out = _cli("nhl_api", [f], db)
        assert r.exit_code == 1 and f"{name}.json" in out and says in out, out
        assert checksums(db) == before, name
