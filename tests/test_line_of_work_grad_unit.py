"""Unit tests of theory.haar_grad (the first layer's gradient of the ICLR 2024 chain) and of the
pieces of theory.checks.line_of_work_grad: autograd against the explicit backward recursion and
against finite differences, closed forms at depth 1, bad input, the stated-range interval."""

from __future__ import annotations

import math

import numpy as np
import pytest

from theory import haar_grad as HG
from theory.checks import line_of_work_grad as C
from theory.engine import RunContext
from theory.statements import line_of_work_grad as S

torch = pytest.importorskip("torch")


def _net(d=4, depth=5, runs=3, seed=0, weights="haar", k=HG.CLASSES):
    H0, y = HG.notebook_inputs(d, d, seed, k)
    W, R = HG.draw_network(d, depth, runs=runs, seed=seed + 1, weights=weights, k=k)
    return H0, y, W, R


@pytest.mark.parametrize("weights", ["haar", "gaussian"])
@pytest.mark.parametrize("k", [3, 10])
def test_autograd_matches_the_backward_recursion(weights, k):
    H0, y, W, R = _net(d=5, depth=6, runs=4, weights=weights, k=k)
    a = HG.first_layer_log_grad(H0, y, [1, 3, 6], W, R)
    b = HG.first_layer_log_grad_numpy(H0, y, [1, 3, 6], W, R)
    assert sorted(a) == [1, 3, 6]
    for L in a:
        np.testing.assert_allclose(a[L], b[L], rtol=0, atol=1e-8)


def test_gradient_matches_finite_differences():
    H0, y, W, R = _net(d=3, depth=3, runs=1)

    def loss(W1):
        Wm = W.copy()
        Wm[0, 0] = W1
        H = H0
        for l in range(3):
            H = HG.bn_rms(Wm[0, l] @ H)
        z = R[0] @ H
        z = z - z.max(axis=0)
        logp = z - np.log(np.exp(z).sum(axis=0))
        return -np.mean(logp[y, np.arange(H0.shape[1])])

    G = np.zeros((3, 3))
    h = 1e-6
    for i in range(3):
        for j in range(3):
            E = np.zeros((3, 3))
            E[i, j] = h
            G[i, j] = (loss(W[0, 0] + E) - loss(W[0, 0] - E)) / (2 * h)
    got = HG.first_layer_log_grad(H0, y, [3], W, R)[3][0]
    assert abs(got - math.log(np.linalg.norm(G))) < 1e-6


def test_gradient_is_orthogonal_to_w1_rows_directions():
    """BN makes the loss invariant to scaling a row of M_1 = W_1 H_0, so the gradient G satisfies
    sum_j G_ij W1_ij = 0 for every row i (closed form: the projection in the recursion)."""
    H0, y, W, R = _net(d=4, depth=2, runs=2)
    W1 = torch.as_tensor(W[:, 0]).requires_grad_(True)
    H = W1 @ torch.as_tensor(H0)
    H = H / torch.sqrt((H * H).mean(-1, keepdim=True))
    H = torch.as_tensor(W[:, 1]) @ H
    H = H / torch.sqrt((H * H).mean(-1, keepdim=True))
    loss = torch.nn.functional.cross_entropy(
        torch.as_tensor(R) @ H, torch.as_tensor(y).expand(2, -1), reduction="none"
    ).mean(-1)
    (g,) = torch.autograd.grad(loss.sum(), W1)
    assert torch.max(torch.abs((g * W1).sum(-1))) < 1e-12


def test_weights_laws():
    rng = np.random.default_rng(0)
    R = HG.readout(6, 3, "haar", rng, 2)
    np.testing.assert_allclose(
        R @ np.swapaxes(R, -1, -2), np.broadcast_to(np.eye(3), (2, 3, 3)), atol=1e-12
    )
    R = HG.readout(3, 6, "haar", rng, 2)
    np.testing.assert_allclose(
        np.swapaxes(R, -1, -2) @ R, np.broadcast_to(np.eye(3), (2, 3, 3)), atol=1e-12
    )
    W, R = HG.draw_network(4, 3, runs=2, seed=0)
    np.testing.assert_allclose(
        np.swapaxes(W, -1, -2) @ W, np.broadcast_to(np.eye(4), W.shape), atol=1e-12
    )
    W, R = HG.draw_network(50, 2, runs=200, seed=0, weights="gaussian", k=10)
    assert abs(W.var() * 50 - 1) < 0.02 and abs(R.var() * 60 / 2 - 1) < 0.05


def test_notebook_inputs():
    H0, y = HG.notebook_inputs(5, 5, 3)
    np.testing.assert_allclose(np.mean(H0 * H0, axis=1), 1.0)
    assert y.shape == (5,) and y.min() >= 0 and y.max() < HG.CLASSES
    H1, y1 = HG.notebook_inputs(5, 5, 3)
    assert np.array_equal(H0, H1) and np.array_equal(y, y1)


