"""The BN chain of paper Eq. (1), its variants, and two samplers of it.

Model (Eq. 1): ``H_{l+1} = BN(W_l phi(H_l)) / sqrt(d)`` with ``BN(M) = diag(M M^T)^{-1/2} M``
(each *row* divided by its norm, no mean centring), ``W_l`` i.i.d. N(0, 1/d) entries, fresh at
every layer, and ``phi`` the identity in the paper's theory.

Variants, all through the same code path:

* ``variant="bn"`` (Eq. 1), ``"bn-centered"`` (rows centred over the batch, then normalised:
  the usual BN, App. G of the paper), ``"vanilla"`` (no normalisation: ``H_{l+1} = W_l phi(H_l)``);
* ``activation`` in ``"linear"`` (the theory), ``"relu"``, ``"tanh"``, ``"sin"`` applied *before*
  the linear map (v1 App. F conjecture);
* ``activation_scale``: the input of the activation.  ``"frobenius"`` (default, the earlier
  behaviour): ``phi(H_l)`` with ``||H_l||_F = 1`` (l >= 1), entries ~ 1/sqrt(nd), where tanh and
  sin act almost linearly.  ``"rows"`` (the authors' scale): ``phi(sqrt(d) H_l / ||H_l||_F)``.
  For l >= 1, ``sqrt(d) H_l = BN(W_{l-1} phi(H_{l-1}))`` by Eq. (1), whose rows have unit norm:
  the activation then acts on the BN output before the ``1/sqrt(d)``, as in the authors'
  notebook (entries ~ 1/sqrt(n)).  :func:`activation_input` returns that matrix.  Linear and
  ReLU are positively homogeneous and the map after them is scale invariant, so the scale
  changes nothing for them; for tanh and sin it does.

Samplers:

* ``"naive"`` draws the d x d matrix ``W_l`` (as the authors' code does): O(d^2 n) per layer.
* ``"reduced"`` (default) uses that, conditional on ``A = phi(H_l)``, the rows of ``W_l A`` are
  i.i.d. N(0, A^T A / d); hence ``W_l A`` has the law of ``Z R / sqrt(d)`` with ``Z`` a d x n
  standard normal matrix and ``R^T R = A^T A`` (R from a QR of A).  Exact in law, layer by layer
  and jointly along the chain because each ``W_l`` is fresh.  O(d n^2) per layer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._backend import Backend, get_backend, to_numpy
from ._validate import check_choice, check_int, check_matrix, check_seed

VARIANTS = ("bn", "bn-centered", "vanilla")
ACTIVATIONS = ("linear", "relu", "tanh", "sin")
SAMPLERS = ("reduced", "naive")
ACTIVATION_SCALES = ("frobenius", "rows")
RECORDABLE = ("V", "sigma_min", "spectrum", "gram", "cosine")

#: Default cap on the number of array elements one chunk of runs may hold (2^25 float64 = 256 MiB).
MAX_ELEMENTS = 2**25


def activation_fn(name: str, xp: Any) -> Any:
    check_choice(name, "activation", ACTIVATIONS)
    if name == "linear":
        return lambda H: H
    if name == "relu":
        return lambda H: xp.where(H > 0, H, xp.zeros_like(H))
    return getattr(xp, name)


def activation_input(H: Any, scale: str = "frobenius") -> Any:
    r"""The matrix the activation is applied to, for ``H`` of shape ``(..., d, n)``:

    * ``scale="frobenius"``: ``H`` itself (unit Frobenius norm along the chain, Eq. 1);
    * ``scale="rows"``: ``sqrt(d) H / ||H||_F``, whose mean squared row norm is 1; for
      ``H = BN(M) / sqrt(d)`` (Eq. 1, any layer l >= 1) this is ``BN(M)`` exactly, every row of
      unit norm (the authors' scale, v1 App. F).

    ``ValueError`` for an unknown ``scale`` or a zero / non-finite ``H``.
    """
    check_choice(scale, "activation_scale", ACTIVATION_SCALES)
    xp = check_matrix(H, "H")
    if scale == "frobenius":
        return H
    return _rows(H, xp)


def _rows(H: Any, xp: Any) -> Any:
    """``sqrt(d) H / ||H||_F`` (no input checks: the chain's inner loop)."""
    H = H / xp.max(xp.abs(H), axis=(-2, -1), keepdims=True)  # no overflow in the squares
    return H * (math.sqrt(H.shape[-2]) / xp.sqrt(xp.sum(H * H, axis=(-2, -1), keepdims=True)))


def bn(M: Any, *, center: bool = False) -> Any:
    r"""Row-wise batch normalisation of Eq. (1): ``BN(M) = diag(M M^T)^{-1/2} M``.

    With ``center=True`` each row is first centred over the batch (the n columns).  Rows with
    zero norm make BN undefined; they become NaN here and :func:`simulate` reports them.
    """
    xp = check_matrix(M, "M")
    if center:
        M = M - xp.mean(M, axis=-1, keepdims=True)
    return M / xp.sqrt(xp.sum(M * M, axis=-1, keepdims=True))


def _post(M: Any, variant: str, d: int, xp: Any, activation: str) -> Any:
    """Map ``M = W phi(H)`` to the next representation."""
    if variant != "vanilla" or activation in ("linear", "relu"):
        # the map below is invariant to a positive rescaling of M: rescale so squares cannot overflow
        M = M / xp.max(xp.abs(M), axis=(-2, -1), keepdims=True)
    if variant == "vanilla":
        if activation in ("linear", "relu"):
            # positively homogeneous chain: rescaling to unit norm changes no scale-invariant
            # statistic and prevents overflow over hundreds of layers
            return M / xp.sqrt(xp.sum(M * M, axis=(-2, -1), keepdims=True))
        return M
    if variant == "bn-centered":
        M = M - xp.mean(M, axis=-1, keepdims=True)
    return M / (xp.sqrt(xp.sum(M * M, axis=-1, keepdims=True)) * math.sqrt(d))


def step(
    H: Any,
    W: Any,
    *,
    variant: str = "bn",
    activation: str = "linear",
    activation_scale: str = "frobenius",
) -> Any:
    r"""One exact layer given the weights: ``H' = BN(W phi(A)) / sqrt(d)`` (Eq. 1) or a variant,
    with ``A = activation_input(H, activation_scale)`` (``A = H`` by default).

    ``H`` is ``(..., d, n)`` and ``W`` is ``(..., d, d)``; deterministic.
    """
    xp = check_matrix(H, "H")
    check_choice(variant, "variant", VARIANTS)
    _check_scale(activation_scale, variant)
    d = H.shape[-2]
    if tuple(W.shape[-2:]) != (d, d):
        raise ValueError(f"W must have shape (..., d, d) with d={d}; got {tuple(W.shape)}")
    M = W @ activation_fn(activation, xp)(activation_input(H, activation_scale))
    return _post(M, variant, d, xp, activation)


def _check_scale(activation_scale: str, variant: str) -> None:
    check_choice(activation_scale, "activation_scale", ACTIVATION_SCALES)
    if activation_scale == "rows" and variant == "vanilla":
        raise ValueError(
            "activation_scale='rows' needs a BN variant ('bn' or 'bn-centered'): it is the scale "
            "of the BN output, which the vanilla chain does not have"
        )


@dataclass(frozen=True)
class ChainResult:
    """Per-layer statistics of ``runs`` independent chains, index 0 being ``H_0``.

    All arrays are float64 NumPy arrays with leading shape ``(runs, depth + 1)``:

    * ``V``: orthogonality gap ``V(H_l)`` (Eq. 2);
    * ``sigma_min``: smallest singular value of the unit-norm ``H_l`` (Assumption A1);
    * ``spectrum``: all singular values of the unit-norm ``H_l``, ``(runs, depth+1, n)``, if recorded;
    * ``gram``: ``H_l^T H_l / ||H_l||_F^2``, ``(runs, depth+1, n, n)``, if recorded;
    * ``cosine``: ``|cos(h_0, h_1)|`` between the first two samples, if recorded.
    """

    V: np.ndarray
    sigma_min: np.ndarray
    spectrum: np.ndarray | None = None
    gram: np.ndarray | None = None
    cosine: np.ndarray | None = None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return int(self.params["n"])

    @property
    def lyapunov(self) -> np.ndarray:
        """``Vhat(H_l) = 1/n - sigma_min(H_l)^2``, shape (runs, depth + 1)."""
        return 1.0 / self.n - self.sigma_min**2


def _stats(R: Any, xp: Any, record: Sequence[str]) -> dict[str, Any]:
    """Statistics of ``H`` from any ``R`` with ``R^T R = H^T H`` (n x n, cheap)."""
    R = R / xp.max(xp.abs(R), axis=(-2, -1), keepdims=True)  # no overflow in R^T R
    G = xp.matrix_transpose(R) @ R
    tr = xp.sum(xp.linalg.diagonal(G), axis=-1)
    G = G / tr[..., None, None]
    n = G.shape[-1]
    out: dict[str, Any] = {}
    eye = xp.eye(n, dtype=G.dtype, device=getattr(G, "device", None))
    D = G - eye / n
    out["V"] = xp.sqrt(xp.sum(D * D, axis=(-2, -1)))
    s = xp.linalg.svdvals(R / xp.sqrt(tr)[..., None, None])
    out["sigma_min"] = s[..., -1]
    if "spectrum" in record:
        out["spectrum"] = s
    if "gram" in record:
        out["gram"] = G
    if "cosine" in record:
        out["cosine"] = xp.abs(G[..., 0, 1]) / xp.sqrt(G[..., 0, 0] * G[..., 1, 1])
    return out


def _run_chunk(
    H: Any,
    depth: int,
    be: Backend,
    rng: Any,
    sampler: str,
    variant: str,
    activation: str,
    record: Sequence[str],
    activation_scale: str = "frobenius",
) -> dict[str, list[Any]]:
    xp = be.xp
    c, d, n = H.shape
    phi = activation_fn(activation, xp)
    rows: dict[str, list[Any]] = {
        k: [] for k in RECORDABLE if k in record or k in ("V", "sigma_min")
    }
    sqrt_d = math.sqrt(d)
    for layer in range(depth + 1):
        R_H = be.qr_r(H)
        for k, v in _stats(R_H, xp, record).items():
            rows[k].append(v)
        if layer == depth:
            break
        A = phi(H if activation_scale == "frobenius" else _rows(H, xp))
        if sampler == "reduced" and variant != "vanilla":
            R_A = R_H if activation == "linear" else be.qr_r(A)
            # BN is invariant to a positive scalar on M = Z R_A / sqrt(d): drop the 1/sqrt(d) and
            # scale the n x n factor (not the d x n product) so that squares cannot overflow
            R_A = R_A / xp.max(xp.abs(R_A), axis=(-2, -1), keepdims=True)
            M = be.standard_normal(rng, (c, d, n)) @ R_A
            if variant == "bn-centered":
                M = M - xp.mean(M, axis=-1, keepdims=True)
            inv = 1.0 / (xp.sqrt(be.row_sq_norms(M)) * sqrt_d)
            H = M * inv[..., None]
            finite = xp.all(xp.isfinite(inv), axis=-1)
        else:
            if sampler == "reduced":
                R_A = R_H if activation == "linear" else be.qr_r(A)
                M = be.standard_normal(rng, (c, d, n)) @ R_A / sqrt_d
            else:
                W = be.standard_normal(rng, (c, d, d)) / sqrt_d
                M = W @ A
            H = _post(M, variant, d, xp, activation)
            finite = xp.all(xp.isfinite(H), axis=(-2, -1))
        if not bool(xp.all(finite)):
            run = int(to_numpy(xp.argmax(xp.astype(~finite, xp.int8), axis=0)))
            raise ValueError(
                f"the chain became undefined at layer {layer + 1} of run {run} of this chunk: a "
                f"row of W phi(H) is identically zero, so BN divides by zero "
                f"(activation={activation!r}, variant={variant!r}); check H0 and the activation"
            )
    return rows


def simulate(
    H0: Any,
    depth: int,
    *,
    runs: int,
    seed: int,
    backend: str | Backend = "numpy",
    sampler: str = "reduced",
    variant: str = "bn",
    activation: str = "linear",
    activation_scale: str = "frobenius",
    dtype: str | None = None,
    device: str | None = None,
    record: Sequence[str] = ("V", "sigma_min"),
    max_elements: int = MAX_ELEMENTS,
) -> ChainResult:
    r"""Simulate ``runs`` independent chains ``H_0 -> H_1 -> ... -> H_depth`` of Eq. (1).

    Parameters
    ----------
    H0 : ``(d, n)`` (shared by every run) or ``(runs, d, n)``; finite, nonzero, ``d >= n``.
    depth : number of layers, ``>= 0``.
    runs : number of independent chains, ``>= 1``.
    seed : explicit non-negative integer.  The same arguments and seed give the same numbers in
        any process, whatever the pytest-xdist worker count or test order.
    backend, dtype, device : see :func:`theory.get_backend` (NumPy float64 on the CPU by default).
    sampler : ``"reduced"`` (exact in law, O(d n^2) per layer, default) or ``"naive"`` (draws
        the d x d weights, O(d^2 n)).
    variant : ``"bn"`` (Eq. 1), ``"bn-centered"`` or ``"vanilla"``.
    activation : ``"linear"`` (the theory), ``"relu"``, ``"tanh"`` or ``"sin"``, before ``W``.
    activation_scale : ``"frobenius"`` (default: ``phi(H_l)``, unchanged behaviour) or ``"rows"``
        (``phi(sqrt(d) H_l / ||H_l||_F)``: the BN output with unit-norm rows, the authors'
        scale); see :func:`activation_input`.  ``"rows"`` needs a BN variant.
    record : which statistics to keep, from :data:`RECORDABLE`; V and sigma_min always are.
    max_elements : memory cap; runs are processed in chunks so that no array exceeds it.

    Returns
    -------
    ChainResult with ``V`` and ``sigma_min`` of shape ``(runs, depth + 1)``; index 0 is ``H_0``.
    """
    be = get_backend(backend, dtype=dtype, device=device)
    depth = check_int(depth, "depth", minimum=0)
    runs = check_int(runs, "runs", minimum=1)
    seed = check_seed(seed)
    check_choice(sampler, "sampler", SAMPLERS)
    check_choice(variant, "variant", VARIANTS)
    check_choice(activation, "activation", ACTIVATIONS)
    _check_scale(activation_scale, variant)
    max_elements = check_int(max_elements, "max_elements", minimum=1)
    record = tuple(record)
    for r in record:
        check_choice(r, "record entries", RECORDABLE)
    H0 = be.asarray(H0)
    check_matrix(H0, "H0", require_d_ge_n=True)
    if len(H0.shape) not in (2, 3):
        raise ValueError(f"H0 must have shape (d, n) or (runs, d, n); got {tuple(H0.shape)}")
    if len(H0.shape) == 3 and H0.shape[0] != runs:
        raise ValueError(
            f"H0 of shape (runs, d, n) must have runs={runs} leading; got {H0.shape[0]}"
        )
    d, n = int(H0.shape[-2]), int(H0.shape[-1])
    if "cosine" in record and n < 2:
        raise ValueError("record='cosine' needs n >= 2 samples")
    if variant == "bn-centered" and n < 2:
        raise ValueError("variant='bn-centered' needs n >= 2: centring one sample gives zero rows")
    per_run = d * d if sampler == "naive" else d * n
    if per_run > max_elements:
        raise ValueError(
            f"sampler={sampler!r} needs {per_run} elements per run at d={d}, n={n}, above "
            f"max_elements={max_elements}; use sampler='reduced' or raise max_elements"
        )
    chunk = max(1, max_elements // per_run)
    starts = list(range(0, runs, chunk))
    children = np.random.SeedSequence(seed).spawn(len(starts))
    pieces: dict[str, list[np.ndarray]] = {}
    for start, ss in zip(starts, children):
        c = min(chunk, runs - start)
        Hc = H0[start : start + c] if len(H0.shape) == 3 else be.xp.broadcast_to(H0, (c, d, n))
        rows = _run_chunk(
            Hc, depth, be, be.rng(ss), sampler, variant, activation, record, activation_scale
        )
        for k, vals in rows.items():
            pieces.setdefault(k, []).append(to_numpy(be.xp.stack(vals, axis=1)).astype(np.float64))
    out = {k: np.concatenate(v, axis=0) for k, v in pieces.items()}
    params = dict(
        d=d,
        n=n,
        depth=depth,
        runs=runs,
        seed=seed,
        backend=be.name,
        dtype=be.dtype_name,
        device=be.device,
        sampler=sampler,
        variant=variant,
        activation=activation,
        activation_scale=activation_scale,
    )
    return ChainResult(
        V=out["V"],
        sigma_min=out["sigma_min"],
        spectrum=out.get("spectrum"),
        gram=out.get("gram"),
        cosine=out.get("cosine"),
        params=params,
    )
