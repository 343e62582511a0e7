"""mypy must not get worse: fail when its error count exceeds the one recorded in .ci/mypy_budget.txt.

Run from the repository root: `python .ci/mypy_budget.py` (CI and the pre-commit hook do). When you fix
errors, lower the recorded number with `python .ci/mypy_budget.py --record` so they cannot come back.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BUDGET = Path(__file__).with_name("mypy_budget.txt")


def count() -> tuple[int, str]:
    """mypy's error count over the files configured in pyproject.toml, and its output."""
    run = subprocess.run([sys.executable, "-m", "mypy"], capture_output=True, text=True)
    out = run.stdout + run.stderr
    if run.returncode not in (0, 1):  # 2 is a crash or a config error, not a count
        raise SystemExit(f"mypy failed to run (status {run.returncode}):\n{out}")
    m = re.search(r"Found (\d+) errors? in", out)
    return (int(m.group(1)) if m else 0), out


def main() -> int:
    n, out = count()
    if "--record" in sys.argv[1:]:
        BUDGET.write_text(f"{n}\n")
        print(f"mypy: recorded {n} errors in {BUDGET}")
        return 0
    budget = int(BUDGET.read_text().strip())
    if n > budget:
        print(out)
        print(f"mypy: {n} errors, more than the {budget} recorded in {BUDGET}; fix the new ones", file=sys.stderr)
        return 1
    print(f"mypy: {n} errors (budget {budget}){'; lower it with --record' if n < budget else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
