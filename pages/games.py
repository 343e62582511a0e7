"""Games and teams: game flow in expected goals, the game's shot map, team for/against heat maps."""

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
from oa.app.text import esc
from oa.plots.rink import rink_figure
from oa.plots.shots import add_shot_markers, game_flow, heat_caption, heat_layer, heat_zmax


def recap_download(gid: int) -> None:
    """The game's recap (oa.broadcast.recap) as a zip of its HTML page and PNG, drawn when the button is clicked."""
    from oa.broadcast.graphic import renderer_problem
    from oa.broadcast.recap import read_recap, recap_zip

    theme = c.broadcast_theme()
    if theme is None:
        return
    problem = renderer_problem()
    if problem:
        st.info(f"The recap cannot be drawn here: {esc(problem)}", icon=":material/image_not_supported:")
        return

    def drawn() -> bytes:
        return recap_zip(read_recap(q.open_store(f.db), gid), theme)

    st.download_button(
        "Download recap (HTML + PNG)",
        data=drawn,
        file_name=f"game-{gid}-recap.zip",
        mime="application/zip",
        on_click="ignore",
        icon=":material/download:",
        key=f"recap_{gid}",
        help="A self-contained page (works offline) and a 1920x1080 PNG for air: the score, the expected-goals "
        "flow, the shot map, each team's best chances, the best save, the least likely goal and who deserved "
        f"to win. From the command line: `python -m oa export game {gid} --out recap/`.",
    )


guard()  # a deep link on a fresh server runs the whole app first (see oa.app.components)

start = c.page_start("Games & teams")
if start is None:
    st.stop()
f, v = start
scored = c.no_model_note(f.db, v)
tab_game, tab_team = st.tabs(["Game", "Teams"])

with tab_game:
    games = q.game_options(f.db, v, f.season, f.team)
    if not games:
        c.empty("No games to list (pick a season in the sidebar for a large store).")
    else:
        ids = list(games)
        gid = f.game if f.game in games else ids[0]
        gid = st.selectbox(
            "Game",
            ids,
            index=ids.index(gid),
            format_func=games.get,
            key=f"games_pick_{gid}",
            help="The sidebar's game filter picks it too.",
        )
        g = q.game(f.db, v, gid)
        shots = q.game_shots(f.db, v, gid)
        home, away = g["home_team"], g["away_team"]
        hc = g["home_color"] if isinstance(g["home_color"], str) else "#0072B2"
        ac = g["away_color"] if isinstance(g["away_color"], str) else "#D55E00"
        if hc.lower() == ac.lower():
            ac = "#5f6b7a"
        xg = shots[shots["outcome"] != "BLOCK"].groupby("team")["p_goal"].sum()
        n = shots.groupby("team").size()
        m = st.columns(4)
        m[0].metric(
            f"{esc(g['away_name'])} (away)",
            f"{g['away_score']:.0f}" if pd.notna(g["away_score"]) else "–",
            help="Goals (a shootout win counts one)",
        )
        m[1].metric(f"{esc(g['home_name'])} (home)", f"{g['home_score']:.0f}" if pd.notna(g["home_score"]) else "–")
        m[2].metric(
            f"xG {esc(away)} – {esc(home)}",
            f"{xg.get(away, 0):.2f} – {xg.get(home, 0):.2f}" if scored else "–",
            help="Expected goals from unblocked attempts",
        )
        m[3].metric(f"Shots {esc(away)} – {esc(home)}", f"{n.get(away, 0)} – {n.get(home, 0)}")
        if not shots.empty:
            recap_download(int(gid))
        if shots.empty:
            c.empty("This game has no shots.")
        else:
            if scored:
                st.plotly_chart(
                    game_flow(shots, home, away, hc, ac, g["home_name"], g["away_name"]),
                    key="game_flow",
                    theme=None,
                    config=c.CHART_CONFIG,
                )
                st.caption("Cumulative expected goals (sum of each unblocked attempt's chance); stars are goals.")
            fig = rink_figure(half=False, height=420)
            add_shot_markers(fig, shots, mirror=shots["team"] == away)
            fig.update_layout(margin=dict(l=8, r=8, t=80, b=8), legend=dict(y=1.0, yanchor="bottom", orientation="h"))
            st.markdown(
                f"**Shot map**: {esc(home)} attack right →, ← {esc(away)} attack left (click a shot to open it)"
            )
            c.clickable_chart(fig, key="game_map")
            pool = shots if f.empty_net == "include" else shots[shots["empty_net"] == (f.empty_net == "only")]
            best = pool.dropna(subset=["p_goal"]).sort_values("p_goal", ascending=False).head(10)
            st.markdown("**The game's best chances** (select one to open it)")
            c.shot_table(best, key="game_best", name=f"game-{gid}-best-chances")

