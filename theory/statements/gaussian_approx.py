"""Gaussian approximation: Lemma 2 (Eq. 4), Corollary 3 (Eq. 5), the width rate of Table 1 vs
Sec. 4.1, and the deterministic steps behind Lemma 2's proof (THEORY_NOTES §4).

The checks live in :mod:`theory.checks.w2` and are attached at the end of this module.
"""

from __future__ import annotations

import math

from ..engine import NegativeControl, Statement, register
from ..gaussian_w2 import sup_core_ratio, sup_w2c_over_nv2

GROUP = "Gaussian approximation"

W2_DEF = (
    "W2 on R^{d x n} with Frobenius cost; left side: the unconditional law of W_l H_l; "
    "G has i.i.d. N(0, 1/d) entries."
)

#: Tolerance of the two width-rate readings (exponent gamma of R(d) = (E W2c)^(1/2) ~ d^-gamma).
RATE_TOL = 0.1


def conditional_bound(n: int, v: float) -> float:
    """``n V^2``: the bound on the exact conditional ``W2c`` in Lemma 2's proof."""
    return n * v * v


def core_bound(n: int, v: float) -> float:
    """``2 n V``: Lemma 2's right side per run (``n V^2 <= 2 n V`` since ``V <= 1``)."""
    return 2.0 * n * v


def lemma2_bound(n: int, mean_v: float) -> float:
    """``2 n E[V(H_l)]`` (Eq. 4); linear in ``E V``, so it may be applied per run and averaged."""
    return 2.0 * n * mean_v


def corollary3_bound(n: int, d: int, l: int, alpha: float, form: str = "derivable") -> float:
    r"""Right side of Eq. 5 under A1(alpha, l).

    ``form="derivable"`` (the encoded bound): ``4n (1 - 2alpha/3)^(l-1) + 6n^2/(alpha sqrt d)``,
    what Lemma 2 (``2n E V(H_l)``) and Theorem 1 at layer l (exponent ``l - 1``) give, l >= 1.
    ``form="printed"``: Eq. 5 as printed, exponent ``l``.
    """
    if not (n >= 1 and d >= n and l >= 1):
        raise ValueError(f"need n >= 1, d >= n and l >= 1; got n={n}, d={d}, l={l}")
    if not (math.isfinite(alpha) and alpha > 0):
        raise ValueError(f"alpha must be finite and > 0; got {alpha}")
    if form not in ("derivable", "printed"):
        raise ValueError(f"form must be 'derivable' or 'printed'; got {form!r}")
    k = l - 1 if form == "derivable" else l
    return 4 * n * (1 - 2 * alpha / 3) ** k + 6 * n**2 / (alpha * math.sqrt(d))


def width_exponent(reading: str) -> float:
    """The exponent gamma in ``R(d) ~ d^-gamma``: 1/4 (Table 1) or 1/2 (Sec. 4.1 text)."""
    if reading not in ("table-1", "sec-4.1"):
        raise ValueError(f"reading must be 'table-1' or 'sec-4.1'; got {reading!r}")
    return 0.25 if reading == "table-1" else 0.5


