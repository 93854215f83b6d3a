"""Result files: the JSON-lines files that the processes of one run append their rows to
(:meth:`theory.engine.RowLog.flush`), and atomic writes of the merged report.

Under ``pytest -n auto`` every xdist worker appends to its own ``<worker>.jsonl`` in a run
directory; the controller merges them at the end into ``results.json`` (write to a temporary
file, then ``os.replace``), so concurrent workers never race and an interrupted run never leaves
a half-written file.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def read_run_dir(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """All rows written by the processes of one run (a truncated last line is skipped)."""
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
