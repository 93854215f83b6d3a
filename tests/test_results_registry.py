"""Unit tests of the statement registry and the result recorder."""

from __future__ import annotations

import json

import pytest

import theory
from theory import results
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


def test_record_to_worker_files_and_merge(tmp_path, monkeypatch):
    monkeypatch.setenv(results.RESULTS_DIR_ENV, str(tmp_path))
    for w in ("gw0", "gw1"):
        monkeypatch.setenv("PYTEST_XDIST_WORKER", w)
        results.record(
            results.CheckResult(
                "s/1",
                f"check {w}",
                "pass",
                measured=0.5,
                extra={"a": [1.0, float("nan")]},
                backend="numpy",
                dtype="float64",
                device="cpu",
            )
        )
    (tmp_path / "gw1.jsonl").open("a").write('{"truncated": ')  # an interrupted worker
    rows = results.read_run_dir(tmp_path)
    assert sorted(r["check"] for r in rows) == ["check gw0", "check gw1"]
    assert rows[0]["extra"]["a"][1] == "nan"


def test_verdict_is_validated():
    with pytest.raises(ValueError, match="verdict"):
        results.CheckResult("s", "c", "maybe")  # type: ignore[arg-type]


def test_atomic_write(tmp_path):
    p = tmp_path / "r.json"
    results.atomic_write_text(p, "one")
    results.atomic_write_text(p, "two")
    assert p.read_text() == "two"
    assert [f.name for f in tmp_path.iterdir()] == ["r.json"]
