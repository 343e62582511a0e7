"""The Live page's studio view: one live game, full screen, for a 1920x1080 monitor read from three metres.

`/live?view=studio` opens it (`&live_game=<id>` holds one game; without it the view follows the game
with the newest rated shot). It shows the score bug in the teams' colours (score, period, clock), the
newest shot's card (shooter, chance with its tier, the three strongest factors with their points), the
running expected goals and shots per team, the latest shots, and a line with the other live games.

Everything is one block of HTML built here from the live folder's rows and scoreboards (`build`, then
`render`), which the page's fragment sends twice a second. Streamlit only touches the page when the
HTML changed, so a refresh with nothing new changes nothing on screen (no flicker), and a new shot
replaces the block in one paint. Sizes are pixels for a 1920x1080 screen, none under `MIN_PX`; colours
and fonts come from the broadcast theme (`oa/broadcast/theme.toml`), team colours from the theme's
overrides, the store's teams table (the demo league's own colours), then the NHL's official ones.
"""

from __future__ import annotations

import html
import math
import re
import time
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from oa.app import live as L
from oa.app import queries as q
from oa.broadcast.theme import Theme, load_theme
from oa.rink import PERIOD_S, REGULAR_SEASON_OT_S
from oa.settings import DEFAULT_THEME
from oa.vocab import shot_type_word, tier_color

MIN_PX = 28  # the smallest type on the studio view: 28 px on 1920x1080 reads from about three metres
FACTORS = 3
RECENT = 4
OTHERS = 6
ROOT_ID = "oa-studio"


@dataclass(frozen=True)
class Side:
    code: str
    name: str
    color: str
    score: int | None
    shots: int
    xg: float


@dataclass(frozen=True)
class Shot:
    shot_id: int
    shooter: str
    team: str
    goalie: str
    when: str
    what: str  # "Wrist shot · 5v5"
    p_goal: float
    tier: str | None
    factors: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Board:
    """Everything the studio view shows, already in words (what `render` draws)."""

    game_id: int
    away: Side
    home: Side
    status: str  # "P2 12:34", "P2 intermission", "Final"
    live: bool
    newest: Shot | None
    recent: tuple[Shot, ...] = ()
    others: tuple[str, ...] = field(default_factory=tuple)


def esc(v: object) -> str:
    return html.escape(str(v), quote=True)


def _int(v: object) -> int | None:
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return int(f) if math.isfinite(f) else None


def pick_game(df: pd.DataFrame, want: int | None) -> int | None:
    """The game to show: the one asked for if it is live, else the one with the newest rated shot."""
    if df.empty:
        return None
    ids = pd.unique(df["game_id"].astype("int64"))
    if want is not None and want in set(ids.tolist()):
        return int(want)
    return int(ids[0])  # df is newest first


def countdown(game_id: object, period: object, seconds: object) -> str:
    """'P2 12:34' with the clock counting down, as on a broadcast's score bug (the Live page's cards
    count up). Overtime is five minutes in the regular season, twenty in the playoffs: both the NHL's
    and the demo league's game ids carry the game type in the digits before the last four."""
    p, s = _int(period), _int(seconds)
    if p is None or s is None:
        return ""
    playoff = (_int(game_id) or 0) // 10_000 % 100 == 3
    length = PERIOD_S if p <= 3 or playoff else REGULAR_SEASON_OT_S
    left = max(0, int(length) - s)
    label = f"P{p}" if p <= 3 else ("OT" if p == 4 else f"{p - 3}OT")
    return f"{label} {left // 60:d}:{left % 60:02d}"


def _shot(r: dict, names: dict[int, str]) -> Shot:
    fs = tuple((f["words"], f["pp"]) for f in L.factors(r.get("top_factors"))[:FACTORS])
    kind = shot_type_word(r.get("shot_type"))
    strength = str(r.get("strength") or "")
    return Shot(
        shot_id=int(r["shot_id"]),
        shooter=L.name(names, r.get("shooter_id")),
        team=str(r.get("team") or ""),
        goalie=L.name(names, r.get("goalie_id"), "Empty net"),
        when=countdown(r.get("game_id"), r.get("period"), r.get("period_seconds")),
        what=" · ".join(p for p in (f"{kind} shot" if kind else "", strength) if p),
        p_goal=float(r["p_goal"]) if r.get("p_goal") is not None else float("nan"),
        tier=str(r["tier"]) if r.get("tier") in ("low", "medium", "high") else None,
        factors=fs,
    )


