"""Unit tests of the public helpers behind the proof-lemma checks (theory.checks.lemmas) and of
theory.inputs.with_spectrum."""

from __future__ import annotations

import math

import numpy as np
import pytest

import theory
from theory.checks.lemmas import planned_runs, unit_spectrum
from theory.stats import mean_bounds


def test_with_spectrum_gram_and_validation():
    s = np.array([3.0, 2.0, 0.5])
    H = theory.inputs.with_spectrum(7, s, seed=4)
    assert H.shape == (7, 3) and np.isclose(np.linalg.norm(H), 1.0)
    assert np.allclose(np.linalg.svd(H, compute_uv=False), s / np.linalg.norm(s))
    assert np.allclose(theory.inputs.with_spectrum(5, [1.0, 1.0])[:2], np.eye(2) / math.sqrt(2))
    for bad in ([1.0, 0.0], [1.0, np.inf], [[1.0]]):
        with pytest.raises(ValueError, match="s must"):
            theory.inputs.with_spectrum(4, bad)
    with pytest.raises(ValueError, match="d must be >= n"):
        theory.inputs.with_spectrum(1, [1.0, 2.0])


def test_unit_spectrum_is_cancellation_free():
    a, vhat = unit_spectrum([1.0, 1.0 + 1e-9, 1.0])
    assert np.isclose(a.sum(), 1.0) and a[0] >= a[-1]
    assert 0 < vhat < 1e-9  # 1/n - a_n would be round-off here
    assert unit_spectrum([2.0])[1] == 0.0
    with pytest.raises(ValueError, match="s must"):
        unit_spectrum([0.0, 0.0])


def test_planned_runs_reaches_its_radius():
    rng = np.random.default_rng(0)
    draw = lambda k: rng.uniform(0.0, 0.2, k)  # noqa: E731
    target = 0.004
    R = planned_runs(draw(300), lo=0.0, hi=1.0, target_radius=target, min_runs=10, max_runs=10**6)
    est = mean_bounds(draw(R), lo=0.0, hi=1.0)
    assert est.radius <= 1.05 * target
    assert (
        planned_runs(draw(300), lo=0.0, hi=1.0, target_radius=target, min_runs=10, max_runs=R // 2)
        == R // 2
    )
    assert (
        planned_runs(draw(300), lo=0.0, hi=1.0, target_radius=10.0, min_runs=50, max_runs=100) == 50
    )
    assert (
        planned_runs(draw(300), lo=0.0, hi=1.0, target_radius=0.0, min_runs=50, max_runs=100) == 100
    )


@pytest.mark.parametrize(
    "kw",
    [
        dict(lo=1.0, hi=0.0, target_radius=0.1, min_runs=2, max_runs=5),
        dict(lo=0.0, hi=1.0, target_radius=0.1, min_runs=1, max_runs=5),
        dict(lo=0.0, hi=1.0, target_radius=0.1, min_runs=6, max_runs=5),
        dict(lo=0.0, hi=1.0, target_radius=0.1, min_runs=2, max_runs=5, delta=0.0),
    ],
)
def test_planned_runs_rejects_bad_input(kw):
    with pytest.raises(ValueError):
        planned_runs([0.1, 0.2, 0.3], **kw)
