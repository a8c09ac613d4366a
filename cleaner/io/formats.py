"""Which format a path is in: from its name, then from its first bytes.

>>> input_format_of_name("crawl.jsonl.zst"), input_format_of_name("x.warc.gz"), input_format_of_name("p.htm")
('jsonl', 'warc', 'html')
"""

from __future__ import annotations

import io
import os
import stat
import sys
import zlib
from pathlib import Path
from typing import IO

from cleaner.errors import InputError, UsageError

STDIO = "-"
INPUT_FORMATS = ("jsonl", "text", "html", "parquet", "warc")
OUTPUT_FORMATS = ("jsonl", "parquet", "dir")
COMPRESSIONS = (".gz", ".zst")
TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
_BY_SUFFIX = {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".warc": "warc", ".txt": "text"}
_BY_SUFFIX.update(dict.fromkeys(HTML_SUFFIXES, "html"))


def split_compression(name: str) -> tuple[str, str]:
    """``("crawl.jsonl", ".zst")`` for ``crawl.jsonl.zst``; ``""`` when
    uncompressed."""
    lower = name.lower()
    for suffix in COMPRESSIONS:
        if lower.endswith(suffix):
            return name[: -len(suffix)], suffix
    return name, ""


def input_format_of_name(name: str) -> str | None:
    base, _ = split_compression(name)
    return _BY_SUFFIX.get(Path(base).suffix.lower())


#: Bytes read from the start of an input to tell its format.
SNIFF_BYTES = 1 << 16
_GZIP_MAGIC = b"\x1f\x8b"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
#: Inputs that can be read only once (stdin, a pipe, a FIFO), opened to
#: sniff them: path -> (the bytes read, the open stream). The reader takes
#: the stream back with :func:`take_held` and gets those bytes first.
_HELD: dict[str, tuple[bytes, IO[bytes]]] = {}


def read_once(path: str) -> bool:
    """Whether ``path`` is stdin, a pipe, a FIFO or a device: bytes read from
    it to sniff its format cannot be read again by reopening it."""
    if path == STDIO:
        return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _same_stream(path: str, fh: IO[bytes]) -> bool:
    if path == STDIO:
        return fh is sys.stdin.buffer
    try:
        a, b = os.stat(path), os.fstat(fh.fileno())
    except (OSError, ValueError):
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def head_bytes(path: str, n: int = SNIFF_BYTES) -> bytes:
    """The first ``n`` bytes of a file, as stored (not decompressed). An
    input that can be read only once stays open, its stream held for
    :func:`take_held`, so these bytes are not lost to the reader."""
    if not read_once(path):
        with open(path, "rb") as regular:
            return regular.read(n)
    held = _HELD.get(path)
    if held is not None and _same_stream(path, held[1]):
        return held[0][:n]
    fh: IO[bytes] = sys.stdin.buffer if path == STDIO else open(path, "rb")  # held open for the reader
    chunks: list[bytes] = []
    size = 0
    while size < n:
        chunk = fh.read(n - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    head = b"".join(chunks)
    _HELD[path] = (head, fh)
    return head


def take_held(path: str) -> IO[bytes] | None:
    """The stream :func:`head_bytes` kept open for ``path``, with the bytes
    it read put back in front, or ``None``."""
    held = _HELD.pop(path, None)
    if held is None or not _same_stream(path, held[1]):
        return None
    head, fh = held
    return io.BufferedReader(_Prefixed(head, fh, close=path != STDIO))


class _Prefixed(io.RawIOBase):
    """``prefix`` then the rest of ``raw``, as one stream."""

    def __init__(self, prefix: bytes, raw: IO[bytes], close: bool) -> None:
        self._prefix, self._raw, self._close = prefix, raw, close

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if self._close:
            self._raw.close()
        super().close()


def _decompressed_head(head: bytes) -> bytes:
    """The start of what compressed ``head`` decompresses to (as much as
    it gives), or ``head`` when it is not compressed."""
    try:
        if head[:2] == _GZIP_MAGIC:
            return zlib.decompressobj(wbits=31).decompress(head, SNIFF_BYTES)
        if head[:4] == _ZSTD_MAGIC:
            import zstandard

            return zstandard.ZstdDecompressor().decompressobj().decompress(head)[:SNIFF_BYTES]
    except Exception:  # a damaged start: sniff what there is, the reader reports the damage
        return b""
    return head


def sniff_bytes(head: bytes) -> str:
    """The format the (decompressed) first bytes of an input look like.

    >>> sniff_bytes(b'  {"id": 1}'), sniff_bytes(b"WARC/1.1\\r\\n"), sniff_bytes(b"Hello")
    ('jsonl', 'warc', 'text')
    """
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"WARC/"):
        return "warc"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        return "jsonl"
    if stripped[:15].lower().startswith((b"<!doctype html", b"<html")) or b"<body" in stripped.lower():
        return "html"
    return "text"


