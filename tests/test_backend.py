"""Cross-backend tests: torch (CPU) against the NumPy float64 reference.

Deterministic functions agree to float64 round-off on identical inputs (the two libraries call
different BLAS/LAPACK builds, so bit-for-bit equality is not promised; the tolerance is a few
hundred ulps).  Samplers use different random streams, so they agree in law: two-sample tests.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as sps

import theory
from theory.inputs import gaussian
from theory.stats import holm

torch = pytest.importorskip("torch", reason="PyTorch is optional: pip install -e '.[torch]'")

RTOL = 1e-13


def test_get_backend():
    be = theory.get_backend("torch")
    assert be.name == "torch" and be.dtype == torch.float64 and be.device == "cpu"
    assert theory.get_backend("torch", dtype="float32").dtype == torch.float32
    assert theory.get_backend("numpy").dtype == np.float64
    with pytest.raises(ValueError, match="backend must be one of"):
        theory.get_backend("cupy")
    if not theory.cuda_available():
        with pytest.raises(ValueError, match="no CUDA device"):
            theory.get_backend("torch", device="cuda")


@pytest.mark.parametrize(
    "fn",
    [
        theory.orthogonality_gap,
        theory.sigma_min,
        theory.lyapunov,
        theory.singular_values,
        theory.gram,
    ],
)
def test_deterministic_functions_agree(fn):
    H = np.random.default_rng(0).standard_normal((5, 9, 4))
    H[0] *= 1e-6
    H[1, :, 3] = H[1, :, 2] + 1e-9 * H[1, :, 1]  # nearly collinear
    ref = fn(H)
    out = fn(torch.from_numpy(H))
    assert isinstance(out, torch.Tensor)
    np.testing.assert_allclose(out.numpy(), ref, rtol=RTOL, atol=1e-15)


def test_step_agrees_given_the_same_weights():
    rng = np.random.default_rng(1)
    H, W = rng.standard_normal((3, 16, 4)), rng.standard_normal((3, 16, 16)) / 4
    for variant in theory.VARIANTS:
        for act in theory.ACTIVATIONS:
            ref = theory.step(H, W, variant=variant, activation=act)
            out = theory.step(
                torch.from_numpy(H), torch.from_numpy(W), variant=variant, activation=act
            )
            np.testing.assert_allclose(out.numpy(), ref, rtol=1e-12, atol=1e-15)


def test_bad_tensor_input_is_rejected_too():
    with pytest.raises(ValueError, match="finite"):
        theory.orthogonality_gap(torch.tensor([[1.0, float("nan")], [0.0, 1.0]]))
    with pytest.raises(ValueError, match="nonzero"):
        theory.simulate(torch.zeros(4, 2, dtype=torch.float64), 1, runs=1, seed=0, backend="torch")


def _pvalues(a, b):
    out = []
    for l in (1, 4):
        for x, y in ((a.V[:, l], b.V[:, l]), (a.sigma_min[:, l], b.sigma_min[:, l])):
            out.append(sps.ks_2samp(x, y).pvalue)
            out.append(sps.cramervonmises_2samp(x, y).pvalue)
    return out


ALPHA = 1e-4  # family-wise false-fail probability of the in-law test below


@pytest.mark.parametrize("sampler", theory.SAMPLERS)
def test_samplers_agree_in_law_across_backends(sampler):
    p = []
    for n, d in [(2, 8), (4, 16)]:
        H0 = gaussian(d, n, 5)
        H0[:, 1] += H0[:, 0]
        a = theory.simulate(H0, 4, runs=500, seed=1, sampler=sampler)
        b = theory.simulate(H0, 4, runs=500, seed=2, sampler=sampler, backend="torch")
        p += _pvalues(a, b)
    assert not any(holm(p, ALPHA)), f"numpy and torch differ in law: min p = {min(p):.3g}"


def test_in_law_comparison_has_power():
    """Negative control: the same test must reject torch run from a different H0."""
    H0 = gaussian(8, 2, 5)
    H1 = H0.copy()
    H1[:, 1] += 3 * H1[:, 0]
    a = theory.simulate(H0, 4, runs=500, seed=1)
    b = theory.simulate(H1, 4, runs=500, seed=2, backend="torch")
    assert any(holm(_pvalues(a, b), ALPHA))


def test_float32_runs_and_is_close_to_float64_in_law():
    H0 = gaussian(16, 4, 0)
    r32 = theory.simulate(H0, 5, runs=400, seed=0, backend="torch", dtype="float32")
    r64 = theory.simulate(H0, 5, runs=400, seed=1)
    assert r32.params["dtype"] == "float32"
    assert sps.ks_2samp(r32.V[:, 5], r64.V[:, 5]).pvalue > 1e-4
