"""Certified results (ball arithmetic, :mod:`theory.certify`) as rows of their statements: the
mean-field counterexample to Theorem 1 as stated for every n = 5..32 (first failing layer, two
evaluations of Sawa's map), the proved reading on the same trajectories, the n/(n+2)
linearisation and its threshold, and Lemma 4, Lemma 8 (sharp) and the W2 ratio over their whole
domain for n <= 4.  The planted false certificates must be refuted, never certified."""

from __future__ import annotations

import pytest

from theory import certify
from theory.checks import certificates as C
from theory.engine import problems
from theory.statements import meanfield as MF


@pytest.mark.parametrize("claim", sorted(certify.CLAIMS))
def test_certified(ctx, claim):
    thorough = ctx.profile.name != "ci"
    rows = C.certify_check(ctx, {"claim": claim, "thorough": thorough})
    assert rows and not problems(rows), problems(rows)
    assert all(r.extra["certificate"]["outcome"] == "certified" for r in rows)


def test_planted_false_certificates_are_refused(ctx):
    rows = C.certify_check(ctx, {"claim": "controls"})
    assert len(rows) >= 8 and not problems(rows), problems(rows)
    assert all(r.extra["certificate"]["outcome"] != "certified" for r in rows)


def test_linearisation_record(ctx):
    stmt = MF.LINEARISATION
    rows = stmt.check(ctx, {"ns": list(range(2, 33)), "controls": ("factor-(n+1)/(n+3)",)})
    assert not problems(rows)
    assert sum(r.verdict == "refuted" for r in rows) == 31
