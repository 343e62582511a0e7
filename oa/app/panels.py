"""The analyst panels of the Players and Games pages: on-ice impact, talent with its interval, lines and
with-or-without-you, trends, adjusted team rates, and their leaderboards.

The figures come from `oa.analysis` through the cached reads in `oa.app.queries`; here they are put in
words: a rate from time on ice that was estimated says so, a rate without time on ice says "no time on
ice", and every small sample says so where it is shown.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd
import streamlit as st

from oa.analysis.common import SMALL_ATTEMPTS, SMALL_TOI_MIN
from oa.app import components as c
from oa.app import queries as q
from oa.app.filters import Filters
from oa.app.tables import data_table
from oa.app.text import esc
from oa.vocab import FORWARDS, SITUATION_WORDS, SITUATIONS, TOI_METHODS

# the Players page's tabs (`components.lazy_tabs`: only the open one runs), by state key
PANEL_TAB, BOARD_TAB = "players_tab", "players_board"
GOALIE_PANEL_TAB, GOALIE_BOARD_TAB = "goalie_tab", "goalie_board"
# a rate from fewer minutes, a heat map or share from fewer attempts, is a small sample: the analysis's own rule
SMALL_MINUTES = int(SMALL_TOI_MIN)
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
            format_func=lambda s: SITUATION_WORDS[s],
            help="For the on-ice figures, lines and rates: 5 on 5 is five skaters a side with both goalies in; "
            "all situations is every attempt (talent always uses every shot).",
        )
        or "5v5"
    )


def signed(x: object, digits: int = 1) -> str:
    """'+1.3', '-0.4', and '0.0' (never '-0.0') for what rounds to zero; an en dash when unknown."""
    try:
        f = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "–"
    if math.isnan(f):
        return "–"
    return f"{0.0:.{digits}f}" if round(f, digits) == 0 else f"{f:+.{digits}f}"


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
        f"Small sample: only {number(n, '{:,.0f}')} {unit} behind {what} (fewer than {threshold:,.0f}). "
        "Figures this thin move a lot by chance alone.",
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


def league_on_ice(f: Filters, v: float, situation: str) -> pd.DataFrame:
    """Every skater's on-ice figures for the season: one cached query that every panel reads (called with
    the same arguments everywhere, so a filter change computes it once, not once per panel)."""
    return q.on_ice(f.db, v, f.season, situation, None)


def on_ice_rows(f: Filters, v: float, situation: str) -> pd.DataFrame:
    """The sidebar team's skaters (the analysis' team filter keeps that team's rows: the same, in pandas)."""
    df = league_on_ice(f, v, situation)
    return df if f.team is None else df[df["team"] == f.team]


def on_ice_panel(f: Filters, v: float, pid: int, name: str, situation: str) -> None:
    """The selected skater's on-ice attempts, xG and goals for and against, shares and rates per 60."""
    df = league_on_ice(f, v, situation)
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


def position_picker(key: str, help: str) -> str | None:
    """Forwards ("F"), defence ("D") or neither (None: every skater), for a leaderboard."""
    return (
        st.segmented_control(
            "Position", ["F", "D"], key=key, format_func=lambda p: {"F": "Forwards", "D": "Defence"}[p], help=help
        )
        or None
    )


