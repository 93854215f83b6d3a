r"""Checks of Theorem 1 (Eq. 3) at finite width: both readings of alpha, both handlings of A1,
the planted variants, and the tightness measurements.  Pure functions ``(ctx, case) -> rows``.

**Sampling: until the data decide** (issue 17).  Before the judged sample an independent
**pilot** of ``PILOT`` runs fixes the conditioning alpha of each reading: the ``pfail``
quantile of the pilot's per-run ``min_{k=1..l}`` of ``sigma_min(H_k)`` (stated) or its square
(proved), so that ``P(A1) ~ 1 - pfail`` (0.7-0.98) and A1 is never a rare event (the old
code's q = 0.94 of alpha_max kept 2-70 of 140-275 runs).  This is a design choice kept on
purpose: alpha is fixed before the judged runs, so the runs on which A1 held are i.i.d. draws
of the conditional law given A1.

The judged chain is then drawn in batches on the profile's budget
(:meth:`theory.engine.RunContext.budget`: batches of 200, 300, 450, ... runs, K looks fixed in
advance; a case's ``max_runs`` only lowers it) by :func:`theory.sequential.sequential_loop`.
At each look, for every reading asked for and both handlings -- conditioning on A1 at the
pilot's alpha, and the certified alpha (the minimum of the A1 statistic over all runs so far)
-- the interval of :func:`theory.stats.mean_bounds` on ``[0, sqrt(1 - 1/n)]`` is computed at
``delta / K`` per side; the loop stops at the first look where every such row is decided and
its edge control (:data:`theory.engine.EDGE`: "``E[V] <= 0.8 x estimate``") is refuted (a
failing row does not wait for its edge), or when the budget is spent -- only then is a row
inconclusive or an edge not refuted.  By the union bound over the K looks each end holds at
``delta`` uniformly over the looks, so the rows are judged (:func:`theory.engine.judge`) on the
stopping look's intervals with ``delta`` = the whole sequence's level, whatever made it stop;
and any threshold read off them (the record's bound at the final certified alpha, the edge)
has the same guarantee.  No check here plans its sample size.  The planted variants
(:func:`control_check`) sample the same way until the variant is decided; the one
finite-sample tightness assertion (the plateau decreases with width) uses
:func:`theory.engine.sample_until_decided` on the paired difference.  The exponents and the
decay factor are info rows (bootstrap / point-estimate fits, asymptotic, not finite-sample).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import inputs
from ..assumption import READINGS, a1_statistic, alpha_max, certified_alpha
from ..engine import EDGE, CheckResult, RunContext, judge, sample_until_decided
from ..sequential import sequential_loop
from ..statements import theorem1 as T1
from ..stats import (
    ASSERTION_DELTA,
    Interval,
    binomial_bounds,
    derive_seed,
    fit_log_slope,
    mean_bounds,
)
from ._looks import decided, how, settled, whole

Rows = list[CheckResult]

#: Pilot runs (independent of the judged sample): fix the conditioning alpha only.
PILOT = 96


def _chain(ctx: RunContext, H0_key: tuple, depth: int, runs: int, seed: int) -> Any:
    """The chain from ``inputs.h0(*H0_key)``, in the run cache (keyed with the backend)."""
    family, d, n, param, h0_seed = H0_key
    return ctx.cached(
        ("theorem-1/chain", H0_key, depth, runs, seed),
        lambda: ctx.simulate(inputs.h0(family, d, n, param, h0_seed), depth, runs=runs, seed=seed),
    )


def _min_stat(res: Any, l: int, reading: str) -> np.ndarray:
    return a1_statistic(res.sigma_min, reading)[:, 1 : l + 1].min(axis=1)


# ---------------------------------------------------------------------------- Eq. 3 itself


def theorem1_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""``E[V(H_{l+1}) | A1] <= 2 (1 - 2 alpha/3)^l + 3 n / (alpha sqrt d)`` (Eq. 3) in both
    readings of alpha (``theorem-1/stated-alpha``, ``theorem-1/proved-alpha``) and both
    handlings of A1 (conditioning at the pilot's alpha, P(A1) reported; certified alpha), each
    judged separately with its edge control, on one chain drawn until every row is decided
    (see the module docstring).  ``case``: ``n, d, l, family, param, pfail, seed`` (+ optional
    ``max_runs``, which only lowers the profile's budget, and ``readings``: both by default).
    """
    n, d, l = int(case["n"]), int(case["d"]), int(case["l"])
    family, param = case["family"], float(case.get("param", 0.0))
    pfail = float(case.get("pfail", 0.1))
    if not (0 < pfail < 0.5):
        raise ValueError(f"pfail must be in (0, 0.5); got {pfail}")
    readings = tuple(case.get("readings", READINGS))
    key = ("theorem-1", n, d, l, family, param, int(case.get("seed", 0)))
    h0_key = (family, d, n, param, ctx.seed(*key, "H0"))
    H0 = inputs.h0(*h0_key)
    w = T1.max_gap(n)
    pilot = _chain(ctx, h0_key, l + 1, PILOT, ctx.seed(*key, "pilot"))
    alphas = {r: float(np.quantile(_min_stat(pilot, l, r), pfail)) for r in readings}

    V_parts: list[np.ndarray] = []
    mins: dict[str, list[np.ndarray]] = {r: [] for r in readings}

    def draw(b: int, s: int) -> None:
        res = ctx.simulate(H0, l + 1, runs=b, seed=s)
        V_parts.append(np.asarray(res.V[:, l + 1], dtype=np.float64))
        for r in readings:
            mins[r].append(_min_stat(res, l, r))

    # per (reading, handling): (alpha, interval at the look's level or None, runs kept)
    looked: dict[tuple[str, str], tuple[float, Interval | None, int]] = {}

    def look(share: float) -> bool:
        V = np.concatenate(V_parts)
        ok = True
        for r in readings:
            S = T1.READING_STATEMENTS[r]
            m = np.concatenate(mins[r])
            held = m >= alphas[r]
            for handling, a, X in (
                ("conditioning", alphas[r], V[held]),
                ("certified", float(m.min()), V),
            ):
                if handling == "certified" and a <= 0:
                    looked.pop((r, handling), None)
                    continue
                if X.size < 2:
                    looked[(r, handling)] = (a, None, int(X.size))
                    ok = False
                    continue
                est = mean_bounds(X, lo=0.0, hi=w, delta=share * ASSERTION_DELTA)
                looked[(r, handling)] = (a, est, int(X.size))
                ok = settled(est, S.bound_at(n, d, l, a)) and ok
        return ok

    seed = ctx.seed(*key, "sequential")
    res = sequential_loop(draw, look, budget=ctx.budget(max_runs=case.get("max_runs")), seed=seed)
    runs = res.runs
    sampling = how(res)
    base = {"n": n, "d": d, "l": l, "family": family, "param": param, "runs": runs}
    base["pilot runs"] = PILOT
    rows: Rows = []
    for reading in readings:
        S = T1.READING_STATEMENTS[reading]
        # (a) conditioning on A1(alpha, l), alpha fixed by the pilot
        a, est, k = looked[(reading, "conditioning")]
        p = binomial_bounds(k, runs, delta=0.025)
        extra = {
            "P(A1)": k / runs,
            "P(A1) 95% CP": [p.lower, p.upper],
            "A1 runs": k,
            "alpha / alpha_max": a / alpha_max(n, reading),
            "alpha from": f"pilot quantile {pfail:g} of min_k stat(H_k)",
            **sampling,
        }
        iv = None if est is None else whole(est, res)
        params = {**base, "pfail": pfail}
        rows += _judged(ctx, S, iv, n, d, l, a, "conditioning", params, seed, extra)
        # (b) certified alpha: min over all runs and k = 1..l
        if (reading, "certified") in looked:
            ac, est, _ = looked[(reading, "certified")]
            extra = {"alpha / alpha_max": ac / alpha_max(n, reading), **sampling}
            iv = None if est is None else whole(est, res)
            rows += _judged(ctx, S, iv, n, d, l, ac, "certified", base, seed, extra)
    return rows


