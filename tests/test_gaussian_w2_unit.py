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


def test_sliced_estimate_on_every_backend(backend):
    grams = theory.simulate(np.eye(8, 2), 3, runs=20, seed=0, record=("gram",)).gram[:, 3]
    a = w2.sliced_row_estimate(grams, 8, points=500, projections=50, seed=1, backend=backend.name)
    assert np.isfinite(a).all()


# ------------------------------------------------------------------ closed-form suprema


def _optimise_ratio(n: int, starts: int, seed: int) -> float:
    from scipy.optimize import minimize

    rng = np.random.default_rng(seed)
    best = 0.0
    for t in range(starts):
        x0 = rng.random(n) * rng.choice([0.1, 1.0, 3.0])
        if t % 3 == 0:
            x0 = np.ones(n) + 0.3 * rng.standard_normal(n)

        def f(x: np.ndarray) -> float:
            x = np.abs(x)
            if np.ptp(x) < 1e-9:
                return 0.0
            return -w2.w2c_ratio_of_spectrum(x)

        r = minimize(
            f,
            x0,
            method="L-BFGS-B",
            bounds=[(0.0, 5.0)] * n,
            options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 2000},
        )
        best = max(best, -r.fun)
    return best


@pytest.mark.parametrize("n", [2, 3, 4, 6, 9, 16])
def test_sup_closed_form_matches_a_multistart_optimiser(n):
    found = _optimise_ratio(n, starts=20, seed=n)
    sup = w2.sup_w2c_over_nv2(n)
    assert found <= sup * (1 + 1e-9)
    assert found == pytest.approx(sup, rel=1e-6)


def test_sup_over_the_three_level_family_is_the_one_zero_point():
    # every critical point has levels {0, a, b} (KKT, see the record): scan them all
    grid = np.concatenate([np.linspace(0.0, 1.0, 201), 1 - np.logspace(-8, -1, 30)])
    for n in [*range(2, 13), 16, 24, 32, 48, 64]:
        sup = w2.sup_w2c_over_nv2(n)
        best = 0.0
        for k in range(0, n):
            for m in range(0, n - k):
                if k == 0 and m == 0:
                    continue
                S = np.zeros((grid.size, n))
                S[:, : n - k - m] = 1.0
                S[:, n - k - m : n - k] = grid[:, None]
                x = math.sqrt(n) * S / np.linalg.norm(S, axis=1, keepdims=True)
                den = np.sum((x * x - 1) ** 2, axis=1)
                ok = den > 1e-12
                r = np.sum((x - 1) ** 2, axis=1)[ok] / den[ok]
                best = max(best, float(r.max()) if r.size else 0.0)
        assert best <= sup * (1 + 1e-12), n
        assert best == pytest.approx(sup, rel=1e-12), n


def test_sup_values_limits_and_extremal_point():
    assert w2.sup_w2c_over_nv2(2) == pytest.approx(2 - math.sqrt(2))
    assert w2.sup_w2c_over_nv2(4) == pytest.approx(2 * 3 * (1 - math.sqrt(0.75)))
    assert w2.sup_w2c_over_nv2(10**8) == pytest.approx(1.0, abs=1e-4)
    vals = [w2.sup_w2c_over_nv2(n) for n in range(2, 100)]
    assert all(a < b < 1 for a, b in zip(vals, vals[1:]))
    for n in (2, 3, 7, 32):
        s = w2.extremal_spectrum(n)
        assert np.sum(s * s) == pytest.approx(1.0)
        assert w2.w2c_ratio_of_spectrum(s) == pytest.approx(w2.sup_w2c_over_nv2(n), rel=1e-12)
        H = np.zeros((n + 1, n))
        H[:n, :n] = np.diag(s)
        c, v = float(w2.conditional_w2_squared(H)), float(theory.orthogonality_gap(H))
        assert c / (n * v * v) == pytest.approx(w2.sup_w2c_over_nv2(n), rel=1e-10)
        rank_one = np.eye(n)[0]
        assert w2.w2c_ratio_of_spectrum(rank_one) == pytest.approx(
            2 / (math.sqrt(n) * (math.sqrt(n) + 1))
        )
        near = np.ones(n) + 1e-5 * np.random.default_rng(n).standard_normal(n)
        assert w2.w2c_ratio_of_spectrum(near) == pytest.approx(0.25, rel=1e-3)
        assert w2.sup_core_ratio(n) == pytest.approx(
            float(theory.orthogonality_gap(np.eye(n + 1, n)[:, :1] @ np.ones((1, n)))) / 2
        )


def test_sup_bad_input():
    with pytest.raises(ValueError, match="n"):
        w2.sup_w2c_over_nv2(1)
    with pytest.raises(ValueError, match="n"):
        w2.sup_core_ratio(0)
    with pytest.raises(ValueError, match="V = 0"):
        w2.w2c_ratio_of_spectrum([1.0, 1.0])
    with pytest.raises(ValueError, match="s must"):
        w2.w2c_ratio_of_spectrum([1.0, -1.0])


def test_projected_gelbrich_lower_is_a_lower_bound():
    n = 3
    rng = np.random.default_rng(0)
    target = np.broadcast_to(np.eye(n) / n, (400, n, n))
    iv = w2.projected_gelbrich_lower(target, np.eye(n), delta=1e-3)
    assert iv.lower == 0.0 and iv.estimate == pytest.approx(0.0, abs=1e-12)
    A = rng.standard_normal((400, 5, n)) * np.array([3.0, 1.0, 0.1])
    grams = np.einsum("rki,rkj->rij", A, A)
    basis = np.linalg.eigh(grams[:50].mean(0))[1]
    iv = w2.projected_gelbrich_lower(grams[50:], basis, delta=1e-3)
    gel = float(w2.w2_squared_from_gram(grams[50:].mean(0)))
    upper = float(
        np.mean(
            w2.conditional_w2_squared(
                np.sqrt(np.linalg.eigvalsh(grams[50:]))[:, None, :] * np.eye(n)
            )
        )
    )  # E W2c over runs (diagonal representatives)
    assert 0 < iv.lower <= iv.estimate <= gel + 1e-9 <= upper + 1e-9
    with pytest.raises(ValueError, match="orthonormal"):
        w2.projected_gelbrich_lower(grams, np.ones((n, n)), delta=1e-3)
    with pytest.raises(ValueError, match="scale"):
        w2.projected_gelbrich_lower(grams, basis, delta=1e-3, scale=0.0)


def test_corollary3_forms():
    from theory.statements.gaussian_approx import corollary3_bound, width_exponent

    a = 0.6
    der, pr = corollary3_bound(2, 64, 5, a), corollary3_bound(2, 64, 5, a, form="printed")
    floor = 6 * 4 / (a * 8)
    assert (pr - floor) == pytest.approx((der - floor) * (1 - 2 * a / 3))
    with pytest.raises(ValueError, match="form"):
        corollary3_bound(2, 64, 5, a, form="other")
    with pytest.raises(ValueError, match="l >= 1"):
        corollary3_bound(2, 64, 0, a)
    assert width_exponent("table-1") == 0.25 and width_exponent("sec-4.1") == 0.5
    with pytest.raises(ValueError, match="reading"):
        width_exponent("x")
