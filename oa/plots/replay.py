"""The shot replay: a tracking clip animated on the rink, or the play-by-play path before a shot.

`replay_figure` takes the clip's rows (rink coordinates as recorded) and the shot, turns
them into the shot's normalised frame (attacking the net at x = +89) and builds a Plotly
animation: skaters in their team colours with sweater numbers, the goalies distinct,
the puck with a trail, and at the release the shooting lane from the puck to the posts,
the goalie's square-up point and the travel he needed. Play / pause buttons and a frame
slider drive it; the figure opens on the release frame so a still shows the key moment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from oa.plots.rink import rink_figure
from oa.rink import RINK
from oa.schema import PUCK_ID

LANE_FILL = "rgba(221,170,51,0.28)"
LANE_LINE = "#b8860b"
TRAIL_S = 0.5


class AnimatedFigure(go.Figure):
    """A figure whose animation frames stay plain dicts.

    Building ~60 `go.Frame` objects (validating every trace) takes most of a second;
    the frames are made here from checked data, so they skip that. `to_dict` (what
    Streamlit and `to_json` serialise) puts them back.
    """

    def __init__(self, *args, raw_frames: list[dict] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._raw_frames = raw_frames or []

    @property
    def raw_frames(self) -> list[dict]:
        return self._raw_frames

    def to_dict(self) -> dict:
        out = super().to_dict()
        out["frames"] = self._raw_frames
        return out

    def to_plotly_json(self) -> dict:
        return self.to_dict()


def square_point(goalie: tuple[float, float], puck: tuple[float, float]) -> tuple[float, float]:
    """The spot on the goalie's arc (his depth) square to the puck, as the goalie_travel factor uses."""
    gx, gy = goalie
    px, py = puck
    depth = max(float(np.hypot(RINK.goal_line_x - gx, gy)), 1.0)
    ang = float(np.clip(np.arctan2(py, max(RINK.goal_line_x - px, 1e-3)), -np.radians(80), np.radians(80)))
    return RINK.goal_line_x - depth * np.cos(ang), depth * np.sin(ang)


def _readable(color: str | None, fallback: str) -> str:
    return color if isinstance(color, str) and color.startswith("#") and len(color) == 7 else fallback