def _judged(
    ctx: RunContext,
    S: Any,
    est: Interval | None,
    n: int,
    d: int,
    l: int,
    alpha: float,
    handling: str,
    params: dict[str, Any],
    seed: int,
    extra: dict[str, Any],
    control: str | None = None,
) -> Rows:
    """Rows of Eq. 3 (or of the planted variant ``control``) at ``alpha`` on ``est``, an
    interval on ``E[V(H_{l+1})]`` (None: fewer than 2 runs kept, no estimate)."""
    w = T1.max_gap(n)
    reading = "stated" if S.id.endswith("stated-alpha") else "proved"
    b = S.bound_at(n, d, l, alpha) if control is None else S.control_bound(control, n, d, l, alpha)
    params = {**params, "reading": reading, "a1_handling": handling, "alpha": alpha}
    extra = {**extra, "vacuous": b >= w, "max_V": w, "width term": T1.floor_term(n, d, alpha)}
    check = f"E[V(H_{{l+1}})] <= 2(1-2a/3)^l + 3n/(a sqrt d), {reading} alpha, A1 by {handling}"
    if est is None:
        return [
            ctx.row(
                statement_id=S.id,
                check=check + ": A1 held on fewer than 2 runs, no estimate",
                verdict="info" if control is None else "not-refuted",
                control=control,
                params=params,
                seed=seed,
                extra=extra,
            )
        ]
    return judge(
        ctx, S.id, check, est, b, control=control, edge=EDGE, params=params, seed=seed, extra=extra
    )


