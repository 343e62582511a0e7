"""The analyst panels of the Players and Games pages: on-ice impact, talent with its interval, lines and
with-or-without-you, trends, adjusted team rates, and their leaderboards.

The figures come from `oa.analysis` through the cached reads in `oa.app.queries`; here they are put in
words: a rate from time on ice that was estimated says so, a rate without time on ice says "no time on
ice", and every small sample says so where it is shown.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from oa.app import components as c
from oa.app import queries as q
from oa.app.filters import Filters
from oa.app.tables import data_table
from oa.app.text import esc
from oa.vocab import SITUATION_WORDS, SITUATIONS, TOI_METHODS

SMALL_MINUTES = 100  # a rate from fewer minutes is a small sample (oa.analysis flags it the same way)
SMALL_ATTEMPTS = 200  # a heat map or share from fewer attempts is one too
NO_TOI = "no time on ice"
RATES = {"CF/60": "cf60", "CA/60": "ca60", "xGF/60": "xgf60", "xGA/60": "xga60"}
TOI_FROM = dict(zip(TOI_METHODS, ("shift charts", "estimated")))  # where the minutes come from, in words
NO_ON_ICE = (
    "This store has no on-ice data (who was on the ice at each attempt), so there are no on-ice figures. "
    "The demo league, a synced NHL season and hockey_scraper play-by-play carry it; MoneyPuck, hockeyR and "
    "the NHL stats API files do not."
)


def situation_control(key: str) -> str:
    """5 on 5 or all situations, for the on-ice figures and lines."""
    return (
        st.segmented_control(
            "Situation",
            list(SITUATIONS),
            default="5v5",
            key=key,
            format_func=SITUATION_WORDS.get,
            help="5 on 5: five skaters a side with both goalies in. All situations: every attempt.",
        )
        or "5v5"
    )


def number(x: object, fmt: str = "{:.1f}", na: str = "–") -> str:
    try:
        f = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return na
    return na if math.isnan(f) else fmt.format(f)


def rate_label(label: str, method: object) -> str:
    """`xGF/60`, or `xGF/60 (estimated TOI)` when the minutes were estimated."""
    return f"{label} (estimated TOI)" if method == "estimated" else label


def sample_note(what: str, n: float, threshold: float, unit: str) -> None:
    """A warning where a figure rests on few attempts or minutes."""
    st.warning(
        f"Small sample: {what} rests on {number(n, '{:,.0f}')} {unit} (fewer than {threshold:,.0f}). "
        "A figure this thin moves a lot by chance alone.",
        icon=":material/warning:",
    )


def heat_sample_note(n: int, who: str) -> None:
    """Under a player's heat map: one of fewer than about 200 attempts is mostly noise."""
    if n < SMALL_ATTEMPTS:
        st.warning(
            f"Small sample: this map rests on {n:,} attempt{'s' if n != 1 else ''} {who} (fewer than "
            f"{SMALL_ATTEMPTS}); its hot and cold squares are mostly chance.",
            icon=":material/warning:",
        )


# -- on ice ---------------------------------------------------------------------------------------


def on_ice_rows(f: Filters, v: float, situation: str) -> pd.DataFrame:
    return q.on_ice(f.db, v, f.season, situation, f.team)


