r"""Certified mean-field counterexample to Theorem 1 (Eq. 3) read with alpha as *stated*.

At infinite width the chain of spectra is the deterministic map ``a_{l+1} = p(a_l)`` (Sawa's
``p``, arXiv v1 Lemma 6), ``V(H_l) = ||a_l - 1/n||_2`` and ``sigma_min(H_l)^2 = min_i a_{l,i}``;
Eq. 3's width term vanishes and the claim at layer ``l`` reads

.. math:: V_{l+1} \le 2 (1 - 2\alpha_l/3)^l, \qquad
          \alpha_l = \min_{k=1..l} \sigma_{\min}(H_k) \;\text{(stated)}\quad\text{or}\quad
          \min_{k=1..l} \sigma_{\min}(H_k)^2 \;\text{(proved)}

(``include_h0=True`` takes the minimum over ``k = 0..l``).  This module propagates ``H_0``'s
spectrum through the map in ball arithmetic (:mod:`theory.certify.sawa_balls`) and certifies,
per ``n``: ``V_{L+1} > bound_L`` at the first failing layer ``L`` and ``V_{l+1} < bound_l`` at every
``l < L`` (so ``L`` is certified to be the *first*), and the proved reading ``V_{l+1} <
bound_l`` for ``l = 1..L`` on the same trajectory.

The ``H_0`` spectra are the float64 search's (``theory/checks/meanfield_table.py``, re-derived
here as :data:`RECORDED`, with ``spike_spectrum`` of ``theory/statements/meanfield.py`` as
:func:`theory.certify.sawa_balls.spike_levels`), taken in exact arithmetic at the recorded
floats.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from flint import arb

from . import _core as C
from .sawa_balls import Levels, deviations, levels_n, levels_step, spectrum_levels, spike_levels

ID_STATED = "meanfield/stated-alpha"
ID_PROVED = "meanfield/proved-alpha"
ID_AGREE = "meanfield/two-level-vs-integral"
METHODS = ("2f1", "integral")

#: The float64 search's table (``TABLE_RAW`` of ``theory/checks/meanfield_table.py``, copied:
#: this package may not import ``theory.checks``): ``n -> (first failing layer, k, f)`` with
#: ``H_0``'s spectrum ``spike_spectrum(n, f/n, k)``; ``n <= 4``: no failure, ``None``.
RECORDED: dict[int, tuple[int, int, float] | None] = {
    2: None,
    3: None,
    4: None,
    5: (351, 1, 0.017062939852747573),
    6: (180, 1, 0.03812306494664861),
    7: (129, 1, 0.04983859515647442),
    8: (105, 1, 0.06515440378802266),
    9: (92, 1, 0.06813026928959016),
    10: (84, 1, 0.08517688589826208),
    11: (79, 1, 0.08517688589826208),
    12: (76, 1, 0.06515440378802266),
    13: (73, 1, 0.08517688589826208),
    14: (72, 1, 0.08517688589826208),
    15: (71, 1, 0.06515440378802266),
    16: (70, 1, 0.08517688589826208),
    17: (70, 1, 0.06515440378802266),
    18: (69, 1, 0.08517688589826208),
    19: (69, 1, 0.08517688589826208),
    20: (69, 1, 0.08517688589826208),
    21: (69, 1, 0.08517688589826208),
    22: (69, 2, 0.11135244081013697),
    23: (69, 2, 0.11135244081013697),
    24: (69, 2, 0.11135244081013697),
    25: (70, 2, 0.08517688589826208),
    26: (70, 2, 0.08517688589826208),
    27: (70, 2, 0.11135244081013697),
    28: (71, 2, 0.08517688589826208),
    29: (71, 2, 0.11135244081013697),
    30: (72, 2, 0.08517688589826208),
    31: (72, 2, 0.08517688589826208),
    32: (73, 2, 0.08517688589826208),
}

#: A three-level ``H_0`` (n = 8, levels 5/32 x1, 59/480 x3, 19/160 x4: ``1/8 + 5 eps``,
#: ``1/8 - eps/3``, ``1/8 - eps`` with ``eps = 1/160``), found by :func:`float_first_failing`
#: (stated reading first fails at layer 113 in float64); certified by the integral method.
THREE_LEVEL_H0: tuple[Fraction, ...] = (
    Fraction(5, 32),
    *(Fraction(59, 480),) * 3,
    *(Fraction(19, 160),) * 4,
)
THREE_LEVEL_FIRST = 113


def recorded_levels(n: int) -> Levels:
    """The recorded spiked ``H_0`` spectrum for ``n`` in 5..32 (:data:`RECORDED`), exact."""
    C.check_int(n, "n", 5, 32)
    row = RECORDED[n]
    assert row is not None
    _, k, f = row
    return spike_levels(n, f, k)


def _levels_arg(n: int | None, a0: Sequence[Any] | None) -> Levels:
    if a0 is None:
        if n is None:
            raise ValueError("give n (recorded spectrum) or a0 (a spectrum)")
        return recorded_levels(n)
    lv = spectrum_levels(a0)
    if n is not None and levels_n(lv) != n:
        raise ValueError(f"a0 must have n = {n} entries; got {levels_n(lv)}")
    if len(lv) < 2:
        raise ValueError("a0 must not be uniform (the uniform spectrum is a fixed point, V = 0)")
    return lv


def _layers(
    levels: Levels, last: int, method: str, include_h0: bool, stop_at_fail: bool = False
) -> list[dict[str, Any]]:
    """Per layer ``l = 1..last``: ``V`` (= V_{l+1}), ``bs`` / ``bp`` (stated / proved bound at l),
    ``amin`` (= min a_l) as balls at the current precision.  ``stop_at_fail``: stop after the
    first layer where ``V > bs`` is certified (or where the comparison is undecided)."""
    mults = [m for _, m in levels]
    n = sum(mults)
    e = deviations(levels)
    inv_n = arb(1) / n

    def amin_of(ev: list[arb]) -> arb:
        lo = ev[0]
        for x in ev[1:]:
            lo = lo.min(x)
        return inv_n + lo

    alpha_s: arb | None = None
    alpha_p: arb | None = None
    if include_h0:
        a0 = amin_of(e)
        alpha_s, alpha_p = a0.sqrt(), a0
    e = levels_step(e, mults, method)  # layer 1
    rows: list[dict[str, Any]] = []
    for l in range(1, last + 1):
        am = amin_of(e)
        if not am > 0:
            raise ArithmeticError(f"min eigenvalue at layer {l} not certified positive: {am}")
        alpha_s = am.sqrt() if alpha_s is None else alpha_s.min(am.sqrt())
        alpha_p = am if alpha_p is None else alpha_p.min(am)
        e = levels_step(e, mults, method)  # layer l + 1
        V2 = arb(0)
        for ej, mj in zip(e, mults, strict=True):
            V2 += mj * ej * ej
        V = V2.sqrt()
        bs = 2 * (1 - 2 * alpha_s / 3) ** l
        bp = 2 * (1 - 2 * alpha_p / 3) ** l
        rows.append({"l": l, "V": V, "bs": bs, "bp": bp, "alpha_s": alpha_s, "alpha_p": alpha_p})
        if stop_at_fail and C.decide(V, bs, "<") != C.CERTIFIED:
            break
    return rows


def _max_rel(rows: list[dict[str, Any]]) -> float:
    return max(
        max(C.rel_radius(r["V"]), C.rel_radius(r["bs"]), C.rel_radius(r["bp"])) for r in rows
    )


def _ratio(r: dict[str, Any], key: str) -> arb:
    return r["V"] / r[key]


def certify_meanfield(
    n: int | None = None,
    *,
    a0: Sequence[Any] | None = None,
    first: int | None = None,
    method: str = "2f1",
    prec: int = 256,
    include_h0: bool = False,
    max_layers: int = 3000,
) -> tuple[C.Certificate, C.Certificate]:
    r"""Certificates ``(stated, proved)`` of Theorem 1 (Eq. 3) at infinite width (``d -> inf``,
    width term 0) on the mean-field trajectory ``a_{l+1} = p(a_l)`` from ``H_0`` (arXiv v1
    Lemma 6), ``V_l = ||a_l - 1/n||_2``.

    ``H_0``: ``a0`` (its spectrum, any positive scale) or, if ``a0`` is None, the recorded
    spiked spectrum for ``n`` (:data:`RECORDED`).  ``first``: the claimed first failing layer
    ``L`` of the stated reading (default: the recorded one when ``a0`` is None, else searched up
    to ``max_layers`` and the certificate then claims the layer it finds).

    * stated (``meanfield/stated-alpha``): the claim ``min{l >= 1 : V_{l+1} > 2(1 -
      2 alpha_l/3)^l} = L`` with ``alpha_l = min_{k=1..l} sqrt(min_i a_{k,i})`` (``k = 0..l`` with
      ``include_h0``).  Certified iff ``V_{L+1} > bound_L`` and ``V_{l+1} < bound_l`` for all
      ``l < L`` are all certified by separated balls; refuted iff one of them is certified the
      other way; otherwise not certified.  Deciding balls: ``V_{L+1}`` and ``bound_L``.
    * proved (``meanfield/proved-alpha``): ``V_{l+1} < 2 (1 - 2 alpha_l/3)^l`` for every
      ``l = 1..L`` with ``alpha_l = min_k min_i a_{k,i}`` (``sigma_min^2``).  Deciding balls: the
      layer of the largest ratio.

    ``method``: ``"2f1"`` (two-level closed form; ``H_0`` must be two-level) or ``"integral"``
    (Sawa's integral, any spectrum).  ``prec``: bits.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}; got {method!r}")
    C.check_prec(prec)
    if n is not None:
        C.check_int(n, "n", 2)
    max_layers = C.check_int(max_layers, "max_layers", 1, 100_000)
    levels = _levels_arg(n, a0)
    n = levels_n(levels)
    if method == "2f1" and len(levels) != 2:
        raise ValueError(f"a0 must be two-level for method '2f1'; it has {len(levels)} levels")
    if first is None and a0 is None and not include_h0:
        row = RECORDED.get(n)
        first = row[0] if row is not None else None
    if first is not None:
        first = C.check_int(first, "first", 1, 100_000)
    timer = C.Timer()
    with C.precision(prec):
        if first is None:
            rows = _layers(levels, max_layers, method, include_h0, stop_at_fail=True)
            last = rows[-1]
            L = last["l"] if C.decide(last["V"], last["bs"], ">") == C.CERTIFIED else None
        else:
            rows = _layers(levels, first, method, include_h0)
            L = first
        t_run = timer()
        earlier = rows[:-1] if L is not None else rows
        earlier_out = [C.decide(r["V"], r["bs"], "<") for r in earlier]
        last = rows[-1]
        at_L = C.decide(last["V"], last["bs"], ">")
        if L is None:
            # search mode without a certified failure: nothing is claimed beyond "not found"
            outcome = C.NOT_CERTIFIED
        elif any(o == C.REFUTED for o in earlier_out) or at_L == C.REFUTED:
            outcome = C.REFUTED
        elif all(o == C.CERTIFIED for o in earlier_out) and at_L == C.CERTIFIED and L is not None:
            outcome = C.CERTIFIED
        else:
            outcome = C.NOT_CERTIFIED
        first_bad_earlier = next(
            (i + 1 for i, o in enumerate(earlier_out) if o != C.CERTIFIED), None
        )
        ratio_L = _ratio(last, "bs")
        worst_earlier = max(earlier, key=lambda r: float(_ratio(r, "bs").mid()), default=None)
        alpha_kind = "k = 0..l" if include_h0 else "k = 1..l"
        common = {
            "n": n,
            "H_0 levels (value, multiplicity)": [(str(v), m) for v, m in levels],
            "method": method,
            "alpha over": alpha_kind,
            "trajectory seconds": t_run,
        }
        stated = C.make(
            ID_STATED,
            f"n = {n}: the stated reading (alpha = min_{{{alpha_kind}}} sigma_min(H_k)) first "
            f"fails at layer L = {L}: V_(L+1) > 2(1 - 2 alpha_L/3)^L, and V_(l+1) < bound_l "
            f"for every l < L",
            outcome,
            ">",
            last["V"],
            last["bs"],
            prec=prec,
            seconds=timer(),
            max_rel=_max_rel(rows),
            details={
                **common,
                "first failing layer L": L,
                "claimed first": first,
                "ratio V_(L+1)/bound_L": C.ball_str(ratio_L),
                "ratio (float)": float(ratio_L.mid()),
                "rel radius of the ratio at L": C.rel_radius(ratio_L),
                "alpha_L (stated)": C.ball_str(last["alpha_s"]),
                "V_(L+1)": C.ball_str(last["V"]),
                "bound_L": C.ball_str(last["bs"]),
                "max ratio over l < L": None
                if worst_earlier is None
                else float(_ratio(worst_earlier, "bs").mid()),
                "at layer": None if worst_earlier is None else worst_earlier["l"],
                "first earlier layer not certified below": first_bad_earlier,
                "layers compared": len(rows),
                "search": None
                if first is not None
                else (
                    f"searched up to {max_layers} layers: "
                    + ("found" if L is not None else "no certified failure found")
                ),
            },
        )
        p_out = [C.decide(r["V"], r["bp"], "<") for r in rows]
        worst = max(rows, key=lambda r: float(_ratio(r, "bp").mid()))
        if any(o == C.REFUTED for o in p_out):
            p_outcome = C.REFUTED
        elif all(o == C.CERTIFIED for o in p_out):
            p_outcome = C.CERTIFIED
        else:
            p_outcome = C.NOT_CERTIFIED
        proved = C.make(
            ID_PROVED,
            f"n = {n}: the proved reading (alpha = min_{{{alpha_kind}}} sigma_min(H_k)^2) holds: "
            f"V_(l+1) < 2(1 - 2 alpha_l/3)^l for l = 1..{len(rows)} on the same trajectory",
            p_outcome,
            "<",
            worst["V"],
            worst["bp"],
            prec=prec,
            seconds=timer(),
            max_rel=_max_rel(rows),
            details={
                **common,
                "layers": len(rows),
                "worst layer": worst["l"],
                "worst ratio": float(_ratio(worst, "bp").mid()),
                "layers not certified": [i + 1 for i, o in enumerate(p_out) if o != C.CERTIFIED],
            },
        )
    return stated, proved


def certify_first_failing_layer(
    n: int | None = None,
    first: int | None = None,
    *,
    a0: Sequence[Any] | None = None,
    method: str = "2f1",
    prec: int = 256,
    include_h0: bool = False,
    max_layers: int = 3000,
) -> C.Certificate:
    """The stated-reading certificate of :func:`certify_meanfield` alone
    (``meanfield/stated-alpha``, Eq. 3 at d = inf): ``min{l : V_{l+1} > 2(1 - 2 alpha_l/3)^l} =
    first`` (None: the recorded layer, or searched when ``a0`` is given)."""
    return certify_meanfield(
        n,
        a0=a0,
        first=first,
        method=method,
        prec=prec,
        include_h0=include_h0,
        max_layers=max_layers,
    )[0]


def certify_agreement(
    n: int | None = None,
    layers: int | None = None,
    *,
    a0: Sequence[Any] | None = None,
    prec: int = 256,
) -> C.Certificate:
    r"""Cross-check of the two evaluations (``meanfield/two-level-vs-integral``): on a two-level
    ``H_0`` (``a0`` or the recorded spectrum for ``n``) the top level's deviation
    ``e_l = a_{l,1} - 1/n`` from the 2F1 closed form and from Sawa's integral, ``l = 1..layers``
    (default: the recorded first failing layer + 1).  Relation ``consistent``: certified iff the
    two balls intersect at every layer (two correct enclosures of one number must), refuted iff
    they are disjoint at some layer.  Deciding balls: the last layer's."""
    C.check_prec(prec)
    levels = _levels_arg(n, a0)
    n = levels_n(levels)
    if len(levels) != 2:
        raise ValueError(f"a0 must be two-level; it has {len(levels)} levels")
    if layers is None:
        row = RECORDED.get(n)
        layers = (row[0] + 1) if row is not None else 50
    layers = C.check_int(layers, "layers", 1, 100_000)
    mults = [m for _, m in levels]
    timer = C.Timer()
    with C.precision(prec):
        e1 = deviations(levels)
        e2 = list(e1)
        worst = (0.0, 0)
        disjoint: list[int] = []
        max_rel = 0.0
        for l in range(1, layers + 1):
            e1 = levels_step(e1, mults, "2f1")
            e2 = levels_step(e2, mults, "integral")
            x, y = e1[0], e2[0]
            max_rel = max(max_rel, C.rel_radius(x), C.rel_radius(y))
            if not x.overlaps(y):
                disjoint.append(l)
            d = float(abs(x.mid() - y.mid()) / abs(x.mid()))
            if d >= worst[0]:
                worst = (d, l)
        outcome = C.REFUTED if disjoint else C.CERTIFIED
        return C.make(
            ID_AGREE,
            f"n = {n}: the 2F1 closed form and Sawa's integral (acb.integral) enclose the same "
            f"top-level deviation at every layer 1..{layers}",
            outcome,
            "consistent",
            x,
            y,
            prec=prec,
            seconds=timer(),
            max_rel=max_rel,
            details={
                "n": n,
                "layers": layers,
                "disjoint at layers": disjoint,
                "max relative midpoint difference": worst[0],
                "at layer": worst[1],
                "rel radius 2f1 (last layer)": C.rel_radius(x),
                "rel radius integral (last layer)": C.rel_radius(y),
            },
        )


def float_first_failing(
    a0: Sequence[Any], max_layers: int = 3000, *, include_h0: bool = False
) -> tuple[int | None, float]:
    r"""Float64 search (not a certificate): the first ``l`` with ``V_{l+1} > 2(1 - 2 alpha_l/3)^l``
    (stated alpha) along the mean-field trajectory from ``a0``, and the ratio there (or the
    largest ratio seen when none fails up to ``max_layers``).  Uses the float64 oracle
    :func:`theory.sawa.meanfield_deviation` with exact power-of-two rescaling, as the suite's
    ``theory.statements.meanfield.scan`` does."""
    import numpy as np

    from .. import sawa

    max_layers = C.check_int(max_layers, "max_layers", 1, 100_000)
    a = np.sort(np.asarray([float(x) for x in a0], dtype=np.float64))[::-1]
    if a.size < 2 or not np.all(np.isfinite(a)) or np.any(a <= 0):
        raise ValueError("a0 must hold n >= 2 positive finite eigenvalues")
    a = a / a.sum()
    n = a.size
    e = a - 1.0 / n
    e = e - e.mean()
    k = 0
    alpha = math.sqrt(1.0 / n + float(e.min())) if include_h0 else math.inf
    e = sawa.meanfield_deviation(e)
    best = 0.0
    for l in range(1, max_layers + 1):
        alpha = min(alpha, math.sqrt(1.0 / n + math.ldexp(float(e.min()), -k)))
        e = sawa.meanfield_deviation(e, log2_scale=k)
        m = float(np.abs(e).max())
        if m == 0.0:
            return None, best
        logv = math.log(m) + 0.5 * math.log(float(np.sum((e / m) ** 2))) - k * math.log(2.0)
        r = math.exp(min(logv - math.log(2.0) - l * math.log(1.0 - 2.0 * alpha / 3.0), 700.0))
        if r > 1.0:
            return l, r
        best = max(best, r)
        if m < 2.0**-400:
            e, k = np.ldexp(e, 400), k + 400
    return None, best


def certify_three_level(prec: int = 256) -> tuple[C.Certificate, C.Certificate]:
    """:func:`certify_meanfield` (Eq. 3 at d = inf, both readings) with Sawa's integral (v1
    Lemma 6) on the non-two-level ``H_0`` :data:`THREE_LEVEL_H0` (n = 8, three distinct
    levels), claimed first failing layer :data:`THREE_LEVEL_FIRST`."""
    return certify_meanfield(
        a0=THREE_LEVEL_H0, first=THREE_LEVEL_FIRST, method="integral", prec=prec
    )


def meanfield_table(
    ns: Sequence[int] = tuple(range(5, 33)), *, method: str = "2f1", prec: int = 256
) -> list[dict[str, Any]]:
    """Per ``n`` (recorded spectra), from :func:`certify_meanfield` (Eq. 3 at d = inf): the
    certified first failing layer ``L``, ``V_{L+1} / (2(1 - 2 alpha_L/3)^L)``, the largest
    ratio before ``L``, the max relative radius, seconds, both outcomes and the proved
    reading's largest ratio; the rows of the report's table (slow for ``method="integral"``)."""
    out = []
    for n in ns:
        s, p = certify_meanfield(n, method=method, prec=prec)
        out.append(
            {
                "n": n,
                "first failing layer": s.details["first failing layer L"],
                "ratio": s.details["ratio (float)"],
                "max ratio before": s.details["max ratio over l < L"],
                "max rel radius": s.max_rel_radius,
                "seconds": s.seconds,
                "stated": s.outcome,
                "proved": p.outcome,
                "proved worst ratio": p.details["worst ratio"],
            }
        )
    return out