def replay_figure(rows: pd.DataFrame, shot: dict, fps: float, step: int = 3, height: int = 470) -> go.Figure:
    """Animated replay of `rows` (frame_idx, entity_id, team, x, y, number, position) around `shot`."""
    rel = int(shot["release_frame"])
    d = rows.copy()
    if shot.get("flipped"):
        d["x"], d["y"] = -d["x"], -d["y"]
    team, opp = shot["team"], shot["opponent"]
    c_for = _readable(shot.get("team_color"), "#0072B2")
    c_opp = _readable(shot.get("opponent_color"), "#D55E00")
    if c_for.lower() == c_opp.lower():
        c_opp = "#ffffff"
    goalie_id = shot.get("goalie_id")
    shooter_id = shot.get("shooter_id")
    d["is_goalie"] = ((d["position"] == "G") | (d["entity_id"] == goalie_id)).to_numpy()
    d["num"] = d["number"].map(lambda n: "" if pd.isna(n) else f"{int(n)}")
    d["label"] = d["name"].fillna("")
    d["is_shooter"] = (d["entity_id"] == shooter_id).to_numpy()
    is_goalie = d["is_goalie"]
    puck = d[d["entity_id"] == PUCK_ID].set_index("frame_idx")[["x", "y"]]
    f0, f1 = int(d["frame_idx"].min()), int(d["frame_idx"].max())
    shown = sorted((set(range(f0, f1 + 1, step)) | {rel}) & set(d["frame_idx"].unique().tolist()))
    trail_n = max(int(TRAIL_S * fps), 2)

    players = d[d["entity_id"] != PUCK_ID]
    by_frame = {int(k): g for k, g in players.groupby("frame_idx", sort=False)}
    empty = players.iloc[:0]
    px_all, py_all, pidx = puck["x"].to_numpy(), puck["y"].to_numpy(), puck.index.to_numpy()

    def state(fi: int) -> list[dict]:
        fr = by_frame.get(fi, empty)
        g_mask = fr["is_goalie"].to_numpy()
        sk, gk = fr[~g_mask], fr[g_mask]
        out = []
        for side, color, name in ((team, c_for, f"{team} (shooting)"), (opp, c_opp, f"{opp} (defending)")):
            s = sk[sk["team"].to_numpy() == side]
            num = s["num"]
            shooter = s["is_shooter"].to_numpy()
            out.append(
                dict(
                    type="scatter",
                    x=s["x"].to_numpy(),
                    y=s["y"].to_numpy(),
                    mode="markers+text",
                    name=name,
                    text=num.to_numpy(),
                    textfont=dict(size=9, color="#1f2933" if color.lower() in ("#ffffff", "#dddddd") else "white"),
                    marker=dict(
                        size=np.where(shooter, 20, 16),
                        color=color,
                        line=dict(color=np.where(shooter, "#000000", "#1f2933"), width=np.where(shooter, 3, 1)),
                    ),
                    customdata=s["label"].to_numpy(),
                    hovertemplate="%{customdata} #%{text}<extra>" + side + "</extra>",
                )
            )
        gcol = [c_for if t == team else c_opp for t in gk["team"]]
        out.append(
            dict(
                type="scatter",
                x=gk["x"].to_numpy(),
                y=gk["y"].to_numpy(),
                mode="markers+text",
                name="Goalies",
                text=["G"] * len(gk),
                textfont=dict(size=9, color="#000000"),
                marker=dict(size=19, symbol="square", color="#f2f2f2", line=dict(color=gcol, width=4)),
                customdata=gk["label"].to_numpy(),
                hovertemplate="%{customdata} (goalie)<extra></extra>",
            )
        )
        w = (pidx <= fi) & (pidx > fi - trail_n)
        out.append(
            dict(
                type="scatter",
                x=px_all[w],
                y=py_all[w],
                mode="lines",
                name="Puck trail",
                line=dict(color="#1f2933", width=3),
                opacity=0.55,
                hoverinfo="skip",
            )
        )
        w = pidx == fi
        out.append(
            dict(
                type="scatter",
                x=px_all[w],
                y=py_all[w],
                mode="markers",
                name="Puck",
                marker=dict(size=9, color="#000000", line=dict(color="white", width=1.5)),
                hovertemplate="puck<extra></extra>",
            )
        )
        return out

    fig = rink_figure(half=False, height=height)
    dyn = state(rel)
    n_dyn = len(dyn)

    # the release: lane to the posts, goalie's square-up point and travel
    on_stick = rel - 1 if (rel - 1) in puck.index else rel
    if on_stick in puck.index:
        px, py = (float(v) for v in puck.loc[on_stick])
        gx = RINK.goal_line_x
        fig.add_trace(
            go.Scatter(
                x=[px, gx, gx, px],
                y=[py, RINK.post_y, -RINK.post_y, py],
                fill="toself",
                fillcolor=LANE_FILL,
                line=dict(color=LANE_LINE, width=1, dash="dot"),
                mode="lines",
                name="Shooting lane at release",
                hoverinfo="skip",
            )
        )
        g = d[(d["frame_idx"] == rel) & (d["entity_id"] == goalie_id)] if goalie_id is not None else d.iloc[:0]
        if len(g):
            gxy = (float(g["x"].iloc[0]), float(g["y"].iloc[0]))
            sq = square_point(gxy, (px, py))
            travel = float(np.hypot(sq[0] - gxy[0], sq[1] - gxy[1]))
            fig.add_trace(
                go.Scatter(
                    x=[sq[0]],
                    y=[sq[1]],
                    mode="markers",
                    name=f"Square-up point ({travel:.1f} ft away)",
                    marker=dict(symbol="x-thin", size=14, color="#BB5566", line=dict(width=3, color="#BB5566")),
                    hovertemplate=f"goalie needed to be here: {travel:.1f} ft from where he was<extra></extra>",
                )
            )
            if travel > 0.3:
                fig.add_annotation(
                    x=sq[0],
                    y=sq[1],
                    ax=gxy[0],
                    ay=gxy[1],
                    xref="x",
                    yref="y",
                    axref="x",
                    ayref="y",
                    showarrow=True,
                    arrowhead=3,
                    arrowsize=1.2,
                    arrowwidth=2,
                    arrowcolor="#BB5566",
                    text="",
                )

    frames, steps = [], []
    for fi in shown:
        t = (fi - rel) / fps
        name = f"{t:+.1f} s" if fi != rel else "release"
        frames.append(dict(data=state(fi), name=name, traces=list(range(n_dyn))))
        steps.append(
            dict(
                method="animate",
                label=name,
                args=[
                    [name],
                    dict(mode="immediate", frame=dict(duration=0, redraw=False), transition=dict(duration=0)),
                ],
            )
        )
    ms = int(1000 * step / fps)
    # show the part of the rink the play used (always the attacked net)
    skaters = d[(d["entity_id"] == PUCK_ID) | ~is_goalie]
    xmin = float(min(skaters["x"].min(), 30.0)) - 6
    fig.update_layout(
        xaxis=dict(range=[max(xmin, -101.5), 101.5]),
        margin=dict(l=8, r=8, t=40, b=8),
        legend=dict(orientation="h", y=1.0, yanchor="bottom", x=0, font=dict(size=11), entrywidth=0),
        updatemenus=[
            dict(
                type="buttons",
                direction="left",
                x=0.0,
                y=-0.02,
                xanchor="left",
                yanchor="top",
                pad=dict(t=4, r=8),
                showactive=False,
                buttons=[
                    dict(
                        label="▶ Play",
                        method="animate",
                        args=[
                            None,
                            dict(
                                frame=dict(duration=ms, redraw=False),
                                fromcurrent=True,
                                transition=dict(duration=0),
                                mode="immediate",
                            ),
                        ],
                    ),
                    dict(
                        label="❚❚ Pause",
                        method="animate",
                        args=[
                            [None],
                            dict(frame=dict(duration=0, redraw=False), mode="immediate", transition=dict(duration=0)),
                        ],
                    ),
                ],
            )
        ],
        sliders=[
            dict(
                active=shown.index(rel) if rel in shown else 0,
                steps=steps,
                x=0.16,
                len=0.84,
                y=-0.02,
                yanchor="top",
                pad=dict(t=4),
                currentvalue=dict(prefix="Time from release: ", font=dict(size=12), xanchor="right"),
                transition=dict(duration=0),
            )
        ],
    )
    fig.update_layout(height=height + 90)
    d = fig.to_dict()
    return AnimatedFigure(data=dyn + list(d["data"]), layout=d["layout"], raw_frames=frames)


