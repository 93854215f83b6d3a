r"""Checks of the line of work (:mod:`theory.statements.line_of_work`): the soft-rank identity
(NeurIPS 2020), the isometry's normalisation identity (NeurIPS 2023) and case 4 of the kernel
map's Theorem 1 (AISTATS 2025), deterministic in float64 with derived round-off slack, and
certificates (:mod:`theory.certify.lineofwork`) where a case asks for them.
Pure functions ``(ctx, case) -> rows``."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import kernel_map as K
from ..certify import lineofwork as CL
from ..engine import CheckResult, RunContext, judge_exact
from ..gap import gap_from_gram, gram, neg_log_isometry, soft_rank_from_gram
from ..statements import line_of_work as S
from .certificates import certificate_row

Rows = list[CheckResult]
U = 2.0**-53
#: Largest matrix (d * n entries) the exact-rational certificate is run on inside a check.
EXACT_MAX_ENTRIES = 96


def _gamma(m: float) -> float:
    return 1.01 * m * U / (1.0 - m * U)


def _identity_rows(rows: Rows, note: str) -> Rows:
    """An identity has no ratio to a bound: tightness None on the statement's rows."""
    for r in rows:
        if r.control is None:  # in place: the rows are the ones in ctx's log
            r.tightness = None
            r.extra = {**r.extra, "tightness is": note}
    return rows


# ------------------------------------------------------------------ soft rank (NeurIPS 2020)


def soft_rank_slack(n: int) -> float:
    r"""Relative slack of ``|r - 1/(V^2 + 1/n)| / r`` when both come from one computed
    trace-one Gram C (the identity holds for any matrix, so C's own round-off cancels):

    * ``r = tr(C')^2 / sum C'^2`` (``C' = C/max|C|``): ``gamma_{n^2 + 2n + 5}``;
    * ``D = C/t - I/n``: entry errors ``||eps||_F <= gamma_{n+2} ||C/t||_F + 2u + u V <=
      gamma_{n+5}`` (``||C/t||_F <= 1``), so ``|delta V^2| <= 2 V gamma_{n+5} + gamma_{n^2+3}
      V^2`` and the relative error of ``1/(V^2 + 1/n)`` is at most ``sqrt(n) gamma_{n+5} +
      gamma_{n^2+3} + 3u`` (``2V/(V^2 + 1/n) <= sqrt n``);

    twice their sum."""
    return 2.0 * (
        _gamma(n * n + 2 * n + 5) + math.sqrt(n) * _gamma(n + 5) + _gamma(n * n + 3) + 3 * U
    )


