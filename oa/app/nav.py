"""The app's navigation and shared start, used by app.py and, as a guard, by every page.

Streamlit serves a fresh server's first request for a deep link (`/explorer`, `/shot?shot=...`)
from the `pages/` folder directly, without running `app.py`: no navigation, no sidebar
filters, no first-start build. Every page therefore starts with `guard()`: if it is not
running inside `run_app()`, it runs the whole app (which then runs the page) and stops.
"""

from __future__ import annotations

import logging
import threading

import streamlit as st

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
    }


def run_app() -> None:
    """Page config, navigation, first-start build, shared sidebar, then the chosen page."""
    from oa.app.data import ensure_demo_store

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
    banner()
    _local.active = True
    try:
        pg.run()
    finally:
        _local.active = False


def guard() -> None:
    """First line of every page: outside the app (a deep link on a fresh server), run the app instead."""
    if not getattr(_local, "active", False):
        run_app()
        st.stop()
