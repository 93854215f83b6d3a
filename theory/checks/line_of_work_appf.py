r"""Checks of the 2021 App. F chain against the AISTATS 2025 kernel map (issue 19, item 6;
records in :mod:`theory.statements.line_of_work_appf`, mathematics in
:mod:`theory.batch_kernel`).  Pure functions ``(ctx, case) -> rows``.

* :func:`limit_check`: the infinite-width limit of one cell (activation, BN variant) in
  balls -- the certified fixed point of the ReLU batch map, the trap of the orbit from layer
  ``burn``, and the planted limits of the wrong maps refuted by certified separations;
* :func:`finite_width_check`: the finite chain's mean off-diagonal cosine after burn-in at
  two or more widths, sampled by the engine until decided, against the certified window
  prediction: limit (midpoint tolerance), convergence (the finite-width term shrinks by at
  least ``sqrt(d_min/d_max)``), the edge control at 0.8 of the measured finite-width term, the
  planted limits, and the gap's floor ``V* = |c*| sqrt((n - 1)/n)``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import batch_kernel as BK
from .._validate import check_int
from ..certify import appf as CA
from ..chain import simulate
from ..engine import (
    ASSERTION_DELTA,
    CheckResult,
    RunContext,
    judge_within,
    numpy_only,
    rows_until_decided,
)
from ..statements import line_of_work_appf as S
from ..stats import Interval, derive_seed, mean_bounds
from .certificates import certificate_row

Rows = list[CheckResult]


def _cell(case: dict[str, Any]) -> tuple[str, str, int]:
    act = BK.check_activation(case.get("activation"))
    if act == "linear":
        raise ValueError("activation must be one of relu, tanh, sin (App. F); got 'linear'")
    variant = BK.check_variant(case.get("variant"))
    n = check_int(case.get("n", S.APPF_N), "n", minimum=2)
    return act, variant, n


# ------------------------------------------------------------------ (a) the limit, certified


@numpy_only
def limit_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""Certificates of one cell: ReLU without centring -- ``rho*`` bracketed (``F(lo) > lo``,
    ``F(hi) < hi``); every cell -- the infinite-width cosine at every layer ``>= burn`` within
    1e-3 of ``c*`` (exact for centred BN and odd activations); ``controls`` -- each planted
    limit that differs from ``c*`` (AISTATS fixed point, other centring, linear chain) and
    ``shifted-fixed-point`` (ReLU without centring), each refuted by a certified separation.
    One ``info`` row compares with the AISTATS fixed point.

    Record ``kernel-map-2025/app-f-limit``; source: arXiv v1 App. F (NeurIPS App. G)
    conjecture; AISTATS 2025 (Joudaki, Hofmann), Theorem 1 and the kernel map (paper/main.tex
    of github.com/ajoudaki/kernel-global); derivation in theory.batch_kernel.

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "kernel-map-2025/app-f-limit",
        ...     {'activation': 'relu', 'variant': 'bn', 'burn': 6, 'controls': True},
        ... )
    """
    act, variant, n = _cell(case)
    burn = check_int(case.get("burn", 10), "burn", minimum=4)
    certs = []
    if act == "relu" and variant == "bn":
        certs.append(CA.certify_relu_fixed_point(n))
    certs.append(CA.certify_trap(act, variant, n, burn))
    if case.get("controls"):
        for cid in S.controls_for(act, variant, n):
            value = S.CANDIDATES[cid](act, variant, n)
            certs.append(CA.certify_limit_differs(act, variant, value, cid, n))
        if act == "relu" and variant == "bn":
            certs.append(CA.certify_shifted_fixed_point(n))
    rows = [certificate_row(ctx, c) for c in certs]
    cand = S.candidates(act, variant, n)
    cand["statement"] = S.LIMIT.bound_at(act, variant, n)
    ais = BK.aistats_fixed_point(act, variant == "bn-centered")
    agree = abs(cand["aistats-limit"] - cand["statement"]) < 1e-9
    rows.append(
        ctx.row(
            statement_id=S.LIMIT.id,
            check=f"{act}, {variant}: the AISTATS kernel map's fixed point "
            + ("agrees with" if agree else "differs from")
            + " the chain's limit",
            verdict="info",
            measured=cand["statement"],
            bound=cand["aistats-limit"],
            params={"activation": act, "variant": variant, "n": n, "burn": burn},
            extra={
                "chain's limit c*": cand["statement"],
                "AISTATS rho*": cand["aistats-limit"],
                "AISTATS case": ais["case"],
                "AISTATS case decided by": ais["why"],
                "other centring's limit": cand["other-centring"],
                "linear chain's limit": cand["linear-chain-limit"],
                "V* = |c*| sqrt((n - 1)/n)": BK.gap_of_cosine(cand["statement"], n),
            },
        )
    )
    return rows


