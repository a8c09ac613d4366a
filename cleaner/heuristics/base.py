"""The registry of heuristics and the helpers they share."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from cleaner.page import Hit, Page

HeuristicFn = Callable[[Page], list[Hit]]


@dataclass(frozen=True)
class Heuristic:
    id: str
    category: str
    why: str
    fn: HeuristicFn
    removes: tuple[Any, ...]
    keeps: tuple[Any, ...]
    misses: tuple[Any, ...] = ()
    #: Works on the layout of a flattened page (menus, sidebars and lists
    #: around the article). Skipped on text an extractor (trafilatura)
    #: already cut down to the main content, where it only costs recall.
    layout: bool = False
    #: The module that defines it (reports show it).
    source: str = ""
    action: str = "heuristic"


REGISTRY: dict[str, Heuristic] = {}


def heuristic(
    id: str,
    category: str,
    why: str,
    removes: list[Any],
    keeps: list[Any],
    misses: list[Any] | None = None,
    layout: bool = False,
) -> Callable[[HeuristicFn], HeuristicFn]:
    """Register a heuristic under ``id`` (see :mod:`cleaner.heuristics`)."""

    def register(fn: HeuristicFn) -> HeuristicFn:
        if id in REGISTRY:
            raise ValueError(f"heuristic id {id!r} registered twice")
        source = fn.__module__.replace(".", "/") + ".py"
        REGISTRY[id] = Heuristic(
            id, category, why, fn, tuple(removes), tuple(keeps), tuple(misses or ()), layout, source=source
        )
        return fn

    return register


def norm(text: str) -> str:
    """``text`` as lines are compared: NFKC, case-folded, spaces collapsed.

    >>> norm(" Share\\t on  FACEBOOK\\u00a0"), norm("Ｆｕｌｌ width")
    ('share on facebook', 'full width')
    """
    if not text.isascii():  # NFKC leaves ASCII as it is
        text = unicodedata.normalize("NFKC", text)
    text = text.casefold()
    # Most lines are collapsed already: every white-space character but
    # the space is unprintable, so a printable line without a double,
    # leading or trailing space is (checked much faster than re-joined).
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


#: A word, as the heuristics count them.
WORD_RE = re.compile(r"\w+")
#: A line of at least this many words that ends like a sentence is prose.
PROSE_MIN_WORDS = 8


def lines_with(text: str, pattern: re.Pattern[str]) -> list[int]:
    """The numbers of the lines of ``text`` where ``pattern`` finds a match
    (where each match starts), in order, each once: one scan of the text
    instead of one call per line.

    >>> lines_with("a\\nb x\\nc\\nx x", re.compile("x"))
    [1, 3]
    """
    out: list[int] = []
    line, at = 0, 0
    for m in pattern.finditer(text):
        line += text.count("\n", at, m.start())
        at = m.start()
        if not out or out[-1] != line:
            out.append(line)
    return out


def lines_with_words(text: str, words: Iterable[str]) -> list[int]:
    """The numbers of the lines of ``text`` that contain one of ``words``
    (which hold no line break), in order, each once: what
    ``lines_with(text, re.compile("|".join(words)))`` finds, with a
    ``str.find`` per word, several times faster than a regex alternation.

    >>> lines_with_words("a reply\\nb\\ncomments, replies", ["repl", "comment"])
    [0, 2]
    """
    starts = []
    for word in words:
        at = text.find(word)
        while at >= 0:
            starts.append(at)
            at = text.find(word, at + 1)
    out: list[int] = []
    line, prev = 0, 0
    for at in sorted(starts):
        line += text.count("\n", prev, at)
        prev = at
        if not out or out[-1] != line:
            out.append(line)
    return out


def any_line_starts(page: Page, pattern: re.Pattern[str]) -> bool:
    """Whether ``pattern`` matches at the start of some input line of
    ``page``: one scan of the page. ``pattern`` starts with a newline,
    not ``(?m)^``: the regex engine then jumps from line break to line
    break instead of trying every position (3 to 5 times faster).

    >>> any_line_starts(Page.from_text("a\\nQ: why?"), re.compile(r"\\nQ:"))
    True
    """
    return pattern.search("\n" + page.joined()) is not None


def lines_starting(page: Page, pattern: re.Pattern[str]) -> list[int]:
    """The input lines of ``page`` where ``pattern``, which starts with a
    newline (see :func:`any_line_starts`), matches at the line's start.

    >>> lines_starting(Page.from_text("Q: a\\nb\\nQ: c"), re.compile(r"\\nQ:"))
    [0, 2]
    """
    return lines_with("\n" + page.joined(), pattern)


def line_before(page: Page, i: int) -> int | None:
    """The nearest line before ``i`` that is not blank in the input,
    whether or not it was removed."""
    return next((j for j in range(i - 1, -1, -1) if page.originals[j].strip()), None)


def line_after(page: Page, i: int) -> int | None:
    """The nearest line after ``i`` that is not blank in the input, whether
    or not it was removed."""
    return next((j for j in range(i + 1, len(page)) if page.originals[j].strip()), None)
