"""Copies of a test store made awkward on purpose: games without dates, names and codes that are markup.

A MoneyPuck-only store has no game dates (and a hockeyR file with a bad date gives NaT);
ingested files can carry any text in team codes and player names. Each helper copies a
store (with its models/ folder, so the what-if panel still has its model) and edits only
the copy.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

# markup that must show as text: an HTML tag with a script hook, and a Markdown image
HTML_IMG = "<img src=x onerror=alert(1)>"
MD_IMG = "![pwn](http://example.invalid/pwn.png)"
# every (table, column) holding a team code
TEAM_CODE_COLUMNS = (
    ("teams", "team"),
    ("players", "team"),
    ("games", "home_team"),
    ("games", "away_team"),
    ("shots", "team"),
    ("shots", "opponent"),
    ("events", "team"),
    ("frames", "team"),
)


def copy_store(src: Path, dst_dir: Path) -> Path:
    """`src` and its models/ folder copied into `dst_dir`; returns the copy's path."""
    dst_dir.mkdir(parents=True, exist_ok=True)
    dst = dst_dir / src.name
    shutil.copy2(src, dst)
    if (src.parent / "models").is_dir():
        shutil.copytree(src.parent / "models", dst_dir / "models", dirs_exist_ok=True)
    return dst


def _columns(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    return {(t, c) for t, c in con.execute("SELECT table_name, column_name FROM information_schema.columns").fetchall()}


def dateless_copy(src: Path, dst_dir: Path) -> Path:
    """A copy whose games have no date (NULL), as a MoneyPuck-only store's."""
    dst = copy_store(src, dst_dir)
    with duckdb.connect(str(dst)) as con:
        con.execute("UPDATE games SET date = NULL")
    return dst


def hostile_copy(src: Path, dst_dir: Path) -> tuple[Path, str]:
    """A copy where the team of the best-rated shot has an HTML tag as its code and name, and
    every player's name carries an HTML tag or a Markdown image. Returns (path, new team code)."""
    dst = copy_store(src, dst_dir)
    with duckdb.connect(str(dst)) as con:
        have = _columns(con)
        row = (
            con.execute(
                "SELECT s.team FROM shots s JOIN shot_scores sc USING (shot_id) ORDER BY sc.p_goal DESC LIMIT 1"
            ).fetchone()
            if ("shot_scores", "p_goal") in have
            else None
        )
        old = row[0] if row else con.execute("SELECT min(team) FROM shots").fetchone()[0]
        code = f"{old}{HTML_IMG}"
        for table, col in TEAM_CODE_COLUMNS:
            if (table, col) in have:
                con.execute(f'UPDATE "{table}" SET "{col}" = ? WHERE "{col}" = ?', [code, old])
        con.execute("UPDATE teams SET name = ? || ' ' || name WHERE team = ?", [HTML_IMG, code])
        con.execute(
            "UPDATE players SET name = CASE WHEN player_id % 2 = 0 THEN ? ELSE ? END || ' ' || name", [HTML_IMG, MD_IMG]
        )
    return dst, code


REAL_SYNC = "nhl sync --season 2025-26"
REAL_MODEL = "pbp-test-model"


def real_copy(src: Path, dst: Path) -> Path:
    """A copy at `dst` made to look synced from the NHL API: its games' and meta's source, a completed
    sync and a killed ingest in `runs`, and an active model that rated every shot."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dst)
    with duckdb.connect(str(dst)) as con:
        con.execute("UPDATE games SET source = 'nhl_api'")
        con.execute("UPDATE meta SET value = 'nhl_api' WHERE key = 'source'")
        con.execute("UPDATE meta SET value = 'NHL' WHERE key = 'league'")
        con.execute(
            "INSERT INTO runs VALUES ('a', ?, TIMESTAMP '2026-01-02 03:00', TIMESTAMP '2026-01-02 03:05', 'done', NULL), "
            "('b', 'ingest hockey_scraper shots_2023.csv', TIMESTAMP '2026-01-03 04:00', NULL, 'running', NULL)",
            [REAL_SYNC],
        )
        con.execute(
            "INSERT INTO models VALUES (?, TIMESTAMP '2026-01-02 03:06', 'nhl_api', 'pbp', '{}', '{}', 'x.txt', TRUE)",
            [REAL_MODEL],
        )
        con.execute(
            "INSERT INTO shot_scores SELECT shot_id, ?, 0.1, 'medium', -2.0 FROM shots",
            [REAL_MODEL],
        )
    return dst


def foreign_duckdb(dst: Path) -> Path:
    """A DuckDB file that is not one of our stores."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(dst)) as con:
        con.execute("CREATE TABLE measurements (x INTEGER)")
    return dst


def damaged(src: Path, dst: Path) -> Path:
    """`src` cut to a third of its length, as a copy interrupted half-way."""
    data = src.read_bytes()
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_bytes(data[: len(data) // 3])
    return dst
