"""The paper in its line of work (issue 19), ICLR 2024 (Meterez et al.): Haar weights, n = d,
BN without centring, the isometry gap.  The reduced sampler in law against the naive chain; the
gap's sure monotonicity over drawn cases (float64, derived slack) and certified in balls at
drawn exact matrices; the notebook's constant C = 0.015 against the smallest valid C measured
per d; the one-step rate 2/(d + 2).  Checks in ``theory.checks.line_of_work_iclr``."""

from __future__ import annotations

import strategies as st_
from strategies import explore, refute_by_search

from theory.engine import problems
from theory.statements import line_of_work_iclr as L


def test_haar_reduced_sampler_in_law(ctx):
    grid = ctx.pick(
        ci=[(3, 3), (3, 5)], thorough=[(3, 3), (4, 4), (3, 6), (6, 6)], paper=[(4, 4), (8, 8)]
    )
    depths = ctx.pick(ci=(1, 3, 6), thorough=(1, 3, 8), paper=(1, 3, 8))
    rows = []
    for control in (None, "transposed-factor", "gaussian-weights"):
        case = {"grid": grid, "depths": depths, "control": control}
        rows += L.HAAR_SAMPLER.check(ctx, case)
    assert not problems(rows), problems(rows)
    assert [r.verdict for r in rows] == ["pass", "refuted", "refuted"], [r.verdict for r in rows]


def test_gap_monotone(ctx):
    k = ctx.pick(ci=60, thorough=300, paper=300)
    rows = explore(ctx, st_.haar_monotone_cases(), L.GAP_MONOTONE.check, max_examples=k, label="m")
    assert sum(r.verdict == "pass" for r in rows) >= 1
    for c, strat in (
        ("gaussian-weights", st_.haar_monotone_cases()),
        ("width-above-batch", st_.haar_wide_cases()),
    ):
        rows += refute_by_search(ctx, strat, L.GAP_MONOTONE.check, c, max_examples=100)
    assert not problems(rows), problems(rows)
    assert sum(r.verdict == "refuted" for r in rows if r.control) == 2


def test_gap_monotone_certified_at_drawn_exact_matrices(ctx):
    k = ctx.pick(ci=12, thorough=60, paper=60)
    rows = explore(
        ctx, st_.haar_monotone_cases(exact=True), L.GAP_MONOTONE.check, max_examples=k,
        label="m exact",
    )  # fmt: skip
    certs = [r for r in rows if "certificate" in r.extra]
    assert len(certs) >= k and not problems(rows), problems(rows)
    bad = [
        (r.params, r.extra["certificate"])
        for r in certs
        if r.extra["certificate"]["outcome"] != "certified"
    ]
    assert not bad, [(p, c["lhs"], c["rhs"], c["max_rel_radius"]) for p, c in bad]


def test_notebook_constant(ctx):
    ds = ctx.pick(ci=[2, 4, 8, 16], thorough=[2, 4, 8, 16, 32, 50], paper=[2, 4, 8, 16, 32, 50])
    rows = []
    for d in ds:
        controls = ["printed-C"] if d <= 32 else []
        rows += L.NOTEBOOK_CONSTANT.check(ctx, {"d": d, "seed": 0, "controls": controls})
    assert not problems(rows), problems(rows)
    mine = [r for r in rows if r.control is None and r.verdict != "info"]
    assert [r.verdict for r in mine] == ["pass"] * len(ds)
    printed = [r for r in rows if r.control == "printed-C"]
    assert len(printed) == sum(d <= 32 for d in ds)
    assert all(r.verdict == "refuted" for r in printed)


def test_one_step_rate(ctx):
    ds = ctx.pick(ci=[2, 4, 8, 16], thorough=[2, 4, 8, 16, 32, 50], paper=[2, 4, 8, 16, 32, 50])
    rows = []
    for d in ds:
        rows += L.ONE_STEP_RATE.check(ctx, {"d": d, "seed": 0, "controls": ["squared-factor"]})
    assert not problems(rows), problems(rows)
    assert [r.verdict for r in rows if r.control is None] == ["pass"] * len(ds)
