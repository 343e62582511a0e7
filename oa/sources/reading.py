"""Reading source files safely, and parsing their rows into values that can be right.

Every adapter reads through here, so hostile input gets one treatment everywhere:
- a path that is not a readable regular file (a directory, a FIFO that would block
  forever, a broken link) is refused before it is opened;
- gzip is recognised by its magic bytes; a cut-off gzip stream, bytes that are not
  UTF-8 (named by row and field), an empty file are one clear `SourceError`;
- a CSV row with too many fields, or a last row cut off mid-way (a truncated file), is
  rejected and counted by row instead of being padded with blanks;
- `parse_rows` turns text columns into numbers and rejects, by row, every value that
  cannot be right (unparsable, not finite, an id beyond 2**53, outside its range), and
  clamps values only a little outside their range (scorers and trackers record
  positions a few feet past the boards), counting each with file, row and field.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import re
import stat
import warnings
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from oa.rink import RINK_FEET, CoordinateSystem
from oa.sources.common import IngestReport, SourceError

ID_MAX = 2.0**53  # larger ids are not exact as numbers and wrap in a BIGINT: they cannot be right
BOM = codecs.BOM_UTF8
CLAMP_FT = 5.0  # positions up to this far past the boards are clamped, farther ones rejected


def check_file(path: Path) -> Path:
    """The path if it is a regular file that can be opened; else a clear SourceError, before any read
    (opening a FIFO blocks until a writer comes, so that is refused by its type, not tried)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        problem = "is a broken symbolic link" if path.is_symlink() else "does not exist"
        raise SourceError(path, problem) from None
    except OSError as e:
        raise SourceError(path, f"cannot be read ({e.strerror or e})") from None
    if stat.S_ISDIR(st.st_mode):
        raise SourceError(path, "is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        kind = "a FIFO" if stat.S_ISFIFO(st.st_mode) else "not a regular file"
        raise SourceError(path, f"is {kind} (a device, pipe or socket could block the ingest forever)")
    return path


def read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped if they are gzip (by magic number, whatever the name says)."""
    check_file(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise SourceError(path, f"cannot be read ({e.strerror or e})") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (EOFError, OSError, zlib.error) as e:
            raise SourceError(path, f"gzip data is truncated or damaged ({e})") from None
    if not raw or raw.isspace():  # (not raw.strip(): that copies the whole file)
        raise SourceError(path, "is empty")
    return raw


def read_text(path: Path) -> str:
    """The file as text: UTF-8 (a byte-order mark is dropped); other bytes are named by line and column."""
    return _utf8(path, read_bytes(path))


def _utf8(path: Path, raw: bytes) -> str:
    """`raw` decoded as UTF-8 (a byte-order mark dropped); other bytes are named by line and column."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        start = raw.rfind(b"\n", 0, e.start) + 1
        header = raw[: raw.find(b"\n")].decode("utf-8-sig", "replace")
        field = _field_at(header, raw[start : e.start].decode("utf-8", "replace"))
        raise SourceError(
            path, f"is not UTF-8 text (byte 0x{raw[e.start]:02x}); save it as UTF-8", row=line, field=field
        ) from None


def _fields(line: str) -> list[str]:
    """The fields of one CSV line (split at commas when it is not valid CSV on its own)."""
    try:
        return next(csv.reader([line]), [])
    except csv.Error:
        return line.split(",")


def _field_at(header_line: str, line_prefix: str) -> str | None:
    """Which header column a position in a CSV line falls in (None for a non-CSV file)."""
    names = _fields(header_line)
    k = len(_fields(line_prefix) or [""]) - 1 if line_prefix else 0
    return names[k] if 0 <= k < len(names) and len(names) > 1 else None


def load_json(path: Path) -> object:
    """A JSON document; a clear error naming the line and column where it stops being JSON."""
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise SourceError(
            path,
            f"is not valid JSON (truncated or damaged?): {e.msg} at line {e.lineno}, column {e.colno}",
            row=e.lineno,
        ) from None
    except RecursionError:
        raise SourceError(path, "is not usable JSON: nested too deeply") from None


_SKIPPED = re.compile(r"Skipping line (\d+): expected (\d+) fields?, saw (\d+)")


def read_csv(
    path: str | Path,
    required: tuple[str, ...],
    what: str,
    na_values: tuple[str, ...] = ("",),
    report: IngestReport | None = None,
) -> pd.DataFrame:
    """A source CSV as text columns (the adapter decides every type), indexed by file line number
    (the header is line 1) so messages can name rows. Rows with too many fields and a last row cut
    off mid-way are rejected and counted; an unreadable file or a missing column is a SourceError."""
    path = Path(path)
    # the bytes go to the parser as they are: a season's 200 MB of text as one Python string, then a
    # StringIO of it (4 bytes a character), peaked at 1.9 GB; read in chunks, 0.8 GB, and faster
    raw = read_bytes(path)
    _utf8(path, raw)  # checked only (bytes that are not UTF-8 are named by row and field); not kept
    raw = raw[len(BOM) :] if raw.startswith(BOM) else raw
    raw, first = _blank_wide_first_row(raw)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            df = pd.read_csv(
                io.BytesIO(raw),
                encoding="utf-8",
                dtype=str,
                keep_default_na=False,
                na_values=list(na_values),
                low_memory=True,  # every column is text: chunks change no type, only the peak memory
                on_bad_lines="warn",
            )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as e:
        raise SourceError(path, f"cannot be read as CSV ({type(e).__name__}: {str(e).strip()})") from None
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise SourceError(
            path,
            f"is not a {what} file: column {missing[0]} is missing"
            + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
            + (" (is it separated by something other than commas?)" if len(df.columns) == 1 else ""),
            row=1,
            field=missing[0],
        )
    skipped = [(int(m[1]), int(m[2]), int(m[3])) for w in caught for m in _SKIPPED.finditer(str(w.message))]
    if first:  # the placeholder of a first row with too many fields
        df = df.iloc[1:]
        skipped.insert(0, (2, len(df.columns), first))
    lines = np.arange(2, len(df) + len(skipped) + 2)
    df.index = lines[~np.isin(lines, [s[0] for s in skipped])][: len(df)]
    if report is not None and skipped:
        line, want, saw = skipped[0]
        report.reject(
            "row with too many fields",
            len(skipped),
            f"{path}, row {line}, field {_extra_field(df.columns, want)}: {saw} fields, the header has {want}",
        )
    df = _drop_cut_last_row(path, raw, df, report)
    if len(df) == 0:
        raise SourceError(path, "has a header but no data rows", row=2)
    return df


def _blank_wide_first_row(raw: bytes) -> tuple[bytes, int]:
    """(raw, 0), or with a first data row that has more fields than the header replaced by an empty
    row (and its field count): pandas would silently read such a row's first field as an index."""
    end = raw.find(b"\n")
    if end < 0:
        return raw, 0
    nxt = raw.find(b"\n", end + 1)
    second = raw[end + 1 : nxt if nxt >= 0 else len(raw)]
    want, saw = len(_fields(raw[:end].decode("utf-8"))), len(_fields(second.decode("utf-8")))
    if saw <= want:
        return raw, 0
    return raw[:end] + b"\n" + b"," * (want - 1) + (raw[nxt:] if nxt >= 0 else b""), saw


def _extra_field(columns: pd.Index, want: int) -> str:
    return f"{columns[-1]} (and a field after it)" if want == len(columns) else str(want + 1)


def _drop_cut_last_row(path: Path, raw: bytes, df: pd.DataFrame, report: IngestReport | None) -> pd.DataFrame:
    """A file that ends mid-row (no final newline and fewer fields than the header) was cut off:
    its last row is incomplete, so it is rejected rather than stored with blanks."""
    if not len(df) or raw.endswith((b"\n", b"\r")):
        return df
    last = raw[raw.rfind(b"\n") + 1 :].decode("utf-8")
    fields = _fields(last)
    if len(fields) >= len(df.columns):
        return df
    if report is not None:
        report.reject(
            "row cut off (the file ends mid-row)",
            1,
            f"{path}, row {df.index[-1]}, field {df.columns[len(fields)]}: {len(fields)} of {len(df.columns)} fields",
        )
    return df.iloc[:-1]


@dataclass(frozen=True)
class Num:
    """How to read one numeric column: required or not, whole numbers, the range that can be right,
    how far outside it a value is clamped (and counted) instead of rejected, and whether a bad
    value rejects its row or is only left unknown (context such as skater counts: the event is real)."""

    required: bool = False
    integer: bool = False
    lo: float | None = None
    hi: float | None = None
    clamp: float = 0.0
    keep_row: bool = False  # a bad value is left unknown (and counted) instead of rejecting its row


def on_ice(system: CoordinateSystem) -> tuple[Num, Num]:
    """How to read a position's x and y in a provider's `system`: the rink's extent in it, and a
    few feet past the boards clamped (scorers and trackers record positions there)."""
    (x0, x1), (y0, y1) = system.x_range, system.y_range
    return Num(lo=x0, hi=x1, clamp=CLAMP_FT), Num(lo=y0, hi=y1, clamp=CLAMP_FT)


ID = Num(integer=True, lo=1, hi=ID_MAX)
X, Y = on_ice(RINK_FEET)  # the NHL's feet from centre ice


def parse_rows(
    df: pd.DataFrame,
    spec: dict[str, Num],
    report: IngestReport,
    file: object,
    unit: str = "row",
    fields: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the rows whose every value in `spec` can be right, those values as numbers).

    A row is rejected for its first bad value, counted under "bad <column>" with the first
    example's file, row and field (a `keep_row` column's bad value is only left unknown, and
    counted); a blank optional value is unknown (NaN), not bad. Values a
    little outside the range are clamped to it and counted under "<field> a little outside [lo, hi]
    (clamped)". `fields` names a column as the source does (messages name what the user can find).
    """
    keep = np.ones(len(df), dtype=bool)
    out: dict[str, pd.Series] = {}
    for col, s in spec.items():
        v, bad, near = _numbers(df[col], s)
        name = (fields or {}).get(col, col)
        new = bad & keep
        if new.any():
            i = int(np.flatnonzero(new)[0])
            report.reject(
                f"bad {name}" + (" (left unknown)" if s.keep_row else ""),
                int(new.sum()),
                f"{file}, {unit} {df.index[i]}, field {name}: {_show(df[col].iloc[i])}{_why(s)}",
            )
        if not s.keep_row:
            keep &= ~bad
        out[col] = v
        near &= keep
        if near.any():
            i = int(np.flatnonzero(near)[0])
            report.reject(
                f"{name} a little outside [{s.lo:g}, {s.hi:g}] (clamped)",
                int(near.sum()),
                f"{file}, {unit} {df.index[i]}, field {name}: {_show(df[col].iloc[i])}",
            )
    nums = pd.DataFrame(out, index=df.index)[keep]
    for col, s in spec.items():
        if s.integer:
            nums[col] = nums[col].round().astype("Int64")
    return df[keep], nums


def _show(v: object) -> str:
    return repr(v)[:60]


def _why(s: Num) -> str:
    if s.lo is None and s.hi is None:
        return ""
    return f" (expected {'a whole number ' if s.integer else ''}in [{s.lo:g}, {s.hi:g}])"


def _numbers(raw: pd.Series, s: Num) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """(values, clamped where near the range; bad: cannot be right; near: clamped)."""
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        v = raw.astype(float)
        blank = v.isna().to_numpy()
    elif pd.api.types.is_string_dtype(raw.dtype) and raw.dtype != object:  # text from a CSV: fast
        blank = (raw.isna() | (raw.str.strip() == "")).to_numpy(dtype=bool)
        v = pd.to_numeric(raw, errors="coerce").astype(float)
    else:  # values from JSON: a list, an object, a bool, NaN or Infinity is not a number; null is unknown
        obj = raw.astype(object)
        blank = obj.map(lambda t: t is None or (isinstance(t, str) and not t.strip())).to_numpy(dtype=bool)
        scalar = obj.map(lambda t: isinstance(t, (str, int, float, np.number)) and not isinstance(t, bool))
        v = pd.to_numeric(obj.where(scalar.to_numpy() | blank, "x").where(~blank, None), errors="coerce").astype(float)
    a = v.to_numpy(dtype=float, na_value=np.nan)
    bad = ~blank & ~np.isfinite(a)
    if s.required:
        bad |= blank
    near = np.zeros(len(a), dtype=bool)
    with np.errstate(invalid="ignore"):
        if s.integer:
            bad |= np.isfinite(a) & (np.abs(a - np.round(a)) > 1e-9)
        lo = -np.inf if s.lo is None else s.lo
        hi = np.inf if s.hi is None else s.hi
        outside = (a < lo) | (a > hi)
        far = (a < lo - s.clamp) | (a > hi + s.clamp)
        bad |= far
        near = outside & ~far
    v = v.clip(lower=s.lo, upper=s.hi).where(~bad)
    return v, bad, near


def reject(
    df: pd.DataFrame,
    bad: np.ndarray | pd.Series,
    col: str,
    report: IngestReport,
    file: object,
    unit: str = "row",
    reason: str | None = None,
    why: str = "",
) -> pd.DataFrame:
    """`df` without the rows where `bad`; they are counted under `reason` ("bad <col>") with the first
    one's file, row, field and value."""
    bad = np.asarray(bad, dtype=bool)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        report.reject(
            reason or f"bad {col}",
            int(bad.sum()),
            f"{file}, {unit} {df.index[i]}, field {col}: {df[col].iloc[i]!r}{why}",
        )
    return df[~bad]


