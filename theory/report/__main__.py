"""Regenerate the page from a results file without re-running the checks:

python -m theory.report reports/results.json [-o reports/index.html]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..results import atomic_write_text
from ._write import render_html


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m theory.report", description=__doc__.splitlines()[0])
    p.add_argument("results", type=Path, help="a results.json written by a verify run")
    p.add_argument("-o", "--output", type=Path, help="default: index.html beside the results file")
    a = p.parse_args(argv)
    if not a.results.is_file():
        p.error(f"results file not found: {a.results}")
    payload = json.loads(a.results.read_text(encoding="utf-8"))
    for key in ("header", "statements", "results"):
        if key not in payload:
            p.error(f"{a.results} is not a results.json of this suite (no {key!r} key)")
    out = a.output or a.results.with_name("index.html")
    atomic_write_text(out, render_html(payload))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
