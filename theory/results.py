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

Verdict = Literal["pass", "fail", "inconclusive", "refuted", "not-refuted", "unresolved", "info"]
#: ``unresolved``: an edge control at a drawn case that is not its statement's binding case
#: (largest tightness in the search) and that the data did not refute -- reported, never a
#: pass for the statement's power (see :func:`theory.engine.settle_edges`).
VERDICTS = ("pass", "fail", "inconclusive", "refuted", "not-refuted", "unresolved", "info")

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
    conservative end) and ``tightness = measured / bound`` (``bound / measured`` for a lower
    bound: 1 at the bound, > 1 past it, on both sides).  For a negative control the verdict
    is ``refuted`` when the machinery rejects the planted false variant.  Verdicts are decided
    in :mod:`theory.engine` only; ``inconclusive`` means the data decided neither way.

    ``false_fail`` is the probability that this row says ``fail`` while its statement is true
    (what the run's budget adds up); ``wrong_pass`` the probability that it says ``pass`` (or a
    control says ``refuted``) while the statement (the variant) is false; ``error`` says it in
    words.  ``detectable`` is the smallest factor (absolute amount for equivalences) by which
    the bound would have to be wrong for this check to say ``fail`` with probability
    >= 1 - delta.  ``finite_sample`` is False for bootstrap/CLT intervals (outside the budget).
    ``bound_from`` names where the asserted bound came from: ``statement`` (the record's own
    bound), ``control:<id>`` (a planted variant) or ``edge`` (the edge control).

    ``backend``, ``dtype`` and ``device`` are required: rows are made by
    :meth:`theory.engine.RunContext.row`, which takes them from the run context.
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
    backend: str | None = None
    dtype: str | None = None
    device: str | None = None
    seed: int | None = None
    control: str | None = None
    nodeid: str | None = None
    replay: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    wrong_pass: float | None = None
    detectable: float | None = None
    error: str | None = None
    finite_sample: bool = True
    bound_from: str | None = None

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}; got {self.verdict!r}")

    def to_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


_MEMORY: list[dict[str, Any]] = []
_CONTEXT: dict[str, Any] = {}


def set_context(**kw: Any) -> None:
    """The test node and replay line merged into every recorded result (set per test by the
    verify conftest).  Backend labels are *not* filled here: they come from the run context."""
    bad = set(kw) - {"nodeid", "replay"}
    if bad:
        raise ValueError(f"set_context takes nodeid and replay only; got {sorted(bad)}")
    _CONTEXT.clear()
    _CONTEXT.update({k: v for k, v in kw.items() if v is not None})


def record(result: CheckResult) -> dict[str, Any]:
    """Record a result: append one JSON line to this worker's file, or keep it in memory.

    A row without ``backend``/``dtype``/``device`` is refused: a label must say where the
    numbers were computed, never a default."""
    if not (result.backend and result.dtype and result.device):
        raise ValueError(
            f"result for {result.statement_id!r} ({result.check!r}) has no backend/dtype/device "
            "label; make rows with RunContext.row"
        )
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
