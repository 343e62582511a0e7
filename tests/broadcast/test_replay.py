"""The replay as a video: decoded MP4s (frame count, size, duration, codec), interpolation between tracking
frames seen in the pixels, the export command's hostile input, and the Shot detail page's button."""

from __future__ import annotations

import os
import subprocess

import imageio_ffmpeg  # a pinned requirement: the tests need it rather than skip without it
import numpy as np
import pandas as pd
import pytest

from oa.broadcast.replay import AFTER_S, BEFORE_S, Painter, ReplayError, check_fps, clip_from_rows, render_replay
from oa.broadcast.theme import load_theme
from oa.schema import PUCK_ID
from oa.store import Store
from tests.broadcast.cards import card
from tests.test_cli import oa

TRACK_FPS = 10.0  # the synthetic clip's tracking rate: every third video frame at 30 fps is a sample
REL = 50  # its release frame


def synthetic_rows() -> pd.DataFrame:
    """A puck sliding along y = 0 from x = 20 to x = 80 at 10 frames a second; two skaters far from its row."""
    rows = []
    frames = range(REL - int(BEFORE_S * TRACK_FPS), REL + int(AFTER_S * TRACK_FPS) + 1)
    for fr in frames:
        k = fr - frames[0]
        rows.append((fr, PUCK_ID, None, 20.0 + k, 0.0, None, None, None))
        rows.append((fr, 11, "WES", 20.0 + k, 30.0, 83, "C", "Cole Jensen"))
        rows.append((fr, 12, "RIV", 20.0 + k / 2, -30.0, 4, "D", "Someone Else"))
    return pd.DataFrame(rows, columns=["frame_idx", "entity_id", "team", "x", "y", "number", "position", "name"])


def synthetic_card():
    return card(release_frame=REL, shooter_id=11, goalie_id=None, flipped=False, x=79.0, y=0.0, fps=TRACK_FPS)


def decoded(path) -> tuple[dict, list[np.ndarray]]:
    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    w, h = meta["size"]
    frames = [np.frombuffer(b, np.uint8).reshape(h, w, 3) for b in reader]
    return meta, frames


def codec_line(path) -> str:
    """ffmpeg's description of the video stream ("Video: h264 (High) ..., yuv420p(...), 1920x1080, ...")."""
    p = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True, text=True
    )
    return next(line for line in p.stderr.splitlines() if "Video:" in line)


def puck_px(img: np.ndarray, row: float, x0: float, x1: float, band: int = 14) -> float:
    """The x pixel of the puck (the darkest blob on the ice between pixels x0 and x1) in the rows around `row`."""
    y, x0, x1 = int(round(row)), int(x0), int(x1)
    part = img[y - band : y + band + 1, x0:x1].astype(int)
    dark = part.sum(axis=2) < 90
    cols = x0 + np.flatnonzero(dark.any(axis=0))
    assert len(cols), "no puck in its row"
    return float(cols.mean())


def test_clip_positions_are_interpolated_between_tracking_frames() -> None:
    clip = clip_from_rows(synthetic_rows(), synthetic_card().shot, TRACK_FPS)
    p = clip.puck
    assert clip.start == -BEFORE_S and clip.end == AFTER_S
    assert clip.at(0.0)[p].tolist() == [70.0, 0.0]  # on a sample: the sample
    assert clip.at(0.1)[p].tolist() == [71.0, 0.0]
    assert np.allclose(clip.at(1 / 30)[p], [70.0 + 1 / 3, 0.0])  # a third of the way to the next sample
    assert clip.frame_count(30) == 180 and clip.frame_count(25) == 150


def test_an_untracked_moment_is_not_drawn() -> None:
    rows = synthetic_rows()
    rows = rows[~((rows["entity_id"] == 12) & (rows["frame_idx"] == REL + 1))]
    clip = clip_from_rows(rows, synthetic_card().shot, TRACK_FPS)
    e = int(np.flatnonzero(clip.ids == 12)[0])
    assert np.isnan(clip.at(0.05)[e]).all() and np.isfinite(clip.at(0.0)[e]).all()


