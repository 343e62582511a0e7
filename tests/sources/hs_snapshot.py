"""What the hockey_scraper adapter stores, as a digest to compare across changes of the reading code.

`digest()` ingests the committed fixture and every hockey_scraper variant of the hostile corpus
(tests/sources/corpus.py), each into a fresh store, and returns per case the ingest report (the
temporary folder's path replaced by `<dir>`, the seconds left out) and, for every stored table but
the `runs` log and `meta`, its row count and a hash of each column (rows in key order, values as text). A
change of dtype, of a single value or of a rejection message changes it; the order games are
written in does not. `python -m tests.sources.hs_snapshot` writes the snapshot the test compares to.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import duckdb
import pandas as pd

from oa.sources.ingest import ingest
from oa.store import Store
from tests.sources.corpus import FIXTURES, all_variants

SNAPSHOT = Path(__file__).resolve().parent / "snapshots" / "hockey_scraper.json"
ORDER = {
    "games": ["game_id"],
    "events": ["game_id", "event_idx"],
    "shots": ["shot_id"],
    "players": ["player_id"],
    "teams": ["team"],
    "public_xg": ["shot_id", "model"],
    "shot_on_ice": ["shot_id", "player_id"],
    "toi": ["game_id", "player_id", "situation"],
}


def tables(db: Path) -> dict[str, dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [t for (t,) in con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()]
        out = {}
        for t in names:
            if t in ("runs", "meta"):  # the log of attempts and the store's own settings: not the adapter's output
                continue
            df = con.execute(f'SELECT * FROM "{t}"').df()
            key = [c for c in ORDER.get(t, []) if c in df.columns] or list(df.columns)
            df = df.sort_values(key, kind="stable").reset_index(drop=True) if len(df) else df
            out[t] = {"rows": len(df), "columns": {c: _hash(df[c]) for c in df.columns}} if len(df) else {"rows": 0}
        return out
    finally:
        con.close()


def _hash(col: pd.Series) -> str:
    return hashlib.sha256("\n".join(map(str, col.tolist())).encode()).hexdigest()[:16]


def _case(paths: list[Path], folder: Path) -> dict:
    db = folder / "store.duckdb"
    try:
        with Store(db) as s:
            r = ingest(s, "hockey_scraper", paths, features=False).as_dict()
    except Exception as e:  # noqa: BLE001 - a variant that raises is recorded as such (it must keep doing so)
        return {"raised": f"{type(e).__name__}: {e}".replace(str(folder), "<dir>")}
    r.pop("seconds")
    text = json.dumps(r, sort_keys=True, default=str).replace(str(folder), "<dir>").replace(str(FIXTURES), "<fixtures>")
    return {"report": json.loads(text), "tables": tables(db) if db.exists() else {}}


def digest() -> dict[str, dict]:
    out = {}
    with tempfile.TemporaryDirectory() as root:
        base = Path(root) / "fixture"
        base.mkdir()
        out["fixture"] = _case([FIXTURES / "hockey_scraper/pbp.csv"], base)
        for v in all_variants():
            if v.source != "hockey_scraper" or v.name in ("fifo",):  # a FIFO would block a plain ingest
                continue
            folder = Path(root) / v.name
            folder.mkdir()
            out[v.name] = _case(v.make(folder), folder)
    return out


if __name__ == "__main__":
    SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
    SNAPSHOT.write_text(json.dumps(digest(), indent=1, sort_keys=True) + "\n")
    print(SNAPSHOT)
