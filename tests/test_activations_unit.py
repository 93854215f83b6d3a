"""Unit tests of theory.activations (AISTATS 2025, Table 1): the normalised kernels against
closed forms, two-dimensional Gauss-Hermite quadrature and Monte Carlo; the moments' closed
forms against rigorous quadrature; the Hermite remainders; input validation."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from flint import arb

from theory import activations as A
from theory import kernel_map as K

PHI = {
    "relu": lambda x: np.maximum(x, 0.0),
    "tanh": np.tanh,
    "sigmoid": lambda x: 1.0 / (1.0 + np.exp(-x)),
    "exp": np.exp,
    "gelu": lambda x: x * 0.5 * (1.0 + np.vectorize(math.erf)(x / math.sqrt(2.0))),
    "selu": lambda x: (
        1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * np.expm1(np.minimum(x, 0.0)))
    ),
    "elu": lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0.0))),
}
RHOS = (-0.9, -0.4, 0.0, 0.3, 0.75, 0.97)


def _gauss_hermite_kernel(name: str, rho: float, n: int = 120) -> float:
    """E[phi(X) phi(Y)] / E[phi(X)^2] by n x n Gauss-Hermite quadrature (smooth phi)."""
    x, w = np.polynomial.hermite_e.hermegauss(n)
    w = w / w.sum()
    f = PHI[name]
    s = math.sqrt(1 - rho * rho)
    X, Z = np.meshgrid(x, x, indexing="ij")
    W = np.outer(w, w)
    num = np.sum(W * f(X) * f(rho * X + s * Z))
    return float(num / np.sum(w * f(x) ** 2))


@pytest.mark.parametrize("name", ["tanh", "sigmoid", "gelu", "exp"])
@pytest.mark.parametrize("rho", RHOS)
def test_smooth_kernels_against_gauss_hermite(name, rho):
    ball = A.kappa_ball(name, rho)
    gh = _gauss_hermite_kernel(name, rho)
    # Gauss-Hermite with 120 nodes is accurate to ~1e-12 for these entire/meromorphic phi
    assert abs(gh - float(ball.mid())) <= float(ball.rad()) + 1e-10


@pytest.mark.parametrize("name", A.NAMES)
def test_kernels_against_monte_carlo(name):
    rng = np.random.default_rng(7)
    n = 400_000
    X, Z = rng.standard_normal(n), rng.standard_normal(n)
    m2 = float(A.moments(name)["E phi^2"].mid())
    for rho in (-0.6, 0.2, 0.8):
        prod = PHI[name](X) * PHI[name](rho * X + math.sqrt(1 - rho * rho) * Z) / m2
        se = prod.std() / math.sqrt(n)
        # 6 standard errors: a false failure has probability ~2e-9 per point (CLT)
        assert abs(prod.mean() - A.kappa(name, rho)) <= 6 * se, (name, rho)


def test_closed_forms():
    for rho in RHOS + (1.0, -1.0):
        relu = (math.sqrt(1 - rho * rho) + (math.pi - math.acos(rho)) * rho) / math.pi
        assert A.kappa("relu", rho) == pytest.approx(relu, abs=1e-15)
        assert A.kappa_prime("relu", rho) == pytest.approx(1 - math.acos(rho) / math.pi, abs=1e-15)
        assert A.kappa("exp", rho) == pytest.approx(math.exp(rho - 1), rel=1e-15)
    one = A.kappa_prime_ball("relu", 1)
    assert one.is_exact() and one == 1  # kappa_ReLU'(1) = 1 exactly
    assert A.kappa_ball("relu", 1) == 1 and A.kappa_ball("exp", Fraction(1)) == 1
    for name in A.NAMES:
        assert abs(A.kappa(name, 1.0) - 1) <= float(A.kappa_ball(name, 1.0).rad()) + 1e-15


@pytest.mark.parametrize("name", ["relu", "gelu", "selu", "elu"])
def test_closed_moments_agree_with_quadrature(name):
    q, m = A.quadrature_moments(name), A.moments(name)
    for k in q:
        assert q[k].overlaps(m[k]), (name, k, q[k], m[k])
        assert q[k].rad() < 1e-25


def test_selu_constants_are_the_published_ones():
    alpha, lam = A.selu_constants()
    assert abs(float(alpha.mid()) - 1.6732632423543772) < 1e-15
    assert abs(float(lam.mid()) - 1.0507009873554805) < 1e-15
    assert A.quadrature_moments("selu")["E phi"].contains(0)  # mean 0: its definition


@pytest.mark.parametrize("name", ["tanh", "sigmoid", "selu", "elu", "gelu", "relu"])
def test_hermite_remainders(name):
    c2, tail, tail1 = A.hermite(name, 24)
    assert tail.upper() >= 0 and tail1.upper() >= 0  # true remainders are >= 0
    assert all(c.upper() >= 0 for c in c2)
    f = A.facts(name)
    assert c2[0].overlaps(f["kappa(0)"]) and c2[1].overlaps(f["kappa'(0)"])
    # the truncated series with its remainder agrees with the (closed-form) kernel
    for rho in (-0.8, 0.5, 0.95):
        assert A._series(name, arb(rho), 24, A.PREC, False).overlaps(A.kappa_ball(name, rho))


def test_relu_hermite_coefficients_closed_form():
    c2 = A.hermite("relu", 20)[0]
    for k in range(21):
        assert c2[k].overlaps(A.relu_c2(k)), k
    # Table 1's 0.95: ReLU's kappa'(1) cut after 25 Hermite terms
    assert 0.9479 < float(A.relu_truncated_kappa_prime_one(25).mid()) < 0.9481
    assert 0.98 < float(A.relu_truncated_kappa_prime_one(4000).mid()) < 1  # remainder ~ K^-1/2


@pytest.mark.parametrize("name", A.NAMES)
def test_derivative_is_the_kernels_slope(name):
    h = 1e-6
    for rho in (-0.5, 0.1, 0.6):
        fd = (A.kappa(name, rho + h) - A.kappa(name, rho - h)) / (2 * h)
        ball = A.kappa_prime_ball(name, rho)
        assert abs(fd - float(ball.mid())) <= float(ball.rad()) + 1e-8


def test_table_1_quantities():
    f = A.facts
    assert f("relu")["case"] == 3 and f("exp")["case"] == 3
    assert f("tanh")["case"] == 1 and f("selu")["case"] == 1
    assert f("sigmoid")["case"] == 2 and f("gelu")["case"] == 4 and f("elu")["case"] == 4
    assert abs(float(f("relu")["alpha"].mid()) - (0.5 - 1 / math.pi)) < 1e-15
    assert abs(float(f("exp")["alpha"].mid()) - (1 - 2 / math.e)) < 1e-15
    assert f("sigmoid")["kappa'(1)"].overlaps(arb("0.152827011715593749"))
    assert 0.76040 < float(f("gelu")["rho*"].mid()) < 0.76041
    g = f("gelu")  # the fixed point is one: kappa(rho*) = rho*
    assert g["kappa(rho*)"].overlaps(g["rho*"]) and g["rho*"].rad() < 1e-15


def test_one_minus_kappa_keeps_relative_accuracy():
    def rel(b):
        return float(b.rad()) / float(b.mid())

    for name in ("relu", "sigmoid", "tanh", "exp"):
        for u in (2.0**-40, 1e-3, 0.7, 1.9):
            b = A.one_minus_kappa(name, u)
            assert b.overlaps(1 - A.kappa_ball(name, 1 - arb(u)))
        # the relative radius does not grow as u -> 0 (tanh: the Hermite remainder, ~1e-7)
        tiny, mid = A.one_minus_kappa(name, 2.0**-60), A.one_minus_kappa(name, 1e-3)
        assert rel(tiny) <= 1.01 * rel(mid) + 1e-28 and rel(tiny) < 1e-6


def test_orbits_agree_with_float_trajectory():
    w = [2, 1, 0, 3, 1]
    c2 = [Fraction(x, sum(w)) for x in w]
    us = A.orbit_coefficients(c2, -0.3, 60)
    rho, err = K.trajectory(K.coefficients(w), -0.3, 60)
    for l in range(61):
        assert abs((1 - rho[l]) - float(us[l].mid())) <= err[l] + 4e-16
    assert A.orbit("relu", 0.5, 3)[1].overlaps(A.one_minus_kappa("relu", 0.5))


def test_corollary2_depth_and_bounds():
    k1 = A.facts("sigmoid")["kappa'(1)"]
    assert 8.855 < float(A.corollary2_depth(k1, 24).mid()) < 8.857
    assert 47.23 < float(A.corollary2_depth(k1, 128).mid()) < 47.24
    assert K.case2_bound(0.5, 0.5, 2) == 0.125
    assert K.case3_bound(0.0, 0.5, 2) == 0.5
    with pytest.raises(ValueError, match="kappa_prime_one"):
        A.corollary2_depth(arb(1), 24)
    with pytest.raises(ValueError, match="rho0"):
        K.case3_bound(1.5, 0.2, 1)


def test_printed_interval():
    assert A.printed_interval("0.95") == (Fraction(189, 200), Fraction(191, 200))
    assert A.printed_interval("2") == (Fraction(3, 2), Fraction(5, 2))


def test_bad_input_names_the_parameter():
    with pytest.raises(ValueError, match="name"):
        A.kappa("swish", 0.1)
    with pytest.raises(ValueError, match="rho"):
        A.kappa("relu", 1.5)
    with pytest.raises(ValueError, match="rho"):
        A.kappa_prime("tanh", float("nan"))
    with pytest.raises(ValueError, match="rho"):
        A.kappa_ball("relu", True)
    with pytest.raises(ValueError, match="prec"):
        A.kappa_ball("relu", 0.1, prec=8)
    with pytest.raises(ValueError, match="K"):
        A.hermite("tanh", 0)
    with pytest.raises(ValueError, match="u"):
        A.one_minus_kappa("relu", -0.1)
    with pytest.raises(ValueError, match="layers"):
        A.orbit("relu", 0.5, -1)
    with pytest.raises(ValueError, match="c2"):
        A.orbit_coefficients([Fraction(1, 2)], 0.1, 3)
    with pytest.raises(ValueError, match="name"):
        A.fixed_point("relu")
