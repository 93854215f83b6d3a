"""Section 5 claims (Figs. 4-5) on the authors' protocol: their Xavier baseline
(xavier_uniform_, gain sqrt 2, every layer), their iterative orthogonalization (notebook
``improved_init``) and Eq. 6 as printed, in a bias-free ReLU MLP without BN trained with plain
SGD on real data (theory.training; optional [train] extra).  Checks: theory/training/checks.py.
"""

from __future__ import annotations

from ._registry import NegativeControl, Statement, register

_SETUP = {
    "model": "bias-free ReLU MLP, no BN, width w, L hidden layers (the notebook's layer_num = "
    "L + 1), linear readout",
    "data": "sklearn digits (1797 x 64 pixels / 16, then (x - 0.5)/0.5 as the notebook's "
    "Normalize(0.5, 0.5)); CIFAR-10 python batches for the paper command",
    "baseline": "xavier = torch.nn.init.xavier_uniform_(gain=calculate_gain('relu')) on every "
    "layer incl. first and readout (the notebook's xavier_init)",
    "authors": "improved_init: Xavier first, then hidden layers 2..L get u[:w,:w] diag(1/s) v^T "
    "from the SVD of the post-ReLU layer input on 3w init samples (rows = samples), rescaled "
    "to unit Frobenius norm of the layer output on that batch; first layer and readout Xavier",
    "gap": "Eq. 2 of h_L on min(w, 100) held-out samples (outside the init batch); the "
    "authors' logit measure ||s/||s|| - 1/sqrt(k)|| recorded beside it",
    "training": "plain SGD, lr 0.01, batch 500, cross-entropy, reshuffled each epoch; loss = "
    "full training-set loss after S steps",
    "statistics": "exact paired-seed sign test for the median (theory.stats.sign_test_lower), "
    "each end at ASSERTION_DELTA / k, Bonferroni over the k pairs of a claim; 20 seeds "
    "(2^-20 < 1e-6); pass: every lower end > 0, fail: some upper end < 0, else inconclusive",
}

_SCALE = (
    "Scale (ci): width 32, S = 60 SGD steps (15 epochs of digits at batch 500: 4 steps per "
    "epoch), depths 2 and 32, 20 paired seeds ctx.seed('training', r), r = 0..19 -- what fits "
    "the ci budget on 2 shared CPU cores (the issue's width 64-128 at depth 75 costs ~50x more); "
    "thorough: width 64, S = 100, depths 2 / 32; paper profile: width 128, S = 300, depths 2 / "
    "15 / 45 / 75. The paper's own scale (width 800, 3000 steps, CIFAR-10) is the CLI command in "
    "the notes."
)
_PAPER_CMD = (
    "Paper scale on one GPU: python -m theory.training --depths 15 30 45 60 75 --width 800 "
    "--steps 3000 --runs 4 --init xavier authors eq6 --data cifar10 --data-dir "
    "/path/to/cifar-10-batches-py --device cuda (digits instead of CIFAR-10: --data digits; "
    "the init batch is then capped at 1697 < 3 x 800 samples)."
)

XAVIER_GAP_GROWS = register(
    Statement(
        id="training/xavier-gap-grows-with-depth",
        title="Xavier (the authors' baseline): the initial orthogonality gap grows with depth",
        formula="median_seeds[ V(h_L') - V(h_L) ] > 0 at init, consecutive tested depths L < L'",
        source="Section 5.1, Fig. 4a (red curve)",
        hypotheses=_SETUP,
        kind="claim",
        resolution=(
            "Paired seeds: at one seed the depth-L' network's first L layers equal the depth-L "
            "one's (same generator draws), so the difference is what the extra layers do. "
            "Gaps at init need no training: width 32, depths 2 / 8 / 32, 50 seeds (ci).",
            "Measured (ci, CPU): mean held-out V = 0.746 / 0.898 / 0.968 at L = 2 / 8 / 32; "
            "paired medians +0.157 [sign-test 0.087, 0.223] (2->8) and +0.064 [0.025, 0.126] "
            "(8->32): pass. Edge control (median >= 2x observed = 0.127) refuted by the upper "
            "end 0.126. Control: the authors' init-batch gap 0.252 / 0.054 / 0.045 falls "
            "(medians -0.199, -0.008; upper ends < 0): refuted.",
        ),
        negative_controls=(
            NegativeControl(
                id="authors-init-batch-grows",
                description=(
                    "the authors' init: V(h_L) on its own init batch also grows with depth "
                    "(same test, same depths)"
                ),
                why_false=(
                    "improved_init whitens each layer's input on the init batch (Sigma^-1): "
                    "the pre-activation there is u u_top^T, so every further layer lowers the "
                    "gap on those samples towards its whitened floor (measured at w = 32: "
                    "0.10 / 0.047 / 0.046 at L = 4 / 16 / 48): the gap falls with depth."
                ),
                strength="planted",
            ),
        ),
        group="Training",
    )
)

