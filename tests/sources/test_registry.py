"""The source registry and the adapter contract: one list that the CLI, the ingest and the docs use."""

from __future__ import annotations

import fnmatch
import importlib
import subprocess
import sys

import pytest

from oa.rink import CoordinateSystem
from oa.sources.common import SourceError
from oa.sources.contract import Source
from oa.sources.ingest import ingest
from oa.sources.registry import (
    MODULES,
    UnknownSource,
    all_sources,
    is_source,
    markdown_table,
    source_named,
    source_names,
)
from tests.sources.corpus import FIXTURES


def test_every_registered_adapter_meets_the_contract():
    names = [s.name for s in all_sources()]
    assert names == list(source_names()) == list(MODULES)
    for s in all_sources():
        assert isinstance(s, Source), s
        assert s.name == importlib.import_module(MODULES[s.name]).SOURCE, "the stored games.source is the name"
        assert s.title and s.reads and s.terms and s.patterns
        assert s.coords is None or isinstance(s.coords, CoordinateSystem)
        assert callable(s.read)


def test_every_adapter_module_in_the_package_is_registered():
    pkg = FIXTURES.parents[2] / "oa" / "sources"
    declaring = {p.stem for p in pkg.glob("*.py") if "\nADAPTER = " in p.read_text()}
    assert declaring == set(MODULES)


def test_an_unknown_name_raises_naming_the_known_ones():
    with pytest.raises(UnknownSource) as e:
        source_named("sportlogiq")
    assert isinstance(e.value, SourceError) and "hockey_scraper, nhl_api" in str(e.value)
    assert not is_source("sportlogiq") and not is_source(None) and is_source("moneypuck")


def test_the_ingest_reaches_adapters_through_the_registry(tmp_path):
    with pytest.raises(UnknownSource):
        ingest(lambda: pytest.fail("no store for an unknown source"), "sportlogiq", [tmp_path / "x.csv"])


def test_the_cli_lists_the_registry():
    from typer.testing import CliRunner

    from oa.cli import app
    from oa.cli import ingest as ingest_command

    assert tuple(ingest_command.SOURCES) == source_names()
    out = CliRunner().invoke(app, ["ingest", "--help"]).output
    assert all(name in out for name in source_names()), out


def test_each_adapter_reads_its_fixture_by_its_patterns():
    for s in all_sources():
        files = [p.name for p in (FIXTURES / s.name).iterdir() if p.is_file()]
        assert files and all(any(fnmatch.fnmatch(f, pat) for pat in s.patterns) for f in files), (s.name, files)


def test_the_docs_table_has_a_row_per_source():
    table = markdown_table().splitlines()
    assert len(table) == 2 + len(MODULES)
    for name, row in zip(MODULES, table[2:]):
        assert row.startswith(f"| `{name}` |")


def test_listing_names_imports_no_adapter():
    """The CLI needs the names at start-up; the adapters (and their pandas work) load on first use."""
    code = (
        "import sys; from oa.sources.registry import source_names; source_names(); "
        "print(sorted(m for m in sys.modules if m.startswith('oa.sources.') and m.split('.')[-1] in "
        f"{list(MODULES)!r}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
