"""Damaged model files are refused with an error naming the file; nothing ever aborts.

LightGBM's native loader aborts the process (SIGABRT / SIGSEGV) on a truncated or garbled
text model, so every corrupted pair is loaded in a child process: a crash shows up as a
signal exit instead of killing pytest. The corruptions are generated here from the
session's trained models (the tracking and play-by-play pair of `model_store`).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from oa.model.artifact import INTEGRITY, ModelError, check_integrity, check_text, load_model, meta_digest
from oa.store import Store

ROOT = Path(__file__).resolve().parents[2]
LOADER = """
import json, sys
from oa.model.artifact import ModelError, load_model
for path in sys.argv[1:]:
    try:
        m = load_model(path)
        out = {"path": path, "loaded": m.model_id}
    except ModelError as e:
        out = {"path": path, "error": str(e)}
    print(json.dumps(out), flush=True)
"""


def load_in_child(paths: list[Path]) -> tuple[int, dict[str, dict]]:
    """(exit code, path -> outcome) of loading each model in one child process."""
    r = subprocess.run(
        [sys.executable, "-c", LOADER, *map(str, paths)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    seen = {}
    for line in r.stdout.splitlines():
        if line.startswith("{"):
            o = json.loads(line)
            seen[o["path"]] = o
    return r.returncode, seen | {"stderr": r.stderr[-3000:]}


@pytest.fixture(scope="module")
def pairs(model_store, tmp_path_factory) -> dict[str, Path]:
    """Copies of the trained models: feature set -> .txt (each beside its .json)."""
    d = tmp_path_factory.mktemp("pairs")
    with Store(model_store, read_only=True) as s:
        rows = s.query("SELECT feature_set, path FROM models WHERE active")
    out = {}
    for fs, p in zip(rows["feature_set"], rows["path"]):
        src = model_store.parent / p
        shutil.copy(src, d / src.name)
        shutil.copy(src.with_suffix(".json"), d / src.with_suffix(".json").name)
        out[fs] = d / src.name
    return out


def _meta(txt: Path) -> dict:
    return json.loads(txt.with_suffix(".json").read_text())


def _resealed(meta: dict) -> dict:
    """Metadata with its own checksum recomputed, as a careful hand edit would leave it."""
    meta = json.loads(json.dumps(meta))
    meta[INTEGRITY]["meta_sha256"] = meta_digest(meta)
    return meta


def _legacy(meta: dict) -> dict:
    """Metadata as models were saved before checksums."""
    return {k: v for k, v in meta.items() if k != INTEGRITY}


Case = Callable[[bytes, dict, bytes, dict], tuple[bytes | None, object]]


def _truncate(frac: float) -> Case:
    return lambda raw, meta, _r, _m: (raw[: max(1, int(len(raw) * frac))], meta)


def _flip(seed: int) -> Case:
    def f(raw: bytes, meta: dict, _r: bytes, _m: dict) -> tuple[bytes, dict]:
        rng = random.Random(seed)
        b = bytearray(raw)
        for _ in range(1 + seed % 3):
            j = rng.randrange(len(b))
            b[j] = (b[j] + rng.randrange(1, 256)) % 256
        return bytes(b), meta

    return f


def _digit_changed(raw: bytes) -> bytes:
    """The text with one digit of the first leaf value changed: still well-formed, another model."""
    j = raw.index(b"leaf_value=") + len(b"leaf_value=") + 1
    j += next(k for k, c in enumerate(raw[j:]) if chr(c).isdigit())
    return raw[:j] + (b"7" if raw[j : j + 1] != b"7" else b"3") + raw[j + 1 :]


def _thresholds(meta: dict, medium: float, high: float) -> dict:
    return {**meta, "thresholds": {**meta["thresholds"], "medium": medium, "high": high}}


def _everything_high(meta: dict) -> dict:
    return _thresholds(meta, 1e-6, 2e-6)


CASES: dict[str, Case] = {
    # the text, cut short anywhere: in the header, in tree_sizes, in a tree, in the parameters, at the end
    **{f"truncated at {f:.1%}": _truncate(f) for f in (0.0001, 0.004, 0.02, 0.1, 0.5, 0.93, 0.999)},
    "last 40 bytes missing": lambda raw, meta, _r, _m: (raw[:-40], meta),
    "empty text": lambda raw, meta, _r, _m: (b"", meta),
    **{f"bytes flipped (seed {s})": _flip(s) for s in range(6)},
    "binary garbage": lambda raw, meta, _r, _m: (random.Random(1).randbytes(len(raw)), meta),
    "garbage after a valid header": lambda raw, meta, _r, _m: (
        raw[: raw.index(b"Tree=0")] + random.Random(2).randbytes(5000),
        meta,
    ),
    "tree_sizes off by one": lambda raw, meta, _r, _m: (raw.replace(b"tree_sizes=", b"tree_sizes=1", 1), meta),
    "text twice": lambda raw, meta, _r, _m: (raw + raw, meta),
    "Windows line endings": lambda raw, meta, _r, _m: (raw.replace(b"\n", b"\r\n"), meta),
    "text of the other model (swapped pair)": lambda raw, meta, other, _m: (other, meta),
    "metadata of the other model (swapped pair)": lambda raw, meta, _r, other: (raw, other),
    "swapped pair, metadata without checksums": lambda raw, meta, _r, other: (raw, _legacy(other)),
    "thresholds edited so every shot is high": lambda raw, meta, _r, _m: (raw, _everything_high(meta)),
    "thresholds edited, checksum recomputed": lambda raw, meta, _r, _m: (raw, _resealed(_everything_high(meta))),
    "thresholds edited, no checksums": lambda raw, meta, _r, _m: (raw, _legacy(_everything_high(meta))),
    "thresholds reversed, checksum recomputed": lambda raw, meta, _r, _m: (
        raw,
        _resealed(_thresholds(meta, meta["thresholds"]["high"], meta["thresholds"]["medium"])),
    ),
    "threshold not a number": lambda raw, meta, _r, _m: (raw, _thresholds(meta, "low", 0.2)),
    "recorded size changed": lambda raw, meta, _r, _m: (raw, {**meta, INTEGRITY: {**meta[INTEGRITY], "bytes": 7}}),
    "flipped byte, no checksums": lambda raw, meta, _r, _m: (_flip(7)(raw, meta, b"", {})[0], _legacy(meta)),
    "one digit changed": lambda raw, meta, _r, _m: (_digit_changed(raw), meta),
    "one digit changed, no checksums": lambda raw, meta, _r, _m: (_digit_changed(raw), _legacy(meta)),
    "truncated, no checksums": lambda raw, meta, _r, _m: (raw[: len(raw) // 3], _legacy(meta)),
    "metadata is a list": lambda raw, meta, _r, _m: (raw, [meta]),
    "metadata is not JSON": lambda raw, meta, _r, _m: (raw, json.dumps(meta)[:500]),
    "metadata is empty": lambda raw, meta, _r, _m: (raw, ""),
    "metadata is binary": lambda raw, meta, _r, _m: (raw, random.Random(3).randbytes(300)),
    "factors not a list": lambda raw, meta, _r, _m: (raw, {**meta, "features": "distance angle"}),
    "platt slope missing": lambda raw, meta, _r, _m: (raw, {**meta, "platt": {"b": 0.1}}),
    "text missing": lambda raw, meta, _r, _m: (None, meta),
    "metadata missing": lambda raw, meta, _r, _m: (raw, None),
}


def _write(d: Path, name: str, raw: bytes | None, meta: object) -> Path:
    txt = d / f"{name}.txt"
    if raw is not None:
        txt.write_bytes(raw)
    if meta is not None:
        data = meta if isinstance(meta, (str, bytes)) else json.dumps(meta, indent=1)
        txt.with_suffix(".json").write_bytes(data.encode() if isinstance(data, str) else data)
    return txt


def test_new_models_record_their_size_and_checksums(pairs):
    for txt in pairs.values():
        raw, meta = txt.read_bytes(), _meta(txt)
        integ = meta[INTEGRITY]
        assert integ["bytes"] == len(raw) and integ["sha256"] == hashlib.sha256(raw).hexdigest()
        assert integ["model_file"] == txt.name and integ["meta_sha256"] == meta_digest(meta)
        assert load_model(txt).model_id == meta["model_id"]


def test_every_corruption_is_a_clear_error_never_an_abort(pairs, tmp_path):
    """Every case damages each model's pair, loaded in one child process: each is refused, naming its file."""
    assert len(CASES) >= 15
    paths, made = [], {}
    for fs, txt in pairs.items():
        other = pairs["pbp" if fs == "tracking" else "tracking"]
        raw, meta, oraw, ometa = txt.read_bytes(), _meta(txt), other.read_bytes(), _meta(other)
        d = tmp_path / fs
        d.mkdir()
        for k, (name, case) in enumerate(CASES.items()):
            new_raw, new_meta = case(raw, meta, oraw, ometa)
            p = _write(d, f"{txt.stem}-case{k}", new_raw, new_meta)
            made[str(p)] = (fs, name)
            paths.append(p)
    # controls: the intact pair, and the intact pair saved before checksums existed, load
    for fs, txt in pairs.items():
        d = tmp_path / f"{fs}-intact"
        d.mkdir()
        paths.append(_write(d, txt.stem, txt.read_bytes(), _meta(txt)))
        d = tmp_path / f"{fs}-legacy"
        d.mkdir()
        paths.append(_write(d, txt.stem, txt.read_bytes(), _legacy(_meta(txt))))
    rc, seen = load_in_child(paths)
    assert rc == 0, (
        f"the loader died with exit code {rc} (negative: killed by signal {-rc}) "
        f"after {len(seen) - 1} of {len(paths)} files; last seen {list(seen)[-2:]}\n{seen['stderr']}"
    )
    for p in paths:
        o = seen[str(p)]
        if str(p) not in made:
            assert o.get("loaded") == p.stem, o
            continue
        fs, name = made[str(p)]
        assert "error" in o, f"{fs}: {name!r} was loaded"
        err = o["error"]
        assert str(p) in err or str(p.with_suffix(".json")) in err, f"{name!r}: the error does not name the file: {err}"
        assert "retrain" in err, (name, err)


