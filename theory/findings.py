"""What the paper claims, and what the data say: one row per claim of the paper.

A small curated table (:data:`CLAIMS`) maps each claim of the paper (its location, its reading,
its wording) to the statement ids of the registry that bear on it and to the rule that turns their
rows into a status:

``holds``
    every check that bears on it passes (``certified`` where ball-arithmetic certificates say so);
``loose``
    it holds, but the data stay far from its bound (largest tightness below :data:`LOOSE`), or a
    sharper constant than the printed one is attained;
``misprint``
    the form printed is false or not derivable (a record's resolution text says so, or a planted
    control that encodes the printed form is refuted), and a corrected form holds;
``refuted``
    a counterexample: the printed claim, planted as a control at a recorded case, is refuted
    (``refuted (certified)`` where a certificate says so).

And, when the data do not decide: ``fails`` (a check bearing on it failed or a negative control
was not refuted: see the failures), ``inconclusive`` and ``not run``.

Everything is computed from a ``results.json`` payload: ``payload["statements"]`` (the registry's
``describe()`` records) and ``payload["results"]`` (the check rows).  This module deliberately
imports nothing from the registry, the checks or the engine, so that the table reads the
registry's records as the payload carries them; numbers in the one-line summaries come from the
rows, never from this file.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]

#: The statuses a claim can have, strongest reading first (see the module docstring).
STATUSES: tuple[str, ...] = (
    "holds",
    "loose",
    "misprint",
    "refuted",
    "fails",
    "inconclusive",
    "not run",
)
STATUS_MEANING: dict[str, str] = {
    "holds": "every check bearing on it passes (certified where certificates say so)",
    "loose": "it holds, but the data stay far from its bound or a sharper constant is attained",
    "misprint": "the printed form is false or not derivable; the corrected form named holds",
    "refuted": "a counterexample (certified where a certificate says so)",
    "fails": "a check bearing on it failed or a control was not refuted: see the failures",
    "inconclusive": "the data decided neither way",
    "not run": "no check bearing on it ran in this session",
}
#: Largest tightness (measured / bound, 1 = at the bound) below which a bound that holds is
#: called loose: nowhere in its search did the data come within a factor 2 of it.
LOOSE = 0.5
#: A supremum search "attains" a constant when it reaches this fraction of it.
ATTAINED = 0.99
#: Certificate outcomes a row may carry in ``extra["certificate"]["outcome"]``.
CERTIFICATE_OUTCOMES = ("certified", "refuted", "not certified")

_PROBLEM = {"fails": 0, "inconclusive": 1, "not run": 2}


# --------------------------------------------------------------------------- formatting helpers


def _num(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def fmt(x: Any, digits: int = 3) -> str:
    """A number for a one-line summary: ``digits`` significant digits (trailing zeros kept, so
    0.540 reads as measured), ``1.6e-4`` when small, a true minus sign."""
    if not _num(x):
        return "–" if x is None else str(x)
    if x == 0:
        return "0"
    if isinstance(x, int) or (float(x).is_integer() and abs(x) < 1e6):
        s = str(int(x))
    elif 1e-3 <= abs(x) < 1e5:
        s = f"{x:#.{digits}g}".rstrip(".")
    else:
        m, e = f"{x:.{max(digits - 1, 0)}e}".split("e")
        s = f"{m}e{int(e)}"
    return s.replace("-", "−")


def span(values: Iterable[Any], digits: int = 3) -> str:
    """``a–b`` for the range of some numbers (``a to b`` when negative; one number when they
    agree to ``digits``)."""
    v = sorted(x for x in values if _num(x))
    if not v:
        return "–"
    lo, hi = fmt(v[0], digits), fmt(v[-1], digits)
    if lo == hi:
        return lo
    return f"{lo} to {hi}" if v[0] < 0 else f"{lo}–{hi}"


def _ci(r: Row, digits: int = 3) -> str:
    lo, hi = r.get("ci_low"), r.get("ci_high")
    if _num(lo) and _num(hi):
        return f"[{fmt(lo, digits)}, {fmt(hi, digits)}]"
    return ""


def at(r: Row, keys: Sequence[str | tuple[str, str]] = ("n", "d", "l", "L")) -> str:
    """``n = 2, d = 1024, l = 14``: the named scalar parameters of a row that it has (a key may
    be a ``(parameter, label)`` pair)."""
    p = r.get("params") or {}
    parts = []
    for k in keys:
        key, label = (k, k) if isinstance(k, str) else k
        v = p.get(key)
        if _num(v) or isinstance(v, str):
            parts.append(f"{label} = {fmt(v)}" if label == key else f"{label} {fmt(v)}")
    return ", ".join(parts)


def frac(x: Any) -> str:
    """A fraction near 1 (a supremum reached): four decimals, so 0.99999 does not read as 1."""
    return f"{x:.4f}" if _num(x) else "–"


def _scalars(p: Mapping[str, Any], limit: int = 8) -> dict[str, Any]:
    out = {}
    for k, v in p.items():
        if (_num(v) or isinstance(v, (str, bool))) and len(str(v)) <= 80:
            out[k] = v
        if len(out) >= limit:
            break
    return out


#: The end of a sentence: a full stop before a capital, not after an abbreviation (App., Eq.).
_SENTENCE_END = re.compile(
    r"(?<!App\.)(?<!Eq\.)(?<!Sec\.)(?<!Fig\.)(?<!Thm\.)(?<!al\.)(?<=\.)\s+(?=[A-Z])"
)


def _extra(r: Row, *path: str) -> Any:
    v: Any = r.get("extra") or {}
    for k in path:
        if not isinstance(v, Mapping) or k not in v:
            return None
        v = v[k]
    return v


# ------------------------------------------------------------------------------- the evidence


def statement_verdict(rows: Sequence[Row]) -> str:
    """FAIL / PASS / INCONCLUSIVE / MEASURED (information only) / NOTRUN from a statement's rows
    (the report's summary table reads the same function).

    FAIL: a row is evidence of a violation, or a control was not refuted.  PASS: at least one
    assertion passed (inconclusive rows, if any, are counted beside it).  INCONCLUSIVE: every
    assertion was inconclusive -- lack of evidence, never "violated"."""
    if not rows:
        return "NOTRUN"
    if any(r["verdict"] in ("fail", "not-refuted") for r in rows):
        return "FAIL"
    if any(r["verdict"] == "pass" for r in rows if r.get("control") is None):
        return "PASS"
    if any(r["verdict"] == "inconclusive" for r in rows):
        return "INCONCLUSIVE"
    if all(r["verdict"] == "info" for r in rows if r.get("control") is None):
        return "MEASURED"
    return "PASS"


@dataclass
class Stmt:
    """One statement's record (as carried in the payload) and its rows."""

    id: str
    record: dict[str, Any] | None
    rows: list[Row]

    @property
    def known(self) -> bool:
        return self.record is not None

    @property
    def verdict(self) -> str:
        return statement_verdict(self.rows)

    @property
    def asserted(self) -> list[Row]:
        """Assertions on the statement itself (no controls, no info rows)."""
        return [
            r
            for r in self.rows
            if r.get("control") is None and r["verdict"] in ("pass", "fail", "inconclusive")
        ]

    @property
    def passed(self) -> list[Row]:
        return [r for r in self.asserted if r["verdict"] == "pass"]

    @property
    def info(self) -> list[Row]:
        return [r for r in self.rows if r.get("control") is None and r["verdict"] == "info"]

    def control(self, control_id: str) -> list[Row]:
        return [r for r in self.rows if r.get("control") == control_id]

    def checks(self, pattern: str, *, info: bool | None = None) -> list[Row]:
        """Non-control rows whose check text matches ``pattern`` (a regular expression); only
        info rows (``info=True``), only assertions (``False``) or both (``None``)."""
        rx = re.compile(pattern)
        out = []
        for r in self.rows:
            if r.get("control") is not None or not rx.search(r["check"]):
                continue
            if info is None or (r["verdict"] == "info") == info:
                out.append(r)
        return out

    def binding(self) -> Row | None:
        """The assertion of largest tightness (the search's binding case)."""
        rows = [r for r in self.asserted if _num(r.get("tightness"))]
        return max(rows, key=lambda r: r["tightness"]) if rows else None

    def count(self) -> str:
        """``6/6 checks pass`` (with the inconclusive ones named)."""
        a = self.asserted
        n_inc = sum(r["verdict"] == "inconclusive" for r in a)
        s = f"{len(self.passed)}/{len(a)}"
        return s + (f", {n_inc} inconclusive" if n_inc else "")

    def resolution(self, pattern: str) -> str | None:
        """The first sentence of the first resolution item matching ``pattern``."""
        rx = re.compile(pattern, re.IGNORECASE)
        for item in (self.record or {}).get("resolution", []):
            if rx.search(item):
                first = _SENTENCE_END.split(item.strip(), maxsplit=1)[0]
                return first if len(first) <= 300 else first[:297] + "..."
        return None


@dataclass
class Evidence:
    """All statements of a payload, by id."""

    by_id: dict[str, Stmt]

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Evidence:
        rows: dict[str, list[Row]] = {}
        for r in payload.get("results", []):
            rows.setdefault(r["statement_id"], []).append(r)
        records = {s["id"]: s for s in payload.get("statements", [])}
        ids = list(records) + [i for i in rows if i not in records]
        return cls({i: Stmt(i, records.get(i), rows.get(i, [])) for i in ids})

    def __getitem__(self, sid: str) -> Stmt:
        return self.by_id.get(sid) or Stmt(sid, None, [])


@dataclass
class Decision:
    """What a rule makes of the rows: a status, a one-line reading with numbers (``says``, short
    enough for one line of the page), a longer reading (``detail``: counts, intervals, where), the
    rows it cites (with why), and the misprint a record resolves."""

    status: str
    says: str
    detail: str = ""
    cited: list[tuple[str, Row]] = field(default_factory=list)
    misprint: str | None = None


# ---------------------------------------------------------------------------------- the rules

Say = Callable[["Evidence"], "tuple[str, str]"]
Keys = Sequence["str | tuple[str, str]"]


def _join(*parts: str | None) -> str:
    return "; ".join(p for p in parts if p)


def _mean(v: Any) -> float | None:
    if isinstance(v, list) and v and all(_num(x) for x in v):
        return sum(v) / len(v)
    return None


def _as_float(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _p(r: Row, key: str) -> Any:
    return (r.get("params") or {}).get(key)


@dataclass(frozen=True)
class Bound:
    """Holds (or loose): the assertions of ``sid`` pass; the largest tightness (the search's
    binding case) decides whether the bound is loose (below ``loose_below``; ``None``: never
    called loose).  The reading names the tightness and where it was reached (``keys``)."""

    sid: str
    label: str = ""
    keys: Keys = ("n", "d", "l", "L")
    loose_below: float | None = LOOSE

    def decide(self, ev: Evidence) -> Decision:
        s = ev[self.sid]
        b = s.binding()
        says = f"{self.label}holds"
        detail = f"{self.label}holds ({s.count()} checks pass)"
        if b is None:
            return Decision("holds", says, detail)
        loose = self.loose_below is not None and b["tightness"] < self.loose_below
        where = at(b, self.keys)
        rel = f"{'≤' if loose else 'reaches'} {fmt(b['tightness'], 2)} of the bound" + (
            f" ({where})" if where else ""
        )
        margin = f", margin {fmt(b.get('margin'), 2)}" if _num(b.get("margin")) else ""
        return Decision(
            "loose" if loose else "holds",
            f"{says}, {rel}",
            f"{detail}; largest tightness {fmt(b['tightness'], 4)} at "
            f"{at(b, _all_keys(b))}{margin}",
            [("binding case", b)],
        )


def _all_keys(r: Row) -> list[str]:
    return [k for k, v in (r.get("params") or {}).items() if _num(v) or isinstance(v, str)][:6]


@dataclass(frozen=True)
class Holds:
    """Holds when the statements' assertions pass; ``say`` reads the numbers off their rows
    (a short and a long reading)."""

    sids: Sequence[str]
    say: Say | None = None

    def decide(self, ev: Evidence) -> Decision:
        counts = ", ".join(f"{s}: {ev[s].count()}" for s in self.sids if ev[s].rows)
        says, detail = self.say(ev) if self.say else ("holds", "holds")
        cited = [("check", ev[s].passed[0]) for s in self.sids if ev[s].passed]
        return Decision(
            "holds", says or "holds", _join(detail or says, f"checks passing: {counts}"), cited
        )


@dataclass(frozen=True)
class Counterexample:
    """Refuted when the printed claim, planted as control ``control`` of ``sid`` at a recorded
    case, is refuted; info rows of ``sid`` with tightness > 1 are further violations found by the
    search.  Without a refuted control the claim is judged by ``otherwise``."""

    sid: str
    control: str
    where: str = ""
    keys: Keys = ("n",)
    otherwise: Any = None

    def decide(self, ev: Evidence) -> Decision:
        s = ev[self.sid]
        refuted = [r for r in s.control(self.control) if r["verdict"] == "refuted"]
        rest = self.otherwise.decide(ev) if self.otherwise is not None else None
        if not refuted:
            if rest is not None:
                return rest
            return Decision("not run", f"no counterexample recorded (control {self.control})")
        # the recorded case first; certificate rows (extra["certificate"]) are cited after it
        certified = [x for x in refuted if isinstance(_extra(x, "certificate"), Mapping)]
        plain = [x for x in refuted if x not in certified]
        r = (plain or certified)[0]
        ratio = (
            r["measured"] / r["bound"]
            if _num(r.get("measured")) and _num(r.get("bound")) and r["bound"] > 0
            else None
        )
        head = f"counterexample{' ' + self.where if self.where else ''}: " + ", ".join(
            x for x in (at(r, self.keys), f"V = {ratio:.3f} × bound" if ratio else "") if x
        )
        viol = [
            x
            for x in s.info
            if _num(x.get("tightness"))
            and x["tightness"] > 1 + 1e-6
            and "supremum_reached" not in (x.get("extra") or {})
        ]
        says, detail = head, f"{head} (control '{self.control}', the printed claim there, refuted)"
        if certified:
            cn = sorted({_p(x, "n") for x in certified if _num(_p(x, "n"))})
            says += f"; certified in ball arithmetic for n = {span(cn)}" if cn else "; certified"
            detail += f"; {len(certified)} certificate(s) of the counterexample (Arb balls)"
        if viol:
            ns = [_p(x, "n") for x in viol]
            says += f"; {len(viol)} of {len(s.info)} searched H_0 violate it"
            detail += (
                f"; the search violates it at {len(viol)} of {len(s.info)} drawn H_0 "
                f"(n = {span(ns)}, up to {fmt(max(x['tightness'] for x in viol), 3)} × bound)"
            )
        cited = [("counterexample", r)] + [("violation", x) for x in viol[:3]]
        if rest is not None:
            cited += rest.cited
            if rest.status in ("holds", "loose"):
                detail = _join(detail, rest.detail)
        return Decision("refuted", says, detail, cited)


@dataclass(frozen=True)
class Misprint:
    """A misprint: the record ``sid`` says in its resolution that the printed form is wrong
    (``pattern``), and/or the printed form, planted as control ``printed`` = (statement id,
    control id), is refuted; the corrected form (``corrected``, a rule) holds.  The reading is
    ``what`` (or ``printed_say`` of the refuted control's rows), then the corrected form's,
    introduced by ``holds_form``.  Without either sign of a misprint the claim is judged by
    ``corrected`` alone."""

    sid: str
    what: str
    holds_form: str
    corrected: Any
    pattern: str | None = r"\bmisprint|\bprints\b|\bwrites\b"
    printed: tuple[str, str] | None = None
    printed_say: Callable[[list[Row]], str] | None = None

    def decide(self, ev: Evidence) -> Decision:
        note = ev[self.sid].resolution(self.pattern) if self.pattern else None
        refuted: list[Row] = []
        if self.printed is not None:
            ps, pc = self.printed
            refuted = [r for r in ev[ps].control(pc) if r["verdict"] == "refuted"]
        base = self.corrected.decide(ev)
        if base.status not in ("holds", "loose") or not (note or refuted):
            return base
        first = self.printed_say(refuted) if refuted and self.printed_say else self.what

        def corrected(text: str) -> str:
            if text.startswith("holds"):
                return f"{self.holds_form} holds{text[len('holds') :]}".strip()
            return f"{self.holds_form}: {text}" if self.holds_form else text

        detail = _join(
            first,
            f"printed form planted as control '{self.printed[1]}' and refuted in "
            f"{len(refuted)} rows"
            if refuted and self.printed
            else "",
            corrected(base.detail or base.says),
        )
        cited = [("printed form refuted", r) for r in refuted[:2]] + base.cited
        return Decision("misprint", _join(first, corrected(base.says)), detail, cited, note)


@dataclass(frozen=True)
class SharpConstant:
    """Loose: the record checks a sharper constant and its supremum search attains it (info rows
    with ``extra["supremum_reached"]`` >= :data:`ATTAINED` at every n), so the printed constant is
    loose by ``factor(n)`` (the printed constant over the sharp one)."""

    sid: str
    sharp: str
    printed: str
    factor: Callable[[int], float]

    def decide(self, ev: Evidence) -> Decision:
        s = ev[self.sid]
        sup = [r for r in s.info if _as_float(_extra(r, "supremum_reached")) is not None]
        if not sup:
            return Bound(self.sid, loose_below=None).decide(ev)
        reached = [_as_float(_extra(r, "supremum_reached")) or 0.0 for r in sup]
        ns = [n for n in (_p(r, "n") for r in sup) if _num(n) and n >= 2]
        worst = min(sup, key=lambda r: _as_float(_extra(r, "supremum_reached")) or 0.0)
        if min(reached) < ATTAINED:
            return Decision(
                "holds",
                f"holds; the sharp {self.sharp} is reached only to {frac(min(reached))}",
                f"holds ({s.count()}); the search reaches {frac(min(reached))} of the sharp "
                f"{self.sharp} (n = {span(ns)})",
                [("supremum reached", worst)],
            )
        factors = span([self.factor(int(n)) for n in ns], 2)
        says = (
            f"the sharp {self.sharp} is attained ({frac(min(reached))}, n = {span(ns)}): "
            f"the printed {self.printed} is loose ×{factors}"
        )
        detail = (
            f"holds ({s.count()} checks, in the sharp form); the search reaches "
            f"{frac(min(reached))} of the sharp constant {self.sharp} at every n = {span(ns)} "
            f"(no planted example), so the printed {self.printed} is loose by ×{factors}"
        )
        return Decision("loose", says, detail, [("supremum reached", worst)])


@dataclass(frozen=True)
class Custom:
    """A rule written out for one claim: ``fn(ev) -> Decision``."""

    fn: Callable[[Evidence], Decision]

    def decide(self, ev: Evidence) -> Decision:
        return self.fn(ev)


def _combine(*ds: Decision, says: str | None = None) -> Decision:
    """Several rules' decisions as one: the weakest status (loose before holds), the readings
    joined (or ``says``)."""
    order = {s: i for i, s in enumerate(("not run", "holds", "loose"))}
    live = [d for d in ds if d.status != "not run"] or list(ds)
    status = max(live, key=lambda d: order.get(d.status, 0)).status
    cited = [c for d in live for c in d.cited]
    return Decision(
        status,
        says or _join(*(d.says for d in live)),
        _join(*(d.detail or d.says for d in live)),
        cited,
    )


# ------------------------------------------------------- what each claim's rows say (curated)


def _theorem1_proved(ev: Evidence) -> Decision:
    fw = Bound("theorem-1/proved-alpha").decide(ev)
    mf = Bound("meanfield/proved-alpha", label="at d = ∞ ", keys=("n",)).decide(ev)
    d = _combine(fw, mf)
    b = ev["meanfield/proved-alpha"].binding()
    if b is not None and fw.status != "not run":
        d.says = f"{fw.says}; ≤ {fmt(b['tightness'], 2)} at d = ∞"
    return d


def _theorem1_scaling(ev: Evidence) -> Decision:
    s = ev["theorem-1/tightness"]
    dn = s.checks(r"vs width d", info=True)
    nn = s.checks(r"vs batch size n", info=True)
    rate = s.checks(r"transient", info=True)
    short: list[str] = []
    long: list[str] = []
    cited: list[tuple[str, Row]] = []
    ratios: list[float] = []
    if dn:
        short.append(f"plateau ~ d^{fmt(dn[0]['measured'], 2)} (sharp)")
        long.append(
            f"plateau of E[V] ~ d^{fmt(dn[0]['measured'], 3)} {_ci(dn[0])}: Eq. 3's d^−1/2 is sharp"
        )
        cited.append(("width exponent", dn[0]))
    if nn:
        r = nn[0]
        ratio = _extra(r, "plateau / (3n/(alpha sqrt d))", "stated") or []
        xs = _p(r, "x") or []
        short.append(f"but n^{fmt(r['measured'], 2)}")
        txt = f"but ~ n^{fmt(r['measured'], 3)} {_ci(r)} at d = 1024"
        if ratio and len(ratio) == len(xs) and all(_num(x) for x in ratio):
            ratios = list(ratio)
            short[-1] += f": {fmt(ratio[-1], 2)} of the width term at n = {xs[-1]}"
            txt += (
                f", so the plateau is {span(ratio, 2)} of Eq. 3's width term 3n/(α√d) "
                f"(stated α, certified) for n = {xs[0]}..{xs[-1]}"
            )
        long.append(txt)
        cited.append(("batch-size exponent", r))
    if rate:
        r = rate[0]
        obs = _extra(r, "observed factor") or []
        st = _extra(r, "1 - 2alpha/3", "stated") or []
        pr = _extra(r, "1 - 2alpha/3", "proved") or []
        mf = _extra(r, "1 - 2alpha/3", "mean-field") or []
        ns = _p(r, "n") or []
        if obs and st and pr and ns and len(obs) == len(st) == len(pr) == len(ns):
            short.append(f"decay {fmt(obs[-1], 2)}/layer vs 1 − 2α/3 = {fmt(st[-1], 2)}")
            long.append(
                "transient decay per layer "
                + ", ".join(
                    f"{fmt(o, 2)} vs 1 − 2α/3 = {fmt(a, 2)} / {fmt(b, 2)} (n = {n})"
                    for o, a, b, n in zip(obs, st, pr, ns)
                )
                + " (stated / proved α)"
                + (f"; mean-field n/(n+2) = {span(mf, 2)}" if mf else "")
            )
        cited.append(("transient rate", r))
    if not short:
        return Decision("not run", "no scaling measurement in this run")
    status = "loose" if ratios and max(ratios) < LOOSE else "holds"
    return Decision(status, "; ".join(short), _join(*long), cited)


def _a1(ev: Evidence) -> Decision:
    s = ev["assumption-a1/phase-diagram"]
    cells = s.passed
    short, long = [], []
    if cells:
        failed = sum(int(_as_float(_extra(r, "failed runs")) or 0) for r in cells)
        runs = sum(int(_p(r, "runs") or 0) for r in cells)
        ns = [_p(r, "n") for r in cells]
        hi = max(r["ci_high"] for r in cells if _num(r.get("ci_high")))
        eps = fmt(min(r["bound"] for r in cells), 1)
        short.append(
            f"{failed} of {runs} runs fail at d ≥ C n² (n = {span(ns)}; P ≤ {fmt(hi, 3)} ≤ {eps})"
        )
        long.append(
            f"A1(0.1 α0, L) failed in {failed} of {runs} runs over {len(cells)} cells d ≥ C n² "
            f"(n = {span(ns)}); Clopper-Pearson upper ends ≤ {fmt(hi, 3)} < ε = {eps}"
        )
    below = [r for c in ("holds-at-d=n", "holds-at-d=2n") for r in s.control(c)]
    if below and all(r["verdict"] == "refuted" for r in below):
        short.append("fails at d = n, 2n")
        long.append("A1 fails at d = n and d = 2n (controls refuted)")
    fits = s.checks(r"fitted boundary", info=True)
    if fits:
        short.append(f"boundary n^{span([r['measured'] for r in fits], 2)} vs 1.8")
        long.append(
            "fitted boundary d* ~ n^β, β = "
            + ", ".join(f"{fmt(r['measured'], 3)} {_ci(r)} ({_p(r, 'reading')})" for r in fits)
            + " vs the paper's 1.8"
        )
    return Decision(
        "holds", "; ".join(short), _join(*long), [("boundary cell", r) for r in cells[:1]]
    )


def _sigma_min_printed(rows: list[Row]) -> str:
    return f"P(s_min < √d − √n) = {span([r['measured'] for r in rows], 2)}, not 0"


def _whitening(ev: Evidence) -> tuple[str, str]:
    s = ev["sec-3.2/full-whitening"]
    bn = [r for r in s.control("bn-diagonal") if r["verdict"] == "refuted"]
    out = f"V = 0 to round-off ({len(s.passed)} matrices)"
    if bn:
        out += f"; BN's diagonal normalisation leaves V = {fmt(bn[0]['measured'], 2)}"
    return out, ""


def _w2_sharp(ev: Evidence) -> Decision:
    s = ev["w2/conditional-vs-gap"]
    sup = [r for r in s.passed if _num(_p(r, "fraction"))]
    if not sup:
        return Bound("w2/conditional-vs-gap", loose_below=None).decide(ev)
    fr = [r["params"]["fraction"] for r in sup]
    ns = [_p(r, "n") for r in sup]
    worst = min(sup, key=lambda r: r["params"]["fraction"])
    says = (
        f"sharp: reaches {frac(min(fr))} of the closed-form sup 2(n−1)(1 − √(1 − 1/n)), "
        f"n = {span(ns)}"
    )
    detail = (
        f"holds ({s.count()} checks); the search reaches {frac(min(fr))} of the closed-form "
        f"supremum of W2c/(n V²), 2(n−1)(1 − √(1 − 1/n)), at every n = {span(ns)}, without a "
        "planted example: the factor n is asymptotically sharp"
    )
    return Decision("holds", says, detail, [("supremum reached", worst)])


def _corollary3(ev: Evidence) -> Decision:
    ds = [Bound(f"corollary-3/{r}-alpha").decide(ev) for r in ("stated", "proved")]
    out = []
    for reading in ("stated", "proved"):
        b = ev[f"corollary-3/{reading}-alpha"].binding()
        if b is not None:
            out.append(f"{fmt(b['tightness'], 2)} ({reading} α)")
    d = _combine(*ds)
    d.says = "both forms hold, ≤ " + ", ".join(out) + " of the bound"
    return d


def _rates(ev: Evidence) -> Decision:
    t1, s41 = ev["table-1/width-rate"], ev["sec-4.1/width-rate"]
    r = (t1.passed or s41.passed or [None])[0]
    if r is None:
        return Decision("not run", "no width-rate measurement in this run")
    sharp = [x for x in t1.control("sharp-1/4") if x["verdict"] == "refuted"]
    short = [f"radius ~ d^−γ, γ = {fmt(r['measured'], 3)} {_ci(r)}"]
    long = [f"γ = {fmt(r['measured'], 3)} {_ci(r)} ({at(r, ('n', 'd1', 'd2', 'runs'))})"]
    ols = s41.checks(r"OLS", info=None)
    if ols:
        long.append(f"OLS over more widths {fmt(ols[0]['measured'], 3)} {_ci(ols[0])} (asymptotic)")
    if s41.passed:
        short.append("Sec. 4.1's 1/√d holds")
        long.append("Sec. 4.1's O(1/√width) holds (γ within 0.1 of 1/2)")
    if t1.passed:
        short.append("Table 1's d^−1/4 only as a weak bound")
        long.append(
            "Table 1's width^−1/4 holds only as an upper bound (γ ≥ 1/4)"
            + ("; read as the rate (γ = 1/4 ± 0.1) it is refuted" if sharp else "")
        )
    status = "loose" if t1.passed and sharp else "holds"
    cited = [("exponent", r)] + [("Table 1 as the rate", x) for x in sharp[:1]]
    return Decision(status, "; ".join(short), _join(*long), cited)


def _lemma8(ev: Evidence) -> Decision:
    t, sh = ev["lemma-8/two-thirds"], ev["lemma-8/sharp"]
    claimed = [r for r in t.info if _num(r.get("measured")) and _extra(r, "supremum_reached")]
    reached = [x for x in (_as_float(_extra(r, "supremum_reached")) for r in sh.info) if x]
    if not claimed or not reached:
        return Bound("lemma-8/two-thirds", loose_below=None).decide(ev)
    share = [r["measured"] for r in claimed]
    ns = [_p(r, "n") for r in claimed]
    says = (
        f"2/3 claims only {span(share, 2)} of the contraction achieved (n = {span(ns)}); "
        f"the sharp 2n/(n+2) is reached"
    )
    detail = (
        f"the 2/3 form holds ({t.count()} checks) but claims only {span(share, 3)} of the "
        f"contraction achieved (n = {span(ns)}); the sharp form (1 − 2n/(n+2) s_n²) is reached "
        f"to {frac(min(reached))} at every n ({sh.count()} checks)"
    )
    status = "loose" if max(share) < ATTAINED and min(reached) >= ATTAINED else "holds"
    return Decision(
        status, says, detail, [("claimed / achieved", min(claimed, key=lambda r: r["measured"]))]
    )


def _eq6_identity(ev: Evidence) -> tuple[str, str]:
    i, d = ev["orthogonalization/identity"], ev["orthogonalization/decrease"]
    b = d.binding()
    says = f"holds to round-off ({len(i.passed)} matrices)"
    if d.passed:
        says += f"; V(WH) ≤ V(H) ({len(d.passed)})"
    detail = f"holds to round-off ({i.count()} checks)"
    if d.rows:
        detail += f"; V(WH) ≤ V(H) ({d.count()} checks" + (
            f", largest ratio {frac(b['tightness'])})" if b else ")"
        )
    return says, detail


def _figure1(ev: Evidence) -> tuple[str, str]:
    f, v = ev["figure-1/cosine"], ev["vanilla/rank-collapse"]
    short, long = [], []
    for r in f.passed:
        bn = r["check"].startswith("BN")
        rel = "≤" if bn else "≥"
        short.append(
            f"{'BN' if bn else 'vanilla'} {fmt(r['measured'], 2)} {rel} {fmt(r['bound'], 2)}"
        )
        long.append(
            f"{'BN' if bn else 'vanilla'}: E|cos(H_{fmt(_p(r, 'L'))})| = {fmt(r['measured'], 3)} "
            f"{_ci(r)} {'≤' if bn else '≥'} {fmt(r['bound'], 3)} (d = {fmt(_p(r, 'd'))})"
        )
    says = ("E|cos| at layer 50: " + ", ".join(short)) if short else ""
    cos = [r for r in v.checks(r"cos") if r["verdict"] == "pass"]
    if cos:
        says = _join(
            says, f"vanilla rank one by L = 20d (E|cos| {span([r['measured'] for r in cos])})"
        )
        long.append(
            "vanilla collapses to rank one: E|cos| = "
            f"{span([r['measured'] for r in cos])} at L = 20d"
        )
    return says, _join(*long)


def _figure2a(ev: Evidence) -> tuple[str, str]:
    s = ev["figure-2a/transient-then-flat"]
    lin = [r for r in s.checks(r"linear over the transient") if r["verdict"] == "pass"]
    flat = [r for r in s.checks(r"flat") if r["verdict"] == "pass"]
    plat = [r for r in s.checks(r"plateau median") if r["verdict"] == "pass"]
    short, long = [], []
    if lin:
        short.append(
            f"log V linear (residual ≤ {fmt(max(r['measured'] for r in lin), 2)}), then flat"
        )
        slopes = [_p(r, "rate exp(slope)") for r in lin]
        long.append(
            "log V linear over the transient (max residual "
            f"{fmt(max(r['measured'] for r in lin), 3)}"
            f" ≤ 0.15; per-layer factor {span(slopes, 2)})"
        )
    if flat:
        drift = max(abs(r["measured"]) for r in flat)
        long.append(f"flat after it (drift ≤ {fmt(drift, 2)} of the plateau ≤ 0.1)")
    if plat:
        ds = [str(_p(r, "d")) for r in plat]
        short.append(
            f"plateau {span([r['tightness'] for r in plat], 2)} √(n/d) at d = {', '.join(ds)}"
        )
        levels = span([r["measured"] for r in plat], 3)
        ratios = span([r["tightness"] for r in plat], 3)
        long.append(f"plateau {levels} = {ratios} √(n/d) at d = {', '.join(ds)}")
    return "; ".join(short), _join(*long)


def _figure2b(ev: Evidence) -> tuple[str, str]:
    s = ev["figure-2b/width-exponent"]
    short, long = [], []
    for r in s.checks(r"exponent within", info=False)[:1]:
        short.append(f"plateau ~ d^{fmt(r['measured'], 3)} {_ci(r)}")
        long.append(
            f"plateau ~ d^{fmt(r['measured'], 3)} {_ci(r)} (caption's window, layers "
            "100..600; within 0.1 of −1/2)"
        )
    nb = s.checks(r"authors' notebook", info=True)
    if nb:
        short.append(f"the paper's −0.46 is the notebook's window ({fmt(nb[0]['measured'], 3)})")
        long.append(
            "least-squares slope in the notebook's window (layers 1..500): "
            f"{fmt(nb[0]['measured'], 3)} {_ci(nb[0])}, the paper's −0.46"
        )
    return "; ".join(short), _join(*long)


def _appendix_f(ev: Evidence) -> tuple[str, str]:
    f, f2 = ev["appendix-f/activation-floor"], ev["appendix-f2/odd-activation-decay"]
    ex = [r for r in f.checks(r"exponent within", info=False) if r["verdict"] == "pass"]
    short, long = [], []
    if ex:
        names = [
            r["check"].split(":")[0].replace("linear (mean-centred BN)", "centred BN") for r in ex
        ]
        short.append(
            f"floor ~ d^γ, γ = {span([r['measured'] for r in ex], 2)} ({', '.join(names)})"
        )
        long.append(
            "floor exponents "
            + ", ".join(f"{n} {fmt(r['measured'], 3)} {_ci(r)}" for n, r in zip(names, ex))
        )
    plat = [r for r in f2.checks(r"plateau median") if r["verdict"] == "pass"]
    if plat:
        short.append(f"odd φ: plateau {span([r['tightness'] for r in plat], 2)} √(n/d)")
        ratios = span([r["tightness"] for r in plat], 3)
        long.append(f"odd activations decay log-linearly, then plateau at {ratios} √(n/d)")
    return "; ".join(short), _join(*long)


def _means(d: Any, digits: int = 2, sep: str = " → ") -> str:
    if not isinstance(d, Mapping) or not d:
        return "?"
    try:
        keys = sorted(d, key=float)
    except (TypeError, ValueError):
        keys = list(d)
    return sep.join(fmt(d[k], digits) for k in keys)


def _keys(d: Any) -> str:
    try:
        return ", ".join(sorted(d, key=float)) if isinstance(d, Mapping) else ""
    except (TypeError, ValueError):
        return ", ".join(d)


def _fig4a(ev: Evidence) -> tuple[str, str]:
    g = ev["training/xavier-gap-grows-with-depth"]
    loss = ev["training/xavier-loss-worsens-with-depth"]
    short, long = [], []
    for r in g.passed[:1]:
        m = _extra(r, "gap_means")
        short.append(f"Xavier gap {_means(m)} (L = {_keys(m)})")
        long.append(
            f"Xavier's held-out gap at init {_means(m, 3)} (L = {_keys(m)}; paired median "
            "steps > 0)"
        )
    for r in loss.passed[:1]:
        m = _extra(r, "loss_means_xavier")
        short.append(f"loss {_means(m, 3)}")
        long.append(
            f"its loss after {fmt(_p(r, 'steps'))} SGD steps {_means(m, 3)} (L = {_keys(m)}; "
            f"paired median rise {fmt(r['measured'], 3)} {_ci(r)})"
        )
    return "; ".join(short), _join(*long)


def _fig4b(ev: Evidence) -> tuple[str, str]:
    for r in ev["training/sgd-lowers-gap"].passed[:1]:
        a = _as_float(_extra(r, "logit_gap_init_mean"))
        b = _as_float(_extra(r, "logit_gap_final_mean"))
        says = (
            f"Xavier, L = {fmt(_p(r, 'depth'))}: logit gap {fmt(a, 2)} → {fmt(b, 2)} in "
            f"{fmt(_p(r, 'steps'))} steps (median drop {fmt(r['measured'], 2)} {_ci(r, 2)})"
        )
        return says, f"{says}, {fmt(_p(r, 'seeds'))} paired seeds"
    return "", ""


def _fig5(ev: Evidence) -> tuple[str, str]:
    g = ev["training/orthogonalization-lowers-gap"]
    t = ev["training/orthogonalization-trains-faster"]
    short, long = [], []
    for r in g.passed[:1]:
        m = _extra(r, "gap_means_held_out") or {}
        short.append(
            f"gap {_means(m.get('authors'), 2, '/')} vs Xavier {_means(m.get('xavier'), 2, '/')}"
        )
        long.append(
            f"held-out gap at init {_means(m.get('authors'), 3)} vs Xavier "
            f"{_means(m.get('xavier'), 3)} (L = {_keys(m.get('xavier'))})"
        )
    for r in t.passed[:1]:
        la, lx = _mean(_extra(r, "loss_authors")), _mean(_extra(r, "loss_xavier"))
        short.append(f"loss at L = {fmt(_p(r, 'depth'))}: {fmt(la, 2)} vs {fmt(lx, 3)}")
        long.append(
            f"loss after {fmt(_p(r, 'steps'))} steps at L = {fmt(_p(r, 'depth'))}: {fmt(la, 3)} vs "
            f"Xavier {fmt(lx, 3)} (paired median gain {fmt(r['measured'], 3)} {_ci(r)})"
        )
    return "; ".join(short), _join(*long)


def _eq6_training_printed(rows: list[Row]) -> str:
    r = rows[0]
    return (
        f"as printed {fmt(_extra(r, 'eq6_diverged'))}/{fmt(_p(r, 'seeds'))} runs diverge at "
        f"L = {fmt(_p(r, 'depth'))}"
    )


def _eq6_training_holds(ev: Evidence) -> tuple[str, str]:
    for r in ev["training/orthogonalization-trains-faster"].passed[:1]:
        la, lx = _mean(_extra(r, "loss_authors")), _mean(_extra(r, "loss_xavier"))
        return f"loss {fmt(la, 2)} vs {fmt(lx, 3)}", f"loss {fmt(la, 3)} vs Xavier {fmt(lx, 3)}"
    return "", ""


def _lemma6_printed(rows: list[Row]) -> str:
    det = [r for r in rows if "sum_i p_i" in r["check"]] or rows
    return f"printed σ_n: Σ p_i − 1 = {span([r['measured'] for r in det], 2)} ≠ 0"


def _tuple(fn: Callable[[Evidence], str]) -> Say:
    return lambda ev: (fn(ev), "")


# ------------------------------------------------------------------------------- the claims


@dataclass(frozen=True)
class Claim:
    """One claim of the paper: where it is, how it reads, which statements bear on it, and the
    rule that turns their rows into a status."""

    id: str
    location: str
    reading: str
    claim: str
    statements: tuple[str, ...]
    rule: Any


CLAIMS: tuple[Claim, ...] = (
    Claim(
        "theorem-1/alpha-stated",
        "Theorem 1, Eq. 3",
        "α = σ_min (as stated)",
        "under A1(α, l), E V(H_{l+1}) ≤ 2(1 − 2α/3)^l + 3n/(α√d), α a lower bound on σ_min(H_k)",
        (
            "meanfield/stated-alpha",
            "theorem-1/stated-alpha",
            "meanfield/convergence",
            "meanfield/linearisation",
        ),
        Counterexample(
            "meanfield/stated-alpha",
            "holds-in-the-limit",
            where="at d = ∞",
            keys=("n", ("worst layer l", "layer")),
            otherwise=Bound("theorem-1/stated-alpha", label="at finite width it "),
        ),
    ),
    Claim(
        "theorem-1/alpha-proved",
        "Theorem 1, Eq. 3",
        "α = σ_min² (as proved)",
        "Eq. 3 with α a lower bound on σ_min(H_k)², the reading the v1 proof supports",
        ("theorem-1/proved-alpha", "meanfield/proved-alpha"),
        Custom(_theorem1_proved),
    ),
    Claim(
        "theorem-1/scaling",
        "Theorem 1, Sec. 3",
        "how Eq. 3 scales",
        "the gap decays by 1 − 2α/3 per layer down to a floor 3n/(α√d)",
        ("theorem-1/tightness",),
        Custom(_theorem1_scaling),
    ),
    Claim(
        "sec-3.2/full-whitening",
        "Sec. 3.2",
        "full whitening",
        "replacing diag(M)^−1 by M^−1 in BN makes representations exactly orthogonal",
        ("sec-3.2/full-whitening",),
        Holds(("sec-3.2/full-whitening",), _whitening),
    ),
    Claim(
        "assumption-a1",
        "Assumption A1, Fig. 3",
        "d = Ω(n²)",
        "A1(0.1 α0, L) holds for d = Ω(n²); the boundary is d = (n − 28)^1.8",
        ("assumption-a1/phase-diagram",),
        Custom(_a1),
    ),
    Claim(
        "sec-3.3/sigma-min",
        "Sec. 3.3",
        "σ_min of a Gaussian H_0",
        "the minimum singular value of a Gaussian H_0 is greater than √d − √n",
        ("assumption-a1/gaussian-sigma-min",),
        Misprint(
            "assumption-a1/gaussian-sigma-min",
            "not surely",
            "in mean and tails it",
            Bound("assumption-a1/gaussian-sigma-min", keys=("n", "d"), loose_below=None),
            pattern=r"printed sentence is not true",
            printed=("assumption-a1/gaussian-sigma-min", "literal"),
            printed_say=_sigma_min_printed,
        ),
    ),
    Claim(
        "figure-1",
        "Fig. 1, Sec. 3.1",
        "BN vs vanilla",
        "BN drives |cos| between samples down to ~1/√d; without BN they align (rank one)",
        ("figure-1/cosine", "vanilla/rank-collapse"),
        Holds(("figure-1/cosine", "vanilla/rank-collapse"), _figure1),
    ),
    Claim(
        "figure-2a",
        "Fig. 2a",
        "decay, then flat",
        "log V decreases linearly over the first layers, then wiggles around a small constant",
        ("figure-2a/transient-then-flat",),
        Holds(("figure-2a/transient-then-flat",), _figure2a),
    ),
    Claim(
        "figure-2b",
        "Fig. 2b",
        "plateau ~ d^−1/2",
        "the O(1/√d) width dependence of Theorem 1 is almost tight (slope −0.46)",
        ("figure-2b/width-exponent",),
        Holds(("figure-2b/width-exponent",), _figure2b),
    ),
    Claim(
        "lemma-2",
        "Lemma 2, Eq. 4",
        "Gaussian approximation",
        "W2(W_l H_l, G/√n)² ≤ 2n E V(H_l)",
        ("lemma-2", "w2/lemma2-core"),
        Bound("lemma-2", keys=("n", "d", "l")),
    ),
    Claim(
        "lemma-2/proof-step",
        "Lemma 2's proof, App. D",
        "W2c ≤ n V²",
        "the conditional W2² given H is at most n V(H)²",
        ("w2/conditional-vs-gap",),
        Custom(_w2_sharp),
    ),
    Claim(
        "corollary-3",
        "Corollary 3, Eq. 5",
        "both readings of α",
        "W2² ≤ 4n(1 − 2α/3)^l + 6n²/(α√d) under A1(α, l)",
        ("corollary-3/stated-alpha", "corollary-3/proved-alpha"),
        Misprint(
            "corollary-3/stated-alpha",
            "Eq. 5 prints ^l, derivable is ^(l−1)",
            "",
            Custom(_corollary3),
            pattern=r"misprint",
        ),
    ),
    Claim(
        "table-1/sec-4.1",
        "Table 1 vs Sec. 4.1",
        "W2 radius vs width",
        "the W2 radius shrinks like width^−1/4 (Table 1), O(1/√width) (Sec. 4.1)",
        ("table-1/width-rate", "sec-4.1/width-rate"),
        Custom(_rates),
    ),
    Claim(
        "figure-4a",
        "Sec. 5.1, Fig. 4a",
        "depth slows SGD",
        "with Xavier init the initial gap grows with depth, and so does the loss after training",
        ("training/xavier-gap-grows-with-depth", "training/xavier-loss-worsens-with-depth"),
        Holds(
            ("training/xavier-gap-grows-with-depth", "training/xavier-loss-worsens-with-depth"),
            _fig4a,
        ),
    ),
    Claim(
        "figure-4b",
        "Sec. 5.1, Fig. 4b",
        "SGD orthogonalizes",
        "SGD iteratively lowers the orthogonality gap of the output",
        ("training/sgd-lowers-gap",),
        Holds(("training/sgd-lowers-gap",), _fig4b),
    ),
    Claim(
        "figure-5",
        "Sec. 5.2, Fig. 5",
        "orthogonal init (authors' code)",
        "an init with orthogonal representations lowers the gap and trains faster than Xavier",
        ("training/orthogonalization-lowers-gap", "training/orthogonalization-trains-faster"),
        Holds(
            ("training/orthogonalization-lowers-gap", "training/orthogonalization-trains-faster"),
            _fig5,
        ),
    ),
    Claim(
        "eq-6/training",
        "Sec. 5.2, Eq. 6",
        "as printed, as the init",
        "initialising each layer by Eq. 6 (Σ^−1/2, orthogonal V') accelerates SGD",
        ("training/eq6-as-printed-trains-worse", "training/orthogonalization-trains-faster"),
        Misprint(
            "training/eq6-as-printed-trains-worse",
            "Eq. 6 as printed does not train",
            "the notebook's form (Σ^−1, row-slice V')",
            Holds(("training/orthogonalization-trains-faster",), _eq6_training_holds),
            pattern=None,
            printed=("training/eq6-as-printed-trains-worse", "eq6-beats-xavier"),
            printed_say=_eq6_training_printed,
        ),
    ),
    Claim(
        "drift",
        "App. B, Thm 5 (v1)",
        "drift inequality",
        "E V̂(H_{l+1}) ≤ (1 − 2/3 s_n²) V̂(H_l) + 1/√d",
        ("drift/one-step",),
        Bound("drift/one-step", keys=("n", "d")),
    ),
    Claim(
        "lemma-4",
        "App. B, Lemma 4",
        "V ≤ 2n V̂",
        "the gap is at most 2n times the Lyapunov function V̂",
        ("lemma-4/gap-vs-lyapunov",),
        SharpConstant(
            "lemma-4/gap-vs-lyapunov",
            "√(n(n−1))",
            "2n",
            lambda n: 2 * n / math.sqrt(n * (n - 1)),
        ),
    ),
    Claim(
        "lemma-6/mean",
        "App. C, Lemma 6",
        "E_W C (Sawa's p)",
        "E_W C = Q diag(p) Q^T, with σ_n in the numerator of p_i (as printed)",
        ("lemma-6/sawa-oracle",),
        Misprint(
            "lemma-6/sawa-oracle",
            "v1 prints σ_n in p_i",
            "with σ_i (derived) it",
            Holds(("lemma-6/sawa-oracle",)),
            printed=("lemma-6/sawa-oracle", "printed-sigma-n"),
            printed_say=_lemma6_printed,
        ),
    ),
    Claim(
        "lemma-6/concentration",
        "App. C, Lemma 6",
        "concentration",
        "E ||C − E C||_F² ≤ 1/d",
        ("lemma-6/concentration",),
        Bound("lemma-6/concentration", keys=("n", "d")),
    ),
    Claim(
        "lemma-7",
        "App. C, Lemma 7",
        "Lyapunov concentration",
        "E (V̂(H_{l+1}) − (1/n − p_n))² ≤ 1/d",
        ("lemma-7/lyapunov-concentration",),
        Bound("lemma-7/lyapunov-concentration", keys=("n", "d")),
    ),
    Claim(
        "lemma-8",
        "App. C, Lemma 8",
        "contraction 2/3",
        "1/n − p_n ≤ (1 − 2/3 s_n²) V̂",
        ("lemma-8/two-thirds", "lemma-8/sharp"),
        Custom(_lemma8),
    ),
    Claim(
        "no-a1/cesaro",
        "App. B.1 (v1)",
        "without A1",
        "the Cesàro mean of V̂(1/n − V̂) decays up to a width term 2/√d (as printed)",
        ("no-a1/cesaro",),
        Misprint(
            "no-a1/cesaro",
            "v1 writes 2/√d",
            "with 1/√d (derivable) it",
            Bound("no-a1/cesaro", keys=("n", "d", "l")),
        ),
    ),
    Claim(
        "eq-6/identity",
        "Eq. 6, App. E",
        "iterative orthogonalization",
        "V(WH) = 1/(Σ s_i)² − 1/n (as printed), and the whitening lowers the gap",
        ("orthogonalization/identity", "orthogonalization/decrease"),
        Misprint(
            "orthogonalization/identity",
            "App. E prints V(WH) for V(WH)²",
            "the squared identity",
            Holds(("orthogonalization/identity", "orthogonalization/decrease"), _eq6_identity),
        ),
    ),
    Claim(
        "appendix-f",
        "App. F (v1), App. G",
        "activations (conjecture)",
        "with activations the gap still decays to an O(d^−1/2) floor; odd ones decay exponentially",
        ("appendix-f/activation-floor", "appendix-f2/odd-activation-decay"),
        Holds(("appendix-f/activation-floor", "appendix-f2/odd-activation-decay"), _appendix_f),
    ),
)

#: Registered statements that are not claims of the paper: the suite's own foundations and
#: options, and the follow-up papers' theorems (the line of work; listed under the table, so
#: that nothing registered goes unaccounted for).
NOT_PAPER_CLAIMS: dict[str, str] = {
    "sampler/exact-in-law": "the suite's reduced sampler (a foundation of the checks)",
    "training/deep-training-stays-finite": "an option of this project (Eq. 6, 'balanced' scale)",
    # the line of work (issue 19): follow-up papers' theorems, each tied to the 2021 claim it
    # bears on (the record's extra["bears on (2021)"]); reported in their own report groups
    "rank-collapse-2020/soft-rank-identity": "line of work, NeurIPS 2020 (soft rank = "
    "1/(V^2 + 1/n)); bears on Eq. 2 and Theorem 1 (theorem-1/scaling, figure-1)",
    "rank-collapse-2020/average-soft-rank": "line of work, NeurIPS 2020 (Theorem 2: with "
    "weights I + gamma W and n = d, BN keeps the depth-averaged soft rank >= 0.75 sqrt(d), in "
    "the issue's and the repository's readings; the vanilla chain collapses); bears on Theorem "
    "1 and Eq. 2 (theorem-1/scaling, figure-1)",
    "rank-collapse-2020/exponent": "line of work, NeurIPS 2020 (measured: the exponent of the "
    "depth-averaged soft rank in d, ~0.58 against the theorem's 1/2; info); bears on Theorem "
    "1's width dependence (theorem-1/scaling)",
    "isometry-2023/normalisation": "line of work, NeurIPS 2023 (isometry under normalisation); "
    "bears on Sec. 3.2 and Theorem 1 (sec-3.2/full-whitening, theorem-1/scaling)",
    "isometry-2023/ln-contraction-meanfield": "line of work, NeurIPS 2023 (LN after the "
    "activation: the pair potential contracts by 2 - beta_0 per layer at infinite width; "
    "certified for relu, tanh, sigmoid, exp, GELU, SELU; without centring refuted); bears on "
    "App. F (appendix-f/activation-floor) and Theorem 1 (theorem-1/scaling)",
    "isometry-2023/ln-contraction-finite-width": "line of work, NeurIPS 2023 (the same rate "
    "measured at width 64-128, n = 2, over 1-6 layers: holds above the noise floor; fails for "
    "the max over pairs at n = 4, at d = 16, rho_0 = 0.2, and for exp at d = 64 over 8 layers); "
    "bears on App. F (appendix-f/activation-floor)",
    "kernel-map-2025/case-4-as-printed": "line of work, AISTATS 2025 (kernel map, Theorem 1 "
    "case 4 as printed: refuted); bears on App. F (appendix-f)",
    "kernel-map-2025/case-4-corrected": "line of work, AISTATS 2025 (case 4 with the factor its "
    "proof derives); bears on App. F (appendix-f)",
    "kernel-map-2025/table-1": "line of work, AISTATS 2025 (Table 1 recomputed: 57 of 63 cells "
    "match; ReLU's row, exp's alpha, SELU's kappa'(1) do not); bears on App. F (appendix-f)",
    "kernel-map-2025/relu-case-2-as-printed": "line of work, AISTATS 2025 (ReLU filed under case "
    "2 with 0.95: refuted, kappa'(1) = 1); bears on App. F.2 (appendix-f)",
    "kernel-map-2025/case-3-relu": "line of work, AISTATS 2025 (ReLU and exp under case 3: "
    "holds); bears on App. F (appendix-f)",
    "kernel-map-2025/corollary-2-conditions": "line of work, AISTATS 2025 (Corollary 2's 'ReLU "
    "and sigmoid': sigmoid only); bears on App. F (appendix-f)",
    "kernel-map-2025/corollary-2-depth": "line of work, AISTATS 2025 (Corollary 2's depth: "
    "|rho_0 - 1| dropped; the float32 remark's 88 is not float32's precision); bears on App. F "
    "and Fig. 1 (appendix-f, figure-1)",
    "kernel-map-2025/case-1-polynomial": "line of work, AISTATS 2025 (Theorem 1 case 1, "
    "kappa(0) = 0, over polynomial kernels: holds, supremum 1 approached, binding case "
    "certified); bears on App. F (appendix-f)",
    "kernel-map-2025/case-2-polynomial": "line of work, AISTATS 2025 (Theorem 1 case 2, "
    "kappa'(1) < 1, over polynomial kernels: holds, supremum 1 approached, binding case "
    "certified); bears on App. F and Fig. 1 (appendix-f, figure-1)",
    "kernel-map-2025/case-3-polynomial": "line of work, AISTATS 2025 (Theorem 1 case 3, "
    "kappa'(1) = 1, over polynomial kernels: holds, supremum 1 approached, binding case "
    "certified); bears on App. F (appendix-f)",
    "bn-depth-2024/haar-reduced-sampler": "line of work, ICLR 2024 (Haar weights: W H "
    "=d U R, the exact reduced sampler); bears on the suite's sampler (sampler/exact-in-law)",
    "bn-depth-2024/gap-monotone": "line of work, ICLR 2024 (Haar weights, n = d: the "
    "isometry gap never increases, surely); bears on Theorem 1 and Sec. 3.2 (theorem-1/scaling, "
    "sec-3.2/full-whitening)",
    "bn-depth-2024/notebook-constant": "line of work, ICLR 2024 (the notebook's C = "
    "0.015: refuted for d <= 32; an absolute constant C = 1/2 holds); bears on Theorem 1 "
    "(theorem-1/scaling)",
    "bn-depth-2024/one-step-rate": "line of work, ICLR 2024 (measured: E phi_1/phi_0 -> "
    "d/(d + 2) near isometry); bears on the mean-field linearisation and Theorem 1 "
    "(theorem-1/scaling)",
    "bn-depth-2024/gradient-bounded": "line of work, ICLR 2024 (Haar weights, n = d: the "
    "first layer's gradient does not explode with depth; Gaussian weights refuted); bears on "
    "Sec. 5's slowdown with depth (training/xavier-loss-worsens-with-depth)",
    "bn-depth-2024/gaussian-gradient-growth": "line of work, ICLR 2024 (measured: with Gaussian "
    "weights BN's first-layer gradient grows with depth); bears on Sec. 5's slowdown with depth "
    "(training/xavier-loss-worsens-with-depth)",
    "kernel-map-2025/app-f-limit": "line of work, AISTATS 2025 kernel map against the 2021 "
    "App. F chain (certified: the chain's infinite-width limit is the batch BN map's fixed "
    "point, cosine 0.2906 for ReLU, 0 for tanh/sin, -1/3 with centring at n = 4; the AISTATS "
    "fixed point agrees only for tanh/sin without centring); bears on App. F (appendix-f)",
    "kernel-map-2025/app-f-finite-width": "line of work, AISTATS 2025 kernel map against the "
    "2021 App. F chain (measured: the finite chain's mean cosine goes to the batch map's limit "
    "with an O(1/d) term; the AISTATS, wrong-centring and linear limits refuted); bears on "
    "App. F (appendix-f)",
}


# ------------------------------------------------------------------------------- the table


def claim_statement_ids() -> set[str]:
    """Every statement id the curated table names."""
    return {sid for c in CLAIMS for sid in c.statements}


def validate_claims(known: Iterable[str]) -> None:
    """Raise ``ValueError`` when the curated table names a statement id that is not in
    ``known`` (the registry's ids), or lists a statement both as a claim and as not one."""
    known = set(known)
    unknown = sorted((claim_statement_ids() | set(NOT_PAPER_CLAIMS)) - known)
    if unknown:
        raise ValueError(f"the findings table names unknown statement ids: {unknown}")
    both = sorted(claim_statement_ids() & set(NOT_PAPER_CLAIMS))
    if both:
        raise ValueError(f"statement ids listed as claims and as not claims: {both}")
    ids = [c.id for c in CLAIMS]
    if len(ids) != len(set(ids)):
        raise ValueError("claim ids in the findings table are not unique")


def _certificates(ev: Evidence, claim: Claim, refuting: set[tuple[str, str]]) -> dict[str, Any]:
    """Certificates (``extra["certificate"]``) on the claim's rows: those on the statements' own
    rows, and those on controls that encode the printed claim (a certified refutation of such a
    control refutes the claim).  Controls that are planted false variants are left out."""
    out: dict[str, list[Row]] = {k: [] for k in CERTIFICATE_OUTCOMES}
    for sid in claim.statements:
        for r in ev[sid].rows:
            cert = _extra(r, "certificate")
            if not isinstance(cert, Mapping) or cert.get("outcome") not in CERTIFICATE_OUTCOMES:
                continue
            c = r.get("control")
            if c is None:
                out[cert["outcome"]].append(r)
            elif (sid, c) in refuting and (
                cert["outcome"] == "refuted"
                # a certified counterexample: the control that encodes the printed claim is
                # refuted because the certificate of "V > bound" is certified
                or (cert["outcome"] == "certified" and r.get("verdict") == "refuted")
            ):
                out["refuted"].append(r)
    return out


def _refuting_controls(rule: Any) -> set[tuple[str, str]]:
    if isinstance(rule, Counterexample):
        return {(rule.sid, rule.control)}
    return set()


def _row_summary(why: str, r: Row) -> dict[str, Any]:
    out = {
        "why": why,
        "statement_id": r["statement_id"],
        "check": r["check"],
        "control": r.get("control"),
        "verdict": r["verdict"],
        "measured": r.get("measured"),
        "ci": [r.get("ci_low"), r.get("ci_high")],
        "bound": r.get("bound"),
        "margin": r.get("margin"),
        "tightness": r.get("tightness"),
        "params": _scalars(r.get("params") or {}),
        "seed": r.get("seed"),
        "nodeid": r.get("nodeid"),
        "replay": r.get("replay"),
    }
    cert = _extra(r, "certificate")
    if isinstance(cert, Mapping):
        out["certificate"] = dict(cert)
    return out


def _statement_summary(s: Stmt) -> dict[str, Any]:
    ctrl = [r for r in s.rows if r.get("control") is not None]
    b = s.binding()
    return {
        "id": s.id,
        "title": (s.record or {}).get("title"),
        "source": (s.record or {}).get("source"),
        "registered": s.known,
        "verdict": s.verdict,
        "anchor": f"#{s.id}",
        "checks": len(s.asserted),
        "passed": len(s.passed),
        "inconclusive": sum(r["verdict"] == "inconclusive" for r in s.asserted),
        "failed": sum(r["verdict"] == "fail" for r in s.asserted),
        "info": len(s.info),
        "controls_refuted": sum(r["verdict"] == "refuted" for r in ctrl),
        "controls_run": len(ctrl),
        "max_tightness": b["tightness"] if b else None,
    }


def decide(claim: Claim, ev: Evidence) -> tuple[Decision, dict[str, Any]]:
    """A claim's status and reading: its rule's, unless a certificate refutes it, or a statement
    bearing on it failed (``fails``), was inconclusive, or did not run (a counterexample stands
    whatever else the rows say)."""
    stmts = [ev[s] for s in claim.statements]
    unknown = [s.id for s in stmts if not s.known]
    certs = _certificates(ev, claim, _refuting_controls(claim.rule))
    try:
        d = claim.rule.decide(ev)
    except Exception as e:  # a row of an unexpected shape must not take the report down
        d = Decision(
            "inconclusive",
            f"the findings rule could not read the rows ({type(e).__name__}: {e})",
            f"theory.findings rule for {claim.id!r} raised {e!r}; see the statement sections",
        )
    if certs["refuted"]:
        r = certs["refuted"][0]
        what = f"a certificate refutes it ({r['statement_id']}: {r['check']})"
        d = Decision(
            "refuted",
            d.says if d.status == "refuted" else what,
            _join(what, d.detail if d.status == "refuted" else ""),
            [("certified refutation", r)] + d.cited,
        )
    if d.status != "refuted":
        verdicts = [s.verdict for s in stmts if s.known]
        if unknown:
            d = Decision("not run", f"not in this payload: {', '.join(unknown)}")
        elif "FAIL" in verdicts:
            bad = [s.id for s in stmts if s.verdict == "FAIL"]
            rows = [r for s in stmts for r in s.rows if r["verdict"] in ("fail", "not-refuted")]
            d = Decision(
                "fails",
                f"failing: {', '.join(bad)} (see the failures)",
                f"{len(rows)} rows failed or left a control unrefuted: "
                + "; ".join(f"{r['statement_id']}: {r['check']}" for r in rows[:3]),
                [("failed", r) for r in rows[:3]],
            )
        elif all(v == "NOTRUN" for v in verdicts):
            d = Decision("not run", "no check bearing on it ran in this session")
        elif "INCONCLUSIVE" in verdicts:
            inc = [s.id for s in stmts if s.verdict == "INCONCLUSIVE"]
            d = Decision("inconclusive", f"inconclusive: {', '.join(inc)}", d.detail, d.cited)
    certified = bool(certs["certified"]) and not certs["not certified"] and not certs["refuted"]
    cert_info = {k: len(v) for k, v in certs.items()}
    if d.status == "refuted" and certs["refuted"]:
        label = "refuted (certified)"
    elif d.status == "holds" and certified:
        label = "certified"
    elif d.status in ("loose", "misprint") and certified:
        label = f"{d.status} (certified)"
    else:
        label = d.status
    if certs["certified"] and d.status in ("holds", "loose", "misprint"):
        d.detail = _join(d.detail, f"{len(certs['certified'])} row(s) certified")
    if certs["not certified"] and d.status in ("holds", "loose", "misprint"):
        d.detail = _join(d.detail, f"{len(certs['not certified'])} certificate(s) not certified")
    return d, {"label": label, "certificates": cert_info if any(cert_info.values()) else None}


def build_findings(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The findings table of a payload (JSON-serialisable): one entry per claim of
    :data:`CLAIMS`, in the paper's order, with its status, a one-line reading with numbers, the
    statements that bear on it (anchors into the page) and the rows it cites."""
    ev = Evidence.from_payload(payload)
    registered = {s["id"] for s in payload.get("statements", [])}
    claims = []
    for c in CLAIMS:
        d, extra = decide(c, ev)
        claims.append(
            {
                "id": c.id,
                "location": c.location,
                "reading": c.reading,
                "claim": c.claim,
                "status": d.status,
                "label": extra["label"],
                "says": d.says,
                "detail": d.detail or d.says,
                "misprint": d.misprint,
                "certificates": extra["certificates"],
                "statements": [_statement_summary(ev[s]) for s in c.statements],
                "evidence": [_row_summary(why, r) for why, r in d.cited if r is not None],
            }
        )
    named = claim_statement_ids() | set(NOT_PAPER_CLAIMS)
    h = payload.get("header", {})
    return {
        "title": "What the paper claims, and what the data say",
        "paper": "Daneshmand, Joudaki, Bach, 'Batch Normalization Orthogonalizes "
        "Representations in Deep Random Networks', NeurIPS 2021",
        "run": {k: h.get(k) for k in ("profile", "backend", "device", "git_commit", "started")},
        "statuses": STATUS_MEANING,
        "loose_below": LOOSE,
        "counts": {s: sum(c["status"] == s for c in claims) for s in STATUSES},
        "claims": claims,
        "not_paper_claims": [
            {"id": k, "why": v, "registered": k in registered} for k, v in NOT_PAPER_CLAIMS.items()
        ],
        "unaccounted_statements": sorted(registered - named),
        "unknown_statement_ids": sorted(named - registered) if registered else sorted(named),
    }


def safe_findings(payload: Mapping[str, Any]) -> dict[str, Any]:
    """:func:`build_findings`, or, if it raises, a table with no claims that names the error:
    the report is written whatever this module makes of a payload."""
    try:
        return build_findings(payload)
    except Exception as e:  # reported in the page and in findings.json
        return {
            "title": "What the paper claims, and what the data say",
            "error": f"{type(e).__name__}: {e}",
            "statuses": STATUS_MEANING,
            "counts": {},
            "claims": [],
        }


def findings_markdown(findings: Mapping[str, Any]) -> str:
    """The findings table as markdown (``python -m theory.report results.json --findings``)."""
    out = [
        "| paper | claim | status | what the data say | statements |",
        "| --- | --- | --- | --- | --- |",
    ]
    for c in findings["claims"]:
        ids = ", ".join(f"`{s['id']}`" for s in c["statements"])
        says = c["says"].replace("|", "\\|")
        out.append(f"| {c['location']} | {c['reading']} | **{c['label']}** | {says} | {ids} |")
    return "\n".join(out)
