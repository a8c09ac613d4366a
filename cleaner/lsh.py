"""LSH banding on signature arrays, the S-curve, and union-find.

The index is a set of arrays, not a hash table of Python objects: for each
band, the band's ``rows`` signature values are folded into one 64-bit key,
the keys are sorted, and documents with equal keys become candidate pairs.
Only one band's keys live at a time, so memory stays near 16 bytes per
document plus the candidate pairs (datasketch's ``MinHashLSH`` keeps a bytes
object per document and band in dicts of sets).

:func:`band_rows` and :func:`grouped_candidates` are the two halves of the
same grouping done as a shuffle, for a cluster: each partition of the
signatures emits its (band, key, row) triples split by key, and each
split's triples, gathered from every partition, give the candidate pairs
of its keys. The union of the splits' pairs equals :func:`band_candidates`.

>>> optimal_params(0.8, 128)
(9, 13)
>>> [(j, round(p, 3)) for j, p in s_curve(9, 13, (0.5, 0.8, 0.9))]
[(0.5, 0.001), (0.8, 0.399), (0.9, 0.929)]
>>> sigs = np.array([[1, 2, 3, 4], [1, 2, 9, 9], [5, 6, 7, 8]], dtype=np.uint32)
>>> band_candidates(sigs, bands=2, rows=2).tolist()
[[0, 1]]
>>> splits = [band_rows(sigs[:1], 0, 2, 2, parts=3), band_rows(sigs[1:], 1, 2, 2, parts=3)]
>>> merge_pairs([grouped_candidates([part[p] for part in splits], len(sigs)) for p in range(3)], len(sigs)).tolist()
[[0, 1]]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import numpy as np

#: Buckets larger than this yield a star and a chain of pairs instead of all pairs.
MAX_BUCKET_PAIRS = 64
_GRID = np.linspace(0.0, 1.0, 2001)
_M1 = np.uint64(0xFF51AFD7ED558CCD)
_M2 = np.uint64(0xC4CEB9FE1A85EC53)
_S33 = np.uint64(33)


def candidate_probability(j: np.ndarray | float, bands: int, rows: int) -> np.ndarray:
    """P(two documents of Jaccard ``j`` share at least one band): ``1 - (1 - j^rows)^bands``."""
    return np.asarray(1.0 - (1.0 - np.power(j, rows)) ** bands, dtype=np.float64)


def s_curve(
    bands: int, rows: int, js: Iterable[float] = (0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
) -> list[tuple[float, float]]:
    """``(J, P(candidate | J))`` for a few Jaccard values, for the report and the CLI."""
    return [(float(j), float(candidate_probability(j, bands, rows))) for j in js]


def _area(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Trapezoid rule along the last axis."""
    return np.asarray(((y[..., 1:] + y[..., :-1]) * np.diff(x) / 2).sum(axis=-1))


def optimal_params(threshold: float, num_perm: int, fp_weight: float = 0.5, fn_weight: float = 0.5) -> tuple[int, int]:
    """``(bands, rows)`` with ``bands * rows <= num_perm`` minimising the weighted
    false-positive area (below ``threshold``) plus false-negative area (above it)
    of the S-curve. Ties go to the first pair in (bands, rows) order."""
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be in (0, 1), got {threshold!r}")
    if num_perm < 1:
        raise ValueError(f"num_perm must be >= 1, got {num_perm!r}")
    combos = np.array([(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)])
    below, above = _GRID[_GRID <= threshold], _GRID[_GRID >= threshold]
    lo = np.append(below, threshold) if below[-1] < threshold else below
    hi = np.insert(above, 0, threshold) if above[0] > threshold else above
    b, r = combos[:, :1], combos[:, 1:]
    fp = _area(1.0 - (1.0 - lo[None, :] ** r) ** b, lo)
    fn = _area((1.0 - hi[None, :] ** r) ** b, hi)
    best = int(np.argmin(fp * fp_weight + fn * fn_weight))
    return int(combos[best, 0]), int(combos[best, 1])


