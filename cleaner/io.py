"""Readers and writers: text files, folders of them, JSONL files, stdin and
stdout. Readers yield :class:`~cleaner.doc.Doc`; writers take them.

Output files appear atomically: they are written under a temporary name
and renamed when complete, so a failed run leaves no half-written output.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from cleaner.doc import Doc
from cleaner.errors import InputError, UsageError

STDIO = "-"
TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl",)


@dataclass(frozen=True)
class Fields:
    """Names of the id and text fields of JSONL records."""

    id: str = "id"
    text: str = "text"


def input_format(path: str, override: str | None = None) -> str:
    """``jsonl``, ``text`` or ``dir`` for an input path (``-`` is JSONL
    unless ``override`` says otherwise)."""
    if override:
        return override
    if path == STDIO:
        return "jsonl"
    p = Path(path)
    if p.is_dir():
        return "dir"
    if not p.exists():
        raise UsageError(f"{path}: no such file or folder")
    if p.suffix.lower() in JSONL_SUFFIXES:
        return "jsonl"
    return "text"


def read_docs(path: str, fmt: str, fields: Fields) -> Iterator[Doc]:
    """Yield the documents of an input, in a deterministic order."""
    if fmt == "dir":
        yield from _read_dir(Path(path))
    elif fmt == "jsonl":
        if path == STDIO:
            yield from _read_jsonl(sys.stdin, "<stdin>", fields)
        else:
            with _open_text(Path(path)) as fh:
                yield from _read_jsonl(fh, path, fields)
    elif fmt == "text":
        if path == STDIO:
            yield Doc(id="stdin", text=sys.stdin.read(), source="<stdin>")
        else:
            p = Path(path)
            yield Doc(id=p.name, text=_read_text(p), source=str(p))
    else:
        raise UsageError(f"unknown input format {fmt!r} (use jsonl or text)")


@contextmanager
def _open_text(path: Path) -> Iterator[IO[str]]:
    try:
        fh = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    with fh:
        yield fh


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (bad byte at offset {exc.start})") from None


def _read_dir(root: Path) -> Iterator[Doc]:
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
    if not files:
        raise InputError(f"{root}: no .txt files in this folder")
    for p in files:
        rel = p.relative_to(root).as_posix()
        yield Doc(id=rel, text=_read_text(p), source=str(p))


def _read_jsonl(fh: IO[str], name: str, fields: Fields) -> Iterator[Doc]:
    for lineno, line in enumerate(fh, 1):
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
        if not isinstance(record, dict):
            raise InputError(f"{where}: expected a JSON object, got {type(record).__name__}")
        yield _record_to_doc(record, where, fields)


def _record_to_doc(record: dict[str, Any], where: str, fields: Fields) -> Doc:
    if fields.id not in record:
        raise InputError(f"{where}: record has no {fields.id!r} field (set the id field with --id-field)")
    if fields.text not in record:
        raise InputError(f"{where}: record has no {fields.text!r} field (set the text field with --text-field)")
    doc_id, text = record[fields.id], record[fields.text]
    if not isinstance(doc_id, (str, int)) or isinstance(doc_id, bool):
        raise InputError(f"{where}: {fields.id!r} must be a string or an integer, got {type(doc_id).__name__}")
    if not isinstance(text, str):
        raise InputError(f"{where}: {fields.text!r} must be a string, got {type(text).__name__}")
    rest = {k: v for k, v in record.items() if k not in (fields.id, fields.text)}
    return Doc(id=str(doc_id), text=text, fields={"__id__": doc_id, **rest}, source=where)


# --- writers ----------------------------------------------------------------

#: Fields the cleaner adds to each output record.
ADDED_FIELDS = ("lines_removed", "words_removed", "flags", "reason", "lang", "lang_confidence")


def doc_record(doc: Doc, fields: Fields) -> dict[str, Any]:
    """The output JSONL record of a document: the input fields unchanged,
    the cleaned text, removal counts, and flags/reason when there are any."""
    rest = dict(doc.fields)
    original_id = rest.pop("__id__", doc.id)
    clash = sorted(set(rest) & set(ADDED_FIELDS))
    if clash:
        raise InputError(
            f"{doc.source}: input already has field(s) {', '.join(clash)}, which cleaner writes; rename them first"
        )
    record: dict[str, Any] = {fields.id: original_id, fields.text: doc.text, **rest}
    record["lines_removed"] = sum(1 for r in doc.removals if not r.is_span)
    record["words_removed"] = doc.words_removed
    if doc.lang is not None:
        record["lang"] = doc.lang
        record["lang_confidence"] = doc.lang_confidence
    if doc.flags:
        record["flags"] = list(doc.flags)
    if doc.reason:
        record["reason"] = doc.reason
    return record


def output_kind(path: str, override: str | None = None) -> str:
    """``jsonl``, ``text`` (stdout only) or ``dir`` for an output path."""
    if override:
        return override
    if path == STDIO:
        return "jsonl"
    if Path(path).suffix.lower() in JSONL_SUFFIXES:
        return "jsonl"
    if Path(path).suffix and not Path(path).is_dir():
        raise UsageError(f"{path}: output must be a folder, a .jsonl file or - (stdout)")
    return "dir"


def check_output(out: str, inp: str, kind: str, overwrite: bool) -> None:
    """Refuse to write over the input, into the input folder, or over
    existing output (unless ``overwrite``)."""
    if out == STDIO:
        return
    o = Path(out).resolve()
    if inp != STDIO:
        i = Path(inp).resolve()
        inside_input = i.is_dir() and o.is_relative_to(i)
        input_inside = kind == "dir" and i.is_relative_to(o)
        if o == i or inside_input or input_inside:
            raise UsageError(f"{out}: output would overwrite or sit inside the input {inp}; choose another output path")
    if not overwrite and o.exists() and (o.is_file() or any(o.iterdir())):
        raise UsageError(f"{out}: output already exists; remove it or pass --overwrite")


@contextmanager
def atomic_file(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """Write to a temporary file next to ``path``; rename on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, mode, encoding="utf-8", newline="") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def dump_json_line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"


def safe_relpath(doc_id: str) -> Path:
    """A relative output path for a document id that can never leave the
    output folder: ``..``, absolute parts and odd characters are encoded.

    >>> safe_relpath("news/a.txt").as_posix(), safe_relpath("../../etc/passwd").as_posix()
    ('news/a.txt', '%2E%2E/%2E%2E/etc/passwd.txt')
    """
    parts = []
    for part in doc_id.replace("\\", "/").split("/"):
        if part in ("", "."):
            continue
        safe = "".join(c if (c.isalnum() or c in "-_. ") and c != "%" else f"%{ord(c):02X}" for c in part)
        if set(safe) == {"."}:
            safe = "".join(f"%{ord(c):02X}" for c in safe)
        parts.append(safe)
    if not parts:
        parts = ["%00"]
    rel = Path(*parts)
    return rel if rel.suffix.lower() in TEXT_SUFFIXES else rel.with_name(rel.name + ".txt")
