"""Planted bugs: deliberately wrong samplers that the exact-in-law test must catch.

They mirror :func:`theory.simulate` (same input, same output arrays) but break one step of the
model.  They are NumPy-only on purpose: a planted bug is a reference, not a backend feature.
"""

from __future__ import annotations

import numpy as np

import theory


def _stats(H: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return theory.orthogonality_gap(H), theory.sigma_min(H)


def frozen_w(H0: np.ndarray, depth: int, *, runs: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """One W per run, reused at every layer (the layers' weights are no longer independent)."""
    rng = np.random.default_rng(seed)
    d, n = H0.shape
    H = np.broadcast_to(H0, (runs, d, n)).copy()
    W = rng.standard_normal((runs, d, d)) / np.sqrt(d)
    V, S = [], []
    for layer in range(depth + 1):
        v, s = _stats(H)
        V.append(v)
        S.append(s)
        if layer < depth:
            H = theory.step(H, W)
    return np.stack(V, 1), np.stack(S, 1)


def diagonal_r(
    H0: np.ndarray, depth: int, *, runs: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Reduced sampler with ``R = diag(column norms)``: drops the cross-sample correlations."""
    rng = np.random.default_rng(seed)
    d, n = H0.shape
    H = np.broadcast_to(H0, (runs, d, n)).copy()
    V, S = [], []
    for layer in range(depth + 1):
        v, s = _stats(H)
        V.append(v)
        S.append(s)
        if layer < depth:
            R = np.sqrt(np.sum(H * H, axis=-2))[:, None, :]  # (runs, 1, n): diagonal of R
            M = rng.standard_normal((runs, d, n)) * R / np.sqrt(d)
            H = theory.bn(M) / np.sqrt(d)
    return np.stack(V, 1), np.stack(S, 1)


WRONG_SAMPLERS = {"frozen-W": frozen_w, "diagonal-R": diagonal_r}
