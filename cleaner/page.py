"""The working state of one document while it is cleaned: its lines, what
is left of each, and the removals so far. Rules and heuristics read it and
ask it to drop lines or strip spans; nothing else changes it.

>>> page = Page.from_text("Home\\n\\nA sentence that stays.")
>>> page.drop(0, "NAV001")
>>> [page.text(i) for i in page.alive()]
['A sentence that stays.']
>>> page.removals
[Removal(line=1, rule='NAV001', text='Home', start=None, end=None, detail=None)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from cleaner.doc import Removal

_WORD_RE = re.compile(r"\w+")
#: A white-space separated token with a letter or digit in it: one match
#: per such token, from its start to its first word character. (Written so
#: that a long run of symbols costs one pass, not one per character.)
_TOKEN_RE = re.compile(r"(?<!\S)\S*?\w")
#: What a line of running text ends with: sentence punctuation, possibly
#: followed by closing quotes or brackets.
_CLAUSE_MARK_RE = re.compile(r"[.,;:!?…。，、；！？।॥۔،؛؟።፣]")
#: Closing quotes or brackets after a sentence's last mark.
_CLOSER_CHARS = "\"'”’»)]"
_CLOSERS = r"[\"'”’»)\]]*"
#: A sentence ends with one of these marks (closers after it allowed) ...
_SENTENCE_MARKS = frozenset(".!?…。！？")
#: ... or with a closing quote (a quote ends the sentence inside it).
_END_QUOTES = frozenset('"”’»')
#: A full stop, '!' or '?' at the end (closers allowed): not an ellipsis,
#: not a closing quote alone, which headlines end with too.
STOP_END_RE = re.compile(rf"[.!?。！？]{_CLOSERS}$")


def split_lines(text: str) -> list[str]:
    """Split text into lines; ``\\r\\n`` and ``\\r`` count as line breaks.

    >>> split_lines("a\\r\\nb\\rc\\n")
    ['a', 'b', 'c', '']
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


