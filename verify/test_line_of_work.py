"""The paper in its line of work (issue 19): the soft-rank identity (NeurIPS 2020), the isometry's
normalisation identity (NeurIPS 2023) and case 4 of the kernel map's Theorem 1 (AISTATS 2025),
in float64 with derived slack over drawn cases, with certificates at drawn exact matrices.
Checks in ``theory.checks.line_of_work``; the registry's certificates in
``verify/test_certificates.py``."""

from __future__ import annotations

import strategies as st_
from strategies import explore, refute_by_search

from theory import activations as A
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


# ------------------------------------------------------------------ AISTATS 2025: Table 1, cases 2, 3, Corollary 2

#: Table 1's planted variants, by the activation they concern
TABLE1_CONTROLS = {
    "relu": ["relu-row-as-printed"],
    "exp": ["exp-alpha-as-printed"],
    "selu": ["selu-kappa-prime-one-as-printed"],
    "sigmoid": ["one-digit-off"],
}


def test_table_1_recomputed(ctx):
    rows = []
    for name in A.TABLE_1_PRINTED:
        case = {"activation": name, "controls": TABLE1_CONTROLS.get(name, [])}
        rows += L.TABLE_1.check(ctx, case)
    assert not problems(rows), problems(rows)
    found = {(r.params["activation"], r.params["column"]) for r in rows if r.verdict == "info"}
    assert found == A.TABLE_1_MISMATCHES  # 6 cells differ (recorded), 57 match
    assert sum(r.verdict == "pass" for r in rows) == 57
    assert sum(r.verdict == "refuted" for r in rows if r.control) == 4


def test_relu_case_2_as_printed_is_refuted(ctx):
    rows = L.RELU_CASE2.check(ctx, {"activation": "relu", "rho0": 0.5, "control": True})
    assert rows[0].extra["first failing layer"] == 96  # certified (registry)
    assert [r.verdict for r in rows if r.control] == ["refuted"]
    rows += refute_by_search(
        ctx, st_.relu_start_cases(), L.RELU_CASE2.check, "as-printed-from-rho0", max_examples=50
    )
    k = ctx.pick(ci=20, thorough=200, paper=200)  # a true case-2 bound is never refuted
    rows += explore(ctx, st_.sigmoid_case2_cases(), L.RELU_CASE2.check, max_examples=k, label="c2")
    assert not problems(rows), problems(rows)


def test_case3_relu_and_exp(ctx):
    k = ctx.pick(ci=30, thorough=300, paper=300)
    rows = explore(ctx, st_.case3_cases(), L.CASE3.check, max_examples=k, label="case 3")
    top = max((r for r in rows if r.control is None), key=lambda r: r.tightness)
    assert top.tightness > 0.99  # the binding case: rho_0 -> 1, where the ratio tends to 1
    edge = {**{p: top.params[p] for p in ("activation", "rho0")}, "controls": ("edge-rate",)}
    rows += L.CASE3.check(ctx, edge)
    planted = "alpha-without-kappa-prime-0"
    rows += refute_by_search(ctx, st_.case3_cases(), L.CASE3.check, planted, max_examples=100)
    assert not problems(rows), problems(rows)


def test_corollary_2_conditions(ctx):
    ctl = {"relu": ["relu-satisfies-as-printed"], "tanh": ["tanh-satisfies"]}
    rows = []
    for name in A.NAMES:
        rows += L.COR2_CONDITIONS.check(ctx, {"activation": name, "controls": ctl.get(name, [])})
    assert not problems(rows), problems(rows)
    sat = [r.params["activation"] for r in rows if r.verdict == "info" and "NOT" not in r.check]
    assert sat == ["sigmoid"] and sum(r.verdict == "refuted" for r in rows) == 2


def test_corollary_2_depth(ctx):
    controls = ("as-printed", "remark-88-is-the-float32-depth", "one-layer-early")
    case = {"kernel": "sigmoid", "rho0": -1 + 2.0**-20, "eps_bits": 24, "controls": controls}
    rows = L.COR2_DEPTH.check(ctx, case)
    assert rows[0].extra["first layer with 1 - rho_l <= 2^-24 from this rho_0"] == 10
    k = ctx.pick(ci=30, thorough=300, paper=300)
    rows += explore(ctx, st_.corollary2_cases(), L.COR2_DEPTH.check, max_examples=k, label="c2d")
    rows += refute_by_search(
        ctx, st_.corollary2_cases(), L.COR2_DEPTH.check, "as-printed", max_examples=200
    )
    assert not problems(rows) and sum(r.verdict == "refuted" for r in rows) == 4, problems(rows)
