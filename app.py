"""Opportunity Analysis: Streamlit entry point (`streamlit run app.py`).

Builds the navigation over `pages/` and the sidebar filters every page shares
(`oa.app.filters`); on first start, simulates the fictional demo league into the store
(see `oa.app_data`). Set OA_DB to show another store. `?shot=<id>` opens that shot.
"""
from __future__ import annotations

import streamlit as st

from oa.app_data import ensure_demo_store

st.set_page_config(page_title="Opportunity Analysis", page_icon=":material/sports_hockey:", layout="wide")

PAGES = {
    "league": st.Page("pages/league.py", title="League", icon=":material/leaderboard:", default=True),
    "explorer": st.Page("pages/explorer.py", title="Shot explorer", icon=":material/scatter_plot:", url_path="explorer"),
    "shot": st.Page("pages/shot.py", title="Shot detail", icon=":material/sports_hockey:", url_path="shot"),
    "debates": st.Page("pages/debates.py", title="Debates & leaderboards", icon=":material/balance:",
                       url_path="debates"),
    "players": st.Page("pages/players.py", title="Players", icon=":material/person:", url_path="players"),
    "games": st.Page("pages/games.py", title="Games & teams", icon=":material/stadium:", url_path="games"),
    "model": st.Page("pages/model.py", title="Model", icon=":material/model_training:", url_path="model"),
}
# navigation first, so the sidebar is right even while the first-start build runs
pg = st.navigation(list(PAGES.values()))

# a shared link `?shot=<id>` on the app's root opens that shot (once, when the session starts)
if not st.session_state.get("_oa_started"):
    st.session_state["_oa_started"] = True
    if "shot" in st.query_params and pg.url_path != "shot":
        st.switch_page(PAGES["shot"], query_params=dict(st.query_params))

try:
    ensure_demo_store()
except Exception as e:  # noqa: BLE001 - shown to the user, the app cannot go on without a store
    st.error(f"Could not build the demo league: {e}", icon=":material/error:")
    st.exception(e)
    st.stop()

from oa.app.filters import sidebar  # noqa: E402 - after the store exists

sidebar()
pg.run()
