"""Encoded statements, samplers and estimators for Daneshmand, Joudaki & Bach (NeurIPS 2021),
"Batch Normalization Orthogonalizes Representations in Deep Random Networks".

The public API is re-exported here; the modules behind it are small and private in spirit.
"""

from . import assumption, inputs, orthogonalize, profiles, results, sawa, statements, stats
from ._backend import BACKENDS, Backend, cuda_available, get_backend, to_numpy, torch_available
from .chain import (
    ACTIVATIONS,
    RECORDABLE,
    SAMPLERS,
    VARIANTS,
    ChainResult,
    bn,
    simulate,
    step,
)
from .gap import (
    cosine,
    gap_from_gram,
    gram,
    lyapunov,
    max_gap,
    orthogonality_gap,
    sigma_min,
    singular_values,
)
from .orthogonalize import orthogonalized_gap_identity, orthogonalizing_weight
from .statements import STATEMENTS

__all__ = [
    "assumption",
    "ACTIVATIONS",
    "BACKENDS",
    "RECORDABLE",
    "SAMPLERS",
    "VARIANTS",
    "Backend",
    "ChainResult",
    "bn",
    "cosine",
    "inputs",
    "profiles",
    "results",
    "sawa",
    "statements",
    "stats",
    "cuda_available",
    "gap_from_gram",
    "get_backend",
    "gram",
    "lyapunov",
    "max_gap",
    "orthogonality_gap",
    "orthogonalize",
    "orthogonalized_gap_identity",
    "orthogonalizing_weight",
    "sigma_min",
    "simulate",
    "singular_values",
    "STATEMENTS",
    "step",
    "to_numpy",
    "torch_available",
]

__version__ = "0.1.0"
