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

import functools
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


# ------------------------------------------------------------------ the mean-field (d -> inf) map

#: Gauss-Legendre order per panel and panel width (in x = log t) of :func:`meanfield_deviation`:
#: the integrand is analytic for |Im x| < pi/2, so a panel of half-width 1 has Bernstein-ellipse
#: parameter rho = pi/2 + sqrt(pi^2/4 + 1) ~ 3.43 and error ~ rho^(-2 order) ~ 1e-21 at order 20.
GL_ORDER = 20
GL_PANEL = 2.0
#: e-folds of x = log t kept below the smallest knot (integrand ~ e^x there: tail < e^-40
#: ~ 4e-18 of the peak) and above the largest (integrand ~ e^{-(1 + n/2) x} <= e^{-2x}: < e^-60).
GL_TAIL_LOW = 40.0
GL_TAIL_HIGH = 30.0


@functools.lru_cache(maxsize=8)
def _gl(order: int) -> tuple[np.ndarray, np.ndarray]:
    x, w = np.polynomial.legendre.leggauss(order)
    return x, w


def _check_deviation(e: Any, name: str = "e") -> np.ndarray:
    e = np.asarray(e, dtype=np.float64)
    if e.ndim != 1 or e.size < 1:
        raise ValueError(f"{name} must be a 1-d array of n >= 1 deviations; got shape {e.shape}")
    if not np.all(np.isfinite(e)):
        raise ValueError(f"{name} must be finite; it contains NaN or inf")
    if abs(float(e.sum())) > 1e-9 * float(np.abs(e).sum()):
        raise ValueError(f"{name} must sum to 0 (a = 1/n + {name} sums to 1); got {e.sum():.3g}")
    return e


def meanfield_deviation(
    e: Any, *, log2_scale: int = 0, order: int = GL_ORDER, panel: float = GL_PANEL
) -> np.ndarray:
    r"""One step of the mean-field map in deviation form: ``e' = p(a) - 1/n`` for
    ``a = 1/n + e`` (``sum_i e_i = 0``), where ``p`` is Sawa's diagonal (v1 Lemma 6, :func:`sawa_p`).

    Cancellation-free: with ``p_i - 1/n = (1/n) sum_j (p_i - p_j)`` and
    ``a_i/(1+2ta_i) - a_j/(1+2ta_j) = (a_i - a_j)/((1+2ta_i)(1+2ta_j))``,

    .. math:: p_i - \frac1n = \frac1n \int_0^\infty \frac{1}{1 + 2 t a_i}
              \sum_j \frac{e_i - e_j}{1 + 2 t a_j} \prod_k (1 + 2 t a_k)^{-1/2} dt ,

    so the result carries the *absolute* error ``~ eps * max|e|`` (relative ~1e-14 of
    ``||e'||``), not ``eps``: near orthogonality ``p_i - 1/n`` is never the difference of two
    numbers close to ``1/n``.  Quadrature: ``t = e^x``, composite Gauss-Legendre (``order`` nodes
    per panel of width ``panel``) from ``GL_TAIL_LOW`` e-folds below the smallest knot
    ``-log(2 a_max)`` to ``GL_TAIL_HIGH`` above the largest; the integrand is analytic in the strip
    ``|Im x| < pi/2`` (poles at ``x = -log(2 a_j) + i pi``), so each panel's error is
    ``~ rho^(-2 order)`` with ``rho ~ 3.4`` (~1e-21) and the truncated tails are < e^-40 of the peak.
    ``e`` may be given in any order; the result is in the same order and is projected on
    ``sum = 0`` (the exact map preserves it; the projection moves it by round-off only).

    ``log2_scale = k``: ``e`` holds the deviation times ``2^k`` (and so does the result).  The
    integrand is linear in ``e`` given ``a``, and ``a = 1/n + e 2^-k`` is computed from the true
    deviation, so deep trajectories (``||a - 1/n|| < 1e-300``) stay representable; the scaling by
    a power of two is exact.
    Vectorised NumPy, float64 (``np.longdouble`` input keeps extended precision).
    """
    e = _check_deviation(e)
    if not isinstance(log2_scale, (int, np.integer)):
        raise ValueError(f"log2_scale must be an integer; got {log2_scale!r}")
    n = e.size
    if n == 1:
        return np.zeros(1, dtype=e.dtype)
    dt = e.dtype
    a = 1.0 / np.asarray(n, dtype=dt) + np.ldexp(e, -int(log2_scale))
    if np.any(a <= 0):
        raise ValueError("e must satisfy 1/n + e_i 2^-log2_scale > 0 (a positive spectrum)")
    knots = -np.log(2.0 * a)
    lo = float(knots.min()) - GL_TAIL_LOW
    hi = float(knots.max()) + GL_TAIL_HIGH
    m = max(1, int(math.ceil((hi - lo) / panel)))
    h = (hi - lo) / m
    gx, gw = _gl(order)
    gx, gw = gx.astype(dt), gw.astype(dt)
    centres = lo + h * (np.arange(m, dtype=dt) + 0.5)
    x = (centres[:, None] + 0.5 * h * gx[None, :]).ravel()
    w = np.tile(0.5 * h * gw, m)
    t = np.exp(x)
    B = 1.0 / (1.0 + 2.0 * t[:, None] * a[None, :])  # (m, n)
    P = np.exp(-0.5 * np.sum(np.log1p(2.0 * t[:, None] * a[None, :]), axis=1))
    S = e[None, :] * B.sum(axis=1, keepdims=True) - (B @ e)[:, None]  # sum_j (e_i - e_j) B_j
    dev = ((w * t * P)[:, None] * B * S).sum(axis=0) / n
    return dev - dev.mean()


