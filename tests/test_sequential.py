"""Tests of theory.sequential: the sequential rule keeps its false-fail level under optional
stopping (a naive interval re-checked after each batch does not), catches a bound wrong by its
reported detectable factor, reproduces the fixed-sample intervals look by look, and hands the
engine an interval that ``judge`` reads unchanged.

The rate tests simulate many runs of the rule at once with the module's vectorised internals
(``_mean_ends``, ``_cp_ends``, ``_sign_rank``, ``_decide_codes``, ``_first_stop``), on the
budget's own schedule; ``test_vectorised_rule_is_the_public_loop`` shows that this is the rule
the public functions apply.  Each rate test counts events among ``REPS`` runs and fails only
beyond the ``1 - 1e-4`` quantile of ``Binomial(REPS, DELTA)``: a one-sided binomial test, so a
correct rule fails an assertion with probability ``<= 1e-4`` (and the seeds are fixed).
"""

from __future__ import annotations

import math
import time
import zlib

import numpy as np
import pytest
from scipy import stats as sps

from theory import sequential as sq
from theory import stats
from theory.engine import RunContext, judge, judge_within
from theory.sequential import (
    Budget,
    Threshold,
    detectable,
    expected_runs,
    sequential_mean,
    sequential_proportion,
    sequential_sign,
)

DELTA = 0.05
REPS = 2000
#: the largest count of events that Binomial(REPS, DELTA) exceeds with probability <= 1e-4
CRIT = int(sps.binom.ppf(1 - 1e-4, REPS, DELTA))


# ------------------------------------------------------------------------------ simulation


def _schedule(budget: Budget) -> tuple[np.ndarray, np.ndarray, float]:
    ns = np.asarray(budget.schedule())
    return ns, np.diff(ns, prepend=0), DELTA / ns.size


def _bernoulli_counts(p: float, budget: Budget, reps: int, rng: np.random.Generator):
    ns, b, _ = _schedule(budget)
    return ns, np.cumsum(rng.binomial(b, p, size=(reps, b.size)), axis=1)


def _bernoulli_mean_ends(p, budget, reps, rng, delta):
    ns, k = _bernoulli_counts(p, budget, reps, rng)
    mean, var = k / ns, k * (ns - k) / (ns * (ns - 1.0))
    return sq._mean_ends(ns, mean, var, delta, 0.0, 1.0)[:2]


def _data_mean_ends(draw, budget, reps, rng, delta, lo=0.0, hi=1.0):
    """The looks' intervals from data: ``draw(rng, shape)`` gives ``reps`` runs of ``max_runs``
    values; moments of each look's prefix."""
    ns, _, _ = _schedule(budget)
    x = draw(rng, (reps, int(ns[-1])))
    c1 = np.cumsum(x, axis=1)[:, ns - 1]
    c2 = np.cumsum(x * x, axis=1)[:, ns - 1]
    mean = c1 / ns
    var = (c2 - c1 * mean) / (ns - 1.0)
    return sq._mean_ends(ns, mean, var, delta, lo, hi)[:2]


def _sign_ends(d: np.ndarray, budget: Budget, delta: float):
    ns, _, _ = _schedule(budget)
    lo, hi = np.empty((d.shape[0], ns.size)), np.empty((d.shape[0], ns.size))
    for i, n in enumerate(ns):
        j = sq._sign_rank(int(n), delta)
        s = np.sort(d[:, :n], axis=1)
        lo[:, i] = s[:, j - 1] if j else -np.inf
        hi[:, i] = s[:, n - j] if j else np.inf
    return lo, hi


def _outcomes(lower, upper, th: Threshold) -> np.ndarray:
    """Per run: the verdict at the first deciding look (+1 pass, -1 fail, 0 never decided)."""
    codes = sq._decide_codes(lower, upper, th)
    first = sq._first_stop(codes != 0)
    return np.where(first >= 0, codes[np.arange(first.size), np.maximum(first, 0)], 0)


def _sign_outcomes(lower, upper) -> np.ndarray:
    codes = np.where(lower > 0, 1, np.where(upper < 0, -1, 0))
    first = sq._first_stop(codes != 0)
    return np.where(first >= 0, codes[np.arange(first.size), np.maximum(first, 0)], 0)


def _mixture(w, a1, b1, a2, b2):
    """``X ~ Beta(a1, b1)`` with probability ``w``, else ``Beta(a2, b2)``; and its mean."""

    def draw(rng, shape):
        pick = rng.random(shape) < w
        return np.where(pick, rng.beta(a1, b1, shape), rng.beta(a2, b2, shape))

    return draw, w * a1 / (a1 + b1) + (1 - w) * a2 / (a2 + b2)


