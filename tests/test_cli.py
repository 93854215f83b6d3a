"""The reviewer's probe, ``python -m theory``, through a real subprocess: one line a reviewer
needs, rows, exit codes a script can use, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "theory", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def test_list():
    p = run("list")
    assert p.returncode == 0
    assert "meanfield/stated-alpha" in p.stdout and "lemma-6/concentration" in p.stdout


def test_check_the_refuted_reading_of_theorem_1():
    p = run("check", "meanfield/stated-alpha", "--n", "5")
    assert p.returncode == 0, p.stderr
    first = p.stdout.splitlines()[0]
    assert "REFUTED" in first and "first failing layer 351" in first and "1.01025" in first


def test_certify_the_counterexample():
    p = run("certify", "meanfield/stated-alpha", "--n", "5")
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("CERTIFIED") and "layer L = 351" in p.stdout


def test_check_a_monte_carlo_statement_prints_verdict_edge_and_power():
    p = run("check", "lemma-6/concentration", "--d", "16")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "HOLDS" in p.stdout.splitlines()[0]
    assert "edge control" in p.stdout and "detectable discrepancy" in p.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (("check", "nope/x"), "unknown statement 'nope/x'"),
        (("check", "lemma-6/concentration", "--q", "3"), "takes the parameters"),
        (("check", "lemma-6/concentration", "--d", "1"), "d must be >= n"),
        (("check", "meanfield/stated-alpha", "--n", "40"), "n must be an integer in 2..32"),
        (("certify", "lemma-2"), "no certificate for 'lemma-2'"),
        (("certify", "meanfield/stated-alpha"), "give --n"),
        (("findings", "/nonexistent/results.json"), "no results file"),
        (("check", "lemma-6/concentration", "--backend", "numpy", "--device", "cuda"), "device"),
    ],
)
def test_usage_errors_exit_2_with_a_clear_message(args, message):
    p = run(*args)
    assert p.returncode == 2, (p.returncode, p.stdout, p.stderr)
    assert message in p.stderr and "Traceback" not in p.stderr


def test_findings_of_a_results_file(tmp_path):
    from theory.engine import STATEMENTS

    payload = {"header": {}, "statements": [s.describe() for s in STATEMENTS.values()]}
    payload["results"] = []
    f = tmp_path / "results.json"
    f.write_text(json.dumps(payload))
    p = run("findings", str(f))
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("| paper | claim | status |")


def test_exit_codes_follow_the_rows():
    from theory.__main__ import EXIT_INCONCLUSIVE, EXIT_OK, EXIT_VIOLATION, _exit_for_rows
    from theory.engine import CheckResult

    def row(verdict, control=None):
        return CheckResult("s", "c", verdict, control=control)

    assert _exit_for_rows([row("pass"), row("refuted", "edge")]) == EXIT_OK
    assert _exit_for_rows([row("fail"), row("refuted", "edge")]) == EXIT_VIOLATION
    assert _exit_for_rows([row("inconclusive")]) == EXIT_INCONCLUSIVE
    assert _exit_for_rows([row("pass"), row("not-refuted", "edge")]) == EXIT_INCONCLUSIVE
