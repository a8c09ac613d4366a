"""Hand-computed checks of the quality-dev metric in benchmarks/scoring.py."""

from __future__ import annotations

import doctest
import importlib
import sys
from pathlib import Path

import pytest

# benchmarks/ is a folder of scripts, not a package: put it on the path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
scoring = importlib.import_module("scoring")


def test_identical_texts_score_one() -> None:
    text = "The quick brown fox jumps over the lazy dog.\nSecond line here."
    s = scoring.score_page(text, text)
    for kind in scoring.KINDS:
        assert (s[f"{kind}_p"], s[f"{kind}_r"], s[f"{kind}_f1"]) == (1.0, 1.0, 1.0)


def test_punctuation_and_line_breaks_are_ignored() -> None:
    s = scoring.score_page("One, two -- three!\nFour five.", "one two three four five")
    assert s["sh4_f1"] == 1.0
    assert s["sh4_out"] == 2  # (one two three four), (two three four five)


@pytest.mark.parametrize("output", ["", "   \n", "... -- !!"])
def test_output_without_tokens_scores_zero(output: str) -> None:
    s = scoring.score_page(output, "a b c d e")
    for kind in scoring.KINDS:
        assert (s[f"{kind}_p"], s[f"{kind}_r"], s[f"{kind}_f1"]) == (0.0, 0.0, 0.0)
        assert s[f"{kind}_out"] == 0


def test_empty_text_has_no_units() -> None:
    assert scoring.units("", "sh4") == []
    assert scoring.units("", "tok") == []


def test_text_shorter_than_four_tokens_is_one_shingle() -> None:
    assert scoring.units("Hello there, world", "sh4") == [("hello", "there", "world")]
    assert scoring.units("Hi", "sh4") == [("hi",)]
    # A short output matches a short gold only when all its tokens match.
    assert scoring.score_page("hello there world", "Hello there, world!")["sh4_f1"] == 1.0
    assert scoring.score_page("hello there", "hello there world")["sh4_tp"] == 0


def test_four_tokens_make_one_shingle_and_five_make_two() -> None:
    assert scoring.units("a b c d", "sh4") == [("a", "b", "c", "d")]
    assert scoring.units("a b c d e", "sh4") == [
        ("a", "b", "c", "d"),
        ("b", "c", "d", "e"),
    ]


def test_partial_overlap() -> None:
    # sh4: output {abcd, bcde}, gold {abcd, bcdx}: TP 1 -> P = R = F1 = 1/2.
    # tok: output {a b c d e}, gold {a b c d x}: TP 4 -> P = R = F1 = 4/5.
    s = scoring.score_page("a b c d e", "a b c d x")
    assert (s["sh4_tp"], s["sh4_out"], s["sh4_gold"]) == (1, 2, 2)
    assert s["sh4_f1"] == pytest.approx(0.5)
    assert (s["tok_p"], s["tok_r"], s["tok_f1"]) == pytest.approx((0.8, 0.8, 0.8))


def test_repeated_shingle_counts_min_of_both_sides() -> None:
    # Output "a b c d a b c d" has 5 shingles, abcd twice; gold "a b c d" has abcd once.
    # TP = min(2, 1) = 1; P = 1/5, R = 1/1, F1 = 2 * 0.2 * 1 / 1.2 = 1/3.
    s = scoring.score_page("a b c d a b c d", "a b c d")
    assert (s["sh4_tp"], s["sh4_out"], s["sh4_gold"]) == (1, 5, 1)
    assert (s["sh4_p"], s["sh4_r"], s["sh4_f1"]) == pytest.approx((0.2, 1.0, 1 / 3))
    # Tokens: output a,b,c,d twice each; gold once each: TP = 4, P = 4/8, R = 1.
    assert (s["tok_p"], s["tok_r"]) == pytest.approx((0.5, 1.0))


def test_repeated_gold_shingle_is_matched_once_per_output_copy() -> None:
    assert scoring.overlap([("x",)] * 2, [("x",)] * 3) == 2
    assert scoring.overlap([("x",)] * 3, [("x",)] * 2) == 2


def test_nfkc_and_casefold() -> None:
    assert scoring.tokens("Ｆｕｌｌ") == ["full"]
    assert scoring.tokens("STRASSE Straße ﬁne") == ["strasse", "strasse", "fine"]
    assert scoring.score_page("Ｆｕｌｌ WIDTH Text here", "full width text here")["sh4_f1"] == 1.0


def test_cjk_ideographs_and_kana_count_one_token_each() -> None:
    assert scoring.tokens("東京は晴れ") == ["東", "京", "は", "晴", "れ"]
    assert scoring.tokens("カタカナ") == ["カ", "タ", "カ", "ナ"]
    assert scoring.tokens("漢字abc漢") == ["漢", "字", "abc", "漢"]
    # Half-width katakana become full-width under NFKC, then split.
    assert scoring.tokens("ｶﾀ") == ["カ", "タ"]
    # Extension A ideograph.
    assert scoring.tokens("\u3400\u3401") == ["\u3400", "\u3401"]
    # Five characters -> two shingles.
    assert len(scoring.units("東京は晴れ", "sh4")) == 2


def test_cjk_punctuation_is_ignored_but_katakana_middle_dot_counts() -> None:
    assert scoring.tokens("東京、大阪。「京都」") == [
        "東",
        "京",
        "大",
        "阪",
        "京",
        "都",
    ]
    # U+30FB is in the Katakana block: counted, to match the manifest's token counts.
    assert scoring.tokens("ア・イ") == ["ア", "・", "イ"]


def test_hangul_is_not_split() -> None:
    assert scoring.tokens("한국어 텍스트입니다") == ["한국어", "텍스트입니다"]


def test_aggregate_macro_and_micro() -> None:
    # Page 1: abcd vs abcd -> TP 1, out 1, gold 1, F1 1.
    # Page 2: 4 output shingles vs 1 gold shingle (x y z), TP 0, F1 0.
    pages = [
        scoring.score_page("a b c d", "a b c d"),
        scoring.score_page("a b c d e f g", "x y z"),
    ]
    agg = scoring.aggregate(pages)
    assert agg["pages"] == 2
    assert (agg["sh4_p"], agg["sh4_r"], agg["sh4_f1"]) == pytest.approx((0.5, 0.5, 0.5))
    # Micro: TP 1, out 5, gold 2 -> P 0.2, R 0.5, F1 2 * 0.1 / 0.7.
    micro = (agg["sh4_micro_p"], agg["sh4_micro_r"], agg["sh4_micro_f1"])
    assert micro == pytest.approx((0.2, 0.5, 0.2 / 0.7))


def test_aggregate_needs_pages() -> None:
    with pytest.raises(ValueError):
        scoring.aggregate([])


def test_unknown_unit_kind_is_an_error() -> None:
    with pytest.raises(ValueError, match="sh5"):
        scoring.units("a b c", "sh5")


def test_doctests() -> None:
    result = doctest.testmod(scoring)
    assert result.attempted > 0
    assert result.failed == 0
