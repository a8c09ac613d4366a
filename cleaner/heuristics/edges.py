"""The page's edges: lines outside its main runs of prose (EDGE001), and
the line detector measured against it (DET001, not registered)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import pairwise

from cleaner.heuristics.base import PROSE_MIN_WORDS, Heuristic, heuristic
from cleaner.page import TITLE_CASE_SHARE, Hit, Page, case_counts

# --- edges: lines outside the page's runs of content ------------------------

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
#: Up to this many short lines between two kept runs, none of them taken
#: out by a rule, are a subhead with its list ('Tips', then four short
#: items) and are kept with them.
GAP_MAX_LINES = 6


def _line_value(page: Page, i: int) -> int:
    n = page.words(i)
    if page.prose(i, PROSE_MIN_WORDS):
        return n
    if n >= 4 and page.sentence(i):
        return SHORT_SENTENCE_VALUE
    return -NON_PROSE_COST


#: After a run's peak, prose that follows a short box (at most this many
#: other lines, and no line a rule took out) still belongs to the run ...
TAIL_MAX_BOX = 6
#: ... once it adds up to this many words: a match report's last paragraph
#: after its line-up, an interview's answer after a short list. A site's
#: tagline or a teaser's one sentence after a box of links does not.
TAIL_MIN_WORDS = 20


def headline_like(text: str) -> bool:
    """Two or more words, mostly capitalized, no digit and not all upper
    case: a headline, a person's name, a job title ('Senior Reviewer'); not
    a score line, a section label ('GIRLS SOCCER') or a sentence-case list
    item.

    >>> headline_like("Seniors Are Ditching Their Cars for This"), headline_like("Viera d. Rockledge 3-1")
    (True, False)
    """
    if any(map(str.isdigit, text)) or text.isupper():  # a score line; an upper-case section label
        return False
    upper, _, n = case_counts(text.split())
    return n >= 2 and upper >= TITLE_CASE_SHARE * n


@dataclass
class _Run:
    """A run of content being read: its running total, where the total
    peaked, and the prose after the peak that still belongs to it."""

    start: int
    total: int = 0
    best: int = 0
    peak: int = -1
    #: The last line of prose after the peak that belongs to the run, the
    #: prose words since the peak, the other lines since the peak, and
    #: whether a line a rule took out came since the peak.
    tail: int = -1
    tail_words: int = 0
    box: int = 0
    #: Of the other lines since the peak, those that read as a headline, a
    #: name or a job title (an author box, a widget of promoted links).
    titles: int = 0
    cut: bool = False

    def add(self, i: int, value: int, text: str) -> None:
        self.total += value
        if self.total > self.best:
            self.best, self.peak, self.tail, self.tail_words = self.total, i, -1, 0
            self.box, self.titles, self.cut = 0, 0, False
        elif (
            value >= PROSE_MIN_WORDS
            and self.total > 0
            and not self.cut
            and self.box <= TAIL_MAX_BOX
            and 2 * self.titles <= self.box
        ):
            self.tail_words += value
            if self.tail_words >= TAIL_MIN_WORDS:
                self.tail = i
        elif value < 0:
            self.box += 1
            self.titles += headline_like(text)

    def span(self) -> tuple[int, int, int]:
        return (self.best, self.start, max(self.peak, self.tail))


def content_runs(page: Page) -> list[tuple[int, int, int]]:
    """The page's runs of content as ``(value, first, last)`` line indices.

    Walking the lines, prose adds its words, other lines cost
    ``NON_PROSE_COST`` and lines a rule already took out ``DEAD_LINE_COST``
    (a row of share buttons still parts the article from the author's bio
    under it); a run ends where its running total drops to zero, and it
    spans from its start to the line where its total peaked (the
    block-fusion idea of Kohlschütter et al., on lines), or to the prose
    after a short box past the peak (see ``TAIL_MIN_WORDS``)."""
    runs = []
    run: _Run | None = None
    dead = 0  # lines a rule took out since the last alive line
    dropped = page.dropped
    for i in page.filled():
        if dropped[i] is not None:
            dead += 1
            continue
        if run is not None:
            # Lines a rule took out between two alive lines still part them.
            if dead:
                run.total -= DEAD_LINE_COST * dead
                run.cut = True
            if run.total <= 0:
                if run.peak >= 0:
                    runs.append(run.span())
                run = None
        dead = 0
        if run is None:
            run = _Run(i)
        run.add(i, _line_value(page, i), page.text(i))
        if run.total <= 0:
            if run.peak >= 0:
                runs.append(run.span())
            run = None
    if run is not None and run.peak >= 0:
        runs.append(run.span())
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
    """Short lines between two kept runs, as ``(first, last)``: up to
    ``GAP_MAX_LINES`` of them when no rule took a line out there (a subhead
    and the short list under it), else a lone one (a subhead)."""
    out = []
    spans = sorted(keep)
    filled = page.filled()
    for (_, end), (start, _) in pairwise(spans):
        gap = filled[bisect_right(filled, end) : bisect_left(filled, start)]
        between = [i for i in gap if page.is_alive(i)]
        if (
            0 < len(between) <= GAP_MAX_LINES
            and len(between) == len(gap)
            and all(page.words(i) <= SUBHEAD_MAX_WORDS for i in between)
            and 2 * sum(headline_like(page.text(i)) for i in between) <= len(between)
        ):
            out.append((between[0], between[-1]))
        elif len(between) == 1 and page.words(between[0]) <= SUBHEAD_MAX_WORDS:
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
    source=__name__.replace(".", "/") + ".py",
)
