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

With 0 failures in m runs the upper bound is ``1 - delta^(1/m)``, ``<= eps`` iff
``m >= log(1/delta) / -log(1 - eps)`` (= 256 at delta = 2e-6, eps = 0.05): :func:`runs_to_pass`.
The power of a cell (:func:`binomial_power`): any ``p_fail > eps`` passes with probability
``<= delta``; a ``p_fail >= p*`` is declared *fail* with probability ``>= 1 - delta``.

**Sec. 3.3** (:func:`sigma_min_check`): m i.i.d. Gaussian ``d x n`` matrices; the lower tail of
``s_min`` and the upper tail of ``s_max`` at several t (Clopper-Pearson frequencies against
``exp(-t^2/2)``), and the typical values ``E s_min >= sqrt d - sqrt n``, ``E s_max <= sqrt d +
sqrt n`` (empirical-Bernstein bounds on clipped samples, see :func:`clipped_mean_bounds`).
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from .. import inputs
from .._backend import Backend, to_numpy
from .._validate import check_int
from ..assumption import READINGS, a1_statistic
from ..engine import CheckResult, RunContext, judge
from ..statements import assumption_a1 as S
from ..stats import ASSERTION_DELTA, Interval, binomial_bounds, mean_bounds

Rows = list[CheckResult]


# ------------------------------------------------------------------------------ power


def runs_to_pass(eps: float, delta: float = ASSERTION_DELTA) -> int:
    r"""Smallest m such that 0 failures in m runs give a Clopper-Pearson upper bound (level
    ``delta``) ``<= eps``: ``m = ceil(log(delta) / log(1 - eps))``."""
    if not (0 < eps < 1):
        raise ValueError(f"eps must be in (0, 1); got {eps}")
    if not (0 < delta < 1):
        raise ValueError(f"delta must be in (0, 1); got {delta}")
    m = math.ceil(math.log(delta) / math.log1p(-eps))
    while binomial_bounds(0, m, delta=delta).upper > eps:  # guard the float rounding
        m += 1
    return m


@functools.lru_cache(maxsize=256)
def binomial_power(m: int, eps: float, delta: float = ASSERTION_DELTA) -> dict[str, float | int]:
    r"""Power of the three-outcome rule on a frequency ``k/m`` against "``p <= eps``".

    Returns ``k_fail`` (the smallest k with Clopper-Pearson lower bound ``> eps``: the rule says
    fail from there), ``p_detect`` (the smallest true p for which ``P(Bin(m, p) >= k_fail) >=
    1 - delta``: a violation that large is declared fail with probability ``>= 1 - delta``),
    ``factor = p_detect / eps`` (the row's detectable discrepancy), ``k_pass`` (the largest k
    that still passes; -1 if none) and ``wrong_pass = delta`` (any ``p > eps`` passes with
    probability ``<= delta``).  ``ValueError`` if m < 1 or no k can say fail.
    """
    from scipy.optimize import brentq
    from scipy.stats import binom

    m = check_int(m, "m", minimum=1)
    if not (0 < eps < 1):
        raise ValueError(f"eps must be in (0, 1); got {eps}")
    if binomial_bounds(m, m, delta=delta).lower <= eps:
        raise ValueError(f"m = {m} runs can never refute p <= {eps} at delta = {delta}")
    lo, hi = 0, m  # lower bound increasing in k: bisect for the first k with lower > eps
    while lo < hi:
        mid = (lo + hi) // 2
        if binomial_bounds(mid, m, delta=delta).lower > eps:
            hi = mid
        else:
            lo = mid + 1
    k_fail = lo
    lo, hi = -1, k_fail - 1  # upper bound increasing in k: the last k with upper <= eps
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if binomial_bounds(mid, m, delta=delta).upper <= eps:
            lo = mid
        else:
            hi = mid - 1
    k_pass = lo
    f = lambda p: float(binom.sf(k_fail - 1, m, p)) - (1.0 - delta)
    p_detect = 1.0 if f(1.0 - 1e-12) < 0 else float(brentq(f, eps, 1.0 - 1e-12, xtol=1e-6))
    return {
        "k_fail": k_fail,
        "k_pass": k_pass,
        "p_detect": p_detect,
        "factor": p_detect / eps,
        "wrong_pass": delta,
    }


