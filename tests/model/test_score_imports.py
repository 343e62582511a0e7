"""Scoring stays light: a scoring process (the live scorer, the API) never loads the training code.

LightGBM itself imports parts of scikit-learn when it is installed (its sklearn-compatible wrappers), so
the check is on what training adds on top: `oa.model.train` and scikit-learn's linear models.
"""

from __future__ import annotations

import json
import subprocess
import sys

CODE = (
    "import json, sys; import oa.model.score; "
    "print(json.dumps(sorted(m for m in sys.modules "
    "if m.startswith(('oa.model.train', 'sklearn.linear_model')))))"
)


def test_importing_score_does_not_import_training() -> None:
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
