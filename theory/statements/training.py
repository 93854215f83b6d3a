"""Section 5 claims (Figs. 4-5): Xavier vs iterative orthogonalization (Eq. 6) in a ReLU MLP
without BN, trained with SGD on real data (theory.training; optional [train] extra)."""

from __future__ import annotations

from ._registry import NegativeControl, Statement, register

_SETUP = {
    "model": "bias-free ReLU MLP, no BN, width w, L hidden layers, Xavier readout",
    "data": "real only: sklearn digits (ci), CIFAR-10 python batches (paper profile, if given)",
    "gap": "Eq. 2 on the last hidden layer h_L (post-ReLU), one fixed batch of min(w, 100) samples",
    "training": "plain SGD, lr 0.01, batch 500, cross-entropy; loss = full training-set loss",
}

XAVIER_GAP_GROWS = register(
    Statement(
        id="training/xavier-gap-grows-with-depth",
        title="Xavier: the initial orthogonality gap grows with depth",
        formula="median_seeds[ V(h_L') - V(h_L) ] > 0 at init, for consecutive depths L < L'",
        source="Section 5.1, Fig. 4a (red curve)",
        hypotheses=_SETUP,
        kind="claim",
        resolution=(
            "'Grows' read as: for each consecutive pair of tested depths, the paired (same seed "
            "index) difference of initial gaps has positive median; exact one-sided sign test, "
            "Bonferroni over the pairs, family-wise false-fail ASSERTION_DELTA. Assumes only "
            "i.i.d. seeds.",
        ),
        negative_controls=(
            NegativeControl(
                id="reversed",
                description="Xavier: the initial gap SHRINKS with depth (same sign test)",
                why_false=(
                    "a deep Xavier ReLU network maps inputs towards one direction: the ReLU "
                    "kernel map cos -> (sqrt(1-c^2) + (pi - arccos c) c)/pi has the single "
                    "attracting fixed point c = 1, so |cos| and V(h_L) increase with L."
                ),
            ),
        ),
        group="Training",
    )
)

ORTHO_GAP_LOWER = register(
    Statement(
        id="training/orthogonalization-lowers-gap",
        title="Iterative orthogonalization gives a lower initial gap than Xavier at every depth",
        formula="median_seeds[ V_xavier(h_L) - V_eq6(h_L) ] > 0 at init, for every tested L",
        source="Section 5.2, Eq. 6; arXiv v1 App. E",
        hypotheses={**_SETUP, "init batch": "n = 3 w real samples, n >= w"},
        kind="claim",
        resolution=(
            "Eq. 6 as printed (Sigma^{-1/2}, orthogonal V' = a Haar matrix); the layer input is "
            "the post-ReLU output of the layer below on the init batch; gains do not change V "
            "(ReLU is positively homogeneous). Exact sign test per depth, Bonferroni over depths.",
            "Ablation (info, not a control): skipping the SVD step (plain Haar-orthogonal "
            "weights, same rescaling) gives a gap close to Xavier's -- it is NOT used as a "
            "control because its gap is slightly below Xavier's on average (measured 0.53 / "
            "0.83 / 0.92 vs 0.54 / 0.85 / 0.92), so the claim could be true for it too.",
        ),
        negative_controls=(
            NegativeControl(
                id="sigma-plus-half",
                description=(
                    "the planted wrong exponent W_l = g Q Sigma^{+1/2} U^T (same embedding and "
                    "rescaling); claimed to give a lower initial gap than Xavier at every depth"
                ),
                why_false=(
                    "W H = g Q Sigma^{3/2} V^T sharpens the spectrum: its Gram has eigenvalues "
                    "s_i^3 / sum s^3, so by Hoelder V(WH) >= V(H), with equality only for a flat "
                    "spectrum; every layer pushes towards rank one, faster than Xavier (measured "
                    "at w=64: 0.69 / 0.99 / 0.99 vs Xavier 0.54 / 0.85 / 0.92 at L = 2 / 8 / 16)."
                ),
            ),
        ),
        group="Training",
    )
)

XAVIER_LOSS_WORSENS = register(
    Statement(
        id="training/xavier-loss-worsens-with-depth",
        title="Xavier: the training loss after E epochs gets worse with depth",
        formula="median_seeds[ loss_E(L') - loss_E(L) ] > 0 for consecutive depths L < L' (Xavier)",
        source="Section 5.1, Fig. 4a (blue curve), Fig. 5 (blue)",
        hypotheses=_SETUP,
        kind="claim",
        resolution=(
            "Exact sign-test lower confidence bound (order statistic) for the median of the "
            "paired differences (same seed index: same init batch and minibatch order), "
            "Bonferroni over pairs, family-wise ASSERTION_DELTA; distribution-free, assumes only "
            "i.i.d. seeds (20 seeds under ci). A Student-t bound (assumes normality) is recorded "
            "alongside as information only.",
        ),
        negative_controls=(
            NegativeControl(
                id="reversed",
                description="Xavier: the loss after E epochs IMPROVES with depth (same t bound)",
                why_false=(
                    "with Xavier's variance 2/(fan_in+fan_out) ~ 1/w each ReLU layer halves the "
                    "mean squared activation, so the signal and the gradients of a depth-L net "
                    "shrink like 2^{-L/2}; deeper nets start at log(10) and move more slowly."
                ),
            ),
        ),
        group="Training",
    )
)

