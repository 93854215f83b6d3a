"""Machine-readable check results that survive ``pytest -n auto``.

Each check builds a :class:`CheckResult` and calls :func:`record`.  Under pytest the verify
``conftest`` points every xdist worker at a private JSON-lines file in a run directory; the
controller merges them at the end into ``reports/results.json`` (write to a temporary file,
then ``os.replace``), so concurrent workers never race and an interrupted run never leaves a
half-written file.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

Verdict = Literal["pass", "fail", "refuted", "not-refuted", "info"]
VERDICTS = ("pass", "fail", "refuted", "not-refuted", "info")

#: Environment variable naming the per-run directory of worker files (set by verify/conftest.py).
RESULTS_DIR_ENV = "THEORY_RESULTS_DIR"


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return _jsonable(x.tolist())
    if isinstance(x, (np.floating, float)):
        v = float(x)
        return v if math.isfinite(v) else repr(v)
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.bool_,)):
        return bool(x)
    return x


@dataclass
class CheckResult:
    """One assertion (or one measurement) about one statement.

    For an upper bound, ``margin = bound - upper end of the CI`` (positive: holds at the
    conservative end) and ``tightness = measured / bound``.  For a negative control the verdict
    is ``refuted`` when the machinery rejects the planted false variant.
    """

    statement_id: str
    check: str
    verdict: Verdict
    measured: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    bound: float | None = None
    margin: float | None = None
    tightness: float | None = None
    false_fail: float | None = None
    method: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    backend: str = "numpy"
    dtype: str = "float64"
    device: str = "cpu"
    seed: int | None = None
    control: str | None = None
    nodeid: str | None = None
    replay: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}; got {self.verdict!r}")

    def to_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


_MEMORY: list[dict[str, Any]] = []
_CONTEXT: dict[str, Any] = {}


def set_context(**kw: Any) -> None:
    """Defaults merged into every recorded result (nodeid, replay line, backend...)."""
    _CONTEXT.clear()
    _CONTEXT.update({k: v for k, v in kw.items() if v is not None})


def record(result: CheckResult) -> dict[str, Any]:
    """Record a result: append one JSON line to this worker's file, or keep it in memory."""
    row = result.to_dict()
    for k, v in _CONTEXT.items():
        if row.get(k) in (None, "", {}):
            row[k] = _jsonable(v)
    d = os.environ.get(RESULTS_DIR_ENV)
    if d:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        with open(Path(d) / f"{worker}.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps(row) + "\n")
            fh.flush()
    else:
        _MEMORY.append(row)
    return row


def recorded_in_memory() -> list[dict[str, Any]]:
    return list(_MEMORY)


def read_run_dir(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """All results written by the workers of one run (a truncated last line is skipped)."""
    rows: list[dict[str, Any]] = []
    for f in sorted(Path(path).glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return rows


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and ``os.replace``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a report is meant to be read
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