_SUP_DERIVATION = (
    "Closed form of sup W2c/(n V^2) (issue 10; the old README's 0.586 = 2 - sqrt 2 is the n = 2 "
    "value only, found by a planted @example).  (1) With x_i = sqrt(n) s_i (sum x_i^2 = n): "
    "W2c = (2/n)(n - sum x_i), n V^2 = (1/n)(sum x_i^4 - n), ratio rho(x) = sum (x_i - 1)^2 / "
    "sum (x_i - 1)^2 (x_i + 1)^2.  (2) Critical points (KKT on the sphere, x >= 0): every "
    "positive x_i solves 2 rho x^3 + mu x + 1 = 0, convex on x > 0 with value 1 at 0, so at most "
    "two distinct positive levels; zeros are the boundary.  The maximiser lies in the 3-level "
    "family (k zeros, m values a, n - k - m values b).  (3) Limits and boundary points: V -> 0 "
    "(x -> 1) gives rho -> 1/4; rank one gives 2/(sqrt n (sqrt n + 1)) (= 2 - sqrt 2 at n = 2, "
    "decreasing in n); one zero and n - 1 equal values gives 2u^2/(1 + u), u = sqrt(1 - 1/n).  "
    "(4) Maximising over the 3-level family (all k, m, and the level ratio on a fine grid with "
    "local refinement, n = 2..64) and a multistart optimiser over the whole sphere (n = 2..12) "
    "both return the one-zero point (tests/test_gaussian_w2_unit.py): sup = 2u^2/(1 + u) = "
    "2(n-1)(1 - sqrt(1 - 1/n)), a maximum, attained at rank n - 1 with equal non-zero singular "
    "values; 0.586 (n=2), 0.734 (3), 0.804 (4), 0.904 (8), 0.953 (16), 0.977 (32), -> 1.  Step 4 "
    "is a verified computation, not a written proof.  (5) rho <= 1 for every n is the proof step "
    "itself: sum x_i (x_i - 1)^2 (x_i + 2) >= 0; so the factor n is asymptotically sharp.",
    "The search finds the supremum without any @example: per n in a fixed list it draws "
    "spectra from the 3-level family of step (2) (which contains every critical point, so the "
    "maximiser generically), its sub-family with equal positive levels (k zeros, n - k ones), "
    "and random and near-rank-one spectra, with target() on the point "
    "ratio; a test asserts that it reaches >= 0.99 of the closed form at every n.",
)

CONDITIONAL = register(
    Statement(
        id="w2/conditional-vs-gap",
        title="Exact conditional W2^2 <= n V^2 (Lemma 2's proof step)",
        formula="W2c(H) := sum_i (s_i - 1/sqrt n)^2 = ||(H^T H)^{1/2} - I/sqrt n||_F^2 <= n V(H)^2 "
        "(unit-norm H); sharp constant: sup W2c/(n V^2) = 2u^2/(1+u), u = sqrt(1 - 1/n)",
        source="Lemma 2's proof (arXiv v1, App. D coupling G := W U V^T); THEORY_NOTES §4",
        hypotheses={"H": "any d x n, d >= n, unit Frobenius norm (adversarial, Hypothesis)"},
        kind="upper",
        bound=conditional_bound,
        resolution=_SUP_DERIVATION,
        negative_controls=(
            NegativeControl(
                "no-factor-n",
                "W2c <= V^2 (the factor n dropped)",
                "at the extremal spectrum W2c / V^2 = n sup(n) > 1 for n >= 2 (e.g. n = 4: 3.2).",
                bound=lambda n, v: v * v,
                strength="gross",
            ),
            NegativeControl(
                "old-readme-2-minus-sqrt2",
                "W2c <= (2 - sqrt 2) n V^2: the supremum the README used to report, at every n",
                "for n >= 3 the one-zero spectrum gives 2u^2/(1+u) > 2 - sqrt 2 (0.734 at n = 3); "
                "evaluated at the search's best case for each n >= 3.",
                bound=lambda n, v: (2 - math.sqrt(2)) * n * v * v,
            ),
            NegativeControl(
                "0.99-sup",
                "W2c <= 0.99 sup(n) n V^2: just below the closed form",
                "the search must reach >= 0.99 sup(n) at every n it draws (asserted).",
                bound=lambda n, v: 0.99 * sup_w2c_over_nv2(n) * n * v * v,
                strength="edge",
            ),
        ),
        notes="Measured (no @example; ci 120, thorough 400 examples per n, derandomized; also 6 of 6 random-seed reruns at 120): the search reaches found/sup = 1.000000 at every n in (2, 3, 4, 5, 8, 16, 32), e.g. 0.976439 at n = 32 (one-zero spectrum found in the 3-level family); the controls no-factor-n, old-readme-2-minus-sqrt2 (n >= 3) and 0.99-sup are refuted at the best case of every n.",
        group=GROUP,
        extra={"supremum": sup_w2c_over_nv2, "supremum_of": "W2c / (n V^2)"},
        check_ref="theory.checks.w2:check_conditional",
        example={"n": 4, "d": 8, "s": [1.0, 0.7, 0.4, 0.1], "seed": 0, "family": "random"},
    )
)

