"""Theorem 1 (Eq. 3) in both readings of alpha, with its planted false variants.

``E[V(H_{l+1})] <= 2 (1 - 2 alpha / 3)^l + 3 n / (alpha sqrt(d))`` under A1(alpha, l).

* ``theorem-1/stated-alpha``: alpha bounds ``sigma_min(H_k)``, k = 1..l (main text);
  alpha <= 1/sqrt(n).
* ``theorem-1/proved-alpha``: alpha bounds ``sigma_min(H_k)^2`` (what the v1 proof uses: the
  drift factor is ``1 - (2/3) sigma_min^2``); alpha <= 1/n.

The bound is vacuous (>= the largest possible gap ``sqrt(1 - 1/n)``) unless
``3 n / (alpha sqrt d) < sqrt(1 - 1/n)``, i.e. ``d > 9 n^2 / (alpha^2 (1 - 1/n))``: with alpha a
fraction q of its largest value this is ``d > 9 n^3 / (q^2 (1 - 1/n))`` (stated reading) or
``d > 9 n^4 / (q^2 (1 - 1/n))`` (proved reading) -- e.g. n = 2, q = 0.8: d > 225 (stated),
d > 450 (proved); n = 4: d > 1200 (stated), d > 4800 (proved).  :func:`min_informative_d`
computes it; the checks draw d above it.
"""

from __future__ import annotations

import math

from ..assumption import alpha_max
from ..engine import NegativeControl, Statement, register

GROUP = "Theorem 1"


def transient(alpha: float, l: int) -> float:
    """``2 (1 - 2 alpha / 3)^l``: the depth term of Eq. 3."""
    return 2.0 * (1.0 - 2.0 * alpha / 3.0) ** l


def floor_term(n: int, d: int, alpha: float) -> float:
    """``3 n / (alpha sqrt(d))``: the width term of Eq. 3 (the v1 proof's arithmetic result)."""
    return 3.0 * n / (alpha * math.sqrt(d))


def theorem1_bound(n: int, d: int, l: int, alpha: float) -> float:
    r"""Right-hand side of Eq. 3: ``2 (1 - 2 alpha/3)^l + 3 n / (alpha sqrt d)``.

    The formula is the same in both readings; only what ``alpha`` bounds differs.
    """
    if not (n >= 1 and d >= n and l >= 0):
        raise ValueError(f"need n >= 1, d >= n and l >= 0; got n={n}, d={d}, l={l}")
    if not (math.isfinite(alpha) and alpha > 0):
        raise ValueError(f"alpha must be finite and > 0; got {alpha}")
    return transient(alpha, l) + floor_term(n, d, alpha)


def max_gap(n: int) -> float:
    """``sqrt(1 - 1/n)``: the largest value of V (rank one)."""
    return math.sqrt(1.0 - 1.0 / n)


def is_vacuous(n: int, d: int, l: int, alpha: float) -> bool:
    """Whether Eq. 3 cannot fail: its right-hand side is at least ``max V = sqrt(1 - 1/n)``."""
    return theorem1_bound(n, d, l, alpha) >= max_gap(n)


def min_informative_d(n: int, q: float, reading: str) -> float:
    """Smallest d at which the width term alone is below ``max V``, for alpha = q * alpha_max."""
    if not (0 < q <= 1):
        raise ValueError(f"q must be in (0, 1]; got {q}")
    a = q * alpha_max(n, reading)
    return (3.0 * n / (a * max_gap(n))) ** 2


