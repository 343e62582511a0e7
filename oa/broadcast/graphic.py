"""The shot graphic: any shot as a finished graphic in three sizes, PNG or SVG.

`shot_figure(card, size, theme)` lays the graphic out as one Plotly figure in pixels (text
as annotations, panels as shapes, the small rink of `oa.plots.rink` as its one subplot):
shooter and team, opponent and goalie, period and clock, the chance of a goal with its tier
badge, the three strongest factors in words with their points, and the rink with the shot,
the shooting lane and, where tracking exists, the goalie's required travel.

Sizes (`SIZES`): 1920x1080 (full screen), 1920x300 (lower third, transparent background)
and 1080x1080 (social). `Renderer` turns a figure into PNG or SVG bytes through kaleido,
which drives Debian's Chromium (`oa.settings.chromium_path()`), offline (plotly.js from
plotly's own package, no MathJax). The renderer stays warm: the first render starts
Chromium (seconds), later ones reuse it (a fraction of a second each).
"""

from __future__ import annotations

import atexit
import re
import textwrap
import threading
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

import numpy as np
import plotly.graph_objects as go

from oa.broadcast.data import ShotCard
from oa.broadcast.theme import Theme
from oa.plots.rink import rink_figure
from oa.plots.style import clock, pct
from oa.rink import RINK, distance_to_net
from oa.settings import chromium_path
from oa.vocab import outcome_word, shot_type_word

FORMATS = ("png", "svg")
SIZES = {"1920x1080": "full screen", "1920x300": "lower third (transparent)", "1080x1080": "social"}
TRANSPARENT = "rgba(0,0,0,0)"


class GraphicError(ValueError):
    """A graphic that cannot be made as asked (size, format); the message says what would work."""


class RenderError(RuntimeError):
    """The renderer (Chromium through kaleido) could not start or render; the message says why."""


def parse_size(size: str) -> tuple[int, int]:
    """'1920x1080' -> (1920, 1080); only the sizes in `SIZES`."""
    s = str(size).strip().lower()
    if s not in SIZES:
        raise GraphicError(f"size {size!r} is not one of {', '.join(SIZES)}")
    w, h = s.split("x")
    return int(w), int(h)


def check_format(fmt: str) -> str:
    f = str(fmt).strip().lower()
    if f not in FORMATS:
        raise GraphicError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    return f


# -- drawing in pixels -------------------------------------------------------------------------------------
def text_on(color: str) -> str:
    """White or near-black type, whichever reads better on `color` (#rrggbb)."""
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return "#ffffff" if lum < 0.40 else "#111418"


def rgba(color: str, alpha: float) -> str:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def fit(text: str, size: float, width: float, per_char: float = 0.5) -> float:
    """`size`, or smaller so that `text` (about `per_char` of the size per character) fits in `width` pixels."""
    plain = re.sub(r"&[a-z]+;|&#\d+;", "x", text)
    return min(size, width / max(per_char * len(plain), 1.0))


def words(s: object) -> str:
    """Stored text made safe for Plotly's HTML-like labels."""
    return escape(str(s if s is not None else ""), quote=False)


