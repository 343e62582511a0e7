"""Shared fixtures: the tiny store, the trained demo store, the shared data folder.

The builders live in `tests/tiny_league.py`; tests that need them import `tests.tiny_league`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.tiny_league import build_test_store


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that reads ../shared/data (through the `shared` fixture) carries the `shared` marker."""
    for item in items:
        if "shared" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.shared)


@pytest.fixture(scope="session")
def tiny_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a small read-only-ready store shared by the whole session."""
    return build_test_store(tmp_path_factory.mktemp("store") / "tiny.duckdb")


@pytest.fixture(scope="session")
def model_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A simulated league run end to end (simulate, factors, train, score): 40 games, ~3,500 shots."""
    from oa.pipeline import run_demo

    path = tmp_path_factory.mktemp("model") / "demo.duckdb"
    out = run_demo(path, n_games=40, seed=3, workers=2)
    assert out.model is not None, out.skipped
    return path


def shared_data() -> Path:
    """Third-party data beside the project (../shared/data, or $OA_SHARED/data); never committed."""
    from oa.settings import shared_root

    return shared_root() / "data"


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared data folder; tests that need it skip without it, except in CI where that fails."""
    d = shared_data()
    if not d.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"shared data folder {d} is missing in CI")
        pytest.skip(f"shared data folder {d} is not here")
    return d
