"""The reviewer page: one self-contained HTML file (inline CSS and SVG, no scripts, no requests).

Order: the paper's claims and what the data say (:mod:`theory.findings`, on the first screen)
-> the suite's own verdict -> run header -> failures (with replay lines) -> summary table of every
registered statement -> figures -> Lemma 2 sandwich -> one section per statement with all its
checks.
"""

from __future__ import annotations

import html
import math
import re
from collections import defaultdict
from typing import Any

from ..findings import statement_verdict
from ._claims import CLAIMS_CSS, findings_section
from ._figures import figure_svg

esc = html.escape
GROUP_ORDER = (
    "Foundation",
    "Theorem 1",
    "Assumption A1",
    "Proof lemmas",
    "Iterative orthogonalization",
    "Vanilla chain",
    "Gaussian approximation",
    "Figures",
    "Training",
    # the line of work (issue 19), by date
    "Line of work: NeurIPS 2020 (Daneshmand, Kohler, Bach, Hofmann, Lucchi)",
    "Line of work: NeurIPS 2023 (Joudaki, Daneshmand, Bach)",
    "Line of work: ICLR 2024 (Meterez et al.)",
    "Line of work: AISTATS 2025 (Joudaki, Hofmann)",
)

CSS = """
body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:0 auto;max-width:1260px;
padding:10px 14px;color:#1b1f23;font-size:14px;line-height:1.4}
h1{font-size:20px;margin:2px 0 2px}h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:3px;
margin-top:28px}h3{font-size:15px;margin:18px 0 4px}
table{border-collapse:collapse;margin:6px 0 10px;width:100%}th,td{border:1px solid #ddd;padding:3px 6px;
text-align:left;vertical-align:top;font-size:12.5px}th{background:#f4f6f8}
code,.mono{font-family:SFMono-Regular,Consolas,'Liberation Mono',monospace;font-size:12px}
.v{font-weight:700;padding:1px 6px;border-radius:3px;white-space:nowrap}
.PASS{background:#d7f5dd;color:#11632a}.FAIL{background:#ffd9d9;color:#a1001b}
.INCONCLUSIVE{background:#fff1c9;color:#7a5600}.inconclusive{color:#7a5600;font-weight:700}
.NOTRUN{background:#eee;color:#555}.MEASURED{background:#e3ecff;color:#1a3d8f}
.refuted{color:#11632a}.not-refuted{color:#a1001b;font-weight:700}.unresolved{color:#8a6d00}
.box{border:1px solid #ddd;border-radius:6px;padding:8px 12px;margin:8px 0;background:#fbfbfc}
.fail{border-color:#e5a0a0;background:#fff5f5}.figs{display:flex;flex-wrap:wrap;gap:14px}
figure{margin:0;border:1px solid #e3e3e3;border-radius:6px;padding:6px;background:#fff;max-width:560px}
figcaption{font-size:12px;color:#444;margin-top:4px}pre{white-space:pre-wrap;font-size:11.5px;
background:#f6f8fa;padding:6px;max-height:260px;overflow:auto}.small{font-size:12px;color:#555}
.kpi{display:inline-block;margin-right:18px}
"""


def _fmt(x: Any, digits: int = 4) -> str:
    if x is None:
        return "–"
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, (int, float)):
        if isinstance(x, float) and not math.isfinite(x):
            return str(x)
        if isinstance(x, int) or float(x).is_integer() and abs(x) < 1e6:
            return str(int(x)) if isinstance(x, int) else f"{x:g}"
        return f"{x:.{digits}g}"
    return str(x)


def _short(v: Any) -> str:
    """A parameter value for display: floats (also inside lists/dicts) to 4 significant digits."""
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_short(u) for u in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_short(u)}" for k, u in v.items()) + "}"
    return _fmt(v)


def _params(p: dict[str, Any], limit: int = 8) -> str:
    items = [f"{k}={_short(v)}" for k, v in p.items()]
    s = ", ".join(items[:limit]) + (" …" if len(items) > limit else "")
    return esc(s if len(s) < 400 else s[:400] + " …")


