"""Stored data and URL input made safe to show: escaped text, dates that may be missing, shot ids.

Team codes, player names and dates come from ingested files, and `?shot=` / `?a=` / `?b=`
from whoever wrote the link: pages treat both as hostile. Streamlit renders Markdown (and
HTML where a page allows it) in `st.markdown`, captions, metric labels and alerts, so a
name such as `<img src=x onerror=...>` or `![x](http://...)` would be markup; `esc()` makes it
plain text in both. Pure functions, no Streamlit, so they are tested on generated input.
"""

from __future__ import annotations

import html
import re

import pandas as pd

# JavaScript numbers are exact up to 2**53: the browser's number widgets cannot hold a bigger id
MAX_SHOT_ID = 2**53 - 1
_INT = re.compile(r"[+-]?\d{1,20}")
# GitHub-flavoured Markdown (Streamlit's) turns bare "http://..." / "www...." in text into links,
# after escapes are resolved: an invisible word joiner inside the pattern keeps them text
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)")
_WORD_JOINER = "\u2060"
# Markdown punctuation that means something anywhere in a line (with [ ] escaped, `![x](y)` and
# `[x](y)` cannot form, so ( ) ! need nothing); & < > are html.escape's
_MD_INLINE = re.compile(r"([\\`*_\[\]|~:$])")
# ... and what means something only where a line starts: a heading, list, quote or rule
_MD_LINE_START = re.compile(r"^()([#+\-=]|\d+(?=[.)]))")


def esc(value: object) -> str:
    """`value` as plain text inside Markdown or HTML: no tag, link, image, emphasis or icon survives.

    Backslash-escapes the Markdown punctuation that would act (so `st.markdown` shows `**x**`,
    `![](url)`, `$x$`, a leading `# ` literally, while "Jean-Luc (C)" stays as it is), then
    HTML-escapes `& < >` (so `unsafe_allow_html` blocks show a tag as text); a bare URL or
    e-mail address gets an invisible word joiner so it is not made a link.
    Missing values (None, NaN, NaT) read as an en dash.
    """
    if value is None or (not isinstance(value, str) and _missing(value)):
        return "–"
    text = re.sub(r"[\r\n\t\f\v]", " ", str(value)).strip(" ")  # one line, not indented: no block inside
    text = _AUTOLINK.sub(_WORD_JOINER, text)
    text = _MD_INLINE.sub(r"\\\1", text)  # Markdown first: its backslashes are not HTML
    text = _MD_LINE_START.sub(_escape_line_start, text)
    return html.escape(text, quote=False)


def _escape_line_start(m: re.Match) -> str:
    lead, mark = m.group(1), m.group(2)
    return f"{lead}{mark}\\" if mark[0].isdigit() else f"{lead}\\{mark}"  # "1\. x" / "\# x"


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists, arrays: not a single missing value
        return False


def day(value: object, missing: str = "date unknown") -> str:
    """'2025-10-04', or `missing` when the store has no usable date (MoneyPuck rows, a bad hockeyR date)."""
    if value is None or isinstance(value, bool):
        return missing
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError, OverflowError):
        return missing
    if ts is pd.NaT or pd.isna(ts):
        return missing
    return f"{ts.year:04d}-{ts.month:02d}-{ts.day:02d}"  # strftime's %Y drops a year's leading zeros (year 1: '1')


def shot_id_param(raw: object) -> int | None:
    """A shot id from a URL parameter, or None if it is not one (text, a float, out of range).

    Ids are positive integers a browser can hold exactly (<= 2**53 - 1); anything else would
    overflow the database's BIGINT or the page's number widget, so it is refused here.
    """
    if raw is None:
        return None
    text = str(raw).strip()
    if not _INT.fullmatch(text):
        return None
    n = int(text)
    return n if 0 < n <= MAX_SHOT_ID else None