WIDE = _mixture(0.5, 0.3, 0.3, 6.0, 2.0)  # mean 0.625, mass near 0 and 1
NARROW = _mixture(0.9, 2.0, 40.0, 8.0, 2.0)  # mean 0.1229, small variance, a far component
FINE = Budget(max_runs=200_000, first_batch=10, growth=1.05)  # 142 looks
DATA = Budget(max_runs=2000, first_batch=10, growth=1.1)  # 32 looks


def _sampler(draw, shift=0.0):
    return lambda runs, seed: shift + draw(np.random.default_rng(seed), runs)


# ------------------------------------------------------------------------------ at the bound


@pytest.mark.parametrize(
    ("law", "side"),
    [
        ("bernoulli 0.5", "upper"),
        ("bernoulli 0.05", "upper"),
        ("bernoulli 0.05", "lower"),
        ("wide mixture", "upper"),
        ("wide mixture", "lower"),
        ("narrow mixture", "upper"),
        ("narrow mixture", "lower"),
        ("narrow mixture", "equal"),
    ],
)
def test_mean_false_fail_at_the_bound(law, side):
    rng = np.random.default_rng(zlib.crc32(f"{law}/{side}".encode()))
    if law.startswith("bernoulli"):
        p = float(law.split()[1])
        _, _, d = _schedule(FINE)
        lower, upper = _bernoulli_mean_ends(p, FINE, REPS, rng, d)
        mean = p
    else:
        draw, mean = WIDE if law.startswith("wide") else NARROW
        _, _, d = _schedule(DATA)
        lower, upper = _data_mean_ends(draw, DATA, REPS, rng, d)
    # E X exactly at the bound (for "equal": at the upper edge of the band)
    th = Threshold(mean - 0.02, "equal", 0.02) if side == "equal" else Threshold(mean, side)
    fails = int(np.sum(_outcomes(lower, upper, th) == -1))
    assert fails <= CRIT, f"{fails}/{REPS} false fails at delta = {DELTA}"


BET_REPS = 600
#: the largest count of events that Binomial(BET_REPS, DELTA) exceeds with probability <= 1e-4
BET_CRIT = int(sps.binom.ppf(1 - 1e-4, BET_REPS, DELTA))
SMALL = _mixture(0.8, 1.0, 40.0, 2.0, 8.0)  # mean 0.0595: the bet is the tightest end


@pytest.mark.parametrize(
    ("law", "side"), [("small mixture", "upper"), ("small mixture", "lower"), ("wide", "upper")]
)
def test_the_whole_mean_rule_with_the_bet_keeps_its_level(law, side):
    """sequential_mean itself (betting, Bernstein and Hoeffding ends, each at delta_k / 3, union
    over the looks) at E X = bound: false fails <= delta; and the bet is what decided looks."""
    draw, mean = SMALL if law.startswith("small") else WIDE
    budget = Budget(max_runs=3000, first_batch=20, growth=1.5)
    fails, methods = 0, set()
    for r in range(BET_REPS):
        res = sequential_mean(
            _sampler(draw), lo=0, hi=1, bound=mean, side=side, delta=DELTA, budget=budget, seed=r
        )
        fails += res.outcome == "fail"
        methods.add(res.interval.method)
    assert fails <= BET_CRIT, f"{fails}/{BET_REPS} false fails at delta = {DELTA}"
    if law.startswith("small") and side == "upper":
        assert any("betting" in m for m in methods), methods


def test_the_bet_resolves_a_small_mean_with_far_fewer_runs_than_bernstein():
    """The gap at large d (mean ~0.04 of its range, small spread): the edge "E X <= 0.8 mean" is
    refuted by the bet within hundreds of runs; Bernstein alone needs thousands."""
    x = np.abs(np.random.default_rng(5).normal(0.03, 0.005, 20000))
    w, d = 1 / np.sqrt(2), 1e-7
    first: dict[str, int] = {}
    for n in (200, 400, 800, 1600, 3200, 6400, 12800):
        iv = stats.mean_bounds(x[:n], lo=0, hi=w, delta=d)
        r = float(sq._mean_radius(n, np.var(x[:n], ddof=1), d, w)[0])
        if iv.lower > 0.8 * iv.estimate:
            first.setdefault("betting", n)
        if iv.estimate - r > 0.8 * iv.estimate:
            first.setdefault("bernstein", n)
    assert first["betting"] <= 800, first
    assert first.get("bernstein", 10**9) >= 8 * first["betting"], first


