"""Orthogonality gap (Eq. 2) and the spectral quantities used in the proofs.

All functions take a stack of representations ``H`` of shape ``(..., d, n)`` (n samples as
columns, d features as rows) from NumPy or torch and return an array of shape ``(...)`` in the
same namespace.  They are scale invariant: each normalises ``H`` to unit Frobenius norm first, as
the chain does for every layer l >= 1.
"""

from __future__ import annotations

import math
from typing import Any

from ._validate import check_int, check_matrix


def _unit(H: Any, xp: Any) -> Any:
    # divide by max|H| first so that squaring cannot overflow or underflow (1e-300 .. 1e300)
    H = H / xp.max(xp.abs(H), axis=(-2, -1), keepdims=True)
    return H / xp.sqrt(xp.sum(H * H, axis=(-2, -1), keepdims=True))


def gram(H: Any) -> Any:
    """Normalised Gram matrix ``H^T H / ||H||_F^2`` of shape ``(..., n, n)`` (trace one)."""
    xp = check_matrix(H, "H")
    Hu = _unit(H, xp)
    return xp.matrix_transpose(Hu) @ Hu


def gap_from_gram(C: Any) -> Any:
    """``|| C / tr C - I_n / n ||_F`` for a stack of positive semi-definite Gram matrices ``C``."""
    xp = check_matrix(C, "C")
    n = C.shape[-1]
    tr = xp.sum(xp.linalg.diagonal(C), axis=-1)[..., None, None]
    eye = xp.eye(n, dtype=C.dtype, device=getattr(C, "device", None))
    D = C / tr - eye / n
    return xp.sqrt(xp.sum(D * D, axis=(-2, -1)))


def orthogonality_gap(H: Any) -> Any:
    r"""Orthogonality gap, paper Eq. (2).

    .. math:: V(H) = \Big\| \frac{H^\top H}{\|H\|_F^2} - \frac{I_n}{n} \Big\|_F

    Range ``0 <= V <= sqrt(1 - 1/n)``: zero iff the columns are orthogonal with equal norms, the
    maximum iff ``H`` has rank one.  Computed from the Gram matrix, which is accurate to machine
    precision in absolute terms (relative to ``||H||_F^2``) at any condition number.
    """
    return gap_from_gram(gram(H))


def singular_values(H: Any) -> Any:
    r"""The n singular values ``s_1 >= ... >= s_n`` of the unit-norm ``H / ||H||_F``, shape (..., n).

    Requires ``d >= n`` (otherwise ``s_n = 0`` identically and the quantities below are vacuous).
    They satisfy ``sum_i s_i^2 = 1``.
    """
    xp = check_matrix(H, "H", require_d_ge_n=True)
    return xp.linalg.svdvals(_unit(H, xp))


def sigma_min(H: Any) -> Any:
    r"""Smallest singular value of the unit-norm ``H / ||H||_F`` (the quantity in Assumption A1).

    .. math:: \sigma_{\min}(H) = s_n(H / \|H\|_F) \in [0, 1/\sqrt{n}]

    Computed by an SVD of ``H`` itself (not of the Gram matrix), so it keeps relative accuracy
    near rank deficiency.  Requires ``d >= n``.
    """
    s = singular_values(H)
    return s[..., -1]


def lyapunov(H: Any) -> Any:
    r"""Lyapunov function of the proofs (arXiv v1, App. B): ``Vhat(H) = 1/n - sigma_min(H)^2``.

    ``0 <= Vhat <= 1/n``; zero iff ``H`` is orthogonal with equal column norms.
    """
    n = H.shape[-1]
    s = sigma_min(H)
    return 1.0 / n - s * s


def cosine(H: Any, i: int = 0, j: int = 1) -> Any:
    r"""Absolute cosine similarity between samples (columns) ``i`` and ``j``, as in Fig. 1.

    .. math:: |\cos(h_i, h_j)| = |h_i^\top h_j| / (\|h_i\| \|h_j\|)
    """
    xp = check_matrix(H, "H", allow_zero_column=False)
    n = H.shape[-1]
    check_int(i, "i", minimum=0)
    check_int(j, "j", minimum=0)
    if i >= n or j >= n:
        raise ValueError(f"column indices i, j must be < n={n}; got i={i}, j={j}")
    a, b = H[..., :, i], H[..., :, j]
    num = xp.abs(xp.sum(a * b, axis=-1))
    return num / (xp.sqrt(xp.sum(a * a, axis=-1)) * xp.sqrt(xp.sum(b * b, axis=-1)))


def max_gap(n: int) -> float:
    """The largest possible gap, ``sqrt(1 - 1/n)``, attained at rank one."""
    check_int(n, "n", minimum=1)
    return math.sqrt(1.0 - 1.0 / n)


# ------------------------------------------------------------------ the line of work (issue 19)


def soft_rank_from_gram(C: Any) -> Any:
    r"""Soft rank of a Gram matrix: ``tr(C)^2 / ||C||_F^2`` for a stack ``C`` of shape
    ``(..., n, n)`` (any positive scale; see :func:`soft_rank`)."""
    xp = check_matrix(C, "C")
    C = C / xp.max(xp.abs(C), axis=(-2, -1), keepdims=True)
    tr = xp.sum(xp.linalg.diagonal(C), axis=-1)
    return tr * tr / xp.sum(C * C, axis=(-2, -1))


