"""``python -m theory.training``: Xavier vs iterative orthogonalization (paper Section 5),
with the authors' protocol (notebook ``Figures_3_4.ipynb``).

The issue's acceptance run (digits, about 150 SGD steps; about a minute on 2 CPU cores)::

    python -m theory.training --depths 15 75 --width 128 --steps 150 --runs 2 \\
        --init xavier authors --data digits

The paper's setting (CIFAR-10, width 800, 30 epochs = 3000 steps, 4 runs; one GPU)::

    python -m theory.training --depths 15 30 45 60 75 --width 800 --steps 3000 --runs 4 \\
        --init xavier authors eq6 --data cifar10 --data-dir /path/to/cifar-10-batches-py

``--init`` takes names (``xavier`` = the authors' baseline, ``authors`` = their improved_init,
``eq6`` = Eq. 6 as printed, ...) optionally with ablation flags, e.g.
``authors+exponent=1/2``; ``--ablation`` adds the ablation table's inits.  Writes a JSON file
(``--out``) with every run's loss and gaps per record step, a summary per (depth, init) (mean
and 95% Student-t band over runs) and the report's figures.  Reads no environment variable.
"""

from __future__ import annotations

import argparse
import json
import sys

from .._backend import jsonable as _jsonable
from ._data import DATASETS, PREPROCESS, load_dataset
from ._init import ABLATIONS, FLAGS, INITS, SCALES, check_init
from ._train import TrainConfig, default_device
from .experiment import run_experiment


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m theory.training", description=__doc__.split("\n")[0]
    )
    p.add_argument("--depths", type=int, nargs="+", default=[15, 30, 45])
    p.add_argument("--width", type=int, default=800)
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument(
        "--steps", type=int, default=None, help="SGD steps (overrides --epochs; paper: 3000)"
    )
    p.add_argument("--runs", type=int, default=4)
    flags = "; ".join(f"+{k}={'|'.join(v)}" for k, v in FLAGS.items())
    p.add_argument(
        "--init",
        nargs="+",
        default=["xavier", "authors"],
        help=f"inits: {', '.join(INITS)}; the SVD-based ones take ablation flags ({flags})",
    )
    p.add_argument(
        "--ablation", action="store_true", help="add the ablation table's inits to --init"
    )
    p.add_argument("--data", choices=DATASETS, default="digits")
    p.add_argument("--preprocess", choices=PREPROCESS, default="authors")
    p.add_argument("--data-dir", default=None, help="CIFAR-10 python batches directory")
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--batch-size", type=int, default=500)
    p.add_argument(
        "--init-batch", type=int, default=None, help="default min(3 * width, N - other batches)"
    )
    p.add_argument("--scale-batch", type=int, default=None, help="held-out batch of eq6-balanced")
    p.add_argument(
        "--gap-batch", type=int, default=None, help="held-out gap samples; default min(width, 100)"
    )
    p.add_argument("--scale", choices=SCALES, default="balanced", help="eq6-balanced only")
    p.add_argument("--device", default=None, help="cpu or cuda (default: cuda when present)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default="training_results.json")
    p.add_argument("--no-progress", action="store_true")
    return p


def _run(args: argparse.Namespace, data):
    config = TrainConfig(
        width=args.width,
        epochs=args.epochs,
        steps=args.steps,
        lr=args.lr,
        batch_size=args.batch_size,
        init_batch=args.init_batch,
        scale_batch=args.scale_batch,
        gap_batch=args.gap_batch,
        scale=args.scale,
        device=args.device or default_device(),
    )
    inits = list(dict.fromkeys([*args.init, *(ABLATIONS if args.ablation else ())]))
    for i in inits:
        check_init(i)
    res = run_experiment(
        data,
        args.depths,
        inits,
        args.runs,
        config,
        seed=args.seed,
        progress=not args.no_progress,
    )
    return config, res


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        data = load_dataset(args.data, args.data_dir, preprocess=args.preprocess)
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
    c = res["config"]
    print(f"data={data.name} N={data.num_samples} D={data.num_features} {res['hardware']}")
    print(
        f"{'init':>30} {'L':>3} {'loss@S':>8} {'[95% t band]':>17} {'V held-out':>10} "
        f"{'V init-batch':>12} {'logit gap 0->S':>15} {'div':>3}"
    )
    for init, rows in res["summary"].items():
        for L, r in rows.items():
            lo = r["loss_final"]
            print(
                f"{init:>30} {L:>3} {lo[0]:8.4f} [{lo[1]:7.4f},{lo[2]:7.4f}] "
                f"{r['gap_init'][0]:10.4f} {r['gap_init_batch'][0]:12.4f} "
                f"{r['gap_logits_init'][0]:7.3f}->{r['gap_logits_final'][0]:.3f} "
                f"{r['diverged']:>3}"
            )
    print(
        f"(S={c['n_steps']} SGD steps = {c['n_epochs']:.3g} epochs; 95% t bands over "
        f"{args.runs} runs) -> {args.out}; {res['seconds']:.1f}s"
    )
    if res["diverged"]:
        for d in res["diverged"]:
            print(
                f"DIVERGED: depth={d['depth']} init={d['init']} seed={d['seed']}", file=sys.stderr
            )
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
