r"""Checks of the proof lemmas (arXiv v1, App. B-E), iterative orthogonalization (Eq. 6), full
whitening (Sec. 3.2) and the vanilla chain: pure functions ``check(ctx, case) -> rows``.

The records live in :mod:`theory.statements.proof_lemmas`, which attaches these functions.  Every
bound asserted here is the record's (``STMT.bound_at``) or a control's
(``STMT.control_bound(cid, ...)``); verdicts come from :mod:`theory.engine` only.

Cases are plain dicts.  Keys used below (all optional ones have defaults):

* one-step Monte Carlo (drift, Lemma 6, Lemma 7, Sawa): ``s`` (singular values of H_l, any
  scale), ``d``, ``rot`` (seed of the right singular vectors, :func:`theory.inputs.with_spectrum`),
  ``max_runs``, ``controls`` (ids of negative controls to evaluate on this case);
* deterministic: ``H`` (Lemma 4, Eq. 6), ``s`` (Lemma 8, Sawa sum rule), ``M`` (Sec. 3.2),
  ``controls``;
* Cesaro: ``family``, ``param``, ``d``, ``n``, ``l``; vanilla: ``family``, ``n``, ``d``,
  ``depth_per_width``, ``max_runs``, ``controls``.

**Sample sizes.**  The drift inequality, Lemma 6's concentration, Lemma 7 and the Cesaro bound
sample until the data decide (:func:`theory.engine.sample_until_decided`):
batches of 200, 300, 450, ... runs, each look's interval valid uniformly over the looks (a union
bound over the budget's fixed schedule), stopping once the statement, every control asked for
and the edge control are decided, or at ``max_runs`` (the profile's cap); only then can a
verdict be inconclusive.  Sawa's Monte Carlo identity does the same over its n columns
(:func:`_columns_until_decided`), and the vanilla chain over its two quantities (V and
``|cos|``) and its controls (:func:`vanilla_check`).  No check here plans a sample size.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .. import inputs, sawa
from ..chain import bn
from ..engine import (
    EDGE,
    CheckResult,
    RunContext,
    edge_control,
    judge,
    judge_exact,
    judge_within,
    sample_until_decided,
)
from ..gap import max_gap, orthogonality_gap, singular_values
from ..orthogonalize import (
    full_whitening,
    orthogonalizing_weight,
    whitening_slack,
)
from ..sequential import sequential_loop
from ..statements import proof_lemmas as P
from ..stats import ASSERTION_DELTA, Interval, mean_bounds
from ._looks import decided, how, settled, whole

EPS = float(np.finfo(np.float64).eps)
Rows = list[CheckResult]


# ------------------------------------------------------------------------------ helpers


def digest(*parts: Any) -> str:
    """A short stable digest of arrays and scalars (seeds, replay keys)."""
    h = hashlib.sha256()
    for p in parts:
        if isinstance(p, np.ndarray):
            h.update(np.ascontiguousarray(p, dtype=np.float64).tobytes())
        else:
            h.update(repr(p).encode())
    return h.hexdigest()[:16]


def unit_spectrum(s: Any) -> tuple[np.ndarray, float]:
    r"""``(a, Vhat)``: ``a_i = s_i^2 / sum_k s_k^2`` sorted decreasingly and
    ``Vhat = 1/n - a_n = (1/n) sum_i (a_i - a_n)`` (cancellation-free, arXiv v1 App. B)."""
    s = np.asarray(s, dtype=np.float64)
    if s.ndim != 1 or s.size < 1 or not np.all(np.isfinite(s)) or np.any(s < 0) or s.max() <= 0:
        raise ValueError(
            f"s must be a 1-d array of n >= 1 finite values >= 0, not all 0; got {s!r}"
        )
    s = np.sort(s / s.max())[::-1]
    a = s * s / np.sum(s * s)
    return a, float(np.sum(a - a[-1])) / a.size


def _columns_until_decided(
    ctx: RunContext,
    sample: Callable[[int, int], np.ndarray],
    m: int,
    *,
    key: Sequence[Any],
    targets: Sequence[float],
    tol: float,
    max_runs: int | None = None,
    delta: float = ASSERTION_DELTA,
) -> tuple[list[Interval], int, int, dict[str, Any]]:
    r"""Sample ``m`` columns in ``[0, 1]`` until every "``|E X_i - t_i| <= tol``" is decided
    and the edge control of column 1 ("``E X_1 = 0.8 x estimate``") is refuted, or the
    profile's budget is spent (:func:`theory.sequential.sequential_loop`).

    Each look gives column i the interval of :func:`theory.stats.mean_bounds` at
    ``delta / (m K)`` per side: a union over the K looks (so stopping early keeps its level,
    whatever made it stop) and over the m columns (Bonferroni).  Returns the intervals at the
    stopping look (each with ``delta`` = the per-column level ``delta / m``), the base seed,
    the runs drawn and how it stopped."""
    base = ctx.seed(*key, "sequential")
    chunks: list[np.ndarray] = []
    looked: list[Interval] = []

    def draw(b: int, s: int) -> None:
        chunks.append(np.asarray(sample(b, s), dtype=np.float64))

    def look(share: float) -> bool:
        X = np.concatenate(chunks)
        looked[:] = [
            mean_bounds(X[:, i], lo=0.0, hi=1.0, delta=delta * share / m) for i in range(m)
        ]
        decided = all(
            (t - tol <= e.lower and e.upper <= t + tol) or (e.upper < t - tol or e.lower > t + tol)
            for e, t in zip(looked, targets)
        )
        e1 = looked[0]
        return decided and (e1.upper < EDGE * e1.estimate or e1.lower > EDGE * e1.estimate)

    res = sequential_loop(draw, look, budget=ctx.budget(max_runs=max_runs), seed=base)
    ests = [
        Interval(
            e.estimate,
            e.lower,
            e.upper,
            delta / m,
            f"{e.method}, union over {res.looks} looks",
            e.n,
        )
        for e in looked
    ]
    how = {"sampling": res.describe(), "batch seeds": list(res.seeds)}
    return ests, base, res.runs, how


def _note(rows: Rows, how: dict[str, Any]) -> Rows:
    """Say on every row how the sample was drawn (in place: the rows are ctx's)."""
    for r in rows:
        r.extra = {**r.extra, **how}
    return rows


def _controls(case: dict[str, Any]) -> tuple[str, ...]:
    return tuple(case.get("controls", ()))


def _with_tightness(rows: Rows, value: float | None, note: str) -> Rows:
    """Rows of a true statement with ``tightness`` set to the check's meaningful ratio (None
    where round-off dominates, so the search is not steered by noise)."""
    for r in rows:
        if r.control is None:  # in place: the rows are the ones in ctx's log
            r.tightness = value
            r.extra = {**r.extra, "tightness is": note}
    return rows


# ------------------------------------------------------------------------------ drift (Thm 5)


def drift_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""``E[Vhat(H_1) | H_0] <= (1 - 2/3 s_n^2) Vhat(H_0) + 1/sqrt(d)`` (arXiv v1 App. B, Thm 5)
    at ``H_0 = with_spectrum(d, s, rot)``; H_1 by the exact reduced sampler (depth 1).

    Record ``drift/one-step``; source: arXiv v1, App. B, Thm 5 (NeurIPS appendix 'Eq (12)').

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "drift/one-step",
        ...     {'s': [1.0, 0.3], 'd': 256, 'max_runs': 1000},
        ... )
    """
    S = P.DRIFT
    s, d, rot = np.asarray(case["s"], float), int(case["d"]), int(case.get("rot", 0))
    n = s.size
    a, vhat0 = unit_spectrum(s)
    sig0 = math.sqrt(a[-1])
    H = inputs.with_spectrum(d, s, rot)
    b = S.bound_at(sigma_min=sig0, vhat=vhat0, d=d)
    ctrl = {c: S.control_bound(c, sigma_min=sig0, vhat=vhat0, d=d) for c in _controls(case)}

    def sample(runs: int, seed: int) -> np.ndarray:
        r = ctx.simulate(H, 1, runs=runs, seed=seed)
        return np.clip(1.0 / n - r.sigma_min[:, 1] ** 2, 0.0, 1.0 / n)

    key = ("drift", digest(s), d, rot)
    max_runs = case.get("max_runs")
    est, seed, runs, how = sample_until_decided(
        ctx, sample, lo=0.0, hi=1.0 / n, key=key, bound=b, controls=ctrl, max_runs=max_runs
    )
    params = {"n": n, "d": d, "s (unit norm)": np.sqrt(a).tolist(), "rot": rot, "runs": runs}
    extra = {
        "mean-field value 1/n - p_n": sawa.sawa_gap(s),
        "contraction term (1 - 2/3 s_n^2) Vhat": (1 - 2 / 3 * a[-1]) * vhat0,
        "width term 1/sqrt(d)": 1 / math.sqrt(d),
    }
    check = "E[Vhat(H_1) | H_0] <= (1 - 2/3 s_n^2) Vhat(H_0) + 1/sqrt(d)"
    rows = judge(ctx, S.id, check, est, b, params=params, seed=seed, extra=extra)
    for cid, cb in ctrl.items():
        rows += judge(ctx, S.id, check, est, cb, control=cid, params=params, seed=seed)
    return _note(rows, how)


# ------------------------------------------------------------------------------ Lemmas 6, 7, Sawa


def _one_step_sampler(ctx: RunContext, H: np.ndarray) -> Callable[[int, int], Any]:
    def grams(runs: int, seed: int) -> Any:
        return ctx.simulate(H, 1, runs=runs, seed=seed, record=("gram",))

    return grams


def lemma6_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""``E_W ||C - E_W C||_F^2 <= 1/d`` (arXiv v1 Lemma 6), ``E_W C`` the exact Sawa oracle.

    ``X = ||C - EC||_F^2`` lies in ``[0, 1 + sum p^2 - 2 p_n]`` (``||C||_F <= tr C = 1``,
    ``<C, EC> >= p_n tr C``); its mean is exactly ``(1 - sum_i p_i^2)/d`` (record's resolution).

    Record ``lemma-6/concentration``; source: arXiv v1, App. C, Lemma 6.

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "lemma-6/concentration",
        ...     {'s': [1.0, 0.5], 'd': 4, 'max_runs': 5000},
        ... )
    """
    S = P.LEMMA6
    s, d, rot = np.asarray(case["s"], float), int(case["d"]), int(case.get("rot", 0))
    n = s.size
    H = inputs.with_spectrum(d, s, rot)
    EC = sawa.expected_gram(H)
    p = np.sort(np.linalg.eigvalsh(EC))[::-1]
    hi = 1.0 + float(np.sum(p * p)) - 2.0 * float(p[-1])
    b = S.bound_at(d=d)
    ctrl = {c: S.control_bound(c, p=p, d=d) for c in _controls(case)}
    grams = _one_step_sampler(ctx, H)

    def sample(runs: int, seed: int) -> np.ndarray:
        C = grams(runs, seed).gram[:, 1]
        return np.clip(np.sum((C - EC) ** 2, axis=(-2, -1)), 0.0, hi)

    key = ("lemma6", digest(s), d, rot)
    max_runs = case.get("max_runs")
    est, seed, runs, how = sample_until_decided(
        ctx, sample, lo=0.0, hi=hi, key=key, bound=b, controls=ctrl, max_runs=max_runs
    )
    params = {
        "n": n,
        "d": d,
        "s (unit norm)": (s / np.linalg.norm(s)).tolist(),
        "rot": rot,
        "runs": runs,
    }
    extra = {"exact (1 - sum p^2)/d": (1 - float(np.sum(p * p))) / d, "p": p.tolist()}
    check = "E||C - E C||_F^2 <= 1/d"
    rows = judge(ctx, S.id, check, est, b, params=params, seed=seed, extra=extra)
    for cid, cb in ctrl.items():
        rows += judge(ctx, S.id, check, est, cb, control=cid, params=params, seed=seed)
    return _note(rows, how)