def on_ice_board(f: Filters, v: float, situation: str) -> None:
    """Every skater's on-ice figures under the sidebar's season and team, by position."""
    pos = position_picker("board_onice_pos", "Leave both off for every skater.")
    df = on_ice_rows(f, v, situation)
    if pos == "F":
        df = df[df["position"].isin(FORWARDS)]
    elif pos == "D":
        df = df[df["position"] == "D"]
    df = df[(df["cf"] + df["ca"]) > 0]
    if df.empty:
        st.info(NO_ON_ICE, icon=":material/groups:")
        return
    df = df.assign(_n=df["cf"] + df["ca"]).sort_values(["toi_min", "_n"], ascending=False, na_position="last")
    show = pd.DataFrame(
        {
            "Player": df["name"],
            "Team": df["team"],
            "Pos": df["position"],
            "GP": df["gp"],
            "TOI (min)": df["toi_min"],
            "TOI from": df["toi_method"].map(TOI_FROM).fillna(NO_TOI),
            "Small sample": df["small_sample"],
            "CF": df["cf"],
            "CA": df["ca"],
            "xGF": df["xgf"],
            "xGA": df["xga"],
            "GF": df["gf"],
            "GA": df["ga"],
            "xGF%": df["xgf_pct"],
            "xGF% rel": df["xgf_pct_rel"],
            **{label: df[col] for label, col in RATES.items()},
        }
    )
    data_table(
        show,
        name="on-ice",
        filters=f,
        extra=(situation, pos),
        key="board_onice",
        height=360,
        style=lambda d: c.good_bad_table(
            d, {"xGF% rel": "{:+.1f}"}, {"xGF": "{:.1f}", "xGA": "{:.1f}", "xGF%": "{:.1f}"}
        )
        .format("{:,.0f}", subset=["TOI (min)"], na_rep=NO_TOI)
        .format("{:.2f}", subset=list(RATES), na_rep=NO_TOI),
        column_config={"Player": st.column_config.TextColumn(pinned=True)},
    )
    st.caption(
        f"{SITUATION_WORDS[situation]}. Rates per 60 minutes of his time on ice: *TOI from* says whether the "
        f"minutes come from shift charts or were estimated from the players listed at each event; "
        f"*{NO_TOI}* where the store has none (its rates show as *None*). Most time on ice first; click a "
        f"column to sort by it. *Small sample*: fewer than {SMALL_MINUTES} minutes (or, "
        f"without minutes, fewer than {SMALL_ATTEMPTS} on-ice attempts)."
    )


# -- lines and with-or-without-you ------------------------------------------------------------------------
KIND_WORDS = {"F3": "Forward trios", "D2": "Defence pairs"}
NO_LINES = "No {what} under these filters: a unit counts when exactly its players are on an on-ice list together."


def known_minutes(minutes: pd.Series, attempts: pd.Series) -> pd.Series:
    """Minutes together, unknown (NaN) where they read 0 beside attempts together: players on the ice for an
    attempt shared some time, so a 0 means the store could not time the situation (5 on 5 needs the skater
    counts of its events, which not every source records)."""
    m = minutes.astype(float)
    return m.where(~(m.eq(0) & attempts.gt(0)))


def line_rows(df: pd.DataFrame) -> pd.DataFrame:
    """A lines table in words."""
    minutes = known_minutes(df["together_min"], df["attempts_together"])
    return pd.DataFrame(
        {
            "Line": df["names"],
            "Team": df["team"],
            "Minutes together": minutes,
            "Attempts together": df["attempts_together"],
            "CF": df["cf"],
            "CA": df["ca"],
            "xGF": df["xgf"],
            "xGA": df["xga"],
            "GF": df["gf"],
            "GA": df["ga"],
            "xGF%": df["xgf_pct"],
            "xGF/60": df["xgf60"].where(minutes.notna()),
            "xGA/60": df["xga60"].where(minutes.notna()),
            # timed: the analysis' rule (minutes); untimed: the attempts together are the sample
            "Small sample": df["small_sample"].where(minutes.notna(), df["attempts_together"].lt(SMALL_ATTEMPTS)),
        }
    )


def _line_style(d: pd.DataFrame):
    return (
        d.style.format({"xGF": "{:.1f}", "xGA": "{:.1f}", "xGF%": "{:.1f}"}, na_rep="–")
        .format("{:,.0f}", subset=["Minutes together"], na_rep="–")
        .format("{:.2f}", subset=["xGF/60", "xGA/60"], na_rep=NO_TOI)
    )


LINE_CONFIG = {"Line": st.column_config.TextColumn(pinned=True)}


