"""A trained model on disk: LightGBM text plus JSON metadata. Never a pickle.

The JSON says which factors (in which order, with which categories) the booster was
trained on, the Platt calibration (`p = sigmoid(a * margin + b)`), the tier thresholds,
the metrics and where the training data came from. Loading checks that the text and the
JSON agree and that this version of the code still knows every factor.

A damaged model file must never reach LightGBM's native loader: a truncated or garbled
text aborts the whole process (SIGABRT or SIGSEGV inside the library), taking the API,
the live scorer or the dashboard down for everyone. So the JSON records the byte size
and SHA-256 of the text and a SHA-256 of itself (`integrity`), and `load_model` checks
the text's structure (`check_text`), both checksums and the tier thresholds before the
booster is built from the bytes it checked. Models saved before checksums existed load
if their structure is sound and the text still matches the 8-hex SHA-1 digest at the end
of their model id (train() names models after it).

Calibrating the raw margin with a line keeps explanations exact: TreeSHAP (LightGBM's
`pred_contrib`) splits the margin into per-factor parts plus a bias; multiplying every
part by `a` and adding `b` to the bias splits the calibrated logit the same way.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd

from oa.features.registry import Factor, all_factors, factor_named
from oa.model.contrib import contributions
from oa.store import Store
from oa.vocab import sigmoid

INTEGRITY = "integrity"  # the JSON's key for the sizes and checksums
MAX_TEXT_BYTES = 512 * 2**20  # far above any model this project trains (a few MB); a bigger file is not ours
MAX_META_BYTES = 16 * 2**20
RETRAIN = "retrain with `python -m oa train`"

log = logging.getLogger("oa.model")


class ModelError(ValueError):
    """A model file is missing, damaged or does not fit the data; the message says what to do."""


def encode(
    factors: list[Factor],
    data: Mapping[str, np.ndarray] | pd.DataFrame,
    same_as: Mapping[str, Mapping[str, str]] | None = None,
) -> np.ndarray:
    """The model matrix: one float column per factor; categories become their index (NaN unknown).

    `same_as` reads some category values as others ({"shot_type": {"SNAP": "WRIST"}}): values a
    model was trained to treat as one (see `oa.model.train.SAME_AS`).
    """
    n = len(data[factors[0].name])
    X = np.empty((n, len(factors)), dtype=np.float64)
    for j, f in enumerate(factors):
        v = data[f.name]
        v = v.to_numpy() if isinstance(v, pd.Series) else np.asarray(v)
        if f.kind == "cat":
            codes = {c: float(i) for i, c in enumerate(f.categories)}
            for c, as_c in (same_as or {}).get(f.name, {}).items():
                codes[c] = codes[as_c]
            X[:, j] = [codes.get(x, np.nan) for x in v.tolist()]
        else:
            X[:, j] = np.asarray(v, dtype=np.float64)
    return X


@dataclass
class Model:
    """A calibrated, tiered LightGBM model and what it was trained on."""

    booster: lgb.Booster
    meta: dict

    @property
    def model_id(self) -> str:
        return self.meta["model_id"]

    @property
    def feature_set(self) -> str:
        return self.meta["feature_set"]

    @property
    def factors(self) -> list[Factor]:
        return [factor_named(n) for n in self.meta["features"]]

    @property
    def thresholds(self) -> dict:
        return self.meta["thresholds"]

    def matrix(self, data: Mapping[str, np.ndarray] | pd.DataFrame) -> np.ndarray:
        missing = [n for n in self.meta["features"] if n not in data]
        if missing:
            raise ModelError(
                f"model {self.model_id} needs factors the data lacks: {', '.join(missing)}; "
                "recompute them with `python -m oa features` or retrain with `python -m oa train`"
            )
        return encode(self.factors, data, self.meta.get("same_as"))

    def logit(self, X: np.ndarray) -> np.ndarray:
        """Calibrated log-odds of a goal."""
        a, b = self.meta["platt"]["a"], self.meta["platt"]["b"]
        return a * self.booster.predict(X, raw_score=True) + b

    def predict(self, X: np.ndarray) -> np.ndarray:
        return sigmoid(self.logit(X))

    def explain(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(contributions (n, factors) in calibrated log-odds, base logit (n,)); they sum to the logit."""
        a, b = self.meta["platt"]["a"], self.meta["platt"]["b"]
        raw = contributions(self.booster, X)  # pred_contrib, tree by tree for a batch (oa.model.contrib)
        return a * raw[:, :-1], a * raw[:, -1] + b

    def tier(self, p: np.ndarray) -> np.ndarray:
        t = self.thresholds
        return np.where(p >= t["high"], "high", np.where(p >= t["medium"], "medium", "low")).astype(object)

    # -- files -------------------------------------------------------------------------
    def save(self, directory: Path) -> Path:
        """Write `<id>.txt` then `<id>.json` (with the text's size and checksums), each atomically."""
        directory.mkdir(parents=True, exist_ok=True)
        text = directory / f"{self.model_id}.txt"
        raw = self.booster.model_to_string().encode("ascii")
        meta = json.loads(json.dumps({k: v for k, v in self.meta.items() if k != INTEGRITY}, default=float))
        meta[INTEGRITY] = {"model_file": text.name, "bytes": len(raw), "sha256": hashlib.sha256(raw).hexdigest()}
        meta[INTEGRITY]["meta_sha256"] = meta_digest(meta)
        _write_atomic(text, raw)
        _write_atomic(text.with_suffix(".json"), json.dumps(meta, indent=1).encode("utf-8"))
        self.meta = meta
        return text


