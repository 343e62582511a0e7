"""The rink drawing: right markings in the right places, aspect locked, no SVG arcs."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest

from oa.plots.rink import NO_FILL, clip_polygon, rink_figure, rink_markings
from oa.rink import RINK, Rink

NUM = r"-?\d+(?:\.\d+)?"


def points(path: str) -> np.ndarray:
    return np.array([[float(a), float(b)] for a, b in re.findall(rf"({NUM}),({NUM})", path)])


def named(fig, name: str) -> list:
    return [s for s in fig.layout.shapes if s.name == name]


@pytest.fixture(scope="module")
def full():
    return rink_figure()


@pytest.fixture(scope="module")
def half():
    return rink_figure(half=True)


def test_full_rink_has_every_marking(full):
    counts = Counter(s.name for s in full.layout.shapes)
    assert counts["boards"] == 1
    assert counts["centre_line"] == 1
    assert counts["blue_line"] == 2
    assert counts["goal_line"] == 2
    assert counts["crease"] == 2
    assert counts["net"] == 2
    assert counts["faceoff_circle"] == 4
    assert counts["centre_circle"] == 1
    assert counts["faceoff_dot"] == 4
    assert counts["neutral_dot"] == 4
    assert counts["centre_dot"] == 1
    assert counts["hash_mark"] == 16
    assert len(full.data) == 0, "the rink is shapes only, so it never catches hovers or selections"


def test_paths_are_polylines_without_svg_arcs(full, half):
    for fig in (full, half):
        for s in fig.layout.shapes:
            assert s.type == "path" and s.layer == "below"
            assert re.fullmatch(rf"(\s*[MLZ]\s*|{NUM},{NUM}|\s)+", s.path), s.path[:80]


def test_aspect_locked_and_axes_hidden(full, half):
    for fig in (full, half):
        assert fig.layout.yaxis.scaleanchor == "x"
        assert fig.layout.yaxis.scaleratio == 1
        assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
        assert fig.layout.plot_bgcolor.lower() in ("#ffffff", "white")
    assert full.layout.xaxis.range[0] < -100 and full.layout.xaxis.range[1] > 100
    assert -1 <= half.layout.xaxis.range[0] <= 0 and half.layout.xaxis.range[1] > 100


def test_boards_closed_and_inside_the_rink(full):
    (b,) = named(full, "boards")
    assert b.path.rstrip().endswith("Z")
    p = points(b.path)
    assert np.all(np.abs(p[:, 0]) <= 100 + 1e-6) and np.all(np.abs(p[:, 1]) <= 42.5 + 1e-6)
    assert np.isclose(p[:, 0].max(), 100, atol=0.01) and np.isclose(p[:, 1].max(), 42.5, atol=0.01)
    # rounded corners: points beyond the straight parts lie on 28 ft arcs
    corner = (np.abs(p[:, 0]) > 72 + 1e-6) & (np.abs(p[:, 1]) > 14.5 + 1e-6)
    assert corner.sum() > 20
    r = np.hypot(np.abs(p[corner, 0]) - 72, np.abs(p[corner, 1]) - 14.5)
    assert np.allclose(r, 28, atol=0.01)
    x, y = RINK.boards()
    assert x[0] == x[-1] and y[0] == y[-1]


def test_lines_and_circles_where_the_rulebook_puts_them(full):
    blue = sorted(points(s.path)[:, 0].mean() for s in named(full, "blue_line"))
    assert np.allclose(blue, [-25, 25], atol=0.01)
    for s in named(full, "blue_line"):
        xs = points(s.path)[:, 0]
        assert np.isclose(xs.max() - xs.min(), 1.0)
    for s in named(full, "goal_line"):
        p = points(s.path)
        assert np.isclose(abs(p[:, 0].mean()), 89, atol=0.01)
        # the goal line stops at the rounded corner, not at y = +-42.5
        assert np.all(RINK.inside(p[:, 0], p[:, 1], margin=-0.01))
        assert p[:, 1].max() < 42.5 - 1
    centres = set()
    for s in named(full, "faceoff_circle"):
        p = points(s.path)
        c = p.mean(axis=0)
        centres.add((round(c[0]), round(c[1])))
        assert np.allclose(np.hypot(*(p - c).T), 15, atol=0.05)
    assert centres == {(69, 22), (69, -22), (-69, 22), (-69, -22)}
    nd = {tuple(np.round(points(s.path).mean(axis=0))) for s in named(full, "neutral_dot")}
    assert nd == {(20, 22), (20, -22), (-20, 22), (-20, -22)}
    (cc,) = named(full, "centre_circle")
    assert np.allclose(np.hypot(*points(cc.path).T), 15, atol=0.05)


def test_creases_and_nets(full):
    for s in named(full, "crease"):
        p = points(s.path)
        side = np.sign(p[:, 0].mean())
        assert s.fillcolor != NO_FILL
        assert np.allclose(np.abs(p[:, 0]).max(), 89)
        assert np.abs(p[:, 0]).min() >= 89 - 6 - 1e-6
        assert np.isclose(np.abs(p[:, 1]).max(), 4.0)
        assert side in (-1, 1)
    for s in named(full, "net"):
        p = points(s.path)
        ax = np.abs(p[:, 0])
        assert np.isclose(ax.min(), 89) and np.isclose(ax.max(), 89 + RINK.net_depth, atol=0.01)
        assert np.isclose(np.abs(p[:, 1]).max(), 3.0)


def test_half_rink_is_the_offensive_zone_only(half):
    for s in half.layout.shapes:
        assert points(s.path)[:, 0].min() >= -1e-9, s.name
    counts = Counter(s.name for s in half.layout.shapes)
    assert counts["faceoff_circle"] == 2 and counts["crease"] == 1 and counts["net"] == 1
    assert counts["neutral_dot"] == 2 and counts["blue_line"] == 1 and counts["goal_line"] == 1
    assert np.isclose(points(named(half, "net")[0].path)[:, 0].min(), 89)
    # the boards outline does not run along the cut at centre ice
    for s in named(half, "boards"):
        if s.line.width and s.fillcolor == NO_FILL:
            for run in re.split(r"M", s.path)[1:]:
                p = points(run)
                on_cut = (np.abs(p[:-1, 0]) < 1e-9) & (np.abs(p[1:, 0]) < 1e-9)
                assert not on_cut.any()


def test_drawing_follows_the_rink_dimensions():
    small = Rink(length=190.0, width=80.0, corner_radius=20.0, faceoff_x=65.0)
    fig = rink_figure(rink=small)
    p = points(named(fig, "boards")[0].path)
    assert np.isclose(p[:, 0].max(), 95) and np.isclose(p[:, 1].max(), 40)
    xs = sorted(round(points(s.path).mean(axis=0)[0]) for s in named(fig, "faceoff_circle"))
    assert xs == [-65, -65, 65, 65]
    assert [m.name for m in rink_markings(small)] == [m.name for m in rink_markings()]


def test_clip_polygon_keeps_the_right_part():
    x, y = clip_polygon(np.array([-1.0, 1, 1, -1, -1]), np.array([-1.0, -1, 1, 1, -1]), 0.0)
    assert x.min() == 0 and x.max() == 1 and (x[0], y[0]) == (x[-1], y[-1])