def test_a_video_frame_between_samples_shows_the_puck_between_their_positions(tmp_path) -> None:
    """At 30 fps from 10 fps tracking, frames 1 and 2 after a sample lie a third and two thirds of the way."""
    c = synthetic_card()
    clip = clip_from_rows(synthetic_rows(), c.shot, TRACK_FPS)
    theme = load_theme()
    out = tmp_path / "synthetic.mp4"
    n = render_replay(c, clip, out, "1280x720", 30, theme)
    painter = Painter(c, clip, "1280x720", theme)
    meta, frames = decoded(out)
    assert n == len(frames) == 180
    times = clip.times(30)
    j = int(np.flatnonzero(np.isclose(times, -2.0))[0])  # a tracking sample (x = 50), then two frames between
    _, row = painter.px(0.0, 0.0)
    ice = (painter.rink_box[0] + 8, painter.px(80.0, 0.0)[0])  # the ice up to the slot (the net is dark)
    at = [puck_px(frames[j + i], row, *ice) for i in range(4)]
    want = [painter.px(50.0 + i / 3, 0.0)[0] for i in range(4)]
    assert at[0] < at[1] < at[2] < at[3], at  # it moves on every frame: no repeated frames
    for got, exp in zip(at, want):
        assert abs(got - exp) <= 2.0, (at, want)  # within two pixels (a foot is ~5 px at 720p)


def test_tracking_that_misses_the_release_is_no_replay() -> None:
    from oa.broadcast.replay import NoTracking

    rows = synthetic_rows()
    with pytest.raises(NoTracking, match="does not cover the release"):
        clip_from_rows(rows[rows["frame_idx"] < REL - 5], synthetic_card().shot, TRACK_FPS)
    with pytest.raises(NoTracking, match="no tracking frames"):
        clip_from_rows(rows.iloc[:0], synthetic_card().shot, TRACK_FPS)


def test_bad_size_and_fps_are_named() -> None:
    with pytest.raises(ReplayError, match="640x480"):
        Painter(
            synthetic_card(),
            clip_from_rows(synthetic_rows(), synthetic_card().shot, TRACK_FPS),
            "640x480",
            load_theme(),
        )
    for bad in (24, 61, 29.5, "abc", None, float("nan")):
        with pytest.raises(ReplayError, match="frame rate"):
            check_fps(bad)
    assert check_fps("30") == 30


# -- the command, on the demo league ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def tracked_shot(model_store) -> str:
    with Store(model_store, read_only=True) as st:
        return str(
            int(
                st.query(
                    """SELECT s.shot_id FROM shots s JOIN games g USING (game_id) JOIN shot_scores sc USING (shot_id)
                       WHERE g.has_tracking AND s.release_frame IS NOT NULL ORDER BY sc.p_goal DESC LIMIT 1"""
                )["shot_id"].iloc[0]
            )
        )


def clean(p) -> str:
    out = p.stdout + p.stderr
    assert "Traceback" not in out, out
    return " ".join(out.translate({ord(c): " " for c in "│╭╮╰╯─"}).split())


@pytest.mark.parametrize("size, fps", [("1920x1080", None), ("1280x720", 25)])
def test_export_replay_decodes_to_the_frames_size_duration_and_codec(model_store, tracked_shot, tmp_path, size, fps):
    out = tmp_path / "replay.mp4"
    args = ["export", "replay", tracked_shot, "--out", str(out), "--db", str(model_store), "--size", size]
    p = oa(*args, *(["--fps", str(fps)] if fps else []))
    assert p.returncode == 0, clean(p)
    rate = fps or 30
    w, h = (int(v) for v in size.split("x"))
    meta, frames = decoded(out)
    assert tuple(meta["size"]) == (w, h) and meta["fps"] == rate
    assert abs(len(frames) - (BEFORE_S + AFTER_S) * rate) <= 1
    n, secs = imageio_ffmpeg.count_frames_and_secs(str(out))
    assert n == len(frames) and abs(secs - (BEFORE_S + AFTER_S)) <= 1 / rate + 1e-6
    line = codec_line(out)
    assert "Video: h264" in line and "yuv420p" in line and f"{w}x{h}" in line, line
    first, last = frames[0].astype(int), frames[-1].astype(int)
    for f in (first, last):
        assert f.std() > 20 and len(np.unique(f.reshape(-1, 3)[::97], axis=0)) > 50  # not blank
    assert np.abs(first - last).mean() > 0.5  # the play moved
    # the puck moved between the first and the last frame
    from oa.broadcast.data import read_card
    from oa.broadcast.replay import read_clip

    with Store(model_store, read_only=True) as st:
        clip = read_clip(st, read_card(st, int(tracked_shot)))
    a, b = clip.at(clip.start)[clip.puck], clip.at(clip.end)[clip.puck]
    assert np.hypot(*(a - b)) > 5.0
    clean(p)


