"""Shared helpers of the proof-lemma, orthogonalization and vanilla-chain checks."""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
from hypothesis import strategies as st
from strategies import adversarial_matrices

from theory.results import CheckResult, record
from theory.stats import Interval

EPS = float(np.finfo(np.float64).eps)


def matrix_key(H: np.ndarray) -> str:
    """A short stable digest of a drawn matrix (for derive_seed and replay lines)."""
    return hashlib.sha256(np.ascontiguousarray(H, dtype=np.float64).tobytes()).hexdigest()[:16]


@st.composite
def wide_unit_matrices(draw: st.DrawFn, *, n_values: tuple[int, ...], d_of_n: Any) -> np.ndarray:
    """A unit-norm d x n matrix whose Gram matrix is that of an adversarial n x n matrix.

    ``d`` is drawn from ``d_of_n(n)`` (a strategy), and the adversarial square matrix is placed
    in d rows by a fixed orthonormal embedding: every statement here depends on H only through
    ``H^T H``, which the embedding leaves unchanged, so this is the adversarial family at any d.
    """
    n = draw(st.sampled_from(n_values))
    d = draw(d_of_n(n))
    A = draw(adversarial_matrices(min_n=n, max_n=n, max_ratio=1, scaled=False))
    Q, _ = np.linalg.qr(np.random.default_rng(d * 1009 + n).standard_normal((d, n)))
    H = Q @ A
    return H / np.linalg.norm(H)


def record_upper(
    statement_id: str,
    check: str,
    ci: Interval,
    bound: float,
    *,
    params: dict[str, Any],
    seed: int | None,
    control: str | None = None,
    extra: dict[str, Any] | None = None,
) -> bool:
    """Record ``E X <= bound`` judged at the conservative end (``ci.upper``); return the verdict.

    For a negative control the same bound is *refuted* when the lower end exceeds it.
    """
    if control is None:
        ok = ci.upper <= bound
        verdict = "pass" if ok else "fail"
        margin = bound - ci.upper
    else:
        ok = ci.lower > bound
        verdict = "refuted" if ok else "not-refuted"
        margin = ci.lower - bound
    record(
        CheckResult(
            statement_id=statement_id,
            check=check,
            verdict=verdict,
            measured=ci.estimate,
            ci_low=ci.lower,
            ci_high=ci.upper,
            bound=bound,
            margin=margin,
            tightness=ci.estimate / bound if bound > 0 else None,
            false_fail=ci.delta,
            method=ci.method,
            params=params,
            seed=seed,
            control=control,
            extra=extra or {},
        )
    )
    return ok
