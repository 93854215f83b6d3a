"""Two drivers shared by the proof-lemma, Eq. 6 and Sec. 3.2 tests: the per-n supremum search and
the refutation of a deterministic control by a counterexample that the search draws."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from hypothesis import find, settings

from theory.engine import RunContext, explore, record_all, worst_ratio
from theory.results import CheckResult


def search_supremum(
    ctx: RunContext,
    stmts: Sequence[Any],
    cases_for_n: Callable[[int], Any],
    ns: Iterable[int],
    *,
    max_examples: int,
) -> tuple[list[CheckResult], dict[str, dict[int, float]]]:
    """Run the checks of ``stmts`` (statements sharing one case type) over ``cases_for_n(n)`` for
    every n (Hypothesis, ``target()`` on the largest point-estimate ratio), record one info row per
    statement and n with the largest ratio reached against the record's analytic
    ``extra["supremum"]``; return (all rows, {statement id: {n: reached / supremum}})."""

    def check(c: RunContext, case: Any) -> list[CheckResult]:
        return [r for s in stmts for r in s.check(c, case)]

    rows: list[CheckResult] = []
    reached: dict[str, dict[int, float]] = {s.id: {} for s in stmts}
    for n in ns:
        label = f"{stmts[0].id} n={n}"
        r = explore(ctx, cases_for_n(n), check, max_examples=max_examples, label=label)
        rows += r
        for s in stmts:
            best = worst_ratio(x for x in r if x.statement_id == s.id)
            sup = s.extra["supremum"]
            s_n = float(sup(n) if callable(sup) else sup)
            reached[s.id][n] = (best or 0.0) / s_n
            info = ctx.row(
                statement_id=s.id,
                check=f"search reaches the supremum of {s.extra['supremum of']} at n = {n}",
                verdict="info",
                measured=best,
                bound=s_n,
                tightness=reached[s.id][n],
                method=f"Hypothesis, {max_examples} examples at this n, target() on the point value",
                params={"n": n, "examples": max_examples},
                extra={"supremum_reached": reached[s.id][n]},
            )
            rows += record_all([info])
    return rows, reached


def refute_by_search(
    ctx: RunContext, strategy: Any, check: Callable[..., Any], control: str, *, max_examples: int
) -> list[CheckResult]:
    """Find a drawn case on which ``check`` refutes ``control`` (Hypothesis ``find``, no planted
    example), record its rows and return them; raises if the search finds none."""

    def refutes(case: dict[str, Any]) -> bool:
        rows = check(ctx, {**case, "controls": (control,)})
        return any(r.control == control and r.verdict == "refuted" for r in rows)

    case = find(
        strategy,
        refutes,
        settings=settings(max_examples=max_examples, database=None, derandomize=True),
    )
    return record_all(check(ctx, {**case, "controls": (control,)}))
