"""Unit tests of theory.checks.sampler (features, power) and the planted R^T sampler."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

import theory
from theory.checks import sampler as C
from theory.engine import RunContext

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "verify"))
import planted  # noqa: E402


def test_detectable_ks_formula_and_monotone():
    from scipy.stats import kstwobign

    d = C.detectable_ks(2000, 192)
    expect = kstwobign.isf(1e-4 / 192) * math.sqrt(2 / 2000) + 2 * math.sqrt(math.log(4e4) / 4000)
    assert d == pytest.approx(expect)
    assert C.detectable_ks(8000, 192) < d < C.detectable_ks(2000, 1000)
    with pytest.raises(ValueError, match="m"):
        C.detectable_ks(1, 5)
    with pytest.raises(ValueError, match="alpha"):
        C.detectable_ks(100, 5, alpha=0.0)


def test_gram_features_values():
    H = np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 2.0]])
    G = H.T @ H / np.sum(H * H)
    stack = np.broadcast_to(G, (2, 3, 3, 3))
    f = C.gram_features(stack, (1, 2))
    assert f["cos(h0,h1)[1]"][0] == pytest.approx(1 / math.sqrt(2))
    assert f["G00[1]"][0] == pytest.approx(1 / 7)
    assert f["mean|cos|[1]"][0] == pytest.approx((1 / math.sqrt(2)) / 3)
    assert f["V[1]"][0] == pytest.approx(theory.orthogonality_gap(H))
    assert f["sigma_min[1]"][0] == pytest.approx(theory.sigma_min(H))
    assert f["V[2]-V[1]"][0] == pytest.approx(0.0)
    S = np.full((2, 3), 0.25)
    assert C.gram_features(stack, (1,), S)["sigma_min[1]"][0] == 0.25
    with pytest.raises(ValueError, match="depths"):
        C.gram_features(stack, (3,))
    with pytest.raises(ValueError, match="shape"):
        C.gram_features(np.zeros((2, 3, 1, 1)), (1,))


def test_r_transpose_keeps_the_spectrum_but_not_the_gram():
    H0 = C.law_h0(RunContext.create("ci"), 3, 12)
    G, S = planted.r_transpose(H0, 1, runs=400, seed=3)
    ref = theory.simulate(H0, 1, runs=400, seed=4, record=("gram",))
    fG, fr = C.gram_features(G, (1,), S), C.gram_features(ref.gram, (1,), ref.sigma_min)
    # same law of the spectrum (means agree to a few standard errors) ...
    for k in ("V[1]", "sigma_min[1]"):
        se = math.sqrt(fG[k].var() / 400 + fr[k].var() / 400)
        assert abs(fG[k].mean() - fr[k].mean()) < 5 * se, k
    # ... but sample 0's norm share is far off
    assert fG["G00[1]"].mean() > fr["G00[1]"].mean() + 0.1


def test_planted_samplers_return_unit_trace_grams():
    H0 = C.law_h0(RunContext.create("ci"), 2, 4)
    for f in planted.WRONG_SAMPLERS.values():
        G, S = f(H0, 2, runs=3, seed=1)
        assert G.shape == (3, 3, 2, 2) and S.shape == (3, 3)
        np.testing.assert_allclose(np.trace(G, axis1=-2, axis2=-1), 1.0)


def test_reference_batches_are_in_the_run_cache_keyed_with_the_backend():
    """The statement and its controls share the naive reference: a batch is cached by its
    seed, which does not depend on the candidate."""
    ctx = RunContext.create("ci")
    a, cand = C._draw_pair(ctx, C.reduced, 2, 3, 2, 5, seed=7, who="reduced")
    assert a[0].shape == (5, 3, 2, 2) and a[1].shape == (5, 3) and cand[0].shape == (5, 3, 2, 2)
    b, _ = C._draw_pair(ctx, C.reduced, 2, 3, 2, 5, seed=7, who="planted")
    assert b is a
    assert any(k[0] == "law/naive" and ctx.backend in k for k in ctx.cache._mem)
