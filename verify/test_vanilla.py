"""Vanilla chain (no BN): rank collapse, V -> sqrt(1 - 1/n) and |cos| -> 1 (Fig. 1; App. D).
Check in ``theory.checks.lemmas.vanilla_check`` (runs drawn until the data decide on the
profile's budget; the profile picks only which widths are visited)."""

from __future__ import annotations

import strategies as st_
from strategies import explore

from theory.engine import problems
from theory.statements import proof_lemmas as P


def test_vanilla_rank_collapse(ctx):
    cases = st_.vanilla_cases(ctx.pick(ci=[8, 16], thorough=[8, 16, 32], paper=[8, 16, 32, 64]))
    rows = explore(
        ctx,
        cases,
        P.VANILLA_COLLAPSE.check,
        max_examples=ctx.pick(ci=2, thorough=5, paper=20),
        label="vanilla",
    )
    ctl = {
        "family": "orthogonal",
        "n": 2,
        "d": 8,
        "controls": ("shallow-depth", "bn-chain-collapses"),
    }
    rows += P.VANILLA_COLLAPSE.check(ctx, ctl)
    assert not problems(rows)