ORTHO_GAP_LOWER = register(
    Statement(
        id="training/orthogonalization-lowers-gap",
        title="The authors' iterative orthogonalization gives a lower initial gap than Xavier, "
        "on held-out samples, at every depth",
        formula="median_seeds[ V_xavier(h_L) - V_authors(h_L) ] > 0 at init (held-out), every L",
        source="Section 5.2, Eq. 6 and the notebook's improved_init; arXiv v1 App. E",
        hypotheses={**_SETUP, "init batch": "n = 3 w digits samples, n >= w"},
        kind="claim",
        resolution=(
            "Decided on held-out samples (the whitening is fitted to the init batch; on the "
            "init batch itself the gap is far lower, recorded as info). Gains do not change V "
            "(ReLU is positively homogeneous), so the rescaling rule plays no role here.",
            "Measured (ci, width 32, 50 seeds): held-out V authors 0.447 / 0.331 / 0.330 vs "
            "Xavier 0.746 / 0.898 / 0.968 at L = 2 / 8 / 32; worst pair L = 2, median +0.340 "
            "[0.173, 0.429]: pass; edge (2x = 0.680) refuted. On the init batch the authors' "
            "gap is 0.252 / 0.054 / 0.045 (the whitening is fitted there); the authors' logit "
            "measure: Xavier 0.82 / 0.99 / 1.12, authors 0.60 / 0.51 / 0.53. Control "
            "sigma-plus-half: V = 0.905 / 0.984 / 0.984, above Xavier at every depth (upper "
            "ends -0.107 / -0.042 / -0.0008): refuted.",
        ),
        negative_controls=(
            NegativeControl(
                id="sigma-plus-half",
                description=(
                    "the planted wrong exponent (Sigma^{+1/2}, orthogonal V', same rescaling): "
                    "also lower than Xavier at every depth"
                ),
                why_false=(
                    "W H^T = Q Sigma^{3/2} V^T sharpens the spectrum (Hoelder: V(WH) >= V(H)); "
                    "every layer pushes towards rank one (measured at w = 32: V = 0.984, the "
                    "rank-one value, at L = 4..48, vs Xavier 0.85 / 0.95 / 0.98)."
                ),
                strength="planted",
            ),
        ),
        group="Training",
    )
)

XAVIER_LOSS_WORSENS = register(
    Statement(
        id="training/xavier-loss-worsens-with-depth",
        title="Xavier (the authors' baseline): the training loss after S SGD steps gets worse "
        "with depth",
        formula="median_seeds[ loss_S(L') - loss_S(L) ] > 0, consecutive depths L < L' (Xavier)",
        source="Section 5.1, Fig. 4a (blue curve), Fig. 5 (blue)",
        hypotheses=_SETUP,
        kind="claim",
        resolution=(
            _SCALE,
            "Measured (ci): Xavier loss after 60 steps 1.858 (L = 2) -> 2.192 (L = 32), paired "
            "median +0.358 [0.090, 0.546]: pass; edge (2x = 0.716) refuted. The authors' init: "
            "1.904 -> 1.317 (it trains faster at depth 32 than at depth 2 within 60 steps); "
            "control 'rises by > 0.5': median -1.11 [-1.39, -0.69]: refuted.",
        ),
        negative_controls=(
            NegativeControl(
                id="authors-slows-too",
                description=(
                    "the authors' init slows down with depth too: its loss after S steps rises "
                    "by more than 0.5 between the tested depths"
                ),
                why_false=(
                    "the paper's Fig. 5 (and the data here): improved_init avoids the slowdown; "
                    "its loss at the deepest depth stays within a few tenths of its shallow "
                    "loss while Xavier's rises towards log 10."
                ),
                strength="planted",
            ),
        ),
        group="Training",
    )
)

