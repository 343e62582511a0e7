"""Helpers for the dashboard pages: shared filters, cached queries, styling and components.

Pages read the store (read-only, `oa.app.queries.open_store`) and the model files; they never
write. Every query is parameterised and cached with `st.cache_data`, keyed by the store
path, its modification time and the filters, and aggregation (heat-map bins,
leaderboards, per-player totals) is pushed into DuckDB so a million-shot store stays fast.
"""