def test_betting_bound_is_valid_on_a_sorted_sample_and_exact_at_the_extremes():
    """The fixed permutation, drawn independently of the data, makes the order irrelevant in
    law: a sample sorted either way (large values first would let a naive bet overshoot) gives
    ends as valid as the drawn order's; a constant sample at 0 gives 0; the bound never
    exceeds the mean."""
    x = np.random.default_rng(1).beta(1, 30, 500)
    a = stats.mean_bounds(x, lo=0, hi=1, delta=1e-3)
    for y in (np.sort(x), np.sort(x)[::-1]):
        b = stats.mean_bounds(y, lo=0, hi=1, delta=1e-3)
        assert b.lower < b.estimate < b.upper and b.lower == pytest.approx(a.lower, rel=0.05)
    assert stats.betting_lower_bound(np.zeros(50), 1e-3) == 0.0
    y = np.random.default_rng(2).random(300)
    assert 0 <= stats.betting_lower_bound(y, 1e-3) < y.mean()


def test_optional_stopping_inflates_a_naive_interval_but_not_the_sequence():
    # Bernoulli(1/2), where Hoeffding is tightest, re-checked after each of 926 batches
    # (growth 1.01 from 10 to 10^7 runs).  The naive rule uses the fixed-sample interval at
    # delta at every look; the sequential one at delta / K.
    budget = Budget(max_runs=10**7, first_batch=10, growth=1.01)
    ns, k = _bernoulli_counts(0.5, budget, REPS, np.random.default_rng(2021))
    mean, var = k / ns, k * (ns - k) / (ns * (ns - 1.0))
    th = Threshold(0.5, "upper")
    rate = {}
    for name, d in (("sequential", DELTA / ns.size), ("naive", DELTA)):
        lower, upper, _ = sq._mean_ends(ns, mean, var, d, 0.0, 1.0)
        rate[name] = int(np.sum(_outcomes(lower, upper, th) == -1))
    lower, _, _ = sq._mean_ends(ns[-1], mean[:, -1], var[:, -1], DELTA, 0.0, 1.0)
    one_look = int(np.sum(lower > 0.5))
    assert rate["sequential"] <= CRIT
    assert one_look <= CRIT  # the fixed-sample interval is fine when looked at once
    assert rate["naive"] > CRIT, f"naive re-checking: {rate['naive']}/{REPS}"


def test_proportion_false_fail_at_the_bound_and_naive_rechecking():
    budget = Budget(max_runs=20_000, first_batch=20, growth=1.05)
    rng = np.random.default_rng(11)
    naive_total = 0
    for p, side in ((0.05, "upper"), (0.05, "lower"), (0.3, "upper"), (0.3, "lower")):
        ns, k = _bernoulli_counts(p, budget, REPS, rng)
        th = Threshold(p, side)
        lower, upper = sq._cp_ends(k, ns, DELTA / ns.size)
        fails = int(np.sum(_outcomes(lower, upper, th) == -1))
        assert fails <= CRIT, f"p = {p} {side}: {fails}/{REPS}"
        if (p, side) == (0.3, "upper"):
            lower, upper = sq._cp_ends(k, ns, DELTA)
            naive_total = int(np.sum(_outcomes(lower, upper, th) == -1))
    assert naive_total > CRIT, f"naive Clopper-Pearson re-checking: {naive_total}/{REPS}"


@pytest.mark.parametrize("law", ["normal", "skewed", "ties"])
def test_sign_false_fail_at_median_zero(law):
    rng = np.random.default_rng(len(law))
    budget = Budget(max_runs=300, first_batch=10, growth=1.3)
    shape = (REPS, 300)
    if law == "normal":
        d = rng.normal(size=shape)
    elif law == "skewed":
        d = rng.exponential(size=shape) - math.log(2)
    else:
        d = rng.choice([-1.0, 0.0, 1.0], p=[0.35, 0.3, 0.35], size=shape)
    _, _, dk = _schedule(budget)
    lower, upper = _sign_ends(d, budget, dk)
    fails = int(np.sum(_sign_outcomes(lower, upper) == -1))
    assert fails <= CRIT


