"""Results -> ``results.json`` (+ ``findings.json``) -> one self-contained HTML page.

``python -m theory.report reports/results.json`` re-renders the page without re-running checks.
"""

from ._write import build_payload, render_html, write_findings, write_report

__all__ = ["build_payload", "render_html", "write_findings", "write_report"]
