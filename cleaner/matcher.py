"""One pass per line for all line-dropping rules of a language.

The naive way runs one ``re.fullmatch`` per rule per line. Here the regexes
of all ``drop-line`` rules are joined into one alternation with a named
group per rule, and the literal lists into one dictionary, so each line
costs one regex call and one lookup. The first rule (in load order) that
matches wins, exactly as in the naive loop: an alternation tries its
branches in order. Rules whose regex cannot be joined safely (numbered or
named back-references, named groups) keep their own call.

:meth:`LineMatcher.first_matches` does the lines of a whole page at once.
With the optional ``hyperscan`` package (installed by default on Linux
x86-64) one scan of the page finds, for every line:

* the regex rules it may match: the line holds a literal the rule needs
  (:mod:`cleaner.prefilter`), and a digit too when every alternative of
  the regex that needs that literal needs a digit;
* whether it may equal a literal of a literal rule (a whole-line pattern
  per rule; the dictionary decides);
* whether it holds a digit, for the rules with no literal (mostly dates),
  which are tried on those lines only when they all need one.

A rule is then tried only on those lines, in the same order, so the result
is the same as :meth:`~LineMatcher.first_match` line by line. Patterns spell
each character in every form that folds to it, so a page is scanned as it
is unless some character folds to more than one (``ß``): such a page is
folded first. Without hyperscan, every line goes through
:meth:`~LineMatcher.first_match`.

>>> from cleaner.rulepack import load_rules
>>> rules = [r for r in load_rules().rules if r.action == "drop-line"]
>>> m = LineMatcher(rules)
>>> m.first_match("ADVERTISEMENT").id, m.first_match("Share this articleComments").id
('ADS001', 'SHARE001')
>>> m.first_match("The council met on Monday.") is None
True
"""

from __future__ import annotations

import platform
import re
from collections.abc import Callable, Container, Iterable, Sequence
from functools import cached_property, lru_cache
from typing import Any

import numpy as np

from cleaner import cache
from cleaner.prefilter import branch_requirements, fold, folds_evenly, needs_digit, prune, required, unfolded
from cleaner.rulepack import Rule, normalize_literal

hyperscan: Any
try:
    import hyperscan
except ImportError:  # pragma: no cover - the pure-Python path is tested by forcing it
    hyperscan = None

#: Literals shorter than this are too common to narrow anything down: a rule
#: that needs one of those is tried on every line ...
MIN_LITERAL_CHARS = 2
#: ... unless it is a single symbol that running text seldom has.
_RARE_CHAR_RE = re.compile(r"[^\w\s.,;:!?'\"()\-–—]")

_GLOBAL_FLAGS_RE = re.compile(r"^\(\?([aiLmsux]+)\)")
_UNSAFE_RE = re.compile(r"\\[1-9]|\(\?P[=<]|\(\?<(?![=!])")


def _branch(rule: Rule) -> str | None:
    """The rule's regex as one branch of the big alternation, or ``None``
    when it must run alone."""
    assert rule.pattern is not None
    pattern = rule.pattern.pattern
    if _UNSAFE_RE.search(pattern):
        return None
    flags = ""
    m = _GLOBAL_FLAGS_RE.match(pattern)
    if m:
        flags, pattern = m.group(1), pattern[m.end() :]
        if set(flags) - set("ims"):
            return None  # (?x): a comment would swallow the closing parenthesis
    if "(?" in pattern and re.search(r"\(\?[aiLmsux]+\)", pattern):
        return None  # global flags in the middle cannot be scoped
    body = f"(?{flags}:{pattern})" if flags else f"(?:{pattern})"
    if rule.anchor == "start":
        body += ".*"
    elif rule.anchor == "search":
        body = f".*?{body}.*"
    return body


def _branch_rule(m: re.Match[str]) -> int:
    """The rule index of the branch (``r<n>``) that matched in a joined alternation."""
    name = m.lastgroup or next(k for k, v in m.groupdict().items() if v is not None)
    return int(name[1:])