def lines_panel(f: Filters, v: float, pid: int, name: str, position: str | None, situation: str) -> None:
    """The selected skater's trios or pairs, and with-or-without-you for any two skaters."""
    kind = "D2" if position == "D" else "F3"
    oi = league_on_ice(f, v, situation)
    teams = sorted(set(oi.loc[oi["player_id"] == pid, "team"])) if len(oi) else []
    # his teams' units only (the whole league's trios cost seconds over many seasons; a team's, a fraction)
    df = pd.concat([q.lines(f.db, v, f.season, kind, t, situation) for t in teams]) if teams else pd.DataFrame()
    mine = df[df["player_ids"].map(lambda ids: pid in ids)] if len(df) else df
    st.markdown(f"**{esc(name)}'s {KIND_WORDS[kind].lower()}** ({SITUATION_WORDS[situation].lower()})")
    if mine.empty:
        st.info(NO_LINES.format(what=KIND_WORDS[kind].lower() + " with him"), icon=":material/groups:")
    else:
        data_table(
            line_rows(mine),
            name=f"lines-{pid}",
            filters=f,
            extra=(kind, situation),
            key="player_lines",
            style=_line_style,
            column_config=LINE_CONFIG,
        )
        _lines_caption(mine)
    wowy_panel(f, v, pid, mine, situation)


def _lines_caption(df: pd.DataFrame) -> None:
    small = int(df["small_sample"].sum())
    st.caption(
        "Minutes together: the overlap of their shifts; *None* where the store cannot time it (no shifts, or "
        "events without skater counts for 5 on 5): then the attempts together are the sample. xGF%: the unit's share of the expected goals while together. "
        + (
            (
                "**It rests on a small sample**"
                if len(df) == 1
                else f"**{small} of these {len(df)} rest on a small sample**"
            )
            + f" (under {SMALL_MINUTES} minutes together, or {SMALL_ATTEMPTS} attempts without shifts): ticked in "
            "*Small sample*."
            if small
            else ""
        )
    )


def wowy_panel(f: Filters, v: float, pid: int, mine: pd.DataFrame, situation: str) -> None:
    """With or without you: any two skaters, by default the selected one and his most frequent linemate."""
    skaters = league_on_ice(f, v, situation)
    skaters = skaters[(skaters["cf"] + skaters["ca"]) > 0].drop_duplicates("player_id")
    if len(skaters) < 2:
        return
    names = dict(zip(skaters["player_id"].astype(int), skaters["name"] + " (" + skaters["team"] + ")"))
    ids = list(names)
    mate = (
        next((i for ids_ in mine["player_ids"] for i in ids_ if i != pid and i in names), None) if len(mine) else None
    )
    if mate is None:
        mate = next(i for i in ids if i != pid)
    st.markdown("**With or without you**: two skaters together, and each without the other")
    a_col, b_col = st.columns(2)
    a = a_col.selectbox(
        "Skater A", ids, index=ids.index(pid) if pid in ids else 0, format_func=lambda i: names[i], key=f"wowy_a_{pid}"
    )
    b_ids = [i for i in ids if i != a]
    b = b_col.selectbox(
        "Skater B",
        b_ids,
        index=b_ids.index(mate) if mate in b_ids else 0,
        format_func=lambda i: names[i],
        key=f"wowy_b_{pid}",
    )
    if a is None or b is None:
        return
    w = q.wowy(f.db, v, int(a), int(b), f.season, situation)
    na, nb = names[int(a)], names[int(b)]
    minutes = known_minutes(w["toi_min"], w["cf"] + w["ca"])
    label = {"together": "Together", "A without B": f"{na} without {nb}", "B without A": f"{nb} without {na}"}
    show = pd.DataFrame(
        {
            "With": w["with"].map(label),
            "Minutes": minutes,
            "CF": w["cf"],
            "CA": w["ca"],
            "xGF": w["xgf"],
            "xGA": w["xga"],
            "GF": w["gf"],
            "GA": w["ga"],
            "xGF%": w["xgf_pct"],
            "Small sample": w["small_sample"].where(minutes.notna(), (w["cf"] + w["ca"]).lt(SMALL_ATTEMPTS)),
        }
    )
    data_table(
        show,
        name=f"wowy-{int(a)}-{int(b)}",
        filters=f,
        extra=(situation,),
        key="player_wowy",
        style=lambda d: d.style.format({"xGF": "{:.1f}", "xGA": "{:.1f}", "xGF%": "{:.1f}"}, na_rep="–").format(
            "{:,.0f}", subset=["Minutes"], na_rep="–"
        ),
        column_config={"With": st.column_config.TextColumn(pinned=True)},
    )
    if show["Small sample"].any():
        st.caption(
            f"Ticked rows rest on a small sample (under {SMALL_MINUTES} minutes, or {SMALL_ATTEMPTS} attempts "
            "without shifts): read them as a hint, not a verdict."
        )


