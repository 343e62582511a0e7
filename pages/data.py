"""Data: the stores the dashboard can open, where their data came from, and a season sync from the NHL.

Read-only like every page: a sync runs as a separate process that writes a store of its own
(data/nhl-<season>.duckdb); this page starts it and shows its progress file.
"""

from __future__ import annotations

import re
import shlex
import zlib
from datetime import date, datetime
from pathlib import Path

import streamlit as st

from oa.app import stores
from oa.app import sync as sy
from oa.app.components import CHART_CONFIG, guard
from oa.app.queries import open_store
from oa.app.style import narrow_screens
from oa.app.text import esc
from oa.plots.shots import bar
from oa.vocab import plural

guard()  # a deep link on a fresh server runs the whole app first (see oa.app.components)

POLL_S = 1.0  # how often the progress box reads the sync's progress file

st.title("Data")
narrow_screens()
st.caption(
    "The stores this dashboard can open and where their data came from. Pages only read them; "
    "a sync or an ingest writes a store, in a process of its own."
)


NB_HYPHEN = "\u2011"  # dates do not break across lines at their hyphens


def day(t: object) -> str:
    return t.strftime(f"%Y{NB_HYPHEN}%m{NB_HYPHEN}%d") if isinstance(t, (date, datetime)) else "–"


def when(t: object) -> str:
    return f"{day(t)} {t:%H:%M}" if isinstance(t, datetime) else "–"


def code(text: object) -> str:
    """`text` as inline code: nothing renders inside a code span, so only a backtick (which would end
    it) and line breaks need care; Markdown escapes (`esc`) would show as backslashes there."""
    return "`" + re.sub(r"[\r\n\t\f\v]", " ", str(text)).replace("`", "\u02cb") + "`"


def size_words(n: int) -> str:
    if n < 1e3:
        return f"{max(n, 0)} bytes"
    return f"{n / 1e9:.1f} GB" if n >= 1e9 else f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def show_store(path: str) -> None:
    """The sidebar's data source set to `path` (a button's callback, before the sidebar is drawn)."""
    st.session_state["f_src"] = path


infos = stores.describe_all()
job = sy.current()

# -- a link's ?store= (a file name) puts that store first ----------------------------------------------------
want = st.query_params.get("store")
if want is not None:
    hit = [i for i in infos if i.name == str(want).strip()]
    if hit:
        infos = hit + [i for i in infos if i is not hit[0]]
    else:
        st.warning(
            f"The link's store={esc(str(want)[:80])} is not a store here: showing every store. "
            f"Known: {', '.join(esc(i.name) for i in infos) or 'none'}.",
            icon=":material/link_off:",
        )

# -- the overview chart: games per store and season -----------------------------------------------------------
rows = stores.season_rows(infos)
if not rows.empty:
    st.plotly_chart(
        bar(
            rows,
            "label",
            "games",
            "Games in each store, by season",
            "",
            "games",
            text=[f"{g:,}" for g in rows["games"]],
            height=max(160, 60 + 34 * len(rows)),
            horizontal=True,
            hover="%{y}: %{x:,} games<extra></extra>",
        ),
        key="data_overview",
        theme=None,
        config=CHART_CONFIG,
    )


