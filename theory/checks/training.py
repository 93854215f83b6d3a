r"""Checks of the Section 5 statements (``theory/statements/training.py``): pure functions
``check(ctx, case) -> list[CheckResult]`` on the authors' protocol (notebook
``Figures_3_4.ipynb``: Xavier-uniform with the ReLU gain as the baseline, ``improved_init``,
inputs ``(x - 0.5)/0.5``, SGD lr 0.01, batch 500) on scikit-learn's digits.

**Statistics.**  Every claim compares paired runs: run r of every (init, depth) shares its seed
``ctx.seed("training", r)`` -- the init batch, the minibatch order and the Xavier draws (the
authors' init starts from the same Xavier weights).  A claim "median of the paired differences
d > 0" is decided by the exact distribution-free sign test
(:func:`theory.stats.sign_test_lower`, assumes only i.i.d. seeds), each end at level
``ASSERTION_DELTA / k`` for a claim over k pairs (Bonferroni within the claim):

* **pass**: every pair's lower confidence bound of the median is > 0;
* **fail**: some pair's upper bound is < 0 (evidence of the opposite);
* **inconclusive**: neither.

A control (a false variant with its own runs) is *refuted* iff the same rule says fail for it,
each end at ``CONTROL_DELTA = RUN_BUDGET`` (1e-3) instead of 2e-6 (a control's delta bounds a
wrong *refutation*, which is not part of the false-fail budget).  The **edge control** of each
claim: "the median of the worst pair is at least ``1/EDGE`` = 1.25 times its observed value"
(:data:`theory.engine.SIGN_EDGE` = ``EDGE`` = 0.8), refuted iff that pair's upper end, at the
controls' level ``CONTROL_DELTA`` like every control's, is below that
(:func:`theory.engine.edge_upper`; at the claim's 2e-6 the sign test's upper end sits on the
largest order statistics of a few tens of seeds, and the edge alone would double the seeds).
``detectable``: the interval's width ``max - min`` (absolute).

**Seeds are added until the data decide** (:func:`until_decided`, on
:func:`theory.sequential.sequential_loop`): seeds r = 0, 1, ... in batches of ``R_1``, ``1.5
R_1``, ... up to the profile's ``max_seeds`` (a case's ``max_seeds`` only lowers it, for quick
examples); at look 1 every interval is the sign-test interval above at ``delta / 2``, at each
later look at ``delta / (2 (K - 1))`` (K looks fixed by the schedule before any data; the shares
sum to 1: a union bound over the looks, so stopping on the data keeps each end at ``delta``;
:attr:`theory.sequential.Budget.first_share`).  The loop stops at the first look where the
claim is decided, its edge control refuted and every control decided -- or at once when the
claim fails -- or when the seeds run out (then what is undecided is reported as such); each
family is judged at the share of the look it ended at.  ``R_1`` is the smallest first batch
that can decide at all: with all R signs positive the sign test's lower end is the minimum,
> 0, iff ``2^-R <= ASSERTION_DELTA / (2 k)`` (20 seeds for one pair, :func:`seed_budget`).  A
control that claims "... at every depth" is drawn one depth at a time, cheapest first, until
one refutes it (:class:`Paired`'s ``stages``).  No clock: the seed budget is the only cap, so a
ci run is deterministic.

**Training runs are stored per seed** (:func:`seed_runs`): each seed's values are one entry of the
run's cache (key: what the run depends on and the seed *index*), shared by the claims and by the
xdist workers, so a claim that adds seeds reuses every seed any claim already trained; the
missing seeds of an (init, depth) are trained together as one batched model (in practice the
values are bitwise those of the seed alone, ``tests/test_training_unit.py``).

**Device.**  The training runs on ``ctx.backend.device`` when the suite's backend is torch, else
on the CPU; rows carry ``backend="torch"``, ``dtype="float32"`` and the device they ran on.
Seeds come from ``ctx.seed`` (the salt travels in ``ctx``; nothing reads the environment).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch

from ..engine import (
    CONTROL_DELTA,
    SIGN_EDGE,
    CheckResult,
    edge_upper,
    judge_paired,
    sign_family,
)
from ..sequential import Budget, LoopResult, sequential_loop
from ..statements import training as S
from ..stats import ASSERTION_DELTA, t_interval
from ..training import (
    ABLATIONS,
    Dataset,
    TrainConfig,
    initial_gaps,
    load_digits_dataset,
    train_runs,
)

try:  # POSIX: the processes of one run train each (init, depth)'s seeds once, under a lock
    import fcntl
except ImportError:  # pragma: no cover - Windows: every process trains what it needs
    fcntl = None  # type: ignore[assignment]

DTYPE = "float32"
#: growth factor of the seed batches (R_1, 1.5 R_1, ...)
GROWTH = 1.5
#: seeds per init of the ablation table: an info row (means, no verdict), not a decision
ABLATION_SEEDS = 3

Pairs = list[tuple[str, np.ndarray]]


def device_of(ctx: Any) -> str:
    """``ctx.backend.device`` when the suite runs the torch backend, else ``"cpu"``."""
    b = ctx.backend
    return str(b.device) if b.name == "torch" else "cpu"


def labels(ctx: Any) -> dict[str, str]:
    """The labels of a training row: torch, float32, the device the runs actually used."""
    return {"backend": "torch", "dtype": DTYPE, "device": device_of(ctx)}


@functools.cache
def _data() -> Dataset:
    return load_digits_dataset("authors")


def _seeds(ctx: Any, start: int, stop: int) -> tuple[int, ...]:
    """The seeds of runs ``start .. stop - 1``: ``ctx.seed("training", r)``."""
    return tuple(ctx.seed("training", r) for r in range(start, stop))


def _threads(device: str):
    """One torch thread for small CPU matrices on a shared box (restored afterwards)."""

    class _T:
        def __enter__(self):
            self.n = torch.get_num_threads()
            if device == "cpu":
                torch.set_num_threads(1)

        def __exit__(self, *a):
            torch.set_num_threads(self.n)

    return _T()


def gaps_at_init(
    width: int, depth: int, init: str, seeds: tuple[int, ...], device: str
) -> dict[str, np.ndarray]:
    """Initial gaps of h_L per seed: ``held_out`` (Eq. 2, held-out samples), ``init_batch``
    (Eq. 2, init-batch samples), ``logits`` (the authors' logit measure)."""
    cfg = TrainConfig(width=width, epochs=0, device=device)
    with _threads(device):
        g = [initial_gaps(_data(), depth, init, cfg, sd) for sd in seeds]
    return {k: np.array([x[k] for x in g]) for k in ("held_out", "init_batch", "logits")}


def trained(
    width: int, depth: int, init: str, steps: int, seeds: tuple[int, ...], device: str
) -> dict[str, np.ndarray]:
    """Per seed after ``steps`` SGD steps (lr 0.01, batch 500): ``loss`` (full training set;
    ``inf`` if diverged), ``gap0``/``gapS`` (Eq. 2 of h_L on held-out samples at init / at the
    end), ``lg0``/``lgS`` (the authors' logit gap at init / at the end)."""
    cfg = TrainConfig(width=width, steps=steps, device=device)
    with _threads(device):
        runs = train_runs(
            _data(), depth, init, cfg, list(seeds), every_epoch=False, on_divergence="record"
        )
    return {
        "loss": np.array([r.loss[-1] for r in runs]),
        "gap0": np.array([r.gap[0] for r in runs]),
        "gapS": np.array([r.gap[-1] for r in runs]),
        "lg0": np.array([r.gap_logits[0] for r in runs]),
        "lgS": np.array([r.gap_logits[-1] for r in runs]),
    }


def shared(ctx: Any, fn: Any, *args: Any) -> dict[str, np.ndarray]:
    """``fn(*args)`` computed once per run, by whichever process of the run asks first
    (:meth:`theory.engine.RunContext.cached` with ``shared=True``); the key is the function's
    name and its arguments."""
    return ctx.cached((fn.__name__, *args), lambda: fn(*args), shared=True)


# ------------------------------------------------------------------ seeds, one cache entry each


@contextlib.contextmanager
def _group_lock(ctx: Any, key: tuple[Any, ...]) -> Iterator[None]:
    """An exclusive lock on the seeds of ``key`` among the processes of one run (a file lock in
    the run's cache folder; nothing without one)."""
    folder = ctx.cache.folder
    if folder is None or fcntl is None:
        yield
        return
    where = Path(folder)
    where.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(repr((*key, ctx.backend, ctx.salt)).encode()).hexdigest()[:32]
    with open(where / f"seeds-{digest}.lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def seed_runs(
    ctx: Any,
    key: tuple[Any, ...],
    compute: Callable[[tuple[int, ...]], dict[str, np.ndarray]],
    n: int,
) -> dict[str, np.ndarray]:
    """``compute(seeds)`` (a dict of per-seed arrays) on the seeds of runs ``0 .. n - 1``, each
    seed's values one entry of the run's cache, keyed ``(*key, r)`` by the seed *index* r
    (:meth:`theory.engine.RunContext.cached`, ``shared=True``: one file per seed in the run's
    folder, read by every process of the run).

    A claim that adds seeds asks for a longer prefix: the seeds already stored (by any claim,
    in any process) are read, and the missing ones -- a suffix ``r .. n - 1``, since every
    request is a prefix -- are computed by one ``compute`` call (one batched training).  The
    processes of a run take the seeds of one ``key`` in turn (:func:`_group_lock`), so no seed is
    trained twice."""
    stash: dict[int, dict[str, np.ndarray]] = {}

    def one(r: int) -> dict[str, np.ndarray]:
        if r not in stash:  # the first missing seed: compute it and all after it at once
            vals = compute(_seeds(ctx, r, n))
            for i in range(n - r):
                stash[r + i] = {k: np.asarray(v[i : i + 1]) for k, v in vals.items()}
        return stash.pop(r)

    with _group_lock(ctx, key):
        got = [ctx.cached((*key, r), functools.partial(one, r), shared=True) for r in range(n)]
    return {k: np.concatenate([g[k] for g in got]) for k in got[0]}


def _gaps(ctx: Any, width: int, depth: int, init: str, n: int) -> dict[str, np.ndarray]:
    """:func:`gaps_at_init` on the first ``n`` seeds (:func:`seed_runs`)."""
    dev = device_of(ctx)
    return seed_runs(
        ctx,
        ("gaps_at_init", width, depth, init, dev),
        lambda s: gaps_at_init(width, depth, init, s, dev),
        n,
    )


def _trained(
    ctx: Any, case: Mapping[str, Any], init: str, depth: int, n: int
) -> dict[str, np.ndarray]:
    """:func:`trained` on the first ``n`` seeds (:func:`seed_runs`)."""
    w, steps, dev = case["width"], case["steps"], device_of(ctx)
    return seed_runs(
        ctx,
        ("trained", w, depth, init, steps, dev),
        lambda s: trained(w, depth, init, steps, s, dev),
        n,
    )


#: look 1's share of a claim's level (:func:`seed_budget`)
FIRST_LOOK_SHARE = 0.5

#: (kind, init, depth): kind "gaps" (at init, :func:`gaps_at_init`) or "trained" (:func:`trained`)
Need = tuple[str, str, int]


class Runs:
    """The runs one check reads.  :meth:`load` fetches the first ``n`` seeds of the runs asked
    for, in the order given here (the order that schedules best beside the other claims: the
    runs only this claim needs first); ``runs(kind, init, depth, n)`` is then the dict of
    per-seed arrays of the first ``n`` seeds."""

    def __init__(self, ctx: Any, case: Mapping[str, Any], *order: Need) -> None:
        self.ctx, self.case, self.order = ctx, case, order
        self.data: dict[Need, dict[str, np.ndarray]] = {}

    def load(self, n: int, needs: Iterable[Need]) -> None:
        """The first ``n`` seeds of every run in ``needs``."""
        self.load_each({x: n for x in needs})

    def load_each(self, want: Mapping[Need, int]) -> None:
        """The first ``want[x]`` seeds of each run ``x``, in the declared order."""
        if not set(want) <= set(self.order):
            raise ValueError(f"runs not declared: {sorted(set(want) - set(self.order))}")
        for kind, init, L in self.order:
            n = want.get((kind, init, L), 0)
            have = self.data.get((kind, init, L))
            if n <= 0 or (have and len(next(iter(have.values()))) >= n):
                continue
            self.data[kind, init, L] = (
                _gaps(self.ctx, self.case["width"], L, init, n)
                if kind == "gaps"
                else _trained(self.ctx, self.case, init, L, n)
            )

    def __call__(self, kind: str, init: str, depth: int, n: int) -> dict[str, np.ndarray]:
        out = {k: v[:n] for k, v in self.data[kind, init, depth].items()}
        if len(next(iter(out.values()))) < n:
            raise ValueError(
                f"only {len(next(iter(out.values())))} seeds of {kind, init, depth} loaded, not {n}"
            )
        return out


# ------------------------------------------------------------------ adding seeds until decided


def seed_budget(ctx: Any, case: Mapping[str, Any], pairs: int) -> Budget:
    """The seed schedule of a claim over ``pairs`` pairs: batches ``R_1, 1.5 R_1, ...`` up to
    the profile's ``max_seeds`` (a case's ``max_seeds`` only lowers it), no clock.

    ``R_1`` is the smallest first batch that can decide: with all R differences positive the
    sign test's lower end is the minimum (> 0) iff ``2^-R`` is at most look 1's level,
    ``ASSERTION_DELTA x first_share / pairs`` (``ASSERTION_DELTA / pairs`` when the schedule
    has one look); when no first batch can, one look of every seed (the claim is then
    inconclusive unless it fails).

    Look 1 spends :data:`FIRST_LOOK_SHARE` of the level (the later looks split the rest,
    :attr:`theory.sequential.Budget.first_share`): the claims are far from their null and
    decide at the first look when they hold, where the sign test can pass only once ``2^-R``
    is below the look's level, so a half instead of ``1/K`` saves ``log2(K/2)`` seeds of every
    run (20 instead of 22 seeds for one pair at thorough's ``K = 5``)."""
    cap = int(ctx.profile.max_seeds)
    if case.get("max_seeds") is not None:
        cap = min(cap, int(case["max_seeds"]))
    cap = max(cap, 2)
    kw = dict(max_runs=cap, max_seconds=None, growth=GROWTH, first_share=FIRST_LOOK_SHARE)
    for r in range(2, cap + 1):
        b = Budget(first_batch=r, **kw)
        if 0.5**r <= ASSERTION_DELTA * b.look_delta(1, 1.0) / pairs:
            return b
    return Budget(first_batch=cap, **kw)


@dataclass(frozen=True)
class Paired:
    """A paired family for :func:`judge_paired`: the claim (``control`` None) or a control.
    ``pairs(n)``: its (label, differences) on the first ``n`` seeds, read from the runs
    ``needs``; ``extra(n)``: what its rows add to ``extra``; ``edge``: the claim's edge factor.

    ``stages`` (controls only): the runs of each pair, in the order to draw them (cheapest
    first).  A control that claims "... at every depth" is refuted by one depth, so its pairs
    are drawn one stage at a time, within a look, until it is refuted or every stage is in;
    ``pairs(n, j)`` then gives the first ``j`` pairs, and the sign test divides by all
    ``len(stages)`` of them (Bonferroni over the family, whichever pairs were drawn: a union
    over every (pair, look) holds whatever decided which ones to compute)."""

    check: str
    pairs: Callable[..., Pairs]
    needs: tuple[Need, ...]
    control: str | None = None
    extra: Callable[..., dict[str, Any]] | None = None
    params: Mapping[str, Any] | None = None
    edge: float = SIGN_EDGE
    stages: tuple[tuple[Need, ...], ...] = ()

    def __post_init__(self) -> None:
        if self.stages:
            if self.control is None:
                raise ValueError("stages are for controls (a refutation by one pair)")
            object.__setattr__(self, "needs", tuple(x for st in self.stages for x in st))

    @property
    def columns(self) -> int | None:
        """The family's Bonferroni count when staged (every stage), else None (its pairs)."""
        return len(self.stages) if self.stages else None

    def at(self, n: int, j: int) -> Pairs:
        """Its pairs on the first ``n`` seeds (the first ``j`` stages' when staged)."""
        return self.pairs(n, j) if self.stages else self.pairs(n)

    def extra_at(self, n: int, j: int) -> dict[str, Any]:
        """What its rows add to ``extra`` on the first ``n`` seeds (and ``j`` stages)."""
        if self.extra is None:
            return {}
        return self.extra(n, j) if self.stages else self.extra(n)

    def needs_at(self, j: int) -> tuple[Need, ...]:
        """The runs of its first ``j`` stages (all of ``needs`` when not staged)."""
        return tuple(x for st in self.stages[:j] for x in st) if self.stages else self.needs


def _edge_refuted(
    fam: Sequence[tuple[str, float, float, float]], pairs: Pairs, factor: float, share: float
) -> bool:
    """:func:`judge_paired`'s edge control on a claim's family: "the median of the worst pair
    (lowest lower end) is at least ``1/factor`` times its observed value" is refuted (that
    pair's upper end at the controls' level, :func:`theory.engine.edge_upper`); True when
    there is no edge row (a median <= 0 or infinite: a diverged run counts as +inf)."""
    name, med, _, _ = min(fam, key=lambda o: o[2])
    if not (math.isfinite(med) and med > 0):
        return True
    return edge_upper(pairs, name, share) < med / factor


def _planted(case: Mapping[str, Any], claim: Paired) -> Paired:
    """The claim with a planted threshold ``b = case["planted"]`` (tests only): "median d > b",
    i.e. the differences shifted by ``-b`` (``tests/test_planted_training.py``)."""
    b = case.get("planted")
    if b is None:
        return claim
    return replace(
        claim,
        check=f"{claim.check} [planted: median > {b:.4g}]",
        pairs=lambda n: [(k, d - b) for k, d in claim.pairs(n)],
        params={**dict(claim.params or {}), "planted": b},
    )


def until_decided(
    ctx: Any,
    case: Mapping[str, Any],
    families: Sequence[Paired],
    *,
    runs: Runs,
    pairs: int,
) -> tuple[list[int], list[int], list[float], LoopResult]:
    """Add seeds (:func:`seed_budget`: batches of ``R_1``, ``1.5 R_1``, ... up to the profile's
    ``max_seeds``) until the claim ``families[0]`` is decided with its edge control refuted and
    every control (``families[1:]``) is decided -- a failing claim stops at once -- or the seeds
    run out.

    At look k (its ``share`` of the level: :meth:`theory.sequential.Budget.look_delta`) each
    family still open gets the sign-test interval of its first ``n_k`` seeds at ``share`` times
    its level (``ASSERTION_DELTA`` for the claim, ``CONTROL_DELTA`` for a control): each end
    holds at its level at all looks at once (:func:`theory.sequential.sequential_loop`), so
    each family may stop at its own look.  A staged control (:class:`Paired`) draws its pairs
    stage by stage, within a look, until it is refuted.  A family that is done (the claim
    passed with its edge refuted; a control decided) keeps the seeds and the level of that look
    and its runs are no longer extended (:meth:`Runs.load_each` of the open families' runs
    only).  Returns the seeds, the stages and the share of the level each family ended with
    (the share :func:`judge_paired` uses: the looks' shares differ), and the loop's result."""
    claim, rest = families[0], families[1:]
    if claim.control is not None or any(f.control is None for f in rest):
        raise ValueError("families[0] must be the claim and the others its controls")
    budget = seed_budget(ctx, case, pairs)
    m = len(families)
    ns, done, st = [0] * m, [False] * m, {"n": 0}
    shares = [1.0] * m
    stage = [1 if f.stages else 0 for f in families]

    def load() -> None:
        want: dict[Need, int] = {}
        for i, f in enumerate(families):
            if not done[i]:
                for x in f.needs_at(stage[i]):
                    want[x] = max(want.get(x, 0), ns[i])
        runs.load_each(want)

    def draw(b: int, _seed: int) -> None:  # the seeds are indexed: ctx.seed("training", r)
        st["n"] += b
        for i, d in enumerate(done):
            if not d:
                ns[i] = st["n"]
        load()

    def look(share: float) -> bool:
        for i, d in enumerate(done):
            if not d:
                shares[i] = share
        if not done[0]:
            pairs = claim.pairs(ns[0])
            fam, verdict = sign_family(pairs, ASSERTION_DELTA * share)
            if verdict == "fail":
                return True  # a failing claim reports at once
            done[0] = verdict == "pass" and _edge_refuted(fam, pairs, claim.edge, share)
        for i, f in enumerate(rest, start=1):
            while not done[i]:
                _, v = sign_family(f.at(ns[i], stage[i]), CONTROL_DELTA * share, columns=f.columns)
                more = bool(f.stages) and stage[i] < len(f.stages)
                done[i] = v == "fail" or (v == "pass" and not more)
                if done[i] or not more:
                    break
                stage[i] += 1  # not refuted by the pairs drawn: draw the next one, same look
                load()
        return all(done)

    res = sequential_loop(draw, look, budget=budget, seed=ctx.seed("training", "sequential"))
    return ns, stage, shares, res


def _judged(
    ctx: Any,
    statement_id: str,
    case: Mapping[str, Any],
    families: Sequence[Paired],
    *,
    runs: Runs,
    pairs: int,
    params: Mapping[str, Any],
) -> tuple[list[CheckResult], int, LoopResult]:
    """Rows of a claim and its controls after :func:`until_decided` (a test case's planted
    threshold applied to the claim): each family judged on the seeds it used, at the share of
    its level of the look it ended at, every row saying how the seeds were drawn.  Returns the
    rows, the claim's seeds and the loop's result with ``delta_k`` the claim's share."""
    families = [_planted(case, families[0]), *families[1:]]
    ns, stages, shares, res = until_decided(ctx, case, families, runs=runs, pairs=pairs)
    rows: list[CheckResult] = []
    for f, n, j, share in zip(families, ns, stages, shares):
        how = {
            "sampling": res.describe("seeds")
            + (f"; this family was done after {n} seeds" if n < res.runs else ""),
            "seed indices": f"ctx.seed('training', r), r = 0..{n - 1}",
        }
        if f.stages:
            how["pairs drawn"] = (
                f"{j} of {len(f.stages)}, cheapest first (one pair refutes the control; "
                f"each at the family's Bonferroni level over all {len(f.stages)})"
            )
        rows += judge_paired(
            ctx,
            statement_id,
            f.check,
            f.at(n, j),
            control=f.control,
            params={**dict(params), **dict(f.params or {})},
            extra={**how, **f.extra_at(n, j)},
            labels=labels(ctx),
            share=share,
            edge=f.edge if f.control is None else False,
            columns=f.columns,
        )
    return rows, ns[0], replace(res, delta_k=shares[0])


def _fin(v: float) -> float | None:
    return float(v) if v is not None and math.isfinite(v) else None


def _diff(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a - b with inf - inf (both diverged) = 0 and NaN (undefined gap) = 0: no evidence."""
    with np.errstate(invalid="ignore"):
        d = np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)
    return np.where(np.isnan(d), 0.0, d)


def _means(x: Mapping[Any, np.ndarray]) -> dict[str, float | None]:
    return {str(k): _fin(float(np.mean(v))) for k, v in x.items()}


def _params(case: Mapping[str, Any], ctx: Any, **kw: Any) -> dict[str, Any]:
    return {
        "data": "digits (sklearn, 1797 x 64, (x-0.5)/0.5)",
        "width": case["width"],
        "lr": 0.01,
        "batch": 500,
        "init batch": "3 width samples",
        "device": device_of(ctx),
        **kw,
    }


def _steps(depths: Sequence[int]) -> list[tuple[int, int]]:
    return list(zip(depths[:-1], depths[1:]))


# ------------------------------------------------------------------ claim 1: Xavier gap grows

#: The edge factor of the Xavier gap-grows claim: 0.5 ("the median is at least 2x the
#: observed"), NOT the engine's 0.8 (1.25x).  An exception, on purpose and stated in the
#: record: the worst pair, L = 15 -> 75, is where Xavier's gap saturates (0.94 -> 0.985), its
#: paired differences have median 0.0375 and quartiles 0.023 / 0.063 (400 ci seeds), and the
#: sign test needs ~850 seeds to put its upper end below 1.25 x the median (at 400 seeds:
#: 0.0506 against 0.0469), far past any profile's seed budget.  At 100 seeds the data refute
#: 1.58 x in the ci run (2 x in 20 of 20 reorderings of 400 seeds).
GAP_GROWS_EDGE = 0.5


def check_xavier_gap_grows(ctx: Any, case: Mapping[str, Any]) -> list[CheckResult]:
    """Xavier (gain sqrt 2): V(h_L) at init on held-out samples grows at each depth step
    (edge control at 2x, :data:`GAP_GROWS_EDGE`).

    Record ``training/xavier-gap-grows-with-depth``; source: Section 5.1, Fig. 4a (red curve).

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "training/xavier-gap-grows-with-depth",
        ...     {'width': 8, 'max_seeds': 2, 'steps': 2, 'depths': (2, 3)},
        ... )
    """

    depths = tuple(case["depths"])
    steps = _steps(depths)
    xav = tuple(("gaps", "xavier", L) for L in depths)
    aut = tuple(("gaps", "authors", L) for L in depths)
    runs = Runs(ctx, case, *xav, *aut)

    def g(init: str, what: str, n: int) -> dict[int, np.ndarray]:
        return {L: runs("gaps", init, L, n)[what] for L in depths}

    def grows(init: str, what: str, n: int) -> Pairs:
        x = g(init, what, n)
        return [(f"L={a}->{b}", _diff(x[b], x[a])) for a, b in steps]

    rows, _, _ = _judged(
        ctx,
        S.XAVIER_GAP_GROWS.id,
        case,
        [
            Paired(
                "Xavier: V(h_L) at init (held-out) increases at each depth step",
                lambda n: grows("xavier", "held_out", n),
                xav,
                extra=lambda n: {"gap_means": _means(g("xavier", "held_out", n))},
                edge=GAP_GROWS_EDGE,
            ),
            Paired(
                "authors' init: V(h_L) on its init batch increases at each depth step",
                lambda n: grows("authors", "init_batch", n),
                aut,
                control="authors-init-batch-grows",
                extra=lambda n: {
                    "gap_means_authors_init_batch": _means(g("authors", "init_batch", n))
                },
            ),
        ],
        runs=runs,
        pairs=len(steps),
        params=_params(case, ctx, depths=depths),
    )
    return rows


# -------------------------------------------------------- claim 2: the authors' init lowers V


def check_gap_lower(ctx: Any, case: Mapping[str, Any]) -> list[CheckResult]:
    """The authors' init: V(h_L) at init on held-out samples below Xavier's at every depth;
    init-batch and logit measures recorded (info); control: the +1/2 exponent.

    Record ``training/orthogonalization-lowers-gap``; source: Section 5.2, Eq. 6 and the notebook's improved_init; arXiv v1 App. E.

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "training/orthogonalization-lowers-gap",
        ...     {'width': 8, 'max_seeds': 2, 'steps': 2, 'depths': (2, 3)},
        ... )
    """

    depths = tuple(case["depths"])
    init = case.get("init", "authors")
    inits = ("xavier", init, "sigma-plus-half")
    need = {i: tuple(("gaps", i, L) for L in depths) for i in inits}
    runs = Runs(ctx, case, *need["xavier"], *need[init], *need["sigma-plus-half"])

    def g(i: str, what: str, n: int) -> dict[int, np.ndarray]:
        return {L: runs("gaps", i, L, n)[what] for L in depths}

    def below(i: str, n: int, what: str = "held_out") -> Pairs:
        x, y = g("xavier", what, n), g(i, what, n)
        return [(f"L={L}", _diff(x[L], y[L])) for L in depths]

    def info(n: int) -> dict[str, Any]:
        return {
            "gap_means_held_out": {i: _means(g(i, "held_out", n)) for i in inits[:2]},
            "gap_means_init_batch": {i: _means(g(i, "init_batch", n)) for i in inits[:2]},
            "logit_gap_means": {i: _means(g(i, "logits", n)) for i in inits[:2]},
        }

    p = _params(case, ctx, depths=depths, init=init)
    rows, n, res = _judged(
        ctx,
        S.ORTHO_GAP_LOWER.id,
        case,
        [
            Paired(
                f"V_xavier(h_L) - V_{init}(h_L) > 0 at init (held-out samples), every depth",
                lambda n: below(init, n),
                need["xavier"] + need[init],
                extra=info,
            ),
            Paired(
                "V_xavier(h_L) - V_sigma+1/2(h_L) > 0 at init (held-out samples), every depth",
                lambda n: below("sigma-plus-half", n),
                need["xavier"] + need["sigma-plus-half"],
                control="sigma-plus-half",
                extra=lambda n: {
                    "gap_means_held_out_sigma_plus_half": _means(
                        g("sigma-plus-half", "held_out", n)
                    )
                },
            ),
        ],
        runs=runs,
        pairs=len(depths),
        params=p,
    )
    fam, _ = sign_family(below(init, n, "init_batch"), ASSERTION_DELTA * res.delta_k)
    rows.append(
        ctx.row(
            statement_id=S.ORTHO_GAP_LOWER.id,
            check=f"info: V_xavier - V_{init} on the init batch itself (whitening fitted there)",
            verdict="info",
            measured=_fin(min(f[1] for f in fam)),
            ci_low=_fin(min(f[2] for f in fam)),
            method=f"sign test as the claim, on the init-batch samples of its {n} seeds",
            params={**p, "seeds": n},
            extra={"sampling": res.describe("seeds"), **info(n)},
            **labels(ctx),
        )
    )
    return rows


# ------------------------------------------------------- claims 3-5: losses and Fig. 4b


#: The authors-slows-too control: "rises by at least this share of Xavier's median rise".
CONTROL_SHARE = 2 / 3


def check_xavier_loss_worsens(ctx: Any, case: Mapping[str, Any]) -> list[CheckResult]:
    """Xavier: the loss after S steps increases at each depth step; control: the same for the
    authors' init (which does not slow down).

    Record ``training/xavier-loss-worsens-with-depth``; source: Section 5.1, Fig. 4a (blue curve), Fig. 5 (blue).

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "training/xavier-loss-worsens-with-depth",
        ...     {'width': 8, 'max_seeds': 2, 'steps': 2, 'depths': (2, 3)},
        ... )
    """

    depths = tuple(case["depths"])
    steps = _steps(depths)
    xav = tuple(("trained", "xavier", L) for L in depths)
    aut = tuple(("trained", "authors", L) for L in depths)
    runs = Runs(ctx, case, *xav, *aut)

    def loss(init: str, n: int) -> dict[int, np.ndarray]:
        return {L: runs("trained", init, L, n)["loss"] for L in depths}

    def rise(init: str, n: int) -> dict[tuple[int, int], np.ndarray]:
        x = loss(init, n)
        return {(a, b): _diff(x[b], x[a]) for a, b in steps}

    # The control: the authors' init slows down like Xavier -- its loss rises by at least
    # CONTROL_SHARE of Xavier's median rise on each depth step (a bound placed by the data,
    # re-placed at every look on the control's seeds).
    share = case.get("control_share", CONTROL_SHARE)

    def margin(n: int) -> dict[tuple[int, int], float]:
        return {ab: share * float(np.median(d)) for ab, d in rise("xavier", n).items()}

    def slows(n: int) -> Pairs:
        m, r = margin(n), rise("authors", n)
        return [(f"L={a}->{b}", r[a, b] - m[a, b]) for a, b in steps]

    p = _params(case, ctx, depths=depths, steps=case["steps"])
    rows, _, _ = _judged(
        ctx,
        S.XAVIER_LOSS_WORSENS.id,
        case,
        [
            Paired(
                f"Xavier: loss after {case['steps']} SGD steps increases at each depth step",
                lambda n: [(f"L={a}->{b}", d) for (a, b), d in rise("xavier", n).items()],
                xav,
                extra=lambda n: {"loss_means_xavier": _means(loss("xavier", n))},
            ),
            Paired(
                f"authors' init: loss after {case['steps']} steps rises by >= {share:.3g} x "
                "Xavier's median rise at each depth step",
                slows,
                xav + aut,
                control="authors-slows-too",
                params={"control_share": share},
                extra=lambda n: {
                    "loss_means_authors": _means(loss("authors", n)),
                    "control_margin": {f"L={a}->{b}": _fin(m) for (a, b), m in margin(n).items()},
                },
            ),
        ],
        runs=runs,
        pairs=len(steps),
        params=p,
    )
    return rows


def check_trains_faster(ctx: Any, case: Mapping[str, Any]) -> list[CheckResult]:
    """At the deepest depth: loss_xavier - loss_init > 0 after S steps (init = the authors');
    controls: the same gaps at unit-entry scale, and a weakened init; the ablation table
    (``case["ablation"]``: an info row on :data:`ABLATION_SEEDS` seeds).

    Record ``training/orthogonalization-trains-faster``; source: Section 5.2, Fig. 5.

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "training/orthogonalization-trains-faster",
        ...     {'width': 8, 'max_seeds': 2, 'steps': 2, 'depths': (2, 3)},
        ... )
    """

    L, init, depths = max(case["depths"]), case.get("init", "authors"), tuple(case["depths"])
    controls = tuple(case.get("controls", ("authors-damped",)))
    xav = tuple(("trained", "xavier", D) for D in depths)
    own = {c: tuple(("trained", c, D) for D in depths) for c in controls}
    # The runs only this claim needs come first (its controls, then the ablation inits and the
    # Eq. 6 claim's first batch): run side by side on two workers, each trains its own runs
    # while the other (the loss claim) trains the Xavier and authors' runs they share, instead
    # of one waiting on the other's lock.  No effect on any result (:func:`seed_runs`).
    runs = Runs(ctx, case, *[x for c in controls for x in own[c]], ("trained", init, L), *xav[::-1])
    if case.get("ablation"):
        # the controls' first stage (their shallowest depth): what until_decided draws first
        n1 = seed_budget(ctx, case, 1).first_batch
        runs.load(n1, [("trained", c, min(depths)) for c in controls])
        for a in ABLATIONS:  # eq6 last: the Eq. 6 claim's first batch too (it waits on it)
            if a != init:
                _trained(ctx, case, a, L, n1 if a == "eq6" else ABLATION_SEEDS)

    def loss(i: str, D: int, n: int) -> np.ndarray:
        return runs("trained", i, D, n)["loss"]

    p = _params(case, ctx, depth=L, steps=case["steps"], init=init)
    fams = [
        Paired(
            f"loss_xavier - loss_{init} after {case['steps']} SGD steps at L={L}",
            lambda n: [(f"L={L}", _diff(loss("xavier", L, n), loss(init, L, n)))],
            (("trained", "xavier", L), ("trained", init, L)),
            extra=lambda n: {
                "loss_xavier": loss("xavier", L, n).tolist(),
                f"loss_{init}": loss(init, L, n).tolist(),
            },
        )
    ]
    # A control claims "beats Xavier at every tested depth": refuted when some depth refutes it
    # (Bonferroni over the depths).  At L_max Xavier itself barely trains (the claim), so a dead
    # network can tie with it there; the depths where Xavier trains decide.  So the depths are
    # drawn shallowest (cheapest) first, the next one only while none has refuted it (stages).
    up = sorted(depths)
    for c in controls:

        def beats(n: int, j: int, c: str = c) -> Pairs:
            return [(f"L={D}", _diff(loss("xavier", D, n), loss(c, D, n))) for D in up[:j]]

        def losses(n: int, j: int, c: str = c) -> dict[str, Any]:
            return {f"loss_{c}": {str(D): [_fin(v) for v in loss(c, D, n)] for D in up[:j]}}

        fams.append(
            Paired(
                f"loss_xavier - loss_{c} > 0 after {case['steps']} steps at every L in {depths}",
                beats,
                (),
                control=c,
                params={"depths": depths},
                extra=losses,
                stages=tuple((("trained", "xavier", D), ("trained", c, D)) for D in up),
            )
        )
    rows, _, _ = _judged(ctx, S.ORTHO_TRAINS_FASTER.id, case, fams, runs=runs, pairs=1, params=p)
    if case.get("ablation"):
        rows.append(ablation_row(ctx, case))
    return rows


def ablation_table(ctx: Any, case: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per ablation init (:data:`theory.training.ABLATIONS`) at the deepest depth:
    mean loss after S steps, diverged runs, initial gaps (held-out, init batch), against Xavier
    on the same :data:`ABLATION_SEEDS` seeds (the first seeds of the claims: shared with them)."""
    L, w, m = max(case["depths"]), case["width"], ABLATION_SEEDS
    out = []
    for init, what in {"xavier": "the authors' baseline", **ABLATIONS}.items():
        t = _trained(ctx, case, init, L, m)
        g = _gaps(ctx, w, L, init, m)
        fin = np.isfinite(t["loss"])
        out.append(
            {
                "init": init,
                "change": what,
                "loss_mean": _fin(float(np.mean(t["loss"]))),
                "loss_min": _fin(float(np.min(t["loss"]))),
                "loss_max": _fin(float(np.max(t["loss"]))),
                "diverged": int((~fin).sum()),
                "gap_held_out": _fin(float(np.nanmean(g["held_out"]))),
                "gap_init_batch": _fin(float(np.nanmean(g["init_batch"]))),
                "logit_gap_init": _fin(float(np.nanmean(g["logits"]))),
            }
        )
    return out


