"""Unit tests of theory.checks.a1 and the A1 / Sec. 3.3 records (power, cells, bounds, errors)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from theory.checks import a1 as C
from theory.engine import RunContext
from theory.statements import assumption_a1 as S
from theory.stats import binomial_bounds


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
    # a sequential batch has its own seeds (and cache entry): other runs, same law
    b = C.a1_margins(ctx, 3, 9, 3, 4, seed=17)
    assert b is C.a1_margins(ctx, 3, 9, 3, 4, seed=17) and b is not a
    assert not np.array_equal(a["stated"], b["stated"])


def test_first_pass_budget_places_the_first_look_where_a_pass_becomes_possible():
    ctx = RunContext.create("ci")
    b = C.first_pass_budget(ctx, 0.05)
    assert b.max_runs == ctx.profile.max_runs and b.max_seconds == ctx.profile.max_seconds
    fb, K = b.first_batch, b.looks
    assert binomial_bounds(0, fb, delta=2e-6 / K).upper <= 0.05
    earlier = ctx.budget(first_batch=fb - 1)
    assert binomial_bounds(0, fb - 1, delta=2e-6 / earlier.looks).upper > 0.05
    with pytest.raises(ValueError, match="eps"):
        C.first_pass_budget(ctx, 1.5)


def test_region_cell_samples_until_decided():
    """A cell is judged sequentially: every row says how it stopped, and a region cell with
    0 failures passes only once the union-over-looks Clopper-Pearson bound is <= eps."""
    ctx = RunContext.create("ci")
    rows = S.A1_PHASE.check(ctx, {"n": 4, "layers": 3, "max_runs": 400})
    main = [r for r in rows if r.control is None]
    assert main and all("sequential" in r.extra["sampling"] for r in rows)
    for r in main:
        assert r.verdict in ("pass", "inconclusive")
        if r.verdict == "pass":
            assert r.ci_high <= S.EPS and r.false_fail == 2e-6
            assert r.detectable == pytest.approx((S.EPS + 2 * (r.ci_high - r.measured)) / S.EPS)


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
