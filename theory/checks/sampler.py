r"""The reduced sampler against the naive one, in law: the whole normalised Gram matrix.

``law_check(ctx, case)`` runs a candidate sampler and the naive sampler (which draws the full
``d x d`` weights) from the same correlated H_0 over a grid of (n, d), records the normalised
Gram ``G_l = H_l^T H_l / ||H_l||_F^2`` at every layer, and compares, feature by feature, at
depths ``l`` in ``case["depths"]``:

* spectral invariants: ``V(H_l) = ||G_l - I/n||_F``, ``sigma_min(H_l) = sqrt(lambda_min(G_l))``
  and the joint increment ``V(H_l) - V(H_1)``;
* rotation-sensitive entries in the fixed sample basis: the signed ``cos(h_0, h_1)``, the norm
  share ``G_l[0, 0]`` of sample 0, and (n >= 3) the mean over pairs of ``|cos(h_i, h_j)|`` --
  these change under ``G -> Q G Q^T`` and are what a sampler with the wrong square root
  (``R^T`` for ``R``) gets wrong while every spectral statistic is unchanged.

Each feature gets a two-sample Kolmogorov-Smirnov and a Cramér-von Mises test; all p-values of
the grid form one family, Holm-corrected at ``ALPHA``.

**Verdict** (identity in law): *fail* iff Holm rejects (false fail <= ALPHA); *pass* iff nothing
is rejected AND the detectable KS distance :func:`detectable_ks` is ``<= KS_MAX`` (the record's
bound); otherwise inconclusive.  A control (a planted wrong sampler) is *refuted* iff Holm
rejects.

**Power.**  Let ``D`` be the true KS distance between the two laws of one feature, ``m`` runs
per sampler.  By Massart's DKW inequality each empirical CDF is within ``e = sqrt(log(4 /
beta) / (2 m))`` of its law with probability ``>= 1 - beta/2``, so the observed statistic is
``>= D - 2 e`` with probability ``>= 1 - beta``.  Holm rejects as soon as one p-value is
``<= ALPHA / K`` (K tests), i.e. the KS statistic exceeds ``c = kstwobign.isf(ALPHA / K)
sqrt(2 / m)`` (the asymptotic two-sample critical value scipy uses at these sizes).  Hence any
feature with ``D >= c + 2 e`` makes the family reject with probability ``>= 1 - beta``; we take
``beta = ALPHA``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .. import inputs
from .._validate import check_int
from ..engine import CheckResult, RunContext
from ..sequential import sequential_loop
from ..statements.sampler import EXACT_IN_LAW
from ..stats import derive_seed, holm

Rows = list[CheckResult]

#: Family-wise level of one grid (its share of the run's false-fail budget).
ALPHA = 1e-4
#: Correlation of H_0's columns (equicorrelated family): cross-sample structure matters.
RHO = 0.5

#: ``candidate(ctx, H0, depth, runs, seed) -> (G, sigma_min)``: the normalised Gram stack
#: (runs, depth + 1, n, n) and sigma_min of the unit-norm H_l (runs, depth + 1), computed from an
#: SVD of H_l (or of its R factor), not from G: near rank collapse (d = n, l = 8: sigma_min down
#: to ~1e-8) sqrt(lambda_min(G)) is round-off noise and the test would compare noise.
Candidate = Callable[[RunContext, np.ndarray, int, int, int], tuple[np.ndarray, np.ndarray]]


def detectable_ks(m: int, k: int, alpha: float = ALPHA, beta: float = ALPHA) -> float:
    r"""Smallest true KS distance between the two laws of one feature that makes a family of
    ``k`` tests (Holm at ``alpha``, m samples per side) reject with probability ``>= 1 - beta``:
    ``kstwobign.isf(alpha / k) sqrt(2 / m) + 2 sqrt(log(4 / beta) / (2 m))`` (module docstring)."""
    from scipy.stats import kstwobign

    m, k = check_int(m, "m", minimum=2), check_int(k, "k", minimum=1)
    if not (0 < alpha < 1 and 0 < beta < 1):
        raise ValueError(f"alpha and beta must be in (0, 1); got {alpha}, {beta}")
    return float(kstwobign.isf(alpha / k)) * math.sqrt(2.0 / m) + 2.0 * math.sqrt(
        math.log(4.0 / beta) / (2.0 * m)
    )


def gram_features(
    G: np.ndarray, depths: Sequence[int], sigma_min: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Per-run features of the normalised Gram stack ``G`` (runs, depth + 1, n, n) at ``depths``
    (see the module docstring); ``sigma_min`` (runs, depth + 1), when given, is used instead of
    ``sqrt(lambda_min(G))`` (inaccurate near rank collapse).  ``ValueError`` for a bad shape or
    depth."""
    G = np.asarray(G, dtype=np.float64)
    if G.ndim != 4 or G.shape[-1] != G.shape[-2] or G.shape[-1] < 2:
        raise ValueError(f"G must have shape (runs, depth + 1, n, n) with n >= 2; got {G.shape}")
    n = G.shape[-1]
    if any(not (1 <= l < G.shape[1]) for l in depths):
        raise ValueError(f"depths must lie in [1, {G.shape[1] - 1}]; got {tuple(depths)}")
    eye = np.eye(n) / n
    out: dict[str, np.ndarray] = {}
    V1 = np.sqrt(np.sum((G[:, 1] - eye) ** 2, axis=(-2, -1)))
    iu = np.triu_indices(n, 1)
    for l in depths:
        g = G[:, l]
        diag = np.diagonal(g, axis1=-2, axis2=-1)
        cos = g / np.sqrt(diag[:, :, None] * diag[:, None, :])
        V = np.sqrt(np.sum((g - eye) ** 2, axis=(-2, -1)))
        out[f"V[{l}]"] = V
        out[f"sigma_min[{l}]"] = (
            np.sqrt(np.clip(np.linalg.eigvalsh(g)[:, 0], 0, None))
            if sigma_min is None
            else np.asarray(sigma_min, dtype=np.float64)[:, l]
        )
        if l > 1:
            out[f"V[{l}]-V[1]"] = V - V1
        out[f"cos(h0,h1)[{l}]"] = cos[:, 0, 1]
        out[f"G00[{l}]"] = g[:, 0, 0]
        if n >= 3:
            out[f"mean|cos|[{l}]"] = np.abs(cos[:, iu[0], iu[1]]).mean(axis=1)
    return out


