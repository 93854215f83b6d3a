"""Unit tests of theory.checks.a1 and the A1 / Sec. 3.3 records (power, cells, bounds, errors)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from theory.checks import a1 as C
from theory.engine import RunContext
from theory.statements import assumption_a1 as S
from theory.stats import binomial_bounds


def test_runs_to_pass_is_the_smallest_m():
    m = C.runs_to_pass(0.05, 2e-6)
    assert m == 256
    assert (
        binomial_bounds(0, m, delta=2e-6).upper
        <= 0.05
        < binomial_bounds(0, m - 1, delta=2e-6).upper
    )


def test_binomial_power_matches_the_rule():
    pw = C.binomial_power(300, 0.05)
    k = pw["k_fail"]
    assert binomial_bounds(k, 300).lower > 0.05 >= binomial_bounds(k - 1, 300).lower
    assert (
        binomial_bounds(pw["k_pass"], 300).upper
        <= 0.05
        < binomial_bounds(pw["k_pass"] + 1, 300).upper
    )
    from scipy.stats import binom

    assert binom.sf(k - 1, 300, pw["p_detect"]) == pytest.approx(1 - 2e-6, abs=1e-6)
    assert 0.05 < pw["p_detect"] < 0.3 and pw["factor"] == pytest.approx(pw["p_detect"] / 0.05)


@pytest.mark.parametrize("bad", [dict(m=0, eps=0.05), dict(m=10, eps=1.5), dict(m=3, eps=0.05)])
def test_binomial_power_rejects_bad_input(bad):
    with pytest.raises(ValueError):
        C.binomial_power(**bad)


def test_runs_to_pass_rejects_bad_input():
    with pytest.raises(ValueError, match="eps"):
        C.runs_to_pass(0.0)
    with pytest.raises(ValueError, match="delta"):
        C.runs_to_pass(0.05, 1.0)


def test_cells_include_each_readings_boundary():
    cells = C.a1_cells(8)
    assert cells["region"] == [64, 128]  # C n^2 for stated (1) and proved (2)
    assert cells["below"] == [16, 32] and cells["gross"] == [8, 16]
    with pytest.raises(ValueError, match="n"):
        C.a1_cells(1)


def test_pfail_bound_only_in_the_region():
    assert S.pfail_bound(8, 64, "stated") == S.EPS
    with pytest.raises(ValueError, match="C n"):
        S.pfail_bound(8, 64, "proved")
    with pytest.raises(ValueError, match="reading"):
        S.pfail_bound(8, 64, "other")


def test_margins_are_in_the_run_cache_keyed_with_the_backend():
    ctx = RunContext.create("ci")
    a = C.a1_margins(ctx, 3, 9, 3, 4)
    assert C.a1_margins(ctx, 3, 9, 3, 4) is a
    keys = [k for k in ctx.cache._mem if k[0] == "a1_margins" and k[1:5] == (3, 9, 3, 4)]
    assert keys and keys[0][5] is ctx.backend
    assert set(a) == {"stated", "proved"} and a["stated"].shape == (4,)
    # proved margin is the square of the stated one (same runs)
    np.testing.assert_allclose(a["proved"], a["stated"] ** 2, rtol=1e-12)


def test_boundary_and_fit():
    held = {
        (4, 8): np.array([False, True]),
        (4, 16): np.array([True, True]),
        (4, 32): np.array([True]),
    }
    held |= {(8, 32): np.array([True]), (8, 64): np.array([True])}
    bd = C.boundary(held, [4, 8])
    assert bd == {4: 16, 8: 32}
    beta, c = C.fit_boundary(bd)
    assert beta == pytest.approx(1.0) and c == pytest.approx(4.0)
    assert C.fit_boundary({4: None, 8: 32}) is None


def test_d_grid():
    g = C.d_grid(5, 64)
    assert g[0] == 5 and 10 in g and max(g) <= 64 and g == sorted(g)


def test_sigma_min_bound_and_errors():
    assert S.sigma_min_bound("mean-min", d=16, n=4) == 2.0
    assert S.sigma_min_bound("mean-max", d=16, n=4) == 6.0
    assert S.sigma_min_bound("lower-tail", d=16, n=4, t=2.0) == pytest.approx(math.exp(-2))
    for bad in (dict(kind="x", d=16, n=4), dict(kind="mean-min", d=2, n=4)):
        with pytest.raises(ValueError):
            S.sigma_min_bound(**bad)
    with pytest.raises(ValueError, match="t must"):
        S.sigma_min_bound("lower-tail", d=16, n=4, t=-1.0)


def test_clip_bias_and_clipped_bounds():
    assert C.clip_bias(5.0) == pytest.approx(7.17e-7, rel=1e-2)
    x = np.r_[np.zeros(50), np.ones(50), [10.0]]
    iv = C.clipped_mean_bounds(x, 0.0, 1.0, bias=0.01)
    assert iv.estimate == pytest.approx(51 / 101) and iv.lower < iv.estimate < iv.upper
    with pytest.raises(ValueError, match="bias"):
        C.clipped_mean_bounds(x, 0.0, 1.0, bias=-1.0)


def test_extreme_singular_values_match_svd():
    ctx = RunContext.create("ci")
    smin, smax = C.gaussian_extreme_singular_values(ctx.backend, 7, 3, 5, seed=11)
    from theory import inputs

    for i in range(5):
        s = np.linalg.svd(inputs.h0("gaussian", 7, 3, seed=11 + 7919 * i), compute_uv=False)
        assert smin[i] == pytest.approx(s[-1]) and smax[i] == pytest.approx(s[0])
    with pytest.raises(ValueError, match="d must be >= n"):
        C.gaussian_extreme_singular_values(ctx.backend, 2, 3, 5, seed=1)
