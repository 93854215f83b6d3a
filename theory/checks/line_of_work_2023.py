r"""Checks of NeurIPS 2023 (Joudaki, Daneshmand, Bach; :mod:`theory.statements.line_of_work_2023`):
the LN + activation contraction ``(2 - beta_0)^{-l}``.  Pure functions ``(ctx, case) -> rows``.

* :func:`meanfield_check`: certificates in balls (:mod:`theory.certify.lineofwork_ln`) of
  ``gamma(hat kappa(rho)) < gamma(rho)/(2 - beta_0)`` at given activations and rho, and of the
  planted variants (refuted in balls);
* :func:`finite_width_check`: one layer of the chain at width d (:mod:`theory.norm_chain`); the
  engine samples ``X = max_{i != j} |c_ij(H_1)|`` until decided and the rate ``R = gamma(E X) /
  gamma(rho_0)`` is judged against ``1/(2 - beta_0)`` (with the edge control); a control runs
  its own chain or case (``CONTROL_CASES``) against the same bound.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from .. import norm_chain
from .._validate import check_choice, check_int
from ..certify import lineofwork_ln as CL
from ..engine import (
    ASSERTION_DELTA,
    EDGE,
    CheckResult,
    RunContext,
    judge,
    numpy_only,
    rows_until_decided,
)
from ..statements import line_of_work_2023 as S
from ..stats import Interval, mean_bounds
from .certificates import certificate_row

Rows = list[CheckResult]


def _rho_arg(r: Any) -> Fraction | str:
    if isinstance(r, str) and r == "limit":
        return r
    if isinstance(r, str):
        return Fraction(r)
    if isinstance(r, bool) or not isinstance(r, (int, float, Fraction)):
        raise ValueError(
            f"rhos must be rationals (str, int, float, Fraction) or 'limit'; got {r!r}"
        )
    return Fraction(r)


def _as_rate(row: CheckResult, cert: Any, r: Fraction | str, bound: float) -> None:
    """Report a certificate row in rate units: measured ``gamma(kappa_v(rho))/gamma(rho)`` (the
    certificate's left ball over ``gamma(rho)``; at the limit the left ball itself), bound the
    record's ``1/(2 - beta_0)``; the certified comparison stays in ``extra["certificate"]``."""
    g = 1.0 if r == "limit" else float(norm_chain.potential_of(float(r)))
    row.measured = cert.lhs_ball[0] / g
    row.bound = bound
    row.tightness = row.measured / bound if bound > 0 else None


@numpy_only
def meanfield_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""Certificates of ``gamma(hat kappa(rho)) < gamma(rho) / (2 - beta_0)`` for each activation
    in ``case["acts"]`` and each rho in ``case["rhos"]`` (rationals as strings, or ``"limit"``);
    for each control in ``case["controls"]`` (``"no-centring"``, ``"activation-free"``) the
    planted variant at rho = 1/2 for the activations with ``c_0 != 0`` (no-centring) or all
    (activation-free), each of which must come out refuted.

    Record ``isometry-2023/ln-contraction-meanfield``; source: NeurIPS 2023 (Joudaki, Daneshmand,
    Bach), the LN + activation rate (2 - beta_0)^(-l); github.com/ajoudaki/deepnet-isometry
    (utils.py, validations.ipynb, README.md; commit 080d5a8).

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "isometry-2023/ln-contraction-meanfield",
        ...     {'acts': ['relu'], 'rhos': ['1/2', 'limit'], 'controls': ['no-centring']},
        ... )
    """
    acts = [check_choice(a, "act", CL.ACTS) for a in case.get("acts", CL.ACTS)]
    rhos = [_rho_arg(r) for r in case.get("rhos", ("1/2", "limit"))]
    controls = tuple(case.get("controls", ()))
    for c in controls:
        S.MEANFIELD.control(c)
    rows: Rows = []
    for act in acts:
        for r in rhos:
            cert = CL.certify_ln_contraction(act, r, "ln")
            row = certificate_row(ctx, cert)
            row.params = {"act": act, "rho": str(r)}
            _as_rate(row, cert, r, S.MEANFIELD.bound_at(act))
            rows.append(row)
        for c in controls:
            if c == "no-centring" and act in ("tanh", "selu"):
                continue  # c_0 = 0: RMS = LN there, the variant is true (not a control)
            cert = CL.certify_ln_contraction(act, Fraction(1, 2), c)
            row = certificate_row(ctx, cert)
            row.params = {"act": act, "rho": "1/2"}
            _as_rate(row, cert, Fraction(1, 2), S.MEANFIELD.control_bound(c, act))
            rows.append(row)
    return rows


def rate_interval(iv: Interval, rho0: float, depth: int = 1) -> Interval:
    r"""The interval of the per-layer rate ``R = (gamma(E X_L) / gamma(rho_0))^{1/L}`` (L =
    ``depth``) from that of ``E X_L`` (``gamma(x) = x/(1 - x)`` is increasing on [0, 1) and so
    is the L-th root: the ends map to the ends; ``+inf`` at 1)."""
    g0 = float(norm_chain.potential_of(rho0))
    L = check_int(depth, "depth", minimum=1)

    def R(m: float) -> float:
        return (float(norm_chain.potential_of(min(max(m, 0.0), 1.0))) / g0) ** (1.0 / L)

    return Interval(
        estimate=R(iv.estimate),
        lower=R(iv.lower),
        upper=R(iv.upper),
        delta=iv.delta,
        method=f"(gamma(E X_L)/gamma(rho_0))^(1/L), L = {L}, from {iv.method}",
        n=iv.n,
    )


def _chain_case(case: dict[str, Any], control: str | None) -> dict[str, Any]:
    p = {
        "act": case.get("act", "relu"),
        "d": case.get("d", 64),
        "n": case.get("n", 2),
        "rho0": case.get("rho0", 0.9),
        "norm": "ln",
        "order": "after",
        "depth": case.get("depth", 1),
    }
    if control is not None:
        p.update(S.CONTROL_CASES[control])
    p["chain_act"] = p.pop("chain_act", p["act"])
    check_choice(p["act"], "act", CL.ACTS)
    p["n"] = check_int(p["n"], "n", minimum=2)
    p["d"] = check_int(p["d"], "d", minimum=p["n"] + 2)
    r = float(p["rho0"])
    if not 0.0 < r < 1.0:
        raise ValueError(f"rho0 must be in (0, 1); got {p['rho0']!r}")
    p["rho0"] = r
    p["depth"] = check_int(p["depth"], "depth", minimum=1)
    return p


@numpy_only
def finite_width_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""At one case (``act``, ``d``, ``n``, ``rho0``, ``depth`` L = 1 by default): the engine
    samples chains ``H_{l+1} = LN(phi(W_l H_l))`` of L layers until decided; the row "``R =
    (gamma(E X_L)/gamma(rho_0))^{1/L} <= 1/(2 - beta_0)``" (``X_L = max_{i != j} |c_ij(H_L)|``) (:func:`theory.engine.judge`, with the edge control ``R <= 0.8 x estimate``).
    With ``case["control"]`` set, the rows are instead that control's (its chain or case from
    ``S.CONTROL_CASES``, the bound of ``act``), which must come out refuted.

    Record ``isometry-2023/ln-contraction-finite-width``; source: NeurIPS 2023 (Joudaki,
    Daneshmand, Bach), the LN + activation rate (2 - beta_0)^(-l) (validated at finite width in
    validations.ipynb); github.com/ajoudaki/deepnet-isometry (utils.py, validations.ipynb,
    README.md; commit 080d5a8).

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "isometry-2023/ln-contraction-finite-width",
        ...     {'act': 'relu', 'd': 32, 'n': 2, 'rho0': 0.9, 'max_runs': 2000},
        ... )
    """
    st = S.FINITE_WIDTH
    control = case.get("control")
    if control is not None:
        st.control(control)
    p = _chain_case(case, control)
    H0 = norm_chain.equicorrelated_h0(p["d"], p["n"], p["rho0"])
    bound = st.bound_at(p["act"]) if control is None else st.control_bound(control, p["act"])
    data: list[np.ndarray] = []
    dead: list[int] = []
    params = {k: p[k] for k in ("act", "chain_act", "d", "n", "rho0", "norm", "order", "depth")}
    L = p["depth"]

    def draw(b: int, s: int) -> None:
        out = norm_chain.simulate(
            H0, L, act=p["chain_act"], norm=p["norm"], order=p["order"], runs=b, seed=s
        )
        data.append(out["corr"][:, L])
        dead.append(int(out["degenerate"].sum()))

    def rows_at(c: RunContext, share: float) -> Rows:
        x = np.concatenate(data)
        iv = mean_bounds(x, lo=0.0, hi=1.0, delta=share * ASSERTION_DELTA)
        rate = rate_interval(iv, p["rho0"], L)
        mf = p["rho0"]
        for _ in range(L):
            mf = norm_chain.meanfield_map(p["chain_act"], p["norm"], p["order"], mf)
        extra = {
            "E max|c_ij(H_L)|": iv.estimate,
            "E max|c_ij(H_L)| interval": [iv.lower, iv.upper],
            "mean-field correlation at L": mf,
            "mean-field per-layer rate": float(
                norm_chain.potential_of(mf) / norm_chain.potential_of(p["rho0"])
            )
            ** (1.0 / L),
            "beta_0": norm_chain.beta0(p["act"]),
            "degenerate runs (counted as collapsed)": int(sum(dead)),
        }
        prm = {**params, "runs": int(x.size)}
        check = (
            "gamma(E max|c_ij(H_1)|)/gamma(rho_0) <= 1/(2 - beta_0)"
            if L == 1
            else f"(gamma(E max|c_ij(H_{L})|)/gamma(rho_0))^(1/{L}) <= 1/(2 - beta_0)"
        )
        if control is None:
            return judge(c, st.id, check, rate, bound, params=prm, extra=extra, edge=EDGE)
        return judge(c, st.id, check, rate, bound, control=control, params=prm, extra=extra)

    key = ("lw2023/finite-width", control, *sorted(params.items()))
    return rows_until_decided(ctx, draw, rows_at, key=key, max_runs=case.get("max_runs"))


__all__ = ["finite_width_check", "meanfield_check", "rate_interval"]
