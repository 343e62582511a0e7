"""Opportunity Analysis: Streamlit entry point (`streamlit run app.py`).

Builds the navigation over `pages/` and the sidebar filters every page shares
(`oa.app.nav`, `oa.app.filters`); on first start, simulates the fictional demo league
into the store (see `oa.app_data`). Set OA_DB to show another store. `?shot=<id>` opens
that shot.
"""
from oa.app.nav import run_app

run_app()