_RESOLUTION = (
    "Misprint: the last line of the v1 proof reads 3n/(2 alpha sqrt d); the induction gives "
    "E[Vhat(H_{l+1})] <= (1 - 2alpha/3)^l Vhat(H_1) + 3/(2 alpha sqrt d) and Lemma 4 (V <= 2n Vhat) "
    "doubles it to 3n/(alpha sqrt d), which is the main text's Eq. 3 -- encoded here.",
    "'Under A1' is made testable two ways, both run and each judged and recorded separately "
    "(params 'a1_handling'): (a) conditioning: alpha is fixed before the judged sample by an "
    "independent pilot of 96 runs (the drawn quantile pfail in [0.02, 0.3] of the pilot's per-run "
    "min_{k<=l} sigma_min(H_k), or its square), so P(A1) ~ 1 - pfail and A1 is never a rare event "
    "(the old q = 0.94 of alpha_max kept 2-70 of 140-275 runs and produced 'fail' rows that were "
    "lack of evidence); the sample is the runs on which A1(alpha, l) held (i.i.d. given the "
    "event), and P(A1) is reported with a Clopper-Pearson interval; (b) certified: alpha = min "
    "over all runs and k = 1..l of the A1 statistic -- it over-estimates the almost-sure alpha, so "
    "the tested bound is at least as strong as the theorem's.",
    "Verdict (theory.engine.judge): both-sided finite-sample bounds on E[V(H_{l+1})] (Hoeffding / "
    "empirical Bernstein on [0, sqrt(1 - 1/n)], each side at ASSERTION_DELTA): pass iff the upper "
    "end <= bound, fail iff the lower end > bound, else inconclusive.  The judged chain is drawn "
    "in batches on the profile's budget until the data decide (theory.sequential.sequential_loop: "
    "each look's intervals at delta/K per side, a union bound over the K looks fixed in advance, "
    "so each end holds at delta over the whole sequence whatever stopped it): it stops once "
    "every row (each reading x each handling; the certified alpha is the minimum over all runs so "
    "far) is decided and its edge control 'E[V] <= 0.8 x estimate' (theory.engine.EDGE) is "
    "refuted -- a failing row does not wait for its edge -- or when the budget ends.  No run "
    "count is planned.  E[V] ~ 0.02-0.05 is 5-30x below the bound, so it is the edge control "
    "that shows the estimator resolves E[V], and it is what sets the runs (the radius is "
    "dominated by the range term 7 w log(4K/delta)/(3R), w = sqrt(1 - 1/n)).  The planted "
    "variants are drawn the same way until decided.",
    "Vacuous regime: 3n/(alpha sqrt d) >= sqrt(1-1/n) cannot fail; every row records 'vacuous' "
    "and d is drawn near and above min_informative_d (stated reading; the proved reading is "
    "informative at n = 2, d >= 1024).",
    "Measured (ci, sequential, n = 2, d = 256-512, l = 6-11: 6436-9854 runs): E[V] = "
    "0.032-0.045 against bounds 0.40-1.37 (point-estimate ratio <= 0.08), every verdict 'pass', "
    "P(A1) = 0.79-0.95 under conditioning, detectable discrepancy 1.009-1.024 (the check would "
    "catch a bound too small by 1-2.4%), every edge control (0.8 x estimate) refuted. Controls "
    "at n = 2 (each stopped as soon as decided): floor-over-100 (d = 64, l = 40: bound 0.015 "
    "stated / 0.031 proved vs lower end 0.022 / 0.053, 500 / 950 runs), no-width-term (bound "
    "<= 1.4e-3 vs 0.022, 500 runs), width-exponent-1 (stated, d = 1024, l = 16: bound 0.0092 vs "
    "lower end 0.0103, 2638 runs), all refuted with P(A1) = 1. At d = 1024, l = 16 the edge "
    "needs ~10^4 runs (~13 s on 2 cores), past the ci profile's 10 s per check.",
)

_FLOOR100 = NegativeControl(
    id="floor-over-100",
    description="width term divided by 100: 2(1-2alpha/3)^l + 3n/(100 alpha sqrt d)",
    why_false=(
        "after burn-in the transient term is < 1e-3 while E[V] sits on a plateau c/sqrt(d) with "
        "c ~ 0.63-0.7 for n = 2 (one step from an orthogonal H: C_11 - 1/2 and C_12 are means "
        "of d i.i.d. cos(2 theta)/2, sin(2 theta)/2, so E V^2 = 1/(2d) and E V ~ sqrt(pi/8)/sqrt d); "
        "the variant's width term 3n/(100 alpha sqrt d) = 0.24/sqrt(d) at n = 2, alpha = 1/4 "
        "(proved) or 0.12/sqrt(d) at alpha = 1/2 (stated) is 3-6 times smaller. Measured at "
        "n = 2, d = 64, l = 40 (the lower confidence bound exceeds it)."
    ),
    bound=lambda n, d, l, alpha: transient(alpha, l) + floor_term(n, d, alpha) / 100.0,
    strength="planted",
)

