r"""Sawa's map in ball arithmetic (arXiv v1, Lemma 6; :mod:`theory.sawa` is the float64 oracle).

For a spectrum ``a`` (``a_i > 0``, ``sum a_i = 1``) Sawa's integral gives

.. math:: p_i = \int_0^\infty \frac{a_i}{1 + 2 t a_i} \prod_j (1 + 2 t a_j)^{-1/2} dt,

the eigenvalues of ``E_W C`` one BN layer later.  Two enclosures of the deviation form
``p_i - 1/n`` (no cancellation near the uniform spectrum, where ``p_i - 1/n`` is ~1e-54 after
hundreds of layers) are implemented, with the spectrum given by its *levels*: distinct values
``a_j = 1/n + e_j`` with multiplicities ``m_j``.  Sawa's map keeps equal eigenvalues equal (``p_i``
depends on ``a_i`` and the multiset of ``a``), so a level representation is exact along the
whole trajectory.

**(a) two levels, closed form.**  ``k`` values ``A`` and ``n - k`` values ``B < A``.  With
``u = 2tA`` and then ``u = x/(1-x)``,

.. math:: p_A = \tfrac12 \int_0^1 (1-x)^{n/2-1} (1 - z x)^{-(n-k)/2} dx
              = \tfrac1n\, {}_2F_1\big(\tfrac{n-k}2, 1; \tfrac n2 + 1; z\big),
          \qquad z = \frac{A - B}{A} \in (0, 1)

(Euler's integral with ``b = 1``, ``c = n/2 + 1``: ``Gamma(c)/(Gamma(1) Gamma(c-1)) = n/2``), and
since ``(1)_m / m! = 1`` the series minus its first term is

.. math:: p_A - \frac1n = \frac1n \frac{a}{c}\, z\; {}_2F_1(a + 1, 1; c + 1; z), \qquad
          a = \frac{n-k}2,\; c = \frac n2 + 1,

with ``z = (e_A - e_B)/A`` computed from the deviations: no cancellation.  ``p_B`` follows from
``k p_A + (n-k) p_B = 1``.  Arb's ``hypgeom_2f1`` is rigorous.

**(b) any number of levels, Sawa's integral.**  With ``t = 1/y^2 - 1`` (``y`` from 1 to 0) every
factor becomes ``1 + 2 t a_j = q_j(y)/y^2``, ``q_j(y) = 2 a_j + (1 - 2 a_j) y^2`` (a convex
combination of ``2 a_j`` and ``1`` on ``[0, 1]``: positive), ``dt = 2 y^{-3} dy``, and the
cancellation-free form of :func:`theory.sawa.meanfield_deviation` becomes an integral over the
*finite* interval ``[0, 1]`` of a function analytic on a neighbourhood of it:

.. math:: p_i - \frac1n = \frac1n \int_0^1 \frac{2 y^{n+1}}{q_i(y)}
          \Big(\prod_j q_j(y)^{m_j}\Big)^{-1/2} \sum_j m_j \frac{e_i - e_j}{q_j(y)}\, dy .

No tail bound is needed (the substitution maps ``[0, inf)`` onto ``[0, 1]``).  The square root
is evaluated with ``rsqrt(analytic=...)`` so that ``acb.integral`` never integrates across its
branch cut (the principal branch of ``(prod q^m)^{-1/2}`` is analytic wherever the flag lets it
through, and equals the integrand on the real segment).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from flint import acb, arb, ctx

from ._core import to_arb

#: A spectrum by levels: ``((value, multiplicity), ...)``, values exact, distinct, decreasing,
#: ``sum value * multiplicity = 1``.
Levels = tuple[tuple[Fraction, int], ...]


def _as_fraction(x: Any, name: str) -> Fraction:
    if isinstance(x, bool):
        raise ValueError(f"{name} must be a real number; got {x!r}")
    if isinstance(x, Fraction):
        return x
    if isinstance(x, int):
        return Fraction(x)
    try:
        xf = float(x)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number; got {x!r}") from None
    if not math.isfinite(xf):
        raise ValueError(f"{name} must be finite; got {x!r}")
    return Fraction(xf)  # exact value of the float


def spectrum_levels(a0: Sequence[Any]) -> Levels:
    """The normalised spectrum ``a0 / sum(a0)`` as exact levels (values decreasing, equal values
    merged).  ``a0``: n >= 2 positive finite numbers (floats are taken at their exact binary
    value; Fractions exactly)."""
    vals = [_as_fraction(x, "a0") for x in a0]
    if len(vals) < 2:
        raise ValueError(f"a0 must hold n >= 2 eigenvalues; got {len(vals)}")
    if any(v <= 0 for v in vals):
        raise ValueError("a0 must be positive (the spectrum of a full-rank H_0)")
    s = sum(vals)
    counts: dict[Fraction, int] = {}
    for v in vals:
        counts[v / s] = counts.get(v / s, 0) + 1
    return tuple(sorted(counts.items(), key=lambda vm: -vm[0]))


def spike_levels(n: int, f: Any, k: int = 1) -> Levels:
    r"""The spiked two-level spectrum ``spike_spectrum(n, f/n, k)`` of
    ``theory/statements/meanfield.py`` in exact arithmetic: ``k`` eigenvalues
    ``1/n + (n - k) eps / k`` and ``n - k`` equal to ``1/n - eps``, ``eps = f/n`` (``f`` at its exact
    binary value), ``0 < f < 1``, ``1 <= k < n``."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ValueError(f"n must be an integer >= 2; got {n!r}")
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k < n:
        raise ValueError(f"k must be an integer in [1, n); got {k!r}")
    ff = _as_fraction(f, "f")
    if not 0 < ff < 1:
        raise ValueError(f"f must be in (0, 1) (eps = f/n in (0, 1/n)); got {f!r}")
    eps = ff / n
    return ((Fraction(1, n) + (n - k) * eps / k, k), (Fraction(1, n) - eps, n - k))


