"""A corpus of broken variants of the synthetic fixtures (`fixtures/make_fixtures.py`).

Each `Variant` writes its broken file(s) into a folder and says what the ingest must do:

- `fail`:   the file (or a game) is not stored: exit 1, one line naming the file (and the row
            and field where there is one), the store unchanged;
- `refuse`: rows that cannot be right are rejected by row, so a stored game would shrink:
            exit 1, the rejection named by file, row and field, the shrink reported, the store unchanged;
- `same`:   duplicates dropped, a byte-order mark, gzip...: exit 0, anything dropped is counted,
            the store unchanged (the same games again);
- `clamp`:  a position a little outside the rink: exit 0, counted, clamped to the boards;
- `partial`: a tracking file that cannot be read: exit 0, counted by file, the games stored.
"""

from __future__ import annotations

import copy
import csv
import gzip
import io
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass(frozen=True)
class Variant:
    name: str
    source: str
    make: Callable[[Path], list[Path]]
    expect: str  # fail, refuse, same, clamp, partial
    says: str = ""  # a phrase the output must contain
    where: tuple[str, ...] = ("row", "field")  # what the message must name besides the file

    @property
    def id(self) -> str:
        return f"{self.source}-{self.name}"


# -- CSV sources ------------------------------------------------------------------------
@dataclass(frozen=True)
class CsvFormat:
    source: str
    file: str
    kind: str  # column holding the event type
    shot: str  # its value on a shot on goal
    game: str | None  # game id column
    period: str
    time: str
    time_beyond: str  # a time that cannot be in its period
    x: str
    y: str
    y_near: str  # a little outside the rink
    x_near: str
    player: str | None  # a player id column
    date: str | None
    home: str  # a column naming a team of the game
    event_id: str | None  # the source's own event id
    name: str  # a text column (for bad bytes)
    skaters: str | None = None


CSV_FORMATS = (
    CsvFormat(
        "hockey_scraper",
        "hockey_scraper/pbp.csv",
        "Event",
        "SHOT",
        "Game_Id",
        "Period",
        "Seconds_Elapsed",
        "1500",
        "xC",
        "yC",
        "43.0",
        "101.5",
        "p1_ID",
        "Date",
        "Home_Team",
        "row_in_game",
        "p1_name",
        "Strength",
    ),
    CsvFormat(
        "moneypuck",
        "moneypuck/shots.csv",
        "event",
        "SHOT",
        "game_id",
        "period",
        "time",
        "9000",
        "xCordAdjusted",
        "yCordAdjusted",
        "43",
        "101",
        "shooterPlayerId",
        None,
        "team",
        "shotID",
        "shooterName",
    ),
    CsvFormat(
        "hockeyr",
        "hockeyr/pbp.csv",
        "event_type",
        "SHOT",
        "game_id",
        "period",
        "period_seconds",
        "1300",
        "x",
        "y",
        "-43.0",
        "-102",
        "event_player_1_id",
        "game_date",
        "home_abbreviation",
        "event_idx",
        "event_player_1_name",
        "home_skaters",
    ),
    CsvFormat(
        "bigdatacup",
        "bigdatacup/pxp.csv",
        "event",
        "Shot",
        None,
        "period",
        "clock_seconds",
        "1300",
        "x_coord",
        "y_coord",
        "86.0",
        "202",
        None,
        "game_date",
        "team_name",
        None,
        "player_name",
    ),
)


def _rows(f: CsvFormat) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO((FIXTURES / f.file).read_text())))
    return rows[0], rows[1:]


def _beside(f: CsvFormat, dst: Path) -> None:
    """Big Data Cup reads its tracking folder from beside the play-by-play: copy it there."""
    if f.source == "bigdatacup" and not (dst / "tracking").exists():
        shutil.copytree(BDC / "tracking", dst / "tracking")


def _write(dst: Path, f: CsvFormat, header: list[str], rows: list[list[str]], name: str | None = None) -> Path:
    _beside(f, dst)
    out = dst / (name or Path(f.file).name)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([header, *rows])
    out.write_text(buf.getvalue())
    return out


