"""Unit tests of theory.haar (Haar weights, BN without centring, the chain and its reduced
sampler), of the ICLR 2024 checks' helpers (slack, C_min interval) and of the certificate of one
step (theory.certify.lineofwork.certify_haar_step)."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from scipy import stats as sps

from theory import gap, haar
from theory.certify import CERTIFIED
from theory.certify import lineofwork as CL
from theory.checks import line_of_work_iclr as CK
from theory.statements import line_of_work_iclr as S

# ------------------------------------------------------------------ weights


@pytest.mark.parametrize("d", [1, 2, 5, 32])
def test_haar_orthogonal_is_orthogonal(d):
    W = haar.haar_orthogonal(d, np.random.default_rng(d), runs=20)
    assert W.shape == (20, d, d)
    err = np.abs(np.swapaxes(W, -1, -2) @ W - np.eye(d)).max()
    assert err < 1e-12
    U = haar.haar_stiefel(d + 3, d, np.random.default_rng(0), runs=5)
    assert np.abs(np.swapaxes(U, -1, -2) @ U - np.eye(d)).max() < 1e-12


def test_haar_law_first_entry():
    """Haar: W_11 has the law of the first coordinate of a uniform unit vector, W_11^2 ~
    Beta(1/2, (d - 1)/2), and its sign is symmetric (the sign fix: without it QR gives a
    positive diagonal, W_11 > 0)."""
    d = 5
    W = haar.haar_orthogonal(d, np.random.default_rng(1), runs=4000)
    w = W[:, 0, 0]
    assert sps.kstest(w**2, sps.beta(0.5, (d - 1) / 2).cdf).pvalue > 1e-4
    assert 0.45 < np.mean(w > 0) < 0.55


def test_weights_reject_bad_input():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="d"):
        haar.haar_orthogonal(0, rng)
    with pytest.raises(ValueError, match="n"):
        haar.haar_stiefel(3, 4, rng)
    with pytest.raises(ValueError, match="runs"):
        haar.haar_orthogonal(3, rng, runs=0)
    with pytest.raises(ValueError, match="rng"):
        haar.haar_orthogonal(3, 0)  # type: ignore[arg-type]


# ------------------------------------------------------------------ BN and the gap


def test_bn_rms_rows_have_unit_mean_square():
    M = np.random.default_rng(0).standard_normal((4, 6, 3)) * 1e150
    B = haar.bn_rms(M)
    assert np.allclose(np.mean(B * B, axis=-1), 1.0, rtol=1e-14)
    assert np.allclose(B / np.sqrt(np.mean(B * B, axis=-1, keepdims=True)), B)
    with pytest.raises(ValueError, match="M"):
        haar.bn_rms(np.array([[1.0, 2.0], [0.0, 0.0]]))
    with pytest.raises(ValueError, match="M"):
        haar.bn_rms(np.array([[1.0, np.nan]]))


def test_isometry_gap_matches_neg_log_isometry():
    H = np.random.default_rng(2).standard_normal((7, 5))
    assert haar.isometry_gap(H) == pytest.approx(float(gap.neg_log_isometry(H.T @ H)), rel=1e-12)
    Q, _ = np.linalg.qr(np.random.default_rng(3).standard_normal((6, 6)))
    assert haar.isometry_gap(3.0 * Q) < 1e-14
    eps = 1e-6  # a tiny gap keeps its relative accuracy: phi = eps^2/2 + O(eps^3) (diag(1 +- eps))
    D = np.diag(np.sqrt([1 + eps, 1 - eps]))
    assert haar.isometry_gap(D) == pytest.approx(-0.5 * math.log1p(-eps * eps), rel=1e-6)
    assert haar.isometry_gap(np.array([[1.0, 1.0], [1.0, 1.0]])) == math.inf
    with pytest.raises(ValueError, match="H"):
        haar.isometry_gap(np.zeros((3, 3)))


def test_notebook_h0():
    H0 = haar.notebook_h0(6, 0)
    rng = np.random.default_rng(0)
    u, v = rng.random(6), rng.random(6)
    assert np.array_equal(H0, (0.995 * np.eye(6) + 0.005 * np.outer(u, v)).T)
    for bad, name in (({"d": 1, "seed": 0}, "d"), ({"d": 3, "seed": -1}, "seed"),
                      ({"d": 3, "seed": 0, "f": 1.5}, "f")):  # fmt: skip
        with pytest.raises(ValueError, match=name):
            haar.notebook_h0(**bad)


# ------------------------------------------------------------------ the chain and the reduced sampler


def test_simulate_shapes_and_monotone_gap():
    H0 = np.random.default_rng(0).standard_normal((5, 5))
    r = haar.simulate(H0, 6, runs=50, seed=1, record=(0, 3))
    assert r["phi"].shape == (50, 7) and set(r["gram"]) == {0, 3}
    assert np.all(np.diff(r["phi"], axis=1) <= 1e-12)  # surely non-increasing (n = d, Haar)
    assert np.allclose(np.trace(r["gram"][3], axis1=-2, axis2=-1), 1.0)


def test_reduced_agrees_with_naive_in_law():
    """Two-sample KS on the gap after 3 layers and on a fixed-basis entry: the reduced sampler
    (U R) agrees with the naive chain; the transposed factor (U R^T) does not (the entry)."""
    H0 = np.array([[1.0, 0.6, 0.2], [0.0, 0.8, 0.5], [0.0, 0.0, 0.4], [0.3, 0.1, 0.0]])
    kw = {"runs": 3000, "record": (3,)}
    a = haar.simulate(H0, 3, seed=1, sampler="naive", **kw)
    b = haar.simulate(H0, 3, seed=2, sampler="reduced", **kw)
    c = haar.simulate(H0, 3, seed=3, sampler="reduced-transposed", **kw)
    assert sps.ks_2samp(a["phi"][:, 3], b["phi"][:, 3]).pvalue > 1e-4
    g00 = [x["gram"][3][:, 0, 0] for x in (a, b, c)]
    assert sps.ks_2samp(g00[0], g00[1]).pvalue > 1e-4
    assert sps.ks_2samp(g00[0], g00[2]).pvalue < 1e-6


def test_simulate_rejects_bad_input():
    H0 = np.eye(3)
    with pytest.raises(ValueError, match="depth"):
        haar.simulate(H0, 0, runs=2, seed=0)
    with pytest.raises(ValueError, match="runs"):
        haar.simulate(H0, 1, runs=0, seed=0)
    with pytest.raises(ValueError, match="sampler"):
        haar.simulate(H0, 1, runs=2, seed=0, sampler="fast")
    with pytest.raises(ValueError, match="weights"):
        haar.simulate(H0, 1, runs=2, seed=0, sampler="reduced", weights="gaussian")
    with pytest.raises(ValueError, match="H0"):
        haar.simulate(np.ones((2, 3)), 1, runs=2, seed=0, sampler="reduced")
    with pytest.raises(ValueError, match="record"):
        haar.simulate(H0, 2, runs=2, seed=0, record=(3,))
    with pytest.raises(ValueError, match="seed"):
        haar.simulate(H0, 2, runs=2, seed=-1)


# ------------------------------------------------------------------ checks' helpers, certificate


def test_step_slack_is_small_and_finite():
    rng = np.random.default_rng(0)
    H = CK.monotone_h0(6, 6, 1, 100.0)
    W = haar.haar_orthogonal(6, rng)
    tol = CK.step_slack(W, H, haar.bn_rms(W @ H))
    assert 0 < tol < 1e-10
    assert CK.step_slack(W, H, haar.bn_rms(W @ H), orthogonal=False) < tol


def test_c_interval_brackets_the_estimate():
    x = np.clip(np.random.default_rng(0).uniform(0.3, 0.7, size=(500, 3)), 0, 1)
    iv, l_star, per = CK.c_interval(x, 1e-3, 4, 1e-3)
    assert iv.lower <= iv.estimate <= iv.upper and 1 <= l_star <= 3 and len(per) == 3
    assert S.smallest_c(1e-3, 4, 1, 0.0) == 0.0 and S.smallest_c(1e-3, 4, 1, 1e-3) == math.inf
    b = S.notebook_bound(1e-3, 4, 2, 0.1)
    assert S.smallest_c(1e-3, 4, 2, b) == pytest.approx(0.1, rel=1e-12)


def test_cayley_is_exactly_orthogonal_and_step_certified():
    S_ = np.random.default_rng(0).standard_normal((4, 4)).tolist()
    W = CL.cayley_orthogonal(S_)
    for i in range(4):
        for j in range(4):
            assert sum(W[k][i] * W[k][j] for k in range(4)) == Fraction(int(i == j))
    H = np.random.default_rng(1).standard_normal((4, 4)).tolist()
    c = CL.certify_haar_step(H, S_)
    assert (
        c.outcome == CERTIFIED and c.details["det and trace of the Gram kept exactly (W^T W = I)"]
    )
    eq = CL.certify_haar_step([[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [0.0, 0.0]])
    assert eq.outcome == CERTIFIED and eq.relation == "=="
    with pytest.raises(ValueError, match="H"):
        CL.certify_haar_step([[1.0, 2.0, 3.0]], S_)
    with pytest.raises(ValueError, match="S"):
        CL.certify_haar_step(H, [[0.0, 1.0], [0.0, 0.0]])
