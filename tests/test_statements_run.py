"""Every statement runs: its check, on its example case, calls the record's own bound and labels
every row with the run context it was given (NumPy, and torch when installed).

This is what ties a record to its check: if a check asserted an inline formula instead of
``Statement.bound_at``, the bound-call counter would not move and this test fails.
"""

from __future__ import annotations

import math

import pytest

import theory
from theory.engine import VERDICTS, RunContext
from theory.statements import BOUND_CALLS

IDS = sorted(theory.STATEMENTS)
BACKENDS = ["numpy"] + (["torch"] if theory.torch_available() else [])


def _run(sid: str, backend: str):
    s = theory.STATEMENTS[sid]
    if s.check_ref is None or s.example is None:
        pytest.fail(f"{sid} has no check or no example case")
    ctx = RunContext.create("ci", backend)
    before = sum(v for k, v in BOUND_CALLS.items() if k == sid or k.startswith(sid + "/"))
    rows = list(s.check(ctx, dict(s.example)))
    after = sum(v for k, v in BOUND_CALLS.items() if k == sid or k.startswith(sid + "/"))
    return s, ctx, rows, after - before


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("sid", IDS)
def test_check_runs_on_its_example(sid, backend):
    s, ctx, rows, calls = _run(sid, backend)
    assert rows, f"{sid}: the check returned no rows"
    assert all(r.verdict in VERDICTS for r in rows)
    assert all(r.statement_id == sid for r in rows), {r.statement_id for r in rows}
    if s.bound is not None:
        assert calls > 0, f"{sid}: the check never evaluated the record's bound (bound_at)"
    for r in rows:
        assert r.backend and r.dtype and r.device
        if sid.startswith("training/"):
            assert (
                r.backend == "torch"
            )  # the training module runs torch whatever the suite's backend
            if backend == "torch":
                assert r.device == ctx.backend.device
        elif getattr(s.check, "torch_cpu", False):  # torch autograd, float64, CPU (if installed)
            assert (r.backend, r.dtype, r.device) == (
                ("torch", "float64", "cpu")
                if theory.torch_available()
                else ("numpy", "float64", "cpu")
            ), sid
        elif getattr(s.check, "numpy_only", False):  # computes in NumPy whatever the backend
            assert (r.backend, r.dtype, r.device) == ("numpy", "float64", "cpu"), sid
        else:
            assert (r.backend, r.dtype, r.device) == (
                ctx.backend.name,
                ctx.backend.dtype_name,
                ctx.backend.device,
            ), f"{sid}: row {r.check!r} is labelled {r.backend}/{r.dtype}/{r.device}"
        for k in ("measured", "bound", "margin"):
            v = getattr(r, k)
            assert v is None or isinstance(v, (int, float)) and not math.isnan(v), (sid, k, v)


@pytest.mark.parametrize("sid", IDS)
def test_check_docstring_states_formula_source_and_the_records_example(sid):
    """PEPit-style: each check's docstring opens with its formula, names its record and source,
    and shows a runnable example whose case is the record's own ``example`` (the one
    :func:`test_check_runs_on_its_example` runs), so the docs cannot go stale."""
    import ast
    import re

    s = theory.STATEMENTS[sid]
    doc = s.check.__doc__ or ""
    first = doc.strip().split("\n\n")[0]
    assert len(first) > 20, f"{sid}: the check's docstring does not open with its formula"
    assert f"Record ``{sid}``; source: {s.source}." in " ".join(doc.split()), sid
    m = re.search(
        r'RunContext\.create\(\)\.run\(\s*(?:\.\.\.\s*)?"' + re.escape(sid) + r'",\s*'
        r"(?:\.\.\.\s*)?(\{.*?\}),?\s*(?:\.\.\.\s*)?\)",
        doc,
        re.S,
    )
    assert m, f"{sid}: no runnable example in the check's docstring"
    assert ast.literal_eval(m.group(1)) == dict(s.example), f"{sid}: the example is stale"