CORE = register(
    Statement(
        id="w2/lemma2-core",
        title="Lemma 2's last step: n V^2 <= 2n V",
        formula="n V(H)^2 <= 2 n V(H) (unit-norm H, since V <= sqrt(1 - 1/n) < 2); "
        "sup n V^2/(2n V) = sqrt(1 - 1/n)/2 at rank one",
        source="Lemma 2's proof (arXiv v1, App. D)",
        hypotheses={"H": "any d x n, d >= n, unit Frobenius norm (adversarial, Hypothesis)"},
        kind="upper",
        bound=core_bound,
        resolution=(
            "n V^2 / (2 n V) = V / 2 and V <= sqrt(1 - 1/n) with equality iff rank one (Eq. 2), "
            "so sup = sqrt(1 - 1/n)/2, a maximum; the search must reach 0.99 of it at every n "
            "without an @example (rank one is a generic member of its spectrum strategy).",
        ),
        negative_controls=(
            NegativeControl(
                "no-factor-n",
                "n V^2 <= 2 V (the factor n dropped)",
                "false when V > 2/n: at rank one V = sqrt(1 - 1/n) > 2/n for n >= 3.",
                bound=lambda n, v: 2.0 * v,
                strength="gross",
            ),
            NegativeControl(
                "quarter",
                "n V^2 <= 2n V / 4, i.e. V <= 1/2 for every H",
                "V/2 reaches sqrt(1 - 1/n)/2 >= 0.354 > 1/4 near rank one, for every n >= 2 "
                "(the search must find near-rank-one spectra).",
                bound=lambda n, v: 2.0 * n * v / 4,
            ),
            NegativeControl(
                "0.99-sup",
                "n V^2 <= 0.99 sup(n) 2n V: just below the closed form",
                "the search must reach >= 0.99 sup(n) at every n it draws (asserted).",
                bound=lambda n, v: 0.99 * sup_core_ratio(n) * 2 * n * v,
                strength="edge",
            ),
        ),
        notes="Measured: the search reaches found/sup = 1.000000 (rank one) at every n in (2, 3, 4, 5, 8, 16, 32) in ci and thorough; no-factor-n (n >= 3), quarter and 0.99-sup refuted at the best case of every n.",
        group=GROUP,
        extra={"supremum": sup_core_ratio, "supremum_of": "n V^2 / (2n V) = V / 2"},
        check_ref="theory.checks.w2:check_core",
        example={"n": 4, "d": 8, "s": [1.0, 0.7, 0.4, 0.1], "seed": 0, "family": "random"},
    )
)

