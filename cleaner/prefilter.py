"""Literal prefilter for the line rules: which rules can possibly match which
lines, found with one pass of plain substring search per document.

Most regexes need some fixed text to match: ``ADS002`` cannot match a line
without ``by`` in it, ``NEWS010`` not one without ``newsletter``, ``sign
up``, ... :func:`required` reads that out of the compiled pattern (its
parse tree): a set of strings, at least one of which every matching line
contains, compared case-insensitively. A rule gets ``None`` when no such
set can be proven (a pattern made only of classes like ``\\d+``); it is
then a candidate on every line.

The comparison folds case the way ``re.IGNORECASE`` does, a little more
loosely: text and literals are ``str.casefold``-ed, and the few characters
that ``re`` treats as case variants although their case folds differ
(``ı``/``i``, ``ſ``/``s``, Greek symbol forms, ...) are mapped to one
representative; so is ``İ``, whose case fold is ``i`` and a combining dot
(the pair is made ``i`` too). White space but the line break is made " " in
text and literals alike, so ``,\\s(?:AP|AFP)`` needs ``", ap"`` or ``", afp"``,
not a bare ``ap``. Looser only ever means more candidates, never fewer; the
regex itself still decides on every candidate line, so the prefilter cannot
change what matches.

>>> sorted(required(re.compile(r"(?i)sign up for (?:our )?newsletters?|subscribe now")))
['sign up for ', 'subscribe now']
>>> sorted(required(re.compile(r"(?:[Bb]y|BY)\\s+[A-Z]\\w+")))
['by']
>>> sorted(required(re.compile(r"[A-Z]\\w+,\\s(?:AP|AFP)")))
[', afp', ', ap']
>>> sorted(required(re.compile(r"\\d{1,2}:\\d\\d"))), required(re.compile(r"\\d+\\s*\\w+")) is None
([':'], True)

A look-ahead or look-behind that must hold counts like the rest of the
pattern: the strings it needs are in the line.

>>> sorted(required(re.compile(r"(?i)(?=.*?(?:share|print))(?:\\w+\\s*)+")))
['print', 'share']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

try:  # CPython 3.11+
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - CPython 3.10
    import sre_parse

_c = sre_parse  # the opcode names
_LITERAL, _IN, _BRANCH, _SUBPATTERN = _c.LITERAL, _c.IN, _c.BRANCH, _c.SUBPATTERN
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)}
_ATOMIC = getattr(_c, "ATOMIC_GROUP", None)

#: Alternatives a literal run may expand into (``[Bb]y`` is 2) before it is given up.
MAX_ALTERNATIVES = 32


def _fold_table() -> dict[int, str]:
    """Characters ``re.IGNORECASE`` treats as equal although ``casefold``
    keeps them apart, mapped to one representative per class."""
    try:
        from re._casefix import _EXTRA_CASES  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover - older CPython: a smaller, fixed list
        _EXTRA_CASES = {ord(a): (ord(b),) for a, b in ("iı", "ıi", "sſ", "ſs", "µμ", "μµ")}
    table: dict[int, str] = {}
    for k, extra in _EXTRA_CASES.items():
        group = {chr(k).casefold(), *(chr(e).casefold() for e in extra)}
        singles = sorted(g for g in group if len(g) == 1)
        for g in singles[1:]:
            table[ord(g)] = singles[0]
    return table


_FOLD = _fold_table()
_FOLD_RE = re.compile("[" + "".join(map(chr, sorted(_FOLD))) + "]")


def fold(text: str) -> str:
    """The form text and literals are compared in.

    >>> fold("Sign UP") == fold("sign up"), fold("ı") == fold("I"), fold("İ") == fold("i")
    (True, True, True)
    """
    if "\u0130" in text:
        # re takes İ for i, but its case fold is i + a combining dot.
        text = text.replace("\u0130", "i")
    text = text.casefold()
    if "i\u0307" in text:
        text = text.replace("i\u0307", "i")
    return text.translate(_FOLD) if _FOLD_RE.search(text) else text


@cache
def _folds_into(plane: int) -> dict[str, str]:
    """For the characters of one Unicode plane (ASCII aside): the
    characters whose fold is a given single character. Characters fold
    within their plane (a test checks), so a plane is read only when a
    literal has a character of it."""
    into: dict[str, str] = {}
    for code in range(max(0x80, plane << 16), (plane + 1) << 16):
        if 0xD800 <= code < 0xE000:
            continue
        ch = chr(code)
        folded = fold(ch)
        if len(folded) == 1 and folded != ch:
            into[folded] = into.get(folded, "") + ch
    return into


@lru_cache(maxsize=1)
def _uneven_re() -> re.Pattern[str]:
    """The characters whose fold is not one character (ß, ligatures, ...),
    and the combining dot above that fold may merge with the i before it:
    all in the BMP (a test checks)."""
    uneven = ["\u0307"]
    for code in range(0x80, 0x10000):
        if not 0xD800 <= code < 0xE000 and len(fold(chr(code))) != 1:
            uneven.append(chr(code))
    return re.compile("[" + re.escape("".join(uneven)) + "]")


def unfolded(ch: str) -> str:
    """Every character whose fold is ``ch`` (a folded character) beyond
    ASCII's own upper case: ``ch`` itself, ``K`` (Kelvin) for ``k``, ``ı``
    and ``İ`` for ``i``, ``É`` for ``é``, ...

    >>> unfolded("k") == "k\u212a", unfolded("é")
    (True, 'éÉ')
    """
    return ch + _folds_into(ord(ch) >> 16).get(ch, "")


def folds_evenly(text: str) -> bool:
    """True if folding ``text`` maps each character to one character and
    merges none: then a folded literal is in the folded text exactly where
    each of its characters matches one of its :func:`unfolded` forms.

    >>> folds_evenly("Le Café"), folds_evenly("Straße")
    (True, False)
    """
    return text.isascii() or not _uneven_re().search(text)


Alternatives = frozenset[str]


def required(pattern: re.Pattern[str]) -> Alternatives | None:
    """Strings (folded, white space made " ") at least one of which is in
    every string ``pattern`` matches anywhere in it (folded, white space
    but line breaks made " "), or ``None`` when that cannot be shown."""
    try:
        tree = sre_parse.parse(pattern.pattern, pattern.flags)
    except Exception:  # an odd pattern only loses the prefilter
        return None
    return _usable(_seq(list(tree)))


def branch_requirements(pattern: re.Pattern[str]) -> list[tuple[Alternatives | None, bool]]:
    """For each top-level alternative of ``pattern`` (the whole pattern if
    it has none): its :func:`required` strings and whether every string it
    matches has a digit. A line the pattern matches holds one of some
    alternative's strings, and a digit if that alternative needs one.

    >>> branch_requirements(re.compile(r"(?i)(?:\\d+ of \\d+|back to gallery)"))
    [(frozenset({' of '}), True), (frozenset({'back to gallery'}), False)]
    """
    try:
        tree = sre_parse.parse(pattern.pattern, pattern.flags)
    except Exception:  # an odd pattern only loses the prefilter
        return [(None, False)]
    items = list(tree)
    while len(items) == 1 and items[0][0] is _SUBPATTERN:
        items = list(items[0][1][-1])
    parts = [list(b) for b in items[0][1][1]] if len(items) == 1 and items[0][0] is _BRANCH else [items]
    return [(_usable(_seq(part)), _seq_digit(part)) for part in parts]


def _usable(need: Alternatives | None) -> Alternatives | None:
    # A combining dot above may be folded away with the i before it (fold);
    # white space alone narrows nothing down.
    if need is None or not need or any(not s or s.isspace() or "\u0307" in s for s in need):
        return None
    return need


def needs_digit(pattern: re.Pattern[str]) -> bool:
    """True when every string ``pattern`` matches has a digit (``\\d``) in it.

    >>> needs_digit(re.compile(r"(?:updated\\s*)?\\d{1,2}:\\d\\d")), needs_digit(re.compile(r"\\d*\\w+"))
    (True, False)
    """
    try:
        tree = sre_parse.parse(pattern.pattern, pattern.flags)
    except Exception:  # an odd pattern only loses the prefilter
        return False
    return _seq_digit(list(tree))


def _seq_digit(items: list[tuple[Any, Any]]) -> bool:
    return any(_node_digit(op, av) for op, av in items)


def _node_digit(op: Any, av: Any) -> bool:
    if op is _LITERAL:
        return chr(av).isdecimal() and chr(av).isascii()
    if op is _IN:
        return bool(av) and all(_digit_item(sub_op, sub_av) for sub_op, sub_av in av)
    if op is _SUBPATTERN:
        return _seq_digit(list(av[-1]))
    if _ATOMIC is not None and op is _ATOMIC:
        return _seq_digit(list(av))
    if op in _REPEATS:
        return av[0] >= 1 and _seq_digit(list(av[2]))
    if op is _BRANCH:
        return all(_seq_digit(list(branch)) for branch in av[1])
    return False


def _digit_item(op: Any, av: Any) -> bool:
    """One member of a character class is a digit, whatever it matches."""
    if op is _c.CATEGORY:
        return av is _c.CATEGORY_DIGIT
    if op is _LITERAL:
        return chr(av) in "0123456789"
    if op is _c.RANGE:
        return ord("0") <= av[0] <= av[1] <= ord("9")
    return False


def _better(a: Alternatives | None, b: Alternatives | None) -> Alternatives | None:
    """The more selective requirement: longest shortest string, then fewest
    strings; one that white space alone meets is the least selective."""
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b, key=lambda need: (0, 0) if any(s.isspace() for s in need) else (min(map(len, need)), -len(need)))


def _seq(items: list[tuple[Any, Any]]) -> Alternatives | None:
    best: Alternatives | None = None
    run: set[str] | None = None  # the literal run being read, as alternatives
    for op, av in items:
        chars = _chars(op, av)
        if chars is not None:
            grown = {r + c for r in (run or {""}) for c in chars}
            if len(grown) <= MAX_ALTERNATIVES:
                run = grown
                continue
        if run and op is _BRANCH:
            # sre_parse pulls a common prefix out of an alternation ("s" of
            # "sign up|subscribe"): the run goes on into each branch's start.
            leads = {lead for branch in av[1] for lead in _leading(branch)}
            grown = {r + lead for r in run for lead in leads}
            if len(grown) <= MAX_ALTERNATIVES:
                run = set(prune(grown))
        if run:
            best = _better(best, frozenset(run))
        run = None
        if chars is None:
            best = _better(best, _node(op, av))
    if run:
        best = _better(best, frozenset(run))
    return best


def _leading(items: list[tuple[Any, Any]]) -> set[str]:
    """The literal strings a sequence can start with (``{""}`` when it does
    not start with a literal)."""
    run = {""}
    for op, av in items:
        chars = _chars(op, av)
        if chars is None:
            break
        grown = {r + c for r in run for c in chars}
        if len(grown) > MAX_ALTERNATIVES:
            break
        run = grown
    return run


def _chars(op: Any, av: Any) -> set[str] | None:
    """The characters one node matches, when it is a literal or a small set
    of them; white space (``\\s``, a tab) as " " (see :func:`required`)."""
    if op is _LITERAL:
        return {_char(av)}
    if op is _IN:
        out = set()
        for sub_op, sub_av in av:
            if sub_op is _LITERAL:
                out.add(_char(sub_av))
            elif sub_op is _c.CATEGORY and sub_av is _c.CATEGORY_SPACE:
                out.add(" ")
            else:
                return None
        return out if len(out) <= MAX_ALTERNATIVES else None
    return None


def _char(code: int) -> str:
    ch = chr(code)
    return " " if ch.isspace() and ch != "\n" else fold(ch)


def _node(op: Any, av: Any) -> Alternatives | None:
    if op is _SUBPATTERN:
        return _seq(list(av[-1]))
    if op is _c.ASSERT:
        # A look-ahead or look-behind that must hold: what it needs is in
        # the line too ('(?=.*?(?:share|print))...' needs 'share' or 'print').
        return _seq(list(av[1]))
    if _ATOMIC is not None and op is _ATOMIC:
        return _seq(list(av))
    if op in _REPEATS:
        low, _high, body = av
        return _seq(list(body)) if low >= 1 else None
    if op is _BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            need = _seq(list(branch))
            if need is None:
                return None
            union |= need
        return prune(union)
    return None


def prune(strings: Iterable[str]) -> Alternatives:
    """Drop strings that contain another of the set: finding the shorter one is enough."""
    ordered = sorted(set(strings), key=len)
    kept: list[str] = []
    for s in ordered:
        if not any(k in s for k in kept):
            kept.append(s)
    return frozenset(kept)