class Canvas:
    """Shapes, words and images placed in pixels from the top-left corner of a W x H graphic."""

    def __init__(self, w: int, h: int, theme: Theme):
        self.w, self.h, self.theme = w, h, theme
        self.shapes: list[dict] = []
        self.notes: list[dict] = []
        self.images: list[dict] = []

    def x(self, px: float) -> float:
        return px / self.w

    def y(self, py: float) -> float:
        return 1 - py / self.h

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: str, line: str | None = None) -> None:
        self.shapes.append(
            dict(
                type="rect",
                xref="paper",
                yref="paper",
                x0=self.x(x0),
                x1=self.x(x1),
                y0=self.y(y1),
                y1=self.y(y0),
                fillcolor=fill,
                line=dict(width=2 if line else 0, color=line or fill),
                layer="below",
            )
        )

    def text(
        self,
        px: float,
        py: float,
        s: str,
        size: float,
        color: str,
        anchor: str = "left",
        headline: bool = False,
        bold: bool = False,
        valign: str = "middle",
    ) -> None:
        f = self.theme.fonts
        self.notes.append(
            dict(
                x=self.x(px),
                y=self.y(py),
                xref="paper",
                yref="paper",
                xanchor=anchor,
                yanchor=valign,
                text=f"<b>{s}</b>" if bold else s,
                showarrow=False,
                align=anchor if anchor != "center" else "center",
                font=dict(size=round(size), color=color, family=f.headline if headline else f.family),
            )
        )

    def image(self, src: str, x0: float, y0: float, w: float, h: float, anchor: str = "left") -> None:
        if src:
            self.images.append(
                dict(
                    source=src,
                    xref="paper",
                    yref="paper",
                    x=self.x(x0),
                    y=self.y(y0),
                    sizex=w / self.w,
                    sizey=h / self.h,
                    xanchor=anchor,
                    yanchor="top",
                    sizing="contain",
                    layer="above",
                )
            )

    def chip(self, x0: float, yc: float, s: str, size: float, fill: str, ink: str, pad: float = 0.55) -> float:
        """A filled label (a team code, the tier badge) from x0, centred on yc; returns its right edge."""
        w = len(s) * size * 0.62 + 2 * pad * size
        h = size * 1.6
        self.rect(x0, yc - h / 2, x0 + w, yc + h / 2, fill)
        self.text(x0 + w / 2, yc, words(s), size, ink, anchor="center", bold=True)
        return x0 + w


# -- what the graphic says ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Said:
    """Every word of a shot's graphic, once (the three layouts place them)."""

    shooter: str
    number: str
    team: str
    team_name: str
    team_color: str
    opponent: str
    opponent_name: str
    opponent_color: str
    goalie: str
    shot: str
    when: str
    outcome: str
    chance: str
    tier_word: str
    tier_color: str
    tier_ink: str
    factors: list[tuple[str, str, bool]]  # (points, words, raised the chance)
    travel: str


def shot_words(s: dict) -> str:
    """'Wrist shot from 12 ft'."""
    try:
        ft = f" from {float(distance_to_net(np.array([float(s['x'])]), np.array([float(s['y'])]))[0]):.0f} ft"
    except (KeyError, TypeError, ValueError):
        ft = ""
    return words(shot_type_word(s.get("shot_type"))) + ft


def chance_text(p: object) -> str:
    if p is None:
        return "–"
    v = float(p)  # type: ignore[arg-type]
    return pct(v, 0 if v >= 0.095 else 1)


def say(card: ShotCard, theme: Theme, k: int = 3) -> Said:
    s = card.shot
    tier = theme.tier(s.get("tier")) if s.get("p_goal") is not None else None
    rows = []
    for r in card.factors.head(k).itertuples():
        label = str(r.value_label or r.factor)
        rows.append((f"{float(r.contribution_pp):+.1f}", words(label[:1].upper() + label[1:]), r.contribution_pp >= 0))
    num = s.get("shooter_number")
    travel = ""
    if card.travel is not None:
        ft = card.travel.feet
        travel = "goalie already square" if ft < 0.5 else f"goalie had to move {ft:.0f} ft"
    return Said(
        shooter=words(s.get("shooter")),
        number=f"#{int(num)}" if num is not None else "",
        team=words(s.get("team")),
        team_name=words(s.get("team_name")),
        team_color=theme.team_color(s.get("team")),
        opponent=words(s.get("opponent")),
        opponent_name=words(s.get("opponent_name")),
        opponent_color=theme.team_color(s.get("opponent")),
        goalie=words(s.get("goalie")),
        shot=shot_words(s),
        when=clock(s.get("period"), s.get("period_seconds")),
        outcome=words(outcome_word(s.get("outcome")).upper()),
        chance=chance_text(s.get("p_goal")),
        tier_word=tier.word if tier else "NOT RATED",
        tier_color=tier.color if tier else "#6b7785",
        tier_ink=tier.text if tier else "#ffffff",
        factors=rows,
        travel=travel,
    )


# -- the small rink ------------------------------------------------------------------------------------
def rink_ranges(card: ShotCard) -> tuple[float, float, float, float]:
    """The part of the offensive zone drawn (x0, x1, y0, y1 in feet): the slot and circles, more for a far shot."""
    sx = float(card.shot["x"])
    x0 = min(RINK.goal_line_x - 45.0, sx - 8.0)
    return x0, RINK.half_length + 1.0, -RINK.half_width - 1.0, RINK.half_width + 1.0


