r"""Wasserstein-2 distances behind Lemma 2 and Corollary 3 (THEORY_NOTES §4).

W2 is on R^{d x n} with the Frobenius cost.  The left side of Lemma 2 is the *unconditional*
law of ``W_l H_l``; the target is ``G / sqrt(n)`` with G i.i.d. N(0, 1/d), whose rows are
i.i.d. N(0, I_n / (n d)).  What can be computed:

* **exact conditional** (given H): rows of ``W H`` are i.i.d. N(0, C/d), ``C = H^T H`` (unit norm),
  so by the Bures formula, summed over the d rows,

  .. math:: W_2^2(\mathrm{law}(WH \mid H), \mathrm{law}(G/\sqrt n)) = \|C^{1/2} - I_n/\sqrt n\|_F^2
            = \sum_i (s_i - 1/\sqrt n)^2 ;

* **upper estimate** of the unconditional W2^2: ``E_H[exact conditional]`` (mixing the conditional
  couplings gives a coupling of the mixtures);
* **lower bounds**: any coupling of the d x n matrices induces a coupling of each row, so
  ``W2^2(full) >= d W2^2(row law, N(0, I/(nd)))``; and by Gelbrich's inequality the row term is
  at least the Bures distance between the second-moment matrices, which gives the *rigorous*

  .. math:: W_2^2 \ge \|(\mathbb E C)^{1/2} - I_n/\sqrt n\|_F^2 \quad (\text{Gelbrich bound}),

  plus a sample-based estimate of the row term with POT's exact OT (``ot.emd2``), calibrated
  against two same-size samples of the target itself (empirical W2 is biased upward), and a
  sliced version (``ot.sliced_wasserstein_distance``; sliced W2 <= W2) that also runs on torch.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._backend import to_numpy
from ._validate import check_int, check_matrix, check_seed
from .stats import Interval, mean_bounds


def _psd_sqrt(C: np.ndarray) -> np.ndarray:
    """Symmetric square root of a stack of PSD matrices, eigenvalues clamped at 0 (float64)."""
    w, Q = np.linalg.eigh((C + np.swapaxes(C, -1, -2)) / 2)
    return (Q * np.sqrt(np.clip(w, 0.0, None))[..., None, :]) @ np.swapaxes(Q, -1, -2)


def conditional_w2_squared(H: Any) -> np.ndarray:
    r"""Exact ``W2^2(law(W H | H), law(G / sqrt n)) = sum_i (s_i - 1/sqrt(n))^2`` for the unit-norm
    ``H / ||H||_F``, shape ``(...)``; ``s_i`` its singular values.  Range ``[0, 2 - 2/sqrt(n)]``."""
    check_matrix(H, "H", require_d_ge_n=True)
    from .gap import singular_values

    s = to_numpy(singular_values(H)).astype(np.float64)
    n = s.shape[-1]
    return np.sum((s - 1 / math.sqrt(n)) ** 2, axis=-1)


def w2_squared_from_gram(C: Any) -> np.ndarray:
    r"""``||C^{1/2} - I/sqrt(n)||_F^2`` for trace-one PSD ``C`` (stack), with clamped eigenvalues.

    With ``C = E[H^T H]`` this is the Gelbrich lower bound on the unconditional W2^2."""
    C = np.asarray(to_numpy(C), dtype=np.float64)
    check_matrix(C, "C")
    n = C.shape[-1]
    C = C / np.trace(C, axis1=-2, axis2=-1)[..., None, None]
    D = _psd_sqrt(C) - np.eye(n) / math.sqrt(n)
    return np.sum(D * D, axis=(-2, -1))


def conditional_w2_squared_pot(H: Any, *, fallback: bool = False) -> float:
    r"""The same exact conditional value via POT's Gaussian module, for a single ``H`` (d x n):
    ``d * bures_wasserstein_distance(0, 0, C/d, I/(nd))^2`` (POT returns W2, not W2^2).

    POT takes matrix square roots without clamping the eigenvalues, so on a rank-deficient ``C``
    round-off gives NaN (or a LAPACK failure).  Then this raises ``ValueError``, or, with
    ``fallback=True``, returns the clamped float64 value of :func:`conditional_w2_squared`."""
    import ot

    H = np.asarray(to_numpy(H), dtype=np.float64)
    check_matrix(H, "H", require_d_ge_n=True)
    if H.ndim != 2:
        raise ValueError(f"H must be a single d x n matrix here; got shape {H.shape}")
    d, n = H.shape
    Hu = H / np.linalg.norm(H)
    C = Hu.T @ Hu
    try:
        with np.errstate(invalid="ignore"):
            w = float(
                ot.gaussian.bures_wasserstein_distance(
                    np.zeros(n), np.zeros(n), C / d, np.eye(n) / (n * d)
                )
            )
    except np.linalg.LinAlgError:
        w = float("nan")
    if not math.isfinite(w):
        if fallback:
            return float(conditional_w2_squared(H))
        raise ValueError(
            "POT's Bures distance is NaN for this rank-deficient H^T H (unclamped "
            "matrix square root); use conditional_w2_squared or fallback=True"
        )
    return float(d * w**2)


def _emd2(X: np.ndarray, Y: np.ndarray, num_itermax: int) -> float:
    """Exact squared-W2 between two uniform empirical measures; POT's non-convergence is an error."""
    import ot

    M = ot.dist(X, Y, metric="sqeuclidean")
    a = np.full(X.shape[0], 1.0 / X.shape[0])
    b = np.full(Y.shape[0], 1.0 / Y.shape[0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "numItermax reached" must not pass silently
        val, log = ot.emd2(a, b, M, numItermax=num_itermax, log=True)
    if log.get("warning"):
        raise RuntimeError(f"ot.emd2 did not converge: {log['warning']}")
    return float(val)


def sample_rows(grams: Any, d: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """``size`` draws of one row of ``W_l H_l``: pick ``H_l`` uniformly among the sampled paths'
    Gram matrices ``grams`` (runs, n, n), then ``z^T C^{1/2} / sqrt(d)`` with ``z ~ N(0, I_n)``."""
    G = np.asarray(grams, dtype=np.float64)
    roots = _psd_sqrt(G)
    idx = rng.integers(0, G.shape[0], size=size)
    z = rng.standard_normal((size, G.shape[-1]))
    return np.einsum("ki,kij->kj", z, roots[idx]) / math.sqrt(d)


@dataclass(frozen=True)
class RowEstimate:
    """Sample-based estimate of ``d * W2^2(row law, N(0, I/(nd)))`` and its calibration.

    ``raw``: mean over replicates of d * emd2(rows, target sample); ``baseline``: the same for two
    independent target samples (what a perfect match would read); ``calibrated``:
    ``max(0, sqrt(raw) - sqrt(baseline))^2`` (triangle inequality with the baseline standing in for
    the two sampling distances).  Intervals: 95% t intervals over independent replicates.
    """

    raw: float
    raw_ci: tuple[float, float]
    baseline: float
    baseline_ci: tuple[float, float]
    calibrated: float
    calibrated_ci: tuple[float, float]
    points: int
    replicates: int


def _t_interval(x: np.ndarray) -> tuple[float, float]:
    from scipy.stats import t

    m, s = float(x.mean()), float(x.std(ddof=1)) if x.size > 1 else 0.0
    h = float(t.ppf(0.975, x.size - 1)) * s / math.sqrt(x.size) if x.size > 1 else float("inf")
    return m - h, m + h


def row_law_estimate(
    grams: Any, d: int, *, points: int, replicates: int, seed: int, num_itermax: int = 10_000_000
) -> RowEstimate:
    """Calibrated emd2 estimate of the row term of the lower bound (see :class:`RowEstimate`)."""
    d = check_int(d, "d", minimum=1)
    points = check_int(points, "points", minimum=10)
    replicates = check_int(replicates, "replicates", minimum=2)
    rng = np.random.default_rng(check_seed(seed))
    G = np.asarray(grams, dtype=np.float64)
    n = G.shape[-1]
    sd = 1.0 / math.sqrt(n * d)
    raw, base = [], []
    for _ in range(replicates):
        X = sample_rows(G, d, points, rng)
        raw.append(d * _emd2(X, sd * rng.standard_normal((points, n)), num_itermax))
        base.append(
            d
            * _emd2(
                sd * rng.standard_normal((points, n)),
                sd * rng.standard_normal((points, n)),
                num_itermax,
            )
        )
    raw_a, base_a = np.array(raw), np.array(base)
    cal = np.maximum(0.0, np.sqrt(raw_a) - np.sqrt(base_a)) ** 2
    c_lo, c_hi = _t_interval(cal)
    return RowEstimate(
        float(raw_a.mean()),
        _t_interval(raw_a),
        float(base_a.mean()),
        _t_interval(base_a),
        float(cal.mean()),
        (max(0.0, c_lo), c_hi),
        points,
        replicates,
    )


def sliced_row_estimate(
    grams: Any,
    d: int,
    *,
    points: int,
    projections: int,
    seed: int,
    backend: str = "numpy",
    device: str = "cpu",
) -> tuple[float, float]:
    """``d * SW2^2(row sample, target sample)`` with POT's sliced Wasserstein and its standard
    error from the per-projection values.  Sliced W2 <= W2, so this estimates a lower bound of the
    row term (also biased upward by sampling, like emd2).  Runs on torch tensors when asked."""
    import ot

    rng = np.random.default_rng(check_seed(seed))
    G = np.asarray(grams, dtype=np.float64)
    n = G.shape[-1]
    X = sample_rows(G, d, points, rng)
    Y = rng.standard_normal((points, n)) / math.sqrt(n * d)
    if backend == "torch":
        import torch

        X, Y = (torch.as_tensor(a, dtype=torch.float64, device=device) for a in (X, Y))
    _, log = ot.sliced_wasserstein_distance(
        X, Y, n_projections=projections, p=2, seed=seed % 2**32, log=True
    )
    per = np.asarray(to_numpy(log["projected_emds"]), dtype=np.float64)  # per-projection W2^2
    return float(d * per.mean()), float(d * per.std(ddof=1) / math.sqrt(per.size))


# ------------------------------------------------------------------ suprema of the proof step


def _check_n(n: Any, minimum: int = 2) -> int:
    return check_int(n, "n", minimum=minimum)


def sup_w2c_over_nv2(n: int) -> float:
    r"""``sup_H W2c(H) / (n V(H)^2)`` over unit-norm ``H`` (``d >= n``, ``V(H) > 0``):

    .. math:: \frac{2u^2}{1 + u} = 2(n - 1)\big(1 - \sqrt{1 - 1/n}\big),
              \qquad u = \sqrt{1 - 1/n},

    attained (a maximum) at rank ``n - 1`` with equal non-zero singular values
    (:func:`extremal_spectrum`).  ``n = 2``: ``2 - sqrt 2``; increasing in n, ``-> 1``.
    ``W2c = sum_i (s_i - 1/sqrt n)^2`` is the exact conditional W2^2 of Lemma 2's proof and
    ``V^2 = sum_i (s_i^2 - 1/n)^2`` (Eq. 2); derivation in the ``w2/conditional-vs-gap`` record.
    """
    n = _check_n(n)
    u = math.sqrt(1.0 - 1.0 / n)
    return 2.0 * u * u / (1.0 + u)


def sup_core_ratio(n: int) -> float:
    r"""``sup_H n V(H)^2 / (2 n V(H)) = sup V / 2 = sqrt(1 - 1/n) / 2`` (rank one): the last step
    ``n V^2 <= 2 n V`` of Lemma 2's proof."""
    n = _check_n(n)
    return math.sqrt(1.0 - 1.0 / n) / 2.0


def extremal_spectrum(n: int) -> np.ndarray:
    """The maximiser of ``W2c / (n V^2)``: ``n - 1`` singular values ``1/sqrt(n - 1)`` and one 0."""
    n = _check_n(n)
    s = np.full(n, 1.0 / math.sqrt(n - 1))
    s[-1] = 0.0
    return s


def w2c_ratio_of_spectrum(s: Any) -> float:
    r"""``W2c / (n V^2) = sum_i (x_i - 1)^2 / sum_i (x_i^2 - 1)^2`` with ``x = sqrt(n) s / ||s||``
    for singular values ``s`` (any scale, not all equal); ``ValueError`` when ``V = 0``."""
    s = np.asarray(s, dtype=np.float64)
    if s.ndim != 1 or s.size < 2 or not np.all(np.isfinite(s)) or np.any(s < 0) or s.max() <= 0:
        raise ValueError(f"s must be 1-d with n >= 2 finite values >= 0, not all 0; got {s!r}")
    x = math.sqrt(s.size) * s / np.linalg.norm(s)
    den = float(np.sum((x * x - 1.0) ** 2))
    if den <= 0:
        raise ValueError("s must not have all values equal (V = 0: the ratio is undefined)")
    return float(np.sum((x - 1.0) ** 2)) / den


# ------------------------------------------------------------------ rigorous lower estimate


def projected_gelbrich_lower(
    grams: Any,
    basis: Any,
    *,
    delta: float,
    scale: float = 1.0,
    target: float | None = None,
) -> Interval:
    r"""Finite-sample lower confidence bound on the unconditional ``W2^2`` of Lemma 2.

    For any fixed orthonormal basis ``theta_1..theta_n`` of R^n, a coupling of the d x n matrices
    couples each row and each coordinate ``theta_k^T row``; the 1-d Gelbrich bound per coordinate
    gives, summed over the d rows and the n coordinates,

    .. math:: W_2^2 \ge \sum_k \big(\sqrt{q_k} - 1/\sqrt n\big)^2, \qquad
              q_k = \mathbb E[\theta_k^\top C \theta_k] \in [0, 1],

    (equality with the full Gelbrich bound when ``theta`` diagonalises ``E C``).  Each ``q_k`` is
    a mean of a per-run variable in [0, 1], bounded on both sides at ``delta / (2n)``
    (:func:`theory.stats.mean_bounds`); the returned ``lower`` is the minimum of the sum over
    that box, so ``P(W2^2 < lower) <= delta``.  ``basis`` must not depend on ``grams`` (take it
    from a pilot sample).  ``estimate`` is the plug-in value, ``upper`` its maximum over the box.

    ``scale`` and ``target`` (default ``1/sqrt(n)``) give ``sum_k (sqrt(scale q_k) - target)^2``:
    the same bound for a mis-scaled layer (``scale = d``: W with N(0, 1) entries) or target
    (``target = 1``: G without the 1/sqrt(n)).
    """
    G = np.asarray(to_numpy(grams), dtype=np.float64)
    check_matrix(G, "grams")
    if G.ndim != 3:
        raise ValueError(f"grams must have shape (runs, n, n); got {G.shape}")
    n = G.shape[-1]
    Q = np.asarray(basis, dtype=np.float64)
    if Q.shape != (n, n) or not np.allclose(Q.T @ Q, np.eye(n), atol=1e-8):
        raise ValueError(f"basis must be an orthonormal {n} x {n} matrix (columns theta_k)")
    G = G / np.trace(G, axis1=1, axis2=2)[:, None, None]
    q = np.einsum("ik,rij,jk->rk", Q, G, Q)  # (runs, n): theta_k^T C theta_k
    if not (math.isfinite(scale) and scale > 0):
        raise ValueError(f"scale must be finite and > 0; got {scale}")
    t = 1.0 / math.sqrt(n) if target is None else float(target)
    if not (math.isfinite(t) and t >= 0):
        raise ValueError(f"target must be finite and >= 0; got {target}")
    c = math.sqrt(scale)
    lo_sum = est = hi_sum = 0.0
    for k in range(n):
        iv = mean_bounds(np.clip(q[:, k], 0.0, 1.0), lo=0.0, hi=1.0, delta=delta / (2 * n))
        a, b = c * math.sqrt(iv.lower), c * math.sqrt(iv.upper)
        est += (c * math.sqrt(iv.estimate) - t) ** 2
        lo_sum += 0.0 if a <= t <= b else min((a - t) ** 2, (b - t) ** 2)
        hi_sum += max((a - t) ** 2, (b - t) ** 2)
    return Interval(
        est, lo_sum, hi_sum, delta, "projected Gelbrich, mean bounds per axis", G.shape[0]
    )
