import duckdb
import pytest

from oa.schema import ValidationError
from oa.sim.game import simulate_game
from oa.sim.league import build_league
from oa.sim.schedule import season_schedule
from oa.store import Store, StoreError


@pytest.fixture(scope="module")
def two_games():
    lg = build_league(3)
    specs = season_schedule(lg.team_codes, 2, seed=3)
    return lg, [simulate_game(lg, s, seed=i) for i, s in enumerate(specs)]


def _store(tmp_path, lg, games):
    st = Store(tmp_path / "t.duckdb")
    st.upsert({"teams": lg.teams, "players": lg.players, "sim_skills": lg.skills})
    for g in games:
        st.ingest_game(g)
    return st


def test_ingest_twice_gives_same_counts(tmp_path, two_games):
    lg, games = two_games
    st = _store(tmp_path, lg, games)
    first = st.counts()
    for g in games:
        st.ingest_game(g)
    assert st.counts() == first
    assert first["shots"] == sum(len(g.tables["shots"]) for g in games)
    assert first["frames"] == sum(len(g.tables["frames"]) for g in games)
    st.close()


def test_bad_game_is_rejected_and_store_unchanged(tmp_path, two_games):
    lg, games = two_games
    st = _store(tmp_path, lg, games[:1])
    before = st.counts()
    snapshot = st.query("SELECT * FROM shots ORDER BY shot_id")
    bad = games[0]
    broken = type(bad)(bad.game_id, {k: v.copy() for k, v in bad.tables.items()})
    broken.tables["frames"].loc[broken.tables["frames"].index[10], "x"] = 250.0
    with pytest.raises(ValidationError) as e:
        st.ingest_game(broken)
    assert f"game {bad.game_id}" in str(e.value) and "table frames" in str(e.value) and "column x" in str(e.value)
    assert st.counts() == before
    assert st.query("SELECT * FROM shots ORDER BY shot_id").equals(snapshot)
    st.close()


def _changed(bundle):
    """A copy of the game with one shot moved a foot: a different copy, so storing it replaces the stored one."""
    copy = type(bundle)(bundle.game_id, {k: v.copy() for k, v in bundle.tables.items()})
    copy.tables["shots"].loc[copy.tables["shots"].index[0], "y"] += 1.0
    return copy


def test_failure_inside_transaction_rolls_back(tmp_path, two_games, monkeypatch):
    """A database error half-way through a game's insert leaves the old copy in place, and says what it was."""
    lg, games = two_games
    st = _store(tmp_path, lg, games[:1])
    before = st.counts()
    real_insert = Store.insert

    def failing(self, table, df):
        if table.name == "frames":
            raise duckdb.IOException("disk full (simulated)")
        return real_insert(self, table, df)

    monkeypatch.setattr(Store, "insert", failing)
    with pytest.raises(StoreError, match=r"storing game \d+ failed.*disk full \(simulated\)"):
        st.ingest_game(_changed(games[0]))
    monkeypatch.undo()
    assert st.counts() == before
    st.close()


def test_read_only_open_of_missing_store_says_what_to_do(tmp_path):
    with pytest.raises(StoreError, match="python -m oa demo"):
        Store(tmp_path / "nope.duckdb", read_only=True)


def test_queries_are_parameterised(tmp_path, two_games):
    lg, games = two_games
    st = _store(tmp_path, lg, games[:1])
    evil = "x' OR 1=1 --"
    assert len(st.query("SELECT * FROM shots WHERE team = ?", [evil])) == 0
    st.close()


def test_real_database_error_is_named_not_masked(tmp_path, two_games):
    """A row the validator passes but the column cannot hold (event_idx past INTEGER) fails inside the
    transaction, after the old copy was deleted: DuckDB's own error comes out, and the old copy stays."""
    lg, games = two_games
    st = _store(tmp_path, lg, games[:1])
    before = st.counts()
    snapshot = st.query("SELECT * FROM events ORDER BY ALL")
    bad = _changed(games[0])
    last = bad.tables["events"].index[-1]
    bad.tables["events"].loc[last, "event_idx"] = 3_000_000_000
    with pytest.raises(StoreError) as e:
        st.ingest_game(bad)
    msg = str(e.value)
    assert f"storing game {bad.game_id} failed and was rolled back" in msg and "Conversion Error" in msg, msg
    assert "aborted" not in msg
    assert st.counts() == before
    assert st.query("SELECT * FROM events ORDER BY ALL").equals(snapshot)
    st.close()


def test_a_replaced_game_takes_its_shots_model_rows_with_it(tmp_path, two_games):
    """Scores, explanations, factor values and out-of-fold probabilities are of the shots as they were: a new
    copy of the game removes them (every per-shot table, one game only), one game at a time or many at once."""
    from oa import schema

    lg, games = two_games
    st = _store(tmp_path, lg, games)
    keep, redo = games[0].game_id, games[1].game_id
    for gid in (keep, redo):
        st.con.execute("INSERT INTO shot_oof SELECT shot_id, 'm', 0.1 FROM shots WHERE game_id = ?", [gid])
        st.con.execute(
            "INSERT INTO shot_scores SELECT shot_id, 'm', 0.1, 'low', 0.0 FROM shots WHERE game_id = ?", [gid]
        )
    assert {t.name for t in schema.PER_SHOT_TABLES} >= {"shot_oof", "shot_scores", "shot_factors", "shot_features"}
    st.ingest_game(_changed(games[1]))
    for t in ("shot_oof", "shot_scores"):
        by_game = dict(st.con.execute(f"SELECT shot_id // 10000, count(*) FROM {t} GROUP BY 1").fetchall())
        assert redo not in by_game and by_game[keep] == len(games[0].tables["shots"]), t
    st.close()
