"""Shot detail (`?shot=<id>`): probability and tier, the factor breakdown, the replay, a what-if panel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

from oa.app import components as c
from oa.app import queries as q
from oa.app.components import guard
from oa.app.models import model_for
from oa.app.queries import EMPTY_NET, one_empty_net_line
from oa.app.style import clock, pct, tier_badge
from oa.app.text import day, esc, shot_id_param
from oa.broadcast.replay import AFTER_S as REPLAY_AFTER_S
from oa.broadcast.replay import BEFORE_S as REPLAY_BEFORE_S
from oa.features.registry import factor_labels, factor_named
from oa.features.whatif import FOLLOW_SPOT, KEPT, same_value, shot_factors_at
from oa.plots.place import GRID_TRACE, placement_figure, spot_words
from oa.plots.replay import event_path_figure, replay_figure
from oa.plots.shots import waterfall
from oa.rink import distance_to_net
from oa.vocab import OUTCOME_WORDS, SHOT_TYPE_WORDS

guard()  # a deep link on a fresh server runs the whole app first (see oa.app.components)

WHATIF_EXTRA = 4  # factors offered beside the spot and the shot type

start = c.page_start("Shot detail")
if start is None:
    st.stop()
f, v = start


def _requested() -> int | None:
    raw = st.query_params.get("shot")
    if raw is None:
        return st.session_state.get("_last_shot")
    sid = shot_id_param(raw)
    if sid is None:  # text, a float, or beyond what a browser's number holds: said, never a traceback
        st.warning(f"{esc(raw[:40])} (in the link's `shot=`) is not a shot id.", icon=":material/link_off:")
    return sid


shot_id = _requested()
if shot_id is None:
    # nothing asked for: the best chance under the current filters, never an empty net unless only those are asked for
    top = q.shot_table(f.db, v, f if f.empty_net == "only" else replace(f, empty_net="exclude"), order="p_desc", n=1)
    if top.empty:
        c.empty("No shot to show.")
        st.stop()
    shot_id = int(top["shot_id"].iloc[0])
    st.caption(
        "No shot chosen: showing the best chance under the current filters. "
        "Open any shot from the explorer, the tables or a shared link."
    )

# a fixed width that holds a 15-digit id and its buttons (a share of a narrow column cut the id)
pick = st.number_input(
    "Shot id",
    value=int(shot_id),
    step=1,
    format="%d",
    key=f"shot_pick_{shot_id}",
    width=300,
    help="game_id × 10000 + event index; paste one from a table",
)
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
    f"### {OUTCOME_WORDS[s['outcome']]}: {esc(s['shooter'])} ({esc(s['team'])}) vs {esc(s['goalie'])} "
    f"({esc(s['opponent'])})\n"
    f"{day(s['date'])} · {esc(s['away_team'])} @ {esc(s['home_team'])} · {clock(s['period'], s['period_seconds'])}"
    f" · {esc(strength)} · score {score} for the shooters · {esc(SHOT_TYPE_WORDS.get(s['shot_type'], s['shot_type']))} "
    f"from {dist:.0f} ft"
)

factors = one_empty_net_line(q.shot_factors(f.db, v, int(shot_id), s.get("model_id")), s["empty_net"])
labels = factor_labels()
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
                k[col].metric(
                    names.get(model, model), pct(xg), help="The public model's own probability, for comparison."
                )
                col += 1
        if s.get("source") == "demo" and col < 3:
            o = q.oracle(f.db, v, int(shot_id))
            if o is not None:
                k[col].metric(
                    "Oracle (demo only)",
                    pct(o),
                    help="The simulator's hidden true probability: known only for the fictional demo "
                    "league, never a model input. How close the model gets.",
                )
        if len(factors):
            st.plotly_chart(
                waterfall(
                    factors,
                    float(s["p_goal"]),
                    float(s["base_logit"]),
                    k=8,
                    labels=labels,
                    title="Why: the biggest factors (approximate percentage points)",
                ),
                key="shot_waterfall",
                theme=None,
                config=c.CHART_CONFIG,
            )
            st.caption(
                "From the league-average attempt to this shot. Points are approximate: a factor's push "
                "depends on the others (exact in log-odds; hover a bar)."
            )

with right:
    has_clip = bool(s.get("has_tracking")) and s.get("release_frame") is not None and s.get("fps")
    if has_clip:
        fps = float(s["fps"])
        rel = int(s["release_frame"])
        rows = q.frames(
            f.db, v, int(s["game_id"]), rel - int(REPLAY_BEFORE_S * fps), rel + int(REPLAY_AFTER_S * fps), 1
        )
        has_clip = len(rows) > 0
    if has_clip:
        st.markdown("**Replay** · 5 s before the release to 1 s after; press play or drag the slider")
        fig = replay_figure(rows, s, fps=fps, step=max(int(round(fps / 10)), 1))
        st.plotly_chart(fig, key="shot_replay", theme=None, config=c.CHART_CONFIG)
        st.caption(
            "The shooting lane (yellow) runs from the puck to the posts at release; the red arrow is how far "
            "the goalie had to move to square up. Shooter ringed in black; goalies are the squares."
        )
    else:
        ev = q.events_before(f.db, v, int(s["game_id"]), int(s["event_idx"]))
        st.markdown("**How the play developed** · play-by-play events before the shot (no tracking for this game)")
        st.plotly_chart(event_path_figure(ev, s), key="shot_path", theme=None, config=c.CHART_CONFIG)

# -- what if -------------------------------------------------------------------------------


def _clicked_spot(sid: int) -> tuple[float, float] | None:
    """The grid point last clicked on the what-if rink (the grid is its first trace; a point is its spot)."""
    try:
        pts = st.session_state[f"wi_rink_{sid}"]["selection"]["points"]
    except (KeyError, TypeError):
        return None
    for pt in pts:
        if isinstance(pt, dict) and pt.get("curve_number") == GRID_TRACE:
            try:
                return float(pt["x"]), float(pt["y"])
            except (KeyError, TypeError, ValueError):
                continue
    return None


def _take_click(sid: int) -> bool:
    """Move the shot to a new click (once per click: a kept selection must not undo a reset)."""
    spot = _clicked_spot(sid)
    if spot is None or st.session_state.get(f"_wi_clicked_{sid}") == spot:
        return False
    st.session_state[f"_wi_clicked_{sid}"] = spot
    st.session_state[f"wi_spot_{sid}"] = spot
    return True


def _reset(sid: int) -> None:
    """Back to the real shot: forget the spot and every what-if control of this shot."""
    for k in [
        k
        for k in st.session_state
        if str(k).startswith("wi_") and str(k).endswith(f"_{sid}") and not str(k).startswith(("wi_rink_", "wi_back_"))
    ]:
        del st.session_state[k]


def _moved_row(sid: int, stored: dict, spot: tuple[float, float]) -> dict:
    """The model's factors with the shot released at `spot`, recomputed by the batch factor code."""
    inp = q.whatif_inputs(f.db, v, sid)
    if inp is None:
        return dict(stored)
    there = shot_factors_at(
        inp["shot"], inp["events"], inp["players"], inp["games"], inp["frames"], inp["goalie_ids"], spot[0], spot[1]
    )
    return {n: there.get(n, stored[n]) for n in stored}