def rink_width(card: ShotCard, height: float) -> float:
    """The rink's width in pixels at `height` (one foot is as long across as along)."""
    x0, x1, y0, y1 = rink_ranges(card)
    return height * (x1 - x0) / (y1 - y0)


def add_rink(fig: go.Figure, card: ShotCard, theme: Theme, c: Canvas, box: tuple[float, float, float, float]) -> None:
    """The zone in `box` (pixels x0, y0, x1, y1): the shot, the lane to the posts, the goalie's travel."""
    s = card.shot
    sx, sy = float(s["x"]), float(s["y"])
    base = rink_figure(half=True)
    fig.layout.shapes = tuple(base.layout.shapes) + tuple(fig.layout.shapes or ())
    rx0, rx1, ry0, ry1 = rink_ranges(card)
    fig.update_layout(
        xaxis=dict(range=[rx0, rx1], domain=[c.x(box[0]), c.x(box[2])], visible=False, fixedrange=True),
        yaxis=dict(range=[ry0, ry1], domain=[c.y(box[3]), c.y(box[1])], visible=False, fixedrange=True),
        plot_bgcolor=theme.colors.ice,
    )
    col = theme.colors
    scale = (box[3] - box[1]) / 660
    gx = RINK.goal_line_x
    fig.add_trace(
        go.Scatter(
            x=[sx, gx, gx, sx],
            y=[sy, RINK.post_y, -RINK.post_y, sy],
            fill="toself",
            fillcolor=rgba(col.lane, 0.45),
            line=dict(color=col.lane, width=max(2, 3 * scale)),
            mode="lines",
            hoverinfo="skip",
        )
    )
    if card.travel is not None:
        (gkx, gky), (qx, qy) = card.travel.goalie, card.travel.square
        if card.travel.feet > 0.3:
            fig.add_annotation(
                x=qx,
                y=qy,
                ax=gkx,
                ay=gky,
                xref="x",
                yref="y",
                axref="x",
                ayref="y",
                showarrow=True,
                arrowhead=2,
                arrowsize=0.8,
                arrowwidth=max(2.5, 6 * scale),
                arrowcolor=col.travel,
                text="",
            )
        fig.add_trace(
            go.Scatter(
                x=[gkx],
                y=[gky],
                mode="markers",
                marker=dict(symbol="square", size=26 * scale + 6, color="#f2f2f2", line=dict(color="#111418", width=3)),
                hoverinfo="skip",
            )
        )
    tier = theme.tier(s.get("tier"))
    fig.add_trace(
        go.Scatter(
            x=[sx],
            y=[sy],
            mode="markers",
            marker=dict(
                symbol="star" if s.get("outcome") == "GOAL" else "circle",
                size=44 * scale + 10,
                color=tier.color if tier and s.get("p_goal") is not None else "#6b7785",
                line=dict(color="#111418", width=max(2, 4 * scale)),
            ),
            hoverinfo="skip",
        )
    )


# -- the three layouts ------------------------------------------------------------------------------------
def _factor_rows(
    c: Canvas, said: Said, x: float, y: float, size: float, gap: float, x_end: float, wrap: bool = True
) -> float:
    """The factors from `y` (top of the first) down: points right-aligned in a column, their words wrapped
    (or cut, `wrap=False`) to end by `x_end`; returns the y below the last."""
    col = c.theme.colors
    pts_w = size * 3.0
    chars = max(int((x_end - x - pts_w - 0.4 * size) / (0.5 * size)), 12)
    yy = y
    for pts, text, up in said.factors:
        lines = textwrap.wrap(text, chars) or [""]
        if not wrap and len(lines) > 1:
            lines = [textwrap.shorten(text, chars, placeholder="…")]
        c.text(x + pts_w, yy, pts, size, col.positive if up else col.negative, anchor="right", bold=True, valign="top")
        c.text(x + pts_w + 0.4 * size, yy, "<br>".join(lines), size, col.text, valign="top")
        yy += gap + (len(lines) - 1) * size * 1.25
    if not said.factors:
        c.text(x + 20, y, "No factors stored for this shot", size, col.muted, valign="top")
        yy += gap
    return yy


