"""Decisive checks (issue 17), for the statements whose checks sample until the data decide: a
record's bound moved until the data exceed it by 25% (an upper bound planted 25% below the
data, a lower bound 25% above) makes the check say ``fail`` -- not ``inconclusive`` -- because
the engine keeps sampling until the data decide.  The planted bound is the record's own bound
function, replaced for the test (the check reads it through ``bound_at``).

"The data" is what the check's fail side reads: the mean for a mean bound, the exponent for a
rate, and for Lemma 2 the projected Gelbrich lower estimate of W2^2 (a false fail of ``W2^2 <=
b`` needs a lower end on W2^2 itself; ``E W2c`` is only an upper estimate of it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from theory.engine import CheckResult, RunContext
from theory.statements import assumption_a1 as A1
from theory.statements import gaussian_approx as GA
from theory.statements import proof_lemmas as P

Rows = list[CheckResult]


def _main(rows: Rows) -> Rows:
    return [r for r in rows if r.control is None and r.verdict != "info"]


def _constant(rows: Rows, original: Callable[..., float]) -> Callable[..., float]:
    """An upper bound 25% below the measured mean."""
    planted = _main(rows)[0].measured / 1.25
    return lambda *a, **k: planted


def _lemma2_factor(rows: Rows, original: Callable[..., float]) -> Callable[..., float]:
    """Lemma 2's ``2n E V`` with its constant lowered until the projected Gelbrich estimate of
    W2^2 exceeds ``k n E V`` by 25% (the bound stays linear in V, as the record's is)."""
    r = _main(rows)[0]
    n, gel, ev = r.params["n"], r.extra["sandwich"]["lower"], r.extra["E V"]
    k = gel / (1.25 * n * ev)
    return lambda n, mean_v: k * n * mean_v


def _lemma2_issue(rows: Rows, original: Callable[..., float]) -> Callable[..., float]:
    """The issue's planted constant: ``0.3 n E V`` (the data exceed it by ~38% at this case)."""
    return lambda n, mean_v: 0.3 * n * mean_v


def _exponent_above(rows: Rows, original: Callable[..., float]) -> Callable[..., float]:
    """Table 1's lower bound on the exponent, 25% above the measured exponent."""
    planted = _main(rows)[0].measured * 1.25
    return lambda *a, **k: planted


def _s_min_above(rows: Rows, original: Callable[..., float]) -> Callable[..., float]:
    """Sec. 3.3's ``E s_min >= sqrt d - sqrt n`` 25% above the measured mean (the other bounds
    of the record unchanged)."""
    planted = _s_min_rows(rows)[0].measured * 1.25
    return lambda kind, **kw: planted if kind == "mean-min" else original(kind, **kw)


def _s_min_rows(rows: Rows) -> Rows:
    return [r for r in _main(rows) if r.check.startswith("E s_min")]


_RATE = {"n": 2, "d1": 8, "d2": 32, "burn": 5, "window": 5, "seed": 2}
_LEMMA2 = {"n": 2, "d": 4, "l": 1, "family": "spiked", "param": 0.3, "seed": 0}
_COR3 = {"n": 2, "d": 64, "l": 2, "family": "collinear", "param": 1e-3, "seed": 0}

#: (record, case, planted bound from the honest run's rows, rows that must fail)
CASES: list[tuple[Any, dict[str, Any], Callable[..., Any], Callable[[Rows], Rows]]] = [
    (P.DRIFT, {"s": [1.0, 0.3], "d": 256}, _constant, _main),
    (P.LEMMA6, {"s": [1.0, 0.5], "d": 4}, _constant, _main),
    (P.LEMMA7, {"s": [1.0, 0.5], "d": 4}, _constant, _main),
    (P.CESARO, {"family": "orthogonal", "d": 600, "l": 2}, _constant, _main),
    (GA.LEMMA2, _LEMMA2, _lemma2_factor, _main),
    (GA.LEMMA2, _LEMMA2, _lemma2_issue, _main),
    (GA.COROLLARY3["stated"], _COR3, _constant, _main),
    (GA.COROLLARY3["proved"], _COR3, _constant, _main),
    (GA.TABLE1, _RATE, _exponent_above, _main),
    (A1.GAUSSIAN_SIGMA_MIN, {"n": 4, "d": 16}, _s_min_above, _s_min_rows),
]
IDS = [f"{s.id}-{plant.__name__.strip('_')}" for s, _, plant, _ in CASES]


@pytest.mark.parametrize("stmt, case, plant, judged", CASES, ids=IDS)
def test_a_bound_exceeded_by_25_percent_fails(stmt, case, plant, judged):
    ctx = RunContext.create("ci")
    honest = stmt.check(ctx, case)
    assert judged(honest) and all(r.verdict == "pass" for r in judged(honest))
    # records are frozen: plant through object.__setattr__, restored after the test
    original = stmt.bound
    object.__setattr__(stmt, "bound", plant(honest, original))
    try:
        rows = list(stmt.check(RunContext.create("ci", salt="planted"), case))
    finally:
        object.__setattr__(stmt, "bound", original)

    verdicts = [r.verdict for r in judged(rows)]
    assert verdicts and set(verdicts) == {"fail"}, (stmt.id, verdicts, rows[0].extra)
    assert all("decided" in r.extra["sampling"] for r in judged(rows))