def ablation_row(ctx: Any, case: Mapping[str, Any]) -> CheckResult:

    L = max(case["depths"])
    tab = ablation_table(ctx, case)
    cols = [
        "init",
        "loss_mean",
        "loss_min",
        "loss_max",
        "diverged",
        "gap_held_out",
        "gap_init_batch",
        "change",
    ]
    return ctx.row(
        statement_id=S.ORTHO_TRAINS_FASTER.id,
        check=f"info: ablation table at L={L}, {case['steps']} steps (one flag of improved_init)",
        verdict="info",
        method=f"{ABLATION_SEEDS} seeds per init, paired with Xavier; means (no verdict)",
        params=_params(case, ctx, depth=L, steps=case["steps"], seeds=ABLATION_SEEDS),
        extra={"table": {"columns": cols, "rows": [[r[c] for c in cols] for r in tab]}},
        **labels(ctx),
    )


def check_sgd_lowers_gap(ctx: Any, case: Mapping[str, Any]) -> list[CheckResult]:
    """Fig. 4b: under Xavier at depth L the authors' logit gap after S SGD steps is below its
    value at init (paired within each run); Eq. 2 of h_L recorded as info; control: the trained
    Xavier gap is below the authors' init's gap at init.

    Record ``training/sgd-lowers-gap``; source: Section 5.1, Fig. 4b (the notebook's compute_orthogonality_gap).

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "training/sgd-lowers-gap",
        ...     {'width': 8, 'max_seeds': 2, 'steps': 2, 'depths': (2, 3), 'depth': 2},
        ... )
    """

    L = case["depth"]
    xav, aut = ("trained", "xavier", L), ("gaps", "authors", L)
    runs = Runs(ctx, case, xav, aut)

    def t(n: int) -> dict[str, np.ndarray]:
        return runs(*xav, n)

    def info(n: int) -> dict[str, Any]:
        x = t(n)
        return {
            "logit_gap_init_mean": _fin(float(np.mean(x["lg0"]))),
            "logit_gap_final_mean": _fin(float(np.mean(x["lgS"]))),
            "eq2_gap_init_mean": _fin(float(np.mean(x["gap0"]))),
            "eq2_gap_final_mean": _fin(float(np.mean(x["gapS"]))),
            "loss_final_mean": _fin(float(np.mean(x["loss"]))),
        }

    p = _params(case, ctx, depth=L, steps=case["steps"], init="xavier")
    rows, n, res = _judged(
        ctx,
        S.SGD_LOWERS_GAP.id,
        case,
        [
            Paired(
                f"Xavier L={L}: logit gap at init - after {case['steps']} SGD steps > 0",
                lambda n: [(f"L={L}", _diff(t(n)["lg0"], t(n)["lgS"]))],
                (xav,),
                extra=info,
            ),
            Paired(
                f"Xavier L={L}: logit gap after {case['steps']} steps below the authors' "
                "init's at init",
                lambda n: [(f"L={L}", _diff(runs(*aut, n)["logits"], t(n)["lgS"]))],
                (xav, aut),
                control="below-authors-init",
                extra=lambda n: {
                    "logit_gap_authors_init_mean": _fin(float(np.mean(runs(*aut, n)["logits"])))
                },
            ),
        ],
        runs=runs,
        pairs=1,
        params=p,
    )
    fam, _ = sign_family(
        [(f"L={L}", _diff(t(n)["gap0"], t(n)["gapS"]))], ASSERTION_DELTA * res.delta_k
    )
    rows.append(
        ctx.row(
            statement_id=S.SGD_LOWERS_GAP.id,
            check=f"info: Eq. 2 gap of h_L (held-out) at init - after {case['steps']} steps",
            verdict="info",
            measured=_fin(fam[0][1]),
            ci_low=_fin(fam[0][2]),
            ci_high=_fin(fam[0][3]),
            method=f"sign test as the claim, on its {n} seeds",
            params={**p, "seeds": n},
            extra={"sampling": res.describe("seeds"), **info(n)},
            **labels(ctx),
        )
    )
    return rows