_WIDTH1 = NegativeControl(
    id="width-exponent-1",
    description="width exponent 1/2 replaced by 1: 2(1-2alpha/3)^l + 3n/(alpha d)",
    why_false=(
        "the stationary plateau of E[V] decays like c/sqrt(d) (c ~ 0.7 at n = 2), not 1/d: "
        "c/sqrt(d) > 3n/(alpha d) as soon as sqrt(d) > 3n/(c alpha); at n = 2, alpha = 0.65 "
        "(stated reading, conditioning; P(A1) = 1 measured) and d = 1024, l = 16 the variant "
        "claims E[V] <= 0.0092 + 2e-4 while E[V] = 0.0224 (lower confidence bound 0.0103 at the "
        "look that decided it). "
        "Refuted in the stated reading only: in the proved reading alpha <= 1/n makes the false "
        "bound larger (still false once d >~ 300: E[V] ~ 0.7/sqrt(d) > 3n/(alpha d) >= 12/d), "
        "at d = 1024, l = 16, alpha = 0.46 it claims <= 0.018 against E[V] = 0.022, which needs "
        "~10^4 runs to refute, past the ci budget of 10 s per check."
    ),
    bound=lambda n, d, l, alpha: transient(alpha, l) + 3.0 * n / (alpha * d),
    strength="planted",
)

_NO_FLOOR = NegativeControl(
    id="no-width-term",
    description="width term dropped: E[V(H_{l+1})] <= 2(1-2alpha/3)^l",
    why_false=(
        "E[V] never goes below its plateau c/sqrt(d) > 0 (V(H_{l+1}) = 0 has probability 0 for "
        "finite d), while 2(1-2alpha/3)^l -> 0; at n = 2, d = 64, l = 40 the variant claims "
        "< 2e-3 against E[V] ~ 0.09."
    ),
    bound=lambda n, d, l, alpha: transient(alpha, l),
    strength="gross",
)

_STATED_NOTE = (
    "Not what the proof delivers: with alpha bounding sigma_min (alpha <= 1/sqrt n) the bound is "
    "stronger than the proved one. Analytically, linearising E[x x^T/|x|^2] at Sigma = I/n gives "
    "a contraction n/(n+2) of the Gram deviation near orthogonality, and 1 - 2/(3 sqrt n) < "
    "n/(n+2) for n >= 5, so for alpha close to 1/sqrt(n) the stated transient factor would be "
    "faster than the chain's asymptotic one. In practice this is masked twice: (i) the certified "
    "alpha stays well below 1/sqrt(n) (e.g. 0.26 vs 0.35 at n = 8) and the measured early-"
    "transient factors (0.50, 0.62, 0.70 at n = 2, 4, 8, d = 8192) are faster than both "
    "readings' 1 - 2alpha/3 (0.62, 0.74, 0.82 stated); (ii) the width term 3n/(alpha sqrt d) >= "
    "3 n^1.5/sqrt(d) exceeds the measured plateau (~0.5 sqrt(n/d)) by 12x-50x. No violation of "
    "the stated reading was found at finite width; its margins are reported separately. In the "
    "infinite-width limit, where the width term vanishes, the stated reading IS false for n >= 5 "
    "(see 'meanfield/stated-alpha': smallest n = 5, first failing layer 351 from a near-"
    "orthogonal spiked H_0), while the proved reading holds ('meanfield/proved-alpha')."
)

#: the cheap case of both records below (the registry's smoke test runs it)
_EQ3_EXAMPLE = {
    "n": 2,
    "d": 256,
    "l": 4,
    "family": "gaussian",
    "param": 0.0,
    "pfail": 0.1,
    "seed": 0,
    "max_runs": 500,
}

STATED = register(
    Statement(
        id="theorem-1/stated-alpha",
        title="Theorem 1 (Eq. 3), alpha as stated: sigma_min(H_k) >= alpha",
        formula="A1(alpha, l): sigma_min(H_k) >= alpha, k = 1..l  =>  "
        "E[V(H_{l+1})] <= 2 (1 - 2 alpha/3)^l + 3 n / (alpha sqrt(d))",
        source="Eq. 3 (main text, Theorem 1); Assumption A1 as printed",
        hypotheses={
            "n": ">= 2 (checked 2..4)",
            "d": ">= n; drawn above min_informative_d(n, q, 'stated') = 9 n^3/(q^2 (1 - 1/n))",
            "l": ">= 1 (A1 over k = 1..l, V at l + 1)",
            "alpha": "in (0, 1/sqrt(n)] (unit norm forces sigma_min <= 1/sqrt n)",
            "H_0": "Gaussian, equicorrelated Gaussian (cos rho) or spiked diagonal",
            "W_l": "i.i.d. N(0, 1/d), fresh each layer (reduced sampler, exact in law)",
        },
        kind="upper",
        bound=theorem1_bound,
        resolution=_RESOLUTION,
        negative_controls=(_FLOOR100, _WIDTH1, _NO_FLOOR),
        group=GROUP,
        notes=_STATED_NOTE,
        check_ref="theory.checks.theorem1:stated_check",
        example=_EQ3_EXAMPLE,
    )
)

