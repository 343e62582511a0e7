"""oa.app.text on generated input: escaped text renders as itself, dates may be missing, ids are bounded."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from oa.app.text import MAX_SHOT_ID, day, esc, shot_id_param

# CommonMark with raw HTML on, as Streamlit's `unsafe_allow_html=True` renders it
JOINER = "\u2060"  # esc puts one inside a bare URL
MD = MarkdownIt("commonmark", {"html": True})
# printable text with plenty of markup characters; no line breaks (esc folds them into spaces)
CHARS = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(list("<>&\"'`*_[](){}#+-.!|~:$\\/=;"))
PIECES = st.sampled_from(
    [
        "<img src=x onerror=alert(1)>",
        "![a](http://e/x.png)",
        "&lt;",
        "&#60;",
        "**b**",
        "$x$",
        ":material/home:",
        "<script>",
        "[l](javascript:alert(1))",
        "http://e.x",
        "www.e.x",
        "a@b.co",
        "    ",
        "1. ",
        "2) ",
        "> ",
        "---",
        "===",
        "* ",
        "+ ",
        "<!-- ",
        "\t",
        "\n",
        "# h",
        "1. ",
        "- ",
    ]
)
TEXT = st.lists(CHARS | PIECES, max_size=20).map("".join)


def same(text: str) -> str:
    """Text as a reader sees it: esc's word joiners dropped, any run of white space read as one space."""
    return " ".join(text.replace(JOINER, "").split())


def _inline(tokens: list) -> list:
    return [c for t in tokens if t.type == "inline" for c in (t.children or [])]


@settings(max_examples=400, deadline=None)
@given(TEXT, st.booleans())
def test_escaped_text_renders_as_exactly_that_text(s, line_start):
    """In a Markdown paragraph with HTML allowed, mid-line or starting it, esc(s) is one plain-text run equal to s."""
    source = f"{esc(s)} x" if line_start else f"x {esc(s)} x"
    tokens = MD.parse(source)
    kinds = {c.type for c in _inline(tokens)}
    assert kinds <= {"text", "softbreak"}, (s, kinds)  # no html_inline, image, link, emphasis, code
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"], s
    text = "".join(c.content for c in _inline(tokens))
    assert same(text) == same(f"{s} x" if line_start else f"x {s} x"), (s, text)


@given(TEXT, st.sampled_from(["http://", "HTTPS://", "ftp://", "www.", "WWW."]), TEXT)
def test_bare_urls_are_not_left_for_markdown_to_link(a, scheme, b):
    """Streamlit's Markdown links a bare http://... or www.... in text; the escaped text never holds one."""
    out = esc(f"{a}{scheme}example.invalid/x.png{b}")
    assert "://" not in out and not re.search(r"(?i)www\\?\.", out), out


@given(TEXT)
def test_escaped_text_has_no_tag(s):
    assert "<" not in esc(s) and ">" not in esc(s)


def test_missing_values_read_as_a_dash():
    for v in (None, float("nan"), pd.NaT, np.nan):
        assert esc(v) == "–"


@given(
    st.one_of(
        st.none(),
        st.just(pd.NaT),
        st.just(np.datetime64("NaT")),
        st.floats(allow_nan=True),
        st.text(max_size=20),
        st.integers(),
        st.booleans(),
    )
)
@example("0001")  # year 1: strftime wrote '1-01-01' (found by this test)
@example("1 1")
def test_day_never_raises(v):
    out = day(v)
    assert out == "date unknown" or (len(out) == 10 and out[4] == out[7] == "-")


@given(
    st.datetimes(
        min_value=pd.Timestamp("1900-01-01").to_pydatetime(), max_value=pd.Timestamp("2200-01-01").to_pydatetime()
    )
)
def test_day_formats_real_dates(d):
    assert day(d) == d.strftime("%Y-%m-%d")
    assert day(pd.Timestamp(d)) == d.strftime("%Y-%m-%d")


@given(st.integers(min_value=1, max_value=MAX_SHOT_ID))
def test_shot_ids_a_browser_can_hold_round_trip(n):
    assert shot_id_param(str(n)) == n
    assert shot_id_param(f" {n} ") == n


@given(st.one_of(st.integers(max_value=0), st.integers(min_value=MAX_SHOT_ID + 1)))
def test_ids_out_of_range_are_refused(n):
    assert shot_id_param(str(n)) is None


@given(st.text(max_size=30))
def test_any_text_is_an_id_in_range_or_refused(s):
    out = shot_id_param(s)
    assert out is None or (isinstance(out, int) and 0 < out <= MAX_SHOT_ID)


def test_hostile_ids_from_the_issue_are_refused():
    for raw in (str(2**53 + 1), str(-(2**63)), "1e400", "abc", "<script>", "", "1.0", "0x10", "NaN", None):
        assert shot_id_param(raw) is None, raw