def test_export_replay_hostile_input_is_a_message_and_an_exit_code(model_store, tiny_store, tracked_shot, tmp_path):
    db = ("--db", str(model_store))
    out = ("--out", str(tmp_path / "x.mp4"))
    with Store(tiny_store, read_only=True) as st:
        untracked = str(int(st.query("SELECT min(shot_id) AS s FROM shots")["s"].iloc[0]))
    cases = [
        (["export", "replay", "12345", *out, *db], 1, "there is no shot 12345"),
        (["export", "replay", untracked, *out, "--db", str(tiny_store)], 1, "has no replay"),
        (["export", "replay", "abc", *out, *db], 2, "Invalid value for 'shot_id'"),
        (["export", "replay", tracked_shot, "--size", "1920x300", *out, *db], 2, "'1920x300' is not a video size"),
        (["export", "replay", tracked_shot, "--fps", "24", *out, *db], 2, "from 25 to 60"),
        (["export", "replay", tracked_shot, "--fps", "fast", *out, *db], 2, "'fast' is not a number"),
        (["export", "replay", tracked_shot, "--out", str(tmp_path / "no" / "x.mp4"), *db], 1, "does not exist"),
        (["export", "replay", tracked_shot, "--out", str(tmp_path / "x.gif"), *db], 2, "is not an .mp4 file name"),
        (["export", "replay", tracked_shot, "--out", str(tmp_path / "dir.mp4"), *db], 1, "is a folder"),
        (["export", "replay", tracked_shot, *out, "--db", str(tmp_path / "none.duckdb")], 1, "no store at"),
    ]
    (tmp_path / "dir.mp4").mkdir()
    if os.geteuid() != 0:  # root writes anywhere
        ro = tmp_path / "ro"
        ro.mkdir(mode=0o500)
        cases.append((["export", "replay", tracked_shot, "--out", str(ro / "x.mp4"), *db], 1, "cannot be written"))
    for args, code, says in cases:
        p = oa(*args)
        text = clean(p)
        assert p.returncode == code, (args, text)
        assert says in text, (args, text)
    assert not (tmp_path / "x.mp4").exists()
    assert [f for f in os.listdir(tmp_path) if f.endswith(".mp4")] == ["dir.mp4"]  # nothing half-written left behind


# -- the Shot detail page ----------------------------------------------------------------------------------
def test_shot_page_offers_the_replay_video_for_a_tracked_shot(model_store, tracked_shot, monkeypatch):
    from tests.app.test_pages import app, ok

    at = app(monkeypatch, model_store, shot=tracked_shot)
    ok(at)
    radio = [r for r in at.radio if r.label == "Video size"][0]
    assert list(radio.options) == ["1920x1080 · full HD", "1280x720 · HD"]
    assert "Download MP4" in [b.proto.label for b in at.get("download_button")]
    radio.set_value("1280x720").run()
    ok(at)
    assert any(f"export replay {tracked_shot} --size 1280x720" in c.value for c in at.caption)


def test_shot_page_says_why_an_untracked_shot_has_no_video(tiny_store, monkeypatch):
    from tests.app.test_pages import app, ok

    with Store(tiny_store, read_only=True) as st:
        sid = str(int(st.query("SELECT min(shot_id) AS s FROM shots")["s"].iloc[0]))
    at = app(monkeypatch, tiny_store, shot=sid)
    ok(at)
    assert not [r for r in at.radio if r.label == "Video size"]
    assert "Download MP4" not in [b.proto.label for b in at.get("download_button")]
    assert any("No replay video for this shot" in i.value and "no tracking" in i.value for i in at.info)
