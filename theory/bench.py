"""Benchmark: layer-steps per second of each sampler and backend over (d, n) grids.

    python -m theory.bench            # the default grid, ~1 minute on 2 cores
    python -m theory.bench --quick    # a smoke run
    python -m theory.bench --training # one SGD step of the batched MLP (theory.training)

A layer-step is one layer of one run (``runs * depth`` per call).  Each cell is timed
side by side in the same process, best of ``--repeat`` calls, after one warm-up call.  The
large-width cases run in a child process each, so that the reported peak memory (max RSS) is
that case's own.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._backend import torch_available
from .chain import simulate


@dataclass
class Cell:
    sampler: str
    backend: str
    d: int
    n: int
    runs: int
    depth: int
    steps_per_s: float | None
    note: str = ""


def _h0(d: int, n: int) -> np.ndarray:
    return np.random.default_rng(0).standard_normal((d, n))


def time_cell(
    sampler: str, backend: str, d: int, n: int, runs: int, depth: int, repeat: int
) -> Cell:
    H0 = _h0(d, n)
    kw = dict(runs=runs, seed=1, backend=backend, sampler=sampler)
    try:
        simulate(H0, 1, **kw)  # warm-up (and the memory check)
    except ValueError as e:
        return Cell(sampler, backend, d, n, runs, depth, None, f"refused: {e}")
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        simulate(H0, depth, **kw)
        best = min(best, time.perf_counter() - t)
    return Cell(sampler, backend, d, n, runs, depth, runs * depth / best)


def _large_case(d: int, n: int, depth: int) -> dict[str, float]:
    """Run in a child process: time and peak RSS of the reduced sampler at a huge width."""
    code = (
        "import json, time, numpy as np\n"
        "from theory import simulate\n"
        f"H0 = np.random.default_rng(0).standard_normal(({d}, {n}))\n"
        "t = time.perf_counter()\n"
        f"r = simulate(H0, {depth}, runs=1, seed=1)\n"
        "dt = time.perf_counter() - t\n"
        # VmHWM belongs to this process image (ru_maxrss would inherit the parent's at fork)
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "print(json.dumps({'seconds': dt, 'max_rss_mib': int(hwm) / 1024, 'V_last': float(r.V[0, -1])}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _reference_forward(Ws: list, Wo: Any, x: Any) -> tuple[Any, Any]:
    """The batched MLP with an out-of-place ReLU (the training forward before in-place)."""
    import torch

    h = x
    for W in Ws:
        h = torch.relu(h @ W.transpose(1, 2))
    return h, h @ Wo.transpose(1, 2)


def training_table(repeat: int = 3, quick: bool = False) -> list[dict[str, Any]]:
    """CPU seconds of one SGD step (forward, cross-entropy, backward) of ``R`` stacked MLPs on
    a batch of 500, :func:`theory.training._train._forward` against the out-of-place reference,
    timed alternately in this process (best of ``repeat``), one torch thread; the gradients of
    the two must be bitwise equal."""
    import torch
    from torch.nn import functional as F

    from .training._train import _forward

    torch.set_num_threads(1)
    grid = [(22, 64, 75), (22, 48, 75), (44, 64, 15)] if not quick else [(4, 32, 10)]
    out = []
    for R, w, L in grid:
        g = torch.Generator().manual_seed(0)
        Ws = [
            (torch.randn(R, w, w, generator=g) * (2 / w) ** 0.5).requires_grad_() for _ in range(L)
        ]
        Wo = (torch.randn(R, 10, w, generator=g) / w**0.5).requires_grad_()
        x = torch.randn(R, 500, w, generator=g)
        y = torch.randint(0, 10, (R * 500,), generator=g)
        best: dict[str, float] = {}
        grads = {}
        for rep in range(repeat + 1):  # the first call of each is a warm-up
            for name, fwd in (("in-place", _forward), ("reference", _reference_forward)):
                for W in (*Ws, Wo):
                    W.grad = None
                t = time.process_time()
                _, logits = fwd(Ws, Wo, x)
                F.cross_entropy(logits.reshape(-1, 10), y).backward()
                dt = time.process_time() - t
                if rep:
                    best[name] = min(best.get(name, math.inf), dt)
                grads[name] = [W.grad.clone() for W in (*Ws, Wo)]
        same = all(torch.equal(a, b) for a, b in zip(grads["in-place"], grads["reference"]))
        out.append({"R": R, "width": w, "depth": L, **best, "bitwise_equal_grads": same})
    return out


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:,.0f}"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m theory.bench", description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="small grid, one repeat")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--json", help="also write the cells to this JSON file")
    p.add_argument("--training", action="store_true", help="time one SGD step of the MLPs")
    a = p.parse_args(argv)
    repeat = 1 if a.quick else a.repeat
    if a.training:
        print(
            f"{'R':>4} {'width':>5} {'depth':>5} {'in-place s':>11} {'reference s':>12} "
            f"{'ratio':>6}  grads equal"
        )
        for r in training_table(repeat, a.quick):
            print(
                f"{r['R']:>4} {r['width']:>5} {r['depth']:>5} {r['in-place']:>11.4f} "
                f"{r['reference']:>12.4f} {r['in-place'] / r['reference']:>6.2f}  "
                f"{r['bitwise_equal_grads']}"
            )
        return 0
    backends = ["numpy"] + (["torch"] if torch_available() else [])
    grid = [(64, 4), (256, 4), (1024, 4), (1024, 32)] if not a.quick else [(64, 4), (1024, 4)]
    cells: list[Cell] = []
    for d, n in grid:
        for backend in backends:
            for sampler in ("reduced", "naive"):
                runs = 8 if sampler == "naive" and d >= 1024 else 32
                depth = 5 if sampler == "naive" and d >= 1024 else 20
                cells.append(time_cell(sampler, backend, d, n, runs, depth, repeat))
    print(
        f"{'sampler':<8} {'backend':<7} {'d':>8} {'n':>4} {'runs':>5} {'depth':>5} "
        f"{'layer-steps/s':>14}  note"
    )
    for c in cells:
        print(
            f"{c.sampler:<8} {c.backend:<7} {c.d:>8} {c.n:>4} {c.runs:>5} {c.depth:>5} "
            f"{_fmt(c.steps_per_s):>14}  {c.note}"
        )
    print("\nspeed-up of reduced over naive, same backend, measured side by side:")
    for d, n in grid:
        for backend in backends:
            r = [c for c in cells if (c.d, c.n, c.backend) == (d, n, backend)]
            red = next(c for c in r if c.sampler == "reduced").steps_per_s
            nai = next(c for c in r if c.sampler == "naive").steps_per_s
            if red and nai:
                print(f"  d={d:<6} n={n:<3} {backend:<6} reduced/naive = {red / nai:,.1f}x")
    print("\nlarge widths, reduced sampler, numpy float64, 1 run (child process each):")
    large = [(2**20, 4, 3), (2**16, 32, 3)] if not a.quick else [(2**18, 4, 2)]
    rows = []
    for d, n, depth in large:
        res = _large_case(d, n, depth)
        naive = time_cell("naive", "numpy", d, n, 1, 1, 1)
        rows.append({"d": d, "n": n, "depth": depth, **res, "naive": naive.note})
        print(
            f"  d=2^{int(np.log2(d))} n={n} depth={depth}: {depth / res['seconds']:.2f} layer-steps/s, "
            f"peak RSS {res['max_rss_mib']:.0f} MiB; naive: {naive.note[:70]}"
        )
    if a.json:
        with open(a.json, "w") as fh:
            json.dump({"cells": [c.__dict__ for c in cells], "large": rows}, fh, indent=1)
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n(this process peak RSS {self_rss:.0f} MiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
