r"""Checks of Assumption A1 (Fig. 3 phase diagram) and of Sec. 3.3's sigma_min of a Gaussian H_0.
Pure functions ``(ctx, case) -> rows``; records in :mod:`theory.statements.assumption_a1`.

**A1 region, per cell** (issues 10 and 11).  For each n the region ``d >= C n^2`` of a reading
is checked *at its boundary cell* ``d = C n^2`` (the hardest cell of the region: p_fail falls
with d on every measured grid) and at the other simulated cells of the region, each cell on its
own -- never pooled, so a boundary cell on which A1 always fails cannot hide behind the cells
above it.  A cell's verdict is the engine's three-outcome rule on the Clopper-Pearson bounds of
``p_fail = P(A1(0.1 alpha_0, L) fails on a run)`` against ``eps``:

* pass iff the *upper* bound (level delta) is ``<= eps`` (wrong pass <= delta);
* fail iff the *lower* bound is ``> eps`` (false fail <= delta); else inconclusive.

**Sample sizes.**  Every cell samples until the data decide
(:func:`theory.sequential.sequential_loop` on the profile's budget): after each batch of chains
every proportion judged at the cell (both readings, the controls placed there) gets its
Clopper-Pearson bounds at ``share * delta`` (:func:`theory.stats.binomial_bounds`; a union over
the budget's K looks, fixed before the data), and the loop stops once each is decided, or at the
budget.  With 0 failures a pass needs ``n >= log(K/delta) / -log(1 - eps)`` runs (~310 at the
ci budget), so a cell holding a region statement places its first look there
(:func:`first_pass_budget`); a control cell on which A1 fails on most runs is refuted at the
first look of the default schedule.  Each
row's detectable discrepancy is the engine's, from the final (sequential) interval: a p_fail
``>= eps + 2r`` (``r`` its radius) is declared fail with probability ``>= 1 - delta``.

**Sec. 3.3** (:func:`sigma_min_check`): i.i.d. Gaussian ``d x n`` matrices, drawn until the
data decide: the lower tail of ``s_min`` and the upper tail of ``s_max`` at several t
(Clopper-Pearson frequencies against ``exp(-t^2/2)``), and the typical values ``E s_min >= sqrt d
- sqrt n``, ``E s_max <= sqrt d + sqrt n`` (empirical-Bernstein bounds on clipped samples, see
:func:`clipped_mean_bounds`) with their edge controls (0.8).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import inputs
from .._backend import Backend, to_numpy
from .._validate import check_int
from ..assumption import READINGS, a1_statistic
from ..engine import EDGE, CheckResult, RunContext, judge
from ..sequential import Threshold, sequential_loop
from ..statements import assumption_a1 as S
from ..stats import ASSERTION_DELTA, Interval, binomial_bounds, mean_bounds

Rows = list[CheckResult]


# ------------------------------------------------------------------------------ A1 phase data


#: Simulated cells, keyed on the backend *object* (dtype and device included), the salt and the
#: cell's plan: the phase diagram and the region checks share them within a process.
def a1_margins(
    ctx: RunContext, n: int, d: int, layers: int, runs: int, *, seed: int | None = None
) -> dict[str, np.ndarray]:
    r"""Per run and reading, the margin ``min_{k=1..L} stat(H_k) / stat(H_0)`` (stat =
    sigma_min of the unit-norm H, or its square), from ``runs`` chains on ``ctx.backend`` started
    at independent Gaussian H_0 (:func:`theory.inputs.h0`).  A1(f alpha_0, L) held on a run iff
    its margin is ``>= f``.  ``seed``: a batch of the sequential loop (its H_0 and chain seeds
    derive from it; None: the phase diagram's cell).  Cached in the run cache
    (:meth:`RunContext.cached`)."""
    n, d = check_int(n, "n", minimum=1), check_int(d, "d", minimum=n)
    layers, runs = check_int(layers, "layers", minimum=1), check_int(runs, "runs", minimum=1)
    tag = () if seed is None else (int(seed),)

    def compute() -> dict[str, np.ndarray]:
        H0 = np.stack(
            [
                inputs.h0("gaussian", d, n, seed=ctx.seed("a1/H0", n, d, *tag, r))
                for r in range(runs)
            ]
        )
        res = ctx.simulate(
            H0, layers, runs=runs, seed=ctx.seed("a1/chain", n, d, layers, runs, *tag)
        )
        out = {}
        for reading in READINGS:
            s = a1_statistic(res.sigma_min, reading)
            out[reading] = s[:, 1:].min(axis=1) / s[:, 0]
        return out

    return ctx.cached(("a1_margins", n, d, layers, runs, *tag), compute)


def a1_cells(n: int) -> dict[str, list[int]]:
    """The cells one n's check simulates: ``region`` (``C n^2`` for each reading's C),
    ``below`` (``C n^2 / 4``: the planted control's cells) and ``gross`` (``n``, ``2n``)."""
    n = check_int(n, "n", minimum=2)
    region = sorted({int(round(S.REGION_C[r] * n * n)) for r in READINGS})
    below = sorted({max(n, int(round(S.REGION_C[r] * n * n / 4))) for r in READINGS})
    return {"region": region, "below": below, "gross": [n, 2 * n]}


def _cell_items(n: int) -> dict[int, list[dict[str, Any]]]:
    """Per simulated cell d of one n, what is judged there: the region statement of each reading
    whose region holds d, the strict-threshold control at each boundary cell, the below-boundary
    control at C n^2 / 4 and the two gross controls at d = n, 2n."""
    cells = a1_cells(n)
    items: dict[int, list[dict[str, Any]]] = {}
    for d in cells["region"]:
        for reading in READINGS:
            C = S.REGION_C[reading]
            if d < C * n * n:
                continue
            boundary = d == int(round(C * n * n))
            items.setdefault(d, []).append(
                dict(reading=reading, fraction=S.A1_FRACTION, control=None, boundary=boundary)
            )
            if boundary:  # planted: a stricter threshold at the boundary cell
                items[d].append(
                    dict(reading=reading, fraction=S.STRICT_FRACTION, control="strict-threshold")
                )
    for d in cells["below"]:
        for reading in READINGS:
            if d == max(n, int(round(S.REGION_C[reading] * n * n / 4))):
                items.setdefault(d, []).append(
                    dict(reading=reading, fraction=S.A1_FRACTION, control="below-boundary")
                )
    for d, cid in zip(cells["gross"], ("holds-at-d=n", "holds-at-d=2n")):
        for reading in READINGS:
            items.setdefault(d, []).append(
                dict(reading=reading, fraction=S.A1_FRACTION, control=cid)
            )
    return items


def first_pass_budget(ctx: RunContext, eps: float, max_runs: Any = None) -> Any:
    r"""The profile's budget with its first look where "``p <= eps``" can first pass.

    With ``k = 0`` failures in ``b`` runs the Clopper-Pearson upper bound at ``delta / K`` is
    ``1 - (delta / K)^(1/b)``, ``<= eps`` iff ``b >= log(K / delta) / -log(1 - eps)`` (~310 at
    ``eps = 0.05`` and the ci budget); a look before that can only say fail.  So the first batch
    is the smallest ``b`` that passes at the first look of the budget it makes (``K`` depends on
    ``b``): this places the looks, it does not choose when to stop -- the loop still stops at
    the first look that decides, or at the budget.  A cell whose runs are expensive (n = 12,
    d = 288, L = 120) otherwise overshoots to the second look (200 + 300 runs)."""
    if not 0 < eps < 1:
        raise ValueError(f"eps must be in (0, 1); got {eps}")
    b = max(2, math.ceil(math.log(ASSERTION_DELTA) / math.log1p(-eps)))
    while True:
        budget = ctx.budget(first_batch=b, max_runs=max_runs)
        if binomial_bounds(0, b, delta=ASSERTION_DELTA / budget.looks).upper <= eps:
            return budget
        b += 1


def _cell_until_decided(
    ctx: RunContext, n: int, d: int, L: int, items: list[dict[str, Any]], max_runs: Any
) -> tuple[list[Interval], dict[str, np.ndarray], Any]:
    """Draw batches of chains at cell (n, d) until every item's p_fail (Clopper-Pearson at
    ``share * delta`` per look) is decided against its bound, or the budget ends.  Returns the
    final intervals (level ``delta``: the union over the looks), the margins and the loop's
    result."""
    chunks: dict[str, list[np.ndarray]] = {r: [] for r in READINGS}
    looked: list[Interval] = []

    def draw(runs: int, seed: int) -> None:
        marg = a1_margins(ctx, n, d, L, runs, seed=seed)
        for r in READINGS:
            chunks[r].append(marg[r])

    def look(share: float) -> bool:
        marg = {r: np.concatenate(chunks[r]) for r in READINGS}
        looked[:] = [
            binomial_bounds(
                int(np.sum(marg[it["reading"]] < it["fraction"])),
                marg[it["reading"]].size,
                delta=ASSERTION_DELTA * share,
            )
            for it in items
        ]
        return all(
            Threshold(it["bound"]).decide(iv.lower, iv.upper) != "inconclusive"
            for it, iv in zip(items, looked)
        )

    claims = any(it["control"] is None for it in items)
    budget = first_pass_budget(ctx, S.EPS, max_runs) if claims else ctx.budget(max_runs=max_runs)
    res = sequential_loop(draw, look, budget=budget, seed=ctx.seed("a1/cell", n, d, L))
    finals = [
        Interval(
            iv.estimate,
            iv.lower,
            iv.upper,
            ASSERTION_DELTA,
            f"clopper-pearson, sequential (union over {res.looks} looks)",
            iv.n,
        )
        for iv in looked
    ]
    return finals, {r: np.concatenate(chunks[r]) for r in READINGS}, res


def a1_region_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""All rows of one n: the region verdicts (per cell, per reading) and the controls, each
    cell sampled until the data decide.

    ``case``: ``n``, ``layers`` (L), optionally ``max_runs`` (lowers the profile's cap).

    Record ``assumption-a1/phase-diagram``; source: Sec. 3.3 and Fig. 3 (boundary d = (n - 28)^1.8); Assumption A1.

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "assumption-a1/phase-diagram",
        ...     {'n': 4, 'layers': 5, 'max_runs': 400},
        ... )
    """
    ST = S.A1_PHASE
    n = check_int(case["n"], "n", minimum=2)
    L = check_int(case["layers"], "layers", minimum=1)
    rows: Rows = []
    for d, items in sorted(_cell_items(n).items()):
        for it in items:
            bound_of = ST if it["control"] is None else ST.control(it["control"])
            args = {"n": n, "d": d, "reading": it["reading"]}
            it["bound"] = (
                ST.bound_at(**args) if it["control"] is None else bound_of.bound_at(ST.id, **args)
            )
        ivs, marg, res = _cell_until_decided(ctx, n, d, L, items, case.get("max_runs"))
        how = {"sampling": res.describe(), "batch seeds": list(res.seeds)}
        for it, est in zip(items, ivs):
            reading, C = it["reading"], S.REGION_C[it["reading"]]
            p = {"n": n, "d": d, "L": L, "runs": res.runs, "reading": reading, "C": C}
            f = it["fraction"]
            if it["control"] is None:
                rows += judge(
                    ctx,
                    ST.id,
                    f"A1({f:g} alpha_0, {L}) at d = {d} = {d / (n * n):g} n^2 "
                    f"(n = {n}, {reading}): P(run fails) <= eps",
                    est,
                    it["bound"],
                    edge=None,
                    params=p,
                    extra={
                        "failed runs": int(np.sum(marg[reading] < f)),
                        "smallest margin min_k stat_k / stat_0": float(marg[reading].min()),
                        "margin 5% quantile": float(np.quantile(marg[reading], 0.05)),
                        "boundary cell": it["boundary"],
                        **how,
                    },
                )
                continue
            where = {
                "strict-threshold": f"at d = {d}",
                "below-boundary": f"at d = {d} = C n^2 / 4",
            }.get(it["control"], f"at d = {d}")
            rows += judge(
                ctx,
                ST.id,
                f"A1({f:g} alpha_0, {L}) {where} (n = {n}, {reading})",
                est,
                it["bound"],
                control=it["control"],
                params=p,
                extra=dict(how),
            )
    return rows


def a1_plan(ctx: RunContext) -> dict[str, Any]:
    """The cases per profile: ``cells`` (one case of :func:`a1_region_check` per n; their runs
    are the sequential engine's) and ``phase`` (the case of :func:`phase_diagram`: Fig. 3's 10
    runs per grid cell, and the bootstrap's resamples, both parameters of an info row)."""
    ns = ctx.pick(ci=(4, 8, 12), thorough=(4, 8, 12, 16), paper=(16, 32, 48, 64))
    L = ctx.pick(ci=120, thorough=200, paper=1000)
    return {
        "cells": [{"n": n, "layers": L} for n in ns],
        "phase": {
            "ns": list(ns),
            "d_max": ctx.pick(ci=1024, thorough=4096, paper=32768),
            "layers": L,
            "runs": 10,
            "boot": ctx.pick(ci=300, thorough=1000, paper=2000),
        },
    }


# ------------------------------------------------------------------------------ phase diagram


def d_grid(n: int, d_max: int) -> list[int]:
    """Half-octave widths ``round(4 * 2^(k/2))`` in ``[n, d_max]``, plus n and 2n."""
    g = {int(round(4 * 2 ** (k / 2))) for k in range(0, 60)}
    return sorted(d for d in g | {n, 2 * n} if n <= d <= d_max)


def boundary(held: dict[tuple[int, int], np.ndarray], ns: list[int]) -> dict[int, int | None]:
    """d*(n): the smallest grid d such that A1 held on all runs at d and every larger grid d
    (``held[(n, d)]`` is the per-run boolean array)."""
    out: dict[int, int | None] = {}
    for n in ns:
        best = None
        for d in sorted((d for (nn, d) in held if nn == n), reverse=True):
            if held[(n, d)].all():
                best = d
            else:
                break
        out[n] = best
    return out


def fit_boundary(bd: dict[int, int | None]) -> tuple[float, float] | None:
    """OLS of ``log d*`` on ``log n``: ``(beta, c)`` with ``d* = c n^beta`` (None if < 2 points)."""
    pts = [(n, d) for n, d in bd.items() if d is not None]
    if len(pts) < 2:
        return None
    beta, logc = np.polyfit(np.log([p[0] for p in pts]), np.log([p[1] for p in pts]), 1)
    return float(beta), float(np.exp(logc))


def phase_diagram(ctx: RunContext, case: dict[str, Any]) -> Rows:
    """Info rows: the Fig. 3 heatmap (fraction of ``runs`` runs on which A1 held per grid cell)
    and the fitted boundary ``d* = c n^beta`` with a bootstrap interval over runs
    (``finite_sample=False``: outside the budget).  ``case``: ``ns``, ``d_max``, ``layers``,
    ``runs`` (Fig. 3: 10), ``boot``."""
    ST = S.A1_PHASE
    ns = [check_int(n, "n", minimum=2) for n in case["ns"]]
    L, R = int(case["layers"]), int(case["runs"])
    rng = np.random.default_rng(ctx.seed("a1/boot"))
    rows: Rows = []
    for reading in READINGS:
        held = {}
        for n in ns:
            for d in d_grid(n, min(int(case["d_max"]), 4 * n * n)):
                held[(n, d)] = a1_margins(ctx, n, d, L, R)[reading] >= S.A1_FRACTION
        bd = boundary(held, ns)
        fit = fit_boundary(bd)
        boots = []
        for _ in range(int(case.get("boot", 300))):
            f = fit_boundary(boundary({k: v[rng.integers(0, R, R)] for k, v in held.items()}, ns))
            if f is not None:
                boots.append(f[0])
        lo, hi = (np.quantile(boots, [0.025, 0.975]).tolist()) if boots else (None, None)
        ds = sorted({d for (_, d) in held})
        z = [[float(held[(n, d)].mean()) if (n, d) in held else None for n in ns] for d in ds]
        xs = np.linspace(min(ns), max(ns), 30)
        overlays = [{"label": "d = n^2", "x": xs.tolist(), "y": (xs**2).tolist()}]
        px = [float(x) for x in xs if S.paper_boundary(x) is not None]
        if px:
            overlays.append(
                {
                    "label": "paper: d = (n - 28)^1.8",
                    "x": px,
                    "y": [S.paper_boundary(x) for x in px],
                }
            )
        if fit is not None:
            overlays.append(
                {
                    "label": f"fit: d* = {fit[1]:.2f} n^{fit[0]:.2f}",
                    "x": xs.tolist(),
                    "y": (fit[1] * xs ** fit[0]).tolist(),
                }
            )
        caption = (
            f"Fraction of {R} runs on which A1({S.A1_FRACTION:g} alpha_0, {L}) held ({reading} "
            "reading; 1 = held on all runs, the paper's non-black pixels). Paper: d = Omega(n^2), "
            "boundary d = (n - 28)^1.8 at L = 1000."
        )
        if fit is not None and lo is not None:
            caption += (
                f" Fit d* = {fit[1]:.2f} n^{fit[0]:.2f}, beta 95% bootstrap [{lo:.2f}, {hi:.2f}]."
            )
        rows.append(
            ctx.row(
                statement_id=ST.id,
                check=f"Fig. 3 phase diagram, fitted boundary d* = c n^beta ({reading}; paper 1.8)",
                verdict="info",
                measured=fit[0] if fit else None,
                ci_low=lo,
                ci_high=hi,
                method="OLS of log d* on log n; 95% bootstrap over runs within cells (asymptotic)",
                finite_sample=False,
                error="info row: bootstrap interval, outside the budget",
                params={"reading": reading, "L": L, "runs per cell": R, "n": ns, "d grid": ds},
                extra={
                    "boundary d*(n)": {str(k): v for k, v in bd.items()},
                    "fit": {"beta": fit[0], "c": fit[1]} if fit else None,
                    "figure": {
                        "id": f"fig3-a1-phase-{reading}",
                        "title": f"Assumption A1 phase diagram (Fig. 3), {reading} reading",
                        "caption": caption,
                        "type": "heatmap",
                        "x": ns,
                        "y": ds,
                        "z": z,
                        "zlabel": "fraction of runs with A1",
                        "xlabel": "batch size n",
                        "ylabel": "width d",
                        "logy": True,
                        "overlays": overlays,
                    },
                },
            )
        )
    return rows


# ------------------------------------------------------------------------------ Sec. 3.3

#: Clip offset for the mean bounds: samples are clipped to [sqrt d - sqrt n - T, sqrt d +
#: sqrt n + T]; by the Davidson-Szarek tails each clip moves E by <= sqrt(2 pi) Phi(-T).
CLIP_T = 5.0


def clip_bias(t: float = CLIP_T) -> float:
    r"""``int_t^inf exp(-u^2/2) du = sqrt(2 pi) (1 - Phi(t))``: the most a clip at distance t
    beyond ``sqrt d -/+ sqrt n`` moves the mean, given ``P(beyond by u) <= exp(-u^2/2)``."""
    return math.sqrt(2 * math.pi) * 0.5 * math.erfc(t / math.sqrt(2))


def clipped_mean_bounds(
    x: Any, lo: float, hi: float, *, bias: float, delta: float = ASSERTION_DELTA
) -> Interval:
    r"""Both one-sided bounds on ``E X`` from samples clipped to ``[lo, hi]``
    (:func:`theory.stats.mean_bounds` at ``delta``), each end widened by ``bias`` (the most
    the clipping can move the mean)."""
    if not (bias >= 0):
        raise ValueError(f"bias must be >= 0; got {bias}")
    iv = mean_bounds(np.clip(np.asarray(x, dtype=float), lo, hi), lo=lo, hi=hi, delta=delta)
    return Interval(
        iv.estimate,
        iv.lower - bias,
        iv.upper + bias,
        iv.delta,
        iv.method + f" on samples clipped to [{lo:.3g}, {hi:.3g}] (+-{bias:.1g})",
        iv.n,
    )


def gaussian_extreme_singular_values(
    backend: Backend, d: int, n: int, m: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """``(s_min, s_max)`` of m i.i.d. ``d x n`` N(0, 1) matrices (:func:`theory.inputs.h0`,
    seeds derived from ``seed``), computed on ``backend`` from the R factor of a QR (no squaring
    of the condition number)."""
    d, n = check_int(d, "d", minimum=1), check_int(n, "n", minimum=1)
    if d < n:
        raise ValueError(f"d must be >= n; got d={d}, n={n}")
    m = check_int(m, "m", minimum=2)
    H = np.stack([inputs.h0("gaussian", d, n, seed=seed + 7919 * i) for i in range(m)])
    R = backend.qr_r(backend.asarray(H))
    s = to_numpy(backend.xp.linalg.svdvals(R)).astype(np.float64)
    return s[:, -1], s[:, 0]


def sigma_min_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""Sec. 3.3 at one (n, d): tails at ``case["ts"]`` and the typical values, plus the planted
    controls (see the record), on matrices drawn until the data decide.

    Record ``assumption-a1/gaussian-sigma-min``; source: Sec. 3.3 ('the minimum singular value of H_0 is greater than sqrt(d) - sqrt(n)', the basis of A1(Theta(1), 0)); Davidson & Szarek (2001) Thm II.13, Gordon (1985).

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "assumption-a1/gaussian-sigma-min",
        ...     {'n': 4, 'd': 16, 'max_runs': 400},
        ... )
    """
    ST = S.GAUSSIAN_SIGMA_MIN
    n = check_int(case["n"], "n", minimum=1)
    d = check_int(case["d"], "d", minimum=n)
    ts = [float(t) for t in case.get("ts", S.TAIL_TS)]
    seed = ctx.seed("sec3.3/H0", n, d)
    b, B = math.sqrt(d) - math.sqrt(n), math.sqrt(d) + math.sqrt(n)
    lo_min = max(0.0, b - CLIP_T)
    bias_min = clip_bias() * (2 if lo_min > 0 else 1)
    tails = [
        (t, side, name, ST.bound_at(side, d=d, n=n, t=t))
        for t in ts
        for side, name in (
            ("lower-tail", "s_min < sqrt d - sqrt n - t"),
            ("upper-tail", "s_max > sqrt d + sqrt n + t"),
        )
    ]
    b_min, b_max = ST.bound_at("mean-min", d=d, n=n), ST.bound_at("mean-max", d=d, n=n)
    literal = ST.control_bound("literal", d=d, n=n) if d >= 2 * n else None
    half = (
        {
            "half-gap": ST.control_bound("half-gap", d=d, n=n),
            "half-gap-max": ST.control_bound("half-gap-max", d=d, n=n),
        }
        if n >= S.HALF_GAP_MIN_N
        else {}
    )
    chunks: dict[str, list[np.ndarray]] = {"min": [], "max": []}
    looked: dict[str, Any] = {}

    def draw(runs: int, batch_seed: int) -> None:
        smin, smax = gaussian_extreme_singular_values(ctx.backend, d, n, runs, batch_seed)
        chunks["min"].append(smin)
        chunks["max"].append(smax)

    def look(share: float) -> bool:
        dk = ASSERTION_DELTA * share
        smin, smax = np.concatenate(chunks["min"]), np.concatenate(chunks["max"])
        m = smin.size
        looked["m"] = m
        looked["tails"] = [
            binomial_bounds(
                int(np.sum(smin < b - t) if side == "lower-tail" else np.sum(smax > B + t)),
                m,
                delta=dk,
            )
            for t, side, _, _ in tails
        ]
        looked["literal"] = binomial_bounds(int(np.sum(smin < b)), m, delta=dk)
        looked["min"] = iv_min = clipped_mean_bounds(
            smin, lo_min, B + CLIP_T, bias=bias_min, delta=dk
        )
        looked["max"] = iv_max = clipped_mean_bounds(
            smax, max(0.0, b - CLIP_T), B + CLIP_T, bias=2 * clip_bias(), delta=dk
        )
        th = [(iv, Threshold(tb)) for iv, (*_, tb) in zip(looked["tails"], tails)]
        th += [(iv_min, Threshold(b_min, "lower")), (iv_max, Threshold(b_max))]
        if literal is not None:
            th.append((looked["literal"], Threshold(literal)))
        if half:
            th += [
                (iv_min, Threshold(half["half-gap"], "lower")),
                (iv_max, Threshold(half["half-gap-max"])),
            ]
        decided = all(t.decide(iv.lower, iv.upper) != "inconclusive" for iv, t in th)
        edges = (  # each mean row's edge control, unless its statement failed
            iv_min.upper < b_min or iv_min.upper < iv_min.estimate / EDGE
        ) and (iv_max.lower > b_max or iv_max.lower > EDGE * iv_max.estimate)
        return decided and edges

    res = sequential_loop(draw, look, budget=ctx.budget(max_runs=case.get("max_runs")), seed=seed)

    def final(iv: Interval) -> Interval:
        method = f"{iv.method}, sequential (union over {res.looks} looks)"
        return Interval(iv.estimate, iv.lower, iv.upper, ASSERTION_DELTA, method, iv.n)

    m = int(looked["m"])
    how = {"sampling": res.describe("matrices"), "batch seeds": list(res.seeds)}
    p = {"n": n, "d": d, "m": m}
    rows: Rows = []
    for (t, _, name, tb), iv in zip(tails, looked["tails"]):
        rows += judge(
            ctx,
            ST.id,
            f"P({name}) <= exp(-t^2/2) at t = {t:g} (n = {n}, d = {d})",
            final(iv),
            tb,
            edge=None,
            params={**p, "t": t},
            seed=seed,
            extra={"frequency": iv.estimate, "exp(-t^2)": math.exp(-t * t), **how},
        )
    iv_min, iv_max = final(looked["min"]), final(looked["max"])
    rows += judge(
        ctx,
        ST.id,
        f"E s_min >= sqrt d - sqrt n (n = {n}, d = {d})",
        iv_min,
        b_min,
        side="lower",
        params=p,
        seed=seed,
        extra={"E s_min - (sqrt d - sqrt n)": iv_min.estimate - b, **how},
    )
    rows += judge(
        ctx,
        ST.id,
        f"E s_max <= sqrt d + sqrt n (n = {n}, d = {d})",
        iv_max,
        b_max,
        side="upper",
        params=p,
        seed=seed,
        extra={"sqrt d + sqrt n - E s_max": B - iv_max.estimate, **how},
    )
    # planted controls, where they are false (see the record's why_false)
    if literal is not None:
        rows += judge(
            ctx,
            ST.id,
            f"P(s_min < sqrt d - sqrt n) <= 0 (n = {n}, d = {d})",
            final(looked["literal"]),
            literal,
            control="literal",
            params=p,
            seed=seed,
            extra=dict(how),
        )
    for cid, check, est, side in (
        ("half-gap", f"E s_min >= sqrt d - sqrt n / 2 (n = {n}, d = {d})", iv_min, "lower"),
        ("half-gap-max", f"E s_max <= sqrt d + sqrt n / 2 (n = {n}, d = {d})", iv_max, "upper"),
    ):
        if cid in half:
            rows += judge(
                ctx,
                ST.id,
                check,
                est,
                half[cid],
                side=side,  # type: ignore[arg-type]
                control=cid,
                params=p,
                seed=seed,
                extra=dict(how),
            )
    return rows


__all__ = [
    "a1_cells",
    "a1_plan",
    "a1_margins",
    "a1_region_check",
    "boundary",
    "clip_bias",
    "clipped_mean_bounds",
    "d_grid",
    "first_pass_budget",
    "fit_boundary",
    "gaussian_extreme_singular_values",
    "phase_diagram",
    "sigma_min_check",
]
