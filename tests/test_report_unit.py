"""Unit tests of the report writer: verdict logic, failures first, replay lines, regeneration."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import theory
from theory.engine import CheckResult
from theory.report import build_payload, render_html, write_report
from theory.report._page import statement_verdict, summarize

HEADER = {
    "profile": "ci",
    "backend": "numpy",
    "device": "cpu",
    "versions": {"numpy": "x"},
    "git_commit": "abc",
    "wall_time_s": 1.0,
    "run_budget": 1e-3,
    "assertion_delta": 2e-6,
}


def _row(verdict, control=None, **kw):
    return CheckResult("sampler/exact-in-law", "a check", verdict, control=control, **kw).to_dict()


def test_statement_verdicts():
    assert statement_verdict([]) == "NOTRUN"
    assert statement_verdict([_row("pass"), _row("refuted", "frozen-W")]) == "PASS"
    assert statement_verdict([_row("pass"), _row("not-refuted", "frozen-W")]) == "FAIL"
    assert statement_verdict([_row("fail")]) == "FAIL"
    assert statement_verdict([_row("info")]) == "MEASURED"


def test_summary_worst_margin_and_budget():
    rows = [
        _row("pass", margin=0.3, tightness=0.5, false_fail=2e-6, params={"d": 8}),
        _row("pass", margin=0.1, tightness=0.9, false_fail=2e-6, params={"d": 4}),
        _row("refuted", "frozen-W"),
    ]
    s = summarize(theory.STATEMENTS["sampler/exact-in-law"].describe(), rows)
    assert s["worst"]["params"] == {"d": 4} and s["tightness"] == 0.9
    assert s["false_fail"] == pytest.approx(4e-6) and s["controls_refuted"] == 1


def test_power_parts_serve_the_page_and_the_markdown_summary():
    """The supremum info row is found by its ``extra["supremum_reached"]`` field, not by its
    text; the page's power cell and ``--summary`` print the same two halves."""
    from theory.report.__main__ import summary_markdown
    from theory.report._page import _power, power_parts

    sid = "lemma-4/gap-vs-lyapunov"
    det = [
        CheckResult(sid, "x", "pass", error="deterministic: round-off", tightness=0.5).to_dict(),
        CheckResult(
            sid, "renamed", "info", tightness=0.99991, extra={"supremum_reached": 0.99991}
        ).to_dict(),
    ]
    sm = summarize(theory.STATEMENTS[sid].describe(), det)
    assert sm["deterministic"] and sm["supremum_reached"] == pytest.approx(0.99991)
    edge, sup = power_parts(sm)
    assert edge == "deterministic" and "0.99991" in sup and sup in _power(sm)
    mc = [
        _row("pass", detectable=1.3, tightness=0.4),
        _row("refuted", "edge"),
        _row("unresolved", "edge"),
    ]
    sm = summarize(theory.STATEMENTS["sampler/exact-in-law"].describe(), mc)
    edge, factor = power_parts(sm)
    assert edge.startswith("1/2 edge (1 unresolved") and factor == "x1.3"
    assert _power(sm) == f"{edge}; {factor}"
    md = summary_markdown(
        {
            "header": HEADER,
            "statements": [theory.STATEMENTS["sampler/exact-in-law"].describe()],
            "results": mc,
        }
    )
    assert f"| {edge} |" in md and f"| {factor} |" in md


def test_failures_first_with_replay_and_hypothesis_blob():
    fail = _row(
        "fail",
        nodeid="verify/test_x.py::test_y",
        seed=42,
        replay="pytest 'verify/test_x.py::test_y' --profile ci --backend numpy",
    )
    payload = build_payload(
        header=HEADER,
        results=[fail, _row("pass")],
        outcomes={},
        failures=[
            {
                "nodeid": "verify/test_x.py::test_y",
                "when": "call",
                "longrepr": "boom\n@reproduce_failure('6.1', b'AXic')\n",
            }
        ],
    )
    page = render_html(payload)
    assert page.index("Failures") < page.index("Summary of all registered statements")
    assert "@reproduce_failure(&#x27;6.1&#x27;, b&#x27;AXic&#x27;)" in page
    assert "--profile ci --backend numpy" in page and "42" in page
    for s in theory.STATEMENTS:
        assert f"data-statement='{s}'" in page


