"""Certified (ball-arithmetic) versions of what the suite shows in float64.

Everything here is decided by python-flint's Arb balls (rigorous enclosures) or by exact
rational arithmetic, with three outcomes per claim (:class:`Certificate`): ``"certified"``,
``"refuted"``, ``"not certified"``.

* :mod:`.meanfield`: the mean-field counterexample to Theorem 1 read with alpha as stated
  (first failing layer per n = 5..32, two evaluations of Sawa's map), and the proved reading on
  the same trajectories;
* :mod:`.linearisation`: the Jacobian ``n/(n+2)`` at the uniform spectrum (exact) and the
  threshold lemma ``(n-1)(n-4) > 0``;
* :mod:`.lemmas`: Lemma 4 (sharp), Lemma 8 (sharp) and the W2 ratio's closed form over their
  whole domain by branch and bound (n <= 4);
* :mod:`.lineofwork`: the line of work (issue 19): the soft-rank identity (NeurIPS 2020, exact
  polynomial expansion and rationals), the isometry's normalisation identity (NeurIPS 2023,
  balls) and the kernel map's case 4 as printed (certified counterexample) and corrected
  (AISTATS 2025); Table 1 recomputed cell by cell from the normalised kernels
  (:mod:`theory.activations`), ReLU's printed case 2 (kappa'(1) = 1 exactly; first failing
  layer 96 from rho_0 = 1/2), case 3 for ReLU and exp, Corollary 2's conditions and depth;
* :mod:`.registry`: per-claim entry points, :func:`certify_all` and the planted controls.

Imports only numpy, scipy, flint, mpmath, the standard library and ``theory.sawa`` /
``theory.gaussian_w2`` (float64 references); :mod:`.lineofwork` imports ``theory.activations``
(ball-arithmetic kernels) and neither of those.
"""

from ._core import CERTIFIED, NOT_CERTIFIED, OUTCOMES, REFUTED, Certificate, decide
from .lemmas import certify_lemma4, certify_lemma8, certify_w2
from .linearisation import (
    certify_linearisation,
    certify_threshold,
    dirichlet_moment,
    jacobian_at_uniform,
    threshold_derivation,
)
from .lineofwork import (
    certify_case4,
    certify_isometry_identity,
    certify_isometry_increase,
    certify_soft_rank_at,
    certify_soft_rank_symbolic,
)
from .meanfield import (
    RECORDED,
    THREE_LEVEL_H0,
    certify_agreement,
    certify_first_failing_layer,
    certify_meanfield,
    certify_three_level,
    float_first_failing,
    meanfield_table,
)
from .registry import CLAIMS, certify_all, certify_claim, certify_controls
from .sawa_balls import integral_step, spectrum_levels, spike_levels, two_level_step

__all__ = [
    "CERTIFIED",
    "CLAIMS",
    "NOT_CERTIFIED",
    "OUTCOMES",
    "RECORDED",
    "REFUTED",
    "THREE_LEVEL_H0",
    "Certificate",
    "certify_agreement",
    "certify_case4",
    "certify_isometry_identity",
    "certify_isometry_increase",
    "certify_soft_rank_at",
    "certify_soft_rank_symbolic",
    "certify_all",
    "certify_claim",
    "certify_controls",
    "certify_first_failing_layer",
    "certify_lemma4",
    "certify_lemma8",
    "certify_linearisation",
    "certify_meanfield",
    "certify_three_level",
    "certify_threshold",
    "certify_w2",
    "decide",
    "dirichlet_moment",
    "float_first_failing",
    "integral_step",
    "jacobian_at_uniform",
    "meanfield_table",
    "spectrum_levels",
    "spike_levels",
    "threshold_derivation",
    "two_level_step",
]