def _controls(sid: int, row: dict, stored: dict, factors: pd.DataFrame, box) -> None:
    """Shot type and the shot's strongest factors that do not follow the spot, as widgets (edit `row`)."""

    def known(val: object) -> bool:
        return val is not None and not (isinstance(val, float) and np.isnan(val))

    if "shot_type" in row:
        cats = list(factor_named("shot_type").categories)
        cur = row["shot_type"] if row["shot_type"] in cats else cats[0]
        row["shot_type"] = box.selectbox(
            "Shot type",
            cats,
            index=cats.index(cur),
            key=f"wi_type_{sid}",
            format_func=lambda t: SHOT_TYPE_WORDS.get(t, t.title()),
        )
    # an empty net's goalie factors are one fact (see oa.app.queries): nothing there to change
    extra = [
        n
        for n in factors["factor"]
        if n in row and n not in FOLLOW_SPOT and n != "shot_type" and n != EMPTY_NET and known(stored[n])
    ][:WHATIF_EXTRA]
    for name in extra:
        fa = factor_named(name)
        val = stored[name]
        unit = f" ({fa.unit})" if fa.unit and fa.unit != "-" else ""
        if fa.kind == "bool":
            row[name] = float(box.toggle(fa.label, value=bool(val == 1), key=f"wi_{name}_{sid}", help=fa.doc))
        elif fa.kind == "cat":
            cats = list(fa.categories)
            row[name] = box.selectbox(
                fa.label, cats, index=cats.index(val) if val in cats else 0, key=f"wi_{name}_{sid}", help=fa.doc
            )
        else:
            row[name] = _number_slider(box, fa, float(val), f"wi_{name}_{sid}", unit)


