r"""Checks of the paper's figures: Fig. 1, Fig. 2a, Fig. 2b, the v1 App. F conjecture and App. F.2.

Each ``check_*(ctx, case) -> list[CheckResult]`` is pure: it simulates what the case asks for on
``ctx``'s backend with seeds from ``ctx.seed``, asserts the record's bound (``bound_at``) through
the engine's verdict functions, and attaches the figure (``extra["figure"]``, schema in
:mod:`theory.report._figures`) to its first row.  ``plan_*(ctx)`` gives the profile's case.

Statistics (see :mod:`theory.checks.figures_stats`): Fig. 1 uses mean bounds on |cos| in [0, 1];
the others use order-statistic bounds on medians over runs, with runs split in half A (which
fixes windows, lines and levels) and half B (which is judged against them).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..engine import EDGE, CheckResult, RunContext, judge, judge_exact, judge_within
from ..inputs import h0
from ..statements import paper_figures as P
from ..stats import ASSERTION_DELTA, fit_log_slope, mean_bounds
from .figures_stats import chord_exponent, line_fit, median_bounds, residual_band, transient_window

DELTA = ASSERTION_DELTA


def _quantile_band(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.quantile(X, 0.025, axis=0), np.quantile(X, 0.975, axis=0)


def _info(ctx: RunContext, sid: str, check: str, **kw: Any) -> CheckResult:
    return ctx.row(statement_id=sid, check=check, verdict="info", **kw)


# ------------------------------------------------------------------------------ Fig. 1


def plan_figure1(ctx: RunContext) -> dict[str, Any]:
    """Fig. 1's case: d = 32, 50 layers; runs sized so that the bounds resolve E|cos| to ~10%
    (radius 0.016 at 4000 runs for BN's 0.117; 0.033 for vanilla's 0.72)."""
    return {
        "d": 32,
        "L": 50,
        "runs": ctx.pick(ci=4000, thorough=10000, paper=40000),
        "runs_control": ctx.pick(ci=500, thorough=1000, paper=2000),
    }


def check_figure1(ctx: RunContext, case: dict[str, Any]) -> list[CheckResult]:
    r"""Fig. 1: BN from the collinear pair ends near its floor, ``E|cos(H_L)| <= c_d``; vanilla
    from the orthogonal pair aligns, ``E|cos(H_L)| >= 1/2``; plus the record's controls.

    Record ``figure-1/cosine``; source: Fig. 1 (d = 32, n = 2, 50 layers, 20 runs).

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "figure-1/cosine",
        ...     {'d': 32, 'L': 10, 'runs': 200, 'runs_control': 100},
        ... )
    """
    S = P.FIG1
    d, L, runs = int(case["d"]), int(case["L"]), int(case["runs"])
    rc = int(case.get("runs_control", 500))
    s_bn, s_van, s_ctl = (ctx.seed("fig1", k, d, L, runs) for k in ("bn", "vanilla", "control"))
    bn = ctx.simulate(h0("collinear", d, 2), L, runs=runs, seed=s_bn, record=("cosine",))
    van = ctx.simulate(
        h0("orthogonal", d, 2),
        L,
        runs=runs,
        seed=s_van,
        variant="vanilla",
        record=("cosine",),
    )
    ctl = ctx.simulate(
        h0("collinear", d, 2), L, runs=rc, seed=s_ctl, variant="vanilla", record=("cosine",)
    )
    params = {"d": d, "L": L, "runs": runs}
    e_bn = mean_bounds(bn.cosine[:, L], lo=0.0, hi=1.0, delta=DELTA)
    e_van = mean_bounds(van.cosine[:, L], lo=0.0, hi=1.0, delta=DELTA)
    e_ctl = mean_bounds(ctl.cosine[:, L], lo=0.0, hi=1.0, delta=DELTA)
    k = min(20, runs)
    series = []
    for lab, r in (("BN (collinear input)", bn), ("vanilla (orthogonal input)", van)):
        m, lo, hi = [], [], []
        for j in range(L + 1):
            iv = mean_bounds(r.cosine[:k, j], lo=0.0, hi=1.0, delta=0.025)
            m.append(iv.estimate)
            lo.append(iv.lower)
            hi.append(iv.upper)
        series.append({"label": lab, "y": m, "lo": lo, "hi": hi})
    cd = S.bound_at(part="bn", d=d)
    series.append({"label": "c_d (isotropic floor)", "y": [cd] * (L + 1), "style": "claim"})
    fig = {
        "id": "fig1-cosine",
        "type": "lines",
        "title": f"Fig. 1: |cos| across layers, d = {d}",
        "caption": f"Mean and 95% band of {k} runs (finite-sample). Checked on {runs} runs: BN "
        f"E|cos_{L}| = {e_bn.estimate:.3f} <= c_d = {cd:.3f}; vanilla E|cos_{L}| = "
        f"{e_van.estimate:.3f} >= 1/2.",
        "x": list(range(L + 1)),
        "xlabel": "layer l",
        "ylabel": "|cos(h_1, h_2)|",
        "series": series,
    }
    rows = judge(
        ctx,
        S.id,
        f"BN: E|cos(H_{L})| <= c_d (isotropic floor)",
        e_bn,
        cd,
        side="upper",
        params={**params, "c_d": cd, "c_d sqrt(d)": cd * math.sqrt(d)},
        seed=s_bn,
        extra={"figure": fig},
    )
    rows += judge(
        ctx,
        S.id,
        f"vanilla: E|cos(H_{L})| >= 1/2",
        e_van,
        S.bound_at(part="vanilla", d=d),
        side="lower",
        params=params,
        seed=s_van,
    )
    rows += judge(
        ctx,
        S.id,
        f"BN: E|cos(H_{L})| <= 1/d",
        e_bn,
        S.control_bound("floor-1/d", d),
        control="floor-1/d",
        params=params,
        seed=s_bn,
    )
    rows += judge(
        ctx,
        S.id,
        f"vanilla from the collinear pair: E|cos(H_{L})| <= c_d",
        e_ctl,
        S.control_bound("vanilla-orthogonalises", d),
        control="vanilla-orthogonalises",
        params={**params, "runs": rc},
        seed=s_ctl,
    )
    rows += judge(
        ctx,
        S.id,
        f"vanilla: E|cos(H_{L})| >= 0.8",
        e_van,
        S.control_bound("vanilla-aligned-by-50"),
        side="lower",
        control="vanilla-aligned-by-50",
        params=params,
        seed=s_van,
    )
    return rows


# ------------------------------------------------------------------------------ decay (2a, F.2)


def _windows(V: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    L = V.shape[1] - 1
    a, b = L // 2, (3 * L) // 4
    return V[:, a:b].mean(1), V[:, b : L + 1].mean(1)


def _decay_rows(
    ctx: RunContext,
    S: Any,
    V: np.ndarray,
    n: int,
    d: int,
    seed: int,
    *,
    knee: bool,
    label: str,
) -> tuple[list[CheckResult], dict[str, Any]]:
    """Linear transient, flat late windows, plateau level: the rows of one chain (Fig. 2a, F.2)."""
    R = V.shape[0]
    A, B = V[: R // 2], V[R // 2 :]
    lA, lB = np.log(A), np.log(B)
    medA = np.median(lA, axis=0)
    wa, wb = _windows(A)
    plateau_A = float(np.median((wa + wb) / 2))
    params = {"n": n, "d": d, "runs (A + B)": R, "depth": V.shape[1] - 1, "plateau (A)": plateau_A}
    rows: list[CheckResult] = []
    win = transient_window(medA, plateau_A)
    info: dict[str, Any] = {"window": win}
    if len(win) >= 3:
        slope, icpt = line_fit(win, medA)
        band, per_layer = residual_band(lB, np.array(win), slope, icpt, DELTA)
        rows += judge(
            ctx,
            S.id,
            f"{label}d={d}: log V linear over the transient (layers {win[0]}..{win[-1]})",
            band,
            S.bound_at(part="linear"),
            side="upper",
            edge=None,
            seed=seed,
            params={**params, "slope per layer (A)": slope, "rate exp(slope)": math.exp(slope)},
            extra={"per layer (l, median, lower, upper, line)": per_layer},
        )
        info.update(slope=slope, icpt=icpt)
        if knee:
            ext = list(range(win[0], min(V.shape[1] - 1, win[-1] + len(win)) + 1))
            s2, c2 = line_fit(ext, medA)
            band2, _ = residual_band(lB, np.array(ext), s2, c2, DELTA)
            rows += judge(
                ctx,
                S.id,
                f"{label}d={d}: log V linear over layers {ext[0]}..{ext[-1]} (through the knee)",
                band2,
                S.control_bound("linear-through-knee"),
                control="linear-through-knee",
                params=params,
                seed=seed,
            )
    else:
        rows.append(
            _info(
                ctx,
                S.id,
                f"{label}d={d}: transient shorter than 3 layers, linearity not checked",
                params=params,
                seed=seed,
            )
        )
    # flat
    ta, tb = _windows(B)
    tol = S.bound_at(part="flat")
    flat = median_bounds((ta - tb) / plateau_A, delta=DELTA)
    rows += judge_within(
        ctx,
        S.id,
        f"{label}d={d}: flat, |median(mean_A V - mean_B V)| / plateau <= {tol:g}",
        flat,
        0.0,
        tol,
        params=params,
        seed=seed,
    )
    if _has(S, "planted-drift"):
        g = S.control_bound("planted-drift")
        planted = median_bounds((ta - g * tb) / plateau_A, delta=DELTA)
        rows += judge_within(
            ctx,
            S.id,
            f"{label}d={d}: flat with window B's V x {g:g}",
            planted,
            0.0,
            tol,
            control="planted-drift",
            params=params,
            seed=seed,
        )
    # plateau level
    lvl = median_bounds((ta + tb) / 2, delta=DELTA)
    rows += judge(
        ctx,
        S.id,
        f"{label}d={d}: plateau median <= sqrt(n/d) x {S.bound_at(part='plateau', n=n, d=d) / math.sqrt(n / d):g}",
        lvl,
        S.bound_at(part="plateau", n=n, d=d),
        side="upper",
        params={**params, "plateau / sqrt(n/d)": lvl.estimate / math.sqrt(n / d)},
        seed=seed,
    )
    rows += judge(
        ctx,
        S.id,
        f"{label}d={d}: plateau median <= sqrt(n/d)/2",
        lvl,
        S.control_bound("plateau-half", n, d),
        control="plateau-half",
        params=params,
        seed=seed,
    )
    info["series"] = np.median(np.log(V), axis=0)
    info["band"] = _quantile_band(np.log(V))
    return rows, info


def _has(S: Any, cid: str) -> bool:
    return any(c.id == cid for c in S.negative_controls)


def plan_figure2a(ctx: RunContext) -> dict[str, Any]:
    """Fig. 2a's case: n = 4, d in {32, 512}; half-B intervals ~4% of the plateau (flatness)
    and ~0.06-0.1 in log V per layer (linearity) at the ci sizes."""
    return {
        "n": 4,
        "runs": ctx.pick(
            ci={32: 1500, 512: 1600}, thorough={32: 4000, 512: 3000}, paper={32: 20000, 512: 20000}
        ),
        # the transient ends by l ~ 25 at d = 32 and l ~ 17 at d = 512: late windows from L/2
        "depth": ctx.pick(
            ci={32: 60, 512: 40}, thorough={32: 80, 512: 50}, paper={32: 200, 512: 200}
        ),
        # the vanilla gap drifts most at large d and shallow depth, before it saturates: -17%
        # at d = 512, depth 30; only -13% at d = 256, depth 80 (not refuted under salt s3)
        "vanilla_runs": ctx.pick(ci=1000, thorough=1000, paper=2000),
        "vanilla_d": 512,
        "vanilla_depth": 30,
    }


def _decay_figure(fid: str, title: str, caption: str, depth: int, infos: dict) -> dict[str, Any]:
    series = []
    for d, inf in infos.items():
        lo, hi = inf["band"]
        y = inf["series"]
        series.append({"label": f"d = {d}", "x": list(range(len(y))), "y": y, "lo": lo, "hi": hi})
        if "slope" in inf:
            w = inf["window"]
            series.append(
                {
                    "label": f"line, d = {d} (slope {inf['slope']:.3f})",
                    "x": w,
                    "y": [inf["icpt"] + inf["slope"] * l for l in w],
                    "style": "fit",
                }
            )
    return {
        "id": fid,
        "type": "lines",
        "title": title,
        "caption": caption,
        "x": list(range(depth + 1)),
        "xlabel": "layer l",
        "ylabel": "log V(H_l)",
        "series": series,
    }


def check_figure2a(ctx: RunContext, case: dict[str, Any]) -> list[CheckResult]:
    """Fig. 2a: linear transient of log V, flat late windows, plateau <= sqrt(n/d); controls:
    vanilla not flat, planted drift, line through the knee, plateau/2.

    Record ``figure-2a/transient-then-flat``; source: Fig. 2a (n = 4, d in {32, 512}, 20 runs; H_0 spiked diagonal).

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "figure-2a/transient-then-flat",
        ...     {'n': 4, 'runs': {32: 120}, 'depth': 40, 'vanilla_runs': 60, 'vanilla_d': 32},
        ... )
    """
    S = P.FIG2A
    n = int(case["n"])
    rows: list[CheckResult] = []
    infos = {}
    ds = sorted(int(k) for k in case["runs"])
    for d in ds:
        R, depth = int(case["runs"][d]), _depth(case, d)
        seed = ctx.seed("fig2a", n, d, depth, R)
        r = ctx.simulate(h0("spiked", d, n), depth, runs=R, seed=seed)
        rr, inf = _decay_rows(ctx, S, r.V, n, d, seed, knee=(d == ds[-1]), label="")
        rows += rr
        infos[d] = inf
    # gross control: the vanilla chain is not flat
    dv, Rv = int(case.get("vanilla_d", 512)), int(case.get("vanilla_runs", 1000))
    depth = int(case.get("vanilla_depth", 30))
    sv = ctx.seed("fig2a-vanilla", n, dv, depth, Rv)
    van = ctx.simulate(h0("orthogonal", dv, n), depth, runs=Rv, seed=sv, variant="vanilla")
    a, b = _windows(van.V)
    lvl = float(np.median((a + b) / 2))
    rows += judge_within(
        ctx,
        S.id,
        f"vanilla d={dv}, depth {depth}: flat within "
        f"{S.control_bound('vanilla-flat'):g} of its level",
        median_bounds((a - b) / lvl, delta=DELTA),
        0.0,
        S.control_bound("vanilla-flat"),
        control="vanilla-flat",
        params={"n": n, "d": dv, "depth": depth, "runs": Rv, "level": lvl},
        seed=sv,
    )
    fig = _decay_figure(
        "fig2a-logV",
        f"Fig. 2a: log V(H_l) vs depth, n = {n}",
        "Median of log V over runs, band 2.5-97.5% quantiles; dotted: the line fitted on half A "
        "over the transient. Paper: log V decays linearly, then stays flat.",
        max(_depth(case, d) for d in ds),
        infos,
    )
    rows[0].extra["figure"] = fig
    return rows


def _depth(case: dict[str, Any], d: int) -> int:
    dep = case["depth"]
    return int(dep[d]) if isinstance(dep, dict) else int(dep)


def plan_odd_decay(ctx: RunContext, activation: str) -> dict[str, Any]:
    """App. F.2's case: ci checks one width (d = 128), thorough and paper d = 32 and 512."""
    return {
        "n": 4,
        "activation": activation,
        "runs": ctx.pick(
            ci={128: 1200}, thorough={32: 2000, 512: 4000}, paper={32: 10000, 512: 10000}
        ),
        # tanh's transient at d = 512 bends slightly (residual 0.077 of 0.15): 2000 runs per
        # half keep its interval inside the band; the plateau is reached by l ~ 17
        "depth": ctx.pick(ci=40, thorough={32: 60, 512: 36}, paper=200),
        "relu_runs": ctx.pick(ci=100, thorough=300, paper=1000),
    }


