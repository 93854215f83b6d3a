"""Training experiments of paper Section 5: a bias-free ReLU MLP without BN, the authors'
Xavier baseline vs their iterative orthogonalization (notebook ``improved_init``) and Eq. 6 as
printed, trained with plain SGD on real data (the authors' protocol, ``Figures_3_4.ipynb``).

Optional extra (``pip install -e ".[train]"``: torch, scikit-learn, tqdm).  ``import theory``
does not import torch; ``import theory.training`` does.

* the library: the model (``_model``), the inits (``_init``), the data loaders (``_data``) and the
  training loop (``_train``);
* the experiment (:mod:`theory.training.experiment`) and its CLI, ``python -m theory.training``;
* the claims decided on these runs are checks, in :mod:`theory.checks.training`.
"""

from ._data import (
    CIFAR10_HELP,
    DATASETS,
    PREPROCESS,
    Dataset,
    load_cifar10,
    load_dataset,
    load_digits_dataset,
)
from ._init import (
    ABLATIONS,
    EQ6_RELU_GRADIENT_GROWTH,
    FLAGS,
    INIT_SPECS,
    INITS,
    RELU_GAIN,
    SCALES,
    balance_layers,
    check_init,
    initialize,
    layer_weight,
    parse_init,
    relative_gradients,
    svd_layer_weight,
    xavier_uniform,
)
from ._model import MLP
from ._train import (
    RunResult,
    TrainConfig,
    TrainingDiverged,
    default_device,
    gap_eq2,
    initial_gap,
    initial_gaps,
    logit_gap,
    train_run,
    train_runs,
)
from .experiment import figures, hardware, results_dict, run_experiment, t_band

__all__ = [
    "MLP",
    "ABLATIONS",
    "CIFAR10_HELP",
    "DATASETS",
    "Dataset",
    "EQ6_RELU_GRADIENT_GROWTH",
    "FLAGS",
    "INITS",
    "INIT_SPECS",
    "PREPROCESS",
    "RELU_GAIN",
    "RunResult",
    "SCALES",
    "TrainConfig",
    "TrainingDiverged",
    "balance_layers",
    "check_init",
    "default_device",
    "figures",
    "gap_eq2",
    "hardware",
    "initial_gap",
    "initial_gaps",
    "initialize",
    "layer_weight",
    "load_cifar10",
    "load_dataset",
    "load_digits_dataset",
    "logit_gap",
    "parse_init",
    "relative_gradients",
    "results_dict",
    "run_experiment",
    "svd_layer_weight",
    "t_band",
    "train_run",
    "train_runs",
    "xavier_uniform",
]