def levels_n(levels: Levels) -> int:
    """``n = sum of the multiplicities``."""
    return sum(m for _, m in levels)


def deviations(levels: Levels) -> list[arb]:
    """``e_j = a_j - 1/n`` as balls at the current precision (exact rationals, rounded once)."""
    n = levels_n(levels)
    return [to_arb(v - Fraction(1, n)) for v, _ in levels]


def _complete(e_head: list[arb], mults: Sequence[int]) -> list[arb]:
    """Append the last level's deviation from ``sum_j m_j e_j = 0`` (``sum p_i = 1``)."""
    s = arb(0)
    for ej, mj in zip(e_head, mults[:-1], strict=True):
        s += mj * ej
    return [*e_head, -s / mults[-1]]


def two_level_step(e_top: arb, n: int, k: int) -> arb:
    r"""``p_A - 1/n`` for ``k`` eigenvalues ``A = 1/n + e_top`` and ``n - k`` eigenvalues
    ``B = 1/n - k e_top/(n - k)`` (closed form (a) of the module docstring):

    .. math:: p_A - \frac1n = \frac1n \frac{a}{c} z\, {}_2F_1(a+1, 1; c+1; z),\quad
              a = \frac{n-k}2,\ c = \frac n2 + 1,\ z = \frac{n e_{top}}{(n-k) A} .

    Arb ball at the current precision; ``e_top`` must be a positive ball (``A > B``)."""
    if not e_top > 0:
        raise ValueError("e_top must be a ball certified > 0 (top level above the bottom one)")
    A = arb(1) / n + e_top
    z = (n * e_top) / ((n - k) * A)
    a = arb(n - k) / 2
    c = arb(n) / 2 + 1
    return (a / c) * z * z.hypgeom_2f1(a + 1, 1, c + 1) / n


def integral_step(e: Sequence[arb], mults: Sequence[int]) -> list[arb]:
    r"""``p_j - 1/n`` for every level ``j`` (integral (b) of the module docstring), levels
    ``a_j = 1/n + e_j`` with multiplicities ``mults``; the last level from ``sum m_j e'_j = 0``.

    Each integral is ``acb.integral`` on ``[0, 1]`` (rigorous; ``rsqrt(analytic=...)``), with the
    absolute tolerance goal ``max|e| 2^-prec`` (the values scale with ``e``)."""
    n = sum(mults)
    a = [arb(1) / n + ej for ej in e]
    if not all(aj > 0 for aj in a):
        raise ValueError("the levels must be certified positive (a_j = 1/n + e_j > 0)")
    scale = max((abs(ej).upper() for ej in e), default=arb(0))

    tol = scale * arb(2) ** (-ctx.prec) if scale > 0 else None
    odd = [j for j, m in enumerate(mults) if m % 2]
    out: list[arb] = []
    for i in range(len(e) - 1):
        # the j = i term is exactly 0: leave it out (e_i - e_i would be a ball of radius
        # 2 rad(e_i), and the radius would then stop contracting with the values)
        terms = [(j, mj * (e[i] - ej)) for j, (ej, mj) in enumerate(zip(e, mults, strict=True))]
        w = [(j, wj) for j, wj in terms if j != i]

        def f(y: acb, analytic: bool, i: int = i, w: list[tuple[int, arb]] = w) -> acb:
            y2 = y * y
            q = [acb(2 * aj) + (1 - 2 * aj) * y2 for aj in a]
            even = acb(1)
            for qj, mj in zip(q, mults, strict=True):
                if mj >= 2:
                    even *= qj ** (mj // 2)
            root = acb(1)
            if odd:
                prod_odd = acb(1)
                for j in odd:
                    prod_odd *= q[j]
                root = prod_odd.rsqrt(analytic=analytic)
            s = acb(0)
            for j, wj in w:
                s += wj / q[j]
            return 2 * y ** (n + 1) * root * s / (even * q[i])

        kw = {} if tol is None else {"abs_tol": tol}
        v = acb.integral(f, 0, 1, **kw)
        if not v.imag.contains(0):
            raise ArithmeticError("Sawa integral returned a non-real enclosure")
        out.append(v.real / n)
    return _complete(out, mults)


def levels_step(e: Sequence[arb], mults: Sequence[int], method: str) -> list[arb]:
    """One layer of the mean-field map on level deviations, ``method`` ``"2f1"`` (two levels,
    :func:`two_level_step`) or ``"integral"`` (:func:`integral_step`)."""
    if method == "2f1":
        if len(e) != 2:
            raise ValueError(f"method '2f1' needs a two-level spectrum; got {len(e)} levels")
        n, k = sum(mults), mults[0]
        return _complete([two_level_step(e[0], n, k)], mults)
    if method == "integral":
        return integral_step(e, mults)
    raise ValueError(f"method must be '2f1' or 'integral'; got {method!r}")