# Above this many attempts (the sidebar's season and filters) the lines board lists one team's units at a time,
# as Natural Stat Trick's line tool does: timing every unit of the league is linear in the shifts, about 0.27 s a
# season of 115,000 attempts on two cores, and 2.4 s and 1.9 GB of memory over nine (python -m oa bench app
# --million; docs/benchmarks/dashboard.md); one team over the nine: 0.2 s. A season of the NHL is ~145,000.
LEAGUE_UNITS_MAX_ATTEMPTS = 250_000


def attempts_in(f: Filters) -> int:
    """Attempts of the sidebar's season (all seasons when none): what the lines board's cost grows with."""
    if f.season is None:
        df = q.run(f.db, "SELECT count(*) AS n FROM shots")
    else:
        df = q.run(
            f.db,
            "SELECT count(*) AS n FROM shots s JOIN games g ON g.game_id = s.game_id WHERE g.season = $season",
            {"season": f.season},
        )
    return int(df["n"].iloc[0]) if len(df) else 0


def lines_board(f: Filters, v: float, situation: str) -> None:
    """Every trio or pair under the sidebar's season and team."""
    kind = (
        st.segmented_control(
            "Units", list(KIND_WORDS), default="F3", key="board_lines_kind", format_func=lambda k: KIND_WORDS[k]
        )
        or "F3"
    )
    team = f.team
    n = attempts_in(f)
    if team is None and n > LEAGUE_UNITS_MAX_ATTEMPTS:
        teams = sorted(set(league_on_ice(f, v, situation)["team"]))
        if not teams:
            st.info(NO_ON_ICE, icon=":material/groups:")
            return
        tn = q.teams(f.db, v)
        names = dict(zip(tn["team"], tn["name"]))
        team = st.selectbox(
            "Team",
            teams,
            key="board_lines_team",
            format_func=lambda t: str(names.get(t, t)),
            help="Pick a team in the sidebar, or a single season, to skip this.",
        )
        st.caption(
            f"{n:,} attempts under these filters: units are listed one team at a time here (timing every unit "
            "in the league over that many shifts takes seconds). A single season lists the whole league."
        )
    df = q.lines(f.db, v, f.season, kind, team, situation)
    if df.empty:
        st.info(NO_LINES.format(what=KIND_WORDS[kind].lower()), icon=":material/groups:")
        return
    data_table(
        line_rows(df),
        name=f"lines-{kind}",
        filters=f,
        extra=(situation, None if team == f.team else team),  # a team picked here names the file too
        key="board_lines",
        height=360,
        style=_line_style,
        column_config=LINE_CONFIG,
    )
    _lines_caption(df)


def position_of(f: Filters, v: float, pid: int) -> str | None:
    """A skater's position code, from the roster (None when the store does not know it)."""
    df = q.run(f.db, "SELECT position FROM players WHERE player_id = $p", {"p": int(pid)})
    return None if df.empty or pd.isna(df["position"].iloc[0]) else str(df["position"].iloc[0])


# -- talent with its interval ------------------------------------------------------------------------------
TALENT_WORDS = {
    "shooter": ("Finishing above expected", "goals", "goals minus expected goals on his unblocked attempts"),
    "goalie": ("Goals saved above expected", "goals", "expected goals minus goals on the unblocked attempts he faced"),
}
GROUP_WORDS = {"F": "forwards", "D": "defence", "G": "goalies"}
# what the 90% interval is worth, as measured against the demo league's true skills (docs/benchmarks/talent*.md)
OOF_HELP = (
    "Where his talent lies, nine chances in ten by the method. His shots' expected goals are out of fold "
    "(each from the cross-validation model that had not seen its game): on the demo league such intervals held "
    "the true skill {oof} of the time (the fold models still saw his other games), 88-89% with a model from "
    "another league."
)
IN_SAMPLE_HELP = (
    "His shots' expected goals are in sample: the store has no out-of-fold probabilities for them (the "
    "model was trained before they were kept, or elsewhere), and a model trained on these very shots has "
    "learned part of his goals. On the demo league such intervals held the true skill only {ins} of the "
    "time: read it as a little narrow. Retraining (`python -m oa train`, then `python -m oa score`) keeps them."
)
COVERAGE = {"oof": "83%", "ins": "77-78%"}  # shooters and goalies, python -m oa bench talent (docs/analysis.md)


