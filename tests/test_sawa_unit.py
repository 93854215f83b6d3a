"""Unit tests of theory.sawa (Sawa's integral for E_W C, Lemma 6-8 quantities)."""

from __future__ import annotations

import numpy as np
import pytest

from theory import sawa


def test_n2_closed_form():
    # n = 2: p_2 = E[a_2 w_2^2 / (a_1 w_1^2 + a_2 w_2^2)] = s_2 / (s_1 + s_2)
    for s2 in (1.0, 0.5, 1e-3, 1e-9):
        p = sawa.sawa_p([1.0, s2])
        assert np.isclose(p[1], s2 / (1 + s2), rtol=1e-10)
        assert np.isclose(sawa.sawa_gap([1.0, s2]), 0.5 - s2 / (1 + s2), rtol=1e-10, atol=0)


def test_trivial_cases():
    assert sawa.sawa_p([3.0]).tolist() == [1.0]
    assert np.allclose(sawa.sawa_p(np.ones(5)), 0.2, rtol=1e-11)
    assert sawa.sawa_gap(np.ones(5)) == 0.0


@pytest.mark.parametrize("n", [3, 7, 16])
def test_sum_rule_order_and_monte_carlo(n):
    rng = np.random.default_rng(n)
    s = np.exp(-rng.uniform(0, 6, n))
    p = sawa.sawa_p(s)
    assert abs(p.sum() - 1) < 1e-10
    assert np.all(np.diff(p) <= 0)
    a = np.sort(s**2)[::-1] / np.sum(s**2)
    w = rng.standard_normal((20000, n)) ** 2 * a
    mc = (w / w.sum(axis=1, keepdims=True)).mean(axis=0)
    assert np.allclose(p, mc, atol=0.02)  # ~ 5 standard errors at 20000 draws
    assert np.isclose(sawa.sawa_gap(s), 1 / n - p[-1], atol=1e-12)


def test_uniform_jacobian():
    # near uniform, 1/n - p_n ~ (n/(n+2)) (1/n - a_n)  (first order)
    n, eps = 5, 1e-6
    s = 1 + eps * np.linspace(1, -1, n)
    a = s**2 / np.sum(s**2)
    assert np.isclose(sawa.sawa_gap(s) / (1 / n - a.min()), n / (n + 2), rtol=1e-4)


def test_lemma8_terms_and_expected_gram():
    s = np.array([1.0, 0.6, 0.2])
    assert sawa.sawa_gap(s) <= sawa.lemma8_sharp(s) <= sawa.lemma8_two_thirds(s)
    H = np.diag(s)
    EC = sawa.expected_gram(np.vstack([H, np.zeros((2, 3))]))
    assert np.allclose(np.diag(EC), sawa.sawa_p(s))
    assert np.isclose(np.trace(EC), 1.0)


@pytest.mark.parametrize("s", [[], [1.0, 0.0], [1.0, -1.0], [1.0, np.inf], [[1.0]]])
def test_bad_spectra(s):
    with pytest.raises(ValueError, match="s must"):
        sawa.sawa_p(s)
