r"""Reading several quantities at each look of :func:`theory.sequential.sequential_loop`.

A check that draws one chain per batch and reads several intervals off it (two readings x two
handlings of A1, a distance per width, a vanilla and a BN chain) computes, at each look, every
interval at ``share * delta`` per side and stops once each row it will write is settled
(:func:`settled`).  At the stopping look the intervals are rebuilt with the level of the whole
sequence (:func:`whole`): each end holds at ``delta`` uniformly over the budget's looks (the
union bound of :mod:`theory.sequential`), so :func:`theory.engine.judge` reads them unchanged.
"""

from __future__ import annotations

from typing import Any

from ..engine import EDGE
from ..sequential import LoopResult, Threshold
from ..stats import ASSERTION_DELTA, Interval


def edge_refuted(est: Interval, side: str = "upper", edge: float = EDGE) -> bool:
    """What :func:`theory.engine.edge_control` says on ``est``: "``E X <= edge x estimate``"
    (upper) is refuted iff ``lower > edge x estimate``; "``E X >= estimate / edge``" (lower) iff
    ``upper < estimate / edge``."""
    if side == "upper":
        return bool(est.lower > edge * est.estimate)
    return bool(est.upper < est.estimate / edge)


def decided(est: Interval, bound: float, side: str = "upper") -> bool:
    """Whether the engine's rule decides "``E X <= bound``" (``>=`` for ``lower``) on ``est``
    (pass or fail; for a control: refuted or clearly holding)."""
    return Threshold(float(bound), side).decide(est.lower, est.upper) != "inconclusive"  # type: ignore[arg-type]


def settled(est: Interval, bound: float, side: str = "upper", edge: float | None = EDGE) -> bool:
    """A statement row is settled when its verdict is ``fail``, or ``pass`` with its edge
    control refuted (a failing statement does not wait for its edge; "not refuted" against the
    moving edge threshold is lack of evidence, never a decision)."""
    out = Threshold(float(bound), side).decide(est.lower, est.upper)  # type: ignore[arg-type]
    if out == "fail":
        return True
    return out == "pass" and (edge is None or edge_refuted(est, side, edge))


def whole(est: Interval, res: LoopResult, delta: float = ASSERTION_DELTA) -> Interval:
    """``est`` (computed at the last look's share of ``delta``) with the level of the whole
    sequence: each end holds at ``delta`` uniformly over the looks."""
    return Interval(
        est.estimate,
        est.lower,
        est.upper,
        delta,
        f"sequential {est.method}, stopped at look {res.batches} "
        f"(union bound over {res.looks} looks)",
        est.n,
    )


def how(res: LoopResult, what: str = "runs") -> dict[str, Any]:
    """What every row of the check says about its sampling (the replay)."""
    return {"sampling": res.describe(what), "batch seeds": list(res.seeds)}


__all__ = ["decided", "edge_refuted", "how", "settled", "whole"]