@pytest.mark.parametrize("law", ["normal", "ties"])
def test_sign_with_a_front_loaded_first_look_keeps_its_level(law):
    """The training seeds' schedule (look 1 at delta/2, the rest split over the later looks):
    false fails at median 0 stay within the binomial limit, looks re-read at their own levels;
    re-reading every look at delta/2 (the naive front-loaded rule) is the control."""
    rng = np.random.default_rng(100 + len(law))
    budget = Budget(max_runs=300, first_batch=10, growth=1.3, first_share=0.5)
    shape = (REPS, 300)
    if law == "normal":
        d = rng.normal(size=shape)
    else:
        d = rng.choice([-1.0, 0.0, 1.0], p=[0.35, 0.3, 0.35], size=shape)
    ns = np.asarray(budget.schedule())

    def ends(level):
        lo, hi = np.empty((REPS, ns.size)), np.empty((REPS, ns.size))
        for i, n in enumerate(ns):
            j = sq._sign_rank(int(n), level(i + 1))
            srt = np.sort(d[:, :n], axis=1)
            lo[:, i] = srt[:, j - 1] if j else -np.inf
            hi[:, i] = srt[:, n - j] if j else np.inf
        return lo, hi

    fails = int(np.sum(_sign_outcomes(*ends(lambda k: budget.look_delta(k, DELTA))) == -1))
    assert fails <= CRIT
    if law == "normal":
        naive = int(np.sum(_sign_outcomes(*ends(lambda k: DELTA / 2)) == -1))
        assert naive > CRIT, f"every look at delta/2: {naive}/{REPS}"


# ------------------------------------------------------------------------------ detectable


@pytest.mark.parametrize("side", ["upper", "lower", "equal"])
def test_mean_catches_a_bound_wrong_by_its_detectable_factor(side):
    # A location family (0.4 Beta(2, 3) + shift), so shifting the mean keeps the variance: the
    # run at the bound reports detectable f, and E X = b f is declared fail w.p. >= 1 - delta.
    budget = Budget(max_runs=2000, first_batch=20, growth=1.3)
    base, m0 = (lambda rng, size: 0.4 * rng.beta(2.0, 3.0, size)), 0.16
    b, tol = 0.3, 0.02
    # the reference run has E X at the bound (for "equal": at the band's upper edge b + tol)
    kw = dict(bound=b, side=side) if side != "equal" else dict(target=b, tol=tol, side=side)
    at = b + tol if side == "equal" else b
    res = sequential_mean(
        _sampler(base, at - m0), lo=0.0, hi=1.0, delta=DELTA, budget=budget, seed=3, **kw
    )
    assert res.stop_reason == "max_runs" and res.outcome == "inconclusive"
    f = detectable(res)
    truth = b + f if side == "equal" else b * f  # equal: tol + 2r above the target
    assert (truth > at) if side != "lower" else (truth < b)
    # the whole rule (bet included), run on the shifted law
    misses = sum(
        sequential_mean(
            _sampler(base, truth - m0), lo=0.0, hi=1.0, delta=DELTA, budget=budget, seed=r, **kw
        ).outcome
        != "fail"
        for r in range(BET_REPS)
    )
    assert misses <= BET_CRIT, f"caught {BET_REPS - misses}/{BET_REPS}"


def test_bernoulli_mean_and_proportion_catch_their_detectable_factor():
    budget = Budget(max_runs=3000, first_batch=20, growth=1.3)
    bern = lambda p: lambda runs, seed: np.random.default_rng(seed).random(runs) < p  # noqa: E731
    _, _, d = _schedule(budget)
    rng = np.random.default_rng(5)
    for fn, p, side in (
        ("mean", 0.2, "upper"),
        ("proportion", 0.1, "upper"),
        ("proportion", 0.3, "lower"),
    ):
        if fn == "mean":
            res = sequential_mean(
                bern(p), lo=0, hi=1, bound=p, side=side, delta=DELTA, budget=budget, seed=6
            )
        else:
            res = sequential_proportion(
                bern(p), bound=p, side=side, delta=DELTA, budget=budget, seed=6
            )
        assert res.outcome == "inconclusive"
        q = p * detectable(res)
        ns, k = _bernoulli_counts(q, budget, REPS, rng)
        if fn == "mean":
            lower, upper, _ = sq._mean_ends(ns, k / ns, k * (ns - k) / (ns * (ns - 1.0)), d, 0, 1)
        else:
            lower, upper = sq._cp_ends(k, ns, d)
        misses = int(np.sum(_outcomes(lower, upper, Threshold(p, side)) != -1))
        assert misses <= CRIT, f"{fn} {side}: caught {REPS - misses}/{REPS} at p = {q:.4g}"


@pytest.mark.parametrize("law", ["normal", "skewed"])
def test_sign_catches_a_median_off_by_its_detectable_width(law):
    budget = Budget(max_runs=200, first_batch=10, growth=1.3)

    def draw(rng, shape):
        return (
            rng.normal(size=shape) if law == "normal" else rng.exponential(size=shape) - math.log(2)
        )

    # whatever the reference run at median 0 decided (it stops at a look whose width is at least
    # the last look's), its reported width is a shift that the rule catches w.p. >= 1 - delta
    res = sequential_sign(_sampler(draw), delta=DELTA, budget=budget, seed=8)
    w = detectable(res)
    assert w == pytest.approx(res.interval.upper - res.interval.lower)
    d = draw(np.random.default_rng(9), (REPS, 200)) - w  # the median is -w
    _, _, dk = _schedule(budget)
    misses = int(np.sum(_sign_outcomes(*_sign_ends(d, budget, dk)) != -1))
    assert misses <= CRIT


