r"""Training runs and the Section 5 experiment (Figs. 4-5), following the authors' notebook
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
import platform
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import torch
from torch.nn import functional as F

from ..gap import orthogonality_gap
from ..stats import derive_seed, t_interval
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
        h = torch.relu(h @ W.transpose(1, 2))
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


def t_band(x: Sequence[float], level: float = 0.95) -> tuple[float, float, float]:
    """Mean and the two-sided Student-t interval over the runs (:func:`theory.stats.t_interval`;
    assumes normal run values: for the figures' bands only, never a verdict); NaN when a value
    is not finite (a diverged run)."""
    a = np.asarray(x, dtype=np.float64)
    if a.size == 0 or not np.all(np.isfinite(a)):
        return (math.nan,) * 3
    return t_interval(a, confidence=level)


def run_experiment(
    data: Dataset,
    depths: Sequence[int],
    inits: Sequence[str],
    runs: int,
    config: TrainConfig,
    *,
    seed: int = 0,
    progress: bool = True,
) -> dict[str, Any]:
    """Train ``runs`` seeds for every (depth, init); return the JSON-ready results dict.

    Run r of every (depth, init) uses seed ``derive_seed(seed, depth, r)``: the init batch, the
    minibatch order and the Xavier draws are shared by the inits at equal (depth, r), so the
    comparison of inits is paired.  A diverged run is kept with loss ``inf`` and listed under
    ``"diverged"``.  Nothing here reads the environment.
    """
    _int_ge("runs", runs, 1)
    for L in depths:
        _int_ge("depths", L, 1)
    for i in inits:
        check_init(i)
    cells = [(L, init) for L in depths for init in inits]
    it = cells
    if progress:
        from tqdm.auto import tqdm

        it = tqdm(cells, desc=f"(depth, init) cells x {runs} runs", unit="cell")
    out: list[RunResult] = []
    t0 = time.perf_counter()
    for L, init in it:
        sds = [derive_seed(seed, L, r) for r in range(runs)]
        out.extend(
            train_runs(data, L, init, config, sds, progress=progress, on_divergence="record")
        )
    return results_dict(data, out, config, depths, inits, runs, seed, time.perf_counter() - t0)


def hardware() -> dict[str, Any]:
    import os

    hw = {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
    }
    if torch.cuda.is_available():
        hw["gpu"] = torch.cuda.get_device_name(0)
    return hw


def results_dict(data, out, config, depths, inits, runs, seed, seconds) -> dict[str, Any]:
    """Summary per (depth, init) and the report's figures (COMMON.md figure schema)."""
    summary: dict[str, dict[str, Any]] = {}
    for init in inits:
        rows = {}
        for L in depths:
            rs = [r for r in out if r.init == init and r.depth == L]
            rows[str(L)] = {
                "loss_final": t_band([r.loss[-1] for r in rs]),
                "gap_init": t_band([r.gap[0] for r in rs]),
                "gap_init_batch": t_band([r.extra["gap_init_batch"] for r in rs]),
                "gap_logits_init": t_band([r.gap_logits[0] for r in rs]),
                "gap_final": t_band([r.gap[-1] for r in rs]),
                "gap_logits_final": t_band([r.gap_logits[-1] for r in rs]),
                "losses_final": [r.loss[-1] for r in rs],
                "diverged": sum(not math.isfinite(r.loss[-1]) for r in rs),
            }
        summary[init] = rows
    N = data.num_samples
    steps = config.n_steps(N)
    res = {
        "config": {
            **asdict(config),
            "n_steps": steps,
            "n_epochs": steps / config.batches_per_epoch(N),
            "n_init": {i: config.n_init(N, i) for i in inits},
            "n_scale": {i: config.n_scale(N, i) for i in inits},
            "n_gap": config.n_gap,
        },
        "data": {
            "name": data.name,
            "samples": N,
            "features": data.num_features,
            "preprocess": data.info.get("preprocess"),
        },
        "depths": list(depths),
        "inits": list(inits),
        "runs_per_cell": runs,
        "seed": seed,
        "seconds": seconds,
        "hardware": hardware(),
        "runs": [asdict(r) for r in out],
        "diverged": [
            {"depth": r.depth, "init": r.init, "seed": r.seed, "loss": r.loss[-1]}
            for r in out
            if not math.isfinite(r.loss[-1])
        ],
        "summary": summary,
    }
    res["figures"] = figures(res)
    return res


def figures(res: dict[str, Any]) -> list[dict[str, Any]]:
    """Fig. 4a/5-style figures: loss after E epochs vs depth, initial gap vs depth (mean, 95%
    t band over runs), and loss per epoch at the deepest depth."""
    depths, summary = res["depths"], res["summary"]
    S, E = res["config"]["n_steps"], res["config"]["n_epochs"]
    tag = (
        f"{res['data']['name']}, width {res['config']['width']}, {res['runs_per_cell']} runs, "
        f"{S} SGD steps = {E:.3g} epochs"
    )

    def series(key: str) -> list[dict[str, Any]]:
        s = []
        for init, rows in summary.items():
            b = [rows[str(L)][key] for L in depths]
            s.append(
                {
                    "label": init,
                    "y": [v[0] for v in b],
                    "lo": [v[1] for v in b],
                    "hi": [v[2] for v in b],
                    "style": "data",
                }
            )
        return s

    deepest = max(depths)
    per_epoch, xs = [], []
    for init in res["inits"]:
        rs = [r for r in res["runs"] if r["init"] == init and r["depth"] == deepest]
        xs = rs[0]["steps"]
        for key, lab in (("loss", "loss"), ("gap_logits", "logit gap")):
            b = [t_band([r[key][e] for r in rs]) for e in range(len(xs))]
            per_epoch.append(
                {
                    "label": f"{init} ({lab})",
                    "y": [v[0] for v in b],
                    "lo": [v[1] for v in b],
                    "hi": [v[2] for v in b],
                    "style": "data",
                }
            )
    return [
        {
            "id": f"fig5-loss-vs-depth-{res['data']['name']}",
            "title": f"Training loss after {S} steps vs depth ({tag})",
            "caption": (
                "Paper Fig. 5: with Xavier init the training loss after a fixed number of epochs "
                "grows with depth; iterative orthogonalization (Eq. 6) avoids the slowdown. "
                "Mean and 95% Student-t band over runs."
            ),
            "type": "lines",
            "x": list(depths),
            "series": series("loss_final"),
            "xlabel": "depth L (hidden layers)",
            "ylabel": f"training loss after {S} SGD steps",
            "logx": False,
            "logy": False,
        },
        {
            "id": f"fig4a-gap-vs-depth-{res['data']['name']}",
            "title": f"Orthogonality gap of the last hidden layer at init vs depth ({tag})",
            "caption": (
                "Paper Fig. 4a: under Xavier the initial orthogonality gap (Eq. 2) grows with "
                "depth; iterative orthogonalization keeps it low. Mean and 95% t band over runs."
            ),
            "type": "lines",
            "x": list(depths),
            "series": series("gap_init"),
            "xlabel": "depth L (hidden layers)",
            "ylabel": "V(h_L) at init (held-out samples)",
            "logx": False,
            "logy": False,
        },
        {
            "id": f"fig4b-loss-per-epoch-{res['data']['name']}",
            "title": f"Training loss and logit gap per SGD step at depth {deepest} ({tag})",
            "caption": (
                "Paper Fig. 4b style: the training loss and the authors' orthogonality gap of "
                "the logits (singular values, normalised, distance to 1/sqrt(k)) at init (step "
                "0), after every epoch and after the last step. Mean and 95% t band."
            ),
            "type": "lines",
            "x": list(xs),
            "series": per_epoch,
            "xlabel": "SGD step",
            "ylabel": "training loss / logit gap",
            "logx": False,
            "logy": False,
        },
    ]


__all__ = [
    "RunResult",
    "TrainConfig",
    "TrainingDiverged",
    "default_device",
    "figures",
    "hardware",
    "gap_eq2",
    "initial_gap",
    "initial_gaps",
    "logit_gap",
    "run_experiment",
    "t_band",
    "train_run",
    "train_runs",
]