def check_odd_decay(ctx: RunContext, case: dict[str, Any]) -> list[CheckResult]:
    """App. F.2: tanh / sin at the authors' scale, linear transient + flat + plateau <=
    sqrt(n/d); control: ReLU's plateau is not O(sqrt(n/d)).

    Record ``appendix-f2/odd-activation-decay``; source: arXiv v1, App. F.2 (odd activations).

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "appendix-f2/odd-activation-decay",
        ...     {'n': 4, 'activation': 'sin', 'runs': {32: 120}, 'depth': 30, 'relu_runs': 60},
        ... )
    """
    S = P.ODD_DECAY
    n, act = int(case["n"]), str(case["activation"])
    if act not in ("tanh", "sin"):
        raise ValueError(f"activation must be an odd one, 'tanh' or 'sin'; got {act!r}")
    rows: list[CheckResult] = []
    infos = {}
    ds = sorted(int(k) for k in case["runs"])
    for d in ds:
        R, depth = int(case["runs"][d]), _depth(case, d)
        seed = ctx.seed("appF2", act, n, d, depth, R)
        r = ctx.simulate(
            h0("spiked", d, n), depth, runs=R, seed=seed, activation=act, activation_scale="rows"
        )
        rr, inf = _decay_rows(ctx, S, r.V, n, d, seed, knee=False, label=f"{act}, ")
        rows += rr
        infos[d] = inf
    d = ds[-1]
    Rr = int(case.get("relu_runs", 100))
    sr = ctx.seed("appF2-relu", n, d, depth, Rr)
    rl = ctx.simulate(
        h0("spiked", d, n), depth, runs=Rr, seed=sr, activation="relu", activation_scale="rows"
    )
    a, b = _windows(rl.V)
    rows += judge(
        ctx,
        S.id,
        f"relu, d={d}: plateau median <= sqrt(n/d)",
        median_bounds((a + b) / 2, delta=DELTA),
        S.control_bound("relu-not-odd", n, d),
        control="relu-not-odd",
        params={"n": n, "d": d, "runs": Rr},
        seed=sr,
    )
    rows[0].extra["figure"] = _decay_figure(
        f"appF2-{act}",
        f"App. F.2: log V(H_l) vs depth with {act} (authors' scale), n = {n}",
        "Median of log V over runs, band 2.5-97.5% quantiles; dotted: line fitted on half A.",
        depth,
        infos,
    )
    return rows


