"""Unit tests of the check engine: the one verdict rule, edge controls, detectable discrepancy,
the run context's labels and the Hypothesis driver."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import strategies as st
from strategies import explore

import theory
from theory.engine import (
    RunContext,
    detectable_factor,
    judge,
    judge_exact,
    judge_within,
    problems,
)
from theory.stats import Interval, mean_bounds

SID = "lemma-6/concentration"


def iv(est, lo, hi, delta=1e-3, finite=True):
    return Interval(est, lo, hi, delta, "test", 100, finite)


@pytest.fixture
def ctx():
    return RunContext.create("ci", "numpy")


@pytest.mark.parametrize(
    "lo, hi, bound, side, outcome",
    [
        (0.1, 0.2, 0.3, "upper", "pass"),
        (0.35, 0.4, 0.3, "upper", "fail"),
        (0.25, 0.35, 0.3, "upper", "inconclusive"),
        (0.35, 0.4, 0.3, "lower", "pass"),
        (0.1, 0.2, 0.3, "lower", "fail"),
        (0.25, 0.35, 0.3, "lower", "inconclusive"),
    ],
)
def test_three_outcomes(ctx, lo, hi, bound, side, outcome):
    rows = judge(ctx, SID, "c", iv((lo + hi) / 2, lo, hi), bound, side=side, edge=None)
    assert [r.verdict for r in rows] == [outcome]
    # inconclusive is lack of evidence: it never fails the suite
    assert bool(problems(rows)) == (outcome == "fail")
    # a control at the same bound is refuted exactly when the statement would fail
    c = judge(ctx, SID, "c", iv((lo + hi) / 2, lo, hi), bound, side=side, control="x")
    assert c[0].verdict == ("refuted" if outcome == "fail" else "not-refuted")
    assert bool(problems(c)) == (outcome != "fail")


def test_edge_control_and_error_semantics(ctx):
    rows = judge(ctx, SID, "c", iv(0.1, 0.09, 0.11), 0.5)
    stmt, edge = rows
    assert stmt.verdict == "pass" and edge.control == "edge" and edge.verdict == "refuted"
    assert edge.bound == pytest.approx(0.08)
    assert stmt.false_fail == stmt.wrong_pass == 1e-3 and "false fail" in stmt.error
    assert stmt.bound_from == "statement" and edge.bound_from == "edge"
    assert edge.false_fail is None  # a control's delta is not part of the false-fail budget
    # a wide interval cannot resolve the estimate: the edge control is not refuted -> problem
    wide = judge(ctx, SID, "c", iv(0.1, 0.0, 0.3), 0.5)
    assert wide[1].verdict == "not-refuted" and problems(wide)
    low = judge(ctx, SID, "c", iv(1.0, 0.95, 1.05), 0.5, side="lower", edge=0.8)
    assert low[1].bound == pytest.approx(1.25) and low[1].verdict == "refuted"


def test_equivalence_edge_is_the_shared_edge_control(ctx):
    """judge_within's opt-in edge ("E X = edge x estimate") is edge_control(side="equal"):
    refuted iff the interval excludes it, paired with its main row through ``edge_of``."""
    from theory.engine import edge_control

    rows = judge_within(ctx, SID, "slope", iv(-1.0, -1.05, -0.95), -1.0, 0.1, edge=0.8)
    main, e = rows
    assert e.control == "edge" and e.verdict == "refuted" and e.bound == pytest.approx(-0.8)
    assert e.extra["edge_of"] == main.check == "slope" and "E X = 0.8" in e.check
    wide = judge_within(ctx, SID, "slope", iv(-1.0, -1.3, -0.7), -1.0, 0.5, edge=0.8)
    assert wide[1].verdict == "not-refuted"
    with pytest.raises(ValueError, match="side must be"):
        edge_control(ctx, SID, "c", iv(1.0, 0.9, 1.1), side="both")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="factor must be"):
        edge_control(ctx, SID, "c", iv(1.0, 0.9, 1.1), side="equal", factor=1.2)


def test_asymptotic_interval_is_outside_the_budget(ctx):
    r = judge(ctx, SID, "c", iv(0.1, 0.05, 0.15, finite=False), 0.5, edge=None)[0]
    assert r.false_fail is None and not r.finite_sample and "outside" in r.method


def test_detectable_discrepancy_is_real():
    """A bound wrong by the reported factor is declared "fail" with probability >= 1 - delta:
    true mean b * factor, fresh samples, the same rule (here delta = 0.01, 300 repetitions)."""
    ctx = RunContext.create("ci", "numpy")
    rng = np.random.default_rng(7)
    b, n, delta = 0.3, 2000, 0.01
    r0 = mean_bounds(rng.uniform(0, 2 * b, n), lo=0, hi=1, delta=delta).radius
    factor = detectable_factor("upper", b, r0)
    mu = b * factor
    fails = 0
    for _ in range(300):
        x = rng.uniform(mu - 0.3, mu + 0.3, n)
        fails += (
            judge(ctx, SID, "c", mean_bounds(x, lo=0, hi=1, delta=delta), b, edge=None)[0].verdict
            == "fail"
        )
    assert fails >= 300 * (1 - 5 * delta)
    assert detectable_factor("upper", 0.0, 0.1) is None
    assert detectable_factor("lower", 2.0, 0.1) == pytest.approx(0.9)


def test_within_and_exact(ctx):
    assert judge_within(ctx, SID, "f", iv(0.0, -0.01, 0.01), 0.0, 0.05)[0].verdict == "pass"
    assert judge_within(ctx, SID, "f", iv(0.2, 0.1, 0.3), 0.0, 0.05)[0].verdict == "fail"
    assert judge_within(ctx, SID, "f", iv(0.05, 0.0, 0.1), 0.0, 0.05)[0].verdict == "inconclusive"
    r = judge_within(ctx, SID, "f", iv(0.2, 0.1, 0.3), 0.0, 0.05, control="drift")[0]
    assert r.verdict == "refuted"
    assert judge_exact(ctx, SID, "e", 1.0, 1.0, 1e-12)[0].verdict == "pass"
    assert judge_exact(ctx, SID, "e", 1.1, 1.0, 1e-12)[0].verdict == "fail"
    assert judge_exact(ctx, SID, "e", 1.1, 1.0, 1e-12, control="c")[0].verdict == "refuted"
    with pytest.raises(ValueError, match="side"):
        judge(ctx, SID, "c", iv(0.1, 0.0, 0.2), 0.5, side="both")
    with pytest.raises(ValueError, match="bound"):
        judge(ctx, SID, "c", iv(0.1, 0.0, 0.2), float("nan"))


def test_rows_take_their_labels_from_the_context():
    pytest.importorskip("torch")
    ctx = RunContext.create("ci", "torch", dtype="float32")
    rows = judge(ctx, SID, "c", iv(0.1, 0.09, 0.11), 0.5)
    assert {(r.backend, r.dtype, r.device) for r in rows} == {("torch", "float32", "cpu")}
    assert ctx.seed("a") != RunContext.create("ci", "torch", salt="s").seed("a")
    assert ctx.simulate(np.eye(4, 2), 2, runs=3, seed=1).params["backend"] == "torch"


def test_context_rejects_bad_input():
    with pytest.raises(ValueError, match="profile"):
        RunContext.create("fast")
    with pytest.raises(ValueError, match="backend"):
        RunContext.create("ci", "jax")
    with pytest.raises(ValueError, match="salt"):
        RunContext.create("ci", salt=3)  # type: ignore[arg-type]


def test_explore_targets_and_reports_failures(ctx):
    def check(c, case):
        return judge_exact(c, SID, "x <= 0.9", case, 0.9, 0.0, params={"x": case})

    with pytest.raises(AssertionError, match="FAIL"):
        explore(ctx, st.floats(0, 1), check, max_examples=50, label="x")
    rows = explore(ctx, st.floats(0, 0.9), check, max_examples=100, label="x")
    assert rows and all(r.verdict == "pass" for r in rows)
    assert max(r.measured for r in rows) > 0.8  # target() drives towards the bound


def test_every_statement_has_a_check_and_an_example():
    missing = [s.id for s in theory.STATEMENTS.values() if s.check_ref is None or s.example is None]
    assert not missing, f"records without a check or an example case: {missing}"


def test_edge_controls_are_settled_at_the_binding_case(ctx):
    """An edge control the data cannot resolve at a case far from the bound (E X ~ 0) is
    reported ``unresolved``; at the binding case (largest tightness) it must be refuted."""
    from theory.engine import settle_edges

    far = judge(ctx, SID, "c", iv(1e-5, 0.0, 3e-5), 0.25)  # tightness 4e-5, edge unresolvable
    near = judge(ctx, SID, "c", iv(0.2, 0.19, 0.21), 0.25)  # binding, edge refuted
    rows = settle_edges([far, near])
    assert [r.verdict for r in rows] == ["pass", "unresolved", "pass", "refuted"]
    assert not problems(rows)
    # the binding case's edge not refuted: the search fails
    near_bad = judge(ctx, SID, "c", iv(0.2, 0.1, 0.24), 0.25)
    rows = settle_edges([far, near_bad])
    assert [r.verdict for r in rows] == ["pass", "unresolved", "pass", "not-refuted"]
    assert problems(rows) and "edge" in problems(rows)[0]


def test_explore_settles_edges_over_the_search(ctx):
    def check(c, x):
        est = iv(x, 0.0, 2 * x + 1e-3) if x < 0.1 else iv(x, 0.95 * x, 1.05 * x)
        return judge(c, SID, "c", est, 0.25)

    rows = explore(ctx, st.sampled_from([0.001, 0.2]), check, max_examples=5, label="t")
    assert {r.verdict for r in rows if r.control == "edge"} == {"unresolved", "refuted"}
    assert not problems(rows)


def test_run_cache_is_bounded_and_keyed_by_backend_and_salt():
    """One cache per run: least-recently-used eviction by entries and by array bytes; the run
    context adds its backend and salt to every key, and its copies (per test, scratch) share it."""
    from dataclasses import replace

    from theory.engine import RunCache

    calls = []

    def make(tag, size=10):
        return lambda: calls.append(tag) or np.zeros(size)

    c = RunCache(max_entries=2)
    c.get(("a",), make("a"))
    c.get(("b",), make("b"))
    c.get(("a",), make("a"))  # hit, and a becomes the most recent
    c.get(("c",), make("c"))  # evicts b
    c.get(("b",), make("b"))
    assert calls == ["a", "b", "c", "b"] and len(c) == 2
    small = RunCache(max_bytes=100)
    small.get(("x",), make("x", 10))  # 80 bytes
    small.get(("y",), make("y", 10))  # 160 > 100: x goes
    assert len(small) == 1 and small.nbytes == 80
    ctx = RunContext.create("ci")
    calls.clear()
    ctx.cached(("k",), make("k"))
    ctx.at("node", "replay").cached(("k",), make("k"))  # same run cache
    replace(ctx, salt="other").cached(("k",), make("k"))  # another salt: another value
    assert calls == ["k", "k"]
    with pytest.raises(ValueError, match="max_entries"):
        RunCache(max_entries=0)
    with pytest.raises(ValueError, match="max_bytes"):
        RunCache(max_bytes=0)


def test_rows_and_simulations_agree_across_backends(backend):
    """The same check on NumPy and torch (float64): rows take their labels from the context;
    the chain is the same in law (each backend draws from its own generator): V(H_0) equal to
    round-off, E V(H_3) within five standard errors of NumPy's."""
    ctx = RunContext.create("ci", backend)
    rows = judge(ctx, SID, "c", iv(0.1, 0.09, 0.11), 0.5)
    assert {(r.backend, r.dtype) for r in rows} == {(backend.name, "float64")}
    H0 = np.linalg.qr(np.random.default_rng(0).standard_normal((16, 3)))[0] * [1.0, 0.5, 0.2]
    here = theory.to_numpy(ctx.simulate(H0, 3, runs=2000, seed=5).V)
    ref = RunContext.create("ci", "numpy").simulate(H0, 3, runs=2000, seed=6).V
    assert np.allclose(here[:, 0], ref[:, 0], rtol=1e-12)
    se = np.hypot(here[:, 3].std(), ref[:, 3].std()) / np.sqrt(2000)
    assert abs(here[:, 3].mean() - ref[:, 3].mean()) < 5 * se
