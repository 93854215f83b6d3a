r"""The check engine: the statement record, the run context, the rows, one verdict rule, and the
power of every check.

**Layers** (declared once, in ``[tool.importlinter]`` of ``pyproject.toml``, checked in CI):
the mathematics (``gap``, ``chain``, ``sawa``, ...) below this module; this module; the records
(:mod:`theory.statements`, data that *name* their check by a string such as
``"theory.checks.lemmas:lemma6_check"``); the checks (:mod:`theory.checks`, the only code that
imports records); the report, calibration and command line on top.  Data flow one way: a
record names its check, the check makes rows through the run context, the caller that holds
the context flushes them to the run's result files, the report reads those.

A check is a pure function ``check(ctx, case) -> list[CheckResult]``: it simulates what the case
asks for and hands its estimate to one of the verdict functions below.  Every row is made by
:meth:`RunContext.row`, which also logs it in the context's :class:`RowLog`; the caller that
made the context flushes the log (the verify fixture does so when the test ends, pass or fail),
so no row is lost because a test forgot a call.

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

import functools
import hashlib
import importlib
import json
import math
import os
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np

from ._backend import Backend, get_backend, jsonable
from .sequential import Budget, sequential_loop, sequential_mean
from .stats import ASSERTION_DELTA, RUN_BUDGET, Interval, derive_seed, sign_test_lower

try:  # POSIX: the processes of one run share expensive entries through a locked file
    import fcntl
except ImportError:  # pragma: no cover - Windows: every process computes what it needs
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")

Side = Literal["upper", "lower"]

#: Default placement of the edge control: claim E X <= EDGE * (point estimate).
EDGE = 0.8


# ------------------------------------------------------------------------------ profiles

PROFILE_NAMES = ("ci", "thorough", "paper")
PROFILE_ENV = "THEORY_PROFILE"


@dataclass(frozen=True)
class Profile:
    """A run profile: ``ci`` (deterministic, 2 cores, minutes), ``thorough`` (workstation) and
    ``paper`` (paper-scale parameters, meant for a GPU).

    A profile is a **budget**, not a plan: ``max_runs`` and ``max_seconds`` cap what one
    sequential Monte Carlo check may draw (:meth:`RunContext.budget`; the check stops earlier,
    as soon as the data decide), ``max_seeds`` caps the seeds of a paired training claim (each
    seed is a full training run), and ``max_examples`` is the Hypothesis example count.  No
    check plans its own sample size.  :meth:`pick` remains for the *cases* a profile visits
    (widths, depths, grids), which are what a check is about, not how much it samples."""

    name: str
    max_examples: int
    derandomize: bool
    max_runs: int = 100_000
    max_seconds: float = 10.0
    max_seeds: int = 40

    def pick(self, *, ci: T, thorough: T, paper: T) -> T:
        """The value for this profile."""
        return {"ci": ci, "thorough": thorough, "paper": paper}[self.name]


PROFILES: dict[str, Profile] = {
    "ci": Profile("ci", 6, True, max_runs=100_000, max_seconds=10.0, max_seeds=150),
    "thorough": Profile("thorough", 60, False, max_runs=1_000_000, max_seconds=60.0, max_seeds=200),
    "paper": Profile("paper", 30, False, max_runs=10_000_000, max_seconds=600.0, max_seeds=300),
}


def get_profile(name: str | None = None) -> Profile:
    """The profile named ``name`` (``ci`` when None).  Reads no environment variable: the verify
    conftest resolves ``--profile`` / ``$THEORY_PROFILE`` and passes the name down."""
    name = name or "ci"
    if name not in PROFILES:
        raise ValueError(f"profile must be one of {PROFILE_NAMES}; got {name!r}")
    return PROFILES[name]


# ------------------------------------------------------------------------------ rows

Verdict = Literal["pass", "fail", "inconclusive", "refuted", "not-refuted", "unresolved", "info"]
#: ``unresolved``: an edge control at a drawn case that is not its statement's binding case
#: (largest tightness in the search) and that the data did not refute -- reported, never a
#: pass for the statement's power (see :func:`settle_edges`).
VERDICTS = ("pass", "fail", "inconclusive", "refuted", "not-refuted", "unresolved", "info")


@dataclass
class CheckResult:
    """One assertion (or one measurement) about one statement.

    For an upper bound, ``margin = bound - upper end of the CI`` (positive: holds at the
    conservative end) and ``tightness = measured / bound`` (``bound / measured`` for a lower
    bound: 1 at the bound, > 1 past it, on both sides).  For a negative control the verdict
    is ``refuted`` when the machinery rejects the planted false variant.  Verdicts are decided
    in this module only; ``inconclusive`` means the data decided neither way.

    ``false_fail`` is the probability that this row says ``fail`` while its statement is true
    (what the run's budget adds up); ``wrong_pass`` the probability that it says ``pass`` (or a
    control says ``refuted``) while the statement (the variant) is false; ``error`` says it in
    words.  ``detectable`` is the smallest factor (absolute amount for equivalences) by which
    the bound would have to be wrong for this check to say ``fail`` with probability
    >= 1 - delta.  ``finite_sample`` is False for bootstrap/CLT intervals (outside the budget).
    ``bound_from`` names where the asserted bound came from: ``statement`` (the record's own
    bound), ``control:<id>`` (a planted variant) or ``edge`` (the edge control).

    ``backend``, ``dtype`` and ``device`` are required: rows are made by :meth:`RunContext.row`,
    which takes them from the run context.
    """

    statement_id: str
    check: str
    verdict: Verdict
    measured: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    bound: float | None = None
    margin: float | None = None
    tightness: float | None = None
    false_fail: float | None = None
    method: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    backend: str | None = None
    dtype: str | None = None
    device: str | None = None
    seed: int | None = None
    control: str | None = None
    nodeid: str | None = None
    replay: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    wrong_pass: float | None = None
    detectable: float | None = None
    error: str | None = None
    finite_sample: bool = True
    bound_from: str | None = None

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}; got {self.verdict!r}")

    def to_dict(self) -> dict[str, Any]:
        return jsonable(asdict(self))


class RowLog:
    """The rows made through one run context, in order; :meth:`flush` appends the new ones to
    ``path`` as JSON lines (one file per process, so concurrent workers never share a file).

    A row is logged when it is made (:meth:`RunContext.row`), so a row can only be missing from
    the report if the process died before the flush; rows that a search makes and throws away
    go to a scratch log (:meth:`RunContext.scratch`).  Rows are mutable until flushed: settling
    an edge control (:func:`settle_edges`) changes the logged row itself.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = None if path is None else Path(path)
        self.rows: list[CheckResult] = []
        self._flushed = 0

    def add(self, row: CheckResult) -> CheckResult:
        if not (row.backend and row.dtype and row.device):
            raise ValueError(
                f"result for {row.statement_id!r} ({row.check!r}) has no backend/dtype/device "
                "label; make rows with RunContext.row"
            )
        self.rows.append(row)
        return row

    def flush(self) -> list[dict[str, Any]]:
        """Write the rows not yet written (to ``path``, if any) and return them as dicts."""
        new = [r.to_dict() for r in self.rows[self._flushed :]]
        self._flushed = len(self.rows)
        if self.path is not None and new:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as fh:
                fh.write("".join(json.dumps(r) + "\n" for r in new))
        return new


