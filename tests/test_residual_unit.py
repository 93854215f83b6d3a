"""Unit tests of the residual-weight BN chain (theory.residual, NeurIPS 2020 Theorem 2) and its
checks' helpers (theory.checks.line_of_work_2020)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from theory import gap, residual
from theory.checks import line_of_work_2020 as CK
from theory.engine import RunContext
from theory.stats import Interval


def _bn(H: np.ndarray) -> np.ndarray:
    return H / np.linalg.norm(H, axis=1, keepdims=True)


def test_gamma_zero_keeps_h_up_to_bn():
    rng = np.random.default_rng(0)
    H = rng.standard_normal((5, 5))
    W = rng.standard_normal((5, 5))
    np.testing.assert_allclose(residual.residual_step(H, W, 0.0), _bn(H), rtol=1e-14)
    # and along the chain: the soft rank never moves from r(BN(H_0))
    r = residual.simulate(H, 7, gamma=0.0, runs=3, seed=1)
    np.testing.assert_allclose(r, float(gap.soft_rank(_bn(H))), rtol=1e-12)
    v = residual.simulate(H, 4, gamma=0.0, runs=2, seed=1, variant="vanilla")
    np.testing.assert_allclose(v, float(gap.soft_rank(H)), rtol=1e-12)


def test_step_is_bn_of_the_residual_product():
    rng = np.random.default_rng(2)
    H, W = rng.standard_normal((4, 4)), rng.standard_normal((4, 4))
    out = residual.residual_step(H, W, 0.3)
    np.testing.assert_allclose(out, _bn((np.eye(4) + 0.3 * W) @ H), rtol=1e-13)
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, rtol=1e-14)
    van = residual.residual_step(H, W, 0.3, variant="vanilla")
    M = (np.eye(4) + 0.3 * W) @ H
    np.testing.assert_allclose(van, M / np.linalg.norm(M), rtol=1e-13)


def test_soft_ranks_match_gap_soft_rank_and_lie_in_range():
    rng = np.random.default_rng(3)
    H = rng.standard_normal((6, 6, 6))
    np.testing.assert_allclose(residual.soft_ranks(H), gap.soft_rank(H), rtol=1e-12)
    r = residual.simulate(np.eye(6), 30, gamma=1.0, runs=20, seed=4)
    assert r.shape == (20, 30) and np.all((r >= 1) & (r <= 6))
    assert abs(r[:, 0].mean() - 6) < 6  # starts near full rank


def test_weight_scales_are_one_chain():
    """gamma W_unit = (gamma sqrt d) W_{1/d}: the same draws give the same chain."""
    H0 = np.eye(5)
    a = residual.simulate(H0, 6, gamma=0.1, runs=3, seed=7, weight_scale="unit")
    b = residual.simulate(H0, 6, gamma=0.1 * math.sqrt(5), runs=3, seed=7, weight_scale="1/d")
    np.testing.assert_allclose(a, b, rtol=1e-12)


def test_recorded_layers():
    assert residual.recorded_layers(5) == [1, 2, 3, 4, 5]
    assert residual.recorded_layers(100, burn_in=10, record_every=25) == [35, 60, 85, 110]
    out = residual.simulate(np.eye(3), 100, gamma=0.5, runs=2, seed=0, burn_in=10, record_every=25)
    assert out.shape == (2, 4)
    assert residual.depth_average(np.eye(3), 10, gamma=0.5, runs=4, seed=0).shape == (4,)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"gamma": -0.1}, "gamma"),
        ({"gamma": float("nan")}, "gamma"),
        ({"gamma": "x"}, "gamma"),
        ({"runs": 0}, "runs"),
        ({"seed": -1}, "seed"),
        ({"variant": "relu"}, "variant"),
        ({"weight_scale": "1/n"}, "weight_scale"),
        ({"burn_in": -1}, "burn_in"),
        ({"record_every": 0}, "record_every"),
        ({"record_every": 9}, "record_every"),
    ],
)
def test_simulate_bad_input_names_the_parameter(kwargs, name):
    base = {"gamma": 0.5, "runs": 2, "seed": 0}
    with pytest.raises(ValueError, match=name):
        residual.simulate(np.eye(3), 4, **{**base, **kwargs})


def test_bad_matrices_and_depth_name_the_parameter():
    with pytest.raises(ValueError, match="depth"):
        residual.simulate(np.eye(3), 0, gamma=0.5, runs=2, seed=0)
    with pytest.raises(ValueError, match="H0"):
        residual.simulate(np.ones(3), 4, gamma=0.5, runs=2, seed=0)
    with pytest.raises(ValueError, match="H"):
        residual.residual_step(np.zeros((3, 3)), np.eye(3), 0.5)
    with pytest.raises(ValueError, match="W"):
        residual.residual_step(np.eye(3), np.eye(4), 0.5)
    with pytest.raises(ValueError, match="gamma"):
        residual.residual_step(np.eye(3), np.eye(3), -1.0)
    with pytest.raises(ValueError, match="variant"):
        residual.residual_step(np.eye(3), np.eye(3), 0.5, variant="x")


def test_reading_params_and_bad_cases():
    p = CK.reading_params({"reading": "repo"})
    assert (p["weight_scale"], p["gamma"], p["burn_in"]) == ("unit", 0.01, 1000)
    assert CK.reading_params({"depth": 7})["depth"] == 7
    with pytest.raises(ValueError, match="reading"):
        CK.reading_params({"reading": "paper"})
    with pytest.raises(ValueError, match="gamma"):
        CK.reading_params({"gamma": 0})
    with pytest.raises(ValueError, match="d"):
        CK.average_soft_rank_check(RunContext.create(), {"d": 1})
    with pytest.raises(ValueError, match="grid"):
        CK.exponent_check(RunContext.create(), {"grid": [8, 4]})


def test_two_point_exponent():
    iv1 = Interval(2.0, 1.8, 2.2, 1e-6, "m", 100)
    iv2 = Interval(4.0, 3.6, 4.4, 1e-6, "m", 100)
    a = CK.two_point_exponent(iv1, iv2, 4, 16)
    assert a.estimate == pytest.approx(0.5)
    assert a.lower == pytest.approx(math.log(3.6 / 2.2) / math.log(4))
    assert a.upper == pytest.approx(math.log(4.4 / 1.8) / math.log(4))
    assert a.delta == pytest.approx(2e-6)
    with pytest.raises(ValueError, match="d2 > d1"):
        CK.two_point_exponent(iv1, iv2, 16, 4)


def test_numerical_rank_closed_forms_and_numpy_rule():
    import numpy as np
    import pytest

    from theory.gap import numerical_rank

    D = np.zeros((2, 5, 3))
    D[0, [0, 1, 2], [0, 1, 2]] = [1.0, 1e-3, 1e-20]  # third value below 5 eps: rank 2
    D[1, :, :] = np.outer(np.arange(1.0, 6.0), [1.0, -2.0, 0.5])  # rank one
    assert numerical_rank(D).tolist() == [2, 1]
    assert numerical_rank(D, rtol=1e-2).tolist() == [1, 1]
    A = np.random.default_rng(3).standard_normal((4, 7, 5))
    A[2, :, 4] = A[2, :, 0] - A[2, :, 1]
    assert numerical_rank(A).tolist() == np.linalg.matrix_rank(A).tolist() == [5, 5, 4, 5]
    for bad in (-0.1, 1.0, "x"):
        with pytest.raises(ValueError, match="rtol"):
            numerical_rank(A, rtol=bad)


def test_residual_simulate_with_rank_keeps_the_soft_ranks():
    import numpy as np

    from theory import residual

    kw = dict(gamma=1.0, runs=3, seed=5, record_every=2)
    r = residual.simulate(np.eye(4), 6, **kw)
    r2, k = residual.simulate(np.eye(4), 6, with_rank=True, **kw)
    assert np.array_equal(r, r2) and k.shape == (3, 2) and k.dtype.kind == "i"
    assert ((1 <= k) & (k <= 4)).all()
