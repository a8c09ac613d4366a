"""Heuristics: small pure functions over a whole page, registered under rule
ids in the same namespace as the rule packs, with the same ``why``,
``removes`` and ``keeps`` fields, checked by the same example test.

A heuristic reads a :class:`~cleaner.page.Page` and returns
:class:`~cleaner.page.Hit` records; the engine applies them. Heuristics run
after the rule packs, in registry order, and see what the packs removed.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from cleaner.page import Hit, Page, case_counts, count_words, is_prose, is_sentence
from cleaner.prefilter import fold

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
    source: str = "cleaner/heuristics.py"
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
    """Register a heuristic under ``id`` (see the module docstring)."""

    def register(fn: HeuristicFn) -> HeuristicFn:
        if id in REGISTRY:
            raise ValueError(f"heuristic id {id!r} registered twice")
        REGISTRY[id] = Heuristic(id, category, why, fn, tuple(removes), tuple(keeps), tuple(misses or ()), layout)
        return fn

    return register


def _norm(text: str) -> str:
    if not text.isascii():  # NFKC leaves ASCII as it is
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.casefold().split())


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
    for i in range(len(page)):
        text = page.text(i)
        if not _WORD_RE.search(text):  # blank, or no word (count_words would be 0)
            continue
        key = _norm(text)
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
        is_prose(page.text(later), PROSE_MIN_WORDS)
        and _between_prose(page, alive, places[later])
        and not _between_prose(page, alive, places[first])
    )


def _between_prose(page: Page, alive: list[int], at: int) -> bool:
    return 0 < at < len(alive) - 1 and is_prose(page.text(alive[at - 1])) and is_prose(page.text(alive[at + 1]))


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
        if not _WORD_RE.search(text):
            continue
        key = _norm(text)
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
_WORD_RE = re.compile(r"\w+")
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


def _shingles(text: str) -> set[str]:
    words = _WORD_RE.findall(_norm(text))
    return {" ".join(words[k : k + PASSAGE_SHINGLE]) for k in range(len(words) - PASSAGE_SHINGLE + 1)}


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
    if not any(len(t) >= FUSED_WORDS and count_words(t) >= FUSED_WORDS for _, t in page.iter_alive()):
        return []
    words = [(i, count_words(t)) for i, t in page.iter_alive()]
    seen: set[str] = set()
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


# --- tag clouds and indexes --------------------------------------------------

#: A line of at least this many items (comma- or bar-separated, else words) ...
SORTED_MIN_ITEMS = 10
#: ... in alphabetical order but for this share of neighbouring pairs is an
#: index or a tag cloud: ten words of prose fall in order by chance about
#: once in three thousand lines.
SORTED_SHARE = 0.9
_ITEM_SEP_RE = re.compile(r"[,|·•]")
_SENTENCE_INSIDE_RE = re.compile(r"[.!?]\s+\S")


def _items(text: str) -> list[str]:
    if len(_ITEM_SEP_RE.findall(text)) >= 4:
        return [p.strip().casefold() for p in _ITEM_SEP_RE.split(text) if p.strip()]
    return [w.casefold() for w in _WORD_RE.findall(text) if not w.isdigit()]


@heuristic(
    "TAGS001",
    "nav",
    "A long line whose items (tags, keywords, letters) run in alphabetical order, and that is not a sentence, is a tag"
    " cloud or an index, not prose.",
    removes=[
        "adote um amigo agua alerta ambiente amizade atendimento atirador bem-estar biblioteca caminhada campanha"
        " capacitacao capacitação carnaval civil cmdca comunicado comunicação concreto concurso conselheiros conselho"
        " contação cultura curso cursos dança defesa civil dia edital educacao empossados encerramento enchentes"
        " entrega entulho escola espaços esportivos evento eventos exposição facultativo feira festa fgts fme forum",
        "calendario stock car 2018, stock car brasil, stock car cascavel, stock car corrida milhão, stock car interlagos,"
        " stock car santa cruz do sul, stock car taruma, stock car Velo Città, stock car velopark, stock-car londrina",
        "Stocks: A | B | C | D | E | F | G | H | I | J | K | L | M | N | O | P | Q | R | S | T | U | V | W | X | Y | Z",
    ],
    keeps=[
        "Aides bring impeachment inquiry directly into the White House, and the president says he is not worried.",
        "A big cat dozed; every fox growled, hungry in July, keeping lambs more nervous on pastures quietly.",
        "Apples, bananas, cherries and dates are all in season, the growers said on Monday after the harvest began.",
    ],
)
def sorted_items(page: Page) -> list[Hit]:
    hits = []
    for i, text in page.iter_alive():
        stripped = text.strip()
        # Ten items take at least 19 characters; sentences are out first.
        if len(stripped) < 2 * SORTED_MIN_ITEMS - 1 or is_sentence(stripped) or _SENTENCE_INSIDE_RE.search(stripped):
            continue
        items = _items(stripped)
        if len(items) < SORTED_MIN_ITEMS:
            continue
        ordered = sum(a <= b for a, b in pairwise(items)) / (len(items) - 1)
        if ordered >= SORTED_SHARE:
            hits.append(Hit(i, f"{len(items)} items, {ordered:.0%} in alphabetical order"))
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
    for prev, cur in pairwise(lines):
        head, text = page.text(prev).strip(), page.text(cur).strip()
        if count_words(head) < 2 or not text.startswith(head) or len(text) == len(head):
            continue
        rest = text[len(head) :]
        if count_words(rest) <= 30 and _CREDIT_MARK_RE.search(rest):
            hits.append(Hit(prev, "caption before its credited copy"))
            hits.append(Hit(cur, "caption with credit fused on"))
    return [h for h in hits if page.is_alive(h.index)]


#: A photo credit on a line of its own, labelled ('Photo: Getty Images',
#: '(Image credit: ESA)', 'Photograph: Tim Robberts/Getty Images') or a
#: photographer and agency joined by slashes ('Sakib Ali/Hindustan Times/Getty
#: Images'); 'Photo by X' is left out: sites also put it under the lead photo,
#: right after the article's first paragraph.
_CREDIT_LABEL = r"\(?(?:photo(?:graph)?|image|picture|pic)s?(?: credit)?\s*:"
_CREDIT_LABEL_RE = re.compile(
    rf"^{_CREDIT_LABEL}\s*[^()]{{2,80}}\)?\.?$"
    r"|^(?!(?:photo(?:graph)?|image|picture)s? by\b)[\w.'’ -]{2,40}(?:/[\w.'’ -]{2,40}){1,3}$",
    re.IGNORECASE,
)
#: What every credit line ``_CREDIT_LABEL_RE`` matches has: the label at its
#: start, or a slash in its first 41 characters (one scan of the page).
_CREDIT_HINT_RE = re.compile(rf"(?im)^[ \t]*{_CREDIT_LABEL}|^[^\n/]{{2,40}}/")
_AGENCY_RE = re.compile(r"\b(?:getty images|ap|reuters|afp|epa|shutterstock|bloomberg|istock)\b", re.IGNORECASE)
#: A credit has at most this many words; the caption above it at most
#: ``CAPTION_MAX_WORDS`` (an article paragraph before a caption-less photo
#: is longer, more often than not).
CREDIT_MAX_WORDS = 10
CAPTION_MAX_WORDS = 35
#: A caption shows what is in the picture, in the present tense; a line
#: that reports (said, was, will) is the article's own paragraph above a
#: photo that has no caption.
_REPORTED_RE = re.compile(r"\b(?:said|says|told|according to|was|were|had|will|would)\b")
#: ... and the page must show that its credits sit under captions: some
#: line above a credit speaks of the picture ('This illustration shows',
#: 'pictured', 'Above:', ', left,') or does not end like a sentence. An
#: article's short paragraphs above photos without captions end like
#: sentences and do neither.
_CAPTION_CUE_RE = re.compile(
    r"(?i)\b(?:pictured|shown|seen here|above|below|illustration|concept|rendering|photo|photograph|image|picture"
    r"|file|left|right|center|centre|from left|background|foreground)\b|\b(?:this|the) \w+ shows\b"
)


def _credit_line(text: str) -> bool:
    stripped = text.strip()
    if count_words(stripped) > CREDIT_MAX_WORDS or not _CREDIT_LABEL_RE.match(stripped):
        return False
    return ":" in stripped or bool(_AGENCY_RE.search(stripped))


@heuristic(
    "CAP002",
    "caption",
    "A short line right above a photo credit on a line of its own ('Photo: Getty Images', '(Image credit: ESA)',"
    " 'Sakib Ali/Hindustan Times/Getty Images') is that photo's caption: it goes with the credit. Only on pages"
    " that show their credits sit under captions (some line above a credit speaks of the picture or does not end"
    " like a sentence), and never a line that reports ('said', 'was', 'will').",
    removes=[
        "The council met on Monday and voted to close the bridge, which storms damaged in March.\n"
        "- Burning crop stubble outside of Delhi is sending smoke into the city.\n- Sakib Ali/Hindustan Times/Getty Images\n"
        "Repairs will take two years, the mayor said after the meeting.\n"
        "- This satellite image shows fires near Delhi on Nov. 3\n- Photo: NASA Worldview",
        "The council met on Monday and voted to close the bridge, which storms damaged in March.\n"
        "- An artist's concept of a moon lander on the lunar surface.\n- (Image credit: Ceres Robotics)",
    ],
    keeps=[
        "The council met on Monday and voted to close the old bridge to all traffic.\n"
        "Photo by Jason Kempin/Getty Images\nRepairs will take two years, the mayor said.",
        "Bridges:\nPhoto: Getty Images\nThe council met on Monday.",
        "The council met on Monday and voted to close the old bridge to all traffic, after engineers told the meeting that"
        " its supports were cracked, that repairs would take two years and that the city had not set aside the money.\n"
        "Photo: Getty Images",
        "The northern lights will be unusually bright this winter, and you do not need expensive gear.\n"
        "The most important thing is a sturdy tripod, because exposures of several seconds are needed.\n"
        "(Image credit: Shutterstock)\n"
        "Use a wide aperture and start with an ISO of 1600, then adjust after a few test shots.\n"
        "(Image credit: Getty Images)",
        "Officials said the bridge was closed on Monday after engineers found cracks in its supports.\n"
        "Photo: Getty Images\nThe photo shows the bridge.",
    ],
)
def credited_captions(page: Page) -> list[Hit]:
    pairs = []
    for cur in _credit_candidates(page):
        if not _credit_line(page.text(cur)):
            continue
        prev = line_before(page, cur)
        if prev is None:
            continue
        head = page.text(prev).strip()
        if (
            page.is_alive(prev)
            and 4 <= count_words(head) <= CAPTION_MAX_WORDS
            and not head.endswith(":")
            and not _REPORTED_RE.search(head)
        ):
            pairs.append((prev, cur, head))
    # Evidence that this page's credits sit under captions: one line above
    # a credit speaks of the picture or does not end like a sentence. Then
    # the others are captions too; without it, none is taken.
    if not any(not is_sentence(head) or _CAPTION_CUE_RE.search(head) for _, _, head in pairs):
        return []
    hits = []
    for prev, cur, _ in pairs:
        hits.append(Hit(prev, f"caption above the credit on line {cur + 1}"))
        if page.is_alive(cur):
            hits.append(Hit(cur, "photo credit"))
    return hits


def _credit_candidates(page: Page) -> list[int]:
    """The lines that may be a credit, found in one scan of the page: they
    start with a label and a colon, or hold a slash early on."""
    return lines_with(page.joined(), _CREDIT_HINT_RE)


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
        {
            "text": "HomeNewsPutin: We will not create a military alliance",
            "result": "Putin: We will not create a military alliance",
        },
        {
            "text": "Home » World » Europe\nThe summit opened in Brussels on Monday.",
            "result": "The summit opened in Brussels on Monday.",
        },
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


# --- lists of items: comment threads and teasers with their metadata --------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
#: A clock time or a video's length: "4:47 pm", "08:51", "01:01:43".
_CLOCK = r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*[ap]\.?m\.?)?"
#: A comment's header line: who wrote it ("jdoe says:", "Ann on May 2, 2019
#: at 4:47 pm said:"). A bare "X said:" is a lead-in to a quote, not this.
_COMMENT_AUTHOR_RE = re.compile(
    rf"^\S.{{0,80}}?\s(?:says|wrote|writes)\s*:$|^\S.{{0,80}}?\bat\s+{_CLOCK}\s+(?:said|says|wrote)\s*:?$",
    re.IGNORECASE,
)
#: A line that is only a time stamp, relative or absolute ("3 hours ago",
#: "7H ago 08:51", "9H ago 01:01:43", "Wednesday November 20, 2019", "11/20/2019 01:14 PM").
_STAMP_RE = re.compile(
    rf"^(?:(?:updated|posted|published)\s*:?\s*)?(?:"
    rf"\d+\s*(?:[smhd]|mins?|minutes?|hrs?|hours?|days?|weeks?|months?|years?)\s+ago\b"
    rf"|(?:[a-z]+day,?\s+)?(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\.?\s+{_MONTH},?\s+\d{{4}})"
    rf"|\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}"
    rf")(?:[\s,|@-]*(?:at\s+)?{_CLOCK})?(?:\s*[|·•,-]?\s*[\w ]{{0,20}})?$",
    re.IGNORECASE,
)
_ANY_DIGIT_RE = re.compile(r"\d")
#: An item's by-line ("By REUTERS", "By Jane Doe").
_ITEM_BYLINE_RE = re.compile(r"^(?:by|von|por|par|di)\s+\S.{0,60}$", re.IGNORECASE)
#: What opens a comment section ("34 responses to ...", "[ 167 comments ]").
_COMMENT_HEADER_RE = re.compile(
    r"^\W*(?:\d+\s+(?:comments?|responses?|replies|thoughts)\b.{0,200}|(?:top rated |latest |reader )?comments?"
    r"|leave a (?:reply|comment).{0,40})\W*$",
    re.IGNORECASE,
)
#: Marked items of a list are at most this many lines apart; comments, whose
#: bodies run longer, at most ``COMMENT_MAX_GAP``.
LIST_MAX_GAP = 6
COMMENT_MAX_GAP = 20
#: A list needs this many marked items ...
LIST_MIN_ITEMS = 3
#: ... and a teaser list's items average at most this many words (longer
#: items are posts of a live blog or entries of a timeline: content).
LIST_ITEM_MAX_WORDS = 70
#: Lines of at least this many words are never taken as a teaser's title or
#: summary around the list (a guard against cutting into the article).
LIST_EDGE_MAX_WORDS = 45
#: Text after a chain's first marker this many times longer than the other
#: items' is the article under its own by-line, not the first item.
LEAD_ARTICLE_FACTOR = 3


def _item_marker(text: str) -> str | None:
    """What kind of item metadata a line is, if any: a comment's author
    line, a time stamp or an item's by-line."""
    stripped = text.strip()
    if not stripped:
        return None
    # Cheap tests first: an author line ends with a colon or said/says/wrote
    # (its last letter d, s or e, in any case re.IGNORECASE knows), every
    # time stamp has a digit, a by-line starts with by/von/por/par/di.
    author = stripped[-1] == ":" or (
        stripped[-1] in "dDsS\u017feE" and fold(stripped[-6:]).endswith(("said", "says", "wrote"))
    )
    digit = _ANY_DIGIT_RE.search(stripped) is not None
    byline = stripped[0] in "bBvVpPdD"
    if not (author or digit or byline):
        return None
    n = count_words(stripped)
    if n > 20:
        return None
    if author and _COMMENT_AUTHOR_RE.match(stripped):
        return "comment"
    if digit and _STAMP_RE.match(stripped):
        return "stamp"
    if byline and n <= 6 and _ITEM_BYLINE_RE.match(stripped):
        return "byline"
    return None