def test_the_errors_say_what_is_wrong(pairs, tmp_path):
    txt = pairs["tracking"]
    raw, meta = txt.read_bytes(), _meta(txt)
    other = pairs["pbp"]

    def err(name: str, raw: bytes | None, meta: object) -> str:
        d = tmp_path / name
        d.mkdir()
        with pytest.raises(ModelError) as e:
            load_model(_write(d, txt.stem, raw, meta))
        return str(e.value)

    assert "is damaged or not a model" in err("cut", raw[: len(raw) // 2], meta)
    assert "is empty" in err("empty", b"", meta)
    assert "is missing" in err("gone", None, meta)
    assert "not a JSON object" in err("list", raw, [meta])
    assert "changed after training" in err("high", raw, _everything_high(meta))
    assert "not the ones the model was trained with" in err("resealed", raw, _resealed(_everything_high(meta)))
    assert "0 < medium < high < 1" in err("reversed", raw, _resealed(_thresholds(meta, 0.3, 0.1)))
    msg = err("swap", raw, _meta(other))
    assert "disagree on the factors" in msg  # the other model reads other factors
    same = {**_meta(other), "features": meta["features"], "categories": meta.get("categories", {})}
    msg = err("swap2", raw, _resealed(same))
    assert "belongs to another model" in msg and _meta(other)["model_id"] in msg
    assert "does not match model id" in err("legacy", _digit_changed(raw), _legacy(meta))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=hs.data())
def test_any_cut_fails_the_structure_check_and_any_gap_a_check(pairs, data):
    """Property: the structure check alone refuses every prefix of a model text; a span cut out of it
    (which can leave valid text, e.g. a shorter number) fails the structure check or the checksum.

    Both checks are plain Python and never reach LightGBM, so this runs in the test process.
    """
    txt = pairs[data.draw(hs.sampled_from(sorted(pairs)))]
    raw = txt.read_bytes()
    start = data.draw(hs.integers(0, len(raw) - 2))
    if data.draw(hs.booleans()):
        with pytest.raises(ModelError, match="damaged or not a model"):
            check_text(raw[:start], txt)
        return
    bad = raw[:start] + raw[start + data.draw(hs.integers(1, min(5000, len(raw) - start - 1))) :]
    try:
        check_text(bad, txt)
    except ModelError:
        return
    with pytest.raises(ModelError, match="damaged or changed"):
        check_integrity(bad, txt, _meta(txt), txt.with_suffix(".json"))


def test_a_store_pointing_at_another_models_files_is_refused(model_store, tmp_path):
    """The store registered model A at a path that now holds model B (a consistent pair): refused."""
    from oa.model.score import active_models

    db = tmp_path / model_store.name
    shutil.copy(model_store, db)
    shutil.copytree(model_store.parent / "models", tmp_path / "models")
    with Store(db) as s:
        rows = s.query("SELECT feature_set, path FROM models WHERE active").set_index("feature_set")["path"]
    a, b = tmp_path / rows["tracking"], tmp_path / rows["pbp"]
    for suffix in (".txt", ".json"):
        shutil.copy(b.with_suffix(suffix), a.with_suffix(suffix))
    with Store(db, read_only=True) as s:
        with pytest.raises(ModelError, match="registered") as e:
            active_models(s)
    assert str(a) in str(e.value)


@pytest.mark.parametrize(
    "command",
    [
        ["score"],
        ["live", "--games", "1", "--speed", "0", "--until", "30", "--quiet"],
    ],
)
def test_commands_with_a_damaged_model_exit_with_the_error(model_store, tmp_path, command):
    """`python -m oa score` and `python -m oa live` in a real process: exit 1 naming the file, no abort."""
    db = tmp_path / model_store.name
    shutil.copy(model_store, db)
    shutil.copytree(model_store.parent / "models", tmp_path / "models")
    with Store(db, read_only=True) as s:
        rel = s.query("SELECT path FROM models WHERE active AND feature_set = 'tracking'")["path"].iloc[0]
    txt = tmp_path / rel
    txt.write_bytes(txt.read_bytes()[: txt.stat().st_size // 2])
    r = subprocess.run(
        [sys.executable, "-m", "oa", command[0], "--db", str(db), *command[1:]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "400"},
    )
    out = " ".join((r.stdout + r.stderr).split())
    assert r.returncode == 1, (r.returncode, out[-2000:])
    assert txt.name in out and "damaged" in out, out[-2000:]
