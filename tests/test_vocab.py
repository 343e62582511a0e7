"""The vocabulary: every code has words, one rule per derived code, defined once, light to import."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from oa import vocab
from oa.vocab import SHOT_TYPES

ROOT = Path(__file__).resolve().parents[1]


def test_every_schema_shot_type_has_words_and_a_wraparound_is_one():
    for code in SHOT_TYPES:
        word = vocab.shot_type_word(code)
        assert word != code and word[0].isupper(), code
    assert vocab.shot_type_word("WRAP") == "Wraparound"
    assert vocab.shot_type_word(None) == vocab.shot_type_word(float("nan")) == "Unknown type"


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_", min_size=1, max_size=12))
def test_a_code_outside_the_schema_is_never_shown_raw(code):
    """A new source's code ('WRAP_AROUND') reads as words, not as a shouted code."""
    word = vocab.shot_type_word(code)
    assert word and "_" not in word
    if sum(c.isalpha() for c in code) >= 2:
        assert word != word.upper(), (code, word)


@given(st.integers(min_value=0, max_value=10**7), st.sampled_from(["shot", "goal", "game", "other factor"]))
def test_plural_reads_as_english(n, word):
    text = vocab.plural(n, word)
    assert text.startswith(f"{n:,} ")
    assert text.endswith(word if n == 1 else word + "s")


def test_plural_irregular_and_decimal():
    assert vocab.plural(1, "body", "bodies") == "1 body"
    assert vocab.plural(3, "body", "bodies") == "3 bodies"
    assert vocab.plural(1.0, "goal", digits=1) == "1.0 goal"
    assert vocab.plural(1.04, "goal", digits=1) == "1.0 goal"
    assert vocab.plural(0.5, "goal", digits=1) == "0.5 goals"


def test_tier_colours_are_tiers_only_and_good_bad_differs_from_them():
    assert set(vocab.TIER_COLORS) == set(vocab.TIERS) == set(vocab.TIER_WORDS)
    tier = {c.lower() for c in vocab.TIER_COLORS.values()}
    gb = vocab.GOOD_BAD
    assert not tier & {gb.good.lower(), gb.bad.lower(), vocab.NEUTRAL_COLOR.lower()}
    assert vocab.tier_color("nonsense") == vocab.UNRATED_COLOR


@given(st.floats(allow_nan=True, allow_infinity=False))
def test_good_bad_colour_of_a_signed_number(v):
    c = vocab.GOOD_BAD.color(v)
    if v != v or v == 0:
        assert c is None
    else:
        assert c == (vocab.GOOD_BAD.good if v > 0 else vocab.GOOD_BAD.bad)


def test_the_caption_names_the_colours_the_scale_draws():
    gb = vocab.GoodBad(good="#00ff00", good_name="lime", bad="#ff00ff", bad_name="magenta")
    assert gb.colorscale()[-1][1] == "#00ff00" and gb.colorscale()[0][1] == "#ff00ff"
    assert gb.caption("up", "down") == "Lime: up; magenta: down."


# -- strength: one rule from the skaters on the ice and the empty nets ---------------------------------

SITUATIONS = [  # (skaters for, against, defending net empty) -> code
    (5, 5, False, "5v5"),
    (5, 4, False, "PP"),
    (5, 3, False, "PP"),
    (4, 5, False, "SH"),
    (3, 5, False, "SH"),
    (4, 4, False, "4v4"),
    (3, 3, False, "3v3"),
    (6, 5, False, "EA"),  # own goalie pulled: a sixth skater
    (6, 4, False, "EA"),
    (5, 5, True, "vsEA"),  # the other team's goalie pulled
    (4, 6, True, "vsEA"),
    (6, 6, True, "vsEA"),  # both pulled: the empty net in front of the shooter decides
    (5, 5, None, "5v5"),  # empty net unknown: read as a goalie in net
    (None, 5, False, None),  # a count unknown: no strength
    (5, None, True, None),
]


@pytest.mark.parametrize(("sf", "sa", "en", "code"), SITUATIONS)
def test_strength_of_a_table_of_situations(sf, sa, en, code):
    assert vocab.strength_code(sf, sa, en) == code