def _write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file and rename it: a crash mid-save never leaves half a model."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def meta_digest(meta: dict) -> str:
    """SHA-256 of the metadata as canonical JSON, leaving out only this digest itself.

    It makes a hand edit of the JSON (thresholds moved so every shot is "high", a factor
    list reordered) visible: the edited file no longer matches its own checksum.
    """
    body = dict(meta)
    body[INTEGRITY] = {k: v for k, v in (meta.get(INTEGRITY) or {}).items() if k != "meta_sha256"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode("ascii")).hexdigest()


def load_model(text_path: str | Path) -> Model:
    """Load `<id>.txt` and `<id>.json`, checking they are whole, belong together and agree with the code.

    Every check runs on bytes read once, before LightGBM sees them (see the module doc);
    any problem is a ModelError naming the file.
    """
    text = Path(text_path)
    meta_path = text.with_suffix(".json")
    raw = _read(text, MAX_TEXT_BYTES)
    meta = read_meta(meta_path)
    names, n_trees = check_text(raw, text)
    if names != meta["features"]:
        raise ModelError(
            f"model file {text} and {meta_path.name} disagree on the factors "
            f"({len(names)} in the model, {len(meta['features'])} in the metadata); {RETRAIN}"
        )
    _check_code(meta, names, text)
    check_integrity(raw, text, meta, meta_path)
    check_thresholds(meta, meta_path)
    try:
        booster = lgb.Booster(model_str=raw.decode("ascii"))
    except lgb.basic.LightGBMError as e:
        raise ModelError(f"model file {text} is not a LightGBM text model ({e}); {RETRAIN}") from e
    if booster.feature_name() != names or booster.num_trees() != n_trees:
        raise ModelError(
            f"model file {text} was not read back as written "
            f"({booster.num_trees()} trees, {n_trees} in the file); {RETRAIN}"
        )
    return Model(booster, meta)


