"""Section 5 claims (Figs. 4-5) on the authors' protocol: their Xavier baseline
(xavier_uniform_, gain sqrt 2, every layer), their iterative orthogonalization (notebook
``improved_init``) and Eq. 6 as printed, in a bias-free ReLU MLP without BN trained with plain
SGD on real data (theory.training; optional [train] extra).  Checks: theory/training/checks.py.
"""

from __future__ import annotations

from ..engine import NegativeControl, Statement, register

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
    "each end at ASSERTION_DELTA / k, Bonferroni over the k pairs of a claim; pass: every "
    "lower end > 0, fail: some upper end < 0, else inconclusive. Seeds are added until the "
    "data decide (theory.checks.training.until_decided): batches R_1, 1.5 R_1, ... up to the "
    "profile's max_seeds (ci 150, thorough 200, paper 300), R_1 the smallest batch that can "
    "decide (2^-R_1 <= delta / (2 k): 20 for one pair), look 1 at delta / 2 and each later "
    "look at delta / (2 (K - 1)) (a union bound over the K looks, fixed before the data: "
    "theory.sequential.Budget.first_share); the loop stops when the claim is decided, its "
    "edge control (median >= 1.25 x observed, the engine's EDGE) refuted and every control "
    "decided, or at once when the claim fails; each family is judged at the level of the look "
    "it ended at. A control over several depths is drawn one depth at a time, cheapest first, "
    "until one refutes it (Bonferroni over all its depths). Measured notes dated before "
    "2026-12-06 used looks at delta / K (21-23 seeds at look 1)",
}

