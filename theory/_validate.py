"""Input checks shared by the public API.

Every public function rejects bad input with a ``ValueError`` whose message names the parameter
and the rule it broke, so that nothing downstream returns a silent NaN or a wrong answer.
"""

from __future__ import annotations

import numbers
from typing import Any

from ._backend import namespace_of


def check_matrix(
    H: Any, name: str = "H", *, require_d_ge_n: bool = False, allow_zero_column: bool = True
) -> Any:
    """Check a stack of representations of shape ``(..., d, n)``; return its namespace.

    Rules: at least 2 dimensions; d >= 1 and n >= 1; every entry finite; no matrix in the stack
    equal to zero (V and BN are undefined there); ``d >= n`` when ``require_d_ge_n``.
    """
    if not hasattr(H, "shape") or not hasattr(H, "dtype"):
        raise ValueError(f"{name} must be an array or tensor of shape (..., d, n); got {type(H)}")
    if len(H.shape) < 2:
        raise ValueError(
            f"{name} must have at least 2 dimensions (..., d, n); got shape {tuple(H.shape)}"
        )
    d, n = int(H.shape[-2]), int(H.shape[-1])
    if d < 1 or n < 1:
        raise ValueError(f"{name} must have d >= 1 and n >= 1; got shape {tuple(H.shape)}")
    if require_d_ge_n and d < n:
        raise ValueError(f"{name} must have d >= n (width at least batch size); got d={d}, n={n}")
    xp = namespace_of(H)
    if not xp.isdtype(H.dtype, "real floating"):
        raise ValueError(f"{name} must have a real floating dtype; got {H.dtype}")
    if not bool(xp.all(xp.isfinite(H))):
        raise ValueError(f"{name} must be finite; it contains NaN or inf")
    if bool(xp.any(xp.max(xp.abs(H), axis=(-2, -1)) == 0)):
        raise ValueError(f"{name} must be nonzero: ||{name}||_F = 0 for some matrix in the stack")
    if not allow_zero_column and bool(xp.any(xp.max(xp.abs(H), axis=-2) == 0)):
        raise ValueError(f"{name} must have no zero column here (the cosine is undefined)")
    return xp


def check_int(value: Any, name: str, *, minimum: int) -> int:
    """``value`` must be an integer (not bool) with ``value >= minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}; got {value}")
    return int(value)


def check_choice(value: Any, name: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValueError(f"{name} must be one of {choices}; got {value!r}")
    return value


def check_seed(seed: Any) -> int:
    """Seeds are explicit non-negative integers (never ``None``: results must replay)."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer (seeds are explicit); got {seed!r}")
    return int(seed)
