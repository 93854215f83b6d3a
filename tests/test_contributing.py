"""CONTRIBUTING.md's three blocks (record, check, verify test) run exactly as written: the toy
statement registers, its check runs through the registry, its verify test passes, and its rows
are logged in the run context.  So the guide cannot go stale."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pytest

import theory.checks
import theory.statements
from theory.engine import STATEMENTS, RunContext, problems

ROOT = Path(__file__).resolve().parents[1]


def _module(name: str, source: str, where: str) -> types.ModuleType:
    mod = types.ModuleType(name)
    mod.__file__ = where
    sys.modules[name] = mod
    exec(compile(source, where, "exec"), mod.__dict__)
    parent, _, child = name.rpartition(".")
    setattr(sys.modules[parent], child, mod)
    return mod


@pytest.fixture
def toy_blocks():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) == 3, "CONTRIBUTING.md must show the record, the check and the test"
    yield blocks
    STATEMENTS.pop("toy/gap-at-most-max", None)
    for name in ("theory.statements.toy", "theory.checks.toy"):
        sys.modules.pop(name, None)
    for pkg, child in ((theory.statements, "toy"), (theory.checks, "toy")):
        if hasattr(pkg, child):
            delattr(pkg, child)


def test_the_guide_adds_a_statement_in_three_files(toy_blocks):
    record, check, test = toy_blocks
    rec = _module("theory.statements.toy", record, "CONTRIBUTING.md (record)")
    assert STATEMENTS["toy/gap-at-most-max"] is rec.TOY
    _module("theory.checks.toy", check, "CONTRIBUTING.md (check)")
    ctx = RunContext.create("ci")
    # the record's check, resolved from its check_ref, on the record's example
    rows = ctx.run("toy/gap-at-most-max", rec.TOY.example)
    assert rows and not problems(rows)
    assert [r.verdict for r in rows] == ["pass", "refuted"]  # the claim and its edge control
    # the verify test, as written
    ns: dict = {}
    exec(compile(test, "CONTRIBUTING.md (test)", "exec"), ns)
    before = len(ctx.log.rows)
    ns["test_toy"](ctx)
    mine = ctx.log.rows[before:]
    assert any(r.control == "tiny" and r.verdict == "refuted" for r in mine)
    assert all(r.verdict != "fail" for r in mine)
    # the docstring's example is the record's (what tests/test_statements_run.py checks)
    doc = " ".join((rec.TOY.check.__doc__ or "").split())
    assert "Record ``toy/gap-at-most-max``; source: Eq. 2" in doc
    assert '{"d": 16, "runs": 4000}' in doc and rec.TOY.example == {"d": 16, "runs": 4000}


def test_a_false_toy_bound_fails_through_the_same_path(toy_blocks):
    """The planted control of the toy, asserted as if it were the statement, fails: the three
    files are a real check, not a form that always passes."""
    record, check, _ = toy_blocks
    rec = _module("theory.statements.toy", record, "CONTRIBUTING.md (record)")
    chk = _module("theory.checks.toy", check, "CONTRIBUTING.md (check)")
    ctx = RunContext.create("ci")
    rows = chk.gap_check(ctx, {**rec.TOY.example, "controls": ("tiny",)})
    ctl = [r for r in rows if r.control == "tiny"]
    assert ctl and ctl[0].verdict == "refuted" and ctl[0].ci_low > 0.01