# ------------------------------------------------------------------------------ the public loop


def test_vectorised_rule_is_the_public_loop():
    budget = Budget(max_runs=4000, first_batch=20, growth=1.5)
    ns, b, d = _schedule(budget)
    sample = lambda runs, seed: np.random.default_rng(seed).random(runs) < 0.42  # noqa: E731
    th = Threshold(0.5, "upper")
    for seed in range(12):
        res = sequential_mean(sample, lo=0, hi=1, bound=0.5, budget=budget, seed=seed, delta=DELTA)
        x = np.concatenate(
            [
                sample(int(bk), stats.derive_seed(seed, "sequential batch", k + 1))
                for k, bk in enumerate(b)
            ]
        ).astype(float)
        c = np.cumsum(x)[ns - 1]
        lower, upper, _ = sq._mean_ends(ns, c / ns, c * (ns - c) / (ns * (ns - 1.0)), d, 0, 1)
        codes = sq._decide_codes(lower, upper, th)
        first = int(sq._first_stop(codes != 0))
        assert res.runs == (ns[first] if first >= 0 else ns[-1])
        assert res.outcome == sq._OUTCOME[int(codes[first])] if first >= 0 else "inconclusive"
        assert res.seeds == tuple(
            stats.derive_seed(seed, "sequential batch", k) for k in range(1, res.batches + 1)
        )


def test_one_look_budget_is_the_fixed_sample_interval():
    draw, _ = NARROW
    s = _sampler(draw)
    res = sequential_mean(
        s, lo=0, hi=1, bound=0.5, delta=1e-3, budget=Budget(max_runs=500, first_batch=500), seed=2
    )
    ref = stats.mean_bounds(
        s(500, stats.derive_seed(2, "sequential batch", 1)), lo=0, hi=1, delta=1e-3
    )
    iv = res.interval
    assert (iv.estimate, iv.lower, iv.upper) == pytest.approx(
        (ref.estimate, ref.lower, ref.upper), rel=1e-12
    )
    assert ref.method in iv.method and iv.delta == 1e-3 and iv.n == 500 and iv.finite_sample


def test_each_look_is_the_fixed_sample_interval_at_delta_over_K():
    budget = Budget(max_runs=1000, first_batch=100, growth=2)
    assert budget.schedule() == (100, 300, 700, 1000) and budget.looks == 4
    draw, mean = WIDE
    s = _sampler(draw)
    xs = [
        s(bk, stats.derive_seed(1, "sequential batch", k))
        for k, bk in enumerate((100, 200, 400, 300), 1)
    ]
    res = sequential_mean(s, lo=0, hi=1, bound=mean, delta=DELTA, budget=budget, seed=1)
    assert res.batches == 4 and res.stop_reason == "max_runs"
    for k, look in enumerate(res.history, 1):
        ref = stats.mean_bounds(np.concatenate(xs[:k]), lo=0, hi=1, delta=DELTA / 4)
        assert (look.lower, look.upper) == pytest.approx((ref.lower, ref.upper), rel=1e-10)
    # proportion: Clopper-Pearson at delta / K
    bern = lambda runs, seed: np.random.default_rng(seed).random(runs) < 0.3  # noqa: E731
    res = sequential_proportion(bern, bound=0.3, delta=DELTA, budget=budget, seed=1)
    x = np.concatenate([bern(bk, sd) for bk, sd in zip((100, 200, 400, 300), res.seeds)])
    ref = stats.binomial_bounds(int(x.sum()), 1000, delta=DELTA / 4)
    assert (res.interval.lower, res.interval.upper) == pytest.approx((ref.lower, ref.upper))
    # sign test over two columns: each end at delta / (K m)
    pairs = lambda runs, seed: np.random.default_rng(seed).normal(size=(runs, 2))  # noqa: E731
    sb = Budget(max_runs=120, first_batch=30, growth=1)
    res = sequential_sign(pairs, delta=DELTA, budget=sb, seed=4)
    d = np.concatenate([pairs(30, sd) for sd in res.seeds])
    for c, iv in enumerate(res.intervals):
        assert iv.lower == stats.sign_test_lower(d[:, c], DELTA / 4 / 2)
        assert iv.upper == -stats.sign_test_lower(-d[:, c], DELTA / 4 / 2)
        assert iv.delta == DELTA / 2
        assert (iv.lower, iv.upper) == (
            np.sort(d[:, c])[sq._sign_rank(120, DELTA / 8) - 1],
            np.sort(d[:, c])[120 - sq._sign_rank(120, DELTA / 8)],
        )
    assert res.interval.lower == min(iv.lower for iv in res.intervals)


