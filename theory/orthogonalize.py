r"""Iterative orthogonalization (paper Eq. 6; arXiv v1, App. E), and the authors' MLP variant.

Convention: ``H`` is ``(d, n)``, d features (rows), n samples (columns), any d and n.  With the
thin SVD ``H = U \Sigma V^\top`` (``k = min(d, n)``, ``U`` d x k, ``V`` n x k, singular values
``s_1 >= ... >= s_k > 0``) paper Eq. (6) sets

.. math:: W = \frac{1}{\|\Sigma^{1/2}\|_F} \, V' \, \Sigma^{-1/2} U^\top,
          \qquad \|\Sigma^{1/2}\|_F^2 = \textstyle\sum_i s_i,

with ``V'`` any k x k orthogonal matrix.  Then ``W H = V' \Sigma^{1/2} V^\top / (\sum_i s_i)^{1/2}``
and

.. math:: (WH)^\top (WH) = V \Sigma V^\top / \textstyle\sum_i s_i

does not depend on ``V'``: its eigenvalues are ``s_i / \sum_j s_j`` (and ``n - k`` zeros), so

.. math:: V(WH)^2 = \frac{\sum_i s_i^2}{(\sum_i s_i)^2} - \frac1n
          \;\le\; \frac{\sum_i s_i^4}{(\sum_i s_i^2)^2} - \frac1n = V(H)^2,

with equality iff all ``s_i`` are equal (Hoelder: ``(\sum s^2)^3 <= (\sum s)^2 \sum s^4``).  For a
unit-norm ``H`` the left side is ``1/(\sum_i s_i)^2 - 1/n`` (v1 App. E prints ``V`` where it means
``V^2``).
"""

from __future__ import annotations

from typing import Any

from ._validate import check_choice, check_int, check_matrix

ORTHOGONALIZATION_VARIANTS = ("eq6", "authors")


def _svd(H: Any, xp: Any) -> tuple[Any, Any, Any]:
    """Thin SVD of ``H`` after rescaling by ``max|H|`` (exact scale invariance; no overflow)."""
    scale = xp.max(xp.abs(H), axis=(-2, -1), keepdims=True)
    U, s, Vh = xp.linalg.svd(H / scale, full_matrices=False)
    return U, s * scale[..., 0], Vh


def _check_rank(s: Any, xp: Any, shape: tuple[int, int], dtype: Any) -> None:
    # LAPACK's numerical-rank rule (as numpy.linalg.matrix_rank): singular values below
    # max(d, n) * eps * s_max are not determined by H even in their leading digit, so
    # Sigma^{-1/2} would amplify round-off; they count as zero.
    eps = float(xp.finfo(dtype).eps)
    tol = max(shape) * eps * s[..., :1]
    if bool(xp.any(s <= tol)):
        raise ValueError(
            "H must have full rank min(d, n): Sigma has a zero singular value "
            f"(s_min <= max(d, n) * eps * s_max, shape {shape}), so Sigma^(-1/2) in Eq. 6 "
            "does not exist"
        )


