"""Live: the live scorer's newest rated shots, refreshed twice a second.

The scorer (`python -m oa live`) publishes each rated shot as a Parquet part beside the
store (`oa.live.publish`); this page polls that folder in a fragment that reruns
itself every half second, so the rest of the dashboard (sidebar, other widgets) is untouched.
A shot the store holds too opens its detail page; a live-only one shows its published
factors here. Real NHL games (`python -m oa live nhl`) also publish their scoreboard: the
page then shows score, period and clock in the teams' colours, shots and expected goals per
team, and the game flow so far.
"""

from __future__ import annotations

import time

import pandas as pd
import streamlit as st

from oa.app import components as c
from oa.app import live as L
from oa.app import queries as q
from oa.app.components import guard
from oa.app.filters import current
from oa.app.style import clock, narrow_screens, tier_badge
from oa.app.text import esc
from oa.plots.shots import game_flow, live_map, waterfall
from oa.vocab import plural, shot_type_word

guard()  # a deep link on a fresh server runs the whole app first (see oa.app.components)

if st.query_params.get("view") == "studio":  # the full-screen studio view (oa.app.studio)
    from oa.app.studio import show

    show(current().db)
    st.stop()

REFRESH_S = 0.5
CARDS = 10
PER_ROW = 5
CARD_FACTORS = 3
MAP_MAX = 2000
ALL_GAMES = 0
OPEN_KEY = "live_open"  # the live-only shot whose factors are shown inline
GOTO_KEY = "live_goto"  # a stored shot to open once the whole app reruns
START = "start one with `python -m oa live --games 4`"

st.title("Live")
narrow_screens()
f = current()
st.caption(
    f"Shots rated by the live scorer as they are taken, newest first, refreshed twice a second, from "
    f"`{L.folder(f.db)}` (beside the sidebar's data source; its other filters do not apply here). "
    "Click a card's button or a marker to open the shot. Chances are approximate percentage points."
)


def _open(sid: int, stored: bool) -> None:
    """A shot the store holds opens its page; a live-only one opens inline.

    The page switch happens in a whole-app run, not here: switching pages from inside the
    self-refreshing fragment sometimes left the shot page blank (a timed fragment run raced the
    new page's first run)."""
    if stored:
        st.session_state[GOTO_KEY] = int(sid)
        st.rerun(scope="app")
    else:
        st.session_state[OPEN_KEY] = int(sid)


if GOTO_KEY in st.session_state:
    c.open_shot(st.session_state.pop(GOTO_KEY))


def _factor_lines(top: object, k: int) -> str:
    return "\n".join(f"- {fa['words']} **{L.points(fa['pp'])}**" for fa in L.factors(top)[:k])


def _card(r: pd.Series, names: dict, stored: bool) -> None:
    sid = int(r["shot_id"])
    with st.container(border=True, key=f"live_card_{sid}"):
        st.markdown(tier_badge(r["tier"], r["p_goal"]), unsafe_allow_html=True)
        shot_type = shot_type_word(r["shot_type"])
        st.markdown(
            f"**{esc(L.name(names, r['shooter_id']))}** ({esc(r['team'])}) vs {esc(r['opponent'])}  \n"
            f"{clock(r['period'], r['period_seconds'])} · {esc(shot_type)} · {esc(r['strength'] or '')}"
        )
        lines = _factor_lines(r["top_factors"], CARD_FACTORS)
        st.markdown(lines or "_no factors published_")
        if st.button(
            "Open shot" if stored else "Factors",
            key=f"live_btn_{sid}",
            icon=":material/open_in_new:" if stored else ":material/list:",
            help="Open the shot's page" if stored else "Live only (not in the store yet): show its factors here",
        ):
            _open(sid, stored)


def _inline(df: pd.DataFrame, names: dict) -> None:
    """The factors of a live-only shot, below the cards."""
    sid = st.session_state.get(OPEN_KEY)
    if sid is None:
        return
    hit = df[df["shot_id"] == sid]
    if hit.empty:
        st.session_state.pop(OPEN_KEY, None)
        return
    r = hit.iloc[0]
    with st.container(border=True, key="live_inline"):
        head, close = st.columns([6, 1], vertical_alignment="center")
        head.markdown(f"#### Shot {sid} · live only (not in the store yet)")
        close.button(
            "Close", key="live_close", icon=":material/close:", on_click=st.session_state.pop, args=(OPEN_KEY, None)
        )
        left, right = st.columns([2, 3], gap="medium")
        with left:
            st.markdown(tier_badge(r["tier"], r["p_goal"]), unsafe_allow_html=True)
            shot_type = shot_type_word(r["shot_type"])
            st.markdown(
                f"**{esc(L.name(names, r['shooter_id']))}** ({esc(r['team'])}) vs "
                f"{esc(L.name(names, r['goalie_id'], 'empty net'))} ({esc(r['opponent'])})  \n"
                f"Game {int(r['game_id'])} · {clock(r['period'], r['period_seconds'])} · {esc(shot_type)} · "
                f"{esc(r['strength'] or '')} · model {esc(r['model_id'])}"
            )
            st.markdown(_factor_lines(r["top_factors"], 99) or "_no factors published_")
            st.caption("The scorer publishes each shot's strongest factors; the rest are summed in the chart.")
        with right:
            fr = L.factor_frame(r.to_dict())
            if len(fr) and pd.notna(r["base_logit"]):
                from oa.features.registry import factor_labels

                st.plotly_chart(
                    waterfall(
                        fr, float(r["p_goal"]), float(r["base_logit"]), k=len(fr), height=320, labels=factor_labels()
                    ),
                    key=f"live_waterfall_{sid}",
                    theme=None,
                    config=c.CHART_CONFIG,
                )


