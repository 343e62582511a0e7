"""Every table in the app, with the means to take it away: `data_table` shows a DataFrame and offers it
as CSV and as Parquet, exactly the rows and columns shown (the column names as shown, no index).

The files are named for the table and the filters it was drawn under (`shooters-2025-26-TOR.csv`),
and written only when a button is clicked (Streamlit's deferred download, `on_click="ignore"`: no
rerun), so a page with many tables pays nothing for them until someone wants one. Values keep their
full precision: a table may show `+1.3`, its file has `1.2764...`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

    from oa.app.filters import Filters

CSV_MIME = "text/csv"
PARQUET_MIME = "application/vnd.apache.parquet"
_UNSAFE = re.compile(r"[^A-Za-z0-9._]+")
MAX_STEM = 120  # characters of a file name before its extension


def slug(text: object) -> str:
    """A piece of a file name: letters, digits, dots and underscores; anything else a single hyphen."""
    return _UNSAFE.sub("-", str(text)).strip("-.")


def file_stem(name: str, filters: Filters | None = None, *extra: object) -> str:
    """`name` and the filters that shaped the table, as a file name without extension.

    `shooters-2025-26-TOR`, `on-ice-2025-26-5v5-TOR-power-play`; the parts a team code or a name
    could fill with markup or slashes are reduced to safe characters.
    """
    parts: list[object] = [name]
    if filters is not None:
        f = filters
        parts += [f.season, f.team, f.opponent and f"vs-{f.opponent}", f.game and f"game-{f.game}"]
        parts += [f.shooter and f"shooter-{f.shooter}", f.goalie and f"goalie-{f.goalie}", f.strength, f.shot_type]
        parts += ["-".join(f.tiers) if f.tiers else None, "-".join(f.outcomes) if f.outcomes else None]
        parts += [None if f.empty_net == "exclude" else f"empty-net-{f.empty_net}"]
    parts += list(extra)
    stem = "-".join(s for s in (slug(p) for p in parts if p not in (None, "")) if s)
    return stem[:MAX_STEM].rstrip("-.") or "table"


def shown(
    df: pd.DataFrame, column_config: dict | None = None, column_order: Iterable[str] | None = None
) -> pd.DataFrame:
    """The rows and columns a table shows: hidden columns (config None) dropped, in column order, no index."""
    cols = [str(c) for c in (column_order if column_order is not None else df.columns)]
    hidden = {k for k, v in (column_config or {}).items() if v is None}
    out = df[[c for c in cols if c not in hidden]]
    return out.reset_index(drop=True)


def csv_bytes(df: pd.DataFrame) -> bytes:
    """The table as UTF-8 CSV, no index; `pd.read_csv` reads it back."""
    return df.to_csv(index=False).encode("utf-8")


def parquet_bytes(df: pd.DataFrame) -> bytes:
    """The table as Parquet (pyarrow), no index; `pd.read_parquet` reads it back with its types.

    A column of mixed Python objects (numbers and text) that Arrow cannot type is written as text.
    """
    buf = io.BytesIO()
    try:
        df.to_parquet(buf, index=False)
    except (TypeError, ValueError):  # pyarrow's ArrowTypeError and ArrowInvalid are these
        fixed = df.copy()
        for c in fixed.columns:
            if fixed[c].dtype == object:
                fixed[c] = fixed[c].map(
                    lambda x: None if x is None or (isinstance(x, float) and pd.isna(x)) else str(x)
                )
        buf = io.BytesIO()
        fixed.to_parquet(buf, index=False)
    return buf.getvalue()


def downloads(df: pd.DataFrame, stem: str, key: str) -> None:
    """The CSV and Parquet buttons for `df`, side by side, files written on click."""
    n = len(df)
    what = f"{n:,} row{'s' if n != 1 else ''} × {len(df.columns)} columns, as shown, full precision"
    row = st.container(horizontal=True, gap="small", key=f"dl_{key}")
    row.download_button(
        "CSV",
        data=lambda: csv_bytes(df),
        file_name=f"{stem}.csv",
        mime=CSV_MIME,
        on_click="ignore",
        icon=":material/download:",
        type="tertiary",
        key=f"csv_{key}",
        help=f"Download `{stem}.csv`: {what}.",
    )
    row.download_button(
        "Parquet",
        data=lambda: parquet_bytes(df),
        file_name=f"{stem}.parquet",
        mime=PARQUET_MIME,
        on_click="ignore",
        icon=":material/download:",
        type="tertiary",
        key=f"parquet_{key}",
        help=f"Download `{stem}.parquet`: {what}, with its column types.",
    )


def data_table(
    df: pd.DataFrame,
    *,
    name: str,
    key: str,
    filters: Filters | None = None,
    extra: tuple[object, ...] = (),
    style: Callable[[pd.DataFrame], Styler] | None = None,
    column_config: dict | None = None,
    column_order: Iterable[str] | None = None,
    **kwargs: Any,
) -> Any:
    """`st.dataframe(df)` without its index, with CSV and Parquet downloads of the rows and columns shown.

    `name` and `filters` (plus `extra` parts) name the files; `style` turns the frame into a Styler for
    display only (colours, number formats) - the files hold the values. Other keyword arguments go to
    `st.dataframe` (height, selection, ...); its return value is returned.
    """
    data = shown(df, column_config, column_order)
    ev = st.dataframe(
        style(data) if style is not None else data,
        key=key,
        hide_index=True,
        column_config=column_config,
        **kwargs,
    )
    downloads(data, file_stem(name, filters, *extra), key)
    return ev


__all__ = ["data_table", "downloads", "file_stem", "csv_bytes", "parquet_bytes", "shown", "slug"]