def dedupe(
    df: pd.DataFrame, key: list[str] | None, report: IngestReport, file: object, what: str, unit: str = "row"
) -> pd.DataFrame:
    """Rows listed twice dropped (first kept) and counted: by the source's own id columns `key`,
    or by the whole row when the source has no id."""
    dup = df.duplicated(key, keep="first").to_numpy()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        by = f"the same {', '.join(key)} as an earlier row" if key else "identical to an earlier row"
        report.reject(
            f"duplicate {what}",
            int(dup.sum()),
            f"{file}, {unit} {df.index[i]}, field {key[-1] if key else '(whole row)'}"
            + (f": {df[key[-1]].iloc[i]!r}" if key else "")
            + f" ({by}; the first is kept)",
        )
    return df[~dup]


def game_teams(
    rows: pd.DataFrame, home_col: str, away_col: str, report: IngestReport, file: object, unit: str = "row"
) -> tuple[pd.DataFrame, str, str]:
    """(rows that agree on the game's teams, home, away): a row naming other teams (or none) is
    rejected; a game where no row names both teams cannot be stored (SourceError)."""
    for col in (home_col, away_col):
        named = rows[col].where(rows[col].astype(str).str.strip() != "")
        if named.isna().all():
            raise SourceError(file, "no row names the team", row=rows.index[0], field=col)
        team = named.mode().iloc[0]
        rows = reject(
            rows, (named != team).to_numpy(), col, report, file, unit, why=f" (the game's other rows say {team!r})"
        )
    return rows, str(rows[home_col].iloc[0]), str(rows[away_col].iloc[0])
