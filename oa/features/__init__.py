"""Factors: pure functions of what was known at release (see registry.py).

Importing the package registers every factor (the factor modules below decorate their
functions into the registry), so whoever reads the registry sees it whole.
"""

from oa.features import pbp, tracking  # noqa: F401  (registers the factors)
