"""Notable documents for the run report: the ones dropped or rejected
(with the reason), left empty, over the removal budget, and those that lost the
largest share of their words. The counters say how many; this says which.

A pass-through over the document stream (it never changes a document), so
the CLI can put it anywhere after cleaning. Lists are capped so the report
stays small on big corpora; ties keep input order, so the lists are
deterministic.

>>> from cleaner.doc import Doc
>>> report = Report()
>>> docs = [Doc(id="a", text="x", words_in=10, words_removed=9, flags=["removal_budget"]),
...         Doc(id="b", text="", status="dropped", reason="language de not in --lang")]
>>> _ = list(note_documents(docs, report))
>>> report.info["docs"]["over_budget"]
[{'id': 'a', 'words_in': 10, 'words_removed': 9, 'share': 0.9}]
>>> report.info["docs"]["dropped"]
[{'id': 'b', 'reason': 'language de not in --lang'}]
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from typing import Any

from cleaner.doc import Doc
from cleaner.report import Report

#: Documents listed per kind in report.json (the counts are always complete).
MAX_LISTED = 50
#: Documents listed by removal share.
MOST_REMOVED = 10


def note_documents(docs: Iterable[Doc], report: Report, limit: int = MAX_LISTED) -> Iterator[Doc]:
    """Yield ``docs`` unchanged; when the stream ends, ``report.info["docs"]``
    holds ``dropped``, ``rejected``, ``empty``, ``over_budget`` and ``most_removed``."""
    lists: dict[str, list[dict[str, Any]]] = {"dropped": [], "rejected": [], "empty": [], "over_budget": []}
    heap: list[tuple[float, int, dict[str, Any]]] = []
    for index, doc in enumerate(docs):
        if doc.status in ("dropped", "rejected"):
            _add(lists[doc.status], {"id": doc.id, "reason": doc.reason or "unknown"}, limit)
        elif doc.words_in:
            row = _share_row(doc)
            if "removal_budget" in doc.flags:
                _add(lists["over_budget"], row, limit)
            item = (row["share"], -index, row)
            if len(heap) < MOST_REMOVED:
                heapq.heappush(heap, item)
            elif item[:2] > heap[0][:2]:
                heapq.heapreplace(heap, item)
        if doc.status == "kept" and doc.reason:
            _add(lists["empty"], {"id": doc.id, "reason": doc.reason}, limit)
        yield doc
    most = [row for _, _, row in sorted(heap, key=lambda t: (-t[0], -t[1])) if row["words_removed"]]
    report.info["docs"] = {**lists, "most_removed": most, "listed_max": limit}


def _share_row(doc: Doc) -> dict[str, Any]:
    return {
        "id": doc.id,
        "words_in": doc.words_in,
        "words_removed": doc.words_removed,
        "share": round(doc.words_removed / doc.words_in, 4),
    }


def _add(rows: list[dict[str, Any]], row: dict[str, Any], limit: int) -> None:
    if len(rows) < limit:
        rows.append(row)