# ------------------------------------------------------------------------------ exponents


def _exponent_rows(
    ctx: RunContext,
    S: Any,
    label: str,
    est: Any,
    controls: tuple[str, ...],
    params: dict[str, Any],
    extra: dict[str, Any],
) -> list[CheckResult]:
    rows = judge_within(
        ctx,
        S.id,
        f"{label}: exponent within {P.EXPONENT_TOLERANCE} of -1/2",
        est,
        S.bound_at(),
        P.EXPONENT_TOLERANCE,
        params=params,
        extra=extra,
        edge=EDGE,
    )
    for cid in controls:
        rows += judge_within(
            ctx,
            S.id,
            f"{label}: exponent = {S.control_bound(cid):g}",
            est,
            S.control_bound(cid),
            0.0,
            control=cid,
            params=params,
        )
    return rows


def plan_figure2b(ctx: RunContext) -> dict[str, Any]:
    """Fig. 2b's case: the caption's window (layers 100..600) at every profile."""
    return {
        "n": 4,
        "ds": [16, 32, 64, 128, 256, 512],
        "burn": 100,
        "window": 500,
        # 24 runs: the fewest with a finite sign-test bound at delta / 2 (and the per-run
        # 500-layer averages are precise: the exponent interval is +-0.015)
        "runs": ctx.pick(ci=24, thorough=100, paper=400),
    }


