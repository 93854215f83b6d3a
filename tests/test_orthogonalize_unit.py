"""Unit tests of theory.orthogonalize (Eq. 6 and the authors' MLP variant)."""

from __future__ import annotations

import numpy as np
import pytest

import theory
from theory.orthogonalize import orthogonalized_gap_identity, orthogonalizing_weight


def _H(d, n, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((d, n)) * np.linspace(2.0, 0.1, n)


@pytest.mark.parametrize("d,n", [(8, 5), (5, 8), (6, 6), (1, 4), (4, 1)])
def test_eq6_identity_and_shape(d, n):
    H = _H(d, n)
    W = orthogonalizing_weight(H)
    k = min(d, n)
    assert W.shape == (k, d)
    WH = W @ H
    assert np.isclose(np.linalg.norm(WH), 1.0)
    s = np.linalg.svd(H, compute_uv=False)
    pred = np.sqrt(max(np.sum(s**2) / np.sum(s) ** 2 - 1 / n, 0.0))
    assert np.isclose(float(theory.orthogonality_gap(WH)), pred, atol=1e-12)
    assert np.isclose(float(orthogonalized_gap_identity(H)), pred, atol=1e-12)
    assert float(theory.orthogonality_gap(WH)) <= float(theory.orthogonality_gap(H)) + 1e-12


def test_unit_norm_formula_and_rotation_invariance():
    H = _H(9, 4, seed=3)
    H = H / np.linalg.norm(H)
    s = np.linalg.svd(H, compute_uv=False)
    q, _ = np.linalg.qr(np.random.default_rng(1).standard_normal((4, 4)))
    for R in (None, q):
        V = float(theory.orthogonality_gap(orthogonalizing_weight(H, rotation=R) @ H))
        assert np.isclose(V**2, 1 / np.sum(s) ** 2 - 1 / 4, atol=1e-12)


def test_scale_invariance_and_backend_parity(backend):
    H = _H(7, 3, seed=5)
    W1 = orthogonalizing_weight(H)
    W2 = orthogonalizing_weight(1e8 * H)
    assert np.allclose(W1 @ H, 1e8 * (W2 @ H))
    Hb = backend.asarray(H)
    Wb = orthogonalizing_weight(Hb)
    assert type(Wb) is type(Hb)  # stays on the backend
    assert np.isclose(
        float(theory.orthogonality_gap(Wb @ Hb)), float(theory.orthogonality_gap(W1 @ H))
    )


def test_authors_variant():
    H = _H(10, 4, seed=2)  # d >= n: V[:n, :n] = V is orthogonal, so WH = I_n / sqrt(n)-like
    W = orthogonalizing_weight(H, variant="authors")
    assert W.shape == (4, 10)
    assert np.isclose(float(theory.orthogonality_gap(W @ H)), 0.0, atol=1e-12)
    H = _H(6, 18, seed=2)  # their setting: d < n; not the Eq. 6 identity
    Wa = orthogonalizing_weight(H, variant="authors", out_features=4)
    assert Wa.shape == (4, 6)
    assert np.isclose(np.linalg.norm(Wa @ H), 1.0)


@pytest.mark.parametrize(
    "H,match",
    [
        (np.array([[1.0, np.nan], [0.0, 1.0]]), "finite"),
        (np.zeros((3, 2)), "nonzero"),
        (np.ones((4, 3)), "zero singular value"),
    ],
)
def test_bad_input(H, match):
    with pytest.raises(ValueError, match=match):
        orthogonalizing_weight(H)


def test_bad_options():
    H = _H(5, 3)
    with pytest.raises(ValueError, match="variant"):
        orthogonalizing_weight(H, variant="nope")
    with pytest.raises(ValueError, match="orthogonal"):
        orthogonalizing_weight(H, rotation=2 * np.eye(3))
    with pytest.raises(ValueError, match="rotation"):
        orthogonalizing_weight(H, rotation=np.eye(2))
    with pytest.raises(ValueError, match="out_features"):
        orthogonalizing_weight(H, out_features=2)
    with pytest.raises(ValueError, match="out_features"):
        orthogonalizing_weight(H, variant="authors", out_features=9)


# ---------------------------------------------------------------------- full whitening (Sec. 3.2)


@pytest.mark.parametrize("d,n", [(8, 5), (6, 6), (40, 3), (3, 1)])
def test_full_whitening_sample_gram_is_identity(d, n):
    from theory.orthogonalize import full_whitening, whitening_slack

    M = _H(d, n, seed=3) * 1e5
    F = full_whitening(M)
    assert F.shape == (d, n)
    assert np.allclose(F.T @ F, np.eye(n), atol=1e-12)
    # the feature Gram is the rank-n projector onto range(M), not I_d (unless d = n)
    P = F @ F.T
    assert np.allclose(P @ P, P, atol=1e-12) and np.isclose(np.trace(P), n)
    assert float(theory.orthogonality_gap(F)) <= whitening_slack(M)
    # equals (M M^T)^{+1/2} M computed from the eigendecomposition of M M^T
    lam, E = np.linalg.eigh(M @ M.T / 1e10)
    keep = lam > lam.max() * 1e-10
    Pinv = (E[:, keep] / np.sqrt(lam[keep])) @ E[:, keep].T
    assert np.allclose(Pinv @ (M / 1e5), F, atol=1e-8)


def test_full_whitening_torch_and_bn_is_not_whitening():
    from theory.orthogonalize import full_whitening

    M = _H(7, 4, seed=5)
    assert float(theory.orthogonality_gap(theory.bn(M))) > 0.01
    if theory.torch_available():
        import torch

        F = full_whitening(torch.tensor(M))
        assert isinstance(F, torch.Tensor)
        assert float(theory.orthogonality_gap(F)) < 1e-12


def test_full_whitening_rejects_bad_input():
    from theory.orthogonalize import full_whitening

    with pytest.raises(ValueError, match="d >= n"):
        full_whitening(np.ones((2, 3)))
    with pytest.raises(ValueError, match="full rank"):
        full_whitening(np.ones((4, 2)))
    with pytest.raises(ValueError):
        full_whitening(np.full((4, 2), np.nan))
