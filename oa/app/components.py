"""The page frame and its building blocks: navigation and the shared start, the store banner,
friendly empty states, clickable shot maps and tables.

Streamlit serves a fresh server's first request for a deep link (`/explorer`, `/shot?shot=...`)
from the `pages/` folder directly, without running `app.py`: no navigation, no sidebar
filters, no first-start build. Every page therefore starts with `guard()`: if it is not
running inside `run_app()`, it runs the whole app (which then runs the page) and stops.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from oa.app import queries as q
from oa.app.filters import Filters, current
from oa.app.style import clock, narrow_screens
from oa.app.tables import data_table
from oa.app.text import esc
from oa.vocab import GOOD_BAD, outcome_word, shot_type_word, tier_word

if TYPE_CHECKING:
    from oa.broadcast.theme import Theme

# -- navigation and the shared start (app.py runs it; every page starts with guard()) -----------------
_local = threading.local()  # Streamlit runs each session's script in its own thread
_log = logging.getLogger(__name__)
# the browser tab's icon: an emoji is drawn in the page itself; a ":material/...:" icon is fetched
# from fonts.gstatic.com on every page, which an offline or privacy-minded install must not do
PAGE_ICON = "🏒"


def _pages() -> dict:
    return {
        "league": st.Page("pages/league.py", title="League", icon=":material/leaderboard:", default=True),
        "live": st.Page("pages/live.py", title="Live", icon=":material/sensors:", url_path="live"),
        "explorer": st.Page(
            "pages/explorer.py", title="Shot explorer", icon=":material/scatter_plot:", url_path="explorer"
        ),
        "shot": st.Page("pages/shot.py", title="Shot detail", icon=":material/sports_hockey:", url_path="shot"),
        "debates": st.Page(
            "pages/debates.py", title="Debates & leaderboards", icon=":material/balance:", url_path="debates"
        ),
        "players": st.Page("pages/players.py", title="Players", icon=":material/person:", url_path="players"),
        "games": st.Page("pages/games.py", title="Games & teams", icon=":material/stadium:", url_path="games"),
        "model": st.Page("pages/model.py", title="Model", icon=":material/model_training:", url_path="model"),
        "data": st.Page("pages/data.py", title="Data", icon=":material/database:", url_path="data"),
    }


def run_app() -> None:
    """Page config, navigation, first-start build, shared sidebar, then the chosen page."""
    from oa.app.queries import ensure_demo_store

    st.set_page_config(page_title="Opportunity Analysis", page_icon=PAGE_ICON, layout="wide")
    pages = _pages()
    # navigation first, so the sidebar is right even while the first-start build runs
    pg = st.navigation(list(pages.values()))
    # a shared link `?shot=<id>` on the app's root opens that shot (once, when the session starts)
    if not st.session_state.get("_oa_started"):
        st.session_state["_oa_started"] = True
        if "shot" in st.query_params and pg.url_path != "shot":
            st.switch_page(pages["shot"], query_params=dict(st.query_params))
    try:
        ensure_demo_store()
    except Exception as e:  # noqa: BLE001 - shown to the user, the app cannot go on without a store
        _log.exception("could not build the demo league")  # the traceback goes to the terminal, not to visitors
        st.error(
            f"Could not build the demo league: {e}. The terminal running the app has the details.",
            icon=":material/error:",
        )
        st.stop()
    from oa.app.filters import sidebar
    from oa.app.runs import banner

    sidebar()
    if pg.url_path != "data" and not readable(pages["data"]):
        st.stop()
    banner()
    _local.active = True
    try:
        pg.run()
    finally:
        _local.active = False


def readable(data_page: st.Page) -> bool:
    """False, with a message, when the sidebar's store cannot be read (damaged, not a store, locked by a
    writer): every page but Data would fail on it; the Data page lists it with the others."""
    from oa.app.stores import describe

    info = describe(current().db)
    if info.ok:
        return True
    st.error(
        f"The data source **{esc(info.name)}** {esc(info.problem)} Pick another data source in the sidebar.",
        icon=":material/database:",
    )
    st.page_link(data_page, label="See every store on the Data page", icon=":material/database:")
    return False


def guard() -> None:
    """First line of every page: outside the app (a deep link on a fresh server), run the app instead."""
    if not getattr(_local, "active", False):
        run_app()
        st.stop()


# -- page building blocks ---------------------------------------------------------------------------------
CHART_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
SHOT_PAGE = "pages/shot.py"


def page_start(title: str, caption: str | None = None) -> tuple[Filters, float] | None:
    """Title, data-source banner and the shared filters; None (with a message) if the store is empty."""
    st.title(title)
    narrow_screens()
    f = current()
    v = q.version(f.db)
    if q.n_games(f.db, v) == 0:
        st.info(
            f"This store has no games yet ({f.db}). Build the demo league with `python -m oa demo`, "
            "or load a data source, then reload this page.",
            icon=":material/info:",
        )
        return None
    meta = q.meta(f.db, v)
    league = esc(meta.get("league") or "League")  # store metadata, written by whatever loaded it
    if meta.get("source") == "demo":
        st.caption(f":material/science: **{league}**: a fictional, simulated league, not real NHL data.")
    else:
        st.caption(f"{league} · source: {esc(meta.get('source', 'unknown'))}")
    if caption:
        st.caption(caption)
    return f, v


def lazy_tabs(labels: list[str], key: str) -> Sequence[Any]:
    """Tabs of which only the open one runs: choosing another reruns the page with it open
    (`st.tabs(on_change="rerun")`; the caller draws a tab's content under `if tab.open`). A page of
    costly panels then computes one per filter change, not all of them for tabs nobody looks at."""
    return st.tabs(labels, key=key, on_change="rerun")


def empty(message: str = "No shots match these filters.") -> None:
    st.info(
        f"{message} Widen the filters in the sidebar (season, team, player, strength, tier, outcome).",
        icon=":material/filter_alt_off:",
    )


def no_model_note(db: str, v: float) -> bool:
    """True if the store has scores; otherwise says how to get them."""
    if q.has_scores(db, v):
        return True
    st.info(
        f"No shot in this store has a model rating yet, so shots are not coloured by danger. "
        f"Train and score with `python -m oa train --db {db}` and `python -m oa score --db {db}`.",
        icon=":material/model_training:",
    )
    return False


def open_shot(shot_id: int) -> None:
    st.switch_page(SHOT_PAGE, query_params={"shot": str(int(shot_id))})


def clickable_chart(
    fig: go.Figure, key: str, height: int | None = None, on_pick: Callable[[int], None] | None = None
) -> None:
    """A Plotly chart whose shot markers (shot id first in customdata) open the shot when clicked.

    `on_pick(shot_id)` replaces opening the shot page (the Live page shows live-only shots inline).
    """
    event = st.plotly_chart(fig, key=key, on_select="rerun", selection_mode="points", theme=None, config=CHART_CONFIG)
    try:
        pts = event["selection"]["points"] if event else []
    except (KeyError, TypeError):
        pts = []
    for pt in pts:
        cd = pt.get("customdata") if isinstance(pt, dict) else None
        if cd:
            try:
                sid = int(str(cd[0]))
            except (TypeError, ValueError):
                continue
            if st.session_state.get(f"_handled_{key}") == sid:
                return
            st.session_state[f"_handled_{key}"] = sid
            (on_pick or open_shot)(sid)
            return


def shot_rows(df: pd.DataFrame) -> pd.DataFrame:
    """A shot list in words, for tables."""
    if df.empty:
        return pd.DataFrame()
    out = pd.DataFrame(
        {
            "Chance": df["p_goal"].astype(float) * 100,
            "Tier": df["tier"].map(tier_word),
            "Outcome": df["outcome"].map(outcome_word),
            "Shooter": df["shooter"],
            "Team": df["team"],
            "Goalie": df["goalie"],
            "Opp": df["opponent"],
            "Type": df["shot_type"].map(shot_type_word),
            "Strength": df["strength"],
            "Date": pd.to_datetime(df["date"]),
            "Time": [clock(p, s) for p, s in zip(df["period"], df["period_seconds"])],
            "Shot": df["shot_id"].astype("int64"),
        }
    )
    return out


SHOT_COLUMNS_CONFIG = {
    "Chance": st.column_config.ProgressColumn(
        "Chance", format="%.1f%%", min_value=0, max_value=100, help="The model's probability of a goal", width="small"
    ),
    "Date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
    "Shot": st.column_config.NumberColumn("Shot", format="%d", help="Shot id (select a row to open the shot)"),
}


def shot_table(
    df: pd.DataFrame,
    key: str,
    height: int | None = None,
    name: str = "shots",
    filters: Filters | None = None,
    extra: tuple[object, ...] = (),
) -> None:
    """A sortable shot table with its CSV and Parquet downloads (named `name` and the filters);
    selecting a row opens the shot."""
    rows = shot_rows(df)
    if rows.empty:
        empty()
        return
    ev = data_table(
        rows,
        name=name,
        filters=filters,
        extra=extra,
        key=key,
        on_select="rerun",
        selection_mode="single-row",
        column_config=SHOT_COLUMNS_CONFIG,
        height=height or "auto",
    )
    sel = ev.selection.rows if ev is not None else []
    if sel:
        sid = int(rows["Shot"].iloc[sel[0]])
        if st.session_state.get(f"_handled_{key}") != sid:
            st.session_state[f"_handled_{key}"] = sid
            open_shot(sid)


def good_bad_table(
    df: pd.DataFrame,
    signed: dict[str, str | Callable[[object], str]],
    formats: dict[str, str | Callable[[object], str]] | None = None,
):
    """A table whose signed columns (positive: good for the subject) are coloured as the diverging maps are.

    `signed` maps a column to its number format ('{:+.1f}', or a function); `formats` formats other columns.
    """

    def color(v: object) -> str:
        try:
            c = GOOD_BAD.color(float(v))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            c = None
        return f"color: {c}; font-weight: 600" if c else ""

    return df.style.map(color, subset=list(signed)).format({**(formats or {}), **signed}, na_rep="–")


def broadcast_theme() -> Theme | None:
    """The broadcast theme for a page's graphics, or None after a warning that names what is wrong
    with the file (a broadcaster's replaced theme must not take the page down)."""
    from oa.broadcast.theme import ThemeError, load_theme

    try:
        return load_theme()
    except ThemeError as e:
        st.warning(f"The broadcast theme cannot be used: {esc(str(e))}", icon=":material/palette:")
        return None