def soft_rank_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""``|r(H) - 1/(V(H)^2 + 1/n)| / r(H) <= slack`` (relative), both from one computed
    Gram; ``controls`` judged the same way against the variant's value; ``exact=True`` adds the
    exact-rational certificate at the same (float, hence rational) matrix when it is small.

    Record ``rank-collapse-2020/soft-rank-identity``; source: NeurIPS 2020 (Daneshmand, Kohler, Bach, Hofmann, Lucchi), Theorem 2 (soft rank); Eq. 2 of the 2021 paper.

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "rank-collapse-2020/soft-rank-identity",
        ...     {'H': [[1.0, 0.0], [0.0, 0.5], [0.0, 0.0]]},
        ... )
    """
    st = S.SOFT_RANK
    H = np.asarray(case["H"], dtype=np.float64)
    d, n = H.shape
    C = gram(H)
    V = float(gap_from_gram(C))
    r = float(soft_rank_from_gram(C))
    pred = st.bound_at(V=V, n=n)
    tol = soft_rank_slack(n)
    params = {"d": d, "n": n}
    extra = {"r(H)": r, "V(H)": V, "1/(V^2 + 1/n)": pred}
    check = "|r(H) - 1/(V^2 + 1/n)| / r(H) <= slack"
    rows = judge_exact(ctx, st.id, check, abs(r - pred) / r, 0.0, tol, params=params, extra=extra)
    rows = _identity_rows(rows, "none (an identity); |difference| / slack in extra")
    rows[0].extra["|difference| / slack"] = abs(r - pred) / r / tol
    for c in case.get("controls", ()):
        cb = st.control_bound(c, V=V, n=n)
        diff = abs(r - cb) / r if math.isfinite(cb) else math.inf
        rows += judge_exact(
            ctx,
            st.id,
            check.replace("1/(V^2 + 1/n)", "variant"),
            diff,
            0.0,
            tol,
            control=c,
            params=params,
            extra={**extra, "variant's value": cb},
        )
    if case.get("exact") and H.size <= EXACT_MAX_ENTRIES:
        rows.append(certificate_row(ctx, CL.certify_soft_rank_at(H.tolist())))
    return rows


# ------------------------------------------------------------------ isometry (NeurIPS 2023)


def _log_terms_slack(lam: np.ndarray, delta: float, n: int) -> float:
    """Error of ``log(mean lambda) - mean(log lambda)`` from eigenvalues known to ``delta``."""
    if np.min(lam) <= delta:
        return math.inf
    mean_log = float(np.mean(delta / (lam - delta)))
    log_mean = n * delta / float(np.sum(lam)) + _gamma(n + 2)
    rounding = (n + 4) * U * (1.0 + float(np.max(np.abs(np.log(lam)))))
    return mean_log + log_mean + 2 * rounding


def isometry_slack(G: np.ndarray, N: np.ndarray) -> float:
    r"""Slack of ``|-log I(N) - (-log I(G) - log AM/GM(diag G))|``, N formed from G in float.

    eigvalsh is backward stable: each eigenvalue of ``A = M/max|M|`` is off by at most ``Delta
    = 4 n u ||A||_2 <= 4 n u tr A`` (for N add ``3 u n``: forming ``g_ij/sqrt(g_ii g_jj)`` costs
    ``3u |N_ij|``, ``||N||_F <= n``), so ``|delta log lambda_i| <= Delta/(lambda_i - Delta)``;
    the log of the mean adds ``n Delta / tr A + gamma_{n+2}``; every log and mean of logs
    ``(n + 4) u (1 + max |log|)``.  Twice the sum over G, N and the AM/GM of the diagonal;
    ``inf`` when an eigenvalue is within Delta of 0 (beyond float64)."""
    n = G.shape[0]
    A = G / np.max(np.abs(G))
    B = N / np.max(np.abs(N))
    lam_a, lam_b = np.linalg.eigvalsh(A), np.linalg.eigvalsh(B)
    da = 4 * n * U * float(np.trace(A))
    db = 4 * n * U * float(np.trace(B)) + 3 * U * n
    g = np.diag(G)
    amgm = _gamma(n + 2) + 2 * (n + 4) * U * (1.0 + float(np.max(np.abs(np.log(g)))))
    return 2.0 * (_log_terms_slack(lam_a, da, n) + _log_terms_slack(lam_b, db, n) + amgm)


def _gram_and_normalised(H: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    Hs = H / np.max(np.abs(H))
    G = Hs.T @ Hs
    g = np.diag(G).copy()
    N = G / np.sqrt(np.outer(g, g))
    return G, N, g


def isometry_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""``-log I(N) = -log I(G) - log AM/GM(diag G)`` within the derived slack (G = H^T H, N =
    D^{-1/2} G D^{-1/2}), and its consequence ``-log I(N) <= -log I(G)`` (the identity's value
    with the AM/GM term, >= 0, dropped); ``controls``: the variants judged the same way;
    ``exact=True`` adds the ball certificates at the exact Gram of the (float) H when small.

    Record ``isometry-2023/normalisation``; source: NeurIPS 2023 (Joudaki, Daneshmand, Bach), isometry and normalisation.

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "isometry-2023/normalisation",
        ...     {'H': [[1.0, 0.2], [0.0, 0.5], [0.3, 0.0]]},
        ... )
    """
    st = S.ISOMETRY
    H = np.asarray(case["H"], dtype=np.float64)
    d, n = H.shape
    if d < n:
        raise ValueError(f"H must have d >= n (a full-rank Gram); got d={d}, n={n}")
    G, N, g = _gram_and_normalised(H)
    nli_g = float(neg_log_isometry(G))
    nli_n = float(neg_log_isometry(N))
    log_amgm = float(np.log(np.mean(g)) - np.mean(np.log(g)))
    tol = isometry_slack(G, N)
    pred = st.bound_at(nli_g=nli_g, log_amgm=log_amgm)
    params = {"d": d, "n": n}
    extra = {
        "-log I(G)": nli_g,
        "-log I(N)": nli_n,
        "log AM/GM(diag G)": log_amgm,
        "I(N)/I(G)": math.exp(nli_g - nli_n) if math.isfinite(nli_g - nli_n) else None,
    }
    if not math.isfinite(tol):
        rows = [
            ctx.row(
                statement_id=st.id,
                check="-log I(N) = -log I(G) - log AM/GM: not judged (beyond float64)",
                verdict="info",
                params=params,
                extra={**extra, "why": "an eigenvalue is within its round-off of 0"},
            )
        ]
        return rows + _isometry_certificates(ctx, case, H, G)
    check = "|-log I(N) - (-log I(G) - log AM/GM(diag G))| <= slack"
    rows = judge_exact(ctx, st.id, check, abs(nli_n - pred), 0.0, tol, params=params, extra=extra)
    rows = _identity_rows(rows, "none (an identity)")
    never_less = st.bound_at(nli_g=nli_g, log_amgm=0.0)
    rows += judge_exact(
        ctx, st.id, "-log I(N) <= -log I(G) (normalisation never decreases I)", nli_n,
        never_less, tol, params=params, extra=extra,
    )  # fmt: skip
    rows[-1].tightness = None  # a log ratio near 0: no meaningful tightness
    for c in case.get("controls", ()):
        cb = st.control_bound(c, nli_g=nli_g, log_amgm=log_amgm)
        if c == "normalisation-decreases":  # I(N) <= I(G)  <=>  -log I(N) >= -log I(G)
            rows += judge_exact(
                ctx, st.id, "variant: -log I(N) >= -log I(G)", nli_n, cb, tol,
                side="lower", control=c, params=params, extra=extra,
            )  # fmt: skip
        else:
            rows += judge_exact(
                ctx, st.id, "variant: |-log I(N) - variant| <= slack", abs(nli_n - cb), 0.0,
                tol, control=c, params=params, extra={**extra, "variant's value": cb},
            )  # fmt: skip
    return rows + _isometry_certificates(ctx, case, H, G)