def test_sign_claim_over_columns_passes_and_fails():
    sb = Budget(max_runs=400, first_batch=40, growth=1.5)
    up = lambda runs, seed: np.random.default_rng(seed).normal(1.0, 1.0, (runs, 2))  # noqa: E731
    res = sequential_sign(up, budget=sb, seed=1, edge=0.5)
    assert res.outcome == "pass" and res.stop_reason == "decided" and res.edge_refuted
    assert res.runs < 400 and res.edge_bound == pytest.approx(2 * res.interval.estimate)

    def mixed(runs, seed):
        x = np.random.default_rng(seed).normal(1.0, 1.0, (runs, 2))
        x[:, 1] -= 2.0
        return x

    res = sequential_sign(mixed, budget=sb, seed=1)
    assert res.outcome == "fail" and res.intervals[1].upper < 0 < res.intervals[0].lower


def test_result_feeds_judge_with_its_edge_control():
    ctx = RunContext.create("ci", "numpy")
    draw, _ = NARROW  # E X = 0.123
    res = sequential_mean(_sampler(draw), lo=0, hi=1, bound=0.5, budget=Budget(), seed=5, edge=0.8)
    plain = sequential_mean(_sampler(draw), lo=0, hi=1, bound=0.5, budget=Budget(), seed=5)
    assert res.outcome == plain.outcome == "pass" and res.edge_refuted
    assert res.stop_reason == "decided" and plain.runs < res.runs < 10**6
    assert res.interval.delta == stats.ASSERTION_DELTA and res.interval.finite_sample
    rows = judge(ctx, "seq", "E X <= 0.5", res.interval, 0.5, edge=0.8)
    assert [r.verdict for r in rows] == ["pass", "refuted"]
    assert rows[0].false_fail == stats.ASSERTION_DELTA
    assert rows[0].detectable == pytest.approx(detectable(res))
    assert rows[1].bound == pytest.approx(res.edge_bound)
    # an equivalence
    res = sequential_mean(
        _sampler(draw), lo=0, hi=1, side="equal", target=0.12, tol=0.02, budget=Budget(), seed=5
    )
    rows = judge_within(ctx, "seq", "|E X - 0.12| <= 0.02", res.interval, 0.12, 0.02)
    assert rows[0].verdict == res.outcome == "pass"


def test_also_thresholds_and_a_never_refutable_edge():
    ctx = RunContext.create("ci", "numpy")
    draw, mean = WIDE  # 0.625
    kw = dict(lo=0, hi=1, bound=0.9, budget=Budget(), seed=7)
    plain = sequential_mean(_sampler(draw), **kw)
    res = sequential_mean(_sampler(draw), also=[(0.6, "upper"), Threshold(0.7, "lower")], **kw)
    assert plain.outcome == res.outcome == "pass"
    assert res.also_outcomes == ("fail", "fail") and res.runs > plain.runs
    # the planted controls are refuted on the same interval, at no extra level
    for b, side in ((0.6, "upper"), (0.7, "lower")):
        (row,) = judge(ctx, "seq", "E X", res.interval, b, side=side, control="planted")
        assert row.verdict == "refuted"
    # E X = 0: "E X <= 0.8 x 0" can never be refuted, so the loop runs to the budget
    zero = sequential_mean(
        lambda runs, seed: np.zeros(runs),
        lo=0,
        hi=1,
        bound=0.5,
        budget=Budget(max_runs=2000),
        seed=1,
        edge=0.8,
    )
    assert zero.outcome == "pass" and zero.decided_at == 1 and zero.edge_refuted is False
    assert zero.stop_reason == "max_runs" and zero.runs == 2000
    # a failing statement stops at once: it does not wait for its edge control
    fail = sequential_mean(_sampler(draw), lo=0, hi=1, bound=0.3, budget=Budget(), seed=1, edge=0.8)
    assert fail.outcome == "fail" and fail.stop_reason == "decided" and fail.edge_refuted is False


def test_clock_stops_and_the_replay_budget_reproduces():
    def slow(runs, seed):
        time.sleep(0.01)
        return np.random.default_rng(seed).random(runs)

    budget = Budget(max_runs=None, max_seconds=0.15, first_batch=10, growth=1, clock="wall")
    res = sequential_mean(slow, lo=0, hi=1, bound=0.5, budget=budget, seed=3)
    assert res.stop_reason == "max_seconds" and 2 <= res.batches < 20
    assert res.history[-1].delta == stats.ASSERTION_DELTA / (res.batches * (res.batches + 1))
    fast = lambda runs, seed: np.random.default_rng(seed).random(runs)  # noqa: E731
    again = sequential_mean(fast, lo=0, hi=1, bound=0.5, budget=res.replay_budget(), seed=3)
    assert again.interval == res.interval and again.seeds == res.seeds
    assert again.stop_reason == "max_batches"


