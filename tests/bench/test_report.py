"""`oa bench <name> --markdown PATH`: the figures as a table, the machine, and the command that repeats them."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from oa.bench.report import figures, markdown
from oa.cli import app


def test_figures_flatten_nested_results_in_order() -> None:
    out = {"games": 2, "rows": {"shots": 187, "goals": 9}, "auc": 0.7512, "seasons": ["2018-19", "2019-20"]}
    out["stores"] = [{"peak_rss_mb": 400}, {"peak_rss_mb": 900}]
    assert list(figures(out)) == [
        ("games", "2"),
        ("rows.shots", "187"),
        ("rows.goals", "9"),
        ("auc", "0.7512"),
        ("seasons", "2018-19, 2019-20"),
        ("stores[0].peak_rss_mb", "400"),
        ("stores[1].peak_rss_mb", "900"),
    ]


def test_markdown_has_the_table_the_machine_and_the_command() -> None:
    text = markdown("model", "What it measures.", {"auc": 0.75, "note": "a|b"}, "python -m oa bench model --games 30")
    assert text.startswith("# Benchmark: model\n\nWhat it measures.")
    assert "| `auc` | 0.75 |" in text and "| `note` | a\\|b |" in text  # a pipe cannot end the cell
    for word in ("load (1, 5, 15 min)", "python", "platform", "date", "cores"):
        assert f"| {word} |" in text
    assert "```bash\npython -m oa bench model --games 30\n```" in text


def test_bench_demo_writes_its_report_and_prints_the_same(tmp_path) -> None:
    db, md = tmp_path / "b.duckdb", tmp_path / "docs" / "benchmarks" / "demo.md"
    args = ["bench", "demo", "-n", "2", "--db", str(db), "--workers", "1", "--json"]
    plain = CliRunner().invoke(app, args)
    assert plain.exit_code == 0, plain.output
    r = CliRunner().invoke(app, [*args, "--markdown", str(md)])
    assert r.exit_code == 0, r.output
    printed = json.loads(r.stdout.strip().splitlines()[0])
    assert printed.keys() == json.loads(plain.stdout.strip().splitlines()[0]).keys()
    text = md.read_text()
    assert text.startswith("# Benchmark: bench demo")
    assert f"| `rows.shots` | {printed['rows']['shots']} |" in text
    # the command spells out every value, so it repeats this run exactly (and leaves out --json and --markdown)
    assert f"python -m oa bench demo --games 2 --seed 0 --db {db} --workers 1\n" in text


def test_a_docs_page_keeps_its_prose_and_only_its_results_block_is_rewritten(tmp_path) -> None:
    """Re-running a benchmark into its docs page replaces the measured block, never the page's text."""
    from oa.bench.report import END, START, write

    page = tmp_path / "model.md"
    page.write_text(f"# Model\n\nWhy it matters.\n\n{START}\nold figures\n{END}\n\n## Alternatives measured\n\nkept\n")
    write(page, "bench model", "What it measures.", {"auc": 0.75}, "python -m oa bench model")
    text = page.read_text()
    assert text.startswith("# Model\n\nWhy it matters.\n\n" + START)
    assert "old figures" not in text and "| `auc` | 0.75 |" in text
    assert text.count("# Benchmark") == 0 and "### Machine" in text and "python -m oa bench model" in text
    assert text.endswith(f"{END}\n\n## Alternatives measured\n\nkept\n")
    write(page, "bench model", "What it measures.", {"auc": 0.76}, "python -m oa bench model")  # again: same shape
    again = page.read_text()
    assert "| `auc` | 0.76 |" in again and again.count(START) == 1 and again.endswith("kept\n")


def test_a_file_without_markers_gets_the_whole_report(tmp_path) -> None:
    from oa.bench.report import write

    page = tmp_path / "new.md"
    page.write_text("something else\n")
    write(page, "bench demo", "Times the demo.", {"wall_s": 55.0}, "python -m oa bench demo")
    assert page.read_text().startswith("# Benchmark: bench demo")
