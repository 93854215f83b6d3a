"""Unit tests of AISTATS 2025 Theorem 1 cases 1-3 on polynomial kernels:
theory.certify.kernel_cases (exact kernels, hypotheses, rates, ball orbits against exact
rationals, bound forms, certificates) and the pieces of theory.checks.line_of_work_cases."""

from __future__ import annotations

import math
from fractions import Fraction as F

import pytest
from flint import arb

from theory.certify import CERTIFIED, NOT_CERTIFIED, REFUTED
from theory.certify import kernel_cases as KC
from theory.checks import line_of_work_cases as CK
from theory.engine import RunContext, problems
from theory.statements import line_of_work_cases as S


def _exact_orbit(c2, rho0, layers):
    r, out = F(rho0), [F(rho0)]
    for _ in range(layers):
        r = sum(c * r**k for k, c in enumerate(c2))
        out.append(r)
    return out


def _contains(ball, q: F) -> bool:
    return bool(ball.contains(arb(q.numerator) / q.denominator))


# ------------------------------------------------------------------ kernels and hypotheses


def test_exact_kernel_and_rates_closed_forms():
    assert KC.exact_kernel([0, 1, 1]) == [0, F(1, 2), F(1, 2)]
    assert KC.rate(KC.check_kernel([0, 1, 1], 1), 1) == F(2, 3)  # 1/(2 - 1/2)
    assert KC.rate(KC.check_kernel([3, 1, 1], 2), 2) == F(3, 5)  # kappa'(1) = (1 + 2)/5
    assert KC.rate(KC.check_kernel([1, 1, 1], 3), 3) == F(1, 3)  # 1 - 1/3 - 1/3
    assert KC.case_of(KC.exact_kernel([3, 3, 4])) == 4
    assert KC.tail_sums([F(1, 2), F(1, 4), F(1, 4)]) == [F(1, 2), F(1, 4)]


@pytest.mark.parametrize(
    "w, rule",
    [
        ([], "at least 2"),
        ([1], "at least 2"),
        ([0, 0, 0], "not all zero"),
        ([1, -1, 2], "non-negative"),
        ([0.5, 0.5], "integers or Fractions"),
        ([True, 1], "integers or Fractions"),
    ],
)
def test_exact_kernel_bad_input(w, rule):
    with pytest.raises(ValueError, match=rf"w must.*{rule}"):
        KC.exact_kernel(w)


@pytest.mark.parametrize(
    "w, case, rule",
    [
        ([0, 1, 0], 1, "nonlinear"),  # linear kernel
        ([2, 1, 0], 2, "nonlinear"),  # affine kernel
        ([1, 1, 1], 1, "case 1"),  # kappa(0) > 0
        ([1, 1, 1], 2, "case 2"),  # kappa'(1) = 1
        ([2, 1, 1], 3, "case 3"),  # kappa'(1) < 1
        ([3, 3, 4], 2, "case 2"),  # case 4
    ],
)
def test_check_kernel_names_the_rule(w, case, rule):
    with pytest.raises(ValueError, match=rf"w must .*{rule}"):
        KC.check_kernel(w, case)
    with pytest.raises(ValueError, match="case must be one of"):
        KC.check_kernel([0, 1, 1], 4)


# ------------------------------------------------------------------ orbits against exact rationals


@pytest.mark.parametrize(
    "w, rho0", [([0, 1, 1], F(1, 2)), ([0, 3, 0, 2], F(-3, 4)), ([2, 0, 1, 1], F(-7, 8))]
)
def test_orbits_contain_the_exact_iterates(w, rho0):
    c2 = KC.exact_kernel(w)
    exact = _exact_orbit(c2, rho0, 6)
    rb = KC.orbit_rho(c2, rho0, 6)
    ub = KC.orbit_u(c2, rho0, 6)
    for l in range(7):
        assert _contains(rb[l], exact[l]), (l, rb[l], exact[l])
        assert _contains(ub[l], 1 - exact[l]), (l, ub[l], 1 - exact[l])


def test_orbit_u_keeps_relative_accuracy_where_naive_loses_it():
    """Case 2, kappa'(1) = 2/3: u_l ~ (2/3)^l u_0 reaches 1e-120 by layer 600; the tail-sum
    coordinate keeps its relative radius tiny, whereas 1 - (1 - u)^k at 128 bits is lost."""
    c2 = KC.check_kernel([2, 0, 1], 2)
    with KC.C.precision(128):
        us = KC.orbit_u(c2, F(1, 2), 600)
    assert float(us[-1].mid()) < 1e-100
    assert KC.C.rel_radius(us[-1]) < 1e-30


def test_case3_quadratic_equality_closed_form():
    """c_0^2 = c_2^2 = a: kappa(rho) = rho + a (1 - rho)^2, so u' = u (1 - a u) exactly."""
    c2 = KC.check_kernel([1, 1, 1], 3)
    a, u = F(1, 3), F(1, 2)
    us = KC.orbit_u(c2, F(1, 2), 5)
    for l in range(1, 6):
        u = u * (1 - a * u)
        assert _contains(us[l], u)


