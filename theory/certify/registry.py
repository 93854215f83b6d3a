"""Per-claim entry points and :func:`certify_all`: lists of certificates keyed by claim id.

Claim ids follow the suite's statement ids (``theory/statements``); the planted false claims
(controls) are separate (:func:`certify_controls`): each must come out ``"refuted"`` or ``"not
certified"``, never ``"certified"`` (``details["planted"]`` is True on them).

``thorough=False`` (the default, ~50 s on one core, 2/3 of it Lemma 8 at n = 4) runs the 2F1 counterexample for every
n = 5..32, Sawa's integral at n = 8 and 20 and on the three-level ``H_0``, and the branch and
bound for n = 2..4, and the line of work (``theory.certify.lineofwork``, ~1 s); ``thorough=True`` adds Sawa's integral for every n = 5..32 and the
two-level-vs-integral cross-check at every n, Lemma 4 and W2 up to n = 6 (~4 min).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from fractions import Fraction

from .. import activations, batch_kernel
from . import appf, lemmas, linearisation, lineofwork, lineofwork_ln, meanfield
from ._core import Certificate

MEANFIELD_NS = tuple(range(5, 33))
SMALL_NS = (2, 3, 4)
FAST_INTEGRAL_NS = (8, 20)


@functools.lru_cache(maxsize=128)
def _pair(n: int | None, method: str, three_level: bool = False) -> tuple[Certificate, Certificate]:
    if three_level:
        return meanfield.certify_three_level()
    return meanfield.certify_meanfield(n, method=method)


def stated_alpha(thorough: bool = False) -> list[Certificate]:
    """``meanfield/stated-alpha``: the certified first failing layer for every n = 5..32 (2F1;
    also Sawa's integral at n = 8, 20, or every n when thorough) and on the three-level ``H_0``
    (integral)."""
    out = [_pair(n, "2f1")[0] for n in MEANFIELD_NS]
    for n in MEANFIELD_NS if thorough else FAST_INTEGRAL_NS:
        out.append(_pair(n, "integral")[0])
    out.append(_pair(None, "integral", True)[0])
    return out


def proved_alpha(thorough: bool = False) -> list[Certificate]:
    """``meanfield/proved-alpha``: the proved reading on the same trajectories."""
    out = [_pair(n, "2f1")[1] for n in MEANFIELD_NS]
    for n in MEANFIELD_NS if thorough else FAST_INTEGRAL_NS:
        out.append(_pair(n, "integral")[1])
    out.append(_pair(None, "integral", True)[1])
    return out


def two_level_vs_integral(thorough: bool = False) -> list[Certificate]:
    """``meanfield/two-level-vs-integral``: the two evaluations agree layer by layer."""
    return [meanfield.certify_agreement(n) for n in (MEANFIELD_NS if thorough else (5, 8, 20))]


def linearisation_claim(thorough: bool = False) -> list[Certificate]:
    """``meanfield/linearisation`` (n = 2..32) and ``meanfield/threshold`` (n = 2..32)."""
    del thorough
    ns = range(2, 33)
    return [linearisation.certify_linearisation(n) for n in ns] + [
        linearisation.certify_threshold(n) for n in ns
    ]


def lemma4(thorough: bool = False) -> list[Certificate]:
    """``lemma-4/gap-vs-lyapunov`` for n = 2..4 (2..6 when thorough)."""
    return [lemmas.certify_lemma4(n) for n in (range(2, 7) if thorough else SMALL_NS)]


def lemma8(thorough: bool = False) -> list[Certificate]:
    """``lemma-8/sharp`` for n = 2..4 (same when thorough: n = 5 is slow)."""
    del thorough
    return [lemmas.certify_lemma8(n) for n in SMALL_NS]


def w2(thorough: bool = False) -> list[Certificate]:
    """``w2/conditional-vs-gap`` for n = 2..4 (2..6 when thorough)."""
    return [lemmas.certify_w2(n) for n in (range(2, 7) if thorough else SMALL_NS)]


# ------------------------------------------------------------------ the line of work (issue 19)

#: exact (integer) matrices of the soft-rank certificates: d > n, d < n (rank 2 of n = 4) and
#: rank one
SOFT_MATRICES: tuple[tuple[tuple[int, ...], ...], ...] = (
    ((1, 2, 0), (0, 1, 3), (2, 2, 1), (1, 0, 0)),
    ((3, 1, 4, 1), (5, -9, 2, 6)),
    ((1, 2), (2, 4), (-1, -2)),
)
#: symmetric positive definite integer matrices with a non-constant diagonal (isometry)
ISO_MATRICES: tuple[tuple[tuple[int, ...], ...], ...] = (
    ((4, 1, 0), (1, 2, 1), (0, 1, 9)),
    ((2, 1), (1, 5)),
    ((10, 2, -3, 1), (2, 7, 0, 2), (-3, 0, 5, 1), (1, 2, 1, 3)),
)
CASE4_ES = (8, 10, 12)


def soft_rank(thorough: bool = False) -> list[Certificate]:
    """``rank-collapse-2020/soft-rank-identity``: the cleared polynomial identity for n = 1..8
    (exact expansion) and the identity in rationals at :data:`SOFT_MATRICES`."""
    del thorough
    return [lineofwork.certify_soft_rank_symbolic(n) for n in range(1, 9)] + [
        lineofwork.certify_soft_rank_at(H) for H in SOFT_MATRICES
    ]


def isometry(thorough: bool = False) -> list[Certificate]:
    """``isometry-2023/normalisation``: the two enclosures of I(N) intersect at
    :data:`ISO_MATRICES`."""
    del thorough
    return [lineofwork.certify_isometry_identity(M) for M in ISO_MATRICES]


def isometry_increases(thorough: bool = False) -> list[Certificate]:
    """``isometry-2023/normalisation-increases``: ``I(M) < I(N)`` certified at
    :data:`ISO_MATRICES` (non-constant diagonals)."""
    del thorough
    return [lineofwork.certify_isometry_increase(M) for M in ISO_MATRICES]


def case4_printed(thorough: bool = False) -> list[Certificate]:
    """``kernel-map-2025/case-4-as-printed``: the certified first failing layer at the example
    from ``1 - 10^-e``, e = 8, 10, 12 (and 14 when thorough)."""
    es = (*CASE4_ES, 14) if thorough else CASE4_ES
    return [lineofwork.certify_case4(e, "printed") for e in es]


def case4_corrected(thorough: bool = False) -> list[Certificate]:
    """``kernel-map-2025/case-4-corrected``: the corrected bound certified at every layer
    1..1000 (2000 when thorough) from ``1 - 10^-e``, e = 8, 10, 12."""
    layers = 2000 if thorough else 1000
    return [lineofwork.certify_case4(e, "corrected", max_layers=layers) for e in CASE4_ES]


def table1(thorough: bool = False) -> list[Certificate]:
    """``kernel-map-2025/table-1``: every cell of Table 1 with its recorded verdict (57 match, 6
    differ), and the 25-term Hermite cuts that print ReLU's 0.95 and SELU's 1.06."""
    del thorough
    return [
        *lineofwork.certify_table1(),
        lineofwork.certify_truncation("relu", 25, "0.95"),
        lineofwork.certify_truncation("selu", 25, "1.06"),
    ]


def relu_case2(thorough: bool = False) -> list[Certificate]:
    """``kernel-map-2025/relu-case-2-as-printed``: kappa_ReLU'(1) = 1 exactly, and the printed
    case-2 bound's certified first failing layer (96 from rho_0 = 1/2)."""
    del thorough
    return [
        lineofwork.certify_relu_kappa_prime_one(),
        *(lineofwork.certify_relu_case2(r) for r in lineofwork.RECORDED_RELU_FIRST),
    ]


def case3(thorough: bool = False) -> list[Certificate]:
    """``kernel-map-2025/case-3-relu``: case 3's bound certified at every layer 1..2000 (5000
    when thorough) for ReLU from :data:`lineofwork.CASE3_STARTS` and exp from 1/2."""
    layers = 5000 if thorough else 2000
    out = [lineofwork.certify_case3("relu", r, max_layers=layers) for r in lineofwork.CASE3_STARTS]
    return out + [lineofwork.certify_case3("exp", Fraction(1, 2), max_layers=layers)]


def corollary2_conditions(thorough: bool = False) -> list[Certificate]:
    """``kernel-map-2025/corollary-2-conditions``: kappa'(1) < 1 for sigmoid only (= 1 for ReLU
    and exp exactly, > 1 for the others)."""
    del thorough
    return [lineofwork.certify_corollary2_condition(n) for n in lineofwork.COR2_RECORDED]


def corollary2_depth(thorough: bool = False) -> list[Certificate]:
    """``kernel-map-2025/corollary-2-depth``: the corrected depth holds at sigmoid for eps =
    2^-24, 2^-126, 2^-128, 2^-149 from rho_0 = -1 + 2^-20, 0 and 1/2."""
    del thorough
    starts = (lineofwork.COR2_RHO0, Fraction(0), Fraction(1, 2))
    return [
        lineofwork.certify_corollary2_depth("corrected", eps_bits=b, rho0=r)
        for b in (24, 126, 128, 149)
        for r in starts
    ]


def corollary2_depth_printed(thorough: bool = False) -> list[Certificate]:
    """``kernel-map-2025/corollary-2-depth-as-printed``: the certified counterexamples to the
    printed depth (sigmoid from rho_0 = -1 + 2^-20 at eps = 2^-24, layer 9, and 2^-149,
    layer 55)."""
    del thorough
    return [lineofwork.certify_corollary2_depth("printed", eps_bits=b) for b in (24, 149)]


#: the rho's of the LN contraction certificate (NeurIPS 2023): pointwise, and the limit rho -> 1
LN_RHOS = tuple(Fraction(k, 10) for k in (-9, -5, 1, 5, 9)) + ("limit",)


def ln_contraction(thorough: bool = False) -> list[Certificate]:
    """``isometry-2023/ln-contraction-meanfield``: ``gamma(hat kappa(rho)) < gamma(rho) / (2 -
    beta_0)`` for every activation of :data:`lineofwork_ln.ACTS` at :data:`LN_RHOS` (relu,
    tanh, exp, gelu in ci as in its verify test; all six when thorough)."""
    acts = lineofwork_ln.ACTS if thorough else ("relu", "tanh", "exp", "gelu")
    return [lineofwork_ln.certify_ln_contraction(a, r) for a in acts for r in LN_RHOS]


def app_f_limit(thorough: bool = False) -> list[Certificate]:
    """``kernel-map-2025/app-f-limit`` (n = 4): the ReLU batch map's fixed point bracketed, and
    the infinite-width cosine within 1e-3 of its limit c* from layer 10 on, in every cell
    (relu, tanh, sin; BN with and without centring)."""
    del thorough
    cells = [(a, v) for a in ("relu", "tanh", "sin") for v in batch_kernel.VARIANTS]
    return [appf.certify_relu_fixed_point(4), *(appf.certify_trap(a, v, 4, 10) for a, v in cells)]


CLAIMS: dict[str, Callable[[bool], list[Certificate]]] = {
    meanfield.ID_STATED: stated_alpha,
    meanfield.ID_PROVED: proved_alpha,
    meanfield.ID_AGREE: two_level_vs_integral,
    linearisation.ID_LIN: linearisation_claim,
    lemmas.ID_L4: lemma4,
    lemmas.ID_L8: lemma8,
    lemmas.ID_W2: w2,
    lineofwork.ID_SOFT: soft_rank,
    lineofwork.ID_ISO: isometry,
    lineofwork.ID_ISO_INCREASE: isometry_increases,
    lineofwork.ID_K4_PRINTED: case4_printed,
    lineofwork.ID_K4_CORRECTED: case4_corrected,
    lineofwork.ID_T1: table1,
    lineofwork.ID_RELU2: relu_case2,
    lineofwork.ID_CASE3: case3,
    lineofwork.ID_COR2: corollary2_conditions,
    lineofwork.ID_COR2_DEPTH: corollary2_depth,
    lineofwork.ID_COR2_DEPTH_PRINTED: corollary2_depth_printed,
    lineofwork_ln.ID_LN_MF: ln_contraction,
    appf.ID_LIMIT: app_f_limit,
}


def certify_claim(claim_id: str, *, thorough: bool = False) -> list[Certificate]:
    """The certificates of one claim id (a key of :data:`CLAIMS`)."""
    if claim_id not in CLAIMS:
        raise ValueError(f"claim_id must be one of {sorted(CLAIMS)}; got {claim_id!r}")
    return CLAIMS[claim_id](thorough)


def _planted(c: Certificate, control: str | None = None) -> Certificate:
    c.details["planted"] = True
    if control is not None:
        c.details["control"] = control
    c.details["expected"] = "refuted or not certified"
    return c


def certify_controls() -> list[Certificate]:
    """Planted false claims; each must NOT be certified:

    * the counterexample claimed one layer early (n = 5, 8, 20: layer L - 1, ratio ~0.99);
    * Lemma 8 with the constant 2n/(n+1) (n = 2, 3);
    * the linearisation with the factor (n+1)/(n+3) (n = 5);
    * Lemma 4 with the constant 0.99 and the W2 ratio at 0.99 sup (n = 3);
    * the line of work: the soft rank as ``1/V^2`` and ``1/(V^2 + 1/n^2)`` (n = 3, and at a
      matrix), the isometry's factor inverted (GM/AM) and "normalisation decreases I", case 4
      as printed violated one layer early (185 from 1 - 1e-8), and the corrected bound
      violated at the example's worst layer (201); Table 1's sigmoid kappa(0) one digit off
      (0.84), kappa_ReLU'(1) = 0.95, ReLU's printed case-2 bound violated one layer early
      (95), case 3 with alpha = 1 - kappa(0), "ReLU (tanh) satisfies kappa'(1) < 1", and
      Corollary 2's corrected depth one layer early (9 at eps = 2^-24); NeurIPS 2023's LN
      contraction without centring and without activation (ReLU, rho = 1/2); the App. F limit
      of uncentred ReLU claimed at the centred chain's -1/3, and its fixed point claimed at
      hi + 2^-36 (n = 4)."""
    out = []
    for n in (5, 8, 20):
        first = meanfield.RECORDED[n]
        assert first is not None
        out.append(_planted(meanfield.certify_first_failing_layer(n, first[0] - 1)))
    for n in (2, 3):
        out.append(_planted(lemmas.certify_lemma8(n, constant=Fraction(2 * n, n + 1))))
    out.append(_planted(linearisation.certify_linearisation(5, Fraction(6, 8))))
    out.append(_planted(lemmas.certify_lemma4(3, constant=0.99)))
    out.append(
        _planted(lemmas.certify_w2(3, bound=0.99 * float(lemmas.w2_sup_ball(3).mid()), eps=0.0))
    )
    lw = lineofwork
    out.append(_planted(lw.certify_soft_rank_symbolic(3, "one-over-V2"), "one-over-V2"))
    out.append(_planted(lw.certify_soft_rank_symbolic(3, "one-over-n2"), "one-over-n2"))
    out.append(_planted(lw.certify_soft_rank_at(SOFT_MATRICES[0], "one-over-n2"), "one-over-n2"))
    out.append(_planted(lw.certify_isometry_identity(ISO_MATRICES[0], "gm/am"), "gm-over-am"))
    out.append(
        _planted(
            lw.certify_isometry_increase(ISO_MATRICES[0], "decreases"), "normalisation-decreases"
        )
    )
    first = lw.RECORDED_FIRST[8]
    out.append(_planted(lw.certify_case4(8, "printed", claimed_first=first - 1), "one-layer-early"))
    worst = lw.certify_case4(8, "corrected").details["layer of max ratio"]
    out.append(
        _planted(lw.certify_case4(8, "corrected", claimed_first=worst), "exceeded-at-worst-layer")
    )
    # Table 1, ReLU's cases and Corollary 2 (AISTATS 2025)
    out.append(
        _planted(
            lw.certify_table1_cell("sigmoid", "kappa(0)", printed="0.84", claim="match"),
            "one-digit-off",
        )
    )
    out.append(
        _planted(lw.certify_relu_kappa_prime_one(lw.RELU_PRINTED_ALPHA), "as-printed-from-rho0")
    )
    for r, first in lw.RECORDED_RELU_FIRST.items():
        out.append(_planted(lw.certify_relu_case2(r, claimed_first=first - 1), "one-layer-early"))
    no_k1 = 1 - activations.facts("relu", prec=192)["kappa(0)"]
    out.append(
        _planted(
            lw.certify_case3("relu", Fraction(1, 2), alpha=no_k1, max_layers=50),
            "alpha-without-kappa-prime-0",
        )
    )
    out.append(_planted(lw.certify_corollary2_condition("relu", "<"), "relu-satisfies-as-printed"))
    out.append(_planted(lw.certify_corollary2_condition("tanh", "<"), "tanh-satisfies"))
    out.append(_planted(lw.certify_corollary2_depth("corrected", layer=9), "one-layer-early"))
    # NeurIPS 2023 LN contraction without centring / without activation; the App. F limit
    # claimed at the centred chain's -1/3 for uncentred ReLU, and a fixed point just above hi
    for v in ("no-centring", "activation-free"):
        out.append(_planted(lineofwork_ln.certify_ln_contraction("relu", Fraction(1, 2), v), v))
    out.append(
        _planted(
            appf.certify_limit_differs("relu", "bn", -1 / 3, "other-centring", 4), "other-centring"
        )
    )
    out.append(_planted(appf.certify_shifted_fixed_point(4), "shifted-fixed-point"))
    return out


def certify_all(
    *, thorough: bool = False, ids: Sequence[str] | None = None, controls: bool = True
) -> list[Certificate]:
    """Every claim's certificates (``ids``: a subset of :data:`CLAIMS`), then the planted
    controls (``controls=True``)."""
    chosen = list(CLAIMS) if ids is None else list(ids)
    out: list[Certificate] = []
    for cid in chosen:
        out += certify_claim(cid, thorough=thorough)
    if controls:
        out += certify_controls()
    return out
