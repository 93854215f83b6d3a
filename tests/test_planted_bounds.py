"""Decisive checks (issue 17), for the statements whose checks already sample until the data
decide (drift, Lemma 6 concentration, Lemma 7, Cesaro): a record's bound tightened until the
data exceed it by 25% makes the check say ``fail`` -- not ``inconclusive`` -- because the
engine keeps sampling until the data decide.  The planted bound is the record's own bound
function, replaced for the test (the check reads it through ``bound_at``)."""

from __future__ import annotations

import pytest

from theory.engine import RunContext
from theory.statements import proof_lemmas as P

CASES = [
    (P.DRIFT, {"s": [1.0, 0.3], "d": 256}),
    (P.LEMMA6, {"s": [1.0, 0.5], "d": 4}),
    (P.LEMMA7, {"s": [1.0, 0.5], "d": 4}),
    (P.CESARO, {"family": "orthogonal", "d": 600, "l": 2}),
]


@pytest.mark.parametrize("stmt, case", CASES, ids=[s.id for s, _ in CASES])
def test_a_bound_exceeded_by_25_percent_fails(stmt, case):
    ctx = RunContext.create("ci")
    main = [r for r in stmt.check(ctx, case) if r.control is None]
    assert main and main[0].verdict == "pass"
    planted = main[0].measured / 1.25  # the data exceed the planted bound by 25%
    # records are frozen: plant through object.__setattr__, restored after the test
    original = stmt.bound
    object.__setattr__(stmt, "bound", lambda *a, **k: planted)
    try:
        rows = [r for r in stmt.check(RunContext.create("ci", salt="planted"), case)]
    finally:
        object.__setattr__(stmt, "bound", original)

    verdicts = [r.verdict for r in rows if r.control is None]
    assert verdicts == ["fail"], (stmt.id, verdicts, rows[0].extra.get("sampling"))
    assert "decided" in rows[0].extra["sampling"]