LEMMA2 = register(
    Statement(
        id="lemma-2",
        title="Lemma 2: W2(W_l H_l, G/sqrt n)^2 <= 2n E[V(H_l)]",
        formula="W2(W_l H_l, G/sqrt(n))^2 <= E_H[sum_i (s_i(H_l) - 1/sqrt n)^2] <= 2n E[V(H_l)]",
        source="Eq. 4",
        hypotheses={
            "n": ">= 1",
            "d": ">= n",
            "l": ">= 0",
            "H_0": "catalogued families (Hypothesis: gaussian, correlated, spiked)",
            "W2": W2_DEF,
        },
        kind="upper",
        bound=lemma2_bound,
        resolution=(
            "Per run W2c <= n V^2 <= 2n V holds deterministically (records w2/conditional-vs-gap "
            "and w2/lemma2-core), so E[W2c] <= 2n E[V] for any law; the chain-level content is "
            "the sandwich lower <= W2^2 <= E[W2c] for the unconditional W2.",
            "Verdict on the per-run difference D = W2c - 2n V (the bound applied per run, it is "
            "linear in E V), bounded in [-2n sqrt(1 - 1/n), 2 - 2/sqrt n]: pass iff its upper "
            "confidence end (at delta) is <= 0 (E W2c <= 2n E V, hence W2^2 <= 2n E V); fail iff "
            "the rigorous lower confidence end of W2^2 (projected Gelbrich, "
            "theory.gaussian_w2.projected_gelbrich_lower, at delta/2) exceeds the upper "
            "confidence end of 2n E V (at delta/2).  So each end holds at delta.  The projection "
            "basis comes from a pilot batch drawn first on its own seed and never judged.",
            "Sampled until the data decide (theory.sequential.sequential_loop on the profile's "
            "budget): at each look every end above is recomputed at delta/K on all judged runs "
            "(a union over the budget's K looks), and the loop stops once the statement and every "
            "control are decided and the edge control is refuted (or the statement failed).  "
            "Power: the edge control (0.8) is placed on E[W2c], the upper estimate of the left "
            "side: with W2c in [0, 2 - 2/sqrt n] the empirical-Bernstein radius has a range term "
            "7 w log(4/delta) / 3N, so cases are drawn where E[W2c] >= ~0.04 (d <= 4n).  The "
            "planted bound 0.3 n E V (data above it by 38% at n = 2, d = 4, l = 1, spiked H_0; "
            "inconclusive with the former fixed 1500 runs) fails after ~4000 runs "
            "(tests/test_planted_bounds.py).",
            "Reported beside it (not asserted): the plug-in Gelbrich bound and the calibrated "
            "POT emd2 / sliced estimates of d W2^2(row law, N(0, I/(nd))).",
        ),
        negative_controls=(
            NegativeControl(
                "factor-2n/100",
                "2n replaced by 2n/100",
                "at l = 1 from the spiked H_0 (n = 4, d = 16) W2^2 >= ~0.9 (projected Gelbrich) "
                "while (2n/100) E V ~ 0.07.",
                bound=lambda n, mean_v: 2 * n / 100 * mean_v,
                strength="gross",
            ),
            NegativeControl(
                "factor-n/8",
                "2n replaced by n/8 (16x smaller)",
                "at l = 1 from the spiked H_0 (n = 4, d = 16) the data show W2^2 >= ~0.9 while "
                "(n/8) E V ~ 0.43: Lemma 2's constant cannot be lowered below ~0.14 x 2n there.",
                bound=lambda n, mean_v: n / 8 * mean_v,
                strength="planted",
            ),
            NegativeControl(
                "G-without-1/sqrt(n)",
                "target G instead of G/sqrt(n)",
                "rows N(0, I/d): the Gelbrich bound is ||(E C)^{1/2} - I||_F^2 >= (sqrt n - 1)^2 "
                "since tr C^{1/2} <= sqrt n, i.e. >= 1 at n = 4, above 2n E V ~ 0.25 at d = 1024.",
                bound=lemma2_bound,
                strength="gross",
            ),
            NegativeControl(
                "W-variance-1",
                "W with N(0, 1) entries instead of N(0, 1/d)",
                "W' H = sqrt(d) W H: the Gelbrich bound is ~ d, far above 2n E V <= 2n.",
                bound=lemma2_bound,
                strength="gross",
            ),
        ),
        notes="Measured (ci 4 drawn cases, thorough 25, plus 2 control cases): all pass; largest point ratio E[W2c]/(2n E V) = 0.207 (n = 2, d = 2, spiked, near rank one: the per-run supremum (1 - 1/sqrt 2)/(2 sqrt(1/2)) at n = 2).  Sequential (ci): the drawn cases stop after 500 runs, the control cases after 950-1625, with the edge control on E[W2c] (0.8) refuted on every drawn case; detectable discrepancy 1.2-1.3 on the drawn cases.  At l = 1 from the spiked H_0 (n = 4, d = 16): E W2c = 1.000, projected Gelbrich 0.93, calibrated emd2 0.34 (info).",
        group=GROUP,
        check_ref="theory.checks.w2:check_lemma2",
        example={
            "n": 2,
            "d": 4,
            "l": 2,
            "family": "gaussian",
            "param": 0.0,
            "seed": 0,
            "max_runs": 400,
            "edge": False,
        },
    )
)