def _status(board: dict | None, last: dict, final: bool) -> tuple[str, bool]:
    if board is not None:
        w = L.when(board)
        if w == "final":
            return "Final", False
        return (w or _clock(last)), not final
    if final:
        return "Final", False
    return _clock(last), True


def _clock(r: dict) -> str:
    return countdown(r.get("game_id"), r.get("period"), r.get("period_seconds"))


def _rgb(c: str) -> tuple[int, int, int]:
    return int(c[1:3], 16), int(c[3:5], 16), int(c[5:7], 16)


def distinct(away: str, home: str, away_code: str, closest: float = 90.0) -> str:
    """The away team's colour, changed when it is too close to the home team's to tell apart on screen
    (two navy teams): its generated colour, or that colour's opposite hue if even that is close."""
    import colorsys

    from oa.broadcast.theme import generated_color

    def far(a: str, b: str) -> bool:
        try:
            return math.dist(_rgb(a), _rgb(b)) >= closest
        except ValueError:
            return True

    if far(away, home):
        return away
    alt = generated_color(away_code)
    if far(alt, home):
        return alt
    h, lum, sat = colorsys.rgb_to_hls(*(v / 255 for v in _rgb(alt)))
    r, g, b = colorsys.hls_to_rgb((h + 0.5) % 1.0, lum, sat)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def build(
    df: pd.DataFrame,
    boards: dict[int, dict],
    want: int | None,
    names: dict[int, str],
    teams: dict[str, tuple[str, str]],
    finished: set[int] = frozenset(),  # type: ignore[assignment]
) -> Board | None:
    """The studio board of one game from the live rows (newest first) and scoreboards; None if nothing is live.

    `teams` maps a team code to (name, colour). The score is the feed's scoreboard when it has one,
    else the goals among the published outcomes, else unknown (shown as a dash)."""
    gid = pick_game(df, want)
    if gid is None:
        return None
    g = df[df["game_id"].astype("int64") == gid]
    away_code, home_code = L.game_label(g).split(" @ ")
    board = boards.get(gid)
    by = g.groupby("team")["p_goal"].agg(["count", "sum"])
    goals = g[g["outcome"] == "GOAL"].groupby("team").size() if "outcome" in g.columns else pd.Series(dtype=int)

    def side(code: str, key: str) -> Side:
        name, colour = teams.get(code, (code, "#5f6b7a"))
        score = _int(board.get(f"{key}_score")) if board is not None else None
        if score is None and board is None and "outcome" in g.columns and g["outcome"].notna().any():
            score = int(goals.get(code, 0))
        return Side(
            code=code,
            name=name,
            color=colour,
            score=score,
            shots=int(by["count"].get(code, 0)),
            xg=float(by["sum"].get(code, 0.0)),
        )

    if away_code in teams and home_code in teams:
        teams = {
            **teams,
            away_code: (teams[away_code][0], distinct(teams[away_code][1], teams[home_code][1], away_code)),
        }
    rows = g.head(RECENT + 1).to_dict("records")
    status, live = _status(board, rows[0], gid in finished)
    others = []
    for oid in [int(i) for i in pd.unique(df["game_id"].astype("int64")) if int(i) != gid][:OTHERS]:
        og = df[df["game_id"].astype("int64") == oid]
        label = L.game_label(og)
        ob = boards.get(oid)
        if ob is not None:
            a, h = label.split(" @ ")
            others.append(f"{a} {L.goals(ob.get('away_score'))}–{L.goals(ob.get('home_score'))} {h} · {L.when(ob)}")
        else:
            others.append(f"{label} · {_clock(og.iloc[0].to_dict())}")
    return Board(
        game_id=gid,
        away=side(away_code, "away"),
        home=side(home_code, "home"),
        status=status,
        live=live,
        newest=_shot(rows[0], names),
        recent=tuple(_shot(r, names) for r in rows[1:]),
        others=tuple(others),
    )


# -- drawing ------------------------------------------------------------------------------------