def lemma7_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""``E_W (Vhat(H_1) - (1/n - p_n))^2 <= 1/d`` (arXiv v1 Lemma 7); the squared deviation
    ``(p_n - lambda_min(C))^2`` lies in ``[0, 1/n^2]``.

    Record ``lemma-7/lyapunov-concentration``; source: arXiv v1, App. C, Lemma 7.

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "lemma-7/lyapunov-concentration",
        ...     {'s': [1.0, 0.5], 'd': 4, 'max_runs': 5000},
        ... )
    """
    S = P.LEMMA7
    s, d, rot = np.asarray(case["s"], float), int(case["d"]), int(case.get("rot", 0))
    n = s.size
    H = inputs.with_spectrum(d, s, rot)
    p_n = float(sawa.sawa_p(s)[-1])
    a, _ = unit_spectrum(s)
    b = S.bound_at(d=d)
    ctrl = {}
    for c in _controls(case):
        if n != 2 or not np.allclose(a, 0.5, rtol=0, atol=1e-15):
            raise ValueError(f"control {c!r} of {S.id} is evaluated at n = 2 and orthogonal H only")
        ctrl[c] = S.control_bound(c, d=d)
    grams = _one_step_sampler(ctx, H)

    def sample(runs: int, seed: int) -> np.ndarray:
        lam = grams(runs, seed).sigma_min[:, 1] ** 2
        return np.clip((lam - p_n) ** 2, 0.0, 1.0 / n**2)

    key = ("lemma7", digest(s), d, rot)
    max_runs = case.get("max_runs")
    est, seed, runs, how = sample_until_decided(
        ctx, sample, lo=0.0, hi=1.0 / n**2, key=key, bound=b, controls=ctrl, max_runs=max_runs
    )
    params = {"n": n, "d": d, "s (unit norm)": np.sqrt(a).tolist(), "rot": rot, "runs": runs}
    check = "E(Vhat(H_1) - (1/n - p_n))^2 <= 1/d"
    rows = judge(ctx, S.id, check, est, b, params=params, seed=seed, extra={"p_n": p_n})
    for cid, cb in ctrl.items():
        rows += judge(ctx, S.id, check, est, cb, control=cid, params=params, seed=seed)
    return _note(rows, how)


def sawa_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""Sawa's oracle (arXiv v1 Lemma 6): the sum rule ``sum_i p_i = 1`` (deterministic, quadrature
    accuracy ``4 EPSREL`` per p_i), and, when the case has ``d``, the Monte Carlo identity
    ``|E (Q^T C Q)_ii - p_i| <= tol`` for every i (each side at ``delta/n``, Bonferroni), with the
    stated resolution ``tol = extra['mc_tolerance']`` of the record.

    Record ``lemma-6/sawa-oracle``; source: arXiv v1, App. C, Lemma 6 (Sawa 1972).

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "lemma-6/sawa-oracle",
        ...     {'s': [1.0, 0.5, 0.2], 'd': 8, 'max_runs': 5000},
        ... )
    """
    S = P.SAWA
    s = np.sort(np.asarray(case["s"], float))[::-1]
    n = s.size
    key_s = tuple(float(x) for x in s)
    p = np.array([S.bound_at(s=key_s, i=i) for i in range(n)])
    tol_sum = 4 * sawa.EPSREL * n + 4 * n * EPS
    a, _ = unit_spectrum(s)
    params: dict[str, Any] = {"n": n, "s (unit norm)": np.sqrt(a).tolist()}
    rows = judge_exact(
        ctx,
        S.id,
        "|sum_i p_i - 1| <= quadrature error",
        abs(float(p.sum()) - 1.0),
        0.0,
        tol_sum,
        params=params,
        extra={"p": p.tolist()},
    )
    ctrls = _controls(case)
    for c in [c for c in ctrls if c == "printed-sigma-n"]:  # the sum rule's control
        q = [S.control_bound(c, s=key_s, i=i) for i in range(n)]
        rows += judge_exact(
            ctx,
            S.id,
            "|sum_i p_i - 1| <= quadrature error",
            abs(float(np.sum(q)) - 1.0),
            0.0,
            tol_sum,
            control=c,
            params=params,
        )
    if "d" not in case:
        return rows
    d, rot = int(case["d"]), int(case.get("rot", 0))
    tol = float(S.extra["mc_tolerance"])
    H = inputs.with_spectrum(d, s, rot)
    _, _, Qt = np.linalg.svd(H / np.abs(H).max(), full_matrices=False)
    grams = _one_step_sampler(ctx, H)

    def diag(runs: int, seed: int) -> np.ndarray:
        C = grams(runs, seed).gram[:, 1]
        return np.clip(np.einsum("ij,rjk,ik->ri", Qt, C, Qt), 0.0, 1.0)

    ests, seed, runs, how = _columns_until_decided(
        ctx,
        diag,
        n,
        key=("sawa", digest(s), d, rot),
        targets=[float(x) for x in p],
        tol=tol,
        max_runs=case.get("max_runs"),
    )
    params = {**params, "d": d, "rot": rot, "runs": runs, "tolerance": tol}
    for i, est in enumerate(ests):
        rows += judge_within(
            ctx,
            S.id,
            f"|E (Q^T C Q)_ii - p_i| <= tol, i = {i + 1}",
            est,
            float(p[i]),
            tol,
            params=params,
            seed=seed,
        )
    rows.append(edge_control(ctx, S.id, "E (Q^T C Q)_11", ests[0], params=params, seed=seed))
    for c in ctrls:  # the Monte Carlo identity's controls, at i = 1
        target = S.control_bound(c, s=key_s, i=0)
        rows += judge_within(
            ctx,
            S.id,
            "|E (Q^T C Q)_11 - p_1| <= tol",
            ests[0],
            target,
            tol,
            control=c,
            params=params,
            seed=seed,
        )
    return _note(rows, how)


