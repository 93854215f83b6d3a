r"""Checks of ICLR 2024's gradient claim (Meterez et al.;
:mod:`theory.statements.line_of_work_grad`): the depth slope of ``E log ||grad_{W_1} L||_F``
with Haar against Gaussian weights, n = d, BN without centring (:mod:`theory.haar_grad`, torch
autograd in float64 on the CPU).

* :func:`gradient_bounded_check`: Haar weights, slope ``<= TAU / (L2 - L1)``; control
  ``gaussian-weights``;
* :func:`gaussian_growth_check`: Gaussian weights, slope ``>= TAU / (L2 - L1)`` with the edge
  control (``>= estimate / 0.8``); control ``haar-weights``.

Both sample per draw ``X = (log g(L2) - log g(L1)) / (L2 - L1)`` (both depths on one draw),
under the records' stated range ``|log g(L2) - log g(L1)| <= D_RANGE`` (checked on every
sample), and let the engine sample until decided (:func:`theory.engine.rows_until_decided`).
Rows are labelled torch / float64 / cpu, where they were computed (:func:`torch_cpu`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np

from .. import haar_grad as HG
from .._backend import get_backend, torch_available
from .._validate import check_int
from ..engine import (
    ASSERTION_DELTA,
    EDGE,
    CheckResult,
    RunContext,
    judge,
    rows_until_decided,
)
from ..statements import line_of_work_grad as S
from ..stats import Interval, derive_seed, mean_bounds

Rows = list[CheckResult]


def torch_cpu(statement_id: str) -> Callable[[Callable[[RunContext, Any], Rows]], Any]:
    """Decorator (for the record ``statement_id``) of a check that computes with torch autograd
    in float64 on the CPU whatever the suite's backend: it runs on a context labelled
    ``torch/float64/cpu``.  Without PyTorch the check returns one ``info`` row (labelled numpy)
    saying it did not run."""

    def wrap(check: Callable[[RunContext, Any], Rows]) -> Callable[[RunContext, Any], Rows]:
        @functools.wraps(check)
        def run(ctx: RunContext, case: Any) -> Rows:
            if not torch_available():  # pragma: no cover - torch is an optional extra
                c = ctx.on_numpy()
                row = c.row(
                    statement_id=statement_id,
                    check="not run: needs PyTorch (autograd)",
                    verdict="info",
                    params=dict(case),
                )
                return [row]
            torch_ctx = replace(ctx, backend=get_backend("torch", dtype="float64", device="cpu"))
            return check(torch_ctx, case)

        run.torch_cpu = True  # type: ignore[attr-defined]
        return run

    return wrap


def slope_sample(
    d: int, L1: int, L2: int, weights: str, runs: int, seed: int, input_seed: int
) -> np.ndarray:
    r"""``runs`` i.i.d. values of ``X = (log ||grad_{W_1} L_{L2}||_F - log ||grad_{W_1}
    L_{L1}||_F) / (L2 - L1)`` (n = d; inputs :func:`theory.haar_grad.notebook_inputs` from
    ``input_seed``, weights drawn from ``seed``; both depths on one draw).  ``ValueError`` for
    d < 2 or L2 <= L1."""
    d = check_int(d, "d", minimum=2)
    L1 = check_int(L1, "L1", minimum=1)
    L2 = check_int(L2, "L2", minimum=1)
    if L2 <= L1:
        raise ValueError(f"L2 must be > L1; got L1={L1}, L2={L2}")
    H0, y = HG.notebook_inputs(d, d, input_seed)
    W, R = HG.draw_network(d, L2, runs=runs, seed=seed, weights=weights)
    out = HG.first_layer_log_grad(H0, y, (L1, L2), W, R)
    return (out[L2] - out[L1]) / (L2 - L1)


def ranged_interval(x: np.ndarray, width: int, delta: float) -> tuple[Interval, dict[str, int]]:
    r"""Bounds on ``E X`` (:func:`theory.stats.mean_bounds` at ``delta`` per side) from the
    samples clipped to the stated range ``|X| <= r = D_RANGE / width``, and the number of samples
    below ``-r`` and above ``r`` (non-finite ones counted on their side; NaN on both).

    Each end rests on one side of the range only: clipping above ``r`` only lowers values, so
    ``E clip(X) <= E X`` when no sample is below ``-r`` -- the lower end holds for ``E X`` iff
    ``below == 0``; symmetrically the upper end holds iff ``above == 0``
    (:func:`void_ends`)."""
    r = S.D_RANGE / width
    nan = np.isnan(x)
    count = {"below": int(np.sum(nan | (x < -r))), "above": int(np.sum(nan | (x > r)))}
    iv = mean_bounds(np.clip(np.nan_to_num(x, nan=0.0), -r, r), lo=-r, hi=r, delta=delta)
    iv = replace(
        iv,
        method=f"{iv.method} on samples clipped to the stated range |D| <= "
        f"{S.D_RANGE:g} (each end valid iff no sample beyond its side)",
    )
    return iv, count


#: which end of the interval a verdict rests on, by the statement's side
_END = {
    "upper": {"pass": "above", "fail": "below", "refuted": "below"},
    "lower": {"pass": "below", "fail": "above", "refuted": "above"},
}


def void_ends(rows: Rows, counts: dict[str, dict[str, int]], side: str) -> Rows:
    """A verdict whose interval end rests on a side of the stated range with a sample beyond it
    is void: pass / fail -> inconclusive, refuted -> not-refuted (the counts are reported)."""
    for r in rows:
        k = counts[r.extra["weights"]]
        r.extra = {
            **r.extra,
            "samples beyond the stated range (below, above)": (k["below"], k["above"]),
        }
        end = _END[side].get(r.verdict)
        if end is not None and k[end]:
            r.verdict = "not-refuted" if r.verdict == "refuted" else "inconclusive"
            r.extra = {**r.extra, "void": f"a sample {end} the stated range: this end is void"}
    return rows


def _slope_check(ctx: RunContext, case: dict[str, Any], st: Any, weights: str) -> Rows:
    d = check_int(case.get("d", 16), "d", minimum=2)
    L1 = check_int(case.get("L1", 4), "L1", minimum=1)
    L2 = check_int(case.get("L2", 4 * L1), "L2", minimum=L1 + 1)
    seed = check_int(case.get("seed", 0), "seed", minimum=0)
    controls = tuple(case.get("controls", ()))
    for c in controls:
        st.control(c)
    edge = bool(case.get("edge", False))
    other = "gaussian" if weights == "haar" else "haar"
    kinds = [weights] + ([other] if set(controls) - {"non-increasing"} else [])
    data: dict[str, list[np.ndarray]] = {w: [] for w in kinds}
    input_seed = derive_seed(seed, "inputs")
    side = "upper" if weights == "haar" else "lower"
    params = {"d": d, "n": d, "L1": L1, "L2": L2, "seed": seed}
    key = ("iclr/gradient-slope", d, L1, L2, seed)

    def draw(b: int, s: int) -> None:
        for w in kinds:
            sw = derive_seed(s, w)
            data[w].append(
                ctx.cached(
                    ("iclr/gradient-slope", w, d, L1, L2, seed, b, sw),
                    lambda w=w, sw=sw: slope_sample(d, L1, L2, w, b, sw, input_seed),
                )
            )

    def rows_at(c: RunContext, share: float) -> Rows:
        ivs, bad = {}, {}
        for w in kinds:
            ivs[w], bad[w] = ranged_interval(
                np.concatenate(data[w]), L2 - L1, share * ASSERTION_DELTA
            )
        iv = ivs[weights]

        def extra(w: str) -> dict[str, Any]:
            v = ivs[w]
            return {
                "weights": w,
                "rise E log g(L2) - E log g(L1) (nats)": v.estimate * (L2 - L1),
                "rise interval": [v.lower * (L2 - L1), v.upper * (L2 - L1)],
                "smallest slope caught (bound + 2 radius)": st.bound_at(L1, L2)
                + (v.upper - v.lower),
            }

        rel = "<=" if side == "upper" else ">="
        out = judge(
            c, st.id, f"slope of E log ||grad_W1|| {rel} 0.1/(L2 - L1) ({weights} weights)", iv,
            st.bound_at(L1, L2), side=side, edge=EDGE if edge else None,
            params={**params, "runs": iv.n}, extra=extra(weights),
        )  # fmt: skip
        for cid in controls:
            v = ivs[weights if cid == "non-increasing" else other]
            out += judge(
                c, st.id, f"variant '{cid}': slope {rel} {st.control_bound(cid, L1, L2):.3g}", v,
                st.control_bound(cid, L1, L2), side=side, control=cid,
                params={**params, "runs": v.n},
                extra=extra(weights if cid == "non-increasing" else other),
            )  # fmt: skip
        for r in out:
            if r.control == "edge":
                r.extra = {**r.extra, "weights": weights}
        return void_ends(out, bad, side)

    return rows_until_decided(ctx, draw, rows_at, key=key, max_runs=case.get("max_runs"))


@torch_cpu("bn-depth-2024/gradient-bounded")
def gradient_bounded_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""At one ``(d, L1, L2)`` (n = d, Haar weights): ``X = (log g(L2) - log g(L1)) / (L2 - L1)``
    with ``g = ||grad_{W_1} L||_F`` (:func:`slope_sample`); the engine samples until "``E X <=
    0.1 / (L2 - L1)``" (:func:`theory.engine.judge`, upper; the edge control "``E X <= 0.8 x
    estimate``" only where ``case["edge"]``: at the binding case, where the slope is resolved
    from 0 -- elsewhere it is ~0 and no sample resolves a fraction of it) and the
    controls ``gaussian-weights`` (the same bound, Gaussian weights) and ``non-increasing``
    (slope <= 0, Haar; at the binding case only) are decided.

    Record ``bn-depth-2024/gradient-bounded``; source: ICLR 2024 (Meterez, Joudaki, Orabona,
    Immer, Rätsch, Daneshmand), abstract and the gradient theorem ('bounded gradients at any
    depth'); src/theorem_validations/Gradients.ipynb of github.com/alexandrumeterez/bngrad.

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "bn-depth-2024/gradient-bounded",
        ...     {'d': 8, 'L1': 2, 'L2': 8, 'seed': 0, 'max_runs': 400, 'controls': []},
        ... )
    """
    return _slope_check(ctx, case, S.GRADIENT_BOUNDED, "haar")


