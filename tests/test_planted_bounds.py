"""Decisive checks (issue 17), for the statements whose checks sample until the data decide
(drift, Lemma 6 concentration, Lemma 7, Cesaro, Eq. 3 in both readings, the mean-field
convergence, the vanilla rank collapse, the plateau's decrease with width): a record's bound
planted so that the data exceed it by 25% (an upper bound; for a lower bound: the planted bound
lies 25% above the data) makes the check say ``fail`` -- not ``inconclusive`` -- because the
engine keeps sampling until the data decide.  The planted bound is the record's own bound
function, replaced for the test (the check reads it through ``bound_at``).

A check may judge several rows against the record's bound (Eq. 3: two handlings of A1; the
convergence: one row per width; vanilla: V and |cos|): the rows of the record's bound are those
whose ``bound`` is a value the record's function returned, and the planted constant is 25%
beyond the data of every one of them (``min(measured) / 1.25`` for an upper bound,
``1.25 max(measured)`` for a lower bound).  Rows whose bound does not come from the record
(the convergence's paired decrease, ``>= 0``) are not planted and keep their verdict."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from theory.engine import RunContext
from theory.statements import meanfield as MF
from theory.statements import proof_lemmas as P
from theory.statements import theorem1 as T1

_EQ3 = {"n": 2, "d": 256, "l": 4, "family": "gaussian", "param": 0.0, "pfail": 0.1, "seed": 0}

CASES = [
    (P.DRIFT, {"s": [1.0, 0.3], "d": 256}, "upper"),
    (P.LEMMA6, {"s": [1.0, 0.5], "d": 4}, "upper"),
    (P.LEMMA7, {"s": [1.0, 0.5], "d": 4}, "upper"),
    (P.CESARO, {"family": "orthogonal", "d": 600, "l": 2}, "upper"),
    (T1.STATED, _EQ3, "upper"),
    (T1.PROVED, _EQ3, "upper"),
    (MF.CONVERGENCE, {"n": 4, "family": "spiked", "param": 0.3, "l": 4, "d": (16, 64)}, "upper"),
    (P.VANILLA_COLLAPSE, {"family": "orthogonal", "n": 2, "d": 8}, "lower"),
    (T1.TIGHTNESS, {"part": "monotone", "d": (16, 64), "avg": 4}, "lower"),
]


def _with_bound(stmt: Any, bound: Callable[..., float], case: dict, salt: str) -> list:
    """The check's rows with the record's bound function replaced by ``bound`` (records are
    frozen: set through object.__setattr__, restored afterwards)."""
    original = stmt.bound
    object.__setattr__(stmt, "bound", bound)
    try:
        return list(stmt.check(RunContext.create("ci", salt=salt), case))
    finally:
        object.__setattr__(stmt, "bound", original)


@pytest.mark.parametrize("stmt, case, side", CASES, ids=[s.id for s, _, _ in CASES])
def test_a_bound_exceeded_by_25_percent_fails(stmt, case, side):
    returned: list[float] = []
    record_bound = stmt.bound

    def recording(*a: Any, **k: Any) -> float:
        returned.append(float(record_bound(*a, **k)))
        return returned[-1]

    rows = _with_bound(stmt, recording, case, "")
    main = [r for r in rows if r.control is None and r.bound in returned]
    assert main and all(r.verdict == "pass" for r in main), [(r.check, r.verdict) for r in main]
    measured = [r.measured for r in main]
    # the data exceed the planted bound by (at least) 25%, on the bound's side
    planted = min(measured) / 1.25 if side == "upper" else 1.25 * max(measured)

    rows = _with_bound(stmt, lambda *a, **k: planted, case, "planted")
    judged = [r for r in rows if r.control is None and r.bound == planted]
    assert len(judged) == len(main), (stmt.id, [r.check for r in rows if r.control is None])
    verdicts = [r.verdict for r in judged]
    assert verdicts == ["fail"] * len(judged), (stmt.id, verdicts, judged[0].extra.get("sampling"))
    assert all("decided" in r.extra["sampling"] for r in judged)
