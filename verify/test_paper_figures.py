"""The paper's Figs. 1, 2a, 2b and the App. F activation conjecture, each a check and a figure.

Sizes come from the profile (ci: small; paper: the paper's).  Mean curves carry 95% bands for
the plot (finite-sample two-sided intervals); assertions use ASSERTION_DELTA bounds.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import theory
from theory.inputs import collinear_pair, gaussian, orthogonal_pair, spiked_diagonal
from theory.results import CheckResult, record
from theory.statements.paper_figures import EXPONENT_TOLERANCE
from theory.stats import ASSERTION_DELTA, derive_seed, fit_log_slope, mean_interval
from theory.stats import mean_lower_bound as lower
from theory.stats import mean_upper_bound as upper


def _band(X: np.ndarray, hi: float) -> tuple[list[float], list[float]]:
    """Per-layer 95% two-sided finite-sample intervals of the mean (for the plots)."""
    iv = [mean_interval(X[:, j], lo=0.0, hi=hi, delta=0.05) for j in range(X.shape[1])]
    return [i.lower for i in iv], [i.upper for i in iv]


def _ctx(backend: theory.Backend) -> dict:
    return {"backend": backend.name, "dtype": backend.dtype_name, "device": backend.device}


def test_figure1_cosine(profile, backend):
    d, L = 32, 50
    runs_plot = profile.pick(ci=20, thorough=20, paper=20)
    runs = profile.pick(ci=2000, thorough=5000, paper=20000)  # for the assertion
    seed = derive_seed("fig1", d, L, runs)
    bn = theory.simulate(
        collinear_pair(d), L, runs=runs, seed=seed, backend=backend, record=("cosine",)
    )
    van = theory.simulate(
        orthogonal_pair(d),
        L,
        runs=runs,
        seed=seed + 1,
        backend=backend,
        variant="vanilla",
        record=("cosine",),
    )
    c0_bn, c0_van = float(bn.cosine[0, 0]), float(van.cosine[0, 0])
    ub = upper(bn.cosine[:, L], lo=0, hi=1)
    lb = lower(van.cosine[:, L], lo=0, hi=1)
    x = list(range(L + 1))
    blo, bhi = _band(bn.cosine[:runs_plot], 1.0)
    vlo, vhi = _band(van.cosine[:runs_plot], 1.0)
    fig = {
        "id": "fig1-cosine",
        "type": "lines",
        "title": "Fig. 1: |cos| across layers, d = 32",
        "caption": "Mean and 95% band of 20 runs. Paper: BN orthogonalises almost aligned "
        "samples while the vanilla network aligns orthogonal ones.",
        "x": x,
        "xlabel": "layer l",
        "ylabel": "|cos(h_1, h_2)|",
        "series": [
            {
                "label": "BN (collinear input)",
                "y": bn.cosine[:runs_plot].mean(0),
                "lo": blo,
                "hi": bhi,
            },
            {
                "label": "vanilla (orthogonal input)",
                "y": van.cosine[:runs_plot].mean(0),
                "lo": vlo,
                "hi": vhi,
            },
        ],
    }
    ok_bn, ok_van = ub.upper < c0_bn, lb.lower > c0_van
    record(
        CheckResult(
            "figure-1/cosine",
            "BN: upper bound of E|cos(H_50)| < |cos(H_0)|",
            "pass" if ok_bn else "fail",
            measured=ub.estimate,
            ci_high=ub.upper,
            bound=c0_bn,
            margin=c0_bn - ub.upper,
            tightness=ub.estimate / c0_bn,
            false_fail=ub.delta,
            method=ub.method,
            seed=seed,
            params={"d": d, "L": L, "runs": runs},
            extra={"figure": fig},
            **_ctx(backend),
        )
    )
    record(
        CheckResult(
            "figure-1/cosine",
            "vanilla: lower bound of E|cos(H_50)| > |cos(H_0)| = 0",
            "pass" if ok_van else "fail",
            measured=lb.estimate,
            ci_low=lb.lower,
            bound=c0_van,
            margin=lb.lower - c0_van,
            false_fail=lb.delta,
            method=lb.method,
            seed=seed + 1,
            params={"d": d, "L": L, "runs": runs},
            **_ctx(backend),
        )
    )
    assert ok_bn and ok_van, (ub, lb)


def test_figure1_controls(profile):
    d, L = 32, 50
    runs = profile.pick(ci=2000, thorough=5000, paper=20000)
    seed = derive_seed("fig1-control", d, L, runs)
    van = theory.simulate(
        collinear_pair(d), L, runs=runs, seed=seed, variant="vanilla", record=("cosine",)
    )
    ub = upper(van.cosine[:, L], lo=0, hi=1)
    c0 = float(van.cosine[0, 0])
    refuted = not (ub.upper < c0)  # the same decrease test as for BN
    record(
        CheckResult(
            "figure-1/cosine",
            "control: vanilla orthogonalises the collinear pair",
            "refuted" if refuted else "not-refuted",
            measured=ub.estimate,
            ci_high=ub.upper,
            bound=c0,
            control="vanilla-orthogonalises",
            seed=seed,
            false_fail=ub.delta,
        )
    )
    bn = theory.simulate(orthogonal_pair(d), L, runs=runs, seed=seed + 1, record=("cosine",))
    lb = lower(bn.cosine[:, L], lo=0, hi=1)
    refuted2 = lb.lower > 1 / d  # the claim "E|cos_L| <= 1/d" is refuted at the conservative end
    record(
        CheckResult(
            "figure-1/cosine",
            "control: BN floor of E|cos| is at most 1/d",
            "refuted" if refuted2 else "not-refuted",
            measured=lb.estimate,
            ci_low=lb.lower,
            bound=1 / d,
            control="floor-1/d",
            seed=seed + 1,
            false_fail=lb.delta,
        )
    )
    assert refuted and refuted2


def _windows(V: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    L = V.shape[1] - 1
    a, b, c = L // 2, (3 * L) // 4, L + 1
    return V[:, a:b].mean(1), V[:, b:c].mean(1)


def _flat(V: np.ndarray, n: int) -> tuple[bool, object]:
    A, B = _windows(V)
    m = math.sqrt(1 - 1 / n)
    iv = mean_interval(A - B, lo=-m, hi=m)
    return iv.lower <= 0 <= iv.upper, iv


def test_figure2a_transient_then_flat(profile, backend):
    n, L = 4, profile.pick(ci=80, thorough=150, paper=200)
    runs = profile.pick(ci=2000, thorough=5000, paper=20000)
    series, ok_all = [], True
    for d in (32, 512):
        seed = derive_seed("fig2a", n, d, L, runs)
        r = theory.simulate(spiked_diagonal(d, n), L, runs=runs, seed=seed, backend=backend)
        m = r.V.mean(0)
        plateau = float(m[L // 2 :].mean())
        idx = [l for l in range(1, L + 1) if 2 * plateau < m[l] < 0.9 * m[0]]
        slope = float(np.polyfit(idx, np.log(m[idx]), 1)[0]) if len(idx) >= 2 else float("nan")
        ub = upper(r.V[:, L], lo=0, hi=math.sqrt(1 - 1 / n))
        lb = lower(r.V[:, 1], lo=0, hi=math.sqrt(1 - 1 / n))
        flat, iv = _flat(r.V, n)
        decay = ub.upper < lb.lower
        ok_all &= decay and flat
        alpha = float(r.sigma_min[:, 1:].min())
        record(
            CheckResult(
                "figure-2a/transient-then-flat",
                f"d={d}: decay (E V_L < E V_1) and flat late windows",
                "pass" if decay and flat else "fail",
                measured=ub.estimate,
                ci_high=ub.upper,
                bound=lb.lower,
                margin=lb.lower - ub.upper,
                false_fail=2 * ASSERTION_DELTA + iv.delta,
                seed=seed,
                params={
                    "n": n,
                    "d": d,
                    "L": L,
                    "runs": runs,
                    "late-window difference CI": [iv.lower, iv.upper],
                },
                **_ctx(backend),
            )
        )
        record(
            CheckResult(
                "figure-2a/transient-then-flat",
                f"d={d}: transient rate of E V per layer",
                "info",
                measured=math.exp(slope) if math.isfinite(slope) else None,
                bound=None,
                seed=seed,
                params={
                    "n": n,
                    "d": d,
                    "fit layers": f"{idx[0]}..{idx[-1]}" if idx else "none",
                    "plateau E V": plateau,
                    "1 - 2 alpha/3, alpha = certified min sigma_min": 1 - 2 * alpha / 3,
                    "1 - 2 alpha/3, alpha = certified min sigma_min^2": 1 - 2 * alpha**2 / 3,
                },
                **_ctx(backend),
            )
        )
        logv = np.log(r.V[:20])
        series.append(
            {
                "label": f"d = {d}",
                "y": np.log(r.V[:20].mean(0)),
                "lo": np.quantile(logv, 0.025, axis=0),
                "hi": np.quantile(logv, 0.975, axis=0),
            }
        )
    fig = {
        "id": "fig2a-logV",
        "type": "lines",
        "title": "Fig. 2a: log V(H_l) vs depth, n = 4",
        "caption": "log of the mean of 20 runs; band: 2.5-97.5% quantiles of log V over the runs. "
        "Paper: log V decays linearly for ~20 layers, then stays flat.",
        "x": list(range(L + 1)),
        "xlabel": "layer l",
        "ylabel": "log V(H_l)",
        "series": series,
    }
    record(CheckResult("figure-2a/transient-then-flat", "figure", "info", extra={"figure": fig}))
    assert ok_all


def test_figure2a_control(profile):
    n, d, L = 4, 128, profile.pick(ci=80, thorough=150, paper=200)
    runs = profile.pick(ci=2000, thorough=5000, paper=20000)
    seed = derive_seed("fig2a-control", n, d, L)
    # orthogonal input: the vanilla gap keeps growing over the late windows (rank collapse)
    r = theory.simulate(np.eye(d, n), L, runs=runs, seed=seed, variant="vanilla")
    flat, iv = _flat(r.V, n)
    record(
        CheckResult(
            "figure-2a/transient-then-flat",
            "control: the vanilla chain is flat late",
            "refuted" if not flat else "not-refuted",
            ci_low=iv.lower,
            ci_high=iv.upper,
            measured=iv.estimate,
            control="vanilla-flat",
            seed=seed,
            false_fail=iv.delta,
        )
    )
    assert not flat


def _exponent_checks(
    statement_id: str, label: str, fit, controls: dict[str, float], params: dict, ctx: dict
) -> bool:
    lo_gap = abs(fit.lower + 0.5)
    hi_gap = abs(fit.upper + 0.5)
    ok = max(lo_gap, hi_gap) <= EXPONENT_TOLERANCE
    record(
        CheckResult(
            statement_id,
            f"{label}: exponent within {EXPONENT_TOLERANCE} of -1/2",
            "pass" if ok else "fail",
            measured=fit.slope,
            ci_low=fit.lower,
            ci_high=fit.upper,
            bound=-0.5,
            margin=EXPONENT_TOLERANCE - max(lo_gap, hi_gap),
            method=f"OLS on log-log, {fit.confidence:.1%} bootstrap over runs",
            params=params,
            **ctx,
        )
    )
    refuted_all = True
    for cid, beta in controls.items():
        refuted = min(abs(fit.lower - beta), abs(fit.upper - beta)) > EXPONENT_TOLERANCE and not (
            fit.lower <= beta <= fit.upper
        )
        refuted_all &= refuted
        record(
            CheckResult(
                statement_id,
                f"{label}: control exponent {beta:g}",
                "refuted" if refuted else "not-refuted",
                measured=fit.slope,
                ci_low=fit.lower,
                ci_high=fit.upper,
                bound=beta,
                control=cid,
                params=params,
                **ctx,
            )
        )
    return ok and refuted_all


def test_figure2b_width_exponent(profile, backend):
    n = 4
    ds = profile.pick(
        ci=[16, 32, 64, 128, 256, 512],
        thorough=[16, 32, 64, 128, 256, 512],
        paper=[16, 32, 64, 128, 256, 512],
    )
    burn, window = profile.pick(ci=(30, 100), thorough=(100, 300), paper=(100, 500))
    runs = 20
    Y = []
    for d in ds:
        r = theory.simulate(
            spiked_diagonal(d, n),
            burn + window,
            runs=runs,
            seed=derive_seed("fig2b", n, d, burn, window),
            backend=backend,
        )
        Y.append(r.V[:, burn:].mean(1))
    Y = np.array(Y).T
    fit = fit_log_slope(ds, Y, seed=derive_seed("fig2b-boot"), confidence=0.999, n_boot=4000)
    fit95 = fit_log_slope(ds, Y, seed=derive_seed("fig2b-boot"), confidence=0.95)
    mean = Y.mean(0)
    fig = {
        "id": "fig2b-width",
        "type": "lines",
        "title": "Fig. 2b: mean V over layers vs width, n = 4",
        "caption": f"Fitted slope {fit.slope:.3f} (95% CI [{fit95.lower:.3f}, {fit95.upper:.3f}]); "
        "paper: -0.46; dashed: d^(-1/2) through the first point.",
        "x": ds,
        "xlabel": "width d",
        "ylabel": "mean V(H_l), layers after burn-in",
        "logx": True,
        "logy": True,
        "series": [
            {
                "label": "measured",
                "y": mean,
                "lo": np.quantile(Y, 0.025, axis=0),
                "hi": np.quantile(Y, 0.975, axis=0),
            },
            {
                "label": "d^(-1/2)",
                "y": [mean[0] * (d / ds[0]) ** -0.5 for d in ds],
                "style": "claim",
            },
            {
                "label": f"fit, slope {fit.slope:.3f}",
                "y": [math.exp(fit.intercept) * d**fit.slope for d in ds],
                "style": "fit",
            },
        ],
    }
    record(
        CheckResult(
            "figure-2b/width-exponent",
            "fitted exponent vs the paper's -0.46",
            "info",
            measured=fit.slope,
            ci_low=fit95.lower,
            ci_high=fit95.upper,
            bound=-0.46,
            params={
                "-1/2 inside the 95% CI": fit95.lower <= -0.5 <= fit95.upper,
                "distance of -1/2 to the 95% CI": max(0.0, fit95.lower + 0.5, -0.5 - fit95.upper),
                "d": ds,
                "burn-in": burn,
                "window": window,
                "runs": runs,
            },
            extra={"figure": fig},
            **_ctx(backend),
        )
    )
    assert _exponent_checks(
        "figure-2b/width-exponent",
        "plateau of V",
        fit,
        {"exponent-1": -1.0, "exponent-1/4": -0.25},
        {"n": n, "d": ds, "burn-in": burn, "window": window, "runs": runs},
        _ctx(backend),
    )


@pytest.mark.parametrize(
    ("variant", "activation"),
    [("bn", "relu"), ("bn", "tanh"), ("bn", "sin"), ("bn-centered", "linear")],
)
def test_activation_floor(profile, backend, variant, activation):
    n = 4
    ds = profile.pick(
        ci=[32, 64, 128, 256, 512],
        thorough=[32, 64, 128, 256, 512, 1024],
        paper=[32, 64, 128, 256, 512, 1024, 2048],
    )
    burn, window = profile.pick(ci=(30, 50), thorough=(50, 200), paper=(100, 400))
    runs = 20
    F = []
    for d in ds:
        r = theory.simulate(
            gaussian(d, n, 1),
            burn + window,
            runs=runs,
            backend=backend,
            seed=derive_seed("appF", variant, activation, d),
            variant=variant,
            activation=activation,
            record=("gram",),
        )
        G = r.gram[:, burn:]
        F.append(np.linalg.norm(G - G.mean(axis=(0, 1)), axis=(-2, -1)).mean(1))
    F = np.array(F).T
    fit = fit_log_slope(
        ds, F, seed=derive_seed("appF-boot", variant, activation), confidence=0.999, n_boot=4000
    )
    label = f"{activation}" + (" (mean-centred BN)" if variant == "bn-centered" else "")
    fig = {
        "id": f"appF-{variant}-{activation}",
        "type": "lines",
        "title": f"App. F: fluctuation floor vs width, {label}",
        "caption": f"E||Q^TQ - E_nu Q^TQ||_F after burn-in; fitted slope {fit.slope:.3f} "
        f"[{fit.lower:.3f}, {fit.upper:.3f}] (99.9%). Conjecture: O(d^(-1/2)).",
        "x": ds,
        "xlabel": "width d",
        "ylabel": "fluctuation of Q^T Q",
        "logx": True,
        "logy": True,
        "series": [
            {
                "label": label,
                "y": F.mean(0),
                "lo": np.quantile(F, 0.025, axis=0),
                "hi": np.quantile(F, 0.975, axis=0),
            },
            {
                "label": "d^(-1/2)",
                "y": [F.mean(0)[0] * (d / ds[0]) ** -0.5 for d in ds],
                "style": "claim",
            },
        ],
    }
    record(
        CheckResult(
            "appendix-f/activation-floor",
            f"{label}: figure",
            "info",
            extra={"figure": fig},
            measured=fit.slope,
            ci_low=fit.lower,
            ci_high=fit.upper,
        )
    )
    assert _exponent_checks(
        "appendix-f/activation-floor",
        label,
        fit,
        {"exponent-1": -1.0},
        {
            "n": n,
            "d": ds,
            "burn-in": burn,
            "window": window,
            "runs": runs,
            "variant": variant,
            "activation": activation,
        },
        _ctx(backend),
    )
