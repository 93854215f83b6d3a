"""Print the statement registry as Markdown: ``python -m theory.statements [--full]``.

The README's statement table is this command's output, so the docs, the checks and the report
all read the same records.
"""

from __future__ import annotations

import argparse

from . import STATEMENTS


def markdown(full: bool = False) -> str:
    lines = [
        "| id | statement | source | kind | negative controls |",
        "| --- | --- | --- | --- | --- |",
    ]
    for s in STATEMENTS.values():
        controls = "; ".join(c.description for c in s.negative_controls)
        lines.append(f"| `{s.id}` | {s.title} | {s.source} | {s.kind} | {controls} |")
    if full:
        for s in STATEMENTS.values():
            lines += [
                "",
                f"### `{s.id}` — {s.title}",
                "",
                f"`{s.formula}`",
                "",
                f"Source: {s.source}. Kind: {s.kind}.",
                "",
            ]
            lines += [f"- hypothesis `{k}`: {v}" for k, v in s.hypotheses.items()]
            lines += [f"- resolution: {r}" for r in s.resolution]
            lines += [
                f"- control `{c.id}`: {c.description} — false because {c.why_false}"
                for c in s.negative_controls
            ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m theory.statements", description=__doc__.splitlines()[0]
    )
    p.add_argument("--full", action="store_true", help="also print every record in full")
    print(markdown(p.parse_args(argv).full))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