# ------------------------------------------------------------------ (b) the finite chain


def window_stats(G: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    r"""For normalised Grams ``G`` of shape ``(runs, layers, n, n)``: per run, the window mean
    of ``mean_{i != j} G_ij / sqrt(G_ii G_jj)`` and of ``V = ||G - I/n||_F`` (Eq. 2), and the
    number of (run, layer) Grams with a zero diagonal entry (a column killed by ReLU), whose
    cosines count as 0."""
    n = G.shape[-1]
    dg = np.einsum("...ii->...i", G)
    dead = int(np.sum(np.any(dg <= 0, axis=-1)))
    s = np.sqrt(np.where(dg > 0, dg, np.inf))
    C = G / (s[..., :, None] * s[..., None, :])
    off = (np.sum(C, axis=(-2, -1)) - np.einsum("...ii->...", C)) / (n * (n - 1))
    V = np.linalg.norm(G - np.eye(n) / n, axis=(-2, -1))
    return off.mean(axis=1), V.mean(axis=1), dead


def _abs_interval(lo: float, hi: float) -> tuple[float, float]:
    """``{|x| : x in [lo, hi]}``."""
    if lo <= 0 <= hi:
        return 0.0, max(-lo, hi)
    return min(abs(lo), abs(hi)), max(abs(lo), abs(hi))


def shrink_verdict(
    near: tuple[float, float], far: tuple[float, float], factor: float
) -> tuple[str, float]:
    r"""``|Delta(d_max)| <= factor |Delta(d_min)|`` from intervals of ``Delta(d_min)``
    (``near``) and ``Delta(d_max)`` (``far``): pass iff ``upper|far| <= factor lower|near|``,
    fail iff ``lower|far| > factor upper|near|``, else inconclusive; with the margin
    ``factor lower|near| - upper|far|``."""
    a_lo, a_hi = _abs_interval(*far)
    b_lo, b_hi = _abs_interval(*near)
    if a_hi <= factor * b_lo:
        v = "pass"
    elif a_lo > factor * b_hi:
        v = "fail"
    else:
        v = "inconclusive"
    return v, factor * b_lo - a_hi


@numpy_only
def finite_width_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""One cell (activation, BN variant) at widths ``ds``: ``runs`` chains per width with a
    fresh Gaussian ``H_0`` each, ``burn + window`` layers at the authors' scale; per run the
    window means of the mean off-diagonal cosine and of V.  The engine samples until decided
    (:func:`theory.engine.rows_until_decided`).  Rows: per width an ``info`` row (interval of
    m(d), the finite-width term, V's mean and V*); the limit ``|m(d_max) - c*| <= tau``
    (:func:`theory.engine.judge_within`, tau the midpoint to the nearest other candidate plus
    the prediction's radius); the convergence ``|Delta(d_max)| <= sqrt(d_min/d_max)
    |Delta(d_min)|`` (:func:`shrink_verdict`; for odd activations without centring, where
    Delta = 0 exactly, 'fail' iff an interval excludes 0, else 'info'); the edge control
    (``|m(d_min) - c*| <= 0.8 |Delta_hat(d_min)|`` must be refuted); the gap's floor by the
    same convergence rule where V* > 0; and, for each id in ``controls``, the planted limit
    judged by both rules (refuted iff either says fail).

    Record ``kernel-map-2025/app-f-finite-width``; source: arXiv v1 App. F (NeurIPS App. G)
    conjecture, the chain of the record 'appendix-f/activation-floor'; AISTATS 2025 (Joudaki,
    Hofmann) (kernel map); record 'kernel-map-2025/app-f-limit'.

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "kernel-map-2025/app-f-finite-width",
        ...     {'activation': 'relu', 'variant': 'bn-centered', 'ds': [16, 64], 'burn': 4, 'window': 8, 'max_runs': 200},
        ... )
    """
    st = S.FINITE_WIDTH
    act, variant, n = _cell(case)
    ds = sorted(check_int(int(d), "ds entries", minimum=n) for d in case["ds"])
    if len(ds) < 2 or len(set(ds)) != len(ds):
        raise ValueError(f"ds must hold at least two distinct widths >= n; got {case['ds']!r}")
    burn = check_int(case.get("burn", 10), "burn", minimum=4)
    window = check_int(case.get("window", 30), "window", minimum=1)
    controls = tuple(case.get("controls", S.controls_for(act, variant, n)))
    for cid in controls:
        st.control(cid)  # KeyError for an unknown control
    pred = BK.window_cosine(act, variant, n, burn)
    target = st.bound_at(act, variant, n)
    t_pred = float(pred.mid())
    rad = float(pred.rad()) + abs(t_pred - target)
    tau = S.limit_tolerance(target, act, variant, n) + rad
    v_star = BK.gap_of_cosine(target, n)
    exact_zero = variant == "bn" and act in BK.ODD
    factor = S.shrink_factor(ds[0], ds[-1])
    data: dict[int, list[tuple[np.ndarray, np.ndarray]]] = {d: [] for d in ds}
    dead = {d: 0 for d in ds}
    key = ("appf/finite-width", act, variant, n, tuple(ds), burn, window)
    params = {"activation": act, "variant": variant, "n": n, "d": ds, "burn": burn,
              "window": window, "activation_scale": "rows"}  # fmt: skip

    def draw(b: int, seed: int) -> None:
        for d in ds:
            s = derive_seed(seed, d)
            H0 = np.random.default_rng(derive_seed(s, "H0")).standard_normal((b, d, n))
            r = simulate(
                H0, burn + window, runs=b, seed=s, variant=variant, activation=act,
                activation_scale="rows", record=("gram",),
            )  # fmt: skip
            c, V, k = window_stats(np.asarray(r.gram[:, burn:]))
            data[d].append((c, V))
            dead[d] += k

    def rows_at(c: RunContext, share: float) -> Rows:
        delta = share * ASSERTION_DELTA / len(ds)
        cos_iv: dict[int, Interval] = {}
        gap_iv: dict[int, Interval] = {}
        for d in ds:
            x = np.concatenate([p[0] for p in data[d]])
            v = np.concatenate([p[1] for p in data[d]])
            # sure ranges: the cosine matrix is PSD with unit diagonal, so 1^T C 1 >= 0, i.e.
            # the mean off-diagonal cosine is >= -1/(n - 1); V^2 = ||G||_F^2 - 1/n <= 1 - 1/n
            cos_iv[d] = mean_bounds(x, lo=-1.0 / (n - 1), hi=1.0, delta=delta)
            gap_iv[d] = mean_bounds(v, lo=0.0, hi=math.sqrt((n - 1) / n), delta=delta)
        runs = int(cos_iv[ds[0]].n)
        p = {**params, "runs per width": runs}
        per_d = {
            d: {
                "m(d)": [cos_iv[d].estimate, cos_iv[d].lower, cos_iv[d].upper],
                "Delta(d) = m(d) - c*": [cos_iv[d].estimate - target,
                                         cos_iv[d].lower - target, cos_iv[d].upper - target],
                "d Delta(d)": d * (cos_iv[d].estimate - target),
                "E V(d)": [gap_iv[d].estimate, gap_iv[d].lower, gap_iv[d].upper],
                "E V(d) - V*": gap_iv[d].estimate - v_star,
                "dead-column Grams": dead[d],
            }
            for d in ds
        }  # fmt: skip
        extra = {"c* (certified)": target, "window prediction (ball)": pred.str(10),
                 "tau (midpoint)": tau, "V*": v_star, "per width": per_d,
                 "shrink factor sqrt(d_min/d_max)": factor}  # fmt: skip
        out: Rows = []
        for d in ds:
            iv = cos_iv[d]
            out.append(
                c.row(
                    statement_id=st.id,
                    check=f"{act}, {variant}, d = {d}: mean off-diagonal cosine m(d) (info)",
                    verdict="info",
                    measured=iv.estimate,
                    ci_low=iv.lower,
                    ci_high=iv.upper,
                    bound=target,
                    params={**p, "d": d},
                    extra={"c*": target, **per_d[d]},
                )
            )
        far, near = cos_iv[ds[-1]], cos_iv[ds[0]]
        out += judge_within(
            c, st.id, f"{act}, {variant}: |m(d_max) - c*| <= tau (the chain goes to c*)", far,
            target, tau, params=p, extra=extra,
        )  # fmt: skip

        def shrink_row(check: str, near: Interval, far: Interval, t: float) -> CheckResult:
            # "|far - t| <= sqrt(d_min/d_max) |near - t|", judged on both ends (shrink_verdict)
            v, margin = shrink_verdict(
                (near.lower - t, near.upper - t), (far.lower - t, far.upper - t), factor
            )
            return c.row(
                statement_id=st.id,
                check=check,
                verdict=v,
                measured=far.estimate - t,
                bound=factor * (near.estimate - t),
                margin=margin,
                false_fail=2 * delta,
                wrong_pass=2 * delta,
                error=f"each end at delta = {delta:.2g} (2 widths: <= {2 * delta:.2g})",
                params=p,
                extra=extra,
            )

        conv_check = (f"{act}, {variant}: |m(d_max) - c*| <= sqrt(d_min/d_max) |m(d_min) - "
                      "c*| (the finite-width term shrinks)")  # fmt: skip
        if exact_zero:
            zero_in = all(cos_iv[d].lower <= target <= cos_iv[d].upper for d in ds)
            out.append(
                c.row(
                    statement_id=st.id,
                    check=f"{act}, {variant}: m(d) = 0 at every d (sign-flip symmetry: the "
                    "finite-width term is 0 exactly)",
                    verdict="info" if zero_in else "fail",
                    measured=far.estimate,
                    ci_low=far.lower,
                    ci_high=far.upper,
                    bound=target,
                    false_fail=delta * len(ds),
                    params=p,
                    extra=extra,
                )
            )
        else:
            out.append(shrink_row(conv_check, near, far, target))
            # edge, where the finite-width term is largest: "m(d_min) within 0.8 |Delta_hat(d_min)|
            # of c*" must be refuted (the check resolves the term it compares to 20%)
            e_tol = 0.8 * abs(near.estimate - target)
            refuted = near.upper < target - e_tol or near.lower > target + e_tol
            out.append(
                c.row(
                    statement_id=st.id,
                    check=f"edge control: |m(d_min) - c*| <= 0.8 |Delta_hat(d_min)| ({act}, "
                    f"{variant})",
                    verdict="refuted" if refuted else "not-refuted",
                    measured=near.estimate,
                    ci_low=near.lower,
                    ci_high=near.upper,
                    bound=target,
                    margin=max(target - e_tol - near.upper, near.lower - target - e_tol),
                    control="edge",
                    wrong_pass=delta,
                    error="a false variant just beyond the data: must be refuted",
                    bound_from="edge",
                    params={**p, "d": ds[0], "tolerance": e_tol},
                    extra={"edge factor": 0.8, "edge_of": conv_check, **extra},
                )
            )
            # the gap's floor, same convergence rule
            out.append(
                shrink_row(
                    f"{act}, {variant}: |E V(d_max) - V*| <= sqrt(d_min/d_max) |E V(d_min) - "
                    f"V*| (the gap's floor V* = {v_star:.4f})",
                    gap_iv[ds[0]],
                    gap_iv[ds[-1]],
                    v_star,
                )
            )
        for cid in controls:
            t2 = st.control_bound(cid, act, variant, n)
            tau2 = S.limit_tolerance(t2, act, variant, n)
            lim = judge_within(
                c, st.id, f"{act}, {variant}: |m(d_max) - c'| <= tau' (c' = {t2:.4g})", far, t2,
                tau2, control=cid, params=p, extra=extra,
            )[0]  # fmt: skip
            v2, m2 = shrink_verdict(
                (near.lower - t2, near.upper - t2), (far.lower - t2, far.upper - t2), factor
            )
            lim.extra = {**lim.extra, "convergence to c' (verdict)": v2,
                         "convergence margin": m2}  # fmt: skip
            if v2 == "fail":
                lim.verdict = "refuted"
            out.append(lim)
        return out

    return rows_until_decided(ctx, draw, rows_at, key=key, max_runs=case.get("max_runs"))


__all__ = ["finite_width_check", "limit_check", "shrink_verdict", "window_stats"]