def test_bound_forms_closed_forms():
    assert KC.bound_ball("potential", 0.5, 0.5, 2) == pytest.approx(0.25)  # 1 * 1/4
    assert KC.bound_ball("no-potential", -0.5, 0.5, 1) == pytest.approx(0.25)
    assert KC.bound_ball("geometric", -0.5, 0.5, 1) == pytest.approx(0.75)
    assert KC.bound_ball("no-start-factor", -0.5, 0.5, 2) == pytest.approx(0.25)
    assert KC.bound_ball("harmonic", 0.0, 0.5, 2) == pytest.approx(0.5)  # 1/(2 * 0.5 + 1)
    assert KC.bound_ball("l-squared", 0.0, 0.5, 2) == pytest.approx(1 / 3)
    assert S.case1_bound(0.5, 0.5, 2) == KC.bound_ball("potential", 0.5, 0.5, 2)
    with pytest.raises(ValueError, match="form must be one of"):
        KC.bound_ball("cubic", 0.0, 0.5, 1)
    with pytest.raises(ValueError, match="rho0 must be a number in"):
        KC.ratio_balls(KC.exact_kernel([0, 1, 1]), 1.0, F(2, 3), 3, "potential")
    with pytest.raises(ValueError, match="layers must be an integer"):
        KC.orbit_u(KC.exact_kernel([0, 1, 1]), 0.5, -1)


# ------------------------------------------------------------------ certificates


def test_certificates_three_outcomes():
    assert KC.certify_case([0, 1, 1], 0.5, 1, layers=50).outcome == CERTIFIED
    assert KC.certify_case([2, 0, 1], 0.5, 2, layers=50).outcome == CERTIFIED
    assert KC.certify_case([1, 1, 1], 0.5, 3, layers=50).outcome == CERTIFIED
    # rho_0 = 0 in case 1: both sides are exactly 0, balls cannot certify 0 < 0
    assert KC.certify_case([0, 1, 1], 0.0, 1, layers=5).outcome == NOT_CERTIFIED
    bad = KC.certify_case([2, 0, 1], 0.5, 2, alpha=F(1, 3), layers=50, control="x")
    assert bad.outcome == REFUTED and bad.details["planted"] is True
    assert bad.details["first layer exceeded (separated balls)"] == 1  # u_1 = 1/4 > 1/6
    half = KC.certify_case([1, 1, 1], 0.5, 3, scale=F(1, 2), layers=50)
    assert half.outcome == REFUTED


# ------------------------------------------------------------------ the check's pieces


def test_ratio_tols_edge_cases():
    z, one = arb(0), arb(1)
    r, t = CK.ratio_tols([(z, z), (one, z), (one, arb(0, 1)), (arb(1, 1e-20), arb(2))])
    assert r[:2] == [0.0, math.inf] and t[:2] == [0.0, 0.0]  # 0/0 holds; x > 0 = bound fails
    assert math.isinf(t[2])  # a bound ball containing 0: not judged
    assert r[3] == 0.5 and 4 * 2.0**-53 + 1e-20 < t[3] < 4 * 2.0**-53 + 1e-18


def test_critical_rate_case2_closed_form():
    """Case 2: u_l/u_0 = prod_{j<l} q(rho_j) with q increasing to kappa'(1) along the orbit,
    so the geometric mean (u_l/u_0)^{1/l} increases in l: the critical rate is its value at
    the last layer, between q(rho_0) and kappa'(1).  w = [2, 0, 1] from 1/2: q(1/2) = 1/3 +
    1/6 = 1/2, kappa'(1) = 2/3."""
    c2 = KC.check_kernel([2, 0, 1], 2)
    L = 8  # exact rationals: the denominators square every layer
    pairs = KC.ratio_balls(c2, 0.5, KC.rate(c2, 2), L, "geometric")
    exact = _exact_orbit(c2, F(1, 2), L)
    last = float((1 - exact[L]) / F(1, 2)) ** (1 / L)
    got = CK.critical_rate(2, pairs, 0.5, KC.rate(c2, 2))
    assert got == pytest.approx(last, rel=1e-12) and 0.5 < got < 2 / 3


@pytest.mark.parametrize("k", [1, 2, 3])
def test_checks_on_their_examples(k):
    st = S.RECORDS[k]
    ctx = RunContext.create()
    # every control but case 2's no-start-factor (false only from rho_0 < 0) is false here
    controls = tuple(c for c in CK.CONTROLS[k] if c != "no-start-factor")
    rows = st.check(ctx, {**st.example, "controls": controls, "certify": True})
    assert not problems(rows), problems(rows)
    assert rows[0].verdict == "pass" and 0 < rows[0].tightness < 1
    mine = [r for r in rows if r.control is not None and "certificate" not in r.extra]
    assert {r.control for r in mine} == set(controls)
    certs = [r for r in rows if "certificate" in r.extra]
    assert certs[0].verdict == "pass"
    with pytest.raises(ValueError, match="controls must be among"):
        st.check(ctx, {**st.example, "controls": ("nonsense",)})


def test_no_start_factor_refuted_from_a_negative_start():
    """w = [2, 3, 1], rho_0 = -1/2: u_1 = 1 - kappa(-1/2) = 7/8 > kappa'(1) = 5/6."""
    rows = S.CASE2.check(
        RunContext.create(), {"w": [2, 3, 1], "rho0": -0.5, "controls": ("no-start-factor",),
                              "certify": True},
    )  # fmt: skip
    assert [r.verdict for r in rows] == ["pass", "refuted", "pass", "refuted"]
    assert rows[1].measured == pytest.approx(F(7, 8) / F(5, 6), rel=1e-12)
