"""Open the reviewer page in real headless Chromium (Debian's package) as a person would.

Checks: the page renders; the console has no errors; no network request is made; the table of the
paper's claims and what the data say is the first thing on the page and fits on the first screen
(1280 x 900), with one row per claim, the statuses of findings.json (written beside the page) and
links that land on statement sections; every figure is visible; the summary table lists every
registered statement.  Saves reports/screenshot.png (the first screen of the page).
The page is the one the main job wrote (reports/index.html, CI runs verify first); without it, a
page is built from a small payload.  Without Chromium the test skips -- except under CI=true,
where it fails.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

import theory
from theory.findings import CLAIMS, STATUSES
from theory.report import write_report

ROOT = Path(__file__).resolve().parents[1]
VIEWPORT = {"width": 1280, "height": 900}
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason} (CI must run the browser test)")
    pytest.skip(reason)


@pytest.fixture
def page_path(tmp_path: Path) -> Path:
    report = ROOT / "reports" / "index.html"
    if report.exists() and (ROOT / "reports" / "results.json").exists():
        return report
    fig = {
        "id": "demo",
        "title": "demo",
        "caption": "synthetic",
        "type": "lines",
        "x": [1, 2],
        "series": [{"label": "y", "y": [1, 2]}],
    }
    row = theory.engine.CheckResult("sampler/exact-in-law", "demo", "info", extra={"figure": fig})
    write_report(
        tmp_path,
        header={"profile": "ci", "backend": "numpy", "run_budget": 1e-3},
        results=[row.to_dict()],
        outcomes={},
        failures=[],
    )
    return tmp_path / "index.html"


def test_report_in_headless_chromium(page_path: Path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        _missing("Debian's chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright Python package is not installed (pip install -e '.[all]')")
    payload = json.loads(page_path.with_name("results.json").read_text())
    findings_file = page_path.with_name("findings.json")
    assert findings_file.exists(), "findings.json is written beside results.json"
    findings = json.loads(findings_file.read_text(encoding="utf-8"))
    assert [c["id"] for c in findings["claims"]] == [c.id for c in CLAIMS]
    figure_ids = {
        r["extra"]["figure"]["id"]
        for r in payload["results"]
        if isinstance((r.get("extra") or {}).get("figure"), dict)
    }
    url = page_path.resolve().as_uri()
    console_errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=FLAGS)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.on(
                "console", lambda m: console_errors.append(m.text) if m.type == "error" else None
            )
            page.on("pageerror", lambda e: console_errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(url, wait_until="load")
            assert "verification report" in page.title()
            assert page.locator("#overall").is_visible()
            # the claims table opens the page and fits on the first screen
            table = page.locator("table#claims")
            box = table.bounding_box()
            assert box is not None, "no claims table"
            assert box["x"] >= 0 and box["y"] >= 0, box
            assert box["x"] + box["width"] <= VIEWPORT["width"], box
            assert box["y"] + box["height"] <= VIEWPORT["height"], (
                f"the claims table ends at {box['y'] + box['height']:.0f} px, below the first "
                f"screen ({VIEWPORT['height']} px)"
            )
            assert box["y"] < page.locator("#overall").bounding_box()["y"]  # suite summary below
            rows = page.locator("table#claims tr[data-claim]").evaluate_all(
                "rows => rows.map(r => [r.dataset.claim, r.dataset.status])"
            )
            assert rows == [[c["id"], c["status"]] for c in findings["claims"]]
            assert {s for _, s in rows} <= set(STATUSES)
            anchors = page.locator("table#claims td.ev a").evaluate_all(
                "as => as.map(a => a.getAttribute('href').slice(1))"
            )
            assert anchors and all(
                page.locator(f"section[id='{a}']").count() == 1 for a in set(anchors)
            )
            listed = set(
                page.locator("#summary tr[data-statement]").evaluate_all(
                    "rows => rows.map(r => r.dataset.statement)"
                )
            )
            assert listed == set(theory.STATEMENTS), set(theory.STATEMENTS) ^ listed
            figs = page.locator("figure[data-figure]")
            assert {
                figs.nth(i).get_attribute("data-figure") for i in range(figs.count())
            } == figure_ids
            for i in range(figs.count()):
                fig = figs.nth(i)
                fig.scroll_into_view_if_needed()
                box = fig.locator("svg").bounding_box()
                assert box and box["width"] > 100 and box["height"] > 100, fig.get_attribute(
                    "data-figure"
                )
                assert fig.locator("svg").is_visible()
            out = ROOT / "reports" / "screenshot.png"
            out.parent.mkdir(exist_ok=True)
            # The viewport, not the full page: a thorough report is tens of thousands of pixels
            # tall and a full-page capture takes longer than Playwright's 30 s on 2 cores.
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(out), full_page=False)
        finally:
            browser.close()
    assert console_errors == [], console_errors
    assert [u for u in requests if u != url] == [], "the page made network requests"
    assert out.stat().st_size > 10_000
