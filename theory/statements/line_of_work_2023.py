"""The paper in its line of work (issue 19), NeurIPS 2023 (Joudaki, Daneshmand, Bach, "On the
impact of activation and normalization in obtaining isometric embeddings at initialization";
code: github.com/ajoudaki/deepnet-isometry): with layer normalisation after the activation,
the Gram matrix is biased towards the identity at the rate ``(2 - beta_0)^{-l}``.  Each record
is tied to the 2021 claim it bears on (``extra["bears on (2021)"]``).

* ``ln-contraction-meanfield``: at infinite width the potential ``gamma = |rho|/(1 - |rho|)``
  of a pair contracts per layer by at least ``2 - beta_0`` (certified in balls for relu, tanh,
  sigmoid, exp, GELU, SELU; planted: without centring, without activation);
* ``ln-contraction-finite-width``: the chain at width d (Gaussian weights, n samples): the
  measured one-layer contraction of the mean correlation, judged against ``1/(2 - beta_0)``,
  with the controls (RMS instead of LN, LN before the activation, no activation, the max over
  pairs at n = 4, the noise floor at small correlation and width).

Checks: :mod:`theory.checks.line_of_work_2023`; the chain: :mod:`theory.norm_chain`;
certificates: :mod:`theory.certify.lineofwork_ln`.
"""

from __future__ import annotations

from .. import norm_chain
from ..engine import NegativeControl, Statement, register
from .line_of_work import BEARS_ON, GROUP_2023, PAPER_2023

REPO = (
    "github.com/ajoudaki/deepnet-isometry (utils.py, validations.ipynb, README.md; commit 080d5a8)"
)


def contraction_bound(act: str) -> float:
    """``1/(2 - beta_0)``: the per-layer factor of the potential (``beta_0`` of ``act``)."""
    return 1.0 / (2.0 - norm_chain.beta0(act))


def _no_centring(act: str) -> float:
    return contraction_bound(act)


_DEFINITIONS = (
    f"Sources: {REPO}.  The README defines the coefficient beta_0 = c_1^2 / sum_{{k>=1}} c_k^2 "
    "(c_k the Hermite coefficients of the activation); utils.compute_beta0 and the notebook's "
    "act_info compute beta = 2 - c1^2/(E phi^2 - c0^2) by Monte Carlo, the same number as the "
    "rate's base 2 - beta_0 (here from the certified moments of theory.activations: kappa'(0)/"
    "(1 - kappa(0)) = beta_0).  The contracting quantity is the potential gamma(G) = max_{i != "
    "j} |c_ij|/(1 - |c_ij|) of the cosines of the sample Gram (utils.potential_gap); the "
    "notebook plots gamma_theory = gamma0 / beta**l and iso_gap_theory = 2 n gamma0 / beta**l.",
    "The setting (validations.ipynb, activation_first=True, centering='layer', "
    "normalization='layer'): X <- LN(phi(X W)), W = randn(d, d)/sqrt(d), LN per sample over "
    "the features (centre, then divide by the RMS), no epsilon, no bias.  theory.norm_chain "
    "implements it (H = X^T) and the variants (RMS, LN before the activation, no "
    "normalisation).",
    "Reading of the authors' code (reported, not asserted): gamma0 in the notebook is the "
    "potential at l = 1 (df.l == 1, post_norm), so its theory curve gamma0 beta^{-l} lies a "
    "factor beta below the data at l = 1 by construction; with the exponent l - 1 it is the "
    "paper's reading gamma_l <= gamma_1 (2 - beta_0)^{-(l-1)}, which is what is encoded (one "
    "layer at a time).  The paper's text was not available here beyond its abstract; the "
    "statement is taken from the README's beta_0, the code's beta and the issue's rate.",
)