PX = {  # type sizes on a 1920x1080 screen; every one at least MIN_PX
    "code": 76,
    "team": 32,
    "score": 132,
    "status": 60,
    "pill": 32,
    "label": 30,
    "shooter": 72,
    "line": 34,
    "chance": 150,
    "badge": 40,
    "factor": 38,
    "xg": 72,
    "small": 30,
    "recent": 32,
    "foot": 30,
}
assert min(PX.values()) >= MIN_PX  # noqa: S101 - a design rule, checked on import


def _pct(p: float) -> str:
    return "–" if p != p else f"{100 * p:.0f}%"


def _css(t: Theme) -> str:
    c, f = t.colors, t.fonts
    return f"""
#{ROOT_ID} {{ --u: min(calc(100vw / 1920), calc(100vh / 1080));
  position: fixed; left: 50%; top: 50%; width: 1920px; height: 1080px; transform: translate(-50%, -50%);
  box-shadow: 0 0 0 100vmax {c.background}; z-index: 999990; box-sizing: border-box; overflow: hidden;
  display: grid; grid-template-rows: 200px minmax(0, 1fr) 64px; gap: 28px; padding: 36px 48px 24px;
  background: {c.background}; color: {c.text}; font-family: {f.family}; line-height: 1.15; }}
#{ROOT_ID} * {{ box-sizing: border-box; }}
#{ROOT_ID} .bug {{ display: grid; grid-template-columns: minmax(0, 1fr) 440px minmax(0, 1fr); gap: 24px; }}
#{ROOT_ID} .team {{ display: flex; align-items: center; justify-content: space-between; gap: 24px;
  border-radius: 18px; padding: 0 40px; min-width: 0; color: #ffffff; }}
#{ROOT_ID} .team.home {{ flex-direction: row-reverse; }}
#{ROOT_ID} .who {{ display: flex; flex-direction: column; min-width: 0; }}
#{ROOT_ID} .team.home .who {{ align-items: flex-end; text-align: right; }}
#{ROOT_ID} .code {{ font-family: {f.headline}; font-size: {PX["code"]}px; font-weight: 800; letter-spacing: 2px; }}
#{ROOT_ID} .tname {{ font-size: {PX["team"]}px; opacity: 0.92; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; max-width: 520px; }}
#{ROOT_ID} .score {{ font-family: {f.headline}; font-size: {PX["score"]}px; font-weight: 800;
  font-variant-numeric: tabular-nums; }}
#{ROOT_ID} .mid {{ display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 14px;
  background: {c.panel}; border-radius: 18px; }}
#{ROOT_ID} .status {{ font-size: {PX["status"]}px; font-weight: 700; font-variant-numeric: tabular-nums;
  white-space: nowrap; }}
#{ROOT_ID} .pill {{ font-size: {PX["pill"]}px; font-weight: 700; letter-spacing: 3px; color: {c.muted}; }}
#{ROOT_ID} .pill.on {{ color: #ff4d4d; }}
#{ROOT_ID} .main {{ display: grid; grid-template-columns: minmax(0, 1.5fr) minmax(0, 1fr); gap: 28px; min-height: 0; }}
#{ROOT_ID} .panel {{ background: {c.panel}; border-radius: 22px; padding: 30px 44px; min-width: 0; min-height: 0;
  overflow: hidden; display: flex; flex-direction: column; gap: 12px; }}
#{ROOT_ID} .panel > * {{ flex-shrink: 0; }}
#{ROOT_ID} .label {{ font-size: {PX["label"]}px; letter-spacing: 3px; color: {c.muted}; font-weight: 700; }}
#{ROOT_ID} .shooter {{ font-family: {f.headline}; font-size: {PX["shooter"]}px; font-weight: 800;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
#{ROOT_ID} .line {{ font-size: {PX["line"]}px; color: {c.muted}; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }}
#{ROOT_ID} .rating {{ display: flex; align-items: center; gap: 36px; }}
#{ROOT_ID} .chance {{ font-family: {f.headline}; font-size: {PX["chance"]}px; font-weight: 800; color: {c.accent};
  line-height: 1; font-variant-numeric: tabular-nums; }}
#{ROOT_ID} .badge {{ font-size: {PX["badge"]}px; font-weight: 800; letter-spacing: 2px; padding: 10px 26px;
  border-radius: 40px; white-space: nowrap; }}
#{ROOT_ID} .factor {{ display: flex; justify-content: space-between; gap: 28px; font-size: {PX["factor"]}px;
  border-top: 2px solid rgba(255,255,255,0.12); padding-top: 14px; }}
#{ROOT_ID} .factor .w {{ white-space: nowrap; overflow: hidden; text-overflow: ellipsis; min-width: 0; }}
#{ROOT_ID} .factor .p {{ font-weight: 800; white-space: nowrap; font-variant-numeric: tabular-nums; }}
#{ROOT_ID} .up {{ color: {c.positive}; }}
#{ROOT_ID} .down {{ color: {c.negative}; }}
#{ROOT_ID} .xgrow {{ display: grid; grid-template-columns: 120px minmax(0, 1fr) 170px; align-items: center; gap: 22px; }}
#{ROOT_ID} .xgcode {{ font-family: {f.headline}; font-size: 44px; font-weight: 800; }}
#{ROOT_ID} .bar {{ height: 30px; border-radius: 15px; background: rgba(255,255,255,0.10); overflow: hidden; }}
#{ROOT_ID} .bar > div {{ height: 100%; border-radius: 15px; }}
#{ROOT_ID} .xg {{ font-family: {f.headline}; font-size: {PX["xg"]}px; font-weight: 800; text-align: right;
  font-variant-numeric: tabular-nums; }}
#{ROOT_ID} .small {{ font-size: {PX["small"]}px; color: {c.muted}; }}
#{ROOT_ID} .recent {{ display: grid; grid-template-columns: 12px 150px minmax(0, 1fr) 100px; gap: 18px;
  align-items: center; font-size: {PX["recent"]}px; }}
#{ROOT_ID} .recent .n {{ white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
#{ROOT_ID} .recent .t {{ color: {c.muted}; font-variant-numeric: tabular-nums; white-space: nowrap; }}
#{ROOT_ID} .recent .c {{ text-align: right; font-weight: 800; font-variant-numeric: tabular-nums; }}
#{ROOT_ID} .tick {{ align-self: stretch; border-radius: 6px; }}
#{ROOT_ID} .foot {{ display: flex; justify-content: space-between; align-items: center; gap: 32px;
  font-size: {PX["foot"]}px; color: {c.muted}; white-space: nowrap; overflow: hidden; }}
#{ROOT_ID} .foot .games {{ overflow: hidden; text-overflow: ellipsis; min-width: 0; }}
#{ROOT_ID} .foot .brand {{ letter-spacing: 3px; font-weight: 700; }}
#{ROOT_ID} .empty {{ grid-row: 1 / 3; display: flex; flex-direction: column; justify-content: center;
  align-items: center; gap: 28px; text-align: center; }}
#{ROOT_ID} .empty .big {{ font-size: 64px; font-weight: 800; }}
#{ROOT_ID} .empty .how {{ font-size: 36px; color: {c.muted}; }}
"""