EVENT_SYMBOLS = {
    "FACEOFF": "circle-open",
    "PASS": "triangle-right",
    "ZONE_ENTRY": "square-open",
    "SHOT": "circle",
    "MISS": "diamond",
    "BLOCK": "square",
    "GOAL": "star",
    "HIT": "x",
    "TAKEAWAY": "hexagon",
    "GIVEAWAY": "hexagon-open",
}


def event_path_figure(events: pd.DataFrame, shot: dict, height: int = 470) -> go.Figure:
    """Play-by-play without tracking: the events before the shot drawn as a numbered path."""
    e = events.dropna(subset=["x", "y"]).copy()
    if shot.get("flipped"):
        e["x"], e["y"] = -e["x"], -e["y"]
    fig = rink_figure(half=False, height=height)
    if len(e):
        t_shot = float(e["period_seconds"].iloc[-1])
        e["dt"] = e["period_seconds"] - t_shot
        e["label"] = [f"{i + 1}" for i in range(len(e))]
        fig.add_trace(
            go.Scatter(
                x=e["x"],
                y=e["y"],
                mode="lines",
                line=dict(color="#5f6b7a", width=2, dash="dot"),
                name="Path of play",
                hoverinfo="skip",
            )
        )
        for i in range(len(e) - 1):
            fig.add_annotation(
                x=e["x"].iloc[i + 1],
                y=e["y"].iloc[i + 1],
                ax=e["x"].iloc[i],
                ay=e["y"].iloc[i],
                xref="x",
                yref="y",
                axref="x",
                ayref="y",
                showarrow=True,
                arrowhead=2,
                arrowwidth=1.5,
                arrowcolor="#5f6b7a",
                standoff=6,
                text="",
            )
        ours = e["team"] == shot["team"]
        for mask, color, name in (
            (ours, "#0072B2", f"{shot['team']} events"),
            (~ours, "#D55E00", f"{shot['opponent']} events"),
        ):
            s = e[mask]
            if s.empty:
                continue
            fig.add_trace(
                go.Scatter(
                    x=s["x"],
                    y=s["y"],
                    mode="markers+text",
                    text=s["label"],
                    textposition="top center",
                    marker=dict(
                        size=13,
                        color=color,
                        symbol=[EVENT_SYMBOLS.get(t, "circle") for t in s["type"]],
                        line=dict(color="#1f2933", width=1),
                    ),
                    name=name,
                    customdata=np.stack(
                        [
                            s["type"].str.title().str.replace("_", " "),
                            s["player"].fillna(""),
                            s["dt"].map(lambda v: f"{v:+.0f} s"),
                        ],
                        axis=1,
                    ),
                    hovertemplate="%{text}. <b>%{customdata[0]}</b> %{customdata[1]}<br>%{customdata[2]} before the shot<extra></extra>",
                )
            )
    fig.update_layout(margin=dict(l=8, r=8, t=40, b=8), legend=dict(orientation="h", y=1.0, yanchor="bottom", x=0))
    return fig
