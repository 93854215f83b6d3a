"""Unit tests of theory.gaussian_w2: exact formula vs POT, POT's NaN, emd2 convergence, estimators."""

from __future__ import annotations

import math
import warnings

import numpy as np
import ot
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import theory
from theory import gaussian_w2 as w2


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 6), extra=st.integers(0, 6), seed=st.integers(0, 2**31))
def test_exact_formula_agrees_with_pot_bures(n, extra, seed):
    H = np.random.default_rng(seed).standard_normal((n + extra, n))
    ours = float(w2.conditional_w2_squared(H))
    pot = w2.conditional_w2_squared_pot(H)
    assert pot == pytest.approx(ours, rel=1e-7, abs=1e-10)
    # and with the Gram-based (Gelbrich) form on a single H
    assert float(w2.w2_squared_from_gram(H.T @ H)) == pytest.approx(ours, rel=1e-7, abs=1e-10)


def test_pot_returns_w2_not_w2_squared():
    val = ot.gaussian.bures_wasserstein_distance(np.zeros(1), np.zeros(1), np.eye(1) * 4, np.eye(1))
    assert float(val) == pytest.approx(1.0)  # sqrt(4) - sqrt(1): a distance, not its square


def test_pot_nan_on_rank_deficient_covariance_is_handled():
    rng = np.random.default_rng(0)
    found = 0
    for _ in range(50):
        H = rng.standard_normal((5, 1)) @ rng.standard_normal((1, 3))  # rank one
        try:
            w2.conditional_w2_squared_pot(H)
        except ValueError as e:
            assert "rank-deficient" in str(e)
            found += 1
            exact = float(w2.conditional_w2_squared(H))
            assert w2.conditional_w2_squared_pot(H, fallback=True) == pytest.approx(exact)
            assert exact == pytest.approx(2 - 2 / math.sqrt(3))
    assert found > 0, "POT no longer fails on rank one: the workaround may be dropped"


def test_emd2_iteration_limit_is_an_error():
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((300, 3)), rng.standard_normal((300, 3))
    with pytest.raises((UserWarning, RuntimeError)):
        w2._emd2(X, Y, num_itermax=10)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert w2._emd2(X, Y, num_itermax=10_000_000) > 0


def test_row_estimates_are_calibrated_on_the_target_itself():
    n, d = 3, 16
    grams = np.broadcast_to(np.eye(n) / n, (10, n, n))  # rows exactly N(0, I/(nd))
    est = w2.row_law_estimate(grams, d, points=300, replicates=4, seed=0)
    assert est.raw > 0.05  # empirical W2 is biased upward ...
    assert est.calibrated_ci[0] <= 0.01  # ... and the calibration removes it
    far = w2.row_law_estimate(
        np.broadcast_to(np.diag([1.0, 0, 0]), (10, n, n)), d, points=300, replicates=4, seed=0
    )
    assert far.calibrated > 0.3  # rank one vs isotropic: W2^2 = 2 - 2/sqrt(3) = 0.85
    sw, se = w2.sliced_row_estimate(grams, d, points=2000, projections=100, seed=0)
    assert 0 <= sw < 0.05 and se >= 0


def test_bad_input():
    with pytest.raises(ValueError, match="d >= n"):
        w2.conditional_w2_squared(np.ones((2, 3)))
    with pytest.raises(ValueError, match="finite"):
        w2.w2_squared_from_gram(np.full((2, 2), np.nan))
    with pytest.raises(ValueError, match="points"):
        w2.row_law_estimate(np.eye(2)[None], 4, points=1, replicates=2, seed=0)


def test_torch_backend_sliced():
    pytest.importorskip("torch")
    grams = theory.simulate(np.eye(8, 2), 3, runs=20, seed=0, record=("gram",)).gram[:, 3]
    a = w2.sliced_row_estimate(grams, 8, points=500, projections=50, seed=1, backend="torch")
    assert np.isfinite(a).all()
