"""Unit tests of theory.gap: Eq. (2) and the spectral quantities."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import theory


def _v_reference(H: np.ndarray) -> float:
    n = H.shape[1]
    C = H.T @ H / np.sum(H * H)
    return float(np.linalg.norm(C - np.eye(n) / n))


def test_gap_zero_for_orthogonal_equal_norm_columns():
    Q, _ = np.linalg.qr(np.random.default_rng(0).standard_normal((10, 4)))
    assert theory.orthogonality_gap(3.0 * Q) == pytest.approx(0.0, abs=1e-15)


@pytest.mark.parametrize("n", [1, 2, 5, 32])
def test_gap_max_at_rank_one(n):
    u = np.random.default_rng(n).standard_normal((40, 1))
    H = u @ np.random.default_rng(1).standard_normal((1, n))
    assert theory.orthogonality_gap(H) == pytest.approx(theory.max_gap(n), rel=1e-12)


@settings(max_examples=50, deadline=None)
@given(
    d=st.integers(1, 12),
    n=st.integers(1, 6),
    seed=st.integers(0, 2**31),
    scale=st.floats(-8, 8).map(lambda e: 10.0**e),
)
def test_gap_matches_definition_scale_invariant_and_bounded(d, n, seed, scale):
    H = np.random.default_rng(seed).standard_normal((d, n))
    v = float(theory.orthogonality_gap(H))
    assert v == pytest.approx(_v_reference(H), rel=1e-10, abs=1e-14)
    assert float(theory.orthogonality_gap(scale * H)) == pytest.approx(v, rel=1e-10, abs=1e-14)
    assert -1e-15 <= v <= theory.max_gap(n) + 1e-12


def test_stacked_inputs(backend):
    H = np.random.default_rng(0).standard_normal((3, 2, 7, 4))
    V = theory.to_numpy(theory.orthogonality_gap(backend.asarray(H)))
    assert V.shape == (3, 2)
    assert V[1, 0] == pytest.approx(_v_reference(H[1, 0]))
    assert theory.sigma_min(backend.asarray(H)).shape == (3, 2)
    assert theory.lyapunov(backend.asarray(H)).shape == (3, 2)


def test_sigma_min_and_lyapunov(backend):
    H = backend.asarray(np.diag([3.0, 2.0, 1.0]))
    s = np.array([3.0, 2.0, 1.0]) / np.sqrt(14.0)
    assert float(theory.sigma_min(H)) == pytest.approx(s[-1])
    assert np.allclose(theory.to_numpy(theory.singular_values(H)), s)
    assert float(theory.lyapunov(H)) == pytest.approx(1 / 3 - s[-1] ** 2)
    assert float(theory.sigma_min(H)) <= 1 / np.sqrt(3)


def test_sigma_min_keeps_relative_accuracy_when_ill_conditioned():
    H = np.diag([1.0, 1e-12])  # Gram-based sqrt would lose it; the SVD of H does not
    assert theory.sigma_min(H) == pytest.approx(1e-12, rel=1e-8)


def test_cosine():
    H = np.array([[1.0, 1.0], [0.0, 1.0], [0.0, 0.0]])
    assert theory.cosine(H) == pytest.approx(1 / np.sqrt(2))
    assert theory.cosine(-H[:, [0, 1]] * [1, -1]) == pytest.approx(1 / np.sqrt(2))


@pytest.mark.parametrize(
    ("fn", "H", "match"),
    [
        (theory.orthogonality_gap, np.zeros((3, 2)), "nonzero"),
        (theory.orthogonality_gap, np.array([[1.0, np.nan], [0, 1]]), "finite"),
        (theory.orthogonality_gap, np.array([[1.0, np.inf], [0, 1]]), "finite"),
        (theory.orthogonality_gap, np.ones(3), "at least 2 dimensions"),
        (theory.orthogonality_gap, np.ones((2, 2), dtype=int), "floating"),
        (theory.sigma_min, np.ones((2, 3)), "d >= n"),
        (theory.lyapunov, np.ones((2, 3)), "d >= n"),
        (theory.cosine, np.array([[1.0, 0.0], [1.0, 0.0]]), "zero column"),
    ],
)
def test_bad_input_raises_value_error_naming_the_rule(fn, H, match):
    with pytest.raises(ValueError, match=match):
        fn(H)


def test_extreme_scales_do_not_overflow():
    H = np.array([[1.0, 1.0], [0.0, 1.0]])
    for scale in (1e-300, 1e200):
        assert theory.orthogonality_gap(scale * H) == pytest.approx(theory.orthogonality_gap(H))
        assert theory.sigma_min(scale * H) == pytest.approx(theory.sigma_min(H))
    r = theory.simulate(1e200 * np.eye(4, 2), 2, runs=2, seed=0)
    assert np.isfinite(r.V).all() and r.V[0, 0] == pytest.approx(0.0)


def test_cosine_index_checks():
    with pytest.raises(ValueError, match="i, j must be < n"):
        theory.cosine(np.eye(3), 0, 3)
