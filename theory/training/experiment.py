r"""The Section 5 experiment (Figs. 4-5) on top of the training library: every (depth, init)
cell trained over paired seeds, the JSON-ready results dict, and the report's figures.

``python -m theory.training`` is its command line; the claims decided on these runs are checks
(:mod:`theory.checks.training`).
"""

from __future__ import annotations

import math
import platform
import time
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

import numpy as np
import torch

from ..stats import derive_seed, t_interval
from ._data import Dataset
from ._init import check_init
from ._train import RunResult, TrainConfig, _int_ge, train_runs


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


__all__ = ["figures", "hardware", "results_dict", "run_experiment", "t_band"]
