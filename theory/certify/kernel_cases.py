r"""Theorem 1 of AISTATS 2025 (Joudaki & Hofmann), cases 1-3, on polynomial kernel maps, in ball
arithmetic: the orbit, the ratio of each layer's distance to the printed bound, and the
certificate at one kernel and start.

A kernel is given by non-negative integer weights ``w`` (``c_k^2 = w_k / sum w``, exact
rationals, ``kappa(rho) = sum_k c_k^2 rho^k``, ``kappa(1) = 1``).  Theorem 1 (paper/main.tex of
github.com/ajoudaki/kernel-global, commit 66fc025), for ``rho_0 in (-1, 1)`` and a nonlinear
activation (``sum_{k>=2} c_k^2 > 0``):

1. ``kappa(0) = 0``: ``psi(rho_l) <= psi(rho_0) alpha^l`` with the potential ``psi(rho) =
   |rho| / (1 - |rho|)`` and ``alpha = 1/(2 - kappa'(0))``;
2. ``kappa(0) > 0``, ``kappa'(1) < 1``: ``|rho_l - 1| <= |rho_0 - 1| alpha^l``, ``alpha =
   kappa'(1)``;
3. ``kappa(0) > 0``, ``kappa'(1) = 1``: ``|rho_l - 1| <= |rho_0 - 1| / (l alpha |rho_0 - 1| +
   1)``, ``alpha = 1 - kappa(0) - kappa'(0)``.

**Orbits without cancellation.**  Case 1 iterates ``rho`` itself (Horner over the balls: the
terms of ``kappa(rho) = rho sum_{k>=1} c_k^2 rho^{k-1}`` keep the relative accuracy of ``rho``
as it decays to 0; ``1 - |rho|`` is taken from the ball, exact enough near 1 at 128+ bits for
``1 - |rho_0| >= 2^-60``).  Cases 2, 3 iterate ``u = 1 - rho``:
``u' = 1 - kappa(1 - u) = u q(1 - u)``, ``q(x) = sum_j d_j x^j``, ``d_j = sum_{k > j} c_k^2``
(tail sums, positive): ``u`` keeps its relative accuracy however small it gets (a naive
``1 - (1 - u)^k`` loses everything once ``u`` is below the working precision).

**Certificates** (three outcomes, :mod:`theory.certify._core`): at every layer ``1..layers``
the distance ball against the bound ball (both exact formulas in balls): ``certified`` iff
``distance < bound`` with separated balls at every layer, ``refuted`` iff ``distance > bound``
with separated balls at some layer (the first one recorded), else ``not certified``.  A
planted variant (another rate, another bound form) uses the same comparison.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

from flint import arb, fmpq

from . import _core as C

CASES = (1, 2, 3)
#: certificate ids (= the statement ids of :mod:`theory.statements.line_of_work_cases`)
IDS = {
    1: "kernel-map-2025/case-1-polynomial",
    2: "kernel-map-2025/case-2-polynomial",
    3: "kernel-map-2025/case-3-polynomial",
}
#: the bound forms: the printed one of each case and the planted ones
FORMS = ("potential", "no-potential", "geometric", "no-start-factor", "harmonic", "l-squared")
#: the printed form of each case
PRINTED_FORM = {1: "potential", 2: "geometric", 3: "harmonic"}
MAX_LAYERS = 20000


def exact_kernel(w: Sequence[Any]) -> list[Fraction]:
    """``c_k^2 = w_k / sum w`` as exact rationals; ``w``: non-negative integers (or Fractions),
    at least two entries, not all zero."""
    ws = list(w)
    if len(ws) < 2:
        raise ValueError(f"w must have at least 2 entries (c_0^2, c_1^2, ...); got {w!r}")
    if any(isinstance(x, bool) or not isinstance(x, (int, Fraction)) for x in ws):
        raise ValueError(f"w must hold integers or Fractions (an exact kernel); got {w!r}")
    fs = [Fraction(x) for x in ws]
    if any(x < 0 for x in fs) or sum(fs) <= 0:
        raise ValueError(f"w must be non-negative and not all zero; got {w!r}")
    tot = sum(fs)
    return [x / tot for x in fs]


def kappa_prime_one(c2: Sequence[Fraction]) -> Fraction:
    """``kappa'(1) = sum_k k c_k^2`` (exact)."""
    return sum((k * x for k, x in enumerate(c2)), Fraction(0))


def case_of(c2: Sequence[Fraction]) -> int:
    """Theorem 1's case (exact): 1 if ``kappa(0) = 0``; else 2, 3 or 4 as ``kappa'(1)`` is
    below, equal to or above 1."""
    if c2[0] == 0:
        return 1
    k1 = kappa_prime_one(c2)
    return 2 if k1 < 1 else (3 if k1 == 1 else 4)


def nonlinear(c2: Sequence[Fraction]) -> bool:
    """``sum_{k>=2} c_k^2 > 0``: the activation is not affine (Theorem 1's standing
    hypothesis, 'nonlinear activations')."""
    return any(x > 0 for x in c2[2:])


