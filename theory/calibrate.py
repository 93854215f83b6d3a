"""Calibration mode: rerun the verification suite under K fresh Monte Carlo seeds and measure the
false-fail rate of the *true* statements against the budget.

    python -m theory.calibrate --runs 20 [--profile ci] [--workers auto] [-- -k theorem]

Run ``i`` is ``pytest -n WORKERS verify/ --seed-salt calib-<i> --report-dir
reports/calibration/<i> [extra args]``; the conftest mixes the salt into every derived seed
(:func:`theory.stats.derive_seed`), so each run draws fresh Monte Carlo samples while the
Hypothesis examples (derandomized under ``ci``) stay the same.  From each ``results.json``:

* a run *false-fails* when any row of a true statement (``control is None``) has verdict
  ``fail``; the observed rate ``k / K`` gets a two-sided 95% Clopper-Pearson interval and is
  compared with ``RUN_BUDGET`` and with the budget the rows themselves declare (the sum of
  their ``false_fail``);
* controls not refuted (``verdict == "not-refuted"``) are counted too: each is a defect.

The table is printed and ``reports/calibration.json`` is written (atomically).  With K runs and
no failure the interval's upper end is ``1 - 0.025^(1/K)`` (0.17 at K = 20), so a calibration
with small K can reveal a gross miscalibration, not certify a 1e-3 budget.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .results import atomic_write_text
from .stats import RUN_BUDGET, binomial_interval

ROOT = Path(__file__).resolve().parents[1]
#: verdicts of true-statement rows that count as a checked assertion
_ASSERTED = ("pass", "fail", "inconclusive")


def summarize_run(results: dict[str, Any]) -> dict[str, Any]:
    """Summary of one ``results.json`` (the dict written by the verify conftest).

    Returns ``{"true_rows", "true_failed", "false_fail" (bool: any true row failed),
    "budget_declared" (sum of false_fail over asserted true rows), "controls",
    "controls_not_refuted", "failed_checks", "not_refuted_checks", "exit_status", "salt"}``.
    """
    rows = results.get("results")
    if not isinstance(rows, list):
        raise ValueError("results must hold a 'results' list (a results.json from verify/)")
    true_rows = [r for r in rows if r.get("control") is None and r.get("verdict") in _ASSERTED]
    failed = [r for r in true_rows if r.get("verdict") == "fail"]
    inconclusive = [r for r in true_rows if r.get("verdict") == "inconclusive"]
    controls = [r for r in rows if r.get("control") is not None]
    not_refuted = [r for r in controls if r.get("verdict") == "not-refuted"]
    budget = 0.0
    for r in true_rows:
        ff = r.get("false_fail")
        if isinstance(ff, (int, float)) and r.get("finite_sample", True):
            budget += float(ff)
    header = results.get("header", {}) or {}
    return {
        "true_rows": len(true_rows),
        "true_failed": len(failed),
        "inconclusive": len(inconclusive),
        "inconclusive_checks": [f"{r.get('statement_id')}: {r.get('check')}" for r in inconclusive],
        "false_fail": bool(failed),
        "budget_declared": budget,
        "controls": len(controls),
        "controls_not_refuted": len(not_refuted),
        "failed_checks": [f"{r.get('statement_id')}: {r.get('check')}" for r in failed],
        "not_refuted_checks": [f"{r.get('statement_id')}: {r.get('control')}" for r in not_refuted],
        "exit_status": header.get("exit_status"),
        "salt": header.get("seed_salt"),
    }


def aggregate(summaries: Sequence[dict[str, Any]], *, confidence: float = 0.95) -> dict[str, Any]:
    """Observed false-fail rate over runs, with a Clopper-Pearson interval, vs the budgets."""
    K = len(summaries)
    if K < 1:
        raise ValueError("need at least one run summary to aggregate")
    if not (0 < confidence < 1):
        raise ValueError(f"confidence must be in (0, 1); got {confidence}")
    k = sum(1 for s in summaries if s["false_fail"])
    ci = binomial_interval(k, K, delta=1 - confidence)
    declared = [s["budget_declared"] for s in summaries]
    return {
        "runs": K,
        "runs_with_false_fail": k,
        "false_fail_rate": k / K,
        "ci": [ci.lower, ci.upper],
        "confidence": confidence,
        "run_budget": RUN_BUDGET,
        "declared_budget_max": max(declared),
        "declared_budget_mean": sum(declared) / K,
        "consistent_with_budget": ci.lower <= max(RUN_BUDGET, max(declared)),
        "true_rows_per_run": [s["true_rows"] for s in summaries],
        "inconclusive_total": sum(s.get("inconclusive", 0) for s in summaries),
        "inconclusive_rate": sum(s.get("inconclusive", 0) for s in summaries)
        / max(1, sum(s["true_rows"] for s in summaries)),
        "controls_not_refuted": sum(s["controls_not_refuted"] for s in summaries),
        "controls_checked": sum(s["controls"] for s in summaries),
    }


def format_table(summaries: Sequence[dict[str, Any]], agg: dict[str, Any]) -> str:
    lines = [
        f"{'run':>4} {'salt':<10} {'true rows':>9} {'failed':>6} {'inconcl.':>8} {'controls':>8} "
        f"{'not refuted':>11} {'budget':>9} {'exit':>4}"
    ]
    for i, s in enumerate(summaries):
        lines.append(
            f"{i:>4} {str(s['salt'] or ''):<10} {s['true_rows']:>9} {s['true_failed']:>6} "
            f"{s.get('inconclusive', 0):>8} "
            f"{s['controls']:>8} {s['controls_not_refuted']:>11} {s['budget_declared']:>9.2e} "
            f"{str(s['exit_status']):>4}"
        )
    lo, hi = agg["ci"]
    lines += [
        "",
        f"false-fail rate of true statements: {agg['runs_with_false_fail']}/{agg['runs']} = "
        f"{agg['false_fail_rate']:.3g}, {agg['confidence']:.0%} Clopper-Pearson [{lo:.3g}, {hi:.3g}]",
        f"budget: RUN_BUDGET = {agg['run_budget']:g}; declared by the rows (sum of false_fail): "
        f"max {agg['declared_budget_max']:.3g}, mean {agg['declared_budget_mean']:.3g}; "
        f"consistent: {agg['consistent_with_budget']}",
        f"inconclusive assertions: {agg['inconclusive_total']} "
        f"({agg['inconclusive_rate']:.3g} of all true-statement assertions); they are lack of "
        "evidence, not failures",
        f"controls not refuted: {agg['controls_not_refuted']} of {agg['controls_checked']}",
    ]
    return "\n".join(lines)


def load_run(report_dir: str | Path) -> dict[str, Any]:
    path = Path(report_dir) / "results.json"
    if not path.is_file():
        raise ValueError(f"no results.json in {report_dir} (did the pytest run start?)")
    return json.loads(path.read_text(encoding="utf-8"))


def pytest_command(
    i: int,
    *,
    report_dir: Path,
    profile: str,
    workers: str,
    paths: Sequence[str],
    extra: Sequence[str],
) -> list[str]:
    """The command of calibration run ``i``."""
    cmd = [sys.executable, "-m", "pytest"]
    cmd += ["-p", "no:xdist"] if workers in ("0", "no") else ["-n", workers]
    cmd += [*paths, "--seed-salt", f"calib-{i}", "--report-dir", str(report_dir)]
    cmd += ["--profile", profile, "-q", "-p", "no:cacheprovider", *extra]
    return cmd


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1 :]
    ap = argparse.ArgumentParser(
        prog="python -m theory.calibrate",
        description="Rerun verify/ under K fresh seed salts; report the false-fail rate.",
    )
    ap.add_argument("--runs", type=int, required=True, help="K, the number of reruns (>= 1)")
    ap.add_argument("--profile", default="ci", choices=("ci", "thorough", "paper"))
    ap.add_argument("--workers", default="auto", help="pytest -n value; 0 for no xdist")
    ap.add_argument("--paths", nargs="+", default=["verify/"], help="test paths (verify/)")
    ap.add_argument("--out", default=str(ROOT / "reports"), help="reports folder")
    ap.add_argument("--summarize-only", action="store_true", help="only read existing run folders")
    args = ap.parse_args(argv)
    if args.runs < 1:
        ap.error("--runs must be >= 1")
    out = Path(args.out)
    root = out / "calibration"
    summaries = []
    t0 = time.time()
    for i in range(args.runs):
        rdir = root / str(i)
        if not args.summarize_only:
            cmd = pytest_command(
                i,
                report_dir=rdir,
                profile=args.profile,
                workers=args.workers,
                paths=args.paths,
                extra=extra,
            )
            print(f"[calibrate] run {i + 1}/{args.runs}: {' '.join(cmd[2:])}", flush=True)
            subprocess.run(cmd, cwd=ROOT, check=False)
        summaries.append(summarize_run(load_run(rdir)))
    agg = aggregate(summaries)
    print(format_table(summaries, agg))
    payload = {
        "command": " ".join(
            ["python -m theory.calibrate", *(sys.argv[1:] if argv is None else [])]
        ),
        "argv": list(argv) + (["--", *extra] if extra else []),
        "profile": args.profile,
        "paths": args.paths,
        "extra_pytest_args": extra,
        "wall_time_s": round(time.time() - t0, 1),
        "summary": agg,
        "runs": summaries,
    }
    atomic_write_text(out / "calibration.json", json.dumps(payload, indent=2))
    print(f"[calibrate] wrote {out / 'calibration.json'}")
    return 0 if agg["runs_with_false_fail"] == 0 and agg["controls_not_refuted"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