def check_figure2b(ctx: RunContext, case: dict[str, Any]) -> list[CheckResult]:
    r"""Fig. 2b: exponent of the plateau's median between the extreme widths within 0.1 of -1/2
    (caption window); both windows' least-squares slopes reported (bootstrap, info).

    Record ``figure-2b/width-exponent``; source: Fig. 2b (n = 4, d = 16..512, layers 100..600, 20 runs).

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "figure-2b/width-exponent",
        ...     {'n': 4, 'ds': [16, 64], 'burn': 10, 'window': 30, 'runs': 60},
        ... )
    """
    S = P.FIG2B
    n, ds, burn, win, R = (case[k] for k in ("n", "ds", "burn", "window", "runs"))
    depth = burn + win
    Yc, Yn = [], []
    for d in ds:
        r = ctx.simulate(h0("spiked", d, n), depth, runs=R, seed=ctx.seed("fig2b", n, d, depth, R))
        Yc.append(r.V[:, burn : depth + 1].mean(1))  # caption: l = burn..burn+window
        Yn.append(r.V[:, 1 : min(win, depth) + 1].mean(1))  # notebook: l = 1..window
    Yc, Yn = np.array(Yc).T, np.array(Yn).T
    est, a, b = chord_exponent(Yc[:, 0], Yc[:, -1], ds[0], ds[-1], delta=DELTA)
    fits = {}
    for key, Y in (("caption", Yc), ("notebook", Yn)):
        fits[key] = fit_log_slope(ds, Y, seed=ctx.seed("fig2b-boot", key), confidence=0.95)
    nb_est, _, _ = chord_exponent(Yn[:, 0], Yn[:, -1], ds[0], ds[-1], delta=DELTA)
    params = {"n": n, "d": list(ds), "window": f"layers {burn}..{depth}", "runs": R}
    mc, mn = Yc.mean(0), Yn.mean(0)
    fig = {
        "id": "fig2b-width",
        "type": "lines",
        "title": f"Fig. 2b: mean V over layers vs width, n = {n}",
        "caption": f"Caption window (layers {burn}..{depth}): slope {fits['caption'].slope:.3f}; "
        f"notebook window (layers 1..{win}, transient included): slope "
        f"{fits['notebook'].slope:.3f} (paper: -0.46). Dashed: d^(-1/2).",
        "x": list(ds),
        "xlabel": "width d",
        "ylabel": "mean V(H_l) over the window",
        "logx": True,
        "logy": True,
        "series": [
            {
                "label": f"layers {burn}..{depth} (caption)",
                "y": mc,
                "lo": _quantile_band(Yc)[0],
                "hi": _quantile_band(Yc)[1],
            },
            {
                "label": f"layers 1..{win} (notebook)",
                "y": mn,
                "lo": _quantile_band(Yn)[0],
                "hi": _quantile_band(Yn)[1],
            },
            {"label": "d^(-1/2)", "y": [mc[0] * (d / ds[0]) ** -0.5 for d in ds], "style": "claim"},
        ],
    }
    rows = _exponent_rows(
        ctx,
        S,
        "plateau of V (caption window)",
        est,
        ("exponent-1", "exponent-1/4", "exponent-0.4", "exponent-0.6"),
        params,
        {"figure": fig, "median at d1": a.as_dict(), "median at d2": b.as_dict()},
    )
    for key, lab in (
        ("caption", f"layers {burn}..{depth} (caption)"),
        ("notebook", f"layers 1..{win} (authors' notebook)"),
    ):
        f = fits[key]
        rows.append(
            _info(
                ctx,
                S.id,
                f"least-squares slope over all widths, {lab}, 95% bootstrap",
                measured=f.slope,
                ci_low=f.lower,
                ci_high=f.upper,
                bound=-0.46,
                finite_sample=False,
                method="OLS on log-log, bootstrap over runs (asymptotic)",
                error="asymptotic: not in the budget",
                params=params,
                extra={
                    "chord exponent (finite-sample interval)": (
                        (est if key == "caption" else nb_est).as_dict()
                    )
                },
            )
        )
    return rows


