"""The statement registry and the encoded statements of the paper (one module per part)."""

from . import (  # noqa: F401  (register on import)
    assumption_a1,  # noqa: F401
    gaussian_approx,
    meanfield,
    paper_figures,
    proof_lemmas,
    sampler,
    theorem1,  # noqa: F401
    training,
)
from ._registry import BOUND_CALLS, KINDS, STATEMENTS, NegativeControl, Statement, get, register

__all__ = ["BOUND_CALLS", "KINDS", "STATEMENTS", "NegativeControl", "Statement", "get", "register"]
