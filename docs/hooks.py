"""MkDocs hook: pages whose content is generated from the code, so the docs cannot drift from it.

A page asks for generated content with a marker on a line of its own:

- `<!-- oa:cli -->`: every command of `oa` (the typer app in `oa.cli`), its help, arguments,
  options and defaults, read through click (`typer.main.get_command`);
- `<!-- oa:factors -->`: the factor table, exactly what `python -m oa factors --markdown` prints
  (the registry in `oa.features.registry`);
- `<!-- oa:sources -->`: the data sources, their files, coordinate systems and terms (the source
  registry in `oa.sources.registry`).

Registered under `hooks:` in mkdocs.yml; `python -m mkdocs build --strict` runs it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `mkdocs build` (the console script) does not put the repository on the path
    sys.path.insert(0, str(ROOT))

CLI_MARKER = "<!-- oa:cli -->"
FACTORS_MARKER = "<!-- oa:factors -->"
SOURCES_MARKER = "<!-- oa:sources -->"
COUNT_MARKER = re.compile(r"<!-- oa:count:(\w+)(?::only) -->|<!-- oa:count:(\w+) -->")


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Replace each marker with its generated Markdown (pages without markers pass through)."""
    if CLI_MARKER in markdown:
        markdown = markdown.replace(CLI_MARKER, cli_reference())
    if FACTORS_MARKER in markdown:
        markdown = markdown.replace(FACTORS_MARKER, factor_table())
    markdown = COUNT_MARKER.sub(_count, markdown)
    if SOURCES_MARKER in markdown:
        from oa.sources.registry import markdown_table

        markdown = markdown.replace(SOURCES_MARKER, markdown_table().strip() + "\n")
    return markdown


def _count(m: re.Match) -> str:
    """`<!-- oa:count:pbp -->`: how many factors the set has; `<!-- oa:count:tracking:only -->`: how
    many only that set has."""
    from oa.features.registry import feature_set

    name = m.group(1) or m.group(2)
    factors = feature_set(name)
    return str(sum(f.sets == (name,) for f in factors) if m.group(1) else len(factors))


def factor_table() -> str:
    """The CLI's own `factors --markdown` output: one implementation of the table, in the CLI."""
    from typer.testing import CliRunner

    from oa.cli import app

    result = CliRunner().invoke(app, ["factors", "--markdown"])
    if result.exit_code != 0:
        raise RuntimeError(f"`oa factors --markdown` failed: {result.output}")
    return result.output.strip() + "\n"


def cli_reference() -> str:
    """Every command, in `oa --help` order (a group's subcommands under its name), as click sees the typer app."""
    import typer

    from oa.cli import app

    root = typer.main.get_command(app)
    out: list[str] = []
    for path, cmd in _walk(root, ()):
        out.append(_command_md(path, cmd))
    return "\n".join(out)


def _walk(cmd: Any, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], Any]]:
    # duck-typed: typer 0.29 builds on its own copy of click (`typer._click`), not the click package
    found: list[tuple[tuple[str, ...], Any]] = []
    if hasattr(cmd, "commands"):
        for name, sub in cmd.commands.items():  # the CLI's own order, as `oa --help` lists them
            found.extend(_walk(sub, (*path, name)))
    else:
        found.append((path, cmd))
    return found


def _command_md(path: tuple[str, ...], cmd: Any) -> str:
    name = " ".join(("oa", *path))
    ctx = cmd.context_class(cmd, info_name=name)
    usage = " ".join(cmd.collect_usage_pieces(ctx))
    lines = [f"### `{name}`", "", "```text", f"{name} {usage}".rstrip(), "```", ""]
    help_text = (cmd.help or "").strip()
    if help_text:
        lines += [_paragraphs(help_text), ""]
    params = [p for p in cmd.params if p.name != "help"]
    if params:
        lines += ["| argument / option | what it does | default, range |", "|---|---|---|"]
        for p in params:
            lines.append(_param_row(p, ctx))
        lines.append("")
    return "\n".join(lines)


def _param_row(p: Any, ctx: Any) -> str:
    """One row: the option as `--help` shows it, its help, and the default and range `--help` adds."""
    if p.param_type_name == "argument":
        shown = f"`{p.name.upper()}`" + ("..." if p.nargs == -1 else "")
        help_text, extra = p.help or "", "required" if p.required else "optional"
        return f"| {shown} | {_cell(help_text)} | {extra} |"
    flags, help_text = p.get_help_record(ctx)
    said = re.fullmatch(r"(.*?)\s*\[([^\[\]]*)\]", help_text, flags=re.S)  # click appends "[default: ...; range]"
    help_text, extra = (said.group(1), said.group(2)) if said else (help_text, "")
    return f"| `{flags}` | {_cell(help_text)} | {_cell(_relative(extra))} |"


def _relative(text: str) -> str:
    """Defaults are absolute paths under the repository (where it happens to be): show them from its root."""
    return text.replace(f"{ROOT}/", "")


def _cell(text: str) -> str:
    """Text that stays inside one Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def _paragraphs(text: str) -> str:
    """Click help text: paragraphs separated by blank lines, lines inside a paragraph joined."""
    return "\n\n".join(" ".join(block.split()) for block in text.split("\n\n"))