def _read(path: Path, limit: int) -> bytes:
    """The file's bytes, or a ModelError saying why there are none worth reading."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise ModelError(f"model file {path} is not a file; {RETRAIN}")
        if size > limit:
            raise ModelError(
                f"model file {path} has {size:,} bytes, more than any model ({limit:,}): "
                f"it is not a model of this project; {RETRAIN}"
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ModelError(f"model file {path} is missing; {RETRAIN}") from None
    except OSError as e:
        raise ModelError(f"model file {path} cannot be read ({e.strerror or e}); {RETRAIN}") from e
    if not raw:
        raise ModelError(f"model file {path} is empty; {RETRAIN}")
    return raw


def _number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def read_meta(path: Path) -> dict:
    """The metadata JSON, checked for the keys and types loading relies on."""
    raw = _read(path, MAX_META_BYTES)
    try:
        meta = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ModelError(f"model metadata {path} is not valid JSON ({e}); {RETRAIN}") from e
    if not isinstance(meta, dict):
        raise ModelError(f"model metadata {path} is not a JSON object but a {type(meta).__name__}; {RETRAIN}")
    for key in ("model_id", "feature_set", "features", "platt", "thresholds"):
        if key not in meta:
            raise ModelError(f"model metadata {path} has no {key!r}; {RETRAIN}")
    problems = []
    if not isinstance(meta["model_id"], str) or not meta["model_id"]:
        problems.append("model_id is not a name")
    if not isinstance(meta["feature_set"], str):
        problems.append("feature_set is not a name")
    if (
        not isinstance(meta["features"], list)
        or not meta["features"]
        or not all(isinstance(f, str) for f in meta["features"])
    ):
        problems.append("features is not a list of factor names")
    platt = meta["platt"]
    if not isinstance(platt, dict) or not all(_number(platt.get(k)) for k in ("a", "b")):
        problems.append("platt is not {a, b} with finite numbers")
    elif platt["a"] <= 0:
        problems.append(
            f"platt slope a is {platt['a']:g}: a calibration that is not increasing ranks chances backwards"
        )
    if not isinstance(meta["thresholds"], dict):
        problems.append("thresholds is not an object")
    if not isinstance(meta.get("categories", {}), dict):
        problems.append("categories is not an object")
    if not isinstance(meta.get(INTEGRITY, {}), dict):
        problems.append(f"{INTEGRITY} is not an object")
    if problems:
        raise ModelError(f"model metadata {path} is damaged: {'; '.join(problems)}; {RETRAIN}")
    return meta


def _check_code(meta: dict, names: list[str], text: Path) -> None:
    """This version of the code computes every factor the model reads, with the same categories."""
    known = {f.name for f in all_factors()}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ModelError(
            f"model file {text} ({meta['model_id']}) uses factors this version does not compute: "
            f"{', '.join(unknown)}; {RETRAIN}"
        )
    for f in (factor_named(n) for n in names):
        cats = meta.get("categories", {}).get(f.name)
        if f.kind == "cat" and cats is not None and (not isinstance(cats, list) or cats != list(f.categories)):
            raise ModelError(
                f"model file {text} ({meta['model_id']}) encodes {f.name} with categories {cats}, "
                f"this version with {list(f.categories)}; {RETRAIN}"
            )
    same_as = meta.get("same_as", {})
    bad = not isinstance(same_as, dict) or any(
        n not in names
        or factor_named(n).kind != "cat"
        or not isinstance(m, dict)
        or not set(m) | set(m.values()) <= set(factor_named(n).categories)
        for n, m in same_as.items()
    )
    if bad:
        raise ModelError(
            f"model file {text} ({meta['model_id']}) reads categories as others ({same_as}) that "
            f"this version's factors do not have; {RETRAIN}"
        )


def check_integrity(raw: bytes, text: Path, meta: dict, meta_path: Path) -> None:
    """The JSON is unedited and describes exactly these bytes (size, SHA-256), so a damaged text, an
    edited JSON or a text paired with another model's JSON is refused. Older models: the model id's digest."""
    integ = meta.get(INTEGRITY)
    if integ is None:
        _check_legacy(raw, text, meta, meta_path)
        return
    want = integ.get("meta_sha256")
    if want != meta_digest(meta):
        raise ModelError(
            f"model metadata {meta_path} was changed after training (its checksum does not match "
            f"its content): restore it or {RETRAIN}"
        )
    size, sha = integ.get("bytes"), integ.get("sha256")
    got = hashlib.sha256(raw).hexdigest()
    if size != len(raw) or sha != got:
        what = (
            f"has {len(raw):,} bytes where the metadata records {size:,}"
            if isinstance(size, int) and size != len(raw)
            else "has a different SHA-256 than the metadata records"
        )
        raise ModelError(
            f"model file {text} {what}: the file is damaged or changed, or {meta_path.name} belongs to "
            f"another model ({meta['model_id']}, file {integ.get('model_file')}); {RETRAIN}"
        )


def _check_legacy(raw: bytes, text: Path, meta: dict, meta_path: Path) -> None:
    """A model saved before checksums: its id ends in the first 8 hex digits of the text's SHA-1."""
    digest = str(meta["model_id"]).rsplit("-", 1)[-1]
    if not re.fullmatch(r"[0-9a-f]{8}", digest):
        raise ModelError(
            f"model metadata {meta_path} has no checksums and model id {meta['model_id']!r} carries "
            f"no digest to check {text.name} against; {RETRAIN}"
        )
    if hashlib.sha1(raw).hexdigest()[:8] != digest:
        raise ModelError(
            f"model file {text} does not match model id {meta['model_id']} in {meta_path.name}: the file "
            f"is damaged or changed, or the two files belong to different models; {RETRAIN}"
        )
    log.warning("model %s predates model checksums; retrain (`python -m oa train`) to add them", meta["model_id"])