# ---------------------------------------------------------------------------- planted variants

#: Where each variant is false (see the records' why_false): n, d, l, family, alpha as a
#: fraction of alpha_max per reading (conditioning).  Chosen before any simulation; the runs
#: are drawn until the variant is decided.
CONTROL_SETUPS: dict[str, tuple[int, int, int, str, dict[str, float]]] = {
    "floor-over-100": (2, 64, 40, "gaussian", {"stated": 0.7, "proved": 0.5}),
    "no-width-term": (2, 64, 40, "gaussian", {"stated": 0.7, "proved": 0.5}),
    "width-exponent-1": (2, 1024, 16, "gaussian", {"stated": 0.92}),
}


def control_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    """A planted variant of Eq. 3 (``case["control"]``, ``case["reading"]``) judged on the same
    estimator, conditioning on A1 at the setup's alpha; the chain is drawn in batches until the
    variant is decided (refuted, or clearly holding) or the budget ends; must be refuted."""
    cid, reading = case["control"], case["reading"]
    n, d, l, family, qs = CONTROL_SETUPS[cid]
    if reading not in qs:
        raise ValueError(f"control {cid!r} is set up for readings {sorted(qs)}; got {reading!r}")
    S = T1.READING_STATEMENTS[reading]
    key = ("theorem-1/control", n, d, l, family)
    H0 = inputs.h0(family, d, n, 0.0, ctx.seed(*key, "H0"))
    a = qs[reading] * alpha_max(n, reading)
    cb = S.control_bound(cid, n, d, l, a)
    w = T1.max_gap(n)
    kept: list[np.ndarray] = []
    state: dict[str, Interval | None] = {"est": None}

    def draw(b: int, s: int) -> None:
        res = ctx.simulate(H0, l + 1, runs=b, seed=s)
        held = _min_stat(res, l, reading) >= a
        kept.append(np.asarray(res.V[held, l + 1], dtype=np.float64))

    def look(share: float) -> bool:
        X = np.concatenate(kept)
        if X.size < 2:
            state["est"] = None
            return False
        est = mean_bounds(X, lo=0.0, hi=w, delta=share * ASSERTION_DELTA)
        state["est"] = est
        return decided(est, cb)

    seed = ctx.seed(*key, "sequential")
    res = sequential_loop(draw, look, budget=ctx.budget(max_runs=case.get("max_runs")), seed=seed)
    k = sum(x.size for x in kept)
    extra = {"P(A1)": k / res.runs, "A1 runs": k, **how(res)}
    params = {"n": n, "d": d, "l": l, "family": family, "runs": res.runs}
    est = state["est"]
    iv = None if est is None else whole(est, res)
    return _judged(ctx, S, iv, n, d, l, a, "conditioning", params, seed, extra, cid)