@torch_cpu("bn-depth-2024/gaussian-gradient-growth")
def gaussian_growth_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""At one ``(d, L1, L2)`` (n = d, Gaussian N(0, 1/d) weights): the same ``X`` as
    :func:`gradient_bounded_check`; "``E X >= 0.1 / (L2 - L1)``" (lower), the edge control
    "``E X >= estimate / 0.8``" where ``case["edge"]`` (the binding case), and the control
    ``haar-weights`` (the same growth with Haar weights), sampled until decided.

    Record ``bn-depth-2024/gaussian-gradient-growth``; source: ICLR 2024 (Meterez, Joudaki,
    Orabona, Immer, Rätsch, Daneshmand), introduction (mean-field BN 'comes at the expense of
    exploding gradients in depth', Yang et al. 2019);
    src/theorem_validations/Gradients.ipynb of github.com/alexandrumeterez/bngrad.

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "bn-depth-2024/gaussian-gradient-growth",
        ...     {'d': 8, 'L1': 2, 'L2': 8, 'seed': 0, 'max_runs': 400, 'controls': []},
        ... )
    """
    return _slope_check(ctx, case, S.GAUSSIAN_GROWTH, "gaussian")


__all__ = [
    "gaussian_growth_check",
    "gradient_bounded_check",
    "ranged_interval",
    "void_ends",
    "slope_sample",
    "torch_cpu",
]
