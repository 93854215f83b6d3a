r"""Training runs (the library half of the Section 5 experiment), following the authors' notebook
``Figures_3_4.ipynb`` (function ``train``): plain SGD (no momentum, no weight decay), lr 0.01,
batch 500, cross-entropy, minibatches drawn by reshuffling the training set every epoch.

A run lasts ``steps`` SGD updates (``TrainConfig.steps``; default ``epochs`` full passes, i.e.
``epochs * ceil(N / batch)`` steps: the paper's 30 CIFAR-10 epochs are 3000 steps, 30 digits
epochs only 108).  At init (step 0), at the end of every epoch and after the last step it
records

* ``loss`` -- the mean cross-entropy over the *whole training set*, evaluated without gradient
  (the notebook prints the running mean of the epoch's minibatch losses instead);
* ``gap`` -- the orthogonality gap (Eq. 2) ``V(H) = \| H^T H/\|H\|_F^2 - I_n/n \|_F`` of the
  last hidden layer ``H = h_L`` (width x n_gap) on ``n_gap`` **held-out** samples: training
  samples outside the run's init batch (the whitening of the data-dependent inits is fitted to
  the init batch, so its gap there is not evidence of orthogonality elsewhere);
* ``gap_logits`` -- the authors' own measure (``compute_orthogonality_gap``): for each block of
  ``batch`` training samples, the singular values ``s`` of the logits (block x k classes),
  ``\| s/\|s\|_2 - \mathbf 1/\sqrt{k} \|_2``, averaged over the blocks;

and, at init only, ``extra["gap_init_batch"]``: Eq. 2 of ``h_L`` on the first ``n_gap`` samples
of the init batch itself.  A non-finite loss raises :class:`TrainingDiverged`, or, with
``on_divergence="record"``, is recorded as ``inf`` for that run (the other runs go on).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch.nn import functional as F

from ..gap import orthogonality_gap
from ..stats import derive_seed
from ._data import Dataset
from ._init import SCALES, check_init, initialize, parse_init
from ._model import MLP


class TrainingDiverged(RuntimeError):
    """The training loss became NaN or infinite."""


def _int_ge(name: str, v: Any, lo: int, *, none: bool = False) -> None:
    if none and v is None:
        return
    if isinstance(v, bool) or not isinstance(v, int) or v < lo:
        raise ValueError(
            f"{name} must be {'None or ' if none else ''}an integer >= {lo}; got {v!r}"
        )


@dataclass(frozen=True)
class TrainConfig:
    """Settings of one training run (the notebook's: width 800, lr 0.01, batch 500, 30 epochs).

    ``steps`` (SGD updates) overrides ``epochs`` when given.  ``scale`` and ``scale_batch`` are
    used by ``init="eq6-balanced"`` only.
    """

    width: int = 800
    epochs: int = 30
    lr: float = 0.01
    batch_size: int = 500
    steps: int | None = None  #: SGD updates; default epochs * ceil(N / batch_size)
    init_batch: int | None = None  #: default min(3 * width, N - gap_batch - scale batch)
    gap_batch: int | None = None  #: held-out samples for the gap; default min(width, 100)
    scale: str = "balanced"
    scale_batch: int | None = None  #: held-out batch of eq6-balanced; default min(500, N//4)
    device: str = "cpu"

    def __post_init__(self) -> None:
        _int_ge("width", self.width, 1)
        _int_ge("batch_size", self.batch_size, 1)
        _int_ge("epochs", self.epochs, 0)
        _int_ge("steps", self.steps, 0, none=True)
        if not (isinstance(self.lr, (int, float)) and math.isfinite(self.lr) and self.lr > 0):
            raise ValueError(f"lr must be a finite number > 0; got {self.lr!r}")
        for name in ("init_batch", "gap_batch", "scale_batch"):
            _int_ge(name, getattr(self, name), 2, none=True)
        if self.scale not in SCALES:
            raise ValueError(f"scale must be one of {SCALES}; got {self.scale!r}")
        if not isinstance(self.device, str) or not self.device:
            raise ValueError(f"device must be a device name such as 'cpu'; got {self.device!r}")

    def batches_per_epoch(self, num_samples: int) -> int:
        return -(-num_samples // self.batch_size)

    def n_steps(self, num_samples: int) -> int:
        """SGD updates of a run: ``steps``, or ``epochs`` full passes over ``num_samples``."""
        if self.steps is not None:
            return self.steps
        return self.epochs * self.batches_per_epoch(num_samples)

    def n_scale(self, num_samples: int, init: str = "eq6-balanced") -> int:
        """Samples of the held-out scale batch (``eq6-balanced`` with ``scale="balanced"``)."""
        if parse_init(init)[0] != "eq6-balanced" or self.scale != "balanced":
            return 0
        return self.scale_batch if self.scale_batch is not None else min(500, num_samples // 4)

    def n_init(self, num_samples: int, init: str = "authors") -> int:
        """Samples of the init batch: ``init_batch``, or 3 * width (the notebook) capped so that
        the init, scale and held-out gap batches are disjoint subsets of the data."""
        if self.init_batch is not None:
            return self.init_batch
        rest = num_samples - self.n_scale(num_samples, init) - self.n_gap
        return min(3 * self.width, rest)

    @property
    def n_gap(self) -> int:
        return self.gap_batch if self.gap_batch is not None else min(self.width, 100)


@dataclass
class RunResult:
    """Records of one run at ``steps[i]`` SGD updates (index 0 = at init)."""

    depth: int
    init: str
    seed: int
    loss: list[float]
    gap: list[float]
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)
    gap_logits: list[float] = field(default_factory=list)
    steps: list[int] = field(default_factory=list)


def default_device() -> str:
    """``"cuda"`` when torch sees a GPU, else ``"cpu"``."""
    return "cuda" if torch.cuda.is_available() else "cpu"


def _forward(Ws: list[torch.Tensor], Wo: torch.Tensor, x: torch.Tensor):
    """Stacked MLPs: ``x`` (R, B, D), ``Ws[l]`` (R, out, in) -> (h_L, logits), batched over R."""
    h = x
    for W in Ws:
        # in place on the fresh product: bmm's backward needs its inputs, not its output, and
        # relu's backward needs only its output, so autograd is unchanged (7-15% per step)
        h = torch.relu_(h @ W.transpose(1, 2))
    return h, h @ Wo.transpose(1, 2)


def gap_eq2(H: torch.Tensor) -> float:
    """Eq. 2 of ``H`` (features x samples) in float64; ``sqrt(1 - 1/n)`` (the maximum) when
    every entry is zero (all units dead), NaN when not finite."""
    H = H.to(torch.float64)
    if not bool(torch.isfinite(H).all()):
        return math.nan
    if not bool(torch.any(H != 0)):
        return math.sqrt(1 - 1 / H.shape[1])
    return float(orthogonality_gap(H))


def logit_gap(logits: torch.Tensor) -> float:
    r"""The authors' measure on one block of logits (B x k): ``\| s/\|s\|_2 - \mathbf 1/\sqrt{m}
    \|_2`` with ``s`` the ``m = min(B, k)`` singular values (``compute_orthogonality_gap``).
    Ranges over ``[0, \sqrt{2 - 2/\sqrt{m}}]`` (0: flat spectrum; max: rank one); NaN when the
    logits are zero or not finite."""
    if logits.ndim != 2:
        raise ValueError(f"logits must be a (B, k) matrix; got shape {tuple(logits.shape)}")
    L = logits.to(torch.float64)
    if not bool(torch.isfinite(L).all()):
        return math.nan
    s = torch.linalg.svdvals(L)
    ns = torch.linalg.vector_norm(s)
    if float(ns) == 0.0:
        return math.nan
    return float(torch.linalg.vector_norm(s / ns - 1.0 / math.sqrt(s.numel())))


@torch.no_grad()
def _evaluate(Ws, Wo, X: torch.Tensor, y: torch.Tensor, Xgap: torch.Tensor, block: int):
    """Per run: mean cross-entropy on the whole training set, the authors' logit gap averaged
    over blocks of ``block`` samples, and Eq. 2 of h_L on the (per-run) held-out batch."""
    R = Wo.shape[0]
    total = torch.zeros(R, dtype=torch.float64, device=X.device)
    lg = [[] for _ in range(R)]
    for i in range(0, X.shape[0], block):
        xb = X[i : i + block]
        _, logits = _forward(Ws, Wo, xb.expand(R, *xb.shape))
        yb = y[i : i + block].expand(R, -1)
        ce = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), yb.reshape(-1), reduction="none")
        total += ce.reshape(R, -1).to(torch.float64).sum(dim=1)
        for r in range(R):
            lg[r].append(logit_gap(logits[r]))
    h, _ = _forward(Ws, Wo, Xgap)
    gaps = [gap_eq2(h[r].T) for r in range(R)]
    loss = [v if math.isfinite(v) else math.inf for v in (total / X.shape[0]).tolist()]
    return loss, gaps, [float(np.mean(v)) for v in lg]


def _setup(data: Dataset, depth: int, init: str, config: TrainConfig, seed: int):
    """Model, initialised; X, y on the device; the run's held-out gap batch and init-batch
    gap samples (both n_gap samples)."""
    check_init(init)
    device = torch.device(config.device)
    X = torch.as_tensor(data.X, device=device)
    y = torch.as_tensor(data.y, device=device)
    model = MLP(data.num_features, config.width, depth, data.num_classes).to(device)
    N = data.num_samples
    n_init, n_scale, n_gap = config.n_init(N, init), config.n_scale(N, init), config.n_gap
    if n_init < 2 or n_init + n_scale + n_gap > N:
        raise ValueError(
            f"init_batch + scale_batch + gap_batch must be <= the {N} samples of {data.name!r} "
            f"and init_batch >= 2; got init_batch={n_init}, scale_batch={n_scale}, "
            f"gap_batch={n_gap}"
        )
    perm = np.random.default_rng(derive_seed("init-batch", seed)).permutation(N)
    idx_init, idx_scale = perm[:n_init], perm[n_init : n_init + n_scale]
    idx_held = perm[N - n_gap :]
    initialize(
        model,
        init,
        X_init=X[idx_init],
        seed=derive_seed("weights", seed),
        scale=config.scale,
        X_scale=X[idx_scale],
        y_scale=y[idx_scale],
    )
    return model, X, y, X[idx_held], X[idx_init[:n_gap]]


def initial_gaps(
    data: Dataset, depth: int, init: str, config: TrainConfig, seed: int
) -> dict[str, float]:
    """Gaps of the last hidden layer at init, no training: ``{"held_out": V(h_L) on the n_gap
    held-out samples, "init_batch": V(h_L) on n_gap samples of the init batch (Eq. 2),
    "logits": the authors' logit measure on the held-out samples}``."""
    model, _, _, Xh, Xi = _setup(data, depth, init, config, seed)
    with torch.no_grad():
        return {
            "held_out": gap_eq2(model.representation(Xh).T),
            "init_batch": gap_eq2(model.representation(Xi).T),
            "logits": logit_gap(model(Xh)),
        }


def initial_gap(data: Dataset, depth: int, init: str, config: TrainConfig, seed: int) -> float:
    """Eq. 2 of the last hidden layer at init on the held-out samples (:func:`initial_gaps`)."""
    return initial_gaps(data, depth, init, config, seed)["held_out"]


def train_runs(
    data: Dataset,
    depth: int,
    init: str,
    config: TrainConfig,
    seeds: Sequence[int],
    *,
    progress: bool = False,
    every_epoch: bool = True,
    on_divergence: str = "raise",
) -> list[RunResult]:
    """Initialise and train one MLP per seed for ``config.n_steps(N)`` SGD updates; records at
    step 0, after every epoch and after the last step (``every_epoch=False``: at step 0 and after
    the last step only -- cheaper, for the checks).

    The runs are independent (own init, init batch, minibatch order and parameters) but are
    stepped together as one stacked batched-matmul network: the summed loss has block-separate
    gradients, so each run follows exactly its own plain-SGD trajectory (up to float summation
    order).  ``on_divergence``: ``"raise"`` (:class:`TrainingDiverged`) or ``"record"`` (the
    run's loss is ``inf`` from then on; other runs are unaffected).
    """
    if on_divergence not in ("raise", "record"):
        raise ValueError(f"on_divergence must be 'raise' or 'record'; got {on_divergence!r}")
    _int_ge("depth", depth, 1)
    seeds = [int(sd) for sd in seeds]
    if not seeds:
        raise ValueError("seeds must hold at least one seed")
    t0 = time.perf_counter()
    setups = [_setup(data, depth, init, config, sd) for sd in seeds]
    X, y = setups[0][1], setups[0][2]
    Xgap = torch.stack([s[3] for s in setups])  # (R, n_gap, D): each run's held-out samples
    with torch.no_grad():
        g_init = [gap_eq2(m.representation(xi).T) for m, _, _, _, xi in setups]
    R = len(seeds)
    Ws = [
        torch.stack([m.hidden[l].weight.detach() for m, *_ in setups]).requires_grad_()
        for l in range(depth)
    ]
    Wo = torch.stack([m.readout.weight.detach() for m, *_ in setups]).requires_grad_()
    del setups
    opt = torch.optim.SGD([*Ws, Wo], lr=config.lr)
    N, B = X.shape[0], config.batch_size
    total = config.n_steps(N)
    per_epoch = config.batches_per_epoch(N)
    loss0, gap0, lg0 = _evaluate(Ws, Wo, X, y, Xgap, B)
    losses, gaps, lgaps = [[v] for v in loss0], [[v] for v in gap0], [[v] for v in lg0]
    at = [0]
    gens = [torch.Generator().manual_seed(derive_seed("order", sd) % (2**63)) for sd in seeds]
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=total, desc=f"L={depth} {init} x{R}", leave=False, unit="step")
    step = 0
    while step < total:
        perm = torch.stack([torch.randperm(N, generator=g) for g in gens]).to(X.device)
        for i in range(0, N, B):
            if step >= total:
                break
            idx = perm[:, i : i + B]  # (R, b)
            opt.zero_grad(set_to_none=True)
            _, logits = _forward(Ws, Wo, X[idx])
            ce = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y[idx].reshape(-1))
            (ce * R).backward()  # = sum over runs of each run's mean loss
            opt.step()
            step += 1
            if bar is not None:
                bar.update(1)
        if step < total and (not every_epoch or step % per_epoch):
            continue
        loss_e, gap_e, lg_e = _evaluate(Ws, Wo, X, y, Xgap, B)
        bad = [sd for sd, v in zip(seeds, loss_e) if not math.isfinite(v)]
        if bad and on_divergence == "raise":
            raise TrainingDiverged(
                f"training loss is not finite after step {step} (depth={depth}, init={init}, "
                f"seeds={bad}, lr={config.lr}, scale={config.scale})"
            )
        at.append(step)
        for r in range(R):
            losses[r].append(loss_e[r])
            gaps[r].append(gap_e[r])
            lgaps[r].append(lg_e[r])
    if bar is not None:
        bar.close()
    dt = (time.perf_counter() - t0) / R
    return [
        RunResult(
            depth,
            init,
            sd,
            losses[r],
            gaps[r],
            dt,
            {"gap_init_batch": g_init[r], "device": str(X.device)},
            lgaps[r],
            list(at),
        )
        for r, sd in enumerate(seeds)
    ]


def train_run(
    data: Dataset,
    depth: int,
    init: str,
    config: TrainConfig,
    seed: int,
    *,
    progress: bool = False,
    every_epoch: bool = True,
    on_divergence: str = "raise",
) -> RunResult:
    """One run of :func:`train_runs`."""
    return train_runs(
        data,
        depth,
        init,
        config,
        [seed],
        progress=progress,
        every_epoch=every_epoch,
        on_divergence=on_divergence,
    )[0]


__all__ = [
    "RunResult",
    "TrainConfig",
    "TrainingDiverged",
    "default_device",
    "gap_eq2",
    "initial_gap",
    "initial_gaps",
    "logit_gap",
    "train_run",
    "train_runs",
]