def _shot(f: CsvFormat, header: list[str], rows: list[list[str]], k: int = 0) -> int:
    """Index of the k-th shot on goal."""
    return [i for i, r in enumerate(rows) if r[header.index(f.kind)] == f.shot][k]


def _set(f: CsvFormat, col: str | None, value: str, k: int = 0) -> Callable[[Path], list[Path]]:
    """One shot's `col` set to `value`."""

    def make(dst: Path) -> list[Path]:
        header, rows = _rows(f)
        i = _shot(f, header, rows, k)
        rows[i][header.index(col)] = value
        return [_write(dst, f, header, rows)]

    return make


def _text(f: CsvFormat, change: Callable[[str], str | bytes], name: str | None = None) -> Callable[[Path], list[Path]]:
    def make(dst: Path) -> list[Path]:
        _beside(f, dst)
        out = dst / (name or Path(f.file).name)
        v = change((FIXTURES / f.file).read_text())
        out.write_bytes(v if isinstance(v, bytes) else v.encode())
        return [out]

    return make


def _edit(f: CsvFormat, change: Callable[[list[str], list[list[str]]], tuple[list[str], list[list[str]]]]):
    def make(dst: Path) -> list[Path]:
        header, rows = change(*_rows(f))
        return [_write(dst, f, header, rows)]

    return make


def _dup_row(f: CsvFormat):
    def change(h, rows):
        i = _shot(f, h, rows)
        return h, rows[: i + 1] + [list(rows[i])] + rows[i + 1 :]

    return change


def _dup_id(f: CsvFormat):
    """The same event id listed again with other values (a re-sent play)."""

    def change(h, rows):
        i = _shot(f, h, rows)
        again = list(rows[i])
        again[h.index(f.x)] = "12"
        return h, rows + [again]

    return change


def _blank_team_everywhere(f: CsvFormat):
    def change(h, rows):
        first = rows[0][h.index(f.game)] if f.game else rows[0][h.index(f.date)]
        key = h.index(f.game) if f.game else h.index(f.date)
        for r in rows:
            if r[key] == first:
                r[h.index(f.home)] = ""
        return h, rows

    return change


def _on_ice_twice(f: CsvFormat):
    def change(h, rows):
        i = _shot(f, h, rows)
        rows[i][h.index("homePlayer2_id")] = rows[i][h.index("homePlayer1_id")]
        return h, rows

    return change


def _on_ice_seventh(f: CsvFormat):
    def change(h, rows):
        i = _shot(f, h, rows)
        rows = [r + [""] for r in rows]
        rows[i][-1] = "8400001"
        return h + ["homePlayer7_id"], rows

    return change


