"""`bench studio`: its report and its argument checks (the measurement itself runs real servers: see docs)."""

from __future__ import annotations

import subprocess
import sys

from oa.bench.studio import _cpu_s, report_markdown

RUN = {
    "shots_published": 12,
    "shots_on_screen": 11,
    "latency_s_median": 0.41,
    "latency_s_max": 0.8,
    "within_1s_pct": 100.0,
    "server_core_pct_per_page": 16.5,
    "server_core_pct_idle": 0.4,
    "chromium_core_pct_per_page": 9.1,
}


def test_the_report_has_a_table_per_page_count_with_the_median_and_every_run():
    out = {
        "speed": 20.0,
        "seconds_per_run": 30.0,
        "load_before": 5.9,
        "load_after": 6.2,
        "1_pages": {**RUN, "runs": [RUN, RUN, RUN]},
        "4_pages": {**RUN, "runs": [RUN, RUN]},
    }
    md = report_markdown(out)
    assert "**1 studio view open**" in md and "**4 studio views open**" in md
    assert md.count("| median |") == 2 and md.count("| 3 |") == 1
    assert "| 0.41 | 0.8 | 100.0 | 16.5 |" in md
    assert "before: 5.9, after: 6.2" in md


def test_cpu_seconds_of_this_process_grow_and_a_gone_process_counts_nothing():
    import os

    a = _cpu_s([os.getpid()])
    sum(i * i for i in range(2_000_000))
    assert _cpu_s([os.getpid()]) > a
    assert _cpu_s([2**22 + 12345]) == 0.0


def test_bad_page_counts_are_refused_before_anything_starts():
    for bad in ("0", "a,b", "", "17", "1,-2"):
        r = subprocess.run(
            [sys.executable, "-m", "oa", "bench", "studio", "--pages", bad, "--db", "/nonexistent/x.duckdb"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert r.returncode == 1, (bad, r.stdout, r.stderr)
        assert "--pages must be page counts" in r.stdout + r.stderr
