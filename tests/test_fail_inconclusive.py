"""``--fail-inconclusive``: the default exit status ignores inconclusive assertions (lack of
evidence is not a violation); with the option (or the ini setting) any inconclusive fails the
run.  The terminal summary counts them per statement.  Run through a real pytest subprocess on a
copy of the suite's conftest."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TEST = """
from theory.engine import judge
from theory.stats import Interval


def test_undecided(ctx):
    est = Interval(0.5, 0.3, 0.7, 2e-6, "synthetic", 100)
    rows = judge(ctx, "lemma-6/concentration", "E X <= 0.6", est, 0.6, edge=None)
    assert rows[0].verdict == "inconclusive"
"""


def _run(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    suite = tmp_path / "suite"
    suite.mkdir(exist_ok=True)
    shutil.copy(ROOT / "verify" / "conftest.py", suite / "conftest.py")
    (suite / "test_undecided.py").write_text(TEST)
    cmd = [sys.executable, "-m", "pytest", "-p", "no:xdist", "-q", str(suite)]
    cmd += ["--report-dir", str(tmp_path / "report"), "--rootdir", str(suite), *extra]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_inconclusive_passes_by_default_and_fails_when_asked(tmp_path):
    plain = _run(tmp_path)
    assert plain.returncode == 0, plain.stdout[-2000:]
    assert "lemma-6/concentration: 1" in plain.stdout
    assert "not a failure by default" in plain.stdout
    strict = _run(tmp_path, "--fail-inconclusive")
    assert strict.returncode == 1, strict.stdout[-2000:]
    assert "--fail-inconclusive: the run fails" in strict.stdout
    ini = _run(tmp_path, "-o", "theory_fail_inconclusive=true")
    assert ini.returncode == 1
