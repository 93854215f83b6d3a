"""Per-claim entry points and :func:`certify_all`: lists of certificates keyed by claim id.

Claim ids follow the suite's statement ids (``theory/statements``); the planted false claims
(controls) are separate (:func:`certify_controls`): each must come out ``"refuted"`` or ``"not
certified"``, never ``"certified"`` (``details["planted"]`` is True on them).

``thorough=False`` (the default, ~50 s on one core, 2/3 of it Lemma 8 at n = 4) runs the 2F1 counterexample for every
n = 5..32, Sawa's integral at n = 8 and 20 and on the three-level ``H_0``, and the branch and
bound for n = 2..4; ``thorough=True`` adds Sawa's integral for every n = 5..32 and the
two-level-vs-integral cross-check at every n, Lemma 4 and W2 up to n = 6 (~4 min).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from fractions import Fraction

from . import lemmas, linearisation, meanfield
from ._core import Certificate

MEANFIELD_NS = tuple(range(5, 33))
SMALL_NS = (2, 3, 4)
FAST_INTEGRAL_NS = (8, 20)


@functools.lru_cache(maxsize=128)
def _pair(n: int | None, method: str, three_level: bool = False) -> tuple[Certificate, Certificate]:
    if three_level:
        return meanfield.certify_three_level()
    return meanfield.certify_meanfield(n, method=method)


def stated_alpha(thorough: bool = False) -> list[Certificate]:
    """``meanfield/stated-alpha``: the certified first failing layer for every n = 5..32 (2F1;
    also Sawa's integral at n = 8, 20, or every n when thorough) and on the three-level ``H_0``
    (integral)."""
    out = [_pair(n, "2f1")[0] for n in MEANFIELD_NS]
    for n in MEANFIELD_NS if thorough else FAST_INTEGRAL_NS:
        out.append(_pair(n, "integral")[0])
    out.append(_pair(None, "integral", True)[0])
    return out


def proved_alpha(thorough: bool = False) -> list[Certificate]:
    """``meanfield/proved-alpha``: the proved reading on the same trajectories."""
    out = [_pair(n, "2f1")[1] for n in MEANFIELD_NS]
    for n in MEANFIELD_NS if thorough else FAST_INTEGRAL_NS:
        out.append(_pair(n, "integral")[1])
    out.append(_pair(None, "integral", True)[1])
    return out


def two_level_vs_integral(thorough: bool = False) -> list[Certificate]:
    """``meanfield/two-level-vs-integral``: the two evaluations agree layer by layer."""
    return [meanfield.certify_agreement(n) for n in (MEANFIELD_NS if thorough else (5, 8, 20))]


def linearisation_claim(thorough: bool = False) -> list[Certificate]:
    """``meanfield/linearisation`` (n = 2..32) and ``meanfield/threshold`` (n = 2..32)."""
    del thorough
    ns = range(2, 33)
    return [linearisation.certify_linearisation(n) for n in ns] + [
        linearisation.certify_threshold(n) for n in ns
    ]


def lemma4(thorough: bool = False) -> list[Certificate]:
    """``lemma-4/gap-vs-lyapunov`` for n = 2..4 (2..6 when thorough)."""
    return [lemmas.certify_lemma4(n) for n in (range(2, 7) if thorough else SMALL_NS)]


def lemma8(thorough: bool = False) -> list[Certificate]:
    """``lemma-8/sharp`` for n = 2..4 (same when thorough: n = 5 is slow)."""
    del thorough
    return [lemmas.certify_lemma8(n) for n in SMALL_NS]


def w2(thorough: bool = False) -> list[Certificate]:
    """``w2/conditional-vs-gap`` for n = 2..4 (2..6 when thorough)."""
    return [lemmas.certify_w2(n) for n in (range(2, 7) if thorough else SMALL_NS)]


CLAIMS: dict[str, Callable[[bool], list[Certificate]]] = {
    meanfield.ID_STATED: stated_alpha,
    meanfield.ID_PROVED: proved_alpha,
    meanfield.ID_AGREE: two_level_vs_integral,
    linearisation.ID_LIN: linearisation_claim,
    lemmas.ID_L4: lemma4,
    lemmas.ID_L8: lemma8,
    lemmas.ID_W2: w2,
}


def certify_claim(claim_id: str, *, thorough: bool = False) -> list[Certificate]:
    """The certificates of one claim id (a key of :data:`CLAIMS`)."""
    if claim_id not in CLAIMS:
        raise ValueError(f"claim_id must be one of {sorted(CLAIMS)}; got {claim_id!r}")
    return CLAIMS[claim_id](thorough)


def _planted(c: Certificate) -> Certificate:
    c.details["planted"] = True
    c.details["expected"] = "refuted or not certified"
    return c


def certify_controls() -> list[Certificate]:
    """Planted false claims; each must NOT be certified:

    * the counterexample claimed one layer early (n = 5, 8, 20: layer L - 1, ratio ~0.99);
    * Lemma 8 with the constant 2n/(n+1) (n = 2, 3);
    * the linearisation with the factor (n+1)/(n+3) (n = 5);
    * Lemma 4 with the constant 0.99 and the W2 ratio at 0.99 sup (n = 3)."""
    out = []
    for n in (5, 8, 20):
        first = meanfield.RECORDED[n]
        assert first is not None
        out.append(_planted(meanfield.certify_first_failing_layer(n, first[0] - 1)))
    for n in (2, 3):
        out.append(_planted(lemmas.certify_lemma8(n, constant=Fraction(2 * n, n + 1))))
    out.append(_planted(linearisation.certify_linearisation(5, Fraction(6, 8))))
    out.append(_planted(lemmas.certify_lemma4(3, constant=0.99)))
    out.append(
        _planted(lemmas.certify_w2(3, bound=0.99 * float(lemmas.w2_sup_ball(3).mid()), eps=0.0))
    )
    return out


def certify_all(
    *, thorough: bool = False, ids: Sequence[str] | None = None, controls: bool = True
) -> list[Certificate]:
    """Every claim's certificates (``ids``: a subset of :data:`CLAIMS`), then the planted
    controls (``controls=True``)."""
    chosen = list(CLAIMS) if ids is None else list(ids)
    out: list[Certificate] = []
    for cid in chosen:
        out += certify_claim(cid, thorough=thorough)
    if controls:
        out += certify_controls()
    return out
