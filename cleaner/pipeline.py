"""Stages wired together. Every stage takes and yields documents and counts
what it does into the report; a pipeline is a list of stages.

>>> from cleaner.clean import Cleaner
>>> report = Report()
>>> docs = [Doc(id="a", text="ADVERTISEMENT\\nThe bridge will close for repairs on Monday, the council said.")]
>>> [d.text for d in run_pipeline(docs, [CleanStage(Cleaner())], report)]
['The bridge will close for repairs on Monday, the council said.']
>>> report.counts["lines_removed.ADS001"]
1
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol

from cleaner.clean import Cleaner
from cleaner.doc import Doc, Removal
from cleaner.extract import extract_html
from cleaner.page import count_words, split_lines
from cleaner.report import Report


class Stage(Protocol):
    name: str

    def run(self, docs: Iterable[Doc], report: Report) -> Iterator[Doc]: ...


class ExtractStage:
    """HTML documents -> text with trafilatura (or the plain fallback); the
    extractor's title/author/date/site go to the document's metadata."""

    name = "extract"

    def run(self, docs: Iterable[Doc], report: Report) -> Iterator[Doc]:
        for doc in docs:
            if doc.status == "kept" and doc.html is not None:
                result = extract_html(doc.html, url=doc.metadata.get("url") or None)
                doc.text, doc.html = result.text, None
                doc.extracted_by = result.method
                doc.metadata = {**result.metadata, **doc.metadata}  # the container (WARC) knows the url best
                report.count(f"docs_extracted.{result.method}")
            yield doc


class LangStage:
    """Tag each document's language (see :mod:`cleaner.langid`) and, when
    ``keep`` is given, drop the documents in other languages (counted as
    ``docs_dropped.lang``; ``und`` is kept only if listed)."""

    name = "lang"

    def __init__(self, cleaner: Cleaner, keep: frozenset[str] | None = None) -> None:
        self.cleaner = cleaner
        self.keep = keep

    def run(self, docs: Iterable[Doc], report: Report) -> Iterator[Doc]:
        for doc in docs:
            if doc.status == "kept":
                doc.lang, doc.lang_confidence = self.cleaner.language_of(doc.text)
                report.count(f"docs_lang.{doc.lang}")
                if self.keep is not None and doc.lang not in self.keep:
                    doc.status, doc.reason = "dropped", f"language {doc.lang} not in --lang"
                    report.count("docs_dropped.lang")
            yield doc


class CleanStage:
    """Rule packs and heuristics, per document."""

    name = "clean"

    def __init__(self, cleaner: Cleaner) -> None:
        self.cleaner = cleaner

    def run(self, docs: Iterable[Doc], report: Report) -> Iterator[Doc]:
        for doc in docs:
            if doc.status == "kept":
                report.merge(*clean_document(self.cleaner, doc))
            yield doc


#: Rejected records listed by place and reason in the report (all are counted).
MAX_REJECT_EXAMPLES = 20
#: Histogram bins of the share of a document's words removed (10 % each).
SHARE_BINS = 10
#: Characters of context kept on each side of a removed line in examples.
CONTEXT_CHARS = 160


def clean_document(cleaner: Cleaner, doc: Doc) -> tuple[Counter[str], list[tuple[str, dict[str, Any]]]]:
    """Clean one document in place; return its counters and its removal
    examples for the report. Pure per document, so it can run anywhere."""
    lines = split_lines(doc.text)
    result = cleaner.clean(doc.text, doc.lang, doc.lang_confidence, extracted=doc.extracted_by is not None)
    counts: Counter[str] = Counter()
    counts["lines_in"] = sum(1 for ln in lines if ln.strip())
    counts["words_in"] = result.words_in
    counts["words_removed"] = result.words_removed
    counts["bytes_in"] = len(doc.text.encode("utf-8"))
    counts["bytes_out"] = len(result.text.encode("utf-8"))
    counts["words_out"] = result.words_in - result.words_removed
    share = result.words_removed / result.words_in if result.words_in else 0.0
    counts[f"removal_share.{min(int(share * SHARE_BINS), SHARE_BINS - 1)}"] += 1
    examples = []
    for r in result.removals:
        kind = "spans_removed" if r.is_span else "lines_removed"
        counts[kind] += 0 if r.is_span else 1
        counts[f"{kind}.{r.rule}"] += 1
        counts[f"words_removed.{r.rule}"] += count_words(r.text)
        examples.append((r.rule, _example(doc.id, lines, r)))
    for rule in {r.rule for r in result.removals}:
        counts[f"docs_touched.{rule}"] += 1
    for flag in result.flags:
        counts[f"docs_flagged.{flag}"] += 1
    counts["lines_out"] = sum(1 for ln in split_lines(result.text) if ln.strip())
    doc.text = result.text
    doc.removals = result.removals
    doc.flags = [*doc.flags, *result.flags]
    doc.words_in = result.words_in
    doc.words_removed = result.words_removed
    return counts, examples


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


class EmptyStage:
    """Documents with no text left are written with a reason, or dropped
    with that reason when ``drop`` is set (``--drop-empty``)."""

    name = "empty"

    def __init__(self, drop: bool) -> None:
        self.drop = drop

    def run(self, docs: Iterable[Doc], report: Report) -> Iterator[Doc]:
        for doc in docs:
            if doc.status == "kept" and not doc.text.strip():
                doc.reason = "empty input" if doc.words_in == 0 else "empty after cleaning"
                report.count("docs_empty")
                if self.drop:
                    doc.status = "dropped"
                    report.count(f"docs_dropped.{reason_key(doc.reason)}")
            yield doc


def run_pipeline(docs: Iterable[Doc], stages: Sequence[Stage], report: Report) -> Iterator[Doc]:
    """Chain the stages over ``docs`` (lazily: documents stream through).
    Documents a reader yields already dropped (a WARC record that is not
    HTML) are counted with their reason."""

    def counted(it: Iterable[Doc]) -> Iterator[Doc]:
        seen: set[int] = set()
        for doc in it:
            report.count("docs_in")
            if doc.status == "dropped":
                report.count(f"docs_dropped.{reason_key(doc.reason)}")
            elif doc.status == "rejected":
                report.count(f"docs_rejected.{reason_key(doc.reason)}")
                rejects = report.info.setdefault("rejects", [])
                if len(rejects) < MAX_REJECT_EXAMPLES:
                    rejects.append({"where": doc.source, "reason": doc.reason})
            else:
                key = hash(doc.id)
                if key in seen:
                    report.count("docs_duplicate_id")
                    doc.flags = [*doc.flags, "duplicate_id"]
                seen.add(key)
            for flag in doc.flags:
                report.count(f"docs_flagged.{flag}")
            yield doc

    stream: Iterator[Doc] = _timed(counted(docs), "read", report, None)
    upstream = "read"
    for stage in stages:
        stream = _timed(iter(stage.run(stream, report)), stage.name, report, upstream)
        upstream = stage.name
    return stream


def _timed(stream: Iterator[Doc], name: str, report: Report, upstream: str | None) -> Iterator[Doc]:
    """Seconds spent in this stage alone: the time to produce its documents
    (which includes pulling from the stage before it) minus that stage's own
    inclusive time. Stages form a chain, so the difference is exact."""
    inclusive = report.info.setdefault("_inclusive", {})
    inclusive.setdefault(name, 0.0)
    while True:
        start = time.perf_counter()
        try:
            doc = next(stream)
        except StopIteration:
            doc = None
        inclusive[name] += time.perf_counter() - start
        report.timings[name] = inclusive[name] - (inclusive.get(upstream, 0.0) if upstream else 0.0)
        if doc is None:
            return
        yield doc


def reason_key(reason: str | None) -> str:
    """``not_html`` for "WARC record is not HTML (image/png)" and so on."""
    text = (reason or "unknown").split(" (")[0].split(":")[0].lower()
    for prefix in ("warc record is ", "language "):
        text = text.removeprefix(prefix)
    return "_".join(text.split())[:40] or "unknown"
