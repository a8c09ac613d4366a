"""Photo captions fused to their credits (CAP001), and the caption above a
credit on its own line (CAP002)."""

from __future__ import annotations

import re
from itertools import pairwise

from cleaner.heuristics.base import heuristic, line_before, lines_starting
from cleaner.page import Hit, Page, count_words, is_sentence

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
    for prev, cur in pairwise(page.filled()):
        head, text = page.text(prev).strip(), page.text(cur).strip()
        if len(text) <= len(head) or not text.startswith(head) or page.words(prev) < 2:
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
#: start, or a slash in its first 41 characters (one scan of the page; see
#: ``lines_starting``).
_CREDIT_HINT_RE = re.compile(rf"(?i)\n(?:[ \t]*{_CREDIT_LABEL}|[^\n/]{{2,40}}/)")
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
            and 4 <= page.words(prev) <= CAPTION_MAX_WORDS
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
    return lines_starting(page, _CREDIT_HINT_RE)
