r"""The check engine: one run context, one verdict rule, and the power of every check.

A check is a pure function ``check(ctx, case) -> list[CheckResult]`` held by its statement record
(:class:`theory.statements.Statement`): it simulates what the case asks for, with the sizes the
case carries, and hands its estimate to one of the verdict functions below.  A ``verify/`` test
then reads: draw a case, run the check, target, record, assert (:func:`explore`).

**Verdicts.**  For a true statement an assertion has three outcomes, decided by an interval whose
two ends each hold at level ``delta`` (:func:`theory.stats.mean_bounds`):

=============  ======================================  ==============================================
statement      pass                                    fail (evidence of a violation)
=============  ======================================  ==============================================
``E X <= b``   upper end ``<= b``                      lower end ``> b``
``E X >= b``   lower end ``>= b``                      upper end ``< b``
``|E X - t|``  interval inside ``[t - tol, t + tol]``  interval disjoint from it
  ``<= tol``
=============  ======================================  ==============================================

Neither is **inconclusive**: lack of evidence, never "violated".  So ``delta`` bounds *both* the
probability of a false fail (fail while the statement is true) and of a wrong pass (pass while
it is false); rows say so in ``error``.  Inconclusive rows do not fail the suite; they are
counted per statement in the report.  A **negative control** (a planted false variant with its
own bound) is *refuted* exactly when the same rule would say "fail"; anything else fails the
suite.

**Power.**  Every Monte Carlo verdict also emits an **edge control**: the false variant
"``E X <= edge * estimate``" (upper; ``E X >= estimate / edge`` for a lower bound) placed just
beyond what the data show, which must be refuted -- proof that the check resolves the measured
value and not only the bound.  And every row reports its **detectable discrepancy**: with ``r``
the radius of its interval, a true value ``E X >= b + 2 r`` would be declared "fail" with
probability ``>= 1 - delta`` (the lower end is ``>= E X - 2 r`` then), so the check catches a
bound that is wrong by the factor ``(b + 2 r) / b`` (``detectable``; for a lower bound
``(b - 2 r) / b``; absolute ``tol + 2 r`` for an equivalence).  For Bernstein intervals ``r`` is
taken at the observed variance.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from ._backend import Backend, get_backend
from .profiles import Profile, get_profile
from .results import CheckResult, record
from .stats import ASSERTION_DELTA, Interval, derive_seed

Side = Literal["upper", "lower"]

#: Default placement of the edge control: claim E X <= EDGE * (point estimate).
EDGE = 0.8


@dataclass(frozen=True)
class RunContext:
    """What a check may depend on besides its case: profile, backend object, seed salt.

    Built once (``verify/conftest.py`` from the command line, or by hand in a notebook with
    :meth:`create`) and passed down explicitly; nothing below it reads the environment.  Every
    row a check makes takes its ``backend``/``dtype``/``device`` labels from here (:meth:`row`).
    """

    profile: Profile
    backend: Backend
    salt: str = ""
    nodeid: str | None = None
    replay: str | None = None
    #: a folder shared by the processes of one run (the xdist workers), where expensive
    #: results that several checks need (training runs) are computed once; ``None``: no sharing
    cache_dir: str | None = None

    @classmethod
    def create(
        cls,
        profile: str = "ci",
        backend: str | Backend = "numpy",
        *,
        device: str | None = None,
        dtype: str | None = None,
        salt: str = "",
        cache_dir: str | None = None,
    ) -> RunContext:
        """A context from names: ``RunContext.create("ci", "torch", device="cuda")``."""
        if not isinstance(salt, str):
            raise ValueError(f"salt must be a string; got {salt!r}")
        if cache_dir is not None and not isinstance(cache_dir, str):
            raise ValueError(f"cache_dir must be a folder path (str) or None; got {cache_dir!r}")
        backend_obj = get_backend(backend, dtype=dtype, device=device)
        return cls(get_profile(profile), backend_obj, salt, cache_dir=cache_dir)

    def pick(self, *, ci: Any, thorough: Any, paper: Any) -> Any:
        """The value for this context's profile."""
        return self.profile.pick(ci=ci, thorough=thorough, paper=paper)

    def seed(self, *parts: Any) -> int:
        """A Monte Carlo seed derived from ``parts`` and this context's salt."""
        return derive_seed(*parts, salt=self.salt)

    def simulate(self, H0: Any, depth: int, **kw: Any) -> Any:
        """:func:`theory.simulate` on this context's backend (dtype and device included)."""
        from .chain import simulate

        return simulate(H0, depth, backend=self.backend, **kw)

    @property
    def labels(self) -> dict[str, str]:
        b = self.backend
        return {"backend": b.name, "dtype": b.dtype_name, "device": b.device}

    def at(self, nodeid: str | None, replay: str | None) -> RunContext:
        return replace(self, nodeid=nodeid, replay=replay)

    def row(self, **kw: Any) -> CheckResult:
        """A :class:`CheckResult` labelled with this context (backend, dtype, device, node).

        A check that ran somewhere else (the training module on its own device) passes its
        labels explicitly; they are then what the row says.
        """
        for k, v in self.labels.items():
            kw.setdefault(k, v)
        kw.setdefault("nodeid", self.nodeid)
        kw.setdefault("replay", self.replay)
        return CheckResult(**kw)


