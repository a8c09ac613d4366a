"""A Hugging Face ``datasets`` map function.

    >>> from cleaner.integrations.hf import clean_batch_fn
    >>> fn = clean_batch_fn()
    >>> out = fn({"text": ["ADVERTISEMENT\\nThe council met on Monday and voted to close the bridge."]})
    >>> out["text"], out["lines_removed"]
    (['The council met on Monday and voted to close the bridge.'], [1])

With ``datasets``: ``ds.map(clean_batch_fn(), batched=True)``. The function
returns the cleaned text (under the same column) plus ``lines_removed``,
``words_removed``, ``lang`` and ``flags`` columns; other columns are left as
they are, so ``datasets`` keeps them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cleaner.clean import Cleaner
from cleaner.config import Config

Batch = dict[str, list[Any]]


def clean_batch_fn(config: Config | None = None, text_column: str = "text") -> Callable[[Batch], Batch]:
    """A function for ``Dataset.map(fn, batched=True)`` that cleans
    ``text_column`` with the given config (packs loaded once)."""
    cleaner = Cleaner(config)

    def clean_batch(batch: Batch) -> Batch:
        if text_column not in batch:
            raise KeyError(f"no column {text_column!r} in the batch (columns: {', '.join(sorted(batch))})")
        results = [cleaner.clean(text or "") for text in batch[text_column]]
        return {
            text_column: [r.text for r in results],
            "lines_removed": [r.lines_removed for r in results],
            "words_removed": [r.words_removed for r in results],
            "lang": [r.lang for r in results],
            "flags": [list(r.flags) for r in results],
        }

    return clean_batch