# ------------------------------------------------------------------------------ Lemma 4, Lemma 8


def lemma4_tolerance(d: int, n: int) -> float:
    """Round-off slack for ``V <= sqrt(n(n-1)) Vhat``: Gram entries of a unit-norm H carry
    ``<= d eps`` absolute error and a backward-stable SVD moves ``s_n^2`` by ``<= 2 max(d, n)
    eps``; ``8 max(d, n) eps (1 + sqrt(n(n-1)))`` (factor 8 for the constants)."""
    return 8 * max(d, n) * EPS * (1 + math.sqrt(n * (n - 1)))


def lemma4_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""``V(H) <= sqrt(n(n-1)) Vhat(H)`` (arXiv v1 Lemma 4, sharp form) with a derived slack;
    ``tightness = V / (sqrt(n(n-1)) Vhat)`` where ``Vhat > 1e6 x slack`` (else None).

    Record ``lemma-4/gap-vs-lyapunov``; source: arXiv v1, App. B, Lemma 4.

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "lemma-4/gap-vs-lyapunov",
        ...     {'H': [[3.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]]},
        ... )
    """
    S = P.LEMMA4
    H = np.asarray(case["H"], float)
    d, n = H.shape
    V = float(orthogonality_gap(H))
    _, vhat = unit_spectrum(np.asarray(singular_values(H)))
    tol = lemma4_tolerance(d, n)
    b = S.bound_at(n=n, vhat=vhat)
    params = {"d": d, "n": n, "key": digest(H), "Vhat": vhat}
    check = "V(H) <= sqrt(n(n-1)) Vhat(H)"
    rows = judge_exact(ctx, S.id, check, V, b, tol, params=params)
    rows = _with_tightness(rows, V / b if vhat > 1e6 * tol else None, "V / (sqrt(n(n-1)) Vhat)")
    for c in _controls(case):
        cb = S.control_bound(c, n=n, vhat=vhat)
        rows += judge_exact(ctx, S.id, check, V, cb, tol, control=c, params=params)
    return rows


def lemma8_tolerance(n: int, gap: float) -> float:
    """Quadrature error of ``1/n - p_n`` (``<= 4 EPSREL`` of it, else :mod:`theory.sawa` raises)
    plus 8 ulps of 1/n for forming Vhat and the bound."""
    return 4 * sawa.EPSREL * gap + 8 * EPS / n


def _lemma8(ctx: RunContext, case: dict[str, Any], S: Any) -> Rows:
    s = np.asarray(case["s"], float)
    n = s.size
    a, vhat = unit_spectrum(s)
    gap = sawa.sawa_gap(s)
    tol = lemma8_tolerance(n, gap)
    b = S.bound_at(n=n, a_n=float(a[-1]), vhat=vhat)
    # claimed vs achieved contraction: (Vhat - bound) / (Vhat - (1/n - p_n)) = c / c_eff
    achieved = vhat - gap
    ratio = (vhat - b) / achieved if n >= 2 and achieved > 1e3 * tol and vhat > 0 else None
    params = {"n": n, "s_n/s_1": float(math.sqrt(a[-1] / a[0])), "Vhat": vhat, "key": digest(s)}
    check = "1/n - p_n <= " + S.formula.split("<=", 1)[1].strip()
    rows = judge_exact(ctx, S.id, check, gap, b, tol, params=params, extra={"c / c_eff": ratio})
    rows = _with_tightness(
        rows, ratio, "claimed / achieved contraction (Vhat - bound) / (Vhat - (1/n - p_n))"
    )
    for c in _controls(case):
        cb = S.control_bound(c, n=n, a_n=float(a[-1]), vhat=vhat)
        rows += judge_exact(ctx, S.id, check, gap, cb, tol, control=c, params=params)
    return rows


def lemma8_sharp_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""``1/n - p_n <= (1 - 2n/(n+2) s_n^2) Vhat`` (arXiv v1 Lemma 8, sharp form), Sawa oracle.

    Record ``lemma-8/sharp``; source: arXiv v1, App. C, Lemma 8.

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run("lemma-8/sharp", {'s': [1.0, 0.9, 0.5]})
    """
    return _lemma8(ctx, case, P.LEMMA8_SHARP)