def check_kernel(w: Sequence[Any], case: int) -> list[Fraction]:
    """The exact kernel of ``w`` after checking that it satisfies case ``case``'s hypotheses
    (``ValueError`` naming ``w`` and the rule otherwise)."""
    if case not in CASES:
        raise ValueError(f"case must be one of {CASES}; got {case!r}")
    c2 = exact_kernel(w)
    if not nonlinear(c2):
        raise ValueError(f"w must give a nonlinear kernel (some w_k > 0 with k >= 2); got {w!r}")
    got = case_of(c2)
    if got != case:
        rule = {
            1: "kappa(0) = 0 (w_0 = 0)",
            2: "kappa(0) > 0 and kappa'(1) < 1 (w_0 > sum_{k>=2} (k - 1) w_k)",
            3: "kappa(0) > 0 and kappa'(1) = 1 (w_0 = sum_{k>=2} (k - 1) w_k > 0)",
        }[case]
        raise ValueError(f"w must satisfy case {case}: {rule}; got {w!r} (case {got})")
    return c2


def rate(c2: Sequence[Fraction], case: int) -> Fraction:
    """The printed alpha of case ``case`` (exact): ``1/(2 - kappa'(0))``, ``kappa'(1)`` or ``1 -
    kappa(0) - kappa'(0)``."""
    if case == 1:
        return 1 / (2 - c2[1])
    if case == 2:
        return kappa_prime_one(c2)
    if case == 3:
        return 1 - c2[0] - c2[1]
    raise ValueError(f"case must be one of {CASES}; got {case!r}")


def _q(x: Fraction) -> arb:
    return arb(fmpq(x.numerator, x.denominator))


def orbit_rho(c2: Sequence[Fraction], rho0: Any, layers: int) -> list[arb]:
    """Balls of ``rho_l``, ``l = 0..layers`` (``rho_{l+1} = kappa(rho_l)``, Horner over balls) at
    the current precision: the coordinate of case 1 (``rho -> 0``)."""
    C.check_int(layers, "layers", 0, MAX_LAYERS)
    cb = [_q(x) for x in c2]
    r = C.to_arb(rho0)
    out = [r]
    for _ in range(layers):
        acc = arb(0)
        for c in reversed(cb):
            acc = acc * r + c
        r = acc
        out.append(r)
    return out


def tail_sums(c2: Sequence[Fraction]) -> list[Fraction]:
    """``d_j = sum_{k > j} c_k^2`` (j = 0..K-2): ``1 - kappa(x) = (1 - x) sum_j d_j x^j``."""
    return [sum(c2[j + 1 :], Fraction(0)) for j in range(len(c2) - 1)]


def orbit_u(c2: Sequence[Fraction], rho0: Any, layers: int) -> list[arb]:
    """Balls of ``u_l = 1 - rho_l``, ``l = 0..layers``, by ``u' = u q(1 - u)`` (tail sums,
    :func:`tail_sums`): the coordinate of cases 2 and 3 (``rho -> 1``), free of cancellation."""
    C.check_int(layers, "layers", 0, MAX_LAYERS)
    d = [_q(x) for x in tail_sums(c2)]
    u = 1 - C.to_arb(rho0)
    out = [u]
    for _ in range(layers):
        x = 1 - u
        acc = arb(0)
        for dj in reversed(d):
            acc = acc * x + dj
        u = u * acc
        out.append(u)
    return out


def potential(r: arb) -> arb:
    """``psi(rho) = |rho| / (1 - |rho|)`` (case 1's potential)."""
    a = abs(r)
    return a / (1 - a)


def distances(c2: Sequence[Fraction], rho0: Any, layers: int, form: str) -> list[arb]:
    """The left side of the bound form at ``l = 0..layers``: ``psi(rho_l)`` (``potential``),
    ``|rho_l|`` (``no-potential``), else ``|rho_l - 1| = u_l``."""
    if form not in FORMS:
        raise ValueError(f"form must be one of {FORMS}; got {form!r}")
    if form == "potential":
        return [potential(r) for r in orbit_rho(c2, rho0, layers)]
    if form == "no-potential":
        return [abs(r) for r in orbit_rho(c2, rho0, layers)]
    return orbit_u(c2, rho0, layers)


def bound_ball(form: str, rho0: arb, alpha: arb, l: int) -> arb:
    """The right side of the bound form at layer l (balls): ``psi(rho_0) alpha^l``
    (``potential``), ``|rho_0| alpha^l`` (``no-potential``), ``|rho_0 - 1| alpha^l``
    (``geometric``), ``alpha^l`` (``no-start-factor``), ``x_0/(l alpha x_0 + 1)``
    (``harmonic``, ``x_0 = |rho_0 - 1|``), ``x_0/(l^2 alpha x_0 + 1)`` (``l-squared``)."""
    if form == "potential":
        return potential(rho0) * alpha**l
    if form == "no-potential":
        return abs(rho0) * alpha**l
    x0 = 1 - rho0
    if form == "geometric":
        return x0 * alpha**l
    if form == "no-start-factor":
        return alpha**l
    if form == "harmonic":
        return x0 / (l * alpha * x0 + 1)
    if form == "l-squared":
        return x0 / (l * l * alpha * x0 + 1)
    raise ValueError(f"form must be one of {FORMS}; got {form!r}")


