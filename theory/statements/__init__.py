"""The encoded statements of the paper: one module of records per part.

Records are data (:class:`theory.engine.Statement`): each names its check as
``"theory.checks.<module>:<function>"`` and never imports it; importing this package registers
them in :data:`theory.engine.STATEMENTS`.
"""

from ..engine import BOUND_CALLS, KINDS, STATEMENTS, NegativeControl, Statement, get, register
from . import (  # noqa: F401  (register on import)
    assumption_a1,
    gaussian_approx,
    line_of_work,
    line_of_work_2020,
    line_of_work_2023,
    line_of_work_appf,
    line_of_work_cases,
    line_of_work_grad,
    line_of_work_iclr,
    meanfield,
    paper_figures,
    proof_lemmas,
    sampler,
    theorem1,
    training,
)

__all__ = ["BOUND_CALLS", "KINDS", "STATEMENTS", "NegativeControl", "Statement", "get", "register"]
