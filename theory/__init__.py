"""Encoded statements, samplers and estimators for Daneshmand, Joudaki & Bach (NeurIPS 2021),
"Batch Normalization Orthogonalizes Representations in Deep Random Networks".

The public API (the mathematics: gaps, the chain, Sawa's map) is re-exported here; the modules
behind it are small and private in spirit.  ``import theory`` registers no statement and imports
no check: the registry (:mod:`theory.statements`, also ``theory.STATEMENTS``) is imported on first
use.
"""

from typing import Any

from . import assumption, inputs, orthogonalize, sawa, stats
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

_LAZY = ("engine", "results", "statements", "checks", "report")


def __getattr__(name: str) -> Any:
    """``theory.STATEMENTS`` and the upper layers, imported on first use."""
    import importlib

    if name == "STATEMENTS":
        return importlib.import_module(".statements", __name__).STATEMENTS
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'theory' has no attribute {name!r}")
