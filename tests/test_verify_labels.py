"""The verify suite's own plumbing: under ``--backend torch`` every row says torch, and
``--seed-salt`` reaches the checks through the run context (not the environment)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import theory

ROOT = Path(__file__).resolve().parents[1]
#: a cheap verify file whose checks all run on the suite's backend
FILE = "verify/test_orthogonalization.py"


def _run(tmp_path: Path, *args: str) -> list[dict]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THEORY_")}
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:xdist",
            "-q",
            FILE,
            "--report-dir",
            str(tmp_path),
            *args,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    payload = json.loads((tmp_path / "results.json").read_text())
    assert payload["results"], "the run recorded no rows"
    return payload["results"]


@pytest.mark.skipif(not theory.torch_available(), reason="needs PyTorch")
def test_every_row_says_torch_under_backend_torch(tmp_path):
    rows = _run(tmp_path, "--backend", "torch")
    labels = {(r["backend"], r["dtype"], r["device"]) for r in rows}
    assert labels == {("torch", "float64", "cpu")}, labels


def test_seed_salt_travels_through_the_context(tmp_path):
    a = _run(tmp_path / "a", "--seed-salt", "calib-x")
    assert all("--seed-salt calib-x" in r["replay"] for r in a)
    assert all(r["backend"] == "numpy" for r in a)