def lemma8_two_thirds_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""``1/n - p_n <= (1 - 2/3 s_n^2) Vhat`` (arXiv v1 Lemma 8), Sawa oracle.

    Record ``lemma-8/two-thirds``; source: arXiv v1, App. C, Lemma 8.

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run("lemma-8/two-thirds", {'s': [1.0, 0.9, 0.5]})
    """
    return _lemma8(ctx, case, P.LEMMA8)


# ------------------------------------------------------------------------------ Cesaro (App. B.1)


def cesaro_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""``E[(1/l) sum_{k<l} F(H_k)] <= 3 Vhat(H_0)/(2l) + 3/(2 sqrt d)``, ``F = Vhat (1/n - Vhat)``
    in ``[0, 1/(4 n^2)]`` (arXiv v1 App. B.1), H_0 from :func:`theory.inputs.h0`; ``l >= 2``.

    Record ``no-a1/cesaro``; source: arXiv v1, App. B.1.

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "no-a1/cesaro",
        ...     {'family': 'spiked', 'd': 600, 'l': 3, 'max_runs': 1000},
        ... )
    """
    S = P.CESARO
    fam, d, n, l = case["family"], int(case["d"]), int(case.get("n", 2)), int(case["l"])
    if l < 2:
        raise ValueError(
            f"l must be >= 2 (at l = 1 the Cesaro mean is F(H_0), not random); got {l}"
        )
    H0 = inputs.h0(fam, d, n, float(case.get("param", 0.0)), int(case.get("seed", 0)))
    _, vhat0 = unit_spectrum(np.asarray(singular_values(H0)))
    b = S.bound_at(vhat0=vhat0, l=l, d=d)
    ctrl = {c: S.control_bound(c, vhat0=vhat0, l=l, d=d) for c in _controls(case)}
    hi = 1.0 / (4 * n * n)

    def sample(runs: int, seed: int) -> np.ndarray:
        r = ctx.simulate(H0, l - 1, runs=runs, seed=seed)
        vh = np.clip(1.0 / n - r.sigma_min**2, 0.0, 1.0 / n)
        return np.clip((vh * (1.0 / n - vh))[:, :l].mean(axis=1), 0.0, hi)

    key = ("cesaro", fam, case.get("param", 0.0), d, n, l)
    max_runs = case.get("max_runs")
    est, seed, runs, how = sample_until_decided(
        ctx, sample, lo=0.0, hi=hi, key=key, bound=b, controls=ctrl, max_runs=max_runs
    )
    params = {"family": fam, "param": case.get("param", 0.0), "d": d, "n": n, "l": l, "runs": runs}
    check = "E[(1/l) sum_{k<l} F(H_k)] <= 3 Vhat(H_0)/(2l) + 3/(2 sqrt d)"
    rows = judge(ctx, S.id, check, est, b, params=params, seed=seed, extra={"Vhat(H_0)": vhat0})
    for cid, cb in ctrl.items():
        rows += judge(ctx, S.id, check, est, cb, control=cid, params=params, seed=seed)
    return _note(rows, how)


