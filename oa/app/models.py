"""The model files behind the stored scores, loaded once per process (for the what-if panel).

A model file that fails its checks (see `oa.model.artifact.load_model`) is not loaded:
the page says which file and why, and carries on without the what-if panel.
"""

from __future__ import annotations

import streamlit as st

from oa.app import queries as q
from oa.app.queries import open_store
from oa.model.artifact import Model, ModelError, load_model, resolve_path


@st.cache_resource(show_spinner=False, max_entries=8)
def _load(db: str, v: float, model_id: str) -> Model | str | None:
    """The model, None if the store does not list it, or the reason (naming the file) it cannot be used."""
    rows = q.models(db, v)
    row = rows[rows["model_id"] == model_id]
    if row.empty:
        return None
    try:
        return load_model(resolve_path(open_store(db), str(row["path"].iloc[0])))
    except ModelError as e:
        return str(e)


def model_for(db: str, v: float, model_id: str | None) -> Model | None:
    """The shot's model, or None (with a warning on the page when its file is damaged)."""
    got = _load(db, v, model_id) if model_id else None
    if isinstance(got, str):
        st.warning(f"The model behind these scores cannot be loaded: {got}", icon=":material/warning:")
        return None
    return got
