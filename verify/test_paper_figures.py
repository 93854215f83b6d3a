"""The paper's Figs. 1, 2a, 2b, the v1 App. F conjecture and App. F.2: plan, check, record, assert.

The checks (and what each asserts) are in :mod:`theory.checks.figures`; the bounds in the records
of :mod:`theory.statements.paper_figures`.
"""

from __future__ import annotations

import pytest

from theory.checks import figures as F
from theory.engine import problems
from theory.statements import paper_figures as P


def _run(ctx, stmt, case):
    rows = stmt.check(ctx, case)
    assert not problems(rows), problems(rows)


def test_figure1_cosine(ctx):
    _run(ctx, P.FIG1, F.plan_figure1(ctx))


def test_figure2a_transient_then_flat(ctx):
    _run(ctx, P.FIG2A, F.plan_figure2a(ctx))


def test_figure2b_width_exponent(ctx):
    _run(ctx, P.FIG2B, F.plan_figure2b(ctx))


@pytest.mark.parametrize(
    ("variant", "activation"),
    [("bn", "relu"), ("bn", "tanh"), ("bn", "sin"), ("bn-centered", "linear")],
)
def test_activation_floor(ctx, variant, activation):
    _run(ctx, P.ACTIVATIONS, F.plan_activation_floor(ctx, variant, activation))


@pytest.mark.parametrize("activation", ["tanh", "sin"])
def test_odd_activation_decay(ctx, activation):
    _run(ctx, P.ODD_DECAY, F.plan_odd_decay(ctx, activation))