def out_of_fold(oof_share: object) -> bool:
    """Whether a player's expected goals are out of fold: most of his shots' (talent's `oof_share`)."""
    try:
        return float(oof_share) >= 0.5  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def interval_help(oof: bool) -> str:
    """The 90% interval's help: what it is worth given where his expected goals come from."""
    return (OOF_HELP if oof else IN_SAMPLE_HELP).format(**COVERAGE)


MAX_ROWS = 25  # players in an interval plot


def group_of(role: str, position: object) -> str | None:
    if role == "goalie":
        return "G"
    return "F" if position in FORWARDS else "D" if position == "D" else None


def ordinal(n: float) -> str:
    """'1st', '22nd', '73rd', '100th'; a percentile under 1 reads '1st' (the bottom of the league)."""
    k = max(1, int(round(n)))
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def talent_panel(f: Filters, v: float, pid: int, role: str) -> None:
    """The player's shrunk estimate with its 90% interval, his raw record, the sample and the percentile,
    drawn among his team's players of the same group."""
    from oa.plots.talent import interval_figure

    title, unit, what = TALENT_WORDS[role]
    df = q.talent(f.db, v, f.season, role)
    if df.empty:
        st.info(
            "No talent estimates: they need the model's ratings of the shots (`python -m oa score`).",
            icon=":material/model_training:",
        )
        return
    me = df[df["player_id"] == pid]
    if me.empty:
        st.info("He has no rated unblocked attempts under these filters.", icon=":material/info:")
        return
    r = me.iloc[0]
    grp = group_of(role, r["position"])
    m = st.columns(5)
    m[0].metric(
        f"{title} (shrunk)",
        signed(r["shrunk"]),
        help=f"In {unit}: {what}, pulled toward the league's expectation by empirical Bayes (the fewer his "
        "shots, the further: finishing is mostly luck).",
    )
    oof = out_of_fold(r.get("oof_share"))
    m[1].metric(
        "90% interval",
        f"{signed(r['lo90'])} to {signed(r['hi90'])}",
        help=interval_help(oof),
    )
    m[2].metric("Raw record", signed(r["raw"]), help=f"{what.capitalize()}, as recorded, not shrunk.")
    m[3].metric("Sample", f"{int(r['shots']):,} shots", help="Unblocked attempts the model rated.")
    m[4].metric(
        "Percentile",
        ordinal(r["percentile"]) if pd.notna(r["percentile"]) else "–",
        help=f"Of the shrunk estimate among the league's {GROUP_WORDS.get(grp or '', 'players')} this season.",
    )
    if bool(r["small_sample"]):
        st.warning(
            f"Small sample: {int(r['shots']):,} shots (fewer than {SMALL_ATTEMPTS}); his own record makes "
            f"{r['weight']:.0%} of the estimate, the league the rest: read the interval, not the dot.",
            icon=":material/warning:",
        )
    if not oof:
        st.caption(
            "Expected goals here are in sample (no out-of-fold probabilities in this store for these shots), so "
            f"the 90% intervals run a little narrow: on the demo league they held the truth {COVERAGE['ins']} of "
            "the time. Retrain the model to keep out-of-fold probabilities."
        )
    if role == "goalie":  # a team has a goalie or two: his peers are the league's goalies
        mates, who = df, "the league's goalies"
    else:
        mates = df[df["team"] == r["team"]]
        if grp is not None:
            mates = mates[mates["position"].map(lambda p: group_of(role, p)) == grp]
        who = f"{r['team']} {GROUP_WORDS.get(grp or '', 'players')}"
    mates = mates.sort_values("shrunk", ascending=False)
    top = mates.head(MAX_ROWS)
    if pid not in set(top["player_id"]):  # the best, and him wherever he stands
        top = pd.concat([mates.head(MAX_ROWS - 1), mates[mates["player_id"] == pid]])
    mates = top
    st.plotly_chart(
        interval_figure(mates, pid, f"{title}: {who} (90% intervals)", unit),
        key=f"talent_{role}",
        theme=None,
        config=c.CHART_CONFIG,
    )
    st.caption(
        f"Dot: the shrunk estimate; line: its 90% interval; hollow diamond: the raw record ({what}). "
        f"0: exactly as the model expected. * marks a small sample (fewer than {SMALL_ATTEMPTS} shots)."
    )