def test_page_is_self_contained_and_figures_inline(tmp_path):
    fig = {
        "id": "f1",
        "title": "t",
        "caption": "c",
        "type": "lines",
        "x": [1, 2, 3],
        "series": [
            {"label": "a", "y": [1, 2, 3], "lo": [0, 1, 2], "hi": [2, 3, 4]},
            {"label": "claim", "y": [1, 1, 1], "style": "claim"},
        ],
        "xlabel": "x",
        "ylabel": "y",
        "logy": True,
    }
    heat = {
        "id": "f2",
        "title": "h",
        "type": "heatmap",
        "x": [2, 4],
        "y": [8, 16, 32],
        "z": [[1, 0], [1, 1], [1, 1]],
        "overlays": [{"label": "o", "x": [2, 4], "y": [8, 20]}],
    }
    rows = [_row("info", extra={"figure": fig}), _row("info", extra={"figure": heat})]
    write_report(tmp_path, header=HEADER, results=rows, outcomes={}, failures=[])
    page = (tmp_path / "index.html").read_text()
    assert page.count("<svg") >= 2 and "data-figure='f1'" in page and "data-figure='f2'" in page
    for needle in ("http://", "https://", "<script", "@font-face", "<link"):
        body = page.split("<body>", 1)[1]
        assert needle not in body.replace("http://www.w3.org", ""), needle
    assert json.loads((tmp_path / "results.json").read_text())["header"]["profile"] == "ci"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "findings.json",
        "index.html",
        "results.json",
    ]


def test_regenerate_from_results_json(tmp_path):
    write_report(tmp_path, header=HEADER, results=[_row("pass")], outcomes={}, failures=[])
    (tmp_path / "index.html").unlink()
    (tmp_path / "findings.json").unlink()
    out = subprocess.run(
        [sys.executable, "-m", "theory.report", str(tmp_path / "results.json")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "wrote" in out.stdout and (tmp_path / "index.html").exists()
    assert json.loads((tmp_path / "findings.json").read_text())["claims"]
    md = subprocess.run(
        [sys.executable, "-m", "theory.report", str(tmp_path / "results.json"), "--findings"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert md.startswith("| paper | claim | status |") and "Theorem 1, Eq. 3" in md
    bad = subprocess.run(
        [sys.executable, "-m", "theory.report", str(tmp_path / "nope.json")],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "not found" in bad.stderr


def test_inconclusive_is_reported_not_failed_and_budget_counts_false_fails_only():
    rows = [
        _row("pass", false_fail=2e-6, detectable=1.3),
        _row("inconclusive", false_fail=2e-6, detectable=2.0),
        _row("pass", false_fail=2e-6, finite_sample=False),  # bootstrap: outside the budget
        _row("refuted", "edge", wrong_pass=2e-6),
        _row("refuted", "frozen-W", false_fail=None, wrong_pass=2e-6),
    ]
    assert statement_verdict(rows) == "PASS"
    assert statement_verdict([_row("inconclusive")]) == "INCONCLUSIVE"
    s = summarize(theory.STATEMENTS["sampler/exact-in-law"].describe(), rows)
    assert s["n_inconclusive"] == 1 and s["n_outside_budget"] == 1
    assert s["false_fail"] == pytest.approx(4e-6)  # the asymptotic row and controls excluded
    assert (s["edge_run"], s["edge_refuted"]) == (1, 1) and s["detectable"] == 2.0
    page = render_html(build_payload(header=HEADER, results=rows, outcomes={}, failures=[]))
    assert "inconclusive" in page and "No failures" in page and "outside the budget" in page


def test_page_opens_with_the_claims_table_then_the_suite_verdict(tmp_path):
    """The claims table comes first, each row links to its statement sections, and the suite's
    own pass/fail summary stays below it; findings.json holds the same rows."""
    from theory.findings import CLAIMS

    rows = [
        CheckResult("drift/one-step", "c", "pass", tightness=0.9, params={"n": 2}).to_dict(),
        CheckResult("lemma-4/gap-vs-lyapunov", "c", "fail").to_dict(),
    ]
    write_report(tmp_path, header=HEADER, results=rows, outcomes={}, failures=[])
    page = (tmp_path / "index.html").read_text()
    findings = json.loads((tmp_path / "findings.json").read_text())
    assert page.index("id='claims'") < page.index("id='overall'") < page.index("id='summary'")
    assert page.count("<tr data-claim=") == len(CLAIMS) == len(findings["claims"])
    for c in findings["claims"]:
        assert f"<tr data-claim='{c['id']}' data-status='{c['status']}'>" in page
        for s in c["statements"]:
            assert f"href='#{s['id']}'" in page and f"<section id='{s['id']}'>" in page
    status = {c["id"]: c["status"] for c in findings["claims"]}
    assert status["drift"] == "holds" and status["lemma-4"] == "fails"
    assert status["figure-1"] == "not run"


def test_info_row_table_is_rendered_under_its_statement():
    """An info row's ``extra.table`` (the training ablation) is shown as a table, None as '–'."""
    row = CheckResult(
        "training/orthogonalization-trains-faster",
        "info: ablation table at L=32",
        "info",
        method="3 seeds per init",
        backend="torch",
        dtype="float32",
        device="cpu",
        extra={
            "table": {
                "columns": ["init", "loss_mean", "diverged"],
                "rows": [["xavier", 2.2012, 0], ["eq6", None, 3]],
            }
        },
    ).to_dict()
    html = render_html(build_payload(header=HEADER, results=[row], outcomes={}, failures=[]))
    assert "<caption>info: ablation table at L=32" in html
    assert "<td>xavier</td><td>2.2</td><td>0</td>" in html
    assert "<td>eq6</td><td>–</td><td>3</td>" in html