def _pvalues(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> dict[str, tuple[float, float]]:
    """``{test name: (p-value, statistic)}`` for KS and CvM on every feature."""
    from scipy import stats as sps

    out = {}
    for k in a:
        ks = sps.ks_2samp(a[k], b[k])
        out[f"KS {k}"] = (float(ks.pvalue), float(ks.statistic))
        cvm = sps.cramervonmises_2samp(a[k], b[k])
        out[f"CvM {k}"] = (float(cvm.pvalue), float(cvm.statistic))
    return out


def law_h0(ctx: RunContext, n: int, d: int) -> np.ndarray:
    """The shared start: equicorrelated Gaussian columns (correlation RHO), :func:`theory.inputs.h0`."""
    return inputs.h0("correlated", d, n, RHO, seed=ctx.seed("law/H0", n, d))


def reduced(
    ctx: RunContext, H0: np.ndarray, depth: int, runs: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """The sampler under test (:func:`theory.simulate`, ``sampler="reduced"``) on ``ctx.backend``."""
    r = ctx.simulate(H0, depth, runs=runs, seed=seed, sampler="reduced", record=("gram",))
    return r.gram, r.sigma_min


def _draw_pair(
    ctx: RunContext, cand: Any, n: int, d: int, depth: int, runs: int, seed: int, who: str
) -> tuple[Any, Any]:
    """One batch of the naive reference (in the run cache, so the statement and its controls
    share it: its seed depends on the batch, not on the candidate) and of the candidate."""

    def naive() -> tuple[np.ndarray, np.ndarray]:
        r = ctx.simulate(
            law_h0(ctx, n, d),
            depth,
            runs=runs,
            seed=derive_seed(seed, "naive"),
            sampler="naive",
            record=("gram",),
        )
        return (r.gram, r.sigma_min)

    ref = ctx.cached(("law/naive", n, d, depth, runs, seed), naive)
    return ref, cand(ctx, law_h0(ctx, n, d), depth, runs, derive_seed(seed, who))


#: one grid point's draw for ``b`` runs at a seed: ``((G, sigma_min), (G_ref, sigma_min_ref))``,
#: the candidate's and the reference's Grams and sigma_min over layers 0..max(depths)
PairDraw = Callable[
    [int, int, int, int], tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]
]


def law_family(
    ctx: RunContext,
    st: Any,
    case: dict[str, Any],
    pair: PairDraw,
    *,
    seed: int,
    check: str,
    control_check: str,
    more_extra: Callable[[dict[str, tuple[float, float]], list[str]], dict[str, Any]] | None = None,
) -> Rows:
    r"""One row for a grid of two-sample comparisons in law, candidate against reference (the
    engine of :func:`law_check` and of the ICLR 2024 reduced Haar sampler's check).

    ``case``: ``grid`` [(n, d), ...], ``depths``, ``control`` (None: the statement ``st``'s
    row; else the id of a planted candidate's control), ``max_runs`` (optional cap).  Both are
    drawn by ``pair(n, d, b, seed)`` in batches (500, 750, ... runs per sampler and grid point)
    until the family decides -- Holm rejects (fail; a control: refuted), or nothing is rejected
    and the detectable KS distance is within the record's bound (pass) -- or the profile's
    budget ends.  Look ``k`` of ``K`` runs Holm at ``ALPHA / K`` (and the power computation at
    the same level), so the family-wise false-fail rate over all looks stays ``<= ALPHA``
    (union bound over the looks).  ``check`` and ``control_check`` are the rows' texts, with
    ``{K}`` (the number of tests) and ``{control}``; ``more_extra(pv, keys)`` adds to the row's
    ``extra``.
    """
    grid = [(int(n), int(d)) for n, d in case["grid"]]
    depths = tuple(int(l) for l in case.get("depths", (1, 3, 8)))
    control = case.get("control")
    batches: dict[tuple[int, int], list[tuple[dict, dict]]] = {nd: [] for nd in grid}
    state: dict[str, Any] = {}

    def draw(b: int, s: int) -> None:
        for n, d in grid:
            (G, S), ref = pair(n, d, b, derive_seed(s, n, d))
            batches[(n, d)].append(
                (gram_features(G, depths, S), gram_features(ref[0], depths, ref[1]))
            )

    def look(share: float) -> bool:
        pv: dict[str, tuple[float, float]] = {}
        for n, d in grid:
            fa = {
                k: np.concatenate([x[0][k] for x in batches[(n, d)]]) for k in batches[(n, d)][0][0]
            }
            fb = {
                k: np.concatenate([x[1][k] for x in batches[(n, d)]]) for k in batches[(n, d)][0][1]
            }
            for k, v in _pvalues(fa, fb).items():
                pv[f"(n={n}, d={d}) {k}"] = v
        m = len(next(iter(fa.values())))
        keys = list(pv)
        alpha = ALPHA * share
        rejected = holm([pv[k][0] for k in keys], alpha)
        dstar = detectable_ks(m, len(keys), alpha, alpha)
        state.update(pv=pv, keys=keys, rejected=rejected, dstar=dstar, m=m)
        return any(rejected) or (control is None and dstar <= st.bound_at(runs=m, tests=len(keys)))

    res = sequential_loop(
        draw,
        look,
        budget=ctx.budget(max_runs=case.get("max_runs"), first_batch=500),
        seed=seed,
    )
    pv, keys, rejected, dstar, runs = (state[k] for k in ("pv", "keys", "rejected", "dstar", "m"))
    K = len(keys)
    worst = min(keys, key=lambda k: pv[k][0])
    ks_max = max((k for k in keys if ") KS " in k), key=lambda k: pv[k][1])
    params = {"grid (n, d)": grid, "depths": depths, "runs per sampler": runs, "tests": K}
    extra = {
        "smallest p at": worst,
        "smallest p": pv[worst][0],
        "largest KS distance at": ks_max,
        "largest KS distance": pv[ks_max][1],
        "detectable KS distance (any feature, w.p. >= 1 - alpha)": dstar,
        "rejected tests": [k for k, r in zip(keys, rejected) if r][:20],
        **(more_extra(pv, keys) if more_extra else {}),
        "sampling": res.describe("runs per sampler"),
        "batch seeds": list(res.seeds),
    }
    method = (
        f"two-sample KS + Cramér-von Mises on {K} features, Holm at alpha = {ALPHA:g} / "
        f"{res.looks} per look (sequential: union over {res.looks} looks)"
    )
    if control is None:
        bound = st.bound_at(runs=runs, tests=K)
        verdict = "fail" if any(rejected) else ("pass" if dstar <= bound else "inconclusive")
        return [
            ctx.row(
                statement_id=st.id,
                check=check.format(K=K),
                verdict=verdict,
                measured=pv[ks_max][1],
                bound=bound,
                margin=bound - dstar,
                detectable=dstar,
                false_fail=ALPHA,
                wrong_pass=ALPHA,
                error=f"P(fail | same law) <= {ALPHA:g} (Holm, family-wise); a feature whose "
                f"law differs by KS distance >= {dstar:.3f} passes w.p. <= {ALPHA:g}",
                method=method,
                params=params,
                extra=extra,
                bound_from="statement",
            )
        ]
    return [
        ctx.row(
            statement_id=st.id,
            check=control_check.format(control=control),
            verdict="refuted" if any(rejected) else "not-refuted",
            measured=pv[ks_max][1],
            bound=st.control_bound(control, runs=runs, tests=K),
            control=control,
            detectable=dstar,
            wrong_pass=ALPHA,
            error=f"P(refuted | same law) <= {ALPHA:g}",
            method=method,
            params=params,
            extra=extra,
            bound_from=f"control:{control}",
        )
    ]


def _spectral_and_all_p(pv: dict[str, tuple[float, float]], keys: list[str]) -> dict[str, Any]:
    spectral = [k for k in keys if any(f" {f}[" in k for f in ("V", "sigma_min"))]
    p_spec = min(spectral, key=lambda k: pv[k][0])
    return {
        "smallest p among spectral invariants (V, sigma_min, increments)": [p_spec, pv[p_spec][0]],
        "pvalues": {k: v[0] for k, v in pv.items()},
    }


def law_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""One row for the whole grid.  ``case``: ``grid`` [(n, d), ...], ``depths``,
    ``candidate`` (a :data:`Candidate`; default :func:`reduced`), ``control`` (None for the
    statement, else the id of the planted sampler's control), ``max_runs`` (optional cap).

    Sequential, by :func:`law_family`: both samplers are drawn in batches until Holm rejects
    (fail; a control: refuted), or nothing is rejected and the detectable KS distance is within
    the record's bound (pass), or the profile's budget ends; ``ALPHA`` family-wise over the
    looks.

    Record ``sampler/exact-in-law``; source: THEORY_NOTES §1 (rows of W H are i.i.d. N(0, H^T H / d) given H).

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "sampler/exact-in-law",
        ...     {'grid': [(2, 4)], 'depths': (1, 2), 'max_runs': 500, 'control': None},
        ... )
    """
    cand: Candidate = case.get("candidate") or reduced
    who = case.get("control") or "reduced"
    depth = max(int(l) for l in case.get("depths", (1, 3, 8)))

    def pair(n: int, d: int, b: int, seed: int) -> tuple[Any, Any]:
        ref, got = _draw_pair(ctx, cand, n, d, depth, b, seed, who)
        return got, ref

    grid = tuple((int(n), int(d)) for n, d in case["grid"])
    depths = tuple(int(l) for l in case.get("depths", (1, 3, 8)))
    return law_family(
        ctx,
        EXACT_IN_LAW,
        case,
        pair,
        seed=ctx.seed("law", grid, depths, "sequential"),
        check="reduced vs naive sampler in law: {K} tests over the normalised Gram "
        "(invariants and fixed-basis entries)",
        control_check="control '{control}': the planted sampler differs in law from the naive one",
        more_extra=_spectral_and_all_p,
    )


__all__ = [
    "ALPHA",
    "RHO",
    "detectable_ks",
    "gram_features",
    "law_check",
    "law_family",
    "law_h0",
    "reduced",
]