def _with_power(rows: Rows, m: int, eps: float) -> Rows:
    """Replace the engine's radius-based detectable factor by the exact binomial one."""
    try:
        pw = dict(binomial_power(m, eps))
    except ValueError:  # too few runs to ever say "fail": no finite detectable discrepancy
        for r in rows:
            if r.control is None:
                r.detectable = None
        return rows
    for r in rows:
        if r.control is None:
            r.detectable = pw["factor"]
            r.extra["power"] = {
                "detectable p_fail (declared fail w.p. >= 1 - delta)": pw["p_detect"],
                "any p_fail > eps passes w.p. <=": pw["wrong_pass"],
                "failures that still pass / that fail": [pw["k_pass"], pw["k_fail"]],
            }
    return rows


# ------------------------------------------------------------------------------ A1 phase data


#: Simulated cells, keyed on the backend *object* (dtype and device included), the salt and the
#: cell's plan: the phase diagram and the region checks share them within a process.
def a1_margins(ctx: RunContext, n: int, d: int, layers: int, runs: int) -> dict[str, np.ndarray]:
    r"""Per run and reading, the margin ``min_{k=1..L} stat(H_k) / stat(H_0)`` (stat =
    sigma_min of the unit-norm H, or its square), from ``runs`` chains on ``ctx.backend`` started
    at independent Gaussian H_0 (:func:`theory.inputs.h0`).  A1(f alpha_0, L) held on a run iff
    its margin is ``>= f``.  Cached in the run cache (:meth:`RunContext.cached`)."""
    n, d = check_int(n, "n", minimum=1), check_int(d, "d", minimum=n)
    layers, runs = check_int(layers, "layers", minimum=1), check_int(runs, "runs", minimum=1)

    def compute() -> dict[str, np.ndarray]:
        H0 = np.stack(
            [inputs.h0("gaussian", d, n, seed=ctx.seed("a1/H0", n, d, r)) for r in range(runs)]
        )
        res = ctx.simulate(H0, layers, runs=runs, seed=ctx.seed("a1/chain", n, d, layers, runs))
        out = {}
        for reading in READINGS:
            s = a1_statistic(res.sigma_min, reading)
            out[reading] = s[:, 1:].min(axis=1) / s[:, 0]
        return out

    return ctx.cached(("a1_margins", n, d, layers, runs), compute)


def a1_cells(n: int) -> dict[str, list[int]]:
    """The cells one n's check simulates: ``region`` (``C n^2`` for each reading's C),
    ``below`` (``C n^2 / 4``: the planted control's cells) and ``gross`` (``n``, ``2n``)."""
    n = check_int(n, "n", minimum=2)
    region = sorted({int(round(S.REGION_C[r] * n * n)) for r in READINGS})
    below = sorted({max(n, int(round(S.REGION_C[r] * n * n / 4))) for r in READINGS})
    return {"region": region, "below": below, "gross": [n, 2 * n]}


def _pfail(m: np.ndarray, fraction: float) -> Interval:
    k = int(np.sum(m < fraction))
    return binomial_bounds(k, m.size)


