r"""The kernel map of an MLP at infinite width (Joudaki & Hofmann, AISTATS 2025) and the rates
of its Theorem 1, with a-posteriori round-off bounds for float64 trajectories.

With the activation expanded in normalised Hermite polynomials, ``phi = sum_k c_k he_k``, the
kernel sequence of two inputs follows ``rho_{l+1} = kappa(rho_l)`` with

.. math:: \kappa(\rho) = \sum_{k \ge 0} c_k^2 \rho^k, \qquad \sum_k c_k^2 = 1 \;(\kappa(1) = 1).

Here a kernel is given by its coefficients ``w`` (``c_k^2 = w_k / sum(w)``: non-negative
numbers, for instance integers so that the kernel is an exact rational function).  Theorem 1
(paper/main.tex of the public repository ajoudaki/kernel-global) distinguishes four cases by
``kappa(0)`` and ``kappa'(1)``; case 4 (``kappa(0) > 0``, ``kappa'(1) > 1``) has a fixed point
``rho* in (0, 1)`` with ``kappa'(rho*) < 1`` and claims, for ``rho_0 in (-1, 1)``,

.. math:: |\rho_\ell - \rho^*| \le \frac{|\rho_0 - \rho^*|}{1 - |\rho_0|}\, \alpha^\ell, \qquad
          \alpha = \max\Big\{1 - \kappa(0),\ \kappa'(\rho^*),\
          \frac{1 - \rho^*}{2 - \kappa'(\rho^*)}\Big\}\ \text{(as printed)}.

The proof's branch ``rho >= rho*`` bounds the potential ``(rho - rho*)/(1 - rho)`` by the factor
``sum_k a_k (1 - rho*)^{k-1} / (sum_{k>=2} a_k (1 - rho*)^{k-1} + sum_k a_k (1 - rho*)^{k-1})``
(``a_k`` the Taylor coefficients of kappa at rho*); the numerator is ``(kappa(1) - rho*)/(1 -
rho*) = 1``, not ``1 - rho*``, so the factor is ``1/(2 - kappa'(rho*))``:
:func:`rate_corrected`.  (``1/(2 - x) >= x`` for every x, so the corrected max never needs
``kappa'(rho*)``; and since kappa' is convex on [0, 1], Hermite-Hadamard over [rho*, 1] gives
``kappa'(rho*) + kappa'(1) >= 2``, i.e. ``1/(2 - kappa'(rho*)) >= 1/kappa'(1)``: the corrected
rate is never faster than the escape rate ``kappa'(1)`` from the repelling fixed point 1, with
equality for quadratic kernels.)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

#: Unit round-off of float64.
U = 2.0**-53
RATES = ("printed", "corrected")


def _gamma(m: int) -> float:
    """Higham's ``gamma_m = m u / (1 - m u)``, rounded up a little."""
    return 1.01 * m * U / (1.0 - m * U)


def coefficients(w: Sequence[Any]) -> tuple[float, ...]:
    """``c_k^2 = w_k / sum(w)`` as floats (each correctly rounded from the exact quotient when
    ``w`` are integers or Fractions); ``w``: at least one entry, non-negative, finite, not all 0."""
    ws = list(w)
    if not ws:
        raise ValueError("w must have at least one entry (the coefficients of kappa)")
    exact = all(isinstance(x, (int, Fraction)) and not isinstance(x, bool) for x in ws)
    if exact:
        fs = [Fraction(x) for x in ws]
        tot = sum(fs)
        if any(x < 0 for x in fs) or tot <= 0:
            raise ValueError(f"w must be non-negative and not all zero; got {w!r}")
        return tuple(float(x / tot) for x in fs)
    fl = [float(x) for x in ws]
    if any(not math.isfinite(x) or x < 0 for x in fl) or sum(fl) <= 0:
        raise ValueError(f"w must be finite, non-negative and not all zero; got {w!r}")
    tot = math.fsum(fl)
    return tuple(x / tot for x in fl)


def kappa(c2: Sequence[float], rho: float) -> float:
    """``sum_k c2[k] rho^k`` (Horner)."""
    acc = 0.0
    for c in reversed(c2):
        acc = acc * rho + c
    return acc


def kappa_prime(c2: Sequence[float], rho: float) -> float:
    """``sum_k k c2[k] rho^(k-1)`` (Horner)."""
    acc = 0.0
    for k in range(len(c2) - 1, 0, -1):
        acc = acc * rho + k * c2[k]
    return acc