def test_the_default_clock_is_cpu_time_so_waiting_on_a_loaded_machine_does_not_stop_a_check():
    """A sampler that waits (as on a machine other jobs keep busy) spends wall time, not this
    process's CPU time: the CPU clock does not stop it, the wall clock does; a sampler that
    computes is stopped by both."""

    def waits(runs, seed):
        time.sleep(0.02)
        return np.random.default_rng(seed).random(runs)

    def computes(runs, seed):
        t = time.process_time()
        while time.process_time() - t < 0.02:
            pass
        return np.random.default_rng(seed).random(runs)

    kw = dict(max_runs=200, max_seconds=0.05, first_batch=10, growth=1)
    cpu = sequential_mean(waits, lo=0, hi=1, bound=0.5, budget=Budget(**kw), seed=3)
    assert cpu.stop_reason == "max_runs" and cpu.runs == 200
    wall = sequential_mean(waits, lo=0, hi=1, bound=0.5, budget=Budget(**kw, clock="wall"), seed=3)
    assert wall.stop_reason == "max_seconds" and wall.runs < 200
    busy = sequential_mean(computes, lo=0, hi=1, bound=0.5, budget=Budget(**kw), seed=3)
    assert busy.stop_reason == "max_seconds" and busy.runs < 200
    line = sq.LoopResult(1, 1, 1, 1.0, "max_runs", (0,), Budget(**kw)).describe()
    assert "0.05 cpu s" in line
    with pytest.raises(ValueError, match="clock must be one of"):
        Budget(clock="gpu")


def test_budget_schedule_and_levels():
    b = Budget(max_runs=1000, first_batch=100, growth=1)
    assert b.schedule() == tuple(range(100, 1001, 100)) and b.looks == 10
    assert b.look_delta(3, 0.1) == pytest.approx(0.01)
    b = Budget()
    ns = np.asarray(b.schedule())
    assert ns[0] == 100 and ns[-1] == 10**6 and np.all(np.diff(ns) > 0)
    assert sum(b.look_delta(k, 1e-3) for k in range(1, b.looks + 1)) == pytest.approx(1e-3)
    u = Budget(max_runs=None, max_seconds=1.0)
    assert u.looks is None and u.look_delta(4, 0.2) == pytest.approx(0.01)
    # look 1 front-loaded: s delta there, (1 - s) delta split over the rest; still sums to delta
    f = Budget(max_runs=1000, first_batch=100, growth=1, first_share=0.5)
    assert f.look_delta(1, 0.1) == pytest.approx(0.05)
    assert f.look_delta(2, 0.1) == pytest.approx(0.05 / 9)
    assert sum(f.look_delta(k, 0.1) for k in range(1, 11)) == pytest.approx(0.1)
    assert Budget(max_runs=100, first_batch=100, first_share=0.5).look_delta(1, 0.1) == 0.1
    fu = Budget(max_runs=None, max_seconds=1.0, first_share=0.25)
    assert sum(fu.look_delta(k, 1.0) for k in range(1, 10**5)) == pytest.approx(1.0, abs=1e-4)
    assert "0.5 delta at look 1" in f.describe_levels()
    with pytest.raises(ValueError, match="unbounded"):
        u.schedule()


def test_expected_runs_falls_with_the_distance_and_matches_simulation():
    budget = Budget(max_runs=10**5, first_batch=50, growth=1.5)
    runs = [expected_runs(0.5 - g, 0.5, sd=0.1, budget=budget) for g in (0.3, 0.1, 0.03, 0.01)]
    assert all(a < b for a, b in zip(runs, runs[1:])) and runs[-1] < 10**5
    assert expected_runs(0.4999, 0.5, sd=0.1, budget=budget) is None
    assert expected_runs(0.6, 0.5, sd=0.1, budget=budget) == runs[1]  # a fail, as far away
    p = 0.45
    e = expected_runs(p, 0.5, sd=math.sqrt(p * (1 - p)), budget=budget, delta=1e-4)
    ns, _, _ = _schedule(budget)
    lower, upper = _bernoulli_mean_ends(p, budget, 400, np.random.default_rng(3), 1e-4 / ns.size)
    first = sq._first_stop(sq._decide_codes(lower, upper, Threshold(0.5, "upper")) != 0)
    assert abs(int(np.median(first)) - int(np.searchsorted(ns, e))) <= 1


