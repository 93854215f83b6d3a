"""Unit tests of theory.chain: the BN step, the samplers, simulate() and its input checks."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import theory
from theory.inputs import collinear_pair, gaussian, orthogonal_pair, spiked_diagonal


def test_step_is_eq1():
    rng = np.random.default_rng(0)
    H = rng.standard_normal((6, 3))
    W = rng.standard_normal((6, 6)) / np.sqrt(6)
    M = W @ H
    expected = np.diag(1 / np.sqrt(np.diag(M @ M.T))) @ M / np.sqrt(6)
    assert np.allclose(theory.step(H, W), expected, rtol=1e-13)
    assert np.linalg.norm(theory.step(H, W)) == pytest.approx(1.0)  # unit Frobenius norm


def test_centered_bn_rows_sum_to_zero():
    M = np.random.default_rng(1).standard_normal((5, 4))
    B = theory.bn(M, center=True)
    assert np.allclose(B.sum(axis=1), 0, atol=1e-14)
    assert np.allclose(np.linalg.norm(B, axis=1), 1)


@pytest.mark.parametrize("sampler", theory.SAMPLERS)
@pytest.mark.parametrize("variant", theory.VARIANTS)
@pytest.mark.parametrize("activation", theory.ACTIVATIONS)
def test_simulate_shapes_and_ranges(sampler, variant, activation):
    r = theory.simulate(
        gaussian(8, 3, 0),
        4,
        runs=5,
        seed=3,
        sampler=sampler,
        variant=variant,
        activation=activation,
        record=("spectrum", "gram", "cosine"),
    )
    assert r.V.shape == r.sigma_min.shape == r.cosine.shape == (5, 5)
    assert r.spectrum.shape == (5, 5, 3) and r.gram.shape == (5, 5, 3, 3)
    assert np.all((r.V >= 0) & (r.V <= theory.max_gap(3) + 1e-12))
    assert np.allclose(np.sum(r.spectrum**2, axis=-1), 1.0)
    assert np.allclose(r.sigma_min, r.spectrum[..., -1])
    assert np.allclose(r.V[:, 0], theory.orthogonality_gap(gaussian(8, 3, 0)))
    assert r.lyapunov.shape == (5, 5) and np.all(r.lyapunov >= -1e-15)


def test_same_seed_same_numbers_different_seed_different():
    H0 = gaussian(16, 4, 0)
    a = theory.simulate(H0, 6, runs=7, seed=11)
    b = theory.simulate(H0, 6, runs=7, seed=11)
    c = theory.simulate(H0, 6, runs=7, seed=12)
    assert np.array_equal(a.V, b.V) and np.array_equal(a.sigma_min, b.sigma_min)
    assert not np.array_equal(a.V, c.V)


def test_same_seed_same_numbers_in_a_fresh_process():
    """Seeds do not depend on process state (xdist worker count, test order)."""
    code = (
        "import numpy as np, theory; from theory.inputs import gaussian; "
        "print(repr(float(theory.simulate(gaussian(16, 4, 0), 6, runs=7, seed=11).V.sum())))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    here = theory.simulate(gaussian(16, 4, 0), 6, runs=7, seed=11).V.sum()
    assert float(out.stdout) == here


def test_chunking_keeps_results_finite_and_shaped():
    r = theory.simulate(gaussian(64, 4, 0), 3, runs=10, seed=0, max_elements=64 * 4 * 3)
    assert r.V.shape == (10, 4) and np.all(np.isfinite(r.V))


def test_per_run_initial_stack():
    H0 = np.stack([spiked_diagonal(8, 2), orthogonal_pair(8)])
    r = theory.simulate(H0, 2, runs=2, seed=0)
    assert r.V[0, 0] == pytest.approx(theory.orthogonality_gap(H0[0]))
    assert r.V[1, 0] == pytest.approx(0.0)


def test_bn_orthogonalises_and_vanilla_aligns_qualitatively():
    bn = theory.simulate(collinear_pair(32), 40, runs=20, seed=0, record=("cosine",))
    van = theory.simulate(
        orthogonal_pair(32), 40, runs=20, seed=0, variant="vanilla", record=("cosine",)
    )
    assert bn.cosine[:, -1].mean() < 0.5 < bn.cosine[:, 0].mean()
    assert van.cosine[:, -1].mean() > 0.3 > van.cosine[:, 0].mean()


def test_rank_deficient_and_ill_conditioned_inputs_are_handled():
    H0 = np.zeros((8, 3))
    H0[0, :] = 1.0  # rank one
    r = theory.simulate(H0, 3, runs=4, seed=0)
    assert np.all(np.isfinite(r.V)) and np.allclose(r.V, theory.max_gap(3))
    r = theory.simulate(np.diag([1.0, 1e-12, 1e-13]), 5, runs=4, seed=0)
    assert np.all(np.isfinite(r.V)) and r.sigma_min[:, 0].max() < 1e-12


def test_relu_all_negative_input_raises_instead_of_nan():
    with pytest.raises(ValueError, match="became undefined at layer 1"):
        theory.simulate(-np.abs(gaussian(6, 2, 0)), 2, runs=2, seed=0, activation="relu")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"H0": np.ones((2, 3))}, "d >= n"),
        ({"H0": np.zeros((4, 2))}, "nonzero"),
        ({"H0": np.full((4, 2), np.nan)}, "finite"),
        ({"H0": np.ones(4)}, "at least 2 dimensions"),
        ({"H0": np.ones((2, 2, 4, 2))}, "shape \\(d, n\\) or \\(runs, d, n\\)"),
        ({"H0": np.ones((3, 4, 2))}, "runs=2 leading"),
        ({"depth": -1}, "depth must be >= 0"),
        ({"depth": 1.5}, "depth must be an integer"),
        ({"runs": 0}, "runs must be >= 1"),
        ({"seed": None}, "seed must be a non-negative integer"),
        ({"seed": -3}, "seed must be a non-negative integer"),
        ({"backend": "jax"}, "backend must be one of"),
        ({"sampler": "exact"}, "sampler must be one of"),
        ({"variant": "layernorm"}, "variant must be one of"),
        ({"activation": "gelu"}, "activation must be one of"),
        ({"record": ("V", "rank")}, "record entries must be one of"),
        ({"dtype": "float16"}, "dtype must be"),
        ({"device": "cuda"}, "device must be 'cpu' for the numpy backend"),
        ({"sampler": "naive", "max_elements": 10}, "elements per run"),
    ],
)
def test_simulate_bad_input(kwargs, match):
    args = {"H0": np.eye(4, 2), "depth": 2, "runs": 2, "seed": 0} | kwargs
    H0 = args.pop("H0")
    depth = args.pop("depth")
    with pytest.raises(ValueError, match=match):
        theory.simulate(H0, depth, **args)


def test_variant_specific_input_rules():
    with pytest.raises(ValueError, match="needs n >= 2"):
        theory.simulate(np.ones((4, 1)), 1, runs=1, seed=0, variant="bn-centered")
    with pytest.raises(ValueError, match="needs n >= 2"):
        theory.simulate(np.ones((4, 1)), 1, runs=1, seed=0, record=("cosine",))
    with pytest.raises(ValueError, match="W must have shape"):
        theory.step(np.ones((4, 2)), np.ones((3, 3)))


# ------------------------------------------------------------------ the activation's scale


def test_default_chain_unchanged_bit_for_bit():
    """The default (activation_scale='frobenius') is the earlier chain: explicit and implicit
    defaults agree bit for bit, and the numbers match the pre-change chain (whose full output
    hashed identically on the machine where the option was added)."""
    H0 = np.random.default_rng(0).standard_normal((16, 4))
    kw = {"runs": 6, "seed": 5, "record": ("spectrum", "gram", "cosine")}
    for extra in ({}, {"activation": "tanh"}, {"variant": "vanilla"}, {"sampler": "naive"}):
        a = theory.simulate(H0, 12, **kw, **extra)
        b = theory.simulate(H0, 12, **kw, **extra, activation_scale="frobenius")
        for k in ("V", "sigma_min", "spectrum", "gram", "cosine"):
            assert np.array_equal(getattr(a, k), getattr(b, k)), (extra, k)
    r = theory.simulate(H0, 12, **kw)
    assert float(r.V.sum()) == pytest.approx(21.69250363643699, rel=1e-12, abs=0)
    assert float(r.sigma_min.sum()) == pytest.approx(22.467274200318037, rel=1e-12, abs=0)


def test_activation_input_rows_is_the_bn_output():
    """For H = BN(M)/sqrt(d) (any layer >= 1 of Eq. 1), activation_input(H, 'rows') = BN(M):
    every row has unit norm; 'frobenius' returns H itself."""
    from theory.chain import activation_input

    rng = np.random.default_rng(2)
    M = rng.standard_normal((32, 4))
    H = theory.bn(M) / np.sqrt(32)
    assert np.allclose(activation_input(H, "rows"), theory.bn(M), rtol=1e-13, atol=0)
    assert np.allclose(np.linalg.norm(activation_input(H, "rows"), axis=1), 1.0)
    assert activation_input(H, "frobenius") is H
    G = rng.standard_normal((3, 8, 2)) * 1e200  # stacks, and no overflow in the norm
    X = activation_input(G, "rows")
    assert np.allclose(np.sum(X**2, axis=(-2, -1)), 8.0)


def test_scale_matters_only_for_tanh_and_sin():
    """Linear and ReLU are positively homogeneous and BN is scale invariant: 'rows' gives the
    same chain (bit for bit for linear, to round-off for ReLU); tanh's chain changes."""
    H0 = gaussian(16, 4, 0)
    kw = {"runs": 5, "seed": 9}
    for act, exact in (("linear", True), ("relu", False)):
        a = theory.simulate(H0, 8, activation=act, **kw)
        b = theory.simulate(H0, 8, activation=act, activation_scale="rows", **kw)
        if exact:
            assert np.array_equal(a.V, b.V)
        else:
            assert np.allclose(a.V, b.V, rtol=1e-9, atol=1e-12)
    a = theory.simulate(H0, 8, activation="tanh", **kw)
    b = theory.simulate(H0, 8, activation="tanh", activation_scale="rows", **kw)
    assert not np.allclose(a.V[:, 1:], b.V[:, 1:], rtol=1e-3)