# ------------------------------------------------------------------------------ verdicts

_ERROR = (
    "delta = {d:.2g} per side: P(fail | statement true) <= delta (false fail) and "
    "P(pass | statement false) <= delta (wrong pass)"
)


def _decide(side: Side, lo: float, hi: float, bound: float) -> str:
    if side == "upper":
        return "pass" if hi <= bound else ("fail" if lo > bound else "inconclusive")
    return "pass" if lo >= bound else ("fail" if hi < bound else "inconclusive")


def detectable_factor(side: Side, bound: float, radius: float) -> float | None:
    """Smallest factor by which ``bound`` must be wrong for the check to say "fail" with
    probability >= 1 - delta: ``(b + 2r)/b`` (upper), ``(b - 2r)/b`` (lower); None at b = 0."""
    if bound == 0 or not math.isfinite(bound):
        return None
    return (bound + 2 * radius) / bound if side == "upper" else (bound - 2 * radius) / bound


def judge(
    ctx: RunContext,
    statement_id: str,
    check: str,
    est: Interval,
    bound: float,
    *,
    side: Side = "upper",
    control: str | None = None,
    edge: float | None = EDGE,
    params: dict[str, Any] | None = None,
    seed: int | None = None,
    extra: dict[str, Any] | None = None,
) -> list[CheckResult]:
    """Rows for "``E X <= bound``" (``side="upper"``) or "``E X >= bound``" on an interval
    whose ends each hold at ``est.delta``; plus the edge control (unless ``edge`` is None or
    this is itself a control).  See the module docstring for the rule."""
    if side not in ("upper", "lower"):
        raise ValueError(f"side must be 'upper' or 'lower'; got {side!r}")
    bound = float(bound)
    if not math.isfinite(bound):
        raise ValueError(f"bound must be finite; got {bound}")
    outcome = _decide(side, est.lower, est.upper, bound)
    finite = est.finite_sample
    margin = (bound - est.upper) if side == "upper" else (est.lower - bound)
    common = dict(
        statement_id=statement_id,
        measured=est.estimate,
        ci_low=est.lower,
        ci_high=est.upper,
        method=f"{est.method}, {est.n} samples"
        + ("" if finite else " (asymptotic interval: outside the false-fail budget)"),
        params=dict(params or {}),
        seed=seed,
        extra=dict(extra or {}),
    )
    rows: list[CheckResult] = []
    if control is None:
        rows.append(
            ctx.row(
                check=check,
                verdict=outcome,
                bound=bound,
                margin=margin,
                tightness=_tightness(side, est.estimate, bound),
                false_fail=est.delta if finite else None,
                wrong_pass=est.delta if finite else None,
                detectable=detectable_factor(side, bound, est.radius),
                error=_ERROR.format(d=est.delta) if finite else "asymptotic: not in the budget",
                finite_sample=finite,
                bound_from="statement",
                **common,
            )
        )
        if edge is not None:
            rows.append(
                edge_control(ctx, statement_id, check, est, side=side, factor=edge, **_c(common))
            )
    else:
        refuted = outcome == "fail"
        rows.append(
            ctx.row(
                check=f"control '{control}': {check}",
                verdict="refuted" if refuted else "not-refuted",
                bound=bound,
                margin=-margin,
                control=control,
                false_fail=None,
                wrong_pass=est.delta if finite else None,
                error=(
                    f"P(refuted | variant true) <= {est.delta:.2g}"
                    if finite
                    else "asymptotic interval"
                ),
                finite_sample=finite,
                bound_from=f"control:{control}",
                **common,
            )
        )
    return rows


