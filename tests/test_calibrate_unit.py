"""Unit tests of the calibration mode's parsing and aggregation on synthetic results.json files."""

from __future__ import annotations

import json

import pytest

from theory import calibrate
from theory.stats import RUN_BUDGET


def _results(verdicts: list[tuple[str | None, str]], salt: str = "calib-0") -> dict:
    rows = [
        {"statement_id": "s", "check": f"c{i}", "control": c, "verdict": v, "false_fail": 2e-6}
        for i, (c, v) in enumerate(verdicts)
    ]
    return {"header": {"exit_status": 0, "seed_salt": salt}, "results": rows}


def test_summarize_counts_true_failures_and_controls():
    s = calibrate.summarize_run(
        _results(
            [(None, "pass"), (None, "fail"), (None, "info"), ("x", "refuted"), ("y", "not-refuted")]
        )
    )
    assert s["true_rows"] == 2  # info rows are not assertions
    assert s["true_failed"] == 1 and s["false_fail"] is True
    assert s["controls"] == 2 and s["controls_not_refuted"] == 1
    assert s["budget_declared"] == pytest.approx(4e-6)
    assert s["salt"] == "calib-0"
    assert s["not_refuted_checks"] == ["s: y"]


def test_summarize_rejects_bad_input():
    with pytest.raises(ValueError, match="results"):
        calibrate.summarize_run({"header": {}})


def test_aggregate_rate_and_clopper_pearson():
    ok = calibrate.summarize_run(_results([(None, "pass"), ("x", "refuted")]))
    bad = calibrate.summarize_run(_results([(None, "fail")]))
    agg = calibrate.aggregate([ok] * 19 + [bad])
    assert agg["runs"] == 20 and agg["runs_with_false_fail"] == 1
    assert agg["false_fail_rate"] == pytest.approx(0.05)
    lo, hi = agg["ci"]
    assert 0 < lo < 0.05 < hi < 0.3
    assert agg["run_budget"] == RUN_BUDGET
    assert agg["controls_not_refuted"] == 0 and agg["controls_checked"] == 19
    none = calibrate.aggregate([ok] * 20)
    assert none["ci"][0] == 0.0
    assert none["ci"][1] == pytest.approx(1 - 0.025 ** (1 / 20), rel=1e-6)
    assert none["consistent_with_budget"]
    with pytest.raises(ValueError, match="at least one"):
        calibrate.aggregate([])


def test_main_summarize_only_reads_run_folders(tmp_path, capsys):
    for i in range(3):
        d = tmp_path / "calibration" / str(i)
        d.mkdir(parents=True)
        verdict = "fail" if i == 1 else "pass"
        (d / "results.json").write_text(json.dumps(_results([(None, verdict)], f"calib-{i}")))
    rc = calibrate.main(["--runs", "3", "--summarize-only", "--out", str(tmp_path)])
    assert rc == 1  # one run false-failed
    out = json.loads((tmp_path / "calibration.json").read_text())
    assert out["summary"]["runs_with_false_fail"] == 1
    assert [r["salt"] for r in out["runs"]] == ["calib-0", "calib-1", "calib-2"]
    assert "false-fail rate" in capsys.readouterr().out


def test_pytest_command_carries_salt_report_dir_and_extra(tmp_path):
    cmd = calibrate.pytest_command(
        4,
        report_dir=tmp_path,
        profile="ci",
        workers="auto",
        paths=["verify/"],
        extra=["-k", "theorem"],
    )
    assert cmd[cmd.index("--seed-salt") + 1] == "calib-4"
    assert cmd[cmd.index("--report-dir") + 1] == str(tmp_path)
    assert cmd[-2:] == ["-k", "theorem"] and "-n" in cmd
    assert "no:xdist" in calibrate.pytest_command(
        0, report_dir=tmp_path, profile="ci", workers="0", paths=["verify/"], extra=[]
    )


def test_main_rejects_bad_runs(tmp_path):
    with pytest.raises(SystemExit):
        calibrate.main(["--runs", "0", "--out", str(tmp_path)])
