"""Model: how good the ratings are, how the tiers are cut, what matters, and where the data came from."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from oa.app import components as c
from oa.app import interactions as ia
from oa.app import queries as q
from oa.app import rolling
from oa.app.components import guard
from oa.app.tables import data_table
from oa.features.registry import factor_labels
from oa.plots.interactions import interaction_figure
from oa.plots.shots import reliability_figure, title_layout, title_margin, title_text, wrap
from oa.vocab import INK, NEUTRAL_COLOR, TIER_WORDS, plural

guard()  # a deep link on a fresh server runs the whole app first (see oa.app.components)

start = c.page_start("Model")
if start is None:
    st.stop()
f, v = start
meta = q.meta(f.db, v)
models = q.models(f.db, v)

# -- provenance -----------------------------------------------------------------------------
st.subheader("Data")
sources = q.run(
    f.db,
    "SELECT source, count(*) AS games, count(*) FILTER (WHERE has_tracking) AS tracked, "
    "min(date) AS first, max(date) AS last FROM games GROUP BY source ORDER BY games DESC",
)
if meta.get("source") == "demo":
    st.warning(
        f"**{meta.get('league', 'Demo league')}**: fictional and simulated (seed {meta.get('seed', '?')}, "
        f"built {meta.get('built_at', '?')}). Every shot has full 30 Hz tracking. Not real NHL data.",
        icon=":material/science:",
    )
else:
    names = {
        "hockey_scraper": "NHL play-by-play via hockey_scraper",
        "nhl_api": "NHL API play-by-play",
        "moneypuck": "MoneyPuck shot data",
        "hockeyr": "hockeyR play-by-play",
        "bigdatacup": "Stathletes Big Data Cup tracking (non-commercial research use)",
    }
    st.info("Real data: " + "; ".join(names.get(s, s) for s in sources["source"]) + ".", icon=":material/database:")
data_table(
    sources.rename(
        columns={
            "source": "Source",
            "games": "Games",
            "tracked": "With tracking",
            "first": "First game",
            "last": "Last game",
        }
    ),
    name="data-sources",
    key="model_sources",
    column_config={
        "First game": st.column_config.DateColumn(format="YYYY-MM-DD"),
        "Last game": st.column_config.DateColumn(format="YYYY-MM-DD"),
    },
)

if models.empty:
    st.info(
        f"No model has been trained on this store. Run `python -m oa train --db {f.db}` then "
        f"`python -m oa score --db {f.db}`.",
        icon=":material/model_training:",
    )
    st.stop()

# the model that rates the store's tracked shots first; a play-by-play one beside it rates the rest
active = models[models["active"]].sort_values("feature_set", key=lambda fs: fs != "tracking", kind="stable")
ROLE = {
    "tracking": "Rates every shot with a tracking clip.",
    "pbp": "Rates shots without a tracking clip (API requests, live shots outside tracked windows).",
}
for row in active.itertuples():
    mj = q.parse_json(row.metrics_json)
    st.divider()
    st.subheader(f"Model `{row.model_id}`")
    st.caption(
        f"Trained {pd.Timestamp(row.trained_at):%Y-%m-%d %H:%M} on {row.source} · feature set "
        f"**{row.feature_set}** ({'play-by-play factors' if row.feature_set == 'pbp' else 'tracking factors'})"
        f" · LightGBM, Platt-calibrated, 5-fold cross-validation grouped by game"
    )
    if len(active) > 1:
        st.markdown(ROLE.get(row.feature_set, ""))
    cv, base = mj.get("cv", {}), mj.get("cv_baseline", {})
    m = st.columns(5)
    m[0].metric(
        "AUC",
        f"{cv.get('auc', float('nan')):.3f}",
        delta=f"{cv.get('auc', 0) - base.get('auc', 0):+.3f} vs baseline" if base else None,
        help="Cross-validated: how often a goal is rated above a non-goal (0.5 = chance).",
    )
    m[1].metric(
        "Log loss",
        f"{cv.get('log_loss', float('nan')):.4f}",
        delta=f"{cv.get('log_loss', 0) - base.get('log_loss', 0):+.4f} vs baseline" if base else None,
        delta_color="inverse",
        help="Lower is better.",
    )
    m[2].metric("Brier", f"{cv.get('brier', float('nan')):.4f}", help="Mean squared error of the probability.")
    m[3].metric(
        "Calibration error (ECE)",
        f"{cv.get('ece', float('nan')):.4f}",
        help="Average gap between predicted and observed goal rates.",
    )
    m[4].metric("Training shots", f"{cv.get('n', 0):,}", help=f"{cv.get('goals', 0):,} goals among them.")
    comp = [dict(model="Our model (cross-validated)", **{k: cv.get(k) for k in ("auc", "log_loss", "brier", "ece")})]
    if base:
        comp.append(
            dict(
                model="Baseline: logistic on distance + angle",
                **{k: base.get(k) for k in ("auc", "log_loss", "brier", "ece")},
            )
        )
    for strength, mm in mj.get("cv_by_strength", {}).items():
        comp.append(
            dict(
                model=f"Our model, {strength} only ({plural(mm.get('n', 0), 'shot')})",
                **{k: mm.get(k) for k in ("auc", "log_loss", "brier", "ece")},
            )
        )
    data_table(
        pd.DataFrame(comp).rename(
            columns={"model": "Model", "auc": "AUC", "log_loss": "Log loss", "brier": "Brier", "ece": "ECE"}
        ),
        name=f"model-{row.model_id}-cross-validated",
        key=f"model_comp_{row.model_id}",
    )

    a, b = st.columns(2, gap="medium")
    with a:
        rel = pd.DataFrame(mj.get("reliability", []))
        if len(rel):
            st.plotly_chart(
                reliability_figure(rel, "Reliability (cross-validated)"),
                key=f"rel_{row.model_id}",
                theme=None,
                config=c.CHART_CONFIG,
            )
            st.caption(
                "Each dot is a group of shots with similar predicted chances; its area is proportional "
                "to the number of shots in it. On the diagonal, predictions match what happened."
            )
    with b:
        imp = mj.get("importance", {})
        if imp:
            d = pd.DataFrame({"factor": list(imp), "value": list(imp.values())}).head(15)
            d["label"] = d["factor"].map(lambda n: wrap(factor_labels().get(n, n), 22))
            fig = go.Figure(
                go.Bar(
                    x=d["value"],
                    y=d["label"],
                    orientation="h",
                    marker=dict(color=NEUTRAL_COLOR),
                    hovertemplate="%{y}: %{x:.3f} log-odds on average<extra></extra>",
                )
            )
            title = title_text("What matters most (mean |contribution|, log-odds)")
            fig.update_layout(
                height=460,
                title=title_layout(title, 17),
                yaxis=dict(autorange="reversed", automargin=True, tickfont=dict(size=11)),
                margin=dict(l=8, r=8, t=title_margin(title), b=8),
                xaxis=dict(title="mean |contribution| (log-odds)", gridcolor="#eef1f4", automargin=True, nticks=5),
                plot_bgcolor="white",
                paper_bgcolor="white",
                font=dict(color=INK),
            )
            st.plotly_chart(fig, key=f"imp_{row.model_id}", theme=None, config=c.CHART_CONFIG)

    st.markdown("**Which factors change each other's effect**")
    inter = mj.get("interactions")
    note = ia.missing_note(inter, f.db)
    if note:
        st.info(note, icon=":material/model_training:")
    else:
        labels = factor_labels()
        pairs = pd.DataFrame(inter["pairs"]).head(ia.PAIRS_SHOWN)
        pairs["label"] = [ia.pair_label(fs, labels) for fs in pairs["factors"]]
        a, b = st.columns(2, gap="medium")
        with a:
            st.plotly_chart(interaction_figure(pairs), key=f"inter_{row.model_id}", theme=None, config=c.CHART_CONFIG)
        with b:
            st.markdown(ia.example(inter, labels) or "")
            st.caption(ia.caption(inter, labels))

    tiers = pd.DataFrame(mj.get("tiers", []))
    if len(tiers):
        st.markdown("**Tiers** (thresholds on the calibrated probability, fitted on out-of-fold predictions)")
        tiers["Tier"] = tiers["tier"].map(TIER_WORDS)
        data_table(
            tiers.rename(
                columns={
                    "range": "p(goal)",
                    "shots": "Shots",
                    "share": "Share",
                    "goal_rate": "Goal rate",
                    "mean_p": "Mean predicted",
                }
            )[["Tier", "p(goal)", "Shots", "Share", "Goal rate", "Mean predicted"]],
            name=f"model-{row.model_id}-tiers",
            key=f"tiers_{row.model_id}",
            column_config={
                "Share": st.column_config.NumberColumn(format="percent"),
                "Goal rate": st.column_config.NumberColumn(format="percent"),
                "Mean predicted": st.column_config.NumberColumn(format="percent"),
            },
        )

# -- the next season: rolling-origin results saved by `oa bench seasons` ----------------------------
st.divider()
st.subheader("Does it hold on the next season?")
runs, results_file = rolling.runs_for(f.db)
if not runs:
    st.info(
        "No rolling evaluation beside this store yet. `python -m oa bench seasons --db "
        f"{f.db}` trains on each season's earlier seasons and tests on it (`python -m oa bench seasons` "
        "does it on the real seasons in ../shared); its figures then show here.",
        icon=":material/timeline:",
    )
for key, run in runs.items():
    table = rolling.season_rows(run)
    if table.empty:
        st.caption(f"{rolling.where_from(key, run, results_file)} No season had an earlier one to train on.")
        continue
    data_table(
        table,
        name=f"next-season-{key}",
        key=f"rolling_{key}",
        column_config={
            "Mean predicted": st.column_config.NumberColumn(format="percent"),
            "Goal rate": st.column_config.NumberColumn(format="percent"),
            "Log loss": st.column_config.NumberColumn(format="%.4f"),
            "Brier": st.column_config.NumberColumn(format="%.5f"),
            "ECE": st.column_config.NumberColumn(format="%.4f"),
        },
    )
    st.caption(rolling.where_from(key, run, results_file))
    for season in run.get("seasons", []):
        groups = rolling.group_rows(season)
        if len(groups):
            with st.expander(f"{season.get('source')} {season.get('test')}: by shot type, period and strength"):
                data_table(
                    groups,
                    name=f"next-season-{key}-{season.get('source')}-{season.get('test')}-groups",
                    key=f"rolling_groups_{key}_{season.get('source')}_{season.get('test')}",
                    column_config={
                        "Shots": st.column_config.NumberColumn(format="localized"),
                        "Goal rate": st.column_config.NumberColumn(format="percent"),
                        "Chance wobble (points)": st.column_config.NumberColumn(format="%.2f"),
                        **{
                            c: st.column_config.NumberColumn(format="%+.2f")
                            for c in groups.columns
                            if c.startswith("Points off")
                        },
                    },
                )
                st.caption(
                    "Points off: mean predicted minus the observed goal rate, in percentage points. "
                    "Chance wobble: the standard error of the observed rate (a group's rate moves this "
                    "much by chance alone; a miss within about twice it is not evidence of a bias)."
                )

# -- on the stored shots, with the sidebar's filters ------------------------------------------------
st.divider()
st.subheader("On the stored shots (sidebar filters)")
res = q.model_on_store(f.db, v, f)
names = {
    "model": "Our model",
    "oracle": "Oracle: the simulator's true probability (demo only)",
    "moneypuck": "MoneyPuck xG",
    "hockeyr": "hockeyR xG",
    "model_on_moneypuck": "Our model, on the shots MoneyPuck rates",
    "model_on_hockeyr": "Our model, on the shots hockeyR rates",
}
rows = [
    dict(
        Model=names.get(k, k),
        Shots=int(r["n"] or 0),
        Goals=int(r["goals"] or 0),
        **{"Mean predicted": r["mean_p"], "Log loss": r["log_loss"], "Brier": r["brier"]},
    )
    for k, r in res.items()
    if r.get("n")
]
if meta.get("source") != "demo":
    rows = [r for r in rows if not r["Model"].startswith("Oracle")]
if rows:
    data_table(
        pd.DataFrame(rows),
        name="model-on-stored-shots",
        filters=f,
        key="model_store_table",
        column_config={
            "Mean predicted": st.column_config.NumberColumn(format="percent"),
            "Log loss": st.column_config.NumberColumn(format="%.4f"),
            "Brier": st.column_config.NumberColumn(format="%.4f"),
        },
    )
    if not any(k in res for k in ("moneypuck", "hockeyr")):
        st.caption("No public model (MoneyPuck, hockeyR) has rated these shots; with real data they appear here.")
    st.caption(
        "These shots include the model's own training shots, so this is not a held-out test: "
        "the cross-validated figures above are."
    )
    rb = q.reliability(f.db, v, f)
    if len(rb):
        st.plotly_chart(
            reliability_figure(rb, "Reliability on the filtered shots (in-sample)"),
            key="rel_store",
            theme=None,
            config=c.CHART_CONFIG,
        )
else:
    c.empty("No rated unblocked shots match these filters.")