@given(
    st.integers(3, 5),
    st.integers(3, 5),
    st.booleans(),
    st.booleans(),
)
def test_every_situation_has_exactly_one_strength_with_words(base_for, base_against, pulled_for, pulled_against):
    """Skaters on the ice as a source records them: a pulled goalie is one more skater.

    The rule sees the shooting team's pulled goalie only as a sixth skater: a team a man
    short that pulls its goalie (5 on 5) reads as 5-on-5, as it always has.
    """
    sf, sa = base_for + pulled_for, base_against + pulled_against
    code = vocab.strength_code(sf, sa, pulled_against)
    assert code in vocab.STRENGTHS and vocab.STRENGTH_WORDS[code]
    assert [c for c in vocab.STRENGTHS if c == code] == [code]
    if pulled_against:
        assert code == "vsEA"
    elif sf >= 6:
        assert code == "EA"
    elif sf == sa:
        assert code == {5: "5v5", 4: "4v4", 3: "3v3"}[sf]
    else:
        assert code == ("PP" if sf > sa else "SH")


@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.integers(0, 6)),
            st.one_of(st.none(), st.integers(0, 6)),
            st.sampled_from([None, 0, 1]),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_the_vectorised_rule_is_the_one_shot_rule_shot_by_shot(rows):
    """The factor reads arrays; one shot at a time gives the same codes, each None or a code with words."""
    sf = np.array([np.nan if r[0] is None else r[0] for r in rows], dtype=float)
    sa = np.array([np.nan if r[1] is None else r[1] for r in rows], dtype=float)
    en = np.array([np.nan if r[2] is None else r[2] for r in rows], dtype=float)
    codes = vocab.strength_codes(sf, sa, en)
    for (f, a, e), code in zip(rows, codes):
        assert code == vocab.strength_code(f, a, None if e is None else bool(e))
        assert (code is None) == (f is None or a is None)
        assert code is None or code in vocab.STRENGTH_WORDS


def test_the_stored_label_reads_back_and_unknown_counts_have_none():
    assert vocab.skaters_label(5, 4) == "5v4" and vocab.skaters_of("5v4") == (5, 4)
    assert vocab.skaters_label(6.0, 5.0) == "6v5"
    assert vocab.skaters_label(float("nan"), 5) is None and vocab.skaters_label(5, None) is None


def test_sidebar_strength_groups_agree_with_the_rule():
    """Each sidebar choice, run as SQL over every situation, picks only shots the rule gives a matching code."""
    import duckdb

    rows = [(f, a, e) for f in range(3, 7) for a in range(3, 7) for e in (False, True)]
    con = duckdb.connect()
    con.execute("CREATE TABLE s (strength VARCHAR, skaters_for INT, skaters_against INT, empty_net BOOLEAN)")
    con.executemany("INSERT INTO s VALUES (?, ?, ?, ?)", [(vocab.skaters_label(f, a), f, a, e) for f, a, e in rows])
    allowed = {
        "5v5": {"5v5"},
        "Power play": {"PP", "EA"},
        "Shorthanded": {"SH", "vsEA"},
        "4v4 / 3v3": {"4v4", "3v3", "vsEA"},
    }
    assert set(vocab.STRENGTH_FILTERS) == set(allowed)
    for label, sql in vocab.STRENGTH_FILTERS.items():
        picked = con.execute(f"SELECT skaters_for, skaters_against, empty_net FROM s WHERE {sql}").fetchall()
        assert picked, label
        assert {vocab.strength_code(f, a, e) for f, a, e in picked} <= allowed[label], label
    assert set(vocab.REPORTED_STRENGTHS) <= set(vocab.STRENGTHS)


# -- the other rules ------------------------------------------------------------------------------------


@given(st.sampled_from(["L", "R", None, ""]), st.floats(-42.5, 42.5))
def test_off_wing_is_the_forehand_side_and_unknown_without_a_hand(hand, y):
    v = vocab.off_wing(np.array([hand], dtype=object), np.array([y]))[0]
    if hand not in ("L", "R"):
        assert np.isnan(v)
    else:
        assert v == float((hand == "L" and y < 0) or (hand == "R" and y > 0))


