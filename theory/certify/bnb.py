r"""Branch and bound with interval (ball) arithmetic: certify ``f(x) < target`` on a box domain.

Boxes are lists of float pairs ``(lo, hi)`` (floats are exact dyadic rationals, so a bisection
point splits a box into two that cover it exactly).  The caller's ``evaluate(box)`` returns

* ``None``: the box holds no point of the domain (discarded);
* ``"covered"``: the box lies in a region certified by another argument (reported apart);
* an ``arb`` ball that contains ``f(x)`` for every domain point ``x`` of the box.

A box is *accepted* when the ball's upper end is below ``target``.  Otherwise an optional
``witness(box)`` returns a ball containing ``f`` at one domain point of the box (or None); a
witness whose lower end exceeds ``target`` *refutes* the claim.  Otherwise the box is bisected
along its widest side, best first (largest upper bound first, so a refutation is found early).
The run is ``"certified"`` when every box is accepted, discarded or covered; it stops as ``"not
certified"`` when a box narrower than ``min_width`` is neither accepted nor refuted, or when the
``max_boxes`` / ``time_limit`` budget is spent (never rounding a near miss into a verdict).

:class:`Dual` gives gradient enclosures for the centred (mean-value) form
``f(box) ⊆ f(c) + sum_i [df/dx_i](box) (x_i - c_i)``, whose overestimation is quadratic in the
box width (the natural interval extension's is linear).
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from flint import arb

from ._core import CERTIFIED, NOT_CERTIFIED, REFUTED, Timer

Box = list[tuple[float, float]]
EvalResult = arb | str | None


def ball(lo: float, hi: float) -> arb:
    """The ball ``[lo, hi]`` (Arb rounds outward)."""
    return arb(lo).union(arb(hi))


def offsets(lo: float, hi: float, c: float) -> arb:
    """A ball containing ``x - c`` for every ``x`` in ``[lo, hi]`` (Arb arithmetic: no float
    rounding of ``lo - c``)."""
    return (arb(lo) - arb(c)).union(arb(hi) - arb(c))


def exact(x: float) -> Fraction:
    """The exact rational value of a float (box bounds are tested for feasibility exactly)."""
    return Fraction(x)


def upper(x: arb) -> float:
    """A float >= every point of ``x`` (rounded up by one ulp for safety)."""
    return math.nextafter(float(x.upper()), math.inf)


def lower(x: arb) -> float:
    """A float <= every point of ``x``."""
    return math.nextafter(float(x.lower()), -math.inf)


@dataclass
class BnBResult:
    """Outcome of :func:`branch_and_bound`.

    ``max_upper``: the largest upper end over accepted boxes (a certified bound on ``sup f``
    over the accepted region); ``boxes``: evaluations; ``covered`` / ``discarded``: boxes
    handed to another argument / without domain points; ``witness``: ``(point, ball)`` of a
    refutation; ``stuck``: a box that was neither accepted nor refuted at ``min_width``.
    """

    outcome: str
    max_upper: float
    max_upper_box: Box | None
    boxes: int
    covered: int
    discarded: int
    seconds: float
    witness: tuple[list[float], arb] | None = None
    stuck: Box | None = None
    reason: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def branch_and_bound(
    box0: Box,
    evaluate: Callable[[Box], EvalResult],
    target: float,
    *,
    witness: Callable[[Box], arb | None] | None = None,
    max_boxes: int = 200_000,
    time_limit: float = 120.0,
    min_width: float = 1e-12,
) -> BnBResult:
    """Certify ``f < target`` on the domain inside ``box0`` (see the module docstring)."""
    timer = Timer()
    count = itertools.count()
    n_eval = covered = discarded = 0
    best = -math.inf
    best_box: Box | None = None
    heap: list[tuple[float, int, Box]] = []

    def push(box: Box) -> BnBResult | None:
        nonlocal n_eval, covered, discarded, best, best_box
        r = evaluate(box)
        n_eval += 1
        if r is None:
            discarded += 1
            return None
        if isinstance(r, str):
            covered += 1
            return None
        up = upper(r) if r.is_finite() else math.inf
        if up < target:
            if up > best:
                best, best_box = up, box
            return None
        heapq.heappush(heap, (-up, next(count), box))
        return None

    def result(outcome: str, **kw: Any) -> BnBResult:
        return BnBResult(outcome, best, best_box, n_eval, covered, discarded, timer(), **kw)

    push(box0)
    while heap:
        if n_eval >= max_boxes:
            return result(NOT_CERTIFIED, reason=f"box budget {max_boxes} spent")
        if timer() > time_limit:
            return result(NOT_CERTIFIED, reason=f"time budget {time_limit} s spent")
        _, _, box = heapq.heappop(heap)
        if witness is not None:
            w = witness(box)
            if w is not None and lower(w) > target:
                pt = [(lo + hi) / 2 for lo, hi in box]
                return result(REFUTED, witness=(pt, w), reason="witness point above target")
        if not box:
            return result(NOT_CERTIFIED, stuck=box, reason="a point domain not below target")
        i = max(range(len(box)), key=lambda j: box[j][1] - box[j][0])
        lo, hi = box[i]
        if hi - lo < min_width:
            return result(NOT_CERTIFIED, stuck=box, reason=f"box narrower than {min_width}")
        mid = (lo + hi) / 2
        for part in ((lo, mid), (mid, hi)):
            child = list(box)
            child[i] = part
            push(child)
    return result(CERTIFIED)


# ------------------------------------------------------------------ forward-mode gradients


class Dual:
    """A value ball and its gradient balls (forward-mode AD over ``arb``)."""

    __slots__ = ("g", "v")

    def __init__(self, v: arb, g: Sequence[arb]) -> None:
        self.v = v
        self.g = list(g)

    @staticmethod
    def variables(values: Sequence[arb]) -> list[Dual]:
        """Independent variables ``x_i`` with unit gradients."""
        k = len(values)
        return [
            Dual(v, [arb(1) if j == i else arb(0) for j in range(k)]) for i, v in enumerate(values)
        ]

    def _lift(self, o: Dual | arb | int | float) -> Dual:
        if isinstance(o, Dual):
            return o
        return Dual(arb(o), [arb(0)] * len(self.g))

    def __add__(self, o: Dual | arb | int | float) -> Dual:
        o = self._lift(o)
        return Dual(self.v + o.v, [a + b for a, b in zip(self.g, o.g, strict=True)])

    __radd__ = __add__

    def __neg__(self) -> Dual:
        return Dual(-self.v, [-a for a in self.g])

    def __sub__(self, o: Dual | arb | int | float) -> Dual:
        return self + (-self._lift(o))

    def __rsub__(self, o: Dual | arb | int | float) -> Dual:
        return self._lift(o) - self

    def __mul__(self, o: Dual | arb | int | float) -> Dual:
        o = self._lift(o)
        return Dual(self.v * o.v, [a * o.v + self.v * b for a, b in zip(self.g, o.g, strict=True)])

    __rmul__ = __mul__

    def __truediv__(self, o: Dual | arb | int | float) -> Dual:
        o = self._lift(o)
        q = self.v / o.v
        return Dual(q, [(a - q * b) / o.v for a, b in zip(self.g, o.g, strict=True)])

    def __rtruediv__(self, o: Dual | arb | int | float) -> Dual:
        return self._lift(o) / self

    def sqr(self) -> Dual:
        """``x^2`` (the value enclosure is made nonnegative)."""
        v = self.v * self.v
        if v.lower() < 0:
            v = arb(0).union(v.upper())
        return Dual(v, [2 * self.v * a for a in self.g])

    def sqrt(self) -> Dual:
        """``sqrt(x)``; gradient ``g / (2 sqrt x)`` (infinite if ``x`` may be 0)."""
        s = self.v.sqrt()
        return Dual(s, [a / (2 * s) for a in self.g])


def centred_upper(f: Callable[[Sequence[Any]], Any], box: Box, *, natural: bool = True) -> arb:
    r"""A ball containing ``f`` on the box, from the better of the natural interval extension
    (``f`` evaluated on the box's balls) and the centred form ``f(c) + sum_i g_i(box)[x_i -
    c_i]`` (``f`` evaluated on :class:`Dual` variables for ``g``).  ``f`` must be written with
    operations both ``arb`` and :class:`Dual` support (``+ - * /``, ``.sqr()`` via
    :func:`sq`, ``.sqrt()``)."""
    balls = [ball(lo, hi) for lo, hi in box]
    out = f(balls) if natural else None
    c = [(lo + hi) / 2 for lo, hi in box]
    fc = f([arb(x) for x in c])
    grad = f(Dual.variables(balls)).g
    cen = fc
    for gi, (lo, hi), ci in zip(grad, box, c, strict=True):
        cen = cen + gi * offsets(lo, hi, ci)
    if out is None or not out.is_finite():
        return cen
    if not cen.is_finite():
        return out
    return out.intersection(cen) if out.overlaps(cen) else cen


def sq(x: Any) -> Any:
    """``x^2`` for an ``arb`` (nonnegative enclosure) or a :class:`Dual`."""
    if isinstance(x, Dual):
        return x.sqr()
    v = x * x
    if v.lower() < 0:
        v = arb(0).union(v.upper())
    return v
