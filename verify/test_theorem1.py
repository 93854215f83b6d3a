"""Theorem 1 (Eq. 3) at finite width: draw, check, target, record, assert.

The check logic (alpha from a pilot quantile so that A1 is not rare, runs drawn until the data
decide on the profile's budget, both readings x both handlings of A1, edge controls at 0.8,
planted variants, tightness) lives in
:mod:`theory.checks.theorem1`; the bounds are the records' (:mod:`theory.statements.theorem1`).
"""

from __future__ import annotations

import pytest
import strategies as H
from strategies import explore

from theory.checks import theorem1 as C
from theory.engine import problems


def test_theorem1_bound(ctx):
    rows = explore(
        ctx,
        H.theorem1_cases(ctx),
        C.theorem1_check,
        max_examples=ctx.pick(ci=3, thorough=6, paper=30),
        label="E[V]/bound (point estimate)",
    )
    assert not problems(rows)


@pytest.mark.parametrize(
    "control, reading", [(c, r) for c, s in C.CONTROL_SETUPS.items() for r in s[4]]
)
def test_theorem1_control_refuted(ctx, control, reading):
    rows = C.control_check(ctx, {"control": control, "reading": reading})
    assert not problems(rows)


def test_theorem1_plateau_decreases_with_width(ctx):
    case = {"part": "monotone", "d": (16, 1024), "avg": ctx.pick(ci=20, thorough=100, paper=480)}
    rows = C.tightness_check(ctx, case)
    assert not problems(rows)
    assert [r.verdict for r in rows if r.control is None] == ["pass"]


@pytest.mark.parametrize("part", ["width", "batch", "decay"])
def test_theorem1_tightness_reported(ctx, part):
    # info rows (bootstrap / point-estimate fits, not finite-sample): no verdict to sample for,
    # so their runs stay a fixed size per profile
    runs = ctx.pick(ci=40, thorough=80, paper=1000)
    avg = ctx.pick(ci=20, thorough=50, paper=480)
    case = {
        "width": {
            "part": "width",
            "runs": runs,
            "avg": avg,
            "x": ctx.pick(
                ci=(64, 256, 1024, 4096),
                thorough=(64, 128, 256, 512, 1024, 2048, 4096, 8192),
                paper=tuple(2**k for k in range(4, 15)),
            ),
        },
        "batch": {
            "part": "batch",
            "runs": runs,
            "avg": avg,
            "d": 1024,
            "x": ctx.pick(
                ci=(2, 3, 4, 6, 8),
                thorough=(2, 3, 4, 6, 8, 12, 16),
                paper=(2, 3, 4, 6, 8, 12, 16, 24, 32),
            ),
        },
        "decay": {
            "part": "decay",
            "runs": max(20, runs // 2),
            "layers": 14,
            "n": ctx.pick(ci=(2, 4, 8), thorough=(2, 4, 8, 16), paper=(2, 4, 8, 16, 32)),
            "d": ctx.pick(ci=4096, thorough=2**14, paper=2**17),
        },
    }[part]
    rows = C.tightness_check(ctx, case)
    assert rows and all(r.verdict == "info" for r in rows)
