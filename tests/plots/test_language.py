"""One visual language in the charts: captions from the colour setting, shared scales, whole labels,
dot sizes that mean shots, titles that fit a phone."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oa import vocab
from oa.plots import shots as S
from oa.vocab import GOOD_BAD, TIER_COLORS

NY, NX = 18, 20


def heat_input(seed: int = 0, goals_minus_xg: float = 0.0) -> dict:
    """`queries.heat` output: a few shots in one square, `goals_minus_xg` there."""
    rng = np.random.default_rng(seed)
    me = {k: np.zeros((NY, NX)) for k in ("shots", "xg", "goals", "gax")}
    me["shots"] = rng.poisson(2.0, (NY, NX)).astype(float)
    me["xg"] = me["shots"] * 0.08
    me["gax"][9, 15] = goals_minus_xg
    me.update(games=10, n=int(me["shots"].sum()))
    league = {k: v * 3 for k, v in me.items() if k in ("shots", "xg", "goals", "gax")}
    return {"cell": 5.0, "me": me, "league": {**league, "games": 30, "n": 3 * me["n"]}}


def colour_at(fig, value: float) -> str:
    """The colour-scale stop nearest to `value` on the figure's heat map."""
    hm = fig.data[0]
    t = (value - hm.zmin) / (hm.zmax - hm.zmin)
    stops = [(float(p), c) for p, c in hm.colorscale]
    return min(stops, key=lambda s: abs(s[0] - t))[1]


@pytest.mark.parametrize(
    "kind, goals_minus_xg, good",
    [
        ("gax", +3.0, True),  # shooters scored more than their chances: good for the shooters
        ("gax", -3.0, False),
        ("ga_vs_x", -3.0, True),  # goals fewer than expected: good for the goalie
        ("ga_vs_x", +3.0, False),
    ],
)
def test_a_diverging_map_colours_good_for_its_subject_as_its_caption_says(kind, goals_minus_xg, good):
    fig = S.heat_layer(heat_input(goals_minus_xg=goals_minus_xg), kind)
    z = np.asarray(fig.data[0].z, float)
    extreme = float(z.flat[np.nanargmax(np.abs(z))])
    drawn = colour_at(fig, extreme)
    assert drawn == (GOOD_BAD.good if good else GOOD_BAD.bad)
    caption = S.heat_caption(kind)
    named = caption.split(":")[0].lower()  # the colour the caption names first ...
    assert named == GOOD_BAD.good_name  # ... is the good one, and it is the one drawn for good
    assert "good for the goalie" in caption or kind != "ga_vs_x"


def test_captions_and_colours_follow_one_setting(monkeypatch):
    swapped = vocab.GoodBad(good="#b2182b", good_name="red", bad="#2166ac", bad_name="blue")
    monkeypatch.setattr(S, "GOOD_BAD", swapped)
    fig = S.heat_layer(heat_input(goals_minus_xg=-3.0), "ga_vs_x")
    assert fig.data[0].colorscale[-1][1] == "#b2182b"
    assert S.heat_caption("ga_vs_x").startswith("Red: where he allowed fewer goals")


def test_every_kind_has_a_caption_of_its_own():
    captions = {k: S.heat_caption(k) for k in S.HEAT_KINDS}
    assert len(set(captions.values())) == len(captions)
    for kind in ("density", "xg"):
        assert GOOD_BAD.good_name not in captions[kind].lower()


def test_for_and_against_maps_share_one_scale():
    a, b = heat_input(seed=1), heat_input(seed=2)
    b["me"]["shots"] *= 4
    zmax = S.heat_zmax([a, b], "density")
    fa, fb = S.heat_layer(a, "density", zmax=zmax), S.heat_layer(b, "density", zmax=zmax)
    assert fa.data[0].zmax == fb.data[0].zmax == zmax
    assert zmax == pytest.approx(max(np.nanmax(fa.data[0].z), np.nanmax(fb.data[0].z)))


@given(st.lists(st.integers(min_value=1, max_value=20_000), min_size=1, max_size=12))
@settings(max_examples=40, deadline=None)
def test_reliability_dot_area_is_proportional_to_shots(shots):
    n = len(shots)
    bins = pd.DataFrame({"p_mean": np.linspace(0.01, 0.5, n), "goal_rate": np.linspace(0.01, 0.5, n), "shots": shots})
    m = S.reliability_figure(bins).data[1].marker
    assert m.sizemode == "area" and not m.sizemin
    size = np.asarray(m.size, float)
    assert np.allclose(size / size.max(), np.asarray(shots) / max(shots))
    # the biggest bin is DOT_PX across (Plotly's area mode: sizeref = 2 * max / px**2)
    assert np.sqrt(2 * size.max() / m.sizeref) == pytest.approx(S.DOT_PX)


def test_waterfall_keeps_every_word_of_a_factor_and_uses_good_bad_not_tier_colours():
    long = "puck moved 76° around the net in the last second before the release"
    f = pd.DataFrame(
        {
            "factor": ["a", "b"],
            "value_label": [long, "12 ft from the net"],
            "contribution": [0.4, -0.2],
            "contribution_pp": [6.1, -1.5],
        }
    )
    fig = S.waterfall(f, 0.2, -2.4, k=2)
    w = fig.data[0]
    words = [y.replace("<br>", " ") for y in w.y]
    assert f"{long} <b>+6.1 pts</b>" in words
    assert all("…" not in y for y in w.y)
    assert all(len(line) <= S.LABEL_CHARS + 16 for y in w.y for line in y.replace("<b>", "").split("<br>"))
    assert w.increasing.marker.color == GOOD_BAD.good and w.decreasing.marker.color == GOOD_BAD.bad
    assert not {w.increasing.marker.color, w.decreasing.marker.color} & set(TIER_COLORS.values())


def test_neutral_charts_do_not_borrow_tier_colours():
    bins = pd.DataFrame({"p_mean": [0.1, 0.2], "goal_rate": [0.1, 0.2], "shots": [10, 20]})
    assert S.reliability_figure(bins).data[1].marker.color not in TIER_COLORS.values()
    b = S.bar(pd.DataFrame({"k": ["a"], "v": [1]}), "k", "v", "t", "x", "y")
    assert b.data[0].marker.color not in TIER_COLORS.values()


@given(
    st.lists(
        st.sampled_from(
            [
                "Where",
                "his",
                "high-danger",
                "chances",
                "come",
                "from",
                "(per",
                "5×5",
                "ft)",
                "Goals",
                "saved",
                "above",
                "expected",
            ]
        ),
        min_size=1,
        max_size=14,
    )
)
def test_titles_fit_a_phone_and_keep_every_word(words):
    text = " ".join(words)
    t = S.title_text(text)
    plain = t.replace("<span style='font-size:12px'>", "").replace("</span>", "")
    lines = plain.split("<br>")
    assert all(len(line) <= max(S.TITLE_CHARS * 1.3, max(len(w) for w in words)) for line in lines)
    assert " ".join(plain.replace("<br>", " ").split()).replace("(", "").replace(")", "") == text.replace(
        "(", ""
    ).replace(")", "")
