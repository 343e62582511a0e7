"""Debates and leaderboards: two shots side by side; best goals, best saves, biggest chances missed."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from oa.app import components as c
from oa.app import queries as q
from oa.app.components import guard
from oa.app.queries import one_empty_net_line
from oa.app.style import clock, pct, tier_badge
from oa.app.tables import data_table
from oa.app.text import day, esc, shot_id_param
from oa.features.registry import factor_labels
from oa.plots.rink import rink_figure
from oa.plots.shots import add_shot_markers, waterfall
from oa.vocab import OUTCOME_WORDS, SHOT_TYPE_WORDS

guard()  # a deep link on a fresh server runs the whole app first (see oa.app.components)

start = c.page_start(
    "Debates & leaderboards",
    "Settle it: which was the better chance? Pick two shots, or send them here from the leaderboards below.",
)
if start is None:
    st.stop()
f, v = start
if not c.no_model_note(f.db, v):
    st.stop()

boards = {k: q.leaderboard(f.db, v, f, k, n=25) for k in ("best_goals", "best_saves", "missed")}


def _param(name: str, fallback: pd.DataFrame) -> int | None:
    """The shot id in `?a=` / `?b=`; a link's bad value is said, then the leaderboard's top shot is shown."""
    raw = st.query_params.get(name)
    sid = shot_id_param(raw)
    if sid is not None:
        return sid
    if raw is not None:
        st.warning(
            f"{esc(raw[:40])} (in the link's `{name}=`) is not a shot id; showing a leaderboard shot instead.",
            icon=":material/link_off:",
        )
    return int(fallback["shot_id"].iloc[0]) if len(fallback) else None


a_id = _param("a", boards["best_goals"])
b_id = _param("b", boards["best_saves"])
if a_id is None or b_id is None:
    c.empty("Not enough rated shots for a debate.")
    st.stop()

labels = factor_labels()


def side(col, key: str, sid: int) -> None:
    with col:
        new = st.number_input("Shot id", value=int(sid), step=1, format="%d", key=f"debate_{key}_{sid}")
        if int(new) != int(sid):
            st.query_params[key] = str(int(new))
            st.rerun()
        s = q.shot(f.db, v, int(sid))
        if s is None:
            st.warning(f"No shot {sid} in this store.")
            return
        # names and codes come from ingested files: escaped, since this line allows HTML (for the <br>)
        st.markdown(
            f"**{OUTCOME_WORDS[s['outcome']]}**: {esc(s['shooter'])} ({esc(s['team'])}) vs "
            f"{esc(s['goalie'])} ({esc(s['opponent'])})<br>{day(s['date'])} · "
            f"{clock(s['period'], s['period_seconds'])} · {esc(s['strength'])} · "
            f"{esc(SHOT_TYPE_WORDS.get(s['shot_type'], s['shot_type']))}",
            unsafe_allow_html=True,
        )
        st.markdown(tier_badge(s["tier"], s["p_goal"]), unsafe_allow_html=True)
        fig = rink_figure(half=True, height=300)
        add_shot_markers(
            fig,
            pd.DataFrame(
                [
                    {
                        k: s[k]
                        for k in (
                            "shot_id",
                            "x",
                            "y",
                            "outcome",
                            "shot_type",
                            "strength",
                            "team",
                            "opponent",
                            "period",
                            "period_seconds",
                            "p_goal",
                            "tier",
                            "shooter",
                            "goalie",
                            "date",
                        )
                    }
                ]
            ),
            shrink=1.8,
            legend=False,
        )
        fig.update_layout(showlegend=False, margin=dict(l=4, r=4, t=8, b=4))
        st.plotly_chart(fig, key=f"debate_rink_{key}", theme=None, config=c.CHART_CONFIG)
        fa = one_empty_net_line(q.shot_factors(f.db, v, int(sid), s.get("model_id")), s["empty_net"])
        if len(fa) and s.get("p_goal") is not None:
            st.plotly_chart(
                waterfall(fa, float(s["p_goal"]), float(s["base_logit"]), k=6, labels=labels, height=360),
                key=f"debate_wf_{key}",
                theme=None,
                config=c.CHART_CONFIG,
            )
        st.page_link(
            "pages/shot.py",
            label="Open the shot with its replay",
            icon=":material/play_circle:",
            query_params={"shot": str(sid)},
        )


la, lb = st.columns(2, gap="large")
side(la, "a", a_id)
side(lb, "b", b_id)
sa, sb = q.shot(f.db, v, a_id), q.shot(f.db, v, b_id)
if a_id == b_id:
    st.info(
        f"Both sides show shot {a_id}: pick another shot for one side to settle a debate.", icon=":material/balance:"
    )
elif sa and sb and sa.get("p_goal") is not None and sb.get("p_goal") is not None:
    d = 100 * (float(sa["p_goal"]) - float(sb["p_goal"]))
    if round(abs(d), 1) == 0:
        st.success(
            f"The model rates the two shots as equal chances ({pct(sa['p_goal'])} each).", icon=":material/balance:"
        )
    else:
        better = "left" if d > 0 else "right"
        st.success(
            f"The model rates the **{better}** shot the better chance by {abs(d):.1f} percentage points "
            f"({pct(sa['p_goal'])} vs {pct(sb['p_goal'])}).",
            icon=":material/balance:",
        )

st.divider()
st.subheader("Leaderboards")
st.caption(
    "Filtered by the sidebar. Choose a side of the debate, then select a row to send its shot there. "
    "Empty-net shots are left out unless the sidebar includes them."
)
st.segmented_control(
    "Send a selected row to",
    ["a", "b"],
    default="a",
    key="debate_target",
    format_func={"a": "Left shot", "b": "Right shot"}.get,
)

BOARD_ROUND = "debate_board_round"  # bumped by each send: the leaderboards' keys, so no row stays ticked


def send(key: str, shot_ids: list[int], shown: dict[str, int]) -> None:
    """A leaderboard row's click (on_select): its shot goes to the chosen side, once.

    Acting in the click's callback, not on every run while a row stays selected, means two
    selected rows cannot take turns in the URL for ever, and choosing the other side later
    does not send an old selection too. A shot already on the other side swaps over, so a
    debate is never a shot against itself. The tables then start afresh (a new key), so the
    sent row is unticked and any row, the same one too, can be sent again.
    """
    rows = st.session_state[key].selection.rows
    if not rows:
        return
    side = st.session_state.get("debate_target") or "a"
    other = "b" if side == "a" else "a"
    sid = shot_ids[rows[0]]
    if shown[other] == sid:
        st.query_params[other] = str(shown[side])
    st.query_params[side] = str(sid)
    st.session_state[BOARD_ROUND] = st.session_state.get(BOARD_ROUND, 0) + 1


titles = {
    "best_goals": ("Best goals", "lowest chance that went in"),
    "best_saves": ("Best saves", "highest chance that was stopped"),
    "missed": ("Biggest chances missed", "highest chance that missed the net or was blocked"),
}
tabs = st.tabs([t for t, _ in titles.values()])
for tab, (kind, (title, sub)) in zip(tabs, titles.items()):
    with tab:
        st.caption(f"{title}: the {sub}.")
        df = boards[kind]
        rows = c.shot_rows(df)
        if rows.empty:
            c.empty()
            continue
        key = f"board_{kind}_{st.session_state.get(BOARD_ROUND, 0)}"
        data_table(
            rows,
            name=kind.replace("_", "-"),
            filters=f,
            key=key,
            selection_mode="single-row",
            on_select=partial(send, key, [int(x) for x in rows["Shot"]], {"a": a_id, "b": b_id}),
            column_config=c.SHOT_COLUMNS_CONFIG,
        )