def _tightness(side: Side, measured: float, bound: float) -> float | None:
    """How far towards its bound the measurement goes: 1 at the bound, > 1 past it.

    ``measured / bound`` for an upper bound, ``bound / measured`` for a lower bound, so that
    :func:`worst_ratio` (what the search maximises) steers towards the binding case on both
    sides.  None when the ratio is undefined (a zero bound or a zero or non-finite denominator)."""
    num, den = (measured, bound) if side == "upper" else (bound, measured)
    if not bound or not den or not math.isfinite(den):
        return None
    return num / den


def _c(common: dict[str, Any]) -> dict[str, Any]:
    return {k: common[k] for k in ("params", "seed", "extra")}


def edge_control(
    ctx: RunContext,
    statement_id: str,
    check: str,
    est: Interval,
    *,
    side: Side | Literal["equal"] = "upper",
    factor: float = EDGE,
    params: dict[str, Any] | None = None,
    seed: int | None = None,
    extra: dict[str, Any] | None = None,
    method: str | None = None,
) -> CheckResult:
    """The edge control, a false variant just beyond the data, refuted iff the interval
    excludes it -- i.e. the check resolves the measured value to better than ``1 - factor`` of
    itself:

    * ``side="upper"``: "E X <= factor * estimate", refuted iff ``lower > factor * estimate``;
    * ``side="lower"``: "E X >= estimate / factor", refuted iff ``upper < estimate / factor``;
    * ``side="equal"`` (an equivalence such as an exponent): "E X = factor * estimate",
      refuted iff the interval excludes ``factor * estimate``.

    The row's ``extra["edge_of"]`` is the check it belongs to (:func:`settle_edges` pairs them).
    """
    if not (0 < factor < 1):
        raise ValueError(f"factor must be in (0, 1); got {factor}")
    if side not in ("upper", "lower", "equal"):
        raise ValueError(f"side must be 'upper', 'lower' or 'equal'; got {side!r}")
    if side == "lower":
        b = est.estimate / factor
        refuted, margin, rel, f = est.upper < b, b - est.upper, ">=", f"1/{factor:g}"
    else:
        b = est.estimate * factor
        if side == "upper":
            refuted, margin, rel = est.lower > b, est.lower - b, "<="
        else:
            refuted, margin, rel = (
                (est.upper < b or est.lower > b),
                max(b - est.upper, est.lower - b),
                "=",
            )
        f = f"{factor:g}"
    return ctx.row(
        statement_id=statement_id,
        check=f"edge control: E X {rel} {f} x estimate ({check})",
        verdict="refuted" if refuted else "not-refuted",
        measured=est.estimate,
        ci_low=est.lower,
        ci_high=est.upper,
        bound=b,
        margin=margin,
        control="edge",
        wrong_pass=est.delta if est.finite_sample else None,
        error="a false variant just beyond the data: must be refuted",
        finite_sample=est.finite_sample,
        bound_from="edge",
        method=method or est.method,
        params=dict(params or {}),
        seed=seed,
        extra={"edge factor": factor, "edge_of": check, **(extra or {})},
    )


