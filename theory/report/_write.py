"""Merge per-check rows into one payload, then write ``results.json``, ``findings.json`` and
``index.html``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..findings import safe_findings
from ..results import atomic_write_text
from ..statements import STATEMENTS


def build_payload(
    *,
    header: dict[str, Any],
    results: list[dict[str, Any]],
    outcomes: dict[str, str],
    failures: list[dict[str, Any]],
) -> dict[str, Any]:
    """The machine-readable report: header, statements, results, test outcomes, failures."""
    return {
        "header": header,
        "statements": [s.describe() for s in STATEMENTS.values()],
        "results": results,
        "outcomes": outcomes,
        "failures": failures,
    }


def render_html(payload: dict[str, Any], findings: dict[str, Any] | None = None) -> str:
    """The self-contained reviewer page for a payload (see :mod:`theory.report._page`)."""
    from ._page import render_page

    return render_page(payload, findings)


def write_findings(report_dir: Path, payload: dict[str, Any]) -> dict[str, Any]:
    """Write ``findings.json`` (the paper's claims and what the data say,
    :func:`theory.findings.build_findings`) into ``report_dir``; returns it."""
    findings = safe_findings(payload)
    atomic_write_text(
        Path(report_dir) / "findings.json", json.dumps(findings, indent=1, ensure_ascii=False)
    )
    return findings


def write_report(
    report_dir: Path,
    *,
    header: dict[str, Any],
    results: list[dict[str, Any]],
    outcomes: dict[str, str],
    failures: list[dict[str, Any]],
) -> dict[str, Any]:
    """Write ``results.json``, ``findings.json`` and ``index.html`` atomically into
    ``report_dir``."""
    payload = build_payload(header=header, results=results, outcomes=outcomes, failures=failures)
    report_dir = Path(report_dir)
    atomic_write_text(report_dir / "results.json", json.dumps(payload, indent=1))
    findings = write_findings(report_dir, payload)
    atomic_write_text(report_dir / "index.html", render_html(payload, findings))
    return payload
