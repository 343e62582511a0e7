"""Coordinate systems (in oa/rink.py): the one conversion, every adapter's declaration, and the rink's
numbers living only in the rink, coordinate and clock modules."""

from __future__ import annotations

import io
import tokenize
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from oa.rink import RINK, RINK_FEET, Attack, CoordinateSystem, Origin, clip, from_canonical, to_canonical
from oa.sources.registry import all_sources

ROOT = Path(__file__).resolve().parents[1]

systems = st.builds(
    CoordinateSystem,
    origin=st.sampled_from(Origin),
    attack=st.sampled_from(Attack),
    units=st.sampled_from(["ft", "m", "px"]),
    length=st.floats(10, 2000),
    width=st.floats(5, 1000),
    y_flipped=st.booleans(),
)
coords = st.floats(-1e4, 1e4, allow_nan=False)
signs = st.sampled_from([1.0, -1.0])


@given(systems, coords, coords, signs)
def test_a_provider_point_converted_and_back_is_itself(system, x, y, sign):
    cx, cy = to_canonical(x, y, system, sign)
    bx, by = from_canonical(cx, cy, system, sign)
    assert bx == pytest.approx(x, rel=1e-9, abs=1e-6) and by == pytest.approx(y, rel=1e-9, abs=1e-6)


@given(systems, st.floats(0, 1), st.floats(0, 1), signs)
def test_a_point_on_the_providers_rink_lands_on_the_canonical_rink(system, fx, fy, sign):
    (x0, x1), (y0, y1) = system.x_range, system.y_range
    x, y = to_canonical(x0 + fx * (x1 - x0), y0 + fy * (y1 - y0), system, sign)
    assert abs(x) <= RINK.half_length + 1e-9 and abs(y) <= RINK.half_width + 1e-9


@given(st.lists(st.tuples(coords, coords), min_size=1, max_size=20))
def test_clip_holds_points_inside_the_rink_and_leaves_inside_ones_alone(points):
    x, y = np.array(points).T
    cx, cy = clip(x, y)
    assert (np.abs(cx) <= RINK.half_length).all() and (np.abs(cy) <= RINK.half_width).all()
    inside = (np.abs(x) <= RINK.half_length) & (np.abs(y) <= RINK.half_width)
    assert (cx[inside] == x[inside]).all() and (cy[inside] == y[inside]).all()


def test_the_store_frame_is_the_canonical_rink():
    assert to_canonical(12.5, -30.0, RINK_FEET) == (12.5, -30.0)
    assert to_canonical(12.5, -30.0, RINK_FEET, -1.0) == (-12.5, 30.0)


# What each provider's own documentation says, written independently of the declarations:
# its rink's corners, and where the net a team attacks is (for fixed-rink providers: when the
# team attacks the provider's +x end, sign +1, and the -x end, sign -1).
PROVIDER_FACTS = {
    "hockey_scraper": dict(corners=[(-100, -42.5), (100, 42.5)], net={1.0: (89, 0), -1.0: (-89, 0)}),
    "nhl_api": dict(corners=[(-100, -42.5), (100, 42.5)], net={1.0: (89, 0), -1.0: (-89, 0)}),
    "hockeyr": dict(corners=[(-100, -42.5), (100, 42.5)], net={1.0: (89, 0), -1.0: (-89, 0)}),
    "moneypuck": dict(corners=[(-100, -42.5), (100, 42.5)], net={1.0: (89, 0)}),  # xCordAdjusted: always +x
    "bigdatacup": dict(corners=[(0, 0), (200, 85)], net={1.0: (189, 42.5)}),  # the eventing team attacks x = 200
}


def corners(lo: tuple[float, float], hi: tuple[float, float]) -> set[tuple[float, float]]:
    return {(x, y) for x in (lo[0], hi[0]) for y in (lo[1], hi[1])}


def test_every_source_with_positions_has_its_facts_written_here():
    assert {s.name for s in all_sources() if s.coords is not None} == set(PROVIDER_FACTS)


@pytest.mark.parametrize("name", list(PROVIDER_FACTS))
def test_each_declared_system_maps_the_providers_rink_and_attacked_net(name):
    source = next(s for s in all_sources() if s.name == name)
    system, facts = source.coords, PROVIDER_FACTS[name]
    canonical = corners((-RINK.half_length, -RINK.half_width), (RINK.half_length, RINK.half_width))
    for sign, (nx, ny) in facts["net"].items():
        mapped = [to_canonical(x, y, system, sign) for x, y in corners(*facts["corners"])]
        assert {(round(x, 9), round(y, 9)) for x, y in mapped} == canonical
        assert to_canonical(nx, ny, system, sign) == pytest.approx((RINK.goal_line_x, 0.0))
    if system.attack is Attack.NORMALISED:
        assert set(facts["net"]) == {1.0}, "a normalised provider's points are always from the shooter's side"
    assert system.x_range == (facts["corners"][0][0], facts["corners"][1][0])
    assert system.y_range == (facts["corners"][0][1], facts["corners"][1][1])


