"""The one canonical schema: every adapter and the simulator produce these tables.

Tables are declared once as data (`Table` of `Column`s). From the declaration we derive
the DuckDB DDL and a vectorised validator, so a bad game is rejected with a message that
names the game, the table, the column and the first offending row before anything is
written. (We chose plain dataclasses over pandera models: the checks we need are few,
must run on millions of tracking rows per game in milliseconds, and must word their
errors in our terms.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from oa.rink import PERIOD_S, RINK
from oa.vocab import EVENT_TYPES, GAME_TYPES, HANDS, OUTCOMES, POSITIONS, SHOT_TYPES, SITUATIONS, TIERS, TOI_METHODS

PUCK_ID = 0  # entity_id of the puck in `frames`


@dataclass(frozen=True)
class Column:
    """One column: DuckDB type, nullability and the value checks the validator runs."""

    name: str
    sql: str
    nullable: bool = False
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] | None = None
    doc: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    per_game: bool = True  # rows belong to one game and are replaced with it
    doc: str = ""

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def ddl(self) -> str:
        cols = [f"{c.name} {c.sql}{'' if c.nullable else ' NOT NULL'}" for c in self.columns]
        if self.primary_key:
            cols.append(f"PRIMARY KEY ({', '.join(self.primary_key)})")
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n  " + ",\n  ".join(cols) + "\n)"


def C(name: str, sql: str, **kw) -> Column:  # noqa: N802 - short constructor for the table lists
    return Column(name, sql, **kw)


X = dict(lo=-RINK.half_length, hi=RINK.half_length)
Y = dict(lo=-RINK.half_width, hi=RINK.half_width)

GAMES = Table(
    "games",
    (
        C("game_id", "BIGINT", doc="source's game id (demo league: 9YYYY02NNNN)"),
        C("source", "VARCHAR", doc="demo, nhl_api, hockey_scraper, moneypuck, hockeyr, bigdatacup"),
        C("season", "VARCHAR", doc="e.g. 2025-26"),
        C("game_type", "VARCHAR", choices=GAME_TYPES, doc="regular, playoff, other"),
        C("date", "DATE", nullable=True, doc="NULL when the source does not say (MoneyPuck extract)"),
        C("home_team", "VARCHAR"),
        C("away_team", "VARCHAR"),
        C("home_score", "INTEGER", nullable=True, lo=0),
        C("away_score", "INTEGER", nullable=True, lo=0),
        C("periods", "INTEGER", nullable=True, lo=1),
        C("shootout", "BOOLEAN", nullable=True),
        C("has_tracking", "BOOLEAN"),
        C("fps", "REAL", nullable=True, lo=1, hi=240, doc="tracking frame rate; NULL without tracking"),
    ),
    primary_key=("game_id",),
    doc="one row per game",
)

PLAYERS = Table(
    "players",
    (
        C("player_id", "BIGINT"),
        C("source", "VARCHAR"),
        C("name", "VARCHAR"),
        C("team", "VARCHAR", nullable=True),
        C("position", "VARCHAR", nullable=True, choices=POSITIONS),
        C("shoots", "VARCHAR", nullable=True, choices=HANDS),
        C("height_in", "REAL", nullable=True, lo=55, hi=90),
        C("number", "INTEGER", nullable=True, lo=0, hi=99),
    ),
    primary_key=("player_id",),
    per_game=False,
    doc="upserted by player_id",
)

TEAMS = Table(
    "teams",
    (
        C("team", "VARCHAR"),
        C("source", "VARCHAR"),
        C("name", "VARCHAR"),
        C("city", "VARCHAR", nullable=True),
        C("color", "VARCHAR", nullable=True),
    ),
    primary_key=("team",),
    per_game=False,
    doc="upserted by abbreviation",
)

EVENTS = Table(
    "events",
    (
        C("game_id", "BIGINT"),
        C("event_idx", "INTEGER", lo=0),
        C("period", "INTEGER", lo=1, hi=9),
        C("period_seconds", "REAL", lo=0, hi=int(PERIOD_S)),
        C("game_seconds", "REAL", lo=0),
        C("type", "VARCHAR", choices=EVENT_TYPES),
        C("team", "VARCHAR", nullable=True),
        C("player_id", "BIGINT", nullable=True),
        C("player2_id", "BIGINT", nullable=True, doc="pass receiver, goalie, penalised opponent..."),
        C("x", "REAL", nullable=True, **X, doc="rink coordinates as recorded (not normalised)"),
        C("y", "REAL", nullable=True, **Y),
        C("detail", "VARCHAR", nullable=True, doc="shot type, entry type (CARRIED/PASSED/DUMPED)..."),
        C("home_skaters", "INTEGER", nullable=True, lo=0, hi=6),
        C("away_skaters", "INTEGER", nullable=True, lo=0, hi=6),
        C("home_score", "INTEGER", nullable=True, lo=0),
        C("away_score", "INTEGER", nullable=True, lo=0),
    ),
    primary_key=("game_id", "event_idx"),
    doc="play-by-play in time order",
)

SHOTS = Table(
    "shots",
    (
        C("shot_id", "BIGINT", doc="game_id * 10000 + event_idx"),
        C("game_id", "BIGINT"),
        C("event_idx", "INTEGER", lo=0),
        C("period", "INTEGER", lo=1, hi=9),
        C("period_seconds", "REAL", lo=0, hi=int(PERIOD_S)),
        C("game_seconds", "REAL", lo=0),
        C("team", "VARCHAR"),
        C("opponent", "VARCHAR"),
        C("is_home", "BOOLEAN"),
        C("shooter_id", "BIGINT", nullable=True),
        C("goalie_id", "BIGINT", nullable=True, doc="NULL when the net was empty"),
        C("x", "REAL", **X, doc="normalised: shooting team attacks the net at x = +89"),
        C("y", "REAL", **Y),
        C("flipped", "BOOLEAN", doc="true if recorded coordinates were rotated 180 degrees"),
        C("shot_type", "VARCHAR", choices=SHOT_TYPES),
        C(
            "strength",
            "VARCHAR",
            nullable=True,
            doc="skaters, shooter's view: 5v5, 5v4, 6v5 ...; NULL if the source lacks it",
        ),
        C("skaters_for", "INTEGER", nullable=True, lo=0, hi=6),
        C("skaters_against", "INTEGER", nullable=True, lo=0, hi=6),
        C("empty_net", "BOOLEAN", nullable=True, doc="the defending goalie was off the ice; NULL if unknown"),
        C("score_for", "INTEGER", lo=0, doc="shooting team's goals before the shot"),
        C("score_against", "INTEGER", lo=0),
        C("outcome", "VARCHAR", choices=OUTCOMES),
        C("is_goal", "BOOLEAN"),
        C(
            "release_frame",
            "INTEGER",
            nullable=True,
            doc="first frame with the puck in flight; factors read frames up to it, never after",
        ),
    ),
    primary_key=("shot_id",),
    doc="shot attempts; blocked ones only where the source has them",
)

FRAMES = Table(
    "frames",
    (
        C("game_id", "BIGINT"),
        C("frame_idx", "INTEGER", lo=0, doc="elapsed game time in frames: t = frame_idx / games.fps"),
        C("entity_id", "BIGINT", doc=f"player_id, or {PUCK_ID} for the puck"),
        C("team", "VARCHAR", nullable=True, doc="NULL for the puck"),
        C("x", "DECIMAL(4,1)", **X, doc="feet, 0.1 ft resolution, rink coordinates as recorded"),
        C("y", "DECIMAL(4,1)", **Y),
    ),
    doc="tracking positions, long format, one clip's rows entity by entity (compresses ~10x)",
)

SIM_TRUTH = Table(
    "sim_truth",
    (
        C("shot_id", "BIGINT"),
        C("game_id", "BIGINT"),
        C("p_true", "DOUBLE", lo=0.0, hi=1.0),
    ),
    primary_key=("shot_id",),
    doc="demo league only: the simulator's hidden goal probability; never a model input",
)

SIM_SKILLS = Table(
    "sim_skills",
    (
        C("player_id", "BIGINT"),
        C("shooting", "DOUBLE", nullable=True, doc="log-odds added to every shot taken"),
        C("goaltending", "DOUBLE", nullable=True, doc="log-odds removed from every shot faced"),
    ),
    primary_key=("player_id",),
    per_game=False,
    doc="demo league only: hidden skills",
)

PUBLIC_XG = Table(
    "public_xg",
    (
        C("shot_id", "BIGINT"),
        C("game_id", "BIGINT"),
        C("model", "VARCHAR", choices=("moneypuck", "hockeyr"), doc="whose public expected-goals model"),
        C(
            "xg",
            "DOUBLE",
            lo=0.0,
            hi=1.0,
            doc="the public model's own probability, for comparison only; never a feature",
        ),
    ),
    primary_key=("shot_id", "model"),
    doc="public models' xG on the same shots (MoneyPuck xGoal, hockeyR xg)",
)

# From NHL shift charts (`oa nhl sync`): who was on the ice, per game, replaced with the game.
SHIFTS = Table(
    "shifts",
    (
        C("game_id", "BIGINT"),
        C("player_id", "BIGINT"),
        C("team", "VARCHAR"),
        C("period", "INTEGER", lo=1, hi=9),
        C("start_s", "REAL", lo=0, hi=int(PERIOD_S), doc="seconds into the period the shift began"),
        C("end_s", "REAL", lo=0, hi=int(PERIOD_S), doc="seconds into the period it ended"),
    ),
    doc="one row per shift of a player (goalies included), from the NHL's shift charts",
)

SHOT_ON_ICE = Table(
    "shot_on_ice",
    (
        C("shot_id", "BIGINT"),
        C("game_id", "BIGINT"),
        C("player_id", "BIGINT"),
        C("team", "VARCHAR"),
        C("goalie", "BOOLEAN"),
        C("shooting", "BOOLEAN", doc="on the shooting team's side"),
    ),
    primary_key=("shot_id", "player_id"),
    doc="the players on the ice at each attempt (from shifts: on from the shift's start, exclusive, to its end)",
)

PLAYER_TOI = Table(
    "player_toi",
    (
        C("game_id", "BIGINT"),
        C("player_id", "BIGINT"),
        C("team", "VARCHAR"),
        C("seconds", "REAL", lo=0, doc="time on ice in the game, seconds"),
        C("shifts", "INTEGER", lo=0),
    ),
    primary_key=("game_id", "player_id"),
    doc="time on ice per player per game, summed from the shifts",
)

TOI = Table(
    "toi",
    (
        C("game_id", "BIGINT"),
        C("player_id", "BIGINT"),
        C("team", "VARCHAR"),
        C("situation", "VARCHAR", choices=SITUATIONS, doc="all, or 5v5 (five skaters a side, both goalies in)"),
        C("seconds", "REAL", lo=0, doc="time on ice in this game and situation"),
        C(
            "method",
            "VARCHAR",
            choices=TOI_METHODS,
            doc="shifts (shift charts, the simulator) or estimated (from the players on the ice at each event)",
        ),
    ),
    primary_key=("game_id", "player_id", "situation"),
    doc="time on ice per player, game and situation: the denominator of every per-60 rate (goalies included)",
)

SYNC_STATUSES = ("stored", "done", "failed")

NHL_SYNC = Table(
    "nhl_sync",
    (
        C("game_id", "BIGINT"),
        C("season", "VARCHAR"),
        C("game_date", "DATE", nullable=True),
        C("game_state", "VARCHAR", doc="the schedule's gameState when fetched: FINAL, OFF ..."),
        C("etag", "VARCHAR", nullable=True),
        C("last_modified", "VARCHAR", nullable=True),
        C(
            "content_hash",
            "VARCHAR",
            nullable=True,
            doc="sha256 of what the play-by-play and shift charts say (not the feed's gameState or clock)",
        ),
        C("fetched_at", "TIMESTAMP"),
        C(
            "status",
            "VARCHAR",
            choices=SYNC_STATUSES,
            doc="stored (factors and scores to do), done (factored, and scored if the store has a model), failed",
        ),
        C("detail", "VARCHAR", nullable=True, doc="why it failed"),
    ),
    primary_key=("game_id",),
    per_game=False,
    doc="`oa nhl sync`: what was fetched of each game, so a re-run fetches only new or changed games",
)

# Tables the model fills (see oa/model). shot_features is wide and created from the
# factor registry when factors are computed; its fixed part is declared here.
SHOT_FEATURES_KEY = Table(
    "shot_features",
    (
        C("shot_id", "BIGINT"),
        C("game_id", "BIGINT"),
        C("feature_set", "VARCHAR", doc="tracking or pbp"),
    ),
    primary_key=("shot_id",),
    per_game=False,
)

SHOT_SCORES = Table(
    "shot_scores",
    (
        C("shot_id", "BIGINT"),
        C("model_id", "VARCHAR"),
        C("p_goal", "DOUBLE", lo=0.0, hi=1.0),
        C("tier", "VARCHAR", choices=TIERS),
        C("base_logit", "DOUBLE"),
    ),
    primary_key=("shot_id", "model_id"),
    per_game=False,
)

SHOT_FACTORS = Table(
    "shot_factors",
    (
        C("shot_id", "BIGINT"),
        C("model_id", "VARCHAR"),
        C("factor", "VARCHAR"),
        C("value_label", "VARCHAR", nullable=True),
        C("contribution", "DOUBLE", doc="log-odds, calibrated scale"),
        C("contribution_pp", "DOUBLE", doc="approximate percentage points of probability"),
    ),
    primary_key=("shot_id", "model_id", "factor"),
    per_game=False,
)

SHOT_OOF = Table(
    "shot_oof",
    (
        C("shot_id", "BIGINT"),
        C("model_id", "VARCHAR"),
        C("p_goal", "DOUBLE", lo=0.0, hi=1.0, doc="calibrated, from the fold model that did not see the shot's game"),
    ),
    primary_key=("shot_id", "model_id"),
    per_game=False,
    doc="out-of-fold goal probabilities of the shots a model was trained on (its cross-validation, grouped by "
    "game): what the model would have said without having seen them; talent estimates read these",
)

MODELS = Table(
    "models",
    (
        C("model_id", "VARCHAR"),
        C("trained_at", "TIMESTAMP"),
        C("source", "VARCHAR"),
        C("feature_set", "VARCHAR"),
        C("metrics_json", "VARCHAR"),
        C("thresholds_json", "VARCHAR"),
        C("path", "VARCHAR"),
        C("active", "BOOLEAN"),
    ),
    primary_key=("model_id",),
    per_game=False,
)

META = Table(
    "meta",
    (
        C("key", "VARCHAR"),
        C("value", "VARCHAR"),
    ),
    primary_key=("key",),
    per_game=False,
    doc="what this store holds: league name, source, seed",
)

RUN_STATUSES = ("running", "done", "failed")

RUNS = Table(
    "runs",
    (
        C("run_id", "VARCHAR"),
        C(
            "command",
            "VARCHAR",
            doc="what was run, e.g. `ingest moneypuck /data/shots_2023.csv`; a re-run has the same",
        ),
        C("started", "TIMESTAMP"),
        C("finished", "TIMESTAMP", nullable=True, doc="NULL while running, and for ever if the process was killed"),
        C("status", "VARCHAR", choices=RUN_STATUSES, doc="running (or killed), done, failed"),
        C("detail", "VARCHAR", nullable=True, doc="why it failed"),
    ),
    primary_key=("run_id",),
    per_game=False,
    doc="writes that span many transactions (ingest): marked running before the first write, so a killed "
    "one leaves its mark until the same command completes",
)

GAME_TABLES: tuple[Table, ...] = (
    GAMES,
    EVENTS,
    SHOTS,
    FRAMES,
    SIM_TRUTH,
    PUBLIC_XG,
    SHIFTS,
    SHOT_ON_ICE,
    PLAYER_TOI,
    TOI,
)
SHARED_TABLES: tuple[Table, ...] = (META, TEAMS, PLAYERS, SIM_SKILLS)
MODEL_TABLES: tuple[Table, ...] = (SHOT_FEATURES_KEY, SHOT_SCORES, SHOT_FACTORS, SHOT_OOF, MODELS)
# keyed by shot (shot_id = game_id * 10000 + n): a game's rows go when the game is replaced
PER_SHOT_TABLES: tuple[Table, ...] = (SHOT_FACTORS, SHOT_SCORES, SHOT_OOF, SHOT_FEATURES_KEY)
ALL_TABLES: tuple[Table, ...] = GAME_TABLES + SHARED_TABLES + MODEL_TABLES + (RUNS, NHL_SYNC)
BY_NAME: dict[str, Table] = {t.name: t for t in ALL_TABLES}


class ValidationError(ValueError):
    """A table of one game broke the canonical schema; the message names where."""

    def __init__(self, game: object, table: str, column: str | None, problem: str):
        self.game, self.table, self.column, self.problem = game, table, column, problem
        where = f"game {game}, table {table}" + (f", column {column}" if column else "")
        super().__init__(f"{where}: {problem}")


@dataclass
class GameBundle:
    """Everything one game contributes to the store, as canonical DataFrames."""

    game_id: int
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def rows(self) -> dict[str, int]:
        return {name: len(df) for name, df in self.tables.items()}


def _first_bad(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def validate_table(table: Table, df: pd.DataFrame, game: object = "?") -> None:
    """Raise ValidationError on the first broken rule; fast on millions of rows."""
    missing = [c for c in table.column_names if c not in df.columns]
    if missing:
        raise ValidationError(game, table.name, missing[0], "column is missing")
    extra = [c for c in df.columns if c not in table.column_names]
    if extra:
        raise ValidationError(game, table.name, extra[0], "column is not in the canonical schema")
    for col in table.columns:
        s = df[col.name]
        null = s.isna().to_numpy()
        if not col.nullable and null.any():
            i = _first_bad(null)
            raise ValidationError(game, table.name, col.name, f"{int(null.sum())} missing values (first at row {i})")
        if col.lo is not None or col.hi is not None:
            try:
                v = pd.to_numeric(s, errors="raise").to_numpy(dtype=float, na_value=np.nan)
            except (ValueError, TypeError):
                bad = pd.to_numeric(s, errors="coerce").isna().to_numpy() & ~null
                i = _first_bad(bad)
                raise ValidationError(
                    game, table.name, col.name, f"non-numeric value {s.iloc[i]!r} at row {i}"
                ) from None
            bad = np.zeros(len(v), dtype=bool)
            if col.lo is not None:
                bad |= v < col.lo
            if col.hi is not None:
                bad |= v > col.hi
            if bad.any():
                i = _first_bad(bad)
                raise ValidationError(
                    game,
                    table.name,
                    col.name,
                    f"{int(bad.sum())} values outside [{col.lo}, {col.hi}] (first at row {i}: {v[i]!r})",
                )
        if col.choices is not None:
            bad = ~s.isin(col.choices).to_numpy() & ~null
            if bad.any():
                i = _first_bad(bad)
                raise ValidationError(
                    game,
                    table.name,
                    col.name,
                    f"unknown value {s.iloc[i]!r} at row {i}; expected one of {', '.join(col.choices)}",
                )
    if table.primary_key and len(df):
        dup = df.duplicated(list(table.primary_key)).to_numpy()
        if dup.any():
            i = _first_bad(dup)
            raise ValidationError(game, table.name, ",".join(table.primary_key), f"duplicate key at row {i}")
    if table.per_game and "game_id" in df.columns and len(df):
        other = df["game_id"].to_numpy() != game
        if isinstance(game, (int, np.integer)) and other.any():
            i = _first_bad(other)
            raise ValidationError(game, table.name, "game_id", f"row {i} belongs to game {df['game_id'].iloc[i]}")


def validate_bundle(bundle: GameBundle, required: Iterable[str] = ("games", "shots")) -> None:
    """Validate every table of a game, plus the links between them."""
    g = bundle.game_id
    for name in required:
        if name not in bundle.tables:
            raise ValidationError(g, name, None, "table is missing")
    for name, df in bundle.tables.items():
        if name not in BY_NAME:
            raise ValidationError(g, name, None, "unknown table")
        validate_table(BY_NAME[name], df, g)
    games = bundle.tables["games"]
    if len(games) != 1:
        raise ValidationError(g, "games", None, f"expected exactly one row, got {len(games)}")
    shots = bundle.tables["shots"]
    expected = shots["game_id"].to_numpy() * 10000 + shots["event_idx"].to_numpy()
    bad = shots["shot_id"].to_numpy() != expected
    if bad.any():
        i = _first_bad(bad)
        raise ValidationError(g, "shots", "shot_id", f"row {i}: shot_id must be game_id * 10000 + event_idx")
    if "events" in bundle.tables and len(shots):
        known = set(bundle.tables["events"]["event_idx"].tolist())
        missing = ~shots["event_idx"].isin(known).to_numpy()
        if missing.any():
            i = _first_bad(missing)
            raise ValidationError(
                g, "shots", "event_idx", f"row {i}: event {shots['event_idx'].iloc[i]} is not in events"
            )


def empty_frame(table: Table) -> pd.DataFrame:
    """An empty DataFrame with the table's columns (for sources that lack a table)."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in table.column_names})


def ordered(table: Table, data: Mapping[str, Sequence] | pd.DataFrame) -> pd.DataFrame:
    """Build a DataFrame with exactly the table's columns in order."""
    df = data if isinstance(data, pd.DataFrame) else pd.DataFrame(data)
    return df[table.column_names]
