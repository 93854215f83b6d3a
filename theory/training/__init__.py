"""Training experiments of paper Section 5: a bias-free ReLU MLP without BN, Xavier vs
iterative orthogonalization (Eq. 6), trained with plain SGD on real data.

Optional extra (``pip install -e ".[train]"``: torch, scikit-learn, tqdm).  ``import theory``
does not import torch; ``import theory.training`` does.  CLI: ``python -m theory.training``.
"""

from ._data import (
    CIFAR10_HELP,
    DATASETS,
    Dataset,
    load_cifar10,
    load_dataset,
    load_digits_dataset,
)
from ._init import (
    EQ6_RELU_GRADIENT_GROWTH,
    INITS,
    SCALES,
    balance_layers,
    initialize,
    layer_weight,
    relative_gradients,
)
from ._model import MLP
from ._train import (
    RunResult,
    TrainConfig,
    TrainingDiverged,
    default_device,
    figures,
    hardware,
    initial_gap,
    run_experiment,
    t_band,
    train_run,
    train_runs,
)

__all__ = [
    "CIFAR10_HELP",
    "EQ6_RELU_GRADIENT_GROWTH",
    "DATASETS",
    "Dataset",
    "INITS",
    "MLP",
    "RunResult",
    "SCALES",
    "TrainConfig",
    "TrainingDiverged",
    "balance_layers",
    "default_device",
    "figures",
    "hardware",
    "initial_gap",
    "initialize",
    "layer_weight",
    "load_cifar10",
    "load_dataset",
    "load_digits_dataset",
    "relative_gradients",
    "run_experiment",
    "t_band",
    "train_run",
    "train_runs",
]
