"""The model files behind the stored scores, loaded once per process (for the what-if panel)."""
from __future__ import annotations

import streamlit as st

from oa.app import queries as q
from oa.app_data import open_store
from oa.model.artifact import Model, ModelError, load_model
from oa.model.train import resolve_path


@st.cache_resource(show_spinner=False, max_entries=8)
def _load(db: str, v: float, model_id: str) -> Model | None:
    rows = q.models(db, v)
    row = rows[rows["model_id"] == model_id]
    if row.empty:
        return None
    try:
        return load_model(resolve_path(open_store(db), str(row["path"].iloc[0])))
    except ModelError:
        return None


def model_for(db: str, v: float, model_id: str | None) -> Model | None:
    return _load(db, v, model_id) if model_id else None