ORTHO_TRAINS_FASTER = register(
    Statement(
        id="training/orthogonalization-trains-faster",
        title="At the deepest depth, iterative orthogonalization reaches a lower loss than Xavier",
        formula="median_seeds[ loss_E^xavier(L_max) - loss_E^eq6(L_max) ] > 0",
        source="Section 5.2, Fig. 5",
        hypotheses={**_SETUP, "init batch": "n = 3 w real samples"},
        kind="claim",
        resolution=(
            "Exact sign-test lower confidence bound for the median of the paired differences "
            "over seeds (same init batch, data order), level ASSERTION_DELTA; assumes only "
            "i.i.d. seeds.",
            "Default scale 'balanced' (theory.training._init): the Eq. 6 layers are first "
            "normalised to unit mean-square pre-activations, then each layer gets a positive "
            "factor so that all layers have the same relative gradient at init, their squares "
            "summing to the readout's (logits never amplified). Positive per-layer factors change no gap V and, for a "
            "bias-free ReLU net, only multiply the function by a constant.",
            "Why not Eq. 6's own normalisation: through a ReLU, Eq. 6 suppresses the mean "
            "direction (1/pi of the energy), so back-propagated gradients grow by "
            "sqrt(pi/(pi-1)) ~ 1.21 per layer relative to the forward signal (measured "
            "1.18-1.20); with any common per-layer scale ('unit-entry', 'eq6', 'unit-sample') "
            "SGD at lr 0.01 diverges to NaN at depth >= ~30 on digits. See the statement "
            "training/deep-training-stays-finite.",
            "Ablation (recorded as info, not a control): the SVD step skipped but the same "
            "data-dependent rescaling kept ('no-svd') ALSO beats Xavier at this scale -- the "
            "loss gain is then not attributable to orthogonality alone.",
        ),
        negative_controls=(
            NegativeControl(
                id="orthogonal-plain",
                description=(
                    "SVD step and data-dependent scale both skipped (Haar orthogonal, gain 1): "
                    "claimed to reach a lower loss than Xavier at the deepest depth"
                ),
                why_false=(
                    "an orthogonal layer keeps the norm and the ReLU halves the mean square, as "
                    "under Xavier (variance ~ 1/w): the signal shrinks like 2^{-L/2} in both, "
                    "so both stay at log(10) after E epochs at depth L_max; no positive "
                    "difference."
                ),
            ),
        ),
        group="Training",
    )
)

DEEP_TRAINING_FINITE = register(
    Statement(
        id="training/deep-training-stays-finite",
        title=(
            "With the default 'balanced' scale, SGD at lr 0.01 from the Eq. 6 init keeps a "
            "finite loss at depths well beyond the checked ones"
        ),
        formula="loss_e(L_deep) finite for e = 0..E_deep, every seed (scale = 'balanced')",
        source="issue requirement (stable scale at every depth); paper Section 5.2, Eq. 6",
        hypotheses={
            **_SETUP,
            "depth": "L_deep = 48 (ci) / 75 (paper), i.e. beyond the depth (~30) where the "
            "common per-layer scales diverge",
        },
        kind="claim",
        resolution=(
            "A deterministic property per seed (no Monte Carlo bound needed): every run must "
            "stay finite. The measured per-layer growth of the relative gradient under "
            "forward-only normalisation, exp(slope of log r_l over l), is recorded next to the "
            "predicted sqrt(pi/(pi-1)).",
            "Finite is not the same as fast: at L >= 40 the balanced Eq. 6 net starts near the "
            "uniform prediction and barely moves in 10-20 epochs of digits (loss ~2.30, like "
            "Xavier); the measured losses are recorded.",
        ),
        negative_controls=(
            NegativeControl(
                id="unit-entry",
                description=(
                    "the same runs with scale 'unit-entry' (each layer normalised to unit "
                    "mean-square pre-activations on the init batch, no balancing) stay finite"
                ),
                why_false=(
                    "with a common forward normalisation the first layer's relative gradient "
                    "is ~1.21^L times the last one's (5e3 at L = 40, 1e5 at L = 48); plain SGD "
                    "at lr 0.01 overshoots in the first steps and the loss becomes NaN "
                    "(measured at w = 32..128, L >= ~30)."
                ),
            ),
        ),
        group="Training",
    )
)
