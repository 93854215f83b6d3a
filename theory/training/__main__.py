"""``python -m theory.training``: Xavier vs iterative orthogonalization (paper Section 5).

Example (the paper's setting on CIFAR-10, for a GPU)::

    python -m theory.training --depths 15 30 45 --width 800 --epochs 30 --runs 4 \\
        --init xavier orthogonal --data cifar10 --data-dir /path/to/cifar-10-batches-py

Writes a JSON file (``--out``) with every run's loss and gap per epoch, a summary per
(depth, init) (mean and 95% Student-t band over runs) and the report's figures.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

from ..results import _jsonable
from ._data import DATASETS, load_dataset
from ._init import INITS, SCALES
from ._train import TrainConfig, default_device, run_experiment


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m theory.training", description=__doc__.split("\n")[0]
    )
    p.add_argument("--depths", type=int, nargs="+", default=[15, 30, 45])
    p.add_argument("--width", type=int, default=800)
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--runs", type=int, default=4)
    p.add_argument("--init", nargs="+", choices=INITS, default=["xavier", "orthogonal"])
    p.add_argument("--data", choices=DATASETS, default="digits")
    p.add_argument("--data-dir", default=None, help="CIFAR-10 python batches directory")
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--batch-size", type=int, default=500)
    p.add_argument(
        "--init-batch", type=int, default=None, help="default min(3 * width, N - scale batch)"
    )
    p.add_argument(
        "--scale-batch", type=int, default=None, help="held-out batch of --scale balanced"
    )
    p.add_argument("--gap-batch", type=int, default=None, help="default min(width, 100)")
    p.add_argument("--scale", choices=SCALES, default="balanced")
    p.add_argument("--device", default=None, help="cpu or cuda (default: cuda when present)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default="training_results.json")
    p.add_argument("--no-progress", action="store_true")
    return p


def _run(args: argparse.Namespace, data):
    config = TrainConfig(
        width=args.width,
        epochs=args.epochs,
        lr=args.lr,
        batch_size=args.batch_size,
        init_batch=args.init_batch,
        scale_batch=args.scale_batch,
        gap_batch=args.gap_batch,
        scale=args.scale,
        device=args.device or default_device(),
    )
    res = run_experiment(
        data,
        args.depths,
        args.init,
        args.runs,
        config,
        seed=args.seed,
        progress=not args.no_progress,
    )
    return config, res


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        data = load_dataset(args.data, args.data_dir)
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    try:
        config, res = _run(args, data)
    except ValueError as e:  # bad settings: say which, without a traceback
        print(f"error: {e}", file=sys.stderr)
        return 2
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(_jsonable(res), fh)
    E = args.epochs
    print(f"data={data.name} N={data.num_samples} D={data.num_features} {res['hardware']}")
    print(f"{'init':>20} {'depth':>5} {'loss@E':>22} {'gap@init':>22}")
    for init, rows in res["summary"].items():
        for L, r in rows.items():
            lo, ga = r["loss_final"], r["gap_init"]
            print(
                f"{init:>20} {L:>5} {lo[0]:8.4f} [{lo[1]:.4f},{lo[2]:.4f}] "
                f"{ga[0]:8.4f} [{ga[1]:.4f},{ga[2]:.4f}]"
            )
    print(f"(E={E} epochs; 95% t bands over {args.runs} runs) -> {args.out}; {res['seconds']:.1f}s")
    if res["diverged"]:
        for err in dict.fromkeys(d["error"] for d in res["diverged"]):
            print(f"DIVERGED: {err}", file=sys.stderr)
        return 3
    if any(not math.isfinite(v) for r in res["runs"] for v in r["loss"]):
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
