"""Planted bugs: deliberately wrong samplers that the in-law test must catch.

They mirror :func:`theory.simulate` (same input) but break one step of the model, and return
``(G, sigma_min)``: the normalised Gram stack ``G_l = H_l^T H_l / ||H_l||_F^2`` of shape
(runs, depth + 1, n, n) and ``sigma_min`` of the unit-norm H_l (SVD of H_l), shape (runs,
depth + 1), which is what :func:`theory.checks.sampler.law_check` compares.  They are NumPy-only on purpose:
a planted bug is a reference, not a backend feature.
"""

from __future__ import annotations

import numpy as np

import theory


def _gram(H: np.ndarray) -> np.ndarray:
    G = np.swapaxes(H, -1, -2) @ H
    return G / np.trace(G, axis1=-2, axis2=-1)[..., None, None]


def _chain(H0: np.ndarray, depth: int, runs: int, layer_fn) -> tuple[np.ndarray, np.ndarray]:
    d, n = H0.shape
    H = np.broadcast_to(H0, (runs, d, n)).copy()
    G, S = [_gram(H)], [theory.sigma_min(H)]
    for _ in range(depth):
        H = layer_fn(H)
        G.append(_gram(H))
        S.append(theory.sigma_min(H))
    return np.stack(G, 1), np.stack(S, 1)


def frozen_w(H0: np.ndarray, depth: int, *, runs: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """One W per run, reused at every layer (the layers' weights are no longer independent)."""
    rng = np.random.default_rng(seed)
    d = H0.shape[0]
    W = rng.standard_normal((runs, d, d)) / np.sqrt(d)
    return _chain(H0, depth, runs, lambda H: theory.step(H, W))


def diagonal_r(
    H0: np.ndarray, depth: int, *, runs: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Reduced sampler with ``R = diag(column norms)``: drops the cross-sample correlations."""
    rng = np.random.default_rng(seed)
    d, n = H0.shape

    def layer(H):
        R = np.sqrt(np.sum(H * H, axis=-2))[:, None, :]  # (runs, 1, n): diagonal of R
        return theory.bn(rng.standard_normal((runs, d, n)) * R / np.sqrt(d)) / np.sqrt(d)

    return _chain(H0, depth, runs, layer)


def r_transpose(
    H0: np.ndarray, depth: int, *, runs: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Reduced sampler with ``Z R^T`` in place of ``Z R`` (R from a QR of H): the rows get
    covariance ``R R^T`` instead of ``R^T R = H^T H`` -- same spectrum, wrong Gram."""
    rng = np.random.default_rng(seed)
    d, n = H0.shape

    def layer(H):
        R = np.linalg.qr(H, mode="r")
        M = rng.standard_normal((runs, d, n)) @ np.swapaxes(R, -1, -2) / np.sqrt(d)
        return theory.bn(M) / np.sqrt(d)

    return _chain(H0, depth, runs, layer)


WRONG_SAMPLERS = {"frozen-W": frozen_w, "diagonal-R": diagonal_r, "R-transpose": r_transpose}


def candidate(control: str):
    """The planted sampler of ``control`` as a :data:`theory.checks.sampler.Candidate`."""
    wrong = WRONG_SAMPLERS[control]
    return lambda ctx, H0, depth, runs, seed: wrong(H0, depth, runs=runs, seed=seed)
