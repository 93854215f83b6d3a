"""Unit tests of theory.stats: the confidence bounds cover, the helpers are exact."""

from __future__ import annotations

import numpy as np
import pytest

from theory import stats


@pytest.mark.parametrize("p", [0.02, 0.3, 0.5])
def test_upper_bound_covers_at_its_level(p):
    # 4000 repetitions at delta = 0.05: the miss count is Binomial(4000, <= 0.05); allow its
    # 1e-6 upper quantile (Clopper-Pearson logic inverted) rather than a tuned number.
    rng = np.random.default_rng(int(p * 1000))
    delta, reps, n = 0.05, 4000, 50
    x = rng.random((reps, n)) < p
    misses = sum(stats.mean_upper_bound(row, lo=0, hi=1, delta=delta).upper < p for row in x)
    from scipy.stats import binom

    assert misses <= binom.ppf(1 - 1e-6, reps, delta)


def test_bounds_are_one_sided_and_ordered():
    x = np.linspace(0, 1, 101)
    up = stats.mean_upper_bound(x, lo=0, hi=1, delta=1e-3)
    dn = stats.mean_lower_bound(x, lo=0, hi=1, delta=1e-3)
    two = stats.mean_interval(x, lo=0, hi=1, delta=1e-3)
    assert dn.lower < 0.5 < up.upper and up.lower == 0 and dn.upper == 1
    assert two.lower <= dn.lower and two.upper >= up.upper
    assert up.method in ("hoeffding", "empirical-bernstein", "betting")


def test_bernstein_or_the_bet_wins_for_small_variance():
    x = np.full(10_000, 0.01)
    x[::2] = 0.011
    # mean 0.0105 in [0, 1], spread 5e-4: both Bernstein and the bet beat Hoeffding by far
    iv = stats.mean_bounds(x, lo=0, hi=1)
    h = stats.hoeffding_radius(x.size, 2e-6 / 3, 1.0)
    assert iv.method in ("betting", "empirical-bernstein") and iv.radius < 0.15 * h
    assert iv.estimate - iv.lower < 0.02 * h  # the bet: its stake grows to 0.5 / m
    y = np.random.default_rng(0).beta(2, 200, 2000)  # mean 0.0099: the bet wins the lower end
    assert stats.mean_bounds(y, lo=0, hi=1).method.startswith(("betting", "lower betting"))


@pytest.mark.parametrize(
    ("x", "kw", "match"),
    [
        ([0.5], {}, "at least 2"),
        ([0.1, np.nan], {}, "finite"),
        ([0.1, 2.0], {}, "declared range"),
        ([0.1, 0.2], {"delta": 0.0}, "delta"),
    ],
)
def test_bad_input(x, kw, match):
    with pytest.raises(ValueError, match=match):
        stats.mean_upper_bound(x, lo=0, hi=1, **kw)


def test_binomial_interval_and_holm():
    ci = stats.binomial_interval(0, 10, delta=0.05)
    assert ci.lower == 0 and 0.25 < ci.upper < 0.35
    assert stats.holm([0.001, 0.04, 0.5], 0.05) == [True, False, False]
    assert stats.holm([0.01, 0.02], 0.05) == [True, True]


def test_derive_seed_is_stable_and_salted(monkeypatch):
    a = stats.derive_seed("x", 1, 2.5)
    assert a == stats.derive_seed("x", 1, 2.5) and 0 <= a < 2**63
    assert a != stats.derive_seed("x", 1, 2.6)
    assert stats.derive_seed("x", 1, 2.5, salt="calib-1") != a
    # the environment plays no part: only an explicit salt changes a seed
    monkeypatch.setenv("THEORY_SEED_SALT", "calib-1")
    assert stats.derive_seed("x", 1, 2.5) == a


def test_mean_bounds_each_side_at_delta():
    x = np.random.default_rng(1).uniform(0, 1, 4000)
    b = stats.mean_bounds(x, lo=0, hi=1, delta=1e-3)
    up = stats.mean_upper_bound(x, lo=0, hi=1, delta=1e-3)
    dn = stats.mean_lower_bound(x, lo=0, hi=1, delta=1e-3)
    assert b.upper == up.upper and b.lower == dn.lower and b.delta == 1e-3
    assert b.radius == pytest.approx(max(b.upper - b.estimate, b.estimate - b.lower))


def test_binomial_bounds_and_sign_test_and_t_interval():
    iv = stats.binomial_bounds(0, 300, delta=2e-6)
    assert iv.lower == 0 and 0.04 < iv.upper < 0.05  # ~ log(1/delta)/m
    d = np.arange(1, 21, dtype=float)  # 20 positive paired differences
    assert stats.sign_test_lower(d, 2e-6) == 1.0  # 2^-20 < 2e-6: the minimum is the bound
    assert stats.sign_test_lower(d[:10], 2e-6) == -np.inf  # 2^-10 > 2e-6: nothing to say
    m, lo, hi = stats.t_interval([1.0, 2.0, 3.0], confidence=0.95)
    assert m == 2.0 and lo < 2 < hi and hi - 2 == pytest.approx(2 - lo)
    with pytest.raises(ValueError, match="confidence"):
        stats.t_interval([1.0, 2.0], confidence=1.5)
    with pytest.raises(ValueError, match="delta"):
        stats.sign_test_lower(d, 0.0)


def test_fit_log_slope_recovers_a_power_law():
    x = np.array([16, 32, 64, 128, 256])
    rng = np.random.default_rng(0)
    Y = x**-0.5 * np.exp(0.05 * rng.standard_normal((40, x.size)))
    fit = stats.fit_log_slope(x, Y, seed=0)
    assert fit.lower < -0.5 < fit.upper and abs(fit.slope + 0.5) < 0.05
