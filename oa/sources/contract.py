"""What every source adapter is: a name, what it reads, its terms, its coordinate system, `read`.

The ingest, the CLI and the docs reach adapters only through this contract and the
registry (`oa.sources.registry`), so adding a provider is one module and one registry
line (docs/adding-a-source.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

import pandas as pd

from oa.rink import CoordinateSystem
from oa.schema import GameBundle
from oa.sources.common import IngestReport


class Reader(Protocol):
    """Read one file: (its games' canonical bundles, the players it names).

    Counts go into `report`; a file that cannot be read at all raises `SourceError` naming it.
    The bundles may be a generator: the ingest stores each game as it comes."""

    def __call__(self, path: str | Path, report: IngestReport, /) -> tuple[Iterable[GameBundle], pd.DataFrame]: ...


@runtime_checkable
class Source(Protocol):
    """One provider's adapter, as the ingest, the CLI and the docs see it."""

    @property
    def name(self) -> str:
        """The `oa ingest SOURCE` argument and the stored `games.source`."""
        ...

    @property
    def title(self) -> str:
        """The provider and its data, for people."""
        ...

    @property
    def reads(self) -> str:
        """The files it reads, in words."""
        ...

    @property
    def patterns(self) -> tuple[str, ...]:
        """File name patterns it reads (glob), e.g. `*.csv.gz`."""
        ...

    @property
    def terms(self) -> str:
        """The data's terms of use, in short."""
        ...

    @property
    def coords(self) -> CoordinateSystem | None:
        """How the provider writes positions (None: it has no positions, e.g. player bios)."""
        ...

    @property
    def read(self) -> Reader:
        """Read one file (see `Reader`)."""
        ...


@dataclass(frozen=True)
class Adapter:
    """The usual way to meet the contract: each adapter module declares one `ADAPTER = Adapter(...)`."""

    name: str
    title: str
    reads: str
    patterns: tuple[str, ...]
    terms: str
    coords: CoordinateSystem | None
    read: Reader