def test_bigdatacup_tracking_is_the_same_rink_fixed_to_it():
    from oa.sources.bigdatacup import PBP, TRACKING

    assert (TRACKING.x_range, TRACKING.y_range) == (PBP.x_range, PBP.y_range)
    assert TRACKING.attack is Attack.PER_PERIOD
    # a goalie standing in front of the x = 0 net: 12 ft from the end boards, centred
    assert TRACKING.to_rink(12.0, 42.5) == (-88.0, 0.0)


# -- the rink's numbers live in the rink, coordinate and clock modules --------------------------
RINK_NUMBERS = {89.0, 42.5, 100.0, 1200.0}  # goal line, half width, half length, a period in seconds
HOMES = {"oa/rink.py"}
# numbers equal to a rink literal that mean something else: (file, a fragment of the line) -> why
OTHER_MEANINGS = {
    ("oa/app/components.py", "* 100,"): "a probability shown as a percentage",
    ("oa/app/components.py", "max_value=100"): "the percentage column's scale",
    ("oa/app/live.py", "100 * p - 100 * float"): "probabilities as percentage points",
    ("oa/model/score.py", "100.0 * contrib"): "contributions in percentage points",
    ("oa/model/interactions.py", "return 100.0 * (sigmoid"): "a change of probability in percentage points",
    ("oa/bench/seasons.py", "round(100 * float(p[ok].mean()"): "a calibration gap in percentage points",
    ("oa/bench/seasons.py", "gap = 100 * abs("): "a calibration gap in percentage points",
    ("oa/bench/seasons.py", "return round(100 * float(np.sqrt("): "a standard error in percentage points",
    ("oa/app/sync.py", "% 100 != int(m.group(2))"): "a season's second year written with two digits (2024-25)",
    ("oa/plots/shots.py", "return 100 * (me"): "shares as percentage points",
    ("oa/plots/shots.py", "base = 100 * float"): "a probability as a percentage",
    ("oa/plots/shots.py", "values.append(100 * p)"): "a probability as a percentage",
    ("oa/plots/shots.py", "100 * p, base)"): "a probability as a percentage",
    ("pages/debates.py", "d = 100 * ("): "a difference of probabilities in percentage points",
    ("oa/live/api.py", "len(v) <= 100"): "the longest text value echoed back in an error",
    ("oa/live/redis_broker.py", "block_ms: int = 100"): "milliseconds a read blocks",
    ("oa/bench/live_nhl.py", "TARGET_P99_MS = 100.0"): "the live NHL latency target in milliseconds",
    ("oa/sim/league.py", "i * 100"): "demo player ids: a block of 100 per team",
    ("oa/sim/sequence.py", "d >= 100"): "a shot distance in feet (far shots take any angle), not a rink dimension",
    ("oa/app/studio.py", "// 10_000 % 100 == 3"): "a game id's type: the two digits before its last four",
    ("oa/bench/studio.py", "return round(100 * share, 1)"): "a share as a percentage",
    ("oa/analysis/common.py", "SMALL_TOI_MIN = 100.0"): "minutes on the ice below which a rate is a small sample",
    ("oa/analysis/common.py", "100.0 * f / tot"): "a share (xGF%) as a percentage",
    ("oa/analysis/talent.py", ".mul(100)"): "a percentile rank from a fraction",
    ("oa/bench/talent.py", "round(100 * float("): "figures per 100 shots",
    ("oa/app/panels.py", "10 <= k % 100 <= 20"): "English ordinals: 11th to 13th",
    ("oa/bench/toi.py", "games: int = 100,"): "how many demo games the time-on-ice bench compares",
    ("oa/cli/bench.py", "options.games(100, "): "how many demo games the time-on-ice bench compares",
}


def rink_numbers(path: Path) -> list[tuple[int, str]]:
    """(line, line text) of every number token equal to a rink literal (comments and strings are words)."""
    out = []
    for t in tokenize.generate_tokens(io.StringIO(path.read_text()).readline):
        if t.type != tokenize.NUMBER:
            continue
        try:
            v = float(t.string.replace("_", ""))
        except ValueError:  # complex, hex...
            continue
        if v in RINK_NUMBERS:
            out.append((t.start[0], t.line.strip()))
    return out


def test_rink_numbers_are_written_only_in_the_rink_module():
    files = [*sorted((ROOT / "oa").rglob("*.py")), *sorted((ROOT / "pages").glob("*.py")), ROOT / "app.py"]
    found, used = [], set()
    for f in files:
        rel = f.relative_to(ROOT).as_posix()
        if rel in HOMES:
            continue
        for line, text in rink_numbers(f):
            why = [k for k in OTHER_MEANINGS if k[0] == rel and k[1] in text]
            used.update(why)
            if not why:
                found.append(f"{rel}:{line}: {text}")
    assert not found, "use oa.rink.RINK / oa.rink.PERIOD_S (or add a reason to OTHER_MEANINGS):\n" + "\n".join(found)
    assert used == set(OTHER_MEANINGS), f"stale allow-list entries: {set(OTHER_MEANINGS) - used}"