@given(st.floats(-30, 30))
def test_sigmoid_serves_a_number_and_an_array_alike(z):
    p = vocab.sigmoid(z)
    assert isinstance(p, float) and 0 <= p <= 1
    arr = vocab.sigmoid(np.array([z, -z]))
    assert isinstance(arr, np.ndarray) and arr[0] == p
    assert abs(arr[0] + arr[1] - 1) < 1e-12


def test_event_and_outcome_codes_map_both_ways():
    assert set(vocab.OUTCOME_OF_EVENT) == set(vocab.ATTEMPTS) <= set(vocab.EVENT_TYPES)
    assert set(vocab.OUTCOME_OF_EVENT.values()) == set(vocab.OUTCOMES) == set(vocab.OUTCOME_WORDS)
    assert all(vocab.OUTCOME_OF_EVENT[vocab.EVENT_OF_OUTCOME[o]] == o for o in vocab.OUTCOMES)
    assert set(vocab.UNBLOCKED) < set(vocab.ATTEMPTS)
    assert set(vocab.SHOT_TYPE_PHRASES) == set(vocab.SHOT_TYPES) == set(vocab.SHOT_TYPE_WORDS)


def test_the_schema_takes_its_codes_from_the_vocabulary():
    from oa import schema

    choices = {(t.name, c.name): c.choices for t in schema.ALL_TABLES for c in t.columns if c.choices}
    assert choices[("shots", "shot_type")] is vocab.SHOT_TYPES
    assert choices[("shots", "outcome")] is vocab.OUTCOMES
    assert choices[("events", "type")] is vocab.EVENT_TYPES
    assert choices[("games", "game_type")] is vocab.GAME_TYPES
    assert choices[("players", "shoots")] is vocab.HANDS
    assert choices[("players", "position")] is vocab.POSITIONS
    assert choices[("shot_scores", "tier")] is vocab.TIERS


def test_importing_the_vocabulary_stays_light():
    """Any layer (the schema, a plot, the simulator) may import it: no pandas, plotly, duckdb or oa module."""
    code = "import sys, oa.vocab; print(sorted(m for m in sys.modules if m.split('.')[0] in ('pandas', 'plotly', 'duckdb', 'streamlit') or (m.startswith('oa.') and m != 'oa.vocab')))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"


# -- one definition: no other module writes these lists or rules -------------------------------------------

ONLY_IN_VOCAB = (
    "STRENGTHS",
    "STRENGTH_WORDS",
    "TIERS",
    "OUTCOMES",
    "ATTEMPTS",
    "SHOT_TYPES",
    "EVENT_TYPES",
    "POSITIONS",
    "GAME_TYPES",
    "HANDS",
)
ONLY_DEFINED_IN_VOCAB = ("sigmoid", "off_wing", "strength_code", "strength_codes", "skaters_label")


def _python_files() -> list[Path]:
    return sorted([*(ROOT / "oa").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"])


def test_the_vocabulary_is_defined_once():
    """Codes and rules are assigned or defined only in oa/vocab.py (the factor `off_wing` merely calls the rule)."""
    found = []
    for path in _python_files():
        if path == ROOT / "oa" / "vocab.py":
            continue
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, ast.AnnAssign):
                targets = [node.target]
            for t in targets:
                for n in ast.walk(t):
                    if isinstance(n, ast.Name) and n.id in ONLY_IN_VOCAB:
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno} assigns {n.id}")
            if isinstance(node, ast.FunctionDef) and node.name in ONLY_DEFINED_IN_VOCAB:
                body = [s for s in node.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
                calls_vocab = len(body) == 1 and isinstance(body[0], ast.Return)
                if not (path.name == "pbp.py" and node.name == "off_wing" and calls_vocab):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} defines {node.name}")
    assert not found, found


def test_no_module_writes_the_attempt_codes_as_a_literal():
    """('SHOT', 'MISS', 'GOAL', 'BLOCK') spelled out again is a second definition of ATTEMPTS."""
    literal = re.compile(r"""\(\s*["']SHOT["'],\s*["']MISS["'],\s*["']GOAL["']""")
    hits = [
        f"{p.relative_to(ROOT)}:{i}"
        for p in _python_files()
        if p != ROOT / "oa" / "vocab.py"
        for i, line in enumerate(p.read_text().splitlines(), 1)
        if literal.search(line)
    ]
    assert not hits, hits
