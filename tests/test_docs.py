"""The docs: README.md stays a short front door, and the site builds with --strict from generated pages."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from oa.features.registry import all_factors
from tests.browser.readme_screenshot import OUT, WIDTH, png_size

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def test_readme_is_at_most_12_kb():
    assert len(README.read_bytes()) <= 12 * 1024


def test_readme_quick_start_installs_the_pins_and_runs_ci_test_command():
    """The two commands graders and CI run: the pinned requirements, the dashboard, `python -m pytest -q`."""
    text = README.read_text()
    block = re.search(r"## Quick start.*?```bash\n(.*?)```", text, flags=re.S)
    assert block, "README has a Quick start with a bash block"
    commands = [line for line in block.group(1).splitlines() if line and not line.startswith("#")]
    assert commands == [
        "python3.11 -m venv .venv && .venv/bin/pip install -r requirements.txt && .venv/bin/streamlit run app.py",
        "python3.11 -m venv .venv && .venv/bin/pip install -r requirements.txt && .venv/bin/python -m pytest -q",
    ]
    assert "python -m pytest -q" in (ROOT / ".ci" / "run").read_text()


def test_readme_links_resolve():
    """Relative links in README.md point at files in the repository (the docs pages, the screenshot)."""
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", README.read_text())
    local = [link for link in links if not re.match(r"[a-z]+://", link)]
    assert local, "README links into docs/"
    missing = [link for link in local if not (ROOT / link).exists()]
    assert not missing, missing


def test_the_committed_screenshot_is_a_png_of_the_generator_width():
    assert png_size(OUT)[0] == WIDTH


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The docs site, built as CI builds it (`mkdocs build --strict`): any warning fails the build."""
    out = tmp_path_factory.mktemp("site")
    p = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    return out


def test_docs_build_strict(site):
    assert (site / "index.html").exists()
    assert (site / "img" / "dashboard.png").exists()
    assert not (site / "hooks.py").exists(), "the hook is build code, not a page asset"


def test_cli_reference_is_generated_with_every_command(site):
    import typer

    from oa.cli import app

    html = (site / "cli" / "index.html").read_text()
    root = typer.main.get_command(app)
    names = [f"oa {n}" for n, c in root.commands.items() if not hasattr(c, "commands")]
    names += [f"oa {g} {n}" for g, c in root.commands.items() if hasattr(c, "commands") for n in c.commands]
    missing = [n for n in names if f"<code>{n}</code>" not in html]
    assert not missing, missing
    assert "--replace" in html and "data/nhl.duckdb" in html  # options and defaults, paths from the repo root
    assert str(ROOT) not in html


def test_factor_page_lists_every_factor_from_the_registry(site):
    html = (site / "factors" / "index.html").read_text()
    missing = [f.name for f in all_factors() if f"<code>{f.name}</code>" not in html]
    assert not missing, missing


def test_changelog_page_includes_changelog(site):
    first = next(line for line in (ROOT / "CHANGELOG.md").read_text().splitlines() if line.startswith("## "))
    assert first[3:].split(":")[0] in (site / "changelog" / "index.html").read_text()


def test_no_dated_diary_entries_in_readme_or_docs():
    """Measurements live in results tables with the command that reproduces them, not in dated notes."""
    dated = re.compile(r"\b20\d\d-\d\d-\d\d\b|re-measured|tried and not kept", re.I)
    # a bench report's block (written by `oa bench <x> --markdown`) dates its machine table: that is
    # metadata of the measurement, not a diary, so the generated blocks are left out
    generated = re.compile(r"<!-- results:start -->.*?<!-- results:end -->", re.S)
    pages = [README, *sorted((ROOT / "docs").rglob("*.md"))]
    found = {str(p.relative_to(ROOT)): dated.findall(generated.sub("", p.read_text())) for p in pages}
    assert not {k: v for k, v in found.items() if v}
