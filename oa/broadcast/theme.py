"""The broadcast theme: one TOML file of colours, fonts, sizes and logos, read and checked here.

`load_theme(path)` returns a frozen `Theme` or raises `ThemeError` naming the file and the
field (`[colors].background`, `[tiers.high].word`, `[teams.TOR].logo`) and what is wrong with
it; an unknown key is an error too, so a misspelt one is never silently ignored. The
committed default is `oa/broadcast/theme.toml`; `oa.settings.theme_path()` says which file
is used ($OA_THEME, else the default).

Team colours (`Theme.team_color`): the theme's `[teams.CODE]` override first; else a real NHL
team's official primary colour (`oa.sources.nhl_teams`, the one table of them); else, for
any other team (the demo league's), a colour generated from the team code: the same code
always gets the same colour, dark enough under white type.
"""

from __future__ import annotations

import base64
import colorsys
import hashlib
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from oa.settings import theme_path
from oa.sources.nhl_teams import TEAMS, code
from oa.vocab import TIERS

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
LOGO_TYPES = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
MAX_LOGO_BYTES = 2_000_000


class ThemeError(ValueError):
    """A theme file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Colors:
    background: str
    panel: str
    text: str
    muted: str
    accent: str
    positive: str
    negative: str
    ice: str
    lane: str
    travel: str


@dataclass(frozen=True)
class Fonts:
    family: str
    headline: str


@dataclass(frozen=True)
class Sizes:
    headline: int
    chance: int
    label: int
    factor: int
    badge: int
    margin: int


@dataclass(frozen=True)
class Logos:
    brand: str = ""  # a data: URI (read from the file the theme named), or "" for the wordmark
    wordmark: str = ""


@dataclass(frozen=True)
class TierStyle:
    color: str
    text: str
    word: str


@dataclass(frozen=True)
class TeamStyle:
    color: str | None = None
    logo: str = ""  # a data: URI, or ""


@dataclass(frozen=True)
class Theme:
    name: str
    colors: Colors
    fonts: Fonts
    sizes: Sizes
    logos: Logos
    tiers: dict[str, TierStyle]
    teams: dict[str, TeamStyle] = field(default_factory=dict)
    source: str = ""

    def team_color(self, team: object) -> str:
        """The team's colour: the theme's override, an NHL team's official colour, else one made from its code."""
        c = str(code(team) or "")
        own = self.teams.get(c)
        if own is not None and own.color:
            return own.color
        if c in TEAMS:
            return TEAMS[c][2]
        return generated_color(c)

    def team_logo(self, team: object) -> str:
        own = self.teams.get(str(code(team) or ""))
        return own.logo if own is not None else ""

    def tier(self, tier: object) -> TierStyle | None:
        return self.tiers.get(str(tier))


def generated_color(team_code: str) -> str:
    """A colour made from a team code (deterministic): a hue from its hash, saturated, dark enough for white type."""
    h = hashlib.sha256(team_code.encode()).digest()
    hue = h[0] / 256 + h[1] / 65536
    light = 0.30 + (h[2] % 10) * 0.01  # 0.30..0.39
    r, g, b = colorsys.hls_to_rgb(hue, light, 0.72)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def _where(section: str) -> str:
    return f"[{section}]" if section else "the top level"


def _check_keys(src: str, section: str, raw: dict, cls: type, optional: frozenset = frozenset()) -> None:
    names = [f.name for f in fields(cls)]
    extra = sorted(set(raw) - set(names))
    if extra:
        raise ThemeError(f"{src}: {_where(section)} has an unknown key {extra[0]!r}; the keys are {', '.join(names)}")
    missing = [n for n in names if n not in raw and n not in optional]
    if missing:
        raise ThemeError(f"{src}: {_where(section)} is missing {missing[0]!r}")


def _color(src: str, where: str, v: object) -> str:
    if not isinstance(v, str) or not HEX.match(v):
        raise ThemeError(f"{src}: {where} must be a colour written #rrggbb, got {v!r}")
    return v.lower()


def _text(src: str, where: str, v: object, empty: bool = False) -> str:
    if not isinstance(v, str) or (not empty and not v.strip()):
        raise ThemeError(f"{src}: {where} must be {'text' if empty else 'non-empty text'}, got {v!r}")
    return v


def _size(src: str, where: str, v: object) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 600:
        raise ThemeError(f"{src}: {where} must be a whole number of pixels from 1 to 600, got {v!r}")
    return v