def _brand(c: Canvas, x: float, yc: float, size: float, anchor: str, color: str) -> None:
    lg = c.theme.logos
    if lg.brand:
        c.image(lg.brand, x, yc - size, size * 6, size * 2, anchor=anchor)
    elif lg.wordmark:
        c.text(x, yc, words(lg.wordmark), size, color, anchor=anchor, bold=True)


def _header(c: Canvas, card: ShotCard, said: Said, h: float, name_size: float, line_size: float) -> None:
    """The team-coloured band: the shooter (and the team's logo), number and team; clock and outcome."""
    t, m = c.theme, c.theme.sizes.margin
    ink = text_on(said.team_color)
    c.rect(0, 0, c.w, h, said.team_color)
    c.rect(0, h - 8, c.w, h, rgba("#000000", 0.25))
    left = float(m)
    logo = t.team_logo(card.shot.get("team"))
    if logo:
        c.image(logo, m, h * 0.15, h * 0.7, h * 0.7)
        left = m + h * 0.8
    room = c.w - m - left - 0.8 * name_size * len(said.when) * 0.5 - 40  # up to the clock
    c.text(left, h * 0.42, said.shooter, fit(said.shooter, name_size, room, 0.45), ink, headline=True, bold=True)
    c.text(left, h * 0.78, f"{said.number} {said.team_name}".strip(), line_size, ink)
    c.text(c.w - m, h * 0.42, said.when, name_size * 0.8, ink, anchor="right", headline=True, bold=True)
    c.text(c.w - m, h * 0.78, said.outcome, line_size, ink, anchor="right", bold=True)


def _footer(c: Canvas, said: Said, game: str, size: float) -> None:
    col, m = c.theme.colors, c.theme.sizes.margin
    c.rect(0, c.h - 90, c.w, c.h, col.panel)
    c.text(m, c.h - 45, game, size, col.muted)
    _brand(c, c.w - m, c.h - 45, size * 0.9, "right", col.muted)


def _game_line(card: ShotCard) -> str:
    s = card.shot
    d = s.get("date")
    when = str(d)[:10] if d is not None else ""
    return " · ".join(x for x in (f"{words(s.get('away_team'))} @ {words(s.get('home_team'))}", when) if x)


def _goalie_block(c: Canvas, said: Said, x: float, y: float, label: float, big: float, x_end: float) -> None:
    """'IN GOAL', the opponent's chip and the goalie's name (smaller if it would pass `x_end`)."""
    col = c.theme.colors
    c.text(x, y, "IN GOAL", label, col.muted, bold=True, valign="top")
    right = c.chip(
        x, y + label * 1.6 + big * 0.55, said.opponent, label, said.opponent_color, text_on(said.opponent_color)
    )
    name = fit(said.goalie, big, x_end - right - 0.5 * label, 0.55)
    c.text(right + 0.5 * label, y + label * 1.6 + big * 0.55, said.goalie, name, col.text, bold=True)


def _full(fig: go.Figure, card: ShotCard, c: Canvas, said: Said) -> None:
    t = c.theme
    col, sz, m = t.colors, t.sizes, t.sizes.margin
    c.rect(0, 0, c.w, c.h, col.background)
    _header(c, card, said, 200, sz.headline, sz.label + 6)
    # the rink on the right, as tall as the body
    top, bottom = 250.0, 900.0
    w = rink_width(card, bottom - top)
    box = (c.w - m - w, top, c.w - m, bottom)
    c.rect(box[0] - 16, box[1] - 16, box[2] + 16, box[3] + 16, col.panel)
    add_rink(fig, card, t, c, box)
    body_end = box[0] - 60
    # the chance and its tier; the shot and the goalie beside them
    c.text(m, 250, "CHANCE OF A GOAL", sz.label, col.muted, bold=True, valign="top")
    c.text(m - 8, 410, said.chance, sz.chance, col.accent, headline=True, bold=True)
    c.chip(m, 555, said.tier_word, sz.badge, said.tier_color, said.tier_ink)
    mid = m + 620
    c.text(mid, 250, "THE SHOT", sz.label, col.muted, bold=True, valign="top")
    c.text(mid, 300, said.shot, fit(said.shot, sz.factor + 4, body_end - mid, 0.6), col.text, bold=True, valign="top")
    _goalie_block(c, said, mid, 400, sz.label, sz.factor + 4, body_end)
    # why
    c.text(m, 640, "WHY: THE THREE STRONGEST FACTORS (POINTS)", sz.label, col.muted, bold=True, valign="top")
    _factor_rows(c, said, m - 20, 700, sz.factor, sz.factor * 1.75, body_end)
    if said.travel:
        c.text(
            (box[0] + box[2]) / 2,
            box[3] + 24,
            f"Yellow: the lane to the posts<br>{said.travel}",
            sz.label * 0.8,
            col.muted,
            anchor="center",
            valign="top",
        )
    _footer(c, said, _game_line(card), sz.label)


