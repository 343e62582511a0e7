"""The banner on every page while the store is incomplete: an ingest was killed or failed
and the same command has not run to the end since (see `runs` in oa/schema.py)."""

from __future__ import annotations

import streamlit as st

from oa.app.queries import open_store, version
from oa.store import StoreError


@st.cache_data(show_spinner=False, max_entries=16)
def unfinished(db: str, v: float) -> list[dict]:
    """The store's unfinished runs (cached per store version, like every query)."""
    try:
        return open_store(db).unfinished_runs().to_dict("records")
    except StoreError:
        return []  # an unreadable store: the page says so


def banner() -> None:
    """One st.warning about the store the sidebar picked: what did not finish, and the command that completes it."""
    from oa.app.filters import current

    db = current().db
    runs = unfinished(db, version(db))
    if not runs:
        return
    r = runs[-1]
    how = "was stopped before it finished" if r["status"] == "running" else "failed"
    more = f" (and {len(runs) - 1} earlier unfinished run{'s' if len(runs) > 2 else ''})" if len(runs) > 1 else ""
    st.warning(
        f"This store is incomplete: `{r['command']}` started {r['started']:%Y-%m-%d %H:%M} {how}{more}. "
        f"What it stored is shown, but some games or factors may be missing. Run "
        f"`python -m oa {r['command']} --db {db}` again to complete it.",
        icon=":material/warning:",
    )
