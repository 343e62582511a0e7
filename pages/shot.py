"""Shot detail (`?shot=<id>`): probability and tier, the factor breakdown, the replay, a what-if panel."""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from oa.app import components as c
from oa.app import queries as q
from oa.app.models import model_for
from oa.app.style import OUTCOME_LABELS, SHOT_TYPE_LABELS, clock, pct, tier_badge
from oa.app.text import day, esc, shot_id_param
from oa.features.registry import REGISTRY
from oa.plots.replay import event_path_figure, replay_figure
from oa.plots.shots import waterfall
from oa.rink import angle_to_net, distance_to_net
from oa.app.nav import guard

guard()  # a deep link on a fresh server runs the whole app first (see oa.app.nav)

REPLAY_BEFORE_S, REPLAY_AFTER_S = 5.0, 1.0
WHATIF_EXTRA = 4          # factors offered beside location and shot type
LOCATION = {"distance", "angle", "off_wing"}

start = c.page_start("Shot detail")
if start is None:
    st.stop()
f, v = start


def _requested() -> int | None:
    raw = st.query_params.get("shot")
    if raw is None:
        return st.session_state.get("_last_shot")
    sid = shot_id_param(raw)
    if sid is None:   # text, a float, or beyond what a browser's number holds: said, never a traceback
        st.warning(f"{esc(raw[:40])} (in the link's `shot=`) is not a shot id.", icon=":material/link_off:")
    return sid


shot_id = _requested()
if shot_id is None:
    # nothing asked for: the best chance under the current filters
    top = q.shot_table(f.db, v, f, order="p_desc", n=1)
    if top.empty:
        c.empty("No shot to show.")
        st.stop()
    shot_id = int(top["shot_id"].iloc[0])
    st.caption("No shot chosen: showing the best chance under the current filters. "
               "Open any shot from the explorer, the tables or a shared link.")

pick = st.columns([2, 5])[0].number_input("Shot id", value=int(shot_id), step=1, format="%d", key=f"shot_pick_{shot_id}",
                       help="game_id × 10000 + event index; paste one from a table")
if int(pick) != int(shot_id):
    c.open_shot(int(pick))

s = q.shot(f.db, v, int(shot_id))
if s is None:
    st.warning(f"There is no shot {shot_id} in this store ({f.db}).", icon=":material/search_off:")
    st.stop()
st.session_state["_last_shot"] = int(shot_id)
if st.query_params.get("shot") != str(shot_id):
    st.query_params["shot"] = str(shot_id)

# -- header ------------------------------------------------------------------------------
score = f"{int(s['score_for'])}-{int(s['score_against'])}"
strength = "empty net" if s["empty_net"] else s["strength"]
dist = float(distance_to_net(s["x"], s["y"]))
st.markdown(
    f"### {OUTCOME_LABELS[s['outcome']]}: {esc(s['shooter'])} ({esc(s['team'])}) vs {esc(s['goalie'])} "
    f"({esc(s['opponent'])})\n"
    f"{day(s['date'])} · {esc(s['away_team'])} @ {esc(s['home_team'])} · {clock(s['period'], s['period_seconds'])}"
    f" · {esc(strength)} · score {score} for the shooters · {esc(SHOT_TYPE_LABELS.get(s['shot_type'], s['shot_type']))} "
    f"from {dist:.0f} ft")

factors = q.shot_factors(f.db, v, int(shot_id), s.get("model_id"))
labels = {k: fa.label for k, fa in REGISTRY.items()}
left, right = st.columns([1, 1], gap="large")
with left:
    if s.get("p_goal") is None:
        st.info("This shot has no model rating yet (`python -m oa score`).", icon=":material/model_training:")
    else:
        st.markdown(tier_badge(s["tier"]), unsafe_allow_html=True)
        k = st.columns(3)
        k[0].metric("Chance of a goal", pct(s["p_goal"]), help="The calibrated model's probability for this shot.")
        pub = q.public_xg(f.db, v, int(shot_id))
        names = {"moneypuck": "MoneyPuck xG", "hockeyr": "hockeyR xG"}
        col = 1
        for model, xg in pub.items():
            if col < 3:
                k[col].metric(names.get(model, model), pct(xg), help="The public model's own probability, for comparison.")
                col += 1
        if s.get("source") == "demo" and col < 3:
            o = q.oracle(f.db, v, int(shot_id))
            if o is not None:
                k[col].metric("Oracle (demo only)", pct(o),
                              help="The simulator's hidden true probability: known only for the fictional demo "
                                   "league, never a model input. How close the model gets.")
        if len(factors):
            st.plotly_chart(waterfall(factors, float(s["p_goal"]), float(s["base_logit"]), k=8, labels=labels,
                                      title="Why: the biggest factors (approximate percentage points)"),
                            key="shot_waterfall", theme=None, config=c.CHART_CONFIG)
            st.caption("From the league-average attempt to this shot. Points are approximate: a factor's push "
                       "depends on the others (exact in log-odds; hover a bar).")

