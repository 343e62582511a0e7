"""The shot graphic: each size and format at its pixel size, not blank, the lower third transparent, the words in it.

Rendered for real by kaleido and Debian's Chromium (one warm renderer for the module).
"""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from PIL import Image

from oa.broadcast.graphic import (
    FORMATS,
    SIZES,
    GraphicError,
    check_format,
    parse_size,
    render_shot,
    renderer,
    shot_figure,
)
from oa.broadcast.theme import load_theme
from oa.settings import DEFAULT_THEME
from tests.broadcast.cards import FACTOR_WORDS, card, untracked


@pytest.fixture(scope="module")
def theme():
    return load_theme(DEFAULT_THEME)


@pytest.fixture(scope="module", autouse=True)
def warm():
    yield renderer()
    renderer().close()


def png(data: bytes) -> Image.Image:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return Image.open(io.BytesIO(data))


@pytest.mark.parametrize("size", list(SIZES))
def test_png_has_the_size_and_is_not_blank(theme, size) -> None:
    w, h = parse_size(size)
    im = png(render_shot(card(), size, "png", theme))
    assert im.size == (w, h)
    px = np.asarray(im.convert("RGB")).reshape(-1, 3)
    colours = np.unique(px[::7], axis=0)
    assert len(colours) > 50, f"{size}: only {len(colours)} colours"
    assert px.std(axis=0).max() > 20  # not one flat colour


@pytest.mark.parametrize("size", list(SIZES))
def test_svg_has_the_view_box_and_the_words(theme, size) -> None:
    w, h = parse_size(size)
    svg = render_shot(card(), size, "svg", theme).decode()
    assert re.search(rf'<svg[^>]*viewBox="0 0 {w} {h}"', svg)
    assert re.search(rf'<svg[^>]*width="{w}" height="{h}"', svg)
    assert "Cole Jensen" in svg and "Kasper Stromberg" in svg
    for words in FACTOR_WORDS[:2]:
        assert words[:1].upper() + words[1:] in svg
    assert "HIGH DANGER" in svg and "24%" in svg
    assert "2nd period" not in svg  # only the three strongest factors


def test_lower_third_background_is_transparent(theme) -> None:
    im = png(render_shot(card(), "1920x300", "png", theme))
    assert im.mode == "RGBA"
    a = np.asarray(im)[..., 3]
    assert a[0, :].max() == 0 and a[-1, :].max() == 0 and a[:, -1].max() == 0  # top, bottom, right edges
    assert a[150, 200] == 255  # the bar is opaque
    assert (a == 0).mean() > 0.1


@pytest.mark.parametrize("size", ["1920x1080", "1080x1080"])
def test_full_and_social_are_opaque(theme, size) -> None:
    a = np.asarray(png(render_shot(card(), size, "png", theme)).convert("RGBA"))[..., 3]
    assert a.min() == 255


def test_team_colour_fills_the_header(theme) -> None:
    im = png(render_shot(card(), "1920x1080", "png", theme)).convert("RGB")
    r, g, b = im.getpixel((960, 20))
    assert f"#{r:02x}{g:02x}{b:02x}" == theme.team_color("WES")
    nhl = png(render_shot(card(team="TOR", team_name="Toronto Maple Leafs"), "1080x1080", "png", theme)).convert("RGB")
    assert "#{:02x}{:02x}{:02x}".format(*nhl.getpixel((540, 10))) == "#00205b"  # the Leafs' official blue


def test_untracked_unrated_shot_without_factors_still_draws(theme) -> None:
    svg = render_shot(untracked(), "1920x1080", "svg", theme).decode()
    assert "NOT RATED" in svg and "No factors stored for this shot" in svg and "goalie had to move" not in svg


def test_hostile_names_are_text_not_markup(theme) -> None:
    fig = shot_figure(card(shooter="<b>O'Neil</b> & <script>x</script>"), "1080x1080", theme)
    texts = [a.text for a in fig.layout.annotations]
    assert any("&lt;b&gt;O'Neil&lt;/b&gt; &amp; &lt;script&gt;" in t for t in texts)
    assert png(render_shot(card(shooter="<br>" * 50), "1920x300", "png", theme)).size == (1920, 300)


def test_bad_size_and_format_are_named() -> None:
    with pytest.raises(GraphicError, match="1920x1080"):
        parse_size("800x600")
    with pytest.raises(GraphicError, match="png, svg"):
        check_format("jpeg")
    assert FORMATS == ("png", "svg")


@pytest.mark.parametrize("size", list(SIZES))
def test_a_long_name_gets_smaller_type_instead_of_running_into_the_clock(theme, size) -> None:
    long = "Jean-Gabriel Maximilian Pageau-Vanderhoeven III"
    short = {a.text: a.font.size for a in shot_figure(card(), size, theme).layout.annotations}
    sized = {a.text: a.font.size for a in shot_figure(card(shooter=long), size, theme).layout.annotations}
    assert sized[f"<b>{long}</b>"] < short["<b>Cole Jensen</b>"]
