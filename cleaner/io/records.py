"""Documents <-> records: field names, the output record, safe file names."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaner.doc import Doc
from cleaner.errors import InputError

#: Fields the cleaner adds to each output record.
ADDED_FIELDS = (
    "lines_removed",
    "words_removed",
    "flags",
    "reason",
    "lang",
    "lang_confidence",
    "extracted_by",
    "metadata",
    "duplicate_of",
    "dup_cluster",
    "dup_jaccard",
    "dup_count",
)
TEXT_SUFFIX = ".txt"


@dataclass(frozen=True)
class Fields:
    """Names of the id, text and HTML fields of records."""

    id: str = "id"
    text: str = "text"
    html: str = "html"


def record_to_doc(record: dict[str, Any], where: str, fields: Fields) -> Doc:
    """A document from a JSONL/Parquet record: ``id`` plus ``text`` (or
    ``html``, extracted later); every other field is passed through."""
    if fields.id not in record:
        raise InputError(f"{where}: record has no {fields.id!r} field (set the id field with --id-field)")
    has_text = record.get(fields.text) is not None
    if not has_text and record.get(fields.html) is None:
        raise InputError(
            f"{where}: record has no {fields.text!r} field (set the text field with --text-field, "
            f"or give HTML in {fields.html!r})"
        )
    doc_id = record[fields.id]
    if not isinstance(doc_id, (str, int)) or isinstance(doc_id, bool):
        raise InputError(f"{where}: {fields.id!r} must be a string or an integer, got {type(doc_id).__name__}")
    clash = sorted(set(record) & set(ADDED_FIELDS))
    if clash:
        raise InputError(
            f"{where}: record already has field(s) {', '.join(clash)}, which cleaner writes; rename them first"
        )
    key = fields.text if has_text else fields.html
    value = record[key]
    if not isinstance(value, str):
        raise InputError(f"{where}: {key!r} must be a string, got {type(value).__name__}")
    rest = {k: v for k, v in record.items() if k not in (fields.id, fields.text)}
    if has_text:
        return Doc(id=str(doc_id), text=value, fields={"__id__": doc_id, **rest}, source=where)
    return Doc(id=str(doc_id), text="", html=value, fields={"__id__": doc_id, **rest}, source=where)


def doc_record(doc: Doc, fields: Fields) -> dict[str, Any]:
    """The output record of a document: the input fields unchanged, the
    cleaned text, removal counts, language, and flags/reason/extraction
    details when there are any."""
    rest = dict(doc.fields)
    original_id = rest.pop("__id__", doc.id)
    clash = sorted(set(rest) & set(ADDED_FIELDS))
    if clash:
        raise InputError(
            f"{doc.source}: input already has field(s) {', '.join(clash)}, which cleaner writes; rename them first"
        )
    record: dict[str, Any] = {fields.id: original_id, fields.text: doc.text, **rest}
    record["lines_removed"] = doc.lines_removed
    record["words_removed"] = doc.words_removed
    if doc.lang is not None:
        record["lang"] = doc.lang
        record["lang_confidence"] = doc.lang_confidence
    if doc.flags:
        record["flags"] = list(doc.flags)
    if doc.reason:
        record["reason"] = doc.reason
    if doc.extracted_by:
        record["extracted_by"] = doc.extracted_by
        record["metadata"] = dict(sorted(doc.metadata.items()))
    return record


# Characters that str.splitlines() and JavaScript treat as line breaks. JSON
# allows them raw inside strings; escaping them keeps one record per line for
# every line splitter, not only for ones that split on "\n".
_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")


def dump_json_line(record: dict[str, Any]) -> str:
    """One JSONL line: UTF-8 text kept readable, sorted keys, and the Unicode
    line separators escaped so the line cannot be split anywhere else."""
    line = json.dumps(record, ensure_ascii=False, sort_keys=True)
    return _LINE_BREAKS.sub(lambda m: f"\\u{ord(m.group()):04x}", line) + "\n"


#: Longest name part written (bytes); room is left for ``~2`` and ``.txt``.
MAX_NAME_BYTES = 200
_HASH_CHARS = 16


def _shortened(part: str) -> str:
    """``part``, or its start plus ``~`` and a hash of the whole when it is
    longer than :data:`MAX_NAME_BYTES` in UTF-8."""
    raw = part.encode("utf-8")
    if len(raw) <= MAX_NAME_BYTES:
        return part
    digest = hashlib.sha256(raw).hexdigest()[:_HASH_CHARS]
    head = raw[: MAX_NAME_BYTES - _HASH_CHARS - 1].decode("utf-8", errors="ignore")
    return f"{head}~{digest}"


def safe_relpath(doc_id: str) -> Path:
    """A relative output path for a document id that can never leave the
    output folder: ``..``, absolute parts and odd characters are encoded.
    HTML inputs get a ``.txt`` name (``a.html`` -> ``a.html.txt``).

    A name part longer than :data:`MAX_NAME_BYTES` (file systems allow 255)
    keeps its start and ends in ``~`` and 16 hex digits of its SHA-256, so
    the same id always gives the same name:

    >>> safe_relpath("news/a.txt").as_posix(), safe_relpath("../../etc/passwd").as_posix()
    ('news/a.txt', '%2E%2E/%2E%2E/etc/passwd.txt')
    >>> name = safe_relpath("https://e.org/" + "x" * 300).name
    >>> len(name), name[-21:]
    (204, '~0d4e2ca9e9cbced7.txt')
    """
    parts = []
    for part in doc_id.replace("\\", "/").split("/"):
        if part in ("", "."):
            continue
        safe = "".join(c if (c.isalnum() or c in "-_. ") and c != "%" else f"%{ord(c):02X}" for c in part)
        if set(safe) == {"."}:
            safe = "".join(f"%{ord(c):02X}" for c in safe)
        parts.append(_shortened(safe))
    if not parts:
        parts = ["%00"]
    rel = Path(*parts)
    return rel if rel.suffix.lower() == TEXT_SUFFIX else rel.with_name(rel.name + TEXT_SUFFIX)
