"""Vanilla chain (no BN, ``H_{l+1} = W_l H_l``): rank collapse with depth (Fig. 1; THEORY_NOTES §5).

Encoded claim, with its thresholds fixed up front: from an orthogonal or Gaussian ``H_0``,
(a) ``E V(H_L) > E V(H_1)`` (the gap grows), and at ``L = 10 d``
(b) ``E V(H_L) >= 0.9 sqrt(1 - 1/n)`` and (c) ``E |cos(h_1, h_2)|(H_L) >= 0.8`` (near their maxima).
Each is a finite-sample one-sided bound (lower bound for the claimed side, upper bound for the
compared side), false-fail ``ASSERTION_DELTA`` each.  Negative control: the same claim (b) for the
BN chain must be refuted by an upper bound below the threshold.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

import theory
from theory.profiles import get_profile
from theory.results import CheckResult, record
from theory.stats import ASSERTION_DELTA, derive_seed, mean_lower_bound, mean_upper_bound

S = theory.statements.proof_lemmas
PROFILE = get_profile()
RUNS = PROFILE.pick(ci=600, thorough=3000, paper=10000)
V_FRACTION, COS_FLOOR, DEPTH_PER_WIDTH = 0.9, 0.8, 10


def _h0(family: str, d: int, n: int) -> np.ndarray:
    if family == "orthogonal":
        H = np.zeros((d, n))
        H[np.arange(n), np.arange(n)] = 1.0
        return H
    return theory.inputs.gaussian(d, n, seed=17 * d + n)


def _row(check, ci, bound, verdict, *, params, seed, control=None, lower_side=True):
    record(
        CheckResult(
            statement_id=S.VANILLA_COLLAPSE.id,
            check=check,
            verdict=verdict,
            measured=ci.estimate,
            ci_low=ci.lower,
            ci_high=ci.upper,
            bound=bound,
            margin=(ci.lower - bound) if lower_side else (bound - ci.upper),
            tightness=ci.estimate / bound if bound else None,
            false_fail=ci.delta,
            method=ci.method,
            params=params,
            seed=seed,
            control=control,
        )
    )


def test_vanilla_rank_collapse(profile, backend):
    failures: list[str] = []
    delta = ASSERTION_DELTA

    @settings(max_examples=PROFILE.pick(ci=3, thorough=12, paper=12))
    @given(
        family=st.sampled_from(["orthogonal", "gaussian"]),
        n=st.integers(2, 4),
        d=st.sampled_from([8, 16, 32]),
    )
    @example(family="orthogonal", n=2, d=32)  # the Fig. 1 vanilla setting
    def prop(family, n, d):
        L = DEPTH_PER_WIDTH * d
        H0 = _h0(family, d, n)
        seed = derive_seed("vanilla", family, n, d, RUNS)
        r = theory.simulate(
            H0, L, runs=RUNS, seed=seed, backend=backend, variant="vanilla", record=("V", "cosine")
        )
        vmax = theory.max_gap(n)
        params = {"family": family, "n": n, "d": d, "L": L, "runs": RUNS}
        up1 = mean_upper_bound(r.V[:, 1], lo=0.0, hi=vmax, delta=delta)
        loL = mean_lower_bound(r.V[:, L], lo=0.0, hi=vmax, delta=delta)
        ok = loL.lower > up1.upper
        _row(
            "E V(H_L) > E V(H_1): lower bound at L vs upper bound at 1",
            loL,
            up1.upper,
            "pass" if ok else "fail",
            params=params,
            seed=seed,
        )
        failures.extend([] if ok else [f"growth {params}"])
        ok = loL.lower >= V_FRACTION * vmax
        _row(
            f"E V(H_L) >= {V_FRACTION} sqrt(1 - 1/n) at L = {DEPTH_PER_WIDTH} d",
            loL,
            V_FRACTION * vmax,
            "pass" if ok else "fail",
            params=params,
            seed=seed,
        )
        failures.extend([] if ok else [f"near-max V {params}"])
        cos = mean_lower_bound(r.cosine[:, L], lo=0.0, hi=1.0, delta=delta)
        ok = cos.lower >= COS_FLOOR
        _row(
            f"E|cos|(H_L) >= {COS_FLOOR} at L = {DEPTH_PER_WIDTH} d",
            cos,
            COS_FLOOR,
            "pass" if ok else "fail",
            params=params,
            seed=seed,
        )
        failures.extend([] if ok else [f"cos {params}"])

    prop()
    assert not failures, failures


def test_bn_chain_does_not_collapse(profile, backend):
    n, d = 2, 32
    L = DEPTH_PER_WIDTH * d
    H0 = _h0("orthogonal", d, n)
    seed = derive_seed("vanilla-control-bn", n, d, RUNS)
    out = {}
    for variant in ("bn", "vanilla"):
        out[variant] = theory.simulate(
            H0, L, runs=RUNS, seed=seed, backend=backend, variant=variant, record=("V", "cosine")
        )
    vmax = theory.max_gap(n)
    up = mean_upper_bound(out["bn"].V[:, L], lo=0.0, hi=vmax, delta=ASSERTION_DELTA)
    refuted = up.upper < V_FRACTION * vmax
    layers = list(range(L + 1))
    figure = {
        "id": "vanilla-vs-bn-gap",
        "title": "Rank collapse without BN: E V(H_l), d = 32, n = 2, orthogonal H_0",
        "caption": (
            "Mean orthogonality gap over runs, vanilla chain H_{l+1} = W_l H_l vs the BN chain "
            "(Eq. 1). Paper's claim (Fig. 1): without BN the representations collapse to rank "
            "one (V -> sqrt(1 - 1/n)); with BN they stay nearly orthogonal."
        ),
        "type": "lines",
        "x": layers,
        "series": [
            {
                "label": f"{v}",
                "y": out[v].V.mean(axis=0).tolist(),
                "lo": None,
                "hi": None,
                "style": "data",
            }
            for v in ("vanilla", "bn")
        ]
        + [
            {
                "label": "sqrt(1 - 1/n)",
                "y": [vmax] * len(layers),
                "lo": None,
                "hi": None,
                "style": "claim",
            }
        ],
        "xlabel": "layer l",
        "ylabel": "E V(H_l)",
        "logx": False,
        "logy": False,
    }
    record(
        CheckResult(
            statement_id=S.VANILLA_COLLAPSE.id,
            check=f"control: E V(H_L) >= {V_FRACTION} sqrt(1 - 1/n) for the BN chain (refuted)",
            verdict="refuted" if refuted else "not-refuted",
            measured=up.estimate,
            ci_low=up.lower,
            ci_high=up.upper,
            bound=V_FRACTION * vmax,
            margin=V_FRACTION * vmax - up.upper,
            false_fail=up.delta,
            method=up.method,
            control="bn-chain-collapses",
            params={"n": n, "d": d, "L": L, "runs": RUNS},
            seed=seed,
            extra={
                "figure": figure,
                "mean |cos| at L (bn, vanilla)": [
                    float(out["bn"].cosine[:, L].mean()),
                    float(out["vanilla"].cosine[:, L].mean()),
                ],
            },
        )
    )
    assert refuted
    assert math.isfinite(up.upper)