def _is_title(text: str) -> bool:
    """A headline-like line: no sentence ending, or a short question."""
    n = count_words(text)
    stripped = text.rstrip()
    return n >= 2 and (not is_sentence(stripped) or (stripped.endswith("?") and n <= 16))


def _marker_groups(page: Page) -> list[tuple[list[int], bool]]:
    """The page's item markers, adjacent ones merged: ``(line indices,
    is_comment)``. Lines a rule took count too (a dropped date is still an
    item's date)."""
    groups: list[tuple[list[int], bool]] = []
    prev = -2
    pos = -1
    for i in range(len(page)):
        if not page.text(i).strip():
            continue
        pos += 1
        kind = _item_marker(page.text(i))
        if kind is None:
            continue
        if groups and pos - prev <= 1:
            groups[-1][0].append(i)
            groups[-1] = (groups[-1][0], groups[-1][1] or kind == "comment")
        else:
            groups.append(([i], kind == "comment"))
        prev = pos
    return groups


Chain = tuple[bool, list[tuple[list[int], list[int]]]]


def _chains(page: Page, groups: list[tuple[list[int], bool]]) -> list[Chain]:
    """Runs of marker groups of one kind whose gaps (the alive lines between
    them) are short: ``(is_comment, [(group, gap after it), ...])``."""
    chains: list[Chain] = []
    cur: list[tuple[list[int], list[int]]] = []
    for k, (lines, comment) in enumerate(groups):
        nxt = groups[k + 1] if k + 1 < len(groups) else None
        gap = [] if nxt is None else [i for i in range(lines[-1] + 1, nxt[0][0]) if page.is_alive(i)]
        cur.append((lines, gap))
        limit = COMMENT_MAX_GAP if comment else LIST_MAX_GAP
        if nxt is None or nxt[1] != comment or not 1 <= len(gap) <= limit:
            if len(cur) >= LIST_MIN_ITEMS:
                chains.append((comment, cur))
            cur = []
    return chains


