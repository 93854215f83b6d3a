"""Initial representations H_0 used by the paper's experiments (THEORY_NOTES §5)."""

from __future__ import annotations

import numpy as np

from ._validate import check_int, check_seed


def spiked_diagonal(d: int, n: int, small: float = 1e-6) -> np.ndarray:
    """Fig. 2 input: ``H_0[0,0] = 1`` and ``H_0[i,i] = small`` for i = 1..n-1 (large gap)."""
    d, n = check_int(d, "d", minimum=1), check_int(n, "n", minimum=1)
    if d < n:
        raise ValueError(f"d must be >= n; got d={d}, n={n}")
    if not (np.isfinite(small) and small > 0):
        raise ValueError(f"small must be finite and > 0; got {small}")
    H = np.zeros((d, n))
    H[0, 0] = 1.0
    for i in range(1, n):
        H[i, i] = small
    return H


def collinear_pair(d: int, eps: float = 1e-3) -> np.ndarray:
    """Fig. 1 BN input: columns ``e1`` and ``(1 - eps) e1 + eps e2`` (nearly aligned)."""
    d = check_int(d, "d", minimum=2)
    H = np.zeros((d, 2))
    H[0, 0] = 1.0
    H[0, 1], H[1, 1] = 1.0 - eps, eps
    return H


def orthogonal_pair(d: int) -> np.ndarray:
    """Fig. 1 vanilla input: columns ``e1`` and ``e2``."""
    d = check_int(d, "d", minimum=2)
    H = np.zeros((d, 2))
    H[0, 0] = H[1, 1] = 1.0
    return H


def gaussian(d: int, n: int, seed: int) -> np.ndarray:
    """i.i.d. N(0, 1) entries (Fig. 3 input: ``sigma_min >= ~(sqrt d - sqrt n)/sqrt(dn)``)."""
    d, n = check_int(d, "d", minimum=1), check_int(n, "n", minimum=1)
    return np.random.default_rng(check_seed(seed)).standard_normal((d, n))
