"""Readers: every input format as a stream of documents, in a fixed order.

Nothing is lost on the way: a record that cannot be read or parsed comes
out as a document with status ``rejected``, its reason and its raw bytes
(or where to find them); records that are not documents (a WARC response
that is not HTML) come out ``dropped`` with the reason. Only an input that
cannot be opened at all, or is not of the format it claims, stops the run.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from cleaner.doc import Doc
from cleaner.errors import CleanerError, InputError, UsageError
from cleaner.io.decode import decode_text, looks_binary
from cleaner.io.formats import HTML_SUFFIXES, STDIO, TEXT_SUFFIXES, read_once, split_compression, take_held
from cleaner.io.records import Fields, record_to_doc

#: Rows per Parquet batch read at a time.
PARQUET_BATCH_ROWS = 1024
#: Raw bytes kept with a rejected record (longer ones are cut, with a note).
RAW_KEEP_BYTES = 1 << 20
#: Errors a damaged compressed stream raises part-way.
_STREAM_ERRORS: tuple[type[BaseException], ...] = (EOFError, OSError, zlib.error, gzip.BadGzipFile)


def read_docs(path: str, fmt: str, fields: Fields) -> Iterator[Doc]:
    """Yield the documents of an input, in a deterministic order."""
    readers = {"dir": _read_dir, "jsonl": _read_jsonl, "text": _read_text_doc, "html": _read_html_doc}
    readers.update({"parquet": _read_parquet, "warc": _read_warc})
    if fmt not in readers:
        raise UsageError(f"unknown input format {fmt!r}")
    yield from readers[fmt](path, fields)


def rejected(where: str, reason: str, raw: bytes | None = None, size: int | None = None) -> Doc:
    """A document for input that could not be read or parsed (``size``:
    the bytes it was read from, when ``raw`` holds only part of them)."""
    if size is None:
        size = 0 if raw is None else len(raw)
    if raw is not None and len(raw) > RAW_KEEP_BYTES:
        reason = f"{reason} (first {RAW_KEEP_BYTES} of {len(raw)} bytes kept)"
        raw = raw[:RAW_KEEP_BYTES]
    return Doc(id=where, text="", source=where, status="rejected", reason=reason, raw=raw, size=size)


def _require(module: str, extra: str) -> Any:
    try:
        return __import__(module, fromlist=["_"])
    except ImportError:
        raise CleanerError(f"this input needs the {module} package: pip install {extra}") from None


@contextmanager
def open_binary(path: str, gunzip: bool = True) -> Iterator[IO[bytes]]:
    """A file (or stdin) as bytes, decompressed by its name (.gz, .zst;
    .gz only if ``gunzip``)."""
    held = take_held(path)  # stdin or a pipe, sniffed: its first bytes come back first
    if path == STDIO and held is None:
        yield sys.stdin.buffer
        return
    _, compression = split_compression(path)
    try:
        raw: IO[bytes] = held if held is not None else open(path, "rb")
        if compression == ".gz" and gunzip:
            fh: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[assignment]
        elif compression == ".zst":
            fh = io.BufferedReader(_ZstdStream(raw))
        else:
            fh = raw
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    with raw, fh:  # a GzipFile given a stream does not close it
        yield fh


class _ZstdStream(io.RawIOBase):
    """Zstandard frames decompressed as a stream that *notices* truncation:
    zstandard's own reader stops silently at a cut frame, which would lose
    the rest of the file without a word; this one raises ``EOFError``."""

    CHUNK = 1 << 16

    def __init__(self, raw: IO[bytes]) -> None:
        self._zstd = _require("zstandard", "zstandard")
        self._raw = raw
        self._dobj = self._zstd.ZstdDecompressor().decompressobj()
        self._pending = b""
        self._in_frame = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = self._raw.read(self.CHUNK)
            if not chunk:
                if self._in_frame:
                    raise EOFError("compressed stream ends in the middle of a zstd frame")
                return 0
            self._feed(chunk)
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def _feed(self, chunk: bytes) -> None:
        try:
            self._pending += self._dobj.decompress(chunk)
        except self._zstd.ZstdError as exc:
            raise EOFError(f"damaged zstd data ({exc})") from None
        self._in_frame = not self._dobj.eof
        while self._dobj.eof and self._dobj.unused_data:
            rest = self._dobj.unused_data
            self._dobj = self._zstd.ZstdDecompressor().decompressobj()
            self._feed(rest)

    def close(self) -> None:
        self._raw.close()
        super().close()


def _read_bytes(path: str) -> bytes:
    with open_binary(path) as fh:
        try:
            return fh.read()
        except _STREAM_ERRORS as exc:
            raise InputError(f"{path}: cannot read ({exc})") from None


def _file_doc(doc_id: str, data: bytes, where: str, html: bool) -> Doc:
    if looks_binary(data):
        return rejected(where, "binary file, not text", data[:4096], size=len(data))
    text, flags = decode_text(data)
    if html:
        return Doc(id=doc_id, text="", html=text, source=where, flags=flags, size=len(data))
    return Doc(id=doc_id, text=text, source=where, flags=flags, size=len(data))


def _read_text_doc(path: str, fields: Fields) -> Iterator[Doc]:
    name = "stdin" if path == STDIO else Path(path).name
    yield _file_doc(name, _read_bytes(path), "<stdin>" if path == STDIO else path, html=False)


def _read_html_doc(path: str, fields: Fields) -> Iterator[Doc]:
    name = "stdin" if path == STDIO else Path(path).name
    yield _file_doc(name, _read_bytes(path), "<stdin>" if path == STDIO else path, html=True)


def dir_files(root: Path) -> list[Path]:
    """The files of a folder input that are read, in the order they are."""
    suffixes = TEXT_SUFFIXES + HTML_SUFFIXES
    # A dangling link is listed too: the reader rejects it, so it is counted.
    return sorted(p for p in root.rglob("*") if (p.is_file() or _dangling(p)) and p.suffix.lower() in suffixes)


def _dangling(p: Path) -> bool:
    return p.is_symlink() and not p.exists()


def input_size(path: str, fmt: str) -> int | None:
    """The bytes the readers will read from ``path`` (a file or folder), or
    ``None`` when that is not known ahead (stdin, compressed files; Parquet
    and WARC files, where not every byte belongs to a document)."""
    try:
        if fmt == "dir":
            return sum(p.stat().st_size for p in dir_files(Path(path)) if not _dangling(p))
        if path != STDIO and fmt in ("jsonl", "text", "html") and not split_compression(path)[1]:
            return Path(path).stat().st_size
    except OSError:
        pass
    return None


def _read_dir(path: str, fields: Fields) -> Iterator[Doc]:
    root = Path(path)
    for p in dir_files(root):  # an empty folder is an empty corpus
        rel = p.relative_to(root).as_posix()
        try:
            data = p.read_bytes()
        except OSError as exc:
            why = f"dangling symbolic link (to {os.readlink(p)})" if _dangling(p) else None
            yield rejected(str(p), why or f"cannot read ({exc.strerror or exc})")
            continue
        yield _file_doc(rel, data, str(p), html=p.suffix.lower() in HTML_SUFFIXES)


def _read_jsonl(path: str, fields: Fields) -> Iterator[Doc]:
    name = "<stdin>" if path == STDIO else path
    with open_binary(path) as fh:
        lineno = 0
        while True:
            try:
                raw = fh.readline()
            except _STREAM_ERRORS as exc:
                yield rejected(
                    f"{name}:{lineno + 1}", f"input ends early: damaged or truncated after line {lineno} ({exc})"
                )
                return
            if not raw:
                return
            lineno += 1
            if raw.strip():
                yield _jsonl_record(raw, f"{name}:{lineno}", fields)


def _jsonl_record(raw: bytes, where: str, fields: Fields) -> Doc:
    line, flags = decode_text(raw)
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return rejected(where, f"not valid JSON ({exc.msg} at column {exc.colno})", raw)
    if not isinstance(record, dict):
        return rejected(where, f"expected a JSON object, got {type(record).__name__}", raw)
    if _SURROGATE_ESCAPE_RE.search(line):
        # A lone surrogate escape ("\ud83d" without its pair) cannot be
        # written as UTF-8: it becomes U+FFFD and the record is flagged.
        record, replaced = _without_lone_surrogates(record)
        if replaced:
            flags = [*flags, LONE_SURROGATES]
    try:
        doc = record_to_doc(record, where, fields)
    except InputError as exc:
        return rejected(where, str(exc).removeprefix(f"{where}: "), raw)
    doc.flags = [*doc.flags, *flags]
    doc.size = len(raw)
    return doc


#: Flag of a record whose strings had lone surrogate escapes, now U+FFFD.
LONE_SURROGATES = "lone_surrogates_replaced"
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
#: A JSON escape of a surrogate (paired or not): only lines with one are checked.
_SURROGATE_ESCAPE_RE = re.compile(r"\\u[dD][89a-fA-F]")


def _without_lone_surrogates(value: Any) -> tuple[Any, bool]:
    """``value`` (parsed JSON) with every surrogate code point in its
    strings and keys replaced by U+FFFD, and whether there was one. (A pair
    of escapes for one character is already that character.)

    >>> _without_lone_surrogates({"t": ["a\\ud83db", "ok"]})
    ({'t': ['a�b', 'ok']}, True)
    """
    if isinstance(value, str):
        fixed = _SURROGATE_RE.sub("\ufffd", value)
        return fixed, fixed != value
    if isinstance(value, list):
        items = [_without_lone_surrogates(v) for v in value]
        return [v for v, _ in items], any(c for _, c in items)
    if isinstance(value, dict):
        out, changed = {}, False
        for k, v in value.items():
            k2, c1 = _without_lone_surrogates(k)
            v2, c2 = _without_lone_surrogates(v)
            out[k2] = v2
            changed = changed or c1 or c2
        return out, changed
    return value, False


def _read_parquet(path: str, fields: Fields) -> Iterator[Doc]:
    pq = _require("pyarrow.parquet", "pyarrow")
    try:
        # Parquet is read from its end: a pipe is read into memory first.
        pf = pq.ParquetFile(io.BytesIO(_read_bytes(path)) if read_once(path) else path)
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from None
    row = 0
    try:
        for batch in pf.iter_batches(batch_size=PARQUET_BATCH_ROWS):
            for record in batch.to_pylist():
                row += 1
                where = f"{path}:row {row}"
                try:
                    doc = record_to_doc(record, where, fields)
                except InputError as exc:
                    yield rejected(where, str(exc).removeprefix(f"{where}: "))
                    continue
                doc.size = len((doc.text or doc.html or "").encode("utf-8", "surrogatepass"))
                yield doc
    except (OSError, ValueError) as exc:  # a damaged row group
        yield rejected(f"{path}:row {row + 1}", f"input ends early: damaged Parquet data after row {row} ({exc})")


def _read_warc(path: str, fields: Fields) -> Iterator[Doc]:
    """The records of a WARC file. A ``.warc.gz`` goes to warcio as it is
    (one gzip member per record): through ``gzip`` the first damaged byte
    would end the stream and lose every record. A record cut short and
    bytes after the last whole record come out as rejects."""
    archive = _require("warcio.archiveiterator", "warcio")
    with open_binary(path, gunzip=False) as raw:
        fh = _Counted(raw)
        iterator = archive.ArchiveIterator(fh)
        n = 0
        records = iter(iterator)
        while True:
            try:
                record = next(records)
                n += 1
                where = f"{path}:record {n}"
                doc = _warc_doc(record, where)
                missing = _unread_bytes(record)
            except StopIteration:
                break
            except Exception as exc:  # warcio raises plain exceptions on broken archives
                yield rejected(
                    f"{path}:record {n + 1}", f"broken WARC record, the rest of the file is unreadable ({exc})"
                )
                return
            if missing:
                size = record.length or 0
                yield rejected(
                    where, f"input ends early: WARC record cut short ({missing} of its {size} bytes missing)"
                )
                return
            if doc is not None:
                yield doc
        tail = fh.count + len(fh.read()) - iterator.offset
        if tail > 0:
            yield rejected(
                f"{path}:record {n + 1}",
                f"input ends early: damaged or truncated WARC data after record {n} ({tail} bytes unreadable)",
                size=tail,
            )


class _Counted:
    """A stream that counts the bytes read from it (warcio's record offsets
    are relative to where it started)."""

    def __init__(self, fh: IO[bytes]) -> None:
        self._fh, self.count = fh, 0

    def read(self, size: int = -1) -> bytes:
        data = self._fh.read(size)
        self.count += len(data)
        return data


def _unread_bytes(record: Any) -> int:
    """Bytes of the record's block that the file did not have (0 for a
    whole record), after reading what is left of it."""
    stream = record.raw_stream
    while stream.read(1 << 16):
        pass
    return int(getattr(stream, "limit", 0) or 0)


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
    doc = Doc(id=rid, text="", fields={"url": url}, source=where, metadata=meta, size=len(body))
    if "html" not in ctype.lower():
        doc.status, doc.reason = "dropped", f"WARC record is not HTML ({ctype or 'no content type'})"
        return doc
    doc.html, doc.flags = decode_text(body)
    return doc
