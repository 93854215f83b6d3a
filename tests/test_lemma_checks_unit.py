"""Unit tests of the public helpers behind the proof-lemma checks (theory.checks.lemmas) and of
theory.inputs.with_spectrum."""

from __future__ import annotations

import math

import numpy as np
import pytest

import theory
from theory.checks.lemmas import unit_spectrum


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


def test_sawa_columns_sample_until_decided():
    """Sawa's Monte Carlo identity stops at the first look where every column is decided and
    the edge is refuted; each column's interval holds at delta / n over all the looks."""
    from theory.engine import RunContext
    from theory.statements import proof_lemmas as P

    rows = P.SAWA.check(RunContext.create("ci"), {"s": [1.0, 0.5, 0.2], "d": 8})
    mc = [r for r in rows if "(Q^T C Q)" in r.check and r.control is None]
    assert len(mc) == 3 and all(r.verdict == "pass" for r in mc)
    assert "stopped: decided" in mc[0].extra["sampling"]
    assert mc[0].params["runs"] < 60000  # far below the profile's cap: decided early
    assert all(abs(r.false_fail - 2e-6 / 3) < 1e-18 for r in mc)
