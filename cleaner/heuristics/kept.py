"""Structures of the article that the run heuristics (TEASE001, EDGE001) may
take for menus and that come back: numbered, dated and question-and-answer
lists, embedded tweets, recipe cards and tables led into by the article."""

from __future__ import annotations

import re

from cleaner.heuristics.base import any_line_starts, line_before
from cleaner.page import Page, case_counts, count_words, is_sentence

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


_HAS_ITEM_ONE_RE = re.compile(rf"\n[ \t]*1{_ITEM_MARK}")


def numbered_lists(page: Page) -> list[list[int]]:
    """Lists numbered 1, 2, 3, ... in order (a calendar's rounds, a
    ranking, the steps of a recipe, the picks of a gift guide): the line
    indices of each one's items, whether or not a rule took them out.

    Menus and teaser boxes are not numbered in sequence; a numbered list
    is the article's own content, which the layout heuristics (short lines
    in a run) would otherwise take for a menu."""
    if not any_line_starts(page, _HAS_ITEM_ONE_RE):  # one scan of the page first
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


_HAS_DATED_LINE_RE = re.compile(rf"(?i)\n[ \t]*{_WEEKDAY}{_MONTH}\d")


def dated_lists(page: Page) -> list[list[int]]:
    """Schedules: 3+ lines in a row that each start with a date ('June 9 -
    West Palm Beach, FL @ Coral Sky Amphitheatre') and 3+ words, the dates
    strictly later line by line (a tour, the rounds of a season). Lists of
    other stories are dated newest first, and archives by month only."""
    if not any_line_starts(page, _HAS_DATED_LINE_RE):  # one scan of the page first
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


_HAS_QUESTION_RE = re.compile(r"\n[ \t]*Q[ \t]*[:.]\s")


def interview_lists(page: Page) -> list[list[int]]:
    """Interviews set as 'Q: ...' / 'A: ...' lines, questions and answers
    taking turns (at most ``NUMBERED_MAX_GAP`` lines apart), 2+ pairs: the
    lines of each. Short answers ('A: Lebron James') read like a menu to
    the layout heuristics."""
    if not any_line_starts(page, _HAS_QUESTION_RE):  # one scan of the page first
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


# --- recipe cards: kept --------------------------------------------------------

_INGREDIENTS = r"(?:ingredients|zutaten|ingrédients|ingredientes|ingredienti|ингредиенты)"
_INGREDIENTS_RE = re.compile(rf"^\s*{_INGREDIENTS}\s*:?\s*$", re.I)
_STEPS_RE = re.compile(
    r"^\s*(?:instructions|directions|method|preparation|zubereitung|préparation|preparación|elaboración|preparazione"
    r"|procedimento|(?:modo de )?preparo|(?:способ )?приготовлени[ея])\s*:?\s*$",
    re.I,
)
#: A card's ingredients and its steps are each at most this many lines.
RECIPE_MAX_LINES = 40
#: A step ends like a sentence, is numbered, or has at least this many words (mostly lower case).
RECIPE_STEP_WORDS = 6


_HAS_INGREDIENTS_RE = re.compile(rf"(?i)\n[ \t]*{_INGREDIENTS}[ \t]*:?[ \t]*(?=\n|\Z)")


def recipe_cards(page: Page) -> list[list[int]]:
    """Recipe cards: an 'Ingredients' header, 2+ lines, a 'Directions' (or
    'Instructions', 'Method', ...) header, then the steps: lines that end
    like sentences, are numbered, or have 6+ words mostly in lower case;
    the steps end at any other line or at a line a rule took out. The lines
    of each card. A card's short lines read like a menu to the layout
    heuristics."""
    if not any_line_starts(page, _HAS_INGREDIENTS_RE):  # one scan of the page first
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
