"""`export table NAME` and `players`: the analyst's tables as files, and every player's figures as JSON.

Hostile arguments (an unknown table, a season the store does not have, a format we do not write, an
--out that cannot be written) are one line on stderr and exit code 2, and leave no file behind.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

from oa.cli import options
from oa.cli.common import bars, console
from oa.settings import DEFAULT_DB


def _bad(message: str, code: int = 2) -> None:
    """A hostile argument (exit code 2) or a store we cannot read (1): one line on stderr."""
    bars.print(f"[red]error:[/red] {message}", soft_wrap=True, highlight=False, markup=True)
    raise typer.Exit(code)


def _unwritable(out: Path) -> str | None:
    if out.exists() and out.is_dir():
        return f"--out {out} is a folder; give a file name such as {out / 'table.csv'}"
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        return f"--out {out}: the folder {parent} does not exist"
    if not os.access(parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        return f"--out {out} cannot be written (permission denied)"
    return None


@contextlib.contextmanager
def _reading(db: Path) -> Iterator[Any]:
    """The store at `db`, read-only; a file that is no store (or lacks its tables) is one line and exit 1."""
    import duckdb

    from oa.analysis.common import AnalysisError
    from oa.store import Store, StoreError

    try:
        store = Store(db, read_only=True)
    except StoreError as e:
        _bad(str(e).splitlines()[0], 1)
    try:
        store.con.execute("SET enable_progress_bar = false")  # DuckDB's bar would print into --json's stdout
        yield store
    except (duckdb.Error, AnalysisError) as e:
        _bad(f"cannot read {db} as a store: {str(e).splitlines()[0]}", 1)
    finally:
        store.close()


def _season(store, season: str | None) -> str | None:
    """`season` checked against the store's seasons (exit 2 if it has no such season); None stays None."""
    have = [str(r) for r in store.query("SELECT DISTINCT season FROM games ORDER BY season")["season"]]
    if season is None:
        return None
    if season not in have:
        _bad(f"--season {season!r} is not in the store (it has {', '.join(have) or 'no games'})")
    return season


def export_table(
    name: str = typer.Argument(
        ..., help="the table: on-ice, on-ice-all, lines, pairs, talent, goalies, team-rates, shots"
    ),
    out: Path = typer.Option(..., "--out", "-o", help="the file to write (.csv or .parquet)"),
    season: str | None = typer.Option(None, "--season", help="one season, e.g. 2025-26 (default: every season)"),
    fmt: str | None = typer.Option(None, "--format", help="csv or parquet (default: from --out's suffix, else csv)"),
    db: Path = options.db(DEFAULT_DB),
) -> None:
    """An analyst's table as CSV or Parquet: on-ice figures, lines and pairs, talent, team rates, shots.

    The same tables the dashboard shows and downloads (oa.analysis.tables); a file reads back to the table.
    """
    from oa.analysis.tables import FORMATS, TABLES, write

    if name not in TABLES:
        _bad(f"no table {name!r}; the tables are {', '.join(TABLES)}")
    suffix = out.suffix.lower().lstrip(".")
    fmt = (fmt or (suffix if suffix in FORMATS else "csv")).strip().lower()
    if fmt not in FORMATS:
        _bad(f"--format {fmt!r} is not a format; use one of {', '.join(FORMATS)}")
    why = _unwritable(out)
    if why:
        _bad(why)
    with _reading(db) as store:
        s = _season(store, season)
        df = TABLES[name].read(store.con, s)
    try:
        write(df, out, fmt)
    except OSError as e:
        _bad(f"--out {out} cannot be written: {e.strerror or e}")
    console.print(f"wrote {out} ({name}, {len(df):,} rows, {fmt})")


def _plain(v: Any) -> Any:
    """A JSON value: NaN and NA as null, numpy scalars as Python numbers."""
    if v is None:
        return None
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    try:
        import pandas as pd

        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return v


ON_ICE_FIELDS = (
    "gp toi_min toi_method cf ca ff fa xgf xga gf ga xgf_pct xgf_pct_rel cf60 ca60 xgf60 xga60 gf60 ga60 small_sample"
).split()
TALENT_FIELDS = (
    "shots goals xg raw shrunk lo90 hi90 raw_rate shrunk_rate lo90_rate hi90_rate weight percentile small_sample"
).split()


