"""The line of work (issue 19), AISTATS 2025, Theorem 1 cases 1-3 as printed, over polynomial
kernel maps: the supremum of the ratio to the bound reached by a search (no @example), the
binding case certified in balls (the bound, and its edge refuted), and the planted variants
refuted by search and certified refuted where found.  Checks in
``theory.checks.line_of_work_cases``."""

from __future__ import annotations

import pytest
import strategies as st_
from strategies import refute_by_search, search_supremum

from theory.engine import problems
from theory.statements import line_of_work_cases as S

#: the planted variants of each case
PLANTED = {
    1: ("no-potential", "local-rate"),
    2: ("rate-one-minus-kappa0", "no-start-factor"),
    3: ("l-squared", "alpha-without-kappa-prime-0"),
}


def _certs(rows):
    return [r for r in rows if "certificate" in r.extra]


@pytest.mark.parametrize("k", [1, 2, 3])
def test_case_supremum_and_binding_certificate(ctx, k):
    st = S.RECORDS[k]
    n_ex = ctx.pick(ci=30, thorough=300, paper=300)
    rows, reached, best = search_supremum(
        ctx, [st], lambda n: st_.polynomial_case_cases(k, n), (2, 6), max_examples=n_ex
    )
    assert not problems(rows), problems(rows)
    assert max(reached[st.id].values()) > 0.99, reached  # the supremum 1 is approached
    n_top = max(reached[st.id], key=reached[st.id].get)
    binding = best[st.id][n_top]
    rows = st.check(ctx, {**binding, "certify": True, "controls": ("edge",)})
    certs = _certs(rows)
    assert [(r.control, r.verdict) for r in certs] == [(None, "pass"), ("edge", "refuted")], [
        (r.control, r.verdict, r.extra["certificate"]["outcome"]) for r in certs
    ]
    assert not problems(rows), problems(rows)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_case_planted_variants_refuted(ctx, k):
    st = S.RECORDS[k]
    for c in PLANTED[k]:
        # local-rate with kappa'(0) = 0 is false trivially (a bound 0): search kappa'(0) > 0
        strat = st_.polynomial_case_cases(k, 6, edge=False, min_w1=int(c == "local-rate"))
        rows = refute_by_search(ctx, strat, st.check, c, max_examples=200)
        found = rows[0].extra["case"]
        rows += st.check(ctx, {**found, "certify": True, "controls": (c,)})
        assert not problems(rows), problems(rows)
        certs = _certs(rows)
        assert [(r.control, r.verdict) for r in certs] == [(None, "pass"), (c, "refuted")], [
            (r.control, r.verdict, r.extra["certificate"]["outcome"]) for r in certs
        ]