_COR3_RESOLUTION = (
    "Misprint (issue 11): Lemma 2 gives W2^2 <= 2n E[V(H_l)], and Theorem 1 at layer l "
    "(E V(H_l) <= 2(1 - 2alpha/3)^(l-1) + 3n/(alpha sqrt d) under A1(alpha, l-1)) gives "
    "4n(1 - 2alpha/3)^(l-1) + 6n^2/(alpha sqrt d).  Eq. 5 prints the exponent l, which would need "
    "one more contraction than the two results provide.  The encoded bound is the derivable "
    "form (corollary3_bound(form='derivable')); the printed form is kept as the named variant "
    "form='printed' (smaller by the factor 1 - 2alpha/3 on the first term) and reported on "
    "every row (extra['printed form']); neither is contradicted by the data.",
    "A1 is made testable by certifying alpha from the sampled paths (min over runs and k <= l of "
    "sigma_min or sigma_min^2): A1 holds on every path, P(A1) in sample = 1.",
    "The bound is informative (< max W2c = 2 - 2/sqrt n) only when 6n^2/(alpha sqrt d) is small: "
    "n = 2 and d >= 2^13, at depth, where the chain sits at its plateau E[W2c] ~ 0.34/d ~ 4e-5.  "
    "There the bound exceeds the data by ~1e4, and NO interval at delta = 2e-6 can resolve the "
    "measured value: W2c ranges over [0, 0.586], and any finite-sample bound on a mean of such a "
    "variable has a range term ~ w log(1/delta)/N (a Bernoulli event of probability 1e-5 is "
    "invisible below N ~ 1e6), so resolving 4e-5 to 50% needs N ~ 2e6 runs (paper profile on a "
    "GPU only).  The informative point is therefore checked without an edge control (its row "
    "reports the detectable discrepancy), and the power is shown where the data are large: "
    "the transient point (l = 2 from near-collinear H_0, E W2c ~ 0.39, where Eq. 5 is vacuous) "
    "carries the edge control (0.8) and the planted control.",
    "The former control 'constants/100' is dropped (issue 10): at every informative point it "
    "is TRUE (bound/100 ~ 3e-3 > E W2c ~ 4e-5), and at l = 1 from near-collinear H_0 the "
    "certified alpha (~0.01 over 1000 paths) makes even bound/100 ~ 0.35 exceed the data's "
    "lower end at d = 8192: it is false only at d >= 2^14 in the vacuous regime.",
)