def on_ice_panel(f: Filters, v: float, pid: int, name: str, situation: str) -> None:
    """The selected skater's on-ice attempts, xG and goals for and against, shares and rates per 60."""
    df = q.on_ice(f.db, v, f.season, situation)
    if df.empty or int((df["cf"] + df["ca"]).sum()) == 0:
        st.info(NO_ON_ICE, icon=":material/groups:")
        return
    me = df[df["player_id"] == pid].sort_values("gp", ascending=False)
    if me.empty or int(me["cf"].iloc[0] + me["ca"].iloc[0]) == 0:
        st.info(
            f"{esc(name)} is on no on-ice list under these filters ({SITUATION_WORDS[situation].lower()}).",
            icon=":material/groups:",
        )
        return
    r = me.iloc[0]
    if len(me) > 1:
        st.caption(f"Also played for {', '.join(esc(t) for t in me['team'].iloc[1:])} (figures for {esc(r['team'])}).")
    m = st.columns(5)
    m[0].metric("On-ice attempts for – against", f"{int(r['cf'])} – {int(r['ca'])}", help="Corsi: every attempt.")
    m[1].metric("On-ice xG for – against", f"{number(r['xgf'], '{:.1f}')} – {number(r['xga'], '{:.1f}')}")
    m[2].metric("On-ice goals for – against", f"{int(r['gf'])} – {int(r['ga'])}")
    m[3].metric(
        "xGF%", number(r["xgf_pct"], "{:.1f}%"), help="His team's share of the expected goals while he is on the ice."
    )
    m[4].metric(
        "xGF% relative",
        number(r["xgf_pct_rel"], "{:+.1f}"),
        help="His on-ice xGF% minus his team's xGF% with him off the ice (same games, same situation), in points.",
    )
    method = r["toi_method"]
    known = pd.notna(r["toi_min"])
    m = st.columns(5)
    m[0].metric(
        "Time on ice" + (" (estimated)" if method == "estimated" else ""),
        f"{r['toi_min']:,.0f} min" if known else NO_TOI,
        help=(
            "From the players listed on the ice at each event: an estimate."
            if method == "estimated"
            else "From shift charts."
            if known
            else "This store has no time on ice for him: no rates per 60."
        ),
    )
    for col, (label, key) in zip(m[1:], RATES.items()):
        col.metric(rate_label(label, method), number(r[key], "{:.2f}", NO_TOI))
    if known and r["toi_min"] < SMALL_MINUTES:
        sample_note("his rates per 60", r["toi_min"], SMALL_MINUTES, "minutes")
    elif not known and r["cf"] + r["ca"] < SMALL_ATTEMPTS:
        sample_note("his on-ice share", r["cf"] + r["ca"], SMALL_ATTEMPTS, "on-ice attempts")


def on_ice_board(f: Filters, v: float, situation: str) -> None:
    """Every skater's on-ice figures under the sidebar's season and team, by position."""
    pos = (
        st.segmented_control(
            "Position",
            ["F", "D"],
            key="board_onice_pos",
            format_func={"F": "Forwards", "D": "Defence"}.get,
            help="Leave both off for every skater.",
        )
        or None
    )
    df = on_ice_rows(f, v, situation)
    if pos == "F":
        df = df[df["position"].isin(("C", "LW", "RW"))]
    elif pos == "D":
        df = df[df["position"] == "D"]
    df = df[(df["cf"] + df["ca"]) > 0]
    if df.empty:
        st.info(NO_ON_ICE, icon=":material/groups:")
        return
    df = df.sort_values(["xgf_pct", "cf"], ascending=False)
    show = pd.DataFrame(
        {
            "Player": df["name"],
            "Team": df["team"],
            "Pos": df["position"],
            "GP": df["gp"],
            "TOI (min)": df["toi_min"],
            "TOI from": df["toi_method"].map(TOI_FROM).fillna(NO_TOI),
            "CF": df["cf"],
            "CA": df["ca"],
            "xGF": df["xgf"],
            "xGA": df["xga"],
            "GF": df["gf"],
            "GA": df["ga"],
            "xGF%": df["xgf_pct"],
            "xGF% rel": df["xgf_pct_rel"],
            **{label: df[col] for label, col in RATES.items()},
            "Small sample": df["small_sample"],
        }
    )
    data_table(
        show,
        name="on-ice",
        filters=f,
        extra=(situation, pos),
        key="board_onice",
        height=360,
        style=lambda d: c.good_bad_table(d, {"xGF% rel": "{:+.1f}"}, {"xGF": "{:.1f}", "xGA": "{:.1f}", "xGF%": "{:.1f}"})
        .format("{:,.0f}", subset=["TOI (min)"], na_rep=NO_TOI)
        .format("{:.2f}", subset=list(RATES), na_rep=NO_TOI),
        column_config={"Player": st.column_config.TextColumn(pinned=True)},
    )
    st.caption(
        f"{SITUATION_WORDS[situation]}. Rates per 60 minutes of his time on ice: *TOI from* says whether the "
        f"minutes come from shift charts or were estimated from the players listed at each event; "
        f"*{NO_TOI}* where the store has none. *Small sample*: fewer than {SMALL_MINUTES} minutes (or, "
        f"without minutes, fewer than {SMALL_ATTEMPTS} on-ice attempts)."
    )
