"""A benchmark's figures as a Markdown report: the table, the machine it ran on, and the command.

A figure means little without the load the machine was under and a way to measure it again, so
every report says both. `python -m oa bench <name> --markdown docs/benchmarks/<name>.md` writes one.
"""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path


def figures(results: object, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(dotted name, value) for every leaf of nested dicts and lists, in their order."""
    if isinstance(results, Mapping):
        for k, v in results.items():
            yield from figures(v, f"{prefix}.{k}" if prefix else str(k))
    elif isinstance(results, list | tuple) and any(isinstance(v, Mapping | list | tuple) for v in results):
        for i, v in enumerate(results):
            yield from figures(v, f"{prefix}[{i}]")
    elif isinstance(results, list | tuple):
        yield prefix, ", ".join(_text(v) for v in results)
    else:
        yield prefix, _text(results)


def _text(v: object) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def load_1min() -> float | None:
    """The machine's 1-minute load average now (None where the platform has none): beside every figure."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def machine() -> dict[str, str]:
    """What the figures depend on besides the code: load, cores, Python, platform, date."""
    try:
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # not every platform has a load average
        load = "unknown"
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load (1, 5, 15 min)": load,
        "cores": str(os.cpu_count()),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
    }


def markdown(name: str, doc: str, results: Mapping, command: str, tables: str | None = None) -> str:
    """The report's text: what was measured, the figures, the machine, the command that repeats it.

    `tables` (the bench module's own `report_markdown`) replaces the one-figure-per-row table where
    the results are too many to read that way."""
    esc = lambda s: s.replace("|", "\\|")  # noqa: E731 - a cell may hold a pipe
    lines = [f"# Benchmark: {name}", "", doc.strip(), ""]
    if tables is not None:
        lines.append(tables.strip())
    else:
        lines += ["| figure | value |", "|---|---|"]
        lines += [f"| `{esc(k)}` | {esc(v)} |" for k, v in figures(results)]
    lines += ["", "## Machine", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {esc(v)} |" for k, v in machine().items()]
    lines += ["", "## Reproduce", "", "```bash", command, "```", ""]
    return "\n".join(lines)


START, END = "<!-- results:start -->", "<!-- results:end -->"


def write(path: Path, name: str, doc: str, results: Mapping, command: str, tables: str | None = None) -> Path:
    """Write the report to `path` (folders created).

    A docs page that already holds the markers `<!-- results:start -->` and `<!-- results:end -->`
    keeps its prose: only the part between them is replaced, by the figures, the machine and the
    command. Any other file is replaced by the whole report.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    text = markdown(name, doc, results, command, tables)
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    if START in old and END in old and old.index(START) < old.index(END):
        body = text.split("\n", 2)[2].replace("\n## ", "\n### ")  # no second page title; sections one level down
        text = old[: old.index(START) + len(START)] + "\n" + body.strip() + "\n" + old[old.index(END) :]
    path.write_text(text, encoding="utf-8")
    return path
