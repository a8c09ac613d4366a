"""One pass per line for all line-dropping rules of a language.

The naive way runs one ``re.fullmatch`` per rule per line. Here the regexes
of all ``drop-line`` rules are joined into one alternation with a named
group per rule, and the literal lists into one dictionary, so each line
costs one regex call and one lookup. The first rule (in load order) that
matches wins, exactly as in the naive loop: an alternation tries its
branches in order. Rules whose regex cannot be joined safely (numbered or
named back-references, named groups) keep their own call.

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
from collections.abc import Sequence

from cleaner.rulepack import Rule, normalize_literal

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
        if set(flags) - set("imsx"):
            return None
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

    def __init__(self, rules: Sequence[Rule]) -> None:
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

    def any_match(self, line: str) -> bool:
        """True when some rule of this matcher matches the line."""
        return self.first_match(line) is not None

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
