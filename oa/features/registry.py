"""The factor registry: every factor a model may use, declared once with how to say it.

A factor is a pure function of what was known when the puck left the stick. It has a
machine name (its column in `shot_features` and in the model), a human name, a unit,
a kind (number, yes/no or category) and a way to say a value in words, which is what
the dashboard and the stored explanations show ("12 ft from the net").

Factors belong to feature sets: `pbp` needs only play-by-play (real NHL data);
`tracking` adds what puck-and-player tracking shows (demo league, Big Data Cup).

Factors register when `oa.features` is imported (its `__init__` imports the factor
modules), which happens before any module can import this one, so the registry is never
seen half-filled. Read it through `factor_named`, `all_factors`, `feature_set` or
`factor_labels`, never as a dict: an unknown name is an error, not a silent miss.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

PBP, TRACKING = "pbp", "tracking"
FEATURE_SETS = (PBP, TRACKING)
GROUPS = ("location", "movement", "shot", "goalie", "traffic", "state")


@dataclass(frozen=True)
class Factor:
    """One factor: identity, how to compute it and how to say its value."""

    name: str
    label: str
    unit: str  # "ft", "deg", "s", "mph", "ft/s", "in", "" ...
    kind: str  # "num", "bool" or "cat"
    group: str  # one of GROUPS, for the dashboard
    sets: tuple[str, ...]  # feature sets that use it
    needs_clip: bool  # reads tracking frames (else only the shot row and events)
    fn: Callable  # fn(ctx) or fn(ctx, clips) -> np.ndarray of length n
    say: Callable[[object], str]  # one value in words; NaN/None means unknown
    step: float = 1.0  # rounding before saying (few distinct labels, fast)
    categories: tuple[str, ...] = ()  # for kind == "cat", in a fixed order
    doc: str = ""

    @property
    def sql_type(self) -> str:
        return {"num": "DOUBLE", "bool": "DOUBLE", "cat": "VARCHAR"}[self.kind]

    def labels(self, values: np.ndarray) -> np.ndarray:
        """Say many values at once: round, say each distinct value once, map back."""
        values = np.asarray(values)
        if self.kind == "cat":
            keys = np.where(pd_isna(values), "", values.astype(object)).astype(str)
            uniq, inv = np.unique(keys, return_inverse=True)
            said = np.array([self.say(u if u else None) for u in uniq], dtype=object)
            return said[inv]
        v = values.astype(float)
        r = np.round(v / self.step) * self.step if self.kind == "num" else v
        nan = np.isnan(r)
        r = np.where(nan, np.inf, r)  # one key for all unknowns
        uniq, inv = np.unique(r, return_inverse=True)
        said = np.array([self.say(float("nan") if np.isinf(u) else float(u)) for u in uniq], dtype=object)
        return said[inv]


def pd_isna(values: np.ndarray) -> np.ndarray:
    """Missing test that works on object arrays (None or NaN)."""
    return np.array([v is None or (isinstance(v, float) and v != v) for v in values], dtype=bool)


_REGISTRY: dict[str, Factor] = {}


class UnknownFactor(KeyError):
    """A factor name the registry does not hold (a stale model, a typo, a foreign store)."""

    def __str__(self) -> str:  # KeyError would quote the whole message
        return str(self.args[0])


def factor(
    name: str,
    label: str,
    unit: str,
    kind: str,
    group: str,
    sets: tuple[str, ...],
    say: Callable,
    step: float = 1.0,
    categories: tuple[str, ...] = (),
    needs_clip: bool = False,
) -> Callable:
    """Register the decorated function as a factor (its docstring is the factor's doc)."""
    if kind not in ("num", "bool", "cat") or group not in GROUPS or not set(sets) <= set(FEATURE_SETS):
        raise ValueError(f"factor {name}: bad kind, group or sets")
    if kind == "cat" and not categories:
        raise ValueError(f"factor {name}: a category factor needs its categories")

    def register(fn: Callable) -> Callable:
        if name in _REGISTRY:
            raise ValueError(f"factor {name} registered twice")
        _REGISTRY[name] = Factor(
            name,
            label,
            unit,
            kind,
            group,
            tuple(sets),
            needs_clip,
            fn,
            say,
            step,
            tuple(categories),
            (fn.__doc__ or "").strip(),
        )
        return fn

    return register


def feature_set(name: str) -> list[Factor]:
    """The factors of one feature set, in registry order (which is the model's column order)."""
    if name not in FEATURE_SETS:
        raise ValueError(f"unknown feature set {name!r}; expected one of {', '.join(FEATURE_SETS)}")
    return [f for f in all_factors() if name in f.sets]


def all_factors() -> list[Factor]:
    """Every registered factor, in registration order."""
    return list(_REGISTRY.values())


def factor_named(name: str) -> Factor:
    """The factor called `name`; raises UnknownFactor (naming the known ones) if there is none."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownFactor(f"unknown factor {name!r}; known factors: {', '.join(_REGISTRY)}") from None


def is_factor(name: object) -> bool:
    """True if `name` is a registered factor (for input that may hold anything, e.g. a published message)."""
    return isinstance(name, str) and name in _REGISTRY


def factor_labels() -> dict[str, str]:
    """{name: human label} of every factor, for charts that name factors."""
    return {f.name: f.label for f in all_factors()}


# -- sayers: small helpers that put a value into words -----------------------------------
def unknown(v: object) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v))


def say_num(fmt: str, missing: str = "unknown") -> Callable[[object], str]:
    """A sayer from a format string such as '{:.0f} ft from the net'."""

    def say(v: object) -> str:
        return missing if unknown(v) else fmt.format(v)

    return say


def say_bool(yes: str, no: str, missing: str = "unknown") -> Callable[[object], str]:
    def say(v: object) -> str:
        return missing if unknown(v) else (yes if float(v) >= 0.5 else no)  # type: ignore[arg-type]

    return say


def say_cat(words: dict[str, str], missing: str = "unknown") -> Callable[[object], str]:
    def say(v: object) -> str:
        return missing if unknown(v) or v == "" else words.get(str(v), str(v).lower())

    return say


def say_count(zero: str, one: str, many: str, missing: str = "unknown") -> Callable[[object], str]:
    """Counts in words: 'no screen', '1 body screening', '3 bodies screening'."""

    def say(v: object) -> str:
        if unknown(v):
            return missing
        k = int(round(float(v)))  # type: ignore[arg-type]
        return zero if k == 0 else (one if k == 1 else many.format(k))

    return say


def say_small(small: float, below: str, fmt: str, missing: str = "unknown") -> Callable[[object], str]:
    """Like say_num, with its own words for values under `small` ('goalie set', not 'moving 0 ft/s')."""

    def say(v: object) -> str:
        if unknown(v):
            return missing
        return below if float(v) < small else fmt.format(v)  # type: ignore[arg-type]

    return say
