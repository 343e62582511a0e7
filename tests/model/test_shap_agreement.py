"""The stored explanations are SHAP values: checked against shap's own TreeSHAP on a sample of shots.

Scoring stores LightGBM's `pred_contrib` times the Platt slope `a` (and `a * bias + b` as the
base). `shap.TreeExplainer(booster).shap_values` on a LightGBM booster only calls that same
`pred_contrib`, so comparing with it checks the scaling, not the values. The independent check
is shap's own C++ tree walk (`interactions.own_shap_values`), which needs the category shift
described in `oa.model.interactions`: plain shap 0.51 misreads categorical splits on code 0.
"""

from __future__ import annotations

import subprocess
import sys
import warnings
from dataclasses import dataclass, replace

import numpy as np
import pytest
import shap

from oa.features.compute import load_features
from oa.model.artifact import Model
from oa.model.interactions import ShapMismatch, explainer, own_shap_values
from oa.model.score import active_models, score_batch
from oa.store import Store

N = 200
TOL = 1e-9  # float64 arithmetic on the same trees; a real error is orders of magnitude bigger


@dataclass
class Stored:
    model: Model
    X: np.ndarray  # (n, F) the sampled shots as the model reads them
    contrib: np.ndarray  # (n, F) shot_factors.contribution, in the model's factor order
    base: np.ndarray  # (n,) shot_scores.base_logit
    p: np.ndarray  # (n,) shot_scores.p_goal


def _model(store: Store, feature_set: str) -> Model:
    return next(m for m in active_models(store) if m.feature_set == feature_set)


@pytest.fixture(scope="module")
def stored(model_store) -> Stored:
    """N shots drawn with a fixed seed from the stored scores of the tracking model, with their factors."""
    with Store(model_store, read_only=True) as s:
        m = _model(s, "tracking")
        ids = s.query("SELECT shot_id FROM shot_scores WHERE model_id = ? ORDER BY shot_id", [m.model_id])["shot_id"]
        ids = np.sort(np.random.default_rng(13).choice(ids.to_numpy(), size=N, replace=False))
        sc = s.query(
            "SELECT shot_id, base_logit, p_goal FROM shot_scores WHERE model_id = ? AND list_contains(?, shot_id) "
            "ORDER BY shot_id",
            [m.model_id, ids.tolist()],
        )
        fa = s.query(
            "SELECT shot_id, factor, contribution FROM shot_factors WHERE model_id = ? AND list_contains(?, shot_id)",
            [m.model_id, ids.tolist()],
        )
        feats = load_features(s, "tracking")
    feats = feats[feats["shot_id"].isin(ids)].sort_values("shot_id")
    wide = fa.pivot(index="shot_id", columns="factor", values="contribution").loc[ids, m.meta["features"]]
    assert (sc["shot_id"].to_numpy() == ids).all() and (feats["shot_id"].to_numpy() == ids).all()
    return Stored(m, m.matrix(feats), wide.to_numpy(), sc["base_logit"].to_numpy(), sc["p_goal"].to_numpy())


def _gap(got: np.ndarray, want: np.ndarray) -> float:
    return float(np.max(np.abs(np.asarray(got) - np.asarray(want))))


def _expected(st: Stored) -> tuple[np.ndarray, np.ndarray]:
    """(contributions, base) the way they must be: shap's own TreeSHAP values times a, its base times a plus b."""
    phi, phi0 = own_shap_values(st.model.booster, st.model.factors, st.X)
    a, b = st.model.meta["platt"]["a"], st.model.meta["platt"]["b"]
    return a * phi, np.full(len(phi), a * phi0 + b)


def test_the_sample_reaches_the_categories_plain_shap_misreads(stored):
    cats = [j for j, f in enumerate(stored.model.factors) if f.kind == "cat"]
    assert cats, "the tracking model has categorical factors (shot type, strength, ...)"
    assert all((stored.X[:, j] == 0).any() for j in cats), "every categorical factor takes code 0 in the sample"


def test_stored_contributions_are_a_times_shap_values(stored):
    want, want_base = _expected(stored)
    # per factor, categorical ones included: stored contribution == a * shap value
    worst = np.max(np.abs(stored.contrib - want), axis=0)
    bad = {f: float(g) for f, g in zip(stored.model.meta["features"], worst) if g > TOL}
    assert not bad, f"stored contributions differ from a * shap value: {bad}"
    # the base is a * shap's expected value + b, and base + sum is the calibrated logit of the stored p(goal)
    assert _gap(stored.base, want_base) < TOL
    logit = np.log(stored.p / (1 - stored.p))
    assert _gap(stored.base + stored.contrib.sum(axis=1), logit) < 1e-8
    assert _gap(want_base + want.sum(axis=1), logit) < 1e-8