def trend_panel(f: Filters, v: float, pid: int, role: str) -> None:
    """The shrunk estimate season by season, where the store has several."""
    from oa.plots.talent import trend_figure

    title, unit, _ = TALENT_WORDS[role]
    t = q.talent_trend(f.db, v, pid, role)
    if len(t) < 2:
        st.caption(
            f"{'One season' if len(t) == 1 else 'No season'} of his in this store: a trend needs several "
            "(a store with more seasons shows his estimate season by season)."
        )
        return
    st.plotly_chart(
        trend_figure(t, f"{title} by season (shrunk, 90% interval)", unit),
        key=f"trend_{role}",
        theme=None,
        config=c.CHART_CONFIG,
    )
    show = pd.DataFrame(
        {
            "Season": t["season"],
            "Team": t["team"],
            "Shots": t["shots"],
            "Raw": t["raw"],
            "Shrunk": t["shrunk"],
            "90% low": t["lo90"],
            "90% high": t["hi90"],
            "Percentile": t["percentile"],
            "Small sample": t["small_sample"],
        }
    )
    data_table(
        show,
        name=f"talent-trend-{role}-{pid}",
        key=f"trend_table_{role}",
        style=lambda d: d.style.format(
            {k: signed for k in ("Raw", "Shrunk", "90% low", "90% high")} | {"Percentile": "{:.0f}"}, na_rep="–"
        ),
    )
    if show["Small sample"].any():
        st.caption(f"Ticked seasons rest on a small sample (fewer than {SMALL_ATTEMPTS} shots).")


def talent_formats(d: pd.DataFrame) -> dict[str, str | Callable[[object], str]]:
    """The talent board's plain columns: the interval's bounds signed but uncoloured (a sign there is no verdict)."""
    out: dict[str, str | Callable[[object], str]] = {"Percentile": "{:.0f}", "90% low": signed, "90% high": signed}
    return out | {k: "{:.1f}" for k in ("xG", "xGA") if k in d.columns}


def talent_board(f: Filters, v: float, role: str) -> None:
    """Every shooter's (or goalie's) shrunk estimate, its interval and percentile, under the season and team."""
    title, unit, what = TALENT_WORDS[role]
    df = q.talent(f.db, v, f.season, role)
    if f.team is not None and len(df):
        df = df[df["team"] == f.team]
    pos = None
    if role == "shooter":
        pos = position_picker(
            "board_talent_pos", "Leave both off for every skater; percentiles are always within the position group."
        )
        if pos is not None and len(df):
            df = df[df["position"].map(lambda p: group_of(role, p)) == pos]
    if df.empty:
        st.info("No talent estimates under these filters (they need the model's ratings).", icon=":material/info:")
        return
    df = df.sort_values(["shrunk", "shots"], ascending=False)  # in goals: a volume shooter's edge counts for more
    show = pd.DataFrame(
        {
            "Player": df["name"],
            "Team": df["team"],
            "Pos": df["position"],
            "Shots": df["shots"],
            "Goals": df["goals"],
            "xG": df["xg"],
            "Raw": df["raw"],
            "Shrunk": df["shrunk"],
            "90% low": df["lo90"],
            "90% high": df["hi90"],
            "Percentile": df["percentile"],
            "Small sample": df["small_sample"],
        }
    )
    if role == "goalie":
        show = show.drop(columns=["Pos"]).rename(columns={"Player": "Goalie", "Goals": "Goals against", "xG": "xGA"})
    data_table(
        show,
        name=f"talent-{role}s",
        filters=f.without("shooter", "goalie"),
        extra=(pos,),
        key=f"board_talent_{role}",
        height=360,
        style=lambda d: c.good_bad_table(d, {k: signed for k in ("Raw", "Shrunk")}, talent_formats(d)),
        column_config={show.columns[0]: st.column_config.TextColumn(pinned=True)},
    )
    st.caption(
        f"{title} in {unit} ({what}): *Raw* as recorded, *Shrunk* pulled toward the league by empirical Bayes "
        "with its 90% interval; *Percentile* of the shrunk estimate within the position group (forwards, "
        f"defence, goalies) of the season's league. *Small sample*: fewer than {SMALL_ATTEMPTS} shots."
    )


