r"""Checks of Theorem 1 cases 1-3 of AISTATS 2025 (:mod:`theory.statements.line_of_work_cases`)
on polynomial kernel maps: the orbit in ball arithmetic (:mod:`theory.certify.kernel_cases`),
the ratio of each layer's distance to the record's bound, judged against 1 at the worst layer;
planted variants and the edge on the same orbit; certificates on request (``case["certify"]``).
Pure functions ``(ctx, case) -> rows``."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from flint import arb

from ..certify import kernel_cases as KC
from ..engine import CheckResult, RunContext, judge_exact, numpy_only
from ..statements import line_of_work_cases as S
from .certificates import certificate_row

Rows = list[CheckResult]
U = 2.0**-53
#: working precision of the check's balls (bits); certificates use 192
PREC = 128
#: layers scanned per case (the certificates: :data:`CERT_LAYERS`)
LAYERS = {1: 200, 2: 200, 3: 300}
CERT_LAYERS = 500
#: the variant of each control: (bound form, rate) -- rate "alpha" (the printed one), "c1"
#: (kappa'(0)) or "1-c0" (1 - kappa(0)); "edge" also scales the bound (:data:`EDGE_FACTOR`
#: times the case's largest measured ratio)
CONTROLS: dict[int, dict[str, tuple[str, str]]] = {
    1: {
        "edge": ("potential", "alpha"),
        "no-potential": ("no-potential", "alpha"),
        "local-rate": ("potential", "c1"),
    },
    2: {
        "edge": ("geometric", "alpha"),
        "rate-one-minus-kappa0": ("geometric", "1-c0"),
        "no-start-factor": ("no-start-factor", "alpha"),
    },
    3: {
        "edge": ("harmonic", "alpha"),
        "l-squared": ("l-squared", "alpha"),
        "alpha-without-kappa-prime-0": ("harmonic", "1-c0"),
    },
}
EDGE_FACTOR = 0.8


def _float(x: arb) -> float:
    """The ball's midpoint as a float (``inf`` beyond float range)."""
    try:
        v = float(x.mid())
    except OverflowError:
        return math.inf
    return v if math.isfinite(v) else math.inf


def ratio_tols(pairs: list[tuple[arb, arb]]) -> tuple[list[float], list[float]]:
    """``(ratios, tols)`` per layer: ``ratio_l`` = midpoint of the ball ``distance_l /
    bound_l``, ``tol_l = 2 rad + 4u max(1, ratio)`` (its radius, doubled, and the float
    conversion); ``0/0`` (``rho_0 = 0`` in case 1: both sides exactly 0) is ratio 0, tol 0; a
    bound exactly 0 under a distance surely > 0 (a planted rate 0) is ratio ``inf``, tol 0;
    ``inf`` tolerance where the bound's ball contains 0 otherwise (not judged)."""
    ratios, tols = [], []
    for x, b in pairs:
        if b == 0 and x == 0:
            ratios.append(0.0)
            tols.append(0.0)
            continue
        if b == 0 and x.lower() > 0:  # a bound exactly 0 below a distance surely > 0
            ratios.append(math.inf)
            tols.append(0.0)
            continue
        if b.lower() <= 0:
            ratios.append(math.inf)
            tols.append(math.inf)
            continue
        r = x / b
        m = _float(r)
        rad = math.nextafter(float(r.rad()), math.inf) if math.isfinite(m) else math.inf
        ratios.append(m)
        tols.append(2 * rad + 4 * U * max(1.0, abs(m)))
    return ratios, tols


def _worst(ratios: list[float], tols: list[float]) -> int:
    """Index of the largest ``ratio - 1 - tol`` among judged layers (finite tol)."""
    idx = [i for i, t in enumerate(tols) if math.isfinite(t)]
    if not idx:
        raise ValueError("no layer can be judged (every bound's ball contains 0)")
    return max(idx, key=lambda i: ratios[i] - 1 - tols[i])


