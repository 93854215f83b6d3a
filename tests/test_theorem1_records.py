"""Unit tests of the Theorem 1 and Assumption A1 records (formulas, vacuity, controls)."""

from __future__ import annotations

import math

import pytest

import theory
from theory.statements import assumption_a1 as A1
from theory.statements import theorem1 as T1


def test_bound_formula_and_misprint_resolution():
    # Eq. 3: 2 (1 - 2a/3)^l + 3n/(a sqrt d), not the v1 proof's 3n/(2 a sqrt d)
    b = T1.theorem1_bound(2, 4096, 10, 0.4)
    assert b == pytest.approx(2 * (1 - 0.8 / 3) ** 10 + 6 / (0.4 * 64))
    assert T1.floor_term(2, 4096, 0.4) == pytest.approx(2 * 3 * 2 / (2 * 0.4 * 64))


@pytest.mark.parametrize("reading", ["stated", "proved"])
@pytest.mark.parametrize("n", [2, 3, 4, 8])
def test_min_informative_d_is_the_vacuity_threshold(n, reading):
    q = 0.8
    a = q * theory.assumption.alpha_max(n, reading)
    d0 = T1.min_informative_d(n, q, reading)
    assert T1.floor_term(n, math.ceil(d0 * 1.01), a) < T1.max_gap(n)
    assert T1.floor_term(n, max(n, math.floor(d0 * 0.99)), a) > T1.max_gap(n)
    # every bound is vacuous below it
    assert T1.is_vacuous(n, max(n, math.floor(d0 * 0.99)), 10**6, a)


def test_bad_parameters_raise():
    with pytest.raises(ValueError, match="alpha"):
        T1.theorem1_bound(2, 64, 3, 0.0)
    with pytest.raises(ValueError, match="d >= n"):
        T1.theorem1_bound(4, 2, 3, 0.1)
    with pytest.raises(ValueError, match="q"):
        T1.min_informative_d(2, 1.5, "stated")


def test_controls_are_weaker_claims_than_eq3():
    n, d, l, a = 2, 1024, 16, 0.65
    true_b = T1.theorem1_bound(n, d, l, a)
    for stmt in (T1.STATED, T1.PROVED):
        ids = {c.id for c in stmt.negative_controls}
        assert {"floor-over-100", "width-exponent-1", "no-width-term"} <= ids
        for c in stmt.negative_controls:
            assert c.bound(n, d, l, a) < true_b  # each variant claims strictly more
            assert c.why_false


def test_registry_and_paper_boundary():
    assert theory.statements.get("theorem-1/stated-alpha").kind == "upper"
    assert theory.statements.get("theorem-1/proved-alpha").group == "Theorem 1"
    assert theory.statements.get("assumption-a1/phase-diagram").kind == "claim"
    assert A1.paper_boundary(28) is None
    assert A1.paper_boundary(60) == pytest.approx(32**1.8)


def test_control_strengths_classified():
    for stmt in (T1.STATED, T1.PROVED):
        strength = {c.id: c.strength for c in stmt.negative_controls}
        assert strength == {
            "floor-over-100": "planted",
            "width-exponent-1": "planted",
            "no-width-term": "gross",
        }


def test_checks_attached_with_cheap_examples():
    for stmt in (T1.STATED, T1.PROVED, T1.TIGHTNESS):
        assert stmt.check is not None and stmt.example is not None
    with pytest.raises(ValueError, match="pfail"):
        T1.STATED.check(None, {**T1.STATED.example, "pfail": 0.7})
