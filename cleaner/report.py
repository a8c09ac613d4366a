"""Run report: counters by stage and rule id, written as sorted JSON.

Stages never print; they count into a :class:`Report`.

>>> r = Report()
>>> r.count("lines_removed.NAV001", 2)
>>> r.to_json()["counts"]
{'lines_removed.NAV001': 2}
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Real examples kept per rule (the first ones met, in input order).
EXAMPLES_PER_RULE = 3
#: Rejected records listed by place and reason (all of them are counted).
MAX_REJECTS_LISTED = 20
#: Version of the report.json layout.
REPORT_VERSION = 1


@dataclass
class Report:
    """Counters (``lines_removed.NAV001``, ``docs_dropped.lang``, ...), up to
    ``EXAMPLES_PER_RULE`` removed lines per rule with their context, seconds
    per stage, and free-form ``info`` (config, pack hashes, dedup)."""

    counts: Counter[str] = field(default_factory=Counter)
    info: dict[str, Any] = field(default_factory=dict)
    examples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    timings: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] += n

    def add_example(self, rule: str, example: dict[str, Any]) -> None:
        kept = self.examples.setdefault(rule, [])
        if len(kept) < EXAMPLES_PER_RULE:
            kept.append(example)

    def add_reject(self, reject: dict[str, Any]) -> None:
        """List a rejected record by place and reason (the first ones only;
        all are counted)."""
        rejects = self.info.setdefault("rejects", [])
        if len(rejects) < MAX_REJECTS_LISTED:
            rejects.append(reject)

    def merge(
        self,
        counts: Mapping[str, int],
        examples: list[tuple[str, dict[str, Any]]],
        timings: Mapping[str, float] | None = None,
    ) -> None:
        """Add one document's (or one shard's) counters, examples and stage
        seconds (call in input order)."""
        self.counts.update(counts)
        for rule, example in examples:
            self.add_example(rule, example)
        for name, seconds in (timings or {}).items():
            self.timings[name] += seconds

    def to_json(self) -> dict[str, Any]:
        return {
            "version": REPORT_VERSION,
            "counts": dict(sorted(self.counts.items())),
            "examples": {k: self.examples[k] for k in sorted(self.examples)},
            "timings": {k: round(v, 3) for k, v in sorted(self.timings.items())},
            **{k: v for k, v in self.info.items() if not k.startswith("_")},
        }

    def write(self, path: Path) -> None:
        path.write_text(
            json.dumps(self.to_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
        )

    def summary(self) -> str:
        """One line for people: documents in and out, lines and words removed."""
        c = self.counts
        docs_in = c["docs_in"]
        dropped = sum(v for k, v in c.items() if k.startswith("docs_dropped."))
        rejected = sum(v for k, v in c.items() if k.startswith("docs_rejected."))
        share = c["words_removed"] / c["words_in"] if c["words_in"] else 0.0
        parts = [
            f"{docs_in} document{'s' if docs_in != 1 else ''} in",
            f"{c['docs_written']} written",
            f"{dropped} dropped",
            f"{rejected} rejected",
            f"{c['docs_empty']} empty",
            f"{c['docs_flagged.removal_budget']} over the removal budget",
            f"removed {c['lines_removed']:,} of {c['lines_in']:,} lines and {c['words_removed']:,} of {c['words_in']:,} words ({share:.0%})",
        ]
        return "cleaner: " + ", ".join(parts)
