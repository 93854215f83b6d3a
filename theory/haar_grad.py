r"""Gradient of the first layer's weights in the BN chain of ICLR 2024 (Meterez, Joudaki, Orabona,
Immer, Rätsch, Daneshmand, "Towards training without depth limits: batch normalization without
gradient explosion"; code: github.com/alexandrumeterez/bngrad, ``Gradients.ipynb``).

The network of depth ``L`` (linear, BN without centring, no bias, batch size n = width d), as the
notebook's ``MLPWithBatchNorm(order='norm_act', mean_reduction=False, activation=identity)``
with its samples in columns (``H = X^T``):

.. math::

    M_l = W_l H_{l-1},\quad H_l = \mathrm{BN}(M_l),\ l = 1..L,\qquad
    \mathrm{logits} = R H_L \ (k \times n),\qquad
    \mathcal L = \frac1n \sum_{j=1}^n \mathrm{CE}(\mathrm{logits}_{:, j}, y_j),

``BN(M)_{ij} = M_{ij} / sqrt(mean_k M_{ik}^2)`` (:func:`theory.haar.bn_rms`), ``CE`` the
cross-entropy with softmax (the notebook's ``nn.CrossEntropyLoss``, mean over the batch).

Weights (the notebook's ``reset_parameters``):

* ``haar``: ``torch.nn.init.orthogonal_`` -- every ``W_l`` Haar on O(d), the readout ``R`` (k x d)
  with orthonormal rows (k <= d) or columns (k > d), drawn as Haar frames;
* ``gaussian``: ``xavier_normal_`` with gain 1 -- entries N(0, 2/(fan_in + fan_out)), i.e. N(0,
  1/d) for ``W_l`` and N(0, 2/(k + d)) for ``R``.

Returned quantity: ``log ||grad_{W_1} L||_F`` per run (the notebook's ``weight.grad.norm().log()``),
computed by torch autograd in float64 on the CPU (:func:`first_layer_log_grad`) or by the
explicit backward recursion below in NumPy (:func:`first_layer_log_grad_numpy`, the reference of
the unit tests):

.. math::

    \partial_{H_L}\mathcal L = R^T (\mathrm{softmax} - Y)/n,\quad
    (\partial_{M_l})_{i:} = \frac{\sqrt n}{\|m_i\|}\Big(g_i - \frac{\langle g_i, m_i\rangle}{\|m_i\|^2}
    m_i\Big)\ (g = \partial_{H_l}, m_i\ \text{the rows of}\ M_l),\quad
    \partial_{H_{l-1}} = W_l^T \partial_{M_l},\quad \partial_{W_1}\mathcal L = \partial_{M_1} H_0^T.

Several depths share one draw (coupling): the depth-``L`` network uses ``W_1..W_L`` of the
deepest draw and the same readout ``R``, so the per-run difference ``log g(L') - log g(L)``
has the mean ``E log g(L') - E log g(L)`` of independent networks (each marginal is exact).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ._validate import check_choice, check_int, check_matrix, check_seed
from .haar import WEIGHTS, bn_rms, haar_orthogonal, haar_stiefel

#: number of classes of the notebook's readout (CIFAR-10)
CLASSES = 10


def readout(d: int, k: int, weights: str, rng: np.random.Generator, runs: int) -> np.ndarray:
    r"""The readout ``R`` (runs, k, d): Haar (orthonormal rows if k <= d, else orthonormal
    columns; torch's ``orthogonal_``) or Gaussian N(0, 2/(k + d)) (``xavier_normal_``, gain 1).
    ``ValueError`` for d < 1, k < 1, runs < 1 or an unknown ``weights``."""
    d = check_int(d, "d", minimum=1)
    k = check_int(k, "k", minimum=1)
    runs = check_int(runs, "runs", minimum=1)
    check_choice(weights, "weights", WEIGHTS)
    if weights == "gaussian":
        return rng.standard_normal((runs, k, d)) * math.sqrt(2.0 / (k + d))
    if k <= d:
        return np.swapaxes(haar_stiefel(d, k, rng, runs), -1, -2)
    return haar_stiefel(k, d, rng, runs)


def draw_network(
    d: int, depth: int, *, runs: int, seed: int, weights: str = "haar", k: int = CLASSES
) -> tuple[np.ndarray, np.ndarray]:
    r"""``runs`` i.i.d. draws of ``(W, R)``: ``W`` (runs, depth, d, d) the hidden weights
    ``W_1..W_depth`` (Haar or N(0, 1/d)), ``R`` (runs, k, d) the readout (:func:`readout`).
    ``ValueError`` for a bad d, depth, runs, seed, weights or k."""
    d = check_int(d, "d", minimum=1)
    depth = check_int(depth, "depth", minimum=1)
    runs = check_int(runs, "runs", minimum=1)
    seed = check_seed(seed)
    check_choice(weights, "weights", WEIGHTS)
    rng = np.random.default_rng(seed)
    if weights == "haar":
        W = haar_orthogonal(d, rng, runs * depth).reshape(runs, depth, d, d)
    else:
        W = rng.standard_normal((runs, depth, d, d)) / math.sqrt(d)
    return W, readout(d, k, weights, rng, runs)


def _check_inputs(H0: Any, labels: Any, depths: Sequence[int], W: Any, R: Any) -> tuple:
    check_matrix(np.asarray(H0) if not hasattr(H0, "shape") else H0, "H0")
    H0 = np.asarray(H0, dtype=np.float64)
    if H0.ndim != 2:
        raise ValueError(f"H0 must be one d x n matrix; got shape {H0.shape}")
    d, n = H0.shape
    W = np.asarray(W, dtype=np.float64)
    R = np.asarray(R, dtype=np.float64)
    if W.ndim != 4 or W.shape[-2:] != (d, d):
        raise ValueError(f"W must have shape (runs, depth, {d}, {d}); got {W.shape}")
    if R.ndim != 3 or R.shape[0] != W.shape[0] or R.shape[-1] != d:
        raise ValueError(f"R must have shape ({W.shape[0]}, k, {d}); got {R.shape}")
    if not (np.all(np.isfinite(W)) and np.all(np.isfinite(R))):
        raise ValueError("W and R must be finite")
    y = np.asarray(labels)
    k = R.shape[1]
    if y.shape != (n,) or not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or y.max() >= k:
        raise ValueError(f"labels must be n = {n} integers in [0, {k}); got {labels!r}")
    ds = sorted({check_int(L, "depth", minimum=1) for L in depths})
    if not ds or ds[-1] > W.shape[1]:
        raise ValueError(f"depths must be non-empty and <= {W.shape[1]} (W's depth); got {depths}")
    return H0, y, ds, W, R


def first_layer_log_grad(
    H0: Any, labels: Any, depths: Sequence[int], W: Any, R: Any
) -> dict[int, np.ndarray]:
    r"""``{L: log ||grad_{W_1} L_L||_F per run}`` for each depth ``L`` in ``depths``, by torch
    autograd (float64, CPU), for the network of the module docstring with input ``H0`` (d x n),
    class ``labels`` (n integers in [0, k)), hidden weights ``W`` (runs, depth, d, d) and
    readout ``R`` (runs, k, d) (:func:`draw_network`); the depth-L network uses ``W[:, :L]``.
    A zero gradient gives ``-inf``.  ``ValueError`` for bad shapes, labels or depths; needs
    PyTorch (``ValueError`` if it is not installed)."""
    H0, y, ds, W, R = _check_inputs(H0, labels, depths, W, R)
    try:
        import torch
    except ImportError as e:  # pragma: no cover - torch is an optional extra
        raise ValueError("first_layer_log_grad needs PyTorch (pip install '.[torch]')") from e
    runs, n = W.shape[0], H0.shape[1]
    f64 = torch.float64
    Wt = torch.as_tensor(W, dtype=f64)
    W1 = Wt[:, 0].clone().requires_grad_(True)
    Rt = torch.as_tensor(R, dtype=f64)
    tgt = torch.as_tensor(y, dtype=torch.long).expand(runs, n)

    def bn(M: torch.Tensor) -> torch.Tensor:
        return M / torch.sqrt(torch.mean(M * M, dim=-1, keepdim=True))

    H = bn(W1 @ torch.as_tensor(H0, dtype=f64))
    losses = {}
    for layer in range(1, ds[-1] + 1):
        if layer > 1:
            H = bn(Wt[:, layer - 1] @ H)
        if layer in ds:
            logits = Rt @ H  # (runs, k, n): classes x samples
            losses[layer] = torch.nn.functional.cross_entropy(logits, tgt, reduction="none").mean(
                dim=-1
            )
    out = {}
    for i, L in enumerate(ds):
        (g,) = torch.autograd.grad(losses[L].sum(), W1, retain_graph=i < len(ds) - 1)
        out[L] = torch.log(torch.linalg.matrix_norm(g)).detach().numpy()
    return out


def first_layer_log_grad_numpy(
    H0: Any, labels: Any, depths: Sequence[int], W: Any, R: Any
) -> dict[int, np.ndarray]:
    r"""The same as :func:`first_layer_log_grad` by the explicit backward recursion of the module
    docstring in NumPy float64 (the reference the unit tests compare autograd with)."""
    H0, y, ds, W, R = _check_inputs(H0, labels, depths, W, R)
    runs, n = W.shape[0], H0.shape[1]
    Ms, Hs = [], []
    H = np.broadcast_to(H0, (runs, *H0.shape))
    for layer in range(ds[-1]):
        M = W[:, layer] @ H
        Ms.append(M)
        H = bn_rms(M)
        Hs.append(H)
    out = {}
    onehot = np.eye(R.shape[1])[:, y]  # (k, n)
    for L in ds:
        z = R @ Hs[L - 1]
        z = z - z.max(axis=-2, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=-2, keepdims=True)
        g = np.swapaxes(R, -1, -2) @ (p - onehot) / n  # dL/dH_L
        for layer in range(L, 0, -1):
            M = Ms[layer - 1]
            sq = np.sum(M * M, axis=-1, keepdims=True)
            gm = np.sqrt(n / sq) * (g - np.sum(g * M, axis=-1, keepdims=True) / sq * M)
            if layer > 1:
                g = np.swapaxes(W[:, layer - 1], -1, -2) @ gm
        G = gm @ H0.T
        with np.errstate(divide="ignore"):
            out[L] = np.log(np.sqrt(np.sum(G * G, axis=(-2, -1))))
    return out


def notebook_inputs(d: int, n: int, seed: int, k: int = CLASSES) -> tuple[np.ndarray, np.ndarray]:
    r"""A fixed batch in the notebook's role (its CIFAR batch after ``fc_0`` and BN): ``H_0 =
    BN(G)`` with ``G`` a d x n standard Gaussian (linearly independent columns almost surely, the
    theorem's hypothesis) and labels uniform on ``{0..k-1}``, both from ``seed``.  ``ValueError``
    for d < 1, n < 1, k < 2 or a bad seed."""
    d = check_int(d, "d", minimum=1)
    n = check_int(n, "n", minimum=1)
    k = check_int(k, "k", minimum=2)
    rng = np.random.default_rng(check_seed(seed))
    return bn_rms(rng.standard_normal((d, n))), rng.integers(0, k, size=n)


__all__ = [
    "CLASSES",
    "draw_network",
    "first_layer_log_grad",
    "first_layer_log_grad_numpy",
    "notebook_inputs",
    "readout",
]