# ------------------------------------------------------------------------------ Eq. 6, Sec. 3.2


def eq6_tolerance(H: Any) -> float:
    r"""Round-off slack for ``V(WH)`` (W from the SVD, then a product): ``U^T H`` carries absolute
    error ``~ max(d, n) eps s_1`` per row; row i is scaled by ``s_i^{-1/2} (sum s)^{-1/2}``, so
    ``||Delta(WH)||_F <= k max(d, n) eps sqrt(s_1/s_k)``; V is 2-Lipschitz at unit norm; factor 4
    for constants, plus ``8 max(d, n) eps`` for V itself."""
    H = np.asarray(H, float)
    d, n = H.shape
    s = np.linalg.svd(H / np.abs(H).max(), compute_uv=False)
    return 8 * min(d, n) * max(d, n) * EPS * math.sqrt(s[0] / s[-1]) + 8 * max(d, n) * EPS


def _rotation(k: int, seed: int) -> np.ndarray:
    q, r = np.linalg.qr(np.random.default_rng(seed).standard_normal((k, k)))
    return q * np.sign(np.diag(r))


def _sqrt_sigma_weight(H: np.ndarray) -> np.ndarray:
    """The planted wrong step: ``Sigma^{+1/2}`` in place of ``Sigma^{-1/2}``."""
    U, s, _ = np.linalg.svd(H / np.abs(H).max(), full_matrices=False)
    return (np.sqrt(s)[:, None] * U.T) / math.sqrt(s.sum())