with tab_team:
    tt = q.team_table(f.db, v, f)
    if tt.empty:
        c.empty()
    else:
        tt["xgd"] = tt["xgf"] - tt["xga"]
        teams = tt["team"].tolist()
        team = f.team if f.team in teams else teams[0]
        team = st.selectbox(
            "Team",
            teams,
            index=teams.index(team),
            key=f"teams_pick_{team}",
            format_func=lambda t: dict(zip(tt["team"], tt["name"])).get(t, t),
        )
        r = tt[tt["team"] == team].iloc[0]
        m = st.columns(4)
        m[0].metric("Expected goals for / game", f"{r['xgf'] / r['games']:.2f}" if scored else "–")
        m[1].metric("Expected goals against / game", f"{r['xga'] / r['games']:.2f}" if scored else "–")
        m[2].metric("Goals for / against", f"{int(r['gf'])} / {int(r['ga'])}")
        m[3].metric(
            "xG share",
            pct(r["xgf"] / (r["xgf"] + r["xga"])) if scored and (r["xgf"] + r["xga"]) else "–",
            help="Share of the expected goals in its games that were its own.",
        )
        base = f.without("team", "shooter", "goalie", "game")
        kind = "xg" if scored else "density"
        h_for = q.heat(f.db, v, replace(base, team=team))
        h_against = q.heat(f.db, v, replace(base, opponent=team))
        zmax = heat_zmax([h_for, h_against], kind)  # one colour scale: for and against compare square by square
        a, b = st.columns(2, gap="medium")
        with a:
            fig = heat_layer(h_for, kind, height=480, zmax=zmax)
            fig.update_layout(title=dict(text=f"{team} shooting: " + fig.layout.title.text))
            st.plotly_chart(fig, key="team_for", theme=None, config=c.CHART_CONFIG)
        with b:
            fig = heat_layer(h_against, kind, height=480, zmax=zmax)
            fig.update_layout(title=dict(text=f"Against {team}: " + fig.layout.title.text))
            st.plotly_chart(fig, key="team_against", theme=None, config=c.CHART_CONFIG)
        st.caption(
            "Per game, offensive half (each team attacks to the right), both maps on one colour scale. "
            + heat_caption(kind)
        )
        st.subheader("Teams")
        show = tt.rename(
            columns={
                "name": "Team",
                "games": "GP",
                "gf": "GF",
                "ga": "GA",
                "xgf": "xGF",
                "xga": "xGA",
                "xgd": "xG diff",
            }
        )
        for col in ("GP", "GF", "GA"):  # counts (DuckDB's sums arrive as floats): shown and written as whole numbers
            show[col] = show[col].round().astype("Int64")
        data_table(
            show[["Team", "GP", "GF", "GA", "xGF", "xGA", "xG diff"]],
            name="teams",
            filters=base,
            style=lambda d: c.good_bad_table(d, {"xG diff": "{:+.1f}"}, {"xGF": "{:.1f}", "xGA": "{:.1f}"}),
            key="team_table",
            column_config={"Team": st.column_config.TextColumn(pinned=True)},
        )
        if f.empty_net == "exclude":
            st.caption(
                "Goals and expected goals follow the sidebar's filters: empty-net shots are left out, so goals "
                "can be fewer than the final scores. Include them with *Empty-net shots* in the sidebar."
            )
        st.subheader("Rates per 60, score and venue adjusted")
        panels.team_rates_panel(f, v, team)
