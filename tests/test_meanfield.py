"""Unit tests of the mean-field map (theory.sawa.meanfield_deviation / meanfield_trajectory) and
of the mean-field statements' helpers (theory.statements.meanfield)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from theory import sawa
from theory.statements import meanfield as MF


def test_uniform_is_fixed_and_sum_is_preserved():
    assert np.all(sawa.meanfield_deviation(np.zeros(6)) == 0.0)
    rng = np.random.default_rng(1)
    for n in (2, 3, 7, 32):
        a = rng.uniform(0.1, 1.0, n)
        a /= a.sum()
        dev = sawa.meanfield_deviation(a - 1.0 / n)
        assert abs(dev.sum()) < 1e-15
        p = sawa.sawa_p(np.sqrt(a))  # sorted decreasingly
        assert np.allclose(np.sort(dev)[::-1], p - 1.0 / n, atol=2e-15)
        assert abs(p.sum() - 1) < 1e-12


def test_linear_regime_contracts_by_n_over_n_plus_2():
    for n in (2, 5, 16):
        e = 1e-30 * np.linspace(1.0, -1.0, n)
        dev = sawa.meanfield_deviation(e)
        assert np.allclose(dev, n / (n + 2) * e, rtol=1e-13, atol=1e-13 * np.abs(e).max())


def test_scaled_deviation_is_exact():
    e = 1e-3 * np.array([3.0, -1.0, -1.0, -1.0])
    k = 40
    a = sawa.meanfield_deviation(e)
    b = sawa.meanfield_deviation(np.ldexp(e, k), log2_scale=k)
    assert np.allclose(np.ldexp(b, -k), a, rtol=1e-14, atol=0)


def test_deviation_agrees_with_50_digit_arithmetic_near_orthogonality():
    """Where float64 quadrature of p_i loses everything to cancellation (1/n - p_i ~ 1e-20),
    the deviation form agrees with a 50-digit evaluation of the same integral to ~1e-14."""
    mp = pytest.importorskip("mpmath")  # a dependency of sympy (installed with torch)
    mp.mp.dps = 50
    n = 5
    e = 1e-20 * np.array([4.0, -1.0, -1.0, -1.0, -1.0])
    a = [mp.mpf(1) / n + mp.mpf(x) for x in e]

    def p_minus(i):
        def f(x):
            t = mp.exp(x)
            P = mp.exp(-sum(mp.log1p(2 * t * aj) for aj in a) / 2)
            return t * P * a[i] / (1 + 2 * t * a[i])

        k = float(-mp.log(2 * a[0]))
        return mp.quad(f, [k - 80, k, k + 80]) - mp.mpf(1) / n

    ref = [float(p_minus(i)) for i in (0, 1)]
    got = sawa.meanfield_deviation(e)
    assert got[0] == pytest.approx(ref[0], rel=1e-13)
    assert got[1] == pytest.approx(ref[1], rel=1e-13)
    # the naive float64 route returns round-off, not the deviation
    naive = sawa.sawa_p(np.sqrt(1.0 / n + e))[0] - 1.0 / n
    assert abs(naive - ref[0]) > 100 * abs(ref[0])  # float64 p_i - 1/n: pure round-off


def test_doubled_rule_agrees():
    rng = np.random.default_rng(3)
    for n in (3, 12, 32):
        a = np.exp(-rng.uniform(0, 20, n))
        a /= a.sum()
        e = a - 1.0 / n
        e -= e.mean()
        x = sawa.meanfield_deviation(e)
        y = sawa.meanfield_deviation(e, order=40, panel=0.5)
        assert np.max(np.abs(x - y)) <= 1e-14 * np.max(np.abs(x))


def test_trajectory_and_scan_agree():
    a0 = MF.spike_spectrum(6, 0.02)
    T = sawa.meanfield_trajectory(a0, 30)
    r = MF.scan(a0, "proved", 29)
    V = np.sqrt((T**2).sum(axis=1))
    l = r["worst_l"]
    assert math.exp(r["logV"]) == pytest.approx(V[l + 1], rel=1e-12)
    assert np.all(np.diff(V[1:]) < 0)  # V decreases along the mean-field chain


@pytest.mark.parametrize(
    "bad, match",
    [([], "e must"), ([0.1, np.nan], "e must"), ([0.5, 0.5], "sum to 0"), ([[0.0]], "e must")],
)
def test_bad_deviation(bad, match):
    with pytest.raises(ValueError, match=match):
        sawa.meanfield_deviation(bad)


def test_bad_inputs():
    with pytest.raises(ValueError, match="positive spectrum"):
        sawa.meanfield_deviation([0.9, -0.9])
    with pytest.raises(ValueError, match="log2_scale"):
        sawa.meanfield_deviation([0.0, 0.0], log2_scale=1.5)
    with pytest.raises(ValueError, match="a0"):
        sawa.meanfield_trajectory([1.0, -1.0], 3)
    with pytest.raises(ValueError, match="layers"):
        sawa.meanfield_trajectory([1.0, 2.0], -1)
    with pytest.raises(ValueError, match="reading"):
        MF.scan([1.0, 2.0], "other", 3)
    with pytest.raises(ValueError, match="eps"):
        MF.spike_spectrum(4, 0.3)
    with pytest.raises(ValueError, match="alpha"):
        MF.meanfield_bound(2, 3, 0.0)


def test_finding_regime_is_n_at_least_5():
    """1 - 2alpha/3 < n/(n+2) is reachable with alpha <= 1/sqrt(n) iff n >= 5."""
    for n in range(2, 40):
        reachable = 1 - 2 / (3 * math.sqrt(n)) < n / (n + 2)
        assert reachable == (n >= 5), n


def _mp_two_level_step(mp, e_top, n, k):
    """One step of the map for a two-level spectrum (k eigenvalues 1/n + e_top, n - k equal to
    1/n - k e_top/(n - k)), in mpmath: returns the new e_top (the map keeps the structure)."""
    e_bot = -k * e_top / (n - k)
    a0, a1 = mp.mpf(1) / n + e_top, mp.mpf(1) / n + e_bot

    def f(x):
        t = mp.exp(x)
        u0, u1 = 1 + 2 * t * a0, 1 + 2 * t * a1
        return (
            t
            * (n - k)
            * (e_top - e_bot)
            / (u0 ** (mp.mpf(k) / 2 + 1) * u1 ** (mp.mpf(n - k) / 2 + 1))
        )

    lo, hi = sorted([-mp.log(2 * a0), -mp.log(2 * a1)])
    pts = [lo - 70 + (hi + 50 - lo + 70) * i / 16 for i in range(17)]
    return mp.quad(f, pts, method="gauss-legendre") / n


def test_counterexample_is_real():
    """The recorded counterexample (smallest n, first failing layer): every sampled step of the
    float64 trajectory agrees with a 30-digit evaluation to 1e-12 relative, and the violation
    at the first failing layer exceeds 1 by far more than the accumulated error bound
    (layers x 1e-13, see MF.TOL)."""
    mp = pytest.importorskip("mpmath")
    from theory.statements import meanfield as T

    mp.mp.dps = 30
    F = T.FINDING
    n, first, k = F["n"], F["first"], F["k"]
    a0 = T.spectrum(n)
    traj = sawa.meanfield_trajectory(a0, first + 1)
    for L in (0, first // 2, first):
        e_top = mp.mpf(float(traj[L][0]))
        ref = float(_mp_two_level_step(mp, e_top, n, k))
        assert traj[L + 1][0] == pytest.approx(ref, rel=1e-12), L
    amin = 1.0 / n + traj[1 : first + 1].min(axis=1)
    alpha = float(np.sqrt(amin).min())
    V = float(np.sqrt(np.sum(traj[first + 1] ** 2)))
    ratio = V / MF.meanfield_bound(n, first, alpha)
    assert ratio - 1 > 1e3 * first * 1e-13
    # and the layer before does not fail
    alpha_prev = float(np.sqrt(amin[:-1]).min())
    Vp = float(np.sqrt(np.sum(traj[first] ** 2)))
    assert Vp / MF.meanfield_bound(n, first - 1, alpha_prev) <= 1 + MF.TOL


@pytest.mark.parametrize("reading", ["stated", "proved"])
def test_uniform_spectrum_scan_and_checks(reading):
    """An orthogonal H_0 (uniform a0) is a fixed point: ratio 0 at layer 1, and both checks
    judge it (a thorough search drew a0 = [0.5, 0.5] and the scan had no worst layer)."""
    from theory.checks import meanfield as C
    from theory.engine import RunContext

    res = MF.scan([0.5, 0.5], reading, 400)
    assert res["worst"] == 0.0 and res["worst_l"] == 1 and res["first"] is None
    assert res["alpha"] > 0
    ctx = RunContext.create("ci")
    case = {"n": 2, "a0": [0.5, 0.5], "layers": 400, "family": "random"}
    check = C.stated_check if reading == "stated" else C.proved_check
    rows = check(ctx, case)
    assert rows and rows[0].measured == 0.0
