"""Cutting a stream into lists of a fixed size, the last one shorter.

>>> list(batches(range(5), 2))
[[0, 1], [2, 3], [4]]
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of ``size`` items in order, read lazily from ``items``."""
    it = iter(items)
    while batch := list(itertools.islice(it, size)):
        yield batch
