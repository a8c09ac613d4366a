"""Near-duplicate flagging on cleaned text: MinHash, LSH banding, union-find.

A corpus pass in two steps that never holds the documents: :meth:`Deduper.add`
keeps a signature (``num_perm`` × 4 bytes), an exact-text hash and the
keeper-policy key of each document; :meth:`Deduper.finish` clusters them and
returns the fields to add per document index.

>>> d = Deduper(DedupConfig(n=3))
>>> story = "The council voted on Monday to close the old bridge for repairs that will take at least two years."
>>> d.add(0, "a", story)
>>> d.add(1, "b", "Totally different news about the harvest festival in the valley this weekend.")
>>> d.add(2, "c", "LONDON (Reuters) - " + story)
>>> out = d.finish()
>>> out[2]["duplicate_of"], out[0]["dup_count"], sorted(out)
('a', 1, [0, 2])
>>> out[0]["dup_cluster"] == out[2]["dup_cluster"] == cluster_id("a")
True
"""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import xxhash

from cleaner.errors import UsageError
from cleaner.lsh import UnionFind, band_candidate_batches, optimal_params, s_curve
from cleaner.shingle import Sketch, Sketcher, estimated_jaccard, exact_jaccard, shingle_hashes

VERIFY_MODES = ("estimate", "exact")
KEEP_POLICIES = ("first", "longest", "date:FIELD", "prefer:DOMAIN,DOMAIN...")


class DedupError(UsageError, ValueError):
    """A dedup parameter is out of range or unknown. The message names the value."""


# Defaults, measured on benchmarks/synd_set.py (`python benchmarks/dedup.py --sweep`):
# - threshold = 0.4: copies with a cut ending, another headline, a local paragraph and
#   leftover template text the cleaner missed fall to Jaccard 0.3-0.6, so 0.5 loses recall
#   (R 0.90) while 0.35 starts to join short articles sharing one site's leftover template
#   (P 0.90-0.97). 0.4 was best or near-best for every n and num_perm (F1 0.946-0.959).
#   Different articles on one topic (the five seeds) stay below 0.01.
# - n = 5: F1 at 0.4 was 0.956 (n=4), 0.957 (n=5), 0.947 (n=6), 0.944 (n=7); 3-grams are
#   shared by more stock phrases, longer n-grams are broken by every small edit.
# - num_perm = 128: 64 loses precision near the threshold (0.966 vs 0.979); 256 gained
#   0.002 F1 for half the signature throughput and twice the memory.
@dataclass(frozen=True)
class DedupConfig:
    """Dedup parameters; every field is written to the run report by :meth:`Deduper.params`.

    ``bands`` and ``rows`` default to :func:`cleaner.lsh.optimal_params` of
    ``threshold``; set both to override. ``verify="exact"`` confirms candidates
    by the exact Jaccard of their shingle sets instead of the estimate.
    """

    n: int = 5
    num_perm: int = 128
    threshold: float = 0.4
    seed: int = 1
    keep: str = "first"
    verify: str = "estimate"
    bands: int | None = None
    rows: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.n, int) or self.n < 1:
            raise DedupError(f"dedup n (words per shingle) must be an integer >= 1, got {self.n!r}")
        if not isinstance(self.num_perm, int) or not 2 <= self.num_perm <= 1024:
            raise DedupError(f"dedup num_perm must be an integer in [2, 1024], got {self.num_perm!r}")
        if not 0.0 < self.threshold < 1.0:
            raise DedupError(f"dedup threshold must be in (0, 1), got {self.threshold!r}")
        if not isinstance(self.seed, int) or self.seed < 0:
            raise DedupError(f"dedup seed must be an integer >= 0, got {self.seed!r}")
        if self.verify not in VERIFY_MODES:
            raise DedupError(f"dedup verify must be one of {', '.join(VERIFY_MODES)}, got {self.verify!r}")
        keeper_key(self.keep)  # validates the policy
        if (self.bands is None) != (self.rows is None):
            raise DedupError(f"set both dedup bands and rows or neither, got bands={self.bands!r} rows={self.rows!r}")
        b, r = self.banding()
        if b < 1 or r < 1 or b * r > self.num_perm:
            raise DedupError(f"dedup bands * rows must be <= num_perm = {self.num_perm}, got {b} * {r}")

    def banding(self) -> tuple[int, int]:
        """``(bands, rows)``: the override, or the optimum for ``threshold``."""
        if self.bands is not None and self.rows is not None:
            return self.bands, self.rows
        return optimal_params(self.threshold, self.num_perm)


