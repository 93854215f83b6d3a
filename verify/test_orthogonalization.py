"""Iterative orthogonalization (Eq. 6; arXiv v1, App. E) and full whitening (Sec. 3.2): exact
identities over adversarial matrices with derived slack; controls refuted by drawn
counterexamples.  Checks in ``theory.checks.lemmas``."""

from __future__ import annotations

import strategies as st_
from strategies import explore, refute_by_search

from theory.engine import problems, worst_ratio
from theory.statements import proof_lemmas as P


def test_eq6(ctx):
    k = ctx.pick(ci=40, thorough=400, paper=400)
    rows = explore(
        ctx, st_.eq6_cases(), P.ORTHO_IDENTITY.check, max_examples=k, label="eq6 identity"
    )
    dec = explore(ctx, st_.eq6_cases(), P.ORTHO_DECREASE.check, max_examples=k, label="V(WH)/V(H)")
    assert not problems(rows + dec)
    assert worst_ratio(dec) >= 0.99 * P.ORTHO_DECREASE.extra["supremum"]


def test_eq6_controls(ctx):
    for stmt, c in (
        (P.ORTHO_IDENTITY, "sqrt-sigma"),
        (P.ORTHO_IDENTITY, "one-over-k"),
        (P.ORTHO_DECREASE, "sqrt-sigma"),
        (P.ORTHO_DECREASE, "contraction-0.99"),
    ):
        assert not problems(refute_by_search(ctx, st_.eq6_cases(), stmt.check, c, max_examples=300))


def test_full_whitening(ctx):
    k = ctx.pick(ci=40, thorough=400, paper=400)
    rows = explore(ctx, st_.whitening_cases(), P.WHITENING.check, max_examples=k, label="V(FW(M))")
    for c in ("bn-diagonal", "sample-gram-at-d<n"):
        rows += refute_by_search(ctx, st_.whitening_cases(), P.WHITENING.check, c, max_examples=300)
    assert not problems(rows)