def check_eq6_printed(ctx: Any, case: Mapping[str, Any]) -> list[CheckResult]:
    """Eq. 6 as printed (Sigma^{-1/2}, orthogonal V', unit-Frobenius rescale): its loss after S
    steps at the deepest depth against the authors' init (see the record for the direction).

    Record ``training/eq6-as-printed-trains-worse``; source: Eq. 6 vs the notebook's improved_init (a finding of this suite).

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "training/eq6-as-printed-trains-worse",
        ...     {'width': 8, 'max_seeds': 2, 'steps': 2, 'depths': (2, 3)},
        ... )
    """

    L = max(case["depths"])
    eq6, aut, xav = (("trained", i, L) for i in ("eq6", "authors", "xavier"))
    runs = Runs(ctx, case, eq6, aut, xav)

    def loss(need: Need, n: int) -> np.ndarray:
        return runs(*need, n)["loss"]

    def diverged(n: int) -> dict[str, Any]:
        le = loss(eq6, n)
        return {"loss_eq6": [_fin(v) for v in le], "eq6_diverged": int((~np.isfinite(le)).sum())}

    rows, _, _ = _judged(
        ctx,
        S.EQ6_PRINTED.id,
        case,
        [
            Paired(
                f"loss_eq6 - loss_authors > 0 after {case['steps']} SGD steps at L={L}",
                lambda n: [(f"L={L}", _diff(loss(eq6, n), loss(aut, n)))],
                (eq6, aut),
                extra=lambda n: {
                    **diverged(n),
                    "loss_authors_mean": _fin(float(np.mean(loss(aut, n)))),
                },
            ),
            Paired(
                f"loss_eq6 - loss_xavier < 0 (Eq. 6 as printed beats Xavier) at L={L}",
                lambda n: [(f"L={L}", _diff(loss(xav, n), loss(eq6, n)))],
                (eq6, xav),
                control="eq6-beats-xavier",
                extra=lambda n: {
                    **diverged(n),
                    "loss_xavier_mean": _fin(float(np.mean(loss(xav, n)))),
                    "eq6_beats_xavier": int(np.sum(loss(eq6, n) < loss(xav, n))),
                },
            ),
        ],
        runs=runs,
        pairs=1,
        params=_params(case, ctx, depth=L, steps=case["steps"]),
    )
    return rows


