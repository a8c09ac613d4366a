"""Cross-document template lines: a line that many documents of the same
source carry (a menu, a footer, "Most read") is boilerplate there, unless it
is long prose.

The counts are learned in a first pass over the input, before any document
is cleaned: for each source (the site of the document's ``url``, or the
input file when there is none) the number of documents each short line
appears in. Counts are exact, so the result does not depend on document
order. Only hashes are held: 8 bytes a line key plus the dictionary's own
cost, for lines that are not long prose.

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

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import xxhash

from cleaner.page import count_words, is_sentence, split_lines

#: A line is template when at least this many documents of its source have it ...
MIN_DOCS = 5
#: ... and at least this share of the source's documents do.
MIN_SHARE = 0.3
#: Lines of this many words or more that read as sentences are never template.
PROSE_WORDS = 20


def line_key(text: str) -> int | None:
    """The hash a line is counted under, or ``None`` for blank lines and long
    prose (never template)."""
    norm = " ".join(text.casefold().split())
    if not norm:
        return None
    if count_words(norm) >= PROSE_WORDS and is_sentence(norm):
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


@dataclass
class TemplateCounts:
    """Documents per (source, line) and documents per source."""

    lines: Counter[tuple[int, int]] = field(default_factory=Counter)
    docs: Counter[int] = field(default_factory=Counter)

    def add(self, source: str, text: str) -> None:
        s = source_key(source)
        self.docs[s] += 1
        keys = {k for k in map(line_key, split_lines(text)) if k is not None}
        self.lines.update((s, k) for k in keys)

    def learn(self, min_docs: int = MIN_DOCS, min_share: float = MIN_SHARE) -> Templates:
        by_source: dict[int, dict[int, int]] = {}
        for (s, k), n in self.lines.items():
            if n >= min_docs and n >= min_share * self.docs[s]:
                by_source.setdefault(s, {})[k] = n
        return Templates(by_source, dict(self.docs))


@dataclass(frozen=True)
class Templates:
    """The template lines learned per source: line key -> documents."""

    by_source: dict[int, dict[int, int]]
    docs: dict[int, int]

    def lines_for(self, source: str) -> dict[int, int]:
        return self.by_source.get(source_key(source), {})

    def size(self) -> int:
        return sum(len(v) for v in self.by_source.values())