PX_RE = re.compile(r"(\d+(?:\.\d+)?)px")


def scaled_css(t: Theme) -> str:
    """The view's style with every size in units of `--u`, a pixel of a 1920x1080 screen scaled to the window
    (1 px there, smaller on a laptop preview): the whole view shrinks and letterboxes instead of overlapping."""
    return PX_RE.sub(r"calc(\1 * var(--u))", _css(t))


def _badge(t: Theme, tier: str | None) -> str:
    style = t.tier(tier)
    if style is None:
        return ""
    return f"<span class='badge' style='background:{style.color};color:{style.text}'>{esc(style.word)}</span>"


def _side(s: Side, where: str) -> str:
    score = "–" if s.score is None else str(s.score)
    return (
        f"<div class='team {where}' style='background:{esc(s.color)}'>"
        f"<div class='who'><span class='code'>{esc(s.code)}</span><span class='tname'>{esc(s.name)}</span></div>"
        f"<span class='score' data-side='{where}'>{esc(score)}</span></div>"
    )


def _card(t: Theme, s: Shot | None, b: Board) -> str:
    if s is None:
        return "<div class='panel card'><div class='label'>NEWEST SHOT</div><div class='line'>No shot yet</div></div>"
    opponent = b.home.code if s.team == b.away.code else b.away.code
    rows = (
        "".join(
            f"<div class='factor'><span class='w'>{esc(w)}</span>"
            f"<span class='p {'up' if pp == pp and pp >= 0 else 'down'}'>{esc(L.points(pp))}</span></div>"
            for w, pp in s.factors
        )
        or "<div class='factor'><span class='w'>No factors published</span></div>"
    )
    return (
        f"<div class='panel card' data-shot='{s.shot_id}'>"
        f"<div class='label'>NEWEST SHOT · {esc(s.when)}</div>"
        f"<div class='shooter'>{esc(s.shooter)}</div>"
        f"<div class='line'>{esc(s.team)} · on {esc(s.goalie)} ({esc(opponent)}) · {esc(s.what)}</div>"
        f"<div class='rating'><span class='chance'>{_pct(s.p_goal)}</span>{_badge(t, s.tier)}</div>"
        f"<div class='label'>CHANCE OF A GOAL · WHY</div>{rows}</div>"
    )


