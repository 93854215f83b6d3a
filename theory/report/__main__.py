"""Regenerate the page from a results file without re-running the checks:

python -m theory.report reports/results.json [-o reports/index.html]   # + findings.json beside it
python -m theory.report reports/results.json --summary   # one markdown row per statement
python -m theory.report reports/results.json --findings  # one markdown row per claim of the paper
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..findings import build_findings, findings_markdown
from ..results import atomic_write_text
from ._page import power_parts, summarize
from ._write import render_html, write_findings


def _f(x: object, digits: int = 3) -> str:
    return "-" if x is None else (f"{x:.{digits}g}" if isinstance(x, float) else str(x))


def summary_markdown(payload: dict) -> str:
    """One row per statement: verdict, checks passed / inconclusive, max tightness, worst margin,
    edge controls refuted / run (or "deterministic"), planted controls refuted / run, weakest
    detectable factor of the Monte Carlo rows (or the supremum reached without @example)."""
    rows = {}
    for r in payload["results"]:
        rows.setdefault(r["statement_id"], []).append(r)
    h = payload["header"]
    out = [
        f"Profile {h.get('profile')}, backend {h.get('backend')}, {h.get('wall_time_s')} s, "
        f"seed salt {h.get('seed_salt') or '(none)'}, commit {h.get('git_commit', '')[:7]}",
        "",
        "| statement | verdict | pass / inconclusive | max tightness | worst margin "
        "| edge refuted | controls refuted | detectable |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for s in payload["statements"]:
        sm = summarize(s, rows.get(s["id"], []))
        w = sm["worst"]
        planted = sm["controls_refuted"] - sm["edge_refuted"]
        edge, det = power_parts(sm)
        out.append(
            f"| `{s['id']}` | {sm['verdict']} | {sm['n_pass']} / {sm['n_inconclusive']} "
            f"| {_f(sm['tightness'])} | {_f(w['margin'] if w else None)} | {edge} "
            f"| {planted}/{sm['controls_run'] - sm['edge_run']} | {det} |"
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m theory.report", description=__doc__.splitlines()[0])
    p.add_argument("results", type=Path, help="a results.json written by a verify run")
    p.add_argument("-o", "--output", type=Path, help="default: index.html beside the results file")
    p.add_argument(
        "--summary",
        action="store_true",
        help="print the per-statement summary as a markdown table instead of writing the page",
    )
    p.add_argument(
        "--findings",
        action="store_true",
        help="print the paper's claims and what the data say as a markdown table instead",
    )
    a = p.parse_args(argv)
    if not a.results.is_file():
        p.error(f"results file not found: {a.results}")
    payload = json.loads(a.results.read_text(encoding="utf-8"))
    for key in ("header", "statements", "results"):
        if key not in payload:
            p.error(f"{a.results} is not a results.json of this suite (no {key!r} key)")
    if a.summary:
        print(summary_markdown(payload))
        return 0
    if a.findings:
        print(findings_markdown(build_findings(payload)))
        return 0
    out = a.output or a.results.with_name("index.html")
    findings = write_findings(out.parent, payload)
    atomic_write_text(out, render_html(payload, findings))
    print(f"wrote {out} and {out.with_name('findings.json')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
