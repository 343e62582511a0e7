"""Analyst figures built on the scored store: on-ice impact, lines, talent with uncertainty, team rates.

Reads the store's tables (shots, shot_scores, shot_on_ice, toi, shifts, players) with DuckDB and
returns pandas tables; the app, the exports and the CLI show them.
"""
