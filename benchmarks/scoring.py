"""The quality-dev benchmark metric: shingle and token overlap between output and gold.

Pure functions, no I/O. The metric follows the "Metric" section of
``shared/bench/quality-dev/README.md``:

1. Normalise with Unicode NFKC, then casefold. Tokens are maximal runs of
   ``\\w``, except that Chinese/Japanese ideographs and kana count one token
   per character. Korean Hangul is not split: it stays in ``\\w+`` runs.
   Every character of the ideograph and kana blocks is a token, including the
   katakana middle dot "・", which ``\\w`` does not match: that is what
   reproduces the token counts in the benchmark's ``manifest.jsonl``.
2. Units: contiguous 4-token shingles (``sh4``, the headline metric); a text
   of fewer than 4 tokens is one shingle made of all its tokens, and a text
   without tokens has no units. Secondary units: single tokens (``tok``).
3. Per page, multiset overlap: TP = sum of min(count in output, count in
   gold); P = TP / output units, R = TP / gold units, F1 = 2PR / (P + R).
   A zero denominator gives 0 (so an empty output scores 0 for P, R, F1).
4. Macro = mean of the per-page P, R, F1; micro = pooled TP over pooled counts.

>>> s = score_page("The cat sat on the mat.", "the cat sat on the mat")
>>> s["sh4_f1"], s["tok_f1"]
(1.0, 1.0)
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

KINDS = ("sh4", "tok")
"""Unit kinds, headline first."""

SHINGLE_SIZE = 4

# Chinese/Japanese characters that count one token each. Every character in
# these ranges is a token, even the few that `\w` does not match (the katakana
# middle dot "・" U+30FB, "゠" U+30A0): the `text_tokens` counts in the
# benchmark's manifest.jsonl only come out right this way (checked on all 181
# pages, text and gold). CJK punctuation outside them ("、" "。" "「") is ignored.
_CJK_CHAR = (
    "\u3005-\u3007"  # 々 〆 〇
    "\u3021-\u3029\u3038-\u303b"  # Hangzhou numerals, 〸 〹 〺 〻
    "\u3040-\u309f"  # Hiragana
    "\u30a0-\u30ff"  # Katakana (incl. the prolonged sound mark ー)
    "\u31f0-\u31ff"  # Katakana phonetic extensions
    "\u3400-\u4dbf"  # CJK Unified Ideographs extension A
    "\u4e00-\u9fff"  # CJK Unified Ideographs
    "\uf900-\ufaff"  # CJK compatibility ideographs (NFKC maps most away)
    "\uff66-\uff9f"  # halfwidth katakana (NFKC maps these away)
    "\U0001b000-\U0001b16f"  # Kana supplement and extended-A
    "\U00020000-\U0003ffff"  # ideograph extensions B-H, compatibility supplement
)
_TOKEN = re.compile(f"[{_CJK_CHAR}]|[^\\W{_CJK_CHAR}]+")

Unit = tuple[str, ...]


def normalize(text: str) -> str:
    """Return `text` in NFKC, casefolded.

    >>> normalize("Ｆｕｌｌ STRASSE Straße")
    'full strasse strasse'
    """
    return unicodedata.normalize("NFKC", text).casefold()


def tokens(text: str) -> list[str]:
    """Split `text` into normalised tokens.

    Punctuation and white space separate tokens and are dropped; each
    character in the ideograph and kana blocks is a token (see `_CJK_CHAR`);
    Hangul words stay whole.

    >>> tokens("Hello, World! It's 2019.")
    ['hello', 'world', 'it', 's', '2019']
    >>> tokens("abc漢字def 東京・タワー。")
    ['abc', '漢', '字', 'def', '東', '京', '・', 'タ', 'ワ', 'ー']
    >>> tokens("한국어 text_1")
    ['한국어', 'text_1']
    >>> tokens("  -- ")
    []
    """
    return _TOKEN.findall(normalize(text))


def units(text: str, kind: str = "sh4") -> list[Unit]:
    """Return the units of `text`: 4-token shingles (``sh4``) or tokens (``tok``).

    >>> units("a b c d e")
    [('a', 'b', 'c', 'd'), ('b', 'c', 'd', 'e')]
    >>> units("Just two.")
    [('just', 'two')]
    >>> units("...")
    []
    >>> units("a b", "tok")
    [('a',), ('b',)]
    """
    toks = tokens(text)
    if kind == "tok":
        return [(t,) for t in toks]
    if kind != "sh4":
        raise ValueError(f"unknown unit kind {kind!r}; expected one of {KINDS}")
    if not toks:
        return []
    if len(toks) < SHINGLE_SIZE:
        return [tuple(toks)]
    return [tuple(toks[i : i + SHINGLE_SIZE]) for i in range(len(toks) - SHINGLE_SIZE + 1)]


def overlap(output: Iterable[Unit], gold: Iterable[Unit]) -> int:
    """Multiset overlap: sum over units of min(count in output, count in gold).

    >>> overlap([("a",), ("a",), ("b",)], [("a",), ("c",)])
    1
    """
    out_counts, gold_counts = Counter(output), Counter(gold)
    return sum(min(n, gold_counts[u]) for u, n in out_counts.items())


def prf(tp: int, n_out: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts; a zero denominator gives 0.

    >>> prf(1, 2, 4)
    (0.5, 0.25, 0.3333333333333333)
    >>> prf(0, 0, 5)
    (0.0, 0.0, 0.0)
    """
    p = tp / n_out if n_out else 0.0
    r = tp / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f1


