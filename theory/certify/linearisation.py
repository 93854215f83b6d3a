r"""Sawa's map at the uniform spectrum, exactly: the Jacobian is ``n/(n+2)`` on trace-zero
directions (arXiv v1 Lemma 6 / 8; THEORY_NOTES §3), and the threshold ``n >= 5`` of the stated
reading's failure.

With ``w ~ N(0, I_n)``, ``S = sum_k w_k^2`` and ``u = w^2 / S ~ Dirichlet(1/2, ..., 1/2)``,

.. math:: p_i(a) = E\Big[\frac{a_i w_i^2}{\sum_k a_k w_k^2}\Big]
               = E\Big[\frac{(1 + n e_i) u_i}{1 + X}\Big],\qquad
          a = \tfrac1n + e,\quad X = n \sum_k e_k u_k ,

valid for every ``e`` with ``a > 0`` (``1 + X = n sum_k a_k u_k`` uses only ``sum u = 1``).  The
Jacobian at ``e = 0`` is ``J_ik = n delta_ik E[u_i] - n E[u_i u_k]``, and the Dirichlet(1/2)
moments ``E u_i = 1/n``, ``E u_i^2 = 3/(n(n+2))``, ``E u_i u_k = 1/(n(n+2))`` give

.. math:: J = \frac{n}{n+2} I - \frac{1}{n+2} \mathbf 1 \mathbf 1^\top ,

i.e. ``n/(n+2)`` on ``sum e = 0`` and 0 along ``1`` (``p`` is scale invariant).  Everything here
is exact rational arithmetic (``fractions.Fraction``); a ball evaluation of the same number
(an integral at the uniform point) is reported as a cross-check.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from flint import acb, arb

from . import _core as C

ID_LIN = "meanfield/linearisation"
ID_THRESHOLD = "meanfield/threshold"
HALF = Fraction(1, 2)


def _rising(x: Fraction, k: int) -> Fraction:
    out = Fraction(1)
    for j in range(k):
        out *= x + j
    return out


def dirichlet_moment(n: int, powers: Sequence[int]) -> Fraction:
    r"""``E[prod_i u_i^{k_i}]`` for ``u ~ Dirichlet(1/2, ..., 1/2)`` in dimension ``n``, exactly:

    .. math:: E\prod_i u_i^{k_i} = \frac{\prod_i (1/2)_{k_i}}{(n/2)_{\sum_i k_i}}

    (``(x)_k`` the rising factorial).  ``powers``: the nonzero exponents ``k_i`` of distinct
    coordinates (at most ``n`` of them)."""
    C.check_int(n, "n", 1)
    if len(powers) > n or any(
        isinstance(k, bool) or not isinstance(k, int) or k < 0 for k in powers
    ):
        raise ValueError(f"powers must be at most n = {n} integers >= 0; got {powers!r}")
    num = Fraction(1)
    for k in powers:
        num *= _rising(HALF, k)
    return num / _rising(Fraction(n, 2), sum(powers))


def jacobian_at_uniform(n: int) -> list[list[Fraction]]:
    r"""``J_ik = d p_i / d a_k`` at ``a = 1/n`` (unconstrained ``a``), exactly:
    ``J_ik = n delta_ik E[u_i] - n E[u_i u_k]`` from the Dirichlet(1/2) moments."""
    C.check_int(n, "n", 2)
    e1 = dirichlet_moment(n, [1])
    e2 = dirichlet_moment(n, [2])
    e11 = dirichlet_moment(n, [1, 1])
    return [
        [(n * e1 if i == k else Fraction(0)) - n * (e2 if i == k else e11) for k in range(n)]
        for i in range(n)
    ]


def uniform_derivative_ball(n: int) -> arb:
    r"""Ball of ``int_0^1 2 y^{n+1} q(y)^{-n/2-2} dy``, ``q = 2/n + (1 - 2/n) y^2``: the
    coefficient of ``e_i`` in Sawa's deviation integral (``theory.certify.sawa_balls``, form (b))
    at the uniform spectrum, i.e. the trace-zero eigenvalue of the Jacobian computed by
    ``acb.integral`` (current precision).  Equals ``n/(n+2)``."""
    two_n = arb(2) / n

    def f(y: acb, analytic: bool) -> acb:
        q = acb(two_n) + (1 - two_n) * y * y
        r = q ** (-(n // 2) - 2)
        if n % 2:
            r = r * q.rsqrt(analytic=analytic)
        return 2 * y ** (n + 1) * r

    return acb.integral(f, 0, 1).real


def certify_linearisation(
    n: int, factor: Fraction | None = None, *, prec: int = 128
) -> C.Certificate:
    r"""``meanfield/linearisation``: the Jacobian of Sawa's map at the uniform spectrum acts on
    every trace-zero direction as multiplication by ``factor`` (default ``n/(n+2)``, the true
    value; any other value is refuted).

    Decided exactly: with ``J`` from :func:`jacobian_at_uniform`, ``J v_j = factor v_j`` must
    hold entry by entry in rationals for ``v_j = e_j - e_n``, ``j < n`` (a basis of the
    trace-zero space); ``J == (n/(n+2)) I - (1/(n+2)) 11^T`` and ``J 1 = 0`` are recorded.  Balls compared (reported):
    :func:`uniform_derivative_ball` (``acb.integral``) against ``factor``; they must overlap for
    the true factor (cross-check) and separate for a wrong one."""
    C.check_int(n, "n", 2, 256)
    C.check_prec(prec)
    fac = Fraction(n, n + 2) if factor is None else Fraction(factor)
    timer = C.Timer()
    J = jacobian_at_uniform(n)
    ok = True
    for j in range(n - 1):
        for i in range(n):
            jv = J[i][j] - J[i][n - 1]
            want = fac * ((1 if i == j else 0) - (1 if i == n - 1 else 0))
            ok = ok and jv == want
    ones = [sum(row) for row in J]
    expected = [
        [Fraction(n, n + 2) * (i == k) - Fraction(1, n + 2) for k in range(n)] for i in range(n)
    ]
    with C.precision(prec):
        b = uniform_derivative_ball(n)
        fb = C.to_arb(fac)
        balls_overlap = b.overlaps(fb)
        return C.make(
            ID_LIN,
            f"n = {n}: Sawa's map at the uniform spectrum contracts every trace-zero direction "
            f"by exactly {fac} (J v = {fac} v for sum v = 0)",
            C.CERTIFIED if ok else C.REFUTED,
            "==",
            b,
            fb,
            prec=prec,
            seconds=timer(),
            details={
                "n": n,
                "factor": str(fac),
                "decided by": "exact rational arithmetic (Dirichlet(1/2) moments)",
                "E u_i": str(dirichlet_moment(n, [1])),
                "E u_i^2": str(dirichlet_moment(n, [2])),
                "E u_i u_k": str(dirichlet_moment(n, [1, 1])),
                "J == (n/(n+2)) I - (1/(n+2)) 11^T": J == expected,
                "J 1 == 0": all(x == 0 for x in ones),
                "integral ball overlaps factor": balls_overlap,
                "integral ball": C.ball_str(b),
            },
        )


THRESHOLD_DERIVATION = (
    "Near the uniform spectrum V_l ~ K (n/(n+2))^l (the Jacobian, certify_linearisation), while "
    "the stated bound 2(1 - 2 alpha/3)^l has alpha <= 1/sqrt(n) (unit norm: sigma_min^2 <= 1/n), "
    "its slowest decay being 1 - 2/(3 sqrt n) as alpha -> 1/sqrt(n). The bound decays strictly "
    "faster than V (so V/bound -> inf for an H_0 whose trajectory keeps alpha close enough to "
    "1/sqrt n) iff 1 - 2/(3 sqrt n) < n/(n+2) <=> 2/(n+2) < 2/(3 sqrt n) <=> 3 sqrt n < n + 2 "
    "<=> 9n < (n+2)^2 <=> n^2 - 5n + 4 > 0 <=> (n-1)(n-4) > 0 <=> n >= 5 (n >= 2 integer); at "
    "n = 4 the rates are equal (2/3), for n = 2, 3 the stated rate is slower. The proved reading "
    "(alpha <= 1/n) cannot fail this way: 1 - 2/(3n) - n/(n+2) = 4(n-1)/(3n(n+2)) > 0 for n >= 2."
)


def threshold_derivation() -> str:
    """The derivation of the threshold lemma ((n-1)(n-4) > 0 iff the stated bound's best rate
    ``1 - 2/(3 sqrt n)`` is below the true contraction ``n/(n+2)``), as text."""
    return THRESHOLD_DERIVATION


def certify_threshold(n: int, *, prec: int = 128) -> C.Certificate:
    r"""``meanfield/threshold`` at one ``n``: ``(n-1)(n-4) > 0  <=>  1 - 2/(3 sqrt n) < n/(n+2)``.

    The left side is an integer sign; the right side is decided by separated balls of
    ``1 - 2/(3 sqrt n)`` and ``n/(n+2)`` when they separate, and exactly (``9n`` vs
    ``(n+2)^2`` in integers) when they do not (n = 4: equal).  Certified iff both sides agree
    (they always do: :func:`threshold_derivation`); the proved-reading margin
    ``1 - 2/(3n) - n/(n+2) = 4(n-1)/(3n(n+2))`` is recorded exactly."""
    C.check_int(n, "n", 2, 10**6)
    C.check_prec(prec)
    timer = C.Timer()
    left = (n - 1) * (n - 4) > 0
    with C.precision(prec):
        stated_rate = 1 - arb(2) / (3 * arb(n).sqrt())
        true_rate = arb(n) / (n + 2)
        by_balls = C.decide(stated_rate, true_rate, "<")
        exact_cmp = (9 * n > (n + 2) ** 2) - (9 * n < (n + 2) ** 2)  # sign of 3 sqrt n - (n+2)
        right = exact_cmp < 0  # 3 sqrt n < n + 2  <=>  stated rate < n/(n+2)
        consistent = by_balls == C.NOT_CERTIFIED or (by_balls == C.CERTIFIED) == right
        proved_margin = Fraction(1) - Fraction(2, 3 * n) - Fraction(n, n + 2)
        return C.make(
            ID_THRESHOLD,
            f"n = {n}: (n-1)(n-4) > 0 iff the stated bound's best rate 1 - 2/(3 sqrt n) is "
            f"below the true contraction n/(n+2) [here: {left} and {right}]",
            C.CERTIFIED if (left == right and consistent) else C.REFUTED,
            "iff",
            stated_rate,
            true_rate,
            prec=prec,
            seconds=timer(),
            details={
                "n": n,
                "(n-1)(n-4)": (n - 1) * (n - 4),
                "stated rate < n/(n+2)": right,
                "decided by balls": by_balls,
                "exact: sign(9n - (n+2)^2)": exact_cmp,
                "proved-reading margin 1 - 2/(3n) - n/(n+2)": str(proved_margin),
                "equals 4(n-1)/(3n(n+2))": proved_margin == Fraction(4 * (n - 1), 3 * n * (n + 2)),
                "derivation": THRESHOLD_DERIVATION,
            },
        )