#: Chinese and Japanese write without spaces: a run of ideographs or kana
#: counts one word per this many characters (about a word's length there).
CJK_CHARS_PER_WORD = 2
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def count_words(text: str) -> int:
    """Words as the cleaner counts them: white-space separated tokens that
    contain a letter or digit; in Chinese and Japanese, every
    ``CJK_CHARS_PER_WORD`` ideographs or kana count as a word.

    >>> count_words("Share — on Facebook!")
    3
    >>> count_words("これが非常に困ったもの。")
    6
    """
    if not _CJK_RE.search(text):
        return len(_TOKEN_RE.findall(text))
    n = 0
    for tok in text.split():
        cjk = _CJK_RE.findall(tok)
        if not cjk:
            n += 1 if _WORD_RE.search(tok) else 0
            continue
        rest = _CJK_RE.sub(" ", tok)
        n += sum(-(-len(run) // CJK_CHARS_PER_WORD) for run in cjk) + sum(1 for w in rest.split() if _WORD_RE.search(w))
    return n


def is_sentence(text: str) -> bool:
    """True when the line ends like running text does.

    >>> is_sentence("He said so."), is_sentence("Latest stories")
    (True, False)
    """
    # Tested on the last characters (what ``[.!?…。！？]{_CLOSERS}$|["”’»]$``
    # matches), not by a regex search, which tries every position.
    text = text.rstrip()
    if text[-1:] in _END_QUOTES:
        return True
    bare = text.rstrip(_CLOSER_CHARS)
    return bare[-1:] in _SENTENCE_MARKS


#: A line whose words are at least this share capitalized is Title Case.
TITLE_CASE_SHARE = 0.6


def case_counts(words: Iterable[str]) -> tuple[int, int, int]:
    """Of the ``words`` that start with a letter: how many start with a
    capital, how many with a lower-case letter, and how many there are.

    >>> case_counts("The 4 Best Vegan spots in Detroit".split())
    (4, 2, 6)
    """
    upper = lower = n = 0
    for w in words:
        first = w[:1]
        if first.isalpha():
            n += 1
            upper += first.isupper()
            lower += first.islower()
    return upper, lower, n


def _title_case(text: str) -> bool:
    upper, _, n = case_counts(text.split())
    return n > 0 and upper >= TITLE_CASE_SHARE * n


def is_prose(text: str, min_words: int = 10) -> bool:
    """A line that reads as article prose: a sentence of ``min_words`` words
    or more, or a very long line whatever its ending, unless it is Title
    Case without any punctuation (a fused menu or a line of tags; a
    transcript without punctuation is still prose).

    >>> is_prose("Russia continues to help China develop its own missile early warning system.")
    True
    >>> is_prose("Chinese movies scrap Lunar New Year premieres due to virus outbreak")
    False
    >>> is_prose(" ".join(["Rankings and Research Companies Channelcast Marketing Matters Events Jobs"] * 4))
    False
    >>> is_prose(" ".join(["भारत में चुनाव आयोग ने आज नई तारीखों की घोषणा की"] * 4) + "।")
    True
    >>> is_prose(" ".join(["so we went down to the river and the water was very high"] * 3))
    True
    """
    n = count_words(text)
    return n >= min_words and _long_prose(text, min_words, n, is_sentence(text))


def _long_prose(text: str, min_words: int, n: int, sentence: bool) -> bool:
    """``is_prose`` for a line of ``n >= min_words`` words; ``sentence``
    says whether it ends like one."""
    if n >= 3 * min_words:
        # Word soup (a fused menu, a tag line) has no punctuation and is
        # mostly capitalized; a transcript without punctuation is not.
        return sentence or bool(_CLAUSE_MARK_RE.search(text)) or not _title_case(text)
    return sentence or text.rstrip().endswith(":")


@dataclass(slots=True)
class Hit:
    """A heuristic's finding: drop line ``index``, or strip ``span`` (offsets
    into the line's current text) from it. ``detail`` says why, briefly.
    (Not frozen: a frozen dataclass takes three times as long to make, and
    a page can have hundreds of hits.)"""

    index: int
    detail: str | None = None
    span: tuple[int, int] | None = None


class Page:
    """Mutable cleaning state of one document (see the module docstring)."""

    def __init__(self, lines: list[str]) -> None:
        self.originals = lines
        self._texts = list(lines)
        # For lines that lost a span: which original characters are left.
        self._kept_chars: dict[int, list[int]] = {}
        self.dropped: list[str | None] = [None] * len(lines)
        self.removals: list[Removal] = []
        self._alive: list[int] | None = None  # alive(), until a line changes
        self._blank = [not t.strip() for t in lines]
        self._joined: str | None = None  # joined(), computed once
        # Per-line features the heuristics share, computed when first asked
        # for and forgotten when the line's text changes (``strip``); they
        # live as long as the page, never across documents.
        self._filled: list[int] | None = None  # filled(), until a line changes
        self._filled_input: list[int] | None = None  # filled_in_input(), computed once
        self._words: list[int | None] = [None] * len(lines)
        self._sentence: list[bool | None] = [None] * len(lines)
        self._prose: dict[int, dict[int, bool]] = {}  # min_words -> line -> is_prose

    @classmethod
    def from_text(cls, text: str) -> Page:
        return cls(split_lines(text))

    def __len__(self) -> int:
        return len(self.originals)

    def joined(self) -> str:
        """The input lines joined with newlines (for one regex scan of the
        whole page before a line-by-line pass)."""
        if self._joined is None:
            self._joined = "\n".join(self.originals)
        return self._joined

    def text(self, i: int) -> str:
        return self._texts[i]

    def is_alive(self, i: int) -> bool:
        return self.dropped[i] is None and not self._blank[i]

    def is_blank(self, i: int) -> bool:
        """True when line ``i``'s current text is only white space."""
        return self._blank[i]

    def filled(self) -> list[int]:
        """Indices of the lines whose current text is not blank, removed or
        not (do not modify the list)."""
        if self._filled is None:
            self._filled = [i for i, blank in enumerate(self._blank) if not blank]
        return self._filled

    def filled_in_input(self) -> list[int]:
        """Indices of the lines not blank in the input (do not modify the list)."""
        if self._filled_input is None:
            self._filled_input = [i for i, t in enumerate(self.originals) if t.strip()]
        return self._filled_input

    def words(self, i: int) -> int:
        """``count_words(text(i))``, counted once while the line is unchanged."""
        n = self._words[i]
        if n is None:
            n = self._words[i] = count_words(self._texts[i])
        return n

    def input_words(self) -> int:
        """``count_words`` of the input (words add up line by line: no word
        spans a line break), reusing the counts of unchanged lines."""
        changed = self._kept_chars
        return sum(
            self.words(i) if i not in changed else count_words(self.originals[i]) for i in self.filled_in_input()
        )

    def output_words(self) -> int:
        """``count_words(self.output())``: the words of the lines kept."""
        dropped = self.dropped
        return sum(self.words(i) for i in self.filled() if dropped[i] is None)

    def sentence(self, i: int) -> bool:
        """``is_sentence(text(i))``, tested once while the line is unchanged."""
        ends = self._sentence[i]
        if ends is None:
            ends = self._sentence[i] = is_sentence(self._texts[i])
        return ends

    def prose(self, i: int, min_words: int = 10) -> bool:
        """``is_prose(text(i), min_words)``, judged once while the line is unchanged."""
        known = self._prose.setdefault(min_words, {})
        verdict = known.get(i)
        if verdict is None:
            n = self.words(i)
            verdict = n >= min_words and _long_prose(self._texts[i], min_words, n, self.sentence(i))
            known[i] = verdict
        return verdict

    def alive(self) -> list[int]:
        """Indices of the lines still in the output that are not blank."""
        return list(self._alive_lines())

    def _alive_lines(self) -> list[int]:
        if self._alive is None:
            dropped = self.dropped
            self._alive = [i for i in self.filled() if dropped[i] is None]
        return self._alive

    def iter_alive(self) -> Iterator[tuple[int, str]]:
        """``(index, text)`` of the alive lines (the lines as they are now)."""
        alive = self._alive_lines()
        return zip(alive, map(self._texts.__getitem__, alive), strict=True)

    def drop(self, i: int, rule: str, detail: str | None = None) -> None:
        if self.dropped[i] is not None:
            return
        self.dropped[i] = rule
        self._alive = None
        self.removals.append(Removal(line=i + 1, rule=rule, text=self._texts[i], detail=detail))

    def strip(self, i: int, start: int, end: int, rule: str, detail: str | None = None) -> None:
        """Remove ``text(i)[start:end]``; a line left without a letter or
        digit is dropped whole by the same rule."""
        if self.dropped[i] is not None or start >= end:
            return
        kept = self._kept_chars.get(i) or list(range(len(self.originals[i])))
        gone = kept[start:end]
        # One removal per contiguous run of original characters.
        run_start = prev = gone[0]
        for pos in [*gone[1:], None]:
            if pos is None or pos != prev + 1:
                orig = self.originals[i]
                self.removals.append(
                    Removal(
                        line=i + 1,
                        rule=rule,
                        text=orig[run_start : prev + 1],
                        start=run_start,
                        end=prev + 1,
                        detail=detail,
                    )
                )
                if pos is not None:
                    run_start = pos
            if pos is not None:
                prev = pos
        self._kept_chars[i] = kept[:start] + kept[end:]
        self._alive = None
        self._texts[i] = "".join(self.originals[i][k] for k in self._kept_chars[i])
        self._forget(i)
        if not _WORD_RE.search(self._texts[i]):
            self.drop(i, rule, detail)

    def _forget(self, i: int) -> None:
        """Line ``i``'s text changed: drop what was known about it."""
        blank = not self._texts[i].strip()
        if blank != self._blank[i]:
            self._blank[i] = blank
            self._filled = None
        self._words[i] = None
        self._sentence[i] = None
        for known in self._prose.values():
            known.pop(i, None)

    def undrop(self, lines: Iterable[int]) -> None:
        """Take back the whole-line removals of these lines (the removal
        budget uses it). Span removals stay."""
        back = {i for i in lines if self.dropped[i] is not None}
        for i in back:
            self.dropped[i] = None
        self._alive = None
        self.removals = [r for r in self.removals if not (r.line - 1 in back and r.start is None)]

    def output(self) -> str:
        return assemble(self._texts, self.dropped)


def assemble(texts: list[str], dropped: list[str | None]) -> str:
    """Join the surviving lines. Blank lines survive only between two kept
    lines, at most one in a row, so removals never leave holes.

    >>> assemble(["a", "", "junk", "", "b", ""], [None, None, "X", None, None, None])
    'a\\n\\nb'
    """
    out: list[str] = []
    pending_blank = False
    for text, gone in zip(texts, dropped, strict=True):
        if gone is not None:
            continue
        if not text.strip():
            pending_blank = bool(out)
            continue
        if pending_blank:
            out.append("")
            pending_blank = False
        out.append(text)
    return "\n".join(out)