# ---------------------------------------------------------------------------- tightness


def _series(
    label: str, y: Sequence[float], lo: Any = None, hi: Any = None, style: str = "data"
) -> dict:
    return {"label": label, "y": [float(v) for v in y], "lo": lo, "hi": hi, "style": style}


BURN = 20


def _plateau(
    ctx: RunContext, n: int, d: int, runs: int, avg: int, tag: str
) -> tuple[np.ndarray, Any]:
    """Per-run average of V over layers BURN..BURN+avg-1, Gaussian H_0."""
    key = ("theorem-1/plateau", tag, n, d, runs, avg)
    res = _chain(
        ctx, ("gaussian", d, n, 0.0, ctx.seed(*key, "H0")), BURN + avg, runs, ctx.seed(*key)
    )
    return res.V[:, BURN:].mean(axis=1), res


def tightness_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    """``case["part"]``: ``"monotone"`` (the one finite-sample assertion: the plateau decreases
    with width, judged on the paired difference), ``"width"`` / ``"batch"`` (plateau vs d, n:
    fitted exponents, info), ``"decay"`` (per-layer factor vs 1 - 2alpha/3, info).

    Record ``theorem-1/tightness``; source: Eq. 3; Fig. 2b (the paper's slope -0.46); THEORY_NOTES §5.

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "theorem-1/tightness",
        ...     {'part': 'monotone', 'd': (16, 64), 'avg': 4, 'max_runs': 1000},
        ... )
    """
    part = case["part"]
    if part == "monotone":
        return _monotone(ctx, case)
    if part in ("width", "batch"):
        return _sweep(ctx, case)
    if part == "decay":
        return _decay(ctx, case)
    raise ValueError(f"part must be 'monotone', 'width', 'batch' or 'decay'; got {part!r}")


