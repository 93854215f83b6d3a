r"""Checks of the line of work (:mod:`theory.statements.line_of_work`): the soft-rank identity
(NeurIPS 2020), the isometry's normalisation identity (NeurIPS 2023) and case 4 of the kernel
map's Theorem 1 (AISTATS 2025), deterministic in float64 with derived round-off slack, and
certificates (:mod:`theory.certify.lineofwork`) where a case asks for them.
Pure functions ``(ctx, case) -> rows``."""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np

from .. import activations as A
from .. import kernel_map as K
from ..certify import lineofwork as CL
from ..engine import CheckResult, RunContext, judge_exact, numpy_only
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


@numpy_only
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


@numpy_only
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


@numpy_only
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


@numpy_only
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


# ------------------------------------------------------------------ Table 1, cases 2 and 3, Corollary 2


def _f(x: Any) -> float:
    return float(x.mid())


def _rad(x: Any) -> float:
    """An upper bound on the ball's radius as a float (rounded up)."""
    return math.nextafter(float(x.rad()), math.inf)


#: control -> (activation, column) of Table 1's planted variants
TABLE1_CONTROLS = {
    "relu-row-as-printed": ("relu", "kappa'(1)"),
    "exp-alpha-as-printed": ("exp", "alpha"),
    "selu-kappa-prime-one-as-printed": ("selu", "kappa'(1)"),
    "one-digit-off": ("sigmoid", "kappa(0)"),
}


def _table1_explain(name: str) -> dict[str, Any]:
    """Where the mismatching cells come from (recomputed, balls' midpoints)."""
    f = A.facts(name)
    if name == "relu":
        return {
            "kappa'(1) from 25 Hermite terms": _f(A.relu_truncated_kappa_prime_one(25)),
            "case-3 alpha = 1/2 - 1/pi": _f(f["alpha"]),
        }
    if name == "selu":
        c2 = A.hermite("selu", 24)[0]
        return {"kappa'(1) from 25 Hermite terms": sum(k * _f(c) for k, c in enumerate(c2))}
    if name == "exp":
        return {"kappa(0) + kappa'(0) = 2/e (= 1 - alpha)": _f(f["kappa(0)"] + f["kappa'(0)"])}
    return {}