def _isometry_certificates(
    ctx: RunContext, case: dict[str, Any], H: np.ndarray, G: np.ndarray
) -> Rows:
    """With ``case["exact"]`` and a small H: the ball certificates at H's exact Gram (the
    strict increase only for a non-constant diagonal, where it is true)."""
    if not case.get("exact") or H.size > EXACT_MAX_ENTRIES:
        return []
    Gx = CL.exact_gram(H.tolist())
    rows = [certificate_row(ctx, CL.certify_isometry_identity(Gx))]
    if len({Gx[i][i] for i in range(len(Gx))}) > 1:
        rows.append(certificate_row(ctx, CL.certify_isometry_increase(Gx)))
    return rows


# ------------------------------------------------------------------ kernel map (AISTATS 2025)


def _kernel_case(case: dict[str, Any]) -> tuple[tuple[float, ...], float, int]:
    c2 = K.coefficients(case["w"])
    if K.regime(c2) != 4:
        raise ValueError("w must give case 4 of Theorem 1: kappa(0) > 0 and kappa'(1) > 1")
    rho0 = float(case["rho0"])
    layers = int(case.get("layers") or K.escape_layers(c2, rho0))
    return c2, rho0, layers


def _scan_params(case: dict[str, Any], rho0: float, layers: int, res: dict[str, Any]) -> dict:
    return {
        "w": list(case["w"]),
        "rho0": rho0,
        "1 - rho0": 1.0 - rho0,
        "layers": layers,
        "judged layers": res["decided"],
        "rho*": res["rho_star"],
        "alpha": res["alpha"],
        "layer": res["worst_l"],
    }


def _not_judged(ctx: RunContext, sid: str, params: dict, res: dict[str, Any]) -> CheckResult:
    """An ``info`` row where no layer can be judged in float64: rho_0 within the bracket of
    rho* (then the bound is ~0 and so is the distance: nothing to compare) or round-off
    swamping every bound."""
    return ctx.row(
        statement_id=sid,
        check="case 4 bound: not judged in float64",
        verdict="info",
        params=params,
        extra={
            "why": "rho_0 within the bracket of rho*"
            if abs(params["rho0"] - res["rho_star"]) <= 2 * res["rho_star_err"]
            else "round-off swamps every bound",
            "rho* bracket": res["rho_star_err"],
        },
    )


def _judged(res: dict[str, Any]) -> tuple[float, float]:
    i = res["worst_l"] - 1
    return res["ratios"][i], res["tols"][i]


