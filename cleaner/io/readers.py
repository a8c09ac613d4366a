"""Readers: every input format as a stream of documents, in a fixed order.

Records that are not documents (WARC requests, non-HTML responses) are
yielded as dropped documents with a reason, so they are counted, not lost.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from cleaner.doc import Doc
from cleaner.errors import CleanerError, InputError, UsageError
from cleaner.io.formats import HTML_SUFFIXES, STDIO, TEXT_SUFFIXES, split_compression
from cleaner.io.records import Fields, record_to_doc

#: Rows per Parquet batch read at a time.
PARQUET_BATCH_ROWS = 1024


def read_docs(path: str, fmt: str, fields: Fields) -> Iterator[Doc]:
    """Yield the documents of an input, in a deterministic order."""
    readers = {"dir": _read_dir, "jsonl": _read_jsonl, "text": _read_text_doc, "html": _read_html_doc}
    readers.update({"parquet": _read_parquet, "warc": _read_warc})
    if fmt not in readers:
        raise UsageError(f"unknown input format {fmt!r}")
    yield from readers[fmt](path, fields)


def _require(module: str, extra: str) -> Any:
    try:
        return __import__(module, fromlist=["_"])
    except ImportError:
        raise CleanerError(f"this input needs the {module} package: pip install {extra}") from None


@contextmanager
def open_binary(path: str) -> Iterator[IO[bytes]]:
    """A file (or stdin) as bytes, decompressed by its name (.gz, .zst)."""
    if path == STDIO:
        yield sys.stdin.buffer
        return
    _, compression = split_compression(path)
    try:
        if compression == ".gz":
            fh: IO[bytes] = gzip.open(path, "rb")  # type: ignore[assignment]
        elif compression == ".zst":
            fh = _require("zstandard", "zstandard").open(path, "rb")
        else:
            fh = open(path, "rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    with fh:
        yield fh


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{where}: not UTF-8 text (bad byte at offset {exc.start})") from None


def _read_file(path: str) -> str:
    with open_binary(path) as fh:
        try:
            return _decode(fh.read(), "<stdin>" if path == STDIO else path)
        except (OSError, EOFError) as exc:
            raise InputError(f"{path}: cannot read ({exc})") from None


def _read_text_doc(path: str, fields: Fields) -> Iterator[Doc]:
    name = "stdin" if path == STDIO else Path(path).name
    yield Doc(id=name, text=_read_file(path), source=path)


def _read_html_doc(path: str, fields: Fields) -> Iterator[Doc]:
    name = "stdin" if path == STDIO else Path(path).name
    yield Doc(id=name, text="", html=_read_file(path), source=path)


def _read_dir(path: str, fields: Fields) -> Iterator[Doc]:
    root = Path(path)
    suffixes = TEXT_SUFFIXES + HTML_SUFFIXES
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)
    if not files:
        raise InputError(f"{root}: no .txt or .html files in this folder")
    for p in files:
        rel = p.relative_to(root).as_posix()
        content = _read_file(str(p))
        if p.suffix.lower() in HTML_SUFFIXES:
            yield Doc(id=rel, text="", html=content, source=str(p))
        else:
            yield Doc(id=rel, text=content, source=str(p))


def _read_jsonl(path: str, fields: Fields) -> Iterator[Doc]:
    name = "<stdin>" if path == STDIO else path
    with open_binary(path) as raw:
        reader = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        lineno = 0
        try:
            for lineno, line in enumerate(reader, 1):
                if line.strip():
                    yield _jsonl_record(line, f"{name}:{lineno}", fields)
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{name}:{lineno + 1}: not UTF-8 text (bad byte {exc.object[exc.start : exc.start + 1]!r})"
            ) from None
        except (EOFError, OSError) as exc:
            raise InputError(f"{name}: cannot read past line {lineno} ({exc})") from None


def _jsonl_record(line: str, where: str, fields: Fields) -> Doc:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(record).__name__}")
    return record_to_doc(record, where, fields)


def _read_parquet(path: str, fields: Fields) -> Iterator[Doc]:
    pq = _require("pyarrow.parquet", "pyarrow")
    try:
        pf = pq.ParquetFile(path)
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from None
    row = 0
    for batch in pf.iter_batches(batch_size=PARQUET_BATCH_ROWS):
        for record in batch.to_pylist():
            row += 1
            yield record_to_doc(record, f"{path}:row {row}", fields)


def _read_warc(path: str, fields: Fields) -> Iterator[Doc]:
    archive = _require("warcio.archiveiterator", "warcio")
    with open_binary(path) as fh:
        try:
            for n, record in enumerate(archive.ArchiveIterator(fh), 1):
                doc = _warc_doc(record, f"{path}:record {n}")
                if doc is not None:
                    yield doc
        except Exception as exc:  # warcio raises plain exceptions on broken archives
            raise InputError(f"{path}: broken WARC archive ({exc})") from None


def _warc_doc(record: Any, where: str) -> Doc | None:
    """A response record as a document: HTML goes on to extraction, other
    content types are dropped with the reason. Other record types (request,
    metadata, warcinfo) are not documents."""
    if record.rec_type not in ("response", "resource"):
        return None
    headers = record.rec_headers
    url = headers.get_header("WARC-Target-URI") or ""
    rid = headers.get_header("WARC-Record-ID") or where
    meta = {"url": url, "warc_date": headers.get_header("WARC-Date") or ""}
    ctype = headers.get_header("Content-Type") or ""
    if record.http_headers is not None:
        ctype = record.http_headers.get_header("Content-Type") or ""
    body = record.content_stream().read()
    doc = Doc(id=rid, text="", fields={"url": url}, source=where, metadata=meta)
    if "html" not in ctype.lower():
        doc.status, doc.reason = "dropped", f"WARC record is not HTML ({ctype or 'no content type'})"
        return doc
    doc.html = body.decode("utf-8", errors="replace")
    return doc