def _xg(b: Board) -> str:
    top = max(b.away.xg, b.home.xg, 0.5)
    rows = "".join(
        f"<div class='xgrow'><span class='xgcode'>{esc(s.code)}</span>"
        f"<div class='bar'><div style='width:{100 * s.xg / top:.1f}%;background:{esc(s.color)}'></div></div>"
        f"<span class='xg' data-xg='{esc(s.code)}'>{s.xg:.2f}</span></div>"
        f"<div class='small'>{s.shots} {'shot' if s.shots == 1 else 'shots'} rated</div>"
        for s in (b.away, b.home)
    )
    recent = "".join(
        f"<div class='recent'><span class='tick' style='background:{tier_color(r.tier)}'></span>"
        f"<span class='t'>{esc(r.when)}</span><span class='n'>{esc(r.shooter)} ({esc(r.team)})</span>"
        f"<span class='c'>{_pct(r.p_goal)}</span></div>"
        for r in b.recent
    )
    return (
        f"<div class='panel side'><div class='label'>EXPECTED GOALS</div>{rows}"
        + (f"<div class='label'>EARLIER SHOTS</div>{recent}" if recent else "")
        + "</div>"
    )


def render(
    b: Board | None, t: Theme, waiting: str = "Start one with python -m oa live --games 4", style: bool = True
) -> str:
    """The studio view's HTML: one fixed full-screen element, after its style block unless `style` is False
    (the page sends the style once and only the element on each refresh)."""
    css = f"<style>{scaled_css(t)}</style>" if style else ""
    brand = esc(t.logos.wordmark or "OPPORTUNITY ANALYSIS")
    if b is None:
        body = (
            f"<div class='empty'><div class='big'>No live games</div><div class='how'>{esc(waiting)}</div></div>"
            f"<div class='foot'><span class='games'></span><span class='brand'>{brand}</span></div>"
        )
        return f"{css}<div id='{ROOT_ID}' data-game=''>{body}</div>"
    pill = "<span class='pill on'>● LIVE</span>" if b.live else ""
    status = esc(b.status)
    bug = (
        f"<div class='bug'>{_side(b.away, 'away')}"
        f"<div class='mid'><span class='status'>{status}</span>{pill}</div>"
        f"{_side(b.home, 'home')}</div>"
    )
    main = f"<div class='main'>{_card(t, b.newest, b)}{_xg(b)}</div>"
    games = "   ·   ".join(esc(o) for o in b.others)
    foot = (
        f"<div class='foot'><span class='games'>{('Also live: ' + games) if games else ''}</span>"
        f"<span class='brand'>{brand}</span></div>"
    )
    newest = b.newest.shot_id if b.newest else ""
    return f"{css}<div id='{ROOT_ID}' data-game='{b.game_id}' data-newest='{newest}'>{bug}{main}{foot}</div>"


# Streamlit's chrome hidden for the studio view (the view itself covers the page, this keeps the
# sidebar's toggle, the header, the toolbar and the running indicator from showing through)
CHROME_CSS = """
<style>
header[data-testid="stHeader"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
[data-testid="stSidebarNav"], [data-testid="stBottom"], footer { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: none !important; }
html, body { overflow: hidden !important; }
</style>
"""