def _lower(fig: go.Figure, card: ShotCard, c: Canvas, said: Said) -> None:
    t = c.theme
    col, sz = t.colors, t.sizes
    x0, x1, y0, y1 = 40.0, c.w - 40.0, 62.0, 286.0
    c.rect(x0, y0, x1, y1, col.panel)
    c.rect(x0, y0, x0 + 18, y1, said.team_color)
    # the tab above the bar: the team, then the brand
    right = c.chip(x0, 38, said.team_name, sz.label * 0.75, said.team_color, text_on(said.team_color), pad=0.8)
    if t.logos.wordmark and not t.logos.brand:
        c.chip(right, 38, t.logos.wordmark, sz.label * 0.6, rgba("#000000", 0.55), "#ffffff", pad=0.8)
    room = 600.0  # up to the chance
    c.text(
        x0 + 44,
        116,
        said.shooter,
        fit(said.shooter, sz.headline * 0.68, room, 0.5),
        col.text,
        headline=True,
        bold=True,
    )
    vs = f"vs {said.goalie} ({said.opponent})"
    c.text(x0 + 44, 180, vs, fit(vs, sz.label * 0.95, room, 0.52), col.muted)
    c.text(x0 + 44, 236, f"{said.when} · {said.outcome}", sz.label * 0.95, col.text, bold=True)
    # the chance
    cx = 830.0
    c.text(cx, 132, said.chance, sz.chance * 0.55, col.accent, anchor="center", headline=True, bold=True)
    bs = sz.badge * 0.7
    w = len(said.tier_word) * bs * 0.62 + 1.1 * bs
    c.chip(cx - w / 2, 240, said.tier_word, bs, said.tier_color, said.tier_ink)
    # the rink, then why
    h = y1 - y0 - 24
    rw = rink_width(card, h)
    box = (x1 - 12 - rw, y0 + 12, x1 - 12, y1 - 12)
    add_rink(fig, card, t, c, box)
    _factor_rows(c, said, 1000, 86, sz.factor * 0.72, 64, box[0] - 30, wrap=False)


def _social(fig: go.Figure, card: ShotCard, c: Canvas, said: Said) -> None:
    t = c.theme
    col, sz, m = t.colors, t.sizes, t.sizes.margin
    c.rect(0, 0, c.w, c.h, col.background)
    _header(c, card, said, 190, sz.headline * 0.9, sz.label + 2)
    top, bottom = 230.0, 600.0
    w = rink_width(card, bottom - top)
    box = (c.w - m - w, top, c.w - m, bottom)
    c.rect(box[0] - 14, box[1] - 14, box[2] + 14, box[3] + 14, col.panel)
    add_rink(fig, card, t, c, box)
    c.text(m, 235, "CHANCE OF A GOAL", sz.label, col.muted, bold=True, valign="top")
    c.text(m - 6, 375, said.chance, sz.chance * 0.85, col.accent, headline=True, bold=True)
    c.chip(m, 510, said.tier_word, sz.badge, said.tier_color, said.tier_ink)
    _goalie_block(c, said, m, 570, sz.label * 0.9, sz.factor * 0.85, box[0] - 40)
    c.text(m, 700, "WHY", sz.label, col.muted, bold=True, valign="top")
    _factor_rows(c, said, m - 20, 750, sz.factor * 0.88, sz.factor * 1.6, c.w - m)
    _footer(c, said, _game_line(card), sz.label * 0.9)