COROLLARY3 = {}
for _reading, _stat in (
    ("stated", "sigma_min(H_k) >= alpha"),
    ("proved", "sigma_min(H_k)^2 >= alpha"),
):
    _controls = [
        NegativeControl(
            "no-transient-term",
            "W2^2 <= 6n^2/sqrt(d): the width term alone (alpha = 1, depth term dropped)",
            "at l = 2 from near-collinear H_0 (n = 2, d = 8192, eps = 1e-3) the data show "
            "W2^2 >= ~0.3 (projected Gelbrich) while 24/sqrt(8192) = 0.265; from l = 3 on "
            "(E W2c ~ 0.17) the variant holds: placed just beyond the data.",
            bound=lambda n, d: 6 * n**2 / math.sqrt(d),
        ),
    ]
    COROLLARY3[_reading] = register(
        Statement(
            id=f"corollary-3/{_reading}-alpha",
            title=f"Corollary 3 ({_reading} reading of alpha)",
            formula="W2(W_l H_l, G/sqrt n)^2 <= 4n (1 - 2 alpha/3)^(l-1) + 6 n^2 / (alpha sqrt d) "
            f"under A1(alpha, l): {_stat}, k = 1..l  (Eq. 5 prints ^l)",
            source="Eq. 5 (exponent resolved, issue 11)",
            hypotheses={
                "A1": f"{_stat} for k = 1..l; alpha certified as the minimum over all "
                "sampled paths (theory.assumption.certified_alpha)",
                "n, d": "n = 2, d = 2^13.. (where the bound is not vacuous)",
                "W2": W2_DEF,
            },
            kind="upper",
            bound=corollary3_bound,
            resolution=_COR3_RESOLUTION,
            negative_controls=tuple(_controls),
            group=GROUP,
            extra={"forms": ("derivable", "printed")},
            check_ref=f"theory.checks.w2:check_corollary3_{_reading}",
            example={
                "n": 2,
                "d": 64,
                "l": 2,
                "family": "gaussian",
                "param": 0.0,
                "seed": 7,
                "max_runs": 200,
                "edge": False,
            },
            notes="Sampled until the data decide (theory.sequential.sequential_loop on the "
            "profile's budget; alpha re-certified on all judged paths at every look).  Measured, "
            "informative point (Gaussian H_0, n = 2): ci d = 8192, l = 16, decided at the first "
            "look (200 runs): E W2c = 3.9e-5, upper end 0.118 vs 0.384 (stated) / 0.581 "
            "(proved); formerly (thorough d = 16384, l = 24, 300 runs) E W2c = 2.1e-5, upper end "
            "0.066 vs 0.269 / 0.388 (printed form 0.2694 / 0.3877).  Transient point (l = 2, "
            "collinear eps = 1e-3, d = 8192): E W2c = 0.394 [0.366, 0.422] after 950 runs (ci), "
            "edge (0.8) refuted, no-transient-term refuted (lower end of W2^2 0.266 > 0.265).",
        )
    )

_RATE_RESOLUTION = (
    "R(d) := (E_H[W2c])^(1/2) >= W2(W_l H_l, G/sqrt n) at depth; gamma is its exponent, "
    "R ~ d^-gamma.  Finite-sample estimate from two widths d1 < d2 (n = 2, d1 = 8, d2 = 32, "
    "after burn-in): gamma = log(E W2c(d1) / E W2c(d2)) / (2 log(d2/d1)), its interval from the "
    "mean bounds of the per-run window averages at each width (each end at delta/2), so it is "
    "inside the false-fail budget; paired batches at the two widths are drawn until the data "
    "decide (each look at delta/K: a union over the budget's K looks), the edge control (0.8) "
    "and the controls included.  Small widths because W2c ranges over [0, 0.586] while "
    "E W2c ~ 0.34/d: the range term of any finite-sample bound grows relative to the mean "
    "as d grows.",
    "The two readings are two records: table-1 (R = O(d^(-1/4)), i.e. gamma >= 1/4: TRUE if the "
    "text's 1/2 holds, so it passes) and sec-4.1 (gamma = 1/2 within 0.1).  Table 1 read as a "
    "sharp rate (gamma = 1/4 within 0.1) is the planted control of both: refuted by the data, "
    "which support the text's O(1/sqrt width).",
    "Reported beside it, outside the budget (finite_sample=False): the OLS slope of log R "
    "against log d over more widths with a 99.9% bootstrap over a fixed 200 runs (the -0.51 of "
    "issue 11): bootstrap, asymptotic (not finite-sample), so no sequential rule applies.  A "
    "finite-sample version (OLS weights on per-width mean bounds) exists but needs ~1e5 runs at "
    "d = 256, where E W2c ~ 1e-3 against the range 0.586.",
)