ORTHO_TRAINS_FASTER = register(
    Statement(
        id="training/orthogonalization-trains-faster",
        title="At the deepest depth, the authors' init reaches a lower loss than Xavier",
        formula="median_seeds[ loss_S^xavier(L_max) - loss_S^authors(L_max) ] > 0",
        source="Section 5.2, Fig. 5",
        hypotheses={**_SETUP, "init batch": "n = 3 w real samples"},
        kind="claim",
        resolution=(
            _SCALE,
            "Measured (ci, L = 32, 60 steps, 20 seeds): Xavier 2.192 (range 1.98-2.28), "
            "authors 1.317 (0.99-1.58); paired median +0.952 [0.317, 1.241]: pass; edge (2x = "
            "1.90) refuted. Control authors-damped: 2.3026 (= log 10) in all 20 runs, above "
            "Xavier in every run (median -0.088, upper end -0.021): refuted.",
            "The ablation table (info row, extra.table; thorough and paper profiles; the ci "
            "numbers are in the notes): one flag of improved_init changed at a time, same seeds, "
            "at L_max.",
            _PAPER_CMD,
        ),
        negative_controls=(
            NegativeControl(
                id="authors-damped",
                description=(
                    "a weakened authors' init -- the same weights times 1/2 on every hidden "
                    "layer (identical gaps at every layer) -- also beats Xavier at L_max"
                ),
                why_false=(
                    "a bias-free ReLU net's function is multiplied by 2^-L and every hidden "
                    "layer's gradient by ~2^-(L-1): at L = 32 the logits are ~0 and SGD at lr "
                    "0.01 does not move in S steps, so the loss stays at log 10 = 2.303, above "
                    "Xavier's. Same gaps as the authors' init: the data, not the gap, decide."
                ),
                strength="planted",
            ),
        ),
        group="Training",
    )
)

SGD_LOWERS_GAP = register(
    Statement(
        id="training/sgd-lowers-gap",
        title="Fig. 4b: SGD lowers the orthogonality gap of the output during training (Xavier)",
        formula="median_seeds[ G(init) - G(after S steps) ] > 0, G = the authors' logit gap",
        source="Section 5.1, Fig. 4b (the notebook's compute_orthogonality_gap)",
        hypotheses={
            **_SETUP,
            "measure": "G = mean over blocks of 500 training samples of ||s/||s|| - 1/sqrt(10)||,"
            " s the singular values of the logits (the notebook's measure)",
        },
        kind="claim",
        resolution=(
            "Paired within each run (same network at step 0 and step S). Depth 8 (ci): the "
            "depth where Xavier trains within the ci step budget (the paper: 20 layers, width "
            "1000, 50 CIFAR-10 epochs). The Eq. 2 gap of h_L on held-out samples is recorded "
            "beside it (info).",
            "Measured (ci, width 32, L = 8, 60 steps, 30 seeds -- 30 so the sign-test interval "
            "is [d_(3), d_(28)] instead of [min, max]): logit gap 0.982 -> 0.806, paired median "
            "drop 0.170 [0.070, 0.270]: pass; edge (2x = 0.341) refuted. Eq. 2 gap of h_L "
            "(held-out): 0.898 -> 0.783, median drop 0.116 [0.047, 0.186] (info). Control: the "
            "authors' init starts at logit gap 0.487, below trained Xavier's in every run "
            "(median -0.350, upper end -0.177): refuted.",
        ),
        negative_controls=(
            NegativeControl(
                id="below-authors-init",
                description=(
                    "SGD orthogonalizes as far as the authors' init: Xavier's logit gap after S "
                    "steps is below the authors' init's logit gap at init (same seeds, depth)"
                ),
                why_false=(
                    "SGD lowers Xavier's logit gap from ~1.0 only to ~0.7-0.8 in the ci budget "
                    "while improved_init starts at ~0.35-0.55 (measured at w = 32, L = 4-8)."
                ),
                strength="planted",
            ),
        ),
        group="Training",
    )
)

