"""`python -m oa export shot`: files of the right size and format; hostile input a message and an exit code."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image

from oa.settings import DEFAULT_THEME
from oa.store import Store
from tests.test_cli import oa


@pytest.fixture(scope="module")
def shot_id(model_store) -> str:
    with Store(model_store, read_only=True) as st:
        return str(int(st.query("SELECT max(shot_id) AS s FROM shot_scores")["s"].iloc[0]))


def clean(p) -> str:
    out = p.stdout + p.stderr
    assert "Traceback" not in out, out
    return " ".join(out.translate({ord(c): " " for c in "│╭╮╰╯─"}).split())  # rich's error box unwrapped


@pytest.mark.parametrize("size, fmt", [("1920x300", "png"), ("1080x1080", "svg")])
def test_export_writes_the_size_and_format(model_store, shot_id, tmp_path, size, fmt) -> None:
    out = tmp_path / f"shot.{fmt}"
    p = oa("export", "shot", shot_id, "--size", size, "--out", str(out), "--db", str(model_store))
    assert p.returncode == 0, clean(p)
    w, h = (int(v) for v in size.split("x"))
    if fmt == "png":
        assert Image.open(io.BytesIO(out.read_bytes())).size == (w, h)
    else:
        assert f'viewBox="0 0 {w} {h}"' in out.read_text()
    clean(p)


def test_hostile_input_is_a_message_and_an_exit_code(model_store, shot_id, tmp_path) -> None:
    db = ("--db", str(model_store))
    out = ("--out", str(tmp_path / "x.png"))
    cases = [
        (["export", "shot", "12345", *out, *db], 1, "there is no shot 12345"),
        (["export", "shot", "abc", *out, *db], 2, "Invalid value for 'shot_id'"),
        (["export", "shot", "99999999999999999999", *out, *db], 2, "99999999999999999999"),
        (["export", "shot", shot_id, "--size", "800x600", *out, *db], 2, "800x600"),
        (["export", "shot", shot_id, "--format", "gif", *out, *db], 2, "'gif' is not a format"),
        (["export", "shot", shot_id, "--out", str(tmp_path / "no" / "x.png"), *db], 1, "does not exist"),
        (["export", "shot", shot_id, "--out", str(tmp_path), *db], 1, "is a folder"),
        (["export", "shot", shot_id, *out, "--db", str(tmp_path / "none.duckdb")], 1, "no store at"),
        (["export", "shot", shot_id, *out, *db, "--theme", str(tmp_path / "none.toml")], 2, "no theme file"),
    ]
    bad_theme = tmp_path / "bad.toml"
    bad_theme.write_text(DEFAULT_THEME.read_text().replace('background = "#0b1626"', 'background = "navy"'))
    cases.append((["export", "shot", shot_id, *out, *db, "--theme", str(bad_theme)], 2, "[colors].background"))
    if os.geteuid() != 0:  # root writes anywhere
        ro = tmp_path / "ro"
        ro.mkdir(mode=0o500)
        cases.append((["export", "shot", shot_id, "--out", str(ro / "x.png"), *db], 1, "cannot be written"))
    for args, code, says in cases:
        p = oa(*args)
        text = clean(p)
        assert p.returncode == code, (args, text)
        assert says in text, (args, text)
    assert not (tmp_path / "x.png").exists()