class LineMatcher:
    """The first matching ``drop-line`` rule for a line, in one pass."""

    def __init__(self, rules: Sequence[Rule], prefilter: bool = True) -> None:
        self.rules = list(rules)
        self._literals: dict[str, int] = {}
        self._alone: list[int] = []
        branches = []
        for n, rule in enumerate(self.rules):
            if rule.pattern is None:
                for lit in rule.literals:
                    self._literals.setdefault(lit, n)
                continue
            branch = _branch(rule)
            if branch is None:
                self._alone.append(n)
            else:
                branches.append(f"(?P<r{n}>{branch})")
        self._combined = re.compile("|".join(branches)) if branches else None
        #: No line longer than this (normalized) can equal a literal.
        self._literal_chars = max(map(len, self._literals), default=0)
        self._scan = _LiteralScan.build(self) if prefilter and hyperscan is not None else None

    def __getstate__(self) -> dict[str, object]:
        # A hyperscan database does not pickle: workers build their own.
        return {**self.__dict__, "_scan": self._scan is not None}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._scan = _LiteralScan.build(self) if state["_scan"] else None

    def first_matches(self, lines: Sequence[str] | ScannedLines) -> list[Rule | None]:
        """:meth:`first_match` of every line, with one literal scan for all.
        Matchers that look at the same lines can share them as
        :class:`ScannedLines`, prepared for the scan once."""
        if self._scan is None:
            return [self.first_match(line) for line in (lines.texts if isinstance(lines, ScannedLines) else lines)]
        return self._scan.first_matches(lines if isinstance(lines, ScannedLines) else ScannedLines(lines), self.rules)

    def _literal_rule(self, text: str) -> int:
        """The index of the first literal rule that ``text`` (stripped)
        equals, or ``len(self.rules)``. Lines too long to equal any literal
        are not normalized: a line's normalized form keeps every character
        but white space and a trailing run of dots and colons, and case
        folding never shortens it."""
        none = len(self.rules)
        if not self._literals:
            return none
        if len(text) > self._literal_chars and text.isprintable():
            # Printable: its only white space is " ".
            kept = len(text) - text.count(" ") - (len(text) - len(text.rstrip(":. ")))
            if kept > self._literal_chars:
                return none
        return self._literals.get(normalize_literal(text), none)

    def first_match(self, line: str) -> Rule | None:
        text = line.strip()
        best = self._literal_rule(text)
        if self._combined is not None:
            m = self._combined.fullmatch(text)
            if m:
                best = min(best, _branch_rule(m))
        for n in self._alone:
            if n >= best:
                break
            if self.rules[n].matches(text):
                best = n
                break
        return self.rules[best] if best < len(self.rules) else None


def _selective(need: frozenset[str] | None) -> frozenset[str] | None:
    if need is None or any(len(s) < MIN_LITERAL_CHARS and not _RARE_CHAR_RE.fullmatch(s) for s in need):
        return None
    return prune(need)


def _needs(pattern: re.Pattern[str]) -> dict[str, bool] | None:
    """Folded strings one of which is in every line the regex matches, each
    with whether a line must also hold a digit when it is the string found
    (when every alternative of the regex that needs it needs a digit), or
    ``None``."""
    parts = [(_selective(need), digit) for need, digit in branch_requirements(pattern)]
    if any(need is None for need, _ in parts):
        need = _selective(required(pattern))
        return None if need is None else dict.fromkeys(need, needs_digit(pattern))
    out: dict[str, bool] = {}
    for need, digit in parts:
        assert need is not None
        for s in need:
            out[s] = out.get(s, True) and digit
    return out


def _search(rule: Rule) -> Callable[[str], object]:
    """The regex call :meth:`Rule.find` makes for the rule's anchor."""
    assert rule.pattern is not None
    if rule.anchor == "line":
        return rule.pattern.fullmatch
    if rule.anchor == "start":
        return rule.pattern.match
    return rule.pattern.search


#: White space other than " " and the line break the scanned page is joined
#: with: made " " in the page and in the literals alike, so the scan can
#: spell white space as " " and still find a superset of the lines.
_OTHER_SPACE_RE = re.compile(r"[^\S\n ]")


def _scanned(text: str) -> str:
    """``text`` as the scan sees it: all white space but line breaks made a
    space, and folded only if some character does not fold to exactly one
    (the patterns spell each character in all its unfolded forms, so
    unfolded text matches them as its fold would)."""
    if not folds_evenly(text):
        text = fold(text)
    # Other white space is not printable (nor are a few rarer characters).
    return text if text.replace("\n", " ").isprintable() else _OTHER_SPACE_RE.sub(" ", text)


def _hs_chars(text: str) -> str:
    """A hyperscan regex (PCRE syntax, caseless) for ``text`` (folded, white
    space a single " ") in any case: each character in all the forms that
    fold to it."""
    out = []
    for ch in text:
        forms = unfolded(ch)
        if len(forms) == 1 and ch.isascii() and (ch.isalnum() or ch == " "):
            out.append(ch)
        else:
            escaped = "".join(f"\\x{{{ord(c):x}}}" for c in forms)
            out.append(escaped if len(forms) == 1 else f"[{escaped}]")
    return "".join(out)


