"""The reduced sampler is exact in law: two-sample tests against the naive sampler.

For every (n, d) of the grid (d from n to 8n and beyond) and every depth l, the samples of
``V(H_l)``, ``sigma_min(H_l)`` and the joint increment ``V(H_l) - V(H_1)`` from the reduced
sampler are compared with the naive sampler (which draws the full d x d weights) by the
Kolmogorov-Smirnov and the Cramér-von Mises two-sample tests.  All p-values of the grid form one
family, Holm-corrected at level ``ALPHA``: the false-fail probability of this assertion.

Negative controls: the same grid, tests and level must reject the planted wrong samplers of
``planted.py`` (one W for all layers; R without cross-sample correlations).
"""

from __future__ import annotations

import numpy as np
import pytest
from planted import WRONG_SAMPLERS
from scipy import stats as sps

import theory
from theory.results import CheckResult, record
from theory.stats import derive_seed, holm

STATEMENT = theory.statements.get("sampler/exact-in-law")
#: Family-wise level of the whole grid (its share of the run's false-fail budget).
ALPHA = 1e-4
GRID = [(2, 2), (2, 16), (2, 64), (4, 4), (4, 32), (8, 8), (8, 64)]  # (n, d)
DEPTHS = (1, 3, 8)


def _h0(d: int, n: int) -> np.ndarray:
    """Correlated columns (cos ~ 0.7), so that cross-sample structure matters."""
    G = theory.inputs.gaussian(d, n, seed=1000 + 31 * d + n)
    G[:, 1:] += G[:, :1]
    return G


def _features(V: np.ndarray, S: np.ndarray) -> dict[str, np.ndarray]:
    out = {}
    for l in DEPTHS:
        out[f"V[{l}]"] = V[:, l]
        out[f"sigma_min[{l}]"] = S[:, l]
        if l > 1:
            out[f"V[{l}]-V[1]"] = V[:, l] - V[:, 1]
    return out


def _pvalues(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> dict[str, float]:
    p = {}
    for k in a:
        p[f"KS {k}"] = float(sps.ks_2samp(a[k], b[k]).pvalue)
        p[f"CvM {k}"] = float(sps.cramervonmises_2samp(a[k], b[k]).pvalue)
    return p


def _family(candidate, runs: int, backend: theory.Backend) -> dict[str, float]:
    """p-values of the grid for ``candidate(H0, depth, runs, seed) -> (V, S)`` vs the naive sampler."""
    pvals: dict[str, float] = {}
    for n, d in GRID:
        H0 = _h0(d, n)
        ref = theory.simulate(
            H0, max(DEPTHS), runs=runs, seed=derive_seed("law", n, d, "naive"), sampler="naive"
        )
        V, S = candidate(H0, max(DEPTHS), runs, derive_seed("law", n, d, "candidate"), backend)
        for k, p in _pvalues(_features(V, S), _features(ref.V, ref.sigma_min)).items():
            pvals[f"(n={n}, d={d}) {k}"] = p
    return pvals


def _reduced(H0, depth, runs, seed, backend):
    r = theory.simulate(H0, depth, runs=runs, seed=seed, backend=backend, sampler="reduced")
    return r.V, r.sigma_min


def _summary(pvals: dict[str, float]) -> tuple[str, float, bool]:
    keys = list(pvals)
    rejected = holm([pvals[k] for k in keys], ALPHA)
    worst = min(keys, key=pvals.__getitem__)
    return worst, pvals[worst], any(rejected)


def test_reduced_sampler_exact_in_law(profile, backend):
    runs = profile.pick(ci=600, thorough=3000, paper=20000)
    pvals = _family(_reduced, runs, backend)
    worst, pmin, rejected = _summary(pvals)
    m = len(pvals)
    record(
        CheckResult(
            statement_id=STATEMENT.id,
            check=f"reduced vs naive sampler: {m} two-sample tests (KS, CvM), Holm at alpha={ALPHA:g}",
            verdict="fail" if rejected else "pass",
            measured=pmin,
            bound=ALPHA / m,
            margin=pmin * m - ALPHA,
            false_fail=ALPHA,
            method="two-sample KS + Cramér-von Mises, Holm-Bonferroni",
            params={
                "grid (n, d)": GRID,
                "depths": DEPTHS,
                "runs per sampler": runs,
                "smallest p at": worst,
            },
            backend=backend.name,
            dtype=backend.dtype_name,
            device=backend.device,
            extra={"pvalues": pvals},
        )
    )
    assert not rejected, (
        f"reduced sampler differs in law from the naive one: p={pmin:.3g} at {worst}"
    )


@pytest.mark.parametrize("control", [c.id for c in STATEMENT.negative_controls])
def test_wrong_sampler_is_caught(profile, control):
    runs = profile.pick(ci=600, thorough=3000, paper=20000)
    wrong = WRONG_SAMPLERS[control]
    pvals = _family(
        lambda H0, depth, r, seed, be: wrong(H0, depth, runs=r, seed=seed),
        runs,
        theory.get_backend("numpy"),
    )
    worst, pmin, rejected = _summary(pvals)
    record(
        CheckResult(
            statement_id=STATEMENT.id,
            check=f"negative control '{control}' must be rejected by the same tests",
            verdict="refuted" if rejected else "not-refuted",
            measured=pmin,
            bound=ALPHA / len(pvals),
            false_fail=ALPHA,
            control=control,
            method="two-sample KS + Cramér-von Mises, Holm-Bonferroni",
            params={"runs per sampler": runs, "smallest p at": worst},
            extra={"pvalues": pvals},
        )
    )
    assert rejected, f"planted wrong sampler {control!r} was not caught (smallest p={pmin:.3g})"