def _domain(meta: Mapping[str, Any]) -> str:
    value = str(meta.get("url") or meta.get("source") or "").strip().lower()
    host = urlsplit(value if "//" in value else "//" + value).hostname or ""
    return host.removeprefix("www.")


def keeper_key(policy: str) -> Callable[[int, int, Mapping[str, Any]], tuple[Any, ...]]:
    """The sort key of a keeper policy: ``key(index, length, meta)``; the smallest key keeps.

    Every key ends with the input index, so ties go to the earlier document.

    >>> key = keeper_key("prefer:apnews.com,reuters.com")
    >>> key(0, 10, {"url": "https://www.reuters.com/x"}), key(1, 10, {"source": "example.org"})
    ((1, 0), (2, 1))
    >>> keeper_key("newest")
    Traceback (most recent call last):
    ...
    cleaner.dedup.DedupError: unknown dedup keeper policy 'newest'; use one of first, longest, date:FIELD, prefer:DOMAIN,DOMAIN...
    """
    kind, _, arg = policy.partition(":")
    if policy == "first":
        return lambda index, length, meta: (index,)
    if policy == "longest":
        return lambda index, length, meta: (-length, index)
    if kind == "date" and arg.strip():
        name = arg.strip()
        return lambda index, length, meta: (0, str(meta[name]), index) if meta.get(name) else (1, "", index)
    domains = [d.strip().lower().removeprefix("www.") for d in arg.split(",") if d.strip()]
    if kind == "prefer" and domains:
        return lambda index, length, meta: (_prefer_rank(domains, _domain(meta)), index)
    raise DedupError(f"unknown dedup keeper policy {policy!r}; use one of {', '.join(KEEP_POLICIES)}")


def _prefer_rank(domains: list[str], host: str) -> int:
    return next((k for k, d in enumerate(domains) if host == d or host.endswith("." + d)), len(domains))


def cluster_id(keeper_id: str) -> str:
    """A cluster's id: a short hash of its keeper's id, so it does not depend on order or workers.

    >>> cluster_id("doc-1")
    'dup-c11d9f2deee2f041'
    """
    return "dup-" + xxhash.xxh3_64_hexdigest(keeper_id.encode())


@dataclass(frozen=True, slots=True)
class Member:
    index: int
    id: str
    jaccard: float


@dataclass(frozen=True, slots=True)
class Cluster:
    """One group of copies: its id, the keeper, and the copies with their estimated Jaccard to the keeper."""

    id: str
    keeper: Member
    copies: list[Member] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"cluster": self.id, "keeper": asdict(self.keeper), "copies": [asdict(c) for c in self.copies]}


class _Rows:
    """A growable 2-D array: rows go into blocks of ``BLOCK`` rows (no
    per-row Python object, no doubling and copying), joined into one array
    the first time it is viewed, freeing each block as it is copied."""

    BLOCK = 1 << 15

    def __init__(self, width: int, dtype: type[np.generic]) -> None:
        self.width, self.dtype = width, dtype
        self.blocks: list[np.ndarray] = []
        self.used = 0  # rows used in the last block
        self.size = 0

    def append(self, row: np.ndarray) -> None:
        if not self.blocks or self.used == len(self.blocks[-1]):
            self.blocks.append(np.empty((self.BLOCK, self.width), dtype=self.dtype))
            self.used = 0
        self.blocks[-1][self.used] = row
        self.used += 1
        self.size += 1

    def view(self) -> np.ndarray:
        if len(self.blocks) != 1:
            out = np.empty((self.size, self.width), dtype=self.dtype)
            at, blocks, self.blocks = 0, self.blocks, []
            while blocks:
                block = blocks.pop(0)
                n = min(len(block), self.size - at)
                out[at : at + n] = block[:n]
                at += n
                del block
            self.blocks, self.used = [out], self.size
        return self.blocks[0][: self.size]


ShingleSource = Callable[[int], "str | np.ndarray"]
#: ``candidates(sigs, bands, rows)``: :func:`cleaner.lsh.band_candidate_batches` or an
#: equivalent: the candidate pairs, as one array or in batches.
CandidateSource = Callable[[np.ndarray, int, int], "np.ndarray | Iterable[np.ndarray]"]