def _mix(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser (wrapping arithmetic is intended)."""
    h = h ^ (h >> _S33)
    h = h * _M1
    h = h ^ (h >> _S33)
    h = h * _M2
    return np.asarray(h ^ (h >> _S33))


def band_keys(sigs: np.ndarray, band: int, rows: int) -> np.ndarray:
    """One uint64 key per document for band ``band`` (its ``rows`` columns folded)."""
    key = np.full(len(sigs), band + 1, dtype=np.uint64)
    for col in range(band * rows, (band + 1) * rows):
        key = _mix(key ^ sigs[:, col].astype(np.uint64))
    return key


def _bucket_pairs(members: np.ndarray) -> np.ndarray:
    """All pairs of a small bucket; a star on the first member plus a chain for a big one."""
    m = len(members)
    if m <= MAX_BUCKET_PAIRS:
        i, j = np.triu_indices(m, k=1)
        return np.stack([members[i], members[j]], axis=1)
    star = np.stack([np.full(m - 1, members[0]), members[1:]], axis=1)
    chain = np.stack([members[1:-1], members[2:]], axis=1)
    return np.concatenate([star, chain])


def _group_pairs(rows: np.ndarray, new: np.ndarray) -> list[np.ndarray]:
    """The pairs of every group of two or more in ``rows`` (grouped, ascending
    within a group; ``new`` marks each group's first row)."""
    starts = np.flatnonzero(new)
    sizes = np.diff(np.r_[starts, len(rows)])
    big = sizes > 1
    return [_bucket_pairs(rows[s : s + k]) for s, k in zip(starts[big].tolist(), sizes[big].tolist(), strict=True)]


def band_candidates(sigs: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """Candidate pairs ``(i, j)``, ``i < j``, row indices into ``sigs`` sharing
    at least one band; unique and sorted, as an int64 array of shape (k, 2)."""
    pairs = merge_pairs([], len(sigs))
    for found in band_candidate_batches(sigs, bands, rows):
        # Merged band by band: the bands of near-copies repeat the same
        # pairs, and holding every band's pairs at once grows with
        # bands x copies (gigabytes at a million pages of one template).
        pairs = merge_pairs([pairs, found], len(sigs))
    return pairs


def band_candidate_batches(sigs: np.ndarray, bands: int, rows: int) -> Iterator[np.ndarray]:
    """The pairs of :func:`band_candidates` one band at a time (each batch
    unique and sorted; a pair may come again in a later band), so that a
    caller can use them and let them go."""
    if bands * rows > sigs.shape[1]:
        raise ValueError(f"bands * rows = {bands} * {rows} exceeds the {sigs.shape[1]} signature columns")
    for band in range(bands):
        keys = band_keys(sigs, band, rows)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        # A stable sort keeps each bucket's rows ascending.
        found = _group_pairs(order, np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        if found:
            yield merge_pairs(found, len(sigs))


def merge_pairs(found: Sequence[np.ndarray], n: int) -> np.ndarray:
    """The union of the pair arrays ``found`` (shape (k, 2), rows of a corpus of ``n``), unique and sorted."""
    pairs = np.concatenate([np.zeros((0, 2), dtype=np.int64), *found]).astype(np.int64)
    codes = np.unique(pairs[:, 0] * n + pairs[:, 1])
    return np.stack([codes // max(n, 1), codes % max(n, 1)], axis=1)


#: One split of :func:`band_rows`: band numbers (uint16), band keys (uint64), rows (int64).
BandRows = tuple[np.ndarray, np.ndarray, np.ndarray]


def band_rows(sigs: np.ndarray, offset: int, bands: int, rows: int, parts: int) -> list[BandRows]:
    """The map side of a grouping by band key: the (band, key, row) triple of
    every row of ``sigs`` (rows numbered from ``offset``) and band, split into
    ``parts`` by key, so that equal keys of any partition meet in one split."""
    if bands * rows > sigs.shape[1]:
        raise ValueError(f"bands * rows = {bands} * {rows} exceeds the {sigs.shape[1]} signature columns")
    band = np.repeat(np.arange(bands, dtype=np.uint16), len(sigs))
    key = np.concatenate([np.zeros(0, dtype=np.uint64), *(band_keys(sigs, b, rows) for b in range(bands))])
    row = np.tile(np.arange(offset, offset + len(sigs), dtype=np.int64), bands)
    split = key % np.uint64(parts)
    out = []
    for p in range(parts):
        mask = split == np.uint64(p)
        out.append((band[mask], key[mask], row[mask]))
    return out


def grouped_candidates(splits: Sequence[BandRows], n: int) -> np.ndarray:
    """The reduce side: candidate pairs of the (band, key) groups in
    ``splits`` (rows of a corpus of ``n``), formed as :func:`band_candidates`
    forms them, unique and sorted."""
    band, key, row = (np.concatenate([s[c] for s in splits]) for c in range(3))
    order = np.lexsort((row, key, band))
    band, key, row = band[order], key[order], row[order]
    new = np.ones(len(row), dtype=bool)
    new[1:] = (band[1:] != band[:-1]) | (key[1:] != key[:-1])
    return merge_pairs(_group_pairs(row, new), n)


class UnionFind:
    """Disjoint sets over ``0..n-1`` in a numpy array, fed whole arrays of
    pairs: 8 bytes a member and no Python object per pair, for millions of
    pairs. Each root is its set's smallest member, so the sets come out the
    same whatever order the pairs come in.

    >>> uf = UnionFind(5)
    >>> uf.union_pairs(np.array([[3, 1], [1, 2], [4, 4]]))
    >>> uf.groups(), uf.connected(np.array([[2, 3], [0, 4]])).tolist()
    ([[1, 2, 3]], [True, False])
    """

    def __init__(self, n: int) -> None:
        self.parent = np.arange(n, dtype=np.int64)

    def find(self, x: np.ndarray) -> np.ndarray:
        """The roots of ``x``, compressing the paths walked."""
        parent = self.parent
        root = parent[x]
        while True:
            up = parent[root]
            if np.array_equal(up, root):
                break
            root = up
        parent[x] = root
        return root

    def connected(self, pairs: np.ndarray) -> np.ndarray:
        """Which pairs are already in one set."""
        return self.find(pairs[:, 0]) == self.find(pairs[:, 1])

    def union_pairs(self, pairs: np.ndarray) -> None:
        """Join the sets of each pair: each round hooks every root that
        should move under the smallest root it meets, until every pair
        shares a root."""
        a, b = pairs[:, 0].astype(np.int64), pairs[:, 1].astype(np.int64)
        while len(a):
            ra, rb = self.find(a), self.find(b)
            apart = ra != rb
            a, b, ra, rb = a[apart], b[apart], ra[apart], rb[apart]
            np.minimum.at(self.parent, np.maximum(ra, rb), np.minimum(ra, rb))

    def groups(self) -> list[list[int]]:
        """Sets of two or more members, each sorted, ordered by smallest member."""
        roots = self.find(np.arange(len(self.parent)))
        order = np.argsort(roots, kind="stable")
        sorted_roots = roots[order]
        starts = np.flatnonzero(np.r_[True, sorted_roots[1:] != sorted_roots[:-1]]) if len(order) else order
        sizes = np.diff(np.r_[starts, len(order)])
        return [order[s : s + k].tolist() for s, k in zip(starts.tolist(), sizes.tolist(), strict=True) if k > 1]
