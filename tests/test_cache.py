"""The disk cache of compiled hyperscan databases and language profiles:
what comes out of it is what building gives, a damaged or unusable entry
is built again, and a cache that cannot be written changes nothing."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import numpy as np
import pytest

from cleaner import cache, langid
from cleaner.clean import RulePlan
from cleaner.matcher import hyperscan
from cleaner.rulepack import load_rules

ROOT = Path(__file__).resolve().parent.parent
TEXT = (
    "Home\nShare this article\nThe council met on Monday. It voted on the budget.\nRead more: the vote\nADVERTISEMENT"
)


@pytest.fixture
def cache_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    return folder


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.bin")) if folder.is_dir() else []


def test_an_entry_is_built_once_then_read(cache_in: Path) -> None:
    builds: list[int] = []

    def build() -> bytes:
        builds.append(1)
        return b"built"

    assert cache.cached("t", ("k", 1), build, bytes) == b"built"
    assert cache.cached("t", ("k", 1), build, bytes) == b"built"
    assert len(builds) == 1 and len(entries(cache_in)) == 1


def test_a_damaged_entry_is_built_again_and_replaced(cache_in: Path) -> None:
    cache.cached("t", "k", lambda: b"good bytes", bytes)
    (path,) = entries(cache_in)
    damaged = bytearray(path.read_bytes())
    damaged[-1] ^= 0xFF
    path.write_bytes(bytes(damaged))
    assert cache.cached("t", "k", lambda: b"good bytes", bytes) == b"good bytes"
    assert path.read_bytes().endswith(b"good bytes")


def test_an_entry_its_loader_rejects_is_built_again(cache_in: Path) -> None:
    path = cache.entry_path("t", "k")
    assert path is not None
    path.parent.mkdir(parents=True)
    path.write_bytes(hashlib.sha256(b"junk").digest() + b"junk")  # whole, but not what load takes

    def load(data: bytes) -> str:
        if data != b"ok":
            raise ValueError(data)
        return "loaded"

    assert cache.cached("t", "k", lambda: b"ok", load) == "loaded"


@pytest.mark.parametrize("setting", ["off", "", "file"])
def test_off_or_unwritable_cache_still_builds(setting: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocker / "cache") if setting == "file" else setting)
    assert cache.cached("t", "k", lambda: b"built", bytes) == b"built"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-folder"]


@pytest.mark.skipif(hyperscan is None, reason="hyperscan is not installed")
def test_cached_hyperscan_database_finds_what_a_compiled_one_finds(
    cache_in: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = load_rules().rules
    lines = (ROOT / "tests" / "data" / "keeps.txt").read_text(encoding="utf-8").splitlines() + TEXT.splitlines()
    lines += [str(ex) for rule in rules for ex in rule.removes]
    built = RulePlan.build(rules).drops  # compiled, and stored
    assert len(entries(cache_in)) >= 1
    loaded = RulePlan.build(rules).drops  # from the cache
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    compiled = RulePlan.build(rules).drops
    want = [r and r.id for r in compiled.first_matches(lines)]
    assert sum(w is not None for w in want) > 50
    assert [r and r.id for r in built.first_matches(lines)] == want
    assert [r and r.id for r in loaded.first_matches(lines)] == want


def test_cached_language_profiles_are_the_built_ones(cache_in: Path) -> None:
    langid._profiles.cache_clear()
    try:
        built = langid._profiles()
        langid._profiles.cache_clear()
        loaded = langid._profiles()
        assert loaded is not built and len(entries(cache_in)) == 1
        assert loaded.langlist == built.langlist
        for name in ("keys", "key_rows", "table"):
            a, b = getattr(loaded, name), getattr(built, name)
            assert a.dtype == b.dtype and np.array_equal(a, b), name
        text = "Russia and China are not building a military alliance, President Vladimir Putin said on Sunday."
        assert loaded.probabilities(text, 3, 0) == built.probabilities(text, 3, 0)
    finally:
        langid._profiles.cache_clear()


def test_no_home_directory_means_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (cache.CACHE_ENV, "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", no_home)
    assert cache.cache_dir() is None
    assert cache.cached("t", "k", lambda: b"built", bytes) == b"built"


def test_an_entry_built_by_other_code_is_not_used(cache_in: Path, tmp_path: Path) -> None:
    builder = tmp_path / "builder.py"
    builder.write_text("VERSION = 1\n")
    cache.source_digest.cache_clear()
    assert cache.cached("t", "k", lambda: b"one", bytes, builder=str(builder)) == b"one"
    builder.write_text("VERSION = 2\n")  # the code that builds the entry changed
    cache.source_digest.cache_clear()
    assert cache.cached("t", "k", lambda: b"two", bytes, builder=str(builder)) == b"two"
    assert len(entries(cache_in)) == 2


def test_the_cache_folder_setting_expands_a_home_tilde(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv(cache.CACHE_ENV, "~/cleaner-cache")
    assert cache.cache_dir() == tmp_path / "cleaner-cache"
    cache.cached("t", "k", lambda: b"built", bytes)
    assert (tmp_path / "cleaner-cache").stat().st_mode & 0o777 == 0o700


def test_writing_an_entry_prunes_stale_ones_of_its_kind_and_leftover_temporary_files(cache_in: Path) -> None:
    cache.cached("t", "old", lambda: b"old", bytes)
    cache.cached("u", "other kind", lambda: b"u", bytes)
    old = next(p for p in entries(cache_in) if p.name.startswith("t-"))
    leftover = cache_in / ".t-0123.bin.abc.tmp"  # the temporary name cleaner.io.atomic_file gives
    leftover.write_bytes(b"half")
    long_ago = time.time() - 40 * 86400
    for path in (old, leftover, *cache_in.glob("u-*.bin")):
        os.utime(path, (long_ago, long_ago))
    cache.cached("t", "new", lambda: b"new", bytes)
    names = sorted(p.name[:2] for p in cache_in.iterdir())
    assert names == ["t-", "u-"] and not old.exists() and not leftover.exists()  # only t's stale ones go


def test_reading_an_entry_keeps_it_fresh(cache_in: Path) -> None:
    cache.cached("t", "k", lambda: b"x", bytes)
    (path,) = entries(cache_in)
    long_ago = time.time() - 40 * 86400
    os.utime(path, (long_ago, long_ago))
    assert cache.cached("t", "k", lambda: b"rebuilt", bytes) == b"x"
    assert time.time() - path.stat().st_mtime < 60
