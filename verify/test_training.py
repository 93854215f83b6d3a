"""Section 5 claims on the authors' protocol (theory/statements/training.py; checks in
theory/checks/training.py): draw the profile's case, check, record, assert.

Sizes: ci (2 CPU cores): width 48, depths 15 / 75, 150 SGD steps (depths 2 / 15 / 75 for the gaps
at init, depth 8 for Fig. 4b), ablation table with 3 seeds; thorough: width 64; paper (one GPU):
width 128, depths 15 / 45 / 75, 300 steps.  No seed counts: each claim adds paired seeds until
the data decide, up to the profile's ``max_seeds`` (theory.checks.training.until_decided; each
seed's training run is stored once per suite run and shared by the claims and the workers).
Training cost grows like width^2 x depth x steps x seeds (the missing seeds train as one batched
model on one thread): width 64 costs ~2x the ci wall time.  The training runs on the suite's
torch device (``--backend torch --device cuda``), else on the CPU.
"""

from __future__ import annotations

import pytest

pytest.importorskip("torch", reason="the training claims need PyTorch: pip install -e '.[train]'")
pytest.importorskip(
    "sklearn", reason="the digits data needs scikit-learn: pip install -e '.[train]'"
)

from theory.engine import problems  # noqa: E402
from theory.statements import training as S  # noqa: E402

pytestmark = pytest.mark.training


def _case(ctx, **kw):
    # the cases only: the seeds are added until the data decide, up to the profile's max_seeds
    return {
        "width": ctx.pick(ci=48, thorough=64, paper=128),
        "depths": ctx.pick(ci=(15, 75), thorough=(15, 75), paper=(15, 45, 75)),
        "steps": ctx.pick(ci=150, thorough=150, paper=300),
        **kw,
    }


def _gap_case(ctx):
    return _case(ctx, depths=ctx.pick(ci=(2, 15, 75), thorough=(2, 15, 75), paper=(2, 15, 45, 75)))


@pytest.mark.parametrize(
    "stmt, case",
    # Order matters only for wall time (verify/conftest.py schedules these first, two per
    # worker): the two long claims land on different workers, each beside a short one.
    [
        (S.XAVIER_LOSS_WORSENS, _case),
        (S.XAVIER_GAP_GROWS, _gap_case),
        (
            S.ORTHO_TRAINS_FASTER,
            lambda c: _case(c, ablation=True),
        ),
        (S.ORTHO_GAP_LOWER, _gap_case),
        (S.SGD_LOWERS_GAP, lambda c: _case(c, depth=c.pick(ci=8, thorough=8, paper=20))),
        (S.EQ6_PRINTED, _case),
        (S.DEEP_TRAINING_FINITE, lambda c: {"width": 16, "depth": 40, "steps": 8}),
    ],
    ids=lambda v: getattr(v, "id", ""),
)
def test_training_claim(ctx, stmt, case):
    rows = stmt.check(ctx, case(ctx))
    assert not problems(rows), problems(rows)