def plan_activation_floor(ctx: RunContext, variant: str, activation: str) -> dict[str, Any]:
    return {
        "variant": variant,
        "activation": activation,
        "ds": ctx.pick(
            ci=[32, 128, 512],
            thorough=[32, 64, 128, 256, 512, 1024],
            paper=[32, 64, 128, 256, 512, 1024, 2048],
        ),
        "burn": ctx.pick(ci=20, thorough=50, paper=100),
        # ci at 60 runs x 30 layers: interval radius ~0.08 against the 0.1 tolerance, so the
        # claim was inconclusive in 6 of 20 calibration runs and its edge (E X = 0.8 x estimate)
        # unrefuted in 2; 120 x 60 gives ~0.04 for ~1 s more per case
        "window": ctx.pick(ci=60, thorough=100, paper=400),
        "runs": ctx.pick(ci=120, thorough=120, paper=400),
    }


def nonlinearity(
    ctx: RunContext,
    activation: str,
    d: int,
    n: int,
    seed: int,
    layers: int = 10,
    scale: str = "rows",
) -> float:
    r"""Smallest ``||phi(X) - X||_F / ||X||_F`` over ``layers`` layers of one chain (after one
    burn-in layer), ``X = activation_input(H_l, scale)``: how non-linear the activation is where
    the chain applies it.  Runs on ``ctx``'s backend."""
    from ..chain import activation_fn, activation_input, step

    be = ctx.backend
    xp = be.xp
    phi = activation_fn(activation, xp)
    rng = np.random.default_rng(seed)
    H = be.asarray(h0("gaussian", d, n, seed=seed))
    out = math.inf
    for l in range(layers + 1):
        if l >= 1:
            X = activation_input(H, scale)
            out = min(out, float(xp.sqrt(xp.sum((phi(X) - X) ** 2)) / xp.sqrt(xp.sum(X * X))))
        W = be.asarray(rng.standard_normal((d, d)) / math.sqrt(d))
        H = step(H, W, activation=activation, activation_scale=scale)
    return out