def _median(values: list[int]) -> int:
    return sorted(values)[len(values) // 2]


def _title_offset(page: Page, gap: list[int]) -> int:
    """Where the next item starts inside the lines between two markers: at
    its title, the first headline-like line after the previous item's text."""
    for j, i in enumerate(gap):
        if _is_title(page.text(i)) and (j == 0 or not _is_title(page.text(gap[j - 1]))):
            return j
    return len(gap)


def _list_extent(page: Page, comment: bool, items: list[tuple[list[int], list[int]]]) -> tuple[int, int] | None:
    """How many alive lines before the first marker and after the last one
    belong to the list, or ``None`` when the chain does not look like a list
    of teasers or comments."""
    gaps = [gap for _, gap in items[:-1]]
    if comment:
        return 0, max(len(g) for g in gaps)
    words = [sum(count_words(page.text(i)) for i in g) for g in gaps]
    if sum(words) > LIST_ITEM_MAX_WORDS * len(gaps):
        return None
    if 3 * sum(1 for g in gaps if any(_is_title(page.text(i)) for i in g)) < 2 * len(gaps):
        return None
    offsets = [_title_offset(page, g) for g in gaps]
    return _median([len(g) - o for g, o in zip(gaps, offsets, strict=True)]), _median(offsets)


def _without_lead_article(page: Page, items: list[tuple[list[int], list[int]]]) -> list[tuple[list[int], list[int]]]:
    """Drop the first marker of a chain when the text after it is much longer
    than a list item's: it is the article's own by-line and date, followed
    by a short article and then the list."""
    words = [sum(count_words(page.text(i)) for i in gap) for _, gap in items[:-1]]
    if len(words) >= 2 and words[0] > LEAD_ARTICLE_FACTOR * _median(words[1:]):
        return items[1:]
    return items


def _short_run(page: Page, lines: list[int], limit: int) -> list[int]:
    out = []
    for i in lines[:limit]:
        if count_words(page.text(i)) > LIST_EDGE_MAX_WORDS:
            break
        out.append(i)
    return out


@heuristic(
    "LIST001",
    "teaser",
    "Three or more items in a row that each carry their own author line or time stamp (comments, or teasers with a by-line and date) are a list of other content, not the article.",
    removes=[
        "The bill passed on Tuesday, officials said.\n"
        "- Police arrest two after student's death\n- By STAFF\n- 11/20/2019 01:14 PM\n"
        "- Russia says strikes on Syria were wrong\n- By REUTERS\n- 11/20/2019 10:08 AM\n"
        "- Eleven dead in air strike, reports say\n- By STAFF\n- 11/20/2019 09:39 AM",
        "The team lost again on Monday night, its fourth defeat in a row.\n- 34 responses\n- jdoe says:\n"
        "- It is over for this season.\n- fan99 says:\n- They need a new quarterback.\n- bob says:\n- Time to rebuild.",
    ],
    keeps=[
        "The timeline of the crisis is short.\nMarch 3, 2019\nThe first cases were reported in the north of the country, where doctors said they had seen nothing like it.\n"
        "March 9, 2019\nThe government closed schools in three provinces and asked people to stay at home.\n"
        "March 20, 2019\nThe outbreak reached the capital, and hospitals there began to turn patients away.",
        "In a letter, the mayor wrote:\nWe will rebuild the bridge.\nBy the end of 2020 the work was done.\nMay 2, 2021\nThe bridge opened to traffic.",
    ],
    layout=True,
)
def item_lists(page: Page) -> list[Hit]:
    hits: list[Hit] = []
    for comment, items in _chains(page, _marker_groups(page)):
        if not comment:
            items = _without_lead_article(page, items)
            if len(items) < LIST_MIN_ITEMS:
                continue
        extent = _list_extent(page, comment, items)
        if extent is None:
            continue
        lead, trail = extent
        first, last = items[0][0][0], items[-1][0][-1]
        alive = page.alive()
        before = _short_run(page, [i for i in reversed(alive) if i < first], lead)
        after = (
            [i for i in alive if i > last][:trail]
            if comment
            else _short_run(page, [i for i in alive if i > last], trail)
        )
        if comment:
            head = [i for i in reversed(alive) if i < first][:3]
            before = next(([i for i in head if i >= h] for h in head if _COMMENT_HEADER_RE.match(page.text(h))), [])
        region = set(before) | set(after) | {i for i in alive if first <= i <= last}
        hits.extend(Hit(i, f"in a list of {len(items)} {'comments' if comment else 'items'}") for i in sorted(region))
    return hits


#: What opens a comment section, more loosely than ``_COMMENT_HEADER_RE``
#: (which must sit right above a thread): "Join the conversation", "View
#: comments", "6 thoughts on ...", "Kommentare", ...
_SECTION_HEADER_RE = re.compile(
    r"^\W*(?:(?:\d[\d,.]*\s+)?(?:comments?|responses?|replies|thoughts on\b.{0,200}|kommentare?|commentaires?|comentarios?)"
    r"|(?:top rated |latest |reader |all |recent )?(?:comments?|kommentare|commentaires|comentarios)(?:\s*\(\d+\))?"
    r"|(?:leave|post|add|write|submit) (?:a|your) (?:comment|reply|response).{0,40}"
    r"|join the (?:discussion|conversation)|(?:show|view|load|read|see) (?:all )?(?:\d+ )?comments"
    r")\W*$",
    re.IGNORECASE,
)
#: One of these is in every line ``_SECTION_HEADER_RE`` matches (lower case).
_SECTION_WORDS = ("comment", "respons", "repl", "thought", "conversation", "discussion", "kommentar", "comentario")
_SECTION_WORD_RE = re.compile("|".join(_SECTION_WORDS))
#: A line of comment metadata besides author lines and time stamps.
_COMMENT_META_RE = re.compile(
    r"^(?:reply|like|report|flag|log in to reply|rating:\s*\d+\s*votes?|\d+\s+(?:likes?|votes?|points|upvotes?|replies))\W*$",
    re.IGNORECASE,
)
#: A comment section is cut to the end of the page only after this many
#: words of prose (lines of 8 words or more), and when this many lines of
#: comment metadata follow its header.
SECTION_PROSE_BEFORE = 100
SECTION_MIN_META = 2
#: ... the first of them among the first lines after it (a "Comments" link
#: in the middle of the article is followed by more article).
SECTION_META_WITHIN = 6


@heuristic(
    "COMM010",
    "comments",
    "A comment section (a header such as '12 comments' or 'Join the conversation', then author lines, time stamps"
    " or 'Reply' links) runs to the end of the page after the article: all of it goes, long comments included.",
    removes=[
        "The council voted on Monday to close the old bridge for two years while engineers repair its supports.\n"
        "Residents will be able to use a ferry service, which the county has agreed to pay for until the work is done.\n"
        "Shop owners on both sides of the river say they expect to lose customers, and some plan to cut their hours.\n"
        "The council will meet again in two weeks to vote on the full repair plan and its budget for next year.\n"
        "Engineers first found cracks in the supports in March, after the storm, and closed one lane at the time.\n"
        "- Join the conversation\n- riverfan\n- 2 days ago\n"
        "- I have lived here for thirty years and this bridge has always been a mess. Two years is optimistic, and"
        " the ferry will be packed every morning, mark my words. The council should have fixed it a decade ago when"
        " the first cracks showed up and everyone in town could see them from the water.\n"
        "- Reply\n- mgreen\n- 1 day ago\n- Agreed.",
    ],
    keeps=[
        "The council voted on Monday to close the old bridge for two years while engineers repair its supports.\n"
        "Comments\nResidents had 30 days to send comments on the plan, and more than 400 did, most of them opposed.\n"
        "One wrote that the ferry would be packed every morning. The council said it had read every letter.",
        "Comments\n2 days ago\nReply\nThe council voted on Monday to close the old bridge for two years while"
        " engineers repair its supports, and residents will be able to use a ferry service paid for by the county.",
    ],
    layout=True,
)
def comment_section(page: Page) -> list[Hit]:
    texts = [page.text(i).strip() for i in range(len(page))]
    # Every header has one of these words (folded as re.IGNORECASE folds):
    # only lines with one are tried.
    folded = fold("\n".join(texts))
    if not any(w in folded for w in _SECTION_WORDS):
        return []
    # fold keeps the line breaks: one folded line per line.
    heads = [i for i in lines_with(folded, _SECTION_WORD_RE) if _SECTION_HEADER_RE.match(texts[i])]
    prose, counted = 0, 0
    for i in heads:
        for t in texts[counted:i]:
            n = count_words(t)
            if n >= 8:
                prose += n
        counted = i
        if prose < SECTION_PROSE_BEFORE:
            continue
        after = [j for j in range(i + 1, len(page)) if texts[j]]
        meta = (k for k, j in enumerate(after) if _item_marker(texts[j]) or _COMMENT_META_RE.match(texts[j]))
        first = next(meta, None)
        if (
            first is not None
            and first < SECTION_META_WITHIN
            and sum(1 for _ in itertools.islice(meta, SECTION_MIN_META - 1)) == SECTION_MIN_META - 1
        ):
            return [Hit(j, f"in the comment section from line {i + 1}") for j in [i, *after] if page.is_alive(j)]
    return []


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
        # a paywall's preview: the article's last paragraph, cut off, stays
        "The quarterback did not suffer a concussion, the team said on Monday after its doctors reviewed the play.\n"
        "Still, the player, who was the first pick of the draft, has been suspended for the rest of the season, and the league will look at the case again in the spring when…\n"
        "- To Read the Full Story\n- Subscribe Sign In\n- Most Popular Videos\n- Standoff at a Hong Kong University Following Night of Violence",
    ],
    keeps=[
        "The report lists three causes.\nRising costs\nThe costs rose by a third in two years, the report says.\nA shortage of staff\nHospitals lost staff to agencies.",
    ],
    layout=True,
)
def teaser_blocks(page: Page) -> list[Hit]:
    hits: list[Hit] = []
    for run in teaser_runs(page):
        run = run[_cut_off_paragraphs(page, run) :]
        if len(run) >= TEASER_MIN_RUN and not _inside_text(page, run[0], run[-1]):
            hits.extend(Hit(j, f"teaser run of {len(run)} lines") for j in run)
    return hits


