"""The hockey_scraper adapter stores exactly what it stored before its reading was made lean (issue 14,
speed of the real path): the committed fixture and every hockey_scraper variant of the hostile corpus
give the same tables, value for value, and the same report (counts, rejections and their examples).

The snapshot (tests/sources/snapshots/hockey_scraper.json) was written by the adapter as it was
before the change (`python -m tests.sources.hs_snapshot`); regenerate it only for a change that
means to store something else, and say so in the commit.
"""

from __future__ import annotations

import json

import pytest

from tests.sources.hs_snapshot import SNAPSHOT, digest


@pytest.fixture(scope="module")
def now() -> dict:
    return digest()


@pytest.fixture(scope="module")
def before() -> dict:
    return json.loads(SNAPSHOT.read_text())


def test_every_case_of_the_snapshot_is_run(now, before):
    assert sorted(now) == sorted(before) and "fixture" in now and len(now) >= 40


@pytest.mark.parametrize("case", sorted(json.loads(SNAPSHOT.read_text())))
def test_the_same_tables_and_report_as_before(now, before, case):
    got, want = now[case], before[case]
    assert got.get("raised") == want.get("raised")
    assert got.get("report") == want.get("report")
    for table, w in want.get("tables", {}).items():
        g = got["tables"].get(table, {"rows": 0})
        assert g["rows"] == w["rows"], (case, table)
        changed = [c for c in w.get("columns", {}) if g["columns"].get(c) != w["columns"][c]]
        assert not changed, f"{case}: {table} columns changed: {changed}"
    # the same tables hold rows (a table added to the schema since, empty here, stores nothing else)
    filled = lambda d: {t for t, v in d.get("tables", {}).items() if v["rows"]}  # noqa: E731
    assert filled(got) == filled(want)