def power_parts(sm: dict[str, Any]) -> tuple[str, str]:
    """The two halves of a statement's power (from :func:`summarize`): the edge controls
    refuted / run (unresolved ones are away from the binding case) or "deterministic", and the
    weakest detectable factor of its Monte Carlo rows or the supremum reached without
    ``@example``.  The page's power cell and ``python -m theory.report --summary`` both use it."""
    if sm["deterministic"]:
        sup = sm["supremum_reached"]
        return "deterministic", (
            f"supremum reached {_fmt(sup, 6)} without @example" if sup is not None else "-"
        )
    edge = f"{sm['edge_refuted']}/{sm['edge_run']} edge"
    if sm.get("edge_factors"):
        # where the edge sits: it proves only that an error of that size would be seen
        edge += " at " + ", ".join(sm["edge_factors"])
    if sm["edge_unresolved"]:
        edge += f" ({sm['edge_unresolved']} unresolved away from the binding case)"
    return edge, f"x{_fmt(sm['detectable'], 3)}"


def _edge_factor(r: dict[str, Any]) -> str:
    """``0.8x`` (an upper bound or an equivalence: the variant "E X <= 0.8 x estimate") or
    ``1.25x`` (a lower bound: "E X >= estimate / 0.8"); "" when the row does not say."""
    f = (r.get("extra") or {}).get("edge factor")
    if not _num(f) or f <= 0:
        return ""
    return f"{1 / f:.3g}x" if ">=" in str(r.get("check", ""))[:30] else f"{f:.3g}x"


def _power(sm: dict[str, Any]) -> str:
    """The power cell (:func:`power_parts`)."""
    edge, det = power_parts(sm)
    if sm["deterministic"]:
        edge += " (derived round-off slack)"
        return edge if det == "-" else f"{edge}; {det}"
    return f"{edge}; {det}"


