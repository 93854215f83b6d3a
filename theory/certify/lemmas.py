r"""Deterministic lemmas over their whole domain, by branch and bound in ball arithmetic.

* ``lemma-4/gap-vs-lyapunov`` (arXiv v1 App. B, Lemma 4, sharp form):
  ``V <= sqrt(n(n-1)) Vhat`` on the spectrum simplex, ``V^2 = sum_i (a_i - 1/n)^2``,
  ``Vhat = 1/n - a_n`` (``a`` sorted decreasingly, ``sum a = 1``).
* ``lemma-8/sharp`` (arXiv v1 App. C, Lemma 8, sharp form):
  ``1/n - p_n <= (1 - c s_n^2)(1/n - s_n^2)`` with ``c = 2n/(n+2)``, ``s_n^2 = a_n`` and Sawa's
  ``p_n`` (:mod:`theory.sawa`).
* ``w2/conditional-vs-gap`` (Lemma 2's proof; ``theory.gaussian_w2.sup_w2c_over_nv2``):
  ``W2c/(n V^2) <= 2u^2/(1+u)``, ``u = sqrt(1 - 1/n)``, ``W2c = sum_i (s_i - 1/sqrt n)^2``.

Each returns a :class:`theory.certify._core.Certificate` whose ``details`` give the boxes
evaluated, the time, the certified maximum and what (if anything) is covered by an analytic
argument instead of boxes.  Where a supremum is attained the claim is ``max <= sup + eps``
with ``eps`` stated; where both sides vanish (Lemma 8 at the uniform spectrum) the
neighbourhood is covered by an exact expansion, stated in the certificate.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from flint import acb, arb

from . import _core as C
from .bnb import Box, Dual, branch_and_bound, centred_upper, exact, offsets, sq, upper
from .linearisation import dirichlet_moment

ID_L4 = "lemma-4/gap-vs-lyapunov"
ID_L8 = "lemma-8/sharp"
ID_W2 = "w2/conditional-vs-gap"


def _bnb_details(res: Any) -> dict[str, Any]:
    return {
        "boxes evaluated": res.boxes,
        "boxes covered by the local argument": res.covered,
        "boxes without domain points": res.discarded,
        "branch-and-bound seconds": res.seconds,
        "stopped because": res.reason or "all boxes decided",
        "witness": None
        if res.witness is None
        else {"point": res.witness[0], "value": C.ball_str(res.witness[1])},
        "stuck box": res.stuck,
    }


# ------------------------------------------------------------------ Lemma 4


def certify_lemma4(
    n: int,
    *,
    constant: Any = 1,
    eps: float = 1e-9,
    prec: int = 64,
    max_boxes: int = 200_000,
    time_limit: float = 60.0,
) -> C.Certificate:
    r"""``lemma-4/gap-vs-lyapunov``: ``max V / (sqrt(n(n-1)) Vhat) <= constant + eps`` over all
    spectra ``a`` (sorted, ``sum a = 1``, ``a != 1/n``).

    Reduction (exact): ``V`` and ``Vhat`` are both homogeneous of degree 1 in ``e = a - 1/n``, and
    every direction with ``e_n = min e < 0`` is realised by a small multiple inside the simplex,
    so the ratio's range is that over ``{e_n = -1, e_1 >= ... >= e_{n-1} >= -1, sum_{i<n} e_i =
    1}``, a compact polytope: no neighbourhood of the uniform point is left out.  There
    ``ratio^2 = (1 + sum_{i<n} e_i^2) / (n(n-1))``.  Branch and bound over ``(e_1..e_{n-2})``
    (``e_{n-1} = 1 - sum``) with the natural and centred ball forms.  The supremum 1 is attained
    at ``a_2 = ... = a_n`` (vertex ``e = (n-1, -1, ..., -1)``), so the honest claim is
    ``max <= 1 + eps``; ``constant < 1`` (a planted claim) is refuted by a witness or not
    certified, never certified."""
    C.check_int(n, "n", 2, 8)
    C.check_prec(prec)
    kappa = float(constant)
    if not (math.isfinite(kappa) and kappa > 0):
        raise ValueError(f"constant must be a finite number > 0; got {constant!r}")
    if not (isinstance(eps, float | int) and 0 <= eps < 1):
        raise ValueError(f"eps must be a number in [0, 1); got {eps!r}")
    timer = C.Timer()
    nn = n * (n - 1)

    def f(v: Sequence[Any]) -> Any:
        s: Any = 1 - sum(v, arb(0)) if v else arb(1)
        tot: Any = 1 + sq(s)
        for x in v:
            tot = tot + sq(x)
        return tot / nn

    def evaluate(box: Box) -> Any:
        # feasibility in exact rationals: e_{n-1} = 1 - sum >= -1 and e sorted somewhere
        lo_last = 1 - sum(exact(hi) for _, hi in box)
        hi_last = 1 - sum(exact(lo) for lo, _ in box)
        if hi_last < -1:
            return None
        seq = [(exact(lo), exact(hi)) for lo, hi in box] + [(lo_last, hi_last)]
        if any(seq[i][1] < seq[i + 1][0] for i in range(len(seq) - 1)):
            return None  # not sorted anywhere in the box
        if not box:
            return f([])
        return centred_upper(f, box)

    def witness(box: Box) -> Any:
        c = [(lo + hi) / 2 for lo, hi in box]
        last = 1 - sum(exact(x) for x in c)
        seq = [exact(x) for x in c] + [last]
        if last < -1 or any(seq[i] < seq[i + 1] for i in range(len(seq) - 1)):
            return None
        return f([arb(x) for x in c])

    with C.precision(prec):
        target = upper((arb(kappa) + eps) ** 2)
        res = branch_and_bound(
            [(-1.0, float(n - 1))] * (n - 2),
            evaluate,
            target,
            witness=witness,
            max_boxes=max_boxes,
            time_limit=time_limit,
        )
        at_max = f([arb(n - 1)] + [arb(-1)] * (n - 3)).sqrt() if n > 2 else f([]).sqrt()
        cert_max = arb(res.max_upper).sqrt() if res.max_upper > -math.inf else arb(0)
        return C.make(
            ID_L4,
            f"n = {n}: V <= ({kappa} + {eps:g}) sqrt(n(n-1)) Vhat on the whole spectrum simplex",
            res.outcome,
            "<=",
            cert_max,
            arb(kappa) + eps,
            prec=prec,
            seconds=timer(),
            boxes=res.boxes,
            details={
                "n": n,
                "quantity": "max over the simplex of V / (sqrt(n(n-1)) Vhat); the boxes bound its "
                "square (1 + sum_{i<n} e_i^2)/(n(n-1)) (witness values are squares too)",
                "certified max <=": float(upper(cert_max)),
                "value at a_2 = ... = a_n (attained sup)": C.ball_str(at_max),
                "eps": eps,
                "uncovered": "nothing (homogeneous reduction to a compact polytope of directions)",
                **_bnb_details(res),
            },
        )


# ------------------------------------------------------------------ W2 ratio


def w2_sup_ball(n: int) -> arb:
    """``2u^2/(1+u)``, ``u = sqrt(1 - 1/n)`` (the closed form ``sup_w2c_over_nv2``), as a ball."""
    u = (1 - arb(1) / n).sqrt()
    return 2 * u * u / (1 + u)


def certify_w2(
    n: int,
    *,
    eps: float = 1e-9,
    bound: Any = None,
    prec: int = 64,
    max_boxes: int = 200_000,
    time_limit: float = 60.0,
) -> C.Certificate:
    r"""``w2/conditional-vs-gap``: ``max W2c / (n V^2) <= sup(n) + eps`` over all unit-norm
    spectra, ``sup(n) = 2u^2/(1+u)``, ``u = sqrt(1 - 1/n)`` (or ``bound + eps`` for a given
    ``bound``: a planted value below the supremum is refuted or not certified).

    With ``x = sqrt(n) s`` (``sum x_i^2 = n``, ``x >= 0`` sorted, not all 1):
    ``rho(x) = sum (x_i - 1)^2 / sum (x_i^2 - 1)^2``.  Branch and bound over ``(x_2..x_n)``,
    ``x_1 = sqrt(n - sum_{i>=2} x_i^2)``, with the centred ball form and the bound
    ``rho <= 1/(1 + min_i x_i)^2`` (``rho`` is ``1 / `` a weighted mean of ``(x_i + 1)^2``), which
    covers the neighbourhood of the uniform point (``rho -> 1/4`` there: 0/0 for intervals).
    The supremum is attained at ``x = (v, ..., v, 0)``, ``v = sqrt(n/(n-1))``."""
    C.check_int(n, "n", 2, 8)
    C.check_prec(prec)
    if not (isinstance(eps, float | int) and 0 <= eps < 1):
        raise ValueError(f"eps must be a number in [0, 1); got {eps!r}")
    timer = C.Timer()

    def parts(v: Sequence[Any]) -> tuple[Any, list[Any]]:
        s: Any = arb(0)
        for x in v:
            s = s + sq(x)
        x1 = n - s
        return x1, list(v)

    def rho(v: Sequence[Any]) -> Any:
        rest, xs = parts(v)
        if isinstance(rest, Dual):
            x1 = rest.sqrt()
        else:
            x1 = rest.sqrt() if rest > 0 else rest.nonnegative_part().sqrt()
        num: Any = sq(x1 - 1)
        den: Any = sq(sq(x1) - 1)
        for x in xs:
            num = num + sq(x - 1)
            den = den + sq(sq(x) - 1)
        return num / den

    def evaluate(box: Box) -> Any:
        s_lo = sum(exact(lo) ** 2 for lo, _ in box)
        if n - s_lo < exact(box[0][0]) ** 2:  # x_1 <= sqrt(n - sum lo^2) < x_2 everywhere
            return None
        if any(box[i][1] < box[i + 1][0] for i in range(len(box) - 1)):
            return None
        q2 = upper(1 / (1 + arb(box[-1][0])) ** 2)  # x_n is the smallest coordinate
        best = q2
        if n - sum(exact(hi) ** 2 for _, hi in box) > 0:
            r = centred_upper(rho, box)
            if r.is_finite():
                best = min(best, upper(r))
        return arb(0).union(arb(best))

    def witness(box: Box) -> Any:
        c = [(lo + hi) / 2 for lo, hi in box]
        rest = n - sum(exact(x) ** 2 for x in c)
        if rest <= 0 or rest < exact(c[0]) ** 2 or any(c[i] < c[i + 1] for i in range(len(c) - 1)):
            return None
        if all(abs(x - 1) < 1e-12 for x in c):
            return None
        return rho([arb(x) for x in c])

    with C.precision(prec):
        sup = w2_sup_ball(n)
        claim_b = sup if bound is None else C.to_arb(Fraction(bound))
        target = upper(claim_b + eps)
        box0 = [(0.0, math.nextafter(math.sqrt(n / k), math.inf)) for k in range(2, n + 1)]
        res = branch_and_bound(
            box0, evaluate, target, witness=witness, max_boxes=max_boxes, time_limit=time_limit
        )
        v = (arb(n) / (n - 1)).sqrt()
        at_max = rho([v] * (n - 2) + [arb(0)])
        from ..gaussian_w2 import sup_w2c_over_nv2

        return C.make(
            ID_W2,
            f"n = {n}: W2c/(n V^2) <= {'sup(n)' if bound is None else bound} + {eps:g} over all "
            "unit-norm spectra",
            res.outcome,
            "<=",
            arb(res.max_upper) if res.max_upper > -math.inf else arb(0),
            claim_b + eps,
            prec=prec,
            seconds=timer(),
            boxes=res.boxes,
            details={
                "n": n,
                "sup(n) = 2u^2/(1+u)": C.ball_str(sup),
                "theory.gaussian_w2.sup_w2c_over_nv2(n)": sup_w2c_over_nv2(n),
                "float closed form inside the ball": bool(sup.contains(arb(sup_w2c_over_nv2(n))))
                or abs(float(sup.mid()) - sup_w2c_over_nv2(n)) < 1e-15,
                "value at (v,...,v,0) (attained sup)": C.ball_str(at_max),
                "certified max <=": res.max_upper,
                "eps": eps,
                "uncovered": "nothing (the uniform point's neighbourhood is covered by "
                "rho <= 1/(1 + min x)^2 inside the boxes)",
                **_bnb_details(res),
            },
        )


# ------------------------------------------------------------------ Lemma 8


def _q(a: Sequence[arb], y: acb) -> list[acb]:
    y2 = y * y
    return [acb(2 * ak) + (1 - 2 * ak) * y2 for ak in a]


def sawa_J(a: Sequence[arb]) -> arb:
    r"""``J(a) = p_n / a_n = int_0^inf (1+2ta_n)^{-1} prod_k (1+2ta_k)^{-1/2} dt
    = int_0^1 2 y^{n-1} / (q_n(y) sqrt(prod_k q_k(y))) dy``, ``q_k = 2a_k + (1 - 2a_k) y^2``
    (``t = 1/y^2 - 1``), for any positive ``a`` (not necessarily normalised): ball, current
    precision.  ``J`` is decreasing in every ``a_k``."""
    n = len(a)

    def f(y: acb, analytic: bool) -> acb:
        q = _q(a, y)
        P = acb(1)
        for qk in q:
            P *= qk
        return 2 * y ** (n - 1) * P.rsqrt(analytic=analytic) / q[-1]

    return acb.integral(f, 0, 1).real


def sawa_dJ(a: Sequence[arb], m: int) -> arb:
    r"""``dJ/da_m = -2 beta_m int_0^1 2 y^{n-1} (1 - y^2) / (q_m q_n sqrt(prod_k q_k)) dy``,
    ``beta_m = 1/2 + [m = n]`` (index ``m`` 0-based, ``n - 1`` the last).  Negative, and
    increasing in every ``a_k`` (all second derivatives of the integrand in ``a`` are positive)."""
    n = len(a)
    beta = arb(3) / 2 if m == n - 1 else arb(1) / 2

    def f(y: acb, analytic: bool) -> acb:
        q = _q(a, y)
        P = acb(1)
        for qk in q:
            P *= qk
        return 2 * y ** (n - 1) * (1 - y * y) * P.rsqrt(analytic=analytic) / (q[-1] * q[m])

    return -2 * beta * acb.integral(f, 0, 1).real


LOCAL_DERIVATION = (
    "Exact expansion (a = 1/n + e, u ~ Dirichlet(1/2), X = n sum_k e_k u_k, 1 + X = n sum_k a_k "
    "u_k > 0): p_i = E[(1 + n e_i) u_i / (1 + X)] and 1/(1+X) = 1 - X + X^2/(1+X) give, with "
    "E u_i = 1/n, E[u_i X] = 2 e_i/(n+2) (sum e = 0), p_i - 1/n = (n/(n+2)) e_i - (2n/(n+2)) e_i^2 "
    "+ R_i, R_i = E[n a_i u_i X^2/(1+X)] >= 0. With Vhat = -e_n the right side of Lemma 8 is "
    "(1 - (2n/(n+2)) a_n) Vhat = (n/(n+2)) Vhat + (2n/(n+2)) Vhat^2, so RHS - LHS = R_n + (2n/(n+2) "
    "- c) a_n Vhat exactly. Since 1 + X <= n a_1, R_n >= (a_n/a_1) E[u_n X^2] and E[u_n X^2] = "
    "n^2 e^T T e (T_kl = E[u_n u_k u_l]) = 2n(|e|^2 + 4 e_n^2)/((n+2)(n+4)) on sum e = 0 (checked "
    "in rationals). Hence for c <= 2n/(n+2): RHS - LHS >= (a_n/a_1) 2n(|e|^2 + 4 Vhat^2)/((n+2)"
    "(n+4)) > 0 unless e = 0 or a_n = 0 (then both sides are equal)."
)


def local_quadratic_form_check(n: int) -> bool:
    r"""Exact check (rationals) of ``n^2 sum_{kl} e_k e_l E[u_n u_k u_l] = 2n(|e|^2 + 4 e_n^2) /
    ((n+2)(n+4))`` on ``sum e = 0``: ``P A P == P B P`` with ``P = I - 11^T/n``."""
    C.check_int(n, "n", 2, 64)
    m3 = {
        "nnn": dirichlet_moment(n, [3]),
        "nnk": dirichlet_moment(n, [2, 1]),
        "nkl": dirichlet_moment(n, [1, 1, 1]) if n >= 3 else Fraction(0),
    }
    last = n - 1

    def T(k: int, l: int) -> Fraction:
        idx = {last, k, l}
        if len(idx) == 1:
            return m3["nnn"]
        if len(idx) == 2:
            return m3["nnk"]
        return m3["nkl"]

    A = [[n * n * T(k, l) for l in range(n)] for k in range(n)]
    coef = Fraction(2 * n, (n + 2) * (n + 4))
    B = [[coef * ((k == l) + 4 * (k == l == last)) for l in range(n)] for k in range(n)]
    P = [[Fraction(int(i == j)) - Fraction(1, n) for j in range(n)] for i in range(n)]

    def mul(X: list[list[Fraction]], Y: list[list[Fraction]]) -> list[list[Fraction]]:
        return [[sum(X[i][k] * Y[k][j] for k in range(n)) for j in range(n)] for i in range(n)]

    return mul(mul(P, A), P) == mul(mul(P, B), P)


def _identity_crosscheck(n: int, points: int, seed: int, prec: int) -> dict[str, Any]:
    """Ball cross-check of the expansion at ``points`` random sorted spectra: ``R_n = p_n - 1/n
    - (n/(n+2)) e_n + (2n/(n+2)) e_n^2`` (``p_n = a_n J(a)`` by ``acb.integral``) must lie in
    ``[(a_n/a_1) Q, Q]``, ``Q = 2n(|e|^2 + 4 e_n^2)/((n+2)(n+4))``; counts the certified pairs."""
    rng = random.Random(seed)
    ok = 0
    fails: list[list[float]] = []
    with C.precision(prec):
        for j in range(points):
            scale = 10.0 ** (-3 * j / max(points - 1, 1))  # from far to near the uniform point
            w = sorted((rng.random() for _ in range(n)), reverse=True)
            m = sum(w) / n
            e = [Fraction(scale * (x - m) / (2 * n * max(abs(y - m) for y in w))) for x in w]
            e[-1] = -sum(e[:-1])
            a = [C.to_arb(Fraction(1, n) + x) for x in e]
            ea = [C.to_arb(x) for x in e]
            pn = a[-1] * sawa_J(a)
            R = pn - arb(1) / n - arb(n) / (n + 2) * ea[-1] + arb(2 * n) / (n + 2) * ea[-1] ** 2
            Q = (sum((x * x for x in ea), arb(0)) + 4 * ea[-1] ** 2) * (2 * n) / ((n + 2) * (n + 4))
            lo = a[-1] / a[0] * Q
            if C.decide(lo, R, "<=") == C.CERTIFIED and C.decide(R, Q, "<=") == C.CERTIFIED:
                ok += 1
            else:
                fails.append([float(x) for x in e])
    return {"points": points, "certified inside [(a_n/a_1) Q, Q]": ok, "failed at e": fails}


def certify_lemma8(
    n: int,
    *,
    constant: Any = None,
    radius: float | None = None,
    prec: int = 64,
    max_boxes: int = 100_000,
    time_limit: float = 60.0,
    crosscheck_points: int = 12,
) -> C.Certificate:
    r"""``lemma-8/sharp``: ``1/n - p_n <= (1 - c a_n)(1/n - a_n)`` on every sorted spectrum with
    ``a_n > 0``; ``c = constant`` (default ``2n/(n+2)``, the sharp constant).

    Quantity: ``G_c(a) = (RHS - LHS)/a_n = J(a) - 1 - c/n + c a_n`` (``p_n = a_n J(a)``,
    :func:`sawa_J`); the claim is ``G_c > 0``.  Both sides vanish at the uniform point (``G_c``
    -> 0) and agree on the face ``a_n = 0`` (``p_n = 0``), which is outside the domain.

    * Branch and bound over ``(a_2..a_n)`` (``a_1 = 1 - sum``) outside the sup-norm ball
      ``|a - 1/n|_inf < radius``: lower bounds of ``G_c`` from the monotonicity of ``J``
      (``J(a) >= J(a^hi)``) and, where that is not enough, from the mean-value form with
      gradient enclosures ``dJ/da_m in [dJ/da_m(a^lo), dJ/da_m(a^hi)]`` (monotone too); each
      ``J`` is one ``acb.integral``.
    * Inside the ball (only for ``c <= 2n/(n+2)``): the exact expansion :data:`LOCAL_DERIVATION`
      (``RHS - LHS >= (a_n/a_1) 2n(|e|^2 + 4 Vhat^2)/((n+2)(n+4))``), a pen-and-paper step whose
      quadratic-form identity is checked in rationals (:func:`local_quadratic_form_check`) and
      whose bracket is cross-checked in balls at ``crosscheck_points`` spectra.  For ``c >
      2n/(n+2)`` it does not apply: the boxes cover the whole simplex (a planted constant is
      refuted by a witness near the uniform point)."""
    C.check_int(n, "n", 2, 6)
    C.check_prec(prec)
    c_sharp = Fraction(2 * n, n + 2)
    c = c_sharp if constant is None else Fraction(constant)
    if not 0 <= c < n:
        raise ValueError(f"constant must be in [0, n); got {constant!r}")
    local = c <= c_sharp
    if radius is None:
        radius = 0.01 / n if local else 0.0
    if not (isinstance(radius, float | int) and 0 <= radius < 1.0 / n):
        raise ValueError(f"radius must be a number in [0, 1/n); got {radius!r}")
    if radius > 0 and not local:
        raise ValueError("radius must be 0 for a constant above 2n/(n+2) (no local cover)")
    timer = C.Timer()
    stats = {"J": 0, "mean-value boxes": 0}
    lowest: list[Any] = [math.inf, None]

    with C.precision(prec):
        cb = C.to_arb(c)
        inv_n = Fraction(1, n)
        rad_q = Fraction(radius)

        def a_bounds(box: Box) -> tuple[list[Fraction], list[Fraction]]:
            # exact rationals: the feasibility and "inside the ball" tests do not round
            lo = [1 - sum(exact(h) for _, h in box)] + [exact(l) for l, _ in box]
            hi = [1 - sum(exact(l) for l, _ in box)] + [exact(h) for _, h in box]
            return lo, hi

        def G_at(a_list: Sequence[arb]) -> arb:
            stats["J"] += 1
            return sawa_J(a_list) - 1 - cb / n + cb * a_list[-1]

        def exact_sum(vals: Sequence[float]) -> arb:
            s = arb(0)
            for v in vals:
                s += arb(v)
            return s

        def evaluate(box: Box) -> Any:
            lo, hi = a_bounds(box)
            if hi[0] < lo[1] or any(box[i][1] < box[i + 1][0] for i in range(len(box) - 1)):
                return None
            if hi[-1] <= 0:
                return None
            if radius > 0 and all(
                inv_n - rad_q < l and h < inv_n + rad_q for l, h in zip(lo, hi, strict=True)
            ):
                return "covered"
            # a^hi as balls containing the exact corner (a_1^hi = 1 - sum lo exactly enclosed)
            ahi = [1 - exact_sum([l for l, _ in box])] + [arb(h) for _, h in box]
            g_lo = sawa_J(ahi) - 1 - cb / n + cb * arb(box[-1][0])
            stats["J"] += 1
            best = g_lo.lower()
            if not best > 0 and lo[-1] > 0 and lo[0] > 0:
                stats["mean-value boxes"] += 1
                alo = [1 - exact_sum([h for _, h in box])] + [arb(l) for l, _ in box]
                cen = [(l + h) / 2 for l, h in box]
                ac = [1 - exact_sum(cen)] + [arb(x) for x in cen]
                g_c = G_at(ac)
                d_lo = [sawa_dJ(alo, m) for m in range(n)]
                d_hi = [sawa_dJ(ahi, m) for m in range(n)]
                stats["J"] += 2 * n
                mv = g_c
                for m in range(1, n):
                    g_m = (d_lo[m] - d_hi[0]).union(d_hi[m] - d_lo[0]) + (cb if m == n - 1 else 0)
                    l_, h_ = box[m - 1]
                    mv = mv + g_m * offsets(l_, h_, cen[m - 1])
                if mv.is_finite():
                    best = best.max(mv.lower())
            if best > 0 and float(best) < lowest[0]:
                lowest[0], lowest[1] = float(best), box
            return -best  # a ball whose upper end bounds -G_c on the box

        def witness(box: Box) -> Any:
            cen = [(l + h) / 2 for l, h in box]
            a = [1 - sum(exact(x) for x in cen)] + [exact(x) for x in cen]
            if a[-1] <= 0 or any(a[i] < a[i + 1] for i in range(n - 1)):
                return None
            ac = [1 - exact_sum(cen)] + [arb(x) for x in cen]
            return -G_at(ac)

        box0 = [(0.0, 1.0 / k) for k in range(2, n + 1)]
        res = branch_and_bound(
            box0, evaluate, 0.0, witness=witness, max_boxes=max_boxes, time_limit=time_limit
        )
        local_ok = local_quadratic_form_check(n) if local else None
        cross = (
            _identity_crosscheck(n, crosscheck_points, seed=n, prec=128)
            if local and crosscheck_points > 0
            else None
        )
        outcome = res.outcome
        if outcome == C.CERTIFIED and radius > 0:
            all_cross = (
                cross is not None and cross["certified inside [(a_n/a_1) Q, Q]"] == cross["points"]
            )
            if not (local_ok and all_cross):
                outcome = C.NOT_CERTIFIED
        min_lower = arb(lowest[0]) if lowest[0] < math.inf else arb(0)
        covered_text = (
            f"the sup-norm ball |a - 1/n| < {radius:g} around the uniform spectrum is covered by "
            "the exact expansion (LOCAL_DERIVATION), not by boxes"
            if radius > 0
            else "nothing: boxes cover the whole simplex"
        )
        return C.make(
            ID_L8,
            f"n = {n}: 1/n - p_n <= (1 - {c} a_n)(1/n - a_n) on every sorted spectrum, a_n > 0",
            outcome,
            ">",
            min_lower if res.outcome != C.REFUTED else -res.witness[1],  # type: ignore[index]
            arb(0),
            prec=prec,
            seconds=timer(),
            boxes=res.boxes,
            details={
                "n": n,
                "constant c": str(c),
                "sharp constant 2n/(n+2)": str(c_sharp),
                "quantity": "G_c = (RHS - LHS)/a_n = J(a) - 1 - c/n + c a_n, claim G_c > 0",
                "certified min of G_c over the boxes >=": lowest[0]
                if lowest[0] < math.inf
                else None,
                "at box": lowest[1],
                "certified max of (LHS - RHS)/a_n <=": -lowest[0] if lowest[0] < math.inf else None,
                "uncovered / covered otherwise": covered_text,
                "local argument": LOCAL_DERIVATION if local else None,
                "quadratic form identity (rationals)": local_ok,
                "ball cross-check of the expansion": cross,
                "integrals evaluated": stats["J"],
                "mean-value boxes": stats["mean-value boxes"],
                **_bnb_details(res),
            },
        )


__all__ = [
    "LOCAL_DERIVATION",
    "certify_lemma4",
    "certify_lemma8",
    "certify_w2",
    "local_quadratic_form_check",
    "sawa_J",
    "sawa_dJ",
    "w2_sup_ball",
]