def orthogonalizing_weight(
    H: Any,
    *,
    variant: str = "eq6",
    rotation: Any = None,
    out_features: int | None = None,
) -> Any:
    r"""The weight matrix of one step of iterative orthogonalization.

    ``variant="eq6"`` (paper Eq. 6 / arXiv v1 App. E, as printed):

    .. math:: W = V' \Sigma^{-1/2} U^\top / \|\Sigma^{1/2}\|_F, \quad \text{shape } (k, d),

    with ``H = U \Sigma V^\top`` the thin SVD (``k = min(d, n)``) and ``V' = rotation`` (a k x k
    orthogonal matrix; identity by default).  Identity (see the module docstring):
    ``(WH)^T (WH) = V \Sigma V^T / \sum_i s_i`` whatever ``V'``, hence
    ``V(WH)^2 = \sum_i s_i^2 / (\sum_i s_i)^2 - 1/n`` (``= 1/(\sum s_i)^2 - 1/n`` for unit-norm
    ``H``) ``< V(H)^2`` unless all ``s_i`` are equal; ``||WH||_F = 1``.

    ``variant="authors"`` (the MLP notebook of github.com/hadidaneshmand/batchnorm21,
    ``improved_init``), transcribed to this orientation: with ``m = out_features`` (default k),

    .. math:: W = V_{[1:m,\,1:m]} \, \Sigma_{[1:m]}^{-1} \, U_{[:,\,1:m]}^\top / c,
              \qquad c = \| V_{[1:m,1:m]} \Sigma_{[1:m]}^{-1} U_{[:,1:m]}^\top H \|_F,

    i.e. ``Sigma^{-1}`` instead of ``Sigma^{-1/2}``, and in place of ``V'`` the top-left m x m
    block of the sample-side singular vectors (a row slice of ``V``: not orthogonal), normalised
    so that ``||WH||_F = 1``.  Here ``WH = V_{[1:m,1:m]} V_{[:,1:m]}^\top / c``: the spectrum of
    ``H`` is discarded.  This is NOT Eq. 6 and the identity above does not hold for it.

    Parameters
    ----------
    H : ``(..., d, n)`` NumPy array or torch tensor, finite, nonzero, of full rank ``min(d, n)``.
    variant : ``"eq6"`` or ``"authors"``.
    rotation : optional ``V'`` for ``"eq6"``, shape ``(k, k)`` orthogonal, same namespace as H.
    out_features : rows of W for ``"authors"``, ``1 <= m <= k`` (the layer's output width).

    Returns
    -------
    W of shape ``(..., k, d)`` (``"eq6"``) or ``(..., m, d)`` (``"authors"``), same namespace,
    dtype and device as ``H``.

    Raises
    ------
    ValueError if H is not finite, is zero, or has a (numerically) zero singular value (the
    inverse of Sigma does not exist); if ``rotation`` is not k x k orthogonal; if
    ``out_features`` is out of range or given for ``"eq6"``.
    """
    check_choice(variant, "variant", ORTHOGONALIZATION_VARIANTS)
    xp = check_matrix(H, "H")
    d, n = int(H.shape[-2]), int(H.shape[-1])
    k = min(d, n)
    U, s, Vh = _svd(H, xp)
    _check_rank(s, xp, (d, n), H.dtype)
    Ut = xp.matrix_transpose(U)
    if variant == "eq6":
        if out_features is not None:
            raise ValueError("out_features applies to variant='authors' only; Eq. 6 has k rows")
        W = (s ** (-0.5))[..., :, None] * Ut / xp.sqrt(xp.sum(s, axis=-1))[..., None, None]
        if rotation is not None:
            _check_rotation(rotation, k, H.dtype)
            W = rotation @ W
        return W
    if rotation is not None:
        raise ValueError("rotation applies to variant='eq6' only")
    m = k if out_features is None else check_int(out_features, "out_features", minimum=1)
    if m > k:
        raise ValueError(f"out_features must be <= min(d, n) = {k}; got {m}")
    Vblock = xp.matrix_transpose(Vh)[..., :m, :m]
    W = Vblock @ ((1.0 / s[..., :m])[..., :, None] * Ut[..., :m, :])
    WH = W @ H
    c = xp.sqrt(xp.sum(WH * WH, axis=(-2, -1)))[..., None, None]
    if bool(xp.any(c == 0)):
        raise ValueError("H gives W H = 0 under variant='authors' (the slice of V is singular)")
    return W / c


def _check_rotation(R: Any, k: int, dtype: Any) -> None:
    if not hasattr(R, "shape") or tuple(R.shape[-2:]) != (k, k):
        raise ValueError(f"rotation must be a (k, k) = ({k}, {k}) orthogonal matrix")
    xp = check_matrix(R, "rotation")
    eps = float(xp.finfo(dtype).eps)
    E = xp.matrix_transpose(R) @ R - xp.eye(k, dtype=R.dtype, device=getattr(R, "device", None))
    err = float(xp.max(xp.abs(E)))
    # a QR or SVD factor is orthogonal to O(k eps); allow 100 k eps
    if err > 100 * k * eps:
        raise ValueError(f"rotation must be orthogonal: max|R^T R - I| = {err:.3g} > 100 k eps")


def orthogonalized_gap_identity(H: Any) -> Any:
    r"""The gap after one Eq.-6 step predicted from the spectrum of ``H`` alone (v1 App. E):

    .. math:: V(WH) = \Big( \frac{\sum_i s_i^2}{(\sum_i s_i)^2} - \frac1n \Big)^{1/2}

    with ``s_i`` the ``min(d, n)`` singular values of ``H`` (``= (1/(\sum s_i)^2 - 1/n)^{1/2}``
    for unit-norm H).  Shape ``(...)``.  Evaluated without cancellation (so that a near-uniform
    spectrum gives a small gap, not the square root of round-off) through
    ``n \sum_i s_i^2 - (\sum_i s_i)^2 = k \sum_i (s_i - \bar s)^2 + (n - k) \sum_i s_i^2``
    (``\bar s`` the mean of the k values; the ``n - k`` zero eigenvalues padded), which is
    ``>= 0`` term by term (a two-pass variance).
    """
    xp = check_matrix(H, "H")
    n = int(H.shape[-1])
    _, s, _ = _svd(H, xp)
    s = s / s[..., :1]
    k = int(s.shape[-1])
    c = s - xp.mean(s, axis=-1, keepdims=True)
    num = k * xp.sum(c * c, axis=-1) + (n - k) * xp.sum(s * s, axis=-1)
    return xp.sqrt(num / (n * xp.sum(s, axis=-1) ** 2))


