"""Heuristics: small pure functions over a whole page, registered under rule
ids in the same namespace as the rule packs, with the same ``why``,
``removes`` and ``keeps`` fields, checked by the same example test.

A heuristic reads a :class:`~cleaner.page.Page` and returns
:class:`~cleaner.page.Hit` records; the engine applies them. Heuristics run
after the rule packs, in the order of ``ORDER``, and see what the packs and
the heuristics before them removed.

One module per kind: ``repeats`` (REP001, REP002), ``indexes`` (TAGS001,
CRUMB001), ``captions`` (CAP001, CAP002), ``lists`` (LIST001, COMM010),
``teasers`` (TEASE001, TEASE002, LIST010), ``edges`` (EDGE001, and the
detector DET001) and ``kept``: the article's own structures (numbered
lists, recipe cards, ...) that come back when a run heuristic took them.
"""

from __future__ import annotations

from cleaner.heuristics import captions, edges, indexes, kept, lists, repeats, teasers
from cleaner.heuristics.base import REGISTRY, Heuristic, line_after, line_before
from cleaner.heuristics.edges import DETECTOR
from cleaner.heuristics.kept import (
    RUN_HEURISTICS,
    dated_lists,
    interview_lists,
    led_tables,
    numbered_lists,
    recipe_cards,
    tweet_embeds,
)
from cleaner.heuristics.repeats import PULLED_OUT, lost_pulled_quotes

#: The order heuristics run in. Each sees what the ones before it removed:
#: repeats first (a repeated line is a repeat whatever else it is), the
#: run and edge heuristics last (they judge what is left).
ORDER = (
    "REP001",
    "REP002",
    "TAGS001",
    "CAP001",
    "CAP002",
    "CRUMB001",
    "LIST001",
    "COMM010",
    "TEASE001",
    "TEASE002",
    "EDGE001",
    "LIST010",
)


def _in_order() -> None:
    registered = dict(REGISTRY)
    if sorted(registered) != sorted(ORDER):
        raise RuntimeError(f"heuristics registered {sorted(registered)} but ORDER lists {sorted(ORDER)}")
    REGISTRY.clear()
    REGISTRY.update((hid, registered[hid]) for hid in ORDER)


_in_order()

__all__ = [
    "DETECTOR",
    "ORDER",
    "PULLED_OUT",
    "REGISTRY",
    "RUN_HEURISTICS",
    "Heuristic",
    "captions",
    "dated_lists",
    "edges",
    "indexes",
    "interview_lists",
    "kept",
    "led_tables",
    "line_after",
    "line_before",
    "lists",
    "lost_pulled_quotes",
    "numbered_lists",
    "recipe_cards",
    "repeats",
    "teasers",
    "tweet_embeds",
]