def _cut_mid_row(text: str) -> str:
    body = text.rstrip("\n")
    last = body.rfind("\n")
    return body[: last + 1 + (len(body) - last) // 2]


def _cut_lines(text: str) -> str:
    lines = text.splitlines(keepends=True)
    return "".join(lines[: int(len(lines) * 0.6)])


def _bad_byte(f: CsvFormat):
    def change(text: str) -> bytes:
        header, rows = _rows(f)
        i = _shot(f, header, rows)
        rows[i][header.index(f.name)] = "@@NAME@@"
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows([header, *rows])
        return buf.getvalue().encode().replace(b"@@NAME@@", b"Br\xe9e")

    return change


def _gzip(f: CsvFormat, cut: bool):
    def make(dst: Path) -> list[Path]:
        _beside(f, dst)
        data = gzip.compress((FIXTURES / f.file).read_bytes())
        out = dst / (Path(f.file).name + ".gz")
        out.write_bytes(data[: len(data) // 2] if cut else data)
        return [out]

    return make


def _extra_field(f: CsvFormat):
    def change(h, rows):
        i = _shot(f, h, rows)
        rows[i] = rows[i] + ["surplus"]
        return h, rows

    return change


def csv_variants(f: CsvFormat) -> list[Variant]:
    V = lambda name, make, expect, says="", where=("row", "field"): Variant(name, f.source, make, expect, says, where)  # noqa: E731
    out = [
        V("truncated-mid-row", _text(f, _cut_mid_row), "refuse", "row cut off"),
        V("truncated-at-a-line", _text(f, _cut_lines), "refuse", "would shrink", ()),
        V("duplicate-row", _edit(f, _dup_row(f)), "same", "duplicate"),
        V("period-word", _set(f, f.period, "second"), "refuse", f"bad {f.period}"),
        V("period-12", _set(f, f.period, "12"), "refuse", f"bad {f.period}"),
        V("period-0", _set(f, f.period, "0"), "refuse", f"bad {f.period}"),
        V("period-blank", _set(f, f.period, ""), "refuse", f"bad {f.period}"),
        V("period-bool", _set(f, f.period, "True"), "refuse", f"bad {f.period}"),
        V("time-negative", _set(f, f.time, "-5"), "refuse", f"bad {f.time}"),
        V("time-beyond-period", _set(f, f.time, f.time_beyond), "refuse", f"bad {f.time}"),
        V("time-nan", _set(f, f.time, "NaN"), "refuse", f"bad {f.time}"),
        V("y-slightly-outside", _set(f, f.y, f.y_near), "clamp", "(clamped)"),
        V("x-slightly-outside", _set(f, f.x, f.x_near), "clamp", "(clamped)"),
        V("y-far-outside", _set(f, f.y, "500"), "refuse", f"bad {f.y}"),
        V("x-huge", _set(f, f.x, "-1e30"), "refuse", f"bad {f.x}"),
        V("x-infinite", _set(f, f.x, "inf"), "refuse", f"bad {f.x}"),
        V("x-nested-json", _set(f, f.x, '{"value": 40}'), "refuse", f"bad {f.x}"),
        V("x-word", _set(f, f.x, "far"), "refuse", f"bad {f.x}"),
        V("team-blank-one-row", _set(f, f.home, ""), "refuse", f"bad {f.home}"),
        V(
            "missing-key-column",
            _edit(f, lambda h, rows: ([c if c != f.period else "Periode" for c in h], rows)),
            "fail",
            f"column {f.period} is missing",
        ),
        V("semicolon-delimited", _text(f, lambda t: t.replace(",", ";")), "fail", "is missing"),
        V("byte-order-mark", _text(f, lambda t: "\ufeff" + t), "same"),
        V("crlf-line-ends", _text(f, lambda t: t.replace("\n", "\r\n")), "same"),
        V("gzip", _gzip(f, cut=False), "same"),
        V("gzip-truncated", _gzip(f, cut=True), "fail", "gzip data is truncated", ()),
        V("not-utf8", _text(f, _bad_byte(f)), "fail", "is not UTF-8"),
        V("empty-file", _text(f, lambda t: ""), "fail", "is empty", ()),
        V("header-only", _text(f, lambda t: t.splitlines(keepends=True)[0]), "fail", "no data rows", ("row",)),
        V("too-many-fields", _edit(f, _extra_field(f)), "refuse", "too many fields"),
        V("header-repeated-inside", _edit(f, lambda h, rows: (h, rows[:3] + [list(h)] + rows[3:])), "same", "bad"),
        V("blank-row-of-commas", _edit(f, lambda h, rows: (h, rows[:3] + [[""] * len(h)] + rows[3:])), "same", "bad"),
        V("extra-unknown-column", _edit(f, lambda h, rows: (h + ["notes"], [r + ["x"] for r in rows])), "same"),
        V("columns-reordered", _edit(f, lambda h, rows: (h[::-1], [r[::-1] for r in rows])), "same"),
    ]
    if f.game:
        out += [
            V("game-id-blank", _set(f, f.game, ""), "refuse", f"bad {f.game}"),
            V("game-id-nan", _set(f, f.game, "NaN"), "refuse", f"bad {f.game}"),
            V("game-id-1e30", _set(f, f.game, "1e30"), "refuse", f"bad {f.game}"),
            V("game-id-fraction", _set(f, f.game, "20001.5"), "refuse", f"bad {f.game}"),
        ]
    if f.source == "hockey_scraper":  # the on-ice lists: an event's lists that cannot be right are dropped
        lists = "the event's on-ice lists dropped"
        out += [
            V("on-ice-id-word", _set(f, "homePlayer2_id", "goalie"), "refuse", lists),
            V("on-ice-id-fraction", _set(f, "awayPlayer3_id", "8471679.5"), "refuse", lists),
            V("on-ice-player-twice", _edit(f, _on_ice_twice(f)), "refuse", "player listed twice on the ice"),
            V("on-ice-seven-a-side", _edit(f, _on_ice_seventh(f)), "refuse", "more than 6 players on the ice a side"),
        ]
    if f.player:
        out += [
            V("player-id-1e30", _set(f, f.player, "1e30"), "refuse", f"bad {f.player}"),
            V("player-id-negative", _set(f, f.player, "-8"), "refuse", f"bad {f.player}"),
        ]
    if f.date:
        out += [
            V("date-unparsable", _set(f, f.date, "yesterday"), "refuse", f"bad {f.date}"),
            V(
                "date-impossible",
                _set(f, f.date, "2023-13-45" if f.source != "bigdatacup" else "45/13/2023"),
                "refuse",
                f"bad {f.date}",
            ),
        ]
    if f.event_id:
        out += [V("duplicate-event-id", _edit(f, _dup_id(f)), "same", "duplicate")]
    if f.game or f.date:
        # hockey_scraper, hockeyR: the game cannot be stored; MoneyPuck, Big Data Cup (a row's team is its own):
        # the rows are rejected, counted, and nothing of the game is left to store
        expect = {"moneypuck": "same", "bigdatacup": "same"}.get(f.source, "fail")
        out += [V("team-blank-whole-game", _edit(f, _blank_team_everywhere(f)), expect, f"{f.home}")]
    if f.skaters == "Strength":
        out += [V("strength-9x9", _set(f, "Strength", "9x9"), "partial", "bad Strength (left unknown)")]
    elif f.skaters:
        out += [V("skaters-9", _set(f, f.skaters, "9"), "partial", f"bad {f.skaters} (left unknown)")]
    return out


# -- NHL api-web JSON ---------------------------------------------------------------------
API = FIXTURES / "nhl_api" / "game_1.json"


def _doc() -> dict:
    return json.loads(API.read_text())


def _api(change: Callable[[dict], object], name: str = "game_1.json") -> Callable[[Path], list[Path]]:
    def make(dst: Path) -> list[Path]:
        d = _doc()
        out = change(d)
        p = dst / name
        p.write_text(json.dumps(d if out is None else out))
        return [p]

    return make


def _api_text(change: Callable[[str], str | bytes]) -> Callable[[Path], list[Path]]:
    def make(dst: Path) -> list[Path]:
        v = change(API.read_text())
        p = dst / "game_1.json"
        p.write_bytes(v if isinstance(v, bytes) else v.encode())
        return [p]

    return make


def _api_nan(dst: Path) -> list[Path]:
    """xCoord: NaN (Python's json reads and writes it; it is not a position)."""
    d = _doc()
    _shot_play(d)["details"]["xCoord"] = "@@NAN@@"
    p = dst / "game_1.json"
    p.write_text(json.dumps(d).replace('"@@NAN@@"', "NaN"))
    return [p]


def _shot_play(d: dict, k: int = 0) -> dict:
    return [p for p in d["plays"] if p["typeDescKey"] == "shot-on-goal"][k]


def _detail(key: str, value: object) -> Callable[[dict], None]:
    def change(d: dict) -> None:
        _shot_play(d)["details"][key] = value

    return change


def _play(key: str, value: object) -> Callable[[dict], None]:
    def change(d: dict) -> None:
        _shot_play(d)[key] = value

    return change


def _top(key: str, value: object) -> Callable[[dict], None]:
    def change(d: dict) -> None:
        d[key] = value

    return change


def _team(key: str, value: object) -> Callable[[dict], None]:
    def change(d: dict) -> None:
        d["homeTeam"][key] = value

    return change


def _replace_play(value: object) -> Callable[[dict], None]:
    def change(d: dict) -> None:
        i = d["plays"].index(_shot_play(d))
        d["plays"][i] = value

    return change


def _dup_play(changed: bool) -> Callable[[dict], None]:
    def change(d: dict) -> None:
        p = copy.deepcopy(_shot_play(d))
        if changed:
            p["details"]["xCoord"] = 12
        d["plays"].append(p)

    return change


def api_variants() -> list[Variant]:
    V = lambda name, make, expect, says="", where=("row", "field"): Variant(name, "nhl_api", make, expect, says, where)  # noqa: E731
    F = ("field",)
    return [
        V("plays-object", _api(_top("plays", {"0": {}})), "fail", "plays is a JSON object", F),
        V("plays-null", _api(_top("plays", None)), "fail", "plays is a JSON null", F),
        V("plays-string", _api(_top("plays", "none")), "fail", "plays is a JSON string", F),
        V("plays-missing", _api(lambda d: d.pop("plays") and None), "fail", "neither an api-web", F),
        V("play-is-a-list", _api(_replace_play([1, 2])), "refuse", "the play itself", ("play", "field")),
        V("play-is-null", _api(_replace_play(None)), "refuse", "the play itself", ("play", "field")),
        V("details-list", _api(_play("details", [1])), "refuse", "bad details", ("play", "field")),
        V(
            "period-descriptor-string",
            _api(_play("periodDescriptor", "1st")),
            "refuse",
            "bad periodDescriptor",
            ("play", "field"),
        ),
        V(
            "period-word",
            _api(lambda d: _shot_play(d)["periodDescriptor"].update(number="one")),
            "refuse",
            "bad periodDescriptor.number",
            ("play", "field"),
        ),
        V(
            "period-12",
            _api(lambda d: _shot_play(d)["periodDescriptor"].update(number=12)),
            "refuse",
            "bad periodDescriptor.number",
            ("play", "field"),
        ),
        V("time-99-99", _api(_play("timeInPeriod", "99:99")), "refuse", "bad timeInPeriod", ("play", "field")),
        V("time-nested", _api(_play("timeInPeriod", {"m": 1})), "refuse", "bad timeInPeriod", ("play", "field")),
        V("type-list", _api(_play("typeDescKey", ["shot-on-goal"])), "refuse", "bad typeDescKey", ("play", "field")),
        V(
            "situation-9-skaters",
            _api(_play("situationCode", "1991")),
            "refuse",
            "bad situationCode",
            ("play", "field"),
        ),
        V("situation-letters", _api(_play("situationCode", "abcd")), "refuse", "bad situationCode", ("play", "field")),
        V("x-nested", _api(_detail("xCoord", {"ft": 50})), "refuse", "bad details.xCoord", ("play", "field")),
        V("x-string", _api(_detail("xCoord", "fifty")), "refuse", "bad details.xCoord", ("play", "field")),
        V("x-1e30", _api(_detail("xCoord", 1e30)), "refuse", "bad details.xCoord", ("play", "field")),
        V("x-bool", _api(_detail("xCoord", True)), "refuse", "bad details.xCoord", ("play", "field")),
        V("x-nan", _api_nan, "refuse", "bad details.xCoord", ("play", "field")),
        V("y-slightly-outside", _api(_detail("yCoord", 43)), "clamp", "(clamped)", ("play", "field")),
        V("y-far-outside", _api(_detail("yCoord", 500)), "refuse", "bad details.yCoord", ("play", "field")),
        V(
            "shooter-1e30",
            _api(_detail("shootingPlayerId", 1e30)),
            "refuse",
            "bad details.shootingPlayerId",
            ("play", "field"),
        ),
        V(
            "shooter-nested",
            _api(_detail("shootingPlayerId", {"id": 1})),
            "refuse",
            "bad details.shootingPlayerId",
            ("play", "field"),
        ),
        V(
            "owner-unknown-team",
            _api(_detail("eventOwnerTeamId", 999)),
            "refuse",
            "bad details.eventOwnerTeamId",
            ("play", "field"),
        ),
        V("zone-nested", _api(_detail("zoneCode", ["O"])), "refuse", "bad details.zoneCode", ("play", "field")),
        V("duplicate-play", _api(_dup_play(changed=False)), "same", "duplicate play", ("play", "field")),
        V("duplicate-event-id", _api(_dup_play(changed=True)), "same", "duplicate play", ("play", "field")),
        V("home-abbrev-blank", _api(_team("abbrev", "")), "fail", "no abbreviation", F),
        V("home-abbrev-null", _api(_team("abbrev", None)), "fail", "no abbreviation", F),
        V("home-abbrev-nested", _api(_team("abbrev", {"default": "TOR"})), "fail", "no abbreviation", F),
        V("home-team-list", _api(_top("homeTeam", ["TOR"])), "fail", "homeTeam is a JSON array", F),
        V("game-id-1e30", _api(_top("id", 1e30)), "fail", "game id", F),
        V("game-id-string", _api(_top("id", "2023020001")), "fail", "game id", F),
        V("date-unparsable", _api(_top("gameDate", "the tenth")), "fail", "game date", F),
        V("date-nested", _api(_top("gameDate", {"d": "2023-10-10"})), "fail", "game date", F),
        V("season-nested", _api(_top("season", {"s": 2023})), "fail", "season", F),
        V("roster-object", _api(_top("rosterSpots", {"a": 1})), "same", "bad rosterSpots", F),
        V(
            "roster-player-id-1e30",
            _api(lambda d: d["rosterSpots"][0].update(playerId=1e30)),
            "same",
            "bad rosterSpots.playerId",
            ("roster", "field"),
        ),
        V("top-level-array", _api(lambda d: [d]), "fail", "top level is a JSON array", ()),
        V("top-level-null", _api_text(lambda t: "null"), "fail", "top level is a JSON null", ()),
        V("envelope", _api(lambda d: {"metadata": {"x": 1}, "data": d}), "same"),
        V("envelope-data-list", _api(lambda d: {"metadata": {}, "data": [d]}), "fail", "top level", ()),
        V("truncated", _api_text(lambda t: t[: len(t) // 2]), "fail", "not valid JSON", ("row",)),
        V("empty-file", _api_text(lambda t: ""), "fail", "is empty", ()),
        V("byte-order-mark", _api_text(lambda t: "\ufeff" + t), "same"),
        V(
            "not-utf8",
            _api_text(lambda t: t.encode().replace(b'"Tor"', b'"T\xf6r"', 1)),
            "fail",
            "is not UTF-8",
            ("row",),
        ),
        V("nested-too-deep", _api_text(lambda t: "[" * 100_000 + "]" * 100_000), "fail", "JSON", ()),
        V("gzip", lambda dst: [_gz(dst / "game_1.json.gz", API.read_bytes())], "same"),
    ]


def _gz(p: Path, data: bytes) -> Path:
    p.write_bytes(gzip.compress(data))
    return p


# -- NHL EDGE bios ----------------------------------------------------------------------
EDGE = FIXTURES / "nhl_edge" / "bios.json"


def _edge(change: Callable[[list], object]) -> Callable[[Path], list[Path]]:
    def make(dst: Path) -> list[Path]:
        d = json.loads(EDGE.read_text())
        out = change(d)
        p = dst / "bios.json"
        p.write_text(json.dumps(d if out is None else out))
        return [p]

    return make


def edge_variants() -> list[Variant]:
    def V(name, make, expect, says="", where=("item", "field")):  # noqa: N802 - reads like the Variant it builds
        return Variant(name, "nhl_edge", make, expect, says, where)

    return [
        V(
            "no-id-key",
            _edge(lambda d: [{k: v for k, v in p.items() if k != "id"} for p in d]),
            "fail",
            "no player has an id",
        ),
        V("top-level-object", _edge(lambda d: {"players": d}), "fail", "expected a JSON array", ()),
        V("id-1e30", _edge(lambda d: d[0].update(id=1e30)), "same", "player without an id"),
        V("id-string", _edge(lambda d: d[0].update(id="8001001")), "same", "player without an id"),
        V("item-not-object", _edge(lambda d: d.insert(2, "player")), "same", "player without an id"),
        V("height-nested", _edge(lambda d: d[0].update(heightInInches={"in": 72})), "same", "bad heightInInches"),
        V("height-word", _edge(lambda d: d[0].update(heightInInches="tall")), "same", "bad heightInInches"),
        V("position-list", _edge(lambda d: d[0].update(positionCode=["C"])), "same", "bad positionCode"),
        V("name-nested", _edge(lambda d: d[0].update(firstName={"default": "A"})), "same", "bad firstName"),
        V("duplicate-id", _edge(lambda d: d.append(dict(d[0]))), "same", "duplicate player"),
        V(
            "truncated",
            lambda dst: [_write_bytes(dst / "bios.json", EDGE.read_bytes()[:300])],
            "fail",
            "not valid JSON",
            ("row",),
        ),
        V("empty-file", lambda dst: [_write_bytes(dst / "bios.json", b"")], "fail", "is empty", ()),
    ]


def _write_bytes(p: Path, data: bytes) -> Path:
    p.write_bytes(data)
    return p


# -- Big Data Cup tracking --------------------------------------------------------------
BDC = FIXTURES / "bigdatacup"


def _bdc(change: Callable[[Path], None]) -> Callable[[Path], list[Path]]:
    """A copy of the play-by-play with its tracking folder, changed."""

    def make(dst: Path) -> list[Path]:
        root = dst / "bdc"
        shutil.copytree(BDC, root)
        change(root / "tracking")
        return [root / "pxp.csv"]

    return make


def _game_folder(t: Path) -> Path:
    return sorted(p for p in t.iterdir() if p.is_dir())[0]


def _empty_folder(t: Path) -> None:
    for f in _game_folder(t).iterdir():
        f.unlink()


def _roster(t: Path) -> Path:
    return next(_game_folder(t).glob("* roster.csv"))


def _clip(t: Path) -> Path:
    return next(_game_folder(t).glob("* PP1.csv"))


def _edit_csv(p: Path, change: Callable[[list[list[str]]], list[list[str]]]) -> None:
    rows = list(csv.reader(io.StringIO(p.read_text())))
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(change(rows))
    p.write_text(buf.getvalue())


def _cell(p: Path, col: str, value: str, row: int = 1) -> None:
    def change(rows):
        rows[row][rows[0].index(col)] = value
        return rows

    _edit_csv(p, change)


def tracking_variants() -> list[Variant]:
    def V(name, make, expect, says="", where=("row", "field")):  # noqa: N802 - reads like the Variant it builds
        return Variant(name, "bigdatacup", make, expect, says, where)

    return [
        V("tracking-empty-game-folder", _bdc(_empty_folder), "refuse", "frames", ()),
        V("tracking-roster-empty-file", _bdc(lambda t: _roster(t).write_text("")), "partial", "is empty", ()),
        V(
            "tracking-roster-missing-column",
            _bdc(lambda t: _edit_csv(_roster(t), lambda r: [x[1:] for x in r])),
            "partial",
            "column player is missing",
        ),
        V("tracking-roster-blank-name", _bdc(lambda t: _cell(_roster(t), "player", "")), "partial", "bad player"),
        V("tracking-roster-side-unknown", _bdc(lambda t: _cell(_roster(t), "team", "visitors")), "partial", "bad team"),
        V(
            "tracking-clip-missing-column",
            _bdc(lambda t: _edit_csv(_clip(t), lambda r: [x[:-1] for x in r])),
            "refuse",
            "column y_ft is missing",
        ),
        V("tracking-clip-x-far", _bdc(lambda t: _cell(_clip(t), "x_ft", "500")), "refuse", "bad x_ft"),
        V("tracking-clip-x-nan", _bdc(lambda t: _cell(_clip(t), "x_ft", "nan")), "refuse", "bad x_ft"),
        V("tracking-clip-x-slightly-outside", _bdc(lambda t: _cell(_clip(t), "x_ft", "202.5")), "clamp", "(clamped)"),
        V(
            "tracking-clip-truncated",
            _bdc(lambda t: _clip(t).write_text(_cut_mid_row(_clip(t).read_text()))),
            "refuse",
            "row cut off",
        ),
        V("tracking-pp-info-empty", _bdc(lambda t: (t / "pp_info.csv").write_text("")), "refuse", "is empty", ()),
        V(
            "tracking-pp-info-bad-game-name",
            _bdc(lambda t: _cell(t / "pp_info.csv", "game_name", "some game")),
            "refuse",
            "bad game_name",
        ),
        V(
            "tracking-pp-info-period-word",
            _bdc(lambda t: _cell(t / "pp_info.csv", "start_period", "first")),
            "refuse",
            "bad start_period",
        ),
        V("tracking-junk-folder", _bdc(lambda t: (t / "notes").mkdir()), "same"),
        V(
            "tracking-roster-is-a-directory",
            _bdc(lambda t: (_game_folder(t) / "x roster.csv").mkdir()),
            "partial",
            "is a directory",
            (),
        ),
    ]


# -- paths that are not regular files ---------------------------------------------------------
def _fifo(name: str) -> Callable[[Path], list[Path]]:
    def make(dst: Path) -> list[Path]:
        p = dst / name
        os.mkfifo(p)
        return [p]

    return make


def _directory(name: str) -> Callable[[Path], list[Path]]:
    def make(dst: Path) -> list[Path]:
        p = dst / name
        p.mkdir()
        return [p]

    return make


def _broken_link(name: str) -> Callable[[Path], list[Path]]:
    def make(dst: Path) -> list[Path]:
        p = dst / name
        p.symlink_to(dst / "gone" / name)
        return [p]

    return make


def path_variants() -> list[Variant]:
    names = {
        "hockey_scraper": "pbp.csv",
        "moneypuck": "shots.csv",
        "hockeyr": "pbp.csv",
        "nhl_api": "game_1.json",
        "nhl_edge": "bios.json",
        "bigdatacup": "pxp.csv",
    }
    out = []
    for source, name in names.items():
        out += [
            Variant("fifo", source, _fifo(name), "fail", "is a FIFO", ()),
            Variant("directory", source, _directory(name), "fail", "is a directory", ()),
            Variant("broken-symlink", source, _broken_link(name), "fail", "broken symbolic link", ()),
        ]
    return out


def all_variants() -> list[Variant]:
    out = [v for f in CSV_FORMATS for v in csv_variants(f)]
    return out + api_variants() + edge_variants() + tracking_variants() + path_variants()


def good_paths(source: str) -> list[Path]:
    """The valid fixture files a store is first filled from."""
    return {
        "hockey_scraper": [FIXTURES / "hockey_scraper/pbp.csv"],
        "moneypuck": [FIXTURES / "moneypuck/shots.csv"],
        "hockeyr": [FIXTURES / "hockeyr/pbp.csv"],
        "nhl_edge": [FIXTURES / "nhl_edge/bios.json"],
        "nhl_api": sorted((FIXTURES / "nhl_api").glob("*.json")),
        "bigdatacup": [FIXTURES / "bigdatacup/pxp.csv"],
    }[source]
