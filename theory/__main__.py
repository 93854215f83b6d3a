"""The reviewer's probe: one statement at one point, without writing pytest.

    python -m theory list
    python -m theory check ID [--n 8 --d 4096 ...] [--profile ci] [--backend numpy] [--salt S]
    python -m theory certify ID [--n 5] [--thorough]
    python -m theory findings [reports/results.json]

``check`` runs the record's own check (the one its verify test runs) on the record's example
case with the given parameters replacing the example's, and prints the verdict rows, the edge
control and the detectable discrepancy; ``certify`` runs the ball-arithmetic certificate of a
claim (:mod:`theory.certify`).  Exit codes, for scripts:

* 0: the statement holds at that point (every assertion passes, every control is refuted), or
  the certificate is certified;
* 1: a violation (a ``fail`` row; a certificate refuted);
* 2: a usage error (unknown id, a parameter outside the statement's case or hypotheses);
* 3: inconclusive (the data decided neither way, or a control was not refuted: no violation
  shown, but no power to show one; a certificate whose balls overlap).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_VIOLATION, EXIT_USAGE, EXIT_INCONCLUSIVE = 0, 1, 2, 3


class UsageError(ValueError):
    """A bad id or parameter (exit code 2)."""


def _value(text: str) -> Any:
    """A command-line value: a JSON literal (numbers, lists, true/false/null) or a string."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _params(extra: Sequence[str]) -> dict[str, Any]:
    """``--key value`` pairs (also ``--key=value``) into a dict of JSON values."""
    out: dict[str, Any] = {}
    it = iter(extra)
    for tok in it:
        if not tok.startswith("--") or len(tok) < 3:
            raise UsageError(f"parameters are given as --name value; got {tok!r}")
        key, eq, val = tok[2:].partition("=")
        if not eq:
            try:
                val = next(it)
            except StopIteration:
                raise UsageError(f"parameter --{key} needs a value") from None
        out[key.replace("-", "_")] = _value(val)
    return out


def _statement(sid: str) -> Any:
    from .statements import STATEMENTS

    if sid not in STATEMENTS:
        close = [s for s in STATEMENTS if sid.split("/")[0] in s] or sorted(STATEMENTS)
        raise UsageError(f"unknown statement {sid!r}; known ids include: {', '.join(close[:12])}")
    return STATEMENTS[sid]


def probe_case(stmt: Any, params: dict[str, Any]) -> dict[str, Any]:
    """The case ``check`` runs: the record's probe (``extra["probe"]``, a
    ``"module:function"`` taking the parameters) or its example with the parameters replacing
    the example's keys.  ``UsageError`` for a parameter the case does not have."""
    from .engine import resolve

    probe = (stmt.extra or {}).get("probe")
    if probe:
        try:
            return dict(resolve(probe)(**params))
        except (TypeError, ValueError) as e:
            raise UsageError(f"{stmt.id}: {e}") from None
    # the example is the registry's cheap smoke case: its run cap is dropped, so the check
    # samples as the profile plans (the example's other keys are the case)
    example = {k: v for k, v in dict(stmt.example or {}).items() if k != "max_runs"}
    if "max_runs" in (stmt.example or {}):
        example["max_runs"] = None
    unknown = sorted(set(params) - set(example))
    if unknown:
        raise UsageError(
            f"{stmt.id} takes the parameters {sorted(example)} (its case); got {unknown}"
        )
    case = {**example, **params}
    if case.get("max_runs", 0) is None:
        del case["max_runs"]
    return case


def _fmt(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:.6g}" if math.isfinite(x) else str(x)
    return str(x)


def _row_line(r: Any) -> str:
    ci = f" [{_fmt(r.ci_low)}, {_fmt(r.ci_high)}]" if r.ci_low is not None else ""
    who = f"control {r.control}" if r.control else "statement"
    out = f"  {r.verdict.upper():12s} {who}: {r.check}"
    if r.measured is not None:
        out += f"\n               measured {_fmt(r.measured)}{ci}"
        if r.bound is not None:
            out += f"  bound {_fmt(r.bound)}"
        if r.tightness is not None:
            out += f"  tightness {_fmt(r.tightness)}"
    if r.detectable is not None:
        out += f"\n               detectable discrepancy {_fmt(r.detectable)}"
    return out


