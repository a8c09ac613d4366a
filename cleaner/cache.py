"""A disk cache for what every process builds the same way and slowly: the
compiled hyperscan databases of the rule matcher (about 0.5 s for the
default packs) and langdetect's profiles as arrays (about 0.5 s). A worker
or a short run starts that much sooner; the output never depends on the
cache, which only saves the building.

Entries are files named by a hash of everything they were built from
(their ``key``, and the source of the module that builds them), written
under a temporary name and renamed into place, so a reader sees a whole
entry or none, and checked against the hash of their content stored with
them. Writing an entry removes those of its kind not used for
``STALE_DAYS`` days, and temporary files left by a killed process. An
entry that cannot be read, is damaged or cannot be used is built again
and overwritten; a cache folder that cannot be written is not an error
(the thing is built every time, as without a cache).

Where: ``$CLEANER_CACHE_DIR`` if set (``off`` or an empty value: no
cache), else ``$XDG_CACHE_HOME/cleaner``, else ``~/.cache/cleaner``.

``tests/test_cache.py`` shows each of these.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import cleaner
from cleaner.io.writers import atomic_file

CACHE_ENV = "CLEANER_CACHE_DIR"
_DIGEST = 32  # bytes of the sha256 of an entry's content, stored before it
#: An entry not used for this many days is removed when another entry of
#: its kind is written (a langdetect entry is 40 MB).
STALE_DAYS = 30
T = TypeVar("T")


def cache_dir() -> Path | None:
    """The cache folder, or ``None`` when the cache is off."""
    value = os.environ.get(CACHE_ENV)
    if value is not None:
        return Path(value).expanduser() if value.strip() and value.strip().lower() != "off" else None
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home directory to be found: no cache
            return None
    return Path(base) / "cleaner"


@functools.cache
def source_digest(module_file: str) -> str:
    """The sha256 of a module's source: part of the key of what that module
    builds, so that an entry built by other code is never used."""
    try:
        return hashlib.sha256(Path(module_file).read_bytes()).hexdigest()
    except OSError:  # no source to read (a frozen build): the version must do
        return cleaner.__version__


def entry_path(kind: str, key: object, builder: str = "") -> Path | None:
    """Where the entry of ``kind`` built from ``key`` (a ``repr``-stable
    value: tuples of strings and numbers) by the module whose file is
    ``builder`` lives; ``None`` when off."""
    folder = cache_dir()
    if folder is None:
        return None
    code = source_digest(builder) if builder else ""
    digest = hashlib.sha256(repr((cleaner.__version__, code, key)).encode("utf-8", "surrogatepass")).hexdigest()
    return folder / f"{kind}-{digest[:32]}.bin"


def cached(kind: str, key: object, build: Callable[[], bytes], load: Callable[[bytes], T], builder: str = "") -> T:
    """``load`` of the cached bytes of ``key``; when there are none, or
    ``load`` rejects them (raises), ``load(build())``, storing the bytes.
    ``builder`` is the file of the module that builds and loads the entry
    (its ``__file__``): its source is part of the key."""
    path = entry_path(kind, key, builder)
    if path is not None:
        with contextlib.suppress(Exception):  # unreadable, damaged or rejected by load: build again
            stored = path.read_bytes()
            data = stored[_DIGEST:]
            if hashlib.sha256(data).digest() == stored[:_DIGEST]:
                loaded = load(data)
                with contextlib.suppress(OSError):
                    os.utime(path)  # used now: kept from pruning
                return loaded
    data = build()
    if path is not None:
        _store(path, hashlib.sha256(data).digest() + data)
        _prune(path.parent, kind)
    return load(data)


def _prune(folder: Path, kind: str) -> None:
    """Remove entries of ``kind`` not used for ``STALE_DAYS`` (built by
    another version, for other rules) and temporary files a killed process
    left behind; quietly, whatever fails."""
    now = time.time()
    for pattern, days in ((f"{kind}-*.bin", STALE_DAYS), (f".{kind}-*.tmp", 1)):  # atomic_file's temporary names
        for entry in folder.glob(pattern):
            with contextlib.suppress(OSError):
                if now - entry.stat().st_mtime > days * 86400:
                    entry.unlink()


def _store(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically; give up quietly on any OS error."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # this user's, as ~/.cache is
        with atomic_file(path, "wb") as fh:
            fh.write(data)
