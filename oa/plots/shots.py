"""Shot charts on the rink: markers by tier and outcome, heat maps, waterfalls, game flow.

Pure functions of data frames / arrays returning Plotly figures, so they can be tested
without Streamlit. Every chart has units in its titles, a legend and hover text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from oa.plots.rink import rink_figure
from oa.plots.style import SEQUENTIAL, clock, pct
from oa.rink import RINK, distance_to_net
from oa.vocab import (
    GOOD_BAD,
    NEUTRAL_COLOR,
    OUTCOME_SIZES,
    OUTCOME_SYMBOLS,
    OUTCOME_WORDS,
    OUTCOMES,
    TIER_COLORS,
    TIER_WORDS,
    TIERS,
    UNRATED_COLOR,
    UNRATED_WORD,
    plural,
    shot_type_word,
)

OUTCOME_LABELS, TIER_LABELS = OUTCOME_WORDS, TIER_WORDS
TITLE_CHARS = 34  # a title longer than this gets a second, smaller line (a phone is ~360 px wide)
LABEL_CHARS = 26  # bar and waterfall labels wrap at this many characters


def wrap(text: str, width: int = LABEL_CHARS) -> str:
    """Break `text` at spaces into lines of at most `width` characters (Plotly's <br>); never cut a word."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def title_text(text: str, width: int = TITLE_CHARS) -> str:
    """A chart title that fits a phone: 'Main (detail)' becomes the main words over a smaller detail line.

    Plotly does not wrap titles; a long one runs off the figure on a narrow screen.
    """
    if len(text) <= width or "<br>" in text:
        return text
    if text.endswith(")") and " (" in text:
        main, detail = text[:-1].split(" (", 1)
        return f"{wrap(main, width)}<br><span style='font-size:12px'>{wrap(detail, int(width * 1.3))}</span>"
    return wrap(text, width)


def title_layout(title: str | None, size: int = 15) -> dict | None:
    """Plotly title settings: at the figure's top-left, 8 px down, however many lines it has."""
    if not title:
        return None
    # Plotly anchors a multi-line title by its first line: each further line needs its room in the pad
    return dict(
        text=title,
        x=0.0,
        xanchor="left",
        y=1.0,
        yref="container",
        yanchor="top",
        pad=dict(t=8 + 16 * title.count("<br>")),
        font=dict(size=size),
    )


def title_margin(text: str | None, base: int = 40) -> int:
    """Top margin for a (possibly two-line) title."""
    return base + 24 * str(text or "").count("<br>")


# customdata of every shot marker: shot_id first, so a click finds the shot
HOVER = [
    "shot_id",
    "shooter",
    "team",
    "opponent",
    "type_label",
    "distance",
    "strength",
    "clock",
    "date",
    "p_label",
    "tier_label",
    "outcome_label",
    "goalie",
]
HOVER_TEMPLATE = (
    "<b>%{customdata[11]}</b> · %{customdata[4]} · <b>%{customdata[9]}</b> (%{customdata[10]})<br>"
    "%{customdata[1]} (%{customdata[2]}) vs %{customdata[12]} (%{customdata[3]})<br>"
    "%{customdata[5]} ft · %{customdata[6]} · %{customdata[7]} · %{customdata[8]}<extra></extra>"
)


def _shot_labels(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with the words every shot's hover shares: distance, clock, type, chance and tier."""
    d = df.copy()
    d["distance"] = np.round(distance_to_net(d["x"].to_numpy(float), d["y"].to_numpy(float))).astype(int).astype(str)
    d["clock"] = [clock(p, s) for p, s in zip(d["period"], d["period_seconds"])]
    d["type_label"] = d["shot_type"].map(shot_type_word)
    d["p_label"] = [pct(p) for p in d["p_goal"]]
    d["tier_label"] = [f"{TIER_LABELS[t]} danger" if t in TIER_LABELS else "not rated" for t in d["tier"]]
    return d


def hover_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Add the text columns the hover template and tables use."""
    d = _shot_labels(df)
    d["date"] = pd.to_datetime(d["date"]).dt.strftime("%Y-%m-%d")
    d["outcome_label"] = d["outcome"].map(OUTCOME_LABELS)
    d["goalie"] = d["goalie"].fillna("empty net") if "goalie" in d else "?"
    return d


def add_shot_markers(
    fig: go.Figure, df: pd.DataFrame, shrink: float = 1.0, legend: bool = True, mirror: pd.Series | None = None
) -> go.Figure:
    """One trace per outcome (marker shape), coloured per shot by tier; tier legend entries too.

    `mirror` (boolean per row) draws those shots at (-x, -y): the away team attacking left.
    """
    if df.empty:
        return fig
    d = hover_frame(df)
    if mirror is not None:
        m = mirror.to_numpy(bool)
        d.loc[m, "x"] = -d.loc[m, "x"]
        d.loc[m, "y"] = -d.loc[m, "y"]
    tier = d["tier"].where(d["tier"].isin(TIERS), "unrated").to_numpy(object)
    outcome_of = d["outcome"].to_numpy(object)
    # fixed-width strings, not objects: Plotly copies and checks arrays, and these it copies at once
    custom = d[HOVER].astype(str).to_numpy().astype(str)
    xs, ys = d["x"].to_numpy(float), d["y"].to_numpy(float)
    for outcome in ("MISS", "BLOCK", "SAVE", "GOAL"):  # goals on top
        for t in ("unrated", *TIERS):  # one colour per trace: Plotly checks a colour
            sel = (outcome_of == outcome) & (tier == t)  # array element by element (~100 ms for 4,000)
            if not sel.any():
                continue
            fig.add_trace(
                go.Scatter(
                    x=xs[sel],
                    y=ys[sel],
                    mode="markers",
                    name=OUTCOME_LABELS[outcome],
                    legendgroup="outcome",
                    legendgrouptitle_text="Outcome (shape)" if legend else None,
                    legendrank=10 + OUTCOMES.index(outcome),
                    showlegend=False,
                    marker=dict(
                        color=TIER_COLORS.get(t, UNRATED_COLOR),
                        symbol=OUTCOME_SYMBOLS[outcome],
                        size=OUTCOME_SIZES[outcome] * shrink,
                        opacity=1.0 if outcome == "GOAL" else 0.8,
                        line=dict(color="#1f2933", width=1.0 if outcome == "GOAL" else 0.5),
                    ),
                    customdata=custom[sel],
                    hovertemplate=HOVER_TEMPLATE,
                )
            )
    if legend:
        # legend: shapes in neutral grey, tier colours as circles (markers show both at once)
        present = [o for o in OUTCOMES if (d["outcome"] == o).any()]
        for o in present:
            fig.add_trace(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    name=OUTCOME_LABELS[o],
                    legendgroup="outcome",
                    legendgrouptitle_text="Outcome",
                    marker=dict(
                        symbol=OUTCOME_SYMBOLS[o], size=11, color="#d9dee3", line=dict(color="#1f2933", width=1)
                    ),
                    hoverinfo="skip",
                    legendrank=10 + OUTCOMES.index(o),
                )
            )
        tiers = [t for t in TIERS if (d["tier"] == t).any()] + (["unrated"] if d["tier"].isna().any() else [])
        for t in tiers:
            fig.add_trace(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    name=f"{TIER_LABELS[t]}" if t in TIER_LABELS else UNRATED_WORD,
                    legendgroup="tier",
                    legendgrouptitle_text="Danger (colour)",
                    marker=dict(
                        symbol="circle",
                        size=11,
                        color=TIER_COLORS.get(t, UNRATED_COLOR),
                        line=dict(color="#1f2933", width=0.5),
                    ),
                    hoverinfo="skip",
                    legendrank=1 + (TIERS.index(t) if t in TIERS else 3),
                )
            )
    return fig


def shot_map(df: pd.DataFrame, half: bool = True, height: int | None = None, title: str | None = None) -> go.Figure:
    fig = rink_figure(half=half, height=height)
    shrink = 0.75 if len(df) > 1500 else 1.0
    add_shot_markers(fig, df, shrink=shrink)
    fig.update_layout(
        legend=dict(
            orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0.0, groupclick="toggleitem", font=dict(size=12)
        ),
        margin=dict(l=8, r=8, t=70 if title else 48, b=8),
        clickmode="event+select",
        title=dict(text=title, x=0.0, y=0.98, font=dict(size=15)) if title else None,
    )
    return fig


# customdata of a live shot marker: shot_id first, so a click finds the shot
LIVE_HOVER = [
    "shot_id",
    "shooter",
    "team",
    "opponent",
    "type_label",
    "distance",
    "strength",
    "clock",
    "p_label",
    "tier_label",
    "game",
]
LIVE_TEMPLATE = (
    "<b>%{customdata[8]}</b> (%{customdata[9]}) · %{customdata[4]}<br>"
    "%{customdata[1]} (%{customdata[2]}) vs %{customdata[3]}<br>"
    "%{customdata[5]} ft · %{customdata[6]} · %{customdata[7]} · %{customdata[10]}<extra></extra>"
)


def live_map(
    df: pd.DataFrame, half: bool = True, height: int | None = None, newest: object = None, title: str | None = None
) -> go.Figure:
    """Live shots, whose outcome is not known yet: circles coloured by tier, the newest one ringed.

    `df` needs shot_id, x, y, tier, p_goal, shooter, team, opponent, shot_type, strength,
    period, period_seconds and game (a label); one trace per tier, so the legend is the tiers.
    """
    fig = rink_figure(half=half, height=height)
    # the legend's title above its entries: beside them, the entries ran off a phone's figure
    fig.update_layout(
        legend=dict(
            orientation="h",
            yanchor="bottom",
            y=1.0,
            xanchor="left",
            x=0.0,
            title=dict(text="Danger", side="top left"),
            font=dict(size=12),
        ),
        margin=dict(l=8, r=8, t=90 if title else 60, b=8),
        clickmode="event+select",
        title=title_layout(title),
    )
    if df.empty:
        return fig
    d = _shot_labels(df)
    tiers = d["tier"].where(d["tier"].isin(TIERS), "unrated")
    for t in (*TIERS, "unrated"):  # high danger drawn last, on top
        sel = (tiers == t).to_numpy()
        if not sel.any():
            continue
        s = d[sel]
        fig.add_trace(
            go.Scatter(
                x=s["x"],
                y=s["y"],
                mode="markers",
                name=TIER_LABELS.get(t, UNRATED_WORD),
                legendrank=1 + (TIERS.index(t) if t in TIERS else 3),
                marker=dict(
                    color=TIER_COLORS.get(t, UNRATED_COLOR),
                    symbol="circle",
                    size=10,
                    opacity=0.85,
                    line=dict(color="#1f2933", width=0.6),
                ),
                customdata=s[LIVE_HOVER].astype(str).to_numpy(),
                hovertemplate=LIVE_TEMPLATE,
            )
        )
    if newest is not None and (d["shot_id"] == newest).any():
        r = d[d["shot_id"] == newest]
        fig.add_trace(
            go.Scatter(
                x=r["x"],
                y=r["y"],
                mode="markers",
                name="Newest",
                legendrank=5,  # short: the legend fits a phone
                marker=dict(color="rgba(0,0,0,0)", symbol="circle", size=22, line=dict(color="#1f2933", width=2.5)),
                customdata=r[LIVE_HOVER].astype(str).to_numpy(),
                hovertemplate=LIVE_TEMPLATE,
            )
        )
    return fig


def _smooth(g: np.ndarray, sigma: float) -> np.ndarray:
    if sigma <= 0:
        return g
    from scipy.ndimage import gaussian_filter

    return gaussian_filter(g, sigma=sigma, mode="constant")


def heat_figure(
    z: np.ndarray,
    cell: float,
    title: str,
    colorbar: str,
    diverging: bool = False,
    hover: str = "%{z:.3f}",
    height: int | None = None,
    smooth: float = 0.8,
    zmax: float | None = None,
) -> go.Figure:
    """A heat map of per-cell values on the offensive half, the rink's lines drawn on top."""
    ny, nx = z.shape
    zs = _smooth(np.asarray(z, float), smooth)
    xs = (np.arange(nx) + 0.5) * cell
    ys = (np.arange(ny) + 0.5) * cell - RINK.half_width
    # cells are not cut at the boards (that leaves white steps in the corners): a mask
    # shape over everything outside the ice hides them instead
    fig = rink_figure(half=True, height=height)
    if diverging:
        m = zmax if zmax is not None else float(np.nanmax(np.abs(zs))) if np.isfinite(zs).any() else 1.0
        m = m or 1.0
        scale, zmin, zmx = GOOD_BAD.colorscale(), -m, m
    else:
        scale, zmin = SEQUENTIAL, 0.0
        zmx = zmax if zmax is not None else (float(np.nanmax(zs)) if np.isfinite(zs).any() else 1.0) or 1.0
    fig.add_trace(
        go.Heatmap(
            x=xs,
            y=ys,
            z=zs,
            colorscale=scale,
            zmin=zmin,
            zmax=zmx,
            zsmooth="best",
            opacity=0.85 if not diverging else 0.9,
            hoverongaps=False,
            showscale=True,
            colorbar=dict(title=dict(text=colorbar, side="right"), thickness=12, len=0.8),
            hovertemplate=f"x %{{x:.0f}} ft, y %{{y:.0f}} ft<br>{hover}<extra></extra>",
            name=colorbar,
            showlegend=False,
        )
    )
    # rink lines over the colour: outlines only, no ice fill
    shapes = []
    for s in fig.layout.shapes:
        d = s.to_plotly_json()
        d["layer"] = "above"
        if d.get("name") in ("boards", "crease"):
            d["fillcolor"] = "rgba(0,0,0,0)"
        shapes.append(d)
    # the ice of the offensive half: the two rounded corners joined along the boards and centre ice
    a = np.radians(np.linspace(0.0, 90.0, 24))
    cx, cy, r, hw = (
        RINK.half_length - RINK.corner_radius,
        RINK.half_width - RINK.corner_radius,
        RINK.corner_radius,
        RINK.half_width,
    )
    bx = np.concatenate([cx + r * np.cos(a), [0.0, 0.0], cx + r * np.sin(a)])
    by = np.concatenate([cy + r * np.sin(a), [hw, -hw], -cy - r * np.cos(a)])
    x0, x1, y0, y1 = -2.0, RINK.half_length + 3, -RINK.half_width - 3, RINK.half_width + 3
    outer = f"M{x0},{y0} L{x0},{y1} L{x1},{y1} L{x1},{y0} Z"
    inner = "M" + " L".join(f"{a:.2f},{b:.2f}" for a, b in zip(bx, by)) + " Z"
    mask = dict(
        type="path",
        path=outer + " " + inner,
        fillcolor="white",
        line=dict(width=0),
        layer="above",
        xref="x",
        yref="y",
        name="outside",
        fillrule="evenodd",
    )
    fig.layout.shapes = [mask] + shapes  # replace (update_layout would merge shape by shape)
    title = title_text(title)
    fig.update_layout(
        showlegend=False,
        margin=dict(l=8, r=8, t=title_margin(title), b=8),
        title=title_layout(title),
        yaxis_constraintoward="middle",
    )  # centred like its colour bar, which spans the plot height
    return fig


# Heat maps by kind: title, colour-bar title, hover, diverging or not, smoothing, and the values.
# Diverging kinds are signed so that positive is good for the map's subject (GOOD_BAD.good).
HEAT_KINDS = {
    "density": dict(
        title="Shot density",
        unit="per game",
        bar="shots / game",
        hover="%{z:.2f} shots per game",
        diverging=False,
        smooth=0.8,
    ),
    "xg": dict(
        title="Expected goals",
        unit="per game",
        bar="xG / game",
        hover="%{z:.3f} expected goals per game",
        diverging=False,
        smooth=0.8,
    ),
    "gax": dict(
        title="Goals above expected",
        unit="total",
        bar="goals − xG",
        hover="%{z:+.2f} goals above expected",
        diverging=True,
        smooth=1.2,
    ),
    "vs_league": dict(
        title="Shot share vs league average",
        unit=None,
        bar="pct points",
        hover="%{z:+.2f} points of shots vs league",
        diverging=True,
        smooth=1.2,
    ),
    "ga_vs_x": dict(
        title="Goals saved above expected",
        unit="total",
        bar="xG − goals",
        hover="%{z:+.2f} goals saved above expected",
        diverging=True,
        smooth=1.2,
    ),
}


def heat_values(h: dict, kind: str, per_game: bool = True) -> np.ndarray:
    """The per-cell values a heat map of this kind draws (before smoothing)."""
    me = h["me"]
    games = me["games"] if per_game else 1
    if kind == "density":
        return me["shots"] / games
    if kind == "xg":
        return me["xg"] / games
    if kind == "gax":
        return me["gax"]
    if kind == "ga_vs_x":
        return -me["gax"]
    if kind == "vs_league":
        lg = h["league"]
        return 100 * (me["shots"] / max(me["shots"].sum(), 1) - lg["shots"] / max(lg["shots"].sum(), 1))
    raise ValueError(kind)


def heat_zmax(hs: list[dict], kind: str) -> float:
    """One colour scale for several maps (a team's shots for and against): the largest drawn value."""
    spec = HEAT_KINDS[kind]
    top = [float(np.nanmax(np.abs(_smooth(np.asarray(heat_values(h, kind), float), spec["smooth"])))) for h in hs]
    return max([t for t in top if np.isfinite(t)] + [0.0]) or 1.0


def heat_caption(kind: str, who: str = "the shooters") -> str:
    """What the colours of a heat map mean, from the same settings that draw them."""
    if kind == "density":
        return "Brighter squares: more shots per game from there."
    if kind == "xg":
        return "Brighter squares: more expected goals per game from there (more and better chances)."
    if kind == "gax":
        return GOOD_BAD.caption(f"where {who} scored more goals than the chances were worth", "fewer")
    if kind == "ga_vs_x":
        return GOOD_BAD.caption(
            "where he allowed fewer goals than the chances were worth (good for the goalie)", "more"
        )
    if kind == "vs_league":
        return GOOD_BAD.caption(f"where {who} took a bigger share of shots than the league did", "a smaller share")
    raise ValueError(kind)


def heat_layer(
    h: dict, kind: str, per_game: bool = True, height: int | None = None, zmax: float | None = None
) -> go.Figure:
    """One heat map of `queries.heat` output; `zmax` shares one colour scale between maps."""
    spec = HEAT_KINDS[kind]
    area = f"per {h['cell']:g}×{h['cell']:g} ft"
    unit = spec["unit"] if per_game or spec["unit"] != "per game" else "total"
    title = f"{spec['title']} ({area}{', ' + unit if unit else ''})"
    return heat_figure(
        heat_values(h, kind, per_game),
        h["cell"],
        title,
        spec["bar"],
        diverging=spec["diverging"],
        hover=spec["hover"],
        height=height,
        smooth=spec["smooth"],
        zmax=zmax,
    )


def with_points(label: str, pp: float, width: int = LABEL_CHARS) -> str:
    """A factor's words wrapped to `width`, then its signed points (on the last line if they fit)."""
    text = wrap(label, width)
    points = f"{pp:+.1f} pts"
    last = text.rsplit("<br>", 1)[-1]
    sep = " " if len(last) + 1 + len(points) <= width + 4 else "<br>"
    return f"{text}{sep}<b>{points}</b>"


def waterfall(
    factors: pd.DataFrame,
    p: float,
    base_logit: float,
    k: int = 8,
    height: int = 420,
    title: str | None = None,
    labels: dict[str, str] | None = None,
) -> go.Figure:
    """Average shot -> top k factors (signed, approximate points, in words) -> this shot's probability."""
    from oa.vocab import sigmoid

    base = 100 * float(sigmoid(base_logit))
    f = factors.sort_values("contribution", key=np.abs, ascending=False)
    top, rest = f.head(k), f.iloc[k:]
    names = [("<b>League-average attempt</b>")]
    values, measures, texts, hovers = (
        [base],
        ["absolute"],
        [f"{base:.1f}%"],
        [f"Average unblocked attempt: {base:.1f}%"],
    )
    for r in top.itertuples():
        # the whole label, wrapped (a cut one hid what the factor was), its points after it
        names.append(with_points(str(r.value_label or r.factor), r.contribution_pp))
        values.append(float(r.contribution_pp))
        measures.append("relative")
        texts.append("")
        fname = (labels or {}).get(r.factor, r.factor)
        hovers.append(
            f"<b>{fname}</b>: {r.value_label}<br>{r.contribution_pp:+.2f} points (approximate)"
            f"<br>{r.contribution:+.3f} log-odds"
        )
    if len(rest):
        other = float(rest["contribution_pp"].sum())
        names.append(with_points(plural(len(rest), "other factor"), other))
        values.append(other)
        measures.append("relative")
        texts.append("")
        hovers.append(f"{plural(len(rest), 'smaller factor')} together: {other:+.2f} points (approximate)")
    names.append("<b>This shot</b>")
    values.append(100 * p)
    measures.append("total")
    texts.append(f"{100 * p:.1f}%")
    hovers.append(f"Model probability: {100 * p:.1f}%")
    fig = go.Figure(
        go.Waterfall(
            orientation="h",
            y=names,
            x=values,
            measure=measures,
            text=texts,
            textposition="outside",
            hovertext=hovers,
            hoverinfo="text",
            cliponaxis=False,
            # raising the chance is good for the shooter: the good/bad colours, not the tiers'
            increasing=dict(marker=dict(color=GOOD_BAD.good)),
            decreasing=dict(marker=dict(color=GOOD_BAD.bad)),
            totals=dict(marker=dict(color=NEUTRAL_COLOR)),
            connector=dict(line=dict(color="#9aa5b1", width=1, dash="dot")),
        )
    )
    hi = max(np.cumsum([v if m != "total" else 0 for v, m in zip(values, measures)]).max(), 100 * p, base)
    title = title_text(title) if title else None
    # rows share the height equally: give every row the room of the tallest (wrapped) label
    row_px = 15 * max(1 + n.count("<br>") for n in names) + 10
    height = max(height, row_px * len(names) + 70 + (title_margin(title) if title else 10))
    fig.update_layout(
        height=height,
        margin=dict(l=8, r=30, t=title_margin(title) if title else 10, b=8),
        showlegend=False,
        yaxis=dict(autorange="reversed", automargin=True, tickfont=dict(size=12)),
        xaxis=dict(
            title=dict(text="chance of a goal (%)", standoff=8),
            automargin=True,
            range=[0, hi * 1.25 + 1],
            ticksuffix="%",
            nticks=6,
        ),
        title=title_layout(title),
        plot_bgcolor="white",
        paper_bgcolor="white",
        font=dict(color="#1f2933"),
    )
    return fig


def _rgb(c: str) -> tuple[int, int, int] | None:
    if not isinstance(c, str) or not c.startswith("#") or len(c) != 7:
        return None
    return int(c[1:3], 16), int(c[3:5], 16), int(c[5:7], 16)


def _close(a: str, b: str, limit: float = 120.0) -> bool:
    """Two team colours too alike to tell apart on one chart."""
    ra, rb = _rgb(a), _rgb(b)
    return ra is None or rb is None or float(np.linalg.norm(np.subtract(ra, rb))) < limit


def game_flow(
    shots: pd.DataFrame, home: str, away: str, home_color: str, away_color: str, home_name: str, away_name: str
) -> go.Figure:
    """Cumulative expected goals for both teams over game time, goals marked."""
    if _close(home_color, away_color):
        away_color = "#E69F00" if not _close(home_color, "#E69F00") else "#56B4E9"
    fig = go.Figure()
    end = max(3600.0, float(shots["game_seconds"].max()) if len(shots) else 3600.0)
    for team, color, name in ((away, away_color, away_name), (home, home_color, home_name)):
        d = shots[(shots["team"] == team) & (shots["outcome"] != "BLOCK")].sort_values("game_seconds")
        xg = d["p_goal"].fillna(0).cumsum()
        t = np.concatenate([[0.0], d["game_seconds"].to_numpy(float), [end]]) / 60
        y = np.concatenate([[0.0], xg.to_numpy(), [xg.iloc[-1] if len(xg) else 0.0]])
        fig.add_trace(
            go.Scatter(
                x=t,
                y=y,
                mode="lines",
                line=dict(shape="hv", color=color, width=3),
                name=f"{name} xG",
                hovertemplate="%{x:.1f} min: %{y:.2f} xG<extra>" + team + "</extra>",
            )
        )
        g = d[d["is_goal"]]
        if len(g):
            gy = xg[d["is_goal"].to_numpy()]
            fig.add_trace(
                go.Scatter(
                    x=g["game_seconds"] / 60,
                    y=gy,
                    mode="markers",
                    name=f"{team} goal",
                    marker=dict(symbol="star", size=16, color=color, line=dict(color="#1f2933", width=1)),
                    customdata=np.stack(
                        [g["shot_id"].astype(str), g["shooter"], [pct(p) for p in g["p_goal"]]], axis=1
                    ),
                    hovertemplate="<b>Goal</b> %{customdata[1]}<br>%{x:.1f} min · chance %{customdata[2]}<extra>"
                    + team
                    + "</extra>",
                )
            )
    for m in (20, 40, 60):
        if m < end / 60 + 0.1:
            fig.add_vline(x=m, line=dict(color="#9aa5b1", width=1, dash="dot"))
    fig.update_layout(
        height=360,
        margin=dict(l=60, r=8, t=30, b=40),
        plot_bgcolor="white",
        paper_bgcolor="white",
        xaxis=dict(title="game time (minutes)", gridcolor="#eef1f4", range=[0, end / 60]),
        yaxis=dict(title="cumulative expected goals", gridcolor="#eef1f4", rangemode="tozero"),
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
        hovermode="closest",
        font=dict(color="#1f2933"),
    )
    return fig


DOT_PX = 24.0


def reliability_sizeref(shots: np.ndarray, largest_px: float = DOT_PX) -> float:
    """Plotly's sizeref for area-sized markers: the bin with the most shots is `largest_px` across."""
    top = float(np.nanmax(shots)) if len(shots) else 1.0
    return 2.0 * max(top, 1.0) / largest_px**2


def reliability_figure(bins: pd.DataFrame, title: str = "Reliability") -> go.Figure:
    hi = float(max(bins["p_mean"].max(), bins["goal_rate"].max(), 0.05)) * 1.1 if len(bins) else 1.0
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[0, hi], y=[0, hi], mode="lines", name="perfect calibration", line=dict(color="#9aa5b1", dash="dash")
        )
    )
    n = bins["shots"].to_numpy(float)
    # dot size = shots: each dot's area is proportional to its shots (the largest DOT_PX across)
    fig.add_trace(
        go.Scatter(
            x=bins["p_mean"],
            y=bins["goal_rate"],
            mode="lines+markers",
            name="model",
            marker=dict(
                size=n,
                sizemode="area",
                sizeref=reliability_sizeref(n),
                sizemin=0,
                color=NEUTRAL_COLOR,
                line=dict(color="white", width=0.5),
            ),
            customdata=bins["shots"],
            line=dict(color=NEUTRAL_COLOR),
            hovertemplate="predicted %{x:.1%}<br>observed %{y:.1%}<br>%{customdata:,} shots<extra></extra>",
        )
    )
    title = title_text(title)
    fig.update_layout(
        height=380,
        title=title_layout(title, 17),
        margin=dict(l=60, r=8, t=title_margin(title), b=40),
        xaxis=dict(title="predicted chance of a goal", tickformat=".0%", range=[0, hi], gridcolor="#eef1f4"),
        yaxis=dict(title="observed goal rate", tickformat=".0%", range=[0, hi], gridcolor="#eef1f4"),
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend=dict(x=0.02, y=0.98),
        font=dict(color="#1f2933"),
    )
    return fig


def bar(
    df: pd.DataFrame,
    x: str,
    y: str,
    title: str,
    xaxis: str,
    yaxis: str,
    colors: list[str] | None = None,
    text: list[str] | None = None,
    height: int = 300,
    horizontal: bool = False,
    hover: str | None = None,
) -> go.Figure:
    kw = dict(x=df[y], y=df[x], orientation="h") if horizontal else dict(x=df[x], y=df[y])
    fig = go.Figure(
        go.Bar(**kw, marker=dict(color=colors or NEUTRAL_COLOR), text=text, textposition="auto", hovertemplate=hover)
    )
    title = title_text(title)
    fig.update_layout(
        height=height,
        title=title_layout(title),
        margin=dict(l=8, r=8, t=title_margin(title), b=8),
        plot_bgcolor="white",
        paper_bgcolor="white",
        xaxis=dict(title=yaxis if horizontal else xaxis, gridcolor="#eef1f4", automargin=True),
        yaxis=dict(
            title=xaxis if horizontal else yaxis,
            gridcolor="#eef1f4",
            autorange="reversed" if horizontal else None,
            automargin=True,
        ),
        font=dict(color="#1f2933"),
        showlegend=False,
    )
    return fig