def provenance(i: stores.StoreInfo) -> None:
    """One store's card: what it holds, where from, when last written, which model rated it."""
    syncing = job.season if job is not None and job.running and Path(job.db) == Path(i.path) else None
    key = zlib.crc32(i.path.encode())  # widget keys stable across reruns and processes
    with st.container(border=True, key=f"store_{key}"):
        head = f"**{esc(i.name)}**"
        if not i.ok:
            if syncing:
                st.markdown(f"{head} · :material/sync: being written by the running sync of {esc(syncing)}.")
            else:
                st.markdown(f"{head} {esc(i.problem)}")
                st.caption(f"{esc(i.path)} · {size_words(i.size)}")
            return
        if i.demo:
            st.markdown(f"{head} · :material/science: {esc(i.league or 'Demo league')}, simulated: not real NHL data")
        else:
            st.markdown(f"{head} · {esc(i.league or 'League')}")
        st.markdown(
            f"**{plural(i.games, 'game')}** · **{plural(i.shots, 'shot')}** · **{plural(len(i.seasons), 'season')}**"
        )
        lines = []
        src = ", ".join(f"{esc(stores.source_title(s))} ({plural(n, 'game')})" for s, n in i.sources)
        loaded = f"; loaded by {code(i.source)}" if i.source and len(i.sources) != 1 else ""
        lines.append(f"- **Source**: {src or 'no games yet'}{loaded}")
        seasons = "; ".join(
            f"{esc(s.season)}: {plural(s.games, 'game')}, {plural(s.shots, 'shot')}"
            + (f" ({day(s.first)} to {day(s.last)})" if s.first is not None and s.last is not None else "")
            for s in i.seasons
        )
        lines.append(f"- **Seasons**: {seasons or 'none'}")
        if i.last_done is not None:
            r = i.last_done
            lines.append(f"- **Last sync or ingest**: {code(r.command)}, finished {when(r.finished)}")
        elif i.demo:
            lines.append(f"- **Built** by {code('python -m oa demo')} (seed {esc(i.seed or '?')}), {when(i.modified)}")
        else:
            lines.append(f"- **Last written** {when(i.modified)} (no recorded sync or ingest)")
        for r in i.unfinished:
            how = "was stopped before it finished" if r.status == "running" else "failed"
            lines.append(
                f"- :material/warning: {code(r.command)} started {when(r.started)} {how}: run it again to complete it"
            )
        if i.sync_failed:
            gid, why = i.sync_failed[0]
            more = f" (and {plural(len(i.sync_failed) - 1, 'other')})" if len(i.sync_failed) > 1 else ""
            lines.append(
                f"- :material/warning: {plural(len(i.sync_failed), 'game')} not synced, retried by the next sync: "
                f"game {gid}, {esc(why[:300])}{more}"
            )
        active = i.active_models
        for m in (m for m in active if m.scored):
            lines.append(
                f"- **Rated by** model {code(m.model_id)} ({esc(m.feature_set)} factors, trained on "
                f"{esc(m.source)} {when(m.trained_at)}): {plural(m.scored, 'shot')} rated"
            )
        for m in (m for m in active if not m.scored):
            lines.append(
                f"- **Also active**: model {code(m.model_id)} ({esc(m.feature_set)} factors), for shots its "
                "factors fit: none here"
            )
        if not any(m.scored for m in active):
            lines.append(
                f"- **No model** has rated these shots: {code(f'python -m oa train --db {i.path}')} then "
                f"{code(f'python -m oa score --db {i.path}')}"
            )
        if len(i.models) > len(active):
            lines.append(f"- {plural(len(i.models) - len(active), 'earlier model')} kept")
        st.markdown("\n".join(lines))
        st.caption(f"{esc(i.path)} · {size_words(i.size)}")
        if st.button("Show this store", key=f"show_{key}", on_click=show_store, args=(i.path,)):
            st.switch_page("pages/league.py")


st.subheader("Stores")
if not infos:
    st.info("No store yet. Build the demo league with `python -m oa demo`.", icon=":material/info:")
for info in infos:
    provenance(info)

# -- a real season: the sync, in the background ---------------------------------------------------------------
st.subheader("Get a real NHL season")
st.markdown(
    "With an internet connection, a sync downloads a season from the NHL's public web API (schedule, "
    "play-by-play, shift charts, rosters), stores it in a store of its own and rates it. Run again, it "
    "fetches only new or changed games. The same from a terminal:"
)
choices = sy.recent_seasons()
season = st.selectbox("Season to sync", choices, key="data_sync_season", help="NHL seasons start in October.")
st.code(shlex.join(["python", "-m", "oa", "nhl", "sync", "--season", season]), language="bash", wrap_lines=True)


def start_sync() -> None:
    try:
        target = sy.target(season)
        open_store.clear(str(target))  # a read-only handle on it would lock the writer out
        sy.start(season)
        st.session_state.pop("_data_sync_error", None)
    except sy.SyncError as e:
        st.session_state["_data_sync_error"] = str(e)


busy = job is not None and job.running
st.button(
    f"Sync {season} now",
    key="data_sync_start",
    on_click=start_sync,
    disabled=busy,
    type="primary",
    help="A sync is running: one at a time." if busy else f"Writes data/nhl-{season}.duckdb in the background.",
)
if err := st.session_state.pop("_data_sync_error", None):
    st.warning(esc(err), icon=":material/sync_problem:")


@st.fragment(run_every=POLL_S if busy else None)
def progress_box() -> None:
    """The sync's progress, read from its file every POLL_S seconds while it runs."""
    j = sy.current()
    if j is None:
        return
    p = j.progress
    name = esc(Path(j.db).name) if j.db else "the store"
    if j.running:
        stage = esc(p.stage)
        count = f" {p.done:,}/{p.total:,}" if p.total else ""
        st.progress(p.fraction, text=f"Syncing {esc(j.season)} into {name}: {stage}{count}")
        return
    started = when(datetime.fromtimestamp(j.started))
    if p.final and p.ok:
        st.success(
            f"Sync of {esc(j.season)} (started {started}) finished: {esc(p.message) or 'done'}. It is in {name}.",
            icon=":material/check:",
        )
    elif p.final:
        st.error(
            f"Sync of {esc(j.season)} (started {started}) failed: {esc(p.message) or 'no reason given'}. Its log: {esc(j.log)}.",
            icon=":material/sync_problem:",
        )
    else:
        code = f" (exit code {j.exit_code})" if j.exit_code is not None else ""
        said = sy.log_tail(j, lines=1)
        code += f", its last words: {esc(said[:300])}" if said else ""
        st.warning(
            f"Sync of {esc(j.season)} (started {started}) stopped without finishing{code}. What it stored is kept; start it again "
            f"to resume. Its log: {esc(j.log)}.",
            icon=":material/sync_problem:",
        )
    if busy:
        st.rerun()  # the sync ended while this page watched: list its store with the others


progress_box()