@pytest.mark.parametrize(("act", "floor"), [("tanh", 0.10), ("sin", 0.06)])
def test_activation_is_nonlinear_where_applied(act, floor):
    """At the authors' scale ||phi(X) - X|| / ||X|| is ~15% (tanh) / 9% (sin) at every width;
    at the unit-Frobenius scale it is < 1% (nearly the linear chain)."""
    from theory.chain import activation_fn, activation_input

    for d in (32, 512):
        rng = np.random.default_rng(d)
        H = gaussian(d, 4, 1)
        rel = {"rows": [], "frobenius": []}
        for _ in range(6):
            W = rng.standard_normal((d, d)) / np.sqrt(d)
            H = theory.step(H, W, activation=act, activation_scale="rows")
            for sc in rel:
                X = activation_input(H, sc)
                rel[sc].append(np.linalg.norm(activation_fn(act, np)(X) - X) / np.linalg.norm(X))
        assert min(rel["rows"]) > floor, (d, rel["rows"])
        assert max(rel["frobenius"]) < 0.01, (d, rel["frobenius"])


def test_activation_scale_bad_input():
    from theory.chain import activation_input

    with pytest.raises(ValueError, match="activation_scale must be one of"):
        theory.simulate(np.eye(4, 2), 2, runs=2, seed=0, activation_scale="columns")
    with pytest.raises(ValueError, match="needs a BN variant"):
        theory.simulate(np.eye(4, 2), 2, runs=2, seed=0, variant="vanilla", activation_scale="rows")
    with pytest.raises(ValueError, match="needs a BN variant"):
        theory.step(np.eye(4, 2), np.eye(4), variant="vanilla", activation_scale="rows")
    with pytest.raises(ValueError, match="activation_scale must be one of"):
        activation_input(np.eye(4, 2), "unit")
    with pytest.raises(ValueError, match="nonzero"):
        activation_input(np.zeros((4, 2)), "rows")