def critical_rate(
    k: int, pairs: list[tuple[arb, arb]], rho0: float, alpha: Fraction
) -> float | None:
    """The rate at which the case-k bound first fails on this orbit: cases 1, 2 (the bound
    increases with alpha) ``max_l (d_l/d_0)^{1/l}``, ``d`` = psi or u; case 3 (it decreases)
    ``min_l (x_0/u_l - 1)/(l x_0)``; None when ``d_0 = 0``."""
    with KC.C.precision(PREC):
        r0 = arb(rho0)
        d0 = KC.potential(r0) if k == 1 else 1 - r0
        if d0 == 0:
            return None
        vals = []
        for l, (x, _) in enumerate(pairs, start=1):
            if k == 3:
                vals.append(_float((d0 / x - 1) / (l * d0)) if x > 0 else math.inf)
            else:
                vals.append(_float((x / d0).log() / l) if x > 0 else -math.inf)
        if k == 3:
            return min(vals)
        return math.exp(max(vals))


def _rate_of(which: str, c2: list[Fraction], alpha: Fraction) -> Any:
    if which == "alpha":
        return alpha
    if which == "c1":
        return c2[1]
    if which == "1-c0":
        return 1 - c2[0]
    raise ValueError(f"unknown rate {which!r}")


def _case_check(ctx: RunContext, case: dict[str, Any], k: int) -> Rows:
    st = S.RECORDS[k]
    w = list(case["w"])
    c2 = KC.check_kernel(w, k)
    rho0 = float(case["rho0"])
    layers = int(case.get("layers") or LAYERS[k])
    alpha = KC.rate(c2, k)
    form = KC.PRINTED_FORM[k]
    pairs = KC.ratio_balls(c2, rho0, alpha, layers, form, PREC, bound=st.bound)
    ratios, tols = ratio_tols(pairs)
    i = _worst(ratios, tols)
    top = max(range(layers), key=ratios.__getitem__)
    a_crit = critical_rate(k, pairs, rho0, alpha)
    b_float = st.bound_at(rho0, float(alpha), i + 1)  # the record's bound, judged layer
    params = {"case": k, "w": w, "rho0": rho0, "alpha": float(alpha), "layers": layers,
              "layer": i + 1}  # fmt: skip
    extra: dict[str, Any] = {
        "case": {"w": w, "rho0": rho0},
        "kappa(0)": float(c2[0]),
        "kappa'(0)": float(c2[1]),
        "kappa'(1)": float(KC.kappa_prime_one(c2)),
        "alpha (exact)": str(alpha),
        "largest ratio": ratios[top],
        "at layer": top + 1,
        "bound at the judged layer (float)": b_float,
        "critical alpha": a_crit,
        "critical alpha / alpha": None if a_crit is None else a_crit / float(alpha),
        "smallest relative rate error caught": None
        if a_crit is None
        else abs(a_crit / float(alpha) - 1.0),
    }
    check = f"case {k}: max_l distance_l / bound_l <= 1 (Theorem 1 as printed, {layers} layers)"
    rows = judge_exact(ctx, st.id, check, ratios[i], 1.0, tols[i], params=params, extra=extra)
    rows[0].tightness = ratios[top]
    rows[0].method = f"ball arithmetic orbit (Arb, {PREC} bits), ratio to the record's bound"
    # the edge's scale: 0.8 x the largest ratio, a float (exact in the balls)
    scale = EDGE_FACTOR * ratios[top]
    for c in case.get("controls", ()):
        if c not in CONTROLS[k]:
            raise ValueError(f"controls must be among {sorted(CONTROLS[k])}; got {c!r}")
        cform, which = CONTROLS[k][c]
        a_c = _rate_of(which, c2, alpha)
        if c == "edge":
            if not scale > 0:  # rho_0 = 0 in case 1: distance and bound are 0, nothing to scale
                continue
            fn, sc = st.control(c).bound, arb(scale)  # a float: exact as a ball
            cp = KC.ratio_balls(
                c2, rho0, a_c, layers, cform, PREC,
                bound=lambda r, a, l, fn=fn, sc=sc: fn(r, a, l, sc),
            )  # fmt: skip
            args: tuple = (scale,)
        else:
            cp = KC.ratio_balls(c2, rho0, a_c, layers, cform, PREC, bound=st.control(c).bound)
            args = ()
        rc, tc = ratio_tols(cp)
        j = _worst(rc, tc)
        cb = st.control_bound(c, rho0, float(a_c), j + 1, *args)
        rows += judge_exact(
            ctx, st.id, f"variant '{c}' ({cform}, alpha = {float(a_c):.9g}): " + check, rc[j],
            1.0, tc[j], control=c, params={**params, "layer": j + 1, "alpha": float(a_c)},
            extra={**extra, "variant bound at the judged layer (float)": cb,
                   **({"edge scale (0.8 x largest ratio)": scale} if c == "edge" else {})},
        )  # fmt: skip
        rows[-1].method = rows[0].method
    if case.get("certify"):
        rows.append(certificate_row(ctx, KC.certify_case(w, rho0, k, layers=CERT_LAYERS)))
        for c in case.get("controls", ()):
            cform, which = CONTROLS[k][c]
            if c == "edge" and not scale > 0:
                continue
            cert = KC.certify_case(
                w, rho0, k, form=cform, alpha=_rate_of(which, c2, alpha), layers=CERT_LAYERS,
                scale=scale if c == "edge" else 1, control=c,
            )  # fmt: skip
            rows.append(certificate_row(ctx, cert))
    return rows