LAYOUTS: dict[str, Callable[[go.Figure, ShotCard, Canvas, Said], None]] = {
    "1920x1080": _full,
    "1920x300": _lower,
    "1080x1080": _social,
}


def shot_figure(card: ShotCard, size: str, theme: Theme) -> go.Figure:
    """The shot's graphic at `size` (one of `SIZES`) as a Plotly figure, drawn from `theme`."""
    w, h = parse_size(size)
    c = Canvas(w, h, theme)
    fig = go.Figure()
    LAYOUTS[f"{w}x{h}"](fig, card, c, say(card, theme))
    fig.update_layout(
        width=w,
        height=h,
        margin=dict(l=0, r=0, t=0, b=0, pad=0),
        paper_bgcolor=TRANSPARENT,
        showlegend=False,
        font=dict(family=theme.fonts.family, color=theme.colors.text),
        images=c.images,
    )
    fig.layout.annotations = tuple(c.notes) + tuple(fig.layout.annotations or ())  # the rink's arrow kept
    fig.layout.shapes = tuple(c.shapes) + tuple(fig.layout.shapes or ())  # panels below the rink's lines
    return fig


# -- rendering ------------------------------------------------------------------------------------------
class Renderer:
    """Plotly figures to PNG / SVG bytes through kaleido and one Chromium kept running (warm).

    One per process (`renderer()`); calls are serialised (kaleido's sync server is one queue).
    """

    def __init__(self, chromium: str | None = None):
        self.chromium = chromium or chromium_path()
        self._lock = threading.Lock()
        self._started = False

    def _start(self) -> None:
        try:
            import kaleido
        except ImportError as e:
            raise RenderError("kaleido is not installed: pip install -r requirements.txt") from e
        from pathlib import Path

        if not Path(self.chromium).is_file():
            raise RenderError(f"no Chromium at {self.chromium} (install Debian's chromium, or set OA_CHROMIUM)")
        try:
            kaleido.start_sync_server(path=self.chromium, mathjax=False, n=1, timeout=60, silence_warnings=True)
        except Exception as e:  # noqa: BLE001 - a browser that will not start, said in one line
            raise RenderError(f"Chromium at {self.chromium} did not start: {e}") from e
        self._started = True
        atexit.register(self.close)

    def render(self, fig: go.Figure, fmt: str) -> bytes:
        """The figure as `fmt` (png or svg) at its own width and height."""
        import kaleido

        fmt = check_format(fmt)
        with self._lock:
            if not self._started:
                self._start()
            opts = dict(format=fmt, width=fig.layout.width, height=fig.layout.height, scale=1)
            try:
                out = kaleido.calc_fig_sync(fig, opts=opts)
            except Exception as e:  # noqa: BLE001
                raise RenderError(f"rendering failed: {e}") from e
        return out if isinstance(out, bytes) else str(out).encode()

    def close(self) -> None:
        with self._lock:
            if self._started:
                import kaleido

                kaleido.stop_sync_server(silence_warnings=True)
                self._started = False


def renderer_problem() -> str | None:
    """Why graphics cannot be rendered on this machine (no kaleido, no Chromium), or None."""
    import importlib.util
    from pathlib import Path

    if importlib.util.find_spec("kaleido") is None:
        return "kaleido is not installed (pip install -r requirements.txt)"
    if not Path(chromium_path()).is_file():
        return f"no Chromium at {chromium_path()} (install Debian's chromium, or set OA_CHROMIUM)"
    return None


_RENDERER: Renderer | None = None
_RENDERER_LOCK = threading.Lock()


def renderer() -> Renderer:
    """The process's warm renderer (started on its first render)."""
    global _RENDERER
    with _RENDERER_LOCK:
        if _RENDERER is None:
            _RENDERER = Renderer()
        return _RENDERER


def render_shot(card: ShotCard, size: str, fmt: str, theme: Theme) -> bytes:
    """The shot's graphic at `size` as PNG or SVG bytes (the process's warm renderer)."""
    fmt = check_format(fmt)
    return renderer().render(shot_figure(card, size, theme), fmt)


__all__ = [
    "FORMATS",
    "SIZES",
    "GraphicError",
    "RenderError",
    "Renderer",
    "render_shot",
    "renderer",
    "renderer_problem",
    "shot_figure",
]
