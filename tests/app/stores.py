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


WINDOW_S = 45  # the synthetic shifts' length: who is on the ice changes every 45 s
NO_TOI_TEAM_RANK = 1  # the team (by code order) left without time on ice: its rates say "no time on ice"


def onice_copy(src: Path, dst_dir: Path) -> tuple[Path, str]:
    """A copy with made-up on-ice data where the store has none (the demo league before its shifts):
    in each 45-second window of a period, five skaters of each team (a fixed pseudo-random pick, the
    shooter always among his side's five) and the goalies are on the ice; their shifts are the windows;
    time on ice sums the windows ('estimated' in even games, 'shifts' in odd ones), 5v5 taken as 80% of
    it. One team gets no time on ice at all. Returns (path, the team without time on ice)."""
    dst = copy_store(src, dst_dir)
    w = WINDOW_S
    with duckdb.connect(str(dst)) as con:
        for t in ("shot_on_ice", "shifts", "toi", "player_toi"):
            con.execute(f"DELETE FROM {t}")
        con.execute(
            f"""
            CREATE TEMP TABLE slot AS
            WITH sk AS (SELECT player_id, team FROM players WHERE position <> 'G'),
                 win AS (SELECT DISTINCT g.game_id, t.team, p.period, k.w
                         FROM games g, (SELECT 1 AS period UNION ALL SELECT 2 UNION ALL SELECT 3) p,
                              range(0, {1200 // w + 1}) k(w),
                              (SELECT home_team AS team, game_id FROM games UNION ALL
                               SELECT away_team, game_id FROM games) t
                         WHERE t.game_id = g.game_id)
            SELECT win.game_id, win.team, win.period, win.w, sk.player_id,
                   row_number() OVER (PARTITION BY win.game_id, win.team, win.period, win.w
                                      ORDER BY hash(win.game_id, win.period, win.w, sk.player_id)) AS r
            FROM win JOIN sk ON sk.team = win.team"""
        )
        con.execute(
            f"""
            INSERT INTO shot_on_ice
            WITH s AS (SELECT shot_id, game_id, team, opponent, shooter_id, goalie_id, period,
                              least(floor(period_seconds / {w}), {1200 // w})::BIGINT AS w FROM shots WHERE period <= 3),
                 side AS (
                     SELECT s.shot_id, s.game_id, sl.player_id, sl.team, sl.team = s.team AS shooting,
                            row_number() OVER (PARTITION BY s.shot_id, sl.team
                                               ORDER BY (sl.player_id = s.shooter_id) DESC, sl.r) AS k
                     FROM s JOIN slot sl ON sl.game_id = s.game_id AND sl.period = s.period AND sl.w = s.w
                          AND sl.team IN (s.team, s.opponent)
                          AND (sl.r <= 5 OR sl.player_id = s.shooter_id))
            SELECT shot_id, game_id, player_id, team, FALSE, shooting FROM side WHERE k <= 5
            UNION ALL
            SELECT shot_id, game_id, goalie_id, opponent, TRUE, FALSE FROM s WHERE goalie_id IS NOT NULL"""
        )
        con.execute(
            f"""INSERT INTO shifts SELECT game_id, player_id, team, period, w * {w},
                       least((w + 1) * {w}, 1200) FROM slot WHERE r <= 5 AND w * {w} < 1200"""
        )
        teams = [r[0] for r in con.execute("SELECT DISTINCT team FROM slot ORDER BY team").fetchall()]
        no_toi = teams[NO_TOI_TEAM_RANK]
        con.execute(
            """
            INSERT INTO toi
            WITH t AS (SELECT game_id, player_id, any_value(team) AS team, sum(end_s - start_s) AS sec
                       FROM shifts WHERE team <> $t GROUP BY game_id, player_id)
            SELECT game_id, player_id, team, 'all', sec, CASE WHEN game_id % 2 = 0 THEN 'estimated' ELSE 'shifts' END
            FROM t UNION ALL
            SELECT game_id, player_id, team, '5v5', 0.8 * sec,
                   CASE WHEN game_id % 2 = 0 THEN 'estimated' ELSE 'shifts' END FROM t""",
            {"t": no_toi},
        )
    return dst, no_toi


def no_skater_counts_copy(src: Path, dst_dir: Path) -> Path:
    """A copy whose events do not say how many skaters were on the ice (a source that does not record it),
    and without time on ice: five-on-five time cannot be known."""
    dst = copy_store(src, dst_dir)
    with duckdb.connect(str(dst)) as con:
        con.execute("UPDATE events SET home_skaters = NULL, away_skaters = NULL")
        con.execute("DELETE FROM toi")
    return dst
