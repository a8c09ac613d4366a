"""Cross-document template lines: a line that many documents of the same
source carry (a menu, a footer, "Most read") is boilerplate there, unless it
is long prose.

The counts are learned in a first pass over the input, before any document
is cleaned: for each source (the site of the document's ``url``, or the
input file when there is none) the number of documents each short line
appears in. Counts are exact, so the result does not depend on document
order. Only hashes are held, in numpy arrays: :class:`TemplateTally` holds
about 20 bytes a distinct (source, line) for lines that are not long prose.
:func:`learn_templates` counts the input in tallies and merges them; the
Dask backend counts each partition on a worker and merges the tallies on
the cluster. :class:`TemplateCounts` is the same count in a dictionary,
small and plain, the reference the tests compare the tallies with.

>>> counts = TemplateCounts()
>>> for n in range(6):
...     counts.add("example.org", f"Home\\nStory number {n} is about the council.\\nContact us")
>>> learned = counts.learn(min_docs=5, min_share=0.5)
>>> sorted(learned.lines_for("example.org").values())
[6, 6]
>>> learned.lines_for("other.org")
{}
"""

from __future__ import annotations

import itertools
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import xxhash

from cleaner.page import count_words, is_sentence, split_lines

#: A line is template when at least this many documents of its source have it ...
MIN_DOCS = 5
#: ... and at least this share of the source's documents do.
MIN_SHARE = 0.3
#: Lines of this many words or more that read as sentences are never template.
PROSE_WORDS = 20


@lru_cache(maxsize=1 << 16)  # menus and footers repeat across a source's documents
def line_key(text: str) -> int | None:
    """The hash a line is counted under, or ``None`` for blank lines and long
    prose (never template)."""
    norm = " ".join(text.casefold().split())
    if not norm:
        return None
    if is_sentence(norm) and count_words(norm) >= PROSE_WORDS:
        return None
    return xxhash.xxh64_intdigest(norm.encode("utf-8"))


def source_of(fields: Mapping[str, Any], metadata: Mapping[str, Any], default: str) -> str:
    """The site of the document (host of its ``url``, ``www.`` dropped), or
    ``default`` (the input file) when it has no URL."""
    url = fields.get("url") or metadata.get("url") or ""
    if isinstance(url, str) and url:
        host = urlsplit(url).hostname or ""
        if host:
            return host.removeprefix("www.")
    return default


def source_key(source: str) -> int:
    return xxhash.xxh64_intdigest(source.encode("utf-8"))


def _line_keys(text: str) -> set[int]:
    return {k for k in map(line_key, split_lines(text)) if k is not None}


@dataclass
class TemplateCounts:
    """Documents per (source, line) and documents per source."""

    lines: Counter[tuple[int, int]] = field(default_factory=Counter)
    docs: Counter[int] = field(default_factory=Counter)

    def add(self, source: str, text: str) -> None:
        s = source_key(source)
        self.docs[s] += 1
        keys = _line_keys(text)
        self.lines.update((s, k) for k in keys)

    def learn(self, min_docs: int = MIN_DOCS, min_share: float = MIN_SHARE) -> Templates:
        by_source: dict[int, dict[int, int]] = {}
        for (s, k), n in self.lines.items():
            if n >= min_docs and n >= min_share * self.docs[s]:
                by_source.setdefault(s, {})[k] = n
        return Templates(by_source, dict(self.docs))


#: Documents counted into one :class:`TemplateTally` before it joins the others.
TALLY_DOCS = 20_000


def learn_templates(
    items: Iterable[tuple[str, str]], min_docs: int = MIN_DOCS, min_share: float = MIN_SHARE
) -> Templates:
    """The template lines of ``(source, text)`` documents, counted in this
    process in tallies of ``TALLY_DOCS`` documents (see
    :func:`summed_tallies`): about 20 bytes a distinct (source, line),
    however the documents come (the counts are exact, so order cannot
    matter), where a dictionary of Python tuples took about 200."""
    return summed_tallies(_tallies(items, TALLY_DOCS)).learn(min_docs, min_share)


def _tallies(items: Iterable[tuple[str, str]], size: int) -> Iterator[TemplateTally]:
    """Tallies of ``size`` documents each, read lazily (none is held)."""
    it = iter(items)
    while (tally := TemplateTally.of(itertools.islice(it, size))).doc_n.size:
        yield tally