def _studio_url(db: str, game: int) -> str:
    """The studio view's link: this store, and this game held (all games: follow the newest shot)."""
    from urllib.parse import urlencode

    params = {"view": "studio"}
    if "src" in st.query_params:
        params["src"] = st.query_params["src"]
    if game != ALL_GAMES:
        params["live_game"] = str(int(game))
    return "live?" + urlencode(params)


def _games(summ: pd.DataFrame) -> int:
    """The game picker: all live games or one; returns the game id (0: all)."""
    ids = summ["Id"].tolist()
    labels = {
        int(r["Id"]): f"{r['Game']} · {r['Status']} · {plural(int(r['Away shots']) + int(r['Home shots']), 'shot')}"
        for _, r in summ.iterrows()
    }
    options = [ALL_GAMES, *ids]
    if st.session_state.get("live_game") not in options:
        st.session_state["live_game"] = f.game if f.game in ids else ALL_GAMES
    return st.selectbox(
        "Game",
        options,
        key="live_game",
        format_func=lambda g: f"All live games ({len(ids)})" if g == ALL_GAMES else labels[g],
    )


@st.cache_resource(show_spinner=False, max_entries=16)
def _map(key: tuple, _head: pd.DataFrame, _names: dict, _labels: dict):
    """The live map, built once per set of shots: a rerun with nothing new reuses it (half the
    rerun's cost was building this figure). `key` = (store, shot ids newest first, title, full
    rink); the frames and lookups behind it are not hashed."""
    _, ids, title, full = key
    m = _head.copy()
    m["shooter"] = [L.name(_names, i) for i in m["shooter_id"]]
    m["game"] = [_labels.get(int(g), str(g)) for g in m["game_id"]]
    return live_map(m, half=not full, height=380 if full else 520, newest=ids[0], title=title)


def _team_chip(code: str) -> str:
    name, colour = L.team(code)
    return (
        f"<span style='background:{colour};color:white;border-radius:4px;padding:1px 6px;"
        f"font-weight:600' title='{esc(name)}'>{esc(code)}</span>"
    )


def _scoreboards(boards: dict, summ: pd.DataFrame, df: pd.DataFrame, names: dict, game: int) -> None:
    """Real games: score, period and clock in the teams' colours, shots and xG per team; one game's flow."""
    by_id = summ.set_index("Id")
    shown = [g for g in boards if game in (ALL_GAMES, g)]
    for gid in shown:
        s = boards[gid]
        row = by_id.loc[gid] if gid in by_id.index else None
        stats = ""
        if row is not None:
            stats = (
                f" &nbsp; shots {int(row['Away shots'])} – {int(row['Home shots'])} · "
                f"xG {row['Away xG']:.2f} – {row['Home xG']:.2f}"
            )
        st.markdown(
            f"{_team_chip(str(s['away_team']))} **{L.goals(s.get('away_score'))} – {L.goals(s.get('home_score'))}** "
            f"{_team_chip(str(s['home_team']))} &nbsp; {esc(L.when(s))}{stats}",
            unsafe_allow_html=True,
        )
    if game != ALL_GAMES and game in boards:
        s = boards[game]
        g = L.flow_shots(df[df["game_id"] == game], names)
        (hn, hc), (an, ac) = L.team(s["home_team"]), L.team(s["away_team"])
        st.plotly_chart(
            game_flow(g, str(s["home_team"]), str(s["away_team"]), hc, ac, hn, an),
            key=f"live_flow_{game}",
            theme=None,
            config=c.CHART_CONFIG,
        )


@st.fragment(run_every=REFRESH_S)
def live() -> None:
    """Reruns itself every half second (a shot shows within a second of its rating; it costs the
    server about 16% of a core per open Live page); a failure shows as a note and the next
    run tries again."""
    try:
        _live(time.time())
    except Exception as e:  # noqa: BLE001 - a part being written, a folder being cleaned, an odd row
        st.warning(
            f"Could not show the live ratings just now ({type(e).__name__}: {e}); trying again in a moment.",
            icon=":material/sync_problem:",
        )