MEANFIELD = register(
    Statement(
        id="isometry-2023/ln-contraction-meanfield",
        title="Infinite width, LN after the activation: the potential of a pair contracts by "
        "2 - beta_0 per layer, gamma(hat kappa(rho)) <= gamma(rho)/(2 - beta_0)",
        formula="hat kappa(rho) = sum_{k>=1} c_k^2 rho^k / sum_{k>=1} c_k^2,  beta_0 = c_1^2 / "
        "sum_{k>=1} c_k^2,  gamma(rho) = |rho|/(1 - |rho|):  gamma(hat kappa(rho)) <= gamma(rho) "
        "/ (2 - beta_0) for |rho| < 1; hence gamma_l <= gamma_0 (2 - beta_0)^{-l}",
        source=f"{PAPER_2023}, the LN + activation rate (2 - beta_0)^(-l); {REPO}",
        hypotheses={
            "activation": "relu, tanh, sigmoid, exp, GELU, SELU (certified kernels of "
            "theory.activations)",
            "rho": "-9/10, -1/2, 1/10, 1/2, 9/10 (exact rationals) and the limit rho -> 1",
            "width": "infinite (mean field): two samples of correlation rho have correlation "
            "hat kappa(rho) after Gaussian weights, the activation and LN",
        },
        kind="upper",
        bound=contraction_bound,
        resolution=(
            *_DEFINITIONS,
            "Derivation (theory.certify.lineofwork_ln): |hat kappa(rho)| <= beta_0 |rho| + (1 - "
            "beta_0) rho^2 (|rho|^k <= rho^2, k >= 2); with u = (1 - beta_0)(1 - |rho|) this is "
            "|rho|(1 - u), and the correlation of potential gamma(rho)/(2 - beta_0) is |rho|/(1 "
            "+ u) >= |rho|(1 - u).  So the claim holds for every activation, with equality "
            "only in the limit rho -> 1 when c_k = 0 for k >= 3; as rho -> 1 the ratio tends to "
            "1/hat kappa'(1) <= 1/(2 - beta_0), as rho -> 0 to beta_0 (for tanh 0.9305 "
            "against 0.9350: the binding end).",
            "Certificate (theory.certify.lineofwork_ln.certify_ln_contraction): at each rho "
            "the balls of gamma(hat kappa(rho)) and gamma(rho)/(2 - beta_0) separate "
            "(strict); at the limit, 1/hat kappa'(1) < 1/(2 - beta_0).  Overlap says 'not "
            "certified'.",
        ),
        negative_controls=(
            NegativeControl(
                id="no-centring",
                description="the same rate with RMS normalisation (no centring): "
                "gamma(kappa(rho)) <= gamma(rho)/(2 - beta_0) with the uncentred kernel",
                why_false="kappa(0) = c_0^2 > 0 for relu, sigmoid, exp, GELU: correlations "
                "are pushed up, kappa(rho) > rho for rho > 0 near 0 (relu: kappa(1/2) = 0.609; "
                "the ratio of potentials is 1.56 at rho = 1/2 against 0.79); refuted in balls at "
                "rho = 1/2.  (tanh and SELU have c_0 = 0: there RMS = LN and the variant holds.)",
                bound=_no_centring,
                strength="planted",
            ),
            NegativeControl(
                id="activation-free",
                description="the activation's rate for the linear chain with LN: gamma(rho) <= "
                "gamma(rho)/(2 - beta_0)",
                why_false="without activation hat kappa(rho) = rho: the potential is kept, "
                "ratio 1 > 1/(2 - beta_0) (the rate needs beta_0 < 1, a nonlinearity).",
                bound=contraction_bound,
                strength="gross",
            ),
        ),
        group=GROUP_2023,
        extra={
            BEARS_ON: "App. F (v1) / App. G, the activation conjecture (claim 'appendix-f', "
            "statement 'appendix-f/activation-floor'): with a nonlinear activation and LN the "
            "infinite-width chain is driven to orthogonality at a rate set by beta_0 (BN in "
            "2021, LN here), the mean-field counterpart of Theorem 1's rate "
            "(theorem-1/scaling)",
        },
        check_ref="theory.checks.line_of_work_2023:meanfield_check",
        example={"acts": ["relu"], "rhos": ["1/2", "limit"], "controls": ["no-centring"]},
    )
)