def summed_tallies(tallies: Iterable[TemplateTally]) -> TemplateTally:
    """The sum of ``tallies`` (of disjoint parts of the input, in any order),
    merged as they come: a tally is merged into the one below it once it is
    at least half its size, so the stack holds a few tallies of
    geometrically growing size and each count is merged a logarithmic
    number of times."""
    stack: list[TemplateTally] = []
    for tally in tallies:
        stack.append(tally)
        while len(stack) > 1 and 2 * len(stack[-1].n) >= len(stack[-2].n):
            top = stack.pop()
            stack[-1] = TemplateTally.merge([stack[-1], top])
    return TemplateTally.merge(stack) if len(stack) > 1 else stack[0] if stack else TemplateTally.of([])


_U64 = np.uint64


@dataclass(frozen=True)
class TemplateTally:
    """:class:`TemplateCounts` as arrays: documents per (source, line) in
    ``src``/``line``/``n`` and per source in ``doc_src``/``doc_n``, sorted by
    key. About 20 bytes a (source, line) and no Python object per entry.

    >>> docs = [("a.org", f"Menu\\nStory {n}") for n in range(6)]
    >>> whole = TemplateTally.of(docs)
    >>> parts = TemplateTally.merge([TemplateTally.of(docs[:2]), TemplateTally.of(docs[2:])])
    >>> parts.learn(5, 0.5) == whole.learn(5, 0.5) == learn_templates(docs, 5, 0.5)
    True
    """

    src: np.ndarray
    line: np.ndarray
    n: np.ndarray
    doc_src: np.ndarray
    doc_n: np.ndarray

    @classmethod
    def of(cls, items: Iterable[tuple[str, str]]) -> TemplateTally:
        """Count ``(source, text)`` documents, streamed: the keys are kept in
        typed arrays (8 bytes each), not lists of Python ints, and no
        document is held after its keys are taken."""
        srcs, lines, doc_srcs = array("Q"), array("Q"), array("Q")
        for source, text in items:
            s = source_key(source)
            keys = _line_keys(text)
            doc_srcs.append(s)
            srcs.extend(itertools.repeat(s, len(keys)))
            lines.extend(keys)
        src, line = np.frombuffer(srcs, dtype=_U64), np.frombuffer(lines, dtype=_U64)
        doc_src = np.frombuffer(doc_srcs, dtype=_U64)
        return cls._summed(src, line, np.ones(len(src), np.int32), doc_src, np.ones(len(doc_src), np.int64))

    @classmethod
    def merge(cls, tallies: Sequence[TemplateTally]) -> TemplateTally:
        """The sum of tallies of disjoint parts of the input."""
        return cls._summed(*(np.concatenate([getattr(t, f) for t in tallies]) for f in cls.__dataclass_fields__))

    @classmethod
    def _summed(
        cls, src: np.ndarray, line: np.ndarray, n: np.ndarray, doc_src: np.ndarray, doc_n: np.ndarray
    ) -> TemplateTally:
        (src, line), n = _sum_by((src, line), n)
        (doc_src,), doc_n = _sum_by((doc_src,), doc_n)
        return cls(src, line, n, doc_src, doc_n)

    def learn(self, min_docs: int = MIN_DOCS, min_share: float = MIN_SHARE) -> Templates:
        """What :meth:`TemplateCounts.learn` learns from the same documents."""
        docs_of_source = self.doc_n[np.searchsorted(self.doc_src, self.src)]
        keep = (self.n >= min_docs) & (self.n >= min_share * docs_of_source)
        by_source: dict[int, dict[int, int]] = {}
        for s, k, n in zip(self.src[keep].tolist(), self.line[keep].tolist(), self.n[keep].tolist(), strict=True):
            by_source.setdefault(s, {})[k] = n
        return Templates(by_source, dict(zip(self.doc_src.tolist(), self.doc_n.tolist(), strict=True)))


def _sum_by(keys: tuple[np.ndarray, ...], n: np.ndarray) -> tuple[tuple[np.ndarray, ...], np.ndarray]:
    """``n`` summed over equal rows of ``keys`` (columns); rows sorted by key."""
    order = np.lexsort(keys[::-1])
    keys, n = tuple(k[order] for k in keys), n[order]
    if not len(n):
        return keys, n
    new = np.zeros(len(n), dtype=bool)
    new[0] = True
    for k in keys:
        new[1:] |= k[1:] != k[:-1]
    starts = np.flatnonzero(new)
    return tuple(k[starts] for k in keys), np.add.reduceat(n, starts)


@dataclass(frozen=True)
class Templates:
    """The template lines learned per source: line key -> documents."""

    by_source: dict[int, dict[int, int]]
    docs: dict[int, int]

    def lines_for(self, source: str) -> dict[int, int]:
        return self.by_source.get(source_key(source), {})

    def size(self) -> int:
        return sum(len(v) for v in self.by_source.values())