class Deduper:
    """Flag near-duplicate documents. Feed every document with :meth:`add`
    (any order, any batching), then call :meth:`finish` once.

    ``shingle_source`` is only used with ``verify="exact"``: a callable that
    returns, for a document index, its cleaned text or its
    :func:`~cleaner.shingle.shingle_hashes`, called for candidate documents
    only. Without it, exact verification keeps every document's shingle
    hashes in memory (4 bytes per word).

    ``candidates`` groups the band keys into candidate pairs: in this
    process by default, or on a cluster
    (:func:`cleaner.dask_corpus.band_candidates`); it must return the pairs
    :func:`~cleaner.lsh.band_candidates` returns, at once or in batches.
    """

    def __init__(
        self,
        config: DedupConfig | None = None,
        shingle_source: ShingleSource | None = None,
        candidates: CandidateSource = band_candidate_batches,
    ) -> None:
        self.config = config = config or DedupConfig()
        self.sketcher = Sketcher(num_perm=config.num_perm, n=config.n, seed=config.seed)
        self._key = keeper_key(config.keep)
        self._source = shingle_source
        self._candidates = candidates
        self._sigs = _Rows(config.num_perm, np.uint32)
        self._exact = _Rows(2, np.uint64)
        self._index: list[int] = []
        self._ids: list[str] = []
        self._keys: list[tuple[Any, ...]] = []
        self._shingles: dict[int, np.ndarray] = {}
        self._clusters: list[Cluster] | None = None
        self._consumed = False  # clustering started (it rearranges the signatures)

    def add(self, index: int, doc_id: str, cleaned_text: str, meta: Mapping[str, Any] | None = None) -> None:
        """Sketch one document. ``meta`` supplies the keeper policy's field (date, ``url`` or ``source``).
        A text without words takes no part in dedup."""
        sketch = self.sketcher.sketch_many([cleaned_text])[0]
        if sketch is not None:
            self.add_sketch(index, doc_id, sketch, meta)

    def add_sketch(self, index: int, doc_id: str, sketch: Sketch | None, meta: Mapping[str, Any] | None = None) -> None:
        """Add a document sketched elsewhere, e.g. in a worker by ``deduper.sketcher.sketch_many(texts)``
        (a :class:`~cleaner.shingle.Sketcher` with the same n, num_perm and seed). ``None`` is skipped."""
        if self._clusters is not None or self._consumed:
            raise DedupError(f"Deduper.add after finish (document {doc_id!r})")
        if sketch is None:
            return
        if sketch.signature.shape != (self.config.num_perm,):
            raise DedupError(
                f"signature of {doc_id!r} has shape {sketch.signature.shape}, want ({self.config.num_perm},)"
            )
        self._sigs.append(sketch.signature)
        self._exact.append(np.array(sketch.key, dtype=np.uint64))
        self._index.append(index)
        self._ids.append(doc_id)
        self._keys.append(self._key(index, sketch.length, meta or {}))
        if self.config.verify == "exact" and self._source is None:
            self._shingles[index] = sketch.shingles

    def params(self) -> dict[str, Any]:
        """The parameters for the run report (sorted keys when written as JSON)."""
        bands, rows = self.config.banding()
        return {**asdict(self.config), "bands": bands, "rows": rows, "scheme": "affine32", "hash": "xxh32"}

    def s_curve(self, js: Sequence[float] = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)) -> list[tuple[float, float]]:
        """``(J, P(candidate | J))`` for the configured bands and rows, to print with the run.

        >>> [p for j, p in Deduper(DedupConfig(threshold=0.4)).s_curve((0.0, 1.0))]
        [0.0, 1.0]
        """
        return s_curve(*self.config.banding(), js)

    def finish(self) -> Marks:
        """Cluster everything added; return the fields to add, by document index.

        Copies get ``duplicate_of`` (the keeper's id), ``dup_cluster`` and
        ``dup_jaccard`` (estimated Jaccard to the keeper, 4 places); keepers get
        ``dup_cluster`` and ``dup_count`` (their number of copies); documents
        without a near-duplicate are absent.
        """
        return Marks(self.clusters())

    def clusters(self) -> list[Cluster]:
        """The clusters, ordered by their keeper's input index (computed once,
        on first call; what was kept per document to compute them is freed)."""
        if self._clusters is None:
            if self._consumed:
                raise DedupError("clustering failed before and rearranged the signatures: make a new Deduper")
            self._consumed = True  # _cluster compacts the signatures in place
            self._clusters = self._cluster()
            self._sigs, self._exact = _Rows(0, np.uint32), _Rows(0, np.uint64)
            self._index, self._ids, self._keys, self._shingles = [], [], [], {}
        return self._clusters

    def _cluster(self) -> list[Cluster]:
        order = np.argsort(np.array(self._index, dtype=np.int64), kind="stable")
        index = [self._index[p] for p in order]
        repeated = sorted({a for a, b in itertools.pairwise(index) if a == b})
        if repeated:
            raise DedupError(f"document index added twice: {repeated[:5]}")
        in_order = bool(np.all(order[1:] > order[:-1]))  # added in index order: no copy needed
        sigs = self._sigs.view() if in_order else self._sigs.view()[order]
        exact = self._exact.view() if in_order else self._exact.view()[order]
        uf = UnionFind(len(order))
        _, first, inverse = np.unique(exact, axis=0, return_index=True, return_inverse=True)
        rep_of = first[inverse.reshape(-1)]
        copies = np.flatnonzero(rep_of != np.arange(len(order)))
        uf.union_pairs(np.stack([copies, rep_of[copies]], axis=1))
        reps = np.sort(first)
        # Exact copies have their keeper's signature: only the distinct rows
        # are banded, moved to the top of ``sigs`` in place (no second copy
        # of the signatures); ``row`` finds any document's signature there.
        distinct = _compact_rows(sigs, reps)
        row = np.empty(len(order), dtype=np.int64)
        row[reps] = np.arange(len(reps))
        row = row[rep_of]
        found = self._candidates(distinct, *self.config.banding())
        for batch in [found] if isinstance(found, np.ndarray) else found:
            # A batch at a time, and only the pairs not yet joined are
            # verified: near-copies meet again in band after band.
            pairs = reps[batch]
            fresh = ~uf.connected(pairs)
            batch, pairs = batch[fresh], pairs[fresh]
            uf.union_pairs(pairs[self._confirm(distinct, batch, pairs, index)])
        keys = self._keys if in_order else [self._keys[p] for p in order]
        ids = self._ids if in_order else [self._ids[p] for p in order]
        return [_make_cluster(group, distinct, row, keys, ids, index) for group in uf.groups()]

    def _confirm(self, distinct: np.ndarray, batch: np.ndarray, pairs: np.ndarray, index: list[int]) -> np.ndarray:
        """Which candidate pairs reach the threshold (estimated or exact
        Jaccard): ``batch`` are their rows in ``distinct``, ``pairs`` the
        documents' positions."""
        threshold = self.config.threshold
        if self.config.verify == "estimate":
            chunks = [
                estimated_jaccard(distinct[batch[k : k + 65536, 0]], distinct[batch[k : k + 65536, 1]])
                for k in range(0, len(batch), 65536)
            ]
            return np.concatenate([np.zeros(0), *chunks]) >= threshold
        cache: dict[int, np.ndarray] = {}
        return np.array(
            [
                exact_jaccard(self._shingles_of(index[i], cache), self._shingles_of(index[j], cache)) >= threshold
                for i, j in pairs.tolist()
            ],
            dtype=bool,
        ).reshape(-1)

    def _shingles_of(self, index: int, cache: dict[int, np.ndarray]) -> np.ndarray:
        if index in self._shingles:
            return self._shingles[index]
        if self._source is None:
            raise DedupError(f'verify="exact" needs the shingles of document {index}: pass shingle_source or shingles')
        if index not in cache:
            if len(cache) > 4096:
                cache.clear()
            got = self._source(index)
            cache[index] = shingle_hashes(got, self.config.n) if isinstance(got, str) else np.unique(got)
        return cache[index]