def _exit_for_rows(rows: Sequence[Any]) -> int:
    """1 for a failing assertion; 3 for an undecided one or a control the data did not refute
    (no violation shown, but no power either); else 0."""
    if any(r.control is None and r.verdict == "fail" for r in rows):
        return EXIT_VIOLATION
    if any(r.control is None and r.verdict == "inconclusive" for r in rows):
        return EXIT_INCONCLUSIVE
    if any(r.control is not None and r.verdict == "not-refuted" for r in rows):
        return EXIT_INCONCLUSIVE
    return EXIT_OK


def headline(stmt: Any, rows: Sequence[Any], case: dict[str, Any]) -> str:
    """One line a reviewer needs: what the run says about the statement at this point."""
    main = [r for r in rows if r.control is None]
    ctl = [r for r in rows if r.control is not None]
    info = [r for r in main if r.verdict == "info"]
    where = ", ".join(f"{k} = {v}" for k, v in case.items() if isinstance(v, (int, float, str)))
    if stmt.id == "meanfield/stated-alpha" and info:
        x = info[0].extra
        first = x.get("first failing layer")
        if first is not None:
            return (
                f"{stmt.id} at {where}: the printed claim is REFUTED at infinite width: first "
                f"failing layer {first}, V/bound = {_fmt(info[0].measured)}"
                f" (control refuted: {sum(r.verdict == 'refuted' for r in ctl)} of {len(ctl)})"
            )
        return f"{stmt.id} at {where}: no violation up to {case.get('layers')} layers"
    fails = [r for r in main if r.verdict == "fail"]
    unref = [r for r in ctl if r.verdict not in ("refuted", "unresolved")]
    inc = [r for r in main if r.verdict == "inconclusive"]
    tight = [r.tightness for r in main if r.tightness is not None and math.isfinite(r.tightness)]
    t = f", worst tightness {max(tight):.3g}" if tight else ""
    if fails:
        return f"{stmt.id} at {where}: VIOLATED ({len(fails)} failing assertion(s){t})"
    if unref:
        return (
            f"{stmt.id} at {where}: no violation, but {len(unref)} control(s) NOT refuted: "
            "the sample cannot resolve the measured value (try --max_runs N or --profile thorough)"
        )
    if inc:
        return f"{stmt.id} at {where}: INCONCLUSIVE ({len(inc)} undecided assertion(s){t})"
    n_pass = sum(r.verdict == "pass" for r in main)
    return (
        f"{stmt.id} at {where}: HOLDS ({n_pass} assertion(s) pass{t}; "
        f"{sum(r.verdict == 'refuted' for r in ctl)} of {len(ctl)} control(s) refuted)"
    )


def cmd_list(_: argparse.Namespace) -> int:
    from .statements import STATEMENTS

    for s in STATEMENTS.values():
        print(f"{s.id:40s} {s.kind:9s} {s.title}  [{s.source}]")
    return EXIT_OK


def cmd_check(a: argparse.Namespace, extra: Sequence[str]) -> int:
    from .engine import RunContext

    stmt = _statement(a.id)
    case = probe_case(stmt, _params(extra))
    try:
        ctx = RunContext.create(a.profile, a.backend, device=a.device, salt=a.salt)
    except ValueError as e:
        raise UsageError(str(e)) from None
    try:
        rows = ctx.run(stmt, case)
    except (ValueError, KeyError) as e:
        raise UsageError(f"{stmt.id}: {e}") from None
    print(headline(stmt, rows, case))
    for r in rows:
        print(_row_line(r))
    return _exit_for_rows(rows)


