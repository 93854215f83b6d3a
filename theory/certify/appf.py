r"""The 2021 App. F chain at infinite width against the AISTATS 2025 kernel map, certified
(issue 19, item 6; record ``kernel-map-2025/app-f-limit``; mathematics in
:mod:`theory.batch_kernel`).

* :func:`certify_relu_fixed_point`: ``F(lo) > lo`` and ``F(hi) < hi`` for the ReLU batch map
  (separated balls: a fixed point lies in ``[lo, hi]``, ``hi - lo = 2^-40``);
* :func:`certify_trap`: the infinite-width cosine at every layer ``>= burn`` is within ``eps``
  of ``c*`` (the orbit's trap of :func:`theory.batch_kernel.relu_trap`);
* :func:`certify_limit_differs`: a planted limit (the AISTATS fixed point, the other centring's,
  the linear chain's) claimed equal to ``c*``: refuted iff ``|c* - planted| > 0`` certified;
* :func:`certify_shifted_fixed_point`: the planted "``rho* = hi + 2^-36``", refuted iff ``F(x)
  - x < 0`` is certified there.
"""

from __future__ import annotations

from fractions import Fraction

from flint import arb, fmpq

from .. import batch_kernel as BK
from . import _core as C

ID_LIMIT = "kernel-map-2025/app-f-limit"


def _q(x: Fraction) -> arb:
    return arb(fmpq(x.numerator, x.denominator))


def certify_relu_fixed_point(n: int = 4, prec: int = BK.PREC) -> C.Certificate:
    """``min(F(lo) - lo, hi - F(hi)) > 0``: the ReLU batch map (BN without centring, batch n)
    has a fixed point in ``[lo, hi]`` (:func:`theory.batch_kernel.relu_fixed_point`)."""
    timer = C.Timer()
    rs, how = BK.relu_fixed_point(n, prec)
    with C.precision(prec):
        lhs = how["F(lo) - lo"].min(-how["F(hi) - hi"])
        return C.make(
            ID_LIMIT,
            f"ReLU batch map (n = {n}, BN without centring): F(lo) > lo and F(hi) < hi, so "
            f"rho* in [lo, hi] = {C.ball_str(rs)}",
            C.decide(lhs, arb(0), ">"),
            ">",
            lhs,
            arb(0),
            prec=prec,
            seconds=timer(),
            details={
                "n": n,
                "rho*": C.ball_str(rs),
                "F'(rho*)": C.ball_str(how["F'(rho*)"]),
                "lo": str(how["lo"]),
                "hi": str(how["hi"]),
            },
        )


def certify_trap(
    activation: str, variant: str, n: int = 4, burn: int = 10, eps: float = 1e-3,
    prec: int = BK.PREC,
) -> C.Certificate:  # fmt: skip
    """``|c_l - c*| < eps`` for every layer ``l >= burn``: the window ball of
    :func:`theory.batch_kernel.window_cosine` against :func:`theory.batch_kernel.limit_cosine`
    (exact for the centred and odd cells: the difference is 0)."""
    timer = C.Timer()
    with C.precision(prec):
        win = BK.window_cosine(activation, variant, n, burn, prec)
        star = BK.limit_cosine(activation, variant, n, prec)
        lhs = abs(win - star)
        return C.make(
            ID_LIMIT,
            f"{activation}, {variant} (n = {n}): the infinite-width cosine at every layer >= "
            f"{burn} is within {eps:g} of c* = {float(star.mid()):.6f}",
            C.decide(lhs, arb(eps), "<"),
            "<",
            lhs,
            arb(eps),
            prec=prec,
            seconds=timer(),
            details={
                "n": n,
                "activation": activation,
                "variant": variant,
                "c* (ball)": C.ball_str(star),
                "window cosine (ball)": C.ball_str(win),
                "V* = |c*| sqrt((n - 1)/n)": C.ball_str(BK.gap_of_cosine(star, n)),
            },
        )


def certify_limit_differs(
    activation: str, variant: str, planted: float, control: str, n: int = 4,
    prec: int = BK.PREC,
) -> C.Certificate:  # fmt: skip
    """The planted claim "``c* = planted``" (a control): ``|c* - planted| > 0`` certified means
    refuted (``details["planted"]``; ``details["control"]`` names the control)."""
    timer = C.Timer()
    with C.precision(prec):
        star = BK.limit_cosine(activation, variant, n, prec)
        # -1/(n - 1) exactly; every other planted value is a float, i.e. an exact dyadic
        p = _q(Fraction(-1, n - 1)) if abs(planted + 1 / (n - 1)) < 1e-12 else arb(planted)
        dist = abs(star - p)
        # a planted equality is refuted when the balls separate (dist > 0 certified)
        outcome = C.REFUTED if dist > 0 else C.NOT_CERTIFIED
        return C.make(
            ID_LIMIT,
            f"planted: {activation}, {variant} (n = {n}): c* = {planted:.6g} ({control})",
            outcome,
            "==",
            star,
            p,
            prec=prec,
            seconds=timer(),
            details={
                "n": n,
                "planted": True,
                "control": control,
                "|c* - planted|": C.ball_str(dist),
            },  # fmt: skip
        )


def certify_shifted_fixed_point(n: int = 4, shift: int = 36, prec: int = BK.PREC) -> C.Certificate:
    """The planted "``rho* = hi + 2^-shift``": refuted iff ``F(x) - x < 0`` is certified at x
    (then x is no fixed point; with ``F(lo) > lo`` the root lies below it)."""
    timer = C.Timer()
    _, how = BK.relu_fixed_point(n, prec)
    x = how["hi"] + Fraction(1, 2**shift)
    with C.precision(prec):
        fx = BK.relu_map(x, n, prec=prec) - _q(x)
        outcome = C.REFUTED if fx < 0 else C.NOT_CERTIFIED
        return C.make(
            ID_LIMIT,
            f"planted: rho* = hi + 2^-{shift} (n = {n}) is a fixed point of the ReLU batch map",
            outcome,
            "==",
            fx,
            arb(0),
            prec=prec,
            seconds=timer(),
            details={
                "n": n,
                "planted": True,
                "control": "shifted-fixed-point",
                "x": str(x),
                "F(x) - x": C.ball_str(fx),
            },  # fmt: skip
        )


__all__ = [
    "ID_LIMIT",
    "certify_limit_differs",
    "certify_relu_fixed_point",
    "certify_shifted_fixed_point",
    "certify_trap",
]
