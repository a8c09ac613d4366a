"""The literal prefilter (hyperscan) must pick exactly what the line-by-line
matcher picks: the same first rule for every line, for every language's
packs, on real pages, the keeps corpus, the rules' own examples, and
case-folding oddities."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.clean import RulePlan
from cleaner.matcher import LineMatcher, hyperscan
from cleaner.prefilter import fold, folds_evenly, needs_digit, required, unfolded
from cleaner.rulepack import load_rules

ROOT = Path(__file__).resolve().parent.parent
DEV_TEXT = ROOT.parent / "shared" / "bench" / "quality-dev" / "text"
needs_hyperscan = pytest.mark.skipif(hyperscan is None, reason="hyperscan is not installed")

RULES = load_rules().rules
PLAN = RulePlan.build(RULES)
MATCHERS = {"drops": PLAN.drops, "markers": PLAN.markers}


def example_lines() -> list[str]:
    lines = (ROOT / "tests" / "data" / "keeps.txt").read_text(encoding="utf-8").splitlines()
    for rule in RULES:
        for ex in (*rule.removes, *rule.keeps):
            lines += str(ex).split("\n")
    if DEV_TEXT.is_dir():
        for path in sorted(DEV_TEXT.glob("*.txt"))[:60]:
            lines += path.read_text(encoding="utf-8").split("\n")
    return lines


LINES = example_lines()


def by_line(matcher: LineMatcher, lines: list[str]) -> list[str | None]:
    return [None if (r := matcher.first_match(line)) is None else r.id for line in lines]


def at_once(matcher: LineMatcher, lines: list[str]) -> list[str | None]:
    return [None if r is None else r.id for r in matcher.first_matches(lines)]


@needs_hyperscan
@pytest.mark.parametrize("kind", sorted(MATCHERS))
def test_prefilter_picks_what_the_line_matcher_picks(kind: str) -> None:
    matcher = MATCHERS[kind]
    assert matcher._scan is not None
    want = by_line(matcher, LINES)
    assert sum(w is not None for w in want) > 100  # the lines do exercise the rules
    assert at_once(matcher, LINES) == want
    upper = [line.upper() for line in LINES]
    assert at_once(matcher, upper) == by_line(matcher, upper)


@needs_hyperscan
@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(LINES).flatmap(
            lambda line: st.sampled_from(
                [line, line.swapcase(), line.replace("i", "ı"), line.replace("s", "ſ"), line.replace("k", "\u212a")]
            )
        )
        | st.text(alphabet=st.sampled_from("aBıİſsKkß©/|»: \u00a0\t.-0123456789"), max_size=30),
        max_size=20,
    )
)
def test_prefilter_agrees_on_case_variants(lines: list[str]) -> None:
    for matcher in MATCHERS.values():
        assert at_once(matcher, lines) == by_line(matcher, lines)


@needs_hyperscan
def test_prefilter_folds_case_as_re_does() -> None:
    # re.IGNORECASE takes dotless ı for i and long ſ for s; str.casefold
    # alone does not: the prefilter must not lose those lines.
    variants = [
        v
        for rule in RULES
        for ex in rule.removes
        for line in str(ex).split("\n")
        for v in (
            line.replace("i", "ı"),
            line.replace("I", "ı"),
            line.replace("i", "\u0130"),
            line.replace("s", "ſ"),
            line.replace("k", "\u212a"),
        )
    ]
    assert len(variants) > 500
    for matcher in MATCHERS.values():
        assert at_once(matcher, variants) == by_line(matcher, variants)


def literal_variants(literal: str) -> list[str]:
    """Ways a scraped line can spell a literal rule's literal (or nearly)."""
    words = literal.split()
    out = []
    for gap in (" ", "  ", "\t", "\u00a0", "\u2003", " \u00a0 ", "\x1c"):
        line = gap.join(words)
        out += [line, line.upper(), line.title(), f" {line} ", f"{line}:", f"{line} .", f"{line} : .", f"{line}..:"]
        out += [f"{line} x", f"x {line}", line.replace("i", "\u0130"), line + "\u00ad"]
        # A line after one that ends in many spaces (hyperscan once missed it).
        out += [f"{line}" + " " * 80 + ":", line]
    return out