def meanfield_trajectory(a0: Any, layers: int, *, dtype: Any = np.float64) -> np.ndarray:
    r"""The mean-field chain of spectra (deviation form): row ``l`` is ``a_l - 1/n`` with
    ``a_0`` the normalised spectrum of ``C_0 = H_0^T H_0 / ||H_0||_F^2`` (``a0`` = its eigenvalues,
    any positive scale: normalised here) and ``a_{l+1} = p(a_l)`` (:func:`meanfield_deviation`).

    As ``d -> inf`` the normalised Gram of Eq. 1's next layer converges to ``E_W C`` (law of
    large numbers over the d i.i.d. rows), whose eigenvalues are ``p(a)`` with the eigenvectors
    of ``C`` (v1 Lemma 6); so ``V(H_l) = ||a_l - 1/n||_2`` and ``sigma_min(H_l)^2 = min_i a_{l,i}``.
    Shape ``(layers + 1, n)``.
    """
    a0 = np.asarray(a0, dtype=np.float64)
    if a0.ndim != 1 or a0.size < 1 or not np.all(np.isfinite(a0)) or np.any(a0 <= 0):
        raise ValueError("a0 must be a 1-d array of n >= 1 positive finite eigenvalues")
    if not (isinstance(layers, (int, np.integer)) and layers >= 0):
        raise ValueError(f"layers must be an integer >= 0; got {layers!r}")
    a0 = np.sort(a0)[::-1].astype(dtype)
    a0 = a0 / a0.sum()
    n = a0.size
    e = a0 - 1.0 / np.asarray(n, dtype=dtype)
    e = e - e.mean()
    out = np.empty((layers + 1, n), dtype=dtype)
    out[0] = e
    for l in range(layers):
        e = meanfield_deviation(e)
        out[l + 1] = e
    return out


__all__ = [
    "spike_spectrum",
    "EPSREL",
    "expected_gram",
    "lemma8_sharp",
    "lemma8_two_thirds",
    "meanfield_deviation",
    "meanfield_trajectory",
    "sawa_gap",
    "sawa_p",
]


def spike_spectrum(n: int, eps: float, k: int = 1) -> np.ndarray:
    """``k`` eigenvalues ``1/n + (n-k) eps / k`` and ``n - k`` equal to ``1/n - eps`` (sum 1).
    With ``k = 1`` it is, for a given ``min a = 1/n - eps``, the spectrum of largest
    ``V = eps sqrt(n (n-1))``: the extremal family of the counterexample search."""
    if not (isinstance(n, (int, np.integer)) and n >= 2):
        raise ValueError(f"n must be an integer >= 2; got {n!r}")
    if not (isinstance(k, (int, np.integer)) and 1 <= k < n):
        raise ValueError(f"k must be an integer in [1, n); got {k!r}")
    if not (0 < eps < 1.0 / n):
        raise ValueError(f"eps must be in (0, 1/n); got {eps}")
    a = np.full(n, 1.0 / n - eps)
    a[:k] = 1.0 / n + (n - k) * eps / k
    return a