# ------------------------------------------------------------------------------ bad input

U = lambda runs, seed: np.random.default_rng(seed).random(runs)  # noqa: E731
SB = Budget(max_runs=100, first_batch=10)
OK = dict(lo=0.0, hi=1.0, bound=0.5, side="upper", budget=SB, seed=1)
EQ = dict(OK, bound=None, side="equal")


def _changing(runs, seed):
    return np.zeros((runs, 1 if seed % 2 else 2)) + 1.0


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: Budget(max_runs=1), "max_runs must be an integer >= 2"),
        (lambda: Budget(max_runs=10.5), "max_runs"),
        (lambda: Budget(max_runs=100, first_batch=200), "max_runs must be >= first_batch"),
        (lambda: Budget(first_batch=1), "first_batch"),
        (lambda: Budget(growth=0.5), "growth"),
        (lambda: Budget(growth=float("inf")), "growth"),
        (lambda: Budget(max_seconds=-1.0), "max_seconds"),
        (lambda: Budget(max_batches=0), "max_batches"),
        (lambda: Budget(max_runs=None), "needs max_runs"),
        (lambda: SB.look_delta(0, 0.1), "k must be"),
        (lambda: Budget(first_share=1.0), "first_share must be in"),
        (lambda: Budget(first_share=0.0), "first_share must be in"),
        (lambda: Budget(first_share=float("nan")), "first_share"),
        (lambda: SB.look_delta(99, 0.1), "k must be <= K"),
        (lambda: sequential_mean(U, **{**OK, "lo": 1.0}), "hi > lo"),
        (lambda: sequential_mean(U, **{**OK, "hi": float("nan")}), "hi"),
        (lambda: sequential_mean(U, **{**OK, "side": "both"}), "side"),
        (lambda: sequential_mean(U, **{**OK, "delta": 1.5}), "delta"),
        (lambda: sequential_mean(U, **{**OK, "bound": None}), "bound"),
        (lambda: sequential_mean(U, **{**OK, "bound": float("inf")}), "bound"),
        (lambda: sequential_mean(U, **{**OK, "tol": 0.1}), "only for side='equal'"),
        (lambda: sequential_mean(U, **{**EQ, "target": 0.5}), "target and tol"),
        (lambda: sequential_mean(U, **{**EQ, "bound": 0.5, "target": 0.5, "tol": 0.1}), "bound"),
        (lambda: sequential_mean(U, **{**EQ, "target": 0.5, "tol": -0.1}), "tol"),
        (lambda: sequential_mean(U, **{**OK, "seed": -1}), "seed"),
        (lambda: sequential_mean(U, **{**OK, "seed": None}), "seed"),
        (lambda: sequential_mean(U, **{**OK, "edge": 1.2}), "edge"),
        (lambda: sequential_mean(U, **{**OK, "also": [(0.5, "sideways")]}), "side"),
        (lambda: sequential_mean(U, **{**OK, "also": [0.5]}), "also"),
        (lambda: sequential_mean(U, **{**OK, "also": (0.5, "upper")}), "also"),
        (lambda: sequential_mean(U, **{**OK, "budget": 100}), "budget"),
        (lambda: sequential_mean("U", **OK), "sample"),
        (lambda: sequential_mean(lambda r, s: np.full(r, 2.0), **OK), "declared range"),
        (lambda: sequential_mean(lambda r, s: np.full(r + 1, 0.5), **OK), "shape"),
        (lambda: sequential_mean(lambda r, s: np.full(r, np.nan), **OK), "finite"),
        (lambda: sequential_proportion(U, bound=0.1, budget=SB, seed=1), "Bernoulli"),
        (lambda: sequential_proportion(U, bound=0.1, side="x", budget=SB, seed=1), "side"),
        (lambda: sequential_sign(lambda r, s: np.ones((r, 2, 2)), budget=SB, seed=1), "shape"),
        (lambda: sequential_sign(_changing, budget=SB, seed=3), "same number of columns"),
        (lambda: sequential_sign(U, budget=SB, seed=1, delta=0), "delta"),
        (lambda: Threshold(0.5, "upper", tol=0.1), "tol"),
        (lambda: expected_runs(0.5, 0.4, sd=0.7), "sd"),
        (lambda: expected_runs(0.5, 0.4, sd=0.1, side="equal"), "side"),
        (
            lambda: expected_runs(0.5, 0.4, sd=0.1, budget=Budget(max_runs=None, max_seconds=1)),
            "max_runs",
        ),
        (lambda: detectable(stats.Interval(0.5, 0.4, 0.6, 0.1, "x", 10)), "needs bound"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