def soft_rank(H: Any) -> Any:
    r"""Soft rank of NeurIPS 2020 (Daneshmand, Kohler, Bach, Hofmann, Lucchi; Theorem 2):

    .. math:: r(H) = \frac{\operatorname{tr}(M)^2}{\|M\|_F^2}, \qquad M = H^\top H,

    i.e. ``(sum_i s_i^2)^2 / sum_i s_i^4`` over the singular values of H.  Range ``1 <= r <=
    min(d, n)``: 1 iff H has rank one, n iff its columns are orthogonal with equal norms.

    **Identity with the orthogonality gap of Eq. 2.**  With ``t = tr M`` and ``C = M / t``
    (trace one), ``V(H)^2 = ||C - I/n||_F^2 = ||C||_F^2 - 2 tr(C)/n + n/n^2 = ||C||_F^2 - 1/n``
    (only ``tr C = 1`` is used).  Since ``||C||_F^2 = ||M||_F^2 / t^2 = 1/r(H)``:

    .. math:: r(H) = \frac{1}{V(H)^2 + 1/n}.

    Cleared of denominators it is the polynomial identity ``sum_ij (m_ij - t delta_ij/n)^2 +
    t^2/n = sum_ij m_ij^2`` in the entries of any n x n matrix M (``theory.certify.lineofwork``
    expands it exactly for n = 1..6).  Computed here from the trace-one Gram of :func:`gram`.
    """
    return soft_rank_from_gram(gram(H))


def numerical_rank(H: Any, rtol: float | None = None) -> Any:
    r"""Numerical rank of a stack ``H`` (..., d, n): the number of singular values

    .. math:: s_i > \text{rtol} \cdot s_1, \qquad \text{rtol} = \max(d, n)\, \epsilon
        \text{ by default},

    ``numpy.linalg.matrix_rank``'s rule (``epsilon`` of the dtype): the quantity NeurIPS 2020's
    notebook plots (``code_fig_3_a.ipynb``), beside the soft rank :func:`soft_rank` of its
    Theorem 2.  An integer array of shape ``H.shape[:-2]``; ``ValueError`` for ``rtol`` not in
    ``[0, 1)``."""
    xp = check_matrix(H, "H")
    if rtol is not None and not (isinstance(rtol, (int, float)) and 0 <= rtol < 1):
        raise ValueError(f"rtol must be a number in [0, 1) or None; got {rtol!r}")
    d, n = H.shape[-2], H.shape[-1]
    s = xp.linalg.svdvals(H)
    tol = (max(d, n) * float(xp.finfo(H.dtype).eps) if rtol is None else rtol) * s[..., :1]
    return xp.sum(xp.astype(s > tol, xp.int64), axis=-1)


def neg_log_isometry(M: Any) -> Any:
    r"""``-log I(M) = log(tr(M)/n) - (1/n) log det M`` for a stack of symmetric positive
    semi-definite ``M`` of shape ``(..., n, n)`` (see :func:`isometry`); ``+inf`` where M is
    singular (an eigenvalue ``<= 0`` in floating point).

    From the eigenvalues (``eigvalsh``): ``log(mean lambda) - mean(log lambda) >= 0`` (AM-GM),
    scale invariant; M is divided by its largest entry first, so no scale over- or underflows.
    """
    xp = check_matrix(M, "M")
    if M.shape[-1] != M.shape[-2]:
        raise ValueError(f"M must be square (..., n, n); got shape {tuple(M.shape)}")
    M = M / xp.max(xp.abs(M), axis=(-2, -1), keepdims=True)
    lam = xp.linalg.eigvalsh(M)
    pos = xp.all(lam > 0, axis=-1)
    safe = xp.where(lam > 0, lam, xp.ones_like(lam))
    n = M.shape[-1]
    val = xp.log(xp.sum(safe, axis=-1) / n) - xp.sum(xp.log(safe), axis=-1) / n
    return xp.where(pos, val, xp.full_like(val, math.inf))


def isometry(M: Any) -> Any:
    r"""Isometry of NeurIPS 2023 (Joudaki, Daneshmand, Bach) of a positive semi-definite n x n
    ``M``:

    .. math:: \mathcal I(M) = \frac{\det(M)^{1/n}}{\operatorname{tr}(M)/n} \in [0, 1],

    the geometric over the arithmetic mean of the eigenvalues: 1 iff M is a multiple of the
    identity, 0 iff M is singular; scale invariant.

    **Normalisation identity.**  With ``D = diag(M)`` (positive) and ``N = D^{-1/2} M D^{-1/2}``
    (unit diagonal, ``tr N = n``): ``det N = det M / prod_i m_ii`` (multiplicativity of det),
    so ``I(N) = det(M)^{1/n} / (prod_i m_ii)^{1/n}`` and

    .. math:: \mathcal I(N) = \mathcal I(M) \cdot \frac{\operatorname{mean}(m_{ii})}
              {\operatorname{geomean}(m_{ii})} \ge \mathcal I(M),

    with equality iff the diagonal is constant: normalising the samples never decreases the
    isometry.  (Term by term: each Leibniz term of ``det N`` is ``prod_i m_{i sigma(i)} /
    prod_i sqrt(m_ii m_{sigma(i) sigma(i)}) = prod_i m_{i sigma(i)} / prod_i m_ii``.)
    """
    xp = check_matrix(M, "M")
    return xp.exp(-neg_log_isometry(M))
