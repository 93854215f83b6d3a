"""Result files: the JSON-lines files that the processes of one run append their rows to
(:meth:`theory.engine.RowLog.flush`), and atomic writes of the merged report.

Under ``pytest -n auto`` every xdist worker appends to its own ``<worker>.jsonl`` in a run
directory; the controller merges them at the end into ``results.json`` (write to a temporary
file, then ``os.replace``), so concurrent workers never race and an interrupted run never leaves
a half-written file.

A run directory ``<report dir>/.run-*`` holds an ``owner`` file with the pid of the process that
made it; :func:`remove_stale_run_dirs` removes the run directories whose owner is gone (a run
killed with ``kill -9`` never reaches its session end, where it removes its own).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
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


def make_run_dir(report_dir: str | os.PathLike[str]) -> Path:
    """A fresh ``.run-*`` folder in ``report_dir`` owned by this process (its ``owner`` file)."""
    d = Path(tempfile.mkdtemp(prefix=".run-", dir=report_dir))
    (d / "owner").write_text(str(os.getpid()), encoding="utf-8")
    return d


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def remove_stale_run_dirs(report_dir: str | os.PathLike[str]) -> list[Path]:
    """Remove the ``.run-*`` folders of ``report_dir`` whose owner process is gone; return them.
    A folder without a readable ``owner`` file is removed only when older than a day."""
    removed = []
    for d in Path(report_dir).glob(".run-*"):
        if not d.is_dir():
            continue
        try:
            stale = not _alive(int((d / "owner").read_text(encoding="utf-8").strip()))
        except (OSError, ValueError):
            stale = time.time() - d.stat().st_mtime > 86400
        if stale:
            shutil.rmtree(d, ignore_errors=True)
            removed.append(d)
    return removed