def eq6_identity_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""``|V(WH) - (sum s^2/(sum s)^2 - 1/n)^{1/2}| <= slack`` (Eq. 6, v1 App. E) for ``V' = I``
    and a random orthogonal ``V'`` (seed ``case['rot']``).

    Record ``orthogonalization/identity``; source: Eq. 6; arXiv v1, App. E.

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "orthogonalization/identity",
        ...     {'H': [[1.0, 0.0], [0.0, 0.5], [0.0, 0.0]]},
        ... )
    """
    S = P.ORTHO_IDENTITY
    H = np.asarray(case["H"], float)
    d, n = H.shape
    k = min(d, n)
    tol = eq6_tolerance(H)
    pred = S.bound_at(H=H)
    params = {"d": d, "n": n, "key": digest(H)}
    rows: Rows = []
    worst = 0.0
    for R in (None, _rotation(k, int(case.get("rot", 1)))):
        after = float(orthogonality_gap(orthogonalizing_weight(H, rotation=R) @ H))
        worst = max(worst, abs(after - pred) / tol)
        rows += judge_exact(
            ctx,
            S.id,
            f"|V(WH) - identity| <= slack (V' = {'I' if R is None else 'random'})",
            abs(after - pred),
            0.0,
            tol,
            params=params,
            extra={"V(WH)": after, "identity": pred},
        )
    rows = _with_tightness(rows, None, "none (an identity)")
    for c in _controls(case):
        cb = S.control_bound(c, H=H)
        W = _sqrt_sigma_weight(H) if c == "sqrt-sigma" else orthogonalizing_weight(H)
        after = float(orthogonality_gap(W @ H))
        rows += judge_exact(
            ctx,
            S.id,
            "|V(WH) - identity| <= slack",
            abs(after - cb),
            0.0,
            tol,
            control=c,
            params=params,
            extra={"V(WH)": after, "variant's value": cb},
        )
    return rows


def eq6_decrease_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""``V(WH) <= V(H)`` (Eq. 6, Hoelder) with the Eq. 6 slack; ``tightness = V(WH)/V(H)`` where
    ``V(H) > 1e3 x slack`` (its supremum, 1, is approached as ``s_1/s_2 -> inf``).

    Record ``orthogonalization/decrease``; source: Eq. 6; arXiv v1, App. E.

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "orthogonalization/decrease",
        ...     {'H': [[1.0, 0.0], [0.0, 0.5], [0.0, 0.0]]},
        ... )
    """
    S = P.ORTHO_DECREASE
    H = np.asarray(case["H"], float)
    d, n = H.shape
    tol = eq6_tolerance(H)
    VH = float(orthogonality_gap(H))
    b = S.bound_at(v_h=VH)
    after = float(orthogonality_gap(orthogonalizing_weight(H) @ H))
    params = {"d": d, "n": n, "key": digest(H)}
    rows = judge_exact(ctx, S.id, "V(WH) <= V(H)", after, b, tol, params=params)
    rows = _with_tightness(rows, after / VH if VH > 1e3 * tol else None, "V(WH) / V(H)")
    for c in _controls(case):
        cb = S.control_bound(c, v_h=VH)
        v = float(orthogonality_gap(_sqrt_sigma_weight(H) @ H)) if c == "sqrt-sigma" else after
        rows += judge_exact(ctx, S.id, "V(WH) <= V(H)", v, cb, tol, control=c, params=params)
    return rows


