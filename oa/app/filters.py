"""The sidebar filters shared by every page, kept in the URL so a view can be shared.

`sidebar()` runs in app.py before the page, so the widgets (and their values) persist
across pages. It returns a frozen `Filters`, which is also stored in session state for
the pages (`current()`). `shot_where()` turns it into a parameterised WHERE clause over
`shots s JOIN games g` (+ the active scores `sc`).

A link's values are read case-insensitively, by code or by the label the sidebar shows
(`?outcome=goal`, `?strength=power+play`, `?team=bay`); a value that matches nothing is
named in a warning at the top of the page, never silently dropped.

Empty-net shots (the defending goalie pulled) have their own filter, left out by
default: near-certain goals, they would otherwise fill every "best chance" list.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import streamlit as st

from oa import settings
from oa.app import queries as q
from oa.app.queries import ENV_VAR, db_path
from oa.vocab import OUTCOME_WORDS, OUTCOMES, SHOT_TYPE_WORDS, STRENGTH_FILTERS, TIER_WORDS, TIERS

ALL = "All"
STATE_KEY = "oa_filters"
URL_RAW = "_oa_url_raw"  # the link's values not yet checked against their widget's options
URL_NOTES = "_oa_url_notes"  # (filters they were made for, notes) about values the link got wrong
# widget key -> query parameter
PARAMS = {
    "f_src": "src",
    "f_season": "season",
    "f_game": "game",
    "f_team": "team",
    "f_shooter": "shooter",
    "f_goalie": "goalie",
    "f_strength": "strength",
    "f_empty_net": "empty_net",
    "f_tier": "tier",
    "f_type": "type",
    "f_outcome": "outcome",
}
LISTS = ("f_tier", "f_outcome")
# widget key -> (what its values are, what a page shows when a link's value matches none)
WORDS = {
    "f_src": ("data source", "the default store"),
    "f_season": ("season", "the latest season"),
    "f_game": ("game", "all games"),
    "f_team": ("team", "all teams"),
    "f_shooter": ("shooter", "all shooters"),
    "f_goalie": ("goalie", "all goalies"),
    "f_strength": ("strength", "all strengths"),
    "f_empty_net": ("empty-net choice", "empty-net shots left out"),
    "f_tier": ("tier", "all tiers"),
    "f_type": ("shot type", "all shot types"),
    "f_outcome": ("outcome", "all outcomes"),
}
MAX_LISTED = 40  # a note lists the known values when there are at most this many
# the empty-net filter: its values (in the URL) and what the sidebar calls them
EMPTY_NET = {"exclude": "Leave out", "include": "Include", "only": "Only"}


@dataclass(frozen=True)
class Filters:
    db: str
    season: str | None = None
    game: int | None = None
    team: str | None = None
    shooter: int | None = None
    goalie: int | None = None
    strength: str | None = None
    tiers: tuple[str, ...] = ()  # empty: all
    shot_type: str | None = None
    outcomes: tuple[str, ...] = ()  # empty: all
    opponent: str | None = None  # the defending team (pages only; not in the sidebar)
    empty_net: str = "exclude"  # one of EMPTY_NET: empty-net shots left out, included, or alone

    def without(self, *names: str) -> Filters:
        """The same filters with some cleared (a page that picks its own player or game)."""
        blank = {"tiers": (), "outcomes": ()}
        return replace(self, **{n: blank.get(n) for n in names})


def shot_where(f: Filters, unscored_ok: bool = True) -> tuple[str, dict]:
    """WHERE clause (without the keyword) and parameters for the shot view s / scores sc (`queries._from`)."""
    clauses, params = ["TRUE"], {}
    for col, name in (
        ("s.season", "season"),
        ("s.game_id", "game"),
        ("s.team", "team"),
        ("s.shooter_id", "shooter"),
        ("s.goalie_id", "goalie"),
        ("s.shot_type", "shot_type"),
        ("s.opponent", "opponent"),
    ):
        v = getattr(f, name)
        if v is not None:
            clauses.append(f"{col} = ${name}")
            params[name] = v
    if f.strength in STRENGTH_FILTERS:
        clauses.append(f"({STRENGTH_FILTERS[f.strength]})")
    if f.tiers and set(f.tiers) != set(TIERS):
        clauses.append("list_contains($tiers, s.tier)")
        params["tiers"] = list(f.tiers)
    if f.outcomes and set(f.outcomes) != set(OUTCOMES):
        clauses.append("list_contains($outcomes, s.outcome)")
        params["outcomes"] = list(f.outcomes)
    if f.empty_net == "exclude":
        clauses.append("NOT s.empty_net")
    elif f.empty_net == "only":
        clauses.append("s.empty_net")
    return " AND ".join(clauses), params


# -- data sources ------------------------------------------------------------------------


def list_stores() -> list[str]:
    """data/*.duckdb (not bench_*, not half-built), plus $OA_DB; the default first."""
    default = db_path()
    found = [default]
    data_dir = settings.DATA_DIR
    if data_dir.is_dir():
        for p in sorted(data_dir.glob("*.duckdb")):
            if p.name.startswith("bench_") or ".building" in p.name:
                continue
            if p.resolve() not in found:
                found.append(p.resolve())
    return [str(p) for p in found]


@st.cache_data(show_spinner=False, max_entries=64)
def _store_label(path: str, mtime: float) -> str:
    """'Demo Hockey League (fictional) · demo · oa.duckdb', read with a short-lived connection.

    The connection is closed at once: holding other stores open would lock out whoever
    is building them.
    """
    name = Path(path).name
    try:
        con = duckdb.connect(path, read_only=True)
        try:
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        finally:
            con.close()
    except Exception:  # noqa: BLE001 - a store being written, or not a store
        return f"{name} (unavailable)"
    league = meta.get("league") or "League"
    source = meta.get("source") or "unknown source"
    return f"{league} · {source} · {name}"


def store_label(path: str) -> str:
    try:
        mtime = os.path.getmtime(path)
    except OSError:
        return f"{Path(path).name} (missing)"
    return _store_label(path, mtime)


# -- the sidebar -------------------------------------------------------------------------


def _from_url() -> None:
    """On a session's first run, keep the link's filter values for their widgets to check (`_valid`)."""
    if st.session_state.get("_oa_seeded"):
        return
    st.session_state["_oa_seeded"] = True
    qp = st.query_params
    raw = {key: qp[name] for key, name in PARAMS.items() if name in qp}
    if str(raw.get("f_strength", "")).strip().casefold() == "empty net":  # links from before the empty-net filter
        del raw["f_strength"]
        raw.setdefault("f_empty_net", "only")
    st.session_state[URL_RAW] = raw
    st.session_state[URL_NOTES] = (None, [])


def _match(text: str, options: list, label: Callable[[object], object] | None) -> tuple[bool, object]:
    """(found, option) for a link's value: an option's code or label, ignoring case and spaces around."""
    want = text.strip().casefold()
    for o in options:
        if str(o).casefold() == want or (label is not None and str(label(o)).strip().casefold() == want):
            return True, o
    return False, None


def _from_link(key: str, text: str, options: list, default: object, label: Callable[[object], object] | None) -> object:
    """The widget value a link's text asks for; anything that matches no option is noted (`_note`)."""
    if key in LISTS:
        picked, bad = [], []
        for part in (p for p in text.split(",") if p.strip()):
            found, o = _match(part, options, label)
            (picked if found else bad).append(o if found else part.strip())
        for part in bad:
            _note(key, part, options, label, "the others asked for" if picked else WORDS[key][1])
        return [o for o in options if o in picked]
    found, o = _match(text, options, label)
    if found:
        return o
    _note(key, text, options, label, WORDS[key][1])
    return default


def _note(key: str, text: str, options: list, label: Callable[[object], object] | None, instead: str) -> None:
    """Keep a note naming a link's value that matched no option, and what the page shows instead."""
    noun = WORDS[key][0]
    choices = [str(label(o)) if label is not None else str(o) for o in options if o not in (ALL, 0)]
    known = f" Known: {', '.join(choices)}." if 0 < len(choices) <= MAX_LISTED else ""
    article = "an" if noun[0] in "aeio" else "a"
    st.session_state[URL_NOTES][1].append(
        f"The link's `{PARAMS[key]}={text}` is not {article} {noun} here: ignored, showing {instead}.{known}"
    )


def _valid(key: str, options: list, default: object, label: Callable[[object], object] | None = None) -> None:
    """Keep a widget's state among its options (the data source or season may have changed).

    On a session's first run the link's value, if any, is read here against the options
    (case-insensitively, by code or label); one that matches nothing is named on the page.
    """
    raw = st.session_state.get(URL_RAW, {})
    if key in raw:
        st.session_state[key] = _from_link(key, str(raw.pop(key)), options, default, label)
        return
    if key not in st.session_state:
        st.session_state[key] = default
        return
    v = st.session_state[key]
    if isinstance(v, list):
        st.session_state[key] = [x for x in v if x in options]
    elif v not in options:
        st.session_state[key] = default


def _link_notes(f: Filters) -> None:
    """Warn, at the top of the page, about the link's values that matched nothing, until the filters change."""
    made_for, notes = st.session_state.get(URL_NOTES, (None, []))
    if not notes:
        return
    if made_for is None:
        st.session_state[URL_NOTES] = (f, notes)
    elif made_for != f:
        st.session_state[URL_NOTES] = (None, [])
        return
    for n in notes:
        st.warning(n, icon=":material/link_off:")


def _to_url(f: Filters, src_default: str) -> None:
    want = {
        "season": f.season,
        "game": f.game,
        "team": f.team,
        "shooter": f.shooter,
        "goalie": f.goalie,
        "strength": f.strength,
        "type": f.shot_type,
        "empty_net": None if f.empty_net == "exclude" else f.empty_net,
        "tier": ",".join(f.tiers) if f.tiers else None,
        "outcome": ",".join(f.outcomes) if f.outcomes else None,
        "src": Path(f.db).name if f.db != src_default else None,
    }
    qp = st.query_params
    for k, v in want.items():
        if v is None:
            if k in qp:
                del qp[k]
        elif qp.get(k) != str(v):
            qp[k] = str(v)


def sidebar() -> Filters:
    """Draw the shared filters in the sidebar and return them."""
    _from_url()
    sb = st.sidebar
    stores = list_stores()
    default_db = stores[0]
    _valid("f_src", stores, default_db, label=lambda p: Path(str(p)).name)  # the link names a file
    db = sb.selectbox(
        "Data source",
        stores,
        key="f_src",
        format_func=store_label,
        help="Stores in data/ (and $OA_DB). The demo league is fictional.",
    )
    f = Filters(db=db)
    opts = q.filter_options(db, q.version(db))
    if opts is None:  # empty or unreadable store: the page explains
        st.session_state[STATE_KEY] = f
        _link_notes(f)
        return f

    seasons = [ALL, *opts["seasons"]]
    _valid("f_season", seasons, opts["seasons"][0] if opts["seasons"] else ALL)
    season = sb.selectbox("Season", seasons, key="f_season")
    f = replace(f, season=None if season == ALL else season)

    teams = [ALL, *opts["teams"]]
    _valid("f_team", teams, ALL, label=lambda t: opts["team_names"].get(t, t))
    team = sb.selectbox(
        "Team", teams, key="f_team", format_func=lambda t: opts["team_names"].get(t, t), help="The shooting team."
    )
    f = replace(f, team=None if team == ALL else team)

    games = q.game_options(db, q.version(db), f.season, f.team)
    game_ids = [0, *games]
    _valid("f_game", game_ids, 0)
    game = sb.selectbox(
        "Game",
        game_ids,
        key="f_game",
        format_func=lambda g: f"All games ({len(games):,})" if g == 0 else games[g],
        disabled=f.season is None and len(games) == 0,
        help="Pick a season to list its games." if f.season is None else None,
    )
    f = replace(f, game=game or None)

    shooters = q.player_options(db, q.version(db), "shooter", f.season, f.team)
    ids = [0, *shooters]
    _valid("f_shooter", ids, 0)
    f = replace(
        f,
        shooter=sb.selectbox(
            "Shooter", ids, key="f_shooter", format_func=lambda i: "All shooters" if i == 0 else shooters[i]
        )
        or None,
    )
    goalies = q.player_options(db, q.version(db), "goalie", f.season, None)
    ids = [0, *goalies]
    _valid("f_goalie", ids, 0)
    f = replace(
        f,
        goalie=sb.selectbox(
            "Goalie", ids, key="f_goalie", format_func=lambda i: "All goalies" if i == 0 else goalies[i]
        )
        or None,
    )

    strengths = [ALL, *STRENGTH_FILTERS]
    _valid("f_strength", strengths, ALL)
    strength = sb.selectbox("Strength", strengths, key="f_strength", help="Skaters on the ice, shooter's view.")
    f = replace(f, strength=None if strength == ALL else strength)
    _valid("f_empty_net", list(EMPTY_NET), "exclude", label=EMPTY_NET.get)
    empty_net = sb.radio(
        "Empty-net shots",
        list(EMPTY_NET),
        key="f_empty_net",
        format_func=EMPTY_NET.get,
        horizontal=True,
        help="Shots at an empty net (the goalie pulled) are near-certain goals: left out by default "
        "so they do not fill the leaderboards, best-chance lists and 5v5.",
    )
    f = replace(f, empty_net=empty_net)

    types = [ALL, *opts["shot_types"]]
    _valid("f_type", types, ALL, label=lambda t: SHOT_TYPE_WORDS.get(t, t))
    stype = sb.selectbox("Shot type", types, key="f_type", format_func=lambda t: SHOT_TYPE_WORDS.get(t, t))
    f = replace(f, shot_type=None if stype == ALL else stype)

    _valid("f_tier", list(TIERS), [], label=TIER_WORDS.get)
    tiers = sb.multiselect(
        "Tier",
        list(TIERS),
        key="f_tier",
        format_func=lambda t: TIER_WORDS[t],
        placeholder="All tiers",
        help="The model's danger rating of the chance.",
    )
    _valid("f_outcome", list(OUTCOMES), [], label=OUTCOME_WORDS.get)
    outcomes = sb.multiselect(
        "Outcome", list(OUTCOMES), key="f_outcome", format_func=lambda o: OUTCOME_WORDS[o], placeholder="All outcomes"
    )
    f = replace(f, tiers=tuple(t for t in TIERS if t in tiers), outcomes=tuple(o for o in OUTCOMES if o in outcomes))

    _to_url(f, default_db)
    st.session_state[STATE_KEY] = f
    _link_notes(f)
    return f


def current() -> Filters:
    """The filters app.py's sidebar set for this run."""
    f = st.session_state.get(STATE_KEY)
    return f if f is not None else Filters(db=str(db_path()))


__all__ = ["Filters", "sidebar", "current", "shot_where", "list_stores", "store_label", "ENV_VAR"]
