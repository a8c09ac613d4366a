"""The two corpus passes on a ``dask.distributed`` cluster, with the same
results as in this process.

- Template lines (:func:`learn_templates`): the documents go to the workers
  in partitions; each worker counts its partition's (source, line) document
  frequencies as a :class:`~cleaner.template.TemplateTally`; the tallies are
  summed on the cluster by a tree reduction that starts while the input is
  still being read; a last task applies the thresholds, and only the
  template set (the lines over them) comes back.
- Near-duplicate candidates (:func:`band_candidates`): the signatures are
  scattered in partitions; each partition's band keys are computed on a
  worker and split by key (:func:`cleaner.lsh.band_rows`); each split,
  gathered from every partition, is grouped on a worker
  (:func:`cleaner.lsh.grouped_candidates`); the pair arrays are merged on
  the cluster and only the candidate pairs come back. Union-find, the
  verification of the pairs and the clusters stay with
  :class:`cleaner.dedup.Deduper`, as with the local backend.

Both take a ``distributed.Client`` (only ``submit``, ``scatter`` and
``nthreads`` are used) and import nothing from dask themselves but
``distributed.wait``, when a client is in use.
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from cleaner.batching import batches
from cleaner.lsh import band_rows, grouped_candidates, merge_pairs
from cleaner.template import Templates, TemplateTally

#: Documents a worker counts template lines of at a time.
TEMPLATE_DOCS = 2000
#: Signature rows a worker computes band keys of at a time (512 bytes a row at num_perm 128).
SIGNATURE_ROWS = 20_000
#: Partial results one task of a tree reduction merges.
FAN_IN = 8


def learn_templates(
    client: Any, items: Iterable[tuple[str, str]], min_docs: int, min_share: float, window: int
) -> Templates:
    """The template lines of ``(source, text)`` documents, counted on the
    cluster; at most ``window`` partitions are being counted at a time."""
    from distributed import wait

    tree = _Tree(client, _merge_tallies)
    counting: deque[Any] = deque()
    for part in batches(items, TEMPLATE_DOCS):
        future = client.submit(TemplateTally.of, part, pure=False)
        tree.push(future)
        counting.append(future)
        if len(counting) >= window:
            wait(counting.popleft())
    total = tree.result()
    if total is None:
        return TemplateTally.of([]).learn(min_docs, min_share)
    learned: Templates = client.submit(_learn, total, min_docs, min_share, pure=False).result()
    return learned


def band_candidates(client: Any, sigs: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """:func:`cleaner.lsh.band_candidates` of ``sigs``, grouped on the cluster."""
    if bands * rows > sigs.shape[1]:
        raise ValueError(f"bands * rows = {bands} * {rows} exceeds the {sigs.shape[1]} signature columns")
    n = len(sigs)
    if n == 0:
        return merge_pairs([], 0)
    splits = max(2, sum(client.nthreads().values()))
    mapped = []
    for start in range(0, n, SIGNATURE_ROWS):
        part = client.scatter(sigs[start : start + SIGNATURE_ROWS], hash=False)
        mapped.append(client.submit(band_rows, part, start, bands, rows, splits, pure=False))
    tree = _Tree(client, functools.partial(_merge_pairs, n))
    for split in range(splits):
        pieces = [client.submit(operator.getitem, m, split) for m in mapped]
        tree.push(client.submit(_grouped, n, *pieces, pure=False))
    total = tree.result()
    assert total is not None  # splits >= 2
    pairs: np.ndarray = total.result()
    return pairs


class _Tree:
    """A tree reduction on the cluster fed one future at a time: every
    ``FAN_IN`` futures of a level are merged by one task into the next
    level, so partial results do not pile up while the input is read."""

    def __init__(self, client: Any, merge: Callable[..., Any]) -> None:
        self.client, self.merge = client, merge
        self.levels: list[list[Any]] = []

    def push(self, future: Any) -> None:
        for level in itertools.count():
            if level == len(self.levels):
                self.levels.append([])
            self.levels[level].append(future)
            if len(self.levels[level]) < FAN_IN:
                return
            future = self.client.submit(self.merge, *self.levels[level], pure=False)
            self.levels[level] = []

    def result(self) -> Any | None:
        """The future of everything pushed merged (``None`` if nothing was)."""
        rest = [f for level in self.levels for f in level]
        while len(rest) > 1:
            rest = [
                self.client.submit(self.merge, *rest[k : k + FAN_IN], pure=False) for k in range(0, len(rest), FAN_IN)
            ]
        return rest[0] if rest else None


# --- on the workers ---------------------------------------------------------------


def _merge_tallies(*tallies: TemplateTally) -> TemplateTally:
    return TemplateTally.merge(tallies)


def _learn(tally: TemplateTally, min_docs: int, min_share: float) -> Templates:
    return tally.learn(min_docs, min_share)


def _grouped(n: int, *splits: Any) -> np.ndarray:
    return grouped_candidates(splits, n)


def _merge_pairs(n: int, *found: np.ndarray) -> np.ndarray:
    return merge_pairs(found, n)
