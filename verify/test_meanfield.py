"""Theorem 1 at infinite width (issue 11): draw, check, target, record, assert.

* the proved reading holds along every drawn mean-field trajectory (Hypothesis targets
  V_{l+1}/bound), with its planted controls refuted at the recorded counterexample;
* the stated reading: the search is reported (verdict info), and the recorded counterexample
  (smallest n, first failing layer) replays and refutes the printed claim;
* the finite-width chain converges to the iteration like 1/sqrt(d).
"""

from __future__ import annotations

import strategies as H
from strategies import explore

from theory.checks import meanfield as C
from theory.engine import problems
from theory.statements import meanfield as MF


def test_meanfield_proved_reading_holds(ctx):
    rows = explore(
        ctx,
        H.meanfield_spectrum_cases(ctx),
        C.proved_check,
        max_examples=ctx.pick(ci=12, thorough=60, paper=300),
        label="mean-field V_{l+1}/bound, proved alpha",
    )
    assert not problems(rows)


def test_meanfield_stated_reading_search(ctx):
    rows = explore(
        ctx,
        H.meanfield_spectrum_cases(ctx),
        C.stated_check,
        max_examples=ctx.pick(ci=12, thorough=60, paper=300),
        label="mean-field V_{l+1}/bound, stated alpha",
    )
    assert not problems(rows) and all(r.verdict == "info" for r in rows)


def test_meanfield_counterexample_replays(ctx):
    """The finding: at the smallest n the stated reading fails first at the recorded layer (the
    printed claim at that H_0 is refuted), and no earlier layer fails."""
    case = {**MF.finding_case(), "control": True}
    rows = C.stated_check(ctx, case)
    assert not problems(rows)
    info = rows[0]
    assert info.extra["first failing layer"] == MF.FINDING["first"]
    assert [r.verdict for r in rows if r.control] == ["refuted"]


def test_meanfield_proved_controls_refuted(ctx):
    case = {**MF.finding_case(), "controls": ("stated-alpha", "rate-just-faster")}
    rows = C.proved_check(ctx, case)
    assert not problems(rows)
    assert sorted(r.control for r in rows if r.control) == ["rate-just-faster", "stated-alpha"]


def test_meanfield_table_replays(ctx):
    """The per-n table of the finding (first failing layer of the stated reading, or none for
    n <= 4) replays exactly on the recorded spectra."""
    ns = ctx.pick(ci=(4, 5, 16, 32), thorough=tuple(range(2, 33)), paper=tuple(range(2, 33)))
    for n in ns:
        row = MF.TABLE[n]
        res = MF.scan(MF.spectrum(n), "stated", row["layers"], stop_at_first=True)
        assert res["first"] == row["first"], (n, res["first"], row)


def test_meanfield_convergence(ctx):
    case = {
        "n": 4,
        "family": "spiked",
        "param": 0.3,
        "l": 4,
        "d": ctx.pick(
            ci=(16, 64, 256), thorough=(16, 64, 256, 1024), paper=(16, 64, 256, 1024, 4096)
        ),
    }
    rows = C.convergence_check(ctx, case)
    assert not problems(rows)
    assert {r.control for r in rows if r.control} == {"edge", "identity-map", "rate-1/d"}
