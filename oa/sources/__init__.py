"""Adapters: one module per data provider, each producing the canonical tables (oa/schema.py)."""
