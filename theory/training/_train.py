r"""Training runs and the Section 5 experiment (Figs. 4-5 style).

One run: build the MLP, initialise it (:func:`theory.training.initialize`), train it with plain
SGD (no momentum, no weight decay; lr 0.01, batch 500, cross-entropy -- the paper's settings,
all configurable) and record, at init (epoch 0) and after every epoch:

* ``loss[e]`` -- the mean cross-entropy over the *whole training set* (evaluated without
  gradient after the epoch's updates);
* ``gap[e]`` -- the orthogonality gap (Eq. 2) ``V(H) = \| H^T H/\|H\|_F^2 - I_n/n \|_F`` of the
  last hidden layer ``H = h_L`` (width x n_gap) on one fixed batch of n_gap training samples
  (:func:`theory.orthogonality_gap`).

A non-finite loss raises :class:`TrainingDiverged` (a defect, never a result).
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
from ..stats import derive_seed
from ._data import Dataset
from ._init import INITS, SCALES, initialize
from ._model import MLP


class TrainingDiverged(RuntimeError):
    """The training loss became NaN or infinite."""


@dataclass(frozen=True)
class TrainConfig:
    """Settings of one training run (paper Section 5 defaults: width 800, lr 0.01, batch 500)."""

    width: int = 800
    epochs: int = 30
    lr: float = 0.01
    batch_size: int = 500
    init_batch: int | None = None  #: init batch; default min(3 * width, N - scale batch)
    gap_batch: int | None = None  #: samples for the gap; default min(width, 100)
    scale: str = "balanced"
    scale_batch: int | None = None  #: held-out batch of scale="balanced"; default min(500, N//4)
    device: str = "cpu"

    def __post_init__(self) -> None:
        for name in ("width", "batch_size"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ValueError(f"{name} must be an integer >= 1; got {v!r}")
        if isinstance(self.epochs, bool) or not isinstance(self.epochs, int) or self.epochs < 0:
            raise ValueError(f"epochs must be an integer >= 0; got {self.epochs!r}")
        if not (isinstance(self.lr, (int, float)) and math.isfinite(self.lr) and self.lr > 0):
            raise ValueError(f"lr must be a finite number > 0; got {self.lr!r}")
        for name in ("init_batch", "gap_batch", "scale_batch"):
            v = getattr(self, name)
            if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 2):
                raise ValueError(f"{name} must be None or an integer >= 2; got {v!r}")
        if self.scale not in SCALES:
            raise ValueError(f"scale must be one of {SCALES}; got {self.scale!r}")

    def n_scale(self, num_samples: int) -> int:
        """Samples of the held-out scale batch for a data set of ``num_samples``."""
        return self.scale_batch if self.scale_batch is not None else min(500, num_samples // 4)

    def n_init(self, num_samples: int) -> int:
        """Samples of the init batch: ``init_batch``, or 3 * width (the authors' notebooks)
        capped so that the init and scale batches are disjoint subsets of the data."""
        if self.init_batch is not None:
            return self.init_batch
        return min(3 * self.width, num_samples - self.n_scale(num_samples))

    @property
    def n_gap(self) -> int:
        return self.gap_batch if self.gap_batch is not None else min(self.width, 100)


@dataclass
class RunResult:
    """Per-epoch records of one run (index 0 = at init)."""

    depth: int
    init: str
    seed: int
    loss: list[float]
    gap: list[float]
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


def default_device() -> str:
    """``"cuda"`` when torch sees a GPU, else ``"cpu"``."""
    return "cuda" if torch.cuda.is_available() else "cpu"


def _subset(n_total: int, n: int, seed: int) -> np.ndarray:
    if n > n_total:
        raise ValueError(f"batch of {n} samples requested but the data set has only {n_total}")
    return np.random.default_rng(seed).choice(n_total, size=n, replace=False)


def _forward(Ws: list[torch.Tensor], Wo: torch.Tensor, x: torch.Tensor):
    """Stacked MLPs: ``x`` (R, B, D), ``Ws[l]`` (R, out, in) -> (h_L, logits), batched over R."""
    h = x
    for W in Ws:
        h = torch.relu(h @ W.transpose(1, 2))
    return h, h @ Wo.transpose(1, 2)


@torch.no_grad()
def _evaluate(Ws, Wo, X: torch.Tensor, y: torch.Tensor, Xgap: torch.Tensor, chunk: int):
    """Per run: mean cross-entropy on the whole training set, and V(h_L) on the gap batch."""
    R = Wo.shape[0]
    total = torch.zeros(R, dtype=torch.float64, device=X.device)
    for i in range(0, X.shape[0], chunk):
        xb = X[i : i + chunk]
        _, logits = _forward(Ws, Wo, xb.expand(R, *xb.shape))
        yb = y[i : i + chunk].expand(R, -1)
        ce = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), yb.reshape(-1), reduction="none")
        total += ce.reshape(R, -1).to(torch.float64).sum(dim=1)
    h, _ = _forward(Ws, Wo, Xgap.expand(R, *Xgap.shape))
    gaps = []
    for r in range(R):
        H = h[r].T.to(torch.float64)  # width x n_gap
        if not bool(torch.isfinite(H).all()):  # diverged: the loss check below raises
            gaps.append(math.nan)
            continue
        dead = not bool(torch.any(H != 0))  # all units dead: rank 0, the gap's maximum
        gaps.append(math.sqrt(1 - 1 / H.shape[1]) if dead else float(orthogonality_gap(H)))
    return (total / X.shape[0]).tolist(), gaps


def initial_gap(data: Dataset, depth: int, init: str, config: TrainConfig, seed: int) -> float:
    """The gap (Eq. 2) of the last hidden layer at init, on the fixed gap batch (no training)."""
    model, _, _, Xgap = _setup(data, depth, init, config, seed)
    with torch.no_grad():
        H = model.representation(Xgap).T.to(torch.float64)
    if not bool(torch.any(H != 0)):  # every unit dead: rank 0, the gap's maximum by convention
        return math.sqrt(1 - 1 / H.shape[1])
    return float(orthogonality_gap(H))


def _setup(data: Dataset, depth: int, init: str, config: TrainConfig, seed: int):
    if init not in INITS:
        raise ValueError(f"init must be one of {INITS}; got {init!r}")
    device = torch.device(config.device)
    torch.manual_seed(derive_seed("torch", seed) % (2**63))
    X = torch.as_tensor(data.X, device=device)
    y = torch.as_tensor(data.y, device=device)
    model = MLP(data.num_features, config.width, depth, data.num_classes).to(device)
    N = data.num_samples
    n_init, n_scale = config.n_init(N), config.n_scale(N)
    if n_init < 2 or n_init + n_scale > N:
        raise ValueError(
            f"init_batch + scale_batch must be <= the {N} samples of {data.name!r} and "
            f"init_batch >= 2; got init_batch={n_init}, scale_batch={n_scale}"
        )
    perm = _subset(N, n_init + n_scale, derive_seed("init-batch", seed))
    idx_init, idx_scale = perm[:n_init], perm[n_init:]
    initialize(
        model,
        init,
        X_init=X[idx_init],
        seed=derive_seed("weights", seed),
        scale=config.scale,
        X_scale=X[idx_scale],
        y_scale=y[idx_scale],
    )
    # the gap batch is fixed across seeds, inits and depths (a property of the data, not the run)
    idx_gap = _subset(data.num_samples, config.n_gap, derive_seed("gap-batch", data.name))
    return model, X, y, X[idx_gap]


def train_runs(
    data: Dataset,
    depth: int,
    init: str,
    config: TrainConfig,
    seeds: Sequence[int],
    *,
    progress: bool = False,
    every_epoch: bool = True,
) -> list[RunResult]:
    """Initialise and train one MLP per seed; the loss and gap at init and after every epoch
    (``every_epoch=False``: at init and after the last epoch only -- cheaper, for the checks).

    The runs are independent (own init, init batch, minibatch order and parameters) but are
    stepped together as one stacked batched-matmul network: the summed loss has block-separate
    gradients, so each run follows exactly its own plain-SGD trajectory (up to float summation
    order), at a fraction of the per-run overhead.
    """
    seeds = [int(sd) for sd in seeds]
    if not seeds:
        raise ValueError("seeds must hold at least one seed")
    t0 = time.perf_counter()
    setups = [_setup(data, depth, init, config, sd) for sd in seeds]
    X, y, Xgap = setups[0][1], setups[0][2], setups[0][3]
    R = len(seeds)
    Ws = [
        torch.stack([m.hidden[l].weight.detach() for m, *_ in setups]).requires_grad_()
        for l in range(depth)
    ]
    Wo = torch.stack([m.readout.weight.detach() for m, *_ in setups]).requires_grad_()
    del setups
    opt = torch.optim.SGD([*Ws, Wo], lr=config.lr)
    chunk = 4096
    loss0, gap0 = _evaluate(Ws, Wo, X, y, Xgap, chunk)
    losses, gaps = [[v] for v in loss0], [[v] for v in gap0]
    gens = [torch.Generator().manual_seed(derive_seed("order", sd) % (2**63)) for sd in seeds]
    N, B = X.shape[0], config.batch_size
    epochs = range(config.epochs)
    if progress:
        from tqdm.auto import tqdm

        epochs = tqdm(epochs, desc=f"L={depth} {init} x{R}", leave=False, unit="ep")
    for epoch in epochs:
        perm = torch.stack([torch.randperm(N, generator=g) for g in gens]).to(X.device)
        for i in range(0, N, B):
            idx = perm[:, i : i + B]  # (R, b)
            opt.zero_grad(set_to_none=True)
            _, logits = _forward(Ws, Wo, X[idx])
            ce = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y[idx].reshape(-1))
            (ce * R).backward()  # = sum over runs of each run's mean loss
            opt.step()
        if not every_epoch and epoch < config.epochs - 1:
            continue
        loss_e, gap_e = _evaluate(Ws, Wo, X, y, Xgap, chunk)
        bad = [sd for sd, v in zip(seeds, loss_e) if not math.isfinite(v)]
        if bad:
            raise TrainingDiverged(
                f"training loss is not finite after epoch {epoch + 1} (depth={depth}, "
                f"init={init}, seeds={bad}, lr={config.lr}, scale={config.scale})"
            )
        for r in range(R):
            losses[r].append(loss_e[r])
            gaps[r].append(gap_e[r])
    dt = (time.perf_counter() - t0) / R
    return [RunResult(depth, init, sd, losses[r], gaps[r], dt) for r, sd in enumerate(seeds)]


def train_run(
    data: Dataset,
    depth: int,
    init: str,
    config: TrainConfig,
    seed: int,
    *,
    progress: bool = False,
    every_epoch: bool = True,
) -> RunResult:
    """One run of :func:`train_runs`."""
    return train_runs(
        data, depth, init, config, [seed], progress=progress, every_epoch=every_epoch
    )[0]


def t_band(x: Sequence[float], level: float = 0.95) -> tuple[float, float, float]:
    """Mean and the two-sided Student-t interval ``mean -/+ t_{(1+level)/2, r-1} s/sqrt(r)``
    over the r runs (assumes the run values are i.i.d. normal; for the figures' 95% bands)."""
    from scipy import stats as sps

    a = np.asarray(x, dtype=np.float64)
    m = float(a.mean())
    if a.size < 2:
        return m, m, m
    h = float(sps.t.ppf((1 + level) / 2, a.size - 1) * a.std(ddof=1) / math.sqrt(a.size))
    return m, m - h, m + h


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

    Run r of every (depth, init) uses seed ``derive_seed(seed, depth, r)``: the init batch and
    the minibatch order are shared by the inits at equal (depth, r), so the comparison of inits
    is paired.
    """
    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
        raise ValueError(f"runs must be an integer >= 1; got {runs!r}")
    for L in depths:
        if isinstance(L, bool) or not isinstance(L, int) or L < 1:
            raise ValueError(f"depths must be integers >= 1; got {L!r}")
    for i in inits:
        if i not in INITS:
            raise ValueError(f"init must be one of {INITS}; got {i!r}")
    cells = [(L, init) for L in depths for init in inits]
    it = cells
    if progress:
        from tqdm.auto import tqdm

        it = tqdm(cells, desc=f"(depth, init) cells x {runs} runs", unit="cell")
    out: list[RunResult] = []
    t0 = time.perf_counter()
    for L, init in it:
        sds = [derive_seed(seed, L, r) for r in range(runs)]
        try:
            out.extend(train_runs(data, L, init, config, sds, progress=progress))
        except TrainingDiverged as e:  # recorded loudly, excluded from the summary bands
            out.extend(RunResult(L, init, sd, [], [], 0.0, {"diverged": str(e)}) for sd in sds)
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
            rs = [r for r in out if r.init == init and r.depth == L and r.loss]
            if not rs:
                nan = (float("nan"),) * 3
                rows[str(L)] = {"loss_final": nan, "gap_init": nan, "gap_final": nan}
                continue
            rows[str(L)] = {
                "loss_final": t_band([r.loss[-1] for r in rs]),
                "gap_init": t_band([r.gap[0] for r in rs]),
                "gap_final": t_band([r.gap[-1] for r in rs]),
            }
        summary[init] = rows
    res = {
        "config": {
            **asdict(config),
            "n_init": config.n_init(data.num_samples),
            "n_scale": config.n_scale(data.num_samples),
            "n_gap": config.n_gap,
        },
        "data": {"name": data.name, "samples": data.num_samples, "features": data.num_features},
        "depths": list(depths),
        "inits": list(inits),
        "runs_per_cell": runs,
        "seed": seed,
        "seconds": seconds,
        "hardware": hardware(),
        "runs": [asdict(r) for r in out],
        "diverged": [
            {"depth": r.depth, "init": r.init, "seed": r.seed, "error": r.extra["diverged"]}
            for r in out
            if "diverged" in r.extra
        ],
        "summary": summary,
    }
    res["figures"] = figures(res)
    return res


def figures(res: dict[str, Any]) -> list[dict[str, Any]]:
    """Fig. 4a/5-style figures: loss after E epochs vs depth, initial gap vs depth (mean, 95%
    t band over runs), and loss per epoch at the deepest depth."""
    depths, summary, E = res["depths"], res["summary"], res["config"]["epochs"]
    tag = f"{res['data']['name']}, width {res['config']['width']}, {res['runs_per_cell']} runs"

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
    per_epoch = []
    for init in res["inits"]:
        rs = [r for r in res["runs"] if r["init"] == init and r["depth"] == deepest and r["loss"]]
        if not rs:
            continue
        b = [t_band([r["loss"][e] for r in rs]) for e in range(E + 1)]
        per_epoch.append(
            {
                "label": f"{init} (loss)",
                "y": [v[0] for v in b],
                "lo": [v[1] for v in b],
                "hi": [v[2] for v in b],
                "style": "data",
            }
        )
    return [
        {
            "id": f"fig5-loss-vs-depth-{res['data']['name']}",
            "title": f"Training loss after {E} epochs vs depth ({tag})",
            "caption": (
                "Paper Fig. 5: with Xavier init the training loss after a fixed number of epochs "
                "grows with depth; iterative orthogonalization (Eq. 6) avoids the slowdown. "
                "Mean and 95% Student-t band over runs."
            ),
            "type": "lines",
            "x": list(depths),
            "series": series("loss_final"),
            "xlabel": "depth L (hidden layers)",
            "ylabel": f"training loss after {E} epochs",
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
            "ylabel": "V(h_L) at init",
            "logx": False,
            "logy": False,
        },
        {
            "id": f"fig4b-loss-per-epoch-{res['data']['name']}",
            "title": f"Training loss per epoch at depth {deepest} ({tag})",
            "caption": "Paper Fig. 4b style: loss per epoch (0 = init). Mean and 95% t band.",
            "type": "lines",
            "x": list(range(E + 1)),
            "series": per_epoch,
            "xlabel": "epoch",
            "ylabel": "training loss",
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
    "initial_gap",
    "run_experiment",
    "t_band",
    "train_run",
    "train_runs",
]
