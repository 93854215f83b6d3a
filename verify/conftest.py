"""Options, run header, per-worker result recorder and the merge at session end.

Options (each also readable from the environment, so tox and CI can set them):

* ``--profile {ci,thorough,paper}``   (``THEORY_PROFILE``, default ``ci``)
* ``--backend {numpy,torch}``         (``THEORY_BACKEND``, default ``numpy``)
* ``--device {cpu,cuda}``             (``THEORY_DEVICE``, default ``cpu``)
* ``--report-dir PATH``               (``THEORY_REPORT_DIR``, default ``reports/``)

Rows reach the report one way: a check makes them through its run context
(:meth:`theory.engine.RunContext.row` logs each one), the ``ctx`` fixture flushes the log of its
test to this worker's file in the run directory when the test ends (pass or fail), and the
controller merges the workers' files into ``results.json`` and renders ``index.html`` when the
session ends -- also when checks failed.  No environment variable or module global carries rows.

The run directory ``<report-dir>/.run-*`` holds an ``owner`` file with the controller's pid; a
run removes the run directories whose owner process is gone (a killed run's leftovers).
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings

import theory
from theory import results as _results
from theory.engine import PROFILE_ENV, PROFILE_NAMES, RunContext, get_profile

ROOT = Path(__file__).resolve().parents[1]
# --import-mode=importlib: make the suite's helper modules (strategies, planted) importable.
sys.path.insert(0, str(Path(__file__).resolve().parent))

for _p in PROFILE_NAMES:
    _prof = get_profile(_p)
    settings.register_profile(
        _p,
        max_examples=_prof.max_examples,
        derandomize=_prof.derandomize,
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    )


def pytest_addoption(parser: pytest.Parser) -> None:
    g = parser.getgroup("theory", "BN-orthogonality verification suite")
    g.addoption("--profile", choices=PROFILE_NAMES, default=None, help="run profile (ci)")
    g.addoption("--backend", choices=theory.BACKENDS, default=None, help="array backend (numpy)")
    g.addoption("--device", default=None, help="device for the torch backend (cpu or cuda)")
    g.addoption("--report-dir", default=None, help="where results.json and index.html go")
    g.addoption(
        "--fail-inconclusive",
        action="store_true",
        default=None,
        help="exit non-zero when any assertion is inconclusive (ini: theory_fail_inconclusive)",
    )
    parser.addini(
        "theory_fail_inconclusive",
        "exit non-zero when any assertion is inconclusive (the data decided neither way)",
        type="bool",
        default=False,
    )
    g.addoption(
        "--seed-salt",
        default=None,
        help="calibration: mix this salt into every derived Monte Carlo seed",
    )


def _opt(config: pytest.Config, name: str, env: str, default: str) -> str:
    return config.getoption(name) or os.environ.get(env) or default


def _versions() -> dict[str, str]:
    import importlib.metadata as md

    out = {"python": platform.python_version()}
    for pkg in (
        "numpy",
        "scipy",
        "pot",
        "hypothesis",
        "pytest",
        "pytest-xdist",
        "torch",
        "matplotlib",
        "array-api-compat",
    ):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            pass
    return out


def _git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        return (
            out.stdout.strip() + ("+dirty" if dirty else "") if out.returncode == 0 else "unknown"
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _device_name(backend: str, device: str) -> str:
    if backend == "torch" and device.startswith("cuda") and theory.cuda_available():
        import torch

        return f"{device} ({torch.cuda.get_device_name(0)})"
    return f"cpu ({platform.processor() or platform.machine()}, {os.cpu_count()} cores)"


def pytest_configure(config: pytest.Config) -> None:
    # Options come from the command line (xdist workers receive the same arguments); the
    # THEORY_* variables are read here only, as a fallback for tox and CI.  Nothing is written
    # back to the environment except the BLAS thread count of xdist workers (below).
    profile = _opt(config, "--profile", PROFILE_ENV, "ci")
    backend = _opt(config, "--backend", "THEORY_BACKEND", "numpy")
    device = _opt(config, "--device", "THEORY_DEVICE", "cpu")
    salt = _opt(config, "--seed-salt", "THEORY_SEED_SALT", "")
    settings.load_profile(profile)
    # pytest-xdist hands out tests in consecutive chunks (a quarter of each worker's share);
    # with the minute-long training claims sorted first, that would put all of them on one
    # worker.  One test at a time (two pending per worker) is greedy longest-first scheduling.
    if getattr(config.option, "maxschedchunk", "absent") is None:
        config.option.maxschedchunk = 1
    config._theory = {"profile": profile, "backend": backend, "device": device, "salt": salt}  # type: ignore[attr-defined]
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:  # an xdist worker: the controller made the run directory
        run_dir = workerinput["theory_results_dir"]
        config._theory["run_dir"] = run_dir  # type: ignore[attr-defined]
        config._theory["results_file"] = os.path.join(run_dir, f"{workerinput['workerid']}.jsonl")  # type: ignore[attr-defined]
        return
    if config.getoption("numprocesses", None):
        # One BLAS / OpenMP thread per xdist worker (the workers inherit this environment): the
        # workers already fill the cores, and a multithreaded BLAS under that load spin-waits,
        # which burns the checks' CPU-time budgets (theory.sequential.Budget's clock) without
        # doing work.  A value the user set wins.
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(var, "1")
    report_dir = Path(_opt(config, "--report-dir", "THEORY_REPORT_DIR", str(ROOT / "reports")))
    report_dir.mkdir(parents=True, exist_ok=True)
    _results.remove_stale_run_dirs(report_dir)
    run_dir = str(_results.make_run_dir(report_dir))
    config._theory.update(
        # the commit the run started from (a commit made during a long run must not be credited)
        git_commit=_git_commit(),
        results_file=os.path.join(run_dir, "main.jsonl"),
        report_dir=str(report_dir),
        run_dir=run_dir,
        t0=time.time(),  # type: ignore[attr-defined]
        outcomes={},
        failures=[],
    )


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:  # xdist hook, controller side
    node.workerinput["theory_results_dir"] = node.config._theory["run_dir"]


def pytest_report_header(config: pytest.Config) -> list[str]:
    t = config._theory  # type: ignore[attr-defined]
    v = _versions()
    return [
        f"theory: profile={t['profile']} backend={t['backend']} device={_device_name(t['backend'], t['device'])}",
        "theory: " + " ".join(f"{k}={val}" for k, val in v.items()),
        f"theory: false-fail budget per run = {theory.stats.RUN_BUDGET:g}, "
        f"per assertion = {theory.stats.ASSERTION_DELTA:g}",
    ]


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    cfg = getattr(pytest_runtest_logreport, "_config", None)
    if cfg is None or getattr(cfg, "workerinput", None) is not None:
        return
    t = cfg._theory
    if report.when == "call" or report.outcome != "passed":
        prev = t["outcomes"].get(report.nodeid)
        if prev != "failed":
            t["outcomes"][report.nodeid] = report.outcome
    if report.failed:
        t["failures"].append(
            {
                "nodeid": report.nodeid,
                "when": report.when,
                "longrepr": str(report.longreprtext)[-6000:],
            }
        )


def pytest_sessionstart(session: pytest.Session) -> None:
    pytest_runtest_logreport._config = session.config  # type: ignore[attr-defined]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    cfg = session.config
    if getattr(cfg, "workerinput", None) is not None:
        return
    t = cfg._theory  # type: ignore[attr-defined]
    rows = _results.read_run_dir(t["run_dir"])
    header = {
        "profile": t["profile"],
        "backend": t["backend"],
        "device": _device_name(t["backend"], t["device"]),
        "versions": _versions(),
        "git_commit": t["git_commit"],
        "wall_time_s": round(time.time() - t["t0"], 2),
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(t["t0"])),
        "exit_status": int(exitstatus),
        "command": " ".join(sys.argv),
        "seed_salt": t["salt"],
        "run_budget": theory.stats.RUN_BUDGET,
        "assertion_delta": theory.stats.ASSERTION_DELTA,
    }
    from theory.report import write_report

    write_report(
        Path(t["report_dir"]),
        header=header,
        results=rows,
        outcomes=t["outcomes"],
        failures=t["failures"],
    )
    shutil.rmtree(t["run_dir"], ignore_errors=True)
    t["inconclusive"] = inconclusive_counts(rows)
    strict = cfg.getoption("--fail-inconclusive") or cfg.getini("theory_fail_inconclusive")
    if strict and t["inconclusive"] and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def inconclusive_counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    """Inconclusive assertions (true-statement rows the data decided neither way) per statement."""
    out: dict[str, int] = {}
    for r in rows:
        if r.get("control") is None and r.get("verdict") == "inconclusive":
            out[r["statement_id"]] = out.get(r["statement_id"], 0) + 1
    return dict(sorted(out.items()))


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """The inconclusive count per statement (lack of evidence, never "violated"), and whether
    it failed the run (``--fail-inconclusive``)."""
    t = getattr(config, "_theory", None)
    if t is None or getattr(config, "workerinput", None) is not None or "inconclusive" not in t:
        return
    counts = t["inconclusive"]
    tr = terminalreporter
    strict = config.getoption("--fail-inconclusive") or config.getini("theory_fail_inconclusive")
    if not counts:
        tr.write_line("theory: 0 inconclusive assertions")
        return
    tr.section("inconclusive assertions (the data decided neither way)", sep="-")
    for sid, k in counts.items():
        tr.write_line(f"{sid}: {k}")
    tr.write_line(
        f"theory: {sum(counts.values())} inconclusive in {len(counts)} statement(s)"
        + ("; --fail-inconclusive: the run fails" if strict else " (not a failure by default)")
    )


def _replay(nodeid: str, cfg: dict[str, Any]) -> str:
    return (
        f"pytest '{nodeid}' --profile {cfg['profile']} --backend {cfg['backend']}"
        + (f" --device {cfg['device']}" if cfg["device"] != "cpu" else "")
        + (f" --seed-salt {cfg['salt']}" if cfg["salt"] else "")
    )


@pytest.fixture(scope="session")
def run_context(request: pytest.FixtureRequest) -> RunContext:
    """The one :class:`theory.engine.RunContext` of this session (profile, backend object with
    dtype and device, seed salt); skips when torch/CUDA is missing."""
    cfg = request.config._theory  # type: ignore[attr-defined]
    if cfg["backend"] == "torch" and not theory.torch_available():
        pytest.skip("backend=torch requested but PyTorch is not installed")
    if cfg["device"].startswith("cuda") and not theory.cuda_available():
        pytest.skip("device=cuda requested but no CUDA GPU is visible")
    return RunContext.create(
        cfg["profile"],
        cfg["backend"],
        device=cfg["device"],
        salt=cfg["salt"],
        # shared by the workers of this run, removed with the run directory at the end
        cache_dir=os.path.join(cfg["run_dir"], "cache"),
    )


@pytest.fixture
def ctx(run_context: RunContext, request: pytest.FixtureRequest) -> Any:
    """The run context bound to this test node (its rows carry the node id and replay line).
    Every row made through it is written to this worker's result file when the test ends, pass
    or fail: a test cannot lose a row by forgetting a call."""
    cfg = request.config._theory  # type: ignore[attr-defined]
    nodeid = request.node.nodeid
    c = run_context.at(nodeid, _replay(nodeid, cfg), results_file=cfg["results_file"])
    yield c
    c.log.flush()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The training claims first (longest first, for wall time only; see
    :func:`pytest_configure`); under ``--device cuda`` without a visible GPU, skip everything
    with one clear reason."""
    items.sort(key=lambda item: item.get_closest_marker("training") is None)  # stable
    t = config._theory  # type: ignore[attr-defined]
    reason = None
    if t["backend"] == "torch" and not theory.torch_available():
        reason = "backend=torch requested but PyTorch is not installed (pip install -e '.[torch]')"
    elif t["device"].startswith("cuda") and not theory.cuda_available():
        reason = "device=cuda requested but torch sees no CUDA GPU on this machine"
    if reason:
        for item in items:
            item.add_marker(pytest.mark.skip(reason=reason))
