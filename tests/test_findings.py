"""The findings table (theory.findings): statuses from small synthetic payloads, the curated table
against the real registry, and the known findings on a real run's payload when one is present."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from theory import findings as F
from theory.engine import CheckResult
from theory.statements import STATEMENTS

ROOT = Path(__file__).resolve().parents[1]
HEADER = {"profile": "ci", "backend": "numpy", "git_commit": "abc", "run_budget": 1e-3}


def _row(sid: str, verdict: str, control: str | None = None, **kw) -> dict:
    kw.setdefault("check", "a check")
    check = kw.pop("check")
    return CheckResult(sid, check, verdict, control=control, **kw).to_dict()


def _payload(rows: list[dict], statements: list[dict] | None = None) -> dict:
    if statements is None:
        statements = [s.describe() for s in STATEMENTS.values()]
    return {"header": HEADER, "statements": statements, "results": rows}


def _claim(findings: dict, cid: str) -> dict:
    return next(c for c in findings["claims"] if c["id"] == cid)


def _status(rows: list[dict], cid: str, statements: list[dict] | None = None) -> dict:
    return _claim(F.build_findings(_payload(rows, statements)), cid)


# ----------------------------------------------------------------- the curated table vs registry


def test_curated_table_names_only_registered_statements():
    F.validate_claims(STATEMENTS)  # raises on an unknown id
    f = F.build_findings(_payload([]))
    assert f["unknown_statement_ids"] == []
    # every registered statement bears on some claim, or is listed as not a claim of the paper
    assert f["unaccounted_statements"] == []
    assert len({c.id for c in F.CLAIMS}) == len(F.CLAIMS)


def test_an_unknown_statement_id_is_an_error(monkeypatch):
    bad = F.Claim("x", "Sec. 0", "nothing", "nothing", ("no/such-statement",), F.Holds(("x",)))
    monkeypatch.setattr(F, "CLAIMS", (*F.CLAIMS, bad))
    with pytest.raises(ValueError, match="no/such-statement"):
        F.validate_claims(STATEMENTS)
    f = F.build_findings(_payload([]))  # the report still renders: the claim is "not run"
    assert f["unknown_statement_ids"] == ["no/such-statement"]
    assert _claim(f, "x")["status"] == "not run"


def test_findings_module_reads_the_payload_only():
    """theory.findings must not import the registry, the checks, the engine or verify."""
    tree = ast.parse((ROOT / "theory" / "findings.py").read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add(("." * node.level) + (node.module or ""))
    banned = ("statements", "checks", "engine", "verify")
    assert not [n for n in names if any(b in n.split(".") for b in banned)], names


# ------------------------------------------------------------------------ every status reachable


def test_holds_and_loose_from_the_binding_tightness():
    tight = [_row("drift/one-step", "pass", tightness=0.9, params={"n": 2, "d": 64})]
    c = _status(tight, "drift")
    assert c["status"] == "holds" and "0.90" in c["says"] and "n = 2, d = 64" in c["says"]
    loose = [
        _row("drift/one-step", "pass", tightness=0.1, params={"n": 3, "d": 9}),
        _row("drift/one-step", "pass", tightness=0.2, params={"n": 4, "d": 17}),
    ]
    c = _status(loose, "drift")
    assert c["status"] == "loose" and "≤ 0.20 of the bound (n = 4, d = 17)" in c["says"]
    assert c["evidence"][0]["params"] == {"n": 4, "d": 17}  # the binding case is cited


def test_misprint_from_a_refuted_printed_form_and_from_the_records_resolution():
    sid = "lemma-6/sawa-oracle"
    rows = [
        _row(sid, "pass"),
        _row(sid, "refuted", "printed-sigma-n", check="|sum_i p_i - 1|", measured=0.8, bound=0.0),
    ]
    c = _status(rows, "lemma-6/mean")
    assert c["status"] == "misprint" and "σ_i" in c["says"] and "0.80" in c["says"]
    assert "sigma_n" in c["misprint"]  # the record's resolution, as carried in the payload
    # no printed-form control in the rows: the resolution text alone says misprint ...
    rows = [_row("no-a1/cesaro", "pass", tightness=0.2, params={"n": 2, "d": 600, "l": 3})]
    assert _status(rows, "no-a1/cesaro")["status"] == "misprint"
    # ... and a record whose resolution does not say so makes it a plain bound
    recs = [s.describe() for s in STATEMENTS.values()]
    for s in recs:
        if s["id"] == "no-a1/cesaro":
            s["resolution"] = []
    assert _status(rows, "no-a1/cesaro", recs)["status"] == "loose"


def test_refuted_by_a_counterexample_control():
    sid = "meanfield/stated-alpha"
    rows = [
        _row(
            sid,
            "refuted",
            "holds-in-the-limit",
            measured=1.01,
            bound=1.0,
            params={"n": 5, "worst layer l": 351},
        ),
        _row(sid, "info", tightness=3.0, params={"n": 9}),
        _row(sid, "info", tightness=0.2, params={"n": 3}),
        _row("theorem-1/stated-alpha", "pass", tightness=0.05, params={"n": 2}),
    ]
    c = _status(rows, "theorem-1/alpha-stated")
    assert c["status"] == "refuted" and c["label"] == "refuted"
    assert "n = 5, layer 351" in c["says"] and "1.010 × bound" in c["says"]
    assert "1 of 2 searched H_0" in c["says"]
    assert c["evidence"][0]["why"] == "counterexample"
    # without the refuted control it is judged at finite width
    c = _status(rows[1:], "theorem-1/alpha-stated")
    assert c["status"] == "loose"


def test_a_failing_statement_makes_its_claim_not_hold():
    good = [_row("figure-1/cosine", "pass", check="BN: x", measured=0.1, bound=0.14)]
    assert _status(good, "figure-1")["status"] == "holds"
    bad = good + [_row("vanilla/rank-collapse", "fail")]
    c = _status(bad, "figure-1")
    assert c["status"] == "fails" and "vanilla/rank-collapse" in c["says"]
    unrefuted = good + [_row("figure-1/cosine", "not-refuted", "floor-1/d")]
    assert _status(unrefuted, "figure-1")["status"] == "fails"
    # a misprint claim whose corrected form fails is not a misprint either
    rows = [
        _row("lemma-6/sawa-oracle", "fail"),
        _row("lemma-6/sawa-oracle", "refuted", "printed-sigma-n", measured=0.8, bound=0.0),
    ]
    assert _status(rows, "lemma-6/mean")["status"] == "fails"


def test_inconclusive_and_not_run():
    rows = [_row("drift/one-step", "inconclusive")]
    assert _status(rows, "drift")["status"] == "inconclusive"
    assert _status([], "drift")["status"] == "not run"
    f = F.build_findings(_payload(rows))
    assert set(f["counts"]) == set(F.STATUSES)
    assert sum(f["counts"].values()) == len(F.CLAIMS)


def test_certificates_make_the_status_say_certified():
    cert = {"certificate": {"outcome": "certified", "method": "ball arithmetic"}}
    rows = [_row("drift/one-step", "pass", tightness=0.9, extra=cert)]
    c = _status(rows, "drift")
    assert (c["status"], c["label"]) == ("holds", "certified")
    assert c["certificates"] == {"certified": 1, "refuted": 0, "not certified": 0}
    rows = [_row("lemma-7/lyapunov-concentration", "pass", tightness=0.25, extra=cert)]
    assert _status(rows, "lemma-7")["label"] == "loose (certified)"
    # a certified refutation of the printed claim's control refutes it, certified
    sid = "meanfield/stated-alpha"
    ctrl = _row(
        sid,
        "refuted",
        "holds-in-the-limit",
        measured=1.01,
        bound=1.0,
        extra={"certificate": {"outcome": "refuted"}},
    )
    c = _status([ctrl], "theorem-1/alpha-stated")
    assert (c["status"], c["label"]) == ("refuted", "refuted (certified)")
    # a certified refutation of a planted false variant is power, not a refutation of the claim
    planted = _row(
        "drift/one-step", "refuted", "no-width-term", extra={"certificate": {"outcome": "refuted"}}
    )
    ok = _row("drift/one-step", "pass", tightness=0.9)
    assert _status([ok, planted], "drift")["status"] == "holds"
    # a certificate that refutes a claim's own row refutes the claim
    own = _row(
        "drift/one-step", "pass", tightness=0.9, extra={"certificate": {"outcome": "refuted"}}
    )
    c = _status([own], "drift")
    assert (c["status"], c["label"]) == ("refuted", "refuted (certified)")
    # "not certified" keeps the statistical status and says so
    nc = _row(
        "drift/one-step", "pass", tightness=0.9, extra={"certificate": {"outcome": "not certified"}}
    )
    c = _status([nc], "drift")
    assert c["label"] == "holds" and "not certified" in c["detail"]


def test_json_and_markdown():
    f = F.build_findings(_payload([_row("drift/one-step", "pass", tightness=0.9)]))
    back = json.loads(json.dumps(f, ensure_ascii=False))
    assert back["claims"][0]["statements"][0]["anchor"].startswith("#")
    md = F.findings_markdown(f)
    assert md.count("\n") == len(F.CLAIMS) + 1 and "**holds**" in md


def test_formatting():
    assert F.fmt(0.5397) == "0.540" and F.fmt(-0.49) == "−0.490" and F.fmt(1.643e-4, 2) == "1.6e−4"
    assert F.fmt(138.0) == "138" and F.fmt(None) == "–"
    assert F.span([0.2, 0.1]) == "0.100–0.200" and F.span([-0.52, -0.5], 2) == "−0.52 to −0.50"
    assert F.frac(0.9999995) == "1.0000"


# ------------------------------------------------------------------- the known findings, real run


def test_known_findings_on_a_real_run():
    """On the main job's payload (reports/results.json, written by verify before the tests run):
    Theorem 1 as stated is refuted at infinite width; Lemma 4's 2n is loose; Lemma 6's printed
    sigma_n and Eq. 6 as printed (in training) are misprints."""
    path = ROOT / "reports" / "results.json"
    if not path.exists():
        pytest.skip("no reports/results.json (run verify/ first)")
    payload = json.loads(path.read_text(encoding="utf-8"))
    if {s["id"] for s in payload["statements"]} != set(STATEMENTS):
        pytest.skip("reports/results.json is from another version of the registry")
    f = F.build_findings(payload)
    status = {c["id"]: c["status"] for c in f["claims"]}
    assert status["theorem-1/alpha-stated"] == "refuted"
    assert status["theorem-1/alpha-proved"] in ("holds", "loose")
    assert status["lemma-4"] == "loose" and "√(n(n−1))" in _claim(f, "lemma-4")["says"]
    assert status["lemma-6/mean"] == "misprint"
    assert status["eq-6/training"] == "misprint"
    assert status["lemma-2/proof-step"] == "holds"  # the closed-form supremum is reached
    assert "fails" not in status.values() or payload.get("failures")


def test_a_row_of_an_unexpected_shape_does_not_take_the_report_down():
    odd = _row("assumption-a1/phase-diagram", "pass", params={"n": "four"}, bound=0.05)
    odd["ci_high"] = "n/a"
    odd["extra"] = {"failed runs": "many"}
    c = _status([odd], "assumption-a1")
    assert c["status"] in F.STATUSES


def test_safe_findings_names_the_error_instead_of_raising():
    f = F.safe_findings({"statements": [], "results": [{"verdict": "pass"}]})  # no statement_id
    assert f["claims"] == [] and "KeyError" in f["error"]