def players_view(con, season: str, model_id: str | None = None) -> list[dict]:
    """Each player (and team) of the season: on-ice figures at 5v5 and in all situations, and his talent."""
    from oa.analysis.common import GROUP_OF_POSITION, GROUP_WORDS
    from oa.analysis.onice import on_ice
    from oa.analysis.talent import talent
    from oa.vocab import SITUATIONS

    ice = {s: on_ice(con, season=season, situation=s, model_id=model_id) for s in SITUATIONS}
    tal = {r: talent(con, season=season, role=r, model_id=model_id) for r in ("shooter", "goalie")}
    people: dict[tuple[int, str | None], dict] = {}
    stints: dict[int, list[dict]] = {}

    def entry(pid: int, team: Any, name: Any, position: Any) -> dict:
        key = (int(pid), _plain(team))
        if key not in people:
            people[key] = {
                "player_id": int(pid),
                "name": _plain(name),
                "team": _plain(team),
                "position": _plain(position),
                "on_ice": {s: None for s in SITUATIONS},
                "talent": None,
            }
            stints.setdefault(int(pid), []).append(people[key])
        return people[key]

    for s, df in ice.items():
        for r in df.to_dict("records"):
            entry(r["player_id"], r["team"], r["name"], r["position"])["on_ice"][s] = {
                f: _plain(r[f]) for f in ON_ICE_FIELDS
            }
    for role, df in tal.items():
        for r in df.to_dict("records"):
            pos = _plain(r["position"])
            group = "G" if role == "goalie" else GROUP_OF_POSITION.get(pos or "")
            t = {"role": role, "percentile_among": GROUP_WORDS.get(group or "", None)}
            t |= {f: _plain(r[f]) for f in TALENT_FIELDS}
            for e in stints.get(int(r["player_id"])) or [entry(r["player_id"], r["team"], r["name"], pos)]:
                e["talent"] = t
    return sorted(people.values(), key=lambda e: (e["team"] or "", e["name"] or "", e["player_id"]))


def players(
    db: Path = options.db(DEFAULT_DB),
    season: str | None = typer.Option(None, "--season", help="the season (default: the store's latest)"),
    model: str | None = typer.Option(None, "--model", help="a model id whose xG to use (default: the active model)"),
    as_json: bool = typer.Option(False, "--json", help="print every player's figures as JSON (see docs/analysis.md)"),
) -> None:
    """Every player's figures for a season: on-ice impact (5v5 and all situations) and talent with its 90% interval.

    With --json, one JSON document for scripts and tests; without, a table of the skaters with most time.
    """
    with _reading(db) as store:
        s = _season(store, season)
        if s is None:
            latest = store.query("SELECT max(season) AS s FROM games")["s"].iloc[0]
            if latest is None or latest != latest:
                _bad(f"the store {db} has no games")
            s = str(latest)
        if model is not None:
            known = store.query("SELECT model_id FROM models ORDER BY trained_at DESC")["model_id"].tolist()
            if model not in known:
                _bad(f"--model {model!r} is not in the store (it has {', '.join(known) or 'no models'})")
        view = players_view(store.con, s, model)
    if as_json:
        doc = {"store": str(db), "season": s, "model": model, "players": view}
        typer.echo(json.dumps(doc, allow_nan=False))
        return
    from rich.table import Table

    t = Table(title=f"players, {s} ({len(view):,}); 5v5 on-ice, talent shrunk [90% interval]")
    for c in ("player", "team", "pos", "5v5 min", "xGF%", "rel", "talent", "90% interval", "pctile"):
        t.add_column(c, justify="left" if c in ("player", "team", "pos") else "right")

    def num(v: Any, f: str = "{:.1f}") -> str:
        return "-" if v is None else f.format(v)

    ranked = sorted(view, key=lambda e: -((e["on_ice"]["5v5"] or {}).get("toi_min") or 0))
    for e in ranked[:40]:
        oi = e["on_ice"]["5v5"] or {}
        tl = e["talent"] or {}
        t.add_row(
            str(e["name"]),
            str(e["team"]),
            str(e["position"]),
            num(oi.get("toi_min")),
            num(oi.get("xgf_pct")),
            num(oi.get("xgf_pct_rel"), "{:+.1f}"),
            num(tl.get("shrunk"), "{:+.2f}"),
            "-" if not tl else f"[{tl['lo90']:+.2f}, {tl['hi90']:+.2f}]",
            num(tl.get("percentile"), "{:.0f}"),
        )
    console.print(t)