@numpy_only
def table1_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""``|value - p| <= h`` for every printed cell p of Table 1's row of ``case["activation"]``
    (h = 0.005, value the certified ball of :func:`theory.activations.facts`, slack twice its
    radius): ``pass`` where the cell matches, an ``info`` row (finding) where the ball lies
    outside ``[p - h, p + h]``; the ``case`` column exactly.  Tightness ``|value - p|/h`` (1 at
    the rounding edge); ``extra["smallest printed error caught"] = h - |value - p|``.
    ``controls`` (:data:`TABLE1_CONTROLS`, each at its own activation and column): refuted iff
    ``|value - variant| > h + slack``.

    Record ``kernel-map-2025/table-1``; source: AISTATS 2025 (Joudaki, Hofmann), Table 1 (tab:activation_stats), Remark act-normalization and Theorem 1 (paper/main.tex of github.com/ajoudaki/kernel-global, commit 66fc025).

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "kernel-map-2025/table-1",
        ...     {'activation': 'relu', 'controls': ['relu-row-as-printed']},
        ... )
    """
    st = S.TABLE_1
    name = A.check_name(case["activation"])
    f = A.facts(name)
    rows: Rows = []
    explain = _table1_explain(name)
    for col in A.TABLE_1_COLUMNS:
        cell = A.TABLE_1_PRINTED[name][A.TABLE_1_COLUMNS.index(col)]
        p = st.bound_at(name, col)
        params = {"activation": name, "column": col, "printed": cell}
        if col == "case":
            same = f["case"] == int(p)
            extra = {"recomputed case": f["case"], "decided by": f["case decided by"], **explain}
            if same:
                rows += judge_exact(
                    ctx, st.id, f"{name}: case as printed ({cell}) = Theorem 1's case",
                    float(f["case"]), p, 0.0, params=params, extra=extra,
                )  # fmt: skip
                rows[-1].tightness = None
            else:
                rows.append(
                    ctx.row(
                        statement_id=st.id,
                        check=f"{name}: case as printed ({cell}) != Theorem 1's case "
                        f"{f['case']} (finding)",
                        verdict="info",
                        measured=float(f["case"]),
                        bound=p,
                        method="exact (Theorem 1's case rule on certified kappa(0), kappa'(1))",
                        params=params,
                        extra=extra,
                    )
                )
            continue
        lo, hi = A.printed_interval(cell)
        h = float((hi - lo) / 2)
        v = f[col]
        dist = abs(v - p)
        d, tol = _f(dist), 2 * _rad(dist) + 4 * U * max(1.0, abs(p))
        extra = {
            "value": _f(v),
            "value ball": v.str(12, radius=True),
            "printed interval": [float(lo), float(hi)],
            "smallest printed error caught": h - d,
            **explain,
        }
        check = f"{name}: |{col} - printed {cell}| <= {h:g}"
        if dist.lower() > h:
            rows.append(
                ctx.row(
                    statement_id=st.id,
                    check=check.replace("<=", ">") + " (finding: the printed cell differs)",
                    verdict="info",
                    measured=d,
                    bound=h,
                    method="certified ball (python-flint Arb) against the printed rounding",
                    params=params,
                    extra=extra,
                )
            )
        else:
            rows += judge_exact(ctx, st.id, check, d, h, tol, params=params, extra=extra)
    for c in case.get("controls", ()):
        if c not in TABLE1_CONTROLS:
            raise ValueError(f"unknown control {c!r} of {st.id}")
        an, col = TABLE1_CONTROLS[c]
        v = A.facts(an)[col]
        cb = st.control_bound(c)
        dist = abs(v - cb)
        rows += judge_exact(
            ctx, st.id, f"variant '{c}': |{an} {col} - {cb:g}| <= 0.005", _f(dist), 0.005,
            2 * _rad(dist) + 4 * U, control=c, params={"activation": an, "column": col},
            extra={"value": _f(v), "variant": cb},
        )  # fmt: skip
    return rows


def _ratios(us: list[Any], b: list[float]) -> tuple[list[float], list[float]]:
    """``(ratios, tols)``: ``u_l / b_l`` from the balls' midpoints and the slack ``2 (rad_l /
    b_l + (l + 8) u ratio_l)`` (the ball's radius, and the float bound's round-off: a power and
    a few products, each correctly rounded or within one ulp); ``inf`` where ``b_l`` is below
    float range (not judged)."""
    ratios, tols = [], []
    for l, bl in enumerate(b, start=1):
        u = us[l]
        if not bl > 1e-290:
            ratios.append(math.inf)
            tols.append(math.inf)
            continue
        r = _f(u) / bl
        ratios.append(r)
        tols.append(2 * (_rad(u) / bl + (l + 8) * U * r))
    return ratios, tols


def _worst(ratios: list[float], tols: list[float]) -> int:
    """Index of the largest ``ratio - 1 - tol`` among judged layers."""
    idx = [i for i, t in enumerate(tols) if math.isfinite(t)]
    return max(idx, key=lambda i: ratios[i] - 1 - tols[i])


@numpy_only
def relu_case2_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""``|rho_l - 1| <= |rho_0 - 1| alpha^l`` (case 2) on the orbit of ``case["activation"]``'s
    kernel in balls from ``case["rho0"]`` (layers 1..``case["layers"]``, 400 by default),
    ratio to the bound with slack :func:`_ratios`.  ReLU with Table 1's alpha = 0.95: an
    ``info`` row (the finding: first failing layer), and with ``case["control"]`` the printed
    claim from this rho_0, control ``as-printed-from-rho0``, refuted iff some layer's ratio
    exceeds ``1 + tol`` (also as ``case["controls"]``).  A case-2 activation (sigmoid) with its recomputed alpha = kappa'(1)
    (rounded up): the statement's own rows, which must pass.

    Record ``kernel-map-2025/relu-case-2-as-printed``; source: AISTATS 2025 (Joudaki, Hofmann), Table 1 (ReLU row) and Theorem 1 cases 2, 3 (paper/main.tex of github.com/ajoudaki/kernel-global, commit 66fc025).

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "kernel-map-2025/relu-case-2-as-printed",
        ...     {'activation': 'relu', 'rho0': 0.5, 'control': True},
        ... )
    """
    st = S.RELU_CASE2
    name = A.check_name(case["activation"])
    rho0 = float(case["rho0"])
    layers = int(case.get("layers") or 400)
    printed = name == "relu"
    if printed:
        alpha = S.table1_printed("relu", "alpha")
    elif A.case_of(name)[0] == 2:
        alpha = math.nextafter(float(A.facts(name)["kappa'(1)"].upper()), math.inf)
    else:
        raise ValueError(f"activation must be 'relu' (as printed) or in case 2; got {name!r}")
    us = A.orbit(name, rho0, layers)
    b = [st.bound_at(rho0, alpha, l) for l in range(1, layers + 1)]
    ratios, tols = _ratios(us, b)
    i = _worst(ratios, tols)
    first = next((j + 1 for j, r in enumerate(ratios) if r > 1 + tols[j]), None)
    params = {"activation": name, "rho0": rho0, "alpha": alpha, "layers": layers, "layer": i + 1}
    judged = [r for r, t in zip(ratios, tols) if math.isfinite(t)]
    extra = {
        "first failing layer": first,
        "ratio at the first failing layer": None if first is None else ratios[first - 1],
        "largest judged ratio": max(judged),
        "at layer": ratios.index(max(judged)) + 1,
        "judged layers": len(judged),
        "kappa'(1)": _f(A.facts(name)["kappa'(1)"]),
        "l^2 |rho_l - 1| / (9 pi^2/2) at the last layer": _f(us[-1])
        * layers**2
        / (4.5 * math.pi**2),
    }
    check = f"{name}: |rho_l - 1| <= |rho_0 - 1| {alpha:.6g}^l at every layer 1..{layers}"
    if not printed:
        rows = judge_exact(ctx, st.id, check, ratios[i], 1.0, tols[i], params=params, extra=extra)
        rows[0].tightness = max(judged)
        return rows
    extra["kappa'(1) exactly"] = 1
    extra["kappa'(1) from 25 Hermite terms"] = _f(A.relu_truncated_kappa_prime_one(25))
    rows = [
        ctx.row(
            statement_id=st.id,
            check=check + (f": VIOLATED from layer {first} (finding)" if first else ""),
            verdict="info",
            measured=max(judged) if first is None else ratios[first - 1],
            bound=1.0,
            tightness=max(judged) if first is None else ratios[first - 1],
            method="ReLU kernel orbit in balls (Arb, u = 1 - rho), ratio to the printed bound",
            params=params,
            extra=extra,
        )
    ]
    if case.get("control") or "as-printed-from-rho0" in case.get("controls", ()):
        cb = st.control_bound("as-printed-from-rho0", rho0, alpha, i + 1)
        rows += judge_exact(
            ctx, st.id, check + " (as a claim from this rho_0)", ratios[i], 1.0, tols[i],
            control="as-printed-from-rho0", params=params,
            extra={**extra, "variant bound at the judged layer": cb},
        )  # fmt: skip
    return rows