FINITE_WIDTH = register(
    Statement(
        id="isometry-2023/ln-contraction-finite-width",
        title="Width d, LN after the activation: each layer contracts the pair's potential by "
        "2 - beta_0, gamma(E |c_12(H_L)|) <= gamma(rho_0) (2 - beta_0)^-L (n = 2, above the "
        "noise floor)",
        formula="H_{l+1} = LN(phi(W_l H_l)), W_ij ~ N(0, 1/d), H_0 of pairwise cosine rho_0:  "
        "R = (gamma(E max_{i != j} |c_ij(H_L)|) / gamma(rho_0))^(1/L) <= 1/(2 - beta_0)",
        source=f"{PAPER_2023}, the LN + activation rate (2 - beta_0)^(-l) (validated at finite "
        f"width in validations.ipynb); {REPO}",
        hypotheses={
            "activation": "relu, tanh, GELU (ci); also exp (thorough)",
            "(d, n)": "d = 64 (ci), 64 and 128 (thorough); n = 2 (one pair, gamma has no max)",
            "rho_0": "1/2 and 9/10: above the width's noise floor (~ 1/sqrt(d))",
            "depth L": "1, and L = 4 from rho_0 = 9/10 (per-layer rate (gamma(E X_L)/gamma("
            "rho_0))^(1/L)); thorough also L = 6 (not for exp)",
            "H_0": "columns of mean 0, mean square 1 and cosine exactly rho_0 "
            "(theory.norm_chain.equicorrelated_h0)",
        },
        kind="upper",
        bound=contraction_bound,
        resolution=(
            *_DEFINITIONS,
            "Finite-width reading: X = max_{i != j} |c_ij(H_1)| in [0, 1] after one layer; the "
            "engine bounds E X (empirical Bernstein / betting, sequential) and the rate R = "
            "gamma(E X)/gamma(rho_0) inherits the interval (gamma is increasing).  gamma is "
            "convex, so gamma(E X) <= E gamma(X): this reading is the favourable one, and a "
            "refutation of it refutes 'E gamma_1 <= gamma_0/(2 - beta_0)' as well.",
            "A run whose LN divides by 0 (a constant column: ReLU with all features negative, "
            "probability n 2^-d) counts as collapsed, X = 1 (the conservative side).",
            "Measured (ci seeds): R = 0.71-0.74 (relu, bound 0.790), 0.86-0.89 (tanh, 0.935), "
            "0.74 (GELU, 0.783) at d = 64; finite width is slightly below the mean field "
            "(relu 0.726-0.743).  Below the noise floor the claim fails: at d = 16, rho_0 = 0.2 "
            "R ~ 1.34 (control 'noise-floor'), and for the potential's max over the 6 pairs of "
            "n = 4 at d = 64, rho_0 = 0.9, R ~ 1.0 (control 'max-over-pairs'): the mean-field "
            "rate is an infinite-width statement.  Over depth the same floor stops the "
            "contraction: from rho_0 = 0.9 the per-layer rate over L = 4, 6 layers stays below "
            "the bound for relu, tanh, GELU (d = 64, 128; GELU at L = 6: 0.750-0.757 against "
            "0.783) and exp at d = 128, L = 4 (0.679); exp at d = 128, L = 6 is within by 2% "
            "(0.692 [0.682, 0.703] against 0.705, not asserted), and at d = 64 reaches 0.72 "
            "over 6 and 0.74-0.77 over 8 layers against 0.705 (control 'depth-floor'; mean "
            "field 0.61).",
        ),
        negative_controls=(
            NegativeControl(
                id="no-centring",
                description="the same rate with RMS normalisation after the activation (ReLU)",
                why_false="RMS keeps the mean c_0: the correlation follows the uncentred kappa, "
                "whose fixed point is 1 for ReLU; R ~ 1.5 at rho_0 = 1/2 against 0.79.",
                bound=contraction_bound,
                strength="planted",
            ),
            NegativeControl(
                id="ln-before-activation",
                description="the same rate with LN before the activation, phi(LN(W h)) (ReLU)",
                why_false="LN of W h removes a mean that is ~0 already; the activation's mean "
                "then stays in the Gram (uncentred kappa), as without centring: R > 1.",
                bound=contraction_bound,
                strength="planted",
            ),
            NegativeControl(
                id="activation-free",
                description="the ReLU rate for the chain without activation (identity + LN)",
                why_false="the linear chain keeps correlations (hat kappa(rho) = rho): R ~ 1 "
                "against 0.79.",
                bound=lambda act: contraction_bound("relu"),
                strength="gross",
            ),
            NegativeControl(
                id="max-over-pairs",
                description="the rate for the potential's max over pairs at n = 4, d = 64, "
                "rho_0 = 0.9 (ReLU)",
                why_false="the max of 6 noisy cosines sits O(sqrt(log 6 / d)) (1 - rho) above "
                "hat kappa(rho_0) and gamma magnifies it by 1/(1 - rho)^2: R ~ 1.0 against 0.79.",
                bound=contraction_bound,
                strength="planted",
            ),
            NegativeControl(
                id="depth-floor",
                description="the rate over L = 8 layers for exp at d = 64 (rho_0 = 0.9): "
                "(gamma(E X_8)/gamma(rho_0))^(1/8) <= 1/(2 - beta_0) = 0.705",
                why_false="exp's heavy tail gives a high finite-width floor: the correlation "
                "stalls near 0.5 while the mean field goes on to 0.3; per-layer rate ~ 0.77 over "
                "8 layers (0.72 over 6) against 0.705 (mean field 0.61).",
                bound=contraction_bound,
                strength="planted",
            ),
            NegativeControl(
                id="noise-floor",
                description="the rate at small correlation and width: rho_0 = 0.2, d = 16, n = 2 "
                "(ReLU)",
                why_false="at width d the cosine of two independent samples is ~ N(0, 1/d): "
                "E |c_12| stays ~ 0.2 while hat kappa(0.2) ~ 0.16; R ~ 1.34 against 0.79.",
                bound=contraction_bound,
                strength="planted",
            ),
        ),
        group=GROUP_2023,
        extra={
            BEARS_ON: "App. F (v1) / App. G (statement 'appendix-f/activation-floor'): at "
            "finite width the contraction towards orthogonality stops at a floor ~ d^(-1/2), "
            "as the 2021 conjecture says for BN with activations",
        },
        check_ref="theory.checks.line_of_work_2023:finite_width_check",
        example={"act": "relu", "d": 32, "n": 2, "rho0": 0.9, "max_runs": 2000},
    )
)

CONTROL_CASES: dict[str, dict[str, object]] = {
    # the case each chain control is run at, and what it changes
    "no-centring": {"norm": "rms"},
    "ln-before-activation": {"order": "before"},
    "activation-free": {"chain_act": "identity"},
    "max-over-pairs": {"n": 4, "d": 64, "rho0": 0.9},
    "noise-floor": {"n": 2, "d": 16, "rho0": 0.2},
    "depth-floor": {"act": "exp", "n": 2, "d": 64, "rho0": 0.9, "depth": 8},
}

__all__ = ["CONTROL_CASES", "FINITE_WIDTH", "MEANFIELD", "contraction_bound"]
