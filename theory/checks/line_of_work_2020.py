r"""Checks of NeurIPS 2020 (Daneshmand, Kohler, Bach, Hofmann, Lucchi;
:mod:`theory.statements.line_of_work_2020`): the residual-weight BN chain ``H_{l+1} = BN((I +
gamma W_l) H_l)`` at n = d (:mod:`theory.residual`).  Pure functions ``(ctx, case) -> rows``.

* :func:`average_soft_rank_check`: at one d and one reading, the per-run depth average ``X =
  mean_k r(H_{l_k})`` in ``[1, n]``; "``E X >= c sqrt(d)``" judged by the engine
  (:func:`theory.engine.rows_until_decided`), with the edge control and the controls
  ``vanilla`` (the chain without BN, same bound) and ``near-full-rank`` (``E X >= 0.9 n``);
* :func:`exponent_check`: over a grid of d, the exponent of ``E X_d`` in d: the OLS log-log
  slope with a bootstrap interval (info, asymptotic), and the finite-sample two-point exponent
  between the grid's ends, on which the controls ``linear-in-d`` and ``bounded-in-d`` are
  judged.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import residual
from .._validate import check_choice, check_int
from ..engine import (
    ASSERTION_DELTA,
    EDGE,
    CheckResult,
    RunContext,
    judge,
    numpy_only,
    rows_until_decided,
)
from ..statements import line_of_work_2020 as S
from ..stats import Interval, fit_log_slope, mean_bounds

Rows = list[CheckResult]


def reading_params(case: dict[str, Any]) -> dict[str, Any]:
    """The chain's parameters: the reading's (``S.READINGS``), overridden by the case's
    ``gamma``, ``depth``, ``burn_in``, ``every`` where given.  ``ValueError`` naming the
    parameter for an unknown reading or a bad value."""
    name = check_choice(case.get("reading", "issue"), "reading", tuple(S.READINGS))
    p = dict(S.READINGS[name])
    for k in ("gamma", "depth", "burn_in", "every"):
        if case.get(k) is not None:
            p[k] = case[k]
    gamma = float(p["gamma"])  # type: ignore[arg-type]
    if not (math.isfinite(gamma) and gamma > 0):
        raise ValueError(f"gamma must be a finite number > 0; got {p['gamma']!r}")
    return {
        "reading": name,
        "weight_scale": str(p["weight_scale"]),
        "gamma": gamma,
        "depth": check_int(p["depth"], "depth", minimum=2),
        "burn_in": check_int(p["burn_in"], "burn_in", minimum=0),
        "every": check_int(p["every"], "every", minimum=1),
    }


def _chains(
    d: int, p: dict[str, Any], runs: int, seed: int, variant: str
) -> tuple[np.ndarray, np.ndarray]:
    """Soft ranks and numerical ranks at the recorded layers, each (runs, K), from ``H_0 = I``
    (n = d)."""
    return residual.simulate(
        np.eye(d), p["depth"], gamma=p["gamma"], runs=runs, seed=seed, variant=variant,
        weight_scale=p["weight_scale"], burn_in=p["burn_in"], record_every=p["every"],
        with_rank=True,
    )  # fmt: skip


def _ratio(iv: Interval, d: int) -> dict[str, Any]:
    s = math.sqrt(d)
    return {
        "E X / sqrt(d)": iv.estimate / s,
        "E X / sqrt(d) interval": [iv.lower / s, iv.upper / s],
    }


def _rank_info(pieces: list[np.ndarray]) -> dict[str, Any]:
    """The notebook's plotted quantity beside the theorem's: the numerical rank (numpy's
    ``matrix_rank`` rule) averaged over runs at the first and last recorded layers, and its
    minimum over runs at the last (estimates, info)."""
    k = np.concatenate(pieces)
    return {
        "numerical rank (the notebook's plot): mean at first / last recorded layer": [
            float(k[:, 0].mean()),
            float(k[:, 1].mean()),
        ],
        "numerical rank: min over runs at the last recorded layer": int(k[:, 1].min()),
    }


@numpy_only
def average_soft_rank_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""At one d (n = d, ``H_0 = I``) and one reading (``"issue"`` or ``"repo"``): the engine
    samples chains until decided; rows: "``E X >= c sqrt(d)``" (:func:`theory.engine.judge`,
    ``side="lower"``, edge "``E X >= estimate / 0.8``"), and the controls in ``controls``:
    ``vanilla`` (the chain without BN, its own chains, same bound) and ``near-full-rank``
    (``E X >= 0.9 n`` on the BN chains).  ``X = mean_k r(H_{l_k})`` in ``[1, n]``.

    Record ``rank-collapse-2020/average-soft-rank``; source: NeurIPS 2020 (Daneshmand,
    Kohler, Bach, Hofmann, Lucchi), Theorem 2 (as issue 19 states it);
    github.com/jonaskohler/Batchnorm_prevents_rank_collpase (commit 62348a6),
    code_fig_3_a.ipynb.

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "rank-collapse-2020/average-soft-rank",
        ...     {'d': 4, 'depth': 40, 'max_runs': 600, 'controls': ['vanilla', 'near-full-rank']},
        ... )
    """
    st = S.AVERAGE_SOFT_RANK
    d = check_int(case.get("d"), "d", minimum=2)
    p = reading_params(case)
    controls = tuple(case.get("controls", ()))
    for c in controls:
        st.control(c)
    bn_data: list[np.ndarray] = []
    van_data: list[np.ndarray] = []
    ranks: dict[str, list[np.ndarray]] = {"bn": [], "vanilla": []}
    params = {"d": d, "n": d, **p}
    half = max(1, len(residual.recorded_layers(p["depth"], p["burn_in"], p["every"])) // 2)

    def draw(b: int, s: int) -> None:
        r, k = _chains(d, p, b, s, "bn")
        bn_data.append(r)
        ranks["bn"].append(k)
        if "vanilla" in controls:
            r, k = _chains(d, p, b, s + 1, "vanilla")
            van_data.append(r)
            ranks["vanilla"].append(k)

    def rows_at(c: RunContext, share: float) -> Rows:
        r = np.concatenate(bn_data)
        x = r.mean(axis=1)
        iv = mean_bounds(x, lo=1.0, hi=float(d), delta=share * ASSERTION_DELTA)
        pr = {**params, "runs": int(x.size)}
        extra = {
            **_ratio(iv, d),
            "second half's average / sqrt(d) (estimate)": float(r[:, half:].mean()) / math.sqrt(d),
            "last recorded layer's E r / sqrt(d) (estimate)": float(r[:, -1].mean()) / math.sqrt(d),
            **_rank_info(ranks["bn"]),
        }
        out = judge(
            c, st.id, f"E mean_l r(H_l) >= {S.C_SQRT} sqrt(d) ({p['reading']} reading)", iv,
            st.bound_at(d), side="lower", params=pr, extra=extra, edge=EDGE,
        )  # fmt: skip
        if "near-full-rank" in controls:
            out += judge(
                c, st.id, "variant: E mean_l r(H_l) >= 0.9 n (BN)", iv,
                st.control_bound("near-full-rank", d), side="lower", control="near-full-rank",
                params=pr, extra=extra,
            )  # fmt: skip
        if "vanilla" in controls:
            v = np.concatenate(van_data).mean(axis=1)
            ivv = mean_bounds(v, lo=1.0, hi=float(d), delta=share * ASSERTION_DELTA)
            out += judge(
                c, st.id, f"variant: E mean_l r(H_l) >= {S.C_SQRT} sqrt(d) without BN", ivv,
                st.control_bound("vanilla", d), side="lower", control="vanilla",
                params={**pr, "variant": "vanilla"},
                extra={**_ratio(ivv, d), **_rank_info(ranks["vanilla"])},
            )  # fmt: skip
        return out

    key = ("lw2020/average-soft-rank", d, tuple(sorted(p.items())), controls)
    return rows_until_decided(ctx, draw, rows_at, key=key, max_runs=case.get("max_runs"))


def two_point_exponent(iv1: Interval, iv2: Interval, d1: int, d2: int) -> Interval:
    r"""The exponent ``a = log(E X_2 / E X_1) / log(d_2 / d_1)`` with the interval
    ``[log(lo_2 / hi_1), log(hi_2 / lo_1)] / log(d_2 / d_1)`` (``d_2 > d_1``, positive means):
    each end holds at ``iv1.delta + iv2.delta`` (union bound over the two ends it uses)."""
    if not d2 > d1 >= 1:
        raise ValueError(f"need d2 > d1 >= 1; got d1={d1}, d2={d2}")
    if min(iv1.lower, iv2.lower) <= 0:
        raise ValueError("the means' intervals must be positive for a log ratio")
    ld = math.log(d2 / d1)
    return Interval(
        estimate=math.log(iv2.estimate / iv1.estimate) / ld,
        lower=math.log(iv2.lower / iv1.upper) / ld,
        upper=math.log(iv2.upper / iv1.lower) / ld,
        delta=iv1.delta + iv2.delta,
        method=f"two-point exponent from per-d intervals ({iv1.method}; {iv2.method})",
        n=min(iv1.n, iv2.n),
    )


@numpy_only
def exponent_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""Over ``grid`` (n = d, the issue's reading unless ``reading`` says otherwise): the
    engine samples the same number of chains at every d until the controls are decided; rows:
    an ``info`` row with the OLS slope of ``log E X_d`` on ``log d`` and its bootstrap interval
    (asymptotic), the theorem's 1/2 and the issue's 0.556 beside it; an ``info`` row with the
    finite-sample two-point exponent between the grid's ends (:func:`two_point_exponent`, each
    mean's interval at delta/2); the controls ``linear-in-d`` ("exponent >= 1") and
    ``bounded-in-d`` ("exponent <= 0") judged on that interval.

    Record ``rank-collapse-2020/exponent``; source: NeurIPS 2020 (Daneshmand, Kohler, Bach,
    Hofmann, Lucchi), Theorem 2 (Omega(sqrt d)); issue 19 (quick run: 0.556).

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "rank-collapse-2020/exponent", {'grid': [4, 8], 'depth': 40, 'max_runs': 1000}
        ... )
    """
    st = S.EXPONENT
    grid = [check_int(d, "grid entry", minimum=2) for d in case.get("grid", ())]
    if len(grid) < 2 or sorted(set(grid)) != grid:
        raise ValueError(f"grid must hold >= 2 increasing widths; got {case.get('grid')!r}")
    p = reading_params(case)
    data: dict[int, list[np.ndarray]] = {d: [] for d in grid}
    late: dict[int, list[np.ndarray]] = {d: [] for d in grid}
    d1, dk = grid[0], grid[-1]
    params = {"grid": grid, **p}
    theorem = st.bound_at()
    half = max(1, len(residual.recorded_layers(p["depth"], p["burn_in"], p["every"])) // 2)

    def draw(b: int, s: int) -> None:
        for i, d in enumerate(grid):
            r = _chains(d, p, b, s + i, "bn")[0]
            data[d].append(r.mean(axis=1))
            late[d].append(r[:, half:].mean(axis=1))

    def rows_at(c: RunContext, share: float) -> Rows:
        X = np.stack([np.concatenate(data[d]) for d in grid], axis=1)
        Z = np.stack([np.concatenate(late[d]) for d in grid], axis=1)
        delta = share * ASSERTION_DELTA / 2
        ivs = {
            d: mean_bounds(X[:, j], lo=1.0, hi=float(d), delta=delta) for j, d in enumerate(grid)
        }
        a = two_point_exponent(ivs[d1], ivs[dk], d1, dk)
        pr = {**params, "runs per d": int(X.shape[0])}
        means = {d: ivs[d].estimate for d in grid}
        fit = fit_log_slope(grid, X, seed=c.seed("lw2020/exponent-boot", *grid), n_boot=400)
        fit2 = fit_log_slope(grid, Z, seed=c.seed("lw2020/exponent-boot-2", *grid), n_boot=400)
        extra = {
            "E X_d": means,
            "E X_d / sqrt(d)": {d: m / math.sqrt(d) for d, m in means.items()},
            "theorem exponent": theorem,
            "issue exponent": S.ISSUE_EXPONENT,
            "OLS exponent (bootstrap 95%)": [fit.slope, fit.lower, fit.upper],
            "OLS exponent of the second half's average (bootstrap 95%)": [
                fit2.slope,
                fit2.lower,
                fit2.upper,
            ],
            f"two-point exponent a({d1}, {dk}) (finite-sample)": [a.estimate, a.lower, a.upper],
        }
        out = [
            c.row(
                statement_id=st.id,
                check="exponent of E X_d in d: OLS log-log slope over the grid (bootstrap, "
                "asymptotic (not finite-sample)); theorem 1/2, issue 0.556",
                verdict="info",
                measured=fit.slope,
                ci_low=fit.lower,
                ci_high=fit.upper,
                bound=theorem,
                method=f"OLS on log E X_d, bootstrap percentile over chains ({fit.n_boot} "
                "resamples): asymptotic, outside the false-fail budget",
                finite_sample=False,
                params=pr,
                extra=extra,
            ),
            c.row(
                statement_id=st.id,
                check=f"two-point exponent a({d1}, {dk}) (finite-sample interval)",
                verdict="info",
                measured=a.estimate,
                ci_low=a.lower,
                ci_high=a.upper,
                bound=theorem,
                method=a.method,
                params=pr,
                extra=extra,
            ),
        ]
        out += judge(
            c, st.id, f"variant: exponent a({d1}, {dk}) >= 1 (linear in d)", a,
            st.control_bound("linear-in-d"), side="lower", control="linear-in-d", params=pr,
            extra=extra,
        )  # fmt: skip
        out += judge(
            c, st.id, f"variant: exponent a({d1}, {dk}) <= 0 (bounded in d)", a,
            st.control_bound("bounded-in-d"), side="upper", control="bounded-in-d", params=pr,
            extra=extra,
        )  # fmt: skip
        return out

    key = ("lw2020/exponent", tuple(grid), tuple(sorted(p.items())))
    return rows_until_decided(ctx, draw, rows_at, key=key, max_runs=case.get("max_runs"))


__all__ = ["average_soft_rank_check", "exponent_check", "reading_params", "two_point_exponent"]
