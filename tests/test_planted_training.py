"""Decisive checks (issue 17) for the paired-seed training claims: a planted threshold that the
data miss by 25% -- "the median of the paired differences is > b" with b = 1.25 x the measured
median, i.e. the data are 0.8 x the planted effect -- makes the check say ``fail``, not
``inconclusive``, because the check adds seeds until the sign test decides
(:func:`theory.checks.training.until_decided`).  This is the claim's edge control turned into the
claim, on fresh seeds (another salt).  Tiny case: the gaps at init at depth 2 (no training)."""

from __future__ import annotations

import pytest

pytest.importorskip("torch", reason="the training claims need PyTorch: pip install -e '.[train]'")
pytest.importorskip(
    "sklearn", reason="the digits data needs scikit-learn: pip install -e '.[train]'"
)

from theory.engine import EDGE, RunContext  # noqa: E402
from theory.statements import training as T  # noqa: E402

CASE = {"width": 48, "depths": (2,)}


def _claim(rows):
    return [r for r in rows if r.control is None and r.verdict != "info"]


def test_a_training_claim_25_percent_beyond_the_data_fails():
    rows = T.ORTHO_GAP_LOWER.check(RunContext.create("ci"), CASE)
    main = _claim(rows)
    assert [r.verdict for r in main] == ["pass"]
    assert any(r.control == "edge" and r.verdict == "refuted" for r in rows)
    planted = main[0].measured / EDGE  # the data are 0.8 x the planted effect
    rows = T.ORTHO_GAP_LOWER.check(
        RunContext.create("ci", salt="planted"), {**CASE, "planted": planted}
    )
    main = _claim(rows)
    assert [r.verdict for r in main] == ["fail"], [(r.verdict, r.extra["sampling"]) for r in main]
    assert "stopped: decided" in main[0].extra["sampling"]
    assert main[0].params["planted"] == planted