#: A line cut off with an ellipsis is the article's own last paragraph
#: (a paywall's preview), not a teaser, when it is this long and follows prose.
CUT_OFF_MIN_WORDS = 25


def _cut_off_paragraphs(page: Page, run: list[int]) -> int:
    """1 when the head of ``run`` continues the prose before it: a long
    paragraph cut off with an ellipsis right after a kept line of prose
    that ends like a sentence; else 0. (Only one: a box of long teasers,
    each cut off, is still a box.)"""
    first = run[0]
    before = _neighbour(page, first, -1)
    if (
        before is not None
        and page.is_alive(before)
        and is_prose(page.text(before), PROSE_MIN_WORDS)
        and is_sentence(page.text(before))
        and count_words(page.text(first)) >= CUT_OFF_MIN_WORDS
    ):
        return 1
    return 0


def teaser_runs(page: Page) -> list[list[int]]:
    """Runs of ``TEASER_MIN_RUN`` or more headline-like alive lines."""
    runs: list[list[int]] = []
    run: list[int] = []
    for i in [*page.alive(), None]:
        if i is not None and _teaser_like(page.text(i)):
            run.append(i)
            continue
        if len(run) >= TEASER_MIN_RUN:
            runs.append(run)
        run = []
    return runs


def _neighbour(page: Page, i: int, step: int) -> int | None:
    """The nearest non-blank line before (``step=-1``) or after line ``i``,
    whether or not it was removed."""
    j = i + step
    while 0 <= j < len(page) and not page.text(j).strip():
        j += step
    return j if 0 <= j < len(page) else None


