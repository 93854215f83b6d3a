r"""Normalised chains with an activation (issue 19, NeurIPS 2023 of Joudaki, Daneshmand, Bach):
layer normalisation (LN), RMS normalisation and batch normalisation, before or after the
activation, batched over runs, and the Gram-matrix quantities their claims are stated in.

Conventions: ``H`` is ``d x n`` (features x samples; a stack ``(..., d, n)``), the weights are
Gaussian ``W_ij ~ N(0, 1/d)`` (``d x d``, as in ``validations.ipynb`` of
github.com/ajoudaki/deepnet-isometry: ``W = randn(d, d) / sqrt(d)``), and one layer is

.. math:: \text{after:}\ \ h \mapsto N(\phi(W h)), \qquad \text{before:}\ \ h \mapsto
          \phi(N(W h)),

with ``N`` one of (per sample = per column, over the d features)

.. math:: \mathrm{LN}(h) = \frac{h - \bar h \mathbf 1}{\sqrt{\tfrac1d \sum_i (h_i - \bar
          h)^2}}, \qquad \mathrm{RMS}(h) = \frac{h}{\sqrt{\tfrac1d \sum_i h_i^2}},

or the identity (``"none"``); batch normalisation (:func:`batch_norm`, ``"bn"``; ``"bn-rms"``
without centring, the ICLR 2024 setting, "column BN" at n = d) acts per feature (row) over
the n samples.  The notebook's "activation_first=True, centering='layer',
normalization='layer'" is ``after`` with LN: ``X = LN(phi(X W))`` (its X is ``H^T``).

Quantities of the sample Gram ``G = H^T H``: the cosines ``c_ij = g_ij / sqrt(g_ii g_jj)``,
``max_{i != j} |c_ij|`` (:func:`max_abs_correlation`) and the potential of NeurIPS 2023
(``potential_gap`` of the repository's ``utils.py``):

.. math:: \gamma(H) = \max_{i \ne j} \frac{|c_{ij}|}{1 - |c_{ij}|}.

Mean field (infinite width, :mod:`theory.activations` for the normalised kernel ``kappa``
with ``kappa(0) = c_0^2``, ``kappa'(0) = c_1^2``): LN after the activation removes the mean
``E phi`` and the scale, so two samples of correlation rho go to

.. math:: \hat\kappa(\rho) = \frac{\kappa(\rho) - \kappa(0)}{1 - \kappa(0)} = \frac{\sum_{k\ge1}
          c_k^2 \rho^k}{\sum_{k\ge1} c_k^2},

and every other option here (RMS after, LN or RMS before) to the uncentred ``kappa(rho)``
(:func:`meanfield_map`).  The paper's non-linearity coefficient (README of the repository)
``beta_0 = c_1^2 / sum_{k>=1} c_k^2 = hat kappa'(0)`` (:func:`beta0`); the rate ``(2 -
beta_0)^{-l}`` is the code's ``beta ** -l`` with ``beta = 2 - c1^2/(E phi^2 - c0^2)``
(``compute_beta0`` of ``utils.py``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.special import erf, expit

from . import activations as A
from ._validate import check_choice, check_int, check_matrix, check_seed

#: activations of the chain (``identity``: the activation-free chain)
ACTIVATIONS = ("relu", "tanh", "sigmoid", "exp", "gelu", "selu", "identity")
#: per sample: LN, RMS; per feature over the batch: BN (centred), BN without centring; none
NORMS = ("ln", "rms", "bn", "bn-rms", "none")
ORDERS = ("after", "before")
_SELU_ALPHA = 1.6732632423543772
_SELU_LAMBDA = 1.0507009873554805


def activation(name: str, x: Any) -> np.ndarray:
    r"""``phi(x)`` elementwise: ``max(x, 0)``, ``tanh x``, ``1/(1 + e^{-x})``, ``e^x``, ``x
    Phi(x) = x (1 + erf(x/sqrt 2))/2`` (GELU), ``lambda (x if x > 0 else alpha (e^x - 1))``
    (SELU, alpha = 1.67326..., lambda = 1.05070...), ``x`` (identity).  ``ValueError`` for an
    unknown name."""
    check_choice(name, "name", ACTIVATIONS)
    x = np.asarray(x, dtype=np.float64)
    if name == "relu":
        return np.maximum(x, 0.0)
    if name == "tanh":
        return np.tanh(x)
    if name == "sigmoid":
        return expit(x)
    if name == "exp":
        return np.exp(x)
    if name == "gelu":
        return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))
    if name == "selu":
        return _SELU_LAMBDA * np.where(x > 0, x, _SELU_ALPHA * np.expm1(np.minimum(x, 0.0)))
    return x.copy()


def _array(H: Any, name: str = "H") -> np.ndarray:
    check_matrix(np.asarray(H) if not hasattr(H, "shape") else H, name)
    return np.asarray(H, dtype=np.float64)


def layer_norm(H: Any) -> np.ndarray:
    r"""LN per sample (column) over the d features: ``(h - mean(h)) / sqrt(mean((h -
    mean(h))^2))``; each column then has mean 0 and mean square 1 (norm sqrt d).  Stack ``(...,
    d, n)``.  ``ValueError`` for a bad array, d < 2, or a constant column (LN undefined)."""
    H = _array(H)
    if H.shape[-2] < 2:
        raise ValueError(f"H must have d >= 2 features for LN; got d={H.shape[-2]}")
    C = H - H.mean(axis=-2, keepdims=True)
    s = np.sqrt(np.mean(C * C, axis=-2, keepdims=True))
    if np.any(s == 0):
        raise ValueError("H must have no constant column (LN divides by its standard deviation)")
    return C / s


def rms_norm(H: Any) -> np.ndarray:
    r"""RMS normalisation per sample (column), scale only: ``h / sqrt(mean(h^2))`` (mean square
    1).  Stack ``(..., d, n)``.  ``ValueError`` for a bad array or a zero column."""
    H = _array(H)
    s = np.sqrt(np.mean(H * H, axis=-2, keepdims=True))
    if np.any(s == 0):
        raise ValueError("H must have no zero column (RMS normalisation divides by its RMS)")
    return H / s


def batch_norm(H: Any, centre: bool = True) -> np.ndarray:
    r"""Batch normalisation per feature (row) over the n samples: ``(h_i - mean_k h_ik) /
    sqrt(mean_k (h_ik - mean)^2)`` (``centre=True``) or ``h_i / sqrt(mean_k h_ik^2)``
    (``centre=False``, the ICLR 2024 setting; at ``n = d`` the "column BN" of issue 19).
    Stack ``(..., d, n)``.  ``ValueError`` for a bad array, n < 2, or a constant (zero) row."""
    H = _array(H)
    if H.shape[-1] < 2:
        raise ValueError(f"H must have n >= 2 samples for BN; got n={H.shape[-1]}")
    C = H - H.mean(axis=-1, keepdims=True) if centre else H
    s = np.sqrt(np.mean(C * C, axis=-1, keepdims=True))
    if np.any(s == 0):
        raise ValueError("H must have no constant row (BN divides each row by its spread)")
    return C / s


def _normalise(H: np.ndarray, norm: str) -> np.ndarray:
    if norm == "ln":
        return layer_norm(H)
    if norm == "rms":
        return rms_norm(H)
    if norm in ("bn", "bn-rms"):
        return batch_norm(H, centre=norm == "bn")
    return H


def cosines(H: Any) -> np.ndarray:
    r"""``c_ij = <h_i, h_j> / (|h_i| |h_j|)`` of the columns (``(..., n, n)``, unit diagonal).
    ``ValueError`` for a bad array or a zero column."""
    H = _array(H)
    nrm = np.sqrt(np.sum(H * H, axis=-2, keepdims=True))
    if np.any(nrm == 0):
        raise ValueError("H must have no zero column (its cosine is undefined)")
    U = H / nrm
    return np.swapaxes(U, -1, -2) @ U


def max_abs_correlation(H: Any) -> np.ndarray:
    r"""``max_{i != j} |c_ij|`` (:func:`cosines`), clipped to [0, 1] (round-off); stack
    ``(...)``.  ``ValueError`` for n < 2."""
    C = cosines(H)
    n = C.shape[-1]
    if n < 2:
        raise ValueError(f"H must have n >= 2 samples; got n={n}")
    off = np.abs(C)[..., ~np.eye(n, dtype=bool)]
    return np.clip(off.max(axis=-1), 0.0, 1.0)


def potential_of(rho: Any) -> np.ndarray:
    r"""``gamma(rho) = |rho| / (1 - |rho|)`` (``+inf`` at ``|rho| = 1``).  ``ValueError`` for
    ``|rho| > 1`` or a non-finite value."""
    r = np.abs(np.asarray(rho, dtype=np.float64))
    if not np.all(np.isfinite(r)) or np.any(r > 1):
        raise ValueError("rho must be finite with |rho| <= 1")
    with np.errstate(divide="ignore"):
        return np.where(r < 1, r / np.where(r < 1, 1 - r, 1.0), math.inf)


def correlation_of(gamma: Any) -> np.ndarray:
    r"""The inverse of :func:`potential_of` on [0, 1): ``gamma / (1 + gamma)``.  ``ValueError``
    for a negative or NaN value."""
    g = np.asarray(gamma, dtype=np.float64)
    if np.any(np.isnan(g)) or np.any(g < 0):
        raise ValueError("gamma must be >= 0")
    return np.where(np.isinf(g), 1.0, g / (1 + np.where(np.isinf(g), 0.0, g)))


def potential(H: Any) -> np.ndarray:
    r"""The potential ``gamma(H) = max_{i != j} |c_ij| / (1 - |c_ij|)`` of NeurIPS 2023
    (``potential_gap`` of ``utils.py``): :func:`potential_of` of :func:`max_abs_correlation`."""
    return potential_of(max_abs_correlation(H))


def step(H: Any, W: Any, act: str, norm: str = "ln", order: str = "after") -> np.ndarray:
    r"""One layer: ``N(phi(W H))`` (``order="after"``) or ``phi(N(W H))`` (``"before"``), ``N``
    in :data:`NORMS` (LN, RMS per sample; BN, BN without centring per feature; none); ``W`` is
    ``(..., d, d)``.  ``ValueError`` for bad choices or shapes."""
    check_choice(act, "act", ACTIVATIONS)
    check_choice(norm, "norm", NORMS)
    check_choice(order, "order", ORDERS)
    H, W = _array(H), _array(W, "W")
    if W.shape[-1] != H.shape[-2] or W.shape[-2] != W.shape[-1]:
        raise ValueError(f"W must be d x d with d = {H.shape[-2]}; got {W.shape}")
    Z = W @ H
    if order == "after":
        return _normalise(activation(act, Z), norm)
    return activation(act, _normalise(Z, norm))


def equicorrelated_h0(d: int, n: int, rho: float) -> np.ndarray:
    r"""A fixed ``d x n`` input whose columns have mean 0 over the features, mean square 1 and
    pairwise cosine exactly ``rho`` (to round-off): ``h_j = sqrt(d) (sqrt(rho) u + sqrt(1 -
    rho) v_j)`` with ``u, v_1..v_n`` orthonormal and orthogonal to the all-ones vector (from the
    QR of a fixed matrix; deterministic).  ``ValueError`` unless ``d >= n + 2``, ``n >= 2`` and
    ``0 <= rho < 1``."""
    n = check_int(n, "n", minimum=2)
    d = check_int(d, "d", minimum=n + 2)
    rho = float(rho)
    if not (0.0 <= rho < 1.0):
        raise ValueError(f"rho must be in [0, 1); got {rho}")
    M = np.random.default_rng(12345).standard_normal((d, n + 2))
    M[:, 0] = 1.0
    Q = np.linalg.qr(M)[0][:, 1:]  # orthonormal, orthogonal to 1
    u, V = Q[:, :1], Q[:, 1 : n + 1]
    return math.sqrt(d) * (math.sqrt(rho) * u + math.sqrt(1.0 - rho) * V)


def simulate(
    H0: Any,
    depth: int,
    *,
    act: str,
    norm: str = "ln",
    order: str = "after",
    runs: int,
    seed: int,
) -> dict[str, np.ndarray]:
    r"""``runs`` independent chains ``H_{l+1} = step(H_l, W_l)`` (:func:`step`, fresh Gaussian
    ``W_l`` with N(0, 1/d) entries per run and layer) from the same ``H0`` (``d x n``).
    Returns ``{"corr": (runs, depth + 1) max_{i != j} |c_ij(H_l)|, "gamma": the potentials,
    "degenerate": (runs,) bool}``: a run in which a column became constant (LN) or zero (RMS;
    ReLU at small d: probability ``n 2^-d`` per layer) has no defined cosine; it is counted as
    collapsed, ``corr = 1`` from that layer on (against an upper bound on the correlation: the
    conservative side).
    ``ValueError`` for a bad H0, depth < 1, runs < 1, a bad seed or choice."""
    H0 = _array(H0, "H0")
    if H0.ndim != 2:
        raise ValueError(f"H0 must be one d x n matrix; got shape {tuple(H0.shape)}")
    depth = check_int(depth, "depth", minimum=1)
    runs = check_int(runs, "runs", minimum=1)
    rng = np.random.default_rng(check_seed(seed))
    check_choice(act, "act", ACTIVATIONS)
    check_choice(norm, "norm", NORMS)
    check_choice(order, "order", ORDERS)
    d, n = H0.shape
    H = np.broadcast_to(H0, (runs, d, n)).copy()
    corr = np.empty((runs, depth + 1))
    corr[:, 0] = max_abs_correlation(H0)
    dead = np.zeros(runs, dtype=bool)
    for l in range(1, depth + 1):
        W = rng.standard_normal((runs, d, d)) / math.sqrt(d)
        Z = W @ H
        if order == "before":
            Z = _normalise_or_mark(Z, norm, dead)
        Z = activation(act, Z)
        if order == "after":
            Z = _normalise_or_mark(Z, norm, dead)
        Z = _normalise_or_mark(Z, "none", dead)
        H = np.where(dead[:, None, None], H0, Z)
        corr[:, l] = np.where(dead, 1.0, max_abs_correlation(H))
    return {"corr": corr, "gamma": potential_of(corr), "degenerate": dead.copy()}


def _normalise_or_mark(Z: np.ndarray, norm: str, dead: np.ndarray) -> np.ndarray:
    """:func:`_normalise` of a stack, marking in ``dead`` the runs with a constant (LN) or zero
    (RMS, none) column -- where the normalisation or the cosine is undefined -- and replacing
    those columns by ones (the run's later values are then not used)."""
    if norm in ("bn", "bn-rms"):  # per feature (row) over the batch
        C = Z - Z.mean(axis=-1, keepdims=True) if norm == "bn" else Z
        rows = np.sqrt(np.mean(C * C, axis=-1, keepdims=True))[..., :, 0] == 0
        dead |= np.any(rows, axis=-1)
        if np.any(rows):
            Z = np.where(rows[..., :, None], 1.0 + np.arange(Z.shape[-1]), Z)
        Z = batch_norm(Z, centre=norm == "bn")
        norm = "none"  # then the cosine needs nonzero columns
    C = Z - Z.mean(axis=-2, keepdims=True) if norm == "ln" else Z
    s = np.sqrt(np.mean(C * C, axis=-2, keepdims=True))
    bad = s[..., 0, :] == 0
    dead |= np.any(bad, axis=-1)
    if np.any(bad):
        Z = np.where(bad[..., None, :], 1.0 + np.arange(Z.shape[-2])[:, None], Z)
    return _normalise(Z, norm)


# ------------------------------------------------------------------ mean field (floats)


def _kappa0(act: str) -> tuple[float, float, float]:
    """``(kappa(0), kappa'(0), kappa'(1))`` of the normalised uncentred kernel (midpoints)."""
    if act == "identity":
        return 0.0, 1.0, 1.0
    f = A.facts(act)
    return float(f["kappa(0)"].mid()), float(f["kappa'(0)"].mid()), float(f["kappa'(1)"].mid())


def beta0(act: str) -> float:
    r"""``beta_0 = c_1^2 / sum_{k>=1} c_k^2 = kappa'(0) / (1 - kappa(0))`` (README of the
    repository; 1 for the identity).  The paper's rate is ``(2 - beta_0)^{-l}``."""
    check_choice(act, "act", ACTIVATIONS)
    k0, d0, _ = _kappa0(act)
    return d0 / (1.0 - k0)


def kappa_hat(act: str, rho: float) -> float:
    r"""The LN (centred) kernel ``(kappa(rho) - kappa(0)) / (1 - kappa(0))`` (``rho`` for the
    identity).  ``ValueError`` for ``|rho| > 1``."""
    check_choice(act, "act", ACTIVATIONS)
    if not (-1.0 <= float(rho) <= 1.0):
        raise ValueError(f"rho must be in [-1, 1]; got {rho}")
    if act == "identity":
        return float(rho)
    k0 = _kappa0(act)[0]
    return (A.kappa(act, float(rho)) - k0) / (1.0 - k0)


def meanfield_map(act: str, norm: str, order: str, rho: float) -> float:
    r"""The infinite-width correlation after one layer: :func:`kappa_hat` for LN after the
    activation (the mean ``E phi`` is removed), the uncentred ``kappa(rho)`` otherwise (RMS
    removes no mean; LN before the activation centres ``W h``, whose mean is already 0 at
    infinite width; without normalisation the cosine is scale-free)."""
    check_choice(norm, "norm", NORMS)
    check_choice(order, "order", ORDERS)
    if norm == "ln" and order == "after":
        return kappa_hat(act, rho)
    check_choice(act, "act", ACTIVATIONS)
    if not (-1.0 <= float(rho) <= 1.0):
        raise ValueError(f"rho must be in [-1, 1]; got {rho}")
    return float(rho) if act == "identity" else A.kappa(act, float(rho))


def rate_bound_correlation(rho: float, b: float) -> float:
    r"""``tau(rho) = |rho| / (b - (b - 1)|rho|)``: the correlation whose potential is
    ``gamma(rho)/b`` (``gamma(tau) = gamma(rho)/b``).  ``ValueError`` for ``|rho| >= 1`` or
    ``b < 1``."""
    r = abs(float(rho))
    if not r < 1.0:
        raise ValueError(f"rho must satisfy |rho| < 1; got {rho}")
    if not b >= 1.0:
        raise ValueError(f"b must be >= 1; got {b}")
    return r / (b - (b - 1.0) * r)


__all__ = [
    "ACTIVATIONS",
    "NORMS",
    "ORDERS",
    "activation",
    "batch_norm",
    "beta0",
    "correlation_of",
    "cosines",
    "equicorrelated_h0",
    "kappa_hat",
    "layer_norm",
    "max_abs_correlation",
    "meanfield_map",
    "potential",
    "potential_of",
    "rate_bound_correlation",
    "rms_norm",
    "simulate",
    "step",
]