class Marks(Mapping[int, dict[str, Any]]):
    """:meth:`Deduper.finish`'s fields by document index: a read-only
    mapping that makes each document's dictionary when asked, from the
    clusters and two arrays (16 bytes a marked document, where a dictionary
    per document took about 300)."""

    def __init__(self, clusters: Sequence[Cluster]) -> None:
        self._clusters = clusters
        doc, where = [], []
        for n, c in enumerate(clusters):
            doc.append(c.keeper.index)
            where.append((n, -1))
            for k, m in enumerate(c.copies):
                doc.append(m.index)
                where.append((n, k))
        order = np.argsort(np.array(doc, dtype=np.int64), kind="stable")
        self._doc = np.array(doc, dtype=np.int64)[order]
        self._where = np.array(where, dtype=np.int32).reshape(-1, 2)[order]

    def __getitem__(self, index: int) -> dict[str, Any]:
        if not isinstance(index, int):
            raise KeyError(index)
        at = int(np.searchsorted(self._doc, index))
        if at == len(self._doc) or self._doc[at] != index:
            raise KeyError(index)
        n, k = self._where[at].tolist()
        c = self._clusters[n]
        if k < 0:
            return {"dup_cluster": c.id, "dup_count": len(c.copies)}
        return {"duplicate_of": c.keeper.id, "dup_cluster": c.id, "dup_jaccard": c.copies[k].jaccard}

    def __iter__(self) -> Iterator[int]:
        return iter(self._doc.tolist())

    def __len__(self) -> int:
        return len(self._doc)


