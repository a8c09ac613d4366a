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

from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

from cleaner.clean import Cleaner
from cleaner.doc import Doc
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
            if doc.status != "kept":
                yield doc
                continue
            result = self.cleaner.clean(doc.text, doc.lang, doc.lang_confidence, extracted=doc.extracted_by is not None)
            report.count("lines_in", sum(1 for ln in split_lines(doc.text) if ln.strip()))
            report.count("words_in", result.words_in)
            report.count("words_removed", result.words_removed)
            for r in result.removals:
                if not r.is_span:
                    report.count("lines_removed")
                    report.count(f"lines_removed.{r.rule}")
                    report.count(f"words_removed.{r.rule}", count_words(r.text))
                else:
                    report.count(f"spans_removed.{r.rule}")
            for flag in result.flags:
                report.count(f"docs_flagged.{flag}")
            doc.text = result.text
            doc.removals = result.removals
            doc.flags = [*doc.flags, *result.flags]
            doc.words_in = result.words_in
            doc.words_removed = result.words_removed
            yield doc


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
                    report.count(f"docs_dropped.{_reason_key(doc.reason)}")
            yield doc


def run_pipeline(docs: Iterable[Doc], stages: Sequence[Stage], report: Report) -> Iterator[Doc]:
    """Chain the stages over ``docs`` (lazily: documents stream through).
    Documents a reader yields already dropped (a WARC record that is not
    HTML) are counted with their reason."""

    def counted(it: Iterable[Doc]) -> Iterator[Doc]:
        for doc in it:
            report.count("docs_in")
            if doc.status == "dropped":
                report.count(f"docs_dropped.{_reason_key(doc.reason)}")
            yield doc

    stream: Iterable[Doc] = counted(docs)
    for stage in stages:
        stream = stage.run(stream, report)
    return iter(stream)


def _reason_key(reason: str | None) -> str:
    """``not_html`` for "WARC record is not HTML (image/png)" and so on."""
    text = (reason or "unknown").split(" (")[0].lower()
    for prefix in ("warc record is ", "language "):
        text = text.removeprefix(prefix)
    return "_".join(text.split())[:40] or "unknown"
