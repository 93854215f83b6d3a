r"""Exact oracle for the one-step mean Gram matrix of the BN chain (Sawa 1972; arXiv v1, Lemma 6).

For a unit-norm ``H = Q_L \operatorname{diag}(s) Q^\top`` (singular values ``s_1 >= ... >= s_n``,
``\sum_i s_i^2 = 1``) and ``C = H_+^\top H_+`` with ``H_+ = BN(WH)/\sqrt d`` one BN layer later,

.. math:: \mathbb E_W C = Q \operatorname{diag}(p_1, \dots, p_n) Q^\top, \qquad
          p_i = \mathbb E\Big[\frac{s_i^2 w_i^2}{\sum_k s_k^2 w_k^2}\Big], \; w \sim N(0, I_n).

Writing ``1/X = \int_0^\infty e^{-tX} dt`` and using Gaussian moment generating functions gives
Sawa's integral (v1 prints ``sigma_n`` where ``sigma_i`` is meant in the numerator):

.. math:: p_i = \int_0^\infty \frac{s_i^2}{1 + 2 t s_i^2}
                 \prod_{j=1}^n (1 + 2 t s_j^2)^{-1/2} \, dt .

Numerics (why not Monte Carlo and not a closed form): the integrand lives on the scales
``t ~ 1/(2 s_j^2)``, which span up to 24 decades for condition numbers up to 1e12.  We substitute
``t = e^x`` and integrate with :func:`scipy.integrate.quad` piecewise between the breakpoints
``x_j = -log(2 s_j^2)``, with the product evaluated as ``exp(-sum_j log1p(2 t s_j^2)/2)``; every
piece is positive, so relative accuracy carries over to the sum.  Differences such as
``1/n - p_n`` are computed from integrands of differences (no cancellation), see :func:`sawa_gap`.
Quadrature is CPU/NumPy only by design (an oracle, not a hot path); inputs may be torch tensors
converted by the caller.  quad's error *estimates* are checked (``<= 4 EPSREL`` of the value),
never its warnings ignored: a spectrum it cannot resolve raises ``ValueError``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import integrate

#: Relative accuracy requested from each quad piece (float64 round-off is ~1e-16 per piece).
EPSREL = 1e-12


def _spectrum(s: Any) -> np.ndarray:
    """``a_i = s_i^2 / sum_k s_k^2`` sorted decreasingly, after validation."""
    s = np.asarray(s, dtype=np.float64)
    if s.ndim != 1 or s.size < 1:
        raise ValueError(f"s must be a 1-d array of n >= 1 singular values; got shape {s.shape}")
    if not np.all(np.isfinite(s)):
        raise ValueError("s must be finite; it contains NaN or inf")
    if np.any(s <= 0):
        raise ValueError("s must be positive (singular values of a full-rank H; d >= n)")
    s = np.sort(s / s.max())[::-1]
    a = s * s
    return a / a.sum()


def _integrate(f: Callable[[float], float], a: np.ndarray) -> tuple[float, float]:
    """``int_0^inf f(t) prod_j (1 + 2 t a_j)^{-1/2} dt`` via ``t = e^x``, piecewise; (value, error)."""

    def g(x: float) -> float:
        t = math.exp(x)
        return f(t) * t * math.exp(-0.5 * float(np.sum(np.log1p(2.0 * t * a))))

    knots = np.unique(-np.log(2.0 * a))
    # tails: below the first knot the integrand ~ e^x; above the last it decays like e^{-x n/2}
    # times the numerator's order: 60 e-folds make both negligible at float64
    edges = np.concatenate([[knots[0] - 60.0], knots, [knots[-1] + 60.0 * (1 + 2.0 / a.size)]])
    pieces = [(lo, hi) for lo, hi in zip(edges[:-1], edges[1:], strict=True) if hi > lo]

    def run(epsabs: float, epsrel: float) -> tuple[float, float]:
        total, err = 0.0, 0.0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", integrate.IntegrationWarning)
            for lo, hi in pieces:
                v, e = integrate.quad(g, lo, hi, epsabs=epsabs, epsrel=epsrel, limit=200)
                total += v
                err += e
        return total, err

    # pass 1 fixes the magnitude; pass 2 asks every piece for EPSREL relative to the *total*
    # (a relative target on a piece that contributes 1e-30 of the total is unattainable and
    # irrelevant).  The summed error estimate is then checked, never a warning ignored.
    rough, _ = run(0.0, 1e-6)
    total, err = run(EPSREL * rough / len(pieces), EPSREL)
    if not (math.isfinite(total) and total > 0 and err <= 4 * EPSREL * total):
        raise ValueError(
            f"Sawa quadrature did not reach relative accuracy {EPSREL:g} (estimate {err:.3g} on "
            f"{total:.3g}) for the spectrum a = {a!r}"
        )
    return total, err


def sawa_p(s: Any) -> np.ndarray:
    r"""The diagonal ``p_1 >= ... >= p_n`` of ``Q^T E_W[C] Q`` (Sawa's integral; v1 Lemma 6).

    .. math:: p_i = \int_0^\infty \frac{a_i}{1 + 2 t a_i} \prod_j (1 + 2 t a_j)^{-1/2} dt,
              \quad a_i = s_i^2 / \textstyle\sum_k s_k^2 .

    ``s``: the n singular values of H (any scale, any order; positive).  Returns p sorted as the
    decreasing ``s``; ``sum_i p_i = 1`` up to quadrature error (~1e-12).
    """
    a = _spectrum(s)
    if a.size == 1:
        return np.ones(1)
    return np.array([_integrate(lambda t, ai=ai: ai / (1.0 + 2.0 * t * ai), a)[0] for ai in a])


def sawa_gap(s: Any) -> float:
    r"""``1/n - p_n`` (the Lemma 7 centring of ``Vhat(H_{l+1})``), without cancellation:

    .. math:: \frac1n - p_n = \frac1n \sum_i (p_i - p_n)
              = \frac1n \int_0^\infty \sum_i \frac{a_i - a_n}{(1 + 2ta_i)(1 + 2ta_n)}
                \prod_j (1 + 2ta_j)^{-1/2} dt \;\ge 0 .
    """
    a = _spectrum(s)
    n = a.size
    if n == 1:
        return 0.0
    diff = a - a[-1]  # >= 0, exact given a
    if not np.any(diff > 0):
        return 0.0

    def f(t: float) -> float:
        return float(np.sum(diff / (1.0 + 2.0 * t * a))) / (1.0 + 2.0 * t * a[-1])

    return _integrate(f, a)[0] / n


def lemma8_sharp(s: Any) -> float:
    r"""The middle term of Lemma 8 (arXiv v1): ``(1 - 2n/(n+2) s_n^2)(1/n - s_n^2)`` for the
    unit-norm spectrum (``1/n - s_n^2 = (1/n) sum_i (a_i - a_n)`` computed without cancellation)."""
    a = _spectrum(s)
    n = a.size
    return (1.0 - 2.0 * n / (n + 2.0) * a[-1]) * float(np.sum(a - a[-1])) / n


def lemma8_two_thirds(s: Any) -> float:
    r"""The right side of Lemma 8: ``(1 - (2/3) s_n^2) Vhat`` with ``Vhat = 1/n - s_n^2``."""
    a = _spectrum(s)
    n = a.size
    return (1.0 - 2.0 / 3.0 * a[-1]) * float(np.sum(a - a[-1])) / n


def expected_gram(H: Any) -> np.ndarray:
    r"""``E_W[H_+^T H_+] = Q diag(p) Q^T`` for one BN layer (Eq. 1) from H (d x n, d >= n),
    with Q the right singular vectors of H (v1 Lemma 6).  float64 NumPy."""
    from ._backend import to_numpy
    from ._validate import check_matrix

    H = np.asarray(to_numpy(H), dtype=np.float64)
    check_matrix(H, "H", require_d_ge_n=True)
    H = H / np.abs(H).max()
    _, s, Qt = np.linalg.svd(H, full_matrices=False)
    p = sawa_p(s)
    return (Qt.T * p) @ Qt


__all__ = [
    "EPSREL",
    "expected_gram",
    "lemma8_sharp",
    "lemma8_two_thirds",
    "sawa_gap",
    "sawa_p",
]
