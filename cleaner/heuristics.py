"""Heuristics: small pure functions over a whole page, registered under rule
ids in the same namespace as the rule packs, with the same ``why``,
``removes`` and ``keeps`` fields, checked by the same example test.

A heuristic reads a :class:`~cleaner.page.Page` and returns
:class:`~cleaner.page.Hit` records; the engine applies them. Heuristics run
after the rule packs, in registry order, and see what the packs removed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cleaner.page import Hit, Page, count_words, is_prose, is_sentence

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
    source: str = "cleaner/heuristics.py"
    action: str = "heuristic"


REGISTRY: dict[str, Heuristic] = {}


def heuristic(
    id: str, category: str, why: str, removes: list[Any], keeps: list[Any], misses: list[Any] | None = None
) -> Callable[[HeuristicFn], HeuristicFn]:
    """Register a heuristic under ``id`` (see the module docstring)."""

    def register(fn: HeuristicFn) -> HeuristicFn:
        if id in REGISTRY:
            raise ValueError(f"heuristic id {id!r} registered twice")
        REGISTRY[id] = Heuristic(id, category, why, fn, tuple(removes), tuple(keeps), tuple(misses or ()))
        return fn

    return register


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


# --- repeated lines ---------------------------------------------------------


@heuristic(
    "REP001",
    "repeat",
    "A line that already appeared earlier in the page (a repeated headline, caption or menu item) adds nothing.",
    removes=[
        "Russia-China military alliance cannot be excluded\n\n- Russia-China military alliance cannot be excluded\n\nMoscow said on Thursday that talks would go on.",
        "Photo: Damian Dovarganes, AP\n- Photo: Damian Dovarganes, AP\nThe show opens on Friday.",
    ],
    keeps=[
        "The first point is cost.\nThe second point is time.\nBoth matter.",
        "* * *\nPart two begins here.\n* * *",
    ],
)
def repeated_lines(page: Page) -> list[Hit]:
    seen: dict[str, int] = {}
    hits = []
    for i in range(len(page)):
        text = page.text(i)
        if not text.strip() or count_words(text) == 0:
            continue
        key = _norm(text)
        if key in seen and page.is_alive(i):
            hits.append(Hit(i, f"repeats line {seen[key] + 1}"))
        seen.setdefault(key, i)
    return hits


# --- captions with credits fused on -----------------------------------------

_CREDIT_MARK_RE = re.compile(
    r"/|©|\b(?:photo|photograph|image|picture|credit|copyright|getty|reuters|afp|ap|epa|shutterstock|"
    r"via|courtesy|file|pool|sputnik|xinhua|anadolu|dpa|bloomberg|istock|alamy)\b",
    re.IGNORECASE,
)


@heuristic(
    "CAP001",
    "caption",
    "A line that repeats the line before it with a photo credit fused on is a caption and its credit: both go.",
    removes=[
        "Strong words.\n- Chinese President Xi Jinping\n- Chinese President Xi JinpingCarlos Garcia Rollins / Reuters\nThe talks resumed on Monday.",
        "- A boy holds flags in Beijing.\n- A boy holds flags in Beijing. Copyright Mark Schiefelbein/AP\nThe visit lasted two days.",
    ],
    keeps=[
        "The minister spoke in Moscow.\nThe minister spoke in Moscow and then flew to Beijing for talks.",
        "Prices rose.\nPrices rose / fell depending on the region, analysts said in a note to clients on Friday.",
    ],
)
def fused_caption_credit(page: Page) -> list[Hit]:
    hits = []
    # Compare neighbouring non-blank lines whether or not a rule already took
    # the credited copy: the caption above it goes either way.
    lines = [i for i in range(len(page)) if page.text(i).strip()]
    for prev, cur in zip(lines, lines[1:]):
        head, text = page.text(prev).strip(), page.text(cur).strip()
        if count_words(head) < 2 or not text.startswith(head) or len(text) == len(head):
            continue
        rest = text[len(head) :]
        if count_words(rest) <= 30 and _CREDIT_MARK_RE.search(rest):
            hits.append(Hit(prev, "caption before its credited copy"))
            hits.append(Hit(cur, "caption with credit fused on"))
    return [h for h in hits if page.is_alive(h.index)]


# --- navigation crumbs fused onto the headline ------------------------------

#: Section names that sites put in breadcrumbs. A *chain* of two or more of
#: them fused onto the start of a line (``HomeNewsPutin: ...``) is a crumb.
SECTION_WORDS = (
    "Home|News|World|Politics|Business|Economy|Markets|Money|Finance|Sport|Sports|Opinion|Opinions|"
    "Entertainment|Culture|Arts|Life|Lifestyle|Style|Travel|Food|Health|Science|Tech|Technology|"
    "Local|National|International|Europe|Asia|Africa|Americas|Middle East|US|UK|Region|Regions|"
    "Latest|Top Stories|Video|Videos|Features|Blog|Blogs|Analysis|Commentary|Editorial|Articles|Society"
)
_CRUMB_RE = re.compile(
    rf"^\s*(?P<junk>(?:(?:{SECTION_WORDS})\s*(?:[>»/|›:]\s*)?){{2,}})(?=[A-Z0-9\"“‘'])",
)
_CRUMB_ONLY_RE = re.compile(rf"^\s*(?:(?:{SECTION_WORDS})\s*(?:[>»/|›]\s*)?){{2,}}$")


@heuristic(
    "CRUMB001",
    "nav",
    "A chain of section names fused onto the start of a line (HomeNewsPutin: ...) is a breadcrumb trail: strip it, keep the rest.",
    removes=[
        {"text": "HomeNewsPutin: We will not create a military alliance", "result": "Putin: We will not create a military alliance"},
        {"text": "Home » World » Europe\nThe summit opened in Brussels on Monday.", "result": "The summit opened in Brussels on Monday."},
    ],
    keeps=[
        "Home News Network said it would appeal the ruling.",
        "News of the deal broke on Tuesday.",
        "World Health Organization officials met on Friday.",
    ],
)
def fused_crumbs(page: Page) -> list[Hit]:
    hits = []
    for i, text in page.iter_alive():
        if _CRUMB_ONLY_RE.match(text):
            hits.append(Hit(i, "breadcrumb trail"))
            continue
        m = _CRUMB_RE.match(text)
        if m and not re.search(r"\s", m.group("junk").strip()):
            # Fused (no spaces inside the chain) or separated by crumb marks.
            hits.append(Hit(i, "fused breadcrumb", span=m.span("junk")))
        elif m and re.search(r"[>»/|›]", m.group("junk")):
            hits.append(Hit(i, "breadcrumb trail", span=m.span("junk")))
    return hits


# --- teaser blocks ----------------------------------------------------------

TEASER_MIN_RUN = 3
TEASER_MAX_WORDS = 16


def _teaser_like(text: str) -> bool:
    n = count_words(text)
    stripped = text.rstrip()
    if stripped.endswith(("…", "...")):
        return True
    return 3 <= n <= TEASER_MAX_WORDS and not is_sentence(stripped) and not stripped.endswith(":")


@heuristic(
    "TEASE001",
    "teaser",
    f"A run of {TEASER_MIN_RUN}+ headline-like lines (short, no sentence ending, or cut off with an ellipsis) is a list of links to other stories.",
    removes=[
        "The vote is on Friday, officials said.\n- Car rams group of tourists in Italian Alps\n- Chinese movies scrap Lunar New Year premieres\n- 2 killed in high-speed train derailment in Italy",
    ],
    keeps=[
        "The report lists three causes.\nRising costs\nThe costs rose by a third in two years, the report says.\nA shortage of staff\nHospitals lost staff to agencies.",
    ],
)
def teaser_blocks(page: Page) -> list[Hit]:
    hits: list[Hit] = []
    run: list[int] = []
    for i in [*page.alive(), None]:
        if i is not None and _teaser_like(page.text(i)):
            run.append(i)
            continue
        if len(run) >= TEASER_MIN_RUN:
            hits.extend(Hit(j, f"teaser run of {len(run)} lines") for j in run)
        run = []
    return hits


# --- edges: lines outside the page's runs of content ------------------------

#: A line of at least this many words that ends like a sentence is prose.
PROSE_MIN_WORDS = 8
#: What a non-prose line costs a run of content (prose lines are worth their
#: word count): a run survives a short menu, not a long one.
NON_PROSE_COST = 20
#: A short sentence (4+ words) is worth this much.
SHORT_SENTENCE_VALUE = 2
#: Runs worth at least this share of the best run are kept too (articles
#: split by a gallery or an embedded box).
RUN_KEEP_SHARE = 0.25


def _line_value(text: str) -> int:
    n = count_words(text)
    if is_prose(text, PROSE_MIN_WORDS):
        return n
    if n >= 4 and is_sentence(text):
        return SHORT_SENTENCE_VALUE
    return -NON_PROSE_COST


def content_runs(page: Page) -> list[tuple[int, int, int]]:
    """The page's runs of content as ``(value, first, last)`` line indices.

    Walking the lines, prose adds its words and other lines cost
    ``NON_PROSE_COST``; a run ends where its running total drops to zero,
    and it spans from its start to the line where its total peaked (the
    block-fusion idea of Kohlschütter et al., on lines)."""
    runs = []
    start: int | None = None
    total = best = 0
    best_end = -1
    for i, text in page.iter_alive():
        if start is None:
            start, total, best, best_end = i, 0, 0, -1
        total += _line_value(text)
        if total > best:
            best, best_end = total, i
        if total <= 0:
            if best_end >= 0:
                runs.append((best, start, best_end))
            start = None
    if start is not None and best_end >= 0:
        runs.append((best, start, best_end))
    return runs


@heuristic(
    "EDGE001",
    "edge",
    "Lines outside the page's main runs of prose (menus, headers, footers, sidebars) are not the article.",
    removes=[
        "- Subscribe\n- Sign In\n- World\nThe president said on Sunday that the two countries were not building an alliance.\nHe added that cooperation was transparent and open to all.\n- Privacy Policy\n- Terms of Use",
    ],
    keeps=[
        "The president said on Sunday that the two countries were not building an alliance.\nStrategic partnership\nHe added that cooperation was transparent and open to all of their neighbours.",
    ],
)
def edges(page: Page) -> list[Hit]:
    runs = content_runs(page)
    if not runs:
        return []
    top = max(r[0] for r in runs)
    keep = [(a, b) for value, a, b in runs if value >= RUN_KEEP_SHARE * top]
    return [Hit(i, "outside the main text") for i, _ in page.iter_alive() if not any(a <= i <= b for a, b in keep)]
