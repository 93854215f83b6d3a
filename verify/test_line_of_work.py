"""The paper in its line of work (issue 19): the soft-rank identity (NeurIPS 2020), the isometry's
normalisation identity (NeurIPS 2023) and case 4 of the kernel map's Theorem 1 (AISTATS 2025),
in float64 with derived slack over drawn cases, with certificates at drawn exact matrices.
Checks in ``theory.checks.line_of_work``; the registry's certificates in
``verify/test_certificates.py``."""

from __future__ import annotations

import strategies as st_
from strategies import explore, refute_by_search

from theory.engine import problems
from theory.statements import line_of_work as L

#: recorded first failing layers of case 4 as printed at the example (rho_0 = 1 - 10^-e)
PRINTED_FIRST = {8: 186, 10: 225, 12: 266}


def test_soft_rank_identity(ctx):
    k = ctx.pick(ci=40, thorough=400, paper=400)
    rows = explore(ctx, st_.soft_rank_cases(), L.SOFT_RANK.check, max_examples=k, label="r(H)")
    for c in ("one-over-V2", "one-over-n2"):
        rows += refute_by_search(ctx, st_.soft_rank_cases(), L.SOFT_RANK.check, c, max_examples=300)
    assert not problems(rows), problems(rows)


def test_identities_certified_at_drawn_exact_matrices(ctx):
    k = ctx.pick(ci=10, thorough=100, paper=100)
    rows = explore(
        ctx, st_.small_exact_cases(), L.SOFT_RANK.check, max_examples=k, label="r(H) exact"
    )
    rows += explore(
        ctx, st_.small_exact_cases(), L.ISOMETRY.check, max_examples=k, label="I(N) exact"
    )
    certs = [r for r in rows if "certificate" in r.extra]
    assert len(certs) >= 2 * k and not problems(rows), problems(rows)
    assert all(r.extra["certificate"]["outcome"] == "certified" for r in certs)


def test_isometry_normalisation(ctx):
    k = ctx.pick(ci=40, thorough=400, paper=400)
    rows = explore(ctx, st_.isometry_cases(), L.ISOMETRY.check, max_examples=k, label="I(N)")
    assert any(r.verdict == "pass" for r in rows)
    for c in ("gm-over-am", "normalisation-decreases"):
        rows += refute_by_search(ctx, st_.isometry_cases(), L.ISOMETRY.check, c, max_examples=300)
    assert not problems(rows), problems(rows)


def test_case4_as_printed_is_refuted_at_the_example(ctx):
    for e, first in PRINTED_FIRST.items():
        rows = L.CASE4_PRINTED.check(ctx, {"w": [3, 3, 4], "rho0": 1 - 10.0**-e, "control": True})
        assert not problems(rows), problems(rows)
        assert rows[0].extra["first failing layer"] == first
        assert [r.verdict for r in rows if r.control] == ["refuted"]


def test_case4_corrected(ctx):
    ex = [{"w": [3, 3, 4], "rho0": 1 - 10.0**-e} for e in PRINTED_FIRST]
    rows = []
    for case in ex:
        rows += L.CASE4_CORRECTED.check(
            ctx, {**case, "controls": ("printed-third-term", "no-prefactor")}
        )
    at_example = max(r.tightness for r in rows if r.control is None)
    assert 0.17 < at_example < 0.19  # 0.1816 (the certificate's float ratio)
    k = ctx.pick(ci=60, thorough=600, paper=600)
    rows += explore(
        ctx, st_.kernel_cases(), L.CASE4_CORRECTED.check, max_examples=k, label="case 4"
    )
    assert not problems(rows), problems(rows)
