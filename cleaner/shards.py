"""Resumable runs: processed documents are written in shards to a work
folder next to the output, with a manifest of the shards that are complete.

Every file appears atomically (written under a temporary name, then
renamed), and the manifest is updated only after its shard is in place, so
a run killed at any moment (``kill -9`` included) leaves a consistent
folder. ``--resume`` checks that the input and options are the same, skips
the documents of the complete shards and carries on; the final output is
assembled from the shards in order, so it is byte-identical to the output
of a run that was never interrupted.

A shard holds, per input document, what the output needs: the output
record (kept), the reject record (rejected) or nothing (dropped), the dedup
sketch, and the shard's share of the run report.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.errors import UsageError
from cleaner.io.readers import dir_files
from cleaner.io.writers import atomic_file

MANIFEST = "manifest.json"
#: Input documents per shard.
SHARD_DOCS = 1000
FORMAT_VERSION = 1


@dataclass
class Shard:
    """The processed documents of one shard and their report share."""

    entries: list[tuple[str, dict[str, Any] | None, Any, dict[str, Any]]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    examples: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    rejects: list[dict[str, Any]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def fingerprint(input_path: str, options: dict[str, Any]) -> dict[str, Any]:
    """What must not change between a run and its resume: the input (a
    file's path, size and modification time; a folder's path and the list
    of the files read from it, with theirs) and every option that shapes
    output (the caller includes the rule packs' content hashes)."""
    info: dict[str, Any] = {"input": os.path.abspath(input_path) if input_path != "-" else "-"}
    if input_path != "-" and os.path.isdir(input_path):
        info["files"] = _folder_listing(Path(input_path))
    elif input_path != "-" and os.path.exists(input_path):
        st = os.stat(input_path)
        info.update(size=st.st_size, mtime_ns=st.st_mtime_ns)
    blob = json.dumps(options, sort_keys=True, default=str).encode()
    info["options"] = hashlib.sha256(blob).hexdigest()
    return info


def _folder_listing(root: Path) -> str:
    """A hash of the files a folder input is read from: their paths, sizes
    and modification times (a file edited in place changes it)."""
    h = hashlib.sha256()
    for p in dir_files(root):
        try:
            st = p.stat()
        except OSError:  # gone since the walk: the reader says so
            continue
        h.update(f"{p.relative_to(root).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


class WorkDir:
    """The shards and manifest of one run."""

    def __init__(self, path: Path, fp: dict[str, Any], shard_docs: int = SHARD_DOCS) -> None:
        if shard_docs < 1:  # a shard of 0 documents would make --resume skip nothing and redo every one
            raise ValueError(f"shard_docs must be at least 1, got {shard_docs}")
        self.path, self.fp, self.shard_docs = path, fp, shard_docs
        self.done: int = 0
        self.complete = False

    @classmethod
    def temporary(cls, fp: dict[str, Any], shard_docs: int = SHARD_DOCS) -> WorkDir:
        return cls(Path(tempfile.mkdtemp(prefix="cleaner-run-")), fp, shard_docs)

    def start(self, resume: bool, overwrite: bool) -> int:
        """Open the folder for this run; returns the number of input
        documents already processed (0 unless resuming)."""
        manifest = self.path / MANIFEST
        if manifest.exists():
            if resume:
                return self._resume(manifest)
            if not overwrite:
                raise UsageError(
                    f"{self.path}: an interrupted run is here; pass --resume to finish it, or --overwrite to start again"
                )
            shutil.rmtree(self.path)
        elif resume and self.path.exists():
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True, exist_ok=True)
        self._write_manifest()
        return 0

    def _resume(self, manifest: Path) -> int:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if data.get("version") != FORMAT_VERSION or data.get("fingerprint") != self.fp:
            raise UsageError(
                f"{self.path}: the interrupted run here used other input or options; "
                "run with the same ones, or pass --overwrite to start again"
            )
        self.shard_docs = data["shard_docs"]
        self.done = data["shards"]
        self.complete = data["complete"]
        return self.done * self.shard_docs

    def _write_manifest(self) -> None:
        data = {
            "version": FORMAT_VERSION,
            "fingerprint": self.fp,
            "shard_docs": self.shard_docs,
            "shards": self.done,
            "complete": self.complete,
        }
        _atomic_write(self.path / MANIFEST, json.dumps(data, indent=2, sort_keys=True).encode())

    def add(self, shard: Shard, last: bool = False) -> None:
        """Store the next shard, then record it in the manifest."""
        _atomic_write(self.path / f"shard-{self.done:06d}.pkl", pickle.dumps(shard, protocol=pickle.HIGHEST_PROTOCOL))
        self.done += 1
        self.complete = last
        self._write_manifest()

    def finish(self) -> None:
        """Mark the input as fully processed (no more shards)."""
        self.complete = True
        self._write_manifest()

    def shards(self) -> Iterator[Shard]:
        for k in range(self.done):
            with (self.path / f"shard-{k:06d}.pkl").open("rb") as fh:
                yield pickle.load(fh)

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _atomic_write(path: Path, data: bytes) -> None:
    with atomic_file(path, "wb", durable=True) as fh:
        fh.write(data)
