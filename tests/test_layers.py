"""The layers stay one way (the import-linter contracts in pyproject.toml), and every part of `oa` is in one."""

from __future__ import annotations

import pkgutil
import re
import tomllib
from pathlib import Path

import oa

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept() -> None:
    from importlinter.cli import lint_imports

    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0


def test_every_top_level_module_has_a_layer() -> None:
    """A new subpackage cannot escape the contract by not being named in it."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["type"] == "layers")["layers"]
    named = {m for layer in layers for m in re.split(r"\s*[|:]\s*", layer)}
    top = {f"oa.{m.name}" for m in pkgutil.iter_modules(oa.__path__)} - {"oa.__main__"}
    assert top - named == set()