def _logo(src: str, base: Path, where: str, v: object) -> str:
    """A logo path (relative to the theme file) read into a data: URI, so a render never reads the disk or network."""
    p = _text(src, where, v, empty=True).strip()
    if not p:
        return ""
    path = (base / p).expanduser()
    kind = LOGO_TYPES.get(path.suffix.lower())
    if kind is None:
        raise ThemeError(f"{src}: {where} must be a .png, .svg or .jpg file, got {p!r}")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ThemeError(f"{src}: {where}: cannot read {path} ({e.strerror or e})") from e
    if len(data) > MAX_LOGO_BYTES:
        raise ThemeError(f"{src}: {where}: {path} is larger than {MAX_LOGO_BYTES:,} bytes")
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


def _table(src: str, raw: dict, key: str) -> dict:
    v = raw.get(key)
    if not isinstance(v, dict):
        raise ThemeError(f"{src}: [{key}] must be a table of keys, got {type(v).__name__}")
    return v


def parse_theme(raw: dict, src: str = "theme", base: Path | None = None) -> Theme:
    """A theme from its parsed TOML (`src` names it in errors; logo paths are relative to `base`)."""
    base = base or Path(".")
    top = {"name", "colors", "fonts", "sizes", "logos", "tiers", "teams"}
    extra = sorted(set(raw) - top)
    if extra:
        raise ThemeError(f"{src}: unknown key {extra[0]!r} at the top level; the keys are {', '.join(sorted(top))}")
    for k in ("name", "colors", "fonts", "sizes", "tiers"):
        if k not in raw:
            raise ThemeError(f"{src}: missing {'[' + k + ']' if k != 'name' else repr(k)}")
    name = _text(src, "'name'", raw["name"])

    c = _table(src, raw, "colors")
    _check_keys(src, "colors", c, Colors)
    colors = Colors(**{k: _color(src, f"[colors].{k}", v) for k, v in c.items()})
    f = _table(src, raw, "fonts")
    _check_keys(src, "fonts", f, Fonts)
    fonts = Fonts(**{k: _text(src, f"[fonts].{k}", v) for k, v in f.items()})
    s = _table(src, raw, "sizes")
    _check_keys(src, "sizes", s, Sizes)
    sizes = Sizes(**{k: _size(src, f"[sizes].{k}", v) for k, v in s.items()})
    lg = _table(src, raw, "logos") if "logos" in raw else {}
    _check_keys(src, "logos", lg, Logos, optional=frozenset({"brand", "wordmark"}))
    logos = Logos(
        brand=_logo(src, base, "[logos].brand", lg.get("brand", "")),
        wordmark=_text(src, "[logos].wordmark", lg.get("wordmark", ""), empty=True),
    )

    t = _table(src, raw, "tiers")
    unknown = sorted(set(t) - set(TIERS))
    if unknown:
        raise ThemeError(f"{src}: [tiers.{unknown[0]}] is not a tier; the tiers are {', '.join(TIERS)}")
    tiers = {}
    for tier in TIERS:
        if not isinstance(t.get(tier), dict):
            raise ThemeError(f"{src}: missing [tiers.{tier}] (color, text, word)")
        sec = t[tier]
        _check_keys(src, f"tiers.{tier}", sec, TierStyle)
        tiers[tier] = TierStyle(
            color=_color(src, f"[tiers.{tier}].color", sec["color"]),
            text=_color(src, f"[tiers.{tier}].text", sec["text"]),
            word=_text(src, f"[tiers.{tier}].word", sec["word"]),
        )

    teams = {}
    for team, sec in (_table(src, raw, "teams") if "teams" in raw else {}).items():
        if not isinstance(sec, dict):
            raise ThemeError(f"{src}: [teams.{team}] must be a table (color, logo), got {sec!r}")
        _check_keys(src, f"teams.{team}", sec, TeamStyle, optional=frozenset({"color", "logo"}))
        teams[str(code(team))] = TeamStyle(
            color=_color(src, f"[teams.{team}].color", sec["color"]) if "color" in sec else None,
            logo=_logo(src, base, f"[teams.{team}].logo", sec.get("logo", "")),
        )
    return Theme(name, colors, fonts, sizes, logos, tiers, teams, source=src)


def load_theme(path: str | Path | None = None) -> Theme:
    """The theme in `path` (default: `oa.settings.theme_path()`), checked; `ThemeError` names what is wrong."""
    p = Path(path) if path is not None else theme_path()
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ThemeError(f"no theme file at {p}") from None
    except IsADirectoryError:
        raise ThemeError(f"{p} is a folder, not a theme file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ThemeError(f"cannot read the theme file {p}: {e}") from e
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ThemeError(f"{p} is not valid TOML: {e}") from e
    return parse_theme(raw, str(p), p.parent)
