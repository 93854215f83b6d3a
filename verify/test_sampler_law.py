"""The reduced sampler has the naive sampler's law, on the whole normalised Gram (invariants and
fixed-basis entries); the planted wrong samplers of ``planted.py`` must be rejected by the same
tests.  Check: ``theory.checks.sampler.law_check``; verdict rule and power in its docstring."""

from __future__ import annotations

import pytest
from planted import WRONG_SAMPLERS, candidate

from theory.engine import problems
from theory.statements.sampler import EXACT_IN_LAW as ST


def _case(ctx, **kw):
    grid = [(2, 2), (2, 16), (4, 4), (4, 32), (8, 8), (8, 32)]
    grid += ctx.pick(ci=[], thorough=[(2, 64), (8, 64)], paper=[(2, 64), (8, 64)])
    return {"grid": grid, "depths": (1, 3, 8), **kw}


def test_reduced_sampler_exact_in_law(ctx):
    rows = ST.check(ctx, _case(ctx))
    assert not problems(rows), problems(rows)
    assert rows[0].verdict == "pass", (
        rows[0].verdict,
        rows[0].extra["detectable KS distance (any feature, w.p. >= 1 - alpha)"],
    )


@pytest.mark.parametrize("control", sorted(WRONG_SAMPLERS))
def test_wrong_sampler_is_caught(ctx, control):
    rows = ST.check(ctx, _case(ctx, candidate=candidate(control), control=control))
    assert not problems(rows), problems(rows)