def test_shap_tree_explainer_gives_the_same_values(stored):
    """shap's public entry point (for LightGBM it runs pred_contrib) agrees with shap's own tree walk."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # shap's note that binary LightGBM output changed shape
        public = shap.TreeExplainer(stored.model.booster).shap_values(stored.X)
    a = stored.model.meta["platt"]["a"]
    assert np.shape(public) == stored.contrib.shape
    assert _gap(a * np.asarray(public), _expected(stored)[0]) < TOL


@pytest.mark.parametrize(
    "wrong",
    [
        "not scaled by a",
        "shifted by one factor",
        "bias spread over the factors",
        "one category read as another",
    ],
)
def test_the_check_fails_when_explanations_are_wrong(stored, wrong):
    """Each way the stored explanations could go wrong is far outside the tolerance of the checks above."""
    a, b = stored.model.meta["platt"]["a"], stored.model.meta["platt"]["b"]
    want, want_base = _expected(stored)
    assert abs(a - 1) > 1e-3, "with a == 1 'not scaled by a' could not be told apart"
    raw = np.asarray(stored.model.booster.predict(stored.X, pred_contrib=True))
    if wrong == "not scaled by a":
        got = raw[:, :-1]
    elif wrong == "shifted by one factor":
        got = np.roll(stored.contrib, 1, axis=1)
    elif wrong == "bias spread over the factors":
        got = stored.contrib + (a * raw[:, -1:] + b) / stored.contrib.shape[1]
    else:  # the shot type column read one category off
        j = stored.model.meta["features"].index("shot_type")
        n_cat = len(stored.model.factors[j].categories)
        X = stored.X.copy()
        X[:, j] = (X[:, j] + 1) % n_cat
        got = a * np.asarray(stored.model.booster.predict(X, pred_contrib=True))[:, :-1]
    assert _gap(got, want) > 1e-3
    assert _gap(want_base, stored.base) < TOL


def test_play_by_play_model_explanations_agree_with_shap_too(model_store):
    """The demo rates every shot with the tracking model; the play-by-play one is checked on the same shots."""
    with Store(model_store, read_only=True) as s:
        m = _model(s, "pbp")
        feats = load_features(s, "tracking").sample(N, random_state=5)
    got = score_batch(m, feats)
    phi, phi0 = own_shap_values(m.booster, m.factors, m.matrix(feats))
    a, b = m.meta["platt"]["a"], m.meta["platt"]["b"]
    assert _gap(got.contrib, a * phi) < TOL and _gap(got.base, a * phi0 + b) < TOL


def test_plain_shap_misreads_category_zero_so_the_shift_is_needed(stored):
    """shap 0.51 reads category code 0 wrong (shap issue #1644). When an upgrade fixes it, this fails:
    `interactions.explainer` then uses shap unshifted on its own, and this test can go."""
    plain = shap.TreeExplainer(stored.model.booster)
    margin = stored.model.booster.predict(stored.X, raw_score=True)
    assert _gap(np.ravel(plain.model.predict(stored.X)), margin) > 1e-3
    e, Xs = explainer(stored.model.booster, stored.model.factors, stored.X)
    assert _gap(np.ravel(e.model.predict(Xs)), margin) < 1e-9


def test_a_shap_that_reads_the_model_differently_is_refused(stored):
    """Told the wrong factor kinds, shap's trees no longer give LightGBM's margin: refused, not used."""
    as_numbers = [replace(f, kind="num") if f.kind == "cat" else f for f in stored.model.factors]
    with pytest.raises(ShapMismatch, match="reads this LightGBM model differently"):
        explainer(stored.model.booster, as_numbers, stored.X)


@pytest.mark.parametrize("module", ["oa.model.score", "oa.model.artifact", "oa.model.train"])
def test_scoring_does_not_import_shap(module):
    """shap takes seconds to import; a scoring process (API, live scorer, dashboard) must not pay for it."""
    code = f"import sys, {module}; print('shap' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_interaction_values_that_do_not_add_up_are_refused(stored, monkeypatch):
    """The stored interactions are checked shot by shot against LightGBM's own SHAP values."""
    from oa.model import interactions

    real = interactions._interactions

    def off(*args):
        iv = real(*args)
        iv[:, 0, 1] += 1e-3
        return iv

    ok = interactions.interaction_values(stored.model.booster, stored.model.factors, stored.X)
    assert ok.shape == (N, len(stored.model.factors), len(stored.model.factors))
    monkeypatch.setattr(interactions, "_interactions", off)
    with pytest.raises(ShapMismatch, match="do not add up"):
        interactions.interaction_values(stored.model.booster, stored.model.factors, stored.X)
