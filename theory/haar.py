r"""Haar-orthogonal weights and batch normalisation without centring: the setting of ICLR 2024
(Meterez, Joudaki, Orabona, Immer, Rätsch, Daneshmand, "Towards training without depth limits:
batch normalization without gradient explosion"; code: github.com/alexandrumeterez/bngrad).

* Weights: ``W ~ Haar(O(d))``, drawn as ``W = Q diag(sign(diag R))`` from the QR factorisation
  ``G = Q R`` of a ``d x d`` standard Gaussian ``G`` (Mezzadri 2007: the sign fix makes the law
  exactly Haar; without it the law depends on the QR convention).
* Batch normalisation without centring (the notebook's ``mean_reduction=False``): each row of
  ``M`` (a feature) divided by its root mean square over the batch (the ``n`` columns),

  .. math:: \mathrm{BN}(M)_{ij} = \frac{M_{ij}}{\sqrt{\frac1n \sum_k M_{ik}^2}}.

* The chain ``H_{l+1} = BN(W_l H_l)`` with i.i.d. ``W_l``; linear (no activation), as in the
  notebook ``Isometry gap.ipynb`` (``act_names = ['identity']``).
* The isometry gap ``phi(H) = -log I(H^T H)``, ``I(M) = det(M)^{1/n} / (tr M / n)``
  (NeurIPS 2023; :func:`theory.gap.neg_log_isometry`), computed here as ``log1p(mean e) -
  mean(log1p(e))`` (``log lambda`` where ``|e| >= 1/2``) with ``e = lambda - 1`` the eigenvalues of the trace-``n`` Gram minus one,
  so that a gap of 1e-12 keeps its relative accuracy (no cancellation of two O(1) logs).

**Exact reduced sampler.**  For ``H`` of shape ``d x n`` (``n <= d``) with thin QR ``H = Q R``
(``Q``: ``d x n`` with orthonormal columns, ``R``: ``n x n`` upper triangular),
``W H = (W Q) R`` and ``W Q`` is a Haar-distributed Stiefel frame for every fixed ``Q`` (left
invariance of Haar measure: ``W Q`` has the law of the first ``n`` columns of a Haar ``W``).
Hence ``W H`` has the law of ``U R`` with ``U`` a Haar ``d x n`` frame independent of ``H``,
drawn as the sign-fixed thin QR of a ``d x n`` Gaussian: ``O(d n^2)`` per layer instead of
``O(d^3)``.  ``U R^T`` (the wrong factor) has Gram ``R R^T``, not ``R^T R = H^T H``: a
different law (the planted control of ``bn-depth-2024/haar-reduced-sampler``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ._validate import check_choice, check_int, check_matrix, check_seed

#: how the product ``W H`` is drawn
SAMPLERS = ("naive", "reduced", "reduced-transposed")
#: the law of the weights (``gaussian``: i.i.d. N(0, 1/d) entries, the planted control)
WEIGHTS = ("haar", "gaussian")


def _sign_fixed_qr(A: np.ndarray) -> np.ndarray:
    """``Q diag(sign(diag R))`` of the thin QR of each matrix of the stack ``A`` (..., d, k)."""
    Q, R = np.linalg.qr(A)
    s = np.sign(np.diagonal(R, axis1=-2, axis2=-1))
    s = np.where(s == 0, 1.0, s)
    return Q * s[..., None, :]


def haar_stiefel(d: int, n: int, rng: np.random.Generator, runs: int | None = None) -> np.ndarray:
    r"""A Haar-distributed ``d x n`` frame (orthonormal columns), ``n <= d``: the first n columns
    of a Haar orthogonal matrix, drawn as ``Q diag(sign(diag R))`` of the thin QR of a ``d x n``
    standard Gaussian.  ``runs``: a stack of that many i.i.d. frames, shape ``(runs, d, n)``.
    ``ValueError`` for ``d < 1``, ``n < 1``, ``n > d`` or ``runs < 1``."""
    d = check_int(d, "d", minimum=1)
    n = check_int(n, "n", minimum=1)
    if n > d:
        raise ValueError(f"n must be <= d for a d x n frame; got d={d}, n={n}")
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy Generator; got {type(rng).__name__}")
    shape: tuple[int, ...] = (d, n) if runs is None else (check_int(runs, "runs", minimum=1), d, n)
    return _sign_fixed_qr(rng.standard_normal(shape))


def haar_orthogonal(d: int, rng: np.random.Generator, runs: int | None = None) -> np.ndarray:
    r"""A Haar-distributed ``d x d`` orthogonal matrix (Mezzadri's sign-fixed QR of a standard
    Gaussian), or a stack ``(runs, d, d)``.  ``W^T W = I`` to round-off (``~ d u``).
    ``ValueError`` for ``d < 1`` or ``runs < 1``."""
    return haar_stiefel(d, d, rng, runs)


def bn_rms(M: Any) -> np.ndarray:
    r"""Batch normalisation without centring, row-wise over the batch: ``BN(M)_{ij} = M_{ij} /
    sqrt(mean_k M_{ik}^2)`` for a stack ``(..., d, n)`` (each row then has mean square 1).
    ``ValueError`` for a non-finite, non-floating or zero input, or a zero row (BN undefined)."""
    M = np.asarray(M) if not hasattr(M, "shape") else M
    check_matrix(M, "M")
    M = np.asarray(M, dtype=np.float64)
    scale = np.max(np.abs(M), axis=-1, keepdims=True)
    if np.any(scale == 0):
        raise ValueError("M must have no zero row (BN divides each row by its RMS over the batch)")
    Ms = M / scale  # no overflow or underflow in the squares
    return Ms / np.sqrt(np.mean(Ms * Ms, axis=-1, keepdims=True))


def isometry_gap(H: Any) -> np.ndarray:
    r"""``phi(H) = -log I(H^T H) = log(mean lambda) - mean(log lambda)`` over the eigenvalues
    ``lambda`` of the sample Gram ``H^T H`` (``n x n``; for ``n = d`` the same as those of ``H
    H^T``), scaled to trace n and computed as ``log1p(mean e) - mean(log1p(e))``, ``e = lambda -
    1``; ``+inf`` where the Gram is singular in floating point.  Stack ``(..., d, n)`` in, stack
    ``(...)`` out.  ``ValueError`` for a bad array (:func:`theory._validate.check_matrix`)."""
    check_matrix(np.asarray(H) if not hasattr(H, "shape") else H, "H")
    H = np.asarray(H, dtype=np.float64)
    H = H / np.max(np.abs(H), axis=(-2, -1), keepdims=True)
    G = np.swapaxes(H, -1, -2) @ H
    n = G.shape[-1]
    tr = np.trace(G, axis1=-2, axis2=-1)
    lam = np.linalg.eigvalsh(G * (n / tr)[..., None, None])
    e = lam - 1.0  # exact for lam in [1/2, 2] (Sterbenz)
    pos = np.all(lam > 0, axis=-1)
    near = np.abs(e) < 0.5
    logs = np.where(near, np.log1p(np.where(near, e, 0.0)), np.log(np.where(lam > 0, lam, 1.0)))
    val = np.log1p(np.mean(e, axis=-1)) - np.mean(logs, axis=-1)
    return np.where(pos, np.maximum(val, 0.0), math.inf)


def _weights(d: int, weights: str, rng: np.random.Generator, runs: int) -> np.ndarray:
    if weights == "haar":
        return haar_orthogonal(d, rng, runs)
    return rng.standard_normal((runs, d, d)) / math.sqrt(d)


def _product(H: np.ndarray, sampler: str, weights: str, rng: np.random.Generator) -> np.ndarray:
    """One draw of ``W H`` per run (stack ``(runs, d, n)``)."""
    runs, d, n = H.shape
    if sampler == "naive":
        return _weights(d, weights, rng, runs) @ H
    R = np.linalg.qr(H, mode="r")  # (runs, n, n), H = Q R
    if sampler == "reduced-transposed":
        R = np.swapaxes(R, -1, -2)
    return haar_stiefel(d, n, rng, runs) @ R


def simulate(
    H0: Any,
    depth: int,
    *,
    runs: int,
    seed: int,
    sampler: str = "naive",
    weights: str = "haar",
    record: Sequence[int] = (),
) -> dict[str, Any]:
    r"""``runs`` independent chains ``H_{l+1} = BN(W_l H_l)``, ``l = 0..depth-1``, from the same
    ``H0`` (``d x n``).  ``sampler``: ``naive`` (draw the ``d x d`` weights), ``reduced`` (``W H_l
    ~ U R_l``, exact for Haar weights, module docstring) or ``reduced-transposed`` (``U R_l^T``,
    wrong); ``weights``: ``haar`` or ``gaussian`` (N(0, 1/d) entries; naive sampler only).

    Returns ``{"phi": (runs, depth + 1) isometry gaps phi(H_l), "gram": {l: (runs, n, n)
    trace-one Grams H_l^T H_l / ||H_l||_F^2 for l in record}, "sigma_min": {l: (runs,) smallest
    singular value of H_l / ||H_l||_F}}``.  ``ValueError`` for a bad ``H0`` (d < n for the
    reduced samplers), ``depth < 1``, ``runs < 1``, a bad seed, sampler, weights or layer."""
    H0 = np.asarray(H0, dtype=np.float64) if not hasattr(H0, "shape") else H0
    check_matrix(H0, "H0")
    if H0.ndim != 2:
        raise ValueError(f"H0 must be one d x n matrix; got shape {tuple(H0.shape)}")
    H0 = np.asarray(H0, dtype=np.float64)
    depth = check_int(depth, "depth", minimum=1)
    runs = check_int(runs, "runs", minimum=1)
    seed = check_seed(seed)
    check_choice(sampler, "sampler", SAMPLERS)
    check_choice(weights, "weights", WEIGHTS)
    d, n = H0.shape
    if sampler != "naive" and weights != "haar":
        raise ValueError(f"weights must be 'haar' for sampler {sampler!r}; got {weights!r}")
    if sampler != "naive" and n > d:
        raise ValueError(f"H0 must have n <= d for sampler {sampler!r}; got d={d}, n={n}")
    rec = sorted({check_int(l, "record layer", minimum=0) for l in record})
    if rec and rec[-1] > depth:
        raise ValueError(f"record layers must be <= depth = {depth}; got {rec[-1]}")
    rng = np.random.default_rng(seed)
    H = np.broadcast_to(H0, (runs, d, n)).copy()
    phi = np.empty((runs, depth + 1))
    phi[:, 0] = isometry_gap(H0)
    grams: dict[int, np.ndarray] = {}
    smin: dict[int, np.ndarray] = {}

    def keep(l: int, H: np.ndarray) -> None:
        U = H / np.sqrt(np.sum(H * H, axis=(-2, -1), keepdims=True))
        grams[l] = np.swapaxes(U, -1, -2) @ U
        smin[l] = np.linalg.svd(U, compute_uv=False)[..., -1]

    if 0 in rec:
        keep(0, H)
    for l in range(1, depth + 1):
        H = bn_rms(_product(H, sampler, weights, rng))
        phi[:, l] = isometry_gap(H)
        if l in rec:
            keep(l, H)
    return {"phi": phi, "gram": grams, "sigma_min": smin}


def notebook_h0(d: int, seed: int, f: float = 0.005) -> np.ndarray:
    r"""The notebook's start (``Isometry gap.ipynb``): ``X_0 = (1 - f) I + f u v^T`` with ``u, v
    ~ U(0, 1)^d`` (``torch.rand``; here NumPy's generator at ``seed``), ``f = 0.005``, ``n = d``;
    returned as ``H_0 = X_0^T`` (features x samples; the gap is the same).  ``ValueError`` for
    ``d < 2``, a bad seed or ``f`` outside (0, 1)."""
    d = check_int(d, "d", minimum=2)
    seed = check_seed(seed)
    if not (isinstance(f, (int, float)) and 0.0 < float(f) < 1.0):
        raise ValueError(f"f must be in (0, 1); got {f!r}")
    rng = np.random.default_rng(seed)
    u, v = rng.random(d), rng.random(d)
    return ((1.0 - f) * np.eye(d) + f * np.outer(u, v)).T


__all__ = [
    "SAMPLERS",
    "WEIGHTS",
    "bn_rms",
    "haar_orthogonal",
    "haar_stiefel",
    "isometry_gap",
    "notebook_h0",
    "simulate",
]
