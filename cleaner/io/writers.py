"""Writers: JSONL (plain, .gz, .zst; stdout), Parquet, or a folder of
cleaned .txt files. Only documents with status ``kept`` are written."""

from __future__ import annotations

import gzip
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Protocol

from cleaner.errors import InputError
from cleaner.io.formats import STDIO, split_compression
from cleaner.io.records import ADDED_FIELDS, Fields, dump_json_line, safe_relpath

#: Records buffered per Parquet row group.
PARQUET_BATCH_ROWS = 1024


class Writer(Protocol):
    def write(self, record: dict[str, Any]) -> None: ...


@contextmanager
def atomic_file(path: Path, mode: str = "w", durable: bool = False) -> Iterator[IO[Any]]:
    """Write to a temporary file next to ``path``; rename on success. With
    ``durable``, the data reaches the disk before the rename (a resumable
    run's manifest must never name a shard that a crash could leave empty)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if "b" in mode:
            fh_ctx = os.fdopen(fd, mode)
        else:
            fh_ctx = os.fdopen(fd, mode, encoding="utf-8", newline="")
        with fh_ctx as fh:
            yield fh
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class JsonlWriter:
    def __init__(self, fh: IO[str]) -> None:
        self.fh = fh

    def write(self, record: dict[str, Any]) -> None:
        self.fh.write(dump_json_line(record))


class DirWriter:
    """One cleaned ``.txt`` per record, named after its id. A second record
    with the same id goes to ``name~2.txt`` rather than over the first."""

    def __init__(self, root: Path, fields: Fields) -> None:
        self.root, self.fields = root, fields
        self.used: set[Path] = set()
        root.mkdir(parents=True, exist_ok=True)

    def write(self, record: dict[str, Any]) -> None:
        text = record[self.fields.text]
        rel = safe_relpath(str(record[self.fields.id]))
        n = 1
        while rel in self.used:
            n += 1
            base = safe_relpath(str(record[self.fields.id]))
            rel = base.with_name(f"{base.stem}~{n}{base.suffix}")
        self.used.add(rel)
        with atomic_file(self.root / rel) as fh:
            fh.write(text + "\n" if text else "")


class ParquetWriter:
    """Rows in batches; the schema is the first batch's, with every field
    the cleaner adds present. A later record with a field the schema does
    not have is an error, not a silent drop."""

    def __init__(self, fh: IO[bytes]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.pa, self.pq, self.fh = pa, pq, fh
        self.batch: list[dict[str, Any]] = []
        self.writer: Any = None

    def write(self, record: dict[str, Any]) -> None:
        self.batch.append({**dict.fromkeys(ADDED_FIELDS), **record})
        if len(self.batch) >= PARQUET_BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        if self.writer is None:
            table = self.pa.Table.from_pylist(self.batch)
            self.writer = self.pq.ParquetWriter(self.fh, table.schema)
        else:
            names = set(self.writer.schema.names)
            extra = sorted({k for r in self.batch for k in r} - names)
            if extra:
                raise InputError(
                    f"field(s) {', '.join(extra)} appear after the first {PARQUET_BATCH_ROWS} rows; Parquet output needs them from the start"
                )
            table = self.pa.Table.from_pylist(self.batch, schema=self.writer.schema)
        self.writer.write_table(table)
        self.batch = []

    def close(self) -> None:
        self.flush()
        if self.writer is not None:
            self.writer.close()


@contextmanager
def open_writer(out: str, kind: str, fields: Fields) -> Iterator[Writer]:
    """A writer for ``out`` (a path or ``-``); the file appears only when
    the block completes without error."""
    if kind == "dir":
        yield DirWriter(Path(out), fields)
    elif out == STDIO:
        yield JsonlWriter(sys.stdout)
    elif kind == "parquet":
        with atomic_file(Path(out), "wb") as fh:
            writer = ParquetWriter(fh)
            yield writer
            writer.close()
    else:
        with atomic_file(Path(out), "wb") as raw, _compressed(raw, out) as fh:
            yield JsonlWriter(fh)


@contextmanager
def _compressed(raw: IO[bytes], name: str) -> Iterator[IO[str]]:
    import io

    _, compression = split_compression(name)
    if compression == ".gz":
        # mtime=0 and no file name: the same records give the same bytes.
        gz = gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="")
        with gz, io.TextIOWrapper(gz, encoding="utf-8", newline="") as gz_text:
            yield gz_text
    elif compression == ".zst":
        import zstandard

        with (
            zstandard.ZstdCompressor().stream_writer(raw, closefd=False) as zw,
            io.TextIOWrapper(zw, encoding="utf-8", newline="") as fh,
        ):
            yield fh
    else:
        plain = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        yield plain
        plain.flush()
        plain.detach()  # the file itself is closed by atomic_file
