"""Lists of items with their metadata: comment threads and teaser lists
(LIST001), and comment sections after the article (COMM010)."""

from __future__ import annotations

import itertools
import re

from cleaner.heuristics.base import heuristic, lines_with_words
from cleaner.page import Hit, Page
from cleaner.prefilter import fold

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


def _item_marker(page: Page, i: int) -> str | None:
    """What kind of item metadata line ``i`` is, if any: a comment's author
    line, a time stamp or an item's by-line."""
    stripped = page.text(i).strip()
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
    n = page.words(i)
    if n > 20:
        return None
    if author and _COMMENT_AUTHOR_RE.match(stripped):
        return "comment"
    if digit and _STAMP_RE.match(stripped):
        return "stamp"
    if byline and n <= 6 and _ITEM_BYLINE_RE.match(stripped):
        return "byline"
    return None


def _is_title(page: Page, i: int) -> bool:
    """A headline-like line: no sentence ending, or a short question."""
    n = page.words(i)
    return n >= 2 and (not page.sentence(i) or (n <= 16 and page.text(i).rstrip().endswith("?")))


def _marker_groups(page: Page) -> list[tuple[list[int], bool]]:
    """The page's item markers, adjacent ones merged: ``(line indices,
    is_comment)``. Lines a rule took count too (a dropped date is still an
    item's date)."""
    groups: list[tuple[list[int], bool]] = []
    prev = -2
    pos = -1
    for i in page.filled():
        pos += 1
        kind = _item_marker(page, i)
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
        if _is_title(page, i) and (j == 0 or not _is_title(page, gap[j - 1])):
            return j
    return len(gap)


def _list_extent(page: Page, comment: bool, items: list[tuple[list[int], list[int]]]) -> tuple[int, int] | None:
    """How many alive lines before the first marker and after the last one
    belong to the list, or ``None`` when the chain does not look like a list
    of teasers or comments."""
    gaps = [gap for _, gap in items[:-1]]
    if comment:
        return 0, max(len(g) for g in gaps)
    words = [sum(map(page.words, g)) for g in gaps]
    if sum(words) > LIST_ITEM_MAX_WORDS * len(gaps):
        return None
    if 3 * sum(1 for g in gaps if any(_is_title(page, i) for i in g)) < 2 * len(gaps):
        return None
    offsets = [_title_offset(page, g) for g in gaps]
    return _median([len(g) - o for g, o in zip(gaps, offsets, strict=True)]), _median(offsets)


def _without_lead_article(page: Page, items: list[tuple[list[int], list[int]]]) -> list[tuple[list[int], list[int]]]:
    """Drop the first marker of a chain when the text after it is much longer
    than a list item's: it is the article's own by-line and date, followed
    by a short article and then the list."""
    words = [sum(map(page.words, gap)) for _, gap in items[:-1]]
    if len(words) >= 2 and words[0] > LEAD_ARTICLE_FACTOR * _median(words[1:]):
        return items[1:]
    return items


def _short_run(page: Page, lines: list[int], limit: int) -> list[int]:
    out = []
    for i in lines[:limit]:
        if page.words(i) > LIST_EDGE_MAX_WORDS:
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
    heads = [i for i in lines_with_words(folded, _SECTION_WORDS) if _SECTION_HEADER_RE.match(texts[i])]
    prose, counted = 0, 0
    for i in heads:
        for j in range(counted, i):
            n = page.words(j)
            if n >= 8:
                prose += n
        counted = i
        if prose < SECTION_PROSE_BEFORE:
            continue
        after = [j for j in range(i + 1, len(page)) if texts[j]]
        meta = (k for k, j in enumerate(after) if _item_marker(page, j) or _COMMENT_META_RE.match(texts[j]))
        first = next(meta, None)
        if (
            first is not None
            and first < SECTION_META_WITHIN
            and sum(1 for _ in itertools.islice(meta, SECTION_MIN_META - 1)) == SECTION_MIN_META - 1
        ):
            return [Hit(j, f"in the comment section from line {i + 1}") for j in [i, *after] if page.is_alive(j)]
    return []