def _whiten_literal(M: np.ndarray) -> np.ndarray:
    """``(M M^T)^{-1/2} M`` for ``d <= n`` (M M^T invertible), via the SVD of M."""
    Ms = M / np.abs(M).max()
    U, s, _ = np.linalg.svd(Ms, full_matrices=False)
    return ((U / s) @ U.T) @ Ms


def whitening_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""Sec. 3.2: ``V((M M^T)^{+1/2} M) = 0`` for every full-rank ``M = W H`` (``d >= n``), with
    the derived slack :func:`theory.orthogonalize.whitening_slack`.  Controls: the BN
    (diagonal) normalisation in its place; the same claim at ``d < n``.

    Record ``sec-3.2/full-whitening``; source: Sec. 3.2 ('If we replace diag(M)^{-1} by (M)^{-1} in BN formula ...').

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "sec-3.2/full-whitening",
        ...     {'M': [[1.0, 0.2], [0.3, 1.0], [0.5, 0.1]]},
        ... )
    """
    S = P.WHITENING
    M = np.asarray(case["M"], float)
    d, n = M.shape
    params = {"d": d, "n": n, "key": digest(M)}
    rows: Rows = []
    tol = whitening_slack(M)
    b = S.bound_at(n=n)
    if d >= n:
        v = float(orthogonality_gap(full_whitening(M)))
        rows += judge_exact(
            ctx,
            S.id,
            "V((M M^T)^{+1/2} M) <= slack",
            v,
            b,
            tol,
            params=params,
            extra={"V / slack": v / tol},
        )
    for c in _controls(case):
        cb = S.control_bound(c, n=n)
        if c == "bn-diagonal":
            Ms = M / np.abs(M).max()
            if np.any(np.sum(Ms * Ms, axis=1) == 0):
                continue  # a zero row: BN is undefined there
            v = float(orthogonality_gap(bn(Ms)))
        elif d < n:
            v = float(orthogonality_gap(_whiten_literal(M)))
        else:
            continue
        rows += judge_exact(
            ctx, S.id, "V(normalised M) <= slack", v, cb, tol, control=c, params=params
        )
    return rows


# ------------------------------------------------------------------------------ vanilla chain


def vanilla_check(ctx: RunContext, case: dict[str, Any]) -> Rows:
    r"""Rank collapse without BN (Fig. 1; ``H_{l+1} = W_l H_l``): at ``L = k d``,
    ``E V(H_L) >= (1 - eta) sqrt(1 - 1/n)`` and ``E |cos(h_1, h_2)|(H_L) >= 1 - eta`` (the
    record's bounds).  Controls: the same claim at ``L = d`` (``shallow-depth``) and for the BN
    chain (``bn-chain-collapses``).  The chains are drawn in batches until both claims are
    decided with their edge controls refuted (a failing claim does not wait for its edge) and
    every control asked for is decided, or the profile's budget ends
    (:func:`theory.sequential.sequential_loop`; each interval at ``delta / K`` per look, so at
    ``delta`` over the whole sequence).

    Record ``vanilla/rank-collapse``; source: Sec. 3.1, Fig. 1; App. D; THEORY_NOTES §5.

    Example::

        >>> from theory.engine import RunContext
        >>> rows = RunContext.create().run(
        ...     "vanilla/rank-collapse",
        ...     {'family': 'orthogonal', 'n': 2, 'd': 8, 'max_runs': 400},
        ... )
    """
    S = P.VANILLA_COLLAPSE
    fam, n, d = case["family"], int(case["n"]), int(case["d"])
    k = int(case.get("depth_per_width", S.extra["depth_per_width"]))
    L = k * d
    H0 = inputs.h0(fam, d, n, float(case.get("param", 0.0)), int(case.get("seed", 0)))
    vm = max_gap(n)
    ctrls = _controls(case)
    claims = (
        ("E V(H_L) >= (1 - eta) sqrt(1 - 1/n)", "V", vm),
        ("E |cos(h_1, h_2)|(H_L) >= 1 - eta", "cos", 1.0),
    )
    bounds = {q: S.bound_at(n=n, quantity=q) for _, q, _ in claims}
    cbs = {c: S.control_bound(c, n=n, quantity="cos") for c in ctrls}
    cols: dict[str, list[np.ndarray]] = {q: [] for q in ("V", "cos", *ctrls)}

    def draw(b: int, s: int) -> None:
        r = ctx.simulate(H0, L, runs=b, seed=s, variant="vanilla", record=("V", "cosine"))
        cols["V"].append(np.clip(r.V[:, L], 0.0, vm))
        cols["cos"].append(np.clip(r.cosine[:, L], 0.0, 1.0))
        if "shallow-depth" in ctrls:
            cols["shallow-depth"].append(np.clip(r.cosine[:, d], 0.0, 1.0))
        if "bn-chain-collapses" in ctrls:
            rb = ctx.simulate(H0, L, runs=b, seed=s, variant="bn", record=("V", "cosine"))
            cols["bn-chain-collapses"].append(np.clip(rb.cosine[:, L], 0.0, 1.0))

    looked: dict[str, Interval] = {}

    def look(share: float) -> bool:
        dk = share * ASSERTION_DELTA
        ok = True
        for _, q, hi in claims:
            looked[q] = mean_bounds(np.concatenate(cols[q]), lo=0.0, hi=hi, delta=dk)
            ok = settled(looked[q], bounds[q], side="lower") and ok
        for c in ctrls:
            looked[c] = mean_bounds(np.concatenate(cols[c]), lo=0.0, hi=1.0, delta=dk)
            ok = decided(looked[c], cbs[c], side="lower") and ok
        return ok

    seed = ctx.seed("vanilla", fam, n, d, L, "sequential")
    res = sequential_loop(draw, look, budget=ctx.budget(max_runs=case.get("max_runs")), seed=seed)
    sampling = how(res)
    params = {"family": fam, "n": n, "d": d, "L": L, "runs": res.runs}
    rows: Rows = []
    for check, q, _ in claims:
        est = whole(looked[q], res)
        rows += judge(
            ctx, S.id, check, est, bounds[q], side="lower", params=params, seed=seed, extra=sampling
        )
    for c in ctrls:
        if c == "shallow-depth":
            where = f"E |cos|(H_l) >= 1 - eta at l = d = {d}"
        else:
            where = "E |cos|(H_L) >= 1 - eta for the BN chain"
        rows += judge(
            ctx,
            S.id,
            where,
            whole(looked[c], res),
            cbs[c],
            side="lower",
            control=c,
            params=params,
            seed=seed,
            extra=sampling,
        )
    return rows


__all__ = [
    "cesaro_check",
    "digest",
    "drift_check",
    "eq6_decrease_check",
    "eq6_identity_check",
    "eq6_tolerance",
    "lemma4_check",
    "lemma4_tolerance",
    "lemma6_check",
    "lemma7_check",
    "lemma8_sharp_check",
    "lemma8_tolerance",
    "lemma8_two_thirds_check",
    "sawa_check",
    "unit_spectrum",
    "vanilla_check",
    "whitening_check",
]
