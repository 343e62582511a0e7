"""The one list of source adapters; the CLI, the ingest and the docs all read it.

Names are listed here (cheap: the CLI's help needs them at start-up); an adapter's
module, with its pandas work, is imported only when it is asked for.
"""

from __future__ import annotations

import importlib

from oa.sources.common import SourceError
from oa.sources.contract import Source

# name -> module declaring `ADAPTER` (in the order `oa ingest --help` lists them)
MODULES = {
    "hockey_scraper": "oa.sources.hockey_scraper",
    "nhl_api": "oa.sources.nhl_api",
    "moneypuck": "oa.sources.moneypuck",
    "hockeyr": "oa.sources.hockeyr",
    "bigdatacup": "oa.sources.bigdatacup",
    "nhl_edge": "oa.sources.nhl_edge",
}


class UnknownSource(SourceError):
    """No adapter has this name (the message lists the ones there are)."""

    def __init__(self, name: str):
        super().__init__(name, f"unknown source; expected one of {', '.join(MODULES)}")


def source_names() -> tuple[str, ...]:
    """Every source's name, without importing any adapter."""
    return tuple(MODULES)


def is_source(name: object) -> bool:
    """True if `name` is a registered source (for input that may hold anything)."""
    return isinstance(name, str) and name in MODULES


def source_named(name: str) -> Source:
    """The adapter called `name`; raises UnknownSource (a SourceError naming the known ones) if there is none."""
    if not is_source(name):
        raise UnknownSource(str(name))
    adapter: Source = importlib.import_module(MODULES[name]).ADAPTER
    return adapter


def all_sources() -> tuple[Source, ...]:
    """Every adapter, in the registry's order."""
    return tuple(source_named(n) for n in MODULES)


def markdown_table() -> str:
    """The sources as a Markdown table (name, provider, what it reads, coordinates, terms) for the docs."""
    rows = [
        "| source | provider | reads | coordinates | terms |",
        "|---|---|---|---|---|",
    ]
    for s in all_sources():
        where = s.coords.describe() if s.coords is not None else "no positions"
        rows.append(f"| `{s.name}` | {s.title} | {s.reads} | {where} | {s.terms} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":  # python -m oa.sources.registry: the table the docs show
    print(markdown_table(), end="")
