r"""Checks of Theorem 1 at infinite width (:mod:`theory.statements.meanfield`): the mean-field
iteration in both readings of alpha (deterministic), and its convergence from the finite-width
chain (Monte Carlo, sampled until the data decide: :func:`convergence_check`).
Pure functions ``(ctx, case) -> rows``."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import inputs, sawa
from ..engine import CheckResult, RunContext, judge, judge_exact
from ..sequential import sequential_loop
from ..statements import meanfield as M
from ..stats import ASSERTION_DELTA, Interval, derive_seed, mean_bounds
from ._looks import decided, how, settled, whole

Rows = list[CheckResult]
#: The planted variants of the convergence record, judged at d_max (all by default).
CONTROLS = ("identity-map", "rate-1/d")


def _a0(case: dict[str, Any]) -> np.ndarray:
    a0 = np.asarray(case["a0"], dtype=np.float64)
    if a0.ndim != 1 or a0.size != int(case["n"]):
        raise ValueError(f"a0 must be a 1-d spectrum of length n={case['n']}; got shape {a0.shape}")
    return a0


def _params(case: dict[str, Any], res: dict[str, Any]) -> dict[str, Any]:
    return {
        "n": int(case["n"]),
        "layers": int(case["layers"]),
        "a0 (normalised)": (np.sort(_a0(case))[::-1] / _a0(case).sum()).tolist(),
        "worst layer l": res["worst_l"],
        "alpha at l": res.get("alpha"),
    }


def _extra(res: dict[str, Any], reading: str) -> dict[str, Any]:
    return {
        "reading": reading,
        "first failing layer": res["first"],
        "max V_{l+1}/bound": res["worst"],
        "log V_{l+1} at worst layer": res.get("logV"),
        "log bound at worst layer": res.get("logbound"),
        "ratio tolerance (TOL)": M.TOL,
    }


def stated_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    """Stated reading at d = inf: one ``info`` row (the finding convention: a violation is a
    finding about the printed statement, reported, not a suite failure) with the worst ratio
    ``V_{l+1} / (2 (1 - 2alpha/3)^l)`` and the first failing layer; with ``case["control"]``
    also the planted control 'holds-in-the-limit', refuted iff the ratio exceeds 1 + TOL.

    Record ``meanfield/stated-alpha``; source: Eq. 3 at d -> infinity; arXiv v1 Lemma 6 (E_W C = Q diag(p) Q^T, Sawa's p); issue 11.

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "meanfield/stated-alpha",
        ...     {'n': 5, 'a0': [0.21200000000000002, 0.197, 0.197, 0.197, 0.197], 'layers': 20},
        ... )
    """
    S = M.STATED
    n = int(case["n"])
    res = M.scan(_a0(case), "stated", int(case["layers"]))
    b = S.bound_at(n, res["worst_l"], res["alpha"])
    params, extra = _params(case, res), _extra(res, "stated")
    extra["bound at worst layer"] = b
    check = "mean-field V_{l+1} <= 2(1 - 2 alpha/3)^l, alpha = min_k sigma_min (stated)"
    found = res["first"] is not None
    rows = [
        ctx.row(
            statement_id=S.id,
            check=check + (f": VIOLATED from layer {res['first']} (finding)" if found else ""),
            verdict="info",
            measured=res["worst"],
            bound=1.0,
            tightness=res["worst"],
            method="deterministic mean-field iteration (cancellation-free Sawa map, NumPy float64 "
            "oracle, backend-independent), ratio to bound",
            params=params,
            extra=extra,
        )
    ]
    if case.get("control"):
        cb = S.control_bound("holds-in-the-limit", n, res["worst_l"], res["alpha"])
        rows += judge_exact(
            ctx,
            S.id,
            check + " (as a claim at this H_0)",
            res["worst"],
            1.0,
            M.TOL,
            control="holds-in-the-limit",
            params=params,
            extra={**extra, "variant bound at worst layer": cb},
        )
    return rows


def proved_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    """Proved reading at d = inf: ``max_l V_{l+1} / (2 (1 - 2alpha/3)^l) <= 1`` by
    :func:`theory.engine.judge_exact` with slack TOL; ``case["controls"]`` (ids) adds the planted
    variants judged on the same trajectory.

    Record ``meanfield/proved-alpha``; source: Eq. 3 at d -> infinity; arXiv v1 Lemma 6 (E_W C = Q diag(p) Q^T, Sawa's p); issue 11.

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "meanfield/proved-alpha",
        ...     {'n': 5, 'a0': [0.21200000000000002, 0.197, 0.197, 0.197, 0.197], 'layers': 20},
        ... )
    """
    S = M.PROVED
    n, layers = int(case["n"]), int(case["layers"])
    res = M.scan(_a0(case), "proved", layers)
    b = S.bound_at(n, res["worst_l"], res["alpha"])
    params, extra = _params(case, res), _extra(res, "proved")
    extra["bound at worst layer"] = b
    check = "mean-field max_l V_{l+1} / (2(1 - 2 alpha/3)^l) <= 1, alpha = min_k sigma_min^2"
    rows = judge_exact(ctx, S.id, check, res["worst"], 1.0, M.TOL, params=params, extra=extra)
    for cid in case.get("controls", ()):
        if cid == "stated-alpha":
            rc = M.scan(_a0(case), "stated", layers)
        elif cid == "rate-just-faster":
            rc = M.scan(_a0(case), "proved", layers, rate=M.RATE_FACTOR * n / (n + 2.0))
        else:
            raise ValueError(f"unknown control {cid!r} of {S.id}")
        cb = S.control_bound(cid, n, rc["worst_l"], rc["alpha"])
        rows += judge_exact(
            ctx,
            S.id,
            f"variant '{cid}': max_l V_{{l+1}} / variant bound <= 1",
            rc["worst"],
            1.0,
            M.TOL,
            control=cid,
            params={**params, "worst layer l (variant)": rc["worst_l"]},
            extra={**_extra(rc, cid), "variant bound at worst layer": cb},
        )
    return rows


# ---------------------------------------------------------------------------- convergence


def _gram_sampler(
    ctx: RunContext, family: str, d: int, n: int, param: float, h0_seed: int, l: int
) -> tuple[np.ndarray, Callable[[int, int], np.ndarray]]:
    """``(C_0, sample)``: the normalised Gram of ``H_0`` and ``sample(runs, seed)``, the Gram
    of layer ``l`` of ``runs`` new chains from ``H_0`` (shape ``(runs, n, n)``)."""
    H0 = inputs.h0(family, d, n, param, h0_seed)
    C0 = H0.T @ H0

    def sample(runs: int, seed: int) -> np.ndarray:
        return np.asarray(ctx.simulate(H0, l, runs=runs, seed=seed, record=("gram",)).gram[:, l])

    return C0 / np.trace(C0), sample


def meanfield_gram(C0: np.ndarray, l: int) -> np.ndarray:
    """``C_l^mf = Q diag(a_l) Q^T`` from ``C_0 = Q diag(a_0) Q^T`` (mean-field map, l layers)."""
    w, Q = np.linalg.eigh(C0)
    order = np.argsort(w)[::-1]
    T = sawa.meanfield_trajectory(w[order], l)
    n = w.size
    return (Q[:, order] * (1.0 / n + T[l])) @ Q[:, order].T


def convergence_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""``E ||C_l - C_l^mf||_F <= K/sqrt(d)`` at each drawn d (record's bound), and
    ``E[dist(d_min) - dist(d_max)] >= 0`` (paired by run index, independent chains); controls
    at d_max: 'identity-map' (distance to C_0) and 'rate-1/d'.  The chains of every d are drawn
    in batches on the profile's budget until each row is decided and its edge control (0.8,
    :data:`theory.engine.EDGE`) refuted (a failing row does not wait for its edge) and each
    control decided, or the budget ends (:func:`theory.sequential.sequential_loop`: every
    interval at ``delta / K`` per look, so each holds at ``delta`` over the whole sequence).

    Record ``meanfield/convergence``; source: v1 Lemma 6 (E_W C and E||C - E_W C||_F^2 <= 1/d); issue 11 (LLN behind the limit).

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "meanfield/convergence",
        ...     {'n': 3, 'family': 'spiked', 'param': 0.3, 'd': (16, 64), 'l': 2, 'max_runs': 1000},
        ... )
    """
    S = M.CONVERGENCE
    n, l = int(case["n"]), int(case["l"])
    family, param = case["family"], float(case.get("param", 0.0))
    ds = [int(d) for d in case["d"]]
    d0, d1 = ds[0], ds[-1]
    controls = tuple(c for c in ("identity-map", "rate-1/d") if c in case.get("controls", CONTROLS))
    top = math.sqrt(2.0)
    key = ("meanfield/convergence", family, tuple(ds), n, param, l)
    setup = {}
    for d in ds:
        C0, sample = _gram_sampler(ctx, family, d, n, param, ctx.seed(*key, "H0", d), l)
        setup[d] = (C0, meanfield_gram(C0, l), sample)
    bounds = {d: S.bound_at(n, d) for d in ds}
    cbs = {c: S.control_bound(c, n, d1) for c in controls}
    dist: dict[int, list[np.ndarray]] = {d: [] for d in ds}
    dist0: list[np.ndarray] = []

    def draw(b: int, s: int) -> None:
        for d in ds:
            C0, Cmf, sample = setup[d]
            G = sample(b, derive_seed(s, "width", d))
            dist[d].append(np.clip(np.sqrt(((G - Cmf) ** 2).sum(axis=(1, 2))), 0.0, top))
            if d == d1:
                dist0.append(np.clip(np.sqrt(((G - C0) ** 2).sum(axis=(1, 2))), 0.0, top))

    looked: dict[Any, Interval] = {}

    def look(share: float) -> bool:
        dk = share * ASSERTION_DELTA
        X = {d: np.concatenate(dist[d]) for d in ds}
        ok = True
        for d in ds:
            looked[d] = mean_bounds(X[d], lo=0.0, hi=top, delta=dk)
            ok = settled(looked[d], bounds[d]) and ok
        looked["diff"] = mean_bounds(X[d0] - X[d1], lo=-top, hi=top, delta=dk)
        ok = settled(looked["diff"], 0.0, side="lower") and ok
        for c in controls:
            x = np.concatenate(dist0) if c == "identity-map" else X[d1]
            looked[c] = mean_bounds(x, lo=0.0, hi=top, delta=dk)
            ok = decided(looked[c], cbs[c]) and ok
        return ok

    seed = ctx.seed(*key, "sequential")
    res = sequential_loop(draw, look, budget=ctx.budget(max_runs=case.get("max_runs")), seed=seed)
    runs, sampling = res.runs, how(res)
    rows: Rows = []
    for d in ds:
        C0, Cmf, _ = setup[d]
        est = whole(looked[d], res)
        params = {"n": n, "d": d, "l": l, "runs": runs, "family": family, "param": param}
        extra = {
            "sqrt(d) E dist": float(est.estimate * math.sqrt(d)),
            "K": (n + 2) / 2 * math.sqrt(1 - 1 / n),
            "V(C_0)": float(np.linalg.norm(C0 - np.eye(n) / n)),
            "V(C_l^mf)": float(np.linalg.norm(Cmf - np.eye(n) / n)),
            **sampling,
        }
        check = f"E ||C_l - C_l^mf||_F <= K/sqrt(d) (d = {d}, l = {l})"
        rows += judge(ctx, S.id, check, est, bounds[d], params=params, seed=seed, extra=extra)
    params = {"n": n, "d": [d0, d1], "l": l, "runs": runs, "family": family, "param": param}
    rows += judge(
        ctx,
        S.id,
        f"E dist decreases: E[dist(d={d0}) - dist(d={d1})] >= 0",
        whole(looked["diff"], res),
        0.0,
        side="lower",
        params=params,
        seed=seed,
        extra=sampling,
    )
    big = {"n": n, "d": d1, "l": l, "runs": runs, "family": family, "param": param}
    for cid in controls:
        rows += judge(
            ctx,
            S.id,
            f"variant '{cid}' at d = {d1}",
            whole(looked[cid], res),
            cbs[cid],
            control=cid,
            params=big,
            seed=seed,
            extra=sampling,
        )
    return rows


# ---------------------------------------------------------------------------- search


def search_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    """Both readings on one drawn spectrum (what the Hypothesis search runs)."""
    return proved_check(ctx, case) + stated_check(ctx, case)


__all__ = [
    "CONTROLS",
    "convergence_check",
    "meanfield_gram",
    "proved_check",
    "search_check",
    "stated_check",
]
