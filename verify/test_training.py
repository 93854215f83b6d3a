"""Section 5 claims on the authors' protocol (theory/statements/training.py; checks in
theory/training/checks.py): draw the profile's case, check, record, assert.

Sizes (runs on 2 shared CPU cores under ci): width 32, depths 2 / 8 / 32, 60 SGD steps,
20 paired seeds per training claim (30 for Fig. 4b, 50 for the gaps at init); thorough: width 64,
100 steps, 30 seeds;
paper: width 128, depths 2 / 15 / 45 / 75, 300 steps.  The training runs on the suite's torch
device (``--backend torch --device cuda``), else on the CPU.
"""

from __future__ import annotations

import pytest

pytest.importorskip("torch", reason="the training claims need PyTorch: pip install -e '.[train]'")
pytest.importorskip(
    "sklearn", reason="the digits data needs scikit-learn: pip install -e '.[train]'"
)

from theory.engine import problems, record_all  # noqa: E402
from theory.statements import training as S  # noqa: E402

pytestmark = pytest.mark.training


def _case(ctx, **kw):
    return {
        "width": ctx.pick(ci=32, thorough=64, paper=128),
        "depths": ctx.pick(ci=(2, 32), thorough=(2, 32), paper=(2, 15, 45, 75)),
        "steps": ctx.pick(ci=60, thorough=100, paper=300),
        "seeds": ctx.pick(ci=20, thorough=30, paper=30),
        **kw,
    }


def _gap_case(ctx):
    return _case(ctx, depths=ctx.pick(ci=(2, 8, 32), thorough=(2, 8, 32), paper=(15, 45, 75)),
                 seeds=ctx.pick(ci=50, thorough=100, paper=50))  # fmt: skip


@pytest.mark.parametrize(
    "stmt, case",
    [
        (S.XAVIER_GAP_GROWS, _gap_case),
        (S.ORTHO_GAP_LOWER, _gap_case),
        (S.XAVIER_LOSS_WORSENS, _case),
        (
            S.ORTHO_TRAINS_FASTER,
            lambda c: _case(c, ablation_seeds=c.pick(ci=0, thorough=4, paper=4)),
        ),
        (S.SGD_LOWERS_GAP, lambda c: _case(c, depth=c.pick(ci=8, thorough=8, paper=20), seeds=30)),
        (S.EQ6_PRINTED, _case),
        (S.DEEP_TRAINING_FINITE, lambda c: {"width": 16, "depth": 40, "steps": 8, "seeds": 4}),
    ],
    ids=lambda v: getattr(v, "id", ""),
)
def test_training_claim(ctx, stmt, case):
    rows = record_all(stmt.check(ctx, case(ctx)))
    assert not problems(rows), problems(rows)