def regime(c2: Sequence[float]) -> int:
    """The case of Theorem 1 (as printed): 1 if ``kappa(0) = 0``; else 2, 3 or 4 as
    ``kappa'(1)`` is below, equal to or above 1."""
    if c2[0] == 0:
        return 1
    k1 = kappa_prime(c2, 1.0)
    return 2 if k1 < 1 else (3 if k1 == 1 else 4)


def fixed_point(c2: Sequence[float]) -> tuple[float, float]:
    """``(rho*, err)``: the fixed point of case 4 in (0, 1) and a rigorous bound on the float
    error, ``|rho_hat - rho*| <= err``.

    ``f = kappa - id`` is convex on [0, 1] with ``f(0) = c_0^2 > 0`` and ``f(1) = 0 < f'(1)``,
    so it has exactly one root in (0, 1).  Newton from 0 (monotone for a convex f), then a
    bracket: f is evaluated at ``rho_hat -/+ err`` with its round-off bound ``gamma_{2K+2}``
    (Horner over non-negative coefficients, ``|x| <= 1``) and the signs must be certain.
    """
    if regime(c2) != 4:
        raise ValueError("fixed_point needs case 4 of Theorem 1: kappa(0) > 0 and kappa'(1) > 1")
    g = _gamma(2 * len(c2) + 2)
    x = 0.0
    for _ in range(500):
        fx = kappa(c2, x) - x
        step = fx / (kappa_prime(c2, x) - 1.0)
        nx = min(max(x - step, 0.0), 1.0)
        if nx == x:
            break
        x = nx
    slope = 1.0 - kappa_prime(c2, x)
    if not slope > 0:
        raise ValueError("Newton did not converge to the attracting fixed point")
    err = max(4.0 * (abs(kappa(c2, x) - x) + 2 * g) / slope, 8 * U)
    margin = 2 * g + U  # |computed f - f| <= gamma * kappa(|x|) + u <= 2 g
    for _ in range(60):
        lo, hi = max(x - err, 0.0), min(x + err, 1.0)
        if kappa(c2, lo) - lo > margin and kappa(c2, hi) - hi < -margin:
            return x, err * (1 + 4 * U)
        err *= 2.0
    raise ValueError("could not bracket the fixed point")


def rate(c2: Sequence[float], rho_star: float, which: str = "printed") -> float:
    """Case 4's alpha: ``max{1 - kappa(0), kappa'(rho*), T}`` with ``T = (1 - rho*)/(2 -
    kappa'(rho*))`` as printed or ``1/(2 - kappa'(rho*))`` corrected (see the module
    docstring)."""
    if which not in RATES:
        raise ValueError(f"which must be one of {RATES}; got {which!r}")
    kp = kappa_prime(c2, rho_star)
    third = (1.0 - rho_star) / (2.0 - kp) if which == "printed" else 1.0 / (2.0 - kp)
    return max(1.0 - c2[0], kp, third)


def rate_printed(c2: Sequence[float], rho_star: float) -> float:
    """:func:`rate` as printed."""
    return rate(c2, rho_star, "printed")


def rate_corrected(c2: Sequence[float], rho_star: float) -> float:
    """:func:`rate` corrected: third term ``1/(2 - kappa'(rho*))``."""
    return rate(c2, rho_star, "corrected")


def case4_bound(rho0: float, rho_star: float, alpha: float, l: int) -> float:
    """``|rho_0 - rho*| alpha^l / (1 - |rho_0|)``: the right side of case 4."""
    if not -1.0 < rho0 < 1.0:
        raise ValueError(f"rho0 must be in (-1, 1); got {rho0!r}")
    return abs(rho0 - rho_star) * alpha**l / (1.0 - abs(rho0))


def case2_bound(rho0: float, alpha: float, l: int) -> float:
    """``|rho_0 - 1| alpha^l``: the right side of case 2 (``kappa(0) > 0``, ``kappa'(1) < 1``,
    ``alpha = kappa'(1)``)."""
    if not -1.0 <= rho0 <= 1.0:
        raise ValueError(f"rho0 must be in [-1, 1]; got {rho0!r}")
    return abs(rho0 - 1.0) * alpha**l


def case3_bound(rho0: float, alpha: float, l: int) -> float:
    """``|rho_0 - 1| / (l alpha |rho_0 - 1| + 1)``: the right side of case 3 (``kappa(0) > 0``,
    ``kappa'(1) = 1``, ``alpha = 1 - kappa(0) - kappa'(0)``)."""
    if not -1.0 <= rho0 <= 1.0:
        raise ValueError(f"rho0 must be in [-1, 1]; got {rho0!r}")
    x0 = abs(rho0 - 1.0)
    return x0 / (l * alpha * x0 + 1.0)


