"""Shingles and MinHash signatures of cleaned text (the per-document half of dedup).

Text is normalised (Unicode NFKC, case folded, apostrophes dropped, every run
of punctuation and white space is one word break; Chinese and Japanese
characters are one word each) and cut into word n-grams. Each word is hashed
once with xxhash (xxh3, 64 bits); an n-gram's hash combines its words' hashes
in numpy (polynomial, then the MurmurHash3 finaliser) and keeps the top 32
bits. Signatures come from datasketch's batched API
(:meth:`datasketch.MinHash.generator`, scheme ``affine32``) fed those hashes,
so no shingle goes through an ``update`` call and SHA-1 of its own.

>>> tokens("Putin's  visit: a 'Cold-War' ALLIANCE?")
['putins', 'visit', 'a', 'cold', 'war', 'alliance']
>>> shingle_hashes("one two three", n=2).tolist() == sorted(shingle_hashes("ONE two, three!", n=2).tolist())
True
>>> sk = Sketcher(num_perm=16, n=2)
>>> sig = sk.signatures(["the talks went on for hours", "the talks went on for hours today"])
>>> sig.shape, sig.dtype.name
((2, 16), 'uint32')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import xxhash

#: Characters written without spaces between words: each is a token.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")
_HAS_CJK = re.compile(f"[{_CJK}]")
_WORD = re.compile(r"[^\W_]+")
_APOSTROPHES = re.compile("['’ʼ`´]")
_EMPTY = np.zeros(0, dtype=np.uint32)
_P = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xFF51AFD7ED558CCD)
_M2 = np.uint64(0xC4CEB9FE1A85EC53)
_S33 = np.uint64(33)
_S32 = np.uint64(32)


def tokens(text: str) -> list[str]:
    """The normalised words of ``text``: what shingles and exact keys are made of."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = _APOSTROPHES.sub("", text.casefold())
    return (_TOKEN if _HAS_CJK.search(text) else _WORD).findall(text)


def shingle_hashes(text: str, n: int) -> np.ndarray:
    """The set of word ``n``-gram hashes of ``text``, sorted, as uint32.

    A text shorter than ``n`` words is one shingle; a text without words has none.

    >>> len(shingle_hashes("a b c d", n=2)), len(shingle_hashes("a b", n=5)), len(shingle_hashes("...", n=5))
    (3, 1, 0)
    """
    return shingles_of_words(tokens(text), n)


def shingles_of_words(words: Sequence[str], n: int) -> np.ndarray:
    """:func:`shingle_hashes` of already normalised words."""
    if not words:
        return _EMPTY
    word_hashes = np.fromiter(map(xxhash.xxh3_64_intdigest, map(str.encode, words)), np.uint64, len(words))
    k = max(1, len(words) - n + 1)
    h = word_hashes[:k].copy()
    for j in range(1, min(n, len(words))):
        h = h * _P + word_hashes[j : j + k]
    h ^= h >> _S33
    h *= _M1
    h ^= h >> _S33
    h *= _M2
    h ^= h >> _S33
    return np.unique((h >> _S32).astype(np.uint32))


def exact_key(text: str) -> tuple[int, int]:
    """A 128-bit hash of the normalised text, as two 64-bit halves: equal for
    texts that differ only in case, punctuation and white space.

    >>> exact_key("Hello, world!") == exact_key("hello   WORLD")
    True
    """
    return key_of_words(tokens(text))


def key_of_words(words: Sequence[str]) -> tuple[int, int]:
    """:func:`exact_key` of already normalised words."""
    digest = xxhash.xxh3_128_intdigest(" ".join(words).encode())
    return digest >> 64, digest & 0xFFFFFFFFFFFFFFFF


def _identity(value: int) -> int:
    """datasketch's ``hashfunc``: the values fed in are already xxhash digests."""
    return value


@dataclass(frozen=True)
class Sketch:
    """What dedup keeps of one document: its signature, exact-text key and length;
    ``shingles`` travel along for exact verification."""

    signature: np.ndarray
    key: tuple[int, int]
    length: int
    shingles: np.ndarray


class Sketcher:
    """MinHash signatures with fixed permutations (``num_perm``, ``seed``).

    Picklable, so pipeline workers can sketch documents and send back only
    the signatures (``num_perm`` × 4 bytes each).
    """

    def __init__(self, num_perm: int = 128, n: int = 5, seed: int = 1) -> None:
        self.num_perm = num_perm
        self.n = n
        self.seed = seed

    def sketch_many(self, texts: Sequence[str]) -> list[Sketch | None]:
        """One :class:`Sketch` per text (``None`` for a text without words), signed in one batch."""
        words = [tokens(t) for t in texts]
        shingles = [shingles_of_words(w, self.n) for w in words]
        sigs = iter(self.signatures_of_shingles([s for s in shingles if len(s)]))
        return [
            Sketch(next(sigs), key_of_words(w), len(t), s) if len(s) else None
            for t, w, s in zip(texts, words, shingles, strict=True)
        ]

    def signatures(self, texts: Iterable[str]) -> np.ndarray:
        """One row of ``num_perm`` uint32 per text (all ``0xFFFFFFFF`` for a text without words)."""
        return self.signatures_of_shingles([shingle_hashes(t, self.n) for t in texts])

    def signatures_of_shingles(self, shingles: Sequence[np.ndarray]) -> np.ndarray:
        """Signatures of precomputed :func:`shingle_hashes` arrays, via datasketch's bulk API."""
        from datasketch import MinHash

        out = np.empty((len(shingles), self.num_perm), dtype=np.uint32)
        batches = (s.tolist() for s in shingles)
        kwargs = {"num_perm": self.num_perm, "seed": self.seed, "hashfunc": _identity, "scheme": "affine32"}
        for row, mh in enumerate(MinHash.generator(batches, **kwargs)):
            out[row] = mh.hashvalues
        return out


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Share of equal signature entries, row by row (``a``, ``b``: k × num_perm).

    >>> estimated_jaccard(np.array([[1, 2, 3, 4]]), np.array([[1, 2, 0, 4]])).tolist()
    [0.75]
    """
    return np.asarray((a == b).mean(axis=1), dtype=np.float64)


def exact_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two sorted sets of shingle hashes.

    >>> exact_jaccard(np.array([1, 2, 3]), np.array([2, 3, 4]))
    0.5
    """
    if not len(a) and not len(b):
        return 1.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter)