def _number_slider(box, fa, val: float, key: str, unit: str) -> float:
    """A factor's slider in its own rounding (whole inches, tenths of a second), over the stored range.

    It starts at the real value rounded; left there, the real (unrounded) value is kept, so
    merely showing a slider changes nothing.
    """
    lo, hi = q.factor_range(f.db, v, fa.name)
    stp = fa.step if fa.step else 1.0
    cur = round(val / stp) * stp
    lo, hi = np.floor(min(lo, cur) / stp) * stp, np.ceil(max(hi, cur) / stp) * stp
    if hi <= lo:
        hi = lo + stp
    digits = 0 if stp >= 1 else len(f"{stp:g}".split(".")[1])
    got = box.slider(
        fa.label + unit,
        float(lo),
        float(hi),
        float(round(cur, digits)),
        float(stp),
        key=key,
        help=fa.doc,
        format=f"%.{digits}f",
    )
    return val if np.isclose(got, cur) else float(got)


def _said(name: str, val: object) -> str:
    fa = factor_named(name)
    return str(fa.labels(np.array([val], dtype=object if fa.kind == "cat" else float))[0])


@st.fragment
def what_if(s: dict, factors: pd.DataFrame) -> None:
    st.subheader("What if…")
    model = model_for(f.db, v, s.get("model_id"))
    feats = q.shot_features(f.db, v, int(s["shot_id"]))
    if model is None or feats is None:
        st.info("The what-if panel needs this shot's factors and its model file.", icon=":material/info:")
        return
    sid = int(s["shot_id"])
    names = list(model.meta["features"])
    stored = {n: feats.get(n) for n in names}
    _take_click(sid)
    spot = st.session_state.get(f"wi_spot_{sid}")
    rink, box = st.columns([3, 2], gap="medium")
    with rink:
        ev = st.plotly_chart(
            placement_figure((s["x"], s["y"]), spot),
            key=f"wi_rink_{sid}",
            on_select="rerun",
            selection_mode="points",
            theme=None,
            config=c.CHART_CONFIG,
        )
        if ev is not None and _take_click(sid):  # a click this run: draw the rink again with the new spot
            st.rerun(scope="fragment")
    row = dict(stored) if spot is None else _moved_row(sid, stored, spot)
    with box:
        st.markdown(
            f"**Taken from** {spot_words(s['x'], s['y'])}  \n"
            + (f"**Moved to** {spot_words(*spot)}" if spot is not None else "Click the rink to move the shot there.")
        )
        _controls(sid, row, stored, factors, box)
        box.button("Back to the real shot", key=f"wi_back_{sid}", on_click=_reset, args=(sid,), icon=":material/undo:")
    changed = [n for n in names if not same_value(row[n], stored[n])]
    st.caption(
        "Moving the shot moves the shooter and the puck; the goalie and every other player stay where they "
        "were at the release. Recomputed from the new spot: distance, angle, off wing, the goalie's distance "
        "to square up, bodies in the shooting lane and screening, the nearest defender"
        + (", and the distance, speed and angle from the previous events" if s.get("release_frame") is None else "")
        + ". Kept as they were (the play that led to the shot): "
        + ", ".join(factor_named(n).label.lower() for n in KEPT if n in stored)
        + "; and the game state (score, period, clock, strength)."
    )
    if not changed:
        st.caption("Nothing changed yet: the rating above stands.")
        return
    from oa.model.score import score_batch

    data = {n: np.array([row[n]], dtype=object if factor_named(n).kind == "cat" else float) for n in names}
    res = score_batch(model, data)
    p_new = float(res.p[0])
    new_factors = pd.DataFrame(
        {
            "factor": res.factors,
            "value_label": res.labels[0],
            "contribution": res.contrib[0],
            "contribution_pp": res.pp[0],
        }
    )
    m1, m2 = st.columns([1, 3])
    m1.metric(
        "New chance of a goal",
        pct(p_new),
        delta=f"{100 * (p_new - float(s['p_goal'] or 0)):+.1f} pts",
        help="Re-scored by the same model with the changes above.",
    )
    m2.markdown("New rating<br>" + tier_badge(res.tier[0]), unsafe_allow_html=True)
    left, right = st.columns([1, 1], gap="medium")
    left.markdown("**What changed**")
    left.table(
        pd.DataFrame(
            {
                "Factor": [factor_named(n).label for n in changed],
                "Real shot": [_said(n, stored[n]) for n in changed],
                "What if": [_said(n, row[n]) for n in changed],
            }
        ).set_index("Factor")
    )
    fig = waterfall(
        one_empty_net_line(new_factors, s["empty_net"]), p_new, float(res.base[0]), k=8, labels=labels, height=360
    )
    right.plotly_chart(fig, key=f"whatif_waterfall_{sid}", theme=None, config=c.CHART_CONFIG)


if s.get("p_goal") is not None:
    what_if(s, factors)

# -- graphic for air -------------------------------------------------------------------------------


