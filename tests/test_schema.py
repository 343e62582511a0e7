import pandas as pd
import pytest

from oa import schema
from oa.schema import GameBundle, ValidationError


def _shots(n=3, game=1):
    return pd.DataFrame(
        dict(
            shot_id=[game * 10000 + i for i in range(n)],
            game_id=game,
            event_idx=list(range(n)),
            period=1,
            period_seconds=10.0,
            game_seconds=10.0,
            team="AAA",
            opponent="BBB",
            is_home=True,
            shooter_id=1,
            goalie_id=2,
            x=60.0,
            y=0.0,
            flipped=False,
            shot_type="WRIST",
            strength="5v5",
            skaters_for=5,
            skaters_against=5,
            empty_net=False,
            score_for=0,
            score_against=0,
            outcome="SAVE",
            is_goal=False,
            release_frame=None,
        )
    )


def test_ddl_has_every_column_and_key():
    ddl = schema.SHOTS.ddl()
    for c in schema.SHOTS.column_names:
        assert c in ddl
    assert "PRIMARY KEY (shot_id)" in ddl


def test_validator_names_table_column_and_row():
    df = _shots()
    df.loc[1, "x"] = 130.0
    with pytest.raises(ValidationError) as e:
        schema.validate_table(schema.SHOTS, df, game=1)
    msg = str(e.value)
    assert "game 1" in msg and "table shots" in msg and "column x" in msg and "row 1" in msg


@pytest.mark.parametrize(
    "col,value,words",
    [
        ("shot_type", "SLAPSHOT", "unknown value"),
        ("team", None, "missing values"),
        ("period", "two", "non-numeric"),
    ],
)
def test_validator_rejects_bad_values(col, value, words):
    df = _shots().astype({col: object})
    df.loc[2, col] = value
    with pytest.raises(ValidationError, match=words) as e:
        schema.validate_table(schema.SHOTS, df, game=1)
    assert e.value.column == col


def test_missing_and_extra_columns():
    with pytest.raises(ValidationError, match="column is missing"):
        schema.validate_table(schema.SHOTS, _shots().drop(columns=["y"]), game=1)
    with pytest.raises(ValidationError, match="not in the canonical schema"):
        schema.validate_table(schema.SHOTS, _shots().assign(speed=1.0), game=1)


def test_duplicate_key_and_foreign_rows():
    df = pd.concat([_shots(), _shots().iloc[:1]])
    with pytest.raises(ValidationError, match="duplicate key"):
        schema.validate_table(schema.SHOTS, df, game=1)
    with pytest.raises(ValidationError, match="belongs to game"):
        schema.validate_table(schema.SHOTS, _shots(game=2), game=1)


def test_bundle_checks_shot_ids_and_events():
    games = pd.DataFrame(
        [
            dict(
                game_id=1,
                source="demo",
                season="2025-26",
                game_type="R",
                date="2025-10-07",
                home_team="AAA",
                away_team="BBB",
                home_score=0,
                away_score=0,
                periods=3,
                shootout=False,
                has_tracking=False,
                fps=None,
            )
        ]
    )
    shots = _shots()
    shots.loc[0, "shot_id"] = 5
    with pytest.raises(ValidationError, match="game_id \\* 10000"):
        schema.validate_bundle(GameBundle(1, {"games": games, "shots": shots}))
    with pytest.raises(ValidationError, match="table games: table is missing"):
        schema.validate_bundle(GameBundle(1, {"shots": _shots()}))