def _whole_line(literals: Iterable[str]) -> str:
    """A hyperscan regex for the lines of a scanned page whose normalized
    form (:func:`~cleaner.rulepack.normalize_literal`) may be one of
    ``literals`` (normalized): the words with any white space between,
    then any white space, dots and colons. It can match more lines than
    that (a line ending in " . :"), never fewer; the dictionary decides."""
    alts = sorted({" +".join(_hs_chars(w) for w in fold(lit).split()) for lit in literals})
    # Lines are stripped: no white space before the first word. (Spelling
    # it " *" anyway made hyperscan 5.4 miss a line after one that ends in
    # many spaces; the tests try such lines.)
    return f"^(?:{'|'.join(alts)})[ :.]*$"


@lru_cache(maxsize=1)
def _other_digits() -> str:
    """A hyperscan class of every character Python's ``\\d`` matches but 0-9."""
    codes = np.r_[0x80:0xD800, 0xE000:0x110000].astype("<u4")  # all but ASCII and surrogates
    beyond_ascii = codes.tobytes().decode("utf-32-le")
    runs = [(int(codes[m.start()]), int(codes[m.end() - 1])) for m in re.finditer(r"\d+", beyond_ascii)]
    return "[" + "".join(f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in runs) + "]"


def _database(expressions: list[bytes], flags: list[int]) -> Any:
    """The hyperscan database of ``expressions`` (ids 0, 1, ...), from the
    disk cache when it was compiled before (compiling the default packs'
    takes about half a second; loading it, a millisecond)."""

    def compiled() -> bytes:
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        db.compile(expressions=expressions, ids=list(range(len(expressions))), flags=flags)
        return bytes(hyperscan.dumpb(db))

    key = (getattr(hyperscan, "__version__", ""), platform.machine(), expressions, flags)
    load = lambda data: hyperscan.loadb(data, hyperscan.HS_MODE_BLOCK)  # noqa: E731
    return cache.cached("hyperscan", key, compiled, load, builder=__file__)


