"""Unit tests of the statement registry and the result recorder."""

from __future__ import annotations

import json

import pytest

import theory
from theory import results
from theory.engine import CheckResult, RowLog, RunContext
from theory.statements import NegativeControl, Statement, register


def test_every_statement_is_complete():
    assert theory.STATEMENTS, "the registry is empty"
    for s in theory.STATEMENTS.values():
        assert s.id and s.title and s.formula and s.source and s.hypotheses
        assert s.negative_controls, f"{s.id} has no negative control"
        for c in s.negative_controls:
            assert c.why_false, f"{s.id}/{c.id} does not say why it is false"
        json.dumps(s.describe())


def test_register_rejects_duplicates_and_missing_controls():
    s = theory.STATEMENTS["sampler/exact-in-law"]
    with pytest.raises(ValueError, match="registered twice"):
        register(s)
    with pytest.raises(ValueError, match="negative control"):
        register(Statement("x/y", "t", "f", "src", {"n": ">=1"}, "upper"))
    with pytest.raises(ValueError, match="kind"):
        register(
            Statement(
                "x/z",
                "t",
                "f",
                "src",
                {},
                "bogus",  # type: ignore[arg-type]
                negative_controls=(NegativeControl("c", "d", "w"),),
            )
        )


def test_rows_go_to_worker_files_and_merge(tmp_path):
    """Each process flushes its context's row log to its own file; the merge reads them all
    and skips a truncated last line (an interrupted worker)."""
    for w in ("gw0", "gw1"):
        ctx = RunContext.create("ci", results_file=str(tmp_path / f"{w}.jsonl"))
        ctx.row(
            statement_id="s/1",
            check=f"check {w}",
            verdict="pass",
            measured=0.5,
            extra={"a": [1.0, float("nan")]},
        )
        assert len(ctx.log.flush()) == 1
        assert ctx.log.flush() == []  # flushed rows are written once
    (tmp_path / "gw1.jsonl").open("a").write('{"truncated": ')
    rows = results.read_run_dir(tmp_path)
    assert sorted(r["check"] for r in rows) == ["check gw0", "check gw1"]
    assert rows[0]["extra"]["a"][1] == "nan"


def test_a_row_is_logged_when_made_so_a_test_cannot_lose_it(tmp_path):
    """A check's rows are in its context's log without any further call; a search's trial
    rows go to a scratch log and never reach the file."""
    ctx = RunContext.create("ci").at("n", "r", results_file=str(tmp_path / "w.jsonl"))
    rows = theory.statements.get("lemma-4/gap-vs-lyapunov").check(
        ctx, {"H": [[1.0, 0.0], [0.0, 0.5], [0.0, 0.0]]}
    )
    assert rows and all(any(r is x for x in ctx.log.rows) for r in rows)
    ctx.scratch().row(statement_id="s", check="trial", verdict="pass")
    ctx.log.flush()
    written = results.read_run_dir(tmp_path)
    assert [r["check"] for r in written] == [r.check for r in rows]
    assert all(r["nodeid"] == "n" and r["replay"] == "r" for r in written)


def test_unlabelled_rows_are_refused():
    with pytest.raises(ValueError, match="label"):
        RowLog().add(CheckResult("s", "c", "pass"))


def test_verdict_is_validated():
    with pytest.raises(ValueError, match="verdict"):
        CheckResult("s", "c", "maybe")  # type: ignore[arg-type]


def test_atomic_write(tmp_path):
    p = tmp_path / "r.json"
    results.atomic_write_text(p, "one")
    results.atomic_write_text(p, "two")
    assert p.read_text() == "two"
    assert [f.name for f in tmp_path.iterdir()] == ["r.json"]


def test_stale_run_dirs_of_dead_owners_are_removed(tmp_path):
    import subprocess
    import sys

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = results.make_run_dir(tmp_path)
    (stale / "owner").write_text(str(dead.pid))
    (stale / "gw0.jsonl").write_text("{}\n")
    live = results.make_run_dir(tmp_path)  # owned by this (live) process
    orphan = tmp_path / ".run-noowner"
    orphan.mkdir()  # no owner file and new: left alone
    assert results.remove_stale_run_dirs(tmp_path) == [stale]
    assert not stale.exists() and live.exists() and orphan.exists()


def test_a_killed_run_is_cleaned_up_by_the_next(tmp_path):
    """kill -9 of a verify run leaves its .run-* folder; the next run removes it (and keeps the
    results.json that the killed run never overwrote)."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    cmd = [sys.executable, "-m", "pytest", "-p", "no:xdist", "-q", "--report-dir", str(tmp_path)]
    p = subprocess.Popen(
        [*cmd, "verify/test_vanilla.py"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 60
    while not list(tmp_path.glob(".run-*")) and time.time() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    left = list(tmp_path.glob(".run-*"))
    assert left, "the killed run made no run directory"
    subprocess.run(
        [*cmd, "--collect-only", "verify/test_vanilla.py"],
        cwd=root,
        check=True,
        capture_output=True,
    )
    assert not any(d.exists() for d in left)