def _inside_text(page: Page, first: int, last: int) -> bool:
    """A list inside the article: the lines before and after it are prose
    (a lead-in of 8+ words ending in ':' counts) and still kept; a list
    under a header a rule removed ('Related') is not inside the text."""
    before, after = _neighbour(page, first, -1), _neighbour(page, last, 1)
    if before is None or after is None or not (page.is_alive(before) and page.is_alive(after)):
        return False
    return is_prose(page.text(before), PROSE_MIN_WORDS) and is_prose(page.text(after), PROSE_MIN_WORDS)


# --- teasers fused to their summaries ------------------------------------------

#: Where a headline ends and its summary starts with no space between
#: ('... Student-AthleteA 24-year-old woman ...').
_FUSED_SEAM_RE = re.compile(r"(?<=[a-z0-9?!])(?=[A-Z])")
_SEAM_PAIR_RE = re.compile(r"[a-z0-9?!][A-Z]")  # the same test, faster to search for
#: Names with a capital inside ('McConnell', 'DeSantis', 'LeBron', 'iPhone')
#: are not seams: the part of the word before the capital is one of these,
#: or shorter than 3 letters.
_NAME_PREFIXES = frozenset({"mc", "mac", "de", "la", "le", "di", "da", "van", "von", "del", "della"})
#: Seams are looked for in this many first characters (a headline is short).
FUSED_SCAN_CHARS = 300
#: The headline part: this many words, this share of them capitalized ...
FUSED_HEAD_WORDS = (4, 20)
FUSED_HEAD_CAPS = 0.8
#: ... the summary part: this many words, this share of them in lower case.
FUSED_SUMMARY_WORDS = 8
FUSED_SUMMARY_LOWER = 0.5


def _headline_fused_to_summary(text: str) -> bool:
    """A Title Case headline run into a sentence-case summary, as a teaser
    box's link is flattened ('Customers Leave Without Paying $690 Bill At
    Troy SteakhouseA party of six left ...')."""
    for m in _FUSED_SEAM_RE.finditer(text, 0, FUSED_SCAN_CHARS):
        head = text[: m.start()].split()
        if len(head) > FUSED_HEAD_WORDS[1]:
            break
        piece = head[-1] if head else ""
        if len(head) < FUSED_HEAD_WORDS[0] or len(piece) < 3 or piece.lower() in _NAME_PREFIXES:
            continue
        upper, _, n = case_counts(head)
        if not n or upper < FUSED_HEAD_CAPS * n:
            continue
        if any(w[:1].islower() and len(w) >= 4 for w in head):  # 'said', 'would': a sentence, not a headline
            continue
        rest = text[m.start() :].split()
        _, lower, n = case_counts(rest)
        if len(rest) >= FUSED_SUMMARY_WORDS and lower >= FUSED_SUMMARY_LOWER * n:
            return True
    return False


@heuristic(
    "TEASE002",
    "teaser",
    "Two or more lines in a row that each run a Title Case headline into its summary with no space between ('... At Troy SteakhouseA party of six left ...') are a box of links to other stories.",
    removes=[
        "The council met on Monday and voted on the budget for the next year.\n"
        "- Customers Leave Without Paying $690 Bill At Troy SteakhouseA party of six left the steakhouse without paying their bill after a fight.\n"
        "- Michigan To Mail Redistricting Panel Applications To 250,000The state will mail applications encouraging voters to apply to serve on the panel.",
    ],
    keeps=[
        "Apple's new MacBook Pro has a bigger screen and a better keyboard than the old one, reviewers said.\n"
        "The new iPhone and iPad models will reach the shops in the spring, the company said on Monday.",
        "Senate Majority Leader Mitch McConnell said on Tuesday that the chamber would vote on the relief bill before the end of next week.\n"
        "House Minority Leader Kevin McCarthy told reporters that his party would not support the bill in its current form without changes.",
        'Health Secretary Matt Hancock said "We are doing everything we can to get the tests out to the care homes this week."\n'
        'Labour Leader Keir Starmer replied "The government has been far too slow to act on the tests and the care homes."',
        "Tesla Chief Executive Elon Musk said SpaceX would try another launch of the rocket before the end of the year.\n"
        "Former Vice President Joe Biden said YouTube and Facebook should do more to stop false claims about the vote.",
    ],
)
def fused_teasers(page: Page) -> list[Hit]:
    hits: list[Hit] = []
    run: list[int] = []
    for i, text in [*page.iter_alive(), (-1, "")]:
        if (
            i >= 0
            and _SEAM_PAIR_RE.search(text, 0, FUSED_SCAN_CHARS)  # cheap: most lines have no seam
            and count_words(text) >= FUSED_HEAD_WORDS[0] + FUSED_SUMMARY_WORDS
            and _headline_fused_to_summary(text)
        ):
            run.append(i)
            continue
        if len(run) >= 2:
            hits.extend(Hit(j, f"headline fused to its summary, {len(run)} in a row") for j in run)
        run = []
    return hits