@pytest.mark.parametrize(
    "kw, match",
    [
        ({"depths": []}, "depths"),
        ({"depths": [9]}, "depths"),
        ({"depths": [0]}, "depth"),
        ({"labels": np.array([0, 1, 2, 99])}, "labels"),
        ({"labels": np.array([0.0, 1.0, 2.0, 3.0])}, "labels"),
        ({"W": np.zeros((3, 5, 4, 3))}, "W must have shape"),
        ({"R": np.zeros((2, 10, 4))}, "R must have shape"),
        ({"H0": np.zeros((4, 4))}, "H0"),
    ],
)
def test_bad_input_names_the_parameter(kw, match):
    H0, y, W, R = _net(d=4, depth=5, runs=3)
    args = {"H0": H0, "labels": y, "depths": [1, 5], "W": W, "R": R, **kw}
    for f in (HG.first_layer_log_grad, HG.first_layer_log_grad_numpy):
        with pytest.raises(ValueError, match=match):
            f(**args)


def test_bad_input_of_the_samplers():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="weights"):
        HG.readout(3, 3, "uniform", rng, 1)
    with pytest.raises(ValueError, match="depth"):
        HG.draw_network(3, 0, runs=1, seed=0)
    with pytest.raises(ValueError, match="k"):
        HG.notebook_inputs(3, 3, 0, k=1)
    with pytest.raises(ValueError, match="L2 must be > L1"):
        C.slope_sample(4, 3, 3, "haar", 2, 0, 0)
    with pytest.raises(ValueError, match="L2 must be > L1"):
        S.max_rise_slope(4, 4)


def test_ranged_interval_counts_samples_beyond_each_side():
    x = np.full(50, 0.01)
    iv, count = C.ranged_interval(x, 10, 1e-3)
    assert count == {"below": 0, "above": 0}
    assert iv.lower <= 0.01 <= iv.upper and iv.upper <= S.D_RANGE / 10
    x[3] = S.D_RANGE  # D = D_RANGE * 10 > D_RANGE
    x[4] = -math.inf
    x[5] = math.nan
    iv, count = C.ranged_interval(x, 10, 1e-3)
    assert count == {"below": 2, "above": 2} and -S.D_RANGE / 10 <= iv.lower


def test_void_ends_voids_only_verdicts_resting_on_the_bad_side():
    ctx = RunContext.create("ci")

    def row(verdict, control=None):
        return ctx.row(
            statement_id=S.GRADIENT_BOUNDED.id,
            check="c",
            verdict=verdict,
            control=control,
            extra={"weights": "haar"},
        )

    above = {"haar": {"below": 0, "above": 1}}
    rows = C.void_ends([row("pass"), row("fail"), row("refuted", "x")], above, "upper")
    assert [r.verdict for r in rows] == ["inconclusive", "fail", "refuted"]
    rows = C.void_ends([row("pass"), row("fail"), row("refuted", "x")], above, "lower")
    assert [r.verdict for r in rows] == ["pass", "inconclusive", "not-refuted"]
    below = {"haar": {"below": 3, "above": 0}}
    rows = C.void_ends([row("pass"), row("refuted", "edge")], below, "upper")
    assert [r.verdict for r in rows] == ["pass", "not-refuted"]


def test_slope_sample_is_the_coupled_difference():
    x = C.slope_sample(4, 1, 3, "haar", 5, 7, 11)
    H0, y = HG.notebook_inputs(4, 4, 11)
    W, R = HG.draw_network(4, 3, runs=5, seed=7)
    out = HG.first_layer_log_grad_numpy(H0, y, [1, 3], W, R)
    np.testing.assert_allclose(x, (out[3] - out[1]) / 2, atol=1e-10)


def test_check_rows_are_labelled_torch_and_void_on_a_range_violation(monkeypatch):
    ctx = RunContext.create("ci")
    case = {"d": 4, "L1": 1, "L2": 2, "seed": 0, "max_runs": 200, "controls": []}
    rows = S.GRADIENT_BOUNDED.check(ctx, case)
    assert {(r.backend, r.dtype, r.device) for r in rows} == {("torch", "float64", "cpu")}
    monkeypatch.setattr(S, "D_RANGE", 1e-9)  # every sample outside: nothing may pass
    rows = S.GAUSSIAN_GROWTH.check(RunContext.create("ci"), {**case, "controls": ["haar-weights"]})
    assert all(r.verdict in ("inconclusive", "not-refuted") for r in rows), [
        r.verdict for r in rows
    ]
    assert all(min(r.extra["samples beyond the stated range (below, above)"]) > 0 for r in rows)


def test_without_torch_the_check_says_it_did_not_run(monkeypatch):
    monkeypatch.setattr(C, "torch_available", lambda: False)
    rows = S.GAUSSIAN_GROWTH.check(RunContext.create("ci"), {"d": 4, "L1": 1, "L2": 2})
    assert [(r.verdict, r.backend, r.statement_id) for r in rows] == [
        ("info", "numpy", S.GAUSSIAN_GROWTH.id)
    ]


def test_edge_option_adds_the_edge_row_to_the_haar_statement():
    case = {"d": 4, "L1": 1, "L2": 2, "seed": 0, "max_runs": 200, "edge": True}
    rows = S.GRADIENT_BOUNDED.check(RunContext.create("ci"), case)
    assert [r.control for r in rows] == [None, "edge"]
    assert rows[1].bound == pytest.approx(0.8 * rows[0].measured)
