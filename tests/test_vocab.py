"""The vocabulary: every schema code has words, counts read as English, one good/bad colour rule."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from oa import vocab
from oa.schema import SHOT_TYPES


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