def check_thresholds(meta: dict, meta_path: Path) -> None:
    """Tier thresholds: numbers with 0 < medium < high < 1, and the ones the training report's tier table
    was made with (a JSON edited by hand to put every shot in one tier is refused)."""
    t = meta["thresholds"]
    lo, hi = t.get("medium"), t.get("high")
    if not (_number(lo) and _number(hi) and 0 < lo < hi < 1):
        raise ModelError(
            f"model metadata {meta_path} has tier thresholds medium={lo!r}, high={hi!r}; they must be "
            f"numbers with 0 < medium < high < 1; {RETRAIN}"
        )
    table = (meta.get("metrics") or {}).get("tiers") if isinstance(meta.get("metrics"), dict) else None
    if not table:
        return
    try:
        ranges = {r["tier"]: r["range"] for r in table}
        shares = [float(r["share"]) for r in table]
    except (TypeError, KeyError, ValueError) as e:
        raise ModelError(f"model metadata {meta_path} has a damaged tier table ({e!r}); {RETRAIN}") from e
    if ranges.get("low") != f"< {lo:.3f}" or ranges.get("high") != f">= {hi:.3f}":
        raise ModelError(
            f"model metadata {meta_path}: tier thresholds medium={lo:.3f}, high={hi:.3f} are not the ones "
            f"the model was trained with ({ranges.get('low')}, {ranges.get('high')}): restore them or "
            f"{RETRAIN}"
        )
    if any(not 0 < x <= 1 for x in shares) or abs(sum(shares) - 1) > 0.01:
        raise ModelError(
            f"model metadata {meta_path} records tier shares {shares}: every tier must hold shots; {RETRAIN}"
        )


# -- the text's structure -----------------------------------------------------------------
HEADER_KEYS = {
    "version",
    "num_class",
    "num_tree_per_iteration",
    "label_index",
    "max_feature_idx",
    "objective",
    "average_output",
    "feature_names",
    "monotone_constraints",
    "feature_infos",
    "tree_sizes",
}
TREE_KEYS = {
    "num_leaves",
    "num_cat",
    "split_feature",
    "split_gain",
    "threshold",
    "decision_type",
    "left_child",
    "right_child",
    "leaf_value",
    "leaf_weight",
    "leaf_count",
    "internal_value",
    "internal_weight",
    "internal_count",
    "cat_boundaries",
    "cat_threshold",
    "is_linear",
    "shrinkage",
}
INTERNAL = (
    "split_feature",
    "split_gain",
    "threshold",
    "decision_type",
    "left_child",
    "right_child",
    "internal_value",
    "internal_weight",
    "internal_count",
)
LEAVES = ("leaf_value", "leaf_weight", "leaf_count")


class _Bad(Exception):
    """What is wrong with a model text, before the file name is put in front."""


def check_text(raw: bytes, path: Path) -> tuple[list[str], int]:
    """(feature names, number of trees) of a LightGBM text model whose every part is whole and in range.

    Checks what the native loader trusts without checking: the header, that `tree_sizes`
    cuts the text exactly into `Tree=0..n-1` blocks, each tree's arrays (lengths, feature
    and child indices, categorical splits, a root that reaches every node once) and the
    closing sections. Cheap: ~10 ms for the demo models.
    """
    try:
        return _check_text(raw)
    except _Bad as e:
        raise ModelError(f"model file {path} is damaged or not a model ({e}); {RETRAIN}") from None


