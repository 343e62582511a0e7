"""Opportunity Analysis: Streamlit entry point (`streamlit run app.py`).

Builds the navigation over `pages/`; on first start, simulates the fictional demo
league into the store (see `oa.app_data`). Set OA_DB to show another store.
"""
from __future__ import annotations

import streamlit as st

from oa.app_data import ensure_demo_store

st.set_page_config(page_title="Opportunity Analysis", page_icon=":material/sports_hockey:", layout="wide")

# navigation first, so the sidebar is right even while the first-start build runs
pg = st.navigation([
    st.Page("pages/league.py", title="League", icon=":material/leaderboard:", default=True),
])

try:
    ensure_demo_store()
except Exception as e:  # noqa: BLE001 - shown to the user, the app cannot go on without a store
    st.error(f"Could not build the demo league: {e}", icon=":material/error:")
    st.exception(e)
    st.stop()

pg.run()
