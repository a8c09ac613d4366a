"""The main-content detector: its examples hold, every removal is explained,
and it is deterministic."""

from __future__ import annotations

from cleaner.clean import apply_heuristic, example_failures
from cleaner.detector import FEATURES, detect, line_features
from cleaner.heuristics import DETECTOR
from cleaner.page import Page

MENU_PAGE = "\n".join(ln.removeprefix("- ") for ln in DETECTOR.removes[1].splitlines())


def test_examples_hold() -> None:
    assert list(example_failures(DETECTOR)) == []


def test_removals_name_score_and_features() -> None:
    page = Page.from_text(MENU_PAGE)
    apply_heuristic(page, DETECTOR)
    assert page.removals
    for r in page.removals:
        assert r.rule == "DET001"
        assert r.detail is not None and r.detail.startswith("score ")
    assert "The council met on Monday" in page.output()


def test_features_have_one_column_each() -> None:
    feats = line_features(Page.from_text(MENU_PAGE))
    assert feats.values.shape == (len(feats.lines), len(FEATURES))


def test_deterministic() -> None:
    assert detect(Page.from_text(MENU_PAGE)) == detect(Page.from_text(MENU_PAGE))


def test_empty_page() -> None:
    assert detect(Page.from_text("")) == []
