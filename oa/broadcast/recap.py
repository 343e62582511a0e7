"""The game recap: one self-contained HTML page and a 1920x1080 PNG of a game.

`read_recap(store, game_id)` reads what the recap says: the final score, every shot with its
active rating, the power plays, each team's three best chances and the game's best save and
least likely goal (as shot cards, `oa.broadcast.data.read_card`: the same factors in words and
points as the shot graphic), and "deserved to win" (`oa.broadcast.deserved`).

`recap_figure` lays the PNG out on the shot graphic's `Canvas` (away team on the left, home on
the right): the score band; each team's best chances down its side; in the middle, deserved
to win, the expected-goals flow (`oa.plots.shots.game_flow`, power plays shaded, goals as
stars) and the shot map (`oa.plots.rink.rink_figure`, markers sized by chance); the best save
and the least likely goal at the foot. `recap_html` is the same recap as a page with plotly.js
inlined (no network: no CDN, no web font, no image fetched) and interactive charts.

Power plays are read from the penalties: from a PENALTY event to its team's next PENALTY_END
(the demo league writes them), else for the minutes its detail says (two by default; five for
a major; ten-minute misconducts give no power play), cut short by the other team's goal for a
minor and by the end of the game. Coincidental penalties are not netted out: both are shaded.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from oa.broadcast.data import PLAYER_JOINS, SCORES, ShotCard, read_card
from oa.broadcast.deserved import REPLAYS, SEED, Deserved, deserved
from oa.broadcast.graphic import Canvas, chance_text, fit, renderer, rgba, say, text_on, words
from oa.broadcast.theme import Theme
from oa.plots.rink import rink_figure
from oa.plots.shots import game_flow
from oa.plots.style import clock
from oa.rink import PERIOD_S, RINK
from oa.store import Store
from oa.vocab import outcome_word, shot_type_word

W, H = 1920, 1080
BEST = 3  # chances per team


class NoGame(LookupError):
    """The store has no such game (the message says which and where)."""


@dataclass(frozen=True)
class PowerPlay:
    start: float  # game seconds
    end: float
    team: str  # the team with the extra skater


@dataclass(frozen=True)
class Recap:
    game: dict  # the games row with home_name, away_name
    shots: pd.DataFrame  # every shot: game_seconds, team, outcome, is_goal, p_goal, tier, shooter, goalie ...
    power_plays: list[PowerPlay]
    best: dict[str, list[ShotCard]]  # team -> its best chances, best first
    best_save: ShotCard | None
    least_likely_goal: ShotCard | None
    deserved: Deserved | None  # None when no shot is rated

    @property
    def home(self) -> str:
        return str(self.game["home_team"])

    @property
    def away(self) -> str:
        return str(self.game["away_team"])

    def xg(self, team: str) -> float:
        s = self.shots
        return float(s.loc[(s["team"] == team) & (s["outcome"] != "BLOCK"), "p_goal"].fillna(0).sum())

    @property
    def rated(self) -> bool:
        return bool(self.shots["p_goal"].notna().any())


GAME_SQL = """SELECT g.*, coalesce(h.name, g.home_team) AS home_name, coalesce(a.name, g.away_team) AS away_name
              FROM games g LEFT JOIN teams h ON h.team = g.home_team LEFT JOIN teams a ON a.team = g.away_team
              WHERE g.game_id = $g"""
SHOTS_SQL = f"""SELECT s.shot_id, s.game_id, s.event_idx, s.period, s.period_seconds, s.game_seconds, s.team,
                       s.opponent, s.is_home, s.x, s.y, s.shot_type, s.strength, s.empty_net, s.outcome, s.is_goal,
                       sc.p_goal, sc.tier, coalesce(sh.name, 'Unknown shooter') AS shooter,
                       coalesce(gk.name, 'empty net') AS goalie
                FROM shots s LEFT JOIN {SCORES} sc ON sc.shot_id = s.shot_id {PLAYER_JOINS}
                WHERE s.game_id = $g ORDER BY s.game_seconds, s.event_idx"""
PENALTY_SQL = """SELECT game_seconds, type, team, detail FROM events
                 WHERE game_id = $g AND type IN ('PENALTY', 'PENALTY_END', 'GOAL') ORDER BY event_idx"""


def _minutes(detail: object) -> float:
    d = str(detail or "").lower()
    m = re.search(r"(\d+)\s*min", d)
    if m:
        return float(m.group(1))
    if "maj" in d:
        return 5.0
    if "misconduct" in d:
        return 10.0
    return 2.0


def power_plays(events: pd.DataFrame, home: str, away: str, end: float) -> list[PowerPlay]:
    """The power plays of a game from its PENALTY, PENALTY_END and GOAL events (see the module's note)."""
    out: list[PowerPlay] = []
    ev = events.reset_index(drop=True)
    for i, r in ev[ev["type"] == "PENALTY"].iterrows():
        team = r["team"]
        if team not in (home, away):
            continue
        minutes = _minutes(r["detail"])
        if minutes >= 10:
            continue
        t0 = float(r["game_seconds"])
        later = ev.iloc[int(i) + 1 :]
        stop = later[(later["type"] == "PENALTY_END") & (later["team"] == team)]
        t1 = float(stop["game_seconds"].iloc[0]) if len(stop) else t0 + 60 * minutes
        if minutes <= 2:
            goal = later[(later["type"] == "GOAL") & (later["team"] != team) & (later["game_seconds"] > t0)]
            if len(goal):
                t1 = min(t1, float(goal["game_seconds"].iloc[0]))
        t1 = min(t1, end)
        if t1 > t0:
            out.append(PowerPlay(t0, t1, away if team == home else home))
    return out


def read_recap(store: Store, game_id: int, replays: int = REPLAYS, seed: int | None = SEED) -> Recap:
    """The game `game_id` from `store` (read-only is enough); `NoGame` if there is none."""
    g = store.query(GAME_SQL, {"g": int(game_id)})
    if g.empty:
        raise NoGame(f"there is no game {game_id} in the store {store.path}")
    game = {k: (None if not isinstance(v, (list, dict)) and pd.isna(v) else v) for k, v in g.iloc[0].items()}
    shots = store.query(SHOTS_SQL, {"g": int(game_id)})
    shots["is_goal"] = shots["is_goal"].astype(bool)
    home, away = str(game["home_team"]), str(game["away_team"])
    end = max(float(PERIOD_S) * 3, float(shots["game_seconds"].max()) if len(shots) else 0.0)
    pps = power_plays(store.query(PENALTY_SQL, {"g": int(game_id)}), home, away, end)
    rated = shots[(shots["outcome"] != "BLOCK") & shots["p_goal"].notna()]
    best = {
        t: [read_card(store, int(i)) for i in rated[rated["team"] == t].nlargest(BEST, "p_goal")["shot_id"]]
        for t in (away, home)
    }
    saves = rated[rated["outcome"] == "SAVE"]
    goals = rated[rated["is_goal"]]
    best_save = read_card(store, int(saves.loc[saves["p_goal"].idxmax(), "shot_id"])) if len(saves) else None
    unlikely = read_card(store, int(goals.loc[goals["p_goal"].idxmin(), "shot_id"])) if len(goals) else None
    dtw = None
    if len(rated):
        dtw = deserved(
            rated.loc[rated["team"] == home, "p_goal"].to_numpy(float),
            rated.loc[rated["team"] == away, "p_goal"].to_numpy(float),
            replays=replays,
            seed=seed,
        )
    return Recap(game, shots, pps, best, best_save, unlikely, dtw)


# -- words ----------------------------------------------------------------------------------------------
def result_word(game: dict) -> str:
    """'FINAL', 'FINAL/OT' or 'FINAL/SO'."""
    if game.get("shootout"):
        return "FINAL/SO"
    if (game.get("periods") or 3) > 3:
        return "FINAL/OT"
    return "FINAL"


def score_text(v: object) -> str:
    return "–" if v is None else f"{int(v)}"  # type: ignore[call-overload]


def game_line(game: dict) -> str:
    d = game.get("date")
    kind = {"R": "Regular season", "P": "Playoffs"}.get(str(game.get("game_type")), "")
    bits = [str(d)[:10] if d is not None else "", kind, str(game.get("season") or "")]
    return " · ".join(words(b) for b in bits if b)


def card_line(card: ShotCard) -> str:
    """'P2 10:34 · Wrist shot · GOAL' (safe for labels)."""
    s = card.shot
    return " · ".join(
        (
            clock(s.get("period"), s.get("period_seconds")),
            words(shot_type_word(s.get("shot_type"))),
            words(outcome_word(s.get("outcome")).upper()),
        )
    )


def _colors(recap: Recap, theme: Theme) -> tuple[str, str]:
    """Home and away colours, the away one changed if the two would be confused."""
    hc, ac = theme.team_color(recap.home), theme.team_color(recap.away)
    if hc.lower() == ac.lower():
        ac = "#9aa5b1"
    return hc, ac


# -- the charts, shared by the PNG and the page -----------------------------------------------------------
def flow_figure(recap: Recap, theme: Theme, size: float = 1.0) -> go.Figure:
    """The expected-goals flow (the Games page's), in the theme: power plays shaded, goals as stars."""
    hc, ac = _colors(recap, theme)
    g = recap.game
    fig = game_flow(recap.shots, recap.home, recap.away, hc, ac, str(g["home_name"]), str(g["away_name"]))
    col = theme.colors
    for pp in recap.power_plays:
        fig.add_vrect(
            x0=pp.start / 60,
            x1=pp.end / 60,
            fillcolor=rgba(hc if pp.team == recap.home else ac, 0.35),
            line_width=0,
            layer="below",
        )
    for tr in fig.data:
        if tr.mode == "markers":
            tr.marker.size = 22 * size
            tr.marker.line = dict(color="#ffffff", width=2 * size)
        else:
            tr.line.width = 4 * size
    grid = rgba(col.muted, 0.25)
    x0, x1 = fig.layout.xaxis.range
    fig.update_xaxes(range=[x0 - 0.8, x1 + 1.2])  # room for a star at the first or last second
    fig.update_layout(
        plot_bgcolor=col.panel,
        paper_bgcolor=col.panel,
        font=dict(color=col.text, family=theme.fonts.family, size=round(16 * size)),
        xaxis=dict(gridcolor=grid, title=dict(text="minutes"), zeroline=False, color=col.muted),
        yaxis=dict(gridcolor=grid, title=dict(text="expected goals"), zeroline=False, color=col.muted),
        legend=dict(font=dict(color=col.text)),
    )
    fig.update_shapes(selector=dict(type="line"), line_color=rgba(col.muted, 0.6))
    return fig


def map_traces(recap: Recap, theme: Theme, size: float = 1.0) -> list[go.Scatter]:
    """The shots on a full rink, home attacking right, away left; area proportional to the chance."""
    hc, ac = _colors(recap, theme)
    out = []
    s = recap.shots[recap.shots["outcome"] != "BLOCK"]
    for team, color, sign in ((recap.away, ac, -1.0), (recap.home, hc, 1.0)):
        d = s[s["team"] == team]
        if d.empty:
            continue
        p = d["p_goal"].fillna(0.02).clip(0, 1).to_numpy(float)
        px = np.where(d["is_goal"].to_numpy(bool), 16 + 40 * np.sqrt(p), 7 + 44 * np.sqrt(p)) * size
        goal = d["is_goal"].to_numpy(bool)
        hover = [
            f"{escape(str(r.shooter))}<br>{clock(r.period, r.period_seconds)} · {escape(shot_type_word(r.shot_type))}"
            f" · {escape(outcome_word(r.outcome))}<br>chance {chance_text(r.p_goal)}"
            for r in d.itertuples()
        ]
        out.append(
            go.Scatter(
                x=sign * d["x"].to_numpy(float),
                y=sign * d["y"].to_numpy(float),
                mode="markers",
                name=str(team),
                text=hover,
                hovertemplate="%{text}<extra>" + escape(str(team)) + "</extra>",
                marker=dict(
                    size=px,
                    color=[color if gl else rgba(color, 0.55) for gl in goal],
                    symbol=["star" if gl else "circle" for gl in goal],
                    line=dict(
                        color=["#111418" if gl else color for gl in goal],
                        width=[2.5 * size if gl else 1.5 * size for gl in goal],
                    ),
                ),
            )
        )
    return out


def map_figure(recap: Recap, theme: Theme, height: int = 300) -> go.Figure:
    fig = rink_figure(half=False, height=height)
    for tr in map_traces(recap, theme):
        fig.add_trace(tr)
    fig.update_layout(
        paper_bgcolor=theme.colors.panel,
        plot_bgcolor=theme.colors.panel,
        height=height,
        margin=dict(l=4, r=4, t=4, b=4),
        showlegend=False,
        font=dict(family=theme.fonts.family),
    )
    return fig


def _moved(shape: dict, xa: str, ya: str) -> dict:
    s = dict(shape)
    for key, axis in (("xref", xa), ("yref", ya)):
        ref = str(s.get(key) or "")
        if ref in ("x", "y"):
            s[key] = axis
        elif ref in ("x domain", "y domain"):
            s[key] = f"{axis} domain"
    return s


# -- the PNG ---------------------------------------------------------------------------------------------
def _chance_cards(c: Canvas, cards: list[ShotCard], x0: float, x1: float, y: float, theme: Theme, color: str) -> float:
    col, t = theme.colors, theme
    for card in cards:
        said = say(card, t, k=2)
        h = 196.0
        c.rect(x0, y, x1, y + h, col.panel)
        c.rect(x0, y, x0 + 10, y + h, color)
        c.text(x0 + 30, y + 38, said.shooter, fit(said.shooter, 34, x1 - x0 - 230, 0.5), col.text, bold=True)
        c.text(x1 - 24, y + 40, said.chance, 46, col.accent, anchor="right", headline=True, bold=True)
        c.text(x0 + 30, y + 80, card_line(card), 24, col.muted)
        yy = y + 112
        for pts, text, up in said.factors:
            c.text(x0 + 102, yy, pts, 24, col.positive if up else col.negative, anchor="right", bold=True)
            room = x1 - x0 - 140
            cut = text if len(text) * 12.5 < room else text[: max(int(room / 12.5) - 1, 8)] + "…"
            c.text(x0 + 112, yy, cut, 24, col.text)
            yy += 36
        y += h + 16
    if not cards:
        c.text(x0 + 20, y + 30, "No rated chances", 26, col.muted)
    return y


def _moment(c: Canvas, title: str, card: ShotCard | None, x0: float, x1: float, y: float, theme: Theme) -> None:
    """The best save (the goalie's) or the least likely goal (the shooter's) in a panel."""
    col = theme.colors
    c.rect(x0, y, x1, y + 124, col.panel)
    c.text(x0 + 24, y + 26, title, 22, col.muted, bold=True)
    if card is None:
        c.text(x0 + 24, y + 78, "none in this game", 28, col.text)
        return
    said = say(card, theme, k=1)
    when = f"{said.when} · {words(shot_type_word(card.shot.get('shot_type')))}"
    if card.shot.get("outcome") == "SAVE":
        who, team, line = said.goalie, said.opponent, f"stops {said.shooter} · {when}"
    else:
        who, team, line = said.shooter, said.team, f"beats {said.goalie} · {when}"
    head = f"{who} ({team})"
    c.text(x0 + 24, y + 66, head, fit(head, 34, x1 - x0 - 200, 0.5), col.text, bold=True)
    c.text(x0 + 24, y + 104, line, fit(line, 22, x1 - x0 - 200, 0.5), col.muted)
    c.text(x1 - 24, y + 72, said.chance, 56, col.accent, anchor="right", headline=True, bold=True)


def recap_figure(recap: Recap, theme: Theme) -> go.Figure:
    """The recap at 1920x1080 as one Plotly figure (paper pixels, two charts as subplots)."""
    c = Canvas(W, H, theme)
    col, g = theme.colors, recap.game
    hc, ac = _colors(recap, theme)
    fig = go.Figure()
    c.rect(0, 0, W, H, col.background)
    # the score band: away left, home right
    band = 170.0
    c.rect(0, 0, W / 2, band, ac)
    c.rect(W / 2, 0, W, band, hc)
    c.rect(W / 2 - 230, 0, W / 2 + 230, band, col.panel)
    c.rect(0, band - 8, W, band, rgba("#000000", 0.25))
    an, hn = words(g["away_name"]), words(g["home_name"])
    c.text(60, 72, an, fit(an, 64, W / 2 - 330, 0.48), text_on(ac), headline=True, bold=True)
    c.text(60, 128, f"{words(recap.away)} · AWAY", 26, text_on(ac), bold=True)
    c.text(W - 60, 72, hn, fit(hn, 64, W / 2 - 330, 0.48), text_on(hc), anchor="right", headline=True, bold=True)
    c.text(W - 60, 128, f"HOME · {words(recap.home)}", 26, text_on(hc), anchor="right", bold=True)
    c.text(W / 2 - 110, 78, score_text(g.get("away_score")), 110, col.text, anchor="center", headline=True, bold=True)
    c.text(W / 2 + 110, 78, score_text(g.get("home_score")), 110, col.text, anchor="center", headline=True, bold=True)
    c.text(W / 2, 78, "–", 70, col.muted, anchor="center", headline=True)
    c.text(W / 2, 145, result_word(g), 26, col.accent, anchor="center", bold=True)
    # the sides: each team's best chances
    side_w, mid0, mid1 = 560.0, 640.0, 1280.0
    top = 200.0
    c.text(40, top + 16, f"{words(recap.away)}'S BEST CHANCES", 24, col.muted, bold=True)
    c.text(W - 40, top + 16, f"{words(recap.home)}'S BEST CHANCES", 24, col.muted, bold=True, anchor="right")
    _chance_cards(c, recap.best.get(recap.away, []), 40, 40 + side_w, top + 40, theme, ac)
    _chance_cards(c, recap.best.get(recap.home, []), W - 40 - side_w, W - 40, top + 40, theme, hc)
    # the middle: deserved to win, xG, the flow, the map
    c.rect(mid0, top, mid1, top + 200, col.panel)
    c.text((mid0 + mid1) / 2, top + 28, "DESERVED TO WIN", 24, col.muted, anchor="center", bold=True)
    d = recap.deserved
    if d is not None:
        c.text(mid0 + 30, top + 88, chance_text(d.away), 72, col.text, headline=True, bold=True)
        c.text(mid1 - 30, top + 88, chance_text(d.home), 72, col.text, anchor="right", headline=True, bold=True)
        bx0, bx1, by = mid0 + 30, mid1 - 30, top + 140
        split = bx0 + (bx1 - bx0) * d.away
        c.rect(bx0, by, split, by + 16, ac)
        c.rect(split, by, bx1, by + 16, hc)
        xg = f"xG {recap.xg(recap.away):.2f} – {recap.xg(recap.home):.2f}"
        c.text((mid0 + mid1) / 2, top + 88, xg, 26, col.accent, anchor="center", bold=True)
        c.text(
            (mid0 + mid1) / 2,
            top + 180,
            f"share of {d.replays:,} replays of every shot at its chance won (ties split)",
            18,
            col.muted,
            anchor="center",
        )
    else:
        c.text((mid0 + mid1) / 2, top + 96, "no rated shots", 30, col.muted, anchor="center")
    # the flow (subplot x2/y2) and the map (x3/y3)
    fy0, fy1 = top + 216, top + 480
    c.rect(mid0, fy0, mid1, fy1, col.panel)
    c.text(mid0 + 20, fy0 + 22, "EXPECTED GOALS · power plays shaded · ★ goal", 20, col.muted, bold=True)
    flow = flow_figure(recap, theme, size=0.8)
    for tr in flow.data:
        tr.update(xaxis="x2", yaxis="y2", showlegend=False)
        fig.add_trace(tr)
    fl = flow.layout
    fig.update_layout(
        xaxis2=dict(
            domain=[c.x(mid0 + 70), c.x(mid1 - 20)],
            anchor="y2",
            range=fl.xaxis.range,
            gridcolor=fl.xaxis.gridcolor,
            tickfont=dict(size=18, color=col.muted),
            zeroline=False,
            dtick=20,
        ),
        yaxis2=dict(
            domain=[c.y(fy1 - 36), c.y(fy0 + 46)],
            anchor="x2",
            range=[0, max(recap.xg(recap.home), recap.xg(recap.away), 0.5) * 1.12],
            gridcolor=fl.yaxis.gridcolor,
            tickfont=dict(size=18, color=col.muted),
            zeroline=False,
        ),
    )
    moved = [_moved(s.to_plotly_json(), "x2", "y2") for s in fl.shapes or ()]
    xr, yr = RINK.half_length + 1.5, RINK.half_width + 1.0  # the whole rink and a little ice around it
    my0, my1 = fy1 + 16, fy1 + 16 + 40 + (mid1 - mid0 - 20) * yr / xr
    c.rect(mid0, my0, mid1, my1, col.panel)
    c.text(
        mid0 + 20, my0 + 20, f"SHOTS · size = chance · ★ goal · {words(recap.home)} attack →", 20, col.muted, bold=True
    )
    my0 += 40
    rink = rink_figure(half=False)
    rshapes = [_moved(s.to_plotly_json(), "x3", "y3") for s in rink.layout.shapes or ()]
    for tr in map_traces(recap, theme, size=0.7):
        tr.update(xaxis="x3", yaxis="y3", showlegend=False)
        fig.add_trace(tr)
    fig.update_layout(
        xaxis3=dict(domain=[c.x(mid0 + 10), c.x(mid1 - 10)], anchor="y3", range=[-xr, xr], visible=False),
        yaxis3=dict(domain=[c.y(my1 - 10), c.y(my0 + 10)], anchor="x3", range=[-yr, yr], visible=False),
        xaxis=dict(visible=False),
        yaxis=dict(visible=False),
    )
    # the foot: the best save and the least likely goal
    fy = 880.0
    _moment(c, "BEST SAVE", recap.best_save, 40, 40 + side_w, fy, theme)
    _moment(c, "LEAST LIKELY GOAL", recap.least_likely_goal, W - 40 - side_w, W - 40, fy, theme)
    c.rect(0, H - 60, W, H, col.panel)
    c.text(40, H - 30, f"{an} @ {hn} · {game_line(g)}", 22, col.muted)
    lg = theme.logos
    if lg.wordmark and not lg.brand:
        c.text(W - 40, H - 30, words(lg.wordmark), 22, col.muted, anchor="right", bold=True)
    elif lg.brand:
        c.image(lg.brand, W - 40, H - 52, 240, 44, anchor="right")
    fig.update_layout(
        width=W,
        height=H,
        margin=dict(l=0, r=0, t=0, b=0, pad=0),
        paper_bgcolor=col.background,
        plot_bgcolor=col.panel,
        showlegend=False,
        font=dict(family=theme.fonts.family, color=col.text),
        images=c.images,
    )
    fig.layout.annotations = tuple(c.notes)
    fig.layout.shapes = tuple(c.shapes) + tuple(moved) + tuple(rshapes)
    return fig


def render_png(recap: Recap, theme: Theme) -> bytes:
    """The recap's 1920x1080 PNG (the process's warm renderer)."""
    return renderer().render(recap_figure(recap, theme), "png")


def file_stem(recap: Recap) -> str:
    return f"game-{int(recap.game['game_id'])}"


def recap_zip(recap: Recap, theme: Theme) -> bytes:
    """The page and the PNG in one zip (`game-ID.html`, `game-ID.png`), as the Games page downloads them."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{file_stem(recap)}.html", recap_html(recap, theme))
        z.writestr(f"{file_stem(recap)}.png", render_png(recap, theme))
    return buf.getvalue()


# -- the page --------------------------------------------------------------------------------------------
def _card_html(card: ShotCard, theme: Theme, color: str) -> str:
    said = say(card, theme, k=3)
    rows = (
        "".join(f'<li><b class="{"up" if up else "down"}">{pts}</b> {text}</li>' for pts, text, up in said.factors)
        or "<li>no factors stored</li>"
    )
    return (
        f'<div class="card" style="border-left-color:{color}"><div class="top"><b>{said.shooter}</b>'
        f' <span class="chance">{said.chance}</span></div><div class="line">{card_line(card)} · vs {said.goalie}'
        f"</div><ul>{rows}</ul></div>"
    )


def recap_html(recap: Recap, theme: Theme) -> str:
    """The recap as one self-contained HTML page: plotly.js inlined, styles inline, nothing fetched."""
    col, g = theme.colors, recap.game
    hc, ac = _colors(recap, theme)
    an, hn = escape(str(g["away_name"])), escape(str(g["home_name"]))
    config = {"displayModeBar": False, "responsive": True}
    flow = flow_figure(recap, theme)
    flow.update_layout(height=380, margin=dict(l=60, r=20, t=40, b=50))
    flow_div = flow.to_html(full_html=False, include_plotlyjs=True, config=config, div_id="flow")
    map_div = map_figure(recap, theme).to_html(
        full_html=False, include_plotlyjs=False, config={"displayModeBar": False}, div_id="map", default_width="100%"
    )
    d = recap.deserved
    if d is not None:
        dtw = (
            f'<div class="dtw"><span id="dtw-away" data-share="{d.away:.6f}">{chance_text(d.away)}</span>'
            f'<span class="xg">xG {recap.xg(recap.away):.2f} – {recap.xg(recap.home):.2f}</span>'
            f'<span id="dtw-home" data-share="{d.home:.6f}">{chance_text(d.home)}</span></div>'
            f'<div class="bar"><i style="width:{d.away:.2%};background:{ac}"></i>'
            f'<i style="width:{d.home:.2%};background:{hc}"></i></div>'
            f'<p class="note">The share of {d.replays:,} replays of the game that each team wins, every shot going '
            f"in with its rated chance; a replay that ends level counts half to each (overtime and shootouts "
            f"do not depend on the chances created). Outright wins {chance_text(d.away_wins)} and "
            f"{chance_text(d.home_wins)}, ties {chance_text(d.ties)}.</p>"
        )
    else:
        dtw = '<p class="note">No shot of this game is rated yet.</p>'

    def side(team: str, color: str) -> str:
        cards = "".join(_card_html(cd, theme, color) for cd in recap.best.get(team, []))
        return f"<h2>{escape(team)}'s best chances</h2>" + (cards or '<p class="note">no rated chances</p>')

    def moment(title: str, card: ShotCard | None) -> str:
        if card is None:
            return f"<h2>{title}</h2><p class='note'>none in this game</p>"
        team_color = hc if card.shot.get("team") == recap.home else ac
        said = say(card, theme, k=0)
        if card.shot.get("outcome") == "SAVE":
            hero = f"{said.goalie} ({said.opponent}) stops {said.shooter}"
        else:
            hero = f"{said.shooter} ({said.team}) beats {said.goalie}"
        return f'<h2>{title}</h2><p class="hero">{hero}</p>' + _card_html(card, theme, team_color)

    wordmark = escape(theme.logos.wordmark or "")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{an} @ {hn}: recap</title>
<style>
body {{ margin:0; background:{col.background}; color:{col.text}; font-family:{theme.fonts.family}; }}
header {{ display:grid; grid-template-columns:1fr auto 1fr; align-items:center; }}
header .team {{ padding:22px 36px; font-family:{theme.fonts.headline}; font-size:44px; font-weight:bold; }}
header .away {{ background:{ac}; color:{text_on(ac)}; }}
header .home {{ background:{hc}; color:{text_on(hc)}; text-align:right; }}
header .team small {{ display:block; font-family:{theme.fonts.family}; font-size:18px; }}
header .score {{ background:{col.panel}; padding:10px 40px; text-align:center; font-family:{theme.fonts.headline};
  font-size:72px; font-weight:bold; }}
header .score small {{ display:block; font-size:18px; color:{col.accent}; font-family:{theme.fonts.family}; }}
main {{ display:grid; grid-template-columns:1fr 1.5fr 1fr; gap:24px; padding:24px; }}
section {{ min-width:0; }}
h2 {{ font-size:16px; letter-spacing:.08em; text-transform:uppercase; color:{col.muted}; margin:18px 0 8px; }}
.panel, .card {{ background:{col.panel}; border-radius:4px; padding:14px 18px; margin-bottom:12px; }}
.card {{ border-left:8px solid; }}
.card .top {{ display:flex; justify-content:space-between; font-size:22px; }}
.card .chance, .dtw span {{ color:{col.accent}; font-family:{theme.fonts.headline}; font-weight:bold; }}
.card .line {{ color:{col.muted}; font-size:15px; margin:4px 0; }}
.card ul {{ list-style:none; padding:0; margin:6px 0 0; font-size:16px; }}
.card li {{ margin:3px 0; }}
.up {{ color:{col.positive}; }} .down {{ color:{col.negative}; }}
.dtw {{ display:flex; justify-content:space-between; align-items:baseline; }}
.dtw span {{ font-size:56px; color:{col.text}; }} .dtw span.xg {{ font-size:20px; color:{col.accent}; }}
.bar {{ display:flex; height:14px; margin:8px 0; }} .bar i {{ display:block; height:100%; }}
.note {{ color:{col.muted}; font-size:14px; }}
.hero {{ font-size:20px; font-weight:bold; margin:4px 0 8px; }}
footer {{ padding:12px 24px; color:{col.muted}; background:{col.panel}; display:flex; justify-content:space-between; }}
@media (max-width: 1100px) {{ main {{ grid-template-columns:1fr; }} }}
</style></head>
<body>
<header>
  <div class="team away">{an}<small>{escape(recap.away)} · away</small></div>
  <div class="score" id="score">{score_text(g.get("away_score"))} – {score_text(g.get("home_score"))}
    <small>{result_word(g)}</small></div>
  <div class="team home">{hn}<small>home · {escape(recap.home)}</small></div>
</header>
<main>
  <section>{side(recap.away, ac)}{moment("Best save", recap.best_save)}</section>
  <section>
    <h2>Deserved to win</h2><div class="panel">{dtw}</div>
    <h2>Expected goals flow · power plays shaded · goals ★</h2><div class="panel">{flow_div}</div>
    <h2>Shot map · {escape(recap.home)} attack right, {escape(recap.away)} left · size = chance</h2>
    <div class="panel">{map_div}</div>
  </section>
  <section>{side(recap.home, hc)}{moment("Least likely goal", recap.least_likely_goal)}</section>
</main>
<footer><span>{an} @ {hn} · {game_line(g)}</span><b>{wordmark}</b></footer>
</body></html>
"""
