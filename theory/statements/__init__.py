"""The statement registry and the encoded statements of the paper (one module per part)."""

from . import (  # noqa: F401  (register on import)
    gaussian_approx,
    paper_figures,
    proof_lemmas,
    sampler,
    training,
)
from ._registry import KINDS, STATEMENTS, NegativeControl, Statement, get, register

__all__ = ["KINDS", "STATEMENTS", "NegativeControl", "Statement", "get", "register"]
