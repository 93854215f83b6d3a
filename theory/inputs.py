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


def orthogonal(d: int, n: int) -> np.ndarray:
    """Orthogonal columns of equal norm: ``H_0[i, i] = 1/sqrt(n)`` (V = 0, the fixed point)."""
    d, n = check_int(d, "d", minimum=1), check_int(n, "n", minimum=1)
    if d < n:
        raise ValueError(f"d must be >= n; got d={d}, n={n}")
    H = np.zeros((d, n))
    H[np.arange(n), np.arange(n)] = 1.0 / np.sqrt(n)
    return H


def equicorrelated(d: int, n: int, rho: float, seed: int) -> np.ndarray:
    """Gaussian columns with pairwise correlation ``rho`` in law:
    ``h_j = sqrt(1 - rho) g_j + sqrt(rho) g_0`` with ``g_0, ..., g_n`` i.i.d. N(0, I_d)."""
    if not (0.0 <= rho <= 1.0):
        raise ValueError(f"rho must be in [0, 1]; got {rho}")
    G = gaussian(d, n + 1, seed)
    return np.sqrt(1.0 - rho) * G[:, 1:] + np.sqrt(rho) * G[:, :1]


#: The one catalogue of initial representations: ``family -> (builder(d, n, param, seed), what
#: param means)``.  Every check builds H_0 through :func:`h0`.
FAMILIES: dict[str, str] = {
    "gaussian": "i.i.d. N(0, 1) entries (param unused)",
    "correlated": "equicorrelated Gaussian columns, correlation param in [0, 1]",
    "spiked": "diag(1, param, ..., param): Fig. 2's input for param = 1e-6",
    "orthogonal": "orthogonal columns of equal norm (param unused)",
    "collinear": "Fig. 1's BN input for n = 2: e1 and (1 - param) e1 + param e2",
}


def h0(family: str, d: int, n: int, param: float = 0.0, seed: int = 0) -> np.ndarray:
    """H_0 of a catalogued family (see :data:`FAMILIES`); ``ValueError`` for an unknown one."""
    if family == "gaussian":
        return gaussian(d, n, seed)
    if family == "correlated":
        return equicorrelated(d, n, param, seed)
    if family == "spiked":
        return spiked_diagonal(d, n, small=param if param > 0 else 1e-6)
    if family == "orthogonal":
        return orthogonal(d, n)
    if family == "collinear":
        if n != 2:
            raise ValueError(f"family 'collinear' has n = 2; got n={n}")
        return collinear_pair(d, eps=param if param > 0 else 1e-3)
    raise ValueError(f"family must be one of {sorted(FAMILIES)}; got {family!r}")


# ------------------------------------------------------------------------------------------------
# Block: proof-lemma checks (one-step statements conditional on H_l).  Owner: the proof-lemmas
# helper.  H_l with a prescribed spectrum and right singular vectors.


def with_spectrum(d: int, s: object, seed: int = 0) -> np.ndarray:
    r"""A unit-norm ``d x n`` matrix ``H = E diag(s) Q^T / ||s||`` with singular values ``s``.

    ``E`` is the first n columns of ``I_d`` and ``Q`` (n x n) a Haar-random orthogonal matrix
    drawn from ``seed`` (``seed = 0``: ``Q = I``).  Every one-step statement of the proofs
    depends on ``H`` only through ``H^T H = Q diag(s^2) Q^T / ||s||^2``, so this is every
    ``H_l`` with that Gram matrix.  ``s``: n >= 1 positive finite values; ``d >= n``.
    """
    s = np.asarray(s, dtype=np.float64)
    if s.ndim != 1 or s.size < 1 or not np.all(np.isfinite(s)) or np.any(s <= 0):
        raise ValueError(f"s must be a 1-d array of n >= 1 positive finite values; got {s!r}")
    n = s.size
    d = check_int(d, "d", minimum=1)
    if d < n:
        raise ValueError(f"d must be >= n = len(s); got d={d}, n={n}")
    seed = check_seed(seed)
    s = s / s.max()
    s = s / np.sqrt(np.sum(s * s))
    Q = np.eye(n)
    if seed:
        q, r = np.linalg.qr(np.random.default_rng(seed).standard_normal((n, n)))
        Q = q * np.sign(np.diag(r))
    H = np.zeros((d, n))
    H[:n, :] = s[:, None] * Q.T
    return H
