"""Unit tests of the normalised chains with an activation (theory.norm_chain), the LN
contraction certificate (theory.certify.lineofwork_ln) and the check's helpers
(theory.checks.line_of_work_2023): closed forms, invariances, bad input."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from theory import activations as A
from theory import norm_chain as N
from theory.certify import lineofwork_ln as CL
from theory.checks import line_of_work_2023 as CK
from theory.engine import RunContext
from theory.statements import line_of_work_2023 as S
from theory.stats import Interval

RNG = np.random.default_rng(0)


# ------------------------------------------------------------------ normalisations


def test_layer_norm_closed_form_and_invariances():
    H = RNG.standard_normal((7, 3))
    out = N.layer_norm(H)
    np.testing.assert_allclose(out.mean(axis=0), 0.0, atol=1e-15)
    np.testing.assert_allclose(np.mean(out * out, axis=0), 1.0, rtol=1e-14)
    # per column: invariant to a shift and a positive scale of that column
    H2 = H * np.array([2.0, 0.5, 7.0]) + np.array([1.0, -3.0, 0.25])
    np.testing.assert_allclose(N.layer_norm(H2), out, rtol=1e-12, atol=1e-13)
    # closed form on one column
    h = np.array([[1.0], [2.0], [3.0], [6.0]])
    c = h - 3.0
    np.testing.assert_allclose(N.layer_norm(h), c / math.sqrt(np.mean(c * c)), rtol=1e-15)


def test_rms_norm_and_batch_norm():
    H = RNG.standard_normal((5, 4))
    out = N.rms_norm(H)
    np.testing.assert_allclose(np.mean(out * out, axis=0), 1.0, rtol=1e-14)
    np.testing.assert_allclose(N.rms_norm(3.0 * H), out, rtol=1e-14)
    # RMS keeps the cosines (a positive scale per column)
    np.testing.assert_allclose(N.cosines(out), N.cosines(H), rtol=1e-13, atol=1e-14)
    B = N.batch_norm(H)
    np.testing.assert_allclose(B.mean(axis=1), 0.0, atol=1e-15)
    np.testing.assert_allclose(np.mean(B * B, axis=1), 1.0, rtol=1e-14)
    B0 = N.batch_norm(H, centre=False)
    np.testing.assert_allclose(np.mean(B0 * B0, axis=1), 1.0, rtol=1e-14)
    # batched: a stack gives the stack of results
    St = RNG.standard_normal((3, 5, 4))
    np.testing.assert_allclose(N.layer_norm(St)[1], N.layer_norm(St[1]), rtol=1e-14)


@pytest.mark.parametrize(
    ("fn", "H", "word"),
    [
        (N.layer_norm, np.ones((4, 2)), "constant column"),
        (N.layer_norm, np.ones((1, 2)), "d >= 2"),
        (N.rms_norm, np.array([[0.0, 1.0], [0.0, 2.0]]), "zero column"),
        (N.batch_norm, np.ones((3, 1)), "n >= 2"),
        (N.batch_norm, np.array([[1.0, 1.0], [0.0, 2.0]]), "constant row"),
        (N.layer_norm, np.array([[np.nan, 1.0], [1.0, 2.0]]), "finite"),
        (N.cosines, np.array([[0.0, 1.0], [0.0, 2.0]]), "zero column"),
    ],
)
def test_bad_input(fn, H, word):
    with pytest.raises(ValueError, match=word):
        fn(H)


def test_activation_values_and_bad_name():
    x = np.array([-1.0, 0.0, 2.0])
    np.testing.assert_allclose(N.activation("relu", x), [0.0, 0.0, 2.0])
    np.testing.assert_allclose(N.activation("gelu", x), x * 0.5 * (1 + np.array(
        [math.erf(v / math.sqrt(2)) for v in x])), rtol=1e-15)  # fmt: skip
    np.testing.assert_allclose(N.activation("selu", np.array([0.0])), [0.0], atol=0)
    np.testing.assert_allclose(N.activation("sigmoid", np.array([0.0])), [0.5])
    with pytest.raises(ValueError, match="name must be one of"):
        N.activation("softsign", x)


# ------------------------------------------------------------------ Gram quantities


def test_potential_and_inverse():
    assert float(N.potential_of(0.5)) == pytest.approx(1.0)
    assert float(N.potential_of(-0.75)) == pytest.approx(3.0)
    assert math.isinf(float(N.potential_of(1.0)))
    g = np.array([0.0, 0.3, 4.0])
    np.testing.assert_allclose(N.potential_of(N.correlation_of(g)), g, rtol=1e-14)
    with pytest.raises(ValueError, match=r"\|rho\| <= 1"):
        N.potential_of(1.5)
    with pytest.raises(ValueError, match="gamma must be >= 0"):
        N.correlation_of(-1.0)
    # gamma(tau(rho)) = gamma(rho)/b
    for r, b in ((0.5, 1.3), (0.9, 1.07), (0.1, 2.0)):
        tau = N.rate_bound_correlation(r, b)
        assert float(N.potential_of(tau)) == pytest.approx(float(N.potential_of(r)) / b, rel=1e-13)
    with pytest.raises(ValueError, match="b must be >= 1"):
        N.rate_bound_correlation(0.5, 0.9)


def test_equicorrelated_input_and_potential():
    H0 = N.equicorrelated_h0(10, 3, 0.6)
    C = N.cosines(H0)
    np.testing.assert_allclose(C[~np.eye(3, dtype=bool)], 0.6, rtol=1e-13)
    np.testing.assert_allclose(H0.mean(axis=0), 0.0, atol=1e-14)
    np.testing.assert_allclose(np.mean(H0 * H0, axis=0), 1.0, rtol=1e-13)
    assert float(N.max_abs_correlation(H0)) == pytest.approx(0.6, rel=1e-13)
    assert float(N.potential(H0)) == pytest.approx(1.5, rel=1e-12)
    with pytest.raises(ValueError, match="d must be >= 5"):
        N.equicorrelated_h0(4, 3, 0.5)
    with pytest.raises(ValueError, match="rho must be in"):
        N.equicorrelated_h0(10, 3, 1.0)


# ------------------------------------------------------------------ chain


def test_step_orders_and_simulate_replay():
    H = N.equicorrelated_h0(8, 2, 0.5)
    W = RNG.standard_normal((8, 8)) / math.sqrt(8)
    after = N.step(H, W, "relu", "ln", "after")
    np.testing.assert_allclose(after, N.layer_norm(np.maximum(W @ H, 0)), rtol=1e-14)
    before = N.step(H, W, "relu", "rms", "before")
    np.testing.assert_allclose(before, np.maximum(N.rms_norm(W @ H), 0), rtol=1e-14)
    np.testing.assert_allclose(N.step(H, W, "identity", "none"), W @ H, rtol=1e-15)
    np.testing.assert_allclose(
        N.step(H, W, "tanh", "bn", "after"), N.batch_norm(np.tanh(W @ H)), rtol=1e-14
    )
    np.testing.assert_allclose(
        N.step(H, W, "tanh", "bn-rms", "before"),
        np.tanh(N.batch_norm(W @ H, centre=False)),
        rtol=1e-14,
    )
    a = N.simulate(H, 3, act="tanh", runs=5, seed=4)
    b = N.simulate(H, 3, act="tanh", runs=5, seed=4)
    np.testing.assert_array_equal(a["corr"], b["corr"])
    assert a["corr"].shape == (5, 4) and np.all(a["corr"][:, 0] == pytest.approx(0.5))
    with pytest.raises(ValueError, match="seed"):
        N.simulate(H, 1, act="tanh", runs=2, seed=-1)
    with pytest.raises(ValueError, match="norm must be one of"):
        N.step(H, W, "relu", "group")


def test_simulate_counts_a_dead_relu_run_as_collapsed():
    # d = 4: all pre-activations of a column negative with probability 1/16 per column
    H = N.equicorrelated_h0(4, 2, 0.0)
    out = N.simulate(H, 1, act="relu", runs=400, seed=0)
    assert out["degenerate"].sum() > 0
    assert np.all(out["corr"][out["degenerate"], 1] == 1.0)


def test_column_bn_chain_at_n_equal_d():
    # "column BN" at n = d without centring and the identity activation: every row of H_l has
    # mean square 1, so tr(H^T H) = d n at every layer; the cosines stay defined
    H = N.equicorrelated_h0(6, 4, 0.3)
    out = N.simulate(H, 5, act="identity", norm="bn-rms", runs=20, seed=3)
    assert out["corr"].shape == (20, 6) and not out["degenerate"].any()
    assert np.all((out["corr"] >= 0) & (out["corr"] <= 1))
    W = RNG.standard_normal((6, 6))
    B = N.step(H, W, "identity", "bn-rms")
    assert float(np.sum(B * B)) == pytest.approx(6 * 4, rel=1e-13)
    # a constant row under centred BN: that run is counted as collapsed
    Z = N.simulate(
        np.vstack([np.ones((1, 2)), np.eye(2)]), 1, act="relu", norm="bn", runs=200, seed=0
    )
    assert np.all(Z["corr"][Z["degenerate"], 1] == 1.0)


def test_linear_ln_chain_keeps_the_gram_at_infinite_width():
    # without activation and at large d, one layer moves the cosine by O(1/sqrt d) only
    H = N.equicorrelated_h0(2000, 2, 0.5)
    out = N.simulate(H, 1, act="identity", runs=4, seed=1)
    np.testing.assert_allclose(out["corr"][:, 1], 0.5, atol=0.05)


# ------------------------------------------------------------------ mean field


def test_beta0_closed_forms():
    # ReLU: c_1^2 / (1 - c_0^2) = (1/2)/(1 - 1/pi); exp: e^-1 / (1 - e^-1) = 1/(e - 1)
    assert N.beta0("relu") == pytest.approx(0.5 / (1 - 1 / math.pi), rel=1e-14)
    assert N.beta0("exp") == pytest.approx(1 / (math.e - 1), rel=1e-14)
    assert N.beta0("identity") == 1.0
    # the notebook's printed ReLU beta: 1.2675666 (Monte Carlo, 2e6 samples)
    assert 2 - N.beta0("relu") == pytest.approx(1.2675666, abs=2e-3)
    # exp's LN kernel: (e^rho - 1)/(e - 1)
    assert N.kappa_hat("exp", 0.3) == pytest.approx(math.expm1(0.3) / (math.e - 1), rel=1e-13)
    assert N.meanfield_map("relu", "rms", "after", 0.5) == pytest.approx(A.kappa("relu", 0.5))
    assert N.meanfield_map("relu", "ln", "before", 0.5) == pytest.approx(A.kappa("relu", 0.5))
    with pytest.raises(ValueError, match="rho must be in"):
        N.kappa_hat("relu", 1.5)


def test_certificate_outcomes():
    c = CL.certify_ln_contraction("relu", Fraction(1, 2))
    assert c.outcome == "certified" and c.id == CL.ID_LN_MF
    c = CL.certify_ln_contraction("exp", "limit")  # 1/hat kappa'(1) = (e - 1)/e < (e - 1)/(2e - 3)
    assert c.outcome == "certified"
    assert c.lhs_ball[0] == pytest.approx((math.e - 1) / math.e, rel=1e-12)
    p = CL.certify_ln_contraction("relu", Fraction(1, 2), "no-centring")
    assert p.outcome == "refuted" and p.details["planted"]
    assert CL.certify_ln_contraction("tanh", Fraction(1, 2), "no-centring").outcome == "certified"
    assert CL.certify_ln_contraction("gelu", "limit", "activation-free").outcome == "refuted"
    with pytest.raises(ValueError, match="rho must satisfy"):
        CL.certify_ln_contraction("relu", 1)
    with pytest.raises(ValueError, match="act must be one of"):
        CL.certify_ln_contraction("identity", Fraction(1, 2))
    with pytest.raises(ValueError, match="variant must be one of"):
        CL.certify_ln_contraction("relu", Fraction(1, 2), "bn")


# ------------------------------------------------------------------ check pieces


def test_rate_interval_maps_the_ends():
    iv = Interval(estimate=0.5, lower=0.4, upper=0.6, delta=1e-6, method="m", n=10)
    r = CK.rate_interval(iv, 0.5)
    assert (r.estimate, r.lower, r.upper) == pytest.approx((1.0, 2 / 3, 1.5))
    r2 = CK.rate_interval(iv, 0.5, depth=2)  # per layer over two layers: the square root
    assert (r2.estimate, r2.lower, r2.upper) == pytest.approx((1.0, (2 / 3) ** 0.5, 1.5**0.5))
    with pytest.raises(ValueError, match="depth must be >= 1"):
        CK.rate_interval(iv, 0.5, depth=0)
    assert S.contraction_bound("relu") == pytest.approx(1 / (2 - N.beta0("relu")))


def test_finite_width_check_rows_and_bad_case():
    ctx = RunContext.create()
    rows = S.FINITE_WIDTH.check(
        ctx, {"act": "relu", "d": 32, "n": 2, "rho0": 0.9, "max_runs": 2000}
    )
    assert [r.verdict for r in rows] == ["pass", "refuted"]
    with pytest.raises(ValueError, match="rho0 must be in"):
        S.FINITE_WIDTH.check(ctx, {"act": "relu", "rho0": 1.0})
    with pytest.raises(KeyError):
        S.FINITE_WIDTH.check(ctx, {"act": "relu", "control": "no-such-control"})