# --- edges: lines outside the page's runs of content ------------------------

#: A line of at least this many words that ends like a sentence is prose.
PROSE_MIN_WORDS = 8
#: What a non-prose line costs a run of content (prose lines are worth their
#: word count): a run survives a short menu, not a long one.
NON_PROSE_COST = 20
#: What a line a rule already took out costs the run it is in.
DEAD_LINE_COST = 5
#: A short sentence (4+ words) is worth this much.
SHORT_SENTENCE_VALUE = 2
#: Runs worth at least this share of the best run are kept too (articles
#: split by a gallery or an embedded box).
RUN_KEEP_SHARE = 0.25
#: A single line of at most this many words between two kept runs is a
#: subhead of the article and is kept with them (context, as in jusText).
SUBHEAD_MAX_WORDS = 12


def _line_value(text: str) -> int:
    n = count_words(text)
    if is_prose(text, PROSE_MIN_WORDS):
        return n
    if n >= 4 and is_sentence(text):
        return SHORT_SENTENCE_VALUE
    return -NON_PROSE_COST


def content_runs(page: Page) -> list[tuple[int, int, int]]:
    """The page's runs of content as ``(value, first, last)`` line indices.

    Walking the lines, prose adds its words, other lines cost
    ``NON_PROSE_COST`` and lines a rule already took out ``DEAD_LINE_COST``
    (a row of share buttons still parts the article from the author's bio
    under it); a run ends where its running total drops to zero,
    and it spans from its start to the line where its total peaked (the
    block-fusion idea of Kohlschütter et al., on lines)."""
    runs = []
    start: int | None = None
    total = best = 0
    best_end = -1
    prev = -1
    for i, text in page.iter_alive():
        if start is not None:
            # Lines a rule took out between two alive lines still part them.
            total -= DEAD_LINE_COST * sum(1 for j in range(prev + 1, i) if page.text(j).strip())
        prev = i
        if start is None or total <= 0:
            if start is not None and best_end >= 0:
                runs.append((best, start, best_end))
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
    layout=True,
)
def edges(page: Page) -> list[Hit]:
    runs = content_runs(page)
    if not runs:
        return []
    top = max(r[0] for r in runs)
    keep = [(a, b) for value, a, b in runs if value >= RUN_KEEP_SHARE * top]
    keep += _subheads_between(page, keep)
    inside = bytearray(len(page))
    for a, b in keep:
        inside[a : b + 1] = b"\x01" * (b + 1 - a)
    return [Hit(i, "outside the main text") for i, _ in page.iter_alive() if not inside[i]]