_RATE_NOTES = (
    "Measured gamma (d = 8 vs 32, n = 2, finite-sample, sequential): 0.541 [0.458, 0.634] "
    "(table-1, decided after 14980 runs in ci), 0.541 [0.499, 0.585] (sec-4.1, after 34203 "
    "runs); formerly 0.543 [0.527, 0.559] with a fixed 100000 runs.  Table 1's O(d^-1/4) "
    "passes (gamma >= 1/4) but read as the rate it is refuted; the text's 1/2 passes.  The "
    "two-width exponent is 0.54, not 0.50 (finite-width bias), so it sits 0.057 inside the "
    "Sec. 4.1 band: that reading needs a radius below 0.057.  "
    "OLS over d = 16..512 (bootstrap, outside the budget): gamma = 0.514 [0.496, 0.532], i.e. "
    "a slope of -0.51 for R(d): the data support Sec. 4.1's O(1/sqrt width)."
)

#: the cheap case of both records below (the registry's smoke test runs it)
_RATE_EXAMPLE = {
    "n": 2,
    "d1": 8,
    "d2": 32,
    "burn": 2,
    "window": 2,
    "max_runs": 300,
    "seed": 2,
    "power": False,
}

TABLE1 = register(
    Statement(
        id="table-1/width-rate",
        title="Table 1: the W2 ball shrinks like width^(-1/4) or faster",
        formula="R(d) = (E_H[sum_i (s_i - 1/sqrt n)^2])^{1/2} = O(d^(-1/4)), i.e. gamma >= 1/4 "
        "where R ~ d^-gamma",
        source="Table 1",
        hypotheses={
            "n": "2",
            "d": "8, 32 (finite-sample); 8..128 (bootstrap)",
            "l": "after burn-in",
        },
        kind="slope",
        bound=lambda: width_exponent("table-1"),
        resolution=_RATE_RESOLUTION,
        negative_controls=(
            NegativeControl(
                "sharp-1/4",
                "R(d) = Theta(d^(-1/4)): |gamma - 1/4| <= 0.1 (Table 1 read as the exact rate)",
                "R(d)^2 ~ n E[V^2]/4 ~ 1/d, so gamma ~ 1/2 (measured 0.5-0.55).",
                bound=lambda: width_exponent("table-1"),
            ),
            NegativeControl(
                "rate-1/d",
                "R(d) ~ d^(-1): gamma >= 1",
                "gamma ~ 1/2 (measured).",
                bound=lambda: 1.0,
                strength="gross",
            ),
        ),
        group=GROUP,
        extra={"tolerance": RATE_TOL},
        notes=_RATE_NOTES,
        check_ref="theory.checks.w2:check_rate_table_1",
        example=_RATE_EXAMPLE,
    )
)

SEC41 = register(
    Statement(
        id="sec-4.1/width-rate",
        title="Sec. 4.1: the W2 radius is O(1/sqrt(width))",
        formula="R(d) ~ d^-gamma with |gamma - 1/2| <= 0.1 (two widths, after burn-in)",
        source="Sec. 4.1 (text), vs Table 1",
        hypotheses={"n": "2", "d": "8, 32", "l": "after burn-in"},
        kind="rate",
        bound=lambda: width_exponent("sec-4.1"),
        resolution=_RATE_RESOLUTION,
        negative_controls=(
            NegativeControl(
                "table-1-sharp",
                "gamma = 1/4 within 0.1 (Table 1's width^(-1/4) read as the rate)",
                "gamma ~ 1/2 (measured): the bands [0.15, 0.35] and [0.4, 0.6] are disjoint.",
                bound=lambda: width_exponent("table-1"),
            ),
        ),
        group=GROUP,
        extra={"tolerance": RATE_TOL},
        notes=_RATE_NOTES,
        check_ref="theory.checks.w2:check_rate_sec_4_1",
        example=_RATE_EXAMPLE,
    )
)
