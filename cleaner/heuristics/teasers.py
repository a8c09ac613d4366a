"""Teasers: runs of short headline-like lines (TEASE001), headlines fused to
their summaries (TEASE002), and numbered lists of headlines run into one
line (LIST010)."""

from __future__ import annotations

import itertools
import re

from cleaner.heuristics.base import PROSE_MIN_WORDS, heuristic
from cleaner.page import Hit, Page, case_counts

# --- teaser blocks ----------------------------------------------------------

TEASER_MIN_RUN = 3
TEASER_MAX_WORDS = 16


def _teaser_like(page: Page, i: int) -> bool:
    stripped = page.text(i).rstrip()
    if stripped.endswith(("…", "...")):
        return True
    return 3 <= page.words(i) <= TEASER_MAX_WORDS and not page.sentence(i) and not stripped.endswith(":")


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
        and page.prose(before, PROSE_MIN_WORDS)
        and page.sentence(before)
        and page.words(first) >= CUT_OFF_MIN_WORDS
    ):
        return 1
    return 0


def teaser_runs(page: Page) -> list[list[int]]:
    """Runs of ``TEASER_MIN_RUN`` or more headline-like alive lines."""
    runs: list[list[int]] = []
    run: list[int] = []
    for i in [*page.alive(), None]:
        if i is not None and _teaser_like(page, i):
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
    while 0 <= j < len(page) and page.is_blank(j):
        j += step
    return j if 0 <= j < len(page) else None


def _inside_text(page: Page, first: int, last: int) -> bool:
    """A list inside the article: the lines before and after it are prose
    (a lead-in of 8+ words ending in ':' counts) and still kept; a list
    under a header a rule removed ('Related') is not inside the text."""
    before, after = _neighbour(page, first, -1), _neighbour(page, last, 1)
    if before is None or after is None or not (page.is_alive(before) and page.is_alive(after)):
        return False
    return page.prose(before, PROSE_MIN_WORDS) and page.prose(after, PROSE_MIN_WORDS)


# --- teasers fused to their summaries ------------------------------------------

#: Where a headline ends and its summary starts with no space between
#: ('... Student-AthleteA 24-year-old woman ...').
_FUSED_SEAM_RE = re.compile(r"(?<=[a-z0-9?!])(?=[A-Z])")
#: The same test, faster to search for: the regex engine skips ahead to
#: the next capital (rare in prose) before it looks behind it.
_SEAM_PAIR_RE = re.compile(r"[A-Z](?<=[a-z0-9?!][A-Z])")
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
            and page.words(i) >= FUSED_HEAD_WORDS[0] + FUSED_SUMMARY_WORDS
            and _headline_fused_to_summary(text)
        ):
            run.append(i)
            continue
        if len(run) >= 2:
            hits.extend(Hit(j, f"headline fused to its summary, {len(run)} in a row") for j in run)
        run = []
    return hits


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
