"""Unit tests of theory.checks.figures_stats (order-statistic intervals used by the figure checks)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from theory.checks.figures_stats import (
    chord_exponent,
    median_bounds,
    residual_band,
    transient_window,
)


def test_median_bounds_cover_the_median():
    rng = np.random.default_rng(0)
    misses = 0
    for _ in range(40):
        iv = median_bounds(rng.exponential(size=100), delta=0.05)
        misses += not (iv.lower <= math.log(2) <= iv.upper)
        assert iv.lower <= iv.estimate <= iv.upper and iv.finite_sample
    assert misses <= 10  # each side at 0.05: expected <= 4 of 40


def test_median_bounds_bad_input():
    with pytest.raises(ValueError, match="enough samples"):
        median_bounds(np.arange(10.0), delta=1e-6)
    with pytest.raises(ValueError, match="delta must be in"):
        median_bounds(np.arange(10.0), delta=0)
    with pytest.raises(ValueError, match="finite"):
        median_bounds([1.0, np.nan, 2.0], delta=0.1)


def test_chord_exponent_of_a_power_law():
    rng = np.random.default_rng(1)
    y1 = 16**-0.5 * np.exp(0.01 * rng.standard_normal(100))
    y2 = 512**-0.5 * np.exp(0.01 * rng.standard_normal(100))
    est, _, _ = chord_exponent(y1, y2, 16, 512, delta=1e-6)
    assert est.lower <= -0.5 <= est.upper and est.upper - est.lower < 0.03
    with pytest.raises(ValueError, match="d2 > d1"):
        chord_exponent(y1, y2, 512, 16, delta=1e-6)


def test_residual_band_of_an_exact_line_is_zero():
    layers = np.arange(10)
    logv = np.tile(-0.3 * layers, (60, 1)) + 1e-9 * np.random.default_rng(2).standard_normal(
        (60, 10)
    )
    band, _ = residual_band(logv, layers[2:8], -0.3, 0.0, 1e-6)
    assert band.upper < 1e-6 and band.lower == 0.0


def test_transient_window():
    med = np.log(np.array([0.8, 0.8, 0.5, 0.3, 0.15, 0.06, 0.05, 0.05]))
    assert transient_window(med, 0.05) == [2, 3, 4]
    with pytest.raises(ValueError, match="plateau > 0"):
        transient_window(med, 0.0)
