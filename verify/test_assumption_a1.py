"""Assumption A1 as an empirical claim: the Fig. 3 phase diagram, in both readings of alpha.

For each (n, d) of a grid, R chains of L layers start from independent Gaussian H_0 (one per
run); a run satisfies A1(0.1 alpha_0, L) when ``stat(H_k) >= 0.1 stat(H_0)`` for k = 1..L, with
stat = sigma_min (stated reading) or sigma_min^2 (proved reading).  Checks:

* in the region d >= C n^2 (C per reading, see the record) the per-run failure probability is
  at most eps: the one-sided Clopper-Pearson lower bound on p_fail must not exceed eps;
* negative controls "A1 holds at d = n" and "at d = 2n" are refuted by the same bound (their
  lower bound on p_fail exceeds eps);
* the boundary d*(n) (smallest grid d from which A1 held on all runs) is fitted as c n^beta,
  with a bootstrap interval over runs, and compared with the paper's (n - 28)^1.8; the phase
  diagram is recorded as a heatmap figure with both curves overlaid.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

import theory
from theory.assumption import READINGS, a1_statistic
from theory.profiles import get_profile
from theory.results import CheckResult, record
from theory.statements import assumption_a1 as A1
from theory.stats import ASSERTION_DELTA, binomial_interval, derive_seed

PROFILE = get_profile()
N_GRID = PROFILE.pick(
    ci=(4, 8, 12, 16), thorough=(4, 8, 12, 16, 24, 32), paper=(32, 40, 48, 64, 80, 96, 128)
)
D_MAX = PROFILE.pick(ci=1024, thorough=4096, paper=32768)
D_GRID = tuple(sorted({int(round(4 * 2 ** (k / 2))) for k in range(0, 40)} - {0}))
D_GRID = tuple(d for d in D_GRID if d <= D_MAX)
LAYERS = PROFILE.pick(ci=120, thorough=300, paper=1000)
RUNS = PROFILE.pick(ci=10, thorough=10, paper=10)
#: work cap per cell (standard-normal draws): cells above it are skipped and recorded as such
CELL_CAP = PROFILE.pick(ci=2.5e7, thorough=3e8, paper=1e12)


def _cells(n: int) -> list[int]:
    """Grid widths for n: every d >= n of D_GRID plus d = n and d = 2n (the control cells)."""
    ds = {d for d in D_GRID if d >= n} | {n, 2 * n}
    return sorted(d for d in ds if RUNS * LAYERS * d * n <= CELL_CAP or d <= 2 * n)


@functools.lru_cache(maxsize=1)
def phase_data(backend_name: str) -> dict:
    """Per (n, d): the per-run margin ``min_k stat(H_k) / stat(H_0)`` for both readings."""
    be = theory.get_backend(backend_name)
    out: dict = {}
    for n in N_GRID:
        for d in _cells(n):
            H0 = np.stack(
                [theory.inputs.gaussian(d, n, derive_seed("a1/H0", n, d, r)) for r in range(RUNS)]
            )
            res = theory.simulate(
                H0, LAYERS, runs=RUNS, seed=derive_seed("a1/chain", n, d), backend=be
            )
            for reading in READINGS:
                s = a1_statistic(res.sigma_min, reading)
                out[(n, d, reading)] = s[:, 1:].min(axis=1) / s[:, 0]
    return out


def held(margins: np.ndarray) -> np.ndarray:
    """A1(0.1 alpha_0, L) per run: ``min_k stat(H_k) >= 0.1 stat(H_0)``."""
    return margins >= 0.1


def boundary(data: dict, reading: str, idx: dict | None = None) -> dict[int, int | None]:
    """d*(n): the smallest grid d such that A1 held on all runs at d and every larger grid d."""
    out: dict[int, int | None] = {}
    for n in N_GRID:
        ds = sorted(d for (nn, d, r) in data if nn == n and r == reading)
        best = None
        for d in reversed(ds):
            m = data[(n, d, reading)]
            if idx is not None:
                m = m[idx[(n, d)]]
            if held(m).all():
                best = d
            else:
                break
        out[n] = best
    return out


def fit_boundary(bd: dict[int, int | None]) -> tuple[float, float] | None:
    pts = [(n, d) for n, d in bd.items() if d is not None]
    if len(pts) < 2:
        return None
    x, y = np.log([p[0] for p in pts]), np.log([p[1] for p in pts])
    beta, logc = np.polyfit(x, y, 1)
    return float(beta), float(np.exp(logc))


def _pfail_lower(k: int, m: int) -> float:
    """One-sided lower Clopper-Pearson bound on p_fail at level ASSERTION_DELTA."""
    return binomial_interval(k, m, delta=2 * ASSERTION_DELTA).lower


def _region_counts(data: dict, reading: str, pred) -> tuple[int, int, list]:
    k = m = 0
    cells = []
    for (n, d, r), marg in data.items():
        if r == reading and pred(n, d):
            k += int((~held(marg)).sum())
            m += marg.size
            cells.append([n, d])
    return k, m, cells


@pytest.mark.parametrize("reading", READINGS)
def test_a1_holds_above_n_squared(reading, backend):
    data = phase_data(backend.name)
    C = A1.REGION_C[reading]
    k, m, cells = _region_counts(data, reading, lambda n, d: d >= C * n * n)
    assert m > 0, "no cell in the region d >= C n^2: the grid is too small"
    lower = _pfail_lower(k, m)
    ok = lower <= A1.EPS
    worst = min(((float(data[(n, d, reading)].min()), n, d) for n, d in cells), key=lambda t: t[0])
    record(
        CheckResult(
            statement_id=A1.A1_PHASE.id,
            check=f"A1(0.1 alpha_0, {LAYERS}) in d >= {C:g} n^2 ({reading} reading): "
            f"P(run fails) <= {A1.EPS}",
            verdict="pass" if ok else "fail",
            measured=k / m,
            ci_low=lower,
            ci_high=binomial_interval(k, m, delta=2 * ASSERTION_DELTA).upper,
            bound=A1.EPS,
            margin=A1.EPS - lower,
            false_fail=ASSERTION_DELTA,
            method="one-sided Clopper-Pearson lower bound on the per-run failure probability",
            params={
                "reading": reading,
                "C": C,
                "L": LAYERS,
                "runs per cell": RUNS,
                "cells": cells,
                "failed runs": k,
                "runs": m,
            },
            backend=backend.name,
            extra={"smallest margin min_k stat_k/stat_0 in region (n, d)": worst},
        )
    )
    assert ok, f"A1 failed on {k}/{m} runs in d >= {C} n^2 ({reading})"


@pytest.mark.parametrize("reading", READINGS)
@pytest.mark.parametrize("control", ["holds-at-d=n", "holds-at-d=2n"])
def test_a1_control_refuted(control, reading, backend):
    data = phase_data(backend.name)
    mult = 1 if control == "holds-at-d=n" else 2
    k, m, cells = _region_counts(data, reading, lambda n, d: d == mult * n)
    lower = _pfail_lower(k, m)
    ok = lower > A1.EPS
    record(
        CheckResult(
            statement_id=A1.A1_PHASE.id,
            check=f"negative control '{control}' ({reading} reading) must be refuted",
            verdict="refuted" if ok else "not-refuted",
            measured=k / m,
            ci_low=lower,
            bound=A1.EPS,
            margin=lower - A1.EPS,
            false_fail=ASSERTION_DELTA,
            control=control,
            method="one-sided Clopper-Pearson lower bound on the per-run failure probability",
            params={"reading": reading, "L": LAYERS, "cells": cells, "failed runs": k, "runs": m},
            backend=backend.name,
        )
    )
    assert ok, f"control {control!r} not refuted: {k}/{m} runs failed"


def test_a1_boundary_and_phase_diagram(backend):
    data = phase_data(backend.name)
    rng = np.random.default_rng(derive_seed("a1/boot"))
    summary = {}
    for reading in READINGS:
        bd = boundary(data, reading)
        fit = fit_boundary(bd)
        boots = []
        for _ in range(PROFILE.pick(ci=300, thorough=1000, paper=2000)):
            idx = {(n, d): rng.integers(0, RUNS, RUNS) for (n, d, r) in data if r == reading}
            f = fit_boundary(boundary(data, reading, idx))
            if f is not None:
                boots.append(f[0])
        lo, hi = np.quantile(boots, [0.025, 0.975]).tolist() if boots else [None, None]
        ds = sorted({d for (_, d, r) in data if r == reading})
        z = [
            [
                float(held(data[(n, d, reading)]).mean()) if (n, d, reading) in data else None
                for n in N_GRID
            ]
            for d in ds
        ]
        ns_fine = np.linspace(min(N_GRID), max(N_GRID), 30)
        overlays = [{"label": "d = n^2", "x": ns_fine.tolist(), "y": (ns_fine**2).tolist()}]
        paper_x = [float(n) for n in ns_fine if A1.paper_boundary(n) is not None]
        if paper_x:
            overlays.append(
                {
                    "label": "paper: d = (n - 28)^1.8",
                    "x": paper_x,
                    "y": [A1.paper_boundary(n) for n in paper_x],
                }
            )
        if fit is not None:
            overlays.append(
                {
                    "label": f"fit: d* = {fit[1]:.2f} n^{fit[0]:.2f}",
                    "x": ns_fine.tolist(),
                    "y": (fit[1] * ns_fine ** fit[0]).tolist(),
                }
            )
        compare = {}
        if fit is not None:
            for n in (32, 64, 100):
                compare[str(n)] = {"ours": fit[1] * n ** fit[0], "paper": A1.paper_boundary(n)}
        summary[reading] = {"boundary d*(n)": bd, "beta": fit[0] if fit else None}
        record(
            CheckResult(
                statement_id=A1.A1_PHASE.id,
                check=f"Fig. 3 phase diagram and fitted boundary d* = c n^beta ({reading} "
                "reading; paper: (n - 28)^1.8)",
                verdict="info",
                measured=fit[0] if fit else None,
                ci_low=lo,
                ci_high=hi,
                bound=1.8,
                method="OLS of log d* on log n; 95% bootstrap over runs within cells",
                params={
                    "reading": reading,
                    "L": LAYERS,
                    "runs per cell": RUNS,
                    "n": list(N_GRID),
                    "d grid": ds,
                },
                backend=backend.name,
                extra={
                    "boundary d*(n)": {str(k): v for k, v in bd.items()},
                    "fit": {"beta": fit[0], "c": fit[1]} if fit else None,
                    "ours vs paper at n": compare,
                    "figure": {
                        "id": f"fig3-a1-phase-{reading}",
                        "title": f"Assumption A1 phase diagram (Fig. 3), {reading} reading",
                        "caption": f"Fraction of {RUNS} runs on which A1(0.1 alpha_0, {LAYERS}) "
                        "held (1 = held on all runs, the paper's non-black pixels). Paper: "
                        "holds for d = Omega(n^2), boundary d = (n - 28)^1.8 (L = 1000). "
                        + (
                            f"Fitted boundary d* = {fit[1]:.2f} n^{fit[0]:.2f}, beta 95% "
                            f"bootstrap [{lo:.2f}, {hi:.2f}]."
                            if fit and lo is not None
                            else ""
                        ),
                        "type": "heatmap",
                        "x": list(N_GRID),
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
    # the grid must reach the A1 region for enough n to fit a boundary
    for reading in READINGS:
        assert summary[reading]["beta"] is not None, summary