# -- the page --------------------------------------------------------------------------------

REFRESH_S = 0.6  # a rating reaches the screen within about 0.7 s at about 15% of a core per open view (bench studio)
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


@st.cache_data(**q.CACHE)
def store_teams(db: str, v: float) -> dict[str, tuple[str | None, str | None]]:
    """The store's own team names and colours (the demo league's), by code."""
    try:
        df = q.run(db, "SELECT team, name, color FROM teams")
    except Exception:  # noqa: BLE001 - a store without teams: the NHL's or generated colours
        return {}
    return {str(r.team): (r.name, r.color) for r in df.itertuples()}


def team_style(code: str, own: dict[str, tuple[str | None, str | None]], t: Theme) -> tuple[str, str]:
    """(name, colour) of a team: the theme's override, the store's colour, the NHL's, else one made from
    the code. A colour that is not "#rrggbb" (a hostile store) is never used."""
    name, colour = own.get(code, (None, None))
    override = t.teams.get(code)
    if override is not None and override.color:
        colour = override.color
    elif not (isinstance(colour, str) and HEX.match(colour)):
        colour = t.team_color(code)
    return str(name or L.team(code)[0]), str(colour)


def want_game() -> int | None:
    """The game the link holds (`live_game=<id>`), or None to follow the newest shot."""
    raw = st.query_params.get("live_game")
    v = _int(raw) if raw is not None and str(raw).strip().lstrip("-").isdigit() else None
    return v


_DRAWN: dict[tuple, str] = {}  # the last views drawn, by what they were drawn from
_DRAWN_MAX = 64


def _states_signature(db: str) -> tuple:
    """(file, modification) of every scoreboard: changes whenever a feed sends a new one."""
    out = []
    for p in sorted((L.folder(db) / "state").glob("*.json")):
        try:
            out.append((p.name, p.stat().st_mtime_ns))
        except OSError:
            continue
    return tuple(out)


def studio_html(db: str, want: int | None, t: Theme, now: float | None = None, style: bool = True) -> str:
    """The studio view of store `db`'s live folder right now.

    Drawn again only when something it shows changed (the folder's parts, a scoreboard, the store):
    a refresh with nothing new costs two directory listings."""
    now = time.time() if now is None else now
    key = (db, q.version(db), L.signature(L.folder(db)), _states_signature(db), want, id(t), style, int(now // 600))
    hit = _DRAWN.get(key)
    if hit is not None:
        return hit
    df, _ = L.shots(db, now)
    if df.empty:
        out = render(None, t, style=style)
    else:
        v = q.version(db)
        own = store_teams(db, v)
        codes = set(df["team"].dropna().astype(str)) | set(df["opponent"].dropna().astype(str))
        teams = {c: team_style(c, own, t) for c in codes}
        done = L.finished(db, [int(g) for g in pd.unique(df["game_id"])])
        board = build(df, L.scoreboards(db), want, L.player_names(db, v), teams, done)
        out = render(board, t, style=style)
    if len(_DRAWN) >= _DRAWN_MAX:
        _DRAWN.pop(next(iter(_DRAWN)))
    _DRAWN[key] = out
    return out


def theme_or_default() -> Theme:
    """The broadcaster's theme (OA_THEME), or the packaged one after a warning if theirs is broken."""
    from oa.app.components import broadcast_theme

    return broadcast_theme() or load_theme(DEFAULT_THEME)


def show(db: str) -> None:
    """Draw the studio view (the Live page calls this for `?view=studio`, then stops)."""
    t = theme_or_default()
    st.html(f"{CHROME_CSS}<style>{scaled_css(t)}</style>")  # once: each refresh sends only the view itself
    want = want_game()

    @st.fragment(run_every=REFRESH_S)
    def frame() -> None:
        try:
            body = studio_html(db, want, t, time.time(), style=False)
        except Exception as e:  # noqa: BLE001 - a part being written, an odd row: say so, try again
            why = f"Could not read the live ratings just now ({type(e).__name__}); retrying"
            body = render(None, t, waiting=why, style=False)
        st.html(body)

    frame()
