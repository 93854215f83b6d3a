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


__all__ = [
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