with right:
    has_clip = bool(s.get("has_tracking")) and s.get("release_frame") is not None and s.get("fps")
    if has_clip:
        fps = float(s["fps"])
        rel = int(s["release_frame"])
        rows = q.frames(f.db, v, int(s["game_id"]), rel - int(REPLAY_BEFORE_S * fps), rel + int(REPLAY_AFTER_S * fps), 1)
        has_clip = len(rows) > 0
    if has_clip:
        st.markdown("**Replay** · 5 s before the release to 1 s after; press play or drag the slider")
        fig = replay_figure(rows, s, fps=fps, step=max(int(round(fps / 10)), 1))
        st.plotly_chart(fig, key="shot_replay", theme=None, config=c.CHART_CONFIG)
        st.caption("The shooting lane (yellow) runs from the puck to the posts at release; the red arrow is how far "
                   "the goalie had to move to square up. Shooter ringed in black; goalies are the squares.")
    else:
        ev = q.events_before(f.db, v, int(s["game_id"]), int(s["event_idx"]))
        st.markdown("**How the play developed** · play-by-play events before the shot (no tracking for this game)")
        st.plotly_chart(event_path_figure(ev, s), key="shot_path", theme=None, config=c.CHART_CONFIG)

# -- what if -------------------------------------------------------------------------------


@st.fragment
def what_if(s: dict, factors: pd.DataFrame) -> None:
    st.subheader("What if…")
    model = model_for(f.db, v, s.get("model_id"))
    feats = q.shot_features(f.db, v, int(s["shot_id"]))
    if model is None or feats is None:
        st.info("The what-if panel needs this shot's factors and its model file.", icon=":material/info:")
        return
    sid = int(s["shot_id"])
    row = {n: feats.get(n) for n in model.meta["features"]}
    a, b, cc = st.columns([1, 1, 1])
    x = a.slider("Shot location: feet from centre ice (x)", 0.0, 98.0, float(np.clip(s["x"], 0, 98)), 1.0,
                 key=f"wi_x_{sid}", help="The net's goal line is at 89 ft.")
    y = b.slider("Shot location: feet across (y, + is the left of the net as seen by the shooter)", -42.0, 42.0,
                 float(np.clip(s["y"], -42, 42)), 1.0, key=f"wi_y_{sid}")
    row["distance"] = float(distance_to_net(x, y))
    row["angle"] = float(angle_to_net(x, y))
    if "off_wing" in row and s.get("shoots") in ("L", "R"):
        row["off_wing"] = float((s["shoots"] == "L" and y < 0) or (s["shoots"] == "R" and y > 0))
    if "shot_type" in row:
        cats = list(REGISTRY["shot_type"].categories)
        cur = row["shot_type"] if row["shot_type"] in cats else cats[0]
        row["shot_type"] = cc.selectbox("Shot type", cats, index=cats.index(cur), key=f"wi_type_{sid}",
                                        format_func=lambda t: SHOT_TYPE_LABELS.get(t, t.title()))
    def known(val: object) -> bool:
        return val is not None and not (isinstance(val, float) and np.isnan(val))

    # the shot's strongest other factors that have a value (an empty net has no goalie to move)
    extra = [n for n in factors["factor"]
             if n in row and n not in LOCATION | {"shot_type"} and known(row[n])][:WHATIF_EXTRA]
    cols = st.columns(max(len(extra), 1))
    for col, name in zip(cols, extra):
        fa = REGISTRY[name]
        val = row[name]
        unit = f" ({fa.unit})" if fa.unit and fa.unit != "-" else ""
        if fa.kind == "bool":
            row[name] = float(col.toggle(fa.label, value=bool(val == 1), key=f"wi_{name}_{sid}", help=fa.doc))
        elif fa.kind == "cat":
            cats = list(fa.categories)
            row[name] = col.selectbox(fa.label, cats, index=cats.index(val) if val in cats else 0,
                                      key=f"wi_{name}_{sid}", help=fa.doc)
        else:
            lo, hi = q.factor_range(f.db, v, name)
            cur = float(val)
            lo, hi = min(lo, cur), max(hi, cur)
            if hi <= lo:
                hi = lo + 1.0
            stp = fa.step if fa.step and fa.step < (hi - lo) else (hi - lo) / 20
            row[name] = col.slider(fa.label + unit, float(lo), float(hi), float(cur), float(stp),
                                   key=f"wi_{name}_{sid}", help=fa.doc)
    from oa.model.score import score_batch

    data = {n: np.array([row[n]], dtype=object if REGISTRY[n].kind == "cat" else float) for n in model.meta["features"]}
    res = score_batch(model, data)
    p_new = float(res.p[0])
    new_factors = pd.DataFrame({"factor": res.factors, "value_label": res.labels[0], "contribution": res.contrib[0],
                                "contribution_pp": res.pp[0]})
    m1, m2, m3 = st.columns([1, 1, 2])
    m1.metric("New chance of a goal", pct(p_new), delta=f"{100 * (p_new - float(s['p_goal'] or 0)):+.1f} pts",
              help="Re-scored by the same model with the changes above.")
    m2.markdown("New rating<br>" + tier_badge(res.tier[0]), unsafe_allow_html=True)
    m3.caption(f"Moved to {row['distance']:.0f} ft, {row['angle']:.0f}° off the centre line. Only the factors "
               "shown change; everything else about the play stays as it was.")
    fig = waterfall(new_factors, p_new, float(res.base[0]), k=8, labels=labels, height=360)
    st.plotly_chart(fig, key=f"whatif_waterfall_{sid}", theme=None, config=c.CHART_CONFIG)


if s.get("p_goal") is not None:
    what_if(s, factors)

# -- share -------------------------------------------------------------------------------------
st.subheader("Share")
base = (st.context.url or "").split("?")[0] if hasattr(st, "context") else ""
st.code(f"{base}?shot={shot_id}" if base else f"?shot={shot_id}", language=None)
st.caption("A link to this shot: anyone with the dashboard opens it directly.")