def cmd_certify(a: argparse.Namespace, extra: Sequence[str]) -> int:
    from . import certify

    params = _params(extra)
    unknown = sorted(set(params) - {"n"})
    if unknown:
        raise UsageError(f"certify takes --n only; got {unknown}")
    n = params.get("n")
    ids = {
        "meanfield/stated-alpha": lambda: certify.certify_meanfield(n)[0],
        "meanfield/proved-alpha": lambda: certify.certify_meanfield(n)[1],
        "meanfield/linearisation": lambda: certify.certify_linearisation(n or 5),
        "lemma-4/gap-vs-lyapunov": lambda: certify.certify_lemma4(n or 3),
        "lemma-8/sharp": lambda: certify.certify_lemma8(n or 3),
        "w2/conditional-vs-gap": lambda: certify.certify_w2(n or 3),
    }
    # the registry's other claims (the line of work): all their certificates, no --n
    registry = {k: (lambda k=k: certify.certify_claim(k)) for k in certify.CLAIMS if k not in ids}
    if a.id not in ids and a.id not in registry:
        raise UsageError(
            f"no certificate for {a.id!r}; certified ids: {sorted(ids) + sorted(registry)}"
        )
    if n is None and a.id.startswith("meanfield/") and a.id != "meanfield/linearisation":
        raise UsageError(f"{a.id}: give --n (5..32, the recorded counterexamples)")
    if a.id in registry and n is not None:
        raise UsageError(f"{a.id}: takes no --n")
    try:
        certs = [ids[a.id]()] if a.id in ids else registry[a.id]()
    except ValueError as e:
        raise UsageError(f"{a.id}: {e}") from None
    for c in certs:
        print(
            f"{c.outcome.upper()}: {c.claim} (balls {c.lhs} {c.relation} {c.rhs}; "
            f"max relative radius {c.max_rel_radius:.2g}, {c.prec} bits, {c.seconds:.3g} s"
            + (f", {c.boxes} boxes" if c.boxes else "")
            + ")"
        )
    outcomes = {c.outcome for c in certs}
    outcome = next(o for o in (certify.REFUTED, certify.NOT_CERTIFIED, certify.CERTIFIED)
                   if o in outcomes)  # fmt: skip
    return {
        certify.CERTIFIED: EXIT_OK,
        certify.REFUTED: EXIT_VIOLATION,
        certify.NOT_CERTIFIED: EXIT_INCONCLUSIVE,
    }[outcome]


def cmd_findings(a: argparse.Namespace) -> int:
    from .findings import build_findings, findings_markdown

    path = Path(a.results)
    if not path.is_file():
        raise UsageError(f"no results file at {path} (run: python -m pytest -n auto verify/)")
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise UsageError(f"{path} is not JSON: {e}") from None
    if not isinstance(payload, dict) or "results" not in payload:
        raise UsageError(f"{path} is not a results.json of this suite (no 'results' key)")
    print(findings_markdown(build_findings(payload)))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    # allow_abbrev=False: a statement's --d must not be read as --device
    p = argparse.ArgumentParser(
        prog="python -m theory", description=__doc__.split("\n\n")[0], allow_abbrev=False
    )
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("list", help="every statement: id, kind, title, source", allow_abbrev=False)
    c = sub.add_parser(
        "check", help="one statement at one point (extra --name value pairs)", allow_abbrev=False
    )
    c.add_argument("id")
    c.add_argument("--profile", default="ci", choices=("ci", "thorough", "paper"))
    c.add_argument("--backend", default="numpy", choices=("numpy", "torch"))
    c.add_argument("--device", default=None)
    c.add_argument("--salt", default="", help="a seed salt (fresh Monte Carlo samples)")
    z = sub.add_parser(
        "certify", help="the ball-arithmetic certificate of a claim (--n N)", allow_abbrev=False
    )
    z.add_argument("id")
    f = sub.add_parser(
        "findings", help="the paper's claims and what a run's data say", allow_abbrev=False
    )
    f.add_argument("results", nargs="?", default="reports/results.json")
    a, extra = p.parse_known_args(argv)
    try:
        if a.cmd == "list":
            if extra:
                raise UsageError(f"list takes no parameters; got {list(extra)}")
            return cmd_list(a)
        if a.cmd == "check":
            return cmd_check(a, extra)
        if a.cmd == "certify":
            return cmd_certify(a, extra)
        if extra:
            raise UsageError(f"findings takes a results.json path only; got {list(extra)}")
        return cmd_findings(a)
    except UsageError as e:
        print(f"python -m theory {a.cmd}: error: {e}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