def check_deep_finite(ctx: Any, case: Mapping[str, Any]) -> list[CheckResult]:
    """eq6-balanced at depth L: every run's loss finite after S steps (deterministic per seed),
    on every seed of the profile's budget (:func:`seed_budget`'s batches; the first diverged
    run stops it: fail); control: the same with scale 'unit-entry', trained batch by batch until
    a run diverges (refuted) or the seeds run out.

    Record ``training/deep-training-stays-finite``; source: this project's earlier scale rule (not the authors' protocol); Eq. 6.

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "training/deep-training-stays-finite",
        ...     {'width': 8, 'max_seeds': 2, 'steps': 2, 'depths': (2, 3), 'depth': 3},
        ... )
    """

    L, w, dev = case["depth"], case["width"], device_of(ctx)
    budget = seed_budget(ctx, case, 1)
    losses: dict[str, list[list[float]]] = {"balanced": [], "unit-entry": []}
    diverged = {"balanced": False, "unit-entry": False}
    n = 0
    for b in budget.batch_sizes():
        seeds = list(_seeds(ctx, n, n + b))
        n += b
        for scale in losses:
            if diverged[scale]:
                continue  # the claim failed / the control is refuted: nothing left to learn
            cfg = TrainConfig(width=w, steps=case["steps"], device=dev, scale=scale)
            with _threads(dev):
                runs = train_runs(
                    _data(), L, "eq6-balanced", cfg, seeds, every_epoch=False,
                    on_divergence="record",
                )  # fmt: skip
            losses[scale] += [r.loss for r in runs]
            diverged[scale] = not all(math.isfinite(v) for r in runs for v in r.loss)
        if diverged["balanced"]:
            break
    rows = []
    for scale, control in (("balanced", None), ("unit-entry", "unit-entry")):
        finite = not diverged[scale]
        k = len(losses[scale])
        rows.append(
            ctx.row(
                statement_id=S.DEEP_TRAINING_FINITE.id,
                check=(
                    f"scale={scale!r}: loss finite for {case['steps']} steps at L={L}"
                    if control is None
                    else f"control {control!r}: loss stays finite at L={L}"
                ),
                verdict=("pass" if finite else "fail")
                if control is None
                else ("not-refuted" if finite else "refuted"),
                control=control,
                method=f"deterministic per seed: every run's loss finite at every record ({k} "
                "seeds, batch by batch until a run diverges or the seeds run out)",
                false_fail=0.0 if control is None else None,
                params={
                    **_params(case, ctx, depth=L, steps=case["steps"], scale=scale),
                    "seeds": k,
                },
                extra={
                    "final_losses": [_fin(v[-1]) for v in losses[scale]],
                    "diverged_runs": sum(not all(map(math.isfinite, v)) for v in losses[scale]),
                    "seed indices": f"ctx.seed('training', r), r = 0..{k - 1}",
                },
                **labels(ctx),
            )
        )
    return rows


def band(x: Sequence[float]) -> tuple[float, float, float]:
    """Mean and 95% Student-t band (plots only)."""
    a = np.asarray(x, dtype=np.float64)
    a = a[np.isfinite(a)]
    return t_interval(a) if a.size else (math.nan,) * 3


__all__ = [
    "ABLATION_SEEDS",
    "GAP_GROWS_EDGE",
    "Paired",
    "Runs",
    "ablation_row",
    "ablation_table",
    "band",
    "check_deep_finite",
    "check_eq6_printed",
    "check_gap_lower",
    "check_sgd_lowers_gap",
    "check_trains_faster",
    "check_xavier_gap_grows",
    "check_xavier_loss_worsens",
    "device_of",
    "gaps_at_init",
    "labels",
    "seed_budget",
    "seed_runs",
    "trained",
    "until_decided",
]
