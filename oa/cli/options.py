"""Options several commands take, defined once: the store, games, seed, workers, JSON output, reports.

Each returns a fresh `typer.Option` (typer reads options from default arguments), with the help
text of the command that uses it; a command's options and help read exactly as before.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from oa.cli.common import check_db, check_games


def db(default: Path, help: str | None = None) -> Any:
    """`--db PATH`: a store file (checked: not a folder, ends in .duckdb; warns of unfinished runs)."""
    return typer.Option(default, "--db", callback=check_db, help=help)


def games(default: int, help: str | None = None) -> Any:
    """`--games/-n N`: demo games to simulate (1 to 9999)."""
    return typer.Option(default, "--games", "-n", callback=check_games, help=help)


def seed(short: bool = False, help: str | None = None) -> Any:
    """`--seed N` (and `-s` where the command has it): the same seed gives the same result."""
    return typer.Option(0, "--seed", *(("-s",) if short else ()), min=0, help=help)


def workers(help: str | None = None) -> Any:
    """`--workers N`: simulation processes (default: one per core)."""
    return typer.Option(None, "--workers", min=1, max=64, help=help)


def as_json(help: str | None = None) -> Any:
    """`--json`: print JSON (for scripts) instead of a table."""
    return typer.Option(False, "--json", help=help)


def _nhl_api(value: str | None) -> str:
    """The NHL web API root: the option's value, else $OA_NHL_API, else the NHL's own (oa.settings)."""
    from oa.settings import NHL_API_ENV, is_http_url, nhl_api

    url = (value or "").strip().rstrip("/") or nhl_api()
    if not is_http_url(url):
        where = "--base-url" if value else f"${NHL_API_ENV}"
        raise typer.BadParameter(f"{where} must be an http(s) URL such as https://api-web.nhle.com, got {url[:80]!r}")
    return url


def nhl_api(help: str) -> Any:
    """`--base-url URL`: the NHL web API root (default $OA_NHL_API, else https://api-web.nhle.com)."""
    return typer.Option(
        None, "--base-url", callback=_nhl_api, show_default="$OA_NHL_API or https://api-web.nhle.com", help=help
    )


def markdown() -> Any:
    """`--markdown PATH`: a benchmark's figures also written as a Markdown report."""
    return typer.Option(
        None, "--markdown", help="also write the figures as a Markdown report, e.g. docs/benchmarks/<name>.md"
    )
