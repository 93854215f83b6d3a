"""Hypothesis strategies: adversarial representations and chain parameters.

``adversarial_matrices`` builds ``H = U diag(s) V^T * scale`` with U (d x n) and V (n x n)
orthonormal, so the condition number, near rank deficiency, near collinearity of columns and
the overall scale are controlled directly rather than hoped for:

* spectra: log-uniform in ``[1, cond]`` with ``cond`` up to 1e12; one dominant value with the
  rest equal (the Lemma 4 extremal case); all equal but one tiny (near rank deficiency); exactly
  equal (orthogonal H, the V = 0 boundary);
* collinear families: ``h_j = h_0 + eps_j g_j`` with eps down to 1e-10;
* scales from 1e-8 to 1e8;
* n from 1 to 32 and d from n up.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

SCALES = st.floats(min_value=-8.0, max_value=8.0).map(lambda e: 10.0**e)


@st.composite
def shapes(
    draw: st.DrawFn, *, max_n: int = 32, min_n: int = 1, max_ratio: int = 8, max_d: int = 256
) -> tuple[int, int]:
    """(d, n) with ``min_n <= n <= max_n`` and ``n <= d <= min(max_ratio * n, max_d)``."""
    n = draw(st.integers(min_value=min_n, max_value=max_n))
    d = draw(st.integers(min_value=n, max_value=max(n, min(max_ratio * n, max_d))))
    return d, n


def _orthonormal(rng: np.random.Generator, d: int, n: int) -> np.ndarray:
    q, r = np.linalg.qr(rng.standard_normal((d, n)))
    return q * np.sign(np.diag(r))


@st.composite
def spectra(draw: st.DrawFn, n: int, *, max_log_cond: float = 12.0) -> np.ndarray:
    """Singular values ``s_1 >= ... >= s_n > 0`` (unnormalised) of an adversarial family."""
    family = draw(st.sampled_from(["loguniform", "one-large", "one-small", "equal", "two-level"]))
    log_cond = draw(st.floats(min_value=0.0, max_value=max_log_cond))
    cond = 10.0**log_cond
    if family == "equal" or n == 1:
        s = np.ones(n)
    elif family == "one-large":
        s = np.ones(n)
        s[0] = cond
    elif family == "one-small":
        s = np.ones(n)
        s[-1] = 1.0 / cond
    elif family == "two-level":
        k = draw(st.integers(min_value=1, max_value=n - 1))
        s = np.ones(n)
        s[k:] = 1.0 / cond
    else:
        u = draw(st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=n, max_size=n))
        s = cond ** (-np.asarray(u))
        s[0], s[-1] = 1.0, 1.0 / cond
    return np.sort(s)[::-1]


@st.composite
def adversarial_matrices(
    draw: st.DrawFn,
    *,
    max_n: int = 32,
    min_n: int = 1,
    max_ratio: int = 8,
    max_d: int = 256,
    max_log_cond: float = 12.0,
    scaled: bool = True,
) -> np.ndarray:
    """A float64 ``d x n`` matrix, ``d >= n``, from one of the adversarial families above."""
    d, n = draw(shapes(max_n=max_n, min_n=min_n, max_ratio=max_ratio, max_d=max_d))
    seed = draw(st.integers(min_value=0, max_value=2**32 - 1))
    rng = np.random.default_rng(seed)
    kind = draw(st.sampled_from(["svd", "svd", "collinear"]))
    if kind == "collinear" and n >= 2:
        eps = 10.0 ** draw(st.floats(min_value=-10.0, max_value=0.0))
        h0 = rng.standard_normal((d, 1))
        H = h0 + eps * rng.standard_normal((d, n))
    else:
        s = draw(spectra(n, max_log_cond=max_log_cond))
        H = _orthonormal(rng, d, n) * s @ _orthonormal(rng, n, n).T
    if scaled:
        H = H * draw(SCALES)
    return H


@st.composite
def unit_matrices(draw: st.DrawFn, **kw: object) -> np.ndarray:
    """``adversarial_matrices`` normalised to unit Frobenius norm (as every layer l >= 1 is)."""
    H = draw(adversarial_matrices(scaled=False, **kw))  # type: ignore[arg-type]
    return H / np.linalg.norm(H)