def _live(now: float) -> None:
    df, parts = L.shots(f.db, now)
    if df.empty:
        when = "" if parts == 0 else f" in the last {L.RECENT_HOURS:g} hours"
        st.info(f"No live games{when} — {START}. This page refreshes by itself.", icon=":material/sensors_off:")
        st.session_state.pop(OPEN_KEY, None)
        return
    v = q.version(f.db)
    names = L.player_names(f.db, v)
    summ = L.summary(df, L.finished(f.db, df["game_id"].unique().tolist()), now)

    top, pick, studio = st.columns([3, 2, 1], vertical_alignment="bottom")
    with pick:
        game = _games(summ)
    studio.link_button(
        "Studio view",
        _studio_url(f.db, game),
        icon=":material/live_tv:",
        help="Full screen for a studio monitor (1920x1080): "
        + ("the newest game's score, shot and expected goals" if game == ALL_GAMES else "this game, held"),
        width="stretch",
    )
    shown = df if game == ALL_GAMES else df[df["game_id"] == game]
    newest = float(shown["published_at"].iloc[0])
    on_now = (summ["Status"] == "live").sum()
    dot = ":red[**●  LIVE**]" if now - newest < 60 and on_now else ":gray[**●  idle**]"
    top.markdown(
        f"{dot} &nbsp; **{plural(len(df), 'rated shot')}** in **{plural(len(summ), 'game')}** "
        f"({on_now} on now) · newest {L.ago(now - newest)} · refreshed {time.strftime('%H:%M:%S')}"
    )
    boards = L.scoreboards(f.db)
    if boards:
        _scoreboards(boards, summ, df, names, game)

    # -- the ticker: newest shots as cards ---------------------------------------------------
    latest = shown.head(CARDS)
    stored = L.in_store(f.db, v, tuple(int(i) for i in latest["shot_id"]))
    for start in range(0, len(latest), PER_ROW):
        cols = st.columns(PER_ROW)
        for col, (_, r) in zip(cols, latest.iloc[start : start + PER_ROW].iterrows()):
            with col:
                _card(r, names, int(r["shot_id"]) in stored)
    _inline(df, names)

    # -- map and games ---------------------------------------------------------------------
    left, right = st.columns([3, 2], gap="medium")
    with left:
        head = shown.head(MAP_MAX)
        labels = dict(zip(summ["Id"], summ["Game"]))
        full = bool((head["x"] < 0).any())
        title = (
            "All live games" if game == ALL_GAMES else labels.get(game, str(game))
        ) + f" · {plural(len(head), 'shot')}, attacking right"
        fig = _map((f.db, tuple(head["shot_id"].tolist()), title, full), head, names, labels)

        def pick_marker(sid: int) -> None:
            _open(sid, sid in L.in_store(f.db, v, (int(sid),)))

        c.clickable_chart(fig, key="live_map", on_pick=pick_marker)
        st.caption(
            "Colour is the danger tier; the newest shot is ringed. Outcomes are not part of the live "
            "rating (it is made at the release)."
        )
    with right:
        st.markdown("**Games**")
        view = pd.DataFrame(
            {
                "Game": summ["Game"],
                "Shots": [f"{a} – {h}" for a, h in zip(summ["Away shots"], summ["Home shots"])],
                "xG": [f"{a:.2f} – {h:.2f}" for a, h in zip(summ["Away xG"], summ["Home xG"])],
                "Last shot": summ["Last shot"],
                "Updated": summ["Updated"],
                "Status": summ["Status"],
            }
        )
        c.data_table(
            view,
            name="live-games",
            key="live_games",
            column_config={
                "Game": st.column_config.TextColumn("Game", pinned=True),  # stays in view while a phone scrolls
                "Shots": st.column_config.TextColumn("Shots", help="Rated attempts, away – home"),
                "xG": st.column_config.TextColumn(
                    "xG",
                    help="Expected goals, away – home: the sum of the live chances of every attempt the scorer rated",
                ),
                "Last shot": st.column_config.TextColumn(
                    "Last shot", help="Period and elapsed time of the latest shot"
                ),
            },
        )
        xg = shown.groupby("team")["p_goal"].agg(["count", "sum"]).sort_values("sum", ascending=False)
        st.caption(
            " · ".join(f"{esc(t)}: {plural(int(r['count']), 'shot')}, {r['sum']:.2f} xG" for t, r in xg.iterrows())
            + (" (all live games)." if game == ALL_GAMES else ".")
            + " Expected goals sum the live chances of every rated attempt."
        )


live()
