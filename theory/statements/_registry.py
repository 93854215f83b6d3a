"""The statement registry: one record per encoded result of the paper.

The same records drive the checks in ``verify/``, the docs, and the report's statement table.
Adding a statement means adding a record (with at least one planted false variant) and a test
that draws its parameters.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

#: How often each record's (or control's) bound was evaluated in this process, keyed by
#: ``statement id`` or ``statement id/control id``: the test that every record's bound is the
#: one its check asserts reads it.
BOUND_CALLS: Counter[str] = Counter()

Kind = Literal["upper", "lower", "identity", "rate", "slope", "claim"]
KINDS: tuple[str, ...] = ("upper", "lower", "identity", "rate", "slope", "claim")


@dataclass(frozen=True)
class NegativeControl:
    """A planted false variant of a statement that the same machinery must refute.

    ``why_false`` explains, with a formula or a worked counterexample, why the variant is
    actually false (a control that could be true proves nothing).
    """

    id: str
    description: str
    why_false: str
    bound: Callable[..., float] | None = None
    #: "edge" (just beyond the data), "gross" (false for a coarse reason) or "planted".
    strength: str = "planted"

    def bound_at(self, statement_id: str, *args: Any, **kw: Any) -> float:
        """The variant's bound at the given parameters (counted in :data:`BOUND_CALLS`)."""
        if self.bound is None:
            raise ValueError(f"control {self.id!r} of {statement_id!r} has no bound function")
        BOUND_CALLS[f"{statement_id}/{self.id}"] += 1
        return float(self.bound(*args, **kw))


@dataclass(frozen=True)
class Statement:
    """One encoded statement.

    Attributes
    ----------
    id : stable identifier, e.g. ``"theorem-1/stated-alpha"``.
    title : short human name.
    formula : the statement as printed, in plain-text/LaTeX-ish math.
    source : where it comes from, e.g. ``"Eq. 3"`` or ``"arXiv v1, App. B, Thm 5"``.
    hypotheses : parameter domain, ``{parameter: rule}``.
    kind : ``upper`` | ``lower`` | ``identity`` | ``rate`` | ``slope`` | ``claim``.
    bound : the right-hand side as a function of the parameters (``None`` for claims).
    resolution : how misprints and ambiguities were resolved (empty when there were none).
    negative_controls : planted false variants.
    group : section of the report (e.g. "Theorem 1", "Proof lemmas").
    """

    id: str
    title: str
    formula: str
    source: str
    hypotheses: Mapping[str, str]
    kind: Kind
    bound: Callable[..., float] | None = None
    resolution: tuple[str, ...] = ()
    negative_controls: tuple[NegativeControl, ...] = ()
    group: str = "Other"
    notes: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)
    #: ``check(ctx, case) -> list[CheckResult]``: the pure function its verify test runs.
    check: Callable[..., Any] | None = field(default=None, compare=False)
    #: A cheap case for ``check`` (the registry's smoke test runs every record on it).
    example: Mapping[str, Any] | None = field(default=None, compare=False)

    def bound_at(self, *args: Any, **kw: Any) -> float:
        """The record's bound at the given parameters: the number its check asserts and the
        report prints (counted in :data:`BOUND_CALLS`)."""
        if self.bound is None:
            raise ValueError(f"statement {self.id!r} has no bound function")
        BOUND_CALLS[self.id] += 1
        return float(self.bound(*args, **kw))

    def attach(
        self, check: Callable[..., Any], example: Mapping[str, Any] | None = None
    ) -> Callable[..., Any]:
        """Bind the record's check (and a cheap example case); returns ``check``."""
        object.__setattr__(self, "check", check)
        if example is not None:
            object.__setattr__(self, "example", dict(example))
        return check

    def control(self, control_id: str) -> NegativeControl:
        for c in self.negative_controls:
            if c.id == control_id:
                return c
        raise KeyError(f"statement {self.id!r} has no negative control {control_id!r}")

    def describe(self) -> dict[str, Any]:
        """A JSON-serialisable description (for the report and docs)."""
        return {
            "id": self.id,
            "title": self.title,
            "formula": self.formula,
            "source": self.source,
            "hypotheses": dict(self.hypotheses),
            "kind": self.kind,
            "resolution": list(self.resolution),
            "group": self.group,
            "notes": self.notes,
            "negative_controls": [
                {
                    "id": c.id,
                    "description": c.description,
                    "why_false": c.why_false,
                    "strength": c.strength,
                }
                for c in self.negative_controls
            ],
            "has_check": self.check is not None,
        }


STATEMENTS: dict[str, Statement] = {}


def register(statement: Statement) -> Statement:
    """Add a statement to :data:`STATEMENTS`; ids are unique and every statement has a control."""
    if statement.id in STATEMENTS:
        raise ValueError(f"statement id {statement.id!r} is registered twice")
    if statement.kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}; got {statement.kind!r}")
    if not statement.negative_controls:
        raise ValueError(f"statement {statement.id!r} needs at least one negative control")
    STATEMENTS[statement.id] = statement
    return statement


def get(statement_id: str) -> Statement:
    try:
        return STATEMENTS[statement_id]
    except KeyError:
        raise KeyError(f"unknown statement {statement_id!r}; known: {sorted(STATEMENTS)}") from None
