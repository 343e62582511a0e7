"""The game clock: period lengths, and game seconds from a period and the time into it.

Every source, the simulator, the factors and the live API count time this way, so the
numbers live here once (like the rink's in `oa.rink`).
"""

from __future__ import annotations

from typing import overload

import numpy as np

PERIOD_S = 1200.0  # a regulation period (and a playoff overtime period): 20 minutes
REGULAR_SEASON_OT_S = 300.0  # regular-season overtime: 5 minutes


@overload
def period_start(period: float) -> float: ...
@overload
def period_start(period: np.ndarray) -> np.ndarray: ...
def period_start(period: float | np.ndarray) -> float | np.ndarray:
    """Game seconds at the start of `period` (1-based); works on numbers and arrays alike."""
    return (period - 1) * PERIOD_S


@overload
def game_seconds(period: float, period_seconds: float) -> float: ...
@overload
def game_seconds(period: np.ndarray, period_seconds: np.ndarray) -> np.ndarray: ...
def game_seconds(period: float | np.ndarray, period_seconds: float | np.ndarray) -> float | np.ndarray:
    """Seconds since the start of the game from the period (1-based) and the seconds into it."""
    return period_start(period) + period_seconds