def _monotone(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""``E[P(d_small) - P(d_large)] >= 0`` (the record's bound, 0) with ``P`` the per-run
    plateau (n = 2); X lies in ``[-w, w]``.  Runs are independent across widths, paired by
    index; batches are drawn until the claim is decided and its edge control ("``E X >=
    estimate / 0.8``") refuted, or the budget ends (:func:`theory.engine.sample_until_decided`).
    The control 'plateau-flat-in-d' (``E[...] <= 0``) is refuted iff the lower end is > 0."""
    S = T1.TIGHTNESS
    n, (d0, d1), avg = 2, case.get("d", (16, 1024)), int(case["avg"])
    w = T1.max_gap(n)
    key = ("theorem-1/monotone", n, d0, d1, avg)
    H0s = {d: inputs.h0("gaussian", d, n, 0.0, ctx.seed(*key, "H0", d)) for d in (d0, d1)}
    sums = {d0: 0.0, d1: 0.0}

    def sample(runs: int, seed: int) -> np.ndarray:
        p = {}
        for d in (d0, d1):
            res = ctx.simulate(H0s[d], BURN + avg, runs=runs, seed=derive_seed(seed, "width", d))
            p[d] = res.V[:, BURN:].mean(axis=1)
            sums[d] += float(p[d].sum())
        return np.clip(p[d0] - p[d1], -w, w)

    b = S.bound_at()
    est, seed, runs, sampling = sample_until_decided(
        ctx,
        sample,
        lo=-w,
        hi=w,
        key=key,
        bound=b,
        controls={},
        side="lower",
        max_runs=case.get("max_runs"),
    )
    check = f"plateau decreases with width: E[plateau(d={d0}) - plateau(d={d1})] >= 0 (n = 2)"
    params = {"n": n, "d": [d0, d1], "runs": runs, "burn-in": BURN, "layers averaged": avg}
    extra = {"E plateau": {str(d): sums[d] / runs for d in (d0, d1)}, **sampling}
    rows = judge(
        ctx, S.id, check, est, b, side="lower", edge=EDGE, params=params, seed=seed, extra=extra
    )
    rows += judge(
        ctx,
        S.id,
        check,
        est,
        0.0,
        side="upper",
        control="plateau-flat-in-d",
        params=params,
        seed=seed,
        extra=sampling,
    )
    return rows


def _sweep(ctx: RunContext, case: dict[str, Any]) -> Rows:
    S = T1.TIGHTNESS
    part, runs, avg = case["part"], int(case["runs"]), int(case["avg"])
    xs = list(case["x"])
    P, alphas = [], {r: [] for r in READINGS}
    for x in xs:
        n, d = (2, int(x)) if part == "width" else (int(x), int(case.get("d", 1024)))
        p, res = _plateau(ctx, n, d, runs, avg, part)
        P.append(p)
        for r in READINGS:
            alphas[r].append(certified_alpha(res.sigma_min, BURN + avg, r))
    Y = np.stack(P, axis=1)
    fit = fit_log_slope(xs, Y, seed=ctx.seed("theorem-1/fit", part))
    means = Y.mean(axis=0)

    def nd(x: int) -> tuple[int, int]:
        return (2, x) if part == "width" else (x, int(case.get("d", 1024)))

    floors = {r: [T1.floor_term(*nd(x), a) for x, a in zip(xs, alphas[r])] for r in READINGS}
    ratio = {r: [float(m / f) for m, f in zip(means, floors[r])] for r in READINGS}
    if part == "width":
        check = "plateau E[V] vs width d (n = 2): fitted exponent (Eq. 3: -1/2; paper -0.46)"
        fig = (
            "theorem1-plateau-vs-d",
            "Theorem 1: plateau of E[V] against width (n = 2)",
            "width d",
        )
    else:
        check = f"plateau E[V] vs batch size n (d = {case.get('d', 1024)}): fitted exponent"
        fig = (
            "theorem1-plateau-vs-n",
            "Theorem 1: plateau of E[V] against batch size",
            "batch size n",
        )
    row = ctx.row(
        statement_id=S.id,
        check=check,
        verdict="info",
        measured=fit.slope,
        ci_low=fit.lower,
        ci_high=fit.upper,
        method=f"OLS of log mean plateau; bootstrap {fit.confidence:.0%} interval over runs: "
        "bootstrap, asymptotic (not finite-sample), info only",
        finite_sample=False,
        params={"x": xs, "runs": runs, "burn-in": BURN, "layers averaged": avg},
        extra={
            "plateau": means.tolist(),
            "plateau / (3n/(alpha sqrt d))": ratio,
            "certified alpha": alphas,
            "figure": {
                "id": fig[0],
                "title": fig[1],
                "caption": "Layer-averaged V after burn-in with the width term 3n/(alpha sqrt d) "
                f"of Eq. 3 (certified alpha, both readings); fitted exponent {fit.slope:.3f} "
                f"[{fit.lower:.3f}, {fit.upper:.3f}].",
                "type": "lines",
                "x": xs,
                "series": [
                    _series("measured plateau", means),
                    *[
                        _series(f"3n/(alpha sqrt d), {r} alpha", floors[r], style="claim")
                        for r in READINGS
                    ],
                ],
                "xlabel": fig[2],
                "ylabel": "E[V] (plateau)",
                "logx": True,
                "logy": True,
            },
        },
    )
    return [row]


def _decay(ctx: RunContext, case: dict[str, Any]) -> Rows:
    S = T1.TIGHTNESS
    ns, d, runs, layers = (
        list(case["n"]),
        int(case["d"]),
        int(case["runs"]),
        int(case.get("layers", 14)),
    )
    obs, pred = [], {"stated": [], "proved": [], "mean-field": []}
    per_n = {}
    for n in ns:
        key = ("theorem-1/decay", n, d, runs)
        res = _chain(
            ctx,
            ("correlated", d, n, 0.6, ctx.seed(*key, "H0")),
            layers,
            runs,
            ctx.seed(*key),
        )
        m = res.V.mean(axis=0)
        floor = m[-3:].mean()
        below = np.nonzero(m[1:] < 4 * floor)[0]
        stop = int(below[0]) + 1 if below.size else len(m)
        ls = np.arange(1, max(stop, 4))
        slope = float(np.polyfit(ls, np.log(m[ls]), 1)[0])
        a_s = certified_alpha(res.sigma_min, int(ls[-1]), "stated")
        a_p = certified_alpha(res.sigma_min, int(ls[-1]), "proved")
        obs.append(math.exp(slope))
        pred["stated"].append(1 - 2 * a_s / 3)
        pred["proved"].append(1 - 2 * a_p / 3)
        pred["mean-field"].append(n / (n + 2))
        per_n[n] = {
            "layers fitted": [int(ls[0]), int(ls[-1])],
            "alpha stated": a_s,
            "alpha proved": a_p,
        }
    return [
        ctx.row(
            statement_id=S.id,
            check="transient: observed per-layer factor of E[V_l] vs 1 - 2alpha/3 (both readings, "
            "certified alpha) and the mean-field n/(n+2)",
            verdict="info",
            measured=obs[-1],
            method="log-linear fit of mean V over the transient layers: point estimate, no "
            "interval, asymptotic (not finite-sample), info only",
            finite_sample=False,
            params={"n": ns, "d": d, "runs": runs, "H0": "correlated Gaussian, rho = 0.6"},
            extra={
                "observed factor": obs,
                "1 - 2alpha/3": pred,
                "per n": per_n,
                "figure": {
                    "id": "theorem1-decay-rate",
                    "title": "Theorem 1: per-layer decay factor of E[V] in the transient",
                    "caption": "Observed factor (fit of log E[V_l] on l) against the rates of Eq. 3 "
                    "in both readings (certified alpha) and the mean-field n/(n+2).",
                    "type": "lines",
                    "x": ns,
                    "series": [
                        _series("observed", obs),
                        _series("1 - 2alpha/3, stated alpha", pred["stated"], style="claim"),
                        _series("1 - 2alpha/3, proved alpha", pred["proved"], style="claim"),
                        _series("mean-field n/(n+2)", pred["mean-field"], style="fit"),
                    ],
                    "xlabel": "batch size n",
                    "ylabel": "per-layer factor",
                    "logx": True,
                    "logy": False,
                },
            },
        )
    ]


def stated_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    """:func:`theorem1_check` restricted to the stated reading (the record's own rows).

    Record ``theorem-1/stated-alpha``; source: Eq. 3 (main text, Theorem 1); Assumption A1 as printed.

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "theorem-1/stated-alpha",
        ...     {'n': 2, 'd': 256, 'l': 4, 'family': 'gaussian', 'param': 0.0, 'pfail': 0.1, 'seed': 0, 'max_runs': 500},
        ... )
    """
    return theorem1_check(ctx, {**case, "readings": ("stated",)})


def proved_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    """:func:`theorem1_check` restricted to the proved reading (the record's own rows).

    Record ``theorem-1/proved-alpha``; source: Eq. 3 with alpha as used by the arXiv v1 proof (App. B, Thm 5 + Lemma 4).

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "theorem-1/proved-alpha",
        ...     {'n': 2, 'd': 256, 'l': 4, 'family': 'gaussian', 'param': 0.0, 'pfail': 0.1, 'seed': 0, 'max_runs': 500},
        ... )
    """
    return theorem1_check(ctx, {**case, "readings": ("proved",)})


__all__ = [
    "proved_check",
    "stated_check",
    "CONTROL_SETUPS",
    "PILOT",
    "control_check",
    "theorem1_check",
    "tightness_check",
]