def ratio_balls(
    c2: Sequence[Fraction],
    rho0: Any,
    alpha: Any,
    layers: int,
    form: str,
    prec: int = 128,
    bound: Callable[[arb, arb, int], arb] | None = None,
) -> list[tuple[arb, arb]]:
    """``[(distance_l, bound_l)]`` for ``l = 1..layers`` at ``prec`` bits (``rho0``: a float or
    Fraction, exact, in (-1, 1); ``alpha``: a Fraction, float or ball); ``bound(rho0, alpha,
    l)``: the right side evaluated on balls (default :func:`bound_ball` of ``form``; a record
    passes its own bound function, the same formula)."""
    C.check_prec(prec)
    if isinstance(rho0, bool) or not isinstance(rho0, (int, float, Fraction)) or not -1 < rho0 < 1:
        raise ValueError(f"rho0 must be a number in (-1, 1); got {rho0!r}")
    fn = bound if bound is not None else (lambda r, a, l: bound_ball(form, r, a, l))
    with C.precision(prec):
        r0 = _q(Fraction(rho0))
        a = _q(alpha) if isinstance(alpha, Fraction) else C.to_arb(alpha)
        ds = distances(c2, r0, layers, form)
        return [(ds[l], fn(r0, a, l)) for l in range(1, layers + 1)]


def certify_case(
    w: Sequence[Any],
    rho0: Any,
    case: int,
    *,
    form: str | None = None,
    alpha: Any = None,
    scale: Any = 1,
    layers: int = 500,
    prec: int = 192,
    control: str | None = None,
) -> C.Certificate:
    """Case ``case`` of Theorem 1 at the kernel ``w`` from ``rho0``: ``distance_l < bound_l`` at
    every layer ``1..layers`` (the printed form and rate by default; ``form``/``alpha``/``scale``
    given: a planted variant, the bound of ``form`` at ``alpha`` times ``scale``; ``control``
    names it in ``details``).  Certified iff separated balls at
    every layer; refuted iff separated the other way at one (the first such layer is the
    deciding one); the deciding balls otherwise are those of the largest ratio."""
    c2 = check_kernel(w, case)
    C.check_int(layers, "layers", 1, MAX_LAYERS)
    form = PRINTED_FORM[case] if form is None else form
    a = rate(c2, case) if alpha is None else alpha
    timer = C.Timer()
    with C.precision(prec):
        sc = C.to_arb(scale) if not isinstance(scale, Fraction) else _q(scale)
        pairs = ratio_balls(
            c2, rho0, a, layers, form, prec, bound=lambda r, al, l: sc * bound_ball(form, r, al, l)
        )
        verdicts = [C.decide(x, b, "<") for x, b in pairs]
        ratios = [float((x / b).mid()) if b != 0 else float("inf") for x, b in pairs]
        bad = next((i for i, v in enumerate(verdicts) if v == C.REFUTED), None)
        i = bad if bad is not None else max(range(len(ratios)), key=ratios.__getitem__)
        if bad is not None:
            outcome = C.REFUTED
        elif all(v == C.CERTIFIED for v in verdicts):
            outcome = C.CERTIFIED
        else:
            outcome = C.NOT_CERTIFIED
        x, b = pairs[i]
        a_str = str(a) if isinstance(a, Fraction) else f"{float(C.to_arb(a).mid()):.9g}"
        details: dict[str, Any] = {
            "w": list(w),
            "rho_0": float(rho0),
            "case": case,
            "form": form,
            "alpha": a_str,
            "scale": float(scale),
            "deciding layer": i + 1,
            "max ratio (float)": max(ratios),
            "layer of max ratio": ratios.index(max(ratios)) + 1,
            "first layer exceeded (separated balls)": None if bad is None else bad + 1,
            "layers": layers,
        }
        if control is not None:
            details.update({"planted": True, "control": control})
        return C.make(
            IDS[case],
            f"case {case}, w = {list(w)}, rho_0 = {float(rho0)!r}: {form} bound with alpha = "
            f"{a_str}{'' if scale == 1 else f' times {float(scale):.9g}'} holds at every layer 1..{layers}",
            outcome,
            "<",
            x,
            b,
            prec=prec,
            seconds=timer(),
            max_rel=max(max(C.rel_radius(x), C.rel_radius(b)) for x, b in pairs),
            details=details,
        )


__all__ = [
    "CASES",
    "FORMS",
    "IDS",
    "PRINTED_FORM",
    "bound_ball",
    "case_of",
    "certify_case",
    "check_kernel",
    "distances",
    "exact_kernel",
    "kappa_prime_one",
    "nonlinear",
    "orbit_rho",
    "orbit_u",
    "potential",
    "rate",
    "ratio_balls",
    "tail_sums",
]
