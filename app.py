"""Opportunity Analysis: Streamlit entry point (`streamlit run app.py`).

Builds the navigation over `pages/` and the sidebar filters every page shares
(`oa.app.components`, `oa.app.filters`); on first start, simulates the fictional demo league
into the store (see `oa.app.queries`). Set OA_DB to show another store. `?shot=<id>` opens
that shot.

This file has two roles. Streamlit runs it as the app's script (as `__main__`), which
shows the app. `streamlit run app.py` first imports it (as `app`) to look for an `st.App`:
it finds the server below, Streamlit's own plus `oa.app.server`'s middleware, which points
the browser at the server's root so deep links make no stray requests.
"""

import streamlit as st

if __name__ == "__main__":
    from oa.app.components import run_app

    run_app()
else:
    from oa.app.server import middleware

    app = st.App(__file__, middleware=middleware())