@pytest.mark.parametrize("variant", ["bn", "bn-centered"])
@pytest.mark.parametrize("activation", ["linear", "relu", "tanh"])
@pytest.mark.parametrize("scale", [1.0, 1e-150, 1e150])
def test_reduced_bn_step_is_the_reference_layer(variant, activation, scale):
    """The reduced BN step (scaled n x n factor, no 1/sqrt(d), fused row norms) is the reference
    layer ``BN(Z R_A / sqrt(d)) / sqrt(d)`` with the same Gaussian draws, to round-off, at any
    input scale (no overflow or underflow of the squares)."""
    from theory._backend import get_backend
    from theory.chain import _post, _run_chunk, activation_fn

    be = get_backend("numpy")
    d, n, depth = 24, 4, 3
    H0 = scale * np.random.default_rng(1).standard_normal((2, d, n))
    got = _run_chunk(H0, depth, be, be.rng(7), "reduced", variant, activation, ("gram",))
    rng, H, want = be.rng(7), H0, []
    for layer in range(depth + 1):
        G = np.swapaxes(H, -1, -2) @ H
        want.append(G / np.trace(G, axis1=-2, axis2=-1)[:, None, None])
        if layer < depth:
            A = activation_fn(activation, np)(H)
            R = np.linalg.qr(A, mode="r")
            M = rng.standard_normal((2, d, n)) @ R / np.sqrt(d)
            H = _post(M, variant, d, np, activation)
    for g, w in zip(got["gram"], want):
        assert np.allclose(g, w, rtol=1e-10, atol=1e-13)
