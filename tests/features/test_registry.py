import math

import numpy as np
import pytest

from oa import schema
from oa.features.registry import FEATURE_SETS, GROUPS, PBP, TRACKING, all_factors, feature_set


def test_every_factor_is_declared_fully():
    names = [f.name for f in all_factors()]
    assert len(names) == len(set(names))
    for f in all_factors():
        assert f.name.isidentifier() and f.name == f.name.lower(), f.name
        assert f.label and f.label[0].isupper(), f.name
        assert f.kind in ("num", "bool", "cat") and f.group in GROUPS
        assert set(f.sets) <= set(FEATURE_SETS) and f.sets, f.name
        assert f.doc, f"{f.name} needs a docstring saying what it measures"
        assert (f.kind == "cat") == bool(f.categories)
        assert not (f.needs_clip and PBP in f.sets), f"{f.name} reads tracking so cannot be a play-by-play factor"


def test_feature_sets_cover_what_the_issue_asks():
    track = {f.name for f in feature_set(TRACKING)}
    pbp = {f.name for f in feature_set(PBP)}
    assert len(track) >= 24
    assert {
        "distance",
        "angle",
        "shot_type",
        "prev_event",
        "since_prev_s",
        "from_prev_ft",
        "prev_speed",
        "rebound",
        "rebound_angle",
        "rush_pbp",
        "strength",
        "empty_net",
        "score_diff",
        "period",
        "time_left_s",
        "is_home",
        "off_wing",
    } <= pbp
    assert {
        "angle_change",
        "east_west",
        "since_pass_s",
        "cross_middle",
        "since_entry_s",
        "entry_lane",
        "entry_type",
        "rush",
        "puck_speed",
        "goalie_travel",
        "goalie_depth",
        "goalie_speed",
        "goalie_set",
        "goalie_height",
        "screens",
        "lane_blockers",
        "off_wing",
        "strength",
        "score_diff",
        "period",
        "time_left_s",
    } <= track


def test_shot_type_categories_are_the_schemas():
    f = next(f for f in all_factors() if f.name == "shot_type")
    assert f.categories == next(c.choices for c in schema.SHOTS.columns if c.name == "shot_type")


def test_values_are_said_in_words():
    by = {f.name: f for f in all_factors()}
    assert by["distance"].labels(np.array([12.2]))[0] == "12 ft from the net"
    assert by["goalie_travel"].labels(np.array([9.0]))[0] == "goalie had to move 9 ft to square up"
    # an empty net: each goalie factor says so in its own words (a waterfall shows them side by side)
    goalie = ("goalie_travel", "goalie_depth", "goalie_speed", "goalie_set")
    said = [by[n].labels(np.array([np.nan]))[0] for n in goalie]
    assert said[0] == "no goalie to move (empty net)"
    assert len(set(said)) == len(goalie) and all("empty net" in s for s in said), said
    assert by["score_diff"].labels(np.array([0.0, -2.0, 3.0])).tolist() == ["tied", "trailing by 2", "leading by 3+"]
    assert by["shot_type"].labels(np.array(["WRAP", None], dtype=object)).tolist() == ["wraparound", "unknown"]
    assert by["rebound"].labels(np.array([1.0, 0.0])).tolist() == ["a rebound", "not a rebound"]
    for f in all_factors():
        sample = (
            np.array(list(f.categories) + [None], dtype=object)
            if f.kind == "cat"
            else np.array([0.0, 1.0, 7.5, math.nan])
        )
        said = f.labels(sample)
        assert all(isinstance(s, str) and s for s in said), f.name


@pytest.mark.parametrize(
    "first",
    ["oa.features.registry", "oa.features.tracking", "oa.features.context", "oa.model.artifact", "oa.app.queries"],
)
def test_registry_is_full_on_first_import_in_a_fresh_interpreter(first):
    """Whichever module a process imports first (a page imports only the registry), it sees every factor."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    code = (
        f"import json, {first}; from oa.features.registry import factor_labels, factor_named, feature_set; "
        "print(json.dumps([factor_labels(), factor_named('goalie_travel').label, len(feature_set('tracking'))]))"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120, check=True
    )
    labels, travel, n_tracking = json.loads(out.stdout.strip().splitlines()[-1])
    assert labels == {f.name: f.label for f in all_factors()}
    assert travel == "Goalie's distance to square up"
    assert n_tracking == len(feature_set(TRACKING))


def test_only_the_registry_reads_its_dict():
    """Everyone else goes through factor_named / all_factors / feature_set, which raise or see it whole."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    files = [
        *(root / "oa").rglob("*.py"),
        *(root / "pages").glob("*.py"),
        root / "app.py",
        *(root / "tests").rglob("*.py"),
    ]
    readers = [
        str(p.relative_to(root))
        for p in files
        if p.name != "test_registry.py"
        and p != root / "oa" / "features" / "registry.py"
        and "_REGISTRY" in p.read_text()
    ]
    assert not readers, readers


def test_an_unknown_factor_name_is_an_error_naming_it():
    import pytest

    from oa.features.registry import UnknownFactor, factor_named, is_factor

    with pytest.raises(UnknownFactor, match="unknown factor 'goalie_travle'.*goalie_travel"):
        factor_named("goalie_travle")
    assert isinstance(UnknownFactor("x"), KeyError)
    assert is_factor("distance") and not is_factor("goalie_travle") and not is_factor(None)