def full_whitening(M: Any) -> Any:
    r"""Full whitening, paper Sec. 3.2: BN with ``(M M^T)^{-1/2}`` in place of
    ``diag(M M^T)^{-1/2}``,

    .. math:: \mathrm{FW}(M) = (M M^\top)^{+1/2} M = U \Sigma^{-1} U^\top M \;(= U V^\top),

    for ``M`` of shape ``(..., d, n)`` with ``d >= n`` and full rank n, ``M = U \Sigma V^T`` its
    thin SVD.  For ``d > n`` the d x d matrix ``M M^T`` has rank n, so its inverse square root
    is taken on its range (the Moore-Penrose pseudo-inverse; the literal inverse when d = n).
    Then ``FW(M)^T FW(M) = V U^T U V^T = I_n``: the *sample* Gram matrix (the one V measures,
    Eq. 2) is the identity, ``V(FW(M)) = 0``, and ``||FW(M)||_F^2 = n`` (so ``FW(M)/sqrt(n)``
    has unit norm, as Eq. 1's ``BN(M)/sqrt(d)``); the feature Gram ``FW FW^T = U U^T`` is only a
    rank-n projector.  Computed as the product ``(U \Sigma^{-1} U^T) M`` with the given ``M``
    (not as ``U V^T``), so that the identity is a property of the formula, not of the SVD.

    Raises ``ValueError`` if ``M`` is not finite, is zero, has ``d < n`` (then ``M M^T`` is
    invertible and it is the d x d feature Gram that becomes the identity, not the sample one)
    or has a numerically zero singular value.
    """
    xp = check_matrix(M, "M")
    d, n = int(M.shape[-2]), int(M.shape[-1])
    if d < n:
        raise ValueError(
            f"M must have d >= n (rows = features >= columns = samples); got d={d}, n={n}"
        )
    scale = xp.max(xp.abs(M), axis=(-2, -1), keepdims=True)
    Ms = M / scale
    U, s, _ = xp.linalg.svd(Ms, full_matrices=False)
    _check_rank(s, xp, (d, n), M.dtype)
    P = (U * (1.0 / s)[..., None, :]) @ xp.matrix_transpose(U)
    return P @ Ms


def whitening_slack(M: Any) -> float:
    r"""Derived round-off slack for ``V(FW(M))`` (float64), the bound used by the Sec. 3.2 check:

    .. math:: \tau = 8 \, (d n + \max(d, n)) \, \varepsilon \, \kappa(M) / \sqrt n + 8 d n \varepsilon .

    Derivation: the SVD is backward stable, ``M + \Delta M = U \Sigma V^T`` with
    ``||\Delta M||_2 <= max(d, n) eps ||M||_2``, so ``P M = U V^T - P \Delta M`` with
    ``||P \Delta M||_2 <= max(d, n) eps kappa``; forming ``P`` and the product ``P M`` adds
    ``<= d n eps kappa`` (``|fl(PM) - PM| <= d eps |P| |M|``, ``||P||_F ||M||_F <= n kappa``).  With
    ``FW = Q + E``, ``Q^T Q = I``, ``||E||_2 <= e``: ``||FW^T FW - I||_F <= sqrt(n) (2e + e^2)`` and
    ``V <= 2 ||FW^T FW - I||_F / (n - |tr|)``, i.e. ``V <~ 4 e / sqrt(n)``; factor 2 for the
    constants, plus the round-off of V itself (Gram of a unit-norm matrix, ``d n eps``).
    """
    import numpy as np

    from ._backend import to_numpy

    A = np.asarray(to_numpy(M), dtype=np.float64)
    d, n = A.shape[-2], A.shape[-1]
    s = np.linalg.svd(A / np.abs(A).max(), compute_uv=False)
    kappa = float(s[0] / s[-1])
    eps = float(np.finfo(np.float64).eps)
    return 8 * (d * n + max(d, n)) * eps * kappa / np.sqrt(n) + 8 * d * n * eps


__all__ = [
    "ORTHOGONALIZATION_VARIANTS",
    "full_whitening",
    "orthogonalized_gap_identity",
    "orthogonalizing_weight",
    "whitening_slack",
]