def check_activation_floor(ctx: RunContext, case: dict[str, Any]) -> list[CheckResult]:
    r"""App. F conjecture: exponent of the median fluctuation ``||Q^T Q - E_nu Q^T Q||_F`` between
    the extreme widths within 0.1 of -1/2, activation at the authors' scale; for tanh and sin
    also ``||phi(X) - X|| / ||X|| >= 0.05`` where the chain applies phi.

    Record ``appendix-f/activation-floor``; source: arXiv v1, App. F (NeurIPS App. G) conjecture.

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "appendix-f/activation-floor",
        ...     {'variant': 'bn', 'activation': 'tanh', 'ds': [16, 64], 'burn': 10, 'window': 20, 'runs': 60},
        ... )
    """
    S = P.ACTIVATIONS
    variant, act = str(case["variant"]), str(case["activation"])
    ds, burn, win, R = case["ds"], int(case["burn"]), int(case["window"]), int(case["runs"])
    n = 4
    F = []
    for d in ds:
        r = ctx.simulate(
            h0("gaussian", d, n, seed=1),
            burn + win,
            runs=R,
            seed=ctx.seed("appF", variant, act, d, burn, win, R),
            variant=variant,
            activation=act,
            activation_scale="rows",
            record=("gram",),
        )
        G = r.gram[:, burn:]
        C = G[: R // 2].mean(axis=(0, 1))
        F.append(np.linalg.norm(G[R // 2 :] - C, axis=(-2, -1)).mean(1))
    F = np.array(F).T
    est, a, b = chord_exponent(F[:, 0], F[:, -1], ds[0], ds[-1], delta=DELTA)
    fit = fit_log_slope(ds, F, seed=ctx.seed("appF-boot", variant, act), confidence=0.95)
    label = act + (" (mean-centred BN)" if variant == "bn-centered" else "")
    params = {
        "n": n,
        "d": list(ds),
        "burn-in": burn,
        "window": win,
        "runs (A + B)": R,
        "variant": variant,
        "activation": act,
        "activation_scale": "rows",
    }
    fig = {
        "id": f"appF-{variant}-{act}",
        "type": "lines",
        "title": f"App. F: fluctuation floor vs width, {label}",
        "caption": f"Mean over runs of E_l||Q^TQ - E_nu Q^TQ||_F after burn-in, phi at the "
        f"authors' scale; exponent {est.estimate:.3f} [{est.lower:.3f}, {est.upper:.3f}] "
        f"(finite-sample, extreme widths); least-squares {fit.slope:.3f}. Conjecture: d^(-1/2).",
        "x": list(ds),
        "xlabel": "width d",
        "ylabel": "fluctuation of Q^T Q",
        "logx": True,
        "logy": True,
        "series": [
            {
                "label": label,
                "y": F.mean(0),
                "lo": _quantile_band(F)[0],
                "hi": _quantile_band(F)[1],
            },
            {
                "label": "d^(-1/2)",
                "y": [F.mean(0)[0] * (d / ds[0]) ** -0.5 for d in ds],
                "style": "claim",
            },
        ],
    }
    rows = _exponent_rows(
        ctx, S, label, est, ("exponent-1", "exponent-0.35"), params, {"figure": fig}
    )
    rows.append(
        _info(
            ctx,
            S.id,
            f"{label}: least-squares slope over all widths, 95% bootstrap",
            measured=fit.slope,
            ci_low=fit.lower,
            ci_high=fit.upper,
            bound=-0.5,
            finite_sample=False,
            method="OLS on log-log, bootstrap over runs (asymptotic)",
            error="asymptotic: not in the budget",
            params=params,
        )
    )
    if act in ("tanh", "sin"):
        seed = ctx.seed("appF-nonlinearity", act)
        vals = {d: nonlinearity(ctx, act, d, n, seed) for d in (ds[0], ds[-1])}
        frob = {d: nonlinearity(ctx, act, d, n, seed, scale="frobenius") for d in (ds[0], ds[-1])}
        rows += judge_exact(
            ctx,
            S.id,
            f"{label}: ||phi(X) - X|| / ||X|| >= {P.NONLINEARITY_MIN} where applied",
            min(vals.values()),
            P.NONLINEARITY_MIN,
            0.0,
            side="lower",
            params={
                "d": list(vals),
                "at the authors' scale (rows)": vals,
                "at the unit-Frobenius scale (before)": frob,
                "layers": 10,
            },
        )
    return rows