@numpy_only
def case3_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""``|rho_l - 1| <= |rho_0 - 1| / (l alpha |rho_0 - 1| + 1)``, ``alpha = 1 - kappa(0) -
    kappa'(0)``, on the orbit of ``case["activation"]`` (relu or exp) in balls from
    ``case["rho0"]`` (layers 1..``case["layers"]``, 300 by default): the ratio against 1 at the
    layer where ``ratio - 1 - tol`` is largest (slack :func:`_ratios`); tightness the largest
    ratio; ``extra["alpha_max"]``: the largest rate that still holds on this orbit (the power).
    ``controls``: ``edge-rate`` (alpha' with bound = 0.8 x distance at the binding layer) and
    ``alpha-without-kappa-prime-0`` (alpha = 1 - kappa(0)), judged the same way.

    Record ``kernel-map-2025/case-3-relu``; source: AISTATS 2025 (Joudaki, Hofmann), Table 1 (ReLU row) and Theorem 1 cases 2, 3 (paper/main.tex of github.com/ajoudaki/kernel-global, commit 66fc025).

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "kernel-map-2025/case-3-relu",
        ...     {'activation': 'relu', 'rho0': 0.5},
        ... )
    """
    st = S.CASE3
    name = A.check_name(case["activation"])
    f = A.facts(name)
    if f["case"] != 3:
        raise ValueError(f"activation must be in case 3 (relu, exp); got {name!r}")
    rho0 = float(case["rho0"])
    layers = int(case.get("layers") or 300)
    alpha = _f(f["alpha"])
    us = A.orbit(name, rho0, layers)
    x0 = abs(rho0 - 1.0)
    b = [st.bound_at(rho0, alpha, l) for l in range(1, layers + 1)]
    ratios, tols = _ratios(us, b)
    i = _worst(ratios, tols)
    top = max(range(layers), key=ratios.__getitem__)
    a_max = min((x0 / _f(us[l]) - 1) / (l * x0) for l in range(1, layers + 1))
    params = {"activation": name, "rho0": rho0, "alpha": alpha, "layers": layers, "layer": i + 1}
    extra = {
        "largest ratio": ratios[top],
        "at layer": top + 1,
        "alpha_max (largest rate that holds here)": a_max,
        "alpha_max / alpha": a_max / alpha,
        "l^2 |rho_l - 1| / (9 pi^2/2) at the last layer": _f(us[-1])
        * layers**2
        / (4.5 * math.pi**2),
    }
    check = (
        f"{name}: |rho_l - 1| <= |rho_0 - 1|/(l alpha |rho_0 - 1| + 1) at every layer 1..{layers}"
    )
    rows = judge_exact(ctx, st.id, check, ratios[i], 1.0, tols[i], params=params, extra=extra)
    rows[0].tightness = ratios[top]
    for c in case.get("controls", ()):
        if c == "edge-rate":
            l_star, u_star = top + 1, _f(us[top + 1])
            a_c = (x0 / (0.8 * u_star) - 1) / (l_star * x0)
        elif c == "alpha-without-kappa-prime-0":
            a_c = 1.0 - _f(f["kappa(0)"])
        else:
            raise ValueError(f"unknown control {c!r} of {st.id}")
        bc = [st.control_bound(c, rho0, a_c, l) for l in range(1, layers + 1)]
        rc, tc = _ratios(us, bc)
        j = _worst(rc, tc)
        rows += judge_exact(
            ctx, st.id, f"variant '{c}' (alpha = {a_c:.6g}): " + check, rc[j], 1.0, tc[j],
            control=c, params={**params, "layer": j + 1, "alpha": a_c}, extra=extra,
        )  # fmt: skip
    return rows


@numpy_only
def corollary2_conditions_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""Corollary 2's condition ``kappa'(1) < 1`` for ``case["activation"]``: the certificate of
    the recorded relation (:data:`theory.certify.lineofwork.COR2_RECORDED`: ``<`` for sigmoid,
    ``=`` for ReLU and exp, ``>`` otherwise) as the statement's row (pass iff certified), and an
    ``info`` row saying whether the activation satisfies the condition (for ReLU: the finding,
    the remark says it does).  ``controls`` (``relu-satisfies-as-printed``,
    ``tanh-satisfies``): the planted certificate of ``kappa'(1) < 1`` there, refuted iff the
    balls (or exact rationals) separate against it.

    Record ``kernel-map-2025/corollary-2-conditions``; source: AISTATS 2025 (Joudaki, Hofmann), Corollary 2 (cor:convergence_precision) and the remark after it (paper/main.tex of github.com/ajoudaki/kernel-global, commit 66fc025).

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "kernel-map-2025/corollary-2-conditions",
        ...     {'activation': 'relu', 'controls': ['relu-satisfies-as-printed']},
        ... )
    """
    st = S.COR2_CONDITIONS
    name = A.check_name(case["activation"])
    one = st.bound_at()
    k1 = A.facts(name)["kappa'(1)"]
    rows = [certificate_row(ctx, CL.certify_corollary2_condition(name))]
    satisfies = bool(k1 < one)
    rows.append(
        ctx.row(
            statement_id=st.id,
            check=f"{name} {'satisfies' if satisfies else 'does NOT satisfy'} Corollary 2's "
            "kappa'(1) < 1" + (" (finding: the remark says it does)" if name == "relu" else ""),
            verdict="info",
            measured=_f(k1),
            bound=one,
            method="certified ball / exact rationals",
            params={"activation": name},
            extra={"kappa'(1)": k1.str(12, radius=True), "relation": CL.COR2_RECORDED[name]},
        )
    )
    for c in case.get("controls", ()):
        an = {"relu-satisfies-as-printed": "relu", "tanh-satisfies": "tanh"}.get(c)
        if an is None:
            raise ValueError(f"unknown control {c!r} of {st.id}")
        cert = CL.certify_corollary2_condition(an, "<")
        cert.details.update({"planted": True, "control": c})
        rows.append(certificate_row(ctx, cert))
    return rows