def _subheads_between(page: Page, keep: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Lone short lines between two kept runs (subheads), as ``(i, i)``."""
    out = []
    spans = sorted(keep)
    for (_, end), (start, _) in pairwise(spans):
        between = [i for i in range(end + 1, start) if page.is_alive(i)]
        if len(between) == 1 and count_words(page.text(between[0])) <= SUBHEAD_MAX_WORDS:
            out.append((between[0], between[0]))
    return out


# --- the main-content detector (measured, not on by default) ------------------


def main_content(page: Page) -> list[Hit]:
    # Imported here: the detector needs numpy and the stop-word lists, which
    # the other heuristics do not.
    from cleaner.detector import detect

    return [Hit(i, why) for i, why in detect(page)]


#: The line detector of ``cleaner/detector.py`` as a heuristic. It is not in
#: ``REGISTRY``: on the dev pages it scores about the same F1 as EDGE001 +
#: TEASE001 (0.889 vs 0.890) at a lower recall, and stacked after them it
#: costs 2 points of recall for 2 points of precision, so the default
#: pipeline keeps EDGE001 (``benchmarks/quality.py`` has a ``detector-only``
#: row; ``tests/test_detector.py`` checks these examples).
DETECTOR = Heuristic(
    "DET001",
    "edge",
    "Lines that do not read as the article's prose, judged from their words, stop words and punctuation and from the lines around them, outside the page's main runs of content.",
    main_content,
    removes=(
        "- Subscribe\n- Sign In\n- World\nThe president said on Sunday that the two countries were not building an alliance.\nHe added that cooperation was transparent and open to all.\n- Privacy Policy\n- Terms of Use",
        "- Home\n- News\n- Sport\n- Weather\nThe council met on Monday and voted to close the old bridge to all traffic, the mayor said.\n"
        "Repairs will take two years and cost about four million euros, according to the city.\n- Most Read\n- Contact Us\n- Careers",
    ),
    keeps=(
        "The president said on Sunday that the two countries were not building an alliance.\nStrategic partnership\nHe added that cooperation was transparent and open to all of their neighbours.",
    ),
    layout=True,
)


# --- numbered lists: kept -----------------------------------------------------

#: The heuristics that take a run of short lines for a menu; the lines they
#: took from an ordered list or a recipe card come back (``clean.keep_ordered_lists``).
RUN_HEURISTICS = ("TEASE001", "EDGE001")

#: An item of a numbered list: '1.', '1)', '1:', '1a', '1ª', '1º' then text.
#: What follows the number of a list item: '.', ')' or ':' (not '1.5'), or an ordinal letter.
_ITEM_MARK = r"(?:[.):](?!\d)|[aªº°](?=\s))"
_NUMBERED_RE = re.compile(rf"^\s*(\d{{1,3}}){_ITEM_MARK}\s*\S")
#: A numbered list counts from 1 with at least this many items ...
NUMBERED_MIN_ITEMS = 3
#: ... each of at least this many words, at most this many lines apart.
NUMBERED_ITEM_WORDS = 3
NUMBERED_MAX_GAP = 3


_HAS_ITEM_ONE_RE = re.compile(rf"(?m)^[ \t]*1{_ITEM_MARK}")


def numbered_lists(page: Page) -> list[list[int]]:
    """Lists numbered 1, 2, 3, ... in order (a calendar's rounds, a
    ranking, the steps of a recipe, the picks of a gift guide): the line
    indices of each one's items, whether or not a rule took them out.

    Menus and teaser boxes are not numbered in sequence; a numbered list
    is the article's own content, which the layout heuristics (short lines
    in a run) would otherwise take for a menu."""
    if not _HAS_ITEM_ONE_RE.search(page.joined()):  # one scan of the page first
        return []
    lists: list[list[int]] = []
    items: list[int] = []
    expect, gap = 1, 0
    for i in range(len(page)):
        text = page.originals[i]
        if not text.strip():
            continue
        m = _NUMBERED_RE.match(text) if text[:4].lstrip()[:1].isdigit() else None
        n = int(m.group(1)) if m and count_words(text) >= NUMBERED_ITEM_WORDS else None
        if n is not None and n == expect and (n == 1 or gap <= NUMBERED_MAX_GAP):
            items, expect, gap = ([i] if n == 1 else [*items, i]), n + 1, 0
            continue
        if n == 1:  # a new list starts
            if len(items) >= NUMBERED_MIN_ITEMS:
                lists.append(items)
            items, expect, gap = [i], 2, 0
            continue
        gap += 1
        if gap > NUMBERED_MAX_GAP and items:
            if len(items) >= NUMBERED_MIN_ITEMS:
                lists.append(items)
            items, expect = [], 1
    if len(items) >= NUMBERED_MIN_ITEMS:
        lists.append(items)
    return lists


#: An item of a schedule: an English date ('June 9', 'Sat., Oct. 10th') then text.
#: An optional weekday, then a month and a day ('Sat., Oct. 10').
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+"
_DATED_RE = re.compile(
    rf"^\s*{_WEEKDAY}{_MONTH}(\d{{1,2}})(?:st|nd|rd|th)?\b[\s,:–—-]*(.*)$",
    re.IGNORECASE,
)
_MONTH_NUMBER = {
    m: n for n, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))
}


_HAS_DATED_LINE_RE = re.compile(rf"(?im)^[ \t]*{_WEEKDAY}{_MONTH}\d")


def dated_lists(page: Page) -> list[list[int]]:
    """Schedules: 3+ lines in a row that each start with a date ('June 9 -
    West Palm Beach, FL @ Coral Sky Amphitheatre') and 3+ words, the dates
    strictly later line by line (a tour, the rounds of a season). Lists of
    other stories are dated newest first, and archives by month only."""
    if not _HAS_DATED_LINE_RE.search(page.joined()):  # one scan of the page first
        return []
    lists: list[list[int]] = []
    items: list[int] = []
    last = (-1, -1)
    for i in [*range(len(page)), None]:
        text = page.originals[i] if i is not None else ""
        if i is not None and not text.strip():
            continue
        m = _DATED_RE.match(text) if text[:12].lstrip()[:1].isalpha() else None
        key = (_MONTH_NUMBER[m.group(1).lower()[:3]], int(m.group(2))) if m and count_words(m.group(3)) >= 3 else None
        if key is not None and items and key > last:
            items.append(i)
        else:
            if len(items) >= NUMBERED_MIN_ITEMS:
                lists.append(items)
            items = [i] if key is not None and i is not None else []
        if key is not None:
            last = key
    return lists


#: A line of an interview: 'Q: ...' or 'A: ...' (or 'Q.' / 'A.').
_QA_RE = re.compile(r"^\s*([QA])\s*[:.]\s+\S")
#: An interview has at least this many question-and-answer pairs.
QA_MIN_PAIRS = 2


_HAS_QUESTION_RE = re.compile(r"(?m)^[ \t]*Q[ \t]*[:.]\s")


def interview_lists(page: Page) -> list[list[int]]:
    """Interviews set as 'Q: ...' / 'A: ...' lines, questions and answers
    taking turns (at most ``NUMBERED_MAX_GAP`` lines apart), 2+ pairs: the
    lines of each. Short answers ('A: Lebron James') read like a menu to
    the layout heuristics."""
    if not _HAS_QUESTION_RE.search(page.joined()):  # one scan of the page first
        return []
    lists: list[list[int]] = []
    items: list[int] = []
    want, gap = "Q", 0
    for i in [*range(len(page)), None]:
        text = page.originals[i] if i is not None else ""
        if i is not None and not text.strip():
            continue
        m = _QA_RE.match(text) if text.lstrip()[:1] in ("Q", "A") else None
        turn = m.group(1) if m else None
        if turn is not None and turn == want and (not items or gap <= NUMBERED_MAX_GAP):
            items.append(i)
            want, gap = ("A" if turn == "Q" else "Q"), 0
            continue
        gap += 1
        if turn == "Q" or i is None or gap > NUMBERED_MAX_GAP:
            if len(items) >= 2 * QA_MIN_PAIRS:
                lists.append(items)
            items, want, gap = ([i] if turn == "Q" and i is not None else []), ("A" if turn == "Q" else "Q"), 0
    return lists


#: The last line of an embedded tweet: '— Name (@handle) November 19, 2019'.
_TWEET_BY_RE = re.compile(
    r"^\s*[—–-]\s*.{1,80}\(@\w{1,15}\)\s*"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}, \d{4}\s*$",
    re.IGNORECASE,
)


def line_before(page: Page, i: int) -> int | None:
    """The nearest line before ``i`` that is not blank in the input,
    whether or not it was removed."""
    return next((j for j in range(i - 1, -1, -1) if page.originals[j].strip()), None)


def _filled_lines(page: Page) -> list[int]:
    """The indices of the lines that are not blank in the input."""
    return [i for i in range(len(page)) if page.originals[i].strip()]


def tweet_embeds(page: Page) -> list[list[int]]:
    """Tweets embedded in the article, as a scraper flattens them: the
    tweet's text, then '— Name (@handle) Date'. The two lines of each."""
    if "(@" not in page.joined():
        return []
    embeds = []
    for i in range(len(page)):
        text = page.originals[i]
        if "(@" in text and _TWEET_BY_RE.match(text):
            before = line_before(page, i)
            embeds.append([i] if before is None else [before, i])
    return embeds


# --- a numbered list of headlines run into one line ---------------------------

#: A fused list has at least this many numbered items ...
FUSED_LIST_MIN_ITEMS = 4
#: ... and at least this share of its words in lower case (headlines, not names).
FUSED_LOWER_SHARE = 0.3


def _fused_list_items(text: str) -> int:
    """How many items of a list numbered 1, 2, 3, ... are run into the line:
    the numbers as words of their own, in order, the line starting with 1,
    each item starting like a headline (capital letter, digit or quote)
    and no item before the next number ending like a sentence."""
    words = text.split()
    if len(words) < 2 * FUSED_LIST_MIN_ITEMS or words[0] != "1":
        return 0
    want = 1
    for k, (word, following) in enumerate(itertools.pairwise(words)):
        if word == str(want) and (following[:1].isupper() or following[:1].isdigit() or following[:1] in "'\"‘“"):
            if want > 1 and words[k - 1][-1:] in ".!?:;":
                return 0  # steps of a recipe, run together: sentences
            want += 1
    # Headlines have verbs and common nouns in lower case; a race's results
    # ('1 Max Verstappen (Red Bull) 2 Lewis Hamilton ...') are names.
    _, lower, n = case_counts(words)
    return want - 1 if lower >= FUSED_LOWER_SHARE * n else 0


@heuristic(
    "LIST010",
    "teaser",
    f"A line that runs {FUSED_LIST_MIN_ITEMS}+ numbered headlines together ('1 Photo sparks theories 2 Aides left notes 3 ...') is a 'Most read' box flattened into one line.",
    removes=[
        "1 120-year-old photo sparks conspiracy theories 2 Aides allegedly left staffers 'You will fail' notes 3 Congressman denies the claim 4 Two jail guards soon to be arrested 5 Video shows possible fan brawl",
    ],
    keeps=[
        "1 Preheat the oven to 180 degrees. 2 Mix the flour and the butter. 3 Add the eggs one at a time. 4 Bake for forty minutes.",
        "1 in 4 adults said they had skipped a meal, and 2 in 5 said they had cut back on heating this winter.",
        "1 Max Verstappen (Red Bull) 1:30:12 2 Lewis Hamilton (Mercedes) +2.1s 3 Charles Leclerc (Ferrari) +5.4s 4 Lando Norris (McLaren) +9.9s",
    ],
)
def fused_numbered_list(page: Page) -> list[Hit]:
    return [
        Hit(i, f"{n} numbered headlines in one line")
        for i, text in page.iter_alive()
        if text.lstrip()[:2] == "1 " and (n := _fused_list_items(text)) >= FUSED_LIST_MIN_ITEMS
    ]


# --- recipe cards: kept --------------------------------------------------------

_INGREDIENTS = r"(?:ingredients|zutaten|ingrédients|ingredientes|ingredienti|ингредиенты)"
_INGREDIENTS_RE = re.compile(rf"^\s*{_INGREDIENTS}\s*:?\s*$", re.I)
_STEPS_RE = re.compile(
    r"^\s*(?:instructions|directions|method|preparation|zubereitung|préparation|preparación|preparazione|приготовление)\s*:?\s*$",
    re.I,
)
#: A card's ingredients and its steps are each at most this many lines.
RECIPE_MAX_LINES = 40
#: A step ends like a sentence, is numbered, or has at least this many words (mostly lower case).
RECIPE_STEP_WORDS = 6


_HAS_INGREDIENTS_RE = re.compile(rf"(?im)^[ \t]*{_INGREDIENTS}[ \t]*:?[ \t]*$")


def recipe_cards(page: Page) -> list[list[int]]:
    """Recipe cards: an 'Ingredients' header, 2+ lines, a 'Directions' (or
    'Instructions', 'Method', ...) header, then the steps: lines that end
    like sentences, are numbered, or have 6+ words mostly in lower case;
    the steps end at any other line or at a line a rule took out. The lines
    of each card. A card's short lines read like a menu to the layout
    heuristics."""
    if not _HAS_INGREDIENTS_RE.search(page.joined()):  # one scan of the page first
        return []
    lines = _filled_lines(page)
    cards = []
    for k, i in enumerate(lines):
        if not _INGREDIENTS_RE.match(page.originals[i]):
            continue
        steps_at = next(
            (
                n
                for n in range(k + 3, min(k + 2 + RECIPE_MAX_LINES, len(lines)))
                if _STEPS_RE.match(page.originals[lines[n]])
            ),
            None,
        )
        if steps_at is None:
            continue
        card = lines[k : steps_at + 1]
        for j in lines[steps_at + 1 : steps_at + 1 + RECIPE_MAX_LINES]:
            if page.dropped[j] not in (None, *RUN_HEURISTICS) or not _recipe_step(page.originals[j]):
                break
            card.append(j)
        if len(card) > steps_at - k + 1:  # at least one step
            cards.append(card)
    return cards


def _recipe_step(text: str) -> bool:
    if is_sentence(text) or _NUMBERED_RE.match(text):
        return True
    _, lower, n = case_counts(text.split())
    return count_words(text) >= RECIPE_STEP_WORDS and lower >= 0.5 * n


# --- tables led into by the article: kept ----------------------------------------

#: A table cell that is only a number ('5040', '39%', '1:30.2', '-3').
_NUMBER_CELL_RE = re.compile(r"^\s*[-+]?\d[\d.,:%/ -]*\s*$")
#: A flattened table: at least this many short lines in a row ...
TABLE_MIN_CELLS = 12
#: ... of at most this many words, at least this share of them numbers.
TABLE_CELL_WORDS = 6
TABLE_NUMBER_SHARE = 0.4
#: The lead-in line before it ends with ':' and has at least this many words.
TABLE_LEAD_WORDS = 6
#: The table ends before this many lines in a row that are not numbers.
TABLE_GAP = 3


def _table_cells(page: Page, short: list[int]) -> list[int]:
    """The cells of a table at the head of the short lines ``short``: its
    header cells, then up to the last number before a run of
    ``TABLE_GAP`` lines that are not numbers (the menu under the table)."""
    is_number = [bool(_NUMBER_CELL_RE.match(page.originals[i])) for i in short]
    last, gap = -1, 0
    for n, number in enumerate(is_number):
        if number:
            last, gap = n, 0
        elif last >= 0:
            gap += 1
            if gap >= TABLE_GAP:
                break
    return short[: last + 1]


_HAS_LEAD_IN_RE = re.compile(r"(?m):[ \t]*$")


def led_tables(page: Page) -> list[list[int]]:
    """Tables the article leads into, flattened one cell a line (a season's
    standings, a price list): a line of 6+ words ending with ':', then 12+
    short lines in a row, up to the last number before 3 lines in a row
    that are not numbers, 40 %+ of them numbers. The lead-in and the cells.
    Menus have no column of numbers; cells repeat (REP001)."""
    if not _HAS_LEAD_IN_RE.search(page.joined()):  # one scan of the page first
        return []
    lines = _filled_lines(page)
    tables = []
    k = 0
    while k < len(lines):
        lead = page.originals[lines[k]].rstrip()
        if not (lead.endswith(":") and count_words(lead) >= TABLE_LEAD_WORDS):
            k += 1
            continue
        end = k + 1
        while end < len(lines) and count_words(page.originals[lines[end]]) <= TABLE_CELL_WORDS:
            end += 1
        cells = _table_cells(page, lines[k + 1 : end])
        numbers = sum(1 for i in cells if _NUMBER_CELL_RE.match(page.originals[i]))
        if len(cells) >= TABLE_MIN_CELLS and numbers >= TABLE_NUMBER_SHARE * len(cells):
            tables.append([lines[k], *cells])
        k = end
    return tables
