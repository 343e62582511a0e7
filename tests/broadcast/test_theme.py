"""The theme file: the default loads, team colours (official, generated, overridden), a bad file names its field."""

from __future__ import annotations

import re
import tomllib

import pytest

from oa.broadcast.graphic import text_on
from oa.broadcast.theme import ThemeError, generated_color, load_theme, parse_theme
from oa.settings import DEFAULT_THEME, theme_path
from oa.sources.nhl_teams import TEAMS
from oa.vocab import TIERS


def default_raw() -> dict:
    return tomllib.loads(DEFAULT_THEME.read_text())


def test_default_theme_loads_with_every_tier() -> None:
    t = load_theme(DEFAULT_THEME)
    assert set(t.tiers) == set(TIERS)
    assert t.sizes.chance > t.sizes.headline > t.sizes.label


def test_nhl_teams_get_their_official_colour_and_others_a_generated_one() -> None:
    t = load_theme(DEFAULT_THEME)
    assert t.team_color("TOR") == TEAMS["TOR"][2]
    assert t.team_color("T.B") == TEAMS["TBL"][2]  # an old code is the same team
    demo = [t.team_color(c) for c in ("AUR", "CEF", "FAI", "GLE", "HAC", "WES", "RIV")]
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in demo)
    assert demo == [generated_color(c) for c in ("AUR", "CEF", "FAI", "GLE", "HAC", "WES", "RIV")]  # deterministic
    assert len(set(demo)) == len(demo)
    assert all(text_on(c) == "#ffffff" for c in demo)  # dark enough for white type


def test_a_theme_overrides_a_team_and_reads_a_logo(tmp_path) -> None:
    (tmp_path / "tor.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    raw = default_raw()
    raw["teams"] = {"TOR": {"color": "#123456", "logo": "tor.svg"}}
    t = parse_theme(raw, "mine.toml", tmp_path)
    assert t.team_color("TOR") == "#123456"
    assert t.team_logo("TOR").startswith("data:image/svg+xml;base64,")
    assert t.team_color("MTL") == TEAMS["MTL"][2]


def test_oa_theme_chooses_the_file(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("OA_THEME", raising=False)
    assert theme_path() == DEFAULT_THEME
    mine = tmp_path / "mine.toml"
    mine.write_text(DEFAULT_THEME.read_text().replace('name = "Opportunity Analysis (default)"', 'name = "Mine"'))
    monkeypatch.setenv("OA_THEME", str(mine))
    assert load_theme().name == "Mine"


def _set(raw: dict, dotted: str, value: object) -> dict:
    *path, last = dotted.split(".")
    d = raw
    for k in path:
        d = d[k]
    if value is KeyError:
        del d[last]
    else:
        d[last] = value
    return raw


@pytest.mark.parametrize(
    "dotted, value, named",
    [
        ("colors.background", "#12", "[colors].background"),
        ("colors.text", "white", "[colors].text"),
        ("colors.backgroud", "#000000", "'backgroud'"),
        ("sizes.chance", 0, "[sizes].chance"),
        ("sizes.factor", "40", "[sizes].factor"),
        ("sizes.label", True, "[sizes].label"),
        ("fonts.family", "", "[fonts].family"),
        ("tiers.high", KeyError, "[tiers.high]"),
        ("tiers.high.word", 3, "[tiers.high].word"),
        ("tiers.extreme", {"color": "#000000", "text": "#ffffff", "word": "X"}, "[tiers.extreme]"),
        ("logos.brand", "missing.png", "[logos].brand"),
        ("logos.brand", "logo.gif", "[logos].brand"),
        ("teams.TOR", {"colour": "#000000"}, "'colour'"),
        ("teams.TOR", {"color": "blue"}, "[teams.TOR].color"),
        ("colors", KeyError, "[colors]"),
        ("colors", "red", "[colors]"),
        ("extra", 1, "'extra'"),
    ],
)
def test_a_bad_theme_names_the_field(tmp_path, dotted, value, named) -> None:
    raw = _set(default_raw(), dotted, value)
    with pytest.raises(ThemeError) as e:
        parse_theme(raw, "bad.toml", tmp_path)
    assert named in str(e.value) and "bad.toml" in str(e.value)


def test_a_file_that_is_not_a_theme_is_named(tmp_path) -> None:
    with pytest.raises(ThemeError, match="no theme file"):
        load_theme(tmp_path / "none.toml")
    with pytest.raises(ThemeError, match="is a folder"):
        load_theme(tmp_path)
    bad = tmp_path / "bad.toml"
    bad.write_text("[colors\nbackground = 1")
    with pytest.raises(ThemeError, match="not valid TOML"):
        load_theme(bad)
    bad.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ThemeError, match="cannot read"):
        load_theme(bad)
