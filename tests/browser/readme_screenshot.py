"""The README's and the docs' screenshot of the dashboard, taken from the demo league in Chromium.

`python -m tests.browser.readme_screenshot [--db STORE] [--out PNG]` writes
`docs/img/dashboard.png`: the League page (the front page) of the demo league, 1500 px wide.
Without `--db` it uses `data/oa.duckdb`, the store the dashboard's first start builds, and
builds the demo league there first if it is missing (200 games, seed 0: what a newcomer
sees). `tests/browser/test_readme_screenshot.py` runs the same code into a temporary folder,
so the generator cannot rot.
"""

from __future__ import annotations

import argparse
import struct
from pathlib import Path

from tests.browser.harness import ROOT, browser, charts_drawn, streamlit_server, wait_idle

WIDTH = 1500
HEIGHT = 1000  # one screen: the title, headline numbers, standings and the shot map
OUT = ROOT / "docs" / "img" / "dashboard.png"
DEMO_DB = ROOT / "data" / "oa.duckdb"


def ensure_demo(db: Path) -> Path:
    """The demo league in `db`, built (simulate, factors, train, score) if the file is missing."""
    if not db.exists():
        from oa.pipeline import run_demo

        db.parent.mkdir(parents=True, exist_ok=True)
        run_demo(db)
    return db


def take(db: Path, out: Path, width: int = WIDTH, height: int = HEIGHT) -> Path:
    """Screenshot the front page of a real Streamlit server on `db` into `out` (a PNG)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with streamlit_server(db) as url, browser(width, height) as page:
        page.goto(f"{url}/")
        wait_idle(page)
        charts_drawn(page)
        if page.locator("[data-testid='stException']").count():
            raise RuntimeError("the League page shows an exception; no screenshot taken")
        page.screenshot(path=str(out))
    return out


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header (raises if the file is not a PNG)."""
    head = path.read_bytes()[:24]
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise ValueError(f"{path} is not a PNG")
    return struct.unpack(">II", head[16:24])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=None, help=f"store to show (default: {DEMO_DB.relative_to(ROOT)})")
    ap.add_argument("--out", type=Path, default=OUT, help=f"PNG to write (default: {OUT.relative_to(ROOT)})")
    args = ap.parse_args(argv)
    db = args.db.resolve() if args.db else ensure_demo(DEMO_DB)
    out = take(db, args.out)
    print(f"{out}: {'x'.join(map(str, png_size(out)))} px, {out.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
