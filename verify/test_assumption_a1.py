"""Assumption A1 (Fig. 3) per cell of the region d >= C n^2, in both readings, with its controls;
the phase diagram and fitted boundary (info); Sec. 3.3's sigma_min of a Gaussian H_0.
Checks in ``theory.checks.a1`` (each samples until the data decide); here: the cases, check,
record, assert."""

from __future__ import annotations

import pytest
from hypothesis import strategies as st
from strategies import explore

from theory.checks import a1 as C
from theory.engine import RunContext, problems
from theory.statements import assumption_a1 as S


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One test per cell of the active profile's plan (the profile comes from the conftest)."""
    if "cell" in metafunc.fixturenames:
        plan = C.a1_plan(RunContext.create(metafunc.config._theory["profile"]))
        metafunc.parametrize("cell", plan["cells"], ids=[f"n={c['n']}" for c in plan["cells"]])


def test_a1_region_per_cell(ctx, cell):
    n = cell["n"]
    rows = S.A1_PHASE.check(ctx, cell)
    assert not problems(rows), problems(rows)
    judged = {(r.params["reading"], r.params["d"]) for r in rows if r.control is None}
    boundary = {(r, round(c * n * n)) for r, c in S.REGION_C.items()}
    assert boundary <= judged, judged  # every reading's boundary cell was judged
    assert {r.control for r in rows if r.control} == {c.id for c in S.A1_PHASE.negative_controls}


def test_a1_phase_diagram(ctx):
    rows = C.phase_diagram(ctx, C.a1_plan(ctx)["phase"])
    assert all(r.measured is not None for r in rows), "no boundary fit: grid too small"


@st.composite
def _gaussian_cases(draw, ctx):
    n = draw(st.integers(1, ctx.pick(ci=16, thorough=32, paper=32)))
    d = n * draw(st.sampled_from((2, 3, 4, 8, 16)))
    return {"n": n, "d": min(d, max(2 * n, ctx.pick(ci=128, thorough=256, paper=256)))}


def test_gaussian_sigma_min(ctx):
    rows = explore(
        ctx,
        _gaussian_cases(ctx),
        S.GAUSSIAN_SIGMA_MIN.check,
        max_examples=ctx.pick(ci=3, thorough=12, paper=30),
        label="Sec. 3.3 measured/bound",
        examples=[{"n": 1, "d": 2}, {"n": 16, "d": 64}],
    )
    assert not problems(rows), problems(rows)
    assert {r.control for r in rows if r.control and r.control != "edge"} == {
        c.id for c in S.GAUSSIAN_SIGMA_MIN.negative_controls
    }