def judge_within(
    ctx: RunContext,
    statement_id: str,
    check: str,
    est: Interval,
    target: float,
    tol: float,
    *,
    control: str | None = None,
    params: dict[str, Any] | None = None,
    seed: int | None = None,
    extra: dict[str, Any] | None = None,
    edge: float | None = None,
) -> list[CheckResult]:
    """Rows for "``|E X - target| <= tol``" (an equivalence: flatness, an exponent, a rate).

    Pass iff the interval lies inside ``[target - tol, target + tol]``; fail iff it is disjoint
    from it; otherwise inconclusive.  A control is refuted iff the rule says fail.  The
    detectable discrepancy is absolute: ``tol + 2 r``.

    ``edge`` (opt-in, for quantities away from 0 such as an exponent): the edge control
    "``E X = edge * estimate``" (an exponent 1 - edge smaller in magnitude than measured), refuted
    iff the interval excludes it.  Off by default: for a quantity whose true value is 0
    (flatness) no sample resolves a fraction of the estimate.
    """
    if not (tol >= 0 and math.isfinite(tol) and math.isfinite(target)):
        raise ValueError(f"need finite target and tol >= 0; got {target}, {tol}")
    lo_b, hi_b = target - tol, target + tol
    if lo_b <= est.lower and est.upper <= hi_b:
        outcome = "pass"
    elif est.upper < lo_b or est.lower > hi_b:
        outcome = "fail"
    else:
        outcome = "inconclusive"
    margin = min(est.lower - lo_b, hi_b - est.upper)
    finite = est.finite_sample
    common = dict(
        statement_id=statement_id,
        measured=est.estimate,
        ci_low=est.lower,
        ci_high=est.upper,
        bound=target,
        method=f"{est.method}, {est.n} samples"
        + ("" if finite else " (asymptotic interval: outside the false-fail budget)"),
        params={**(params or {}), "tolerance": tol},
        seed=seed,
        extra=dict(extra or {}),
        finite_sample=finite,
    )
    if control is None:
        rows = [
            ctx.row(
                check=check,
                verdict=outcome,
                margin=margin,
                false_fail=est.delta if finite else None,
                wrong_pass=est.delta if finite else None,
                detectable=tol + 2 * est.radius,
                error=_ERROR.format(d=est.delta) if finite else "asymptotic: not in the budget",
                bound_from="statement",
                **common,
            )
        ]
        if edge is not None and est.estimate:
            rows.append(
                edge_control(
                    ctx,
                    statement_id,
                    check,
                    est,
                    side="equal",
                    factor=edge,
                    params=common["params"],
                    seed=seed,
                    method=common["method"],
                )
            )
        return rows
    return [
        ctx.row(
            check=f"control '{control}': {check}",
            verdict="refuted" if outcome == "fail" else "not-refuted",
            margin=-margin,
            control=control,
            wrong_pass=est.delta if finite else None,
            error="refuted iff the interval is disjoint from the variant's band",
            bound_from=f"control:{control}",
            **common,
        )
    ]


