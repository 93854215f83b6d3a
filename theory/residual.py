r"""The residual-weight BN chain of NeurIPS 2020 (Daneshmand, Kohler, Bach, Hofmann, Lucchi,
"Batch normalization provably avoids rank collapse for randomly initialised deep networks";
code: github.com/jonaskohler/Batchnorm_prevents_rank_collpase), its Theorem 2 setting:

.. math:: H_{l+1} = \mathrm{BN}\big((I + \gamma W_l) H_l\big), \qquad
          \mathrm{BN}(M) = \operatorname{diag}(M M^\top)^{-1/2} M,

``H_l`` of shape ``d x n`` (features x samples; ``n = d`` is the theorem's case, allowed here),
``W_l`` i.i.d. Gaussian ``d x d``, fresh at every layer, no activation (a linear network), BN
without centring (each row, a feature, divided by its norm over the batch).  The soft rank
``r(H) = tr(M)^2 / ||M||_F^2`` (``M = H^T H``; :func:`theory.gap.soft_rank`) is invariant to a
row scaling's overall factor, so BN's convention (unit row norm here; unit mean square, or the
repository's unit diagonal of the feature Gram ``D^{-1/2} M D^{-1/2}``) does not matter.

* ``weight_scale="1/d"``: entries of ``W_l`` are N(0, 1/d) (the reading of issue 19);
  ``"unit"``: N(0, 1), the repository's ``np.random.randn(d, d)`` (``code_fig_3_a.ipynb``:
  ``Wh = I + gamma*W`` with ``gamma = 0.01``).  The two are one chain: ``gamma W_unit =
  (gamma sqrt(d)) W_{1/d}``, so the repository's gamma = 0.01 is gamma = 0.01 sqrt(d) in the
  issue's units.
* ``variant="vanilla"``: no normalisation, ``H_{l+1} = (I + gamma W_l) H_l``, rescaled to unit
  Frobenius norm (the soft rank is scale invariant; the rescaling only prevents overflow).

The product is drawn naively (the d x d matrix ``W_l``, O(d^2 n) per layer).  The reduced
sampler of :mod:`theory.chain` (``W A =d Z R / sqrt(d)``) does not apply as it stands: the
residual ``A + gamma W A`` needs ``A`` itself, not only ``A^T A``; with ``A = Q R`` it is ``(Q +
gamma G) R``, G a d x n Gaussian, which at n = d (the theorem's case) saves nothing.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._validate import check_choice, check_int, check_matrix, check_seed

VARIANTS = ("bn", "vanilla")
WEIGHT_SCALES = ("1/d", "unit")


def _check_gamma(gamma: Any) -> float:
    try:
        g = float(gamma)
    except (TypeError, ValueError):
        raise ValueError(f"gamma must be a finite number >= 0; got {gamma!r}") from None
    if not (math.isfinite(g) and g >= 0):
        raise ValueError(f"gamma must be a finite number >= 0; got {gamma!r}")
    return g


def _normalise(M: np.ndarray, variant: str) -> np.ndarray:
    """BN (each row to unit norm) or, for the vanilla chain, the whole matrix to unit Frobenius
    norm; ``M`` is first divided by its largest entry so that no square overflows."""
    M = M / np.max(np.abs(M), axis=(-2, -1), keepdims=True)
    if variant == "bn":
        return M / np.sqrt(np.sum(M * M, axis=-1, keepdims=True))
    return M / np.sqrt(np.sum(M * M, axis=(-2, -1), keepdims=True))


def residual_step(H: Any, W: Any, gamma: float, *, variant: str = "bn") -> np.ndarray:
    r"""One exact layer given the weights: ``BN((I + gamma W) H) = BN(H + gamma W H)`` (or the
    vanilla map, rescaled to unit Frobenius norm).  ``H``: ``(..., d, n)``, ``W``: ``(..., d,
    d)``.  At ``gamma = 0`` it is ``BN(H)``: the chain keeps H up to BN.  ``ValueError`` naming
    the parameter for a bad ``H``, ``W``, ``gamma`` or ``variant``."""
    check_matrix(H, "H")
    H = np.asarray(H, dtype=np.float64)
    W = np.asarray(W, dtype=np.float64)
    g = _check_gamma(gamma)
    check_choice(variant, "variant", VARIANTS)
    d = H.shape[-2]
    if W.ndim < 2 or tuple(W.shape[-2:]) != (d, d):
        raise ValueError(f"W must have shape (..., d, d) with d={d}; got {tuple(W.shape)}")
    if not np.all(np.isfinite(W)):
        raise ValueError("W must be finite")
    return _normalise(H + g * (W @ H), variant)


def recorded_layers(depth: int, burn_in: int = 0, record_every: int = 1) -> list[int]:
    """The layers whose soft rank :func:`simulate` records: ``burn_in + k record_every`` for
    ``k = 1, ..., depth // record_every`` (``1..depth`` by default)."""
    depth = check_int(depth, "depth", minimum=1)
    burn_in = check_int(burn_in, "burn_in", minimum=0)
    record_every = check_int(record_every, "record_every", minimum=1)
    if record_every > depth:
        raise ValueError(f"record_every must be <= depth; got {record_every} > {depth}")
    return [burn_in + k * record_every for k in range(1, depth // record_every + 1)]


def soft_ranks(H: np.ndarray) -> np.ndarray:
    """``tr(H^T H)^2 / ||H^T H||_F^2`` for a stack ``(..., d, n)`` (as
    :func:`theory.gap.soft_rank`, without its input checks: the chain's inner loop)."""
    C = np.swapaxes(H, -1, -2) @ H
    C = C / np.max(np.abs(C), axis=(-2, -1), keepdims=True)
    tr = np.trace(C, axis1=-2, axis2=-1)
    return tr * tr / np.sum(C * C, axis=(-2, -1))


def simulate(
    H0: Any,
    depth: int,
    *,
    gamma: float,
    runs: int,
    seed: int,
    variant: str = "bn",
    weight_scale: str = "1/d",
    burn_in: int = 0,
    record_every: int = 1,
    with_rank: bool = False,
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    r"""``runs`` independent chains ``H_{l+1} = BN((I + gamma W_l) H_l)`` from ``H0`` (d x n),
    ``burn_in + depth`` layers; returns the soft ranks ``r(H_l)`` at the layers of
    :func:`recorded_layers`, shape ``(runs, depth // record_every)``, each in ``[1, min(d,
    n)]``.  Weights: N(0, 1/d) entries (``weight_scale="1/d"``) or N(0, 1) (``"unit"``, the
    repository's).  ``with_rank=True`` also returns the numerical ranks
    (``numpy.linalg.matrix_rank``'s rule, as :func:`theory.gap.numerical_rank`; the notebook's
    plotted quantity) at the first and the last recorded layer, an integer array ``(runs, 2)``.  ``ValueError`` naming the parameter on bad input."""
    check_matrix(H0, "H0")
    H0 = np.asarray(H0, dtype=np.float64)
    if H0.ndim != 2:
        raise ValueError(f"H0 must be a d x n matrix; got shape {H0.shape}")
    layers = recorded_layers(depth, burn_in, record_every)
    runs = check_int(runs, "runs", minimum=1)
    seed = check_seed(seed)
    g = _check_gamma(gamma)
    check_choice(variant, "variant", VARIANTS)
    check_choice(weight_scale, "weight_scale", WEIGHT_SCALES)
    d, n = H0.shape
    s = g / math.sqrt(d) if weight_scale == "1/d" else g
    rng = np.random.default_rng(seed)
    H = np.broadcast_to(_normalise(H0, variant), (runs, d, n)).copy()
    out = np.empty((runs, len(layers)))
    ranks = np.empty((runs, 2), dtype=np.int64) if with_rank else None
    k = 0
    for layer in range(1, layers[-1] + 1):
        H = _normalise(H + s * (rng.standard_normal((runs, d, d)) @ H), variant)
        if layer == layers[k]:
            out[:, k] = soft_ranks(H)
            if ranks is not None and k in (0, len(layers) - 1):
                # numpy's rule, as theory.gap.numerical_rank (a sibling module: not imported);
                # at two layers only: an SVD per run per layer would cost more than the chain
                ranks[:, 0 if k == 0 else 1] = np.linalg.matrix_rank(H)
            k += 1
    out = np.clip(out, 1.0, float(min(d, n)))
    return (out, ranks) if ranks is not None else out


def depth_average(
    H0: Any,
    depth: int,
    *,
    gamma: float,
    runs: int,
    seed: int,
    variant: str = "bn",
    weight_scale: str = "1/d",
    burn_in: int = 0,
    record_every: int = 1,
) -> np.ndarray:
    r"""Per run, the depth average ``(1/K) sum_k r(H_{l_k})`` over the recorded layers ``l_k``
    of :func:`recorded_layers` (``1..depth`` by default); shape ``(runs,)``, each in ``[1,
    min(d, n)]``."""
    return simulate(
        H0, depth, gamma=gamma, runs=runs, seed=seed, variant=variant,
        weight_scale=weight_scale, burn_in=burn_in, record_every=record_every,
    ).mean(axis=1)  # fmt: skip


__all__ = [
    "VARIANTS",
    "WEIGHT_SCALES",
    "depth_average",
    "recorded_layers",
    "residual_step",
    "simulate",
    "soft_ranks",
]