EQ6_PRINTED = register(
    Statement(
        id="training/eq6-as-printed-trains-worse",
        title="Eq. 6 as printed (Sigma^{-1/2}, orthogonal V', same rescaling) trains worse than "
        "the authors' code at the deepest depth",
        formula="median_seeds[ loss_S^eq6(L_max) - loss_S^authors(L_max) ] > 0 (inf if diverged)",
        source="Eq. 6 vs the notebook's improved_init (a finding of this suite)",
        hypotheses=_SETUP,
        kind="claim",
        resolution=(
            "A diverged run (non-finite loss) counts as loss +inf. The per-layer growth of "
            "back-propagated gradients under Sigma^{-1/2} through a ReLU, sqrt(pi/(pi-1)) ~ "
            "1.21 (EQ6_RELU_GRADIENT_GROWTH), explains the divergence at depth.",
            _SCALE,
            "Measured (ci, width 32, L = 32, 60 steps): 19 of 20 Eq. 6 runs diverge to NaN, the "
            "20th stays at log 10 = 2.3026, vs authors 1.317 and Xavier 2.192; sign-test lower "
            "end of loss_eq6 - loss_authors = 1.03 > 0: pass (no edge control: the median is "
            "+inf). Control eq6-beats-xavier: upper end -0.078 < 0: refuted. At depth 8 (width "
            "32, 100 steps, 4 seeds) Eq. 6 trains (0.55-1.03, better than Xavier's 1.19-1.89); "
            "at depth 16 half the runs diverge.",
        ),
        negative_controls=(
            NegativeControl(
                id="eq6-beats-xavier",
                description="Eq. 6 as printed reaches a lower loss than Xavier at L_max",
                why_false=(
                    "it diverges to NaN at depth 32 (w = 32) within the ci budget in most "
                    "runs, and where it does not, it stalls near log 10."
                ),
                strength="planted",
            ),
        ),
        group="Training",
    )
)

DEEP_TRAINING_FINITE = register(
    Statement(
        id="training/deep-training-stays-finite",
        title=(
            "Eq. 6 with this project's 'balanced' scale (init eq6-balanced): SGD at lr 0.01 "
            "keeps a finite loss at depths where a common per-layer scale diverges"
        ),
        formula="loss_s(L_deep) finite for every recorded s, every seed (eq6-balanced)",
        source="this project's earlier scale rule (not the authors' protocol); Eq. 6",
        hypotheses={**_SETUP, "depth": "L_deep = 40, width 16, 8 steps, 4 seeds"},
        kind="claim",
        resolution=(
            "Deterministic per seed: every run must stay finite. Not a claim of the paper and "
            "not the authors' protocol: kept as a property of the eq6-balanced option.",
            "Measured (ci, width 16, L = 40, 8 steps, 4 seeds): balanced 4/4 finite (loss "
            "2.302: finite, not training); unit-entry 3/4 NaN: control refuted.",
        ),
        negative_controls=(
            NegativeControl(
                id="unit-entry",
                description="the same runs with scale 'unit-entry' stay finite",
                why_false=(
                    "with a common forward normalisation the first layer's relative gradient "
                    "is ~1.21^L times the last one's; plain SGD at lr 0.01 overshoots and the "
                    "loss becomes NaN (measured at w = 16..128, L >= ~30)."
                ),
                strength="planted",
            ),
        ),
        group="Training",
    )
)


def _lazy(name: str):
    """The check ``theory.training.checks.<name>``, imported on first call: ``import theory``
    must not import torch (the optional [train] extra)."""

    def check(ctx, case):
        from ..training import checks

        return getattr(checks, name)(ctx, case)

    check.__name__ = check.__qualname__ = name
    return check


_SMALL = {"width": 8, "seeds": 2, "steps": 2, "depths": (2, 3)}
XAVIER_GAP_GROWS.attach(_lazy("check_xavier_gap_grows"), example=_SMALL)
ORTHO_GAP_LOWER.attach(_lazy("check_gap_lower"), example=_SMALL)
XAVIER_LOSS_WORSENS.attach(_lazy("check_xavier_loss_worsens"), example=_SMALL)
ORTHO_TRAINS_FASTER.attach(_lazy("check_trains_faster"), example=_SMALL)
SGD_LOWERS_GAP.attach(_lazy("check_sgd_lowers_gap"), example={**_SMALL, "depth": 2})
EQ6_PRINTED.attach(_lazy("check_eq6_printed"), example=_SMALL)
DEEP_TRAINING_FINITE.attach(_lazy("check_deep_finite"), example={**_SMALL, "depth": 3})
