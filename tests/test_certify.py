"""Fast tests of the certify layer (theory.certify): ball-arithmetic certificates.

The slow certificates (every n with Sawa's integral, Lemma 8 at n = 4) are behind
``theory.certify.certify_all(thorough=True)``, not here.  Total ~10 s on one core.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from flint import arb

from theory import certify as T
from theory.certify import _core, lemmas, linearisation, meanfield, sawa_balls

# ------------------------------------------------------------------ the certificate semantics


def test_decide_never_rounds_a_near_miss() -> None:
    a, b = arb("1 +/- 0.1"), arb("1.05 +/- 0.1")
    assert _core.decide(a, b, "<") == T.NOT_CERTIFIED
    assert _core.decide(a, b, ">") == T.NOT_CERTIFIED
    assert _core.decide(arb(1), arb(2), "<") == T.CERTIFIED
    assert _core.decide(arb(1), arb(2), ">") == T.REFUTED
    # equality cannot be certified by balls, not even for exact ones
    assert _core.decide(arb(1), arb(1), "<=") == T.NOT_CERTIFIED


def test_certificate_rejects_unknown_outcome() -> None:
    with pytest.raises(ValueError, match="outcome"):
        _core.make("x", "c", "probably", "<", arb(1), arb(2), prec=53, seconds=0.0)


# ------------------------------------------------------------------ Sawa's map in balls


def test_spike_levels_match_the_float_spectrum() -> None:
    n, f, k = 22, 0.11135244081013697, 2
    lv = sawa_balls.spike_levels(n, f, k)
    eps = f / n
    want = np.full(n, 1 / n - eps)
    want[:k] = 1 / n + (n - k) * eps / k
    got = np.array([float(v) for v, m in lv for _ in range(m)])
    assert np.allclose(got, want, rtol=1e-15, atol=0)
    assert sum(v * m for v, m in lv) == 1


def test_two_level_closed_form_matches_the_float_oracle() -> None:
    from theory import sawa

    for n, k, f in ((5, 1, 0.3), (8, 3, 0.5), (20, 2, 0.1)):
        lv = sawa_balls.spike_levels(n, f, k)
        a = np.array([float(v) for v, m in lv for _ in range(m)])
        with _core.precision(128):
            e = sawa_balls.deviations(lv)
            got = sawa_balls.levels_step(e, [m for _, m in lv], "2f1")
            integ = sawa_balls.levels_step(e, [m for _, m in lv], "integral")
        p = sawa.sawa_p(np.sqrt(a))
        assert abs(float(got[0].mid()) - (p[0] - 1 / n)) < 1e-12
        assert got[0].overlaps(integ[0]) and got[1].overlaps(integ[1])


def test_agreement_two_level_vs_integral() -> None:
    c = T.certify_agreement(8, prec=128)
    assert c.outcome == T.CERTIFIED, c.details
    assert c.details["disjoint at layers"] == []
    assert c.max_rel_radius < 1e-30


# ------------------------------------------------------------------ the counterexample


@pytest.mark.parametrize(
    ("n", "first", "ratio"), [(5, 351, 1.01025), (8, 105, 1.00671), (20, 69, 1.01839)]
)
def test_counterexample_certified_first_failing_layer(n: int, first: int, ratio: float) -> None:
    stated, proved = T.certify_meanfield(n)
    assert stated.outcome == T.CERTIFIED, stated.details
    assert stated.details["first failing layer L"] == first
    assert abs(stated.details["ratio (float)"] - ratio) < 1e-5
    assert stated.details["first earlier layer not certified below"] is None
    assert stated.max_rel_radius < 1e-60
    assert proved.outcome == T.CERTIFIED
    assert proved.details["layers"] == first
    if n == 5:
        assert stated.lhs.startswith("[5.36808962")  # V_352
        assert stated.rhs.startswith("[5.31362705")  # bound at l = 351


@pytest.mark.parametrize(("n", "first"), [(5, 378), (8, 113), (20, 71)])
def test_counterexample_with_alpha_including_h0(n: int, first: int) -> None:
    stated, _ = T.certify_meanfield(n, a0=_recorded_a0(n), include_h0=True)
    assert stated.outcome == T.CERTIFIED
    assert stated.details["first failing layer L"] == first


def _recorded_a0(n: int) -> list[Fraction]:
    return [v for v, m in meanfield.recorded_levels(n) for _ in range(m)]


@pytest.mark.parametrize("n", [5, 8, 20])
def test_planted_one_layer_early_is_refused(n: int) -> None:
    first = meanfield.RECORDED[n][0]  # type: ignore[index]
    c = T.certify_first_failing_layer(n, first - 1)
    assert c.outcome != T.CERTIFIED
    assert c.outcome == T.REFUTED  # V_L < bound_(L-1) is certified
    assert 0.95 < c.details["ratio (float)"] < 1.0


def test_integral_method_certifies_a_three_level_h0() -> None:
    lv = sawa_balls.spectrum_levels(T.THREE_LEVEL_H0)
    assert len(lv) == 3
    stated, proved = T.certify_meanfield(
        a0=T.THREE_LEVEL_H0, first=meanfield.THREE_LEVEL_FIRST, method="integral", prec=128
    )
    assert stated.outcome == T.CERTIFIED, stated.details
    assert proved.outcome == T.CERTIFIED
    assert T.float_first_failing(T.THREE_LEVEL_H0)[0] == meanfield.THREE_LEVEL_FIRST


# ------------------------------------------------------------------ linearisation


def test_linearisation_exact_for_every_n() -> None:
    for n in range(2, 33):
        c = T.certify_linearisation(n)
        assert c.outcome == T.CERTIFIED
        assert c.details["J == (n/(n+2)) I - (1/(n+2)) 11^T"]
        assert c.details["integral ball overlaps factor"]
    assert T.dirichlet_moment(7, [2]) == Fraction(3, 7 * 9)
    assert T.dirichlet_moment(7, [1, 1]) == Fraction(1, 7 * 9)


def test_linearisation_wrong_factor_refuted() -> None:
    c = T.certify_linearisation(5, Fraction(6, 8))
    assert c.outcome == T.REFUTED
    assert not c.details["integral ball overlaps factor"]


def test_threshold_lemma() -> None:
    for n in range(2, 33):
        c = T.certify_threshold(n)
        assert c.outcome == T.CERTIFIED
        assert c.details["stated rate < n/(n+2)"] == (n >= 5)
        assert c.details["equals 4(n-1)/(3n(n+2))"]
    assert T.certify_threshold(4).details["decided by balls"] == T.NOT_CERTIFIED  # equal rates
    assert "(n-1)(n-4)" in T.threshold_derivation()


# ------------------------------------------------------------------ branch and bound


@pytest.mark.parametrize("n", [2, 3, 4])
def test_lemma4_and_w2_whole_domain(n: int) -> None:
    c4 = T.certify_lemma4(n)
    assert c4.outcome == T.CERTIFIED
    assert c4.details["certified max <="] <= 1 + 2e-9
    cw = T.certify_w2(n)
    assert cw.outcome == T.CERTIFIED
    from theory.gaussian_w2 import sup_w2c_over_nv2

    assert cw.details["certified max <="] <= sup_w2c_over_nv2(n) + 2e-9
    assert cw.boxes is not None and cw.boxes > 0


def test_lemma4_and_w2_planted_below_sup_refused() -> None:
    assert T.certify_lemma4(3, constant=0.99).outcome == T.REFUTED
    sup3 = float(lemmas.w2_sup_ball(3).mid())
    assert T.certify_w2(3, bound=0.99 * sup3, eps=0.0).outcome != T.CERTIFIED


@pytest.mark.parametrize("n", [2, 3])
def test_lemma8_sharp_certified(n: int) -> None:
    c = T.certify_lemma8(n)
    assert c.outcome == T.CERTIFIED, c.details
    assert c.details["certified min of G_c over the boxes >="] > 0
    assert c.details["quadratic form identity (rationals)"] is True
    cross = c.details["ball cross-check of the expansion"]
    assert cross["certified inside [(a_n/a_1) Q, Q]"] == cross["points"]


@pytest.mark.parametrize("n", [2, 3])
def test_lemma8_planted_constant_refused(n: int) -> None:
    c = T.certify_lemma8(n, constant=Fraction(2 * n, n + 1))
    assert c.outcome != T.CERTIFIED
    assert c.outcome == T.REFUTED
    assert c.details["witness"] is not None


def test_local_quadratic_form_identity() -> None:
    assert all(lemmas.local_quadratic_form_check(n) for n in range(2, 9))


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: T.certify_meanfield(40), "n must be an integer in"),
        (lambda: T.certify_meanfield(5, prec=8), "prec must be"),
        (lambda: T.certify_meanfield(5, method="mc"), "method must be"),
        (lambda: T.certify_meanfield(a0=[0.5, -0.5]), "a0 must be positive"),
        (lambda: T.certify_meanfield(a0=[1, 1, 1]), "a0 must not be uniform"),
        (lambda: T.certify_meanfield(a0=[3, 2, 1], method="2f1"), "two-level"),
        (lambda: T.certify_meanfield(5, first=0), "first must be"),
        (lambda: T.spike_levels(5, 1.5), "f must be in"),
        (lambda: T.spike_levels(5, 0.1, 5), "k must be"),
        (lambda: T.certify_linearisation(1), "n must be"),
        (lambda: T.certify_lemma4(1), "n must be"),
        (lambda: T.certify_lemma4(3, constant=math.inf), "constant must be"),
        (lambda: T.certify_w2(3, eps=2.0), "eps must be"),
        (lambda: T.certify_lemma8(3, radius=0.5), "radius must be"),
        (lambda: T.certify_lemma8(3, constant=Fraction(2), radius=0.01), "radius must be 0"),
        (lambda: T.certify_lemma8(3, constant=-1), "constant must be"),
        (lambda: T.certify_claim("nope"), "claim_id must be one of"),
        (lambda: linearisation.dirichlet_moment(2, [1, 1, 1]), "powers must be"),
    ],
)
def test_bad_input_raises(call, match: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=match):
        call()