def score_page(output: str, gold: str, kinds: Sequence[str] = KINDS) -> dict[str, float]:
    """Score one page; keys are ``<kind>_{p,r,f1,tp,out,gold}`` for each kind.

    >>> s = score_page("a b c d e", "a b c d x")
    >>> s["sh4_tp"], s["sh4_out"], s["sh4_gold"], s["sh4_f1"], round(s["tok_f1"], 4)
    (1, 2, 2, 0.5, 0.8)
    >>> score_page("", "a b c d")["sh4_f1"]
    0.0
    """
    scores: dict[str, float] = {}
    for kind in kinds:
        out_units, gold_units = units(output, kind), units(gold, kind)
        tp = overlap(out_units, gold_units)
        p, r, f1 = prf(tp, len(out_units), len(gold_units))
        scores.update(
            {
                f"{kind}_p": p,
                f"{kind}_r": r,
                f"{kind}_f1": f1,
                f"{kind}_tp": tp,
                f"{kind}_out": len(out_units),
                f"{kind}_gold": len(gold_units),
            }
        )
    return scores


def aggregate(page_scores: Sequence[Mapping[str, float]], kinds: Sequence[str] = KINDS) -> dict[str, float]:
    """Macro (``<kind>_p``, ...) and micro (``<kind>_micro_p``, ...) scores over pages.

    >>> pages = [score_page("a b c d", "a b c d"), score_page("a b c d e f g", "x y z")]
    >>> agg = aggregate(pages)
    >>> agg["pages"], agg["sh4_f1"], agg["sh4_micro_p"], round(agg["sh4_micro_r"], 4)
    (2, 0.5, 0.2, 0.5)
    """
    if not page_scores:
        raise ValueError("aggregate() needs at least one page score")
    n = len(page_scores)
    result: dict[str, float] = {"pages": n}
    for kind in kinds:
        for metric in ("p", "r", "f1"):
            result[f"{kind}_{metric}"] = sum(s[f"{kind}_{metric}"] for s in page_scores) / n
        tp, n_out, n_gold = (int(sum(s[f"{kind}_{count}"] for s in page_scores)) for count in ("tp", "out", "gold"))
        p, r, f1 = prf(tp, n_out, n_gold)
        result.update({f"{kind}_micro_p": p, f"{kind}_micro_r": r, f"{kind}_micro_f1": f1})
    return result
