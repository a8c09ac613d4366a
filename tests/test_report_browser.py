"""report.html in a real headless browser: Debian's chromium driven by
Playwright (no browser download: the system chromium is launched by path).
The page loads without console errors, the SVG charts render with bars,
and every number shown matches report.json.

Needs ``apt-get install chromium`` and ``pip install playwright``; skips,
saying which is missing, otherwise. Set CLEANER_REPORT_SCREENSHOT=/tmp/report.png
to keep a full-page screenshot.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from test_views import demo_corpus

from cleaner.cli import main

CHROMIUM = next((p for p in (shutil.which("chromium"), "/usr/bin/chromium") if p and Path(p).exists()), None)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    sync_playwright = None  # type: ignore[assignment]

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="chromium not found (apt-get install chromium)"),
    pytest.mark.skipif(sync_playwright is None, reason="playwright not installed (pip install playwright)"),
]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Any:
    tmp = tmp_path_factory.mktemp("browser")
    src = demo_corpus(tmp / "in.jsonl")
    assert main(["clean", str(src), "-o", str(tmp / "out.jsonl")]) == 0
    report = json.loads((tmp / "out.report.json").read_text(encoding="utf-8"))
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on(
            "request", lambda r: errors.append(f"network request: {r.url}") if not r.url.startswith("file:") else None
        )
        page.goto((tmp / "out.report.html").as_uri())
        page.wait_for_load_state("load")
        shot = Path(os.environ.get("CLEANER_REPORT_SCREENSHOT") or tmp / "report.png")
        page.screenshot(path=str(shot), full_page=True)
        yield page, report, errors
        browser.close()


def _bars(page: Any, selector: str) -> list[dict[str, Any]]:
    return page.eval_on_selector_all(
        selector,
        "els => els.map(e => ({key: e.dataset.key, metric: e.dataset.metric, value: Number(e.dataset.value),"
        " width: e.getBoundingClientRect().width, height: e.getBoundingClientRect().height}))",
    )


def test_loads_without_console_errors_or_network(loaded: Any) -> None:
    page, _, errors = loaded
    assert errors == []
    assert page.title() == "cleaner run report"


def test_rule_chart_bars_match_report(loaded: Any) -> None:
    page, report, _ = loaded
    bars = _bars(page, "svg#chart-rules rect.bar")
    fired = {k.split(".", 1)[1] for k in report["counts"] if k.startswith("lines_removed.")}
    assert len(bars) >= 3 * len(fired) > 0
    for bar in bars:
        assert bar["value"] == report["counts"].get(f"{bar['metric']}.{bar['key']}", 0), bar
        assert (bar["width"] > 0) == (bar["value"] > 0), bar
    assert page.locator("svg#chart-categories rect.bar").count() > 0


def test_histogram_languages_timings_and_scurve(loaded: Any) -> None:
    page, report, _ = loaded
    counts = report["counts"]
    hist = _bars(page, "svg#chart-share rect.bar")
    assert [b["value"] for b in hist] == [counts.get(f"removal_share.{i}", 0) for i in range(10)]
    assert all((b["height"] > 0) == (b["value"] > 0) for b in hist)
    langs = {b["key"]: b["value"] for b in _bars(page, "svg#chart-langs rect.bar")}
    assert langs == {k.split(".", 1)[1]: v for k, v in counts.items() if k.startswith("docs_lang.")}
    timings = {b["key"]: b["value"] for b in _bars(page, "svg#chart-timings rect.bar")}
    assert timings == report["timings"]
    dots = page.eval_on_selector_all("svg#chart-scurve circle.dot", "els => els.map(e => Number(e.dataset.value))")
    assert dots == [p for _, p in report["dedup"]["s_curve"]]


def test_numbers_shown_match_report(loaded: Any) -> None:
    page, report, _ = loaded
    counts = report["counts"]
    shown = page.eval_on_selector_all(
        "[data-count]", "els => els.map(e => [e.dataset.count, e.dataset.value, e.textContent])"
    )
    assert len(shown) > 20
    for key, value, text in shown:
        assert int(value) == counts.get(key, 0), key
        assert text == f"{counts.get(key, 0):,}", key
    share = counts["words_removed"] / counts["words_in"]
    assert page.text_content("#share-removed") == f"{share:.1%}"
    assert page.get_attribute("#dedup-clusters", "data-value") == str(report["dedup"]["clusters"])
    assert page.get_attribute("#dedup-copies", "data-value") == str(report["dedup"]["copies"])
    over = page.locator("#documents table").first.inner_text()
    assert all(d["id"] in over for d in report["docs"]["over_budget"])


def test_examples_and_tooltip(loaded: Any) -> None:
    page, report, _ = loaded
    rule, examples = next(iter(sorted(report["examples"].items())))
    details = page.locator(f"#rule-{rule}")
    details.locator("summary").click()
    assert details.locator(".ex").count() == len(examples)
    assert examples[0]["text"][:40] in details.locator(".ex .gone").first.inner_text()
    page.locator("svg#chart-rules rect.bar").first.hover()
    tip = page.locator("#tip")
    assert tip.is_visible() and tip.inner_text().strip()
