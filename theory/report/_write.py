"""Merge per-check rows into one payload, then write ``results.json`` and ``index.html``."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

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


def render_html(payload: dict[str, Any]) -> str:
    """A minimal self-contained page (the full reviewer page replaces this)."""
    h = payload["header"]
    esc = html.escape
    rows = "".join(
        f"<tr><td>{esc(r['statement_id'])}</td><td>{esc(r['check'])}</td>"
        f"<td>{esc(r['verdict'])}</td><td>{esc(str(r.get('margin')))}</td></tr>"
        for r in payload["results"]
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>BN orthogonality report</title>"
        "</head><body>"
        f"<h1>BN orthogonality verification</h1><p>profile {esc(str(h.get('profile')))}, "
        f"backend {esc(str(h.get('backend')))}</p>"
        f"<table><tr><th>statement</th><th>check</th><th>verdict</th><th>margin</th></tr>{rows}"
        "</table></body></html>"
    )


def write_report(
    report_dir: Path,
    *,
    header: dict[str, Any],
    results: list[dict[str, Any]],
    outcomes: dict[str, str],
    failures: list[dict[str, Any]],
) -> dict[str, Any]:
    """Write ``results.json`` and ``index.html`` atomically into ``report_dir``."""
    payload = build_payload(header=header, results=results, outcomes=outcomes, failures=failures)
    report_dir = Path(report_dir)
    atomic_write_text(report_dir / "results.json", json.dumps(payload, indent=1))
    atomic_write_text(report_dir / "index.html", render_html(payload))
    return payload
