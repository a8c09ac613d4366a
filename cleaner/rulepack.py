"""Load and validate rule packs (TOML files under ``rules/``).

A pack is a TOML file with an optional ``[pack]`` table and a list of
``[[rule]]`` tables. Validation is strict and loud: unknown keys, duplicate
ids, regexes that do not compile, empty alternations and examples that
contradict their own rule all raise :class:`RulePackError` naming the file
and the rule id. ``cleaner rules check`` runs the same validator.

>>> rule = Rule.from_dict({"id": "ADS001", "category": "ads",
...     "why": "Ad labels are not content.", "literals": ["Advertisement"],
...     "action": "drop-line", "removes": ["ADVERTISEMENT"],
...     "keeps": ["The advertisement ran twice."]}, source="demo.toml")
>>> rule.matches("  Advertisement ")
True
>>> rule.matches("The advertisement ran twice.")
False
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from cleaner.errors import RulePackError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

ACTIONS = ("drop-line", "strip-span", "drop-block", "cut-trailer")
ANCHORS = ("line", "start", "search")
RULE_KEYS = {
    "id",
    "category",
    "why",
    "match",
    "literals",
    "anchor",
    "action",
    "removes",
    "keeps",
    "misses",
    "aliases",
    "max_words",
    "max_lines",
    "near_end",
}
REQUIRED_KEYS = ("id", "category", "why", "action", "removes", "keeps")
PACK_KEYS = {"name", "description", "language"}
ANY_LANGUAGE = "any"
LANG_RE = re.compile(r"^(?:any|[a-z]{2,3})$")
ID_RE = re.compile(r"^[A-Z]{2,8}[0-9]{3}$")

#: Default guard for ``drop-block``: the lines after the header that belong
#: to the block must each be at most this many words ...
BLOCK_MAX_WORDS = 40
#: ... and there are at most this many of them.
BLOCK_MAX_LINES = 3
#: Default guard for ``cut-trailer``: every line after the marker must be a
#: teaser or prompt, i.e. at most this many words or cut off with an ellipsis.
TRAILER_MAX_WORDS = 20


def normalize_literal(text: str) -> str:
    """The form literals are compared in: case-folded, single-spaced, with
    trailing colons, dots and white space removed.

    >>> normalize_literal("  Read   More: ")
    'read more'
    """
    return " ".join(text.split()).rstrip(":.").strip().casefold()


@dataclass(frozen=True)
class Rule:
    """One rule of a pack. Build it with :meth:`from_dict` (validated)."""

    id: str
    category: str
    why: str
    action: str
    source: str
    pattern: re.Pattern[str] | None = None
    literals: frozenset[str] = frozenset()
    anchor: str = "line"
    removes: tuple[Any, ...] = ()
    keeps: tuple[Any, ...] = ()
    misses: tuple[Any, ...] = ()
    aliases: tuple[str, ...] = ()
    max_words: int | None = None
    max_lines: int | None = None
    near_end: bool = False
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str) -> Rule:
        rid = data.get("id")
        where = f"{source}: rule {rid!r}" if rid else f"{source}: rule without id"

        def fail(msg: str) -> RulePackError:
            return RulePackError(f"{where}: {msg}")

        unknown = sorted(set(data) - RULE_KEYS)
        if unknown:
            raise fail(f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(RULE_KEYS))})")
        missing = [k for k in REQUIRED_KEYS if k not in data]
        if missing:
            raise fail(f"missing key(s) {', '.join(missing)}")
        if not isinstance(rid, str) or not ID_RE.match(rid):
            raise fail("id must be 2-8 capital letters and 3 digits, e.g. NAV003")
        for key in ("category", "why"):
            if not isinstance(data[key], str) or not data[key].strip():
                raise fail(f"{key} must be a non-empty string")
        if data["action"] not in ACTIONS:
            raise fail(f"action {data['action']!r} is not one of {', '.join(ACTIONS)}")
        anchor = data.get("anchor", "line")
        if anchor not in ANCHORS:
            raise fail(f"anchor {anchor!r} is not one of {', '.join(ANCHORS)}")
        if ("match" in data) == ("literals" in data):
            raise fail("give exactly one matcher: 'match' (a regex) or 'literals' (a list)")
        pattern = None
        literals: frozenset[str] = frozenset()
        if "match" in data:
            pattern = _compile(data["match"], fail)
        else:
            lits = data["literals"]
            if not isinstance(lits, list) or not lits or not all(isinstance(x, str) and x.strip() for x in lits):
                raise fail("literals must be a non-empty list of non-empty strings")
            if anchor != "line":
                raise fail("literals match whole lines; anchor must be 'line'")
            literals = frozenset(normalize_literal(x) for x in lits)
        if data["action"] == "strip-span" and pattern is None:
            raise fail("strip-span needs a regex 'match'")
        for key in ("removes", "keeps", "misses"):
            value = data.get(key, [])
            if not isinstance(value, list) or not all(_valid_example(x) for x in value):
                raise fail(f"{key} must be a list of strings or {{text, result}} tables")
        if not data["removes"] or not data["keeps"]:
            raise fail("every rule needs at least one 'removes' and one 'keeps' example")
        for key in ("max_words", "max_lines"):
            if key in data and (not isinstance(data[key], int) or data[key] < 0):
                raise fail(f"{key} must be a non-negative integer")
        if not isinstance(data.get("near_end", False), bool):
            raise fail("near_end must be true or false")
        if data.get("near_end") and data["action"] not in ("drop-block", "cut-trailer"):
            raise fail("near_end only applies to drop-block and cut-trailer rules")
        aliases = data.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and ID_RE.match(a) for a in aliases):
            raise fail("aliases must be a list of rule ids")
        return cls(
            id=rid,
            category=data["category"],
            why=data["why"].strip(),
            action=data["action"],
            source=source,
            pattern=pattern,
            literals=literals,
            anchor=anchor,
            removes=tuple(data["removes"]),
            keeps=tuple(data["keeps"]),
            misses=tuple(data.get("misses", [])),
            aliases=tuple(aliases),
            max_words=data.get("max_words"),
            max_lines=data.get("max_lines"),
            near_end=data.get("near_end", False),
            raw=data,
        )

    def find(self, line: str) -> re.Match[str] | bool | None:
        """Match this rule's matcher against one line (already stripped of
        surrounding white space by the caller or not: both work)."""
        text = line.strip()
        if self.pattern is None:
            return normalize_literal(text) in self.literals
        if self.anchor == "line":
            return self.pattern.fullmatch(text)
        if self.anchor == "start":
            return self.pattern.match(text)
        return self.pattern.search(text)

    def matches(self, line: str) -> bool:
        return bool(self.find(line))

    def span(self, line: str) -> tuple[int, int] | None:
        """For ``strip-span``: the offsets in ``line`` of the text to remove
        (the named group ``junk`` if the regex has one, else the match)."""
        lead = len(line) - len(line.lstrip())
        m = self.find(line)
        if not isinstance(m, re.Match):
            return None
        group = "junk" if "junk" in m.re.groupindex else 0
        start, end = m.span(group)
        if start == end or start < 0:
            return None
        return lead + start, lead + end


def _valid_example(x: Any) -> bool:
    if isinstance(x, str):
        return bool(x.strip())
    return isinstance(x, dict) and set(x) == {"text", "result"} and all(isinstance(v, str) for v in x.values())


def _has_empty_alternative(pattern: str) -> bool:
    """True when an alternation in ``pattern`` has an empty branch (``a|``,
    ``|a``, ``(?:|a)``, ``(a||b)``), read token by token, so escapes and
    character classes (``\\|``, ``[|]``) do not count.

    >>> [_has_empty_alternative(p) for p in ("hello|", "|hello", "(?:|x)", "(a||b)", "(?i)(line|)")]
    [True, True, True, True, True]
    >>> [_has_empty_alternative(p) for p in ("(a|b)", r"a\\|", "[|]", "(?:zur|zurück zur)", "(?i)x|y")]
    [False, False, False, False, False]
    """
    # One frame per open group: (the current branch is empty, a '|' was seen).
    frames = [[True, False]]
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            i += 2
            frames[-1][0] = False
            continue
        if ch == "[":
            i = _class_end(pattern, i)
            frames[-1][0] = False
            continue
        if ch == "(":
            i = _group_body(pattern, i)
            if i < 0:  # a flags group '(?i)', a comment or a back-reference: no branch
                i = -i
                continue
            frames.append([True, False])
            continue
        if ch == "|":
            if frames[-1][0]:
                return True
            frames[-1] = [True, True]
        elif ch == ")" and len(frames) > 1:
            empty, alternation = frames.pop()
            if empty and alternation:
                return True
            frames[-1][0] = False
        else:
            frames[-1][0] = False
        i += 1
    return frames[-1][0] and frames[-1][1]


def _class_end(pattern: str, i: int) -> int:
    """The index after the character class that opens at ``pattern[i]``."""
    j = i + 1
    if j < len(pattern) and pattern[j] == "^":
        j += 1
    if j < len(pattern) and pattern[j] == "]":  # a ']' first is a literal
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


_GROUP_PREFIX_RE = re.compile(r"\((?:\?(?:[:=!>]|<[=!]|P<\w+>|[aiLmsux-]+:))?")
_NO_BRANCH_GROUP_RE = re.compile(r"\(\?(?:[aiLmsux]+\)|#[^)]*\)|P=\w+\))")


def _group_body(pattern: str, i: int) -> int:
    """Where the body of the group opening at ``pattern[i]`` starts; for a
    group without a body (inline flags, a comment, a back-reference), minus
    the index after it."""
    m = _NO_BRANCH_GROUP_RE.match(pattern, i)
    if m:
        return -m.end()
    m = _GROUP_PREFIX_RE.match(pattern, i)
    return m.end() if m else i + 1


def _compile(pattern: Any, fail: Any) -> re.Pattern[str]:
    if not isinstance(pattern, str) or not pattern:
        raise fail("match must be a non-empty regex string")
    if _has_empty_alternative(pattern):
        raise fail(f"regex has an empty alternative (matches everything): {pattern!r}")
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise fail(f"regex does not compile ({exc}): {pattern!r}") from None
    problem = _probe(pattern)
    if problem:
        raise fail(f"regex {problem}; rewrite it without nested repeats: {pattern!r}")
    return compiled


@lru_cache(maxsize=4096)
def _probe(pattern: str) -> str | None:
    from cleaner.safety import probe_regex

    return probe_regex(pattern)


@dataclass(frozen=True)
class Pack:
    """One loaded pack file."""

    path: str
    name: str
    description: str
    rules: tuple[Rule, ...]
    sha256: str
    #: ``any`` (applies to every document) or an ISO 639-1 code: the pack
    #: applies only to documents tagged with that language.
    language: str = ANY_LANGUAGE


def load_pack(path: Path | str) -> Pack:
    """Load and validate one pack file (examples are checked by
    :func:`check_rules`, which needs the cleaning engine)."""
    path = Path(path)
    label = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RulePackError(f"{label}: cannot read rule pack ({exc.strerror})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RulePackError(f"{label}: not valid TOML ({exc})") from None
    unknown = sorted(set(data) - {"pack", "rule"})
    if unknown:
        raise RulePackError(f"{label}: unknown top-level key(s) {', '.join(unknown)} (allowed: pack, rule)")
    meta = data.get("pack", {})
    if not isinstance(meta, dict) or set(meta) - PACK_KEYS:
        raise RulePackError(f"{label}: [pack] may only have {', '.join(sorted(PACK_KEYS))}")
    rules_data = data.get("rule", [])
    if not isinstance(rules_data, list) or not rules_data:
        raise RulePackError(f"{label}: no [[rule]] tables")
    rules = tuple(Rule.from_dict(r, label) for r in rules_data)
    language = meta.get("language", _folder_language(path))
    if not isinstance(language, str) or not LANG_RE.match(language):
        raise RulePackError(
            f"{label}: [pack] language must be 'any' or an ISO 639-1 code such as 'de', got {language!r}"
        )
    return Pack(
        path=label,
        name=str(meta.get("name", path.stem)),
        description=str(meta.get("description", "")),
        rules=rules,
        sha256=hashlib.sha256(raw).hexdigest(),
        language=language,
    )


def _folder_language(path: Path) -> str:
    """A shipped pack's language is its folder's name (``rules/de/``); other
    packs apply to every document unless ``[pack] language`` says otherwise."""
    folder = path.resolve().parent
    try:
        shipped = folder.parent == default_rules_dir().resolve()
    except RulePackError:
        shipped = False
    return folder.name if shipped and LANG_RE.match(folder.name) else ANY_LANGUAGE


def default_rules_dir() -> Path:
    """Where the shipped packs are: inside the installed package
    (``cleaner/rules``, put there by the wheel build) or, in a source
    checkout, the top-level ``rules/`` folder next to the package."""
    here = Path(__file__).resolve().parent
    installed = here / "rules"
    if installed.is_dir():
        return installed
    checkout = here.parent / "rules"
    if checkout.is_dir():
        return checkout
    raise RulePackError(f"the shipped rule packs are missing (looked in {installed} and {checkout}); reinstall cleaner")


def pack_files(path: Path | str) -> list[Path]:
    """The ``.toml`` files of a pack path: the file itself, or every
    ``*.toml`` under a folder, sorted for a deterministic rule order."""
    path = Path(path)
    if path.is_file():
        return [path]
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.toml") if p.is_file())
        if not files:
            raise RulePackError(f"{path}: no .toml rule packs in this folder")
        return files
    raise RulePackError(f"{path}: no such rule pack file or folder")


@dataclass(frozen=True)
class RuleSet:
    """Every loaded pack, in load order, with ids checked to be unique."""

    packs: tuple[Pack, ...]

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(r for p in self.packs for r in p.rules)

    def by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}

    def categories(self) -> set[str]:
        return {r.category for r in self.rules}

    def languages(self) -> list[str]:
        """The languages that have packs of their own (``any`` excluded)."""
        return sorted({p.language for p in self.packs} - {ANY_LANGUAGE})

    def rules_for(self, language: str | None) -> tuple[Rule, ...]:
        """Rules of the ``any`` packs plus those of ``language``'s packs, in
        load order. ``None`` means every pack (a document of unknown
        language in a run without language detection)."""
        return tuple(
            r for p in self.packs if language is None or p.language in (ANY_LANGUAGE, language) for r in p.rules
        )


def load_rules(paths: Sequence[Path | str] | None = None, *, include_default: bool = True) -> RuleSet:
    """Load the shipped packs (unless ``include_default`` is false) and the
    given extra pack files or folders, and check ids are unique."""
    files: list[Path] = []
    if include_default:
        files.extend(pack_files(default_rules_dir()))
    for p in paths or ():
        files.extend(pack_files(p))
    unique = list(dict.fromkeys(f.resolve() for f in files))
    packs = tuple(load_pack(f) for f in unique)
    _check_unique_ids(packs)
    return RuleSet(packs)


def _check_unique_ids(packs: Iterable[Pack]) -> None:
    seen: dict[str, str] = {}
    for pack in packs:
        for rule in pack.rules:
            for rid in (rule.id, *rule.aliases):
                if rid in seen:
                    raise RulePackError(f"{pack.path}: rule {rule.id!r}: id {rid!r} is already used in {seen[rid]}")
                seen[rid] = pack.path
