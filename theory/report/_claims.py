"""The report's opening section: the paper's claims and what the data say about them
(:func:`theory.findings.build_findings`), one row per claim, with links into the statement
sections below."""

from __future__ import annotations

import html
from typing import Any

esc = html.escape

#: Status badge colours (the claim statuses of :mod:`theory.findings`).
CLAIMS_CSS = """
#findings h2{margin:8px 0 2px}
table.claims{margin:3px 0 4px;table-layout:fixed}table.claims td,table.claims th{padding:2px 5px;
font-size:12px;line-height:1.25;vertical-align:middle}table.claims td.paper{white-space:nowrap;
overflow:hidden;text-overflow:ellipsis}table.claims td.ev{font-size:10px;line-height:1.2}
table.claims td.ev a{margin-right:6px;white-space:nowrap;display:inline-block;max-width:100%;
overflow:hidden;text-overflow:ellipsis;vertical-align:top}
.st{font-weight:700;padding:0 5px;border-radius:3px;white-space:nowrap;font-size:11.5px}
.st-holds{background:#d7f5dd;color:#11632a}.st-loose{background:#d3eeec;color:#0f5e57}
.st-misprint{background:#efe3fa;color:#5b2a86}.st-refuted{background:#ffd9d9;color:#a1001b}
.st-fails{background:#a1001b;color:#fff}.st-inconclusive{background:#fff1c9;color:#7a5600}
.st-not-run{background:#eee;color:#555}.legend{margin:2px 0 4px}.legend .st{margin-left:6px}
"""


def _cls(status: str) -> str:
    return "st-" + status.replace(" ", "-")


def _legend(findings: dict[str, Any]) -> str:
    counts = findings.get("counts", {})
    meaning = findings.get("statuses", {})
    parts = [
        f"<span class='st {_cls(s)}' title='{esc(meaning.get(s, ''))}'>{esc(s)}</span> {n}"
        for s, n in counts.items()
        if n
    ]
    return (
        f"<div class='small legend'>{len(findings.get('claims', []))} claims:"
        + " ".join(parts)
        + f" · <b>loose</b>: holds, but the data stay below {findings.get('loose_below')} of the "
        "bound everywhere searched, or a sharper constant is attained · <b>misprint</b>: the "
        "printed form is false or not derivable, the form named holds · machine-readable: "
        "<code>findings.json</code></div>"
    )


def findings_section(findings: dict[str, Any]) -> str:
    """The claims table (``table#claims``) with its legend and the statements that are not
    claims of the paper."""
    rows = []
    for c in findings.get("claims", []):
        links = "".join(
            f"<a href='#{esc(s['id'])}' title='{esc(str(s.get('title') or ''))} "
            f"({esc(s['verdict'])})'>{esc(s['id'])}</a>"
            for s in c["statements"]
        )
        tip = c.get("detail") or ""
        if c.get("misprint"):
            tip += f" | the record's resolution: {c['misprint']}"
        note = f" title='{esc(tip)}'" if tip else ""
        rows.append(
            f"<tr data-claim='{esc(c['id'])}' data-status='{esc(c['status'])}'>"
            f"<td class='paper' title='{esc(c['claim'])}'><b>{esc(c['location'])}</b> · "
            f"{esc(c['reading'])}</td>"
            f"<td class='st'><span class='st {_cls(c['status'])}'>{esc(c['label'])}</span></td>"
            f"<td{note}>{esc(c['says'])}</td><td class='ev mono'>{links}</td></tr>"
        )
    extra = []
    if findings.get("not_paper_claims"):
        extra.append(
            "Registered, not claims of the paper: "
            + "; ".join(
                f"<a href='#{esc(n['id'])}'>{esc(n['id'])}</a> ({esc(n['why'])})"
                for n in findings["not_paper_claims"]
            )
            + "."
        )
    if findings.get("unaccounted_statements"):
        extra.append(
            "<span class='not-refuted'>Registered statements no claim accounts for: "
            + esc(", ".join(findings["unaccounted_statements"]))
            + "</span>"
        )
    if findings.get("error"):
        extra.append(
            "<span class='not-refuted'>The findings table could not be built from this payload: "
            + esc(str(findings["error"]))
            + "</span>"
        )
    if findings.get("unknown_statement_ids"):
        extra.append(
            "<span class='not-refuted'>The findings table names statement ids this run does "
            "not have: " + esc(", ".join(findings["unknown_statement_ids"])) + "</span>"
        )
    return (
        "<section id='findings'><h2>What the paper claims, and what the data say</h2>"
        + _legend(findings)
        + "<table class='claims' id='claims'><colgroup><col style='width:22%'>"
        "<col style='width:8%'><col style='width:48.5%'><col style='width:21.5%'></colgroup>"
        "<tr><th>the paper</th><th>status</th><th>what the data say</th>"
        "<th>evidence (sections below)</th></tr>"
        + "".join(rows)
        + "</table>"
        + (f"<div class='small'>{' '.join(extra)}</div>" if extra else "")
        + "</section>"
    )
