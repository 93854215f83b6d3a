"""Assumption A1 and the two readings of alpha (THEORY_NOTES §2).

A1(alpha, l): ``sigma_min(H_k) >= alpha`` for k = 1..l.  The v1 proof uses the contraction
factor ``1 - (2/3) sigma_min^2`` and then writes alpha for ``sigma_min^2``, so there are two
readings, and the suite encodes both and reports both:

* ``"stated"``: alpha bounds ``sigma_min``   (``alpha <= 1/sqrt(n)`` by unit norm);
* ``"proved"``: alpha bounds ``sigma_min^2`` (``alpha <= 1/n``).

A1 is a property of the realised path, so a statement "under A1" is made testable in one of
two ways, both offered here: condition on the event that A1 holds (and report its probability),
or take alpha as a certified lower bound over all sampled paths.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._validate import check_choice, check_int

READINGS = ("stated", "proved")


def a1_statistic(sigma_min: Any, reading: str) -> np.ndarray:
    """The per-layer quantity that alpha bounds: ``sigma_min`` (stated) or ``sigma_min^2`` (proved)."""
    check_choice(reading, "reading", READINGS)
    s = np.asarray(sigma_min, dtype=np.float64)
    if not np.all(np.isfinite(s)) or np.any(s < 0):
        raise ValueError("sigma_min must be finite and non-negative")
    return s if reading == "stated" else s * s


def a1_event(sigma_min: Any, alpha: float, l: int, reading: str) -> np.ndarray:
    """Per run, whether A1(alpha, l) held: ``stat(H_k) >= alpha`` for every k = 1..l.

    ``sigma_min`` has shape (runs, depth + 1) as returned by :func:`theory.simulate`.
    """
    s = a1_statistic(sigma_min, reading)
    if s.ndim != 2:
        raise ValueError(f"sigma_min must have shape (runs, depth + 1); got {s.shape}")
    l = check_int(l, "l", minimum=0)
    if l > s.shape[1] - 1:
        raise ValueError(f"l must be <= depth = {s.shape[1] - 1}; got {l}")
    if not (np.isfinite(alpha) and alpha > 0):
        raise ValueError(f"alpha must be finite and > 0; got {alpha}")
    if l == 0:
        return np.ones(s.shape[0], dtype=bool)
    return np.all(s[:, 1 : l + 1] >= alpha, axis=1)


def certified_alpha(sigma_min: Any, l: int, reading: str) -> float:
    """The largest alpha for which A1(alpha, l) held on *every* sampled path:
    ``min over runs and k = 1..l`` of ``sigma_min(H_k)`` (stated) or its square (proved)."""
    s = a1_statistic(sigma_min, reading)
    l = check_int(l, "l", minimum=1)
    if s.ndim != 2 or l > s.shape[1] - 1:
        raise ValueError(f"need sigma_min of shape (runs, depth + 1) with depth >= l={l}")
    return float(s[:, 1 : l + 1].min())


def alpha_max(n: int, reading: str) -> float:
    """Unit norm forces ``sigma_min <= 1/sqrt(n)``: alpha <= 1/sqrt(n) (stated), 1/n (proved)."""
    check_choice(reading, "reading", READINGS)
    n = check_int(n, "n", minimum=1)
    return n**-0.5 if reading == "stated" else 1.0 / n