def _compact_rows(rows: np.ndarray, keep: np.ndarray, chunk: int = 65536) -> np.ndarray:
    """``rows[keep]`` (``keep`` ascending) moved to the top of ``rows`` in
    place, a chunk at a time, and returned as a view: row ``keep[j] >= j``
    is read before any write reaches it, so nothing is overwritten early.

    >>> a = np.arange(6).reshape(6, 1)
    >>> _compact_rows(a, np.array([1, 3, 4]), chunk=2).ravel().tolist()
    [1, 3, 4]
    """
    if len(keep) == len(rows):
        return rows
    for k in range(0, len(keep), chunk):
        part = keep[k : k + chunk]
        rows[k : k + len(part)] = rows[part]
    return rows[: len(keep)]


def _make_cluster(
    group: list[int],
    distinct: np.ndarray,
    row: np.ndarray,
    keys: list[tuple[Any, ...]],
    ids: list[str],
    index: list[int],
) -> Cluster:
    keeper = min(group, key=lambda p: keys[p])
    copies = [p for p in group if p != keeper]
    sims = estimated_jaccard(distinct[row[copies]], distinct[row[[keeper] * len(copies)]])
    return Cluster(
        id=cluster_id(ids[keeper]),
        keeper=Member(index[keeper], ids[keeper], 1.0),
        copies=[Member(index[p], ids[p], round(float(s), 4)) for p, s in zip(copies, sims.tolist(), strict=True)],
    )


def sort_clusters(clusters: list[Cluster]) -> list[Cluster]:
    """Clusters in keeper input order (how :meth:`Deduper.clusters` returns them)."""
    return sorted(clusters, key=lambda c: c.keeper.index)


def write_clusters_json(clusters: list[Cluster], path: str | Path) -> None:
    """The cluster report as one JSON document (sorted keys), clusters in keeper input order.
    Written a cluster at a time (a million copies make a 100 MB document), with
    the bytes ``json.dumps({"clusters": [...]}, indent=2, sort_keys=True)`` gives."""
    ordered = sort_clusters(clusters)
    with Path(path).open("w", encoding="utf-8") as fh:
        if not ordered:
            fh.write('{\n  "clusters": []\n}\n')
            return
        fh.write('{\n  "clusters": [\n')
        for n, c in enumerate(ordered):
            text = json.dumps(c.to_json(), indent=2, sort_keys=True, ensure_ascii=False)
            fh.write(("" if n == 0 else ",\n") + "    " + text.replace("\n", "\n    "))
        fh.write("\n  ]\n}\n")


CSV_COLUMNS = ("cluster", "role", "index", "id", "jaccard")


def write_clusters_csv(clusters: list[Cluster], path: str | Path) -> None:
    """The cluster report as CSV: one row per member (``role`` is keeper or copy)."""
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(CSV_COLUMNS)
        for c in sort_clusters(clusters):
            writer.writerow([c.id, "keeper", c.keeper.index, c.keeper.id, c.keeper.jaccard])
            for m in c.copies:
                writer.writerow([c.id, "copy", m.index, m.id, m.jaccard])