# ------------------------------------------------------------------------------ run cache


def nbytes(value: Any, _depth: int = 0) -> int:
    """Bytes of the arrays (NumPy, torch) held by ``value``: through dicts, lists, tuples and
    objects' attributes, four levels deep; other objects count 0."""
    if _depth > 4:
        return 0
    if isinstance(value, np.ndarray):
        return int(value.nbytes)
    if hasattr(value, "element_size") and hasattr(value, "nelement"):  # a torch tensor
        return int(value.element_size() * value.nelement())
    if isinstance(value, dict):
        return sum(nbytes(v, _depth + 1) for v in value.values())
    if isinstance(value, (list, tuple)):
        return sum(nbytes(v, _depth + 1) for v in value)
    if hasattr(value, "__dict__") and not isinstance(value, type):
        return sum(nbytes(v, _depth + 1) for v in vars(value).values())
    return 0


class RunCache:
    """The one cache of a run: expensive results (simulated chains, training runs) that several
    checks of the run need, keyed by what determines them.

    In memory it is a least-recently-used map of at most ``max_entries`` entries and about
    ``max_bytes`` of arrays (:func:`nbytes`; the newest entry is always kept).  An entry
    asked for with ``shared=True`` is also shared by the processes of one run (the xdist
    workers) through ``folder``: the first process to ask takes an exclusive lock on the key,
    computes and writes ``.npz``; a process asking meanwhile waits on the lock and reads the file.
    Shared values are dicts of arrays.  ``folder`` lives as long as the run, so no value outlives
    the code that made it.  :meth:`RunContext.cached` adds the backend and seed salt to every key.
    """

    def __init__(
        self, folder: str | None = None, max_entries: int = 256, max_bytes: int = 2 << 30
    ) -> None:
        if folder is not None and not isinstance(folder, str):
            raise ValueError(f"folder must be a path (str) or None; got {folder!r}")
        if not (isinstance(max_entries, int) and max_entries >= 1):
            raise ValueError(f"max_entries must be an int >= 1; got {max_entries!r}")
        if not (isinstance(max_bytes, int) and max_bytes >= 1):
            raise ValueError(f"max_bytes must be an int >= 1; got {max_bytes!r}")
        self.folder = folder
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._mem: OrderedDict[Any, Any] = OrderedDict()
        self._size: dict[Any, int] = {}
        self.hits: Counter[str] = Counter()

    @property
    def nbytes(self) -> int:
        """The array bytes held in memory now."""
        return sum(self._size.values())

    def __len__(self) -> int:
        return len(self._mem)

    def get(self, key: tuple[Any, ...], compute: Callable[[], T], *, shared: bool = False) -> T:
        """The value for ``key``, computing it with ``compute()`` on a miss."""
        if key in self._mem:
            self._mem.move_to_end(key)
            self.hits[str(key[0])] += 1
            return self._mem[key]
        if shared and self.folder is not None and fcntl is not None:
            value = self._from_file(key, compute)
        else:
            value = compute()
        self._mem[key] = value
        self._size[key] = nbytes(value)
        while len(self._mem) > 1 and (
            len(self._mem) > self.max_entries or self.nbytes > self.max_bytes
        ):
            old, _ = self._mem.popitem(last=False)
            del self._size[old]
        return value

    def _from_file(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        name = str(key[0])
        digest = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
        where = Path(self.folder)  # type: ignore[arg-type]
        where.mkdir(parents=True, exist_ok=True)
        path = where / f"{name}-{digest}.npz"
        with open(where / f"{name}-{digest}.lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                if path.exists():
                    with np.load(path) as z:
                        return {k: z[k] for k in z.files}
                out = compute()
                tmp = where / f".{digest}.{os.getpid()}.npz"
                np.savez(tmp, **out)
                os.replace(tmp, path)
                return out
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)


# ------------------------------------------------------------------------------ run context


@dataclass(frozen=True)
class RunContext:
    """What a check may depend on besides its case: profile, backend object, seed salt; and
    where its rows go (:class:`RowLog`) and what it may reuse (:class:`RunCache`).

    Built once (``verify/conftest.py`` from the command line, or by hand with :meth:`create`)
    and passed down explicitly; nothing below it reads the environment.  Every row a check makes
    takes its ``backend``/``dtype``/``device`` labels from here (:meth:`row`).
    """

    profile: Profile
    backend: Backend
    salt: str = ""
    nodeid: str | None = None
    replay: str | None = None
    cache: RunCache = field(default_factory=RunCache, compare=False, repr=False)
    log: RowLog = field(default_factory=RowLog, compare=False, repr=False)

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
        results_file: str | None = None,
    ) -> RunContext:
        """A context from names: ``RunContext.create("ci", "torch", device="cuda")``.

        ``cache_dir``: a folder shared by the processes of one run (:class:`RunCache`);
        ``results_file``: where :meth:`RowLog.flush` appends this context's rows."""
        if not isinstance(salt, str):
            raise ValueError(f"salt must be a string; got {salt!r}")
        if cache_dir is not None and not isinstance(cache_dir, str):
            raise ValueError(f"cache_dir must be a folder path (str) or None; got {cache_dir!r}")
        backend_obj = get_backend(backend, dtype=dtype, device=device)
        return cls(
            get_profile(profile),
            backend_obj,
            salt,
            cache=RunCache(cache_dir),
            log=RowLog(results_file),
        )

    def pick(self, *, ci: Any, thorough: Any, paper: Any) -> Any:
        """The value for this context's profile."""
        return self.profile.pick(ci=ci, thorough=thorough, paper=paper)

    def budget(
        self, *, first_batch: int = 200, max_runs: int | None = None, growth: float = 1.5
    ) -> Budget:
        """The profile's budget for one sequential check: batches of ``first_batch``,
        ``first_batch * growth``, ... runs, at most the profile's ``max_runs`` runs (or the
        case's own smaller ``max_runs``, for a quick example) and ``max_seconds`` seconds of
        this process's CPU time (wall time on a CUDA device, which the CPU waits on): so the
        verdict a seed gives does not depend on the machine's load."""
        cap = (
            self.profile.max_runs if max_runs is None else min(int(max_runs), self.profile.max_runs)
        )
        return Budget(
            max_runs=max(cap, first_batch),
            max_seconds=self.profile.max_seconds,
            first_batch=first_batch,
            growth=growth,
            clock="wall" if str(self.backend.device).startswith("cuda") else "cpu",
        )

    def seed(self, *parts: Any) -> int:
        """A Monte Carlo seed derived from ``parts`` and this context's salt."""
        return derive_seed(*parts, salt=self.salt)

    def cached(self, key: tuple[Any, ...], compute: Callable[[], T], *, shared: bool = False) -> T:
        """``compute()`` once per run for ``key`` (first element: a name), on this context's
        backend and salt (:class:`RunCache`)."""
        return self.cache.get((*key, self.backend, self.salt), compute, shared=shared)

    def simulate(self, H0: Any, depth: int, **kw: Any) -> Any:
        """:func:`theory.chain.simulate` on this context's backend (dtype and device included)."""
        from .chain import simulate

        return simulate(H0, depth, backend=self.backend, **kw)

    @property
    def labels(self) -> dict[str, str]:
        b = self.backend
        return {"backend": b.name, "dtype": b.dtype_name, "device": b.device}

    def on_numpy(self) -> RunContext:
        """This context for a check that computes in NumPy float64 on the CPU whatever the
        suite's backend (closed forms, exact or ball arithmetic, a sampler of its own): the same
        row log, cache, salt and node, and rows that say so (``backend="numpy"``) instead of
        claiming the suite's backend.  Used through :func:`numpy_only`."""
        return replace(self, backend=get_backend("numpy"))

    def at(
        self, nodeid: str | None, replay: str | None, *, results_file: str | None = None
    ) -> RunContext:
        """This context for one test node, with a fresh row log (flushed to ``results_file``)."""
        return replace(self, nodeid=nodeid, replay=replay, log=RowLog(results_file))

    def scratch(self) -> RunContext:
        """This context with a throw-away row log: for the rows of a search's trial cases
        (Hypothesis ``find``), which are never reported; the caller re-runs the case it keeps."""
        return replace(self, log=RowLog())

    def row(self, **kw: Any) -> CheckResult:
        """A :class:`CheckResult` labelled with this context (backend, dtype, device, node),
        logged in this context's :class:`RowLog`.

        A check that ran somewhere else (the training module on its own device) passes its
        labels explicitly; they are then what the row says.
        """
        for k, v in self.labels.items():
            kw.setdefault(k, v)
        kw.setdefault("nodeid", self.nodeid)
        kw.setdefault("replay", self.replay)
        return self.log.add(CheckResult(**kw))

    def run(self, statement: Statement | str, case: Mapping[str, Any]) -> list[CheckResult]:
        """The rows of ``statement``'s check on ``case`` (a statement or its id)."""
        s = get(statement) if isinstance(statement, str) else statement
        return list(s.check(self, case))


