"""Corpus-level bookkeeping: the record a rejected document leaves in the
rejects file, and the check that every input document is accounted for.
(The corpus passes themselves run in :mod:`cleaner.execute`.)"""

from __future__ import annotations

import base64
from typing import Any

from cleaner.doc import Doc
from cleaner.errors import CleanerError
from cleaner.report import Report

DEDUP_MODES = ("flag", "drop", "off")


def reject_record(doc: Doc) -> dict[str, Any]:
    """The rejects-file line of a rejected document: where it was, why, and
    its raw bytes (as text with replacement characters, and exactly as
    base64)."""
    raw = doc.raw or b""
    return {
        "where": doc.source,
        "reason": doc.reason,
        "raw": raw.decode("utf-8", errors="replace"),
        "raw_base64": base64.b64encode(raw).decode("ascii"),
    }


def check_accounting(report: Report) -> None:
    """Every document is written, dropped with a reason, or rejected with a
    reason; raise when the counts say otherwise."""
    c = report.counts
    dropped = sum(v for k, v in c.items() if k.startswith("docs_dropped."))
    rejected = sum(v for k, v in c.items() if k.startswith("docs_rejected."))
    report.info["accounting"] = {
        "in": c["docs_in"],
        "written": c["docs_written"],
        "dropped": dropped,
        "rejected": rejected,
    }
    if c["docs_in"] != c["docs_written"] + dropped + rejected:
        raise CleanerError(
            f"accounting does not add up: {c['docs_in']} in != {c['docs_written']} written + {dropped} dropped "
            f"+ {rejected} rejected; this is a bug, please report it with the run report"
        )
