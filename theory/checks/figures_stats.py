r"""Finite-sample tools of the figure checks: order-statistic (median) intervals, the residual
band of a straight line on a log plot, and the chord exponent between two widths.

Why medians.  The figures' per-run statistics (a run's V averaged over a late window, a layer's
log V) have a tiny spread but the a priori range of V, ``[0, sqrt(1 - 1/n)]``, is 20x the
plateau at d = 512; the range term of Hoeffding / empirical Bernstein then needs 10^4-10^5 runs.
Order statistics give an exact, distribution-free interval for the *median* whatever the range
(:func:`theory.stats.sign_test_lower`, the one sign test), so these checks state their claims
for medians over runs (``log`` commutes with the median: the median of log V is log of the
median of V).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..stats import Interval, sign_test_lower


def median_bounds(x: Any, *, delta: float) -> Interval:
    r"""Both one-sided order-statistic bounds on the median ``m`` of i.i.d. ``x``:
    ``P(m < lower) <= delta`` and ``P(m > upper) <= delta`` (sign test; exact for continuous
    laws, conservative with ties).  Needs ``2^-len(x) <= delta``; ``ValueError`` otherwise."""
    x = np.asarray(x, dtype=np.float64).ravel()
    if x.size < 2 or not np.all(np.isfinite(x)):
        raise ValueError(f"x must hold at least 2 finite samples; got {x.size}")
    if not (0 < delta < 1):
        raise ValueError(f"delta must be in (0, 1); got {delta}")
    lo = sign_test_lower(x, delta)
    hi = -sign_test_lower(-x, delta)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError(
            f"x must hold enough samples for a level-{delta:.2g} sign test: 2^-{x.size} > delta"
        )
    return Interval(float(np.median(x)), lo, hi, delta, "order statistics (sign test)", x.size)


def residual_band(logv: np.ndarray, layers: np.ndarray, slope: float, icpt: float, delta: float):
    r"""Interval on ``max_l |median(log V_l) - (icpt + slope l)|`` over ``layers`` for a line fixed
    beforehand (fitted on other runs): per-layer median bounds at ``delta / (2K)`` per side
    (Bonferroni over the K layers and the two sides), so each end of the returned interval holds
    at level ``delta``.  ``logv`` is ``(runs, depth + 1)``."""
    K = len(layers)
    if K < 1 or logv.ndim != 2:
        raise ValueError(f"need logv of shape (runs, depth + 1) and >= 1 layer; got K={K}")
    per = delta / (2 * K)
    est, lo, hi = 0.0, 0.0, 0.0
    per_layer = []
    for l in layers:
        iv = median_bounds(logv[:, l], delta=per)
        line = icpt + slope * l
        est = max(est, abs(iv.estimate - line))
        hi = max(hi, abs(iv.upper - line), abs(iv.lower - line))
        lo = max(lo, max(0.0, iv.lower - line, line - iv.upper))
        per_layer.append((int(l), iv.estimate, iv.lower, iv.upper, line))
    n = logv.shape[0]
    return Interval(
        est, lo, hi, delta, f"order statistics, Bonferroni over {K} layers", n
    ), per_layer


def chord_exponent(
    y1: np.ndarray, y2: np.ndarray, d1: float, d2: float, *, delta: float
) -> tuple[Interval, Interval, Interval]:
    r"""Exponent of the medians between two widths: ``beta = log(m2 / m1) / log(d2 / d1)``.

    With median bounds at ``delta / 2`` per side at each width (independent runs),
    ``[log(lo2 / hi1), log(hi2 / lo1)] / log(d2 / d1)`` holds each end at level ``delta``.
    Returns (beta interval, interval at d1, interval at d2).  ``y1``, ``y2`` must be positive."""
    if not (d2 > d1 > 0):
        raise ValueError(f"need d2 > d1 > 0; got d1={d1}, d2={d2}")
    a = median_bounds(y1, delta=delta / 2)
    b = median_bounds(y2, delta=delta / 2)
    if min(a.lower, b.lower) <= 0:
        raise ValueError("y1 and y2 must be positive (their median bounds are)")
    L = math.log(d2 / d1)
    est = math.log(b.estimate / a.estimate) / L
    lo = math.log(b.lower / a.upper) / L
    hi = math.log(b.upper / a.lower) / L
    return (
        Interval(est, lo, hi, delta, f"order statistics at d={d1:g} and d={d2:g}", min(a.n, b.n)),
        a,
        b,
    )


def transient_window(
    med_logv: np.ndarray, plateau: float, *, start_frac: float = 0.9, end_mult: float = 2.0
) -> list[int]:
    r"""Layers of the transient read off a median curve: from the first layer ``l >= 1`` where
    ``median V_l < start_frac * V_0`` to the last consecutive one with
    ``median V_l > end_mult * plateau``."""
    if not (plateau > 0 and 0 < start_frac <= 1 and end_mult > 0):
        raise ValueError(
            f"need plateau > 0, start_frac in (0, 1], end_mult > 0; got {plateau}, "
            f"{start_frac}, {end_mult}"
        )
    v0 = med_logv[0]
    out: list[int] = []
    started = False
    for l in range(1, med_logv.size):
        if not started and med_logv[l] < v0 + math.log(start_frac):
            started = True
        if started:
            if med_logv[l] > math.log(end_mult * plateau):
                out.append(l)
            else:
                break
    return out


def line_fit(layers: list[int], y: np.ndarray) -> tuple[float, float]:
    """Least-squares line ``y ~ icpt + slope * l`` over ``layers``: ``(slope, icpt)``."""
    s, c = np.polyfit(np.asarray(layers, dtype=float), y[layers], 1)
    return float(s), float(c)