def _cor2_kernel(case: dict[str, Any]) -> tuple[Any, Callable[[int], list[Any]], str]:
    """``(kappa'(1) ball, layers -> orbit of u, label)`` for ``case["kernel"]``: "sigmoid" or
    integer weights w (``c_k^2 = w_k / sum w``, case 2)."""
    rho0 = float(case["rho0"])
    if not -1.0 < rho0 < 1.0:
        raise ValueError(f"rho0 must be in (-1, 1); got {rho0!r}")
    kern = case["kernel"]
    if kern == "sigmoid":
        return A.facts("sigmoid")["kappa'(1)"], lambda n: A.orbit("sigmoid", rho0, n), "sigmoid"
    w = [Fraction(int(x)) for x in kern]
    c2 = [x / sum(w) for x in w]
    k1 = sum(k * x for k, x in enumerate(c2))
    if not (c2[0] > 0 and 0 < k1 <= Fraction(9, 10)):
        raise ValueError(
            "kernel weights must give case 2 with 0 < kappa'(1) <= 0.9 and kappa(0) > 0"
        )
    ball = CL._ball(k1)
    return ball, lambda n: A.orbit_coefficients(c2, rho0, n), f"w = {list(kern)}"


@numpy_only
def corollary2_depth_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""``1 - rho_l <= eps`` at ``l = ceil(L)``, ``L = ln(|rho_0 - 1|/eps)/ln(1/kappa'(1))``
    (``eps = 2^-case["eps_bits"]``; then at every later layer, 1 - rho decreasing in case 2),
    on the orbit of ``case["kernel"]`` (sigmoid or integer weights) in balls: the ratio
    ``(1 - rho_l)/eps`` against 1, slack twice the ball's radius.  ``extra``: the corollary's
    depth under each float32 reading and the first layer with ``1 - rho_l <= 2^-24`` from this
    rho_0.  ``controls``: ``as-printed`` (L without |rho_0 - 1|), ``remark-88-is-the-float32-depth``
    (88/ln(1/kappa'(1)) within a factor 1.25 of that first layer), ``one-layer-early`` (sigmoid
    only: the certificate at ceil(L) - 1).

    Record ``kernel-map-2025/corollary-2-depth``; source: AISTATS 2025 (Joudaki, Hofmann), Corollary 2 (cor:convergence_precision) and the remark after it (paper/main.tex of github.com/ajoudaki/kernel-global, commit 66fc025).

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "kernel-map-2025/corollary-2-depth",
        ...     {'kernel': 'sigmoid', 'rho0': -0.9999990463256836, 'eps_bits': 24, 'controls': ['as-printed']},
        ... )
    """
    st = S.COR2_DEPTH
    k1, orbit, label = _cor2_kernel(case)
    rho0, bits = float(case["rho0"]), int(case["eps_bits"])
    if not 1 <= bits <= 400:
        raise ValueError(f"eps_bits must be in [1, 400]; got {bits!r}")
    u0 = 1 - Fraction(rho0)  # exact (the orbit starts from the float rho0 exactly)
    k1f = _f(k1)
    L = st.bound_at(k1f, bits, float(u0))
    Lb = A.corollary2_depth(k1, bits, u0)
    Lp = A.corollary2_depth(k1, bits, 1)
    params = {"kernel": label, "rho0": rho0, "eps": f"2^-{bits}", "L": L}
    # l = ceil(L) is the first layer >= L; when L's ball holds an integer n (L = n exactly,
    # e.g. kappa'(1) = 1/2 and |rho_0 - 1| a power of 2), l = n is the earlier candidate: a
    # pass there is a pass for either; a failure there is inconclusive.  The printed variant
    # is judged at the later candidate (refuting the weaker claim).
    ambiguous = math.floor(_f(Lb.lower())) != math.floor(_f(Lb.upper()))
    l = max(math.floor(_f(Lb.lower())) + 1, 0)
    lp = max(math.floor(_f(Lp.upper())) + 1, 1)
    # one layer past the upper end of the 2^-24 depth's ball: where u's ball is surely below
    # 2^-24 (at an exact tie, e.g. kappa'(1) = 1/2 and rho_0 = -0, the mid alone falls short)
    m24 = max(math.floor(_f(A.corollary2_depth(k1, 24, u0).upper())) + 2, 0)
    us = orbit(max(l, lp, m24))
    while not any(u.upper() <= 2.0**-24 for u in us):  # case 2: u -> 0 geometrically
        us = orbit(2 * len(us))
    eps = 2.0**-bits
    first24 = next(j for j, u in enumerate(us) if u.upper() <= 2.0**-24)
    readings = {k: _f(A.corollary2_depth(k1, b, 1)) for k, b in A.FLOAT32_READINGS.items()}
    extra = {
        "layer": l,
        "1 - rho_l": _f(us[l]),
        "corollary's depth (as printed) per float32 reading": readings,
        "first layer with 1 - rho_l <= 2^-24 from this rho_0": first24,
        "ln(1/2^-128)": 128 * math.log(2.0),
        "kappa'(1)": k1f,
    }
    check = (
        f"{label}: 1 - rho_l <= 2^-{bits} at l = ceil(ln(|rho_0 - 1|/eps)/ln(1/kappa'(1))) = {l}"
    )
    value, tol = _f(us[l]) / eps, 2 * _rad(us[l]) / eps + 4 * U
    if ambiguous and value > 1.0 + tol:
        rows = [ctx.row(statement_id=st.id, check=check + ": ceil(L) not decided (L within its "
                        "ball of an integer)", verdict="inconclusive", measured=value, bound=1.0,
                        params={**params, "layer": l}, extra=extra)]  # fmt: skip
    else:
        rows = judge_exact(ctx, st.id, check, value, 1.0, tol, params={**params, "layer": l},
                           extra=extra)  # fmt: skip
    rows[0].extra["ceil(L) decided"] = not ambiguous
    for c in case.get("controls", ()):
        if c == "as-printed":
            st.control_bound(c, k1f, bits, 1.0)
            rows += judge_exact(
                ctx, st.id, f"variant '{c}': 1 - rho_l <= eps at l = ceil(ln(1/eps)/ln(1/"
                f"kappa'(1))) = {lp}", _f(us[lp]) / eps, 1.0, 2 * _rad(us[lp]) / eps + 4 * U,
                control=c, params={**params, "layer": lp}, extra=extra,
            )  # fmt: skip
        elif c == "remark-88-is-the-float32-depth":
            D = st.control_bound(c, k1f)
            rows += judge_exact(
                ctx, st.id, f"variant '{c}': 88/ln(1/kappa'(1)) = {D:.4g} within x1.25 of the "
                f"first layer with 1 - rho_l <= 2^-24 ({first24})", max(D / max(first24, 1), max(first24, 1) / D),
                1.25, 1e-12, control=c, params=params, extra=extra,
            )  # fmt: skip
        elif c == "one-layer-early":
            if label != "sigmoid":
                raise ValueError("control 'one-layer-early' is certified at sigmoid only")
            cert = CL.certify_corollary2_depth(
                "corrected", eps_bits=bits, rho0=Fraction(rho0), layer=l - 1
            )
            cert.details.update({"planted": True, "control": c})
            rows.append(certificate_row(ctx, cert))
        else:
            raise ValueError(f"unknown control {c!r} of {st.id}")
    return rows


__all__ = [
    "TABLE1_CONTROLS",
    "case3_check",
    "corollary2_conditions_check",
    "corollary2_depth_check",
    "relu_case2_check",
    "table1_check",
    "case4_corrected_check",
    "case4_printed_check",
    "isometry_check",
    "isometry_slack",
    "soft_rank_check",
    "soft_rank_slack",
]