def numpy_only(check: Callable[[RunContext, Any], T]) -> Callable[[RunContext, Any], T]:
    """Decorator for a check that computes in NumPy whatever the suite's backend: it runs on
    :meth:`RunContext.on_numpy`, so under ``--backend torch`` its rows say numpy, where they
    were computed, not torch."""

    @functools.wraps(check)
    def run(ctx: RunContext, case: Any) -> T:
        return check(ctx.on_numpy(), case)

    run.numpy_only = True  # type: ignore[attr-defined]
    return run


# ------------------------------------------------------------------------------ statement records

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


def resolve(ref: str) -> Callable[..., Any]:
    """The object named by ``"package.module:attribute"`` (imported on first use)."""
    module, sep, attr = ref.partition(":")
    if not sep or not module or not attr:
        raise ValueError(f"a check reference must read 'package.module:function'; got {ref!r}")
    return getattr(importlib.import_module(module), attr)


@dataclass(frozen=True)
class Statement:
    """One encoded statement: data, and the name of the check that tests it.

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
    check_ref : ``"theory.checks.<module>:<function>"``, the pure function
        ``check(ctx, case) -> list[CheckResult]`` its verify test runs, resolved on first use
        (records never import checks: only checks import records).
    example : a cheap case for the check (the registry's smoke test runs every record on it).
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
    check_ref: str | None = field(default=None, compare=False)
    example: Mapping[str, Any] | None = field(default=None, compare=False)

    @property
    def check(self) -> Callable[..., Any]:
        """The check function named by :attr:`check_ref` (``ValueError`` when there is none)."""
        if self.check_ref is None:
            raise ValueError(f"statement {self.id!r} names no check")
        return resolve(self.check_ref)

    def bound_at(self, *args: Any, **kw: Any) -> float:
        """The record's bound at the given parameters: the number its check asserts and the
        report prints (counted in :data:`BOUND_CALLS`)."""
        if self.bound is None:
            raise ValueError(f"statement {self.id!r} has no bound function")
        BOUND_CALLS[self.id] += 1
        return float(self.bound(*args, **kw))

    def control(self, control_id: str) -> NegativeControl:
        for c in self.negative_controls:
            if c.id == control_id:
                return c
        raise KeyError(f"statement {self.id!r} has no negative control {control_id!r}")

    def control_bound(self, control_id: str, *args: Any, **kw: Any) -> float:
        """The bound of the negative control ``control_id`` at the given parameters."""
        return self.control(control_id).bound_at(self.id, *args, **kw)

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
            "has_check": self.check_ref is not None,
        }


STATEMENTS: dict[str, Statement] = {}


def register(statement: Statement) -> Statement:
    """Add a statement to :data:`STATEMENTS`: ids are unique, every statement has a control and
    names its check as ``"package.module:function"``."""
    if statement.id in STATEMENTS:
        raise ValueError(f"statement id {statement.id!r} is registered twice")
    if statement.kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}; got {statement.kind!r}")
    if not statement.negative_controls:
        raise ValueError(f"statement {statement.id!r} needs at least one negative control")
    ref = statement.check_ref
    if ref is not None and (ref.count(":") != 1 or not all(ref.split(":"))):
        raise ValueError(
            f"check_ref of {statement.id!r} must read 'package.module:function'; got {ref!r}"
        )
    STATEMENTS[statement.id] = statement
    return statement


def get(statement_id: str) -> Statement:
    """The registered statement ``statement_id`` (``KeyError`` listing the known ids)."""
    try:
        return STATEMENTS[statement_id]
    except KeyError:
        raise KeyError(f"unknown statement {statement_id!r}; known: {sorted(STATEMENTS)}") from None


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


# ------------------------------------------------------------------------------ sampling


def sample_until_decided(
    ctx: RunContext,
    sample: Callable[[int, int], np.ndarray],
    *,
    lo: float,
    hi: float,
    key: Sequence[Any],
    bound: float,
    controls: dict[str, float],
    max_runs: int | None = None,
    side: Side = "upper",
    delta: float = ASSERTION_DELTA,
    edge: float | None = EDGE,
) -> tuple[Interval, int, int, dict[str, Any]]:
    """The engine drives the sampling: draw ``sample(runs, seed)`` (i.i.d. values in
    ``[lo, hi]``) in batches of 200, 300, 450, ... runs until "``E X <= bound``" (``side``:
    ``"upper"``; ``"lower"`` for ``>=``) is decided, every control's bound is decided and the
    edge control (``E X <= 0.8 x estimate``, or ``>= estimate / 0.8``) is refuted, or the
    profile's budget (:meth:`RunContext.budget`; ``max_runs`` only lowers it, for a quick
    example) is spent (:func:`theory.sequential.sequential_mean`).
    The interval holds at ``delta`` per side uniformly over the looks, so stopping early keeps
    the level.  Returns ``(interval, seed, runs, how)``; ``how`` says why it stopped and lists
    the batch seeds (the replay)."""
    seed = ctx.seed(*key, "sequential")
    res = sequential_mean(
        sample,
        lo=lo,
        hi=hi,
        bound=bound,
        side=side,
        delta=delta,
        budget=(budget := ctx.budget(max_runs=max_runs)),
        seed=seed,
        also=[(cb, side) for cb in controls.values()],
        edge=edge,
    )
    how = {
        "sampling": f"sequential: {res.runs} runs in {res.batches} batch(es), stopped: "
        f"{res.stop_reason} (max {budget.max_runs}, {budget.max_seconds:g} {budget.clock} s)",
        "batch seeds": list(res.seeds),
    }
    return res.interval, seed, res.runs, how


def decided(rows: Iterable[CheckResult]) -> bool:
    """True when the rows of one look need no more data: some statement row fails (a failing
    check reports at once -- its fail holds at delta whatever else is undecided), or every
    verdict that sampling can settle is settled: each statement row passes, each planted
    control is refuted and each edge control is refuted.  ``info`` rows never hold the loop."""
    rows = list(rows)
    if any(r.control is None and r.verdict == "fail" for r in rows):
        return True
    for r in rows:
        if r.verdict == "info":
            continue
        if r.control is None:
            if r.verdict == "inconclusive":
                return False
        elif r.verdict != "refuted":
            return False
    return True


def rows_until_decided(
    ctx: RunContext,
    draw: Callable[[int, int], None],
    rows_at: Callable[[RunContext, float], list[CheckResult]],
    *,
    key: Sequence[Any],
    max_runs: int | None = None,
    first_batch: int = 200,
    delta: float = ASSERTION_DELTA,
) -> list[CheckResult]:
    """The engine drives the sampling of a check that judges many quantities of one sample.

    ``draw(b, seed)`` adds ``b`` runs drawn from ``seed`` to the check's data (a closure);
    ``rows_at(c, share)`` judges everything on all data so far, building every interval at
    ``share * delta`` per side, and returns the rows it made on ``c``.  After each batch the
    rows are made on a scratch context (never reported) and the loop stops when they are
    :func:`decided`, or when the profile's budget is spent
    (:func:`theory.sequential.sequential_loop`: look ``k`` of ``K`` fixed looks at
    ``delta / K``, so each end holds at ``delta`` uniformly over the looks).  The reported rows
    are then made once on ``ctx`` from the final data; their ``false_fail`` / ``wrong_pass``
    state the level of the whole sequence (``delta``, not the last look's ``delta / K``) and
    ``extra["sampling"]`` says how it stopped (``extra["batch seeds"]``: the replay)."""
    scratch = ctx.scratch()
    res = sequential_loop(
        draw,
        lambda share: decided(rows_at(scratch, share)),
        budget=ctx.budget(max_runs=max_runs, first_batch=first_batch),
        seed=ctx.seed(*key, "sequential"),
    )
    rows = rows_at(ctx, res.delta_k)
    how = {"sampling": res.describe(), "batch seeds": list(res.seeds)}
    level = f"{delta:.2g} per side over {res.looks} looks (each at delta/{res.looks})"
    for r in rows:
        r.extra = {**r.extra, **how}
        if r.false_fail is not None:
            r.false_fail = delta
        if r.wrong_pass is not None:
            r.wrong_pass = delta
        if r.finite_sample and r.verdict != "info":
            r.method = f"{r.method}; sequential, {level}"
    return rows


# ------------------------------------------------------------------------------ paired sign tests

#: a sign-test control's delta per end: bounds a wrong refutation, not a false fail
CONTROL_DELTA = RUN_BUDGET
#: edge of a paired claim: "the median is at least 1/SIGN_EDGE times the observed one" (the
#: engine's EDGE: training claims add seeds until it is refuted, theory.checks.training)
SIGN_EDGE = EDGE


def _fin(v: float | None) -> float | None:
    return float(v) if v is not None and math.isfinite(v) else None


def sign_family(
    pairs: Sequence[tuple[str, Any]], delta: float = ASSERTION_DELTA, *, columns: int | None = None
) -> tuple[list[tuple[str, float, float, float]], str]:
    """Per pair: ``(label, median, lower, upper)`` of the exact sign-test interval of the median
    of the paired differences (:func:`theory.stats.sign_test_lower`, each end at ``delta / k``
    for k pairs, Bonferroni); and the verdict of "every median > 0": pass iff every lower end
    is > 0, fail iff some upper end is < 0, else inconclusive.  ``columns``: the family's full
    number of pairs ``k`` when only some are given (a control drawn column by column: a
    refutation by the pairs given holds at ``delta`` for the whole family)."""
    k = len(pairs) if columns is None else int(columns)
    if k < len(pairs):
        raise ValueError(f"columns must be >= the {len(pairs)} pairs given; got {columns}")
    out = []
    for name, d in pairs:
        d = np.asarray(d, dtype=np.float64)
        lo = sign_test_lower(d, delta / k)
        hi = -sign_test_lower(-d, delta / k)
        out.append((name, float(np.median(d)), lo, hi))
    if all(o[2] > 0 for o in out):
        verdict = "pass"
    elif any(o[3] < 0 for o in out):
        verdict = "fail"
    else:
        verdict = "inconclusive"
    return out, verdict


def edge_upper(pairs: Sequence[tuple[str, Any]], name: str, share: float = 1.0) -> float:
    """Upper end of the sign-test interval of pair ``name``'s median at the controls' level
    :data:`CONTROL_DELTA` x ``share`` (Bonferroni over the pairs, as :func:`sign_family`): what
    a paired claim's edge control is refuted on.  Why the controls' level and not the claim's:
    the edge's error is a wrong refutation (power claimed that is not there), not a false fail;
    and with tens of seeds the claim's level (2e-6 / looks / pairs) puts the sign test's
    upper end on the largest order statistics, so the edge would cost seeds that only the
    false-fail budget needs."""
    fam, _ = sign_family(pairs, CONTROL_DELTA * share)
    return next(o[3] for o in fam if o[0] == name)


def judge_paired(
    ctx: RunContext,
    statement_id: str,
    check: str,
    pairs: Sequence[tuple[str, Any]],
    *,
    control: str | None = None,
    params: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
    edge: bool | float = True,
    labels: Mapping[str, str] | None = None,
    share: float = 1.0,
    columns: int | None = None,
) -> list[CheckResult]:
    """Rows of a paired-seed claim "the median of d > 0 for every pair" (or of its control),
    plus the edge control, by :func:`sign_family` (``columns``: as there).

    The claim's ends are at ``ASSERTION_DELTA``; a control's at :data:`CONTROL_DELTA`, which
    bounds a wrong *refutation* (not part of the false-fail budget).  ``share``: when the seeds
    were added until decided (:func:`theory.sequential.sequential_loop`), the stopping look's
    share of the level; each end is then at ``share`` times it (union over the looks).  The
    deciding pair is the lowest lower end for the claim, the lowest upper end for a control.
    Edge control: "the median of the worst pair is at least ``1/SIGN_EDGE`` times its observed
    value", refuted iff that pair's upper end at the controls' level (:func:`edge_upper`) is
    below that (``edge``: another factor, or False for none).  ``detectable``: the interval's width (absolute).  ``labels``: where the pairs were
    computed (a training run on its own device), else the context's.
    """
    delta = ASSERTION_DELTA if control is None else CONTROL_DELTA
    fam, verdict = sign_family(pairs, delta * share, columns=columns)
    name, med, lo, hi = min(fam, key=lambda o: o[2] if control is None else o[3])
    R = len(pairs[0][1])
    k = len(pairs) if columns is None else int(columns)
    per_pair = {o[0]: {"median": o[1], "lower": _fin(o[2]), "upper": _fin(o[3])} for o in fam}
    common = dict(
        statement_id=statement_id,
        measured=_fin(med),
        ci_low=_fin(lo),
        ci_high=_fin(hi),
        bound=0.0,
        method=(
            f"exact sign test for the median of {R} paired differences (order statistics), "
            f"each end at {delta:.1g}/{k} (Bonferroni over {k} pair(s))"
            + (f" x {share:.3g} (union over the looks)" if share != 1.0 else "")
            + "; assumes only i.i.d. seeds"
        ),
        params={**dict(params or {}), "seeds": R, "worst_pair": name},
        extra={"pairs": per_pair, **dict(extra or {})},
        **dict(labels or {}),
    )
    width = (hi - lo) if math.isfinite(hi - lo) else None
    if control is None:
        rows = [
            ctx.row(
                check=check,
                verdict=verdict,
                margin=_fin(lo),
                false_fail=ASSERTION_DELTA,
                wrong_pass=ASSERTION_DELTA,
                detectable=width,
                error=(
                    f"delta = {ASSERTION_DELTA:.2g} per claim: P(fail | claim true) and "
                    "P(pass | claim false) each <= delta"
                ),
                bound_from="statement",
                **common,
            )
        ]
        factor = SIGN_EDGE if edge is True else float(edge)
        if edge and math.isfinite(med) and med > 0:
            b = med / factor
            # the edge is a control: its upper end at CONTROL_DELTA (a wrong refutation), on
            # the claim's worst pair
            e_hi = edge_upper(pairs, name, share)
            rows.append(
                ctx.row(
                    check=f"edge control: median >= {1 / factor:g} x observed ({check})",
                    verdict="refuted" if e_hi < b else "not-refuted",
                    control="edge",
                    wrong_pass=CONTROL_DELTA,
                    error=f"a false variant just beyond the data: must be refuted; P(refuted "
                    f"| variant true) <= {CONTROL_DELTA:.2g}",
                    bound_from="edge",
                    **{
                        **common,
                        "ci_high": _fin(e_hi),
                        "method": common["method"].replace(
                            f"each end at {delta:.1g}/{k}", f"upper end at {CONTROL_DELTA:.1g}/{k}"
                        ),
                        "bound": b,
                        "margin": _fin(b - e_hi),
                        "extra": {**common["extra"], "edge_of": check},
                    },
                )
            )
        return rows
    return [
        ctx.row(
            check=f"control '{control}': {check}",
            verdict="refuted" if verdict == "fail" else "not-refuted",
            margin=_fin(-hi),
            control=control,
            wrong_pass=CONTROL_DELTA,
            error=f"P(refuted | variant true) <= {CONTROL_DELTA:.2g} (a control's delta bounds "
            "a wrong refutation, not a false fail)",
            bound_from=f"control:{control}",
            **common,
        )
    ]


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
                # in place: the row is the one in the context's log
                r.verdict = "unresolved"
                r.extra = {
                    **r.extra,
                    "edge": "not the binding case of the search "
                    f"(its tightness {b[0][0]:.3g} is the largest); reported, not asserted",
                }
            out.append(r)
    return out


__all__ = [
    "BOUND_CALLS",
    "CONTROL_DELTA",
    "EDGE",
    "KINDS",
    "PROFILES",
    "PROFILE_NAMES",
    "STATEMENTS",
    "VERDICTS",
    "CheckResult",
    "NegativeControl",
    "Profile",
    "RowLog",
    "RunCache",
    "RunContext",
    "Statement",
    "detectable_factor",
    "edge_control",
    "get",
    "get_profile",
    "judge",
    "judge_exact",
    "judge_paired",
    "judge_within",
    "nbytes",
    "problems",
    "register",
    "resolve",
    "decided",
    "rows_until_decided",
    "sample_until_decided",
    "settle_edges",
    "sign_family",
    "worst_ratio",
]

#: default per-assertion level, re-exported for checks
DELTA = ASSERTION_DELTA