def _num(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def spends_budget(r: dict[str, Any]) -> bool:
    """Whether a row's ``false_fail`` counts in the run's budget: a finite-sample assertion on a
    true statement (pass / fail / inconclusive).  Controls, info rows and asymptotic intervals
    do not: a control's delta bounds a wrong refutation, not a false fail."""
    return (
        r.get("control") is None
        and r["verdict"] in ("pass", "fail", "inconclusive")
        and r.get("finite_sample", True)
        and _num(r.get("false_fail"))
    )


def summarize(statement: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Worst margin (and where), tightness, budget, inconclusive rate and power of a statement."""
    true_rows = [
        r
        for r in rows
        if r.get("control") is None and r["verdict"] in ("pass", "fail", "inconclusive")
    ]
    ctrl = [r for r in rows if r.get("control") is not None]
    edge = [r for r in ctrl if r.get("control") == "edge"]
    margins = [r for r in true_rows if _num(r.get("margin"))]
    worst = min(margins, key=lambda r: r["margin"]) if margins else None
    tight = [r["tightness"] for r in true_rows if _num(r.get("tightness"))]
    ff = [r["false_fail"] for r in true_rows if spends_budget(r)]
    mc = [r for r in true_rows if not str(r.get("error") or "").startswith("deterministic")]
    # deterministic rows' factor (bound + slack/2)/bound says nothing about power near a zero
    # bound; their power is the supremum search (info rows) and the planted controls
    det = [r["detectable"] for r in mc if _num(r.get("detectable"))]
    sup = [
        r["tightness"]
        for r in rows
        if r["verdict"] == "info"
        and "supremum_reached" in (r.get("extra") or {})
        and _num(r.get("tightness"))
    ]
    return {
        "verdict": statement_verdict(rows),
        "n_checks": len(true_rows),
        "n_pass": sum(r["verdict"] == "pass" for r in true_rows),
        "n_inconclusive": sum(r["verdict"] == "inconclusive" for r in true_rows),
        "n_outside_budget": sum(not r.get("finite_sample", True) for r in true_rows),
        "n_info": sum(r["verdict"] == "info" for r in rows),
        "worst": worst,
        "tightness": max(tight) if tight else None,
        "false_fail": sum(ff) if ff else None,
        "controls_refuted": sum(r["verdict"] == "refuted" for r in ctrl),
        "controls_run": len(ctrl),
        "controls_declared": len(statement.get("negative_controls", [])),
        "edge_run": len(edge),
        "edge_refuted": sum(r["verdict"] == "refuted" for r in edge),
        "edge_unresolved": sum(r["verdict"] == "unresolved" for r in edge),
        "edge_factors": sorted({_edge_factor(r) for r in edge} - {""}),
        "deterministic": bool(true_rows) and not mc,
        "supremum_reached": min(sup) if sup else None,
        # the weakest power among the statement's rows: the largest detectable factor
        "detectable": max(det, key=lambda v: abs(v - 1)) if det else None,
    }


_BLOB = re.compile(r"@reproduce_failure\([^)]*\)")


def _failures(payload: dict[str, Any], by_node: dict[str, list[dict[str, Any]]]) -> str:
    fails = payload.get("failures", [])
    bad_rows = [r for r in payload["results"] if r["verdict"] in ("fail", "not-refuted")]
    if not fails and not bad_rows:
        n_inc = sum(r["verdict"] == "inconclusive" for r in payload["results"])
        return (
            "<div class='box'><b>No failures.</b> No check found evidence of a violation and every "
            "negative control was refuted"
            + (f"; <b>{n_inc}</b> assertions were inconclusive (see the summary)" if n_inc else "")
            + ".</div>"
        )
    out = [f"<h2 id='failures'>Failures ({len(fails)} tests, {len(bad_rows)} recorded checks)</h2>"]
    seen = set()
    for f in fails:
        node = f["nodeid"]
        seen.add(node)
        rows = by_node.get(node, [])
        blob = _BLOB.search(f.get("longrepr", ""))
        replay = (
            next((r.get("replay") for r in rows if r.get("replay")), None) or f"pytest '{node}'"
        )
        seeds = sorted({str(r.get("seed")) for r in rows if r.get("seed") is not None})
        out.append(
            f"<div class='box fail'><b class='mono'>{esc(node)}</b> <span class='small'>({esc(f.get('when', ''))})</span>"
            f"<div>replay: <code>{esc(replay)}</code>{' seeds: <code>' + esc(', '.join(seeds)) + '</code>' if seeds else ''}</div>"
            + (f"<div>Hypothesis: <code>{esc(blob.group(0))}</code></div>" if blob else "")
            + f"<pre>{esc(f.get('longrepr', '')[-2500:])}</pre></div>"
        )
    for r in bad_rows:
        if r.get("nodeid") in seen:
            continue
        out.append(
            f"<div class='box fail'><b>{esc(r['statement_id'])}</b>: {esc(r['check'])} — "
            f"<span class='not-refuted'>{esc(r['verdict'])}</span><div>replay: <code>"
            f"{esc(str(r.get('replay')))}</code> seed <code>{esc(str(r.get('seed')))}</code></div></div>"
        )
    return "".join(out)


def _header(payload: dict[str, Any]) -> str:
    h = payload["header"]
    versions = ", ".join(f"{k} {v}" for k, v in h.get("versions", {}).items())
    rows = [
        ("profile", h.get("profile")),
        ("backend", h.get("backend")),
        ("device", h.get("device")),
        ("git commit", h.get("git_commit")),
        ("started", h.get("started")),
        ("wall time", f"{h.get('wall_time_s')} s"),
        ("seed salt", h.get("seed_salt") or "none"),
        ("command", h.get("command")),
        ("exit status", h.get("exit_status")),
        ("packages", versions),
    ]
    return (
        "<table>"
        + "".join(
            f"<tr><th style='width:120px'>{esc(k)}</th><td class='mono'>{esc(str(v))}</td></tr>"
            for k, v in rows
        )
        + "</table>"
    )


def _budget(payload: dict[str, Any]) -> str:
    h = payload["header"]
    rows = payload["results"]
    counted = [r for r in rows if spends_budget(r)]
    spent = sum(r["false_fail"] for r in counted)
    asym = [
        r
        for r in rows
        if r.get("control") is None
        and r["verdict"] in ("pass", "fail", "inconclusive")
        and not r.get("finite_sample", True)
    ]
    n_inc = sum(r["verdict"] == "inconclusive" for r in rows if r.get("control") is None)
    budget = h.get("run_budget")
    ok = budget is None or spent <= budget * (1 + 1e-9)
    return (
        f"<div class='box' id='budget'><span class='kpi'><b>{len(counted)}</b> finite-sample assertions on true statements</span>"
        f"<span class='kpi'>false-fail probability spent (sum over them): <b>{spent:.3g}</b> of the run budget "
        f"<b>{_fmt(budget)}</b> {'(within budget)' if ok else '<span class=not-refuted>(OVER BUDGET)</span>'}</span>"
        f"<span class='kpi'>inconclusive: <b>{n_inc}</b></span>"
        f"<span class='kpi'>asymptotic (bootstrap/CLT) assertions outside the budget: <b>{len(asym)}</b></span>"
        f"<div class='small'>Each assertion's delta bounds both errors: a false fail (evidence of a violation "
        f"while the statement is true) and a wrong pass. Only false-fail probabilities are added here; "
        f"a control's delta bounds a wrong refutation and is not part of the budget.</div></div>"
    )


def _summary(statements: list[dict[str, Any]], by_stmt: dict[str, list[dict[str, Any]]]) -> str:
    head = (
        "<table id='summary'><tr><th>group</th><th>statement</th><th>source</th><th>verdict</th>"
        "<th>checks (pass / inconclusive)</th><th>worst margin (where)</th><th>max tightness<br>(1 = at the bound)</th>"
        "<th>power: edge controls refuted; detectable discrepancy</th>"
        "<th>false-fail spent</th><th>negative controls refuted</th></tr>"
    )
    body = []
    for s in statements:
        sm = summarize(s, by_stmt.get(s["id"], []))
        w = sm["worst"]
        where = (
            f"{_fmt(w['margin'])} <span class='small'>({_params(w.get('params', {}), 4)})</span>"
            if w
            else "–"
        )
        ctrl = (
            f"{sm['controls_refuted']}/{sm['controls_run']} run"
            f"{'' if sm['controls_run'] else ''} ({sm['controls_declared']} declared)"
        )
        body.append(
            f"<tr data-statement='{esc(s['id'])}'><td>{esc(s.get('group', ''))}</td>"
            f"<td><a href='#{esc(s['id'])}'>{esc(s['title'])}</a><br><span class='mono small'>{esc(s['id'])}</span></td>"
            f"<td class='small'>{esc(s['source'])}</td><td><span class='v {sm['verdict']}'>{sm['verdict']}</span></td>"
            f"<td>{sm['n_checks']} ({sm['n_pass']} / <span class='{'inconclusive' if sm['n_inconclusive'] else ''}'>{sm['n_inconclusive']}</span>)"
            f"{' + ' + str(sm['n_info']) + ' info' if sm['n_info'] else ''}"
            f"{'<br><span class=small>' + str(sm['n_outside_budget']) + ' asymptotic</span>' if sm['n_outside_budget'] else ''}</td><td>{where}</td>"
            f"<td>{_fmt(sm['tightness'], 3)}</td>"
            f"<td class='power'>{_power(sm)}</td>"
            f"<td>{_fmt(sm['false_fail'], 3)}</td><td>{ctrl}</td></tr>"
        )
    return head + "".join(body) + "</table>"


def _figures(results: list[dict[str, Any]]) -> str:
    figs, seen = [], set()
    for r in results:
        fig = (r.get("extra") or {}).get("figure")
        if not isinstance(fig, dict) or fig.get("id") in seen:
            continue
        seen.add(fig.get("id"))
        try:
            svg = figure_svg(fig)
        except Exception as e:  # a broken figure must not hide the verdicts
            svg = f"<p class='not-refuted'>figure {esc(str(fig.get('id')))} could not be drawn: {esc(repr(e))}</p>"
        figs.append(
            f"<figure data-figure='{esc(str(fig.get('id')))}'>{svg}<figcaption><b>{esc(fig.get('title', ''))}</b>"
            f" — {esc(fig.get('caption', ''))} <span class='small'>[{esc(r['statement_id'])}]</span></figcaption></figure>"
        )
    if not figs:
        return "<p class='small'>No check recorded a figure in this run.</p>"
    return "<div class='figs'>" + "".join(figs) + "</div>"


def _sandwich(results: list[dict[str, Any]]) -> str:
    rows = [r for r in results if isinstance((r.get("extra") or {}).get("sandwich"), dict)]
    if not rows:
        return ""
    out = [
        "<h2 id='sandwich'>Lemma 2 sandwich: lower ≤ W2² ≤ upper ≤ bound</h2><table><tr><th>statement</th>"
        "<th>configuration</th><th>lower (kind, CI)</th><th>upper (CI)</th><th>bound</th></tr>"
    ]
    for r in rows:
        s = r["extra"]["sandwich"]

        def ci(key: str, s: dict[str, Any] = s) -> str:
            v = s.get(key)
            return (
                f"[{_fmt(v[0])}, {_fmt(v[1])}]"
                if isinstance(v, (list, tuple)) and len(v) == 2
                else ""
            )

        out.append(
            f"<tr><td class='mono small'>{esc(r['statement_id'])}</td><td class='small'>{_params(r.get('params', {}))}</td>"
            f"<td>{_fmt(s.get('lower'))} <span class='small'>{esc(str(s.get('lower_kind', '')))}</span> {ci('lower_ci')}</td><td>{_fmt(s.get('upper'))} {ci('upper_ci')}</td>"
            f"<td>{_fmt(s.get('bound'))}</td></tr>"
        )
    return "".join(out) + "</table>"


def _extra_tables(rows: list[dict[str, Any]]) -> str:
    """Tables a row carries in ``extra["table"]`` (``columns`` and ``rows``), e.g. the training
    ablation: shown under the statement, captioned by the row's check and method."""
    out = []
    for r in rows:
        t = (r.get("extra") or {}).get("table")
        if not (isinstance(t, dict) and t.get("columns") and isinstance(t.get("rows"), list)):
            continue
        head = "".join(f"<th>{esc(str(c))}</th>" for c in t["columns"])
        body = "".join(
            "<tr>"
            + "".join(
                f"<td>{_fmt(v, 3) if v is None or isinstance(v, (int, float)) else esc(str(v))}</td>"
                for v in row
            )
            + "</tr>"
            for row in t["rows"]
        )
        out.append(
            f"<table class='extra'><caption>{esc(r['check'])}"
            f"<span class='small'> — {esc(str(r.get('method') or ''))}</span></caption>"
            f"<tr>{head}</tr>{body}</table>"
        )
    return "".join(out)


def _statement_section(s: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    sm = summarize(s, rows)
    hyp = "".join(
        f"<li><code>{esc(k)}</code>: {esc(str(v))}</li>" for k, v in s.get("hypotheses", {}).items()
    )
    res = "".join(f"<li>{esc(x)}</li>" for x in s.get("resolution", []))
    ctrls = "".join(
        f"<li><b>{esc(c['id'])}</b> <span class='small'>[{esc(c.get('strength', 'planted'))}]</span>: "
        f"{esc(c['description'])} — <i>false because</i> {esc(c['why_false'])}</li>"
        for c in s.get("negative_controls", [])
    )
    trs = []
    for r in rows:
        ci = (
            f"[{_fmt(r.get('ci_low'))}, {_fmt(r.get('ci_high'))}]"
            if r.get("ci_low") is not None or r.get("ci_high") is not None
            else "–"
        )
        kind = f"control <b>{esc(str(r['control']))}</b>" if r.get("control") else "check"
        if r.get("control") == "edge":
            kind = "edge control"
        trs.append(
            f"<tr><td>{kind}</td><td>{esc(r['check'])}</td><td class='{esc(r['verdict'])}'>{esc(r['verdict'])}</td>"
            f"<td>{_fmt(r.get('measured'))}</td><td>{ci}</td><td>{_fmt(r.get('bound'))}</td><td>{_fmt(r.get('margin'))}</td>"
            f"<td>{_fmt(r.get('tightness'), 3)}</td><td>{_fmt(r.get('detectable'), 3)}</td>"
            f"<td class='small'>{_fmt(r.get('false_fail'), 2)}{'' if r.get('finite_sample', True) else ' (asymptotic)'}"
            f"{'<br>' + esc(str(r.get('error'))) if r.get('error') else ''}</td>"
            f"<td class='small'>{_params(r.get('params', {}))}<br>{esc(str(r.get('backend')))}/{esc(str(r.get('dtype')))}"
            f" seed <code>{esc(str(r.get('seed')))}</code></td></tr>"
        )
    table = (
        (
            "<table><tr><th></th><th>check</th><th>verdict</th><th>measured</th><th>CI</th><th>bound</th>"
            "<th>margin</th><th>tightness</th><th>detectable</th><th>delta (what it bounds)</th><th>parameters, seed</th></tr>"
            + "".join(trs)
            + "</table>"
        )
        if rows
        else "<p class='small'>Not run in this session.</p>"
    )
    return (
        f"<section id='{esc(s['id'])}'><h3>{esc(s['title'])} <span class='v {sm['verdict']}'>{sm['verdict']}</span></h3>"
        f"<div class='box'><div><code>{esc(s['formula'])}</code></div><div class='small'>Source: {esc(s['source'])}"
        f" · kind: {esc(s['kind'])} · id <code>{esc(s['id'])}</code></div>"
        f"<div class='small'>Hypotheses:<ul>{hyp}</ul></div>"
        + (
            f"<div class='small'>Misprints and readings resolved:<ul>{res}</ul></div>"
            if res
            else ""
        )
        + f"<div class='small'>Negative controls (planted false variants; every Monte Carlo "
        f"assertion also has an edge control, a variant just beyond the data):<ul>{ctrls}</ul></div>"
        + (f"<div class='small'>{esc(s['notes'])}</div>" if s.get("notes") else "")
        + f"</div>{table}{_extra_tables(rows)}</section>"
    )


def _run_line(payload: dict[str, Any]) -> str:
    """``Run: profile ci, numpy, cpu, commit abc1234, started ...`` (the fields the header has)."""
    h = payload.get("header", {})
    parts = [f"profile <b>{esc(str(h['profile']))}</b>"] if h.get("profile") else []
    parts += [esc(str(h[k])) for k in ("backend", "device") if h.get(k)]
    if h.get("git_commit"):
        parts.append(f"commit <code>{esc(str(h['git_commit'])[:12])}</code>")
    if h.get("started"):
        parts.append(f"started {esc(str(h['started']))}")
    return ("Run: " + ", ".join(parts) + ".") if parts else ""


def render_page(payload: dict[str, Any], findings: dict[str, Any] | None = None) -> str:
    """The whole page as one string; ``findings`` is :func:`theory.findings.build_findings` of
    the payload (computed here when not given)."""
    if findings is None:
        from ..findings import safe_findings

        findings = safe_findings(payload)
    results = payload.get("results", [])
    order = {g: i for i, g in enumerate(GROUP_ORDER)}
    statements = sorted(
        payload.get("statements", []), key=lambda s: order.get(s.get("group"), len(order))
    )  # stable within a group
    by_stmt: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_node: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in results:
        by_stmt[r["statement_id"]].append(r)
        if r.get("nodeid"):
            by_node[r["nodeid"]].append(r)
    known = {s["id"] for s in statements}
    orphans = sorted(set(by_stmt) - known)
    verdicts = [summarize(s, by_stmt.get(s["id"], []))["verdict"] for s in statements]
    counts = {v: verdicts.count(v) for v in ("PASS", "FAIL", "INCONCLUSIVE", "MEASURED", "NOTRUN")}
    n_fail_tests = len(payload.get("failures", []))
    overall = "FAIL" if counts["FAIL"] or n_fail_tests else "PASS"
    outcomes = payload.get("outcomes", {})
    n_pass = sum(v == "passed" for v in outcomes.values())
    n_skip = sum(v == "skipped" for v in outcomes.values())
    sections = "".join(_statement_section(s, by_stmt.get(s["id"], [])) for s in statements)
    groups = []
    for s in statements:
        if s.get("group") not in groups:
            groups.append(s.get("group"))
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
        "<title>BN orthogonality — verification report</title>"
        f"<style>{CSS}{CLAIMS_CSS}</style></head><body>"
        "<h1>Batch Normalization Orthogonalizes Representations — verification report</h1>"
        f"<div class='small'>Daneshmand, Joudaki, Bach (NeurIPS 2021). {_run_line(payload)}</div>"
        + findings_section(findings)
        + "<h2 id='suite'>The suite's own verdict</h2>"
        "<div class='small'>Every statement is checked by finite-sample "
        "Monte Carlo bounds or Hypothesis properties, and each has planted false variants that the same machinery must refute.</div>"
        f"<div class='box'><span class='v {overall}' id='overall'>{overall}</span> "
        f"<span class='kpi'>{counts['PASS']} statements pass</span><span class='kpi'>{counts['FAIL']} fail</span>"
        f"<span class='kpi'>{counts['INCONCLUSIVE']} inconclusive</span>"
        f"<span class='kpi'>{counts['MEASURED']} measured only</span><span class='kpi'>{counts['NOTRUN']} not run</span>"
        f"<span class='kpi'>tests: {n_pass} passed, {n_fail_tests} failed, {n_skip} skipped</span></div>"
        + _header(payload)
        + _failures(payload, by_node)
        + "<h2>Summary of all registered statements</h2>"
        + _summary(statements, by_stmt)
        + _budget(payload)
        + (
            f"<p class='not-refuted'>Results for unregistered statement ids: {esc(', '.join(orphans))}</p>"
            if orphans
            else ""
        )
        + "<h2 id='figures'>Figures</h2>"
        + _figures(results)
        + _sandwich(results)
        + "<h2>Statements in detail</h2>"
        + sections
        + "</body></html>"
    )
