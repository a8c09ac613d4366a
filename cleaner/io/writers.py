"""Writers: JSONL (plain, .gz, .zst; stdout), Parquet, or a folder of
cleaned .txt files. Only documents with status ``kept`` are written."""

from __future__ import annotations

import gzip
import json
import os
import pickle
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Protocol

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
        os.fchmod(fd, _open_mode(path))  # mkstemp's 0600 would make every output private
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


def _open_mode(path: Path) -> int:
    """The permissions ``open(path, "w")`` would give: those of the file it
    replaces, or 0666 less the umask for a new one."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process umask, read without changing it where Linux allows
    (setting it to read it is not thread-safe)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


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
    """Rows in row groups of :data:`PARQUET_BATCH_ROWS`, under one schema
    for the whole file: every field of every record (the cleaner's own
    fields first, then the others in the order they first appear). Parquet
    needs the schema before the first row group, so the records are kept in
    a spill file until :meth:`close`, which reads them twice: once for the
    types, once to write.

    A field's type is what its values have in common (ints and floats make
    a float column; structs merge their keys). A field whose values have no
    common type (an int in one record, a string in another) is written as
    strings: strings as they are, other values as their JSON text."""

    def __init__(self, fh: IO[bytes], spill_dir: Path | None = None) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.pa, self.pq, self.fh = pa, pq, fh
        # Pickled batches: values from a Parquet input (bytes, dates) stay as they are.
        self.spill = tempfile.TemporaryFile(dir=spill_dir, prefix=".cleaner-parquet-")
        self.names: dict[str, None] = dict.fromkeys(ADDED_FIELDS)
        self.batch: list[dict[str, Any]] = []

    def write(self, record: dict[str, Any]) -> None:
        self.names.update(dict.fromkeys(record))
        self.batch.append(record)
        if len(self.batch) >= PARQUET_BATCH_ROWS:
            pickle.dump(self.batch, self.spill, protocol=pickle.HIGHEST_PROTOCOL)
            self.batch = []

    def _batches(self) -> Iterator[list[dict[str, Any]]]:
        self.spill.seek(0)
        while True:
            try:
                yield pickle.load(self.spill)
            except EOFError:
                break
        if self.batch:
            yield self.batch

    def _schema(self) -> tuple[Any, set[str]]:
        """The file's schema, and the fields written as strings."""
        pa = self.pa
        types: dict[str, Any] = dict.fromkeys(self.names, pa.null())
        mixed: set[str] = set()
        for batch in self._batches():
            for name in types.keys() - mixed:
                try:
                    found = pa.array([r.get(name) for r in batch]).type
                    merged = pa.unify_schemas(
                        [pa.schema([(name, types[name])]), pa.schema([(name, found)])], promote_options="permissive"
                    )
                    types[name] = merged.field(name).type
                except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
                    mixed.add(name)
                    types[name] = pa.string()
        return pa.schema(list(types.items())), mixed

    def close(self) -> None:
        try:
            schema, mixed = self._schema()
            with self.pq.ParquetWriter(self.fh, schema) as writer:
                for batch in self._batches():
                    columns = [
                        self.pa.array([_as_string(r.get(f)) if f in mixed else r.get(f) for r in batch], type=t)
                        for f, t in zip(schema.names, schema.types, strict=True)
                    ]
                    writer.write_table(self.pa.Table.from_arrays(columns, schema=schema))
        finally:
            self.spill.close()


def _as_string(value: Any) -> str | None:
    """A value of a column of mixed types, as it is written: a string as it
    is, anything else as its JSON text.

    >>> _as_string("7"), _as_string(7), _as_string({"a": [1]}), _as_string(None)
    ('7', '7', '{"a": [1]}', None)
    """
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


@contextmanager
def open_writer(out: str, kind: str, fields: Fields) -> Iterator[Writer]:
    """A writer for ``out`` (a path or ``-``); the file appears only when
    the block completes without error."""
    if kind == "dir":
        with _replaced_folder(Path(out)) as folder:
            yield DirWriter(folder, fields)
    elif out == STDIO:
        yield JsonlWriter(sys.stdout)
    elif kind == "parquet":
        with atomic_file(Path(out), "wb") as fh:
            writer = ParquetWriter(fh, spill_dir=Path(out).parent)
            yield writer
            writer.close()
    else:
        with atomic_file(Path(out), "wb") as raw, _compressed(raw, out) as fh:
            yield JsonlWriter(fh)


@contextmanager
def _replaced_folder(root: Path) -> Iterator[Path]:
    """Where a folder output is written. A new or empty ``root`` is written
    in place; an existing one (``--overwrite``, ``--resume``) is replaced
    whole once the writing succeeds, so no file of an earlier run stays
    behind (a document this run drops or names differently)."""
    if not root.is_dir() or not any(root.iterdir()):
        yield root
        return
    staging = Path(tempfile.mkdtemp(dir=root.parent, prefix=f".{root.name}.", suffix=".new"))
    try:
        yield staging
        staging.chmod(root.stat().st_mode & 0o7777)  # mkdtemp makes it 0700
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = staging.with_suffix(".old")
    root.rename(old)
    try:
        staging.rename(root)
    except BaseException:
        old.rename(root)  # the earlier output stays, whole
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)


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
