"""Rule-pack validation: every error names the file and the rule id."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Cleaner, Config, RulePackError, UsageError
from cleaner.rulepack import load_pack, load_rules

GOOD = """
[[rule]]
id = "TEST001"
category = "test"
why = "Test lines go."
match = '(?i)test line'
action = "drop-line"
removes = ["Test line"]
keeps = ["This test line is part of a sentence."]
"""


def write(tmp_path: Path, body: str, name: str = "pack.toml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(RulePackError) as info:
        Cleaner(Config(rules=(str(path),)))
    return str(info.value)


def test_good_pack_loads(tmp_path: Path) -> None:
    pack = load_pack(write(tmp_path, GOOD))
    assert [r.id for r in pack.rules] == ["TEST001"]


def test_unknown_key(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('action = "drop-line"', 'action = "drop-line"\nseverity = "high"'))
    assert error_of(path) == (
        f"{path}: rule 'TEST001': unknown key(s) severity (allowed: action, aliases, anchor, category, id, keeps, "
        "literals, match, max_lines, max_words, misses, near_end, removes, why)"
    )


def test_duplicate_id_across_packs(tmp_path: Path) -> None:
    a = write(tmp_path, GOOD, "a.toml")
    b = write(tmp_path, GOOD, "b.toml")
    with pytest.raises(RulePackError) as info:
        load_rules([a, b], include_default=False)
    assert str(info.value) == f"{b}: rule 'TEST001': id 'TEST001' is already used in {a}"


def test_duplicate_of_a_shipped_id(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("TEST001", "ADS001"))
    assert "id 'ADS001' is already used in" in error_of(path)


def test_bad_regex(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("'(?i)test line'", "'(?i)test (line'"))
    assert error_of(path) == (
        f"{path}: rule 'TEST001': regex does not compile (missing ), unterminated subpattern at position 9): '(?i)test (line'"
    )


def test_empty_alternative(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("'(?i)test line'", "'(?i)test (line|)'"))
    assert (
        error_of(path)
        == f"{path}: rule 'TEST001': regex has an empty alternative (matches everything): '(?i)test (line|)'"
    )


@pytest.mark.parametrize("pattern", ["hello|", "|hello", "(?:|x)", "(a||b)", "x(?=a|)", "(?P<junk>x|)"])
def test_every_empty_alternative_is_refused(tmp_path: Path, pattern: str) -> None:
    path = write(tmp_path, GOOD.replace("'(?i)test line'", f"'{pattern}'"))
    assert "regex has an empty alternative" in error_of(path)


@pytest.mark.parametrize("pattern", ["(?:zur|zurück zur)", "[|]", r"a\|b", "[]|]x", "(?#a|)b"])
def test_a_bar_that_is_no_empty_alternative_is_accepted(pattern: str) -> None:
    from cleaner.rulepack import _has_empty_alternative

    assert not _has_empty_alternative(pattern)


def test_example_contradicting_its_rule(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('keeps = ["This test line', 'keeps = ["Test line", "This test line'))
    assert error_of(path) == f"{path}: rule 'TEST001': keeps[0] contradicts the rule: must keep 'Test line' but gave ''"


def test_missing_examples(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('removes = ["Test line"]', "removes = []"))
    assert error_of(path) == f"{path}: rule 'TEST001': every rule needs at least one 'removes' and one 'keeps' example"


def test_not_toml(tmp_path: Path) -> None:
    path = write(tmp_path, "[[rule]\nid = 1")
    with pytest.raises(RulePackError) as info:
        load_pack(path)
    assert str(info.value).startswith(f"{path}: not valid TOML (")


def test_bad_id_and_action(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("TEST001", "test1"))
    assert error_of(path) == f"{path}: rule 'test1': id must be 2-8 capital letters and 3 digits, e.g. NAV003"
    path = write(tmp_path, GOOD.replace('"drop-line"', '"delete"'))
    assert error_of(path) == (
        f"{path}: rule 'TEST001': action 'delete' is not one of drop-line, strip-span, drop-block, cut-trailer"
    )


def test_heuristic_id_taken(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("TEST001", "EDGE001"))
    with pytest.raises(UsageError) as info:
        Cleaner(Config(rules=(str(path),)))
    assert str(info.value) == f"{path}: rule id 'EDGE001' is taken by a built-in heuristic; pick another id"


def test_user_pack_rule_applies_and_can_be_disabled(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    text = "Test line\nThe council met on Monday and voted to close the old bridge."
    assert Cleaner(Config(rules=(str(path),))).clean(text).removals[0].rule == "TEST001"
    for off in ("TEST001", "test"):
        cleaner = Cleaner(Config(rules=(str(path),), disable=frozenset({off}), heuristics=False))
        assert cleaner.clean(text).text == text


def test_unknown_disable_name() -> None:
    with pytest.raises(UsageError) as info:
        Cleaner(Config(disable=frozenset({"NOPE999"})))
    assert str(info.value) == "--disable: unknown rule id or category NOPE999 (see `cleaner rules list`)"