def graphic_downloads(s: dict, factors: pd.DataFrame) -> None:
    """The shot's broadcast graphic (oa.broadcast), rendered when a button is clicked: three sizes, PNG or SVG."""
    from oa.broadcast.data import ShotCard, goalie_travel
    from oa.broadcast.graphic import SIZES, render_shot, renderer_problem

    st.subheader("Graphic for air")
    theme = c.broadcast_theme()
    if theme is None:
        return
    problem = renderer_problem()
    if problem:
        st.info(f"Graphics cannot be drawn here: {esc(problem)}", icon=":material/image_not_supported:")
        return
    card = ShotCard(s, factors, goalie_travel(q.open_store(f.db), s))
    size = st.radio(
        "Size",
        list(SIZES),
        format_func=lambda k: f"{k} · {SIZES[k]}",
        horizontal=True,
        key=f"graphic_size_{s['shot_id']}",
    )
    row = st.container(horizontal=True, gap="small")  # the buttons keep their width and wrap on a phone

    def drawn(fmt: str) -> Callable[[], bytes]:
        return lambda: render_shot(card, size, fmt, theme)

    for fmt in ("png", "svg"):
        row.download_button(
            f"Download {fmt.upper()}",
            data=drawn(fmt),
            file_name=f"shot-{s['shot_id']}-{size}.{fmt}",
            mime="image/png" if fmt == "png" else "image/svg+xml",
            on_click="ignore",
            icon=":material/download:",
            key=f"graphic_{fmt}_{s['shot_id']}",
        )
    st.caption(
        "Shooter, goalie, clock, the chance and its tier, the three strongest factors and the rink, in the "
        "broadcast theme (see the docs' Broadcast graphics page). The lower third has a transparent background. "
        "The same graphic from the command line: `python -m oa export shot "
        f"{s['shot_id']} --size {size} --out shot.png`."
    )


graphic_downloads(s, factors)


def replay_download(s: dict, factors: pd.DataFrame) -> None:
    """The tracked replay as an MP4 (oa.broadcast.replay), drawn and encoded when the button is clicked."""
    from oa.broadcast.data import ShotCard
    from oa.broadcast.replay import (
        VIDEO_SIZES,
        NoTracking,
        clip_from_rows,
        encoder_problem,
        replay_bytes,
        tracking_problem,
    )

    st.subheader("Replay video")
    why = tracking_problem(s)
    rows = None
    if why is None:
        fps, rel = float(s["fps"]), int(s["release_frame"])
        rows = q.frames(
            f.db, v, int(s["game_id"]), rel - int(REPLAY_BEFORE_S * fps), rel + int(REPLAY_AFTER_S * fps), 1
        )
        if rows.empty:
            why = "no tracking frames are stored around its release"
    if why is not None or rows is None:
        st.info(f"No replay video for this shot: {esc(str(why))}.", icon=":material/videocam_off:")
        return
    theme = c.broadcast_theme()
    if theme is None:
        return
    problem = encoder_problem()
    if problem:
        st.info(f"Videos cannot be encoded here: {esc(problem)}", icon=":material/videocam_off:")
        return
    size = st.radio(
        "Video size",
        list(VIDEO_SIZES),
        format_func=lambda k: f"{k} · {VIDEO_SIZES[k]}",
        horizontal=True,
        key=f"replay_size_{s['shot_id']}",
    )
    try:
        clip = clip_from_rows(rows, s, float(s["fps"]))
    except NoTracking as e:
        st.info(f"No replay video: {esc(str(e))}.", icon=":material/videocam_off:")
        return
    card = ShotCard(s, factors)
    st.download_button(
        "Download MP4",
        data=lambda: replay_bytes(card, clip, size, 30, theme),
        file_name=f"replay-{s['shot_id']}-{size}.mp4",
        mime="video/mp4",
        on_click="ignore",
        icon=":material/movie:",
        key=f"replay_mp4_{s['shot_id']}",
    )
    st.caption(
        "The replay above as a video: 5 s before the release to 1 s after, 30 frames a second (H.264), with the "
        "chance, its tier and the three strongest factors on a caption bar in the broadcast theme. Drawn when "
        f"clicked (a few seconds). From the command line: `python -m oa export replay {s['shot_id']} --size {size} "
        "--out replay.mp4`."
    )


replay_download(s, factors)

# -- share -------------------------------------------------------------------------------------
st.subheader("Share")
base = (st.context.url or "").split("?")[0] if hasattr(st, "context") else ""
st.code(f"{base}?shot={shot_id}" if base else f"?shot={shot_id}", language=None)
st.caption("A link to this shot: anyone with the dashboard opens it directly.")