class _LiteralScan:
    """The hyperscan prefilter of one :class:`LineMatcher`: one scan of the
    page (see :func:`_scanned`) finds, for each line, the regex rules whose
    required literal it holds, whether it may equal a literal rule's
    literal and whether it has a digit."""

    def __init__(
        self,
        matcher: LineMatcher,
        literals: list[str],
        users: list[tuple[int, ...]],
        digit_users: list[tuple[int, ...]],
        literal_rules: list[int],
        always: list[int],
    ):
        rules = matcher.rules
        self.literal_rule = matcher._literal_rule
        #: The rules a line holding literal i is tried against, and those it
        #: is tried against only if it also holds a digit, as bit masks
        #: (bit n: rule n), so a line's rules are an ``|`` of masks and are
        #: tried lowest bit first, in load order.
        self.users, self.digit_users = _masks(users), _masks(digit_users)
        #: Pattern ids from here on are the whole-line patterns of literal rules.
        self.first_whole_line = len(literals)
        # Rule n's own call on a stripped line (what Rule.find does), for
        # the rules that have literals in the scan.
        self.check: list[Callable[[str], object] | None] = [None] * len(rules)
        for n in {n for user in (*users, *digit_users) for n in user}:
            self.check[n] = _search(rules[n])
        self.always = LineMatcher([rules[n] for n in always], prefilter=False)
        self.always_at = always  # the index in rules of the always matcher's rule i
        # When every rule without a literal needs a digit (dates, weather),
        # only lines with a digit are tried against them.
        self.digits_only = all(r.pattern is not None and needs_digit(r.pattern) for r in self.always.rules)
        whole = [_whole_line(rules[n].literals) for n in literal_rules if rules[n].literals]
        #: The last pattern finds digits of other scripts than ASCII's.
        self.other_digit = len(literals) + len(whole)
        expressions = [_hs_chars(_OTHER_SPACE_RE.sub(" ", lit)) for lit in literals] + whole + [_other_digits()]
        # Caseless only adds forms (ASCII upper case): _hs_chars spells the rest.
        caseless = hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_CASELESS
        flags = [caseless] * len(literals) + [caseless | hyperscan.HS_FLAG_MULTILINE] * len(whole)
        flags.append(hyperscan.HS_FLAG_UTF8)
        self.db = _database([e.encode("ascii") for e in expressions], flags)
        self.scratch = hyperscan.Scratch(self.db)

    @classmethod
    def build(cls, matcher: LineMatcher) -> _LiteralScan | None:
        by_literal: dict[str, dict[int, bool]] = {}
        always: list[int] = []
        literal_rules: list[int] = []
        for n, rule in enumerate(matcher.rules):
            if rule.pattern is None:
                literal_rules.append(n)
                continue
            need = _needs(rule.pattern)
            if need is None:
                always.append(n)
                continue
            for lit, digit in need.items():
                by_literal.setdefault(lit, {})[n] = digit
        if not by_literal and not literal_rules:
            return None
        literals = sorted(by_literal)
        users = [tuple(n for n, digit in by_literal[lit].items() if not digit) for lit in literals]
        digit_users = [tuple(n for n, digit in by_literal[lit].items() if digit) for lit in literals]
        return cls(matcher, literals, users, digit_users, literal_rules, always)

    def first_matches(self, lines: ScannedLines, rules: Sequence[Rule]) -> list[Rule | None]:
        """The first rule for each of ``lines``."""
        tried, whole_line, digit = self._candidates(lines)
        texts = lines.texts
        if not self.always.rules:
            always_on: Container[int] = ()
            todo: Iterable[int] = sorted(whole_line.union(tried))
        elif self.digits_only:
            always_on = digit
            todo = sorted(digit.union(tried, whole_line))
        else:
            always_on = todo = range(len(texts))
        none = len(rules)
        out: list[Rule | None] = [None] * len(texts)
        check, always, literal_rule = self.check, self.always.first_match, self.literal_rule
        # The rules without a literal are usually one alternation: call it here.
        joint = None if self.always._alone else self.always._combined
        for i in todo:
            text = texts[i]
            best = literal_rule(text) if i in whole_line else none
            if i in always_on:
                if joint is not None:
                    m = joint.fullmatch(text)
                    if m is not None:
                        best = min(best, self.always_at[_branch_rule(m)])
                else:
                    hit = always(text)
                    if hit is not None:
                        k = next(k for k, rule in enumerate(self.always.rules) if rule is hit)
                        best = min(best, self.always_at[k])
            mask = tried.get(i, 0)
            while mask:
                n = (mask & -mask).bit_length() - 1  # the lowest rule left
                if n >= best:
                    break
                if check[n](text):  # type: ignore[misc]  # a rule in a mask has a check
                    best = n
                    break
                mask &= mask - 1
            if best < none:
                out[i] = rules[best]
        return out

    def _candidates(self, lines: ScannedLines) -> tuple[dict[int, int], set[int], set[int]]:
        """One scan of the page: for each line, the mask of the regex rules
        to try; the lines that may equal a literal; the lines with a digit."""
        hits: list[int] = []

        def on_match(pattern: int, _start: int, end: int, _flags: int, _ctx: object) -> None:
            hits.append(end)
            hits.append(pattern)

        self.db.scan(lines.data, match_event_handler=on_match, scratch=self.scratch)
        tried: dict[int, int] = {}
        whole_line: set[int] = set()
        digit = set(lines.ascii_digit_lines)  # others are found by the scan
        if not hits:
            return tried, whole_line, digit
        # A match ending just before a line break ends on that line.
        at = np.searchsorted(lines.newlines, np.array(hits[::2], dtype=np.int64) - 1).tolist()
        users, digit_users = self.users, self.digit_users
        first_whole_line, other_digit = self.first_whole_line, self.other_digit
        if_digit = []
        for line, pattern in zip(at, hits[1::2], strict=True):
            if pattern == other_digit:
                digit.add(line)
            elif pattern >= first_whole_line:
                whole_line.add(line)
            else:
                if users[pattern]:
                    tried[line] = tried.get(line, 0) | users[pattern]
                if digit_users[pattern]:
                    if_digit.append((line, digit_users[pattern]))
        for line, mask in if_digit:
            if line in digit:
                tried[line] = tried.get(line, 0) | mask
        return tried, whole_line, digit


def _masks(users: list[tuple[int, ...]]) -> list[int]:
    """Each tuple of rule indices as a bit mask."""
    return [sum(1 << n for n in user) for user in users]


class ScannedLines:
    """The stripped lines of a page, with what a literal scan needs of them
    (the scanned bytes, where lines end, which lines have an ASCII digit),
    made once, when a scan first needs them, for any number of matchers:
    the drop-line matcher and the block and trailer markers' scan the same
    lines."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.texts = [line.strip() for line in lines]

    @cached_property
    def data(self) -> bytes:
        """The lines joined with line breaks, as the scan sees them (see
        :func:`_scanned`), in UTF-8."""
        # A lone surrogate cannot be UTF-8: "?" stands in (no literal needs a surrogate).
        return _scanned("\n".join(self.texts)).encode("utf-8", "replace")

    @cached_property
    def _raw(self) -> np.ndarray:
        return np.frombuffer(self.data, dtype=np.uint8)

    @cached_property
    def newlines(self) -> np.ndarray:
        """The byte offsets of the line breaks in :attr:`data`."""
        return np.flatnonzero(self._raw == 10)

    @cached_property
    def ascii_digit_lines(self) -> frozenset[int]:
        """The lines with a digit 0-9."""
        raw = self._raw
        return frozenset(np.searchsorted(self.newlines, np.flatnonzero((raw >= 48) & (raw <= 57))).tolist())
