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
x86-64) it first finds, in one scan of the page, the lines that contain a
literal each rule needs (:mod:`cleaner.prefilter`); a rule is then tried
only on those lines, in the same order, so the result is the same as
:meth:`~LineMatcher.first_match` line by line. Rules with no such literal
(mostly dates and separators) are tried on every line, joined as above.
Without hyperscan, every line goes through :meth:`~LineMatcher.first_match`.

>>> from cleaner.rulepack import load_rules
>>> rules = [r for r in load_rules().rules if r.action == "drop-line"]
>>> m = LineMatcher(rules)
>>> m.first_match("ADVERTISEMENT").id, m.first_match("Share this articleComments").id
('ADS001', 'SHARE001')
>>> m.first_match("The council met on Monday.") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Sequence
from typing import Any

import numpy as np

from cleaner.prefilter import fold, needs_digit, prune, required
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
_DIGITS_RE = re.compile(r"\d+")
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
        self._scan = _LiteralScan.build(self.rules) if prefilter and hyperscan is not None else None

    def __getstate__(self) -> dict[str, object]:
        # A hyperscan database does not pickle: workers build their own.
        return {**self.__dict__, "_scan": self._scan is not None}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._scan = _LiteralScan.build(self.rules) if state["_scan"] else None

    def first_matches(self, lines: Sequence[str]) -> list[Rule | None]:
        """:meth:`first_match` of every line, with one literal scan for all."""
        if self._scan is None:
            return [self.first_match(line) for line in lines]
        return self._scan.first_matches(lines, self.rules)

    def first_match(self, line: str) -> Rule | None:
        text = line.strip()
        best = self._literals.get(normalize_literal(text), len(self.rules)) if self._literals else len(self.rules)
        if self._combined is not None:
            m = self._combined.fullmatch(text)
            if m:
                name = m.lastgroup or next(k for k, v in m.groupdict().items() if v is not None)
                best = min(best, int(name[1:]))
        for n in self._alone:
            if n >= best:
                break
            if self.rules[n].matches(text):
                best = n
                break
        return self.rules[best] if best < len(self.rules) else None


def _needs(rule: Rule) -> frozenset[str] | None:
    """Folded strings one of which is in every line the rule matches, or
    ``None``. A literal rule needs the longest word of each of its literals:
    white space is squeezed and case folded, but the words stay."""
    if rule.pattern is not None:
        need = required(rule.pattern)
    else:
        need = frozenset(fold(max(lit.split(), key=len)) for lit in rule.literals if lit.split()) or None
    if need is None or any(len(s) < MIN_LITERAL_CHARS and not _RARE_CHAR_RE.fullmatch(s) for s in need):
        return None
    return prune(need)


class _LiteralScan:
    """The hyperscan literal prefilter of one :class:`LineMatcher`."""

    def __init__(self, literals: list[str], users: list[tuple[int, ...]], always: LineMatcher, ids: list[int]):
        self.users = users
        self.always = always
        self.always_ids = {id(rule): n for rule, n in zip(always.rules, ids, strict=True)}
        # When every rule without a literal needs a digit (dates, weather),
        # only lines with a digit are tried against them.
        self.digits_only = all(r.pattern is not None and needs_digit(r.pattern) for r in always.rules)
        self.db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self.db.compile(
            expressions=[lit.encode("utf-8") for lit in literals],
            ids=list(range(len(literals))),
            flags=0,
            literal=True,
        )
        self.scratch = hyperscan.Scratch(self.db)

    @classmethod
    def build(cls, rules: Sequence[Rule]) -> _LiteralScan | None:
        by_literal: dict[str, list[int]] = {}
        always: list[int] = []
        for n, rule in enumerate(rules):
            need = _needs(rule)
            if need is None:
                always.append(n)
                continue
            for lit in need:
                by_literal.setdefault(lit, []).append(n)
        if not by_literal:
            return None
        literals = sorted(by_literal)
        users = [tuple(by_literal[lit]) for lit in literals]
        return cls(literals, users, LineMatcher([rules[n] for n in always], prefilter=False), always)

    def first_matches(self, lines: Sequence[str], rules: Sequence[Rule]) -> list[Rule | None]:
        texts = [line.strip() for line in lines]
        joined = "\n".join(texts)
        data = fold(joined).encode("utf-8")
        hits: list[tuple[int, int]] = []

        def on_match(lit: int, _start: int, end: int, _flags: int, _ctx: object) -> None:
            hits.append((end, lit))

        self.db.scan(data, match_event_handler=on_match, scratch=self.scratch)
        tried: dict[int, set[int]] = {}
        if hits:
            newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
            at = np.searchsorted(newlines, np.fromiter((e - 1 for e, _ in hits), np.int64, len(hits))).tolist()
            for line, (_, lit) in zip(at, hits, strict=True):
                tried.setdefault(line, set()).update(self.users[lit])
        if not self.always.rules:
            always_on: Container[int] = ()
            todo: Iterable[int] = sorted(tried)
        elif self.digits_only:
            ends = np.cumsum(np.fromiter((len(t) + 1 for t in texts), np.int64, len(texts))) - 1
            starts = np.fromiter((m.start() for m in _DIGITS_RE.finditer(joined)), np.int64)
            always_on = set(np.searchsorted(ends, starts).tolist())
            todo = sorted(always_on.union(tried))
        else:
            always_on = todo = range(len(texts))
        out: list[Rule | None] = [None] * len(texts)
        none = len(rules)
        for i in todo:
            text = texts[i]
            hit = self.always.first_match(text) if i in always_on else None
            best = self.always_ids[id(hit)] if hit is not None else none
            for n in sorted(tried.get(i, ())):
                if n >= best:
                    break
                if rules[n].matches(text):
                    best = n
                    break
            if best < none:
                out[i] = rules[best]
        return out