PROVED = register(
    Statement(
        id="theorem-1/proved-alpha",
        title="Theorem 1 (Eq. 3), alpha as proved: sigma_min(H_k)^2 >= alpha",
        formula="sigma_min(H_k)^2 >= alpha, k = 1..l  =>  "
        "E[V(H_{l+1})] <= 2 (1 - 2 alpha/3)^l + 3 n / (alpha sqrt(d))",
        source="Eq. 3 with alpha as used by the arXiv v1 proof (App. B, Thm 5 + Lemma 4)",
        hypotheses={
            "n": ">= 2 (checked 2..4)",
            "d": ">= n; drawn above min_informative_d(n, q, 'proved') = 9 n^4/(q^2 (1 - 1/n)) "
            "where the check is meant to be informative",
            "l": ">= 1",
            "alpha": "in (0, 1/n] (sigma_min^2 <= 1/n)",
            "H_0": "Gaussian, equicorrelated Gaussian (cos rho) or spiked diagonal",
            "W_l": "i.i.d. N(0, 1/d), fresh each layer (reduced sampler, exact in law)",
        },
        kind="upper",
        bound=theorem1_bound,
        resolution=_RESOLUTION,
        negative_controls=(_FLOOR100, _WIDTH1, _NO_FLOOR),
        group=GROUP,
        notes=(
            "The reading the v1 proof supports (drift factor 1 - (2/3) sigma_min^2). Its width term "
            "3n/(alpha sqrt d) >= 3 n^2/sqrt(d) is informative only for d > 9 n^4/(1 - 1/n)."
        ),
        check_ref="theory.checks.theorem1:proved_check",
        example=_EQ3_EXAMPLE,
    )
)

READING_STATEMENTS = {"stated": STATED, "proved": PROVED}

TIGHTNESS = register(
    Statement(
        id="theorem-1/tightness",
        title="How loose Eq. 3 is: plateau, exponents, decay rate (measured, reported)",
        formula="plateau E[V] ~ C n^a d^b (fitted a, b; Eq. 3 predicts b = -1/2 and a <= 1 "
        "(stated) / 2 (proved)); plateau / (3n/(alpha sqrt d)); observed per-layer decay of E[V] "
        "vs 1 - 2alpha/3 (both readings) and the mean-field n/(n+2)",
        source="Eq. 3; Fig. 2b (the paper's slope -0.46); THEORY_NOTES §5",
        hypotheses={
            "plateau": "average of V over layers after burn-in, per run (the paper's Fig. 2b)",
            "alpha": "certified from the sampled paths (both readings)",
        },
        kind="slope",
        # the one finite-sample assertion's bound: E[plateau(d_small) - plateau(d_large)] >= 0
        bound=lambda: 0.0,
        resolution=(
            "Exponents are bootstrap fits (theory.stats.fit_log_slope) and the decay factor a "
            "point-estimate fit: reported as info rows (bootstrap / point estimate, asymptotic, "
            "not finite-sample, outside the budget), with one finite-sample assertion: the "
            "plateau decreases with width, E[plateau(d=16) - plateau(d=1024)] >= 0 (the record's "
            "bound, 0) judged by theory.engine.judge on the per-run difference (range [-w, w]), "
            "sampled until the data decide and its edge control (E X >= estimate/0.8) is refuted "
            "(theory.engine.sample_until_decided), with the control 'plateau-flat-in-d'.",
        ),
        negative_controls=(
            NegativeControl(
                id="plateau-flat-in-d",
                description="the plateau does not decrease with width: E[V](d_max) >= E[V](d_min)",
                why_false=(
                    "E[V] ~ 0.7/sqrt(d) at n = 2: from d = 16 to d = 1024 it drops by a factor ~8; "
                    "judged on the per-run difference of plateaus (lower end > 0 refutes it)."
                ),
                strength="planted",
            ),
        ),
        group=GROUP,
        check_ref="theory.checks.theorem1:tightness_check",
        example={"part": "monotone", "d": (16, 64), "avg": 4, "max_runs": 1000},
    )
)
