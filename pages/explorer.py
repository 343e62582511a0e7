"""Shot explorer: every shot on the rink (colour = danger tier, shape = outcome), heat maps, a shot table."""

from __future__ import annotations

import streamlit as st

from oa.app import components as c
from oa.app import queries as q
from oa.app.components import guard
from oa.app.style import pct
from oa.plots.shots import heat_caption, heat_layer, shot_map
from oa.rink import RINK
from oa.vocab import plural

guard()  # a deep link on a fresh server runs the whole app first (see oa.app.components)

MAX_MARKERS = 4000

start = c.page_start("Shot explorer", "Every shot attacks the net on the right. Click a marker to open the shot.")
if start is None:
    st.stop()
f, v = start
scored = c.no_model_note(f.db, v)

s = q.summary(f.db, v, f)
if s["shots"] == 0:
    c.empty()
    st.stop()

m = st.columns(6)
m[0].metric("Shots", f"{s['shots']:,}", help="Shot attempts matching the filters.")
m[1].metric("Goals", f"{s['goals']:,}")
m[2].metric(
    "Expected goals",
    f"{s['xg']:.1f}" if s["xg"] is not None else "–",
    help="Sum of the model's probabilities over unblocked attempts (xG).",
)
gax = (s["rated_goals"] or 0) - (s["xg"] or 0) if s["xg"] is not None else None
m[3].metric(
    "Goals above expected",
    f"{gax:+.1f}" if gax is not None else "–",
    help="Goals minus expected goals on rated unblocked attempts: finishing (or goaltending) beyond the chances.",
)
m[4].metric(
    "High-danger shots",
    f"{s['high']:,}" if scored else "–",
    help="Shots rated high: about a one-in-six chance or better.",
)
m[5].metric("High-danger goal rate", pct(s["high_goals"] / s["high"]) if s["high"] else "–")

left, right = st.columns([1, 1], gap="medium")
with left:
    full = st.toggle("Full rink", key="explorer_full", help="Also show shots from behind centre ice.")
    df = q.shot_sample(f.db, v, f, n=MAX_MARKERS, xmin=-RINK.half_length if full else 0.0)
    total = s["shots"] if full else s["front"]
    fig = shot_map(df, half=not full, height=380 if full else 560)
    c.clickable_chart(fig, key="explorer_map")
    note = f"{plural(len(df), 'shot')} drawn" + (
        f" (a fixed random sample of {total:,}; the heat maps use them all)" if len(df) < total else ""
    )
    hidden = s["shots"] - total
    if hidden > 0:
        note += f" · {hidden:,} from behind centre ice: switch on *Full rink*"
    st.caption(note + ".")
with right:
    kinds = {"density": "Shots", "xg": "Expected goals", "gax": "Goals − xG"}  # short: fits a phone
    kind = (
        st.segmented_control("Heat map", list(kinds), key="explorer_heat", format_func=kinds.get, default="density")
        or "density"
    )
    if kind != "density" and not scored:
        st.info("Expected-goal maps need model ratings.", icon=":material/info:")
    else:
        h = q.heat(f.db, v, f)
        st.plotly_chart(heat_layer(h, kind, height=516), key="explorer_heatmap", theme=None, config=c.CHART_CONFIG)
        st.caption(
            f"{plural(h['me']['n'], 'shot')} over {plural(h['me']['games'], 'game')}, offensive half. "
            + heat_caption(kind)
        )

st.subheader("Shots")
orders = {"p_desc": "Best chances first", "p_asc": "Lowest chances first", "recent": "Most recent first"}
o1, o2 = st.columns([2, 5], vertical_alignment="bottom")
order = o1.selectbox("Order", list(orders), format_func=orders.get, key="explorer_order")
o2.caption("Up to 500 shots; click a column header to sort, select a row to open the shot.")
c.shot_table(q.shot_table(f.db, v, f, order=order), key="explorer_table", height=420, filters=f, extra=(order,))
