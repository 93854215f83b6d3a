r"""The certificate record and the ball comparisons every certificate is decided by.

A certificate compares two enclosures (python-flint ``arb`` balls, which contain the exact real
number they stand for) in a claimed direction.  The outcome is decided by the balls alone:

* ``"certified"``: the balls separate in the claimed direction (for ``lhs < rhs``: the upper end
  of ``lhs`` is below the lower end of ``rhs``);
* ``"refuted"``: they separate the other way;
* ``"not certified"``: they overlap.  A near miss is never rounded into a verdict.

Two relations are decided by exact (rational or integer) arithmetic instead of balls:
``"=="`` (an exact identity, e.g. the Jacobian at the uniform spectrum) and ``"iff"`` (an
equivalence checked case by case); ``"consistent"`` (two enclosures of one number intersect)
is a cross-check between two evaluations: ``"certified"`` there means the intersection is
non-empty, which is all two correct enclosures can show, and ``"refuted"`` that they are
disjoint (one evaluation is wrong).  Composite certificates (branch and bound, a whole
trajectory) report the deciding pair of balls and put the rest in ``details``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from flint import arb, ctx, fmpq

CERTIFIED = "certified"
REFUTED = "refuted"
NOT_CERTIFIED = "not certified"
OUTCOMES = (CERTIFIED, REFUTED, NOT_CERTIFIED)
RELATIONS = ("<", ">", "<=", "==", "iff", "consistent")
#: Digits printed for the balls' midpoints in the certificate strings (the printed ball always
#: contains the computed one: Arb's printing contract).
DIGITS = 20


@dataclass(frozen=True)
class Certificate:
    """One certified comparison (see the module docstring for the three outcomes).

    ``lhs`` / ``rhs``: the compared balls as Arb strings; ``lhs_ball`` / ``rhs_ball``: the same
    as ``(midpoint, radius)`` floats (0.0 below float range: read the string then);
    ``max_rel_radius``: the largest radius/|midpoint| of the balls behind the verdict;
    ``prec``: working precision in bits; ``seconds``: wall time; ``boxes``: boxes evaluated
    (branch and bound only); ``details``: everything else (per-layer numbers, derivations).
    """

    id: str
    claim: str
    outcome: str
    relation: str
    lhs: str
    rhs: str
    lhs_ball: tuple[float, float]
    rhs_ball: tuple[float, float]
    max_rel_radius: float
    prec: int
    seconds: float
    boxes: int | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES}; got {self.outcome!r}")
        if self.relation not in RELATIONS:
            raise ValueError(f"relation must be one of {RELATIONS}; got {self.relation!r}")

    @property
    def certified(self) -> bool:
        """True iff the outcome is ``"certified"``."""
        return self.outcome == CERTIFIED

    def summary(self) -> str:
        """One line: id, outcome, claim and the deciding balls."""
        return f"[{self.outcome}] {self.id}: {self.claim} ({self.lhs} {self.relation} {self.rhs})"


# ------------------------------------------------------------------ balls


@contextmanager
def precision(prec: int) -> Iterator[None]:
    """Run the block at ``prec`` bits (flint's context is global: restored on exit)."""
    with ctx.workprec(prec):
        yield


def check_prec(prec: Any) -> int:
    """``prec`` must be an integer number of bits in [32, 4096]."""
    if isinstance(prec, bool) or not isinstance(prec, int) or not 32 <= prec <= 4096:
        raise ValueError(f"prec must be an integer number of bits in [32, 4096]; got {prec!r}")
    return prec


def check_int(value: Any, name: str, lo: int, hi: int | None = None) -> int:
    """``value`` must be an integer in [lo, hi]; ``ValueError`` naming ``name`` otherwise."""
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= lo
    if ok and hi is not None:
        ok = value <= hi
    if not ok:
        rng = f">= {lo}" if hi is None else f"in [{lo}, {hi}]"
        raise ValueError(f"{name} must be an integer {rng}; got {value!r}")
    return int(value)


def to_arb(x: Any) -> arb:
    """An exact or tightly rounded ball for an int, Fraction, float or arb (current precision)."""
    if isinstance(x, arb):
        return x
    if isinstance(x, Fraction):
        return arb(fmpq(x.numerator, x.denominator))
    if isinstance(x, int):
        return arb(x)
    if isinstance(x, float):
        if not math.isfinite(x):
            raise ValueError(f"expected a finite number; got {x!r}")
        return arb(x)  # a float is a dyadic rational: exact
    raise ValueError(f"expected an int, Fraction, float or arb; got {type(x).__name__}")


def ball_str(x: arb) -> str:
    """The ball as Arb prints it (contains ``x``)."""
    return x.str(DIGITS, radius=True)


def mid_rad(x: arb) -> tuple[float, float]:
    """``(midpoint, radius)`` as floats (underflow to 0.0 below ~1e-308)."""
    return float(x.mid()), float(x.rad())


def rel_radius(x: arb) -> float:
    """``radius / |midpoint|`` of the ball (``inf`` for a ball centred at 0 with radius > 0)."""
    if x.rad() == 0:
        return 0.0
    m = abs(x.mid())
    if m == 0:
        return math.inf
    return float(x.rad() / m)


def decide(lhs: arb, rhs: arb, relation: str) -> str:
    """Outcome of the claim ``lhs relation rhs`` for ``relation`` in ``<``, ``<=``, ``>``.

    ``<`` and ``<=`` are certified alike by strict separation (``upper(lhs) < lower(rhs)``):
    balls cannot certify a non-strict inequality at equality.  Refuted iff ``lower(lhs) >
    upper(rhs)`` (``>``: mirrored).  Overlap: not certified."""
    if relation in ("<", "<="):
        lo_side, hi_side = lhs, rhs
    elif relation == ">":
        lo_side, hi_side = rhs, lhs
    else:
        raise ValueError(f"relation must be '<', '<=' or '>' here; got {relation!r}")
    if lo_side.upper() < hi_side.lower():
        return CERTIFIED
    if lo_side.lower() > hi_side.upper():
        return REFUTED
    return NOT_CERTIFIED


class Timer:
    """CPU seconds of this process since construction (``time.process_time``): a certificate
    budget spent on CPU, not on waiting for a loaded machine, so its outcome does not depend
    on what else runs (the sequential engine's clock, :class:`theory.sequential.Budget`)."""

    def __init__(self) -> None:
        self._t0 = time.process_time()

    def __call__(self) -> float:
        return time.process_time() - self._t0


def make(
    id: str,
    claim: str,
    outcome: str,
    relation: str,
    lhs: arb | str,
    rhs: arb | str,
    *,
    prec: int,
    seconds: float,
    boxes: int | None = None,
    max_rel: float | None = None,
    details: dict[str, Any] | None = None,
) -> Certificate:
    """Build a :class:`Certificate` from two balls (or exact strings for ``==`` / ``iff``)."""

    def conv(x: arb | str) -> tuple[str, tuple[float, float], float]:
        if isinstance(x, str):
            return x, (math.nan, 0.0), 0.0
        return ball_str(x), mid_rad(x), rel_radius(x)

    ls, lb, lr = conv(lhs)
    rs, rb, rr = conv(rhs)
    return Certificate(
        id=id,
        claim=claim,
        outcome=outcome,
        relation=relation,
        lhs=ls,
        rhs=rs,
        lhs_ball=lb,
        rhs_ball=rb,
        max_rel_radius=max(lr, rr) if max_rel is None else max_rel,
        prec=prec,
        seconds=seconds,
        boxes=boxes,
        details=dict(details or {}),
    )
