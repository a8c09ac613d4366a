"""Which format a path is in: from its name, then from its first bytes.

>>> input_format_of_name("crawl.jsonl.zst"), input_format_of_name("x.warc.gz"), input_format_of_name("p.htm")
('jsonl', 'warc', 'html')
"""

from __future__ import annotations

import gzip
from pathlib import Path

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


def sniff(path: Path) -> str:
    """Guess a file's format from its first bytes (compressed or not)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
        if head[:2] == b"\x1f\x8b":
            with gzip.open(path, "rb") as fh:
                head = fh.read(4096)
        elif head[:4] == b"\x28\xb5\x2f\xfd":
            import zstandard

            with zstandard.open(path, "rb") as fh:
                head = fh.read(4096)
    except (OSError, EOFError) as exc:
        raise InputError(f"{path}: cannot read ({exc})") from None
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
    """``dir`` or one of :data:`INPUT_FORMATS` for an input path. ``-`` is
    JSONL unless ``override`` says otherwise."""
    if override:
        if override not in INPUT_FORMATS:
            raise UsageError(f"unknown input format {override!r} (use {', '.join(INPUT_FORMATS)})")
        return override
    if path == STDIO:
        return "jsonl"
    p = Path(path)
    if p.is_dir():
        return "dir"
    if not p.exists():
        raise UsageError(f"{path}: no such file or folder")
    return input_format_of_name(p.name) or sniff(p)


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
