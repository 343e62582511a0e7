"""Players: a shooter's or a goalie's profile against expected goals."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from oa.app import components as c
from oa.app import panels
from oa.app import queries as q
from oa.app.components import guard
from oa.app.style import pct
from oa.app.tables import data_table
from oa.plots.shots import bar, heat_caption, heat_layer, shot_map
from oa.rink import RINK
from oa.vocab import TIER_COLORS, TIER_WORDS, TIERS, plural, shot_type_word

guard()  # a deep link on a fresh server runs the whole app first (see oa.app.components)

start = c.page_start("Players")
if start is None:
    st.stop()
f, v = start
scored = c.no_model_note(f.db, v)

role = (
    st.segmented_control(
        "Profile",
        ["shooter", "goalie"],
        key="players_role",
        default="goalie" if f.goalie and not f.shooter else "shooter",
        format_func={"shooter": "Shooters", "goalie": "Goalies"}.get,
    )
    or "shooter"
)
scope = f.without("shooter", "goalie")

if role == "shooter":
    table = q.shooter_table(f.db, v, scope)
    if table.empty:
        c.empty()
        st.stop()
    table["gax"] = table["goals"] - table["xg"].fillna(0)
    ids = table["player_id"].astype(int).tolist()
    default = f.shooter if f.shooter in ids else ids[0]
    names = dict(zip(ids, table["name"] + " (" + table["team"] + ")"))
    pid = st.selectbox(
        "Shooter",
        ids,
        index=ids.index(default),
        format_func=names.get,
        key=f"players_shooter_{default}",
        help="Ordered by goals above expected under the sidebar filters.",
    )
    pid = ids[0] if pid is None else int(pid)
    me = replace(scope, shooter=pid)
    r = table[table["player_id"] == pid].iloc[0]
    m = st.columns(5)
    m[0].metric("Shots", f"{int(r['shots']):,}")
    m[1].metric("Goals", f"{int(r['goals']):,}")
    m[2].metric(
        "Expected goals", f"{r['xg']:.1f}" if pd.notna(r["xg"]) else "–", help="Sum of the model's probabilities."
    )
    m[3].metric("Finishing above expected", f"{r['gax']:+.1f}", help="Goals minus expected goals.")
    m[4].metric("High-danger shots", f"{int(r['high']):,}")
    left, right = st.columns(2, gap="medium")
    with left:
        df = q.shot_sample(f.db, v, me, n=2000, xmin=0.0)
        st.markdown("**Shot map** (click a shot to open it)")
        c.clickable_chart(shot_map(df, height=520), key="player_map")
    with right:
        h = q.heat(f.db, v, me, against_league=True)
        st.plotly_chart(heat_layer(h, "vs_league", height=520), key="player_heat", theme=None, config=c.CHART_CONFIG)
        st.caption(heat_caption("vs_league", who="this shooter"))
        panels.heat_sample_note(int(h["me"]["n"]), "by this shooter")
    a, b, cc = st.columns(3, gap="medium")
    with a:
        mx = q.mix(f.db, v, me, "shot_type")
        if len(mx):
            st.plotly_chart(
                bar(
                    mx,
                    "key",
                    "shots",
                    "Shot types",
                    "shot type",
                    "shots",
                    text=[plural(g, "goal") for g in mx["goals"]],
                    horizontal=True,
                    hover="%{y}: %{x} shots<extra></extra>",
                ).update_yaxes(ticktext=[shot_type_word(t) for t in mx["key"]], tickvals=mx["key"]),
                key="player_types",
                theme=None,
                config=c.CHART_CONFIG,
            )
    with b:
        mt = q.mix(f.db, v, me, "tier")
        mt = mt[mt["key"].isin(TIERS)].set_index("key").reindex(list(TIERS)).fillna(0).reset_index()
        if scored and mt["shots"].sum() > 0:
            st.plotly_chart(
                bar(
                    mt,
                    "key",
                    "shots",
                    "Danger mix",
                    "tier",
                    "shots",
                    colors=[TIER_COLORS[t] for t in mt["key"]],
                    text=[f"{plural(s, 'shot')} · {plural(g, 'goal')}" for s, g in zip(mt["shots"], mt["goals"])],
                    hover="%{x}: %{y} shots<extra></extra>",
                ).update_xaxes(ticktext=[TIER_WORDS[t] for t in mt["key"]], tickvals=mt["key"]),
                key="player_tiers",
                theme=None,
                config=c.CHART_CONFIG,
            )
    with cc:
        src = q.high_danger_sources(f.db, v, me)
        if len(src):
            st.plotly_chart(
                bar(
                    src,
                    "source",
                    "shots",
                    "Where his high-danger chances come from",
                    "play",
                    "shots",
                    colors=[TIER_COLORS["high"]] * len(src),
                    horizontal=True,
                    text=[plural(g, "goal") for g in src["goals"]],
                    hover="%{y}: %{x} shots<extra></extra>",
                ),
                key="player_sources",
                theme=None,
                config=c.CHART_CONFIG,
            )
        else:
            st.caption("No high-danger chances under these filters.")
    st.subheader("Talent, on ice and lines")
    situation = panels.situation_control("players_situation")
    t_talent, t_on, t_lines, t_trend = c.lazy_tabs(["Talent", "On ice", "Lines", "Trends"], key=panels.PANEL_TAB)
    with t_talent:
        if t_talent.open:
            panels.talent_panel(scope, v, pid, "shooter")
    with t_on:
        if t_on.open:
            panels.on_ice_panel(scope, v, pid, str(r["name"]), situation)
    with t_lines:
        if t_lines.open:
            panels.lines_panel(scope, v, pid, str(r["name"]), panels.position_of(scope, v, pid), situation)
    with t_trend:
        if t_trend.open:
            panels.trend_panel(scope, v, pid, "shooter")
    st.subheader("Leaderboards")
    b_shooters, b_talent, b_on, b_lines = c.lazy_tabs(["Shooters", "Talent", "On ice", "Lines"], key=panels.BOARD_TAB)
    with b_talent:
        if b_talent.open:
            panels.talent_board(scope, v, "shooter")
    with b_on:
        if b_on.open:
            panels.on_ice_board(scope, v, situation)
    with b_lines:
        if b_lines.open:
            panels.lines_board(scope, v, situation)
    with b_shooters:
        st.caption("Goals against the model's expected goals, under the sidebar's filters.")
        show = table.rename(
            columns={
                "name": "Shooter",
                "team": "Team",
                "shots": "Shots",
                "goals": "Goals",
                "xg": "xG",
                "gax": "Goals − xG",
                "high": "High-danger",
            }
        )
        data_table(
            show[["Shooter", "Team", "Shots", "Goals", "xG", "Goals − xG", "High-danger"]],
            name="shooters",
            filters=scope,
            style=lambda d: c.good_bad_table(d, {"Goals − xG": "{:+.1f}"}, {"xG": "{:.1f}"}),
            key="shooter_table",
            height=320,
            column_config={"Shooter": st.column_config.TextColumn(pinned=True)},
        )
else:
    table = q.goalie_table(f.db, v, scope)
    if table.empty:
        c.empty()
        st.stop()
    table["gsax"] = table["xga"].fillna(0) - table["goals_against"]
    table["sv"] = 1 - table["goals_against"] / table["on_goal"].where(table["on_goal"] > 0)
    ids = table["player_id"].astype(int).tolist()
    default = f.goalie if f.goalie in ids else ids[0]
    names = dict(zip(ids, table["name"] + " (" + table["team"] + ")"))
    pid = st.selectbox(
        "Goalie",
        ids,
        index=ids.index(default),
        format_func=names.get,
        key=f"players_goalie_{default}",
        help="Ordered by goals saved above expected under the sidebar filters.",
    )
    pid = ids[0] if pid is None else int(pid)
    me = replace(scope, goalie=pid)
    r = table[table["player_id"] == pid].iloc[0]
    m = st.columns(5)
    m[0].metric("Shots on goal faced", f"{int(r['on_goal']):,}")
    m[1].metric("Goals against", f"{int(r['goals_against']):,}")
    m[2].metric(
        "Expected goals against",
        f"{r['xga']:.1f}" if pd.notna(r["xga"]) else "–",
        help="Sum of the model's probabilities over the unblocked shots he faced.",
    )
    m[3].metric("Goals saved above expected", f"{r['gsax']:+.1f}", help="Expected goals against minus goals against.")
    m[4].metric("Save rate", pct(r["sv"]))
    left, right = st.columns(2, gap="medium")
    with left:
        mt = q.mix(f.db, v, me, "tier")
        mt = mt[mt["key"].isin(TIERS)].set_index("key").reindex(list(TIERS)).fillna(0).reset_index()
        mt["sv"] = 1 - mt["goals"] / mt["on_goal"].where(mt["on_goal"] > 0)
        if scored and mt["on_goal"].sum() > 0:
            st.plotly_chart(
                bar(
                    mt,
                    "key",
                    "sv",
                    "Save rate by danger tier (shots on goal)",
                    "tier",
                    "save rate",
                    colors=[TIER_COLORS[t] for t in mt["key"]],
                    text=[f"{pct(s)} of {plural(n, 'shot')}" for s, n in zip(mt["sv"], mt["on_goal"])],
                    hover="%{x}: %{y:.1%}<extra></extra>",
                    height=520,
                )
                .update_yaxes(tickformat=".0%", range=[0, 1])
                .update_xaxes(ticktext=[TIER_WORDS[t] for t in mt["key"]], tickvals=mt["key"]),
                key="goalie_tiers",
                theme=None,
                config=c.CHART_CONFIG,
            )
    with right:
        h = q.heat(f.db, v, me)
        st.plotly_chart(heat_layer(h, "ga_vs_x", height=520), key="goalie_heat", theme=None, config=c.CHART_CONFIG)
        st.caption(heat_caption("ga_vs_x"))
        panels.heat_sample_note(int(h["me"]["n"]), "faced by this goalie")
    goals = replace(me, outcomes=("GOAL",))
    df = q.shot_sample(f.db, v, goals, n=1000, xmin=-RINK.half_length)
    if len(df):
        st.markdown("**Goals allowed** (click one to open it)")
        c.clickable_chart(shot_map(df, height=460), key="goalie_goals")
    st.subheader("Talent")
    t_talent, t_trend = c.lazy_tabs(["Talent", "Trends"], key=panels.GOALIE_PANEL_TAB)
    with t_talent:
        if t_talent.open:
            panels.talent_panel(scope, v, pid, "goalie")
    with t_trend:
        if t_trend.open:
            panels.trend_panel(scope, v, pid, "goalie")
    st.subheader("Leaderboards")
    b_goalies, b_talent = c.lazy_tabs(["Goalies", "Talent"], key=panels.GOALIE_BOARD_TAB)
    with b_talent:
        if b_talent.open:
            panels.talent_board(scope, v, "goalie")
    with b_goalies:
        st.caption("Goals saved against the model's expected goals, under the sidebar's filters.")
        show = table.rename(
            columns={
                "name": "Goalie",
                "team": "Team",
                "on_goal": "Shots on goal",
                "goals_against": "Goals against",
                "xga": "xGA",
                "gsax": "GSAx",
                "sv": "Save rate",
            }
        )
        data_table(
            show[["Goalie", "Team", "Shots on goal", "Goals against", "xGA", "GSAx", "Save rate"]],
            name="goalies",
            filters=scope,
            style=lambda d: c.good_bad_table(d, {"GSAx": "{:+.1f}"}, {"xGA": "{:.1f}", "Save rate": "{:.3f}"}),
            key="goalie_table",
            height=320,
            column_config={
                "Goalie": st.column_config.TextColumn(pinned=True),
                "GSAx": st.column_config.Column(help="Goals saved above expected"),
            },
        )
