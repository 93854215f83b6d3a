"""Proof ingredients of Theorem 1 (arXiv v1, App. B-C): drift, Lemmas 4, 6, 7, 8, Sawa's oracle
and the Cesaro bound without A1.  Checks in ``theory.checks.lemmas``; here: draw, check, assert."""

from __future__ import annotations

import strategies as st_
from strategies import explore, refute_by_search, search_supremum

from theory.engine import problems
from theory.statements import proof_lemmas as P


def _ns(ctx):
    return range(2, ctx.pick(ci=8, thorough=32, paper=32) + 1)


def test_lemma4_supremum(ctx):
    k = ctx.pick(ci=25, thorough=30, paper=60)
    rows, reached, _ = search_supremum(ctx, [P.LEMMA4], st_.lemma4_cases, _ns(ctx), max_examples=k)
    assert not problems(rows)
    assert min(reached[P.LEMMA4.id].values()) >= 0.99, reached


def test_lemma4_controls(ctx):
    for c in ("half-sharp-constant", "constant-0.99"):
        rows = refute_by_search(ctx, st_.lemma4_cases(5), P.LEMMA4.check, c, max_examples=200)
        assert not problems(rows)


def test_lemma8_supremum(ctx):
    stmts = [P.LEMMA8_SHARP, P.LEMMA8]
    k = ctx.pick(ci=10, thorough=20, paper=30)
    rows, reached, _ = search_supremum(ctx, stmts, st_.lemma8_cases, _ns(ctx), max_examples=k)
    assert not problems(rows)
    assert all(min(r.values()) >= 0.99 for r in reached.values()), reached


def test_lemma8_controls(ctx):
    for stmt, c in (
        (P.LEMMA8_SHARP, "constant-2n-over-n+1"),
        (P.LEMMA8_SHARP, "constant-x1.01"),
        (P.LEMMA8, "constant-2"),
    ):
        rows = refute_by_search(ctx, st_.lemma8_cases(4), stmt.check, c, max_examples=200)
        assert not problems(rows)


def test_sawa_sum_rule(ctx):
    rows = explore(
        ctx,
        st_.sawa_cases(),
        P.SAWA.check,
        max_examples=ctx.pick(ci=15, thorough=80, paper=80),
        label="|sum p - 1|",
    )
    rows += refute_by_search(
        ctx, st_.sawa_cases(), P.SAWA.check, "printed-sigma-n", max_examples=100
    )
    assert not problems(rows)


def test_drift(ctx):
    cases = st_.drift_cases(ctx.pick(ci=4096, thorough=16384, paper=65536))
    rows = explore(
        ctx, cases, P.DRIFT.check, max_examples=ctx.pick(ci=3, thorough=8, paper=30), label="drift"
    )
    ctl = {"s": [1.0, 1.0], "d": 64, "controls": ("no-width-term", "width-constant-0.35")}
    rows += P.DRIFT.check(ctx, {**ctl, "max_runs": 20000})
    assert not problems(rows)


def test_one_step_lemmas(ctx):
    """Lemma 6 concentration, Lemma 7 and Sawa's E C by Monte Carlo, per drawn H_l."""
    k = ctx.pick(ci=3, thorough=12, paper=30)
    rows = explore(ctx, st_.one_step_cases(), P.LEMMA6.check, max_examples=k, label="lemma 6")
    rows += explore(ctx, st_.one_step_cases(), P.LEMMA7.check, max_examples=k, label="lemma 7")
    rows += explore(
        ctx, st_.one_step_cases(d_max=32), P.SAWA.check, max_examples=k, label="sawa mc"
    )
    assert not problems(rows)


def test_one_step_controls(ctx):
    orth = {"s": [1.0, 1.0], "d": 4}
    rows = P.LEMMA6.check(ctx, {"s": [1.0, 0.5], "d": 4, "controls": ("half-exact", "exact-0.9")})
    rows += P.LEMMA7.check(ctx, {**orth, "controls": ("below-provable-floor", "exact-0.9")})
    s = [0.55**0.5, 0.45**0.5]
    rows += P.SAWA.check(ctx, {"s": s, "d": 8, "controls": ("printed-sigma-n", "gram-preserved")})
    assert not problems(rows)


def test_cesaro(ctx):
    cases = st_.cesaro_cases(
        ctx.pick(ci=[600, 1024], thorough=[600, 1024, 2048], paper=[600, 4096]),
        ctx.pick(ci=6, thorough=12, paper=12),
    )
    rows = explore(
        ctx,
        cases,
        P.CESARO.check,
        max_examples=ctx.pick(ci=3, thorough=8, paper=20),
        label="cesaro",
    )
    ctl = {"family": "orthogonal", "d": 600, "l": 2, "controls": ("no-width-term", "width-0.08")}
    rows += P.CESARO.check(ctx, ctl)
    assert not problems(rows)
