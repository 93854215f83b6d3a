"""The reduced sampler is exact in law (THEORY_NOTES §1) -- the foundation every check rests on."""

from __future__ import annotations

from ._registry import NegativeControl, Statement, register

EXACT_IN_LAW = register(
    Statement(
        id="sampler/exact-in-law",
        title="Reduced sampler is exact in law",
        formula=(
            "W H =_d Z R / sqrt(d),  Z ~ N(0,1)^{d x n},  R^T R = H^T H;  hence "
            "law(V(H_l), sigma_min(H_l))_reduced = law(...)_naive for every l, jointly in l"
        ),
        source="THEORY_NOTES §1 (rows of W H are i.i.d. N(0, H^T H / d) given H)",
        hypotheses={
            "n": ">= 1",
            "d": ">= n (checked from d = n to 8n and beyond)",
            "W_l": "i.i.d. N(0, 1/d) entries, fresh at every layer",
        },
        kind="identity",
        resolution=(
            "Tested in law, not in mean: two-sample Kolmogorov-Smirnov and Cramér-von Mises tests "
            "on V(H_l), sigma_min(H_l) and the joint increment V(H_l) - V(H_1), Holm-corrected "
            "over the whole grid at family-wise level alpha.",
            "Dropping the 1/sqrt(d) of W is NOT used as a negative control: BN divides each row "
            "by its norm, so the scale of W cancels exactly and V, sigma_min are unchanged -- "
            "that variant is true in law, and a control must be false.",
        ),
        negative_controls=(
            NegativeControl(
                id="frozen-W",
                description="one W drawn once and reused at every layer",
                why_false=(
                    "with W frozen the layers are no longer independent given H_0: already at "
                    "l = 2 the pair (H_1, H_2) is a deterministic function of one W, and the "
                    "chain is attracted to fixed points of the map H -> BN(W H)/sqrt(d); the "
                    "law of V(H_l) for l >= 2 differs (measured by the test)."
                ),
            ),
            NegativeControl(
                id="diagonal-R",
                description="R = diag(column norms of H): the cross-sample correlations are dropped",
                why_false=(
                    "Z diag(|h_i|) has independent columns, so E[H_1^T H_1] is diagonal for any "
                    "H_0; for H_0 with collinear columns the true E[cos(h_1, h_2)] is near 1 at "
                    "l = 1 (BN cannot decorrelate in one step), so the law of V(H_1) differs."
                ),
            ),
        ),
        group="Foundation",
    )
)
