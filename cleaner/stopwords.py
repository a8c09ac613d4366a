"""Stop-word lists for about 100 languages, reused from jusText (which
trafilatura depends on), and a way to pick the list that fits a text.

The lists are read as plain files from the installed ``justext`` package
(without importing it, so its optional lxml extras are not needed).

>>> words = stopwords_for("The minister said that the talks would go on and that it was not over.")
>>> "the" in words and "that" in words
True
>>> round(stopword_density("The talks went on for hours in the city.", words), 2)
0.78
"""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from cleaner.errors import CleanerError

_TOKEN_RE = re.compile(r"[^\W\d_]+")
#: Variants of another list that would win ties against it (Simple English
#: is a larger list of English stop words).
SKIPPED_LISTS = frozenset({"Simple_English"})
#: How many tokens of a text are looked at to pick its stop-word list.
SAMPLE_TOKENS = 1500


def tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text.casefold())


@lru_cache(maxsize=1)
def _stoplist_dir() -> Path:
    spec = importlib.util.find_spec("justext")
    if spec is None or not spec.submodule_search_locations:
        raise CleanerError("the stop-word lists need the justext package: pip install justext")
    return Path(next(iter(spec.submodule_search_locations))) / "stoplists"


@lru_cache(maxsize=1)
def all_stoplists() -> dict[str, frozenset[str]]:
    """Language name -> stop words, for every list jusText ships."""
    out = {}
    for path in sorted(_stoplist_dir().glob("*.txt")):
        if path.stem in SKIPPED_LISTS:
            continue
        words = path.read_text(encoding="utf-8").split()
        out[path.stem] = frozenset(w.casefold() for w in words)
    return out


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for lang, words in all_stoplists().items():
        for w in words:
            index.setdefault(w, []).append(lang)
    return {w: tuple(langs) for w, langs in index.items()}


def guess_stoplist_language(text: str) -> str | None:
    """The language whose stop words cover most of the text's tokens (ties
    broken by name), or ``None`` when no list covers any of them."""
    index = _index()
    counts: Counter[str] = Counter()
    for tok in tokens(text)[:SAMPLE_TOKENS]:
        counts.update(index.get(tok, ()))
    if not counts:
        return None
    return min(counts, key=lambda lang: (-counts[lang], lang))


def stopwords_for(text: str, language: str | None = None) -> frozenset[str]:
    """The stop words of ``language`` (a jusText list name such as
    ``English``) or, when it is not given, of the best-fitting list."""
    lang = language or guess_stoplist_language(text)
    if lang is None:
        return frozenset()
    return all_stoplists().get(lang, frozenset())


def stopword_density(text: str, stopwords: frozenset[str]) -> float:
    toks = tokens(text)
    if not toks:
        return 0.0
    return sum(1 for t in toks if t in stopwords) / len(toks)
