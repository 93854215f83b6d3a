"""Lemma 2, Corollary 3, the width rate (Table 1 vs Sec. 4.1) and the deterministic steps of
Lemma 2's proof: draw, check, target, record, assert (checks in theory/checks/w2.py)."""

from __future__ import annotations

import pytest
import strategies as H
from strategies import explore, search_supremum

from theory.checks import w2 as W
from theory.engine import problems
from theory.statements import gaussian_approx as GA


@pytest.mark.parametrize("stmt", [GA.CONDITIONAL, GA.CORE], ids=lambda s: s.id)
def test_supremum_found_at_every_n(ctx, stmt):
    k = ctx.pick(ci=120, thorough=400, paper=800)
    rows, reached, best = search_supremum(
        ctx, [stmt], H.w2_spectrum_cases, W.SEARCH_NS, max_examples=k
    )
    assert min(reached[stmt.id].values()) >= 0.99, reached  # no @example anywhere
    for n, case in best[stmt.id].items():
        rows += stmt.check(ctx, {**case, "controls": W.search_controls(stmt, n)})
    assert not problems(rows), problems(rows)


def test_lemma2_on_chains(ctx):
    rows = explore(
        ctx,
        H.lemma2_cases(ctx),
        GA.LEMMA2.check,
        label="E[W2c] / 2n E[V]",
        max_examples=ctx.pick(ci=4, thorough=25, paper=60),
    )
    for case in W.LEMMA2_CONTROL_CASES:
        rows += GA.LEMMA2.check(ctx, case)
    assert not problems(rows), problems(rows)


@pytest.mark.parametrize("reading", ["stated", "proved"])
def test_corollary3(ctx, reading):
    stmt = GA.COROLLARY3[reading]
    rows = [r for case in W.cor3_cases(ctx) for r in stmt.check(ctx, case)]
    assert not problems(rows), problems(rows)


@pytest.mark.parametrize("stmt", [GA.TABLE1, GA.SEC41], ids=lambda s: s.id)
def test_width_rate(ctx, stmt):
    rows = stmt.check(ctx, W.rate_case(ctx))
    assert not problems(rows), problems(rows)
