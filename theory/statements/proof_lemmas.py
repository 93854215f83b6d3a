"""Proof ingredients of Theorem 1 (arXiv v1, App. B-E), iterative orthogonalization (Eq. 6), full
whitening (Sec. 3.2) and the vanilla chain (THEORY_NOTES §3, §5).  Notation: unit-norm H (d x n),
singular values s_1 >= ... >= s_n, a_i = s_i^2 (sum a_i = 1), Vhat = 1/n - s_n^2,
C = H_{l+1}^T H_{l+1}.

Each record's ``bound`` is the function its check (``theory.checks.lemmas``, attached at the end
of this module) asserts through ``bound_at``; each control's ``bound`` likewise.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from ..engine import NegativeControl, Statement, register

LEMMAS = "Proof lemmas"
ORTHO = "Iterative orthogonalization"
VANILLA = "Vanilla chain"


@functools.lru_cache(maxsize=4096)
def _sawa_p(s: tuple[float, ...]) -> tuple[float, ...]:
    from .. import sawa

    return tuple(float(x) for x in sawa.sawa_p(np.asarray(s)))


def _unit_a(s: tuple[float, ...]) -> np.ndarray:
    a = np.sort(np.asarray(s, dtype=float) / max(s)) ** 2
    return (a / a.sum())[::-1]


def _eq6_identity(H: object) -> float:
    from ..orthogonalize import orthogonalized_gap_identity

    return float(orthogonalized_gap_identity(np.asarray(H, dtype=float)))


def _eq6_over_k(H: object) -> float:
    """The identity with 1/min(d, n) in place of 1/n (the planted variant), cancellation-free:
    ``sum s^2/(sum s)^2 - 1/k = sum_i (s_i - mean s)^2 / (sum s)^2`` over the k values."""
    H = np.asarray(H, dtype=float)
    s = np.linalg.svd(H / np.abs(H).max(), compute_uv=False)
    s = s / s[0]
    return math.sqrt(float(np.sum((s - s.mean()) ** 2))) / float(np.sum(s))


DRIFT = register(
    Statement(
        id="drift/one-step",
        title="Drift inequality (one-step Lyapunov bound)",
        formula="E[Vhat(H_{l+1}) | H_l] <= (1 - (2/3) sigma_min(H_l)^2) Vhat(H_l) + 1/sqrt(d)",
        source="arXiv v1, App. B, Thm 5 (NeurIPS appendix 'Eq (12)')",
        hypotheses={
            "H_l": "any unit-norm d x n matrix (adversarial spectrum and right singular vectors); no A1",
            "d": "drawn log-uniformly in [max(n^2 + 1, 256), d_max] (d_max = 4096 ci, 16384 "
            "thorough), where the check is informative",
            "spectrum": "restricted to (1 - 2/3 s_n^2) Vhat >= 1/sqrt(d) and 1/n - p_n >= 0.05 "
            "(the contraction term dominates); near-orthogonal H_l is checked at the control case",
            "expectation": "over W_l only (conditional on H_l)",
        },
        kind="upper",
        bound=lambda sigma_min, vhat, d: (1 - 2 / 3 * sigma_min**2) * vhat + 1 / math.sqrt(d),
        resolution=(
            "Conditional on H_l: H_l = with_spectrum(d, s, rot), H_{l+1} by the exact reduced "
            "sampler (depth 1); E[Vhat(H_{l+1})] gets two-sided finite-sample bounds on [0, 1/n], "
            "drawn until the data decide (theory.sequential; stops when the statement, its controls "
            "and the 0.8 edge are decided, or at the profile's cap).",
            "Widths (issue 11): at d in [n^2 + 1, 2 n^2] the 1/sqrt(d) term dominates and the "
            "ratio measured/bound stays <= 0.57; the check now draws d up to 4096 (ci) / 16384 "
            "(thorough) on spectra where the contraction term dominates: near rank deficiency "
            "E Vhat(H_1) -> 1/n - p_n -> 1/n and the ratio -> 1/(1 + n/sqrt(d)) (0.97 at n = 2, "
            "d = 4096).",
            "Near-orthogonal H_l: at H_l orthogonal, n = 2, Vhat(H_1) = |S_d|/(2d) with S_d a "
            "planar random walk of d unit steps, so E Vhat(H_1) ~ sqrt(pi)/4 / sqrt(d) = 0.443 / "
            "sqrt(d) (measured 0.443): the width term 1/sqrt(d) is loose by 2.3x there.",
        ),
        negative_controls=(
            NegativeControl(
                id="no-width-term",
                description="drop the + 1/sqrt(d) term",
                why_false=(
                    "at an orthogonal H_l Vhat(H_l) = 0, so the variant claims E Vhat(H_{l+1}) <= 0;"
                    " but Vhat(H_{l+1}) > 0 almost surely for finite d."
                ),
                bound=lambda sigma_min, vhat, d: (1 - 2 / 3 * sigma_min**2) * vhat,
                strength="gross",
            ),
            NegativeControl(
                id="width-constant-0.35",
                description="width term 0.35/sqrt(d) in place of 1/sqrt(d)",
                why_false=(
                    "at orthogonal H_l with n = 2: C - I/2 has (C_11 - 1/2, C_12) = S_d/(2d), S_d "
                    "a sum of d i.i.d. unit vectors uniform on the circle, and Vhat(H_1) = 1/2 - "
                    "lambda_min(C) = |S_d|/(2d). Hoelder: E|S| >= (E|S|^2)^{3/2} / (E|S|^4)^{1/2} "
                    "= d^{3/2}/sqrt(2d^2 - d) > sqrt(d/2), so E Vhat(H_1) > 1/(2 sqrt(2d)) = "
                    "0.3536/sqrt(d) > 0.35/sqrt(d) = the variant's bound (Vhat(H_l) = 0). "
                    "Measured: 0.443/sqrt(d)."
                ),
                bound=lambda sigma_min, vhat, d: (
                    (1 - 2 / 3 * sigma_min**2) * vhat + 0.35 / math.sqrt(d)
                ),
                strength="planted",
            ),
        ),
        notes=(
            "Measured (numpy, this helper's runs): max tightness E Vhat(H_1)/bound = 0.961 in ci (n = 2, d = 2448), 0.969-0.973 in thorough (n = 4, d = 15395; n = 3, d = 11795); the old width range [n^2 + 1, 2n^2] gave <= 0.57. Detectable discrepancy 1.03-1.16 (factor by which the bound would have to be wrong). Orthogonal H_l, n = 2, d = 64: E Vhat(H_1) = 0.0555 = 0.444/sqrt(d), control width-constant-0.35 (bound 0.0438) refuted with lower end 0.0524."
        ),
        group=LEMMAS,
        check_ref="theory.checks.lemmas:drift_check",
        example={"s": [1.0, 0.3], "d": 256, "max_runs": 1000},
    )
)

LEMMA4 = register(
    Statement(
        id="lemma-4/gap-vs-lyapunov",
        title="Lemma 4: V <= 2n Vhat (sharp: sqrt(n(n-1)) Vhat)",
        formula="V(H) <= sqrt(n(n-1)) Vhat(H) <= 2n Vhat(H)",
        source="arXiv v1, App. B, Lemma 4",
        hypotheses={"H": "any nonzero d x n matrix, d >= n (scale invariant)", "n": ">= 1"},
        kind="upper",
        bound=lambda n, vhat: math.sqrt(n * (n - 1)) * vhat,
        resolution=(
            "Checked in its sharp form V^2 = sum_i (a_i - 1/n)^2 <= n(n-1) (1/n - a_n)^2, "
            "equality iff a_2 = ... = a_n; the printed 2n follows since sqrt(n(n-1)) < 2n.",
            "Deterministic, float64: V from the Gram matrix, Vhat = (1/n) sum_i (a_i - a_n) from an "
            "SVD of H; slack 8 max(d, n) eps (1 + sqrt(n(n-1))) (first-order error bounds of a "
            "length-d dot product and of a backward-stable SVD).",
            "Supremum of V/(sqrt(n(n-1)) Vhat) = 1, attained when all singular values but the "
            "largest are equal. Found by search at every n drawn (no planted example): the test "
            "asserts the per-n maximum >= 0.99.",
        ),
        negative_controls=(
            NegativeControl(
                id="half-sharp-constant",
                description="constant sqrt(n(n-1))/2",
                why_false=(
                    "at H with s_1 > s_2 = ... = s_n V = sqrt(n(n-1)) Vhat > 0, twice the variant."
                ),
                bound=lambda n, vhat: 0.5 * math.sqrt(n * (n - 1)) * vhat,
                strength="gross",
            ),
            NegativeControl(
                id="constant-0.99",
                description="constant 0.99 sqrt(n(n-1))",
                why_false=(
                    "at s_1 > s_2 = ... = s_n, V = sqrt(n(n-1)) Vhat exactly (equality case of "
                    "Cauchy-Schwarz in sum_{i<n} (a_i - 1/n) = -(a_n - 1/n)), 1% above the variant; "
                    "refuted by a counterexample the search draws."
                ),
                bound=lambda n, vhat: 0.99 * math.sqrt(n * (n - 1)) * vhat,
                strength="planted",
            ),
        ),
        notes=(
            "Measured: per-n maximum of V/(sqrt(n(n-1)) Vhat) found by search (no planted example) = 1.0000 at every n = 2..8 (ci, 25 examples per n) and n = 2..32 (thorough, 30 per n); max V/(bound + slack) = 1 - 1.2e-14."
        ),
        group=LEMMAS,
        extra={"supremum": 1.0, "supremum_of": "V / (sqrt(n(n-1)) Vhat), every n >= 2"},
        check_ref="theory.checks.lemmas:lemma4_check",
        example={"H": [[3.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]]},
    )
)

SAWA = register(
    Statement(
        id="lemma-6/sawa-oracle",
        title="Lemma 6: E_W C = Q diag(p) Q^T with Sawa's p",
        formula=(
            "E_W[C] = Q diag(p) Q^T,  p_i = int_0^inf a_i/(1 + 2t a_i) prod_j (1 + 2t a_j)^(-1/2) dt,"
            "  sum_i p_i = 1"
        ),
        source="arXiv v1, App. C, Lemma 6 (Sawa 1972)",
        hypotheses={"H": "unit-norm d x n, full rank, right singular vectors Q", "d": ">= n"},
        kind="identity",
        bound=lambda s, i: _sawa_p(tuple(s))[i],
        resolution=(
            "v1 prints sigma_n in the numerator of p_i; the derivation (1/X = int e^{-tX} dt and "
            "E[w^2 e^{-t a w^2}] = (1 + 2ta)^{-3/2}) gives sigma_i = s_i. Encoded with s_i; the "
            "printed form is a negative control.",
            "Deterministic part: sum_i p_i = 1 over adversarial spectra (quadrature, relative "
            "accuracy 1e-12 per piece). Stochastic part: |E (Q^T C Q)_ii - p_i| <= 0.01 (the "
            "stated resolution, extra['mc_tolerance']) by two-sided finite-sample intervals at "
            "delta/n each (Bonferroni over i); d in [n, 32] where the variance is largest per "
            "unit of cost.",
        ),
        negative_controls=(
            NegativeControl(
                id="printed-sigma-n",
                description="p_i with s_n^2 in the numerator (as printed in v1)",
                why_false=(
                    "then every p_i equals p_n, the smallest of the true p's, so sum_i p_i = n p_n"
                    " < 1 whenever the spectrum is not uniform (p is strictly increasing in a_i)."
                ),
                bound=lambda s, i: _sawa_p(tuple(s))[-1],
                strength="gross",
            ),
            NegativeControl(
                id="gram-preserved",
                description="E_W C = H^T H (p_i = a_i: BN preserves the Gram matrix in mean)",
                why_false=(
                    "for n = 2, p_1 = E[a_1 w_1^2/(a_1 w_1^2 + a_2 w_2^2)] = s_1/(s_1 + s_2) (the "
                    "ratio of two chi^2_1 variables), which differs from a_1 = s_1^2 unless "
                    "s_1 = s_2: at a = (0.55, 0.45), p_1 = 0.5251 vs a_1 = 0.55, a difference of "
                    "0.025 the Monte Carlo must resolve (tolerance 0.01)."
                ),
                bound=lambda s, i: float(_unit_a(tuple(s))[i]),
                strength="planted",
            ),
        ),
        notes=(
            "Measured: |E(Q^T C Q)_ii - p_i| inside the 0.01 band on every drawn case (interval radius 0.0014-0.006); at a = (0.55, 0.45) the Monte Carlo gives 0.5242 +- 0.0034 for p_1 = 0.5251, refuting a_1 = 0.55 and the printed p_n = 0.4749."
        ),
        group=LEMMAS,
        extra={"mc_tolerance": 0.01},
        check_ref="theory.checks.lemmas:sawa_check",
        example={"s": [1.0, 0.5, 0.2], "d": 8, "max_runs": 5000},
    )
)

LEMMA6 = register(
    Statement(
        id="lemma-6/concentration",
        title="Lemma 6: E||C - E C||_F^2 <= 1/d",
        formula="E_W ||C - E_W C||_F^2 <= 1/d   (exactly (1 - sum_i p_i^2)/d)",
        source="arXiv v1, App. C, Lemma 6",
        hypotheses={
            "H_l": "any unit-norm full-rank d x n matrix",
            "d": ">= n (drawn in [n, 4n]); n in {2, 3, 4}, condition number <= 10 (the Monte Carlo "
            "resolves 4-10% of a mean ~ (1 - sum p^2)/d, which vanishes at rank one)",
        },
        kind="upper",
        bound=lambda d: 1 / d,
        resolution=(
            "C = (1/d) sum_r Y_r with i.i.d. rank-one Y_r = x x^T/|x|^2, so E||C - EC||^2 = "
            "(1 - ||EY||_F^2)/d = (1 - sum p_i^2)/d: the bound is loose by the factor "
            "1 - sum p_i^2 < 1 (the tightness). E C is the exact Sawa oracle, so the Monte Carlo "
            "mean of ||C - EC||^2 in [0, 1 + sum p^2 - 2 p_n] is unbiased.",
            "Small d (n <= d <= 4n): the mean is ~1/d while the interval's range term does not "
            "shrink with d, so small widths give the most power per run.",
        ),
        negative_controls=(
            NegativeControl(
                id="half-exact",
                description="bound (1 - sum_i p_i^2)/(2d)",
                why_false="the exact value is (1 - sum p_i^2)/d (resolution), twice the variant.",
                bound=lambda p, d: (1 - float(np.sum(np.asarray(p) ** 2))) / (2 * d),
                strength="gross",
            ),
            NegativeControl(
                id="exact-0.9",
                description="bound 0.9 (1 - sum_i p_i^2)/d",
                why_false=(
                    "E||C - EC||^2 = (1 - sum p_i^2)/d exactly (resolution), so any factor < 1 is "
                    "false; 0.9 sits 10% below the truth, which the data must resolve."
                ),
                bound=lambda p, d: 0.9 * (1 - float(np.sum(np.asarray(p) ** 2))) / d,
                strength="planted",
            ),
        ),
        notes=(
            "Measured: tightness (1 - sum p^2 in effect) up to 0.70 (ci) / 0.76 (thorough); at s = (1, 0.5), d = 4: E = 0.1107 (exact 0.1111), exact-0.9 control (0.100) refuted, lower end 0.1068."
        ),
        group=LEMMAS,
        check_ref="theory.checks.lemmas:lemma6_check",
        example={"s": [1.0, 0.5], "d": 4, "max_runs": 5000},
    )
)

LEMMA7 = register(
    Statement(
        id="lemma-7/lyapunov-concentration",
        title="Lemma 7: E(Vhat(H_{l+1}) - (1/n - p_n))^2 <= 1/d",
        formula="E_W[(Vhat(H_{l+1}) - (1/n - p_n))^2] <= 1/d",
        source="arXiv v1, App. C, Lemma 7",
        hypotheses={
            "H_l": "any unit-norm full-rank d x n matrix",
            "d": ">= n (drawn in [n, 4n]); n in {2, 3, 4}, condition number <= 10 (the Monte Carlo "
            "resolves 4-10% of a mean ~ (1 - sum p^2)/d, which vanishes at rank one)",
        },
        kind="upper",
        bound=lambda d: 1 / d,
        resolution=(
            "Vhat(H_{l+1}) - (1/n - p_n) = p_n - lambda_min(C) and |p_n - lambda_min(C)| <= "
            "||C - EC||_op (Weyl), so Lemma 7 follows from Lemma 6; the squared deviation lies "
            "in [0, 1/n^2].",
            "Exact at n = 2, orthogonal H_l: p = (1/2, 1/2) and (1/2 - lambda_min(C))^2 = "
            "(C_11 - 1/2)^2 + C_12^2 = ||C - I/2||_F^2 / 2, whose mean is (1 - 1/2)/(2d) = "
            "1/(4d) by Lemma 6's identity: tightness 1/4 there.",
        ),
        negative_controls=(
            NegativeControl(
                id="below-provable-floor",
                description="bound (n-1)/(4 d n^3 (n+2)) = 1/(128 d) at n = 2, orthogonal H_l",
                why_false=("the exact value there is 1/(4d) (resolution), 32x the variant."),
                bound=lambda d: 1 / (128 * d),
                strength="gross",
            ),
            NegativeControl(
                id="exact-0.9",
                description="bound 0.9/(4d) at n = 2, orthogonal H_l",
                why_false=(
                    "the exact value at n = 2, orthogonal H_l is 1/(4d) (resolution: "
                    "||C - I/2||^2/2 with E||C - I/2||^2 = (1 - sum p^2)/d = 1/(2d)), 10% above."
                ),
                bound=lambda d: 0.9 / (4 * d),
                strength="planted",
            ),
        ),
        notes=(
            "Measured: tightness <= 0.25 (ci) / 0.255 (thorough), the maximum at n = 2 orthogonal (exact 1/4); at d = 4 the estimate is 0.0624 (exact 1/16 = 0.0625), exact-0.9 control (0.05625) refuted, lower end 0.0603."
        ),
        group=LEMMAS,
        check_ref="theory.checks.lemmas:lemma7_check",
        example={"s": [1.0, 0.5], "d": 4, "max_runs": 5000},
    )
)

LEMMA8_SHARP = register(
    Statement(
        id="lemma-8/sharp",
        title="Lemma 8 (sharp form)",
        formula="1/n - p_n <= (1 - 2n/(n+2) s_n^2)(1/n - s_n^2)",
        source="arXiv v1, App. C, Lemma 8",
        hypotheses={"s": "singular values of a unit-norm full-rank H, n >= 1"},
        kind="upper",
        bound=lambda n, a_n, vhat: (1 - 2 * n / (n + 2) * a_n) * vhat,
        resolution=(
            "Deterministic via the Sawa oracle; 1/n - p_n and Vhat = (1/n) sum (a_i - a_n) are "
            "computed from cancellation-free forms, and the comparison allows the quadrature's "
            "requested relative error (4e-12) plus 8 ulps of 1/n.",
            "Tight to first order at the uniform spectrum: the Jacobian of p there is "
            "(n/(n+2)) on sum-zero perturbations (Dirichlet(1/2) moments), so "
            "1/n - p_n ~ (n/(n+2)) Vhat = (1 - 2n/(n+2) (1/n)) Vhat.",
            "Tightness reported: claimed over achieved contraction (Vhat - bound)/(Vhat - (1/n - "
            "p_n)) = (2n/(n+2))/c_eff, c_eff the effective constant; its supremum is 1, "
            "approached near the uniform spectrum (the plain ratio measured/bound also tends to 1 "
            "at rank deficiency, where the constant is irrelevant). Found by search at every n "
            "drawn, asserted >= 0.99.",
        ),
        negative_controls=(
            NegativeControl(
                id="constant-2n-over-n+1",
                description="constant 2n/(n+1) instead of 2n/(n+2)",
                why_false=(
                    "near the uniform spectrum 1/n - p_n = (n/(n+2)) Vhat + O(Vhat^2) while the "
                    "variant gives ((n-1)/(n+1)) Vhat + O(Vhat^2), and n/(n+2) > (n-1)/(n+1)."
                ),
                bound=lambda n, a_n, vhat: (1 - 2 * n / (n + 1) * a_n) * vhat,
                strength="planted",
            ),
            NegativeControl(
                id="constant-x1.01",
                description="constant 1.01 x 2n/(n+2)",
                why_false=(
                    "c_eff -> 2n/(n+2) at the uniform spectrum (first-order Jacobian, resolution), "
                    "so close enough to uniform the achieved contraction is below 1.01 x the "
                    "sharp one: refuted by a spectrum the search draws."
                ),
                bound=lambda n, a_n, vhat: (1 - 1.01 * 2 * n / (n + 2) * a_n) * vhat,
                strength="planted",
            ),
        ),
        notes=(
            "Measured: per-n maximum of (2n/(n+2))/c_eff reached by search >= 0.9996 at every n = 2..8 (ci, 10 examples per n) and >= 0.9995 at every n = 2..32 (thorough, 20 examples per n); control constant-x1.01 refuted near uniform (1/n - p_n = 7.512e-4 > 7.509e-4)."
        ),
        group=LEMMAS,
        extra={
            "supremum": 1.0,
            "supremum_of": "(Vhat - bound)/(Vhat - (1/n - p_n)) = (2n/(n+2))/c_eff, every n >= 2",
        },
        check_ref="theory.checks.lemmas:lemma8_sharp_check",
        example={"s": [1.0, 0.9, 0.5]},
    )
)

LEMMA8 = register(
    Statement(
        id="lemma-8/two-thirds",
        title="Lemma 8 (2/3 form)",
        formula="1/n - p_n <= (1 - (2/3) s_n^2) Vhat,   Vhat = 1/n - s_n^2",
        source="arXiv v1, App. C, Lemma 8",
        hypotheses={"s": "singular values of a unit-norm full-rank H, n >= 1"},
        kind="upper",
        bound=lambda n, a_n, vhat: (1 - 2 / 3 * a_n) * vhat,
        resolution=(
            "Follows from the sharp form since 2n/(n+2) >= 2/3 for n >= 1; loose for n >= 2 "
            "(2n/(n+2) >= 1 > 2/3): the drift's contraction factor could be 1 - s_n^2.",
            "Tightness reported as in the sharp form: (Vhat - bound)/(Vhat - (1/n - p_n)) = "
            "(2/3)/c_eff, supremum (n+2)/(3n) (= 2/3 at n = 2, -> 1/3), approached near uniform.",
        ),
        negative_controls=(
            NegativeControl(
                id="constant-2",
                description="constant 2 instead of 2/3",
                why_false=(
                    "near the uniform spectrum the variant gives (1 - 2/n) Vhat + O(Vhat^2) < "
                    "(n/(n+2)) Vhat = 1/n - p_n + O(Vhat^2), since (n-2)(n+2) < n^2."
                ),
                bound=lambda n, a_n, vhat: (1 - 2 * a_n) * vhat,
                strength="planted",
            ),
        ),
        notes=(
            "Measured: (2/3)/c_eff reaches >= 0.9996 x (n+2)/(3n) at every n drawn (ci 2..8, thorough 2..32)."
        ),
        group=LEMMAS,
        extra={
            "supremum": lambda n: (n + 2) / (3 * n),
            "supremum_of": "(Vhat - bound)/(Vhat - (1/n - p_n)) = (2/3)/c_eff, every n >= 2",
        },
        check_ref="theory.checks.lemmas:lemma8_two_thirds_check",
        example={"s": [1.0, 0.9, 0.5]},
    )
)

CESARO = register(
    Statement(
        id="no-a1/cesaro",
        title="Without A1: Cesaro bound on F = Vhat (1/n - Vhat)",
        formula="E[(1/l) sum_{k=0}^{l-1} F(H_k)] <= 3 Vhat(H_0)/(2l) + 3/(2 sqrt(d))",
        source="arXiv v1, App. B.1",
        hypotheses={
            "H_0": "unit-norm d x n (catalogued families: orthogonal, spiked, gaussian, correlated)",
            "d": "drawn with d > 36 n^4; otherwise 3/(2 sqrt d) >= 1/(4n^2) >= F and it is vacuous",
            "l": ">= 2 (at l = 1 the mean is F(H_0), not random)",
        },
        kind="upper",
        bound=lambda vhat0, l, d: 3 * vhat0 / (2 * l) + 3 / (2 * math.sqrt(d)),
        resolution=(
            "v1 §B.1 writes 2/sqrt(d) for the drift's additive term; Thm 5 has 1/sqrt(d), and "
            "summing the drift (2/3) F(H_k) <= E Vhat_k - E Vhat_{k+1} + 1/sqrt(d) over "
            "k = 0..l-1 gives exactly 3/(2 sqrt d): encoded with 1/sqrt(d).",
            "Index range: the telescoping sum runs over k = 0..l-1 (THEORY_NOTES print k = 1..l); "
            "the derivable k = 0..l-1 form is encoded and checked.",
            "Halving the width term (3/(4 sqrt d)) is NOT false where measured (orthogonal H_0: "
            "the Cesaro mean is ~0.22/sqrt(d)), so the planted control is the derived floor "
            "0.08/sqrt(d) at l = 2 instead.",
        ),
        negative_controls=(
            NegativeControl(
                id="no-width-term",
                description="drop the 3/(2 sqrt d) term",
                why_false=(
                    "at an orthogonal H_0, Vhat(H_0) = 0 and the variant claims E F(H_k) = 0 for "
                    "all k < l, but F(H_1) > 0 almost surely."
                ),
                bound=lambda vhat0, l, d: 3 * vhat0 / (2 * l),
                strength="gross",
            ),
            NegativeControl(
                id="width-0.08",
                description="width term 0.08/sqrt(d) in place of 3/(2 sqrt d), at l = 2",
                why_false=(
                    "at orthogonal H_0, n = 2, l = 2 the Cesaro mean is F(H_1)/2 with F(H_1) = "
                    "Vhat_1/2 - Vhat_1^2, E Vhat_1 > 1/(2 sqrt(2d)) (drift control's derivation) "
                    "and E Vhat_1^2 = 1/(4d) (Lemma 7's exact value), so E >= 1/(8 sqrt(2d)) - "
                    "1/(8d) = (0.0884 - 0.125/sqrt(d))/sqrt(d) > 0.08/sqrt(d) for d >= 225. "
                    "Measured ~0.11/sqrt(d)."
                ),
                bound=lambda vhat0, l, d: 3 * vhat0 / (2 * l) + 0.08 / math.sqrt(d),
                strength="planted",
            ),
        ),
        notes=(
            "Measured: tightness <= 0.22 (ci) / 0.25 (thorough) ( correlated/spiked H_0 at l = 2..6); orthogonal H_0, d = 600, l = 2: E = 0.00430 = 0.105/sqrt(d) vs control 0.08/sqrt(d) = 0.00327 (refuted, lower end 0.00371)."
        ),
        group=LEMMAS,
        check_ref="theory.checks.lemmas:cesaro_check",
        example={"family": "spiked", "d": 600, "l": 3, "max_runs": 1000},
    )
)

ORTHO_IDENTITY = register(
    Statement(
        id="orthogonalization/identity",
        title="Eq. 6: V(WH)^2 = 1/(sum s_i)^2 - 1/n",
        formula="W = V' Sigma^{-1/2} U^T / ||Sigma^{1/2}||_F  =>  V(WH)^2 = sum s_i^2/(sum s_i)^2 - 1/n",
        source="Eq. 6; arXiv v1, App. E",
        hypotheses={
            "H": "d x n of full rank min(d, n), any d, n (d < n included)",
            "V'": "any k x k orthogonal (identity and a random one)",
        },
        kind="identity",
        bound=_eq6_identity,
        resolution=(
            "App. E prints V(WH) where V(WH)^2 is meant (the right side is a squared norm); "
            "= 1/(sum s_i)^2 - 1/n at unit norm.",
            "Deterministic, float64, slack 8 k max(d, n) eps sqrt(s_1/s_k) + 8 max(d, n) eps "
            "(theory.checks.lemmas.eq6_tolerance).",
        ),
        negative_controls=(
            NegativeControl(
                id="sqrt-sigma",
                description="W with Sigma^{+1/2} in place of Sigma^{-1/2}",
                why_false=(
                    "then (WH)^T WH = V Sigma^3 V^T / sum s_i, whose gap is sum s^6/(sum s^3)^2 - "
                    "1/n, not the identity's value, unless all s_i are equal."
                ),
                bound=_eq6_identity,
                strength="gross",
            ),
            NegativeControl(
                id="one-over-k",
                description="the identity with 1/min(d, n) in place of 1/n",
                why_false=(
                    "for d < n the Gram of WH has n - k zero eigenvalues besides s_i/sum s, so "
                    "V^2 = sum s^2/(sum s)^2 - 1/n, which differs from the variant by "
                    "1/k - 1/n > 0; refuted by a d < n matrix the search draws (true for d >= n)."
                ),
                bound=_eq6_over_k,
                strength="planted",
            ),
        ),
        notes=(
            "Measured: max |V(WH) - identity| / slack = 0.014 (ci) / 0.047 (thorough) over adversarial H up to condition 1e12, d < n included."
        ),
        group=ORTHO,
        check_ref="theory.checks.lemmas:eq6_identity_check",
        example={"H": [[1.0, 0.0], [0.0, 0.5], [0.0, 0.0]]},
    )
)

ORTHO_DECREASE = register(
    Statement(
        id="orthogonalization/decrease",
        title="Eq. 6 reduces the gap: V(WH) <= V(H)",
        formula="V(WH) <= V(H), strictly unless all s_i are equal",
        source="Eq. 6; arXiv v1, App. E",
        hypotheses={"H": "d x n of full rank min(d, n)"},
        kind="upper",
        bound=lambda v_h: v_h,
        resolution=(
            "Hoelder: (sum s^2)^3 <= (sum s)^2 sum s^4, equality iff all s_i equal. Checked as "
            "V(WH) <= V(H) + slack; strictness follows from the identity (checked to the slack).",
            "sup V(WH)/V(H) = 1, approached as s_1/s_2 -> inf with the rest equal (both gaps tend "
            "to sqrt(1 - 1/n)); near the uniform spectrum the ratio tends to 1/2.",
        ),
        negative_controls=(
            NegativeControl(
                id="sqrt-sigma",
                description="W with Sigma^{+1/2} in place of Sigma^{-1/2}",
                why_false=(
                    "the Gram of WH has eigenvalues s_i^3/sum s^3, so V(WH)^2 = sum s^6/(sum s^3)^2"
                    " - 1/n > sum s^4/(sum s^2)^2 - 1/n = V(H)^2 for any non-uniform spectrum."
                ),
                bound=lambda v_h: v_h,
                strength="gross",
            ),
            NegativeControl(
                id="contraction-0.99",
                description="V(WH) <= 0.99 V(H)",
                why_false=(
                    "sup V(WH)/V(H) = 1 (resolution): at s = (K, 1, ..., 1) both gaps tend to "
                    "sqrt(1 - 1/n) with 1 - V(WH)/V(H) = O(1/K); refuted by a matrix the search "
                    "draws."
                ),
                bound=lambda v_h: 0.99 * v_h,
                strength="planted",
            ),
        ),
        notes=(
            "Measured: max V(WH)/V(H) found = 1.0000 (ci, 40 examples; thorough, 400); the contraction-0.99 control refuted by a drawn 2 x 2 near-rank-one matrix."
        ),
        group=ORTHO,
        extra={"supremum": 1.0, "supremum_of": "V(WH)/V(H)"},
        check_ref="theory.checks.lemmas:eq6_decrease_check",
        example={"H": [[1.0, 0.0], [0.0, 0.5], [0.0, 0.0]]},
    )
)

WHITENING = register(
    Statement(
        id="sec-3.2/full-whitening",
        title="Sec. 3.2: full whitening gives exactly orthogonal representations",
        formula=(
            "M = W_l H_l (d x n, d >= n, rank n):  H_{l+1} = (M M^T)^{+1/2} M / sqrt(n)  =>  "
            "H_{l+1}^T H_{l+1} = I_n / n,  V(H_{l+1}) = 0"
        ),
        source="Sec. 3.2 ('If we replace diag(M)^{-1} by (M)^{-1} in BN formula ...')",
        hypotheses={
            "M": "any full-rank d x n matrix with d >= n (every W_l H_l); condition number <= 1e6",
        },
        kind="upper",
        bound=lambda n: 0.0,
        resolution=(
            "Reading: Eq. 1's BN(M) = diag(M M^T)^{-1/2} M with the full matrix M M^T. For d > n "
            "M M^T (d x d) has rank n, so its inverse square root is taken on its range (the "
            "pseudo-inverse; the literal inverse at d = n): (M M^T)^{+1/2} M = U V^T for "
            "M = U Sigma V^T. Its sample Gram (n x n, what V measures) is I_n, so V = 0; the "
            "feature Gram (d x d) is only a rank-n projector, and BN's diagonal normalisation "
            "makes only diag(M M^T) the identity (rows of unit norm).",
            "Deterministic, float64: computed as the product (U Sigma^{-1} U^T) M with the given "
            "M; slack 8 (d n + max(d, n)) eps kappa(M)/sqrt(n) + 8 d n eps "
            "(theory.orthogonalize.whitening_slack; derivation in its docstring).",
        ),
        negative_controls=(
            NegativeControl(
                id="bn-diagonal",
                description="BN's diagonal normalisation diag(M M^T)^{-1/2} M gives V = 0",
                why_false=(
                    "BN only equalises row norms; the sample Gram BN(M)^T BN(M) keeps off-diagonal "
                    "entries (V = 0 only when M's columns are already orthogonal with equal norms "
                    "after the row scaling): refuted by a counterexample the search draws."
                ),
                bound=lambda n: 0.0,
                strength="planted",
            ),
            NegativeControl(
                id="sample-gram-at-d<n",
                description="the same claim when d < n (more samples than features)",
                why_false=(
                    "for d < n M M^T is invertible and (M M^T)^{-1/2} M = U V^T has orthonormal "
                    "ROWS: the feature Gram is I_d while the sample Gram V V^T is a rank-d "
                    "projector, V = sqrt(1/d - 1/n) > 0. Refuted by a d < n matrix the search draws."
                ),
                bound=lambda n: 0.0,
                strength="planted",
            ),
        ),
        notes=(
            "Measured: max V(FW(M)) / slack = 0.0044 (ci, 40 matrices) / 0.073 (thorough, 400); a drawn 2 x 2 M gives V(BN(M)) = 0.62 (bn-diagonal refuted) and a drawn 1 x 2 M gives V = 0.707 = sqrt(1/d - 1/n) (d < n control refuted)."
        ),
        group=ORTHO,
        check_ref="theory.checks.lemmas:whitening_check",
        example={"M": [[1.0, 0.2], [0.3, 1.0], [0.5, 0.1]]},
    )
)

VANILLA_COLLAPSE = register(
    Statement(
        id="vanilla/rank-collapse",
        title="Vanilla chain (no BN) collapses to rank one: V -> sqrt(1 - 1/n), |cos| -> 1",
        formula=(
            "H_{l+1} = W_l H_l:  E V(H_L) >= (1 - eta) sqrt(1 - 1/n)  and  "
            "E |cos(h_1, h_2)|(H_L) >= 1 - eta  at L = 20 d, eta = 0.05"
        ),
        source="Sec. 3.1, Fig. 1; App. D; THEORY_NOTES §5",
        hypotheses={
            "H_0": "orthogonal columns (Fig. 1's vanilla input) or Gaussian",
            "n": "2..4",
            "d": "8, 16 (ci); up to 32 (thorough)",
        },
        kind="lower",
        bound=lambda n, quantity: (1 - 0.05) * (math.sqrt(1 - 1 / n) if quantity == "V" else 1.0),
        resolution=(
            "The limits V -> sqrt(1 - 1/n) and |cos| -> 1 are asserted at a finite depth with a "
            "stated tolerance: L = 20 d, eta = 0.05. Products of Gaussian matrices have Lyapunov "
            "exponents lambda_i = (log(2/d) + psi((d - i + 1)/2))/2 (Newman 1986), so "
            "lambda_1 - lambda_2 ~ 1/(2d) and s_2/s_1 ~ exp(-L/(2d)) = e^{-10} at L = 20 d.",
            "The edge control of a lower bound (E X >= estimate/0.8) lies above the range when the "
            "estimate exceeds 0.8 and is refuted trivially; the power is shown by the planted "
            "'shallow-depth' control, whose value (E|cos| ~ 0.6-0.8 at L = d) the data resolve.",
        ),
        negative_controls=(
            NegativeControl(
                id="shallow-depth",
                description="the same claim already at L = d: E|cos(h_1, h_2)|(H_d) >= 0.95",
                why_false=(
                    "at L = d the expected log singular-value ratio is -(lambda_1 - lambda_2) d ~ "
                    "-1/2, far from collapse; measured E|cos|(H_d) = 0.63 (d = 8..32, orthogonal "
                    "H_0) to 0.78 (Gaussian H_0, n = 4, d = 8)."
                ),
                bound=lambda n, quantity: (
                    (1 - 0.05) * (math.sqrt(1 - 1 / n) if quantity == "V" else 1.0)
                ),
                strength="planted",
            ),
            NegativeControl(
                id="bn-chain-collapses",
                description="the same claim for the BN chain",
                why_false=(
                    "Theorem 1 / the drift: with BN, E V(H_l) stays O(n/sqrt(d)) and |cos| -> ~0 "
                    "(Fig. 1), far below 0.95."
                ),
                bound=lambda n, quantity: (
                    (1 - 0.05) * (math.sqrt(1 - 1 / n) if quantity == "V" else 1.0)
                ),
                strength="gross",
            ),
        ),
        notes=(
            "Measured at L = 20 d: E V(H_L)/sqrt(1 - 1/n) >= 0.999 and E|cos| = 0.997-0.998 (lower ends >= 0.97); BN chain at d = 8, L = 160: E|cos| = 0.24; vanilla at L = d: E|cos| = 0.65 (both controls refuted)."
        ),
        group=VANILLA,
        extra={"eta": 0.05, "depth_per_width": 20},
        check_ref="theory.checks.lemmas:vanilla_check",
        example={"family": "orthogonal", "n": 2, "d": 8, "max_runs": 400},
    )
)
