"""Tag clouds and indexes (TAGS001), and navigation crumbs fused onto the
headline (CRUMB001)."""

from __future__ import annotations

import re
from itertools import pairwise

from cleaner.heuristics.base import WORD_RE, heuristic
from cleaner.page import Hit, Page

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
    return [w.casefold() for w in WORD_RE.findall(text) if not w.isdigit()]


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
        if len(stripped) < 2 * SORTED_MIN_ITEMS - 1 or page.sentence(i) or _SENTENCE_INSIDE_RE.search(stripped):
            continue
        items = _items(stripped)
        if len(items) < SORTED_MIN_ITEMS:
            continue
        ordered = sum(a <= b for a, b in pairwise(items)) / (len(items) - 1)
        if ordered >= SORTED_SHARE:
            hits.append(Hit(i, f"{len(items)} items, {ordered:.0%} in alphabetical order"))
    return hits


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
