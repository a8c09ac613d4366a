"""A datatrove pipeline step: ``reader -> CleanerStep() -> writer``.

The step cleans ``document.text`` with the rule packs and heuristics, puts
``lines_removed``, ``words_removed``, ``lang`` and ``cleaner_flags`` into
``document.metadata``, counts removals per rule in datatrove's stats, and
drops documents left empty (counted as ``dropped_empty``) unless
``keep_empty=True``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cleaner.clean import Cleaner
from cleaner.config import Config

try:
    from datatrove.data import DocumentsPipeline
    from datatrove.pipeline.base import PipelineStep
except ImportError as exc:  # pragma: no cover - depends on the extra
    raise ImportError(f"the datatrove step needs datatrove ({exc}): pip install 'cleaner[datatrove]'") from None


class CleanerStep(PipelineStep):
    name = "cleaner"
    type = "🧹 - CLEAN"

    def __init__(self, config: Config | None = None, keep_empty: bool = False) -> None:
        super().__init__()
        self.config = config
        self.keep_empty = keep_empty
        self._cleaner: Cleaner | None = None

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> Iterator[Any]:
        if self._cleaner is None:
            self._cleaner = Cleaner(self.config)
        for document in data:
            self.stat_update("documents")
            with self.track_time():
                result = self._cleaner.clean(document.text or "")
            for removal in result.removals:
                if not removal.is_span:
                    self.stat_update(f"lines_removed.{removal.rule}")
            document.text = result.text
            document.metadata.update(
                lines_removed=result.lines_removed,
                words_removed=result.words_removed,
                lang=result.lang,
                cleaner_flags=list(result.flags),
            )
            if not result.text.strip() and not self.keep_empty:
                self.stat_update("dropped_empty")
                continue
            yield document