def _check_text(raw: bytes) -> tuple[list[str], int]:
    try:
        s = raw.decode("ascii")
    except UnicodeDecodeError as e:
        raise _Bad(f"byte {e.start} is not text") from None
    if not s.startswith("tree\n"):
        raise _Bad("it does not start with 'tree'")
    start = s.find("\n\nTree=0\n")
    if start < 0:
        raise _Bad("no trees")
    header = _header(s[5:start].split("\n"))
    n_feat = _int(header, "max_feature_idx", 0, 10_000) + 1
    names = header["feature_names"].split(" ")
    if len(names) != n_feat or len(header["feature_infos"].split(" ")) != n_feat:
        raise _Bad(f"{len(names)} feature names for max_feature_idx {n_feat - 1}")
    if (
        _int(header, "num_class", 1, 1) != 1
        or _int(header, "num_tree_per_iteration", 1, 1) != 1
        or not header.get("objective", "").startswith("binary")
    ):
        raise _Bad("not a binary model")
    sizes = _ints(header["tree_sizes"], "tree_sizes")
    if not sizes:
        raise _Bad("no trees")
    p = start + 2
    for k, size in enumerate(sizes):
        if size <= 0 or p + size > len(s):
            raise _Bad(f"tree {k} of {len(sizes)} is cut short")
        _tree(s[p : p + size], k, n_feat)
        p += size
    _tail(s[p:])
    return names, len(sizes)


def _header(lines: list[str]) -> dict[str, str]:
    out = {}
    for line in lines:
        key, eq, value = line.partition("=")
        if line == "average_output":
            continue
        if not eq or key not in HEADER_KEYS or key in out:
            raise _Bad(f"unexpected header line {line[:40]!r}")
        out[key] = value
    missing = [
        k
        for k in (
            "version",
            "num_class",
            "num_tree_per_iteration",
            "max_feature_idx",
            "feature_names",
            "feature_infos",
            "tree_sizes",
        )
        if k not in out
    ]
    if missing:
        raise _Bad(f"the header lacks {', '.join(missing)}")
    return out


def _int(d: dict, key: str, lo: int, hi: int) -> int:
    v = d.get(key)
    if v is None or not re.fullmatch(r"-?[0-9]{1,12}", v) or not lo <= int(v) <= hi:
        raise _Bad(f"{key}={str(v)[:20]} is not a whole number in {lo}..{hi}")
    return int(v)


def _ints(v: str, key: str) -> list[int]:
    parts = v.split(" ") if v else []
    if not all(re.fullmatch(r"-?[0-9]{1,12}", x) for x in parts):
        raise _Bad(f"{key} is not a list of whole numbers")
    return [int(x) for x in parts]


NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]{1,3})?|-?inf")


def _floats(v: str, key: str) -> list[float]:
    """Numbers as LightGBM writes them; strict, because float() would also take ' 1', '1_0' or 'nan'."""
    parts = v.split(" ") if v else []
    if not all(NUMBER.fullmatch(x) for x in parts):
        raise _Bad(f"{key} is not a list of numbers")
    return [float(x) for x in parts]


def _tree(block: str, k: int, n_feat: int) -> None:
    """One `Tree=k` block: every array as long as the leaf count says, every index in range."""
    lines = block.split("\n")
    if lines[0] != f"Tree={k}":
        raise _Bad(f"tree {k} does not start where tree_sizes says")
    body = lines[1:]
    end = body.index("") if "" in body else len(body)
    if any(body[end:]) or block[-2:] != "\n\n":
        raise _Bad(f"tree {k} does not end where tree_sizes says")
    t: dict[str, str] = {}
    for line in body[:end]:
        key, eq, value = line.partition("=")
        if not eq or key not in TREE_KEYS or key in t:
            raise _Bad(f"tree {k}: unexpected line {line[:40]!r}")
        t[key] = value
    n_leaves = _int(t, "num_leaves", 1, 1_000_000)
    n_cat = _int(t, "num_cat", 0, n_leaves)
    if t.get("is_linear", "0") != "0":
        raise _Bad(f"tree {k} is linear, which this project never trains")
    arrays = {
        key: (
            _floats
            if key
            in (
                "split_gain",
                "threshold",
                "leaf_value",
                "leaf_weight",
                "internal_value",
                "internal_weight",
                "shrinkage",
            )
            else _ints
        )(t[key], f"tree {k} {key}")
        for key in t
        if key not in ("num_leaves", "num_cat", "is_linear")
    }
    need = ["leaf_value"] + (
        ["split_feature", "threshold", "decision_type", "left_child", "right_child"] if n_leaves > 1 else []
    )
    for key in need:
        if key not in arrays:
            raise _Bad(f"tree {k} has no {key}")
    for key, want in [(key, n_leaves - 1) for key in INTERNAL] + [(key, n_leaves) for key in LEAVES]:
        if key in arrays and len(arrays[key]) != want:
            raise _Bad(f"tree {k} {key} has {len(arrays[key])} values, not {want}")
    if not all(math.isfinite(v) for v in arrays["leaf_value"]):
        raise _Bad(f"tree {k} has an infinite leaf value")
    if n_leaves > 1:
        _splits(arrays, k, n_leaves, n_cat, n_feat)


