r"""Certificates as rows: what :mod:`theory.certify` proves in ball arithmetic, reported through
the same run context as every other check.

A :class:`theory.certify.Certificate` has three outcomes: ``certified`` (the balls separate in
the claimed direction), ``refuted`` (they separate the other way) and ``not certified`` (they
overlap: no verdict, never rounded into one).  As rows:

=======================  ===============  ================  ==================
certificate of            certified        refuted           not certified
=======================  ===============  ================  ==================
a claim                   ``pass``         ``fail``          ``inconclusive``
a planted false claim     ``not-refuted``  ``refuted``       ``not-refuted``
=======================  ===============  ================  ==================

(a planted claim must come out refuted: the controls below are false by a certified margin, so
"not certified" there is a loss of power and fails the suite, as an unrefuted control does).
The counterexample to Theorem 1 read with alpha as stated is a certified *refutation of the
printed claim*: its rows are the record's control ``holds-in-the-limit``, ``refuted``.  Every
row carries ``extra["certificate"]`` (outcome, the two balls, their widths, precision, time and
boxes), which the findings table reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from .. import certify
from ..certify import appf as CA
from ..certify import kernel_cases as KC
from ..certify import lineofwork as CL
from ..certify import lineofwork_ln as CLN
from ..engine import CheckResult, RunContext
from ..statements import gaussian_approx as G
from ..statements import line_of_work as LW
from ..statements import line_of_work_2023 as LW23
from ..statements import line_of_work_appf as LA
from ..statements import line_of_work_iclr as LWI
from ..statements import meanfield as M
from ..statements import proof_lemmas as P

Rows = list[CheckResult]

#: certify's claim id -> (statement id, control id of its certified rows or None)
TARGETS: dict[str, tuple[str, str | None]] = {
    "meanfield/stated-alpha": (M.STATED.id, "holds-in-the-limit"),
    "meanfield/proved-alpha": (M.PROVED.id, None),
    "meanfield/two-level-vs-integral": (M.STATED.id, None),
    "meanfield/linearisation": (M.LINEARISATION.id, None),
    "meanfield/threshold": (M.LINEARISATION.id, None),
    "lemma-4/gap-vs-lyapunov": (P.LEMMA4.id, None),
    "lemma-8/sharp": (P.LEMMA8_SHARP.id, None),
    "w2/conditional-vs-gap": (G.CONDITIONAL.id, None),
    CL.ID_SOFT: (LW.SOFT_RANK.id, None),
    CL.ID_ISO: (LW.ISOMETRY.id, None),
    CL.ID_ISO_INCREASE: (LW.ISOMETRY.id, None),
    CL.ID_K4_PRINTED: (LW.CASE4_PRINTED.id, "as-printed-at-example"),
    CL.ID_K4_CORRECTED: (LW.CASE4_CORRECTED.id, None),
    CL.ID_T1: (LW.TABLE_1.id, None),
    # kappa_ReLU'(1) = 1 and the certified first failing layer refute the printed ReLU row
    CL.ID_RELU2: (LW.RELU_CASE2.id, "as-printed-from-rho0"),
    CL.ID_CASE3: (LW.CASE3.id, None),
    CL.ID_COR2: (LW.COR2_CONDITIONS.id, None),
    CL.ID_COR2_DEPTH: (LW.COR2_DEPTH.id, None),
    CL.ID_COR2_DEPTH_PRINTED: (LW.COR2_DEPTH.id, "as-printed"),
    CL.ID_HAAR_STEP: (LWI.GAP_MONOTONE.id, None),
    CLN.ID_LN_MF: (LW23.MEANFIELD.id, None),
    CA.ID_LIMIT: (LA.LIMIT.id, None),
}
# AISTATS 2025, Theorem 1 cases 1-3 on polynomial kernels: the certificate ids are the
# statement ids (theory.certify.kernel_cases, theory.statements.line_of_work_cases)
TARGETS.update({sid: (sid, None) for sid in KC.IDS.values()})
#: the planted false certificates' controls, by certify's claim id (a planted certificate's
#: ``details["control"]`` names its control where one claim id has several)
PLANTED: dict[str, str] = {
    "meanfield/stated-alpha": "one-layer-early",
    "meanfield/linearisation": "factor-(n+1)/(n+3)",
    "lemma-4/gap-vs-lyapunov": "constant-0.99",
    "lemma-8/sharp": "constant-2n-over-n+1",
    "w2/conditional-vs-gap": "0.99-sup",
    CL.ID_SOFT: "one-over-V2",
    CL.ID_ISO: "gm-over-am",
    CL.ID_ISO_INCREASE: "normalisation-decreases",
    CL.ID_K4_PRINTED: "one-layer-early",
    CL.ID_K4_CORRECTED: "exceeded-at-worst-layer",
    CL.ID_T1: "one-digit-off",
    CL.ID_RELU2: "one-layer-early",
    CL.ID_CASE3: "alpha-without-kappa-prime-0",
    CL.ID_COR2: "relu-satisfies-as-printed",
    CL.ID_COR2_DEPTH: "one-layer-early",
    CLN.ID_LN_MF: "no-centring",
}


def _summary(c: Any) -> dict[str, Any]:
    return {
        "outcome": c.outcome,
        "claim": c.claim,
        "relation": c.relation,
        "lhs": c.lhs,
        "rhs": c.rhs,
        "max_rel_radius": c.max_rel_radius,
        "prec_bits": c.prec,
        "seconds": c.seconds,
        "boxes": c.boxes,
    }


def certificate_row(ctx: RunContext, cert: Any) -> CheckResult:
    """The row of one certificate (the table in the module docstring), logged in ``ctx``."""
    planted = bool(cert.details.get("planted"))
    if cert.id not in TARGETS:
        raise ValueError(f"certificate id must be one of {sorted(TARGETS)}; got {cert.id!r}")
    sid, control = TARGETS[cert.id]
    if planted:
        control = cert.details.get("control") or PLANTED[cert.id]
    if control is not None:
        # a planted false certificate is refuted when the balls separate against it; the
        # printed claim is refuted when the counterexample's certificate is *certified*
        refuting = certify.REFUTED if planted else certify.CERTIFIED
        verdict = "refuted" if cert.outcome == refuting else "not-refuted"
    else:
        verdict = {
            certify.CERTIFIED: "pass",
            certify.REFUTED: "fail",
            certify.NOT_CERTIFIED: "inconclusive",
        }[cert.outcome]
    n = cert.details.get("n")
    return ctx.row(
        statement_id=sid,
        check=f"certificate: {cert.claim}",
        verdict=verdict,
        measured=cert.lhs_ball[0],
        bound=cert.rhs_ball[0],
        control=control,
        false_fail=0.0 if control is None else None,
        wrong_pass=0.0,
        method=f"ball arithmetic (python-flint Arb), {cert.prec} bits"
        + (f", {cert.boxes} boxes" if cert.boxes else ""),
        params={"n": n} if n is not None else {},
        error="certified: rigorous enclosures; overlapping balls say 'not certified', never a "
        "verdict",
        bound_from=f"control:{control}" if control else "statement",
        extra={"certificate": _summary(cert), "certify id": cert.id},
    )


def certificate_rows(ctx: RunContext, certs: Sequence[Any]) -> Rows:
    """:func:`certificate_row` for each certificate."""
    return [certificate_row(ctx, c) for c in certs]


def certify_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    """Rows of one certified claim of :data:`theory.certify.CLAIMS` (``case["claim"]``), or of
    the planted false certificates (``case["claim"] == "controls"``); ``case["thorough"]``
    widens n (see :mod:`theory.certify.registry`)."""
    claim = case["claim"]
    if claim == "controls":
        return certificate_rows(ctx, certify.certify_controls())
    return certificate_rows(ctx, certify.certify_claim(claim, thorough=bool(case.get("thorough"))))


def linearisation_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""``D p(1/n) v = (n/(n+2)) v`` for every trace-zero ``v``, and ``1 - 2/(3 sqrt n) <
    n/(n+2)  <=>  (n - 1)(n - 4) > 0``, per n in ``case["ns"]``, exactly (rationals) with an
    ``acb.integral`` cross-check; ``controls``: ``factor-(n+1)/(n+3)`` at every n.

    Record ``meanfield/linearisation``; source: arXiv v1 Lemma 6 (Sawa's p) at the fixed point
    a = 1/n; Dirichlet(1/2) moments; issue 18 (why the mean-field counterexample exists).

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run("meanfield/linearisation", {"ns": [2, 4, 5]})
    """
    rows: Rows = []
    for n in case["ns"]:
        rows.append(certificate_row(ctx, certify.certify_linearisation(int(n))))
        rows.append(certificate_row(ctx, certify.certify_threshold(int(n))))
        for _ in case.get("controls", ()):
            planted = certify.certify_linearisation(int(n), Fraction(n + 1, n + 3))
            planted.details["planted"] = True
            rows.append(certificate_row(ctx, planted))
    return rows


__all__ = [
    "PLANTED",
    "TARGETS",
    "certificate_row",
    "certificate_rows",
    "certify_check",
    "linearisation_check",
]
