"""The 2021 App. F conjecture against the AISTATS 2025 kernel map (issue 19, item 6): the
infinite-width limit of the chain as implemented (the batch BN map of theory.batch_kernel),
certified in balls with the AISTATS fixed points as planted limits; and the finite chain's mean
off-diagonal cosine at two or three widths, sampled by the engine until decided, against it.
Checks in ``theory.checks.line_of_work_appf``."""

from __future__ import annotations

from theory.engine import problems
from theory.statements import line_of_work_appf as L


def test_app_f_limit_certified(ctx):
    rows = []
    for act, variant in L.CELLS:
        case = {"activation": act, "variant": variant, "burn": 10, "controls": True}
        rows += L.LIMIT.check(ctx, case)
    assert not problems(rows), problems(rows)
    judged = [r for r in rows if r.control is None and r.verdict != "info"]
    assert len(judged) == len(L.CELLS) + 1 and all(r.verdict == "pass" for r in judged)
    controls = [r for r in rows if r.control]
    assert len(controls) >= len(L.CELLS) + 1 and all(r.verdict == "refuted" for r in controls)


def _widths(ctx, act: str, variant: str) -> list[int]:
    if variant == "bn-centered":
        return [8, 32]
    if act == "relu":  # d >= 24: at d = 8 ReLU kills every entry of a row within 40 layers
        return ctx.pick(ci=[24, 48], thorough=[24, 96], paper=[24, 96])
    return ctx.pick(ci=[32, 128], thorough=[32, 128, 512], paper=[32, 128, 512])


def test_app_f_finite_width(ctx):
    cells = ctx.pick(
        ci=[("relu", "bn"), ("sin", "bn-centered"), ("tanh", "bn")], thorough=L.CELLS,
        paper=L.CELLS,
    )  # fmt: skip
    rows = []
    for act, variant in cells:
        case = {"activation": act, "variant": variant, "ds": _widths(ctx, act, variant)}
        rows += L.FINITE_WIDTH.check(ctx, case)
    assert not problems(rows), problems(rows)
    judged = [r for r in rows if r.control is None and r.verdict != "info"]
    assert judged and all(r.verdict == "pass" for r in judged), [
        (r.check, r.verdict) for r in judged if r.verdict != "pass"
    ]
    assert all(r.verdict == "refuted" for r in rows if r.control)
    assert sum(r.control == "edge" for r in rows) == sum(
        not (v == "bn" and a in ("tanh", "sin")) for a, v in cells
    )
