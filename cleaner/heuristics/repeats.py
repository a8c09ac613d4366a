"""Repeated lines and passages (REP001, REP002), and the pulled quotes that
come back when a comment section took their later copies."""

from __future__ import annotations

from cleaner.heuristics.base import PROSE_MIN_WORDS, WORD_RE, heuristic, norm
from cleaner.page import Hit, Page

# --- repeated lines ---------------------------------------------------------

#: How REP001's removal of an earlier, pulled-out copy starts its detail.
PULLED_OUT = "a pulled-out copy"


@heuristic(
    "REP001",
    "repeat",
    "A line that already appeared earlier in the page (a repeated headline, caption or menu item) adds nothing."
    " When the later copy is a sentence between two lines of prose and the earlier one is not (a 'Highlights'"
    " box, a pull-quote), the earlier copy goes instead.",
    removes=[
        "Russia-China military alliance cannot be excluded\n\n- Russia-China military alliance cannot be excluded\n\nMoscow said on Thursday that talks would go on.",
        "Photo: Damian Dovarganes, AP\n- Photo: Damian Dovarganes, AP\nThe show opens on Friday.",
        "Highlights\n- The council will vote on the plan in May.\n"
        "The bridge has been closed since March, when storms badly damaged its old supports.\n"
        "The council will vote on the plan in May.\n"
        "Engineers say the repairs will take two years and cost far more than the city planned.",
    ],
    keeps=[
        "The first point is cost.\nThe second point is time.\nBoth matter.",
        "* * *\nPart two begins here.\n* * *",
    ],
    layout=True,
)
def repeated_lines(page: Page) -> list[Hit]:
    seen: dict[str, int] = {}
    hits = []
    moved: set[str] = set()  # keys whose earlier copy went instead
    alive: list[int] = []  # the alive lines (REP001's hits are applied after it), made when needed
    for i in page.filled():
        text = page.text(i)
        if not WORD_RE.search(text):  # no word (count_words would be 0)
            continue
        key = norm(text)
        if key in seen and page.is_alive(i):
            first = seen[key]
            if not alive:
                alive = page.alive()
                places = {j: k for k, j in enumerate(alive)}
            if key not in moved and page.is_alive(first) and _pulled_quote(page, alive, places, first, i):
                hits.append(Hit(first, f"{PULLED_OUT} of line {i + 1}, which is in the article's prose"))
                moved.add(key)
                seen[key] = i
                continue
            hits.append(Hit(i, f"repeats line {seen[key] + 1}"))
        seen.setdefault(key, i)
    return hits


def _pulled_quote(page: Page, alive: list[int], places: dict[int, int], first: int, later: int) -> bool:
    """A prose line shown first on its own (a 'Highlights' box, a pull-quote,
    a summary under the headline) and then again between two lines of the
    article's prose: the first copy is the one out of place. ``places`` maps
    each of the ``alive`` lines to its place among them."""
    return (
        page.prose(later, PROSE_MIN_WORDS)
        and _between_prose(page, alive, places[later])
        and not _between_prose(page, alive, places[first])
    )


def _between_prose(page: Page, alive: list[int], at: int) -> bool:
    return 0 < at < len(alive) - 1 and page.prose(alive[at - 1]) and page.prose(alive[at + 1])


#: The heuristics that take a comment section or a list of comments.
COMMENT_HEURISTICS = ("LIST001", "COMM010")


def lost_pulled_quotes(page: Page) -> list[int]:
    """The lines REP001 took as a pulled-out copy (the first of their text
    on the page) whose later copies then all went with a comment section
    (a reader quoting the article): the first copy is the article's text,
    so it comes back. Later copies taken for anything else (a footer, a
    menu) leave it out."""
    firsts: dict[str, int] = {}
    kept_elsewhere: set[str] = set()
    for i in range(len(page)):
        text = page.text(i)
        if not WORD_RE.search(text):
            continue
        key = norm(text)
        if key not in firsts:
            firsts[key] = i
        elif page.dropped[i] not in COMMENT_HEURISTICS:
            kept_elsewhere.add(key)
    return [i for key, i in firsts.items() if page.dropped[i] == "REP001" and key not in kept_elsewhere]


#: A passage: a line of at least this many words ...
PASSAGE_WORDS = 20
#: ... on a page with a line of at least this many (a whole article run into
#: one line, as a page's structured data carries it): pages without one
#: are not read for it.
FUSED_WORDS = 100
#: Words per shingle, and the share of a passage's shingles found earlier
#: on the page that make it a repeat.
PASSAGE_SHINGLE = 5
PASSAGE_COVERED = 0.8
_PARAGRAPHS = [
    "The council met on Monday to discuss the old bridge, which has been closed to all traffic since the storm"
    " in March damaged its supports.",
    "Engineers told the meeting that repairs would take at least two years and cost far more than the city had"
    " set aside for roads this year.",
    "Residents asked for a ferry service in the meantime, and the mayor promised to look into the idea with the"
    " county before the end of the month.",
    "Shop owners on both sides of the river say they have lost customers since the closure, and some have"
    " already cut their opening hours.",
    "The council will meet again in two weeks to vote on the repair plan, and the public may attend that meeting"
    " and speak.",
]


def _shingles(text: str) -> set[tuple[str, ...]]:
    """The runs of ``PASSAGE_SHINGLE`` words of ``text`` (compared as
    tuples: cheaper to build than joined strings, and as exact, since a
    word has no space in it)."""
    words = WORD_RE.findall(norm(text))
    return set(zip(*(words[k:] for k in range(PASSAGE_SHINGLE)), strict=False))  # the shorter tails end it


@heuristic(
    "REP002",
    "repeat",
    "A long line whose text is already on the page, in other lines (the whole article run into one line"
    " after its paragraphs, as the page's structured data carries it, or its paragraphs after that line),"
    " repeats it: the later copy goes.",
    removes=[
        "\n".join(_PARAGRAPHS) + "\n- " + " ".join(_PARAGRAPHS),
        " ".join(_PARAGRAPHS) + "\n- " + "\n- ".join(_PARAGRAPHS[:2]) + "\nThe vote is on Friday.\n- " + _PARAGRAPHS[2],
    ],
    keeps=[
        "\n".join(_PARAGRAPHS)
        + "\nAs one resident put it: "
        + _PARAGRAPHS[0]
        + " "
        + _PARAGRAPHS[4].upper()
        + " Nothing changed, because the money is not there and nobody wants to raise taxes in an election year, so"
        " the bridge stays shut and we keep driving forty minutes around the lake every morning and every evening.",
        "Short repeated lines are REP001's business, not this one's.\n" + " ".join(_PARAGRAPHS[:2]),
    ],
    layout=True,
)
def repeated_passages(page: Page) -> list[Hit]:
    # Read only on a page with a line of FUSED_WORDS words (a word takes a
    # character at least).
    alive = page.alive()
    if not any(len(page.text(i)) >= FUSED_WORDS and page.words(i) >= FUSED_WORDS for i in alive):
        return []
    words = [(i, page.words(i)) for i in alive]
    seen: set[tuple[str, ...]] = set()
    hits = []
    for i, n in words:
        if n < 5:
            continue
        shingles = _shingles(page.text(i))
        if n >= PASSAGE_WORDS and shingles:
            covered = len(shingles & seen) / len(shingles)
            if covered >= PASSAGE_COVERED:
                hits.append(Hit(i, f"{covered:.0%} of its text is earlier on the page"))
                continue
        seen |= shingles
    return hits
