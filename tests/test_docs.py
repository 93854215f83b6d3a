"""The README's statement table is the registry's (python -m theory.statements)."""

from __future__ import annotations

from pathlib import Path

import theory
from theory.statements.__main__ import markdown

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_statement_table_matches_the_registry():
    text = README.read_text(encoding="utf-8")
    assert markdown() in text, "regenerate the README table with: python -m theory.statements"
    for sid in theory.STATEMENTS:
        assert f"`{sid}`" in text