def input_format(path: str, override: str | None = None) -> str:
    """``dir`` or one of :data:`INPUT_FORMATS` for an input path: from
    ``override``, else the name, else the first bytes (stdin, ``-``, has no
    name: JSONL when it starts with ``{``, else text, HTML...). A file whose
    bytes contradict its name or ``override`` (gzip data named ``.jsonl``,
    JSONL read as WARC) is an :class:`InputError` saying what it looks like."""
    if override and override not in INPUT_FORMATS:
        raise UsageError(f"unknown input format {override!r} (use {', '.join(INPUT_FORMATS)})")
    if path != STDIO:
        p = Path(path)
        if p.is_dir():
            return override or "dir"
        if not p.exists():
            if override:
                return override
            raise UsageError(f"{path}: no such file or folder")
    try:
        head = _content_head(path, head_bytes(path))
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    looks = sniff_bytes(head)
    fmt = override or (None if path == STDIO else input_format_of_name(Path(path).name)) or looks
    # WARC and Parquet need their structure; text read as WARC is nonsense. A WARC
    # or Parquet file named .jsonl/.txt is refused too, unless --input-format says so.
    structured = ("warc", "parquet")
    if head.strip() and fmt != looks and (fmt in structured or (not override and looks in structured)):
        what = f"it looks like {_DESCRIBED[looks]}; use --input-format {looks}"
        if fmt == "parquet":
            raise InputError(f"{path}: not a readable Parquet file ({what})")
        raise InputError(f"{path}: not {_DESCRIBED[fmt]} ({what})")
    if fmt == "jsonl" and head.startswith(_UTF16_BOMS):
        # JSON Lines are UTF-8; read as such, every line would be a garbage reject.
        raise InputError(f"{path}: this is UTF-16 text; JSONL must be UTF-8 (convert it: iconv -f UTF-16 -t UTF-8)")
    return fmt


#: Byte-order marks of UTF-16 (little and big endian; UTF-32 LE starts the same).
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


_DESCRIBED = {"jsonl": "JSONL", "warc": "a WARC file", "parquet": "Parquet", "html": "HTML", "text": "plain text"}
_COMPRESSION_OF_MAGIC = {_GZIP_MAGIC: ".gz", _ZSTD_MAGIC: ".zst"}


def _content_head(path: str, head: bytes) -> bytes:
    """The decompressed start of an input, once its bytes are known to be
    compressed as its name says (``.gz``, ``.zst``, or neither)."""
    _, named = split_compression("" if path == STDIO else path)
    actual = next((c for magic, c in _COMPRESSION_OF_MAGIC.items() if head.startswith(magic)), "")
    if not head or named == actual:
        return _decompressed_head(head)
    kind = {".gz": "gzip", ".zst": "zstd"}
    where = "stdin" if path == STDIO else path
    if actual and read_once(path):
        fix = f"decompress it first ({'zcat' if actual == '.gz' else 'zstd -dc'})"
        raise InputError(f"{where}: this is {kind[actual]}-compressed data; {fix}")
    if actual:
        raise InputError(
            f"{where}: this is {kind[actual]}-compressed data but its name does not end in {actual}; "
            f"rename it {Path(path).name if not named else split_compression(Path(path).name)[0]}{actual}"
        )
    looks = _DESCRIBED[sniff_bytes(head)]
    raise InputError(
        f"{where}: its name ends in {named} but it is not {kind[named]}-compressed (it looks like {looks}); "
        f"rename it {split_compression(Path(path).name)[0]}"
    )


def output_kind(path: str) -> str:
    """``jsonl``, ``parquet`` or ``dir`` for an output path (``-`` is JSONL
    on stdout)."""
    if path == STDIO:
        return "jsonl"
    base, _ = split_compression(Path(path).name)
    kind = {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}.get(Path(base).suffix.lower())
    if kind:
        return kind
    if Path(path).suffix and not Path(path).is_dir():
        raise UsageError(f"{path}: output must be a folder, a .jsonl(.gz/.zst) or .parquet file, or - (stdout)")
    return "dir"


def overlaps_input(path: Path, inp: str) -> bool:
    """Whether writing ``path`` (resolved) would write over the input
    ``inp`` or into an input folder."""
    if inp == STDIO:
        return False
    source = Path(inp).resolve()
    return path == source or (source.is_dir() and path.is_relative_to(source))


def check_output(out: str, inp: str, kind: str, overwrite: bool) -> None:
    """Refuse to write over the input, into the input folder, or over
    existing output (unless ``overwrite``)."""
    if out == STDIO:
        return
    o = Path(out).resolve()
    if inp != STDIO:
        input_inside = kind == "dir" and Path(inp).resolve().is_relative_to(o)
        if overlaps_input(o, inp) or input_inside:
            raise UsageError(f"{out}: output would overwrite or sit inside the input {inp}; choose another output path")
    if not overwrite and o.exists() and (o.is_file() or any(o.iterdir())):
        raise UsageError(f"{out}: output already exists; remove it or pass --overwrite")
    if kind == "dir" and o.is_dir():
        other = next((p for p in o.rglob("*") if not p.is_dir() and p.suffix != ".txt"), None)
        if other is not None:
            raise UsageError(
                f"{out}: the folder holds {other.relative_to(o)}, which is no cleaned text: a folder output is"
                " replaced whole, so only a folder of .txt files can be; remove it or choose another output path"
            )