@numpy_only
def case1_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""Case 1 (``kappa(0) = 0``): ``max_l psi(rho_l) / (psi(rho_0) alpha^l) <= 1``, ``psi(rho)
    = |rho|/(1 - |rho|)``, ``alpha = 1/(2 - kappa'(0))``, on the ball orbit of the kernel of
    ``case["w"]`` from ``case["rho0"]`` (``case["layers"]``, 200 by default), judged at the
    worst layer with slack twice the ratio ball's radius; tightness the largest ratio.
    ``controls``: ``edge``, ``no-potential``, ``local-rate``; ``certify``: the certificates
    (statement and controls, 192 bits, 500 layers).

    Record ``kernel-map-2025/case-1-polynomial``; source: AISTATS 2025 (Joudaki, Hofmann),
    Theorem 1 (thm:global_attract) case 1; Theorem S.1 (thm:global_attract_centered)
    (paper/main.tex of github.com/ajoudaki/kernel-global, commit 66fc025).

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "kernel-map-2025/case-1-polynomial",
        ...     {'w': [0, 1, 1], 'rho0': 0.5, 'controls': ['edge', 'no-potential']},
        ... )
    """
    return _case_check(ctx, case, 1)


@numpy_only
def case2_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""Case 2 (``kappa(0) > 0``, ``kappa'(1) < 1``): ``max_l |rho_l - 1| / (|rho_0 - 1|
    kappa'(1)^l) <= 1`` on the ball orbit (``u = 1 - rho``), as :func:`case1_check`.
    ``controls``: ``edge``, ``rate-one-minus-kappa0``, ``no-start-factor``.

    Record ``kernel-map-2025/case-2-polynomial``; source: AISTATS 2025 (Joudaki, Hofmann),
    Theorem 1 (thm:global_attract) case 2 and its proof ('Cases 2, 3') (paper/main.tex of
    github.com/ajoudaki/kernel-global, commit 66fc025).

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "kernel-map-2025/case-2-polynomial",
        ...     {'w': [3, 1, 1], 'rho0': 0.5, 'controls': ['edge', 'rate-one-minus-kappa0']},
        ... )
    """
    return _case_check(ctx, case, 2)


@numpy_only
def case3_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""Case 3 (``kappa(0) > 0``, ``kappa'(1) = 1``): ``max_l |rho_l - 1| (l alpha |rho_0 - 1|
    + 1) / |rho_0 - 1| <= 1``, ``alpha = 1 - kappa(0) - kappa'(0)``, on the ball orbit (300
    layers by default), as :func:`case1_check`.  ``controls``: ``edge``, ``l-squared``,
    ``alpha-without-kappa-prime-0``.

    Record ``kernel-map-2025/case-3-polynomial``; source: AISTATS 2025 (Joudaki, Hofmann),
    Theorem 1 (thm:global_attract) case 3 and its proof ('Cases 2, 3') (paper/main.tex of
    github.com/ajoudaki/kernel-global, commit 66fc025).

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "kernel-map-2025/case-3-polynomial",
        ...     {'w': [1, 1, 1], 'rho0': 0.5, 'controls': ['edge', 'l-squared']},
        ... )
    """
    return _case_check(ctx, case, 3)


__all__ = [
    "CERT_LAYERS",
    "CONTROLS",
    "LAYERS",
    "PREC",
    "case1_check",
    "case2_check",
    "case3_check",
    "critical_rate",
    "ratio_tols",
]