# -- adjusted team rates (Games & teams) ---------------------------------------------------------------------
TEAM_RATES = {
    "CF/60": "cf60",
    "CA/60": "ca60",
    "xGF/60": "xgf60",
    "xGA/60": "xga60",
    "xGF%": "xgf_pct",
    "Adj CF/60": "adj_cf60",
    "Adj CA/60": "adj_ca60",
    "Adj xGF/60": "adj_xgf60",
    "Adj xGA/60": "adj_xga60",
    "Adj xGF%": "adj_xgf_pct",
}


def team_rates_panel(f: Filters, v: float, team: str | None) -> None:
    """Every team's attempts and expected goals per 60, raw and score-and-venue adjusted, for the season."""
    from oa.plots.teams import rates_figure

    situation = situation_control("teams_situation")
    df = q.team_rates(f.db, v, f.season, situation)
    if df.empty:
        st.info("No team time under these filters: rates per 60 need the games' events.", icon=":material/info:")
        return
    df = df.sort_values("adj_xgf_pct", ascending=False, na_position="last")
    timed = df["toi_min"].notna() & df["toi_min"].gt(0)
    if timed.any():
        st.plotly_chart(
            rates_figure(
                df[timed], team, f"Expected goals per 60, score and venue adjusted ({SITUATION_WORDS[situation]})"
            ),
            key="team_rates_map",
            theme=None,
            config=c.CHART_CONFIG,
        )
    else:
        st.info(
            f"No team time for {SITUATION_WORDS[situation].lower()} in this store: it has no time on ice and its "
            "events do not record how many skaters were on the ice, so there are no rates per 60 here (the "
            "shares, xGF% and adjusted xGF%, need no time). *All situations* times every game.",
            icon=":material/timer_off:",
        )
    show = pd.DataFrame(
        {"Team": df["team"], "GP": df["gp"], "TOI (min)": df["toi_min"]}
        | {label: df[col] for label, col in TEAM_RATES.items()}
    )
    if not timed.any():  # no time: the rates are all unknown; the table keeps what needs none
        show = show.drop(columns=["TOI (min)", *(k for k in TEAM_RATES if k.endswith("/60"))])
    data_table(
        show,
        name="team-rates",
        filters=f.without("team", "shooter", "goalie", "game"),
        extra=(situation,),
        key="team_rates",
        style=lambda d: d.style.format(
            {k: "{:.2f}" for k in TEAM_RATES if k in d.columns}
            | {"TOI (min)": "{:,.0f}", "xGF%": "{:.1f}", "Adj xGF%": "{:.1f}"},
            na_rep="–",
        ),
        column_config={"Team": st.column_config.TextColumn(pinned=True)},
    )
    small = show[show["TOI (min)"].notna() & (show["TOI (min)"] < SMALL_MINUTES)] if timed.any() else show.iloc[:0]
    if len(small):
        st.warning(
            f"Small sample: {', '.join(esc(str(t)) for t in small['Team'])} "
            f"{'has' if len(small) == 1 else 'have'} fewer than {SMALL_MINUTES} minutes here; "
            "their rates move a lot by chance.",
            icon=":material/warning:",
        )
    st.caption(
        "Per 60 minutes of the team's time in the situation (5 on 5: its skaters' time on ice where the store "
        "has it, else the events' skater counts). *Adj*: score and venue "
        "adjusted (McCurdy 2014, as Natural Stat Trick and Evolving-Hockey do): each attempt weighted by how "
        "common attempts are in its score state and venue across this store's league, so a team that trailed "
        "a lot is not flattered by the shots trailing teams take. See the analysis methods in the docs."
    )