def _tail_sums(c2: Sequence[float]) -> tuple[float, ...]:
    """``d_j = sum_{k > j} c2[k]`` (j = 0..K-2): ``1 - kappa(x) = (1 - x) sum_j d_j x^j``."""
    return tuple(math.fsum(c2[j + 1 :]) for j in range(len(c2) - 1))


def trajectory(c2: Sequence[float], rho0: float, layers: int) -> tuple[list[float], list[float]]:
    """``(rho, err)``: ``rho[l]`` the float64 iterates of ``rho_{l+1} = kappa(rho_l)`` from the
    float ``rho0`` (exact), and ``err[l] >= |rho[l] - rho_l|`` (the exact kernel's iterate), a
    running a-posteriori bound; ``inf`` once it exceeds 1e-3.

    Two coordinates, each free of cancellation (``g = gamma_{3K+4}``, K = len(c2), covers the
    coefficients' rounding from the exact kernel and Horner over non-negative coefficients):

    * while ``rho < 0``: ``rho`` itself; the computed value is within ``g`` of ``kappa(rho_hat)``
      (``kappa(|x|) <= 1``) and ``|kappa(a) - kappa(b)| <= kappa'(max(|a|, |b|)) |a - b|``
      (kappa' increasing on [0, 1], ``|kappa'(-x)| <= kappa'(x)``): ``err' = kappa'(min(1,
      |rho| + err)) err + g``;
    * once ``rho >= 0`` (certainly: ``rho_hat - err >= 0``; the exact orbit stays in [0, 1]
      then): ``u = 1 - rho`` with ``u' = F(u) = u q(1 - u)``, ``q(x) = sum_j d_j x^j`` (tail
      sums, :func:`_tail_sums`).  One step is ``F(u_hat) (1 + eta)`` with ``|eta| <= g +
      (q'(1)/q(0)) u`` (Horner, and ``x_hat = fl(1 - u_hat)`` off by <= u; ``q'(1) <= K^2/2``,
      ``q >= q(0) = 1 - c_0^2`` on [0, 1]), and ``|F(u_hat) - F(u)| <= kappa'(x_max) |u_hat -
      u|`` (``F' = kappa'(1 - u)``), so the relative error ``r`` of ``u_hat`` obeys ``r' =
      r/(1 - r) kappa'(x_max)/q(x_hat) (1 + eta) + eta (1 + eta)`` with ``x_max = min(1, x_hat +
      r u_hat + u)``.  Since ``kappa'(x) <= q(x)`` on [rho*, 1] (a secant of a convex function),
      r grows only additively: the distance to the repelling fixed point 1 keeps its relative
      accuracy however close to 1 the orbit starts (1 - 1e-12 and beyond).
    """
    if not -1.0 < rho0 < 1.0:
        raise ValueError(f"rho0 must be in (-1, 1); got {rho0!r}")
    K = len(c2)
    g = _gamma(3 * K + 4)
    d = _tail_sums(c2)
    q0 = d[0] if d else 0.0
    qp1 = K * K / 2.0
    rho, err = [float(rho0)], [0.0]
    u, r = None, 0.0  # u-mode state: u_hat and its relative error bound
    if rho0 >= 0:
        # 1 - rho0 is exact for rho0 in [1/2, 1) (Sterbenz), correctly rounded otherwise
        u, r = 1.0 - rho0, (0.0 if rho0 >= 0.5 else U)
    for _ in range(int(layers)):
        if u is None:
            x, e = rho[-1], err[-1]
            lip = kappa_prime(c2, min(1.0, abs(x) + e)) * (1 + g)
            e_next = (lip * e + g) * (1 + 4 * U) if e < 1e-3 else math.inf
            x_next = kappa(c2, x)
            if math.isfinite(e_next) and x_next - e_next >= 0.0 and q0 > 0:
                u, r = 1.0 - x_next, (e_next + U) / max(1.0 - x_next, 1e-300)
            rho.append(x_next)
            err.append(e_next)
            continue
        x = 1.0 - u
        qv = 0.0
        for dj in reversed(d):
            qv = qv * x + dj
        eta = g + (qp1 / q0) * U
        lip = kappa_prime(c2, min(1.0, x + r * u + U)) * (1 + g)
        r = (r / (1 - r) * lip / (qv * (1 - g)) * (1 + eta) + eta * (1 + eta)) * (1 + 8 * U)
        u = u * qv
        rho.append(1.0 - u)
        e_abs = r * u * (1 + U) + U
        err.append(e_abs if e_abs < 1e-3 else math.inf)
    return rho, err


