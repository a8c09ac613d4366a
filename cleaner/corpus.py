"""Passes over the whole corpus, after per-document cleaning: near-duplicate
flagging (MinHash on the cleaned text, see :mod:`cleaner.dedup`).

Documents are not held in memory: their output records are spooled to a
temporary file (our own pickles, read back once) while the signatures (compact arrays) are collected; the
records are then streamed back, in input order, with the duplicate fields
added, to the output (and, in drop mode, copies to a side file).
"""

from __future__ import annotations

import base64
import pickle
import tempfile
import time
from collections.abc import Callable, Iterable
from typing import Any

from cleaner.dedup import Deduper
from cleaner.doc import Doc
from cleaner.errors import CleanerError
from cleaner.io.records import Fields, doc_record
from cleaner.report import Report

Write = Callable[[dict[str, Any]], None]
WriteReject = Callable[[Doc], None]
DEDUP_MODES = ("flag", "drop", "off")


def write_plain(docs: Iterable[Doc], fields: Fields, write: Write, reject: WriteReject, report: Report) -> None:
    """No corpus pass: stream the kept documents to ``write`` and the
    rejected ones to ``reject``."""
    for doc in docs:
        if doc.status == "kept":
            write(doc_record(doc, fields))
            report.count("docs_written")
        elif doc.status == "rejected":
            reject(doc)


def write_deduplicated(
    docs: Iterable[Doc],
    fields: Fields,
    deduper: Deduper,
    mode: str,
    write: Write,
    write_copy: Write | None,
    reject: WriteReject,
    report: Report,
) -> None:
    """Flag (``mode="flag"``) or drop (``"drop"``, copies go to
    ``write_copy``) near-duplicates among the kept documents."""
    with tempfile.TemporaryFile() as spool:
        n = 0
        for doc in docs:
            if doc.status == "rejected":
                reject(doc)
            if doc.status != "kept":
                continue
            pickle.dump(doc_record(doc, fields), spool, protocol=pickle.HIGHEST_PROTOCOL)
            meta = {**{k: v for k, v in doc.fields.items() if k != "__id__"}, **doc.metadata}
            start = time.perf_counter()
            deduper.add(n, doc.id, doc.text, meta)
            report.timings["dedup"] += time.perf_counter() - start
            n += 1
        start = time.perf_counter()
        marks = deduper.finish()
        report.timings["dedup"] += time.perf_counter() - start
        spool.seek(0)
        for index in range(n):
            record = {**pickle.load(spool), **marks.get(index, {})}
            if "duplicate_of" in record:
                report.count("docs_flagged.near_dup")
                if mode == "drop":
                    report.count("docs_dropped.duplicate")
                    if write_copy is not None:
                        write_copy(record)
                    continue
            write(record)
            report.count("docs_written")
    clusters = deduper.clusters()
    report.count("dup_clusters", len(clusters))
    report.info["dedup"] = {
        "mode": mode,
        "params": deduper.params(),
        "s_curve": [[j, round(p, 4)] for j, p in deduper.s_curve()],
        "clusters": len(clusters),
        "copies": sum(len(c.copies) for c in clusters),
    }


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
