"""Cleaning one document for the pipeline: the cleaned text goes back into
the document, and what it removed comes back as report counters and
examples. Pure per document, so it runs the same in a worker process (see
:mod:`cleaner.runner`, which drives it, and :mod:`cleaner.execute`).

>>> from cleaner.clean import Cleaner
>>> doc = Doc(id="a", text="ADVERTISEMENT\\nThe bridge will close for repairs on Monday, the council said.")
>>> counts, examples = clean_document(Cleaner(), doc)
>>> doc.text, counts["lines_removed.ADS001"], examples[0][1]["text"]
('The bridge will close for repairs on Monday, the council said.', 1, 'ADVERTISEMENT')
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from cleaner.clean import Cleaner
from cleaner.doc import Doc, Removal
from cleaner.page import count_words, split_lines
from cleaner.report import EXAMPLES_PER_RULE

#: Histogram bins of the share of a document's words removed (10 % each).
SHARE_BINS = 10
#: Characters of context kept on each side of a removed line in examples.
CONTEXT_CHARS = 160


def clean_document(
    cleaner: Cleaner, doc: Doc, template: Mapping[int, int] | None = None
) -> tuple[Counter[str], list[tuple[str, dict[str, Any]]]]:
    """Clean one document in place; return its counters and its removal
    examples for the report. Pure per document, so it can run anywhere."""
    lines = split_lines(doc.text)
    result = cleaner.clean(
        doc.text, doc.lang, doc.lang_confidence, extracted=doc.extracted_by is not None, template=template
    )
    counts: Counter[str] = Counter()
    counts["lines_in"] = _non_blank(lines)
    counts["words_in"] = result.words_in
    counts["words_removed"] = result.words_removed
    counts["bytes_in"] = len(doc.text.encode("utf-8"))
    counts["bytes_out"] = len(result.text.encode("utf-8"))
    counts["words_out"] = result.words_in - result.words_removed
    share = result.words_removed / result.words_in if result.words_in else 0.0
    counts[f"removal_share.{min(int(share * SHARE_BINS), SHARE_BINS - 1)}"] += 1
    counts.update(_removal_counts(result.removals))
    for flag in result.flags:
        counts[f"docs_flagged.{flag}"] += 1
    counts["lines_out"] = _non_blank(split_lines(result.text))
    doc.text = result.text
    doc.removals = result.removals
    doc.lines_removed = counts["lines_removed"]  # result.lines_removed, counted once
    doc.flags = [*doc.flags, *result.flags]
    doc.words_in = result.words_in
    doc.words_removed = result.words_removed
    return counts, _examples(doc.id, lines, result.removals)


def _non_blank(lines: list[str]) -> int:
    return len(list(filter(str.strip, lines)))


def _removal_counts(removals: list[Removal]) -> Counter[str]:
    """``lines_removed`` (and ``spans_removed``, which holds 0: spans are
    counted apart), then by rule: lines and spans removed, words removed,
    and the document as touched by it. Tallied by rule first, then one key
    per rule (a page has a hundred removals or more, of a dozen rules)."""
    lines: Counter[str] = Counter()
    spans: Counter[str] = Counter()
    texts: dict[str, list[str]] = {}
    for r in removals:
        (lines if r.start is None else spans)[r.rule] += 1
        texts.setdefault(r.rule, []).append(r.text)
    # Words add up across line breaks: one count per rule, not per removal.
    words = {rule: count_words("\n".join(parts)) for rule, parts in texts.items()}
    counts: Counter[str] = Counter()
    if lines:
        counts["lines_removed"] = lines.total()
    if spans:
        counts["spans_removed"] = 0
    counts.update({f"lines_removed.{rule}": n for rule, n in lines.items()})
    counts.update({f"spans_removed.{rule}": n for rule, n in spans.items()})
    counts.update({f"words_removed.{rule}": n for rule, n in words.items()})
    counts.update({f"docs_touched.{rule}": 1 for rule in words})
    return counts


def _examples(doc_id: str, lines: list[str], removals: list[Removal]) -> list[tuple[str, dict[str, Any]]]:
    """The first few removals of each rule, as report examples. The report
    keeps the first few per rule in input order: more from one document
    could never be among them."""
    shown: Counter[str] = Counter()
    examples = []
    for r in removals:
        shown[r.rule] += 1
        if shown[r.rule] <= EXAMPLES_PER_RULE:
            examples.append((r.rule, _example(doc_id, lines, r)))
    return examples


def _example(doc_id: str, lines: list[str], r: Removal) -> dict[str, Any]:
    """A removed line with its neighbouring non-blank lines, for the report."""
    i = r.line - 1
    before = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
    after = next((lines[j] for j in range(i + 1, len(lines)) if lines[j].strip()), "")
    return {
        "doc": doc_id,
        "line": r.line,
        "text": r.text[: CONTEXT_CHARS * 2],
        "before": before[-CONTEXT_CHARS:],
        "after": after[:CONTEXT_CHARS],
        "span": r.is_span,
    }


def reason_key(reason: str | None) -> str:
    """``not_html`` for "WARC record is not HTML (image/png)" and so on."""
    text = (reason or "unknown").split(" (")[0].split(":")[0].lower()
    for prefix in ("warc record is ", "language "):
        text = text.removeprefix(prefix)
    return "_".join(text.split())[:40] or "unknown"