def case4_printed_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""Case 4 as printed, in float64: one ``info`` row (the finding convention) with the
    largest judged ratio ``|rho_l - rho*| / bound_l`` and the first failing layer; with
    ``case["control"]`` the printed claim at this case, control ``as-printed-at-example``,
    refuted iff ``ratio_l > 1 + tol_l`` at some judged layer.

    Record ``kernel-map-2025/case-4-as-printed``; source: AISTATS 2025 (Joudaki, Hofmann), Theorem 1 case 4 (paper/main.tex of github.com/ajoudaki/kernel-global).

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "kernel-map-2025/case-4-as-printed",
        ...     {'w': [3, 3, 4], 'rho0': 0.99999999, 'control': True},
        ... )
    """
    st = S.CASE4_PRINTED
    c2, rho0, layers = _kernel_case(case)
    res = K.scan_case4(c2, rho0, layers, which="printed")
    params = _scan_params(case, rho0, layers, res)
    if res["worst_l"] is None:
        return [_not_judged(ctx, st.id, params, res)]
    ratio, tol = _judged(res)
    b = st.bound_at(rho0, res["rho_star"], res["alpha"], res["worst_l"])
    first = res["first"]
    extra = {
        "first failing layer": first,
        "ratio at the first failing layer": None if first is None else res["ratios"][first - 1],
        "largest judged ratio": res["worst"],
        "at layer": res["worst_ratio_l"],
        "bound at the judged layer": b,
        "tolerance at the judged layer": tol,
        "rho* bracket": res["rho_star_err"],
    }
    found = first is not None
    check = "|rho_l - rho*| <= |rho_0 - rho*| alpha^l/(1 - |rho_0|), alpha as printed"
    rows = [
        ctx.row(
            statement_id=st.id,
            check=check + (f": VIOLATED from layer {res['first']} (finding)" if found else ""),
            verdict="info",
            measured=res["worst"],
            bound=1.0,
            tightness=res["worst"],
            method="deterministic kernel-map iteration (float64, u = 1 - rho coordinate, "
            "a-posteriori round-off bound), ratio to bound",
            params=params,
            extra=extra,
        )
    ]
    if case.get("control"):
        cb = st.control_bound(
            "as-printed-at-example", rho0, res["rho_star"], res["alpha"], res["worst_l"]
        )
        rows += judge_exact(
            ctx,
            st.id,
            check + " (as a claim at this kernel and rho_0)",
            ratio,
            1.0,
            tol,
            control="as-printed-at-example",
            params=params,
            extra={**extra, "variant bound at the judged layer": cb},
        )
    return rows


def case4_corrected_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""Case 4 with the corrected rate, in float64: the ratio ``|rho_l - rho*| / bound_l``
    against 1 at the judged layer where ``ratio - 1 - tol`` is largest (``judge_exact``, slack
    ``tol_l``); tightness = the largest judged ratio; the printed rate's first failing layer on
    the same orbit in ``extra``; ``controls``: ``printed-third-term``, ``no-prefactor``.

    Record ``kernel-map-2025/case-4-corrected``; source: AISTATS 2025 (Joudaki, Hofmann), Theorem 1 case 4 (paper/main.tex of github.com/ajoudaki/kernel-global).

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "kernel-map-2025/case-4-corrected",
        ...     {'w': [3, 3, 4], 'rho0': 0.99999999},
        ... )
    """
    st = S.CASE4_CORRECTED
    c2, rho0, layers = _kernel_case(case)
    res = K.scan_case4(c2, rho0, layers, which="corrected")
    printed = K.scan_case4(c2, rho0, layers, which="printed")
    params = _scan_params(case, rho0, layers, res)
    if res["worst_l"] is None:
        return [_not_judged(ctx, st.id, params, res)]
    ratio, tol = _judged(res)
    b = st.bound_at(rho0, res["rho_star"], res["alpha"], res["worst_l"])
    extra = {
        "largest judged ratio": res["worst"],
        "at layer": res["worst_ratio_l"],
        "bound at the judged layer": b,
        "printed rate: first failing layer": printed["first"],
        "printed rate: largest judged ratio": printed["worst"],
        "rho* bracket": res["rho_star_err"],
        "case": {"w": list(case["w"]), "rho0": rho0},
    }
    check = "max_l |rho_l - rho*| / (|rho_0 - rho*| alpha^l/(1 - |rho_0|)) <= 1, alpha corrected"
    rows = judge_exact(ctx, st.id, check, ratio, 1.0, tol, params=params, extra=extra)
    for r in rows:
        r.tightness = res["worst"]
    for c in case.get("controls", ()):
        if c == "printed-third-term":
            rc = printed
        elif c == "no-prefactor":
            rc = K.scan_case4(c2, rho0, layers, which="corrected", prefactor=False)
        else:
            raise ValueError(f"unknown control {c!r} of {st.id} (float check)")
        if rc["worst_l"] is None:
            raise ValueError(f"control {c!r}: no layer could be judged in float64")
        cr, ct = _judged(rc)
        cb = st.control_bound(c, rho0, rc["rho_star"], rc["alpha"], rc["worst_l"])
        rows += judge_exact(
            ctx,
            st.id,
            f"variant '{c}': max_l |rho_l - rho*| / variant bound_l <= 1",
            cr,
            1.0,
            ct,
            control=c,
            params={**params, "layer": rc["worst_l"]},
            extra={
                **extra,
                "variant bound at the judged layer": cb,
                "first failing layer": rc["first"],
            },
        )
    return rows


__all__ = [
    "case4_corrected_check",
    "case4_printed_check",
    "isometry_check",
    "isometry_slack",
    "soft_rank_check",
    "soft_rank_slack",
]
