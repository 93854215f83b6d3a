r"""Sequential Monte Carlo verdicts: draw runs in batches until the data decide.

A check declares a pure sampler ``sample(runs, seed) -> array`` (``runs`` i.i.d. values of a
quantity with known range ``[lo, hi]``); :func:`sequential_mean` draws batches of growing size,
each with its own seed derived from the check's seed and the batch index, and after each batch
reads the three-outcome verdict of :mod:`theory.engine` off an interval that is valid
**uniformly over the looks**.  It stops at the first look that decides (pass or fail), or when
the budget (:class:`Budget`: runs and/or seconds) is spent; only then is the result
inconclusive.  :func:`sequential_proportion` does the same for a probability (Clopper-Pearson)
and :func:`sequential_sign` for the median of paired differences (the exact sign test), where
each "run" is an expensive seed.  The result's :attr:`SequentialResult.interval` is a
:class:`theory.stats.Interval` that :func:`theory.engine.judge` (``judge_within``) consumes
unchanged: its ``delta`` is the per-side level of the whole sequence and ``finite_sample=True``.

**Construction: a union bound over a fixed geometric schedule of looks.**  The budget fixes,
before any data, the batch sizes ``b_k = ceil(first_batch * growth^(k-1))`` (the last one cut
so that the total is ``max_runs``) and so the look sizes ``n_k = b_1 + ... + b_k``,
``k = 1..K``.  Look ``k`` computes the suite's fixed-sample interval on all ``n_k`` values at
the level ``delta_k = delta / K`` (``delta / (k (k + 1))`` when ``max_runs`` is None: the
number of looks is then unbounded, and ``sum_k 1/(k(k+1)) = 1``):

* a mean: :func:`theory.stats.mean_bounds` at ``delta_k``: per side the tightest of the
  Hoeffding, empirical-Bernstein (Maurer & Pontil 2009, Thm 4) and betting (Waudby-Smith &
  Ramdas 2023) bounds, each at ``delta_k / 3``;
* a proportion: the one-sided Clopper-Pearson bounds at ``delta_k``
  (:func:`theory.stats.binomial_bounds`);
* a median: the order-statistic bounds of the exact sign test at ``delta_k / m`` for ``m``
  paired columns (:func:`theory.stats.sign_test_lower`, Bonferroni over the columns as in
  :func:`theory.engine.sign_family`).

Since each ``n_k`` is fixed in advance, each look's end holds at its own level, and for any
stopping look ``tau`` (a function of the data, of the clock, of anything)

.. math:: P(E X > U_\tau) \le P(\exists k \le K: E X > U_k) \le \sum_k \delta_k = \delta,

and likewise for the lower end: each end holds at ``delta`` uniformly over the looks, which is
what makes stopping on the data legitimate.  This is the "stitching" argument of Howard,
Ramdas, McAuliffe & Sekhon (Ann. Stat. 2021, Sec. 3) with a finite horizon and uniform weights
over the geometric epochs.  Why this one rather than a betting confidence sequence
(Waudby-Smith & Ramdas, JRSS-B 2023), which is tighter at small ``n`` and small variance: (i)
at the look where it stops, the interval *is* the suite's audited fixed-sample interval at
``delta / K`` on all the data, so a one-look budget reproduces today's checks exactly and every
row can be recomputed by hand from its data and its ``n``; (ii) the price of the union is
``log K`` inside a logarithm: for the default budget (``max_runs = 10^6``, ``first_batch =
100``, ``growth = 1.5``: ``K = 22`` looks) at ``delta = 2e-6`` the radius is
``sqrt(log(4K/delta) / log(4/delta)) = 1.10`` times the fixed-sample one, and the stopping
look overshoots the exact crossing by at most a factor ``growth`` in runs; (iii) the same
construction serves the binomial and sign-test versions, where it is exact (no bounded-mean
slack at all).  The betting bound enters each look as a fixed-``n`` bound (at ``delta_k / 3``,
not as a time-uniform sequence), so it changes nothing else here; what it buys is the range
term: for a nonnegative quantity far below its range's top (the gap at large ``d``), empirical
Bernstein pays ``7 w log / 3n`` and needs thousands of runs to resolve 20% of a small mean,
the bet grows to ``c/m`` and needs tens to hundreds.  :func:`expected_runs` and the vectorised
simulations of the tests still use the Hoeffding/Bernstein radius (:func:`_mean_ends`): a
prediction that is conservative where the bet wins.

**Several thresholds, one sequence.**  Every verdict is read from the same two ends.  On the
event that the lower end holds at every look (probability ``>= 1 - delta``) no threshold of any
kind is falsely failed: a false fail of "``E X <= b``" needs ``L_tau > b >= E X``, whatever
``b`` is and however it was chosen -- the statement's bound, a planted control's (``also``),
the edge control's, or one chosen later from the data.  Symmetrically for wrong passes and the
upper end.  So reading many thresholds costs nothing extra; ``also`` only changes *when* to
stop: the loop stops at the first look at which the statement and every ``also`` threshold
are decided (and, with ``edge``, the edge control refuted unless the statement failed).  Any threshold not listed can still
be judged on the final interval with the same guarantee.

**The edge control's moving threshold.**  The edge control "``E X <= edge * estimate``"
(``E X >= estimate / edge`` for a lower bound; "``E X = edge * estimate``" for an equivalence)
has a threshold that moves with the running estimate.  Choice made here: the edge is read at
each look with that look's own estimate and interval -- i.e. at the stopping look it is
*exactly* what :func:`theory.engine.edge_control` will say on the returned interval -- and it
counts as decided only when refuted ("not refuted" against a moving threshold is lack of
evidence, never a decision).  So with ``edge`` set the loop samples until the statement is
decided *and* the edge is refuted, or the budget ends -- except that a statement that *fails*
stops the loop at once: a fail is itself evidence that the interval resolves the bound, and a
failing check should report, not keep sampling for its power row.  Refuting it is valid by the argument
above: ``L_tau > edge * m_tau`` and ``E X >= L_tau`` on the coverage event, so "``E X > edge *
m_tau``" holds with probability ``>= 1 - delta``.  A quantity whose mean is ~0 (far from its
bound, a non-binding case) can never refute its edge: pass ``edge=None`` there, or the loop runs
to the budget (:func:`theory.engine.settle_edges` reports such rows as unresolved anyway).

Verdicts are re-read at every look from that look's interval (no running intersection), so the
final interval decides the statement, each ``also`` and the edge exactly as ``judge`` will; a
verdict that changes between looks (pass at look 3, inconclusive at look 5) only delays the
stop, and a pass at one look and a fail at another would need one end to miss (probability
``<= 2 delta``).  For ``side="equal"`` the engine's rule is followed: pass iff the interval
lies inside ``[target - tol, target + tol]`` (wrong pass ``<= delta``), fail iff it is disjoint
from it (a false fail needs one of the two ends to miss: ``<= 2 delta`` strictly; pass
``delta / 2`` to bound it by ``delta``).

**Sample size.**  A check far from its bound stops at an early look; one at its bound runs to
the budget.  :func:`expected_runs` gives the typical stopping size from the mean and standard
deviation; ``python -m theory.sequential`` prints, for ``X`` in ``[0, 1]`` with ``sd = 0.1``,
``delta = 2e-6`` and the default budget (``first_batch = 100``, ``growth = 1.5``,
``max_runs = 10^6``, 22 looks)::

    |E X - b|   sequential runs   fixed-n runs (one look at delta, n chosen knowing the gap)
         0.3              100               77
         0.1              813              455
        0.03             3220             1915
        0.01            11337             8291
       0.003            87384            52380
       0.001           443176           354649

The fixed-n column needs the gap known in advance (a hand plan must cover its hardest case, so
it draws the bottom row's size everywhere); the sequential engine pays 1.25 to 1.8 times the
oracle's size (for the union over looks and the overshoot of the last batch), and draws 5 to
4400 times fewer runs than a plan sized for the bottom row when the check is further from its
bound.

Replay: the result records every batch's seed and the budget; a run that the clock stopped
replays with :meth:`SequentialResult.replay_budget` (same schedule and levels, stopping after
the same batch).  Validity assumes the values of a batch are i.i.d. and batches independent
with the same law -- the sampler must use only its ``seed`` argument for randomness.
"""

