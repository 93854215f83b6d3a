"""Shared fixtures of the unit tests.

``backend``: a backend-sensitive unit test takes this fixture and runs once per backend, on
NumPy (float64) and, where PyTorch is installed, on torch (float64, CPU), as POT's ``nx``
fixture does; ``backend.to_numpy`` turns a result back into NumPy for the assertion.
The suite's strategies and drivers (``verify/strategies.py``) are importable here too.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import theory

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "verify"))

_BACKENDS = [
    pytest.param("numpy", id="numpy"),
    pytest.param(
        "torch",
        id="torch",
        marks=pytest.mark.skipif(not theory.torch_available(), reason="PyTorch not installed"),
    ),
]


@pytest.fixture(params=_BACKENDS)
def backend(request: pytest.FixtureRequest) -> theory.Backend:
    """A :class:`theory.Backend` (float64, CPU) for each installed array library."""
    return theory.get_backend(request.param, dtype="float64")