def a1_region_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""All rows of one n: the region verdicts (per cell, per reading) and the controls.

    ``case``: ``n``, ``layers`` (L), ``runs`` (per region cell; >= :func:`runs_to_pass` for a
    pass to be possible), ``control_runs`` (per control cell).

    Record ``assumption-a1/phase-diagram``; source: Sec. 3.3 and Fig. 3 (boundary d = (n - 28)^1.8); Assumption A1.

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "assumption-a1/phase-diagram",
        ...     {'n': 4, 'layers': 5, 'runs': 300, 'control_runs': 16},
        ... )
    """
    ST = S.A1_PHASE
    n = check_int(case["n"], "n", minimum=2)
    L = check_int(case["layers"], "layers", minimum=1)
    m = check_int(case["runs"], "runs", minimum=2)
    mc = check_int(case.get("control_runs", m), "control_runs", minimum=2)
    cells = a1_cells(n)
    rows: Rows = []
    for d in cells["region"]:
        marg = a1_margins(ctx, n, d, L, m)
        for reading in READINGS:
            C = S.REGION_C[reading]
            if d < C * n * n:
                continue
            est = _pfail(marg[reading], S.A1_FRACTION)
            p = {"n": n, "d": d, "L": L, "runs": m, "reading": reading, "C": C}
            worst = float(marg[reading].min())
            rows += _with_power(
                judge(
                    ctx,
                    ST.id,
                    f"A1({S.A1_FRACTION:g} alpha_0, {L}) at d = {d} = {d / (n * n):g} n^2 "
                    f"(n = {n}, {reading}): P(run fails) <= eps",
                    est,
                    ST.bound_at(n=n, d=d, reading=reading),
                    edge=None,
                    params=p,
                    extra={
                        "failed runs": int(round(est.estimate * m)),
                        "smallest margin min_k stat_k / stat_0": worst,
                        "margin 5% quantile": float(np.quantile(marg[reading], 0.05)),
                        "boundary cell": d == int(round(C * n * n)),
                    },
                ),
                m,
                S.EPS,
            )
            if d == int(round(C * n * n)):  # planted: a stricter threshold at the boundary cell
                c = ST.control("strict-threshold")
                rows += judge(
                    ctx,
                    ST.id,
                    f"A1({S.STRICT_FRACTION:g} alpha_0, {L}) at d = {d} (n = {n}, {reading})",
                    _pfail(marg[reading], S.STRICT_FRACTION),
                    c.bound_at(ST.id, n=n, d=d, reading=reading),
                    control=c.id,
                    params=p,
                )
    for d in cells["below"]:
        marg = a1_margins(ctx, n, d, L, mc)
        for reading in READINGS:
            C = S.REGION_C[reading]
            if d != max(n, int(round(C * n * n / 4))):
                continue
            c = ST.control("below-boundary")
            rows += judge(
                ctx,
                ST.id,
                f"A1({S.A1_FRACTION:g} alpha_0, {L}) at d = {d} = C n^2 / 4 (n = {n}, {reading})",
                _pfail(marg[reading], S.A1_FRACTION),
                c.bound_at(ST.id, n=n, d=d, reading=reading),
                control=c.id,
                params={"n": n, "d": d, "L": L, "runs": mc, "reading": reading, "C": C},
            )
    for d, cid in zip(cells["gross"], ("holds-at-d=n", "holds-at-d=2n")):
        marg = a1_margins(ctx, n, d, L, mc)
        c = ST.control(cid)
        for reading in READINGS:
            rows += judge(
                ctx,
                ST.id,
                f"A1({S.A1_FRACTION:g} alpha_0, {L}) at d = {d} (n = {n}, {reading})",
                _pfail(marg[reading], S.A1_FRACTION),
                c.bound_at(ST.id, n=n, d=d, reading=reading),
                control=c.id,
                params={"n": n, "d": d, "L": L, "runs": mc, "reading": reading},
            )
    return rows


def a1_plan(ctx: RunContext) -> dict[str, Any]:
    """Sizes per profile: ``cells`` (one case of :func:`a1_region_check` per n) and ``phase``
    (the case of :func:`phase_diagram`).

    Region cells get ``runs >= runs_to_pass(EPS)`` (256): 300 for n >= 12, where the smallest
    margin in 1000 runs is >= 0.3 (3x the threshold), and 600 for n <= 8, where A1 does fail
    at the boundary cell at a rate ~1e-3 (n = 4: 2/3000 runs at L = 120, 1/300 at L = 300):
    600 runs still pass with up to 8 failures, 300 runs with none.
    """
    ns = ctx.pick(ci=(4, 8, 12), thorough=(4, 8, 12, 16), paper=(16, 32, 48, 64))
    L = ctx.pick(ci=120, thorough=200, paper=1000)
    base = max(runs_to_pass(S.EPS), 300)
    mc = ctx.pick(ci=64, thorough=128, paper=128)
    return {
        "cells": [
            {"n": n, "layers": L, "runs": 2 * base if n <= 8 else base, "control_runs": mc}
            for n in ns
        ],
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


def clipped_mean_bounds(x: Any, lo: float, hi: float, *, bias: float) -> Interval:
    r"""Both one-sided bounds on ``E X`` from samples clipped to ``[lo, hi]``
    (:func:`theory.stats.mean_bounds` at ASSERTION_DELTA), each end widened by ``bias`` (the most
    the clipping can move the mean)."""
    if not (bias >= 0):
        raise ValueError(f"bias must be >= 0; got {bias}")
    iv = mean_bounds(np.clip(np.asarray(x, dtype=float), lo, hi), lo=lo, hi=hi)
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
    r"""Sec. 3.3 at one (n, d) with ``case["m"]`` matrices: tails at ``case["ts"]`` and the
    typical values, plus the planted controls (see the record).

    Record ``assumption-a1/gaussian-sigma-min``; source: Sec. 3.3 ('the minimum singular value of H_0 is greater than sqrt(d) - sqrt(n)', the basis of A1(Theta(1), 0)); Davidson & Szarek (2001) Thm II.13, Gordon (1985).

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "assumption-a1/gaussian-sigma-min",
        ...     {'n': 4, 'd': 16, 'm': 400},
        ... )
    """
    ST = S.GAUSSIAN_SIGMA_MIN
    n = check_int(case["n"], "n", minimum=1)
    d = check_int(case["d"], "d", minimum=n)
    m = check_int(case["m"], "m", minimum=2)
    ts = [float(t) for t in case.get("ts", S.TAIL_TS)]
    seed = ctx.seed("sec3.3/H0", n, d, m)
    smin, smax = gaussian_extreme_singular_values(ctx.backend, d, n, m, seed)
    b, B = math.sqrt(d) - math.sqrt(n), math.sqrt(d) + math.sqrt(n)
    p = {"n": n, "d": d, "m": m}
    rows: Rows = []
    for t in ts:
        for side, k, name in (
            ("lower-tail", int(np.sum(smin < b - t)), "s_min < sqrt d - sqrt n - t"),
            ("upper-tail", int(np.sum(smax > B + t)), "s_max > sqrt d + sqrt n + t"),
        ):
            rows += _with_power(
                judge(
                    ctx,
                    ST.id,
                    f"P({name}) <= exp(-t^2/2) at t = {t:g} (n = {n}, d = {d})",
                    binomial_bounds(k, m),
                    ST.bound_at(side, d=d, n=n, t=t),
                    edge=None,
                    params={**p, "t": t},
                    seed=seed,
                    extra={"frequency": k / m, "exp(-t^2)": math.exp(-t * t)},
                ),
                m,
                math.exp(-t * t / 2),
            )
    lo_min = max(0.0, b - CLIP_T)
    iv_min = clipped_mean_bounds(
        smin, lo_min, B + CLIP_T, bias=clip_bias() * (2 if lo_min > 0 else 1)
    )
    iv_max = clipped_mean_bounds(smax, max(0.0, b - CLIP_T), B + CLIP_T, bias=2 * clip_bias())
    rows += judge(
        ctx,
        ST.id,
        f"E s_min >= sqrt d - sqrt n (n = {n}, d = {d})",
        iv_min,
        ST.bound_at("mean-min", d=d, n=n),
        side="lower",
        params=p,
        seed=seed,
        extra={"E s_min - (sqrt d - sqrt n)": iv_min.estimate - b},
    )
    rows += judge(
        ctx,
        ST.id,
        f"E s_max <= sqrt d + sqrt n (n = {n}, d = {d})",
        iv_max,
        ST.bound_at("mean-max", d=d, n=n),
        side="upper",
        params=p,
        seed=seed,
        extra={"sqrt d + sqrt n - E s_max": B - iv_max.estimate},
    )
    # planted controls, where they are false (see the record's why_false)
    if d >= 2 * n:
        c = ST.control("literal")
        rows += judge(
            ctx,
            ST.id,
            f"P(s_min < sqrt d - sqrt n) <= 0 (n = {n}, d = {d})",
            binomial_bounds(int(np.sum(smin < b)), m),
            c.bound_at(ST.id, d=d, n=n),
            control=c.id,
            params=p,
            seed=seed,
        )
    if n >= S.HALF_GAP_MIN_N:
        for cid, check, est, side in (
            ("half-gap", f"E s_min >= sqrt d - sqrt n / 2 (n = {n}, d = {d})", iv_min, "lower"),
            ("half-gap-max", f"E s_max <= sqrt d + sqrt n / 2 (n = {n}, d = {d})", iv_max, "upper"),
        ):
            cb = ST.control_bound(cid, d=d, n=n)
            rows += judge(ctx, ST.id, check, est, cb, side=side, control=cid, params=p, seed=seed)
    return rows


__all__ = [
    "a1_cells",
    "a1_plan",
    "a1_margins",
    "a1_region_check",
    "binomial_power",
    "boundary",
    "clip_bias",
    "clipped_mean_bounds",
    "d_grid",
    "fit_boundary",
    "gaussian_extreme_singular_values",
    "phase_diagram",
    "runs_to_pass",
    "sigma_min_check",
]
