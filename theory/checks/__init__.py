"""Check functions ``check(ctx, case) -> list[CheckResult]`` held by the statement records
(one module per part of the paper when a statement module would get long)."""