def scan_case4(
    c2: Sequence[float],
    rho0: float,
    layers: int,
    *,
    which: str = "printed",
    rate_factor: float = 1.0,
    prefactor: bool = True,
) -> dict[str, Any]:
    """Compare ``|rho_l - rho*|`` with case 4's bound (``which`` rate, times ``rate_factor``) for
    ``l = 1..layers`` in float64 (``prefactor=False``: without the factor ``1/(1 - |rho_0|)``,
    a planted variant), with a tolerance per layer on the ratio derived from
    :func:`trajectory`'s bound, the bracket of rho* and the rate's sensitivity to rho*.

    Returns ``ratios``, ``tols`` (per layer; ``inf`` where round-off swamps the bound),
    ``worst_l`` (largest ``ratio - 1 - tol``: the layer a verdict is judged at), ``worst``
    (largest ratio among decided layers), ``first`` (first layer with ``ratio > 1 + tol``, or
    None), ``rho_star``, ``rho_star_err``, ``alpha``, ``decided`` (layers with finite tol).

    Tolerance on the ratio at layer l (factor 2 over the first-order sum):
    ``2 [(err_l + err*) / b_l + ratio_l eps_b]`` with ``eps_b = expm1(l dalpha/alpha) +
    (err* + u)/|rho_0 - rho*| + 8u`` and ``dalpha = (K^2 + 2) err* + 8 g`` (the rate's
    derivative in rho* is at most ``kappa''(1) + 2 <= K^2 + 2``, ``2 - kappa'(rho*) > 1``).
    """
    rho_star, e_star = fixed_point(c2)
    alpha = rate(c2, rho_star, which) * rate_factor
    K = len(c2)
    g = _gamma(2 * K + 2)
    dalpha = (K * K + 2) * e_star + 8 * g
    rho, err = trajectory(c2, rho0, layers)
    pref = abs(rho0 - rho_star) / ((1.0 - abs(rho0)) if prefactor else 1.0)
    rel0 = (e_star + U) / max(abs(rho0 - rho_star), 1e-300)
    ratios, tols = [], []
    for l in range(1, int(layers) + 1):
        b = pref * alpha**l
        ratio = abs(rho[l] - rho_star) / b if b > 0 else math.inf
        eps_b = math.expm1(l * dalpha / alpha) + rel0 + 8 * U
        if b > 1e-290 and math.isfinite(err[l]) and eps_b < 0.1:
            tol = 2.0 * ((err[l] + e_star) / b + ratio * eps_b / (1 - eps_b))
        else:
            tol = math.inf
        ratios.append(ratio)
        tols.append(tol)
    decided = [i for i, t in enumerate(tols) if t < 1e-3]
    excess = [ratios[i] - 1.0 - tols[i] for i in decided]
    out: dict[str, Any] = {
        "rho_star": rho_star,
        "rho_star_err": e_star,
        "alpha": alpha,
        "ratios": ratios,
        "tols": tols,
        "decided": len(decided),
        "first": None,
        "worst": None,
        "worst_l": None,
        "worst_ratio_l": None,
    }
    if not decided:
        return out
    i = max(range(len(decided)), key=lambda j: excess[j])
    out["worst_l"] = decided[i] + 1
    top = max(decided, key=lambda j: ratios[j])
    out["worst"], out["worst_ratio_l"] = ratios[top], top + 1
    first = next((j for j in decided if ratios[j] > 1.0 + tols[j]), None)
    out["first"] = None if first is None else first + 1
    return out


def escape_layers(c2: Sequence[float], rho0: float) -> int:
    """Layers to scan from ``rho0``: three times the escape time from the repelling fixed point
    1 (``log(1/(1 - |rho0|)) / log kappa'(1)``) plus 200, capped at 20000.  Past it the orbit
    contracts by ``kappa'(rho*)`` per layer, so the ratio to a bound of rate alpha changes by
    ``kappa'(rho*)/alpha <= 1`` per layer: it decays for the corrected rate (``kappa'(rho*) <
    1/(2 - kappa'(rho*))``) and does not grow for the printed one."""
    k1 = kappa_prime(c2, 1.0)
    t = math.log(1.0 / (1.0 - abs(rho0))) / math.log(k1) if k1 > 1 else 0.0
    return int(min(3 * t + 200, 20000))


__all__ = [
    "RATES",
    "case2_bound",
    "case3_bound",
    "case4_bound",
    "coefficients",
    "escape_layers",
    "fixed_point",
    "kappa",
    "kappa_prime",
    "rate",
    "rate_corrected",
    "rate_printed",
    "regime",
    "scan_case4",
    "trajectory",
]
