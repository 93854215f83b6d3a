"""The statement registry and the encoded statements of the paper (one module per part)."""

from . import proof_lemmas, sampler  # noqa: F401  (register on import)
from ._registry import KINDS, STATEMENTS, NegativeControl, Statement, get, register

__all__ = ["KINDS", "STATEMENTS", "NegativeControl", "Statement", "get", "register"]
