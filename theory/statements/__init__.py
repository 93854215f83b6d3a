"""The statement registry and the encoded statements of the paper (one module per part)."""

from . import sampler  # noqa: F401  (registers on import)
from ._registry import KINDS, STATEMENTS, NegativeControl, Statement, get, register

__all__ = ["KINDS", "STATEMENTS", "NegativeControl", "Statement", "get", "register"]