_SCALE = (
    "Scale (ci): width 48, S = 150 SGD steps (~38 epochs of digits at batch 500: 4 steps per "
    "epoch), depths 15 and 75 (the paper's range), paired seeds ctx.seed('training', r), "
    "r = 0, 1, ... added until decided (20 for each L = 75 claim), each seed's run "
    "stored once per suite run and the missing ones trained as one batched model on one CPU "
    "thread (~3 min on 2 cores for all training claims; cost ~ width^2 x depth x steps x "
    "seeds, so width 64 costs 1.8x); thorough: width 64; paper profile (one GPU): width 128, "
    "S = 300, depths 15 / 45 / 75. The paper's own scale (width 800, 3000 steps, CIFAR-10) is "
    "the CLI command below."
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
            "Gaps at init need no training: width 48, depths 2 / 15 / 75.",
            "EDGE EXCEPTION: this claim's edge control is 'the median of the worst pair is at "
            "least 2 x observed' (GAP_GROWS_EDGE = 0.5), not the engine's 1.25 x. The worst "
            "pair, 15 -> 75, is where Xavier's gap saturates: its paired differences have "
            "median 0.0375 and quartiles 0.023 / 0.063 (400 ci seeds), and the sign test needs "
            "~850 seeds to put its upper end below 1.25 x the median (at 400 seeds: 0.0506 "
            "against 0.0469), far past the seed budget; at 100 seeds (the ci cap when measured; now 150) the data "
            "resolve it to 1.58 x (2 x is refuted in 20 of 20 reorderings of the 400 seeds).",
            "Measured (ci, CPU, 100 seeds: the budget, spent waiting for the edge): mean "
            "held-out V = 0.741 / 0.939 / 0.985 at L = 2 / 15 / 75; paired medians +0.198 "
            "[sign-test 0.155, 0.233] (2->15) and +0.036 [0.022, 0.057] (15->75): pass; edge "
            "control (median >= 2x observed = 0.072) refuted. Control (decided at 22 seeds): "
            "the authors' init-batch gap 0.212 / 0.031 / 0.029 falls (medians -0.185, -0.0018; "
            "upper ends < 0): refuted.",
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
        check_ref="theory.checks.training:check_xavier_gap_grows",
        example={"width": 8, "max_seeds": 2, "steps": 2, "depths": (2, 3)},
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
            "Measured (ci, width 48, decided at the first look, 23 seeds): held-out V "
            "authors 0.363 / 0.234 / 0.234 vs Xavier 0.745 / 0.944 / 0.983 at L = 2 / 15 / "
            "75; worst pair L = 2, median +0.389 [0.179, 0.474]: pass; edge (1.25x = 0.486) "
            "refuted. On the init batch the authors' gap is 0.212 / 0.031 / 0.029 (the "
            "whitening is fitted there). Control sigma-plus-half: V = 0.911 / 0.990 / 0.990, "
            "above Xavier at every depth (upper ends -0.109 / -0.007 / -0.0001): refuted. "
            "With the ci cap, 20 of 20 reorderings of 400 ci seeds refute the edge, 18 of them at "
            "58 seeds.",
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
        check_ref="theory.checks.training:check_gap_lower",
        example={"width": 8, "max_seeds": 2, "steps": 2, "depths": (2, 3)},
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
            "Measured (ci, width 48, decided at the first look, 21 seeds): Xavier loss after "
            "150 steps 0.928 (L = 15) -> 2.144 (L = 75), paired median +1.255 [0.642, 1.568]: "
            "pass; edge (1.25x = 1.569) refuted, by a hair: at 21 seeds the interval is [min, "
            "max] (over reorderings of 60 ci seeds about half stop at 21 seeds, the rest at "
            "53). The authors' init: 0.365 -> 0.365 (no slowdown); control 'rises by >= 2/3 "
            "of Xavier's median rise' (0.837): rise - 0.837 has median -0.880 [-1.042, -0.610]: "
            "refuted. A fixed margin of 0.5 was not refuted at width 64 (upper end 0.70): the "
            "margin is placed relative to Xavier's own rise (CONTROL_SHARE), re-placed at every "
            "look.  The control is decided at CONTROL_DELTA = 1e-3 per end (a wrong refutation, "
            "not a false fail): at 2e-6 a 20-seed interval is [min, max], and one stalled "
            "authors' run at L = 75 (upper end +0.09 against a median of -0.81) left it "
            "unrefuted in one of six ci calibration runs.",
        ),
        negative_controls=(
            NegativeControl(
                id="authors-slows-too",
                description=(
                    "the authors' init slows down with depth too: its loss after S steps rises "
                    "by at least 2/3 of Xavier's median rise between consecutive tested depths"
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
        check_ref="theory.checks.training:check_xavier_loss_worsens",
        example={"width": 8, "max_seeds": 2, "steps": 2, "depths": (2, 3)},
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
            "Measured (ci, width 48, L = 75, 150 steps, decided at the first look, 21 seeds): "
            "Xavier 2.144, authors 0.365; paired median +1.797 [1.239, 2.145]: pass; edge (1.25x "
            "= 2.246) refuted (at the first look in 10 of 10 reorderings of 60 ci seeds). "
            "Control authors-damped: 2.3026 (= log 10) in every run at both depths; at L = 15, "
            "where Xavier trains, median -1.456 [-1.588, -0.994]: refuted; at L = 75 Xavier "
            "barely trains either (median -0.183, upper end -0.005: that depth alone barely "
            "refutes it).",
            "The ablation table (info row, extra.table, shown under this statement in the "
            "report; every profile): one flag of improved_init changed at a time, same seeds, "
            "at L_max. ci (width 48, L = 75, 150 steps, 3 seeds, mean loss): xavier 2.13, "
            "authors 0.27, +exponent=1/2 0.33, +vprime=orthogonal diverged 3/3, "
            "+rescale=unit-entry 0.12, +rescale=none 0.30, +first=orthogonalised 0.24, "
            "+svd=no 2.04, eq6 diverged 3/3: the row slice V' = u[:w, :w] and the SVD step make "
            "it train; the exponent, the rescaling rule and the first layer barely matter.",
            _PAPER_CMD,
        ),
        negative_controls=(
            NegativeControl(
                id="authors-damped",
                description=(
                    "a weakened authors' init -- the same weights times 1/2 on every hidden "
                    "layer (identical gaps at every layer) -- also beats Xavier, at every "
                    "tested depth (refuted where some depth refutes it; Bonferroni)"
                ),
                why_false=(
                    "a bias-free ReLU net's function is multiplied by 2^-L and every hidden "
                    "layer's gradient by ~2^-(L-1): from L = 15 on the logits are ~0 and SGD at "
                    "lr 0.01 does not move in S steps, so the loss stays at log 10 = 2.303, "
                    "above Xavier's wherever Xavier trains. Same gaps as the authors' init: the "
                    "data, not the gap, decide."
                ),
                strength="planted",
            ),
        ),
        group="Training",
        check_ref="theory.checks.training:check_trains_faster",
        example={"width": 8, "max_seeds": 2, "steps": 2, "depths": (2, 3)},
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
            "Measured (ci, width 48, L = 8, 150 steps, 100 seeds, the ci cap then: the claim passes at the "
            "first look, the edge needs them): logit gap 0.964 -> 0.700, paired median drop "
            "0.271 [0.211, 0.322]: pass; edge (1.25x = 0.339) refuted at 100 seeds (not at 53: "
            "upper end 0.322 vs 0.307; with the ci cap, 19 of 20 reorderings of 400 ci seeds "
            "refute it within 100 seeds, 9 of them at 53; 1 of 6 ci calibration runs stopped at "
            "100 seeds with it not refuted, so the ci cap is now 150). Eq. 2 gap of h_L "
            "(held-out): 0.893 -> 0.790, median drop 0.103 [0.073, 0.138] (info). Control "
            "(decided at 21 seeds): the authors' init starts at logit gap 0.413, below trained "
            "Xavier's (median -0.286, upper end -0.213): refuted.  Per-seed gaps are spread "
            "(2-5 of 30 seeds have Xavier's trained gap below the authors' init's); the controls' "
            "delta 1e-3 keeps the control's upper end off the extreme order statistic.",
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
        check_ref="theory.checks.training:check_sgd_lowers_gap",
        example={"width": 8, "max_seeds": 2, "steps": 2, "depths": (2, 3), "depth": 2},
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
            "Measured (ci, width 48, L = 75, 150 steps): all 21 Eq. 6 runs diverge to NaN, vs "
            "authors 0.365 and Xavier 2.144 (first look): pass (no edge control: the median is +inf). Control "
            "eq6-beats-xavier: every difference is -inf: refuted. Earlier, at width 32: at depth "
            "8 (100 steps, 4 seeds) Eq. 6 trains (0.55-1.03, better than Xavier's 1.19-1.89); at "
            "depth 16 half the runs diverge; at depth 32, 19 of 20.",
        ),
        negative_controls=(
            NegativeControl(
                id="eq6-beats-xavier",
                description="Eq. 6 as printed reaches a lower loss than Xavier at L_max",
                why_false=(
                    "it diverges to NaN at depth 75 (w = 48, 20 of 20 runs) within the ci "
                    "budget; at depth 32 (w = 32) 19 of 20 runs diverge."
                ),
                strength="planted",
            ),
        ),
        group="Training",
        check_ref="theory.checks.training:check_eq6_printed",
        example={"width": 8, "max_seeds": 2, "steps": 2, "depths": (2, 3)},
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
        hypotheses={
            **_SETUP,
            "depth": "L_deep = 40, width 16, 8 steps, every seed of the profile's budget",
        },
        kind="claim",
        resolution=(
            "Deterministic per seed: every run must stay finite. Not a claim of the paper and "
            "not the authors' protocol: kept as a property of the eq6-balanced option.",
            "The claim runs on every seed of the budget (100 in ci) in the budget's batches, "
            "stopping at the first diverged run (fail); the control trains batch by batch until "
            "a run diverges (refuted) or the seeds run out.",
            "Measured (ci, width 16, L = 40, 8 steps): balanced 100/100 finite (loss 2.302: "
            "finite, not training); unit-entry 12 of the first 21 NaN: control refuted.  Earlier, "
            "with 16 seeds and six salts: 9-13 of 16 NaN; with 4 seeds the unit-entry runs all "
            "stayed finite in one of six calibration runs (each diverges with probability ~2/3).",
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
        check_ref="theory.checks.training:check_deep_finite",
        example={"width": 8, "max_seeds": 2, "steps": 2, "depths": (2, 3), "depth": 3},
    )
)
