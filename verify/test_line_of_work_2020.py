"""The paper in its line of work (issue 19), NeurIPS 2020 (Daneshmand, Kohler, Bach, Hofmann,
Lucchi): Theorem 2's residual-weight BN chain at n = d keeps the depth-averaged soft rank at
Omega(sqrt d), in the issue's reading and the repository's, with the vanilla chain (rank
collapse) and "near full rank" refuted; the exponent of the soft rank in d (info) with the
controls "linear in d" and "bounded in d" refuted.  Checks in
``theory.checks.line_of_work_2020``."""

from __future__ import annotations

from theory.engine import problems
from theory.statements import line_of_work_2020 as L

CONTROLS = ["vanilla", "near-full-rank"]


def test_average_soft_rank_issue_reading(ctx):
    ds = ctx.pick(ci=[4, 8, 16], thorough=[4, 8, 16, 32, 64], paper=[4, 8, 16, 32, 64, 128])
    rows = []
    for d in ds:
        rows += L.AVERAGE_SOFT_RANK.check(ctx, {"d": d, "reading": "issue", "controls": CONTROLS})
    assert not problems(rows), problems(rows)
    assert [r.verdict for r in rows if r.control is None] == ["pass"] * len(ds)
    for c in CONTROLS + ["edge"]:
        assert [r.verdict for r in rows if r.control == c] == ["refuted"] * len(ds), c


def test_average_soft_rank_repo_reading(ctx):
    # no vanilla control here: with the repository's small step the vanilla chain's collapse
    # takes ~10^4 layers, longer than this window (see the record's resolution)
    ds = ctx.pick(ci=[4, 8], thorough=[4, 8, 16], paper=[4, 8, 16, 32])
    rows = []
    for d in ds:
        case = {"d": d, "reading": "repo", "controls": ["near-full-rank"]}
        rows += L.AVERAGE_SOFT_RANK.check(ctx, case)
    assert not problems(rows), problems(rows)
    assert [r.verdict for r in rows if r.control is None] == ["pass"] * len(ds)
    for c in ["near-full-rank", "edge"]:
        assert [r.verdict for r in rows if r.control == c] == ["refuted"] * len(ds), c


def test_exponent(ctx):
    grid = ctx.pick(ci=[4, 8, 16, 32], thorough=[4, 8, 16, 32, 64], paper=[4, 8, 16, 32, 64, 128])
    rows = L.EXPONENT.check(ctx, {"grid": grid})
    assert not problems(rows), problems(rows)
    info = [r for r in rows if r.verdict == "info"]
    assert len(info) == 2 and not info[0].finite_sample and info[1].finite_sample
    assert "asymptotic" in info[0].check and "0.556" in info[0].check
    assert {r.control: r.verdict for r in rows if r.control} == {
        "linear-in-d": "refuted",
        "bounded-in-d": "refuted",
    }