@needs_hyperscan
def test_literal_rules_match_whole_lines_as_the_dictionary_does() -> None:
    # Literal rules are found by a whole-line pattern in the scan and
    # decided by the dictionary: white space of any kind, case, trailing
    # dots and colons, padding and near misses must come out the same.
    variants = [
        v for rule in RULES if rule.pattern is None for lit in sorted(rule.literals) for v in literal_variants(lit)
    ]
    assert len(variants) > 5000
    for matcher in MATCHERS.values():
        want = by_line(matcher, variants)
        assert sum(w is not None for w in want) > 1000 or matcher is PLAN.markers
        assert at_once(matcher, variants) == want


@needs_hyperscan
@pytest.mark.parametrize("kind", sorted(MATCHERS))
def test_pages_that_must_be_folded_agree_too(kind: str) -> None:
    # A page with a character whose fold is not one character (ß) is folded
    # before the scan; others are scanned as they are.
    matcher = MATCHERS[kind]
    even = [line for line in LINES if folds_evenly(line)]
    assert len(even) > 0.9 * len(LINES)
    for page in (even, [*even, "Straße"]):
        assert at_once(matcher, page) == by_line(matcher, page)


def test_characters_fold_within_their_plane_and_beyond_the_bmp_evenly() -> None:
    # unfolded() reads one plane, folds_evenly() the BMP: this is why.
    for code in range(0x80, 0x110000):
        if 0xD800 <= code < 0xE000:
            continue
        folded = fold(chr(code))
        if code >= 0x10000:
            assert len(folded) == 1, hex(code)
        assert all(ord(c) >> 16 == code >> 16 for c in folded), hex(code)


def test_unfolded_finds_case_forms_beyond_the_bmp() -> None:
    # Deseret: 𐐀 (U+10400) folds to 𐐨 (U+10428).
    assert unfolded("\U00010428") == "\U00010428\U00010400"


def test_without_hyperscan_every_line_is_tried() -> None:
    rules = [r for r in RULES if r.action == "drop-line"]
    plain = LineMatcher(rules, prefilter=False)
    assert plain._scan is None
    assert at_once(plain, LINES[:2000]) == by_line(plain, LINES[:2000])


@needs_hyperscan
def test_matcher_pickles_and_rebuilds_its_scan() -> None:
    copy = pickle.loads(pickle.dumps(PLAN.drops))
    assert copy._scan is not None
    assert at_once(copy, LINES[:2000]) == at_once(PLAN.drops, LINES[:2000])


def test_required_literals_are_in_every_match() -> None:
    # For every rule with a literal requirement, each line it removes in its
    # examples contains one of the required strings (folded, with its white
    # space made " " as the scan sees it).
    checked = 0
    for rule in RULES:
        need = required(rule.pattern) if rule.pattern is not None else None
        if need is None:
            continue
        for line in LINES:
            if rule.matches(line.strip()):
                assert any(s in re.sub(r"[^\S\n]", " ", fold(line)) for s in need), (rule.id, line)
                checked += 1
    assert checked > 100


TRICKY = [
    r"(?i)(\w+) and \1",  # a back-reference
    r"(?<=Read )more.*",  # a look-behind
    r"(?i)(?!the\b)\w+ said(?: so)?",  # a negative look-ahead
    r"(?i:share)\s+(?P<what>this|it)(?(what)!|\?)",  # a named group and a conditional
    r"[Ss]ponsor(?:ed|s)?\b.*",
    r"(?x) subscribe \s+ now  # verbose",
    r"\d+ comments?",
    r"[^\W\d_]{3,}",  # letters only: no literal at all
]


@needs_hyperscan
@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(LINES) | st.text(alphabet="aAbByYsSıſ0123456789 !?:.-ReadmoShrtihnpu", max_size=30)))
def test_prefilter_agrees_on_user_rules_with_odd_regexes(lines: list[str]) -> None:
    from cleaner.rulepack import Rule

    rules = [
        Rule(id=f"USER{n:03d}", category="user", why="test", action="drop-line", source="t.toml", pattern=re.compile(p))
        for n, p in enumerate(TRICKY)
    ]
    extra = [
        "Tom and Tom",
        "Read more here",
        "She said so",
        "Share this!",
        "share it?",
        "Sponsored by X",
        "12 comments",
    ]
    matcher = LineMatcher(rules)
    assert matcher._scan is not None
    assert at_once(matcher, [*extra, *lines]) == by_line(matcher, [*extra, *lines])


def test_default_packs_give_the_scan_a_literal_or_a_digit() -> None:
    # A rule with neither is tried on every line of every page: one such
    # rule in a pack made the en matcher 1.5 times slower (LEGAL012).
    for rule in RULES:
        if rule.pattern is not None and rule.action == "drop-line":
            assert required(rule.pattern) is not None or needs_digit(rule.pattern), rule.id