def judge_exact(
    ctx: RunContext,
    statement_id: str,
    check: str,
    value: float,
    bound: float,
    tol: float,
    *,
    side: Side = "upper",
    control: str | None = None,
    params: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> list[CheckResult]:
    """Deterministic ``value <= bound`` (or ``>=``) with a derived round-off slack ``tol``.

    No sampling error, so no inconclusive: pass iff ``value <= bound + tol``.  A control is
    refuted iff ``value > bound + tol``.  ``tightness`` as in :func:`_tightness`; the detectable
    discrepancy is the factor ``(bound + tol) / bound``.
    """
    value, bound = float(value), float(bound)
    if side == "upper":
        holds = value <= bound + tol
        margin = bound + tol - value
    else:
        holds = value >= bound - tol
        margin = value - (bound - tol)
    common = dict(
        statement_id=statement_id,
        measured=value,
        bound=bound,
        method="deterministic, float64, derived round-off slack",
        params={**(params or {}), "round-off slack": tol},
        extra=dict(extra or {}),
        false_fail=0.0,
    )
    if control is None:
        return [
            ctx.row(
                check=check,
                verdict="pass" if holds else "fail",
                margin=margin,
                tightness=_tightness(side, value, bound),
                detectable=detectable_factor(side, bound, tol / 2),
                error="deterministic: no sampling error",
                bound_from="statement",
                **common,
            )
        ]
    return [
        ctx.row(
            check=f"control '{control}': {check}",
            verdict="refuted" if not holds else "not-refuted",
            margin=-margin,
            control=control,
            error="deterministic",
            bound_from=f"control:{control}",
            **common,
        )
    ]


# ------------------------------------------------------------------------------ driving checks


def worst_ratio(rows: Iterable[CheckResult]) -> float | None:
    """The largest point-estimate tightness (measured / bound for an upper bound, bound / measured
    for a lower bound; :func:`_tightness`) among true-statement rows: what
    :func:`explore` steers Hypothesis towards (the point estimate, not an interval end, so the
    search is not drawn to the cases with the least power)."""
    t = [
        r.tightness
        for r in rows
        if r.control is None and r.tightness is not None and math.isfinite(r.tightness)
    ]
    return max(t) if t else None


def problems(rows: Iterable[CheckResult], *, edges: bool = True) -> list[str]:
    """What makes a set of rows fail the suite: a true statement's ``fail`` or a control that
    was not refuted.  ``inconclusive`` is not a problem (it is reported), nor is an
    ``unresolved`` edge control (:func:`settle_edges`).  ``edges=False`` leaves edge controls
    out (inside a search, where they are settled over all cases)."""
    out = []
    for r in rows:
        if r.control is None and r.verdict == "fail":
            out.append(f"FAIL {r.statement_id}: {r.check} (measured {r.measured}, bound {r.bound})")
        elif r.control == "edge" and not edges:
            continue
        elif r.control is not None and r.verdict not in ("refuted", "unresolved"):
            out.append(f"NOT REFUTED {r.statement_id} / {r.control}: {r.check}")
    return out


def record_all(rows: Iterable[CheckResult]) -> list[CheckResult]:
    rows = list(rows)
    for r in rows:
        record(r)
    return rows


def _pairs(rows: Sequence[CheckResult]) -> list[tuple[CheckResult, int]]:
    """(main row, index of its edge row) within one check call: an edge row belongs to the
    true-statement row of the same statement and seed whose check is its ``extra["edge_of"]``
    (set by :func:`edge_control`)."""
    out = []
    for i, e in enumerate(rows):
        if e.control != "edge":
            continue
        for r in rows:
            if (
                r.control is None
                and r.statement_id == e.statement_id
                and r.seed == e.seed
                and r.check == e.extra.get("edge_of")
            ):
                out.append((r, i))
                break
    return out


def settle_edges(calls: Sequence[Sequence[CheckResult]]) -> list[CheckResult]:
    """The rows of a search (one list per check call), with each statement's edge controls
    settled against its **binding case**.

    The edge control shows that the check resolves the measured value where the statement is
    closest to its bound.  At a drawn case far from the bound the quantity can be ~0 (Lemma 7 at
    a near-degenerate spectrum: E X = 6e-5 against 1/d = 0.25), and no sample size resolves 0.8x
    of ~0; such edge rows are reported as ``unresolved``.  The edge row of the binding case --
    the largest :func:`_tightness` of the statement in the search, a refuted edge preferred
    among ties -- keeps its verdict, so a search whose binding case is unresolved fails.
    """
    best: dict[str, tuple[tuple[float, bool], int, int]] = {}
    for c, rows in enumerate(calls):
        for main, i in _pairs(rows):
            t = main.tightness if main.tightness is not None else -math.inf
            key = (t, rows[i].verdict == "refuted")
            if main.statement_id not in best or key > best[main.statement_id][0]:
                best[main.statement_id] = (key, c, i)
    out = []
    for c, rows in enumerate(calls):
        for i, r in enumerate(rows):
            b = best.get(r.statement_id)
            if r.control == "edge" and r.verdict == "not-refuted" and b and (c, i) != b[1:]:
                r = replace(
                    r,
                    verdict="unresolved",
                    extra={
                        **r.extra,
                        "edge": "not the binding case of the search "
                        f"(its tightness {b[0][0]:.3g} is the largest); reported, not asserted",
                    },
                )
            out.append(r)
    return out


def explore(
    ctx: RunContext,
    strategy: Any,
    check: Callable[[RunContext, Any], Sequence[CheckResult]],
    *,
    max_examples: int,
    label: str,
    examples: Sequence[Any] = (),
) -> list[CheckResult]:
    """Run ``check(ctx, case)`` over Hypothesis-drawn cases and return every row (recorded).

    ``hypothesis.target`` steers towards the largest point-estimate ratio measured / bound
    (:func:`worst_ratio`).  A case whose rows contain a failure raises inside the property, so
    Hypothesis shrinks it and prints its ``@reproduce_failure`` blob; the caller asserts.  Edge
    controls are settled over the whole search (:func:`settle_edges`): the binding case's must
    be refuted.  ``examples`` are explicit cases run first (regression cases, never the source
    of a reported supremum).
    """
    from hypothesis import given, settings, target

    calls: list[list[CheckResult]] = []

    @settings(max_examples=max_examples)
    @given(case=strategy)
    def prop(case: Any) -> None:
        rows = list(check(ctx, case))
        calls.append(rows)
        w = worst_ratio(rows)
        if w is not None:
            target(w, label=label)
        bad = problems(rows, edges=False)
        assert not bad, bad

    for ex in reversed(examples):
        from hypothesis import example

        prop = example(case=ex)(prop)
    try:
        prop()
    finally:
        settled = record_all(settle_edges(calls))
    return settled


__all__ = [
    "EDGE",
    "RunContext",
    "detectable_factor",
    "edge_control",
    "explore",
    "judge",
    "judge_exact",
    "judge_within",
    "problems",
    "record_all",
    "settle_edges",
    "worst_ratio",
]

#: default per-assertion level, re-exported for checks
DELTA = ASSERTION_DELTA
