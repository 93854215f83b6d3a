"""docs/statements.md's statement table is the registry's (python -m theory.statements)."""

from __future__ import annotations

from pathlib import Path

import theory
from theory.statements.__main__ import markdown

README = Path(__file__).resolve().parents[1] / "docs" / "statements.md"


def test_readme_statement_table_matches_the_registry():
    text = README.read_text(encoding="utf-8")
    assert markdown() in text, "regenerate the README table with: python -m theory.statements"
    for sid in theory.STATEMENTS:
        assert f"`{sid}`" in text


ROOT = Path(__file__).resolve().parents[1]


def _bash_blocks(text: str) -> list[str]:
    import re

    return [
        line.strip()
        for block in re.findall(r"```bash\n(.*?)```", text, re.S)
        for line in block.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]


def test_readme_quick_start_is_what_ci_runs():
    """The README's two commands are the ones .ci/run runs from a clean clone."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    cmds = [c for c in _bash_blocks(readme) if "pip install" in c or "pytest" in c]
    assert len(cmds) == 2, cmds
    for c in cmds:
        assert c in ci, f"README command not run by .ci/run: {c}"


def test_every_probe_command_in_the_readme_runs(tmp_path):
    """Every `python -m theory ...` command shown in the README runs and exits 0."""
    import json
    import shlex
    import subprocess
    import sys

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    cmds = [c for c in _bash_blocks(readme) if c.startswith("python -m theory")]
    assert len(cmds) >= 4, cmds
    results = ROOT / "reports" / "results.json"
    if not results.is_file():  # CI runs verify first; elsewhere use a registry-only payload
        results = tmp_path / "results.json"
        payload = {"header": {}, "results": []}
        payload["statements"] = [s.describe() for s in theory.STATEMENTS.values()]
        results.write_text(json.dumps(payload))
    for c in cmds:
        argv = shlex.split(c.replace("reports/results.json", str(results)))
        p = subprocess.run(
            [sys.executable, *argv[1:]], capture_output=True, text=True, cwd=ROOT, timeout=600
        )
        assert p.returncode == 0, (c, p.returncode, p.stdout[-1500:], p.stderr[-1500:])


def test_readme_findings_table_lists_every_claim():
    """The README's findings table has one row per claim of theory.findings.CLAIMS (its
    numbers come from a run: `python -m theory findings reports/results.json`)."""
    import re

    from theory.findings import CLAIMS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = re.search(r"<!-- findings:start -->(.*?)<!-- findings:end -->", readme, re.S)
    assert table, "the README has no generated findings table"
    rows = [line for line in table.group(1).strip().splitlines()[2:] if line.startswith("|")]
    assert len(rows) == len(CLAIMS)
    for row, claim in zip(rows, CLAIMS):
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[0] == claim.location and cells[1] == claim.reading, (cells[:2], claim.id)


def test_readme_is_short():
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 200