def _splits(a: dict[str, list], k: int, n_leaves: int, n_cat: int, n_feat: int) -> None:
    if not all(0 <= f < n_feat for f in a["split_feature"]):
        raise _Bad(f"tree {k} splits on a feature that does not exist")
    if not all(0 <= d <= 15 and (d >> 2) & 3 != 3 for d in a["decision_type"]):
        raise _Bad(f"tree {k} has an unknown decision type")
    cats = [i for i, d in enumerate(a["decision_type"]) if d & 1]
    if cats or n_cat:
        bounds, values = a.get("cat_boundaries"), a.get("cat_threshold")
        if (
            bounds is None
            or values is None
            or len(bounds) != n_cat + 1
            or bounds[0] != 0
            or any(b1 < b0 for b0, b1 in zip(bounds, bounds[1:]))
            or bounds[-1] != len(values)
            or not all(0 <= v < 2**32 for v in values)
        ):
            raise _Bad(f"tree {k} has damaged categorical splits")
        if not all(a["threshold"][i].is_integer() and 0 <= a["threshold"][i] < n_cat for i in cats):
            raise _Bad(f"tree {k} points a categorical split outside its categories")
    seen_nodes, seen_leaves, todo = {0}, set(), [0]
    while todo:
        node = todo.pop()
        for child in (a["left_child"][node], a["right_child"][node]):
            if child >= 0:
                if child >= n_leaves - 1 or child in seen_nodes:
                    raise _Bad(f"tree {k} is not a tree (node {node} -> {child})")
                seen_nodes.add(child)
                todo.append(child)
            else:
                leaf = ~child
                if leaf >= n_leaves or leaf in seen_leaves:
                    raise _Bad(f"tree {k} is not a tree (node {node} -> leaf {leaf})")
                seen_leaves.add(leaf)
    if len(seen_nodes) != n_leaves - 1 or len(seen_leaves) != n_leaves:
        raise _Bad(f"tree {k} has nodes its root does not reach")


def _tail(rest: str) -> None:
    """After the trees: 'end of trees', the importances, the parameters, the pandas line, nothing more."""
    if not rest.startswith("end of trees\n"):
        raise _Bad("the trees do not end with 'end of trees'")
    head, sep, params = rest.partition("\nparameters:\n")
    params, sep2, last = params.partition("\nend of parameters\n")
    if not sep or not sep2:
        raise _Bad("the parameters section is missing or cut short")
    if not all(re.fullmatch(r"\[[a-z0-9_]+: [^\n]*\]", line) for line in params.split("\n") if line):
        raise _Bad("the parameters section is damaged")
    last = last.strip("\n")
    if not re.fullmatch(r"pandas_categorical:(null|\[.*\])", last):
        raise _Bad("it does not end with the pandas_categorical line")
    if last != "pandas_categorical:null":
        try:
            json.loads(last.partition(":")[2])
        except json.JSONDecodeError:
            raise _Bad("the pandas_categorical line is damaged") from None


# -- where a store's models live, and how their paths are recorded in the store --------------------------
def model_dir(store: Store) -> Path:
    """Models live next to the store they were trained from: <store dir>/models/."""
    base = Path(store.path).resolve().parent if store.path != ":memory:" else Path.cwd() / "data"
    return base / "models"


def stored_path(store: Store, path: Path) -> str:
    """Model paths are kept relative to the store's folder, so a store and its models/ can move together."""
    try:
        return str(Path(path).resolve().relative_to(model_dir(store).parent))
    except ValueError:
        return str(Path(path).resolve())


def resolve_path(store: Store, stored: str) -> Path:
    """The file a stored model path points at (relative paths are under the store's folder)."""
    p = Path(stored)
    return p if p.is_absolute() else model_dir(store).parent / p
