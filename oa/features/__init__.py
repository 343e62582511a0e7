"""Factors: pure functions of what was known at release (see registry.py)."""
