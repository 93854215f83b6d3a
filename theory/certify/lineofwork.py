r"""The paper's line of work, certified (issue 19): the soft-rank identity of NeurIPS 2020, the
normalisation identity of the isometry of NeurIPS 2023, and case 4 of Theorem 1 of AISTATS
2025 (as printed, and corrected), on the same three outcomes as every certificate here.

**Soft rank (NeurIPS 2020).**  ``r(H) = tr(M)^2 / ||M||_F^2`` with ``M = H^T H``, and the gap of
Eq. 2, ``V^2 = sum_ij (m_ij / t - delta_ij / n)^2`` (``t = tr M``).  Expanding,
``t^2 V^2 = ||M||_F^2 - 2 t tr(M)/n + n t^2/n^2 = ||M||_F^2 - t^2/n``, so ``t^2 (V^2 + 1/n) =
||M||_F^2``, i.e. ``r = 1/(V^2 + 1/n)``, for every n x n matrix M with ``t != 0`` (symmetry and
positivity are not used).  :func:`certify_soft_rank_symbolic` expands the cleared polynomial
``P = sum_ij (m_ij - delta_ij t/n)^2 + t^2/n - sum_ij m_ij^2`` in the n^2 entries exactly
(``fmpq_mpoly``) and certifies ``P == 0`` for one n; a planted variant leaves a nonzero
polynomial, refuted by an exact witness.  :func:`certify_soft_rank_at` decides the identity at
one matrix (integers or floats, both exact rationals) in rational arithmetic.

**Isometry (NeurIPS 2023).**  ``I(M) = det(M)^{1/n} / (tr M / n)``; with ``D = diag(M)`` and
``N = D^{-1/2} M D^{-1/2}``, ``det N = det M / prod m_ii`` (each Leibniz term of ``det N`` is
``prod_i m_{i s(i)} / prod_i m_ii``), ``tr N = n``, hence ``I(N) = I(M) mean(m_ii) /
geomean(m_ii)``.  :func:`certify_isometry_identity` encloses ``I(N)`` from N's ball entries
(``arb_mat.det``) and ``I(M) AM/GM`` from M's exact entries: two enclosures of one number must
intersect (relation ``consistent``), a wrong factor (GM/AM) separates them.
:func:`certify_isometry_increase` certifies ``I(M) < I(N)`` strictly (balls separate) for a
non-constant diagonal; the planted "normalisation decreases I" is refuted there.

**Kernel map, case 4 (AISTATS 2025).**  ``kappa(rho) = 3/10 + 3/10 rho + 2/5 rho^2`` (``phi =
sqrt(.3) + sqrt(.3) x + sqrt(.4) he_2``): ``kappa(rho) - rho = (2/5)(rho - 3/4)(rho - 1)``, so
``rho* = 3/4``, ``kappa'(3/4) = 9/10``, ``kappa'(1) = 11/10``, ``kappa(0) = 3/10``; the printed
rate is ``max{7/10, 9/10, (1/4)/(11/10)} = 9/10``, the corrected one (third term ``1/(2 -
kappa'(rho*))``) ``10/11``.  :func:`certify_case4` iterates ``rho_{l+1} = kappa(rho_l)`` in
balls from ``rho_0 = 1 - 10^-e`` (exact rational) and compares ``|rho_l - rho*|`` with the bound
``|rho_0 - rho*| alpha^l / (1 - |rho_0|)`` layer by layer; printed: the certified first failing
layer (the bound certified at every earlier layer, exceeded with separated balls there);
corrected: certified at every layer up to ``max_layers``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from flint import arb, arb_mat, fmpq, fmpq_mat, fmpq_mpoly_ctx

from .. import activations as A
from . import _core as C

ID_SOFT = "rank-collapse-2020/soft-rank-identity"
ID_ISO = "isometry-2023/normalisation"
ID_ISO_INCREASE = "isometry-2023/normalisation-increases"
ID_K4_PRINTED = "kernel-map-2025/case-4-as-printed"
ID_K4_CORRECTED = "kernel-map-2025/case-4-corrected"

SOFT_VARIANTS = ("paper", "one-over-V2", "one-over-n2")
#: the variants' constant c in ``r = 1/(V^2 + c)``: the identity (1/n) and the planted ones
_SOFT_C = {
    "paper": lambda n: Fraction(1, n),
    "one-over-V2": lambda n: Fraction(0),
    "one-over-n2": lambda n: Fraction(1, n * n),
}


def _fq(x: Fraction) -> fmpq:
    return fmpq(x.numerator, x.denominator)


def _exact_matrix(H: Sequence[Sequence[Any]], name: str = "H") -> list[list[Fraction]]:
    rows = [list(r) for r in H]
    if not rows or not rows[0] or any(len(r) != len(rows[0]) for r in rows):
        raise ValueError(f"{name} must be a non-empty rectangular matrix (list of rows)")
    out = []
    for r in rows:
        fr = []
        for x in r:
            if isinstance(x, bool) or not isinstance(x, (int, float, Fraction)):
                raise ValueError(f"{name} entries must be int, float or Fraction; got {x!r}")
            if isinstance(x, float) and not math.isfinite(x):
                raise ValueError(f"{name} entries must be finite; got {x!r}")
            fr.append(Fraction(x))
        out.append(fr)
    return out


def _gram(H: list[list[Fraction]]) -> list[list[Fraction]]:
    n = len(H[0])
    return [[sum(row[i] * row[j] for row in H) for j in range(n)] for i in range(n)]


def exact_gram(H: Sequence[Sequence[Any]]) -> list[list[Fraction]]:
    """``H^T H`` in rationals (int, float or Fraction entries, all exact)."""
    return _gram(_exact_matrix(H))


# ------------------------------------------------------------------ soft rank (NeurIPS 2020)


def soft_rank_polynomial(n: int, variant: str = "paper") -> Any:
    """``P = sum_ij (m_ij - delta_ij t/n)^2 + c t^2 - sum_ij m_ij^2`` in the n^2 entries
    ``m_ij`` (``fmpq_mpoly``), ``c`` the variant's constant (1/n for the identity): ``P == 0``
    iff ``r = 1/(V^2 + c)`` holds for every M."""
    C.check_int(n, "n", 1, 8)
    if variant not in SOFT_VARIANTS:
        raise ValueError(f"variant must be one of {SOFT_VARIANTS}; got {variant!r}")
    ctx = fmpq_mpoly_ctx.get(("m", n * n))
    g = ctx.gens()
    m = [[g[i * n + j] for j in range(n)] for i in range(n)]
    t = sum((m[i][i] for i in range(1, n)), m[0][0])
    inv_n = fmpq(1, n)
    P = t * t * _fq(_SOFT_C[variant](n))
    for i in range(n):
        for j in range(n):
            e = m[i][j] - t * inv_n if i == j else m[i][j]
            P = P + e * e - m[i][j] * m[i][j]
    return P


def _soft_sides(M: list[list[Fraction]], variant: str) -> tuple[Fraction, Fraction, Fraction]:
    """``(r, V^2, variant's value)`` exactly; r from its definition, V^2 from Eq. 2's."""
    n = len(M)
    t = sum(M[i][i] for i in range(n))
    fro = sum(x * x for row in M for x in row)
    r = t * t / fro
    v2 = sum(
        (M[i][j] / t - (Fraction(1, n) if i == j else 0)) ** 2 for i in range(n) for j in range(n)
    )
    return r, v2, 1 / (v2 + _SOFT_C[variant](n)) if v2 + _SOFT_C[variant](n) != 0 else Fraction(0)


def certify_soft_rank_symbolic(n: int, variant: str = "paper") -> C.Certificate:
    """``r = 1/(V^2 + c)`` for every n x n M as a polynomial identity (``c = 1/n``: the identity
    of the module docstring; the planted variants ``c = 0``, ``1/n^2``).  Certified iff the
    expanded polynomial is zero; refuted otherwise, with an exact witness (``M = I_n``, then
    ``diag(1..n)``) at which both sides differ."""
    timer = C.Timer()
    P = soft_rank_polynomial(n, variant)
    zero = P.is_zero()
    witness: dict[str, Any] = {}
    if not zero:
        for M in (
            [[Fraction(int(i == j)) for j in range(n)] for i in range(n)],
            [[Fraction((i + 1) * (i == j)) for j in range(n)] for i in range(n)],
        ):
            r, v2, pred = _soft_sides(M, variant)
            if r != pred:
                witness = {
                    "M": [[str(x) for x in row] for row in M],
                    "r": str(r),
                    "variant": str(pred),
                }
                break
    outcome = C.CERTIFIED if zero else (C.REFUTED if witness else C.NOT_CERTIFIED)
    c = _SOFT_C[variant](n)
    return C.make(
        ID_SOFT,
        f"n = {n}: tr(M)^2/||M||_F^2 = 1/(V^2 + {c}) for every n x n M "
        f"(cleared: sum (m_ij - delta_ij t/n)^2 + {c} t^2 = sum m_ij^2)",
        outcome,
        "==",
        str(P) if len(str(P)) < 200 else f"{str(P)[:200]}...",
        "0",
        prec=0,
        seconds=timer(),
        details={
            "n": n,
            "variant": variant,
            "decided by": "exact polynomial expansion (python-flint fmpq_mpoly) in the n^2 entries",
            "polynomial is zero": zero,
            "witness": witness,
        },
    )


def certify_soft_rank_at(H: Sequence[Sequence[Any]], variant: str = "paper") -> C.Certificate:
    """``r(H) = 1/(V(H)^2 + c)`` at one matrix H (d x n; int, float or Fraction entries, all
    exact rationals), decided in rational arithmetic: r from ``tr(M)^2/||M||_F^2``, V^2 from
    Eq. 2's definition."""
    if variant not in SOFT_VARIANTS:
        raise ValueError(f"variant must be one of {SOFT_VARIANTS}; got {variant!r}")
    timer = C.Timer()
    Hq = _exact_matrix(H)
    M = _gram(Hq)
    n = len(M)
    if sum(M[i][i] for i in range(n)) == 0:
        raise ValueError("H must be nonzero")
    r, v2, pred = _soft_sides(M, variant)
    ok = r == pred
    with C.precision(128):
        lhs, rhs = C.to_arb(r), C.to_arb(pred)
        return C.make(
            ID_SOFT,
            f"at a {len(Hq)} x {n} matrix: r(H) = 1/(V(H)^2 + {_SOFT_C[variant](n)}) exactly",
            C.CERTIFIED if ok else C.REFUTED,
            "==",
            lhs,
            rhs,
            prec=128,
            seconds=timer(),
            details={
                "n": n,
                "d": len(Hq),
                "variant": variant,
                "decided by": "exact rational arithmetic (fractions.Fraction)",
                "r": str(r) if len(str(r)) < 120 else float(r),
                "V^2": str(v2) if len(str(v2)) < 120 else float(v2),
            },
        )


# ------------------------------------------------------------------ isometry (NeurIPS 2023)

ISO_FACTORS = ("am/gm", "gm/am")


def _isometry_ball(det: arb, tr: arb, n: int) -> arb:
    return det.root(n) / (tr / n)


def _check_psd_diag(M: list[list[Fraction]]) -> int:
    n = len(M)
    if any(len(r) != n for r in M):
        raise ValueError("M must be square")
    if any(M[i][j] != M[j][i] for i in range(n) for j in range(n)):
        raise ValueError("M must be symmetric")
    if any(M[i][i] <= 0 for i in range(n)):
        raise ValueError("M must have a positive diagonal")
    return n


def _iso_balls(M: list[list[Fraction]]) -> dict[str, arb]:
    """Balls of I(N) (from N's ball entries) and of I(M), AM/GM(diag M) (from M exactly)."""
    n = _check_psd_diag(M)
    det_m = fmpq_mat([[_fq(x) for x in row] for row in M]).det()
    if det_m <= 0:
        raise ValueError("M must be positive definite (det M > 0)")
    diag = [C.to_arb(M[i][i]) for i in range(n)]
    sq = [d.sqrt() for d in diag]
    N = arb_mat([[C.to_arb(M[i][j]) / (sq[i] * sq[j]) for j in range(n)] for i in range(n)])
    det_n = N.det()
    tr_n = sum((N[i, i] for i in range(1, n)), N[0, 0])
    tr_m = C.to_arb(sum(M[i][i] for i in range(n)))
    am = sum(diag[1:], diag[0]) / n
    gm = (sum((d.log() for d in diag[1:]), diag[0].log()) / n).exp()
    return {
        "I(N)": _isometry_ball(det_n, tr_n, n),
        "I(M)": _isometry_ball(arb(det_m), tr_m, n),
        "AM/GM": am / gm,
        "det N": det_n,
        "det M / prod m_ii": C.to_arb(
            Fraction(int(det_m.p), int(det_m.q)) / math.prod(M[i][i] for i in range(n))
        ),
    }


def certify_isometry_identity(
    M: Sequence[Sequence[Any]], factor: str = "am/gm", *, prec: int = 256
) -> C.Certificate:
    """``I(D^{-1/2} M D^{-1/2}) = I(M) * factor(diag M)`` at one symmetric positive definite M
    (int, float or Fraction entries: exact rationals); ``factor`` ``am/gm`` (the identity) or
    the planted ``gm/am``.  Relation ``consistent``: certified iff the two enclosures
    intersect (all two enclosures of one number can show), refuted iff disjoint.  The n-th
    power ``det N = det M / prod m_ii`` is cross-checked the same way (``details``)."""
    if factor not in ISO_FACTORS:
        raise ValueError(f"factor must be one of {ISO_FACTORS}; got {factor!r}")
    C.check_prec(prec)
    timer = C.Timer()
    Mq = _exact_matrix(M, "M")
    with C.precision(prec):
        b = _iso_balls(Mq)
        f = b["AM/GM"] if factor == "am/gm" else 1 / b["AM/GM"]
        lhs, rhs = b["I(N)"], b["I(M)"] * f
        outcome = C.CERTIFIED if lhs.overlaps(rhs) else C.REFUTED
        return C.make(
            ID_ISO,
            f"n = {len(Mq)}: I(D^-1/2 M D^-1/2) = I(M) x {factor.upper()}(diag M)",
            outcome,
            "consistent",
            lhs,
            rhs,
            prec=prec,
            seconds=timer(),
            details={
                "n": len(Mq),
                "factor": factor,
                "AM/GM(diag M)": C.ball_str(b["AM/GM"]),
                "det N overlaps det M / prod m_ii": b["det N"].overlaps(b["det M / prod m_ii"]),
                "derivation": "det N = det M / prod m_ii term by term (Leibniz), tr N = n",
            },
        )


def certify_isometry_increase(
    M: Sequence[Sequence[Any]], claim: str = "increases", *, prec: int = 256
) -> C.Certificate:
    """``I(M) < I(N)`` (``claim="increases"``: normalisation strictly increases the isometry,
    true iff the diagonal is not constant) or the planted ``claim="decreases"``: ``I(N) <
    I(M)``.  Decided by :func:`theory.certify._core.decide` on the two balls."""
    if claim not in ("increases", "decreases"):
        raise ValueError(f"claim must be 'increases' or 'decreases'; got {claim!r}")
    C.check_prec(prec)
    timer = C.Timer()
    Mq = _exact_matrix(M, "M")
    with C.precision(prec):
        b = _iso_balls(Mq)
        lhs, rhs = (b["I(M)"], b["I(N)"]) if claim == "increases" else (b["I(N)"], b["I(M)"])
        return C.make(
            ID_ISO_INCREASE,
            f"n = {len(Mq)}: normalising the samples {claim} the isometry "
            + ("(I(M) < I(N))" if claim == "increases" else "(I(N) < I(M))"),
            C.decide(lhs, rhs, "<"),
            "<",
            lhs,
            rhs,
            prec=prec,
            seconds=timer(),
            details={"n": len(Mq), "claim": claim, "AM/GM(diag M)": C.ball_str(b["AM/GM"])},
        )


# ------------------------------------------------------------------ kernel map (AISTATS 2025)

#: the example kernel: c_k^2 = (3/10, 3/10, 2/5)
EXAMPLE_C2 = (Fraction(3, 10), Fraction(3, 10), Fraction(2, 5))
EXAMPLE_RHO_STAR = Fraction(3, 4)
#: recorded first failing layers of case 4 as printed at the example, rho_0 = 1 - 10^-e
RECORDED_FIRST = {8: 186, 10: 225, 12: 266}
RATES = ("printed", "corrected")


def _kappa_q(c2: Sequence[Fraction], x: Fraction) -> Fraction:
    return sum((c * x**k for k, c in enumerate(c2)), Fraction(0))


def _kappa_prime_q(c2: Sequence[Fraction], x: Fraction) -> Fraction:
    return sum((k * c * x ** (k - 1) for k, c in enumerate(c2) if k), Fraction(0))


def exact_rate(c2: Sequence[Fraction], rho_star: Fraction, which: str) -> Fraction:
    """Case 4's alpha in rationals (``which``: ``printed`` or ``corrected``)."""
    if which not in RATES:
        raise ValueError(f"which must be one of {RATES}; got {which!r}")
    kp = _kappa_prime_q(c2, rho_star)
    third = (1 - rho_star) / (2 - kp) if which == "printed" else 1 / (2 - kp)
    return max(1 - c2[0], kp, third)


def example_facts() -> dict[str, Any]:
    """The example's exact facts (rationals): fixed point, derivatives, rates, case."""
    c2, rs = EXAMPLE_C2, EXAMPLE_RHO_STAR
    return {
        "sum c_k^2": sum(c2),
        "kappa(rho*) - rho*": _kappa_q(c2, rs) - rs,
        "kappa'(rho*)": _kappa_prime_q(c2, rs),
        "kappa'(1)": _kappa_prime_q(c2, Fraction(1)),
        "kappa(0)": c2[0],
        # kappa(rho) - rho = (2/5)(rho - 3/4)(rho - 1): coefficients of the product
        "kappa - id == (2/5)(rho - 3/4)(rho - 1)": (
            c2[0] == Fraction(2, 5) * Fraction(3, 4)
            and c2[1] - 1 == -Fraction(2, 5) * Fraction(7, 4)
            and c2[2] == Fraction(2, 5)
        ),
        "alpha printed": exact_rate(c2, rs, "printed"),
        "alpha corrected": exact_rate(c2, rs, "corrected"),
    }


def _orbit(
    c2: Sequence[Fraction], rho0: Fraction, rho_star: Fraction, alpha: Fraction, layers: int
) -> list[tuple[arb, arb]]:
    """``[(|rho_l - rho*|, bound_l)]`` for l = 1..layers, balls at the current precision."""
    cb = [C.to_arb(c) for c in c2]
    rs = C.to_arb(rho_star)
    r = C.to_arb(rho0)
    pref = abs(r - rs) / (1 - abs(r))
    a = C.to_arb(alpha)
    out = []
    p = arb(1)
    for _ in range(layers):
        acc = arb(0)
        for c in reversed(cb):
            acc = acc * r + c
        r = acc
        p = p * a
        out.append((abs(r - rs), pref * p))
    return out


def certify_case4(
    e: int,
    which: str = "printed",
    *,
    claimed_first: int | None = None,
    max_layers: int = 1000,
    prec: int = 320,
) -> C.Certificate:
    """Case 4 of Theorem 1 at the example kernel from ``rho_0 = 1 - 10^-e``.

    ``which="printed"``: the counterexample: ``L = min{l : |rho_l - rho*| > bound_l}`` with the
    printed alpha = 9/10 is certified iff the bound is certified (separated balls) at every
    ``l < L`` and exceeded with separated balls at L; ``claimed_first`` (a planted claim, e.g.
    one layer early) asks for a violation at that layer instead: certified iff exceeded there
    with separated balls, refuted iff it holds there with separated balls.

    ``which="corrected"``: alpha = 10/11; certified iff ``|rho_l - rho*| < bound_l`` with
    separated balls at every ``l = 1..max_layers`` (refuted if exceeded at one); with
    ``claimed_first`` the planted claim "exceeded at that layer".  The deciding balls are
    those of the first failing layer (printed), the claimed layer, or the layer of the largest
    ratio (corrected)."""
    if which not in RATES:
        raise ValueError(f"which must be one of {RATES}; got {which!r}")
    C.check_int(e, "e", 1, 60)
    C.check_int(max_layers, "max_layers", 1, 20000)
    C.check_prec(prec)
    timer = C.Timer()
    facts = example_facts()
    if facts["kappa(rho*) - rho*"] != 0 or not facts["kappa'(rho*)"] < 1:
        raise AssertionError("the example's fixed point is wrong")  # pragma: no cover
    alpha = facts[f"alpha {which}"]
    rho0 = 1 - Fraction(1, 10**e)
    layers = max_layers if claimed_first is None else max(max_layers, claimed_first)
    with C.precision(prec):
        orbit = _orbit(EXAMPLE_C2, rho0, EXAMPLE_RHO_STAR, alpha, layers)
        verdicts = [C.decide(x, b, "<") for x, b in orbit]
        ratios = [float((x / b).mid()) for x, b in orbit]
        max_rel = max(max(C.rel_radius(x), C.rel_radius(b)) for x, b in orbit)
        first_refuted = next((i + 1 for i, v in enumerate(verdicts) if v == C.REFUTED), None)
        first_open = next((i + 1 for i, v in enumerate(verdicts) if v == C.NOT_CERTIFIED), None)
        details: dict[str, Any] = {
            "e": e,
            "rho_0": f"1 - 10^-{e}",
            "rate": which,
            "alpha": str(alpha),
            "rho*": str(EXAMPLE_RHO_STAR),
            "layers": layers,
            "first layer where the bound is exceeded (separated balls)": first_refuted,
            "first layer not decided": first_open,
            "max ratio (float)": max(ratios),
            "layer of max ratio": ratios.index(max(ratios)) + 1,
            "kernel": "kappa(rho) = 3/10 + 3/10 rho + 2/5 rho^2",
        }
        if claimed_first is not None:
            L = claimed_first
            x, b = orbit[L - 1]
            outcome = C.decide(x, b, ">")
            claim = (
                f"1 - 10^-{e}: case 4's bound with alpha = {alpha} ({which}) is exceeded at "
                f"layer {L}"
            )
        elif which == "printed":
            L = first_refuted if first_refuted is not None else layers
            x, b = orbit[L - 1]
            ok = first_refuted is not None and all(v == C.CERTIFIED for v in verdicts[: L - 1])
            outcome = (
                C.CERTIFIED
                if ok
                else (
                    C.REFUTED if first_refuted is None and first_open is None else C.NOT_CERTIFIED
                )
            )
            claim = (
                f"1 - 10^-{e}: case 4 as printed (alpha = {alpha}) fails first at layer {L} "
                "(|rho_L - rho*| > bound_L; bound certified at every earlier layer)"
            )
        else:
            L = ratios.index(max(ratios)) + 1
            x, b = orbit[L - 1]
            outcome = (
                C.REFUTED
                if first_refuted is not None
                else (C.CERTIFIED if first_open is None else C.NOT_CERTIFIED)
            )
            claim = (
                f"1 - 10^-{e}: case 4 with the corrected alpha = {alpha} holds at every layer "
                f"1..{layers} (|rho_l - rho*| < bound_l)"
            )
        details["deciding layer"] = L
        details["ratio (float)"] = ratios[L - 1]
        return C.make(
            ID_K4_PRINTED if which == "printed" else ID_K4_CORRECTED,
            claim,
            outcome,
            ">" if (claimed_first is not None or which == "printed") else "<",
            x,
            b,
            prec=prec,
            seconds=timer(),
            max_rel=max_rel,
            details=details,
        )


# ------------------------------------------------------------------ Table 1 and Corollary 2 (AISTATS 2025)

ID_T1 = "kernel-map-2025/table-1"
ID_RELU2 = "kernel-map-2025/relu-case-2-as-printed"
ID_CASE3 = "kernel-map-2025/case-3-relu"
ID_COR2 = "kernel-map-2025/corollary-2-conditions"
ID_COR2_DEPTH = "kernel-map-2025/corollary-2-depth"
ID_COR2_DEPTH_PRINTED = "kernel-map-2025/corollary-2-depth-as-printed"

#: Table 1's cells that differ from the recomputed values (recorded in theory.activations)
TABLE_1_MISMATCHES = A.TABLE_1_MISMATCHES
#: the printed case-2 rate of ReLU (Table 1: alpha = kappa'(1) = 0.95)
RELU_PRINTED_ALPHA = Fraction(19, 20)
#: recorded first failing layer of ReLU's printed case-2 bound, by rho_0
RECORDED_RELU_FIRST = {Fraction(1, 2): 96}
#: starts of the case-3 certificates (ReLU; exp at 1/2)
CASE3_STARTS = (Fraction(1, 2), Fraction(0), Fraction(-1, 2), 1 - Fraction(1, 2**20))
#: Corollary 2's counterexample: sigmoid, eps = 2^-24, rho_0 = -1 + 2^-20
COR2_RHO0 = -1 + Fraction(1, 2**20)
COR2_EPS_BITS = 24


def _ball(x: Fraction) -> arb:
    return arb(fmpq(x.numerator, x.denominator))


def certify_table1_cell(
    name: str,
    column: str,
    *,
    printed: str | None = None,
    claim: str | None = None,
    prec: int = 128,
) -> C.Certificate:
    """One cell of Table 1 against its recomputed ball (:func:`theory.activations.facts`).

    ``claim="match"``: ``|value - p| < h`` (p the printed number, h half a unit of its last
    digit), certified iff the balls separate so; ``claim="differ"``: ``|value - p| > h``.  The
    default claim is the recorded one (:data:`TABLE_1_MISMATCHES`); ``printed`` overrides the
    printed cell (a planted variant).  The ``case`` column is compared exactly."""
    A.check_name(name)
    if column not in A.TABLE_1_COLUMNS:
        raise ValueError(f"column must be one of {A.TABLE_1_COLUMNS}; got {column!r}")
    if claim is None:
        claim = "differ" if (name, column) in TABLE_1_MISMATCHES else "match"
    if claim not in ("match", "differ"):
        raise ValueError(f"claim must be 'match' or 'differ'; got {claim!r}")
    C.check_prec(prec)
    timer = C.Timer()
    cell = (
        printed if printed is not None else A.TABLE_1_PRINTED[name][A.TABLE_1_COLUMNS.index(column)]
    )
    f = A.facts(name, prec=prec)
    details: dict[str, Any] = {"activation": name, "column": column, "printed": cell}
    if column == "case":
        same = int(cell) == f["case"]
        ok = same if claim == "match" else not same
        details["case decided by"] = f["case decided by"]
        return C.make(
            ID_T1,
            f"Table 1, {name}: case {cell} as printed {'matches' if claim == 'match' else 'differs from'} "
            f"Theorem 1's case {f['case']}",
            C.CERTIFIED if ok else C.REFUTED,
            "==",
            arb(f["case"]),
            arb(int(cell)),
            prec=prec,
            seconds=timer(),
            details=details,
        )
    lo, hi = A.printed_interval(cell)
    p, h = (lo + hi) / 2, (hi - lo) / 2
    with C.precision(prec):
        v = f[column]
        dist = abs(v - _ball(p))
        outcome = C.decide(dist, _ball(h), "<" if claim == "match" else ">")
        details.update({"value": C.ball_str(v), "value (float)": float(v.mid()),
                        "printed interval": [str(lo), str(hi)]})  # fmt: skip
        return C.make(
            ID_T1,
            f"Table 1, {name}, {column}: printed {cell} "
            + ("matches" if claim == "match" else "differs from")
            + f" the recomputed value (|value - {cell}| {'<' if claim == 'match' else '>'} {h})",
            outcome,
            "<" if claim == "match" else ">",
            dist,
            _ball(h),
            prec=prec,
            seconds=timer(),
            details=details,
        )


def certify_table1(prec: int = 128) -> list[C.Certificate]:
    """Every cell of Table 1 (7 distinct rows x 9 columns) with its recorded verdict."""
    return [
        certify_table1_cell(n, col, prec=prec)
        for n in A.TABLE_1_PRINTED
        for col in A.TABLE_1_COLUMNS
    ]


def certify_relu_kappa_prime_one(claimed: Fraction = Fraction(1)) -> C.Certificate:
    """``kappa_ReLU'(1) = claimed`` exactly (relation ``==``).  ``kappa'(1) = E[phi'(X)^2] /
    E[phi(X)^2] = P(X > 0) / E[X^2; X > 0] = (1/2)/(1/2) = 1`` (rationals); cross-checked on
    the closed form ``kappa'(rho) = 1 - arccos(rho)/pi`` at rho = 1, an exact Arb ball.
    ``claimed = 19/20`` (Table 1's 0.95) is refuted."""
    timer = C.Timer()
    exact = Fraction(1, 2) / Fraction(1, 2)
    ball = A.kappa_prime_ball("relu", 1)
    ok = exact == claimed
    return C.make(
        ID_RELU2,
        f"kappa_ReLU'(1) = {claimed} (Theorem 1: case 3 iff kappa'(1) = 1, case 2 iff < 1)",
        C.CERTIFIED if ok else C.REFUTED,
        "==",
        _ball(exact),
        _ball(Fraction(claimed)),
        prec=0,
        seconds=timer(),
        details={
            "derivation": "E[phi'^2] = P(X > 0) = 1/2, E[phi^2] = E[X^2; X > 0] = 1/2",
            "closed form 1 - arccos(1)/pi (Arb)": C.ball_str(ball),
            "closed form is exactly 1": ball.is_exact() and ball == 1,
            "printed (Table 1)": "0.95",
        },
    )


def certify_truncation(name: str = "relu", terms: int = 25, printed: str = "0.95") -> C.Certificate:
    """kappa'(1) from the Hermite series cut after ``terms`` terms, ``sum_{k<terms} k c_k^2``,
    prints as ``printed``: ``|sum - p| < h`` (ReLU: exact ``c_k^2 = ((k-3)!!)^2/(pi k!)`` for
    even k >= 2; others: :func:`theory.activations.hermite`).  Explains Table 1's ReLU 0.95
    (and SELU's 1.06): a 25-term cut."""
    A.check_name(name)
    C.check_int(terms, "terms", 2, 400)
    timer = C.Timer()
    lo, hi = A.printed_interval(printed)
    p, h = (lo + hi) / 2, (hi - lo) / 2
    with C.precision(128):
        if name == "relu":
            s = A.relu_truncated_kappa_prime_one(terms)
        else:
            c2 = A.hermite(name, terms - 1)[0]
            s = sum((k * c for k, c in enumerate(c2)), arb(0))
        dist = abs(s - _ball(p))
        exact = A.facts(name)["kappa'(1)"]
        return C.make(
            ID_T1,
            f"{name}'s kappa'(1) from {terms} Hermite terms prints as {printed} "
            f"(the exact value: {float(exact.mid()):.5g})",
            C.decide(dist, _ball(h), "<"),
            "<",
            dist,
            _ball(h),
            prec=128,
            seconds=timer(),
            details={
                "activation": name,
                "terms": terms,
                "truncated sum": C.ball_str(s),
                "float": float(s.mid()),
            },
        )


def _relu_case2_orbit(rho0: Fraction, layers: int) -> list[tuple[arb, arb]]:
    us = A.orbit("relu", rho0, layers)
    a = _ball(RELU_PRINTED_ALPHA)
    return [(us[l], us[0] * a**l) for l in range(1, layers + 1)]


def certify_relu_case2(
    rho0: Fraction = Fraction(1, 2),
    *,
    claimed_first: int | None = None,
    max_layers: int = 400,
    prec: int = 192,
) -> C.Certificate:
    """Table 1's ReLU row read as case 2: ``|rho_l - 1| <= |rho_0 - 1| (19/20)^l``, orbit of
    the ReLU kernel in balls (``u = 1 - rho``, :func:`theory.activations.orbit`).  Certified iff
    the bound is certified at every layer before L and exceeded with separated balls at L (the
    first failing layer); ``claimed_first``: certified iff exceeded there (a planted claim one
    layer early must come out refuted)."""
    C.check_int(max_layers, "max_layers", 1, 20000)
    C.check_prec(prec)
    timer = C.Timer()
    layers = max_layers if claimed_first is None else max(max_layers, claimed_first)
    with C.precision(prec):
        orb = _relu_case2_orbit(Fraction(rho0), layers)
        verdicts = [C.decide(x, b, "<") for x, b in orb]
        first = next((i + 1 for i, v in enumerate(verdicts) if v == C.REFUTED), None)
        if claimed_first is not None:
            L = claimed_first
            outcome = C.decide(*orb[L - 1], ">")
        else:
            L = first if first is not None else layers
            ok = first is not None and all(v == C.CERTIFIED for v in verdicts[: L - 1])
            outcome = C.CERTIFIED if ok else (C.REFUTED if first is None else C.NOT_CERTIFIED)
        x, b = orb[L - 1]
        return C.make(
            ID_RELU2,
            f"rho_0 = {rho0}: ReLU with Table 1's case-2 rate 0.95 fails "
            + (f"at layer {L}" if claimed_first is not None else f"first at layer {L}")
            + " (|rho_L - 1| > |rho_0 - 1| 0.95^L)",
            outcome,
            ">",
            x,
            b,
            prec=prec,
            seconds=timer(),
            max_rel=max(max(C.rel_radius(x), C.rel_radius(b)) for x, b in orb[:L]),
            details={
                "rho_0": str(rho0),
                "alpha (printed)": "19/20",
                "first layer exceeded (separated balls)": first,
                "deciding layer": L,
                "ratio (float)": float((x / b).mid()),
                "ratio one layer earlier (float)": float((orb[L - 2][0] / orb[L - 2][1]).mid())
                if L > 1
                else None,
            },
        )


def case3_alpha(name: str, prec: int = 192) -> arb:
    """Theorem 1's case-3 rate ``1 - kappa(0) - kappa'(0)`` (ReLU ``1/2 - 1/pi``, exp ``1 -
    2/e``) as a ball."""
    f = A.facts(name, prec=prec)
    if f["case"] != 3:
        raise ValueError(f"name must be an activation in case 3 (relu, exp); got {name!r}")
    return f["alpha"]


def certify_case3(
    name: str = "relu",
    rho0: Fraction = Fraction(1, 2),
    *,
    alpha: arb | Fraction | None = None,
    max_layers: int = 2000,
    prec: int = 192,
) -> C.Certificate:
    """Case 3 of Theorem 1, ``|rho_l - 1| <= |rho_0 - 1| / (l alpha |rho_0 - 1| + 1)`` with
    ``alpha = 1 - kappa(0) - kappa'(0)`` (or ``alpha`` given: a planted variant), at every
    layer 1..max_layers: certified iff certified (separated balls) at every layer, refuted iff
    exceeded with separated balls at one; the deciding balls are those of the largest ratio
    (or of the first violation)."""
    C.check_int(max_layers, "max_layers", 1, 20000)
    C.check_prec(prec)
    timer = C.Timer()
    with C.precision(prec):
        a = case3_alpha(name, prec) if alpha is None else C.to_arb(alpha)
        us = A.orbit(name, Fraction(rho0), max_layers, prec=prec)
        x0 = us[0]
        pairs = [(us[l], x0 / (l * a * x0 + 1)) for l in range(1, max_layers + 1)]
        verdicts = [C.decide(x, b, "<") for x, b in pairs]
        ratios = [float((x / b).mid()) for x, b in pairs]
        bad = next((i for i, v in enumerate(verdicts) if v == C.REFUTED), None)
        i = bad if bad is not None else max(range(len(ratios)), key=ratios.__getitem__)
        outcome = (
            C.REFUTED
            if bad is not None
            else (C.CERTIFIED if all(v == C.CERTIFIED for v in verdicts) else C.NOT_CERTIFIED)
        )
        x, b = pairs[i]
        return C.make(
            ID_CASE3,
            f"{name}, rho_0 = {rho0}: case 3's bound with alpha = {float(a.mid()):.6g} holds at "
            f"every layer 1..{max_layers}",
            outcome,
            "<",
            x,
            b,
            prec=prec,
            seconds=timer(),
            max_rel=max(max(C.rel_radius(x), C.rel_radius(b)) for x, b in pairs),
            details={
                "activation": name,
                "rho_0": str(rho0),
                "alpha": C.ball_str(a),
                "planted alpha": alpha is not None,
                "deciding layer": i + 1,
                "max ratio (float)": max(ratios),
                "layer of max ratio": ratios.index(max(ratios)) + 1,
                "first layer exceeded (separated balls)": None if bad is None else bad + 1,
            },
        )


#: Corollary 2's condition kappa'(1) < 1, recorded per activation: "<" (holds), "=" or ">"
COR2_RECORDED = {
    "sigmoid": "<",
    "relu": "=",
    "exp": "=",
    "tanh": ">",
    "gelu": ">",
    "selu": ">",
    "elu": ">",
}


def certify_corollary2_condition(
    name: str, relation: str | None = None, prec: int = 128
) -> C.Certificate:
    """``kappa'(1) <relation> 1`` for one activation (``relation`` in ``<``, ``=``, ``>``;
    default the recorded one, :data:`COR2_RECORDED`).  ReLU and exp: ``kappa'(1) = 1`` exactly
    (:func:`theory.activations.case_of`), so ``<`` and ``>`` are refuted there; otherwise
    decided by separated balls."""
    A.check_name(name)
    relation = COR2_RECORDED[name] if relation is None else relation
    if relation not in ("<", "=", ">"):
        raise ValueError(f"relation must be '<', '=' or '>'; got {relation!r}")
    C.check_prec(prec)
    timer = C.Timer()
    f = A.facts(name, prec=prec)
    k1 = f["kappa'(1)"]
    claim = f"{name}: kappa'(1) {relation} 1 (Corollary 2's condition is kappa'(1) < 1)"
    if f["case"] == 3:
        outcome = C.CERTIFIED if relation == "=" else C.REFUTED
        return C.make(ID_COR2, claim, outcome, "==", arb(1), arb(1), prec=0, seconds=timer(),
                      details={"activation": name, "exact": f["case decided by"]})  # fmt: skip
    if relation == "=":
        outcome = C.REFUTED if not k1.overlaps(arb(1)) else C.NOT_CERTIFIED
        rel = "<"
    else:
        rel = relation
        outcome = C.decide(k1, arb(1), rel)
    return C.make(ID_COR2, claim, outcome, rel, k1, arb(1), prec=prec, seconds=timer(),
                  details={"activation": name, "kappa'(1)": C.ball_str(k1)})  # fmt: skip


def certify_corollary2_depth(
    which: str = "printed",
    *,
    eps_bits: int = COR2_EPS_BITS,
    rho0: Fraction = COR2_RHO0,
    layer: int | None = None,
    prec: int = 192,
) -> C.Certificate:
    """Corollary 2 at sigmoid: after ``l >= L`` layers, ``1 - rho_l <= eps = 2^-eps_bits``.

    ``which="printed"``: ``L = ln(1/eps)/ln(1/kappa'(1))``; the counterexample: certified iff
    ``1 - rho_l > eps`` with separated balls at ``l = ceil(L)``.  ``which="corrected"``: ``L =
    ln(|rho_0 - 1|/eps)/ln(1/kappa'(1))`` (the case-2 bound's own depth); certified iff ``1 -
    rho_l < eps`` at ``l = ceil(L)`` (then at every later layer: ``1 - rho`` decreases in case
    2).  ``layer`` replaces ceil(L) (a planted claim: the corrected depth one layer early)."""
    if which not in ("printed", "corrected"):
        raise ValueError(f"which must be 'printed' or 'corrected'; got {which!r}")
    C.check_prec(prec)
    timer = C.Timer()
    f = A.facts("sigmoid", prec=prec)
    with C.precision(prec):
        u0 = 1 - _ball(Fraction(rho0))
        L = A.corollary2_depth(f["kappa'(1)"], eps_bits, 1 if which == "printed" else u0)
        lo, hi = math.floor(float(L.lower())), math.floor(float(L.upper()))
        if lo != hi:
            raise ValueError(f"ceil(L) not decided: L = {L}")  # pragma: no cover
        l = lo + 1 if layer is None else C.check_int(layer, "layer", 1, 100000)
        u = A.orbit("sigmoid", Fraction(rho0), l, prec=prec)[l]
        eps = arb(2) ** -eps_bits
        relation = ">" if (which == "printed" and layer is None) else "<"
        return C.make(
            ID_COR2_DEPTH_PRINTED if relation == ">" else ID_COR2_DEPTH,
            f"sigmoid, rho_0 = {rho0}, eps = 2^-{eps_bits}: "
            + (
                f"Corollary 2 as printed fails: l = {l} >= L = {float(L.mid()):.4g} but "
                "1 - rho_l > eps"
                if relation == ">"
                else f"1 - rho_l < eps at l = {l} ({which} L = {float(L.mid()):.4g})"
            ),
            C.decide(u, eps, relation),
            relation,
            u,
            eps,
            prec=prec,
            seconds=timer(),
            details={
                "which": which,
                "L": C.ball_str(L),
                "layer": l,
                "1 - rho_l (float)": float(u.mid()),
                "eps": f"2^-{eps_bits}",
                "kappa'(1)": C.ball_str(f["kappa'(1)"]),
            },
        )


# ------------------------------------------------------------------ ICLR 2024: Haar weights, n = d

ID_HAAR_STEP = "bn-depth-2024/gap-monotone-step"


def cayley_orthogonal(S: Sequence[Sequence[Any]]) -> list[list[Fraction]]:
    r"""``W = (I - A)(I + A)^{-1}`` with ``A = (S - S^T)/2`` (skew-symmetric, exact rationals):
    exactly orthogonal (``W^T W = I``: ``(I + A)^{-T} (I - A)^T (I - A) (I + A)^{-1} = (I -
    A)^{-1} (I + A)(I - A)(I + A)^{-1} = I``, the factors commute; ``I + A`` is invertible since
    A's eigenvalues are imaginary).  ``ValueError`` for a non-square S."""
    Sq = _exact_matrix(S, "S")
    d = len(Sq)
    if any(len(r) != d for r in Sq):
        raise ValueError("S must be square")
    A = fmpq_mat([[_fq((Sq[i][j] - Sq[j][i]) / 2) for j in range(d)] for i in range(d)])
    eye = fmpq_mat([[int(i == j) for j in range(d)] for i in range(d)])
    W = (eye - A) * (eye + A).inv()
    return [[Fraction(int(W[i, j].p), int(W[i, j].q)) for j in range(d)] for i in range(d)]


def certify_haar_step(
    H: Sequence[Sequence[Any]], S: Sequence[Sequence[Any]], *, prec: int = 256
) -> C.Certificate:
    r"""One step of the ICLR 2024 chain at an exact square H (``d x d``, float or rational
    entries): with ``W`` exactly orthogonal (:func:`cayley_orthogonal` of S) and ``M = W H``,
    certify ``I(H H^T) < I(N)``, ``N = D^{-1/2} M M^T D^{-1/2}`` (``D = diag(M M^T)``: the
    feature Gram of ``BN(M)`` up to the factor n), i.e. ``phi(BN(W H)) < phi(H)`` strictly.

    Exact steps (rationals): ``W^T W = I``, ``det(M M^T) = det(H H^T)`` and ``tr(M M^T) =
    tr(H H^T)`` (so ``I(M M^T) = I(H H^T)``); then the NeurIPS 2023 identity ``I(N) = I(M M^T)
    AM/GM(diag M M^T)`` in balls.  Strict iff ``diag(M M^T)`` is not constant (generic); a
    constant diagonal (exact rationals) is the equality case, certified by relation ``==``.  ``ValueError`` for a
    non-square or singular H or a mismatched S."""
    C.check_prec(prec)
    timer = C.Timer()
    Hq = _exact_matrix(H, "H")
    d = len(Hq)
    if len(Hq[0]) != d:
        raise ValueError(f"H must be square (n = d); got {d} x {len(Hq[0])}")
    W = cayley_orthogonal(S)
    if len(W) != d:
        raise ValueError(f"S must be {d} x {d}; got {len(W)} x {len(W)}")
    Wm = fmpq_mat([[_fq(x) for x in r] for r in W])
    Hm = fmpq_mat([[_fq(x) for x in r] for r in Hq])
    eye = fmpq_mat([[int(i == j) for j in range(d)] for i in range(d)])
    if Wm.transpose() * Wm != eye:
        raise ValueError("W is not exactly orthogonal (internal error)")
    G = Hm * Hm.transpose()
    M = Wm * Hm
    Gm = M * M.transpose()
    det_g, det_m = G.det(), Gm.det()
    tr_g = sum((G[i, i] for i in range(d)), fmpq(0))
    tr_m = sum((Gm[i, i] for i in range(d)), fmpq(0))
    if det_g <= 0:
        raise ValueError("H must be nonsingular (det H H^T > 0)")
    exact_same = det_g == det_m and tr_g == tr_m
    Mq = [[Fraction(int(Gm[i, j].p), int(Gm[i, j].q)) for j in range(d)] for i in range(d)]
    if exact_same and len({Mq[i][i] for i in range(d)}) == 1:
        # constant diagonal: N = M M^T / m_11, so I(N) = I(M M^T) = I(H H^T) exactly
        return C.make(
            ID_HAAR_STEP,
            f"d = n = {d}: one step H -> BN(W H) with W exactly orthogonal keeps the isometry "
            "gap (constant diagonal of M M^T: equality)",
            C.CERTIFIED,
            "==",
            f"I(H H^T) = {float(det_g) ** (1 / d) / float(tr_g / d):.17g}",
            "I(N) (N = M M^T / m_11: the same matrix up to scale)",
            prec=prec,
            seconds=timer(),
            details={"n": d, "decided by": "exact rational arithmetic (constant diagonal)"},
        )
    with C.precision(prec):
        b = _iso_balls(Mq)
        i_h = _isometry_ball(arb(det_g), arb(tr_g), d)
        outcome = C.decide(i_h, b["I(N)"], "<") if exact_same else C.REFUTED
        return C.make(
            ID_HAAR_STEP,
            f"d = n = {d}: one step H -> BN(W H) with W exactly orthogonal strictly decreases "
            "the isometry gap (I(H H^T) < I(N))",
            outcome,
            "<",
            i_h,
            b["I(N)"],
            prec=prec,
            seconds=timer(),
            details={
                "n": d,
                "det and trace of the Gram kept exactly (W^T W = I)": exact_same,
                "AM/GM(diag M M^T)": C.ball_str(b["AM/GM"]),
                "phi(H)": C.ball_str(-i_h.log()),
                "phi(BN(W H))": C.ball_str(-b["I(N)"].log()),
                "W": "Cayley transform of the skew part of S (exact rationals)",
            },
        )


__all__ = [
    "ID_HAAR_STEP",
    "cayley_orthogonal",
    "certify_haar_step",
    "COR2_RECORDED",
    "ID_CASE3",
    "ID_COR2",
    "ID_COR2_DEPTH",
    "ID_COR2_DEPTH_PRINTED",
    "ID_RELU2",
    "ID_T1",
    "RECORDED_RELU_FIRST",
    "RELU_PRINTED_ALPHA",
    "TABLE_1_MISMATCHES",
    "case3_alpha",
    "certify_case3",
    "certify_corollary2_condition",
    "certify_corollary2_depth",
    "certify_relu_case2",
    "certify_relu_kappa_prime_one",
    "certify_truncation",
    "certify_table1",
    "certify_table1_cell",
    "EXAMPLE_C2",
    "EXAMPLE_RHO_STAR",
    "ID_ISO",
    "ID_ISO_INCREASE",
    "ID_K4_CORRECTED",
    "ID_K4_PRINTED",
    "ID_SOFT",
    "RECORDED_FIRST",
    "certify_case4",
    "certify_isometry_identity",
    "certify_isometry_increase",
    "certify_soft_rank_at",
    "certify_soft_rank_symbolic",
    "example_facts",
    "exact_gram",
    "exact_rate",
    "soft_rank_polynomial",
]