from __future__ import annotations

import math
import numbers
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

import numpy as np

from .stats import (
    ASSERTION_DELTA,
    Interval,
    binomial_bounds,
    derive_seed,
    mean_bounds,
    sign_test_lower,
)

Side = Literal["upper", "lower", "equal"]
Outcome = Literal["pass", "fail", "inconclusive"]
StopReason = Literal["decided", "max_runs", "max_seconds", "max_batches"]

#: The clocks a :class:`Budget`'s ``max_seconds`` can be read off: this process's CPU time (all
#: threads; load-independent) or wall time (for a device the CPU waits on).
CLOCKS = {"cpu": time.process_time, "wall": time.monotonic}

SIDES: tuple[str, ...] = ("upper", "lower", "equal")
_OUTCOME = {1: "pass", -1: "fail", 0: "inconclusive"}
#: largest batch the schedule will ask for (guards ``growth ** k`` overflow when unbounded)
_MAX_BATCH = 10**12


# ------------------------------------------------------------------------------ validation


def _check_int(value: Any, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value}")
    return int(value)


def _check_real(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a finite real number; got {value!r}")
    v = float(value)
    if not math.isfinite(v):
        raise ValueError(f"{name} must be a finite real number; got {value!r}")
    return v


def _check_delta(delta: Any) -> float:
    d = _check_real(delta, "delta")
    if not (0 < d < 1):
        raise ValueError(f"delta must be in (0, 1); got {delta}")
    return d


def _check_seed(seed: Any) -> int:
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer (seeds are explicit); got {seed!r}")
    return int(seed)


def _check_factor(edge: Any) -> float | None:
    if edge is None:
        return None
    f = _check_real(edge, "edge")
    if not (0 < f < 1):
        raise ValueError(f"edge must be in (0, 1) (the edge control's factor) or None; got {edge}")
    return f


# ------------------------------------------------------------------------------ budget


@dataclass(frozen=True)
class Budget:
    """How long a sequential check may sample, and the schedule of its looks.

    Batch ``k`` (from 1) has ``ceil(first_batch * growth^(k-1))`` runs, the last one cut so the
    total is ``max_runs``; ``growth = 1`` gives batches of equal size.  ``max_runs`` (the total
    runs) fixes the number of looks ``K`` and so the level of each, ``delta / K``; with
    ``max_runs=None`` the schedule is unbounded and look ``k`` is at ``delta / (k (k + 1))``.
    ``max_seconds`` stops the loop before a batch that is predicted (from the time per run so
    far) to end past it; the first batch is always drawn.  Its seconds are read off ``clock``:
    ``"cpu"`` (default) is this process's CPU time over all its threads
    (:func:`time.process_time`), so where the clock stops a check does not depend on what else
    the machine runs (other xdist workers, other jobs): the same seed gives the same verdict on
    a loaded machine, only later.  ``"wall"`` (:func:`time.monotonic`) is for work the CPU
    waits on (a CUDA device), which CPU time would not count.  ``max_batches`` stops after that
    many batches without changing the schedule or the levels: it replays a run the clock
    stopped (:meth:`SequentialResult.replay_budget`).  At least one of ``max_runs``,
    ``max_seconds``, ``max_batches`` must be set.

    ``first_share`` (None: every look alike) spends that share of ``delta`` at look 1 and
    splits the rest evenly over the later looks (:meth:`look_delta`): for a check whose first
    batch is the expensive part and usually decides (paired training seeds, where the sign test
    needs ``log2(looks / delta)`` seeds before it can pass at all), look 1 at ``delta / 2``
    instead of ``delta / K`` saves ``log2(K / 2)`` seeds; the later looks pay ``log(2 (K - 1)
    / K)`` inside a logarithm.  The shares are fixed before any data and sum to 1, so the
    union bound is unchanged.
    """

    max_runs: int | None = 1_000_000
    max_seconds: float | None = None
    first_batch: int = 100
    growth: float = 1.5
    max_batches: int | None = None
    clock: str = "cpu"
    first_share: float | None = None

    def __post_init__(self) -> None:
        if self.first_share is not None:
            fs = _check_real(self.first_share, "first_share")
            if not 0 < fs < 1:
                raise ValueError(
                    f"first_share must be in (0, 1) (look 1's share of delta) or None; got {fs}"
                )
        if self.clock not in CLOCKS:
            raise ValueError(f"clock must be one of {tuple(CLOCKS)}; got {self.clock!r}")
        fb = _check_int(self.first_batch, "first_batch", 2)
        if self.max_runs is not None:
            mr = _check_int(self.max_runs, "max_runs", 2)
            if mr < fb:
                raise ValueError(f"max_runs must be >= first_batch; got {mr} < {fb}")
        if self.max_seconds is not None:
            s = _check_real(self.max_seconds, "max_seconds")
            if s <= 0:
                raise ValueError(f"max_seconds must be > 0 or None; got {self.max_seconds}")
        if self.max_batches is not None:
            _check_int(self.max_batches, "max_batches", 1)
        g = _check_real(self.growth, "growth")
        if g < 1:
            raise ValueError(f"growth must be >= 1 (the geometric factor of batch sizes); got {g}")
        if self.max_runs is None and self.max_seconds is None and self.max_batches is None:
            raise ValueError("a Budget needs max_runs, max_seconds or max_batches (all are None)")

    def batch_sizes(self) -> Iterator[int]:
        """The batch sizes in order (infinite when ``max_runs`` is None)."""
        total, size, k = 0, float(self.first_batch), 0
        while self.max_runs is None or total < self.max_runs:
            b = min(_MAX_BATCH, math.ceil(round(size, 6)))
            if self.max_runs is not None:
                b = min(b, self.max_runs - total)
            total += b
            k += 1
            yield b
            size = min(float(_MAX_BATCH), size * self.growth)

    def schedule(self) -> tuple[int, ...]:
        """The cumulative look sizes ``n_1 < ... < n_K`` (``n_K = max_runs``); ValueError when
        ``max_runs`` is None (the schedule is unbounded)."""
        if self.max_runs is None:
            raise ValueError("max_runs is None: the schedule is unbounded")
        return tuple(int(v) for v in np.cumsum(list(self.batch_sizes())))

    @property
    def looks(self) -> int | None:
        """``K``, the number of looks of the schedule (None when unbounded)."""
        return None if self.max_runs is None else len(self.schedule())

    def look_delta(self, k: int, delta: float) -> float:
        """The level of look ``k`` (from 1): ``delta / K``, or ``delta / (k (k + 1))`` when
        the schedule is unbounded; with ``first_share = s``: ``s delta`` at look 1 and
        ``(1 - s) delta / (K - 1)`` (unbounded: ``(1 - s) delta / ((k - 1) k)``) after it.
        These sum to at most ``delta`` over all looks."""
        k = _check_int(k, "k", 1)
        K = self.looks
        if K is not None and k > K:
            raise ValueError(f"k must be <= K = {K} (the schedule's looks); got {k}")
        s = self.first_share
        if s is None:
            return delta / K if K is not None else delta / (k * (k + 1))
        if k == 1:
            return delta if K == 1 else s * delta
        return (1 - s) * delta / (K - 1) if K is not None else (1 - s) * delta / ((k - 1) * k)

    def describe_levels(self) -> str:
        """The looks' levels in words, for a row's ``sampling`` line."""
        K = self.looks
        if self.first_share is None or K == 1:
            return f"{K} looks at delta/{K}" if K is not None else "look k at delta/(k(k+1))"
        s = self.first_share
        if K is None:
            return f"look 1 at {s:g} delta, look k at {1 - s:g} delta/((k-1)k)"
        return f"{K} looks: {s:g} delta at look 1, {1 - s:g} delta/{K - 1} at each later one"


# ------------------------------------------------------------------------------ thresholds


@dataclass(frozen=True)
class Threshold:
    """One claim read off the interval: "``E X <= bound``" (``upper``), "``E X >= bound``"
    (``lower``) or "``|E X - bound| <= tol``" (``equal``, ``bound`` the target)."""

    bound: float
    side: Side = "upper"
    tol: float = 0.0

    def __post_init__(self) -> None:
        if self.side not in SIDES:
            raise ValueError(f"side must be one of {SIDES}; got {self.side!r}")
        object.__setattr__(self, "bound", _check_real(self.bound, "bound"))
        t = _check_real(self.tol, "tol")
        object.__setattr__(self, "tol", t)
        if t < 0:
            raise ValueError(f"tol must be >= 0; got {self.tol}")
        if self.side != "equal" and t != 0:
            raise ValueError(f"tol is only for side='equal'; got tol={t} with side={self.side!r}")

    def decide(self, lower: float, upper: float) -> Outcome:
        """The engine's three-outcome rule on ``[lower, upper]``."""
        return _OUTCOME[int(_decide_codes(lower, upper, self))]  # type: ignore[return-value]


def _decide_codes(lower: Any, upper: Any, th: Threshold) -> np.ndarray:
    """Vectorised rule: +1 pass, -1 fail, 0 inconclusive (as in :func:`theory.engine._decide`
    and :func:`theory.engine.judge_within`)."""
    lower, upper = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
    b = th.bound
    if th.side == "upper":
        ok, bad = upper <= b, lower > b
    elif th.side == "lower":
        ok, bad = lower >= b, upper < b
    else:
        ok = (b - th.tol <= lower) & (upper <= b + th.tol)
        bad = (upper < b - th.tol) | (lower > b + th.tol)
    return np.where(ok, 1, np.where(bad, -1, 0)).astype(np.int8)


def _edge_refuted(estimate: Any, lower: Any, upper: Any, side: Side, factor: float) -> np.ndarray:
    """Vectorised :func:`theory.engine.edge_control`: refuted iff ``lower > f * est`` (upper),
    ``upper < est / f`` (lower), or the interval excludes ``f * est`` (equal)."""
    est = np.asarray(estimate, dtype=float)
    lower, upper = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
    if side == "upper":
        return lower > factor * est
    if side == "lower":
        return upper < est / factor
    b = factor * est
    return (upper < b) | (lower > b)


def _as_threshold(item: Any, name: str) -> Threshold:
    if isinstance(item, Threshold):
        return item
    if isinstance(item, tuple) and len(item) == 2:
        return Threshold(item[0], item[1])
    if isinstance(item, tuple) and len(item) == 3 and item[1] == "equal":
        return Threshold(item[0], "equal", item[2])
    raise ValueError(
        f"{name} items must be Threshold, (bound, 'upper'|'lower') or (target, 'equal', tol); "
        f"got {item!r}"
    )


def _statement(bound: Any, side: Any, target: Any, tol: Any) -> Threshold:
    if side not in SIDES:
        raise ValueError(f"side must be one of {SIDES}; got {side!r}")
    if side == "equal":
        if target is None or tol is None:
            raise ValueError("side='equal' needs target and tol (|E X - target| <= tol)")
        if bound is not None:
            raise ValueError("side='equal' takes target and tol, not bound; got bound too")
        return Threshold(_check_real(target, "target"), "equal", _check_real(tol, "tol"))
    if bound is None:
        raise ValueError(f"side={side!r} needs a finite bound; got None")
    if target is not None or tol is not None:
        raise ValueError("target and tol are only for side='equal'")
    return Threshold(_check_real(bound, "bound"), side)


# ------------------------------------------------------------------------------ look intervals


def _mean_radius(n: Any, var: Any, delta: Any, width: float) -> tuple[np.ndarray, np.ndarray]:
    r"""Vectorised radius of the Hoeffding / empirical-Bernstein part of
    :func:`theory.stats.mean_bounds` at level ``delta`` per side: ``r = min(w sqrt(log(3/delta)
    / 2n), sqrt(2 V log(6/delta) / n) + 7 w log(6/delta) / (3 (n - 1)))`` (each at
    ``delta / 3``), and where the second is the smaller.  ``mean_bounds`` also takes the
    betting bound (at the third ``delta / 3``) where it is tighter, so a run's interval is
    never wider than this: predictions built on it are conservative in runs.  The tests check
    the level of this part by vectorised simulation and of the whole rule, bet included, by
    running :func:`sequential_mean` itself."""
    n = np.asarray(n, dtype=float)
    delta = np.asarray(delta, dtype=float)
    h = width * np.sqrt(np.log(3.0 / delta) / (2.0 * n))
    L = np.log(6.0 / delta)
    v = np.maximum(np.asarray(var, dtype=float), 0.0)
    b = np.sqrt(2.0 * v * L / n) + 7.0 * width * L / (3.0 * (n - 1.0))
    return np.minimum(h, b), b < h


def _mean_ends(
    n: Any, mean: Any, var: Any, delta: Any, lo: float, hi: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised :func:`theory.stats.mean_bounds`: ``(max(lo, mean - r), min(hi, mean + r),
    bernstein)`` from the sample size, mean and unbiased variance (:func:`_mean_radius`)."""
    r, bern = _mean_radius(n, var, delta, hi - lo)
    mean = np.asarray(mean, dtype=float)
    return np.maximum(lo, mean - r), np.minimum(hi, mean + r), bern


def _cp_ends(k: Any, n: Any, delta: Any) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised :func:`theory.stats.binomial_bounds`: one-sided Clopper-Pearson bounds at
    level ``delta`` each, ``lower = Beta^-1(delta; k, n-k+1)`` (0 at k = 0) and ``upper =
    Beta^-1(1 - delta; k+1, n-k)`` (1 at k = n)."""
    from scipy.stats import beta

    k, n, delta = np.broadcast_arrays(
        np.asarray(k, dtype=float), np.asarray(n, dtype=float), np.asarray(delta, dtype=float)
    )
    lo = np.where(k == 0, 0.0, beta.ppf(delta, np.maximum(k, 1), n - k + 1))
    hi = np.where(k == n, 1.0, beta.ppf(1 - delta, k + 1, np.maximum(n - k, 1)))
    return lo, hi


def _sign_rank(R: int, delta: float) -> int:
    """The order statistic of the sign test: the largest ``j`` with ``P(Bin(R, 1/2) <= j - 1)
    <= delta`` (0 when none): ``d_(j)`` is the lower bound, ``d_(R+1-j)`` the upper one."""
    from scipy.stats import binom

    ok = np.nonzero(binom.cdf(np.arange(R), R, 0.5) <= delta)[0]
    return int(ok[-1]) + 1 if ok.size else 0


def _first_stop(decided: np.ndarray) -> np.ndarray:
    """Per row of a ``(reps, K)`` boolean array, the first look index that is True, else -1."""
    decided = np.asarray(decided, dtype=bool)
    first = np.argmax(decided, axis=-1)
    return np.where(decided.any(axis=-1), first, -1)


# ------------------------------------------------------------------------------ a custom look


@dataclass(frozen=True)
class LoopResult:
    """What :func:`sequential_loop` did: ``runs`` drawn in ``batches`` batches (the seeds in
    ``seeds``), ``looks`` = K of the schedule (None when unbounded), ``delta_k`` = the level
    of the last look, ``stop_reason`` as in :class:`SequentialResult`."""

    runs: int
    batches: int
    looks: int | None
    delta_k: float
    stop_reason: StopReason
    seeds: tuple[int, ...]
    budget: Budget

    def replay_budget(self) -> Budget:
        """A budget that replays this run exactly (no clock, stopping after the same batch)."""
        return replace(self.budget, max_seconds=None, max_batches=self.batches)

    def describe(self, what: str = "runs") -> str:
        """One line for a row's ``extra["sampling"]``."""
        cap = self.budget.max_runs
        return (
            f"sequential: {self.runs} {what} in {self.batches} batch(es), stopped: "
            f"{self.stop_reason} (max {cap}"
            + (
                f", {self.budget.max_seconds:g} {self.budget.clock} s"
                if self.budget.max_seconds
                else ""
            )
            + f"; {self.budget.describe_levels()})"
        )


def sequential_loop(
    draw: Callable[[int, int], None],
    look: Callable[[float], bool],
    *,
    budget: Budget,
    seed: int,
) -> LoopResult:
    r"""The schedule of :func:`sequential_mean` for a check that reads several quantities per
    run (columns, a conditioned sub-sample, several readings of one chain).

    ``draw(b, seed_k)`` draws batch ``k`` (``b`` runs, its own seed derived from ``seed`` and
    ``k``) and keeps it (a closure); ``look(share)`` computes every interval the check needs
    on all data so far, **each at level** ``share * delta`` per side (``delta``: the check's
    own level), and returns True when every verdict the check waits for is decided.  The loop
    stops at the first such look, or when the budget is spent.  ``share`` is ``1 / K`` (the
    schedule's ``K`` looks are fixed by the budget before any data), or ``1 / (k (k + 1))``
    when the schedule is unbounded; :attr:`LoopResult.delta_k` is the last look's share.

    Validity is the module's union bound: an end computed at ``share * delta`` at every look
    holds at all looks at once with probability ``>= 1 - delta``, whatever stopped the loop.
    Quantities read at the same look share nothing: each holds at ``delta`` on its own, and a
    family of ``m`` quantities that must hold *jointly* divides by ``m`` itself (Bonferroni).
    A sub-sample selected run by run by an event fixed before the data (A1 at a pilot's alpha)
    is i.i.d. from the conditional law given which runs were kept, so its interval holds
    conditionally on the selection, hence unconditionally."""
    if not callable(draw) or not callable(look):
        raise ValueError("draw and look must be callables: draw(runs, seed), look(delta_k)")
    if not isinstance(budget, Budget):
        raise ValueError(f"budget must be a Budget; got {type(budget).__name__}")
    seed = _check_seed(seed)
    K = budget.looks
    clock = CLOCKS[budget.clock]
    t0 = clock()
    runs, seeds = 0, []
    reason: StopReason = "max_runs"
    frac = 1.0
    for k, b in enumerate(budget.batch_sizes(), start=1):
        if k > 1:
            if budget.max_batches is not None and k > budget.max_batches:
                reason = "max_batches"
                break
            if budget.max_seconds is not None:
                spent = clock() - t0
                if spent + spent / runs * b > budget.max_seconds:
                    reason = "max_seconds"
                    break
        s = derive_seed(seed, "sequential batch", k)
        draw(b, s)
        runs += b
        seeds.append(s)
        frac = budget.look_delta(k, 1.0)
        if look(frac):
            reason = "decided"
            break
    return LoopResult(runs, len(seeds), K, frac, reason, tuple(seeds), budget)


# ------------------------------------------------------------------------------ results


@dataclass(frozen=True)
class Look:
    """One look: after batch ``batch``, ``runs`` values, the interval at level ``delta``."""

    batch: int
    runs: int
    delta: float
    estimate: float
    lower: float
    upper: float
    outcome: Outcome
    edge_refuted: bool | None = None


@dataclass(frozen=True)
class SequentialResult:
    """What a sequential check did and found.

    ``interval``: the final anytime-valid interval (``delta`` = the per-side level of the whole
    sequence, ``n`` = runs used, ``finite_sample=True``; for a sign test over several columns,
    the deciding column's, as :func:`theory.engine.judge_paired` picks it); ``outcome``: the
    statement's verdict on it; ``runs``, ``batches`` (= the batch at which it stopped,
    :attr:`stopped_at`); ``stop_reason``: ``decided``, ``max_runs``, ``max_seconds`` or
    ``max_batches``; ``decided_at``: the first batch at which the statement was decided (None
    if never); ``seeds``: each batch's seed (replay); ``also_outcomes``: the verdict of each
    ``also`` threshold on the final interval; ``edge_refuted``: the edge control on it (None
    without ``edge``); ``intervals``: one per column; ``history``: every look.
    """

    kind: Literal["mean", "proportion", "sign"]
    interval: Interval
    outcome: Outcome
    statement: Threshold
    runs: int
    batches: int
    stop_reason: StopReason
    decided_at: int | None
    seeds: tuple[int, ...]
    delta: float
    budget: Budget
    also: tuple[Threshold, ...] = ()
    also_outcomes: tuple[Outcome, ...] = ()
    edge: float | None = None
    edge_refuted: bool | None = None
    intervals: tuple[Interval, ...] = ()
    history: tuple[Look, ...] = field(default=(), repr=False)

    @property
    def stopped_at(self) -> int:
        """The batch (from 1) after which the loop stopped."""
        return self.batches

    @property
    def edge_bound(self) -> float | None:
        """The edge control's threshold at the final look (``edge * estimate``, or
        ``estimate / edge`` for a lower bound); None without ``edge``."""
        if self.edge is None:
            return None
        est = self.interval.estimate
        return est / self.edge if self._edge_side == "lower" else est * self.edge

    @property
    def _edge_side(self) -> Side:
        return "lower" if self.kind == "sign" else self.statement.side

    def replay_budget(self) -> Budget:
        """A budget that replays this run exactly (same schedule and levels, no clock, stopping
        after the same batch): ``sequential_*(same sampler and arguments, budget=this)``."""
        return replace(self.budget, max_seconds=None, max_batches=self.batches)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def detectable(
    result: SequentialResult | Interval,
    bound: float | None = None,
    side: Side | None = None,
    tol: float | None = None,
) -> float | None:
    r"""The detectable discrepancy of the final interval, as in :mod:`theory.engine`.

    With ``r`` = ``interval.radius``: ``(b + 2r) / b`` for "``E X <= b``", ``(b - 2r) / b`` for
    "``E X >= b``" (None at ``b = 0``), ``tol + 2r`` (absolute) for an equivalence; for a sign
    test, the width ``upper - lower`` of the deciding interval (as ``judge_paired``; None when
    infinite).  ``bound``/``side``/``tol`` default to the result's statement.

    Why it holds sequentially: let ``E X >= b + 2r``, with ``r`` the radius of this result's
    interval, i.e. of the look ``tau`` at which this run stopped, and run the same budget on
    that law.  The statement is inconclusive until it is decided, so the run reaches look
    ``tau`` unless it stops before with a verdict.  On the event that the upper end holds at
    every look (probability ``>= 1 - delta``) no look passes (``U_k >= E X > b``), and at look
    ``tau`` ``m >= E X - r'`` (``r'`` the radius there), so ``L = m - r' >= E X - 2r' >= b``
    when ``r' <= r``: it says fail by look ``tau``.  ``r' <= r`` holds exactly for Hoeffding
    (a function of ``n``), and at the observed variance for empirical Bernstein, as in the
    engine.  Lower bounds likewise; for the sign test, with the median at ``-w``, ``U = L + w'
    <= -w + w' < 0`` on the event that the lower end holds.
    """
    if isinstance(result, SequentialResult):
        iv = result.interval
        if result.kind == "sign" and bound is None:
            w = iv.upper - iv.lower
            return float(w) if math.isfinite(w) else None
        th = result.statement
        bound = th.bound if bound is None else bound
        side = th.side if side is None else side
        tol = th.tol if tol is None else tol
    else:
        iv = result
        if bound is None or side is None:
            raise ValueError("detectable(interval, ...) needs bound and side")
    if side not in SIDES:
        raise ValueError(f"side must be one of {SIDES}; got {side!r}")
    r = iv.radius
    if not math.isfinite(r):
        return None
    if side == "equal":
        return float((tol or 0.0) + 2 * r)
    b = _check_real(bound, "bound")
    if b == 0:
        return None
    return (b + 2 * r) / b if side == "upper" else (b - 2 * r) / b


# ------------------------------------------------------------------------------ the loop


def _loop(
    draw: Callable[[int, int], Any],
    ends: Callable[[float], tuple[list[Interval], int, Outcome]],
    *,
    kind: Literal["mean", "proportion", "sign"],
    statement: Threshold,
    also: tuple[Threshold, ...],
    edge: float | None,
    delta: float,
    budget: Budget,
    seed: int,
) -> SequentialResult:
    """Draw batches on the budget's schedule; after each, ``ends(delta_k)`` gives the look's
    intervals, the deciding one and the statement's outcome; stop at the first look where the
    statement and every ``also`` are decided and (with ``edge``) the edge refuted."""
    if not isinstance(budget, Budget):
        raise ValueError(f"budget must be a Budget; got {type(budget).__name__}")
    edge_side: Side = "lower" if kind == "sign" else statement.side
    clock = CLOCKS[budget.clock]
    t0 = clock()
    runs, seeds, history = 0, [], []
    decided_at: int | None = None
    reason: StopReason = "max_runs"
    ivs: list[Interval] = []
    iv: Interval | None = None
    i, dk = 0, delta
    outcome: Outcome = "inconclusive"
    also_out: tuple[Outcome, ...] = ()
    refuted: bool | None = None
    for k, b in enumerate(budget.batch_sizes(), start=1):
        if k > 1:
            if budget.max_batches is not None and k > budget.max_batches:
                reason = "max_batches"
                break
            if budget.max_seconds is not None:
                spent = clock() - t0
                if spent + spent / runs * b > budget.max_seconds:
                    reason = "max_seconds"
                    break
        s = derive_seed(seed, "sequential batch", k)
        draw(b, s)
        runs += b
        seeds.append(s)
        dk = budget.look_delta(k, delta)
        ivs, i, outcome = ends(dk)
        iv = ivs[i]
        also_out = tuple(t.decide(iv.lower, iv.upper) for t in also)
        refuted = (
            None
            if edge is None
            else bool(_edge_refuted(iv.estimate, iv.lower, iv.upper, edge_side, edge))
            # judge_paired makes no edge row for a median <= 0: it cannot be refuted
            and (kind != "sign" or 0 < iv.estimate < math.inf)
        )
        history.append(Look(k, runs, dk, iv.estimate, iv.lower, iv.upper, outcome, refuted))
        if decided_at is None and outcome != "inconclusive":
            decided_at = k
        if (
            outcome != "inconclusive"
            and all(o != "inconclusive" for o in also_out)
            and (refuted is not False or outcome == "fail")
        ):
            reason = "decided"
            break
    assert iv is not None  # the first batch is always drawn

    where = budget.describe_levels()
    finals = tuple(
        Interval(
            v.estimate,
            v.lower,
            v.upper,
            delta / len(ivs),  # per side, per column (Bonferroni over a sign test's columns)
            f"sequential {v.method}, stopped at look {len(seeds)} (union bound: {where})",
            v.n,
            True,
        )
        for v in ivs
    )
    return SequentialResult(
        kind=kind,
        interval=finals[i],
        outcome=outcome,
        statement=statement,
        runs=runs,
        batches=len(seeds),
        stop_reason=reason,
        decided_at=decided_at,
        seeds=tuple(seeds),
        delta=delta,
        budget=budget,
        also=also,
        also_outcomes=also_out,
        edge=edge,
        edge_refuted=refuted,
        intervals=finals,
        history=tuple(history),
    )


def _batch(x: Any, runs: int, name: str, *, columns: bool = False) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if columns and x.ndim == 2 and x.shape[0] == runs and x.shape[1] >= 1:
        pass
    elif x.shape != (runs,):
        want = f"({runs},) or ({runs}, m)" if columns else f"({runs},)"
        raise ValueError(f"{name}(runs, seed) must return shape {want}; got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} must return finite values; got NaN or inf")
    return x


def _common(
    sample: Any, budget: Any, delta: Any, seed: Any, also: Any, edge: Any
) -> tuple[float, int, tuple[Threshold, ...], float | None]:
    if not callable(sample):
        raise ValueError("sample must be callable as sample(runs, seed) -> array")
    if not isinstance(budget, Budget):
        raise ValueError(f"budget must be a Budget; got {type(budget).__name__}")
    if isinstance(also, (str, Threshold)) or not isinstance(also, Sequence):
        raise ValueError(f"also must be a sequence of thresholds; got {also!r}")
    return (
        _check_delta(delta),
        _check_seed(seed),
        tuple(_as_threshold(t, "also") for t in also),
        _check_factor(edge),
    )


def sequential_mean(
    sample: Callable[[int, int], Any],
    *,
    lo: float,
    hi: float,
    bound: float | None = None,
    side: Side = "upper",
    delta: float = ASSERTION_DELTA,
    budget: Budget,
    seed: int,
    tol: float | None = None,
    target: float | None = None,
    also: Sequence[Threshold | tuple[Any, ...]] = (),
    edge: float | None = None,
) -> SequentialResult:
    r"""Sample ``X`` in ``[lo, hi]`` until "``E X <= bound``" (``side="upper"``), "``E X >=
    bound``" (``lower``) or "``|E X - target| <= tol``" (``equal``) is decided.

    Batch ``k`` is ``sample(b_k, derive_seed(seed, "sequential batch", k))`` (``b_k`` from
    ``budget``); look ``k`` forms ``[L_k, U_k] =`` :func:`theory.stats.mean_bounds` of all
    ``n_k`` values so far at ``delta_k =`` :meth:`Budget.look_delta`: per side the tightest of
    the Hoeffding radius ``w sqrt(log(3/delta_k) / 2 n_k)``, the empirical-Bernstein radius
    ``sqrt(2 V_k log(6/delta_k) / n_k) + 7 w log(6/delta_k) / (3 (n_k - 1))`` (``w = hi - lo``,
    ``V_k`` the unbiased sample variance) and the betting bound
    (:func:`theory.stats.betting_lower_bound`), each at ``delta_k / 3``.  Validity: for each
    fixed ``n_k``, ``P(E X > U_k) <= 3 (delta_k / 3)`` (Hoeffding 1963, Maurer & Pontil 2009,
    Thm 4, Waudby-Smith & Ramdas 2023: the tightest errs only if one of them does), and
    ``sum_k delta_k <= delta`` gives ``P(exists k: E X > U_k) <= delta`` (union bound over the
    looks: the stitching of Howard et al. 2021 with finite horizon); the same for ``L_k``.
    Hence the stopping look's interval holds at ``delta`` per side whatever made it stop.

    It stops at the first look where the statement is decided (engine rule), every ``also``
    threshold is decided, and -- with ``edge``, unless the statement failed -- the edge control
    is refuted (see the module docstring); or when the budget ends.  Returns a :class:`SequentialResult` whose
    ``interval`` ``judge`` / ``judge_within`` consume unchanged (``delta`` per side).
    """
    statement = _statement(bound, side, target, tol)
    delta, seed, also_t, edge = _common(sample, budget, delta, seed, also, edge)
    lo, hi = _check_real(lo, "lo"), _check_real(hi, "hi")
    if not hi > lo:
        raise ValueError(f"the range must satisfy hi > lo; got lo={lo}, hi={hi}")
    slack = 1e-9 * (hi - lo)
    kept: list[np.ndarray] = []

    def draw(b: int, s: int) -> None:
        x = _batch(sample(b, s), b, "sample")
        if x.min() < lo - slack or x.max() > hi + slack:
            raise ValueError(
                f"sample must return values in the declared range [lo, hi] = [{lo}, {hi}]; "
                f"got [{x.min()}, {x.max()}]"
            )
        kept.append(np.clip(x, lo, hi))

    def ends(dk: float) -> tuple[list[Interval], int, Outcome]:
        iv = mean_bounds(np.concatenate(kept), lo=lo, hi=hi, delta=dk)
        return [iv], 0, statement.decide(iv.lower, iv.upper)

    return _loop(
        draw,
        ends,
        kind="mean",
        statement=statement,
        also=also_t,
        edge=edge,
        delta=delta,
        budget=budget,
        seed=seed,
    )


def sequential_proportion(
    sample: Callable[[int, int], Any],
    *,
    bound: float | None = None,
    side: Side = "upper",
    delta: float = ASSERTION_DELTA,
    budget: Budget,
    seed: int,
    tol: float | None = None,
    target: float | None = None,
    also: Sequence[Threshold | tuple[Any, ...]] = (),
    edge: float | None = None,
) -> SequentialResult:
    r"""Sample Bernoulli outcomes (``sample(runs, seed)`` returns 0/1 or booleans) until "``p
    <= bound``" (an A1 cell: ``p_fail <= eps``), "``p >= bound``" or "``|p - target| <= tol``"
    is decided.

    Look ``k`` with ``s_k`` successes in ``n_k`` runs forms the one-sided Clopper-Pearson bounds
    at ``delta_k`` each: ``L_k = Beta^{-1}(delta_k; s_k, n_k - s_k + 1)`` (0 if ``s_k = 0``),
    ``U_k = Beta^{-1}(1 - delta_k; s_k + 1, n_k - s_k)`` (1 if ``s_k = n_k``) --
    :func:`theory.stats.binomial_bounds` at ``delta_k``.  Validity: each is an exact level
    ``delta_k`` bound at a fixed ``n_k`` (Clopper & Pearson 1934: ``P(p > U_k) <= delta_k``),
    and the union over the looks (``sum delta_k <= delta``) makes each end hold at ``delta``
    uniformly, so at the stopping look.  Stopping rule, ``also`` and ``edge`` as in
    :func:`sequential_mean`.  With 0 failures a pass of ``p <= eps`` needs ``n_k >=
    log(1/delta_k) / -log(1 - eps)`` (317 at ``eps = 0.05``, ``delta = 2e-6``, ``K = 22``; 256
    for one fixed look).
    """
    statement = _statement(bound, side, target, tol)
    delta, seed, also_t, edge = _common(sample, budget, delta, seed, also, edge)
    st = {"n": 0, "k": 0}

    def draw(b: int, s: int) -> None:
        x = _batch(sample(b, s), b, "sample")
        if not np.all((x == 0) | (x == 1)):
            raise ValueError("sample must return Bernoulli outcomes (0/1 or booleans)")
        st["n"] += b
        st["k"] += int(x.sum())

    def ends(dk: float) -> tuple[list[Interval], int, Outcome]:
        iv = binomial_bounds(st["k"], st["n"], delta=dk)
        return [iv], 0, statement.decide(iv.lower, iv.upper)

    return _loop(
        draw,
        ends,
        kind="proportion",
        statement=statement,
        also=also_t,
        edge=edge,
        delta=delta,
        budget=budget,
        seed=seed,
    )


def sequential_sign(
    draw_pairs: Callable[[int, int], Any],
    *,
    delta: float = ASSERTION_DELTA,
    budget: Budget,
    seed: int,
    edge: float | None = None,
) -> SequentialResult:
    r"""Add seeds until "the median of the paired differences is > 0 (in every column)" is
    decided: the sequential version of :func:`theory.engine.sign_family`.

    ``draw_pairs(runs, seed)`` returns the differences (claim minus baseline) of ``runs`` new
    seeds, shape ``(runs,)`` or ``(runs, m)`` for ``m`` pairs judged together.  Look ``k`` with
    ``R = n_k`` seeds and ``d_(1) <= ... <= d_(R)`` in a column forms ``L = d_(j)``, ``U =
    d_(R+1-j)`` with ``j`` the largest index such that ``P(Bin(R, 1/2) <= j - 1) <= delta_k /
    m`` (``-inf``/``+inf`` when none): :func:`theory.stats.sign_test_lower` at ``delta_k / m``.
    Validity: ``d_(j) > median`` needs at most ``j - 1`` of the ``R`` i.i.d. differences at or
    below the median, each with probability ``>= 1/2`` (ties only help), so ``P(L > median) <=
    P(Bin(R, 1/2) <= j - 1) <= delta_k / m``; Bonferroni over the ``m`` columns and the union
    over the looks give each end at ``delta`` for the claim, uniformly over the looks.

    Verdict (the engine's): pass iff every column's lower end is ``> 0``, fail iff some upper
    end is ``< 0``, else inconclusive; the result's ``interval`` is the column with the lowest
    lower end (``judge_paired``'s choice), ``intervals`` all columns (each at ``delta / m``).
    ``edge`` (``judge_paired`` uses the engine edge, 0.8): "the median of that column is at least ``1/edge``
    times its observed value", refuted iff the median is > 0 and its upper end ``< median /
    edge``; with it the loop also waits for the edge to be refuted (unless the claim failed).  With ``R`` seeds nothing can be decided before
    ``2^-R <= delta_k / m`` (``R >= 24`` at ``delta = 2e-6``, ``K = 22``, ``m = 1``): start
    ``first_batch`` there.
    """
    statement = Threshold(0.0, "lower")
    delta, seed, _, edge = _common(draw_pairs, budget, delta, seed, (), edge)
    chunks: list[np.ndarray] = []

    def draw(b: int, s: int) -> None:
        x = _batch(draw_pairs(b, s), b, "draw_pairs", columns=True)
        x = x.reshape(b, -1)
        if chunks and x.shape[1] != chunks[0].shape[1]:
            raise ValueError(
                f"draw_pairs must return the same number of columns every batch; got "
                f"{x.shape[1]} after {chunks[0].shape[1]}"
            )
        chunks.append(x)

    def ends(dk: float) -> tuple[list[Interval], int, Outcome]:
        d = np.concatenate(chunks, axis=0)
        m = d.shape[1]
        ivs = []
        for c in range(m):
            col = d[:, c]
            lower = sign_test_lower(col, dk / m)
            upper = -sign_test_lower(-col, dk / m)
            ivs.append(Interval(float(np.median(col)), lower, upper, dk / m, "sign test", col.size))
        if all(v.lower > 0 for v in ivs):
            outcome: Outcome = "pass"
        elif any(v.upper < 0 for v in ivs):
            outcome = "fail"
        else:
            outcome = "inconclusive"
        worst = min(range(m), key=lambda c: ivs[c].lower)
        return ivs, worst, outcome

    return _loop(
        draw,
        ends,
        kind="sign",
        statement=statement,
        also=(),
        edge=edge,
        delta=delta,
        budget=budget,
        seed=seed,
    )


# ------------------------------------------------------------------------------ sample size


def expected_runs(
    mean: float,
    bound: float,
    *,
    sd: float,
    lo: float = 0.0,
    hi: float = 1.0,
    side: Literal["upper", "lower"] = "upper",
    delta: float = ASSERTION_DELTA,
    budget: Budget | None = None,
) -> int | None:
    r"""The typical number of runs :func:`sequential_mean` draws on "``E X <= bound``"
    (``lower``: ``>=``) when ``E X = mean`` and ``sd(X) = sd``.

    Returns ``min { n_k : the rule decides on [max(lo, mean - r_k), min(hi, mean + r_k)] }``
    over the budget's looks, with ``r_k`` the radius of :func:`sequential_mean` at ``delta / K``
    evaluated at the population variance ``V = sd^2`` (the sample variance, to first order);
    None when no look decides (a run at this distance is inconclusive at ``max_runs``).  This is
    a plug-in, not a simulation: a real run stops at this look or a neighbour, because the
    sample mean moves by ``sd / sqrt(n)``, a fraction of ``r_k`` there (the test suite checks
    the median of simulated runs is within one look).  Default budget: ``Budget()``
    (``first_batch = 100``, ``growth = 1.5``, ``max_runs = 10^6``).
    """
    budget = Budget() if budget is None else budget
    if budget.max_runs is None:
        raise ValueError("budget.max_runs must be set for expected_runs (a finite schedule)")
    mean, bound, sd = _check_real(mean, "mean"), _check_real(bound, "bound"), _check_real(sd, "sd")
    lo, hi = _check_real(lo, "lo"), _check_real(hi, "hi")
    delta = _check_delta(delta)
    if not hi > lo:
        raise ValueError(f"the range must satisfy hi > lo; got lo={lo}, hi={hi}")
    if not lo <= mean <= hi or not 0 <= sd <= (hi - lo) / 2:
        raise ValueError(f"need lo <= mean <= hi and 0 <= sd <= (hi - lo)/2; got {mean}, {sd}")
    if side not in ("upper", "lower"):
        raise ValueError(f"side must be 'upper' or 'lower'; got {side!r}")
    ns = np.asarray(budget.schedule(), dtype=float)
    lower, upper, _ = _mean_ends(ns, mean, sd * sd, delta / ns.size, lo, hi)
    codes = _decide_codes(lower, upper, Threshold(bound, side))
    k = int(_first_stop(codes != 0))
    return None if k < 0 else int(ns[k])


def _fixed_runs(gap: float, sd: float, delta: float, width: float = 1.0) -> int:
    """Smallest n whose one-look radius at ``delta`` (:func:`theory.stats.mean_bounds` at
    variance ``sd^2``) is below ``gap``: what a plan that knew the gap would draw."""
    a, b = 2, 2
    while float(_mean_radius(b, sd * sd, delta, width)[0]) >= gap:
        a, b = b, 2 * b
    while b - a > 1:  # the radius decreases in n
        c = (a + b) // 2
        a, b = (a, c) if float(_mean_radius(c, sd * sd, delta, width)[0]) < gap else (c, b)
    return b


def _table(sd: float = 0.1, delta: float = ASSERTION_DELTA) -> list[tuple[float, Any, int]]:
    b = 0.5
    out = []
    for gap in (0.3, 0.1, 0.03, 0.01, 0.003, 0.001):
        out.append(
            (gap, expected_runs(b - gap, b, sd=sd, delta=delta), _fixed_runs(gap, sd, delta))
        )
    return out


if __name__ == "__main__":  # pragma: no cover - the docstring's table
    print("|E X - b|   sequential runs   fixed-n runs at delta (X in [0, 1], sd = 0.1)")
    for gap, seq, fixed in _table():
        print(f"{gap:8g}   {seq if seq is not None else 'inconclusive':>15}   {fixed:>10}")


__all__ = [
    "SIDES",
    "Budget",
    "Look",
    "LoopResult",
    "SequentialResult",
    "Threshold",
    "detectable",
    "expected_runs",
    "sequential_loop",
    "sequential_mean",
    "sequential_proportion",
    "sequential_sign",
]
